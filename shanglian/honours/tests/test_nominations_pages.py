"""提名 pages: the list in each user's scope (a chamber secretary only its chamber's and its members'; chamber2 gets
404 on chamber1's), its filters, 提名 from a category's page (only while 提名中; a chamber secretary only its
members), 修改/撤回, the materials' download after the scope check, one nomination's page (the scores: every judge's
and the weighted total for the editors, a judge their own), and every page of one nomination × every role."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.honours.models import Nomination, NominationAttachment, Programme
from shanglian.honours.services import nominations as services
from shanglian.members.models import ChamberMembership

P = Programme.Status
LIST = reverse("honours:nominations")
ROLES = ["admin", "staff", "leader", "chamber1", "chamber2", "dept1", "ent1", "auditor", "outsider_staff"]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def count(page):
    return int(re.search(r"共 (\d+) 条", page).group(1))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def programme(cast):
    return testing.make_programme(cast.district, categories=("依法纳税", "促进就业"))


@pytest.fixture
def category(programme):
    return programme.categories.order_by("order").first()


@pytest.fixture
def book(cast, programme, category):
    jobs = programme.categories.exclude(pk=category.pk).get()
    ent3 = testing.make_enterprise(cast.district, name="天津河西建设集团")
    return {
        "chamber1": services.nominate(actor=cast.users.chamber1, category=category, enterprise=cast.ent1,
                                      reason="连续纳税信用A级",
                                      files=[SimpleUploadedFile("纳税证明.pdf", PDF, content_type="application/pdf")]),
        "chamber2": services.nominate(actor=cast.users.chamber2, category=category, enterprise=cast.ent2,
                                      reason="浙商纳税大户"),
        "staff": services.nominate(actor=cast.users.staff, category=jobs, enterprise=ent3, reason="吸纳就业500人"),
    }


def test_the_federation_lists_every_nomination_a_chamber_only_its_own(cast, book, login):
    page = login(cast.users.staff).get(LIST).content.decode()
    assert count(page) == 3
    page = login(cast.users.chamber1).get(LIST).content.decode()
    assert count(page) == 1 and "天津友谊科技有限公司" in page and "天津之江贸易有限公司" not in page
    page = login(cast.users.chamber2).get(LIST).content.decode()
    assert count(page) == 1 and "天津之江贸易有限公司" in page
    assert count(login(cast.users.leader).get(LIST).content.decode()) == 3
    assert count(login(cast.users.outsider_staff).get(LIST).content.decode()) == 0
    for role in ("dept1", "ent1", "auditor"):
        assert login(getattr(cast.users, role)).get(LIST).status_code == 403


def test_a_chamber_secretary_does_not_see_a_nomination_of_its_member_made_by_staff(cast, category, login):
    """The reasons and attachments are the nominator's: a chamber reads only the nominations it made itself."""
    nomination = testing.make_nomination(category, cast.ent1, by=cast.users.staff)
    page = login(cast.users.chamber1).get(LIST).content.decode()
    assert count(page) == 0 and "天津友谊科技有限公司" not in page
    for name in ("honours:nomination", "honours:nomination_edit"):
        assert login(cast.users.chamber1).get(reverse(name, args=[nomination.pk])).status_code == 404, name


def test_a_chamber_secretary_does_not_see_another_chambers_nomination_of_a_shared_member(cast, category, login):
    ChamberMembership.objects.create(chamber=cast.chamber2, enterprise=cast.ent1, joined=date(2020, 1, 1))
    nomination = testing.make_nomination(category, cast.ent1, chamber=cast.chamber2, by=cast.users.chamber2,
                                         reason="浙江商会的推荐理由")
    client = login(cast.users.chamber1)
    assert "浙江商会的推荐理由" not in client.get(LIST).content.decode()
    assert client.get(nomination.get_absolute_url()).status_code == 404
    assert login(cast.users.chamber2).get(nomination.get_absolute_url()).status_code == 200


