"""Demo data of the reports (统计报告): what no other app's records hold. Each part's builder registers itself here
(`demo.registry.register`); they run after the apps whose records they read.

- `reports_external` — 外部指标: the demo district's external values for the last three full years before the day
  the demo is built (区统计局's 民营经济增加值 ~300 亿元 and its growth, 区市场监管局's 市场主体 counts, capital and their
  growth, 区委编办's staffing quota, 区财政局's work funds, the federation's own counts of honours and staff), each
  with its source and a note naming the document it comes from; and the quarters of the year before and of the
  current year up to the last finished quarter for 民营经济增加值 and 民营企业 (so that 同比 and 环比 of a quarter
  read something). The numbers are fixed series (the growth rates computed from the counts they describe), so the
  same day gives the same values.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from shanglian.demo.registry import register

from .models import ExternalIndicator, ExternalValue, PeriodKind

__all__ = ["build_external", "counts_external", "external_plan"]

# --- 外部指标 ---------------------------------------------------------------------------------------------------
# Four years of the counts (the first only to compute the first shown year's growth) and three of the rest, oldest
# first; the last is the year before the demo's day.
EXTERNAL_COUNTS = {
    "private_enterprises": [25920, 28640, 31270, 33910],
    "individual_businesses": [37450, 41230, 45880, 49310],
}
EXTERNAL_GROWTH_OF = {"private_enterprises_growth": "private_enterprises",
                      "individual_businesses_growth": "individual_businesses"}
EXTERNAL_SERIES = {
    "private_new_capital_growth": ["18.62", "24.35", "12.08"],
    "individual_new_capital_growth": ["35.4", "41.27", "-6.15"],
    "private_capital": ["986.42", "1092.95", "1168.3"],
    "private_capital_share": ["61.85", "63.71", "64.52"],
    "private_value_added": ["291.37", "319.95", "338.64"],
    "private_value_added_growth": ["6.8", "7.5", "5.2"],
    "enterprises_external_honours": ["18", "23", "21"],
    "federation_honours": ["3", "4", "5"],
    "office_staff": ["5", "6", "6"],
    "staffing_quota": ["4", "4", "4"],
    "work_funds": ["12.5", "15", "16.8"],
}
# The quarters of 民营经济增加值 (shares of the year before's value; the current year's quarters grow by
# QUARTER_GROWTH on the year before's) and the quarter-end counts of 民营企业.
VALUE_ADDED_QUARTER_SHARES = ["0.22", "0.24", "0.25"]  # the fourth is the rest
QUARTER_GROWTH = Decimal("1.056")
ENTERPRISES_AT_QUARTER_END = {-1: [32150, 32780, 33420, 33910], 0: [34560, 35190, 35830, 36400]}
NOTES = {
    "区统计局": "{year}年国民经济和社会发展统计公报",
    "区市场监管局": "{year}年市场主体发展情况通报",
    "区委编办": "区委编办机构编制核定",
    "区财政局": "{year}年部门决算",
    "本会统计": "本会{year}年度工作统计",
}
HUNDREDTH = Decimal("0.01")


def _growth(now, before):
    return ((Decimal(now) / Decimal(before) - 1) * 100).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def _quarter_ended(year, quarter, today):
    last_month = quarter * 3
    first_of_next = date(year + 1, 1, 1) if last_month == 12 else date(year, last_month + 1, 1)
    return first_of_next <= today


def external_plan(today):
    """[(indicator code, period kind, year, number, value)] of the demo district on `today`."""
    last = today.year - 1
    years = [last - 2, last - 1, last]
    rows = []
    for code, counts in EXTERNAL_COUNTS.items():
        rows += [(code, PeriodKind.YEAR, year, 0, Decimal(count)) for year, count in zip(years, counts[1:], strict=True)]
    for code, of in EXTERNAL_GROWTH_OF.items():
        counts = EXTERNAL_COUNTS[of]
        rows += [(code, PeriodKind.YEAR, year, 0, _growth(counts[i + 1], counts[i])) for i, year in enumerate(years)]
    for code, series in EXTERNAL_SERIES.items():
        rows += [(code, PeriodKind.YEAR, year, 0, Decimal(value)) for year, value in zip(years, series, strict=True)]
    year_value = Decimal(EXTERNAL_SERIES["private_value_added"][-1])
    quarters = [(year_value * Decimal(share)).quantize(HUNDREDTH) for share in VALUE_ADDED_QUARTER_SHARES]
    quarters.append(year_value - sum(quarters))
    for offset, year in ((-1, last), (0, today.year)):
        for quarter in range(1, 5):
            if offset == 0 and not _quarter_ended(year, quarter, today):
                break
            value_added = quarters[quarter - 1] if offset == -1 else \
                (quarters[quarter - 1] * QUARTER_GROWTH).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
            rows.append(("private_value_added", PeriodKind.QUARTER, year, quarter, value_added))
            rows.append(("private_enterprises", PeriodKind.QUARTER, year, quarter,
                         Decimal(ENTERPRISES_AT_QUARTER_END[offset][quarter - 1])))
    return rows


def build_external(result, *, today):
    """Save the external values of the demo district `result` (the "members" step's result) on `today`."""
    indicators = {i.code: i for i in ExternalIndicator.objects.all()}
    staff = result.users.get("staff")
    values = []
    for code, kind, year, number, value in external_plan(today):
        indicator = indicators[code]
        values.append(ExternalValue(
            indicator=indicator, federation=result.federation, period_kind=kind, year=year, number=number,
            value=value, source=indicator.source, note=NOTES[indicator.source].format(year=year),
            entered_by=staff))
    with transaction.atomic():
        ExternalValue.objects.bulk_create(values)
    return values


def counts_external():
    return [("外部指标", ExternalIndicator.objects.count()), ("外部指标数值", ExternalValue.objects.count())]


@register("reports_external", after=("members",), counts=counts_external)
def seed_external(run):
    """`seed_demo`'s step: the demo district's external values (统计局, 市场监管局 …) of the last three years."""
    return build_external(run.results["members"], today=run.today)


# --- 指标目标 ---------------------------------------------------------------------------------------------------
# The demo district's targets for the current year and the one before (the seeds' own: 商会覆盖率不低于60%, the
# service desk's 满意率 and 按时办理率, every target village paired, the party organisations' coverage).
DEMO_TARGETS = (
    ("members.chamber_coverage", "min", "60", "行业商会覆盖民营企业集中行业不低于60%"),
    ("members.growth_rate", "min", "10", "会员年增长10%以上"),
    ("appeals.satisfaction_rate", "min", "95", "诉求办理满意率不低于95%"),
    ("appeals.on_time_rate", "min", "95", "诉求按时办理率不低于95%"),
    ("welfare.village_coverage", "min", "100", "帮扶目标村结对全覆盖"),
    ("engagement.organisation_coverage", "min", "80", "非公企业党组织覆盖率不低于80%"),
)


def build_targets(result, *, today):
    """Save the targets of the demo district `result` (the "members" step's result) for `today`'s year and the
    year before."""
    from .models import FigureTarget

    staff = result.users.get("staff")
    targets = [FigureTarget(federation=result.federation, key=key, year=year, direction=direction,
                            value=Decimal(value), note=note, set_by=staff)
               for year in (today.year - 1, today.year) for key, direction, value, note in DEMO_TARGETS]
    with transaction.atomic():
        FigureTarget.objects.bulk_create(targets)
    return targets


def counts_targets():
    from .models import FigureTarget

    return [("指标目标", FigureTarget.objects.count())]


@register("reports_targets", after=("members",), counts=counts_targets)
def seed_targets(run):
    """`seed_demo`'s step: the demo district's figure targets of this year and the last."""
    return build_targets(run.results["members"], today=run.today)


from . import demo_city  # noqa: E402,F401  (registers the step "reports_city")
