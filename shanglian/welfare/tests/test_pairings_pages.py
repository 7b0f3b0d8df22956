"""The pairing pages (结对帮扶) and 帮扶村覆盖: who may open which, what each shows in the reader's scope, the search
filters, the audited export, bad input answered in Chinese (400) with nothing written, another scope's pairing 404.
The dataset: test_figures.py ("today" 15 June 2026: P1 ent1↔李家村, P3 ent2↔赵家村 (not a target), P6 ent2↔张家村 in
force; P2 chamber2↔王家村 and P4 chamber1↔李家村 ended)."""

import io
import re
from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.audit.models import AuditEvent
from shanglian.welfare.models import Pairing
from shanglian.welfare.tests.test_figures import SHANGHAI, build_dataset

LIST = reverse("welfare:pairings")
COVERAGE = reverse("welfare:village_coverage")
READERS = ["admin", "staff", "leader", "chamber1", "chamber2", "outsider_staff"]
REFUSED = ["dept1", "ent1", "auditor"]


@pytest.fixture
def today():
    with time_machine.travel(datetime(2026, 6, 15, 10, tzinfo=SHANGHAI), tick=False):
        yield date(2026, 6, 15)


@pytest.fixture
def data(cast, today):
    return build_dataset(cast)


def listed(response):
    return {row["cells"][0]["url"] for row in response.context["rows"]}


def url(name, pairing):
    return reverse(f"welfare:{name}", args=[pairing.pk])


def shown_count(response):
    return response.context["page_obj"].paginator.count


# --- the list ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", REFUSED)
def test_department_enterprise_and_auditor_are_refused_every_pairing_page(cast, data, login, role):
    client = login(getattr(cast.users, role))
    for name in ("welfare:pairings", "welfare:pairings_export", "welfare:pairing_create", "welfare:village_coverage"):
        assert client.get(reverse(name)).status_code == 403, name
    for name in ("pairing", "pairing_edit", "pairing_delete"):
        assert client.get(url(name, data.p1)).status_code == 403, name


def test_staff_list_every_pairing_of_the_district(cast, data, login):
    response = login(cast.users.staff).get(LIST)
    assert response.status_code == 200 and shown_count(response) == 5  # P1–P4, P6; not the other district's P5
    assert "新增结对" in response.content.decode()


def test_a_chamber_secretary_lists_its_chambers_and_its_members_pairings(cast, data, login):
    response = login(cast.users.chamber1).get(LIST)
    assert listed(response) == {url("pairing", data.p1), url("pairing", data.p4)}
    response = login(cast.users.chamber2).get(LIST)
    assert listed(response) == {url("pairing", data.p2), url("pairing", data.p3), url("pairing", data.p6)}


def test_a_leader_reads_but_is_not_offered_to_write(cast, data, login):
    response = login(cast.users.leader).get(LIST)
    assert shown_count(response) == 5
    assert "新增结对" not in response.content.decode() and "编辑" not in response.content.decode()


@pytest.mark.parametrize(("params", "expected"), [
    ({"q": "友谊"}, {"p1", "p4"}),  # the partner's name (天津友谊科技, 友谊路街道商会)
    ({"q": "张家"}, {"p6"}),  # the village's name
    ({"kind": "education"}, {"p4"}),
    ({"partner": "chamber"}, {"p2", "p4"}),
    ({"status": "in_force"}, {"p1", "p3", "p6"}),
    ({"status": "ended"}, {"p2", "p4"}),
    ({"status": "in_force", "on": "2025-12-31"}, {"p1", "p3", "p4"}),
    ({"status": "upcoming", "on": "2025-12-31"}, {"p6"}),
    ({"county": "静海"}, {"p3", "p6"}),
    ({"target": "no"}, {"p3"}),
], ids=["partner-name", "village-name", "kind", "partner-kind", "in-force", "ended", "in-force-on", "upcoming-on",
        "county", "not-target"])
def test_the_search_filters(cast, data, login, params, expected):
    response = login(cast.users.staff).get(LIST, params)
    assert listed(response) == {url("pairing", getattr(data, name)) for name in expected}