def test_chamber2_gets_404_on_chamber1s_nomination_and_it_is_audited(cast, book, login):
    nomination = book["chamber1"]
    client = login(cast.users.chamber2)
    for page in ("honours:nomination", "honours:nomination_edit", "honours:nomination_withdraw"):
        assert client.get(reverse(page, args=[nomination.pk])).status_code == 404, page
    assert client.post(reverse("honours:nomination_withdraw", args=[nomination.pk])).status_code == 404
    attachment = nomination.attachments.get()
    assert client.get(reverse("honours:attachment_download", args=[attachment.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="denied", object_type="honours.nomination",
                                     object_id=str(nomination.pk)).exists()
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.NOMINATED


def test_the_list_filters(cast, programme, category, book, login):
    client = login(cast.users.staff)
    for query, expected in ((f"category={category.pk}", 2), (f"programme={programme.pk}", 3),
                            (f"chamber={cast.chamber2.pk}", 1), ("status=withdrawn", 0), ("q=河西建设", 1)):
        assert count(client.get(f"{LIST}?{query}").content.decode()) == expected, query
    page = client.get(f"{LIST}?chamber=99999999999999999999").content.decode()
    assert count(page) == 0 and "所选商会不存在或不在您的查看范围内" in page


def test_a_chamber_secretary_nominates_from_the_category_page(cast, category, login):
    client = login(cast.users.chamber1)
    url = reverse("honours:nomination_create", args=[category.pk])
    page = client.get(url).content.decode()
    assert "只能提名本商会在册的会员企业" in page and 'name="chamber"' not in page
    response = client.post(url, {"enterprise": str(cast.ent2.pk), "reason": "理由"})
    assert response.status_code == 400 and "不在您的管理范围内" in response.content.decode()
    response = client.post(url, {"enterprise": str(cast.ent1.pk), "reason": "纳税信用A级",
                                 "files": SimpleUploadedFile("证书.pdf", PDF, content_type="application/pdf")})
    nomination = Nomination.objects.get()
    assert response.status_code == 302 and response["Location"] == nomination.get_absolute_url()
    assert nomination.chamber == cast.chamber1 and nomination.attachments.count() == 1


def test_an_editor_nominates_with_a_recommending_chamber(cast, category, login):
    response = login(cast.users.staff).post(reverse("honours:nomination_create", args=[category.pk]), {
        "enterprise": str(cast.ent2.pk), "chamber": str(cast.chamber2.pk), "reason": "理由"})
    assert response.status_code == 302
    assert Nomination.objects.get().chamber == cast.chamber2


@pytest.mark.parametrize("status", [P.DRAFT, P.SCORING, P.CLOSED])
def test_nominating_outside_the_nomination_stage_is_refused_from_the_page(cast, programme, category, login, status):
    Programme.objects.filter(pk=programme.pk).update(status=status)
    client = login(cast.users.chamber1)
    url = reverse("honours:nomination_create", args=[category.pk])
    response = client.post(url, {"enterprise": str(cast.ent1.pk), "reason": "理由"}, follow=True)
    assert "不在提名阶段" in response.content.decode()
    assert not Nomination.objects.exists()
    assert "提名企业</a>" not in client.get(category.get_absolute_url()).content.decode()


def test_edit_and_withdraw_from_the_nominations_page(cast, book, login):
    nomination = book["chamber1"]
    client = login(cast.users.chamber1)
    old = nomination.attachments.get()
    url = reverse("honours:nomination_edit", args=[nomination.pk])
    assert "纳税证明.pdf" in client.get(url).content.decode()
    response = client.post(url, {"reason": "补充：2024年纳税1200万元", "remove": [str(old.pk)]})
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.reason == "补充：2024年纳税1200万元" and not nomination.attachments.exists()
    page = client.get(reverse("honours:nomination_withdraw", args=[nomination.pk])).content.decode()
    assert "确认撤回" in page
    client.post(reverse("honours:nomination_withdraw", args=[nomination.pk]))
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.WITHDRAWN
    response = client.get(url, follow=True)  # a withdrawn nomination is not edited
    assert "不能修改" in response.content.decode()


def test_a_download_is_the_file_after_the_scope_check(cast, book, login):
    attachment = book["chamber1"].attachments.get()
    response = login(cast.users.chamber1).get(reverse("honours:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff" and "attachment" in response["Content-Disposition"]
    assert login(cast.users.leader).get(reverse("honours:attachment_download", args=[attachment.pk])).status_code == 200
    assert login(cast.users.outsider_staff).get(
        reverse("honours:attachment_download", args=[attachment.pk])).status_code == 404
    assert login(cast.users.dept1).get(reverse("honours:attachment_download", args=[attachment.pk])).status_code == 403


def test_the_page_shows_the_enterprise_reason_and_materials(cast, book, login):
    nomination = book["chamber1"]
    page = login(cast.users.chamber1).get(nomination.get_absolute_url()).content.decode()
    assert reverse("members:enterprise_detail", args=[cast.ent1.pk]) in page
    assert "连续纳税信用A级" in page and "纳税证明.pdf" in page
    assert "修改" in page and "撤回" in page and "评分情况" not in page


def test_editors_see_every_judges_scores_and_the_total_a_judge_only_their_own(cast, programme, book, login):
    Programme.objects.filter(pk=programme.pk).update(status=P.SCORING)
    nomination = book["chamber1"]
    leader_judge = testing.make_judge(programme, cast.users.leader)
    staff_judge = testing.make_judge(programme, cast.users.staff)
    testing.make_scores(nomination, leader_judge, [Decimal("80"), Decimal("90")])  # weights 60/40 of 100
    testing.make_scores(nomination, staff_judge, [Decimal("70.5"), None])  # not complete: not counted
    page = login(cast.users.admin).get(nomination.get_absolute_url()).content.decode()
    assert "评分情况" in page and "70.50" in page and "未完成" in page
    assert "<strong>84.000</strong>" in page  # (80×60 + 90×40) ÷ 100 from the one complete row
    page = login(cast.users.leader).get(nomination.get_absolute_url()).content.decode()
    assert "我的评分" in page and "80.00" in page and "70.50" not in page and "评分情况" not in page
    page = login(cast.users.chamber1).get(nomination.get_absolute_url()).content.decode()
    assert "80.00" not in page and "我的评分" not in page


def test_a_conflicted_judge_sees_stand_aside_on_the_page(cast, programme, book, login):
    Programme.objects.filter(pk=programme.pk).update(status=P.SCORING)
    testing.make_judge(programme, cast.users.leader, person=cast.person1)
    page = login(cast.users.leader).get(book["chamber1"].get_absolute_url()).content.decode()
    assert "回避：您与被提名企业存在关联" in page and "评分</a>" not in page


# --- every page of one nomination × every role ---------------------------------------------------------------------
READ = {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 404, "dept1": 403, "ent1": 403,
        "auditor": 403, "outsider_staff": 404}
CHANGE = {**READ, "leader": 403}
NOMINATE = {**CHANGE, "chamber2": 200}
PAGES = [("honours:nomination", "nomination", READ), ("honours:attachment_download", "attachment", READ),
         ("honours:nomination_edit", "nomination", CHANGE), ("honours:nomination_withdraw", "nomination", CHANGE),
         ("honours:nomination_create", "category", NOMINATE)]
CASES = [(page, target, role, expected[role]) for page, target, expected in PAGES for role in ROLES]


@pytest.mark.parametrize(("page", "target", "role", "expected"), CASES,
                         ids=[f"{p}-{r}-{e}" for p, _t, r, e in CASES])
def test_every_page_of_a_nomination_answers_each_role(cast, login, category, page, target, role, expected):
    nomination = services.nominate(actor=cast.users.chamber1, category=category, enterprise=cast.ent1, reason="理由",
                                   files=[SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")])
    objects = {"nomination": nomination, "category": category, "attachment": NominationAttachment.objects.get()}
    response = login(getattr(cast.users, role)).get(reverse(page, args=[objects[target].pk]))
    assert response.status_code == expected
