"""The 工作台 panel of 会员发展与服务 ("today" is 15 June 2026): this year's figures to today for the federation —
本年新入会, 发展目标完成率 (无数据: no 2026 target), 纳入服务企业, 本年对接成果 with 同比, 专项工作组 — and a chamber
secretary's own — 跟进中的发展对象, 本年新增发展对象, its members' 纳入服务企业 —, each linked to its records; nothing for
the other roles; the empty state of a new district; a query count that does not grow with the rows.

The dataset of test_figures.py: 1 Jan–15 Jun 2026 holds E6 (1 new member; a year earlier E3, P3 and chamber2: 3,
-66.7 %), O5 (1 outcome; a year earlier O1, O2: 2, -50.0 %); enrolled today ent1, E3, E4 (3; on 15 Jun 2025 ent1 and
ent2: 2, +50.0 %); groups today G1, G2, G4 (3). chamber1: R2 followed (1), no prospect registered in 2026 (a year
earlier R2: -100.0 %), enrolled today ent1 and E4 (2)."""

import re
from datetime import date, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.growth.tests.test_figures import SHANGHAI, build_dataset

HOME = "/"
TEMPLATE = "growth/_panel.html"


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


def panel(response):
    return next((p for p in response.context["panels"] if p.template == TEMPLATE), None)


def cards(found):
    return {card.key: card for card in found.context["cards"]}


@pytest.mark.parametrize("role", ["staff", "leader", "admin"])
def test_the_federation_sees_this_years_figures(cast, data, login, role):
    response = login(getattr(cast.users, role)).get(HOME)
    found = cards(panel(response))
    html = response.content.decode()
    assert "会员发展与服务（2026年，截至6月15日）" in html
    assert found["growth.new_members"].value == 1 and found["growth.new_members"].year_ago_change == "-66.7%"
    assert found["growth.target_completion"].value is None
    assert found["growth.enrolled"].value == 3 and found["growth.enrolled"].year_ago_change == "+50.0%"
    assert found["growth.outcomes"].value == 1 and found["growth.outcomes"].year_ago_change == "-50.0%"
    assert found["growth.groups"].value == 3
    assert kpi(html, "本年新入会") == "1" and kpi(html, "发展目标完成率") == "无数据"
    assert kpi(html, "纳入服务企业") == "3"


def test_a_chamber_secretary_sees_its_own_recruitment(cast, data, login):
    response = login(cast.users.chamber1).get(HOME)
    found = cards(panel(response))
    assert set(found) == {"growth.prospects_open", "growth.prospects_new", "growth.enrolled"}
    assert found["growth.prospects_open"].value == 1
    assert found["growth.prospects_new"].value == 0 and found["growth.prospects_new"].year_ago == 1
    assert found["growth.enrolled"].value == 2


def test_the_cards_open_the_records_they_count(cast, data, login):
    client = login(cast.users.staff)
    found = cards(panel(client.get(HOME)))
    assert client.get(found["growth.enrolled"].records_url).context["page_obj"].paginator.count == 3
    assert client.get(found["growth.groups"].records_url).context["page_obj"].paginator.count == 3
    assert client.get(found["growth.new_members"].records_url).context["page_obj"].paginator.count == 1


@pytest.mark.parametrize("role", ["dept1", "auditor"])
def test_other_roles_see_no_growth_panel(cast, data, login, role):
    response = login(getattr(cast.users, role)).get(HOME)
    assert panel(response) is None and 'id="home-growth"' not in response.content.decode()


def test_a_new_district_shows_the_empty_state(db, login, today):
    testing.ensure_reference_data()
    federation = testing.make_federation(name="新区工商联")
    leader = testing.make_user(Role.LEADER, username="new_leader", federation=federation)
    html = login(leader).get(HOME).content.decode()
    assert "本年暂无新入会会员、服务企业和对接成果" in html


def _queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["leader", "chamber1"])
def test_the_panels_queries_do_not_grow_with_the_rows(cast, data, login, role):
    client = login(getattr(cast.users, role))
    client.get(HOME)
    before = _queries(client)
    staff = cast.users.staff
    for i in range(4):
        enterprise = testing.make_enterprise(cast.district, name=f"天津加量{i}有限公司", chamber=cast.chamber1)
        testing.make_membership(cast.district, enterprise, joined=date(2026, 3, 1))
        testing.make_enrollment(enterprise, by=staff, enrolled_on=date(2026, 3, 1))
        testing.make_prospect(cast.district, owner=staff, chamber=cast.chamber1, enterprise=enterprise)
        testing.make_outcome(enterprise, by=staff, reached_on=date(2026, 3, 1))
        testing.make_working_group(cast.district, name=f"加量工作组{i}", established=date(2026, 3, 1))
    assert _queries(client) == before
