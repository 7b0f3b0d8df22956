"""The figures layer: the registry (discovered at startup, keyed, scoped through the figure functions),
the Figure's display and 同比/环比, the tables' page and export forms, and the one period form."""

from datetime import date
from decimal import Decimal

import pytest
from django.http import Http404

from shanglian.common.periods import Period
from shanglian.members.models import Membership
from shanglian.ui import figures as ui
from shanglian.ui.periods import AS_OF_FIELDS, PeriodForm


# --- the registry -------------------------------------------------------------------------------------------
def test_each_apps_figures_module_is_discovered_at_startup():
    members, appeals = ui.registered("members."), ui.registered("appeals.")
    assert {"members.in_force", "members.in_force.enterprise", "members.in_force.group", "members.in_force.individual",
            "members.joined", "members.growth_rate", "members.average_annual_growth", "members.share.business_type",
            "members.share.member_kind", "members.share.locality", "members.share.technology",
            "members.by_chamber", "members.by_street"} <= set(members)
    assert {"appeals.received", "appeals.accepted", "appeals.closed", "appeals.closure_rate", "appeals.on_time_rate",
            "appeals.average_reply_days", "appeals.satisfaction_score", "appeals.satisfaction_rate",
            "appeals.overdue", "appeals.enterprises_enrolled"} <= set(appeals)
    assert {"policies.live", "policies.published", "policies.deliveries", "policies.read_rate"} <= set(
        ui.registered("policies."))
    assert all(spec.label and spec.definition for spec in ui.registered().values())
    assert ui.get("appeals.satisfaction_rate").unit == "%" and not ui.get("appeals.overdue").compare


def test_a_registered_figure_counts_its_records_and_compares_with_the_year_before_and_the_period_before(cast):
    @ui.figure("test.joined", label="新入会", unit="个", definition="期间内入会的会员")
    def joined(*, user, period):
        return Membership.objects.filter(federation=cast.district, joined__range=(period.start, period.end))

    try:
        result = ui.compute("test.joined", user=cast.users.staff, period=Period.year(2020), compare=True)
        # the cast's four district memberships all joined on 2020-01-01
        assert (result.value, result.records.count(), result.unit, result.label) == (4, 4, "个", "新入会")
        assert (result.previous, result.year_ago) == (0, 0) and result.year_ago_change is None
        assert ui.compute("test.joined", user=cast.users.staff, period=Period.year(2021)).previous is None
        with pytest.raises(ValueError):
            ui.figure("test.joined", label="重复", definition="重复")(lambda **kwargs: None)
    finally:
        ui._registry.pop("test.joined")


def test_a_figure_compared_year_ago_only_leaves_the_period_before_out(cast, django_assert_num_queries):
    @ui.figure("test.joined", label="新入会", unit="个", definition="期间内入会的会员")
    def joined(*, user, period):
        return Membership.objects.filter(federation=cast.district, joined__range=(period.start, period.end))

    try:
        year_to_date = Period.custom(date(2021, 1, 1), date(2021, 6, 30))
        with django_assert_num_queries(2):  # the value and 同比: no 环比 of a stretch of no meaning
            result = ui.compute("test.joined", user=cast.users.staff, period=year_to_date, compare=ui.YEAR_AGO)
        assert (result.value, result.year_ago, result.previous) == (0, 4, None)
        assert result.year_ago_change == "-100.0%" and result.previous_change is None
    finally:
        ui._registry.pop("test.joined")


def test_an_unknown_figure_is_not_found():
    with pytest.raises(Http404):
        ui.compute("nowhere.nothing", user=None, period=Period.year(2026))


# --- one figure ------------------------------------------------------------------------------------------------
def test_a_figure_shows_its_value_unit_and_changes():
    rate = ui.Figure("满意率", "（满意 + 基本满意）÷ 已评价", Decimal("97.7"), "%", previous=Decimal("95.2"),
                     year_ago=Decimal("98.0"))
    assert (rate.display, rate.caption) == ("97.7%", "满意率")
    assert (rate.previous_change, rate.year_ago_change) == ("+2.5个百分点", "-0.3个百分点")
    count = ui.Figure("诉求总量", "期间内提交的诉求", 6, "件", previous=4, year_ago=0)
    assert (count.display, count.caption, count.previous_change, count.year_ago_change) == ("6", "诉求总量（件）",
                                                                                              "+50.0%", None)
    score = ui.Figure("满意度", "百分制", None, "分", previous=Decimal("90.0"))
    assert (score.display, score.caption, score.previous_change) == ("无数据", "满意度（百分制）", None)
    assert ui.Figure("当前超期", "", 2, "件", alert=True).is_alert and not ui.Figure("当前超期", "", 0, alert=True).is_alert


