"""光彩公益 on the enterprise 360° page (welfare/sections.py): the enterprise's pairings and donations with their
totals in 元 to the fen, as the reader's scope holds them; 新增结对 for the keepers; nothing for a leader when there
is nothing, nor for the roles that do not read 光彩公益. The dataset: test_figures.py — ent1 gave D1 1234.56, D2 0.01
and D6 88.88 (all organised by chamber1) and is paired with 李家村 (P1); ent2 gave D3 goods 999.99 and D8 66.66
(organised by nobody) and is paired with 赵家村 (P3) and 张家村 (P6)."""

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from shanglian import testing
from shanglian.welfare.tests.test_figures import SHANGHAI, build_dataset

TEMPLATE = "welfare/_enterprise_section.html"


@pytest.fixture
def today():
    with time_machine.travel(datetime(2026, 6, 15, 10, tzinfo=SHANGHAI), tick=False):
        yield date(2026, 6, 15)


@pytest.fixture
def data(cast, today):
    return build_dataset(cast)


def section(client, enterprise):
    response = client.get(reverse("members:enterprise_detail", args=[enterprise.pk]))
    assert response.status_code == 200
    found = next((s for s in response.context["sections"] if s.template == TEMPLATE), None)
    return found, response.content.decode()


def test_staff_see_an_enterprises_pairings_and_donations_to_the_fen(cast, data, login):
    found, html = section(login(cast.users.staff), cast.ent1)
    assert [p.pk for p in found.context["pairings"]] == [data.p1.pk]
    assert found.context["totals"].donations == 3
    assert (found.context["cash"], found.context["goods"], found.context["total"]) == ("1,323.45", "0.00", "1,323.45")
    assert [d.pk for d in found.context["donations"]] == [data.d2.pk, data.d1.pk, data.d6.pk]  # latest first
    assert 'id="welfare"' in html and "data-total>1,323.45 元" in html
    assert f"{reverse('welfare:pairing_create')}?enterprise={cast.ent1.pk}" in html


def test_cash_and_goods_are_added_separately_and_together(cast, data, login):
    found, html = section(login(cast.users.staff), cast.ent2)
    assert (found.context["cash"], found.context["goods"], found.context["total"]) == ("66.66", "999.99", "1,066.65")
    assert {p.pk for p in found.context["pairings"]} == {data.p3.pk, data.p6.pk}


def test_a_chamber_secretary_sees_its_chambers_donations_only(cast, data, login):
    found, _html = section(login(cast.users.chamber1), cast.ent1)
    assert found.context["totals"].donations == 3 and found.context["create_url"]
    found, html = section(login(cast.users.chamber2), cast.ent2)
    assert found.context["totals"].donations == 0  # D3 and D8 were not organised by chamber2
    assert {p.pk for p in found.context["pairings"]} == {data.p3.pk, data.p6.pk}
    assert "暂无捐赠记录" in html


def test_a_leader_sees_it_without_the_keepers_button_and_not_when_empty(cast, data, login):
    client = login(cast.users.leader)
    found, _html = section(client, cast.ent1)
    assert found is not None and found.context["create_url"] == ""
    quiet = testing.make_enterprise(cast.district, name="天津安静有限公司")
    assert section(client, quiet)[0] is None
    assert section(login(cast.users.staff), quiet)[0] is not None  # an editor may add its first pairing


def test_the_enterprise_itself_sees_no_welfare_section(cast, data, login):
    found, html = section(login(cast.users.ent1), cast.ent1)
    assert found is None and 'id="welfare"' not in html
