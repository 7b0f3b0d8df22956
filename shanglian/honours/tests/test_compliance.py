"""五有达标情况, 四好商会 by level and the 五好 self-check, computed by hand on a small district: five township
chambers — one without an assessment, one with an item not verified, one with an item returned, one complete, one
with an item not met and one not filled in — beside a non-township chamber, a suspended township chamber and
another federation's township chamber, all excluded; only verified items count. The page, its export and the
figures say the same numbers."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.common.periods import Period
from shanglian.honours.models import Assessment, AssessmentItem
from shanglian.honours.selectors import assessments as selectors
from shanglian.ui.figures import compute

A = Assessment.Status
I = AssessmentItem.Status  # noqa: E741
YEAR = 2025
CODES = ("sign", "team", "office", "funds", "activities")
URL = reverse("honours:compliance")


def five_have(chamber, *, year=YEAR, **exceptions):
    """A 五有 of `chamber`: every item met and verified, except `exceptions` = {code: (met, status)}."""
    assessment = testing.make_assessment(chamber, year=year, status=A.SUBMITTED)
    for code in CODES:
        met, status = exceptions.get(code, (True, I.VERIFIED))
        testing.claim_item(assessment, code, met=met, status=status, note="" if met is None else "佐证")
    return assessment


def four_good(chamber, total, *, status=A.CONFIRMED):
    assessment = testing.make_assessment(chamber, scheme="four_good", year=YEAR, status=status)
    Assessment.objects.filter(pk=assessment.pk).update(
        total_score=Decimal(total), level=selectors.FOUR_GOOD.level_of(Decimal(total)) if status == A.CONFIRMED else "")
    return assessment


@pytest.fixture
def district(cast):
    d = cast.district
    chambers = {
        "chamber1": cast.chamber1,
        "none": testing.make_chamber(d, name="陈塘庄街道商会"),
        "unverified": testing.make_chamber(d, name="马场街道商会"),
        "returned": testing.make_chamber(d, name="尖山街道商会"),
        "complete": testing.make_chamber(d, name="挂甲寺街道商会"),
    }
    five_have(cast.chamber1, office=(False, I.VERIFIED), funds=(None, I.EMPTY))
    five_have(chambers["none"], year=YEAR - 1)  # last year's, complete: not this year's
    five_have(chambers["unverified"], funds=(True, I.PENDING))
    five_have(chambers["returned"], activities=(True, I.RETURNED))
    five_have(chambers["complete"])
    # excluded: a non-township chamber, a suspended township chamber, another federation's township chamber
    five_have(cast.chamber2)  # (only through /admin: the services open no 五有 for it)
    five_have(testing.make_chamber(d, name="友谊路街道老商会", status="suspended"))
    five_have(testing.make_chamber(cast.other, name="南开区某街道商会"))
    return chambers


def names(chambers):
    return sorted(c.name for c in chambers)


def test_the_rate_counts_only_chambers_meeting_all_five_verified(cast, district):
    found = selectors.five_have_compliance(cast.users.staff, year=YEAR)
    assert found.total == 5
    assert names(found.complete) == ["挂甲寺街道商会"]
    assert found.rate == Decimal("20.0")
    assert names(found.without_assessment) == ["陈塘庄街道商会"]


def test_each_item_lists_the_chambers_missing_it_and_why(cast, district):
    found = selectors.five_have_compliance(cast.users.staff, year=YEAR)
    met = {item.item.code: names(item.met) for item in found.items}
    missing = {item.item.code: sorted((c.name, reason) for c, reason in item.missing) for item in found.items}
    assert met["sign"] == met["team"] == ["友谊路街道商会", "尖山街道商会", "挂甲寺街道商会", "马场街道商会"]
    assert missing["sign"] == missing["team"] == [("陈塘庄街道商会", "无本年度评估")]
    assert met["office"] == ["尖山街道商会", "挂甲寺街道商会", "马场街道商会"]
    assert missing["office"] == [("友谊路街道商会", "未达标"), ("陈塘庄街道商会", "无本年度评估")]
    assert met["funds"] == ["尖山街道商会", "挂甲寺街道商会"]
    assert missing["funds"] == [("友谊路街道商会", "未填报"), ("陈塘庄街道商会", "无本年度评估"),
                                ("马场街道商会", "未核实（待核实）")]
    assert met["activities"] == ["友谊路街道商会", "挂甲寺街道商会", "马场街道商会"]
    assert missing["activities"] == [("尖山街道商会", "未核实（已退回补充）"), ("陈塘庄街道商会", "无本年度评估")]


def test_a_chamber_secretary_sees_its_own_chamber_only(cast, district):
    found = selectors.five_have_compliance(cast.users.chamber1, year=YEAR)
    assert found.total == 1 and found.complete == [] and found.rate == Decimal("0.0")
    assert selectors.five_have_compliance(cast.users.chamber2, year=YEAR).rate is None  # not a township chamber


def test_with_no_township_chamber_the_rate_is_no_data(cast, login):
    assert selectors.five_have_compliance(cast.users.outsider_staff, year=YEAR).rate is None
    page = login(cast.users.chamber2).get(URL).content.decode()
    assert 'id="five-have-rate"><span class="muted">无数据</span>' in page


def test_the_page_shows_the_rate_the_missing_lists_and_the_chambers_without_assessment(cast, district, login):
    page = login(cast.users.staff).get(f"{URL}?year={YEAR}").content.decode()
    assert 'id="five-have-rate">20.0%' in page
    assert "1<small class=\"muted\"> / 5</small>" in page
    assert "友谊路街道商会（未填报）；陈塘庄街道商会（无本年度评估）；马场街道商会（未核实（待核实））" in page
    assert '<p id="five-have-missing">陈塘庄街道商会</p>' in page
    assert "友谊路街道老商会" not in page and "南开区某街道商会" not in page
    assert login(cast.users.dept1).get(URL).status_code == 403


def test_an_invalid_year_shows_this_year_and_says_why(cast, login):
    response = login(cast.users.staff).get(f"{URL}?year=abc")
    assert response.status_code == 200 and "年度应为四位数字" in response.content.decode()


def test_four_good_chambers_by_level(cast, district):
    four_good(district["complete"], "90")
    four_good(district["returned"], "75")
    four_good(cast.chamber2, "60")
    four_good(district["unverified"], "59.99")
    four_good(cast.chamber1, "0", status=A.SUBMITTED)
    found = selectors.four_good_levels(cast.users.staff, year=YEAR)
    assert [(label, [a.chamber.name for a in rows]) for label, rows in found.levels] == [
        ("示范商会", ["挂甲寺街道商会"]), ("“四好”商会", ["尖山街道商会"]), ("合格", ["河西区浙江商会"]),
        ("不达标", ["马场街道商会"])]
    assert [a.chamber.name for a in found.unconfirmed] == ["友谊路街道商会"]
    assert names(found.not_assessed) == ["陈塘庄街道商会"]
    assert len(found.good) == 2


def test_the_five_good_self_check_is_shown_to_the_federation(cast, district, login):
    check = testing.make_assessment(cast.district, scheme="five_good", year=YEAR, status=A.CONFIRMED)
    Assessment.objects.filter(pk=check.pk).update(total_score=Decimal("92"), level="优秀")
    page = login(cast.users.leader).get(f"{URL}?year={YEAR}").content.decode()
    assert 'id="five-good"' in page and "92.00 分 · 优秀" in page
    assert 'id="five-good"' not in login(cast.users.chamber1).get(f"{URL}?year={YEAR}").content.decode()


def test_the_export_has_the_same_numbers_and_is_audited(cast, district, login):
    response = login(cast.users.staff).get(f"{URL}?year={YEAR}&export=xlsx")
    book = load_workbook(io.BytesIO(response.content))
    summary = {row[0]: row[1] for row in book["五有汇总"].iter_rows(min_row=2, values_only=True)}
    assert summary == {"镇街商会（个）": 5, "“五有”全部达标（个）": 1, "达标率（%）": 20, "无本年度评估（个）": 1}
    rows = {row[0]: row for row in book["五有达标情况"].iter_rows(min_row=2, values_only=True)}
    assert rows["马场街道商会"][3:] == ("达标", "达标", "达标", "未核实（待核实）", "达标", "否")
    assert rows["陈塘庄街道商会"][2] == "无本年度评估"
    items = {row[0]: row[1:3] for row in book["五有分项"].iter_rows(min_row=2, values_only=True)}
    assert items == {"机构牌子": (4, 1), "工作班子": (4, 1), "办公场所": (3, 2), "工作经费": (2, 3), "活动开展": (3, 2)}
    assert AuditEvent.objects.filter(action="export", object_type="honours.compliance").exists()


# --- the figures -------------------------------------------------------------------------------------------------------
def test_the_figures_give_the_same_numbers_with_their_records(cast, district):
    period = Period.year(YEAR)
    staff = cast.users.staff
    rate = compute("honours.five_have_rate", user=staff, period=period)
    assert rate.value == Decimal("20.0") and rate.records.count() == 5
    assert names(compute("honours.five_have_complete", user=staff, period=period).records) == ["挂甲寺街道商会"]
    assert compute("honours.five_have_unassessed", user=staff, period=period).value == 1
    funds = compute("honours.five_have_funds", user=staff, period=period)
    assert funds.value == 2 and names(funds.records) == ["尖山街道商会", "挂甲寺街道商会"]
    other = compute("honours.five_have_rate", user=cast.users.outsider_staff, period=period)  # its own district
    assert other.value == Decimal("100.0") and names(other.records) == ["南开区某街道商会"]


def test_the_four_good_and_five_good_figures(cast, district):
    period = Period.year(YEAR)
    four_good(district["complete"], "90")
    four_good(district["returned"], "75")
    four_good(cast.chamber2, "60")
    assert compute("honours.four_good_chambers", user=cast.users.staff, period=period).value == 2
    assert compute("honours.four_good_chambers", user=cast.users.staff, period=period, level="合格").value == 1
    with pytest.raises(Exception) as refused:
        compute("honours.four_good_chambers", user=cast.users.staff, period=period, level="特等")
    assert refused.typename == "Http404"
    assert compute("honours.five_good_total", user=cast.users.staff, period=period).value is None
    check = testing.make_assessment(cast.district, scheme="five_good", year=YEAR, status=A.CONFIRMED)
    Assessment.objects.filter(pk=check.pk).update(total_score=Decimal("92.50"), level="优秀")
    total = compute("honours.five_good_total", user=cast.users.staff, period=period)
    assert total.value == Decimal("92.50") and list(total.records) == [check]
    assert compute("honours.five_good_total", user=cast.users.chamber1, period=period).value is None


def test_the_statistics_sections_carry_the_same_numbers(cast, district, django_assert_max_num_queries):
    from shanglian.honours.figures import assessments as figures

    period = Period.year(YEAR)
    with django_assert_max_num_queries(12):
        found = figures.sections(user=cast.users.staff, period=period)
    assert [s.dom_id for s in found] == ["stats-five-have", "stats-four-good", "stats-five-good"]
    five = found[0]
    assert [f.value for f in five.figures] == [Decimal("20.0"), 1, 1]
    assert [row.cells for row in five.table.rows] == [("机构牌子", 4, 1), ("工作班子", 4, 1), ("办公场所", 3, 2),
                                                      ("工作经费", 2, 3), ("活动开展", 3, 2)]
    assert five.table.rows[3].records_url.startswith(reverse("honours:figure_records",
                                                             args=["honours.five_have_funds"]))
    assert five.chart_data["honours-assessments"]["fiveHaveItems"][3] == {"name": "工作经费", "value": 2}
    assert [s.dom_id for s in figures.sections(user=cast.users.chamber1, period=period)] == [
        "stats-five-have", "stats-four-good"]
