"""What communications adds to other apps' pages (`sections.py`): 宣传与调研 on the enterprise 360° page — its
coverage, the notices sent to it with their read receipts and the surveys sent to it with its answers, each as the
reader's scope holds them — and 宣传报道 on a person's page (the member registry's and the representative's profile).
Nothing for the roles that do not read them, nothing for a reader when there is nothing; the editors always see the
coverage with 新增宣传报道; the queries do not grow with the rows."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shanglian import testing
from shanglian.communications.sections import enterprise_communications, person_coverage


def enterprise_page(client, enterprise):
    return client.get(reverse("members:enterprise_detail", args=[enterprise.pk])).content.decode()


def person_page(client, person):
    return client.get(reverse("members:person_detail", args=[person.pk])).content.decode()


@pytest.fixture
def sent(cast):
    """ent1 featured in one article, sent a federation notice (read) and chamber1's notice (unread), a federation
    survey it answered and chamber1's survey it did not; ent2 sent chamber2's notice."""
    article = testing.make_article(cast.district, title="友谊科技的创新之路", enterprises=[cast.ent1],
                                   persons=[cast.person1], published_on=date(2025, 5, 1))
    now = timezone.now()
    federation_notice = testing.make_notice(cast.district, by=cast.users.staff, title="关于申报专精特新的通知",
                                            status="sent", sent_at=now)
    testing.make_notice_recipient(federation_notice, cast.ent1, read_at=now, read_by=cast.users.ent1)
    chamber_notice = testing.make_notice(cast.district, by=cast.users.chamber1, chamber=cast.chamber1,
                                         title="商会会员大会通知", status="sent", sent_at=now)
    testing.make_notice_recipient(chamber_notice, cast.ent1)
    other_chamber = testing.make_notice(cast.district, by=cast.users.chamber2, chamber=cast.chamber2,
                                        title="浙江商会年会通知", status="sent", sent_at=now)
    testing.make_notice_recipient(other_chamber, cast.ent2)
    survey = testing.make_survey(cast.district, by=cast.users.staff, title="营商环境满意度调查", status="open",
                                 opened_at=now, questions=[("text", "意见")])
    testing.make_survey_recipient(survey, cast.ent1)
    testing.make_response(survey, cast.ent1, by=cast.users.ent1)
    chamber_survey = testing.make_survey(cast.district, by=cast.users.chamber1, chamber=cast.chamber1,
                                         title="商会服务需求问卷", status="open", opened_at=now)
    testing.make_survey_recipient(chamber_survey, cast.ent1)
    return {"article": article, "notice": federation_notice, "chamber_notice": chamber_notice, "survey": survey,
            "chamber_survey": chamber_survey}


def test_the_federation_sees_the_enterprises_coverage_notices_and_surveys(cast, sent, login):
    page = enterprise_page(login(cast.users.staff), cast.ent1)
    assert "宣传与调研" in page and "友谊科技的创新之路" in page
    assert "关于申报专精特新的通知" in page and "商会会员大会通知" in page and "浙江商会年会通知" not in page
    assert "已读 1 / 2" in page and "营商环境满意度调查" in page and "商会服务需求问卷" in page
    assert "已填 1 / 2" in page and "新增宣传报道" in page
    assert f"{reverse('communications:article_create')}?enterprise={cast.ent1.pk}" in page


def test_a_chamber_secretary_sees_its_own_chambers_notices_and_surveys_only(cast, sent, login):
    page = enterprise_page(login(cast.users.chamber1), cast.ent1)
    assert "友谊科技的创新之路" in page  # the federation's publicity: read by the chambers
    assert "商会会员大会通知" in page and "关于申报专精特新的通知" not in page
    assert "商会服务需求问卷" in page and "营商环境满意度调查" not in page
    assert "已读 0 / 1" in page and "已填 0 / 1" in page and "新增宣传报道" not in page


def test_a_leader_sees_nothing_where_there_is_nothing(cast, sent, login):
    quiet = testing.make_enterprise(cast.district, name="天津无报道有限公司")
    assert enterprise_communications(cast.users.leader, quiet) is None
    assert enterprise_communications(cast.users.staff, quiet) is not None  # an editor may add coverage
    assert enterprise_communications(cast.users.leader, cast.ent2) is not None  # chamber2's notice, read by the leader
    assert enterprise_communications(cast.users.leader, cast.ent1) is not None


@pytest.mark.parametrize("role", ["dept1", "ent1", "auditor"])
def test_the_roles_that_do_not_read_get_no_section(cast, sent, role):
    assert enterprise_communications(getattr(cast.users, role), cast.ent1) is None
    assert person_coverage(getattr(cast.users, role), cast.person1) is None


def test_the_enterprise_itself_sees_no_section_on_its_profile(cast, sent, login):
    page = enterprise_page(login(cast.users.ent1), cast.ent1)
    assert "宣传与调研" not in page and "商会会员大会通知" not in page


def test_a_persons_page_shows_the_articles_featuring_the_person(cast, sent, login):
    page = person_page(login(cast.users.staff), cast.person1)
    assert "宣传报道" in page and "友谊科技的创新之路" in page
    assert f"{reverse('communications:article_create')}?person={cast.person1.pk}" in page
    page = person_page(login(cast.users.chamber1), cast.person1)
    assert "友谊科技的创新之路" in page and "新增宣传报道" not in page


def test_a_person_without_coverage_shows_it_only_to_the_editors(cast, sent):
    assert person_coverage(cast.users.leader, cast.person2) is None
    assert person_coverage(cast.users.staff, cast.person2) is not None


def test_the_representatives_profile_shows_the_coverage_too(cast, sent, login):
    page = login(cast.users.staff).get(reverse("engagement:profile", args=[cast.person1.pk])).content.decode()
    assert "友谊科技的创新之路" in page


def test_another_federations_coverage_is_not_shown(cast, sent):
    testing.make_article(cast.other, title="外区报道", enterprises=[cast.ent1])  # mislinked across federations
    section = enterprise_communications(cast.users.staff, cast.ent1)
    assert "外区报道" not in [a.title for a in section.context["articles"]]


def test_the_sections_queries_do_not_grow_with_the_rows(cast, sent):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            enterprise_communications(cast.users.staff, cast.ent1)
            person_coverage(cast.users.staff, cast.person1)
        return len(captured)

    queries()  # the first call reads what the user's scope caches
    before = queries()
    now = timezone.now()
    for n in range(6):
        testing.make_article(cast.district, title=f"报道{n}", enterprises=[cast.ent1], persons=[cast.person1])
        notice = testing.make_notice(cast.district, by=cast.users.staff, status="sent", sent_at=now)
        testing.make_notice_recipient(notice, cast.ent1)
        survey = testing.make_survey(cast.district, by=cast.users.staff, status="open", opened_at=now)
        testing.make_survey_recipient(survey, cast.ent1)
    assert queries() == before
