"""The 工作台 panel of 通知调研与宣传 ("today" is 15 June 2026): the notice the scope sent last with its read and
unread enterprises, the surveys collecting answers today and their response rate, this year's 宣传报道 and 宣传人物
with 同比 — for the federation and for a chamber secretary (its own notices and surveys), each card linked to its
records; nothing for the other roles; the empty state of a new district; a query count that does not grow with the
rows.

The dataset of test_figures.py, plus (this year) N6, the federation's notice sent 2026-06-01 to ent1 (read), ent2
and E3 (unread), and A6, a municipal article of 2026-05-01 featuring person1. The federation: last notice N6 — 3
reached, 1 read, 2 unread, 33.3 %; open surveys today S1 (sent to ent1, ent2, E3; ent1 and ent2 answered: 66.7 %);
this year 1 article (up to 15 June 2025 also 1, A1: +0.0 %),
1 person. chamber1: its last notice N2 (1 reached, read, 100.0 %), no open survey (无数据)."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.communications.tests.test_figures import at, build_dataset
from shanglian.communications.tests.test_figures import today as today  # noqa: F401  (the fixture)

HOME = "/"
TEMPLATE = "communications/_panel.html"


@pytest.fixture
def data(cast, today):  # noqa: F811
    found = build_dataset(cast)
    n6 = testing.make_notice(cast.district, by=cast.users.staff, title="关于申报2026年专精特新企业的通知",
                             status="sent", sent_at=at(2026, 6, 1))
    testing.make_notice_recipient(n6, cast.ent1, read_at=at(2026, 6, 2))
    testing.make_notice_recipient(n6, cast.ent2)
    testing.make_notice_recipient(n6, found.e3)
    testing.make_article(cast.district, published_on=date(2026, 5, 1), persons=[cast.person1])
    found.n6 = n6
    return found


def kpi(html, label):
    found = re.search(rf'data-kpi="{label}"[^>]*>([^<]+)<', html)
    return found.group(1) if found else None


def panel(response):
    return next((p for p in response.context["panels"] if p.template == TEMPLATE), None)


def cards(found):
    return {card.key: card for card in found.context["cards"]}


@pytest.mark.parametrize("role", ["staff", "leader", "admin"])
def test_the_federation_sees_its_last_notice_open_surveys_and_coverage(cast, data, login, role):
    response = login(getattr(cast.users, role)).get(HOME)
    found = panel(response)
    html = response.content.decode()
    assert "通知调研与宣传（2026年，截至6月15日）" in html
    notice = found.context["notice"]
    assert notice["title"] == data.n6.title
    assert (notice["recipients"], notice["read"], notice["unread"], str(notice["rate"])) == (3, 1, 2, "33.3")
    assert kpi(html, "最近通知未读") == "2" and kpi(html, "最近通知阅读率") == "33.3%"
    shown = cards(found)
    assert shown["communications.surveys_open"].value == 1
    assert str(shown["communications.open_response_rate"].value) == "66.7"
    assert shown["communications.articles"].value == 1 and shown["communications.articles"].year_ago == 1
    assert shown["communications.articles"].year_ago_change == "+0.0%"
    assert shown["communications.persons_featured"].value == 1
    assert kpi(html, "本年宣传报道") == "1" and kpi(html, "本年宣传人物") == "1"


def test_a_chamber_secretary_sees_its_own_notices_and_surveys(cast, data, login):
    response = login(cast.users.chamber1).get(HOME)
    found = panel(response)
    notice = found.context["notice"]
    assert notice["title"] == data.notices.n2.title and str(notice["rate"]) == "100.0"
    shown = cards(found)
    assert shown["communications.surveys_open"].value == 0
    assert shown["communications.open_response_rate"].value is None
    assert kpi(response.content.decode(), "收集中问卷回收率") == "无数据"


def test_the_cards_open_the_records_they_count(cast, data, login):
    client = login(cast.users.staff)
    shown = cards(panel(client.get(HOME)))
    assert client.get(shown["communications.open_response_rate"].records_url).context[
        "page_obj"].paginator.count == 3
    assert client.get(shown["communications.persons_featured"].records_url).context["page_obj"].paginator.count == 1
    assert client.get(shown["communications.surveys_open"].records_url).context["page_obj"].paginator.count == 1


@pytest.mark.parametrize("role", ["dept1", "auditor", "ent1"])
def test_other_roles_see_no_communications_panel(cast, data, login, role):
    response = login(getattr(cast.users, role)).get(HOME)
    context = response.context
    found = panel(response) if context is not None and "panels" in context else None
    assert found is None and 'id="home-communications"' not in response.content.decode()


def test_a_new_district_shows_the_empty_state(db, login, today):  # noqa: F811
    testing.ensure_reference_data()
    federation = testing.make_federation(name="新区工商联")
    leader = testing.make_user(Role.LEADER, username="new_leader", federation=federation)
    html = login(leader).get(HOME).content.decode()
    assert "还没有发送通知、没有收集中的问卷，本年也没有宣传报道" in html


def _queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["leader", "chamber1"])
def test_the_panels_queries_do_not_grow_with_the_rows(cast, data, login, role):
    client = login(getattr(cast.users, role))
    client.get(HOME)
    before = _queries(client)
    staff, chamber1 = cast.users.staff, cast.chamber1
    for i in range(4):
        enterprise = testing.make_enterprise(cast.district, name=f"天津加量{i}有限公司", chamber=chamber1)
        notice = testing.make_notice(cast.district, by=staff, status="sent", chamber=chamber1,
                                     sent_at=at(2026, 1, i + 1))
        testing.make_notice_recipient(notice, enterprise, read_at=at(2026, 2, 1))
        survey = testing.make_survey(cast.district, by=staff, status="open", chamber=chamber1,
                                     opened_at=at(2026, 3, i + 1), questions=[("text", "意见")])
        testing.make_survey_recipient(survey, enterprise)
        testing.make_response(survey, enterprise)
        testing.make_article(cast.district, published_on=date(2026, 4, i + 1),
                             persons=[testing.make_person(cast.district, name=f"加量{i}")])
    assert _queries(client) == before
