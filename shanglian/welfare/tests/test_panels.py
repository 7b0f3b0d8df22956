"""The 工作台 panel of 光彩公益: this year's figures to today for the federation ("today" is 15 June 2026) — 本年捐款捐物
in 万元 and 本年捐赠方 with 同比, the target villages' 结对覆盖率 today — each linked to its records; nothing for the
other roles; the empty state of a new district; and a query count that does not grow with the rows.

The dataset of test_figures.py: 1 Jan–15 Jun 2026 holds D8 (ent2, 66.66 元 → 0.01 万元, 1 donor); 1 Jan–15 Jun
2025 holds D1, D2, D3 (1234.56 + 0.01 + 999.99 = 2234.56 元 → 0.22 万元; donors ent1, ent2 = 2): 同比 -95.5 % and
-50.0 %. Coverage today: 李家村 and 张家村 of 3 target villages, 66.7 %."""

import re
from datetime import date, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.welfare.tests.test_figures import SHANGHAI, build_dataset

HOME = "/"
TEMPLATE = "welfare/_panel.html"


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
    assert "光彩公益（2026年，截至6月15日）" in html
    assert str(found["welfare.total"].value) == "0.01" and found["welfare.total"].year_ago_change == "-95.5%"
    assert found["welfare.donors"].value == 1 and found["welfare.donors"].year_ago_change == "-50.0%"
    assert str(found["welfare.village_coverage"].value) == "66.7"
    assert kpi(html, "本年捐款捐物") == "0.01" and kpi(html, "帮扶村结对覆盖率") == "66.7%"


def test_the_cards_open_the_records_they_count(cast, data, login):
    client = login(cast.users.staff)
    found = cards(panel(client.get(HOME)))
    assert client.get(found["welfare.total"].records_url).context["page_obj"].paginator.count == 1
    assert client.get(found["welfare.village_coverage"].records_url).context["page_obj"].paginator.count == 3


@pytest.mark.parametrize("role", ["chamber1", "dept1", "auditor"])
def test_other_roles_see_no_welfare_panel(cast, data, login, role):
    response = login(getattr(cast.users, role)).get(HOME)
    assert panel(response) is None and 'id="home-welfare"' not in response.content.decode()


def test_a_new_district_shows_the_empty_state(db, login, today):
    testing.ensure_reference_data()
    federation = testing.make_federation(name="新区工商联")
    leader = testing.make_user(Role.LEADER, username="new_leader", federation=federation)
    html = login(leader).get(HOME).content.decode()
    assert "本年暂无捐款捐物，也没有帮扶目标村" in html


def _queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME).status_code == 200
    return len(queries)


def test_the_panels_queries_do_not_grow_with_the_rows(cast, data, login):
    client = login(cast.users.leader)
    client.get(HOME)
    before = _queries(client)
    for i in range(6):
        enterprise = testing.make_enterprise(cast.district, name=f"天津加量{i}有限公司")
        testing.make_donation(enterprise, cash="10.00", donated_on=date(2026, 3, 1))
        testing.make_pairing(enterprise, testing.make_village(cast.district, name=f"加量村{i}"), start=date(2026, 1, 1))
    assert _queries(client) == before
