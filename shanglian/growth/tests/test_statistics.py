"""会员发展统计: the page per role (headline cards with 同比, the four parts' tables and charts' data), a chamber
secretary's own figures only (no targets, no contact requests), the xlsx export (audited, one sheet per table), the
drill-down to the records (scoped, 404 for an unknown key or a malformed row, 403 for what the role does not read),
无数据 for a rate over nothing, and a query count that does not grow with the data. The dataset and its numbers:
test_figures.py."""

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
from shanglian.common.models import DictItem
from shanglian.growth.tests.test_figures import SHANGHAI, build_dataset

PAGE = reverse("growth:statistics")
YEAR = {"year": 2025}


def records(key):
    return reverse("growth:figure_records", args=[key])


@pytest.fixture
def today():
    with time_machine.travel(datetime(2026, 6, 15, 10, tzinfo=SHANGHAI), tick=False):
        yield date(2026, 6, 15)


@pytest.fixture
def data(cast, today):
    return build_dataset(cast)


def kpi(response, dom_id):
    found = re.search(rf'id="{dom_id}">([^<]+)<', response.content.decode())
    return found.group(1) if found else None


def chart_data(response, source):
    found = re.search(rf'<script id="{source}" type="application/json">(.*?)</script>', response.content.decode(),
                      re.S)
    return json.loads(found.group(1))


def table_row(response, table_id, label, width):
    html = response.content.decode()
    table = re.search(rf'<table class="table" id="{table_id}">(.*?)</table>', html, re.S).group(1)
    row = re.search(rf'<tr data-row="{re.escape(label)}">(.*?)</tr>', table, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)][:width]


def test_staff_see_the_headline_with_year_on_year(cast, data, login):
    response = login(cast.users.staff).get(PAGE, YEAR)
    assert response.status_code == 200
    assert kpi(response, "headline-new-members") == "5"
    assert kpi(response, "headline-target-completion") == "80.0%"
    assert kpi(response, "headline-target-gap") == "1"
    assert kpi(response, "headline-prospects-new") == "5"
    assert kpi(response, "headline-applications-approved") == "1"
    assert kpi(response, "headline-enrolled") == "2"
    assert kpi(response, "headline-outcomes") == "4"
    assert kpi(response, "headline-deal-amount") == "123.46"
    assert kpi(response, "headline-financing-amount") == "500.00"
    assert kpi(response, "headline-matchmaking-events") == "4"
    assert kpi(response, "headline-groups") == "2"
    html = response.content.decode()
    assert "同比 +400.0%" in html  # 5 new members against E7 alone in 2024
    assert "同比 +300.0%" in html  # 4 matchmaking events against F7 alone


