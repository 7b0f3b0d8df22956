"""外部指标 pages: the values' list and its filters in each reader's scope (403 for a chamber, a department, an
enterprise and the auditor), its export, 录入/编辑/删除 with their Chinese errors (a second value for a period, a month
13, a value that is not a number, NaN and Infinity — each a 400 that changes nothing), a city's federation chooser,
the indicators' list and 新增/编辑 (a unique code, fixed once created); another federation's value is 404."""

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from shanglian.accounts.roles import Role
from shanglian.audit.models import AuditEvent
from shanglian.reports.models import ExternalIndicator, ExternalValue, PeriodKind
from shanglian.testing import make_user

pytestmark = pytest.mark.django_db

LIST = reverse("reports:externals")
CREATE = reverse("reports:external_create")
INDICATORS = reverse("reports:indicators")
READERS = ("admin", "staff", "leader", "outsider_staff")
REFUSED = ("chamber1", "chamber2", "dept1", "ent1", "auditor")


def count(page):
    return int(re.search(r"共 (\d+) 条", page).group(1))


def put(federation, code, year, value, *, kind=PeriodKind.YEAR, number=0, source="区统计局"):
    return ExternalValue.objects.create(indicator=ExternalIndicator.objects.get(code=code), federation=federation,
                                        period_kind=kind, year=year, number=number, value=Decimal(value),
                                        source=source)


@pytest.fixture
def book(cast):
    return {
        "added_2025": put(cast.district, "private_value_added", 2025, "319.95"),
        "added_2024": put(cast.district, "private_value_added", 2024, "291.37"),
        "added_q1": put(cast.district, "private_value_added", 2025, "70.5", kind=PeriodKind.QUARTER, number=1),
        "firms_2025": put(cast.district, "private_enterprises", 2025, "33910", source="区市场监管局"),
        "other_2025": put(cast.other, "private_value_added", 2025, "208.4"),
    }


def form(**fields):
    values = {"indicator": ExternalIndicator.objects.get(code="private_value_added").pk, "period_kind": "year",
              "year": "2023", "number": "", "value": "268.1", "source": "", "note": ""}
    values.update(fields)
    return values


# --- the list --------------------------------------------------------------------------------------------------
def test_each_reader_lists_its_federations_values_and_the_others_are_refused(cast, book, login):
    page = login(cast.users.staff).get(LIST).content.decode()
    assert count(page) == 4
    assert "319.95 亿元" in page and "2025年第1季度" in page and "33910 户" in page and "208.4" not in page
    assert "录入数值" in page and "导入" in page
    leader = login(cast.users.leader).get(LIST).content.decode()
    assert count(leader) == 4 and "录入数值" not in leader and "导出" in leader
    outsider = login(cast.users.outsider_staff).get(LIST).content.decode()
    assert count(outsider) == 1 and "208.4" in outsider
    for role in REFUSED:
        assert login(getattr(cast.users, role)).get(LIST).status_code == 403, role
        assert login(getattr(cast.users, role)).get(INDICATORS).status_code == 403, role


@pytest.mark.parametrize(("query", "expected"), [
    ("year=2024", {"added_2024"}),
    ("period_kind=quarter", {"added_q1"}),
    ("period_kind=year&year=2025", {"added_2025", "firms_2025"}),
], ids=["year", "quarter", "year-and-kind"])
def test_the_list_filters_by_year_and_period_kind(cast, book, login, query, expected):
    page = login(cast.users.staff).get(f"{LIST}?{query}").content.decode()
    assert count(page) == len(expected)


def test_the_list_filters_by_indicator_and_a_bad_filter_finds_nothing_with_its_reason(cast, book, login):
    client = login(cast.users.staff)
    firms = ExternalIndicator.objects.get(code="private_enterprises")
    assert count(client.get(f"{LIST}?indicator={firms.pk}").content.decode()) == 1
    for query in ("indicator=99999999999999999999", "year=abc", "period_kind=week"):
        response = client.get(f"{LIST}?{query}")
        assert response.status_code == 200 and "搜索条件有误" in response.content.decode(), query


