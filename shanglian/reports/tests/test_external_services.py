"""外部指标 (reports/services/external.py, selectors/external.py, migration 0002): the shipped indicators; the one
rule of a value's number and period shared by the form and the import; saving, changing and deleting a value with
its audit row, for the editors of the federation and the federations under it only; a city's value is its own entry,
never a sum of its districts; what is entered is what `values.measure` reads, with its source and 同比."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shanglian.accounts.roles import Role
from shanglian.audit.models import AuditEvent
from shanglian.common.periods import Period
from shanglian.reports import values
from shanglian.reports.models import ExternalIndicator, ExternalValue, PeriodKind
from shanglian.reports.selectors.external import external_values_visible_to, slot_label
from shanglian.reports.services.external import (
    DUPLICATE,
    delete_external_value,
    period_errors,
    save_external_value,
    save_indicator,
    value_number,
)
from shanglian.testing import make_user

pytestmark = pytest.mark.django_db

SHIPPED = {
    "private_enterprises": ("民营企业", "户"), "individual_businesses": ("个体工商户", "户"),
    "private_enterprises_growth": ("民营企业同比增幅", "%"), "individual_businesses_growth": ("个体工商户同比增幅", "%"),
    "private_new_capital_growth": ("民营企业新增资本同比增幅", "%"),
    "individual_new_capital_growth": ("个体工商户新增资本同比增幅", "%"),
    "private_capital": ("民营资本累计", "亿元"), "private_capital_share": ("民营资本占全区各类市场资本比重", "%"),
    "private_value_added": ("民营经济增加值", "亿元"), "private_value_added_growth": ("民营经济增加值增长", "%"),
    "enterprises_external_honours": ("企业获上级荣誉", "家"), "federation_honours": ("本会所获上级奖项", "个"),
    "office_staff": ("机关专职干部", "人"), "staffing_quota": ("机关编制", "名"), "work_funds": ("财政拨付工作经费", "万元"),
}


def indicator(code):
    return ExternalIndicator.objects.get(code=code)


def data(**fields):
    values_ = {"indicator": indicator("private_value_added"), "federation": None, "period_kind": PeriodKind.YEAR,
               "year": 2025, "number": None, "value": "319.95", "source": "", "note": "2025年统计公报"}
    values_.update(fields)
    return values_


def test_the_migration_ships_the_indicators_of_the_work_reports_with_definitions_and_sources():
    shipped = {i.code: i for i in ExternalIndicator.objects.all()}
    assert set(SHIPPED) <= set(shipped)
    for code, (name, unit) in SHIPPED.items():
        found = shipped[code]
        assert (found.name, found.unit, found.active) == (name, unit, True), code
        assert found.definition and found.source in {"区统计局", "区市场监管局", "区委编办", "区财政局", "本会统计"}
        assert found.key == f"external.{code}"
    assert shipped["private_value_added"].source == "区统计局"
    assert shipped["staffing_quota"].source == "区委编办"
    assert shipped["work_funds"].source == "区财政局"


# --- the rules -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("raw", "unit", "expected"), [
    ("319.95", "亿元", Decimal("319.95")), ("1,092.95", "亿元", Decimal("1092.95")), ("１２３", "户", Decimal(123)),
    ("16.43%", "%", Decimal("16.43")), ("-3.5", "%", Decimal("-3.5")), (319.95, "亿元", Decimal("319.95")),
    ("2376", "家", Decimal(2376)), ("12.50000", "万元", Decimal("12.5")), ("-0", "户", Decimal(0)),
], ids=["plain", "thousands", "full-width", "percent-sign", "negative-percent", "float-cell", "integer",
        "padded", "minus-zero"])
def test_a_value_is_read_as_people_type_it(raw, unit, expected):
    assert value_number(raw, unit=unit) == expected


@pytest.mark.parametrize(("raw", "unit", "reason"), [
    ("NaN", "亿元", "应为数字"), ("Infinity", "亿元", "应为数字"), ("-inf", "%", "应为数字"), (float("nan"), "亿元", "应为数字"),
    ("1e5", "户", "应为数字"), ("三百", "亿元", "应为数字"), ("12.5%", "亿元", "应为数字"), ("", "户", "请填写数值"),
    ("1.23456", "亿元", "最多保留 4 位小数"), ("-12", "户", "不能为负数"), ("1" * 30, "户", "数值过大"),
], ids=["nan", "infinity", "minus-inf", "float-nan", "scientific", "text", "percent-on-money", "empty",
        "five-places", "negative-count", "too-large"])
def test_a_value_that_is_not_a_plain_number_is_refused_with_its_reason(raw, unit, reason):
    with pytest.raises(ValueError, match=reason):
        value_number(raw, unit=unit)


def test_a_period_is_a_year_a_quarter_or_a_month():
    assert period_errors(PeriodKind.YEAR, 2025, None) == (0, [])
    assert period_errors(PeriodKind.QUARTER, 2025, 4) == (4, [])
    assert period_errors(PeriodKind.MONTH, 2025, 12) == (12, [])
    assert period_errors(PeriodKind.MONTH, 2025, 13)[1] == [("number", "月份应为 1–12 之间的整数。")]
    assert period_errors(PeriodKind.QUARTER, 2025, 5)[1] == [("number", "季度应为 1–4 之间的整数。")]
    assert period_errors(PeriodKind.QUARTER, 2025, None)[1] == [("number", "请填写季度（1–4）。")]
    assert period_errors(PeriodKind.YEAR, 2025, 3)[1] == [("number", "年度数值不填季度或月份。")]
    assert period_errors(PeriodKind.YEAR, 1800, None)[1] == [("year", "年份应在 1950 至 2999 年之间。")]
    assert period_errors("week", 2025, None)[1][0][0] == "period_kind"
    assert slot_label(PeriodKind.YEAR, 2025, 0) == "2025年"
    assert slot_label(PeriodKind.QUARTER, 2025, 2) == "2025年第2季度"
    assert slot_label(PeriodKind.MONTH, 2025, 3) == "2025年3月"


# --- saving ----------------------------------------------------------------------------------------------------
def test_staff_enters_a_value_for_its_federation_with_the_indicators_source_and_an_audit_row(cast):
    value = save_external_value(actor=cast.users.staff, data=data())
    assert (value.federation, value.value, value.source, value.entered_by) == (
        cast.district, Decimal("319.95"), "区统计局", cast.users.staff)
    event = AuditEvent.objects.get(action="create", object_type="reports.externalvalue", object_id=str(value.pk))
    assert {"field": "数值", "old": "", "new": "319.95"} in event.detail["changes"]
    changed = save_external_value(actor=cast.users.admin, data=data(value="320.1", source="区统计局（修订）"),
                                  value=value)
    assert (changed.value, changed.source) == (Decimal("320.1"), "区统计局（修订）")
    event = AuditEvent.objects.get(action="update", object_type="reports.externalvalue")
    assert {"field": "数值", "old": "319.95", "new": "320.1"} in event.detail["changes"]


def test_a_second_value_for_the_same_period_is_refused_and_the_first_kept(cast):
    save_external_value(actor=cast.users.staff, data=data())
    with pytest.raises(ValidationError) as refused:
        save_external_value(actor=cast.users.staff, data=data(value="1"))
    assert refused.value.message_dict["__all__"] == [DUPLICATE]
    assert list(ExternalValue.objects.values_list("value", flat=True)) == [Decimal("319.95")]
    # another period, another federation's editor: both fine
    save_external_value(actor=cast.users.staff, data=data(period_kind=PeriodKind.QUARTER, number=1, value="70"))
    save_external_value(actor=cast.users.outsider_staff, data=data(value="210"))
    assert ExternalValue.objects.count() == 3


def test_every_bad_input_is_named_at_once_and_nothing_is_written(cast):
    with pytest.raises(ValidationError) as refused:
        save_external_value(actor=cast.users.staff, data=data(
            period_kind=PeriodKind.MONTH, number=13, value="NaN", note="备" * 201))
    errors = refused.value.message_dict
    assert errors["number"] == ["月份应为 1–12 之间的整数。"]
    assert "应为数字" in errors["value"][0]
    assert "备注不能超过 200 字" in errors["note"][0]
    assert not ExternalValue.objects.exists()


def test_only_the_editors_write_and_only_for_federations_of_their_scope(cast):
    for role in ("leader", "chamber1", "dept1", "ent1", "auditor"):
        with pytest.raises(PermissionDenied):
            save_external_value(actor=getattr(cast.users, role), data=data())
    with pytest.raises(ValidationError) as refused:
        save_external_value(actor=cast.users.staff, data=data(federation=cast.other))
    assert "不在您的管理范围内" in refused.value.message_dict["federation"][0]
    theirs = save_external_value(actor=cast.users.outsider_staff, data=data())
    with pytest.raises(PermissionDenied):
        save_external_value(actor=cast.users.staff, data=data(value="1"), value=theirs)
    with pytest.raises(PermissionDenied):
        delete_external_value(actor=cast.users.staff, value=theirs)
    assert ExternalValue.objects.get().value == Decimal("319.95")


def test_a_stopped_indicator_takes_no_new_value_but_its_values_stay_editable(cast):
    value = save_external_value(actor=cast.users.staff, data=data())
    ExternalIndicator.objects.filter(code="private_value_added").update(active=False)
    with pytest.raises(ValidationError) as refused:
        save_external_value(actor=cast.users.staff, data=data(year=2024))
    assert refused.value.message_dict["indicator"] == ["所选指标不存在或已停用。"]
    assert save_external_value(actor=cast.users.staff, data=data(value="300"), value=value).value == 300


def test_a_city_editor_enters_for_its_districts_and_the_citys_value_is_its_own_entry(cast):
    city_staff = make_user(Role.STAFF, federation=cast.city)
    save_external_value(actor=city_staff, data=data(federation=cast.district, value="300"))
    save_external_value(actor=city_staff, data=data(federation=cast.other, value="200"))
    year = Period.year(2025)
    city = values.measure("external.private_value_added", user=city_staff, period=year)
    assert city.value is None and "尚未录入" in city.missing  # never the sum 500
    save_external_value(actor=city_staff, data=data(value="1500"))
    assert values.measure("external.private_value_added", user=city_staff, period=year).value == 1500
    district = values.measure("external.private_value_added", user=city_staff, period=year,
                              federation=cast.district)
    assert district.value == 300
    assert external_values_visible_to(cast.users.staff).count() == 1  # a district reads its own only
    assert external_values_visible_to(city_staff).count() == 3


def test_what_is_entered_is_what_the_reports_read_with_its_source_and_year_ago(cast):
    save_external_value(actor=cast.users.staff, data=data(year=2024, value="291.37"))
    save_external_value(actor=cast.users.staff, data=data(source="区统计局（快报）"))
    reported = values.measure("external.private_value_added", user=cast.users.staff, period=Period.year(2025))
    assert (reported.value, reported.figure.year_ago, reported.source, reported.external) == (
        Decimal("319.95"), Decimal("291.37"), "区统计局（快报）", True)
    assert reported.unit == "亿元" and reported.label == "民营经济增加值"


def test_a_value_is_deleted_with_an_audit_row(cast):
    value = save_external_value(actor=cast.users.staff, data=data())
    delete_external_value(actor=cast.users.admin, value=value)
    assert not ExternalValue.objects.exists()
    assert AuditEvent.objects.filter(action="delete", object_type="reports.externalvalue").count() == 1


# --- indicators ------------------------------------------------------------------------------------------------
def indicator_data(**fields):
    values_ = {"code": "tax_revenue", "name": "民营企业税收", "unit": "亿元", "definition": "区税务局统计的民营企业税收收入。",
               "source": "区税务局", "order": 160, "active": True}
    values_.update(fields)
    return values_


def test_the_admin_adds_an_indicator_whose_code_is_unique_and_fixed(cast):
    added = save_indicator(actor=cast.users.admin, data=indicator_data())
    assert added.key == "external.tax_revenue"
    assert AuditEvent.objects.filter(action="create", object_type="reports.externalindicator").count() == 1
    with pytest.raises(ValidationError) as refused:
        save_indicator(actor=cast.users.admin, data=indicator_data(name="另一个"))
    assert refused.value.message_dict["code"] == ["该指标代码已被使用。"]
    with pytest.raises(ValidationError) as refused:
        save_indicator(actor=cast.users.admin, data=indicator_data(code="Tax-Revenue", name="民营经济增加值"))
    assert "小写英文字母" in refused.value.message_dict["code"][0]
    assert "已有名为“民营经济增加值”" in refused.value.message_dict["name"][0]
    changed = save_indicator(actor=cast.users.admin, data=indicator_data(code="changed", unit="万元", active=False),
                             indicator=added)
    assert (changed.code, changed.unit, changed.active) == ("tax_revenue", "万元", False)
    with pytest.raises(PermissionDenied):
        save_indicator(actor=cast.users.leader, data=indicator_data(code="other_one", name="其他"))
    with pytest.raises(PermissionDenied):  # shared by every federation: not a district's staff
        save_indicator(actor=cast.users.staff, data=indicator_data(code="other_two", name="其他二"))