def test_the_tables_hold_the_hand_counted_rows(cast, data, login):
    response = login(cast.users.staff).get(PAGE, YEAR)
    assert table_row(response, "table-growth-targets", "企业会员", 6) == ["企业会员", "4", "3", "75.0%", "1", "2"]
    assert table_row(response, "table-growth-targets", "私营企业", 6) == ["私营企业", "5", "2", "40.0%", "3", "1"]
    assert table_row(response, "table-growth-targets", "个人会员", 6) == ["个人会员", "无数据", "1", "无数据", "无数据", "0"]
    assert table_row(response, "table-growth-targets", "三类会员合计", 6) == ["三类会员合计", "5", "5", "80.0%", "1", "3"]
    assert table_row(response, "table-growth-new-members", "合计", 2) == ["合计", "5"]
    assert table_row(response, "table-growth-new-members", "外地企业", 2) == ["外地企业", "1"]
    assert table_row(response, "table-growth-prospect-stages", "放弃", 2) == ["放弃", "1"]
    assert table_row(response, "table-growth-prospect-sources", "企业库", 2) == ["企业库", "2"]
    assert table_row(response, "table-growth-enrollments", "双万双服", 3) == ["双万双服", "2", "2"]
    assert table_row(response, "table-growth-enrollments", "重点企业服务", 3) == ["重点企业服务", "0", "1"]
    assert table_row(response, "table-growth-enrollments", "合计（去重）", 3) == ["合计（去重）", "2", "3"]
    assert table_row(response, "table-growth-posts", "采购需求", 4) == ["采购需求", "1", "2", "1"]
    assert table_row(response, "table-growth-posts", "合计", 4) == ["合计", "3", "3", "1"]
    assert table_row(response, "table-growth-outcomes", "达成合作", 4) == ["达成合作", "2", "123.46", "0"]
    assert table_row(response, "table-growth-outcomes", "招聘用工", 4) == ["招聘用工", "1", "0.00", "12"]
    assert table_row(response, "table-growth-outcomes", "合计", 4) == ["合计", "4", "623.46", "12"]
    assert table_row(response, "table-growth-events", "融资推介会", 2) == ["融资推介会", "2"]
    assert table_row(response, "table-growth-events", "合计", 2) == ["合计", "4"]
    assert table_row(response, "table-growth-groups", "融资服务组", 6) == ["融资服务组", "2", "2", "0", "1", "1"]
    assert table_row(response, "table-growth-groups", "人才服务组", 6) == ["人才服务组", "0", "1", "1", "0", "2"]
    assert table_row(response, "table-growth-groups", "合计", 6) == ["合计", "2", "3", "1", "1", "2"]
    assert "临时工作组" not in re.search(r'id="table-growth-groups">(.*?)</table>', response.content.decode(),
                                      re.S).group(1)
    assert {"name": "线索", "value": 1} in chart_data(response, "growth-recruitment")["prospectStages"]
    assert {"name": "融资推介会", "value": 2} in chart_data(response, "growth-board")["eventKinds"]
    assert {"name": "双万双服", "value": 2} in chart_data(response, "growth-service")["enrolledProgrammes"]


def test_a_chamber_secretary_sees_only_its_own_figures(cast, data, login):
    response = login(cast.users.chamber1).get(PAGE, YEAR)
    assert response.status_code == 200
    assert kpi(response, "headline-new-members") == "1"
    assert kpi(response, "headline-target-completion") is None  # the targets are the federation's
    assert kpi(response, "headline-enrolled") == "1"
    assert kpi(response, "headline-outcomes") == "2"
    assert kpi(response, "headline-matchmaking-events") == "1"
    assert 'id="table-growth-targets"' not in response.content.decode()
    assert table_row(response, "table-growth-posts", "采购需求", 3) == ["采购需求", "1", "查看"]  # no requests
    assert "南开" not in response.content.decode()


@pytest.mark.parametrize("role", ["dept1", "ent1", "auditor"])
def test_roles_without_the_registry_are_refused(cast, data, login, role):
    client = login(getattr(cast.users, role))
    assert client.get(PAGE).status_code == 403
    assert client.get(records("growth.enrolled"), YEAR).status_code == 403


