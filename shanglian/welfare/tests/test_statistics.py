"""光彩公益统计: the page per role (headline cards with 同比, the giving and pairing sections, their charts' data), a
chamber secretary's own figures only, the xlsx export (audited, one sheet per table), the drill-down to the records
(scoped, 404 for an unknown key or a malformed or foreign row), 无数据 for a rate over nothing, and a query count
that does not grow with the data. The dataset and its numbers: test_figures.py."""

import io
import json
import re
from datetime import date, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.audit.models import AuditEvent
from shanglian.welfare.tests.test_figures import SHANGHAI, build_dataset

PAGE = reverse("welfare:statistics")
YEAR = {"year": 2025}


def records(key):
    return reverse("welfare:figure_records", args=[key])


@pytest.fixture
def data(cast, today):
    return build_dataset(cast)


@pytest.fixture
def today():
    with time_machine.travel(datetime(2026, 6, 15, 10, tzinfo=SHANGHAI), tick=False):
        yield date(2026, 6, 15)


def kpi(response, dom_id):
    found = re.search(rf'id="{dom_id}">([^<]+)<', response.content.decode())
    return found.group(1) if found else None


def chart_data(response, source):
    found = re.search(rf'<script id="{source}" type="application/json">(.*?)</script>', response.content.decode(),
                      re.S)
    return json.loads(found.group(1))


def table_row(response, table_id, label):
    html = response.content.decode()
    table = re.search(rf'<table class="table" id="{table_id}">(.*?)</table>', html, re.S).group(1)
    row = re.search(rf'<tr data-row="{re.escape(label)}">(.*?)</tr>', table, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]


def test_staff_see_the_headline_with_year_on_year(cast, data, login):
    response = login(cast.users.staff).get(PAGE, YEAR)
    assert response.status_code == 200
    assert kpi(response, "headline-total") == "1.30"
    assert kpi(response, "headline-cash") == "1.17"
    assert kpi(response, "headline-goods") == "0.13"
    assert kpi(response, "headline-donors") == "4"
    assert kpi(response, "headline-donor-enterprises") == "2"
    assert kpi(response, "headline-donations") == "5"
    assert kpi(response, "headline-village-coverage") == "33.3%"
    assert kpi(response, "headline-pairings-in-force") == "3"
    assert "同比 +12900.0%" in response.content.decode()


def test_the_tables_hold_the_hand_counted_rows(cast, data, login):
    response = login(cast.users.staff).get(PAGE, YEAR)
    assert table_row(response, "table-giving-campaigns", "春芽基金")[:6] == ["春芽基金", "2", "2", "1.12", "0.00", "1.12"]
    assert table_row(response, "table-giving-campaigns", "合计")[:6] == ["合计", "5", "4", "1.17", "0.13", "1.30"]
    assert table_row(response, "table-giving-chambers", "友谊路街道商会")[:6] == [
        "友谊路街道商会", "3", "2", "0.17", "0.03", "0.20"]
    assert table_row(response, "table-giving-chambers", "工商联直接组织")[5] == "0.10"
    assert table_row(response, "table-giving-industries", "C 制造业")[:6] == ["C 制造业", "1", "1", "0.00", "0.10",
                                                                           "0.10"]
    assert table_row(response, "table-giving-years", "2024年")[5] == "0.01"
    assert table_row(response, "table-pairing-kinds", "合计")[:3] == ["合计", "3", "2"]
    assert table_row(response, "table-unpaired-villages", "王家村")[:3] == ["1", "王家村", "河西区"]
    giving = chart_data(response, "welfare-giving")
    assert {"name": "春芽基金", "value": 1.12} in giving["giftCampaigns"]
    assert giving["giftYears"][-1] == "2025年" and giving["giftYearCount"][-1] == 5
    assert {"name": "助学帮扶", "value": 1} in chart_data(response, "welfare-pairings")["pairingKinds"]


def test_a_chamber_secretary_sees_only_its_chambers_figures(cast, data, login):
    response = login(cast.users.chamber1).get(PAGE, YEAR)
    assert response.status_code == 200
    assert kpi(response, "headline-total") == "0.20"
    assert kpi(response, "headline-donors") == "2"
    assert kpi(response, "headline-pairings-in-force") == "2"
    assert kpi(response, "headline-village-coverage") == "33.3%"  # the federation's target villages
    html = response.content.decode()
    assert "河西区浙江商会" not in html and "天津之江贸易有限公司" not in html


@pytest.mark.parametrize("role", ["dept1", "ent1", "auditor"])
def test_roles_without_welfare_are_refused(cast, data, login, role):
    client = login(getattr(cast.users, role))
    assert client.get(PAGE).status_code == 403
    assert client.get(records("welfare.total"), YEAR).status_code == 403