def test_a_city_reads_its_districts_values_and_filters_by_federation(cast, book, login):
    city_staff = make_user(Role.STAFF, federation=cast.city)
    client = login(city_staff)
    page = client.get(LIST).content.decode()
    assert count(page) == 5 and "所属工商联" in page
    assert count(client.get(f"{LIST}?federation={cast.other.pk}").content.decode()) == 1
    district = login(cast.users.staff).get(LIST).content.decode()
    assert "所属工商联" not in district  # one federation: no chooser, no column


def test_the_export_is_what_is_listed_and_is_audited(cast, book, login):
    response = login(cast.users.leader).get(reverse("reports:externals_export") + "?year=2025")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][:4] == ("指标名称", "指标代码", "单位", "期间")
    assert {(r[1], r[3], r[7]) for r in rows[1:]} == {
        ("private_enterprises", "2025年", 33910), ("private_value_added", "2025年", 319.95),
        ("private_value_added", "2025年第1季度", 70.5)}
    assert AuditEvent.objects.filter(action="export", object_type="reports.externalvalue").count() == 1
    assert login(cast.users.chamber1).get(reverse("reports:externals_export")).status_code == 403


# --- 录入/编辑/删除 --------------------------------------------------------------------------------------------------
def test_staff_enters_a_value_and_the_source_defaults_to_the_indicators(cast, login):
    response = login(cast.users.staff).post(CREATE, form())
    assert response.status_code == 302 and response["Location"] == LIST
    value = ExternalValue.objects.get()
    assert (value.year, value.value, value.source, value.federation) == (2023, Decimal("268.1"), "区统计局",
                                                                         cast.district)


@pytest.mark.parametrize(("fields", "message"), [
    ({"year": "2025"}, "该指标在该期间已有数值，请修改原数值。"),
    ({"period_kind": "month", "number": "13"}, "月份应为 1–12 之间的整数。"),
    ({"period_kind": "quarter", "number": "0"}, "季度应为 1–4 之间的整数。"),
    ({"period_kind": "quarter"}, "请填写季度（1–4）。"),
    ({"value": "三百亿"}, "数值应为数字"),
    ({"value": "NaN"}, "数值应为数字"),
    ({"value": "Infinity"}, "数值应为数字"),
    ({"value": "-5"}, "不能为负数"),
    ({"value": ""}, "请填写数值。"),
    ({"year": "12345"}, "年份应在 1950 至 2999 年之间。"),
    ({"indicator": "99999999999999999999"}, "所选指标不存在或已停用。"),
    ({"period_kind": "week"}, "期间类型应为年度、季度或月度。"),
], ids=["duplicate", "month-13", "quarter-0", "quarter-missing", "text", "nan", "infinity", "negative", "empty",
        "year", "indicator-20-digits", "kind"])
def test_a_bad_value_is_refused_in_chinese_and_nothing_changes(cast, book, login, fields, message):
    before = ExternalValue.objects.count()
    response = login(cast.users.staff).post(CREATE, form(**fields))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ExternalValue.objects.count() == before


def test_a_percentage_may_fall(cast, login):
    growth = ExternalIndicator.objects.get(code="private_enterprises_growth")
    response = login(cast.users.staff).post(CREATE, form(indicator=growth.pk, value="-2.35%"))
    assert response.status_code == 302
    assert ExternalValue.objects.get().value == Decimal("-2.35")


def test_a_value_is_edited_and_deleted_by_the_editors_of_its_federation(cast, book, login):
    value = book["added_2025"]
    edit = reverse("reports:external_edit", args=[value.pk])
    client = login(cast.users.staff)
    page = client.get(edit).content.decode()
    assert 'value="319.95"' in page
    response = client.post(edit, form(year="2025", value="320.00", source="区统计局（修订）"))
    assert response.status_code == 302
    value.refresh_from_db()
    assert (value.value, value.source) == (Decimal("320"), "区统计局（修订）")
    delete = reverse("reports:external_delete", args=[value.pk])
    assert "删除" in client.get(delete).content.decode()
    assert client.post(delete).status_code == 302
    assert not ExternalValue.objects.filter(pk=value.pk).exists()


