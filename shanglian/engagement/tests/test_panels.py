"""The 工作台 panels of 政治引领: the federation's figures for this year to date (the dataset of
test_statistics.py, worked out there; "today" is 15 June 2026), a leader's own liaison enterprises overdue for a
visit, a chamber secretary's party organisations and coverage, nothing for the other roles, the empty states of
a new district, and a query count that does not grow with the rows.

On 15 June 2026: 执委 4 (the term runs to 15 Dec 2026), 2 of them arranged (a year earlier also 2); 本年议案提案 1
(P7; 1 Jan–15 Jun 2025 counts the year 2025: 4 → 同比 -75.0 %), none decided this year (采纳率 无数据); 组织覆盖率
50.0 %, 工作覆盖率 66.7 %. The leader's liaisons: E4 never visited and ent1 last on 10 Mar 2025 (462 days) are
overdue; E5, visited on 1 Jun 2026, is not.
"""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.engagement.tests.test_statistics import _grow, build_dataset

HOME = "/"
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def today():
    with time_machine.travel(datetime(2026, 6, 15, 10, tzinfo=SHANGHAI), tick=False):
        yield date(2026, 6, 15)


@pytest.fixture
def data(cast, today):
    return build_dataset(cast)


def kpi(html, label):
    found = re.search(rf'data-kpi="{label}"[^>]*>([^<]+)<', html)
    return found.group(1) if found else None


def _panel(response, template):
    return next((p for p in response.context["panels"] if p.template == template), None)


def _federation(response):
    return _panel(response, "engagement/_panel.html")


def _cards(panel):
    return {card.key: card for card in panel.context["cards"]}


def test_staff_see_this_years_figures_with_year_on_year(cast, data, login):
    response = login(cast.users.staff).get(HOME)
    panel = _federation(response)
    assert panel is not None and "overdue" not in panel.context
    html = response.content.decode()
    assert "政治引领（2026年，截至6月15日）" in html
    assert (panel.context["arranged"].value, panel.context["executives"].value) == (2, 4)
    assert 'id="home-executives-arranged">2<small class="muted"> / 4</small>' in html
    cards = _cards(panel)
    assert cards["engagement.proposals"].value == 1 and cards["engagement.proposals"].year_ago_change == "-75.0%"
    assert kpi(html, "本年议案提案") == "1" and "同比 -75.0%" in html
    assert kpi(html, "采纳率") == "无数据"  # nothing decided this year: never 0 %
    assert kpi(html, "组织覆盖率") == "50.0%" and kpi(html, "工作覆盖率") == "66.7%"
    assert reverse("engagement:statistics") in html


def test_the_cards_open_the_records_they_count(cast, data, login):
    client = login(cast.users.staff)
    panel = _federation(client.get(HOME))
    listed = client.get(panel.context["arranged"].records_url)
    assert listed.status_code == 200 and listed.context["page_obj"].paginator.count == 2
    proposals = client.get(_cards(panel)["engagement.proposals"].records_url)
    assert proposals.context["page_obj"].paginator.count == 1
    coverage = client.get(_cards(panel)["engagement.organisation_coverage"].records_url)
    assert coverage.context["page_obj"].paginator.count == 2  # the enterprises with ≥ 3 party members


def test_a_leader_sees_their_liaison_enterprises_overdue_for_a_visit(cast, data, login):
    client = login(cast.users.leader)
    response = client.get(HOME)
    overdue = _federation(response).context["overdue"]
    assert overdue["total"] == 2 and overdue["mine"] == 3
    assert [(row.enterprise.name, row.last_visit, row.days) for row in overdue["rows"]] == [
        ("天津四号科技有限公司", None, None), ("天津友谊科技有限公司", date(2025, 3, 10), 462)]
    html = response.content.decode()
    assert "超过 90 天未走访的包联企业" in html and "未走访" in html and "共 2 家" in html
    assert "天津五号贸易有限公司" not in html  # visited on 1 June
    listed = client.get(overdue["url"])  # 我的包联企业, overdue only: exactly those
    assert listed.status_code == 200 and listed.context["page_obj"].paginator.count == 2


def test_a_leader_who_kept_up_sees_it_said(cast, data, login, today):
    from shanglian.engagement.models import Liaison

    testing.make_visit(data.e4, liaison=Liaison.objects.get(enterprise=data.e4), visited_on=date(2026, 6, 10))
    testing.make_visit(cast.ent1, liaison=Liaison.objects.get(enterprise=cast.ent1), visited_on=date(2026, 6, 12))
    html = login(cast.users.leader).get(HOME).content.decode()
    assert "您包联的 3 家企业近 90 天内都已走访" in html


def test_a_chamber_secretary_sees_its_party_organisations_and_coverage(cast, data, login):
    response = login(cast.users.chamber1).get(HOME)
    assert _federation(response) is None
    panel = _panel(response, "engagement/_panel_chamber.html")
    assert [o.name for o in panel.context["organisations"]] == ["天津友谊科技有限公司党支部"]
    html = response.content.decode()
    assert "本商会党建（友谊路街道商会）" in html
    assert kpi(html, "党组织") == "1" and kpi(html, "组织覆盖率") == "100.0%"
    assert kpi(html, "工作覆盖率") == "100.0%"
    assert "友谊路街道非公企业联合党委" not in html  # the street's, not the chamber's


def test_another_chamber_sees_only_its_own(cast, data, login):
    html = login(cast.users.chamber2).get(HOME).content.decode()
    assert "本商会党建（河西区浙江商会）" in html and kpi(html, "党组织") == "0"
    assert kpi(html, "组织覆盖率") == "0.0%"  # ent2: 4 members, no organisation
    assert "本商会及会员企业暂无在册的党组织" in html and "天津友谊科技有限公司党支部" not in html


@pytest.mark.parametrize("who", ["dept1", "ent1", "auditor"])
def test_other_roles_see_no_engagement_panel(cast, data, login, who):
    response = login(getattr(cast.users, who)).get(HOME)
    if response.status_code == 200:  # the enterprise's 工作台 is its phone home (a redirect)
        assert not [p for p in response.context["panels"] if p.template.startswith("engagement/")]
        assert "home-engagement" not in response.content.decode()


def test_a_new_district_shows_empty_states(db, login, today):
    testing.ensure_reference_data()
    federation = testing.make_federation(name="新区工商联")
    chamber = testing.make_chamber(federation, name="新区商会")
    leader = testing.make_user(Role.LEADER, username="new_leader", federation=federation)
    secretary = testing.make_user(Role.CHAMBER, username="new_chamber", chamber=chamber)
    html = login(leader).get(HOME).content.decode()
    assert "暂无政治引领数据" in html and "您暂无包联企业" in html
    html = login(secretary).get(HOME).content.decode()
    assert "本商会及会员企业暂无在册的党组织，也没有企业党员情况" in html


def _queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["staff", "leader", "chamber1"])
def test_the_home_pages_queries_do_not_grow_with_the_rows(cast, data, login, role):
    client = login(getattr(cast.users, role))
    client.get(HOME)  # warm the caches (role, federations in scope)
    before = _queries(client)
    _grow(cast, 4, 1)
    for k in range(1, 5):  # more of the leader's enterprises, overdue
        firm = testing.make_enterprise(cast.district, name=f"天津包联{k}有限公司", chamber=cast.chamber1)
        testing.make_liaison(firm, user=cast.users.leader, start=date(2024, 1, 1))
    assert _queries(client) == before