def test_the_export_has_a_sheet_per_table_and_is_audited(cast, data, login):
    response = login(cast.users.staff).get(PAGE, {**YEAR, "export": "xlsx"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    assert book.sheetnames[0] == "总体"
    assert {"捐款捐物（按公益项目）", "捐款捐物（按年度）", "未结对的帮扶目标村", "在期结对（按帮扶类型）"} <= set(book.sheetnames)
    overall = {row[0]: row[1] for row in book["总体"].iter_rows(min_row=2, values_only=True)}
    assert overall["捐款捐物合计（万元）"] == 1.3 and overall["帮扶村结对覆盖率（%）"] == 33.3
    campaigns = list(book["捐款捐物（按公益项目）"].iter_rows(values_only=True))
    assert campaigns[-1][:2] == ("合计", 5)
    event = AuditEvent.objects.filter(action="export", object_type="welfare.statistics").latest("id")
    assert event.detail["start"] == "2025-01-01"


def test_the_drill_down_lists_the_records_in_scope(cast, data, login):
    client = login(cast.users.staff)
    response = client.get(records("welfare.cash"), YEAR)
    assert response.status_code == 200 and response.context["page_obj"].paginator.count == 4
    spring = client.get(records("welfare.total"), {**YEAR, "campaign": data.spring.pk})
    assert spring.context["page_obj"].paginator.count == 2
    none = client.get(records("welfare.total"), {**YEAR, "campaign": "none"})
    assert none.context["page_obj"].paginator.count == 1
    industry = client.get(records("welfare.donations"), {**YEAR, "section": "C"})
    assert industry.context["page_obj"].paginator.count == 1
    kinds = client.get(records("welfare.pairings_in_force"), {**YEAR, "kind": "education"})
    assert kinds.context["page_obj"].paginator.count == 1
    enterprises = client.get(records("welfare.donor_enterprises"), YEAR)
    assert "天津友谊科技有限公司" in enterprises.content.decode()
    villages = client.get(records("welfare.unpaired_villages"), YEAR)
    assert villages.context["page_obj"].paginator.count == 2
    secretary = login(cast.users.chamber1).get(records("welfare.total"), YEAR)
    assert secretary.context["page_obj"].paginator.count == 3


@pytest.mark.parametrize(("key", "params"), [
    ("welfare.nothing", {}), ("members.in_force", {}), ("welfare.total", {"campaign": "x1"}),
    ("welfare.total", {"chamber": "99999999999999999999"}), ("welfare.total", {"section": "Z"}),
    ("welfare.total", {"donor_kind": "robot"}), ("welfare.pairings_in_force", {"kind": "magic"}),
], ids=["unknown", "other-app", "bad-id", "overflow-id", "bad-section", "bad-kind", "bad-pairing-kind"])
def test_a_bad_drill_down_is_a_404(cast, data, login, key, params):
    assert login(cast.users.staff).get(records(key), {**YEAR, **params}).status_code == 404


def test_another_scopes_row_is_a_404(cast, data, login):
    client = login(cast.users.chamber1)
    assert client.get(records("welfare.total"), {**YEAR, "chamber": cast.chamber2.pk}).status_code == 404
    assert client.get(records("welfare.total"), {**YEAR, "campaign": data.chamber_campaign.pk}).status_code == 200
    outsider = login(cast.users.outsider_staff)
    assert outsider.get(records("welfare.total"), {**YEAR, "campaign": data.spring.pk}).status_code == 404


def test_a_new_district_reads_no_data(db, login, today):
    testing.ensure_reference_data()
    federation = testing.make_federation(name="新区工商联")
    leader = testing.make_user(Role.LEADER, username="new_leader", federation=federation)
    response = login(leader).get(PAGE, YEAR)
    assert response.status_code == 200
    assert kpi(response, "headline-village-coverage") == "无数据"
    assert kpi(response, "headline-total") == "0.00"
    assert "统计期间没有捐赠" in response.content.decode()


def _queries(client, params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PAGE, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["staff", "chamber1"])
def test_the_pages_queries_do_not_grow_with_the_rows(cast, data, login, role):
    client = login(getattr(cast.users, role))
    client.get(PAGE, YEAR)
    before = _queries(client, YEAR)
    campaign = testing.make_campaign(cast.district, name="新增项目")
    for i in range(6):
        enterprise = testing.make_enterprise(cast.district, name=f"天津加量{i}有限公司", chamber=cast.chamber1)
        testing.make_donation(enterprise, cash="10.00", campaign=campaign, chamber=cast.chamber1,
                              donated_on=date(2025, 7, 1))
        village = testing.make_village(cast.district, name=f"加量村{i}")
        testing.make_pairing(enterprise, village, start=date(2025, 1, 1))
    assert _queries(client, YEAR) == before