def test_another_federations_value_is_404_and_a_reader_is_refused_the_writes(cast, book, login):
    theirs = book["other_2025"]
    for name in ("reports:external_edit", "reports:external_delete"):
        assert login(cast.users.staff).get(reverse(name, args=[theirs.pk])).status_code == 404
        assert login(cast.users.staff).post(reverse(name, args=[theirs.pk])).status_code == 404
        assert login(cast.users.leader).get(reverse(name, args=[book["added_2025"].pk])).status_code == 403
        assert login(cast.users.chamber1).get(reverse(name, args=[book["added_2025"].pk])).status_code == 403
    assert login(cast.users.leader).post(CREATE, form()).status_code == 403
    assert ExternalValue.objects.get(pk=theirs.pk).value == Decimal("208.4")
    assert ExternalValue.objects.count() == 5


def test_a_city_editor_enters_a_districts_value_but_not_another_citys(cast, login):
    city_staff = make_user(Role.STAFF, federation=cast.city)
    client = login(city_staff)
    assert "所属工商联" in client.get(CREATE).content.decode()
    assert client.post(CREATE, form(federation=cast.other.pk)).status_code == 302
    assert ExternalValue.objects.get().federation == cast.other
    elsewhere = make_user(Role.STAFF, federation=cast.district)
    response = login(elsewhere).post(CREATE, form(federation=cast.other.pk, year="2022"))
    assert response.status_code == 302  # a district's form has no chooser: its own federation
    assert ExternalValue.objects.get(year=2022).federation == cast.district


# --- indicators ------------------------------------------------------------------------------------------------
def test_the_indicators_list_every_shipped_indicator_with_the_values_entered_in_scope(cast, book, login):
    page = login(cast.users.leader).get(INDICATORS).content.decode()
    assert count(page) == ExternalIndicator.objects.count()
    assert "民营经济增加值" in page and "private_value_added" in page and "区委编办" in page
    assert "新增指标" not in page
    assert "新增指标" not in login(cast.users.staff).get(INDICATORS).content.decode()  # shared: the admin's
    assert "新增指标" in login(cast.users.admin).get(INDICATORS).content.decode()


def test_the_admin_adds_an_indicator_and_edits_it_without_its_code(cast, login):
    client = login(cast.users.admin)
    fields = {"code": "tax_revenue", "name": "民营企业税收", "unit": "亿元", "definition": "民营企业税收收入",
              "source": "区税务局", "order": "160", "active": "on"}
    assert client.post(reverse("reports:indicator_create"), fields).status_code == 302
    added = ExternalIndicator.objects.get(code="tax_revenue")
    response = client.post(reverse("reports:indicator_create"), {**fields, "name": "另一个"})
    assert response.status_code == 400 and "该指标代码已被使用。" in response.content.decode()
    edit = reverse("reports:indicator_edit", args=[added.pk])
    assert 'name="code"' not in client.get(edit).content.decode()
    assert client.post(edit, {**fields, "code": "changed", "unit": "万元"}).status_code == 302
    added.refresh_from_db()
    assert (added.code, added.unit, added.active) == ("tax_revenue", "万元", True)
    for role in ("leader", "staff"):  # a district's staff may not change what every federation shares
        assert login(getattr(cast.users, role)).get(edit).status_code == 403, role
        assert login(getattr(cast.users, role)).get(reverse("reports:indicator_create")).status_code == 403, role
        assert login(getattr(cast.users, role)).post(edit, {**fields, "unit": "元"}).status_code == 403, role
    added.refresh_from_db()
    assert added.unit == "万元"


def test_the_lists_ask_the_same_number_of_queries_whatever_the_rows(cast, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(cast.users.staff)
    put(cast.district, "private_value_added", 2025, "1")

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries(LIST), queries(INDICATORS)
    for year in range(2000, 2020):
        put(cast.district, "private_value_added", year, "1")
        put(cast.district, "work_funds", year, "12.5", source="区财政局")
    assert (queries(LIST), queries(INDICATORS)) == few