def test_the_export_has_a_sheet_per_table_and_is_audited(cast, data, login):
    response = login(cast.users.staff).get(PAGE, {**YEAR, "export": "xlsx"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    assert book.sheetnames[0] == "总体"
    assert {"发展会员目标完成情况", "服务企业（按服务项目）", "对接成果（按类型）", "专项工作组"} <= set(book.sheetnames)
    overall = {row[0]: row[1] for row in book["总体"].iter_rows(min_row=2, values_only=True)}
    assert overall["纳入服务企业（家）"] == 2 and overall["合作金额（万元）"] == 123.46
    outcomes = list(book["对接成果（按类型）"].iter_rows(values_only=True))
    assert outcomes[-1][:2] == ("合计", 4)
    event = AuditEvent.objects.filter(action="export", object_type="growth.statistics").latest("id")
    assert event.detail["start"] == "2025-01-01"


def test_the_drill_down_lists_the_records_in_scope(cast, data, login):
    client = login(cast.users.staff)

    def count(key, **params):
        response = client.get(records(key), {**YEAR, **params})
        assert response.status_code == 200
        return response.context["page_obj"].paginator.count

    shuangwan = DictItem.objects.get(kind="service_programme", code="shuangwan")
    financing = DictItem.objects.get(kind="event_kind", code="financing")
    assert count("growth.new_members", category="private") == 2
    assert count("growth.enrolled", programme=shuangwan.pk) == 2
    assert count("growth.matchmaking_events", event_kind=financing.pk) == 2
    assert count("growth.prospects_new", stage="lead") == 1
    assert count("growth.outcomes", kind="deal") == 2
    assert count("growth.target") == 2
    assert count("growth.appeals_resolved") == 2
    assert "天津河西新材料有限公司" in client.get(records("growth.enrolled"), YEAR).content.decode()
    secretary = login(cast.users.chamber1)
    assert secretary.get(records("growth.outcomes"), YEAR).context["page_obj"].paginator.count == 2


def test_what_a_chamber_secretary_does_not_read_is_refused_in_the_drill_down(cast, data, login):
    client = login(cast.users.chamber1)
    assert client.get(records("growth.contact_requests"), YEAR).status_code == 403
    assert client.get(records("growth.target"), YEAR).status_code == 403


@pytest.mark.parametrize(("key", "params"), [
    ("growth.nothing", {}), ("members.in_force", {}), ("growth.enrolled", {"programme": "x1"}),
    ("growth.enrolled", {"programme": "99999999999999999999"}), ("growth.new_members", {"category": "robot"}),
    ("growth.prospects_new", {"source": "magic"}), ("growth.posts", {"category": "nothing"}),
    ("growth.matchmaking_events", {"event_kind": "abc"}),
], ids=["unknown", "other-app", "bad-id", "overflow-id", "bad-category", "bad-source", "bad-post-category",
        "bad-event-kind"])
def test_a_bad_drill_down_is_a_404(cast, data, login, key, params):
    assert login(cast.users.staff).get(records(key), {**YEAR, **params}).status_code == 404


def test_an_event_kind_that_is_not_matchmaking_is_a_404(cast, data, login):
    training = DictItem.objects.get(kind="event_kind", code="training")
    response = login(cast.users.staff).get(records("growth.matchmaking_events"), {**YEAR, "event_kind": training.pk})
    assert response.status_code == 404


def test_a_new_district_reads_no_data(db, login, today):
    testing.ensure_reference_data()
    federation = testing.make_federation(name="新区工商联")
    leader = testing.make_user(Role.LEADER, username="new_leader", federation=federation)
    response = login(leader).get(PAGE, YEAR)
    assert response.status_code == 200
    assert kpi(response, "headline-target-completion") == "无数据"
    assert kpi(response, "headline-deal-amount") == "0.00"
    assert kpi(response, "headline-groups") == "0"
    html = response.content.decode()
    assert "统计期间没有新增发展对象" in html and "没有在册的专项工作组" in html


def _queries(client, params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PAGE, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["staff", "chamber1"])
def test_the_pages_queries_do_not_grow_with_the_rows(cast, data, login, role):
    client = login(getattr(cast.users, role))
    client.get(PAGE, YEAR)
    before = _queries(client, YEAR)
    staff = cast.users.staff
    for i in range(4):
        enterprise = testing.make_enterprise(cast.district, name=f"天津加量{i}有限公司", chamber=cast.chamber1)
        testing.make_membership(cast.district, enterprise, joined=date(2025, 8, 1))
        testing.make_enrollment(enterprise, by=staff, enrolled_on=date(2025, 8, 1))
        testing.make_listing(enterprise)
        testing.make_prospect(cast.district, owner=staff, chamber=cast.chamber1, enterprise=enterprise)
        post = testing.make_post(enterprise, by=staff, category="technology")
        testing.make_contact_request(post, cast.ent2, by=staff)
        testing.make_outcome(enterprise, by=staff, kind="financing", amount="100.00", reached_on=date(2025, 8, 1))
        testing.make_event(cast.district, kind="matchmaking", starts_at=data.events.f4.starts_at, status="finished",
                           chamber=cast.chamber1)
        group = testing.make_working_group(cast.district, name=f"加量工作组{i}", established=date(2025, 8, 1))
        testing.make_group_project(group, status="active")
    assert _queries(client, YEAR) == before