def test_a_table_shows_units_on_the_page_and_numbers_in_the_export():
    table = ui.FigureTable("按街道", (ui.Col("年份", suffix="年"), ui.Col("占比", unit="%"), ui.Col("件数", shown=False)),
                           (ui.Row((2025, Decimal("12.5"), 3), records_url="/x"), ui.Row((2026, None, 0))),
                           numbered=True, extra_sheet_rows=(("合计", 3),))
    assert [row["cells"] for row in table.shown_rows()] == [["2025年", "12.5%"], ["2026年", "无数据"]]
    assert table.sheet_headers() == ["序号", "年份", "占比（%）", "件数"]
    assert table.sheet_rows() == [[1, 2025, Decimal("12.5"), 3], [2, 2026, "无数据", 0], ["合计", 3]]
    assert table.width == 4  # 序号, two shown columns, 明细
    assert ui.export_sheets([table, ui.FigureTable("隐藏", (), (), sheet="-")]) == [
        ("按街道", table.sheet_headers(), table.sheet_rows())]


def test_the_tables_of_an_export_get_sheet_names_unique_in_the_workbook():
    def table(title, sheet=""):
        return ui.FigureTable(title, (ui.Col("项目"),), (ui.Row(("甲",)),), sheet=sheet)

    long = "各年榜单上榜企业首次上榜企业与累计上榜企业数量统计表"  # over Excel's 31 characters
    tables = ui.export_tables([table("各年榜单"), table("各年榜单"), table("隐藏", sheet="-"), table("x", sheet="ABC"),
                               table("y", sheet="abc"), table(long), table(long)])
    names = [name for name, _headers, _rows in ui.export_sheets(tables)]
    assert names == ["各年榜单", "各年榜单（2）", "ABC", "abc（2）", long[:31], long[:28] + "（2）"]
    assert len({name.lower() for name in names}) == len(names) and all(len(name) <= 31 for name in names)


def test_a_page_gathers_its_sections_chart_data_by_source():
    months = ui.FigureSection("各月", "stats-months", chart=ui.Chart("combo", "stats", "chart-months", "各月"),
                              chart_data={"stats": {"months": ["1月"], "visits": [2]}})
    ranking = ui.FigureSection("排名", "stats-ranking", chart_data={"stats": {"visits": [3], "top": [{"name": "甲"}]},
                                                                 "other": {"kinds": []}})
    bare = ui.FigureSection("说明", "stats-note")
    assert bare.chart_data == {} and bare.chart_data is not ui.FigureSection("x", "y").chart_data
    merged = ui.gather_chart_data([months, bare, ranking])
    assert merged == {"stats": {"months": ["1月"], "visits": [3], "top": [{"name": "甲"}]}, "other": {"kinds": []}}
    assert months.chart_data["stats"]["visits"] == [2]  # the sections' own data is left as it was
    assert ui.gather_chart_data([]) == {}


def test_shares_and_means_round_half_up_and_are_none_over_nothing():
    assert ui.share(1, 16) == Decimal("6.3") and ui.share(1, 0) is None
    assert ui.mean(9, 4) == Decimal("2.3") and ui.mean(5, 0) is None


# --- the period form ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("query", "period"), [
    ({"year": "2025"}, Period.year(2025)),
    ({"year": "2025", "quarter": "3"}, Period.quarter(2025, 3)),
    ({"year": "2024", "month": "2"}, Period.month(2024, 2)),
    ({"start": "2026-01-05", "end": "2026-03-31"}, Period(date(2026, 1, 5), date(2026, 3, 31))),
    ({"start": "2026-05-01"}, Period(date(2026, 5, 1), date(2026, 12, 31))),
])
def test_the_period_form_gives_the_period_asked_for(query, period):
    form = PeriodForm(query)
    assert form.is_valid() and form.period() == period
    assert PeriodForm(form.query()).period() == period  # the links to the export and the records keep it


def test_the_period_form_refuses_a_quarter_and_a_month_together_and_falls_back_to_this_year(settings):
    form = PeriodForm({"year": "2025", "quarter": "1", "month": "2"})
    assert not form.is_valid() and "季度和月份只能选一个。" in form.errors["month"]
    assert form.period().kind == "year"


def test_the_as_of_form_gives_a_date_and_the_year_ends_before_it():
    form = PeriodForm({"on": "2022-06-30"}, fields=AS_OF_FIELDS)
    assert set(form.fields) == {"on", "start_year", "end_year"}
    assert form.as_of() == date(2022, 6, 30) and list(form.years()) == [2017, 2018, 2019, 2020, 2021]
    assert form.shown().initial == {"on": date(2022, 6, 30), "start_year": 2017, "end_year": 2021}


def test_charts_js_knows_no_page_nor_element_id():
    """A chart is declared by data attributes (data-chart, data-source …): charts.js looks up only the data
    source an element names, so a new module's page draws charts without editing it."""
    from pathlib import Path

    from django.conf import settings

    script = (Path(settings.BASE_DIR) / "static" / "shanglian" / "charts.js").read_text(encoding="utf-8")
    assert 'getElementById("' not in script and "getElementById('" not in script
    assert "[data-chart]" in script