def test_the_chamber_filter_takes_the_chamber_and_its_members(cast, data, login):
    response = login(cast.users.staff).get(LIST, {"chamber": cast.chamber2.pk})
    assert listed(response) == {url("pairing", data.p2), url("pairing", data.p3), url("pairing", data.p6)}


def test_a_bad_search_shows_every_pairing_in_scope(cast, data, login):
    response = login(cast.users.chamber1).get(LIST, {"on": "2026-13-45", "chamber": "abc"})
    assert response.status_code == 200 and shown_count(response) == 2


def test_the_export_is_scoped_to_the_search_and_audited(cast, data, login):
    response = login(cast.users.chamber1).get(reverse("welfare:pairings_export"), {"kind": "industry"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:5] == ("结对村", "所在县（区）", "帮扶目标村", "帮扶方类型", "帮扶方")
    assert [row[4] for row in rows[1:]] == ["天津友谊科技有限公司"]
    assert rows[1][9] == 50000 and rows[1][10] == 12345.67
    event = AuditEvent.objects.filter(action="export", object_type="welfare.pairing").get()
    assert event.username == "chamber1" and event.detail["rows"] == 1


# --- one pairing ------------------------------------------------------------------------------------------------------
def test_the_detail_shows_commitment_against_delivery(cast, data, login):
    response = login(cast.users.staff).get(url("pairing", data.p1))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="committed-amount">50,000.00<' in html and 'id="delivered-amount">12,345.67<' in html
    assert 'id="delivered-share">24.7%<' in html  # 12345.67 ÷ 50000
    assert "建设蔬菜大棚" in html and "已建成大棚2座" in html
    assert url("pairing", data.p4) in html  # the village's other pairing
    assert "变更记录" in html


def test_the_village_s_other_pairings_outside_the_scope_are_only_counted(cast, data, login):
    extra = testing.make_pairing(cast.ent2, data.v1, kind="consumption", start=date(2025, 1, 1))
    response = login(cast.users.chamber1).get(url("pairing", data.p1))
    html = response.content.decode()
    assert url("pairing", data.p4) in html and url("pairing", extra) not in html
    assert "天津之江贸易有限公司" not in html and "另有 1 个不在您的查看范围内" in html
    assert "变更记录" not in html


@pytest.mark.parametrize(("role", "expected"), [
    ("admin", 200), ("staff", 200), ("leader", 200), ("chamber1", 200), ("chamber2", 404), ("outsider_staff", 404)])
def test_who_opens_a_chamber_s_pairing(cast, data, login, role, expected):
    assert login(getattr(cast.users, role)).get(url("pairing", data.p4)).status_code == expected


def test_a_guessed_pairing_is_a_404_and_audited(cast, data, login):
    login(cast.users.chamber2).get(url("pairing", data.p1))
    event = AuditEvent.objects.filter(action="denied", object_type="welfare.pairing").latest("id")
    assert event.username == "chamber2" and event.object_id == str(data.p1.pk)


@pytest.mark.parametrize(("role", "expected"), [
    ("admin", 200), ("staff", 200), ("leader", 403), ("chamber1", 200), ("chamber2", 404), ("outsider_staff", 404),
    ("dept1", 403), ("ent1", 403), ("auditor", 403)])
def test_who_edits_and_deletes_a_chamber_s_pairing(cast, data, login, role, expected):
    client = login(getattr(cast.users, role))
    assert client.get(url("pairing_edit", data.p4)).status_code == expected
    assert client.get(url("pairing_delete", data.p4)).status_code == expected


# --- writing through the pages ------------------------------------------------------------------------------------------
def form(village, **changes):
    return {"village": village.pk, "kind": "employment", "start": "2026-01-01", "end": "", "committed_amount": "",
            "delivered_amount": "", "commitment": "", "delivered": "", "note": "", **changes}


def test_a_chamber_secretary_adds_a_pairing_of_its_member(cast, data, login):
    client = login(cast.users.chamber1)
    assert client.get(reverse("welfare:pairing_create"), {"village": data.v2.pk}).status_code == 200
    response = client.post(reverse("welfare:pairing_create"), form(data.v2, enterprise=cast.ent1.pk,
                                                                   committed_amount="30000.50"))
    pairing = Pairing.objects.get(village=data.v2, enterprise=cast.ent1)
    assert response.status_code == 302 and response["Location"] == pairing.get_absolute_url()
    assert str(pairing.committed_amount) == "30000.50" and pairing.federation == cast.district


@pytest.mark.parametrize(("typed", "stored"), [("1,234.50", "1234.50"), ("１２３", "123.00"), ("1.5万元", "15000.00")],
                         ids=["thousands-separator", "full-width", "wan"])
def test_amounts_are_typed_as_on_the_donation_form(cast, data, login, typed, stored):
    response = login(cast.users.chamber1).post(reverse("welfare:pairing_create"), form(
        data.v2, enterprise=cast.ent1.pk, committed_amount=typed, delivered_amount=typed))
    pairing = Pairing.objects.get(village=data.v2, enterprise=cast.ent1)
    assert response.status_code == 302
    assert str(pairing.committed_amount) == stored and str(pairing.delivered_amount) == stored


def test_posting_the_same_new_pairing_twice_records_it_once(cast, data, login):
    client = login(cast.users.chamber1)
    posted = form(data.v2, enterprise=cast.ent1.pk)
    assert client.post(reverse("welfare:pairing_create"), posted).status_code == 302
    response = client.post(reverse("welfare:pairing_create"), posted)
    assert response.status_code == 400 and "已有相同的结对帮扶" in response.content.decode()
    assert "请勿重复录入。" in response.content.decode()
    assert Pairing.objects.filter(village=data.v2, enterprise=cast.ent1).count() == 1


@pytest.mark.parametrize(("changes", "message"), [
    ({"enterprise": "ENT2"}, "所选企业不存在或不在您的管理范围内"),
    ({"chamber": "CHAMBER1", "enterprise": "ENT1"}, "请在帮扶企业与帮扶商会中选择其一。"),
    ({"enterprise": "ENT1", "committed_amount": "-1"}, "承诺投入（元）：不能为负数。"),
    ({"enterprise": "ENT1", "committed_amount": "12元5角"}, "承诺投入（元）：应为金额"),
    ({"enterprise": "ENT1", "committed_amount": "1000000000000"}, "承诺投入（元）：金额过大"),
    ({"enterprise": "ENT1", "delivered_amount": "12.345"}, "已投入（元）：金额最多精确到分（两位小数）。"),
    ({"enterprise": "ENT1", "end": "2025-12-31"}, "结束日期不能早于开始日期。"),
    ({"enterprise": "ENT1", "kind": ""}, "请选择帮扶类型。"),
    ({"enterprise": "ENT1", "start": ""}, "请填写开始日期。"),
], ids=["foreign-member", "both", "negative", "not-an-amount", "too-large", "past-the-fen", "end-before-start", "no-kind",
        "no-start"])
def test_bad_input_is_refused_in_chinese_and_nothing_is_written(cast, data, login, changes, message):
    ids = {"ENT1": cast.ent1.pk, "ENT2": cast.ent2.pk, "CHAMBER1": cast.chamber1.pk}
    posted = form(data.v2, **{name: ids.get(value, value) for name, value in changes.items()})
    before = Pairing.objects.count()
    response = login(cast.users.chamber1).post(reverse("welfare:pairing_create"), posted)
    assert response.status_code == 400 and message in response.content.decode()
    assert Pairing.objects.count() == before


def test_a_village_of_another_federation_is_refused(cast, data, login):
    response = login(cast.users.staff).post(reverse("welfare:pairing_create"), form(data.v5, enterprise=cast.ent1.pk))
    assert response.status_code == 400 and "所选村不存在或不在您的管理范围内。" in response.content.decode()


def test_editing_and_deleting_through_the_pages(cast, data, login):
    client = login(cast.users.chamber1)
    response = client.post(url("pairing_edit", data.p4), form(data.v1, chamber=cast.chamber1.pk, kind="education",
                                                              start="2025-03-01", end="2026-12-31"))
    assert response.status_code == 302
    data.p4.refresh_from_db()
    assert data.p4.end == date(2026, 12, 31)
    assert client.post(url("pairing_delete", data.p4)).status_code == 302
    assert not Pairing.objects.filter(pk=data.p4.pk).exists()
    assert client.post(url("pairing_delete", data.p3)).status_code == 404  # chamber2's member's
    assert Pairing.objects.filter(pk=data.p3.pk).exists()


def test_a_leader_cannot_post_a_pairing(cast, data, login):
    response = login(cast.users.leader).post(reverse("welfare:pairing_create"), form(data.v2, enterprise=cast.ent1.pk))
    assert response.status_code == 403 and not Pairing.objects.filter(village=data.v2, enterprise=cast.ent1).exists()


# --- 帮扶村覆盖 --------------------------------------------------------------------------------------------------------------
def kpi(response, dom_id):
    found = re.search(rf'id="{dom_id}">(?:<a [^>]+>)?([^<]+)<', response.content.decode())
    return found.group(1) if found else None


def table(response, table_id):
    return re.search(rf'<table class="table" id="{table_id}">(.*?)</table>', response.content.decode(), re.S).group(1)


@pytest.mark.parametrize("role", READERS)
def test_every_reader_opens_the_coverage_page(cast, data, login, role):
    assert login(getattr(cast.users, role)).get(COVERAGE).status_code == 200


def test_staff_see_the_coverage_with_the_unpaired_first(cast, data, login):
    response = login(cast.users.staff).get(COVERAGE)
    assert kpi(response, "coverage-rate") == "66.7%"
    assert (kpi(response, "target-villages"), kpi(response, "paired-villages"), kpi(response, "unpaired-villages")) == (
        "3", "2", "1")
    unpaired, paired = table(response, "table-unpaired"), table(response, "table-paired")
    assert "王家村" in unpaired and f"?village={data.v2.pk}" in unpaired  # 新增结对
    assert "李家村" in paired and "张家村" in paired and "赵家村" not in paired  # 赵家村 is not a target
    assert "天津友谊科技有限公司" in paired and "天津之江贸易有限公司" in paired
    html = response.content.decode()
    assert html.index('id="unpaired"') < html.index('id="paired"')


def test_the_coverage_on_a_day(cast, data, login):
    response = login(cast.users.staff).get(COVERAGE, {"on": "2025-12-31"})
    assert kpi(response, "coverage-rate") == "33.3%" and kpi(response, "paired-villages") == "1"
    assert "友谊路街道商会" in table(response, "table-paired")  # P4 was in force


def test_a_chamber_secretary_sees_which_villages_are_paired_but_names_only_its_own_partners(cast, data, login):
    response = login(cast.users.chamber1).get(COVERAGE)
    assert kpi(response, "coverage-rate") == "66.7%"
    paired = table(response, "table-paired")
    assert "张家村" in paired and "天津友谊科技有限公司" in paired
    assert "天津之江贸易有限公司" not in paired and "另有 1 个结对不在您的查看范围内" in paired
    assert f"?village={data.v2.pk}" in table(response, "table-unpaired")  # a keeper may pair its chamber


def test_a_leader_is_not_offered_to_pair(cast, data, login):
    response = login(cast.users.leader).get(COVERAGE)
    assert "新增结对" not in response.content.decode()


def test_a_district_without_target_villages_reads_no_data(db, login, today):
    testing.ensure_reference_data()
    federation = testing.make_federation(name="新区工商联")
    leader = testing.make_user(Role.LEADER, username="new_leader", federation=federation)
    response = login(leader).get(COVERAGE)
    assert kpi(response, "coverage-rate") == "无数据" and "暂无帮扶目标村" in response.content.decode()


def test_a_future_date_falls_back_to_today_with_a_message(cast, data, login):
    response = login(cast.users.staff).get(COVERAGE, {"on": "2030-01-01"})
    assert response.status_code == 200 and "统计日期不能晚于今天。" in response.content.decode()
    assert kpi(response, "coverage-rate") == "66.7%"
