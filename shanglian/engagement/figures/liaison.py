"""Figures of liaison (包联/帮联) and visits (走访) — "区领导包联民营企业", "区、街两级帮联企业制度，联系百家企业",
"反映问题解决满意度" — registered with the figures layer with the records behind each, scoped by
`selectors.liaison` (a leader: their own liaisons and visits; the editors: their federations; others 403).

Definitions (the same words are each figure's `definition`):

- **包联企业** (`engagement.liaison_enterprises`): distinct enterprises with a liaison (包联 or 帮联) in force on
  the day the period is read on (`Period.as_of`: its last day, or today while the period runs — a liaison that
  starts after today is not counted yet, one ending before the period's last day no longer). The coverage and
  the tables by liaison and by street read the liaisons in force on that same day.
- **走访企业** (`engagement.visited_enterprises`): distinct enterprises visited (a visit dated) in the period.
- **包联企业走访覆盖率** (`engagement.visit_coverage`): 包联企业 visited in the period ÷ 包联企业; records: the
  包联企业 (the denominator); none → 无数据.
- **走访次数** (`engagement.visits`), **发现问题的走访** (`engagement.visits_with_problems`: problems recorded).
- **走访转诉求** (`engagement.visit_appeals`): appeals opened from visits (`VisitAppeal`) and submitted in the
  period; **已办结** (`engagement.visit_appeals_solved`): those of them now 已办结; **办结率**
  (`engagement.visit_appeal_close_rate`): 已办结 ÷ 走访转诉求 (none → 无数据).

`sections(user=, period=)` builds this part of the 政治引领 statistics page: the cards, visits by month, by
liaison (the most visits first) and by street. Every chart's data travels with its section: `chart_data` is
{SOURCE: the keys its chart reads}, gathered by the page with `ui.figures.gather_chart_data`.
`RECORD_COLUMNS` names the drill-down's columns of each figure's records. A role without liaison gets no
section (`[]`).

Cost: each aggregate is one grouped query over the period's visits (`engagement_visit_fed_day`) or the
liaisons in force; months are a CASE over the months' first and last days, not a date function per row.
"""

from datetime import timedelta

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When
from django.urls import reverse

from shanglian.accounts.roles import VISITOR_ROLES, role_of
from shanglian.appeals.models import Appeal, Status
from shanglian.common.periods import Period, day_text
from shanglian.members.models import Enterprise
from shanglian.ui import figures as ui
from shanglian.ui.figures import figure, share
from shanglian.ui.listing import Column

from ..models import liaison_in_force_q
from ..selectors.liaison import liaisons_visible_to, visits_visible_to
from .links import card, records_url

SOURCE = "engagement-liaison-data"
TOP_LIAISONS = 10
NO_STREET = "未登记街道"


# --- the rows behind the figures -------------------------------------------------------------------------
def liaisons_in_force(user, period):
    """The liaisons in scope in force on the day the period is read on (`Period.as_of`)."""
    return liaisons_visible_to(user).filter(liaison_in_force_q(period.as_of()))


def period_visits(user, period):
    return visits_visible_to(user).filter(visited_on__gte=period.start, visited_on__lte=period.end)


def _enterprises(ids):
    return Enterprise.objects.filter(pk__in=ids).select_related("street").order_by("name", "id")


def liaison_enterprise_rows(user, period):
    return _enterprises(liaisons_in_force(user, period).order_by().values("enterprise_id"))


def visited_enterprise_rows(user, period):
    return _enterprises(period_visits(user, period).order_by().values("enterprise_id"))


def _visited_in(user, period):
    return Exists(period_visits(user, period).filter(enterprise_id=OuterRef("pk")))


def visit_appeal_rows(user, period):
    start, end = period.bounds
    return (Appeal.objects.filter(raised_on_visit__visit__in=visits_visible_to(user).order_by().values("pk"),
                                  submitted_at__gte=start, submitted_at__lt=end)
            .select_related("enterprise", "category", "raised_on_visit__visit"))


# --- registered figures (shanglian.ui.figures) ---------------------------------------------------------------
AS_OF = "统计期末（期末晚于今天时为今天）"
IN_FORCE = f"{AS_OF}有在期包联（区级包联或街道帮联）关系的企业"
APPEALS = "由走访发现的问题转为诉求、且提交时间在统计期间内的诉求"


@figure("engagement.liaison_enterprises", label="包联企业", unit="家", definition=IN_FORCE)
def liaison_enterprises(*, user, period):
    return liaison_enterprise_rows(user, period)


@figure("engagement.visited_enterprises", label="走访企业", unit="家", definition="统计期间内有走访记录的企业（按走访日期）")
def visited_enterprises(*, user, period):
    return visited_enterprise_rows(user, period)


@figure("engagement.visit_coverage", label="包联企业走访覆盖率", unit="%",
        definition=f"{IN_FORCE}中，统计期间内被走访过的比例；记录为全部包联企业（分母）")
def visit_coverage(*, user, period):
    rows = liaison_enterprise_rows(user, period)
    counts = rows.aggregate(total=Count("pk"), visited=Count("pk", filter=Q(_visited_in(user, period))))
    return share(counts["visited"], counts["total"]), rows


@figure("engagement.visits", label="走访次数", unit="次", definition="走访日期在统计期间内的走访记录")
def visits(*, user, period):
    return period_visits(user, period)


@figure("engagement.visits_with_problems", label="发现问题的走访", unit="次",
        definition="走访日期在统计期间内、记录了发现问题的走访")
def visits_with_problems(*, user, period):
    return period_visits(user, period).exclude(problems="")


@figure("engagement.visit_appeals", label="走访转诉求", unit="件", definition=APPEALS)
def visit_appeals(*, user, period):
    return visit_appeal_rows(user, period)


@figure("engagement.visit_appeals_solved", label="走访诉求已办结", unit="件", definition=f"{APPEALS}中已办结的")
def visit_appeals_solved(*, user, period):
    return visit_appeal_rows(user, period).filter(status=Status.CLOSED)


@figure("engagement.visit_appeal_close_rate", label="走访诉求办结率", unit="%",
        definition=f"{APPEALS}中已办结的比例；记录为全部走访转诉求（分母）")
def visit_appeal_close_rate(*, user, period):
    rows = visit_appeal_rows(user, period)
    counts = rows.aggregate(total=Count("pk"), closed=Count("pk", filter=Q(status=Status.CLOSED)))
    return share(counts["closed"], counts["total"]), rows


# --- the drill-down's columns ----------------------------------------------------------------------------------
ENTERPRISE_COLUMNS = [
    Column("企业名称", "name", link=lambda e: reverse("members:enterprise_detail", args=[e.pk]), wrap=True),
    Column("统一社会信用代码", "uscc"), Column("所在街道", "street.name"),
]
VISIT_COLUMNS = [
    Column("走访日期", lambda v: day_text(v.visited_on), link=lambda v: reverse("engagement:visit", args=[v.pk]),
           sort="visited_on"),
    Column("企业", "enterprise.name", wrap=True), Column("走访人员", "visitors"),
    Column("发现问题", "problems", wrap=True),
]
APPEAL_COLUMNS = [
    Column("诉求编号", "number", link=lambda a: reverse("appeals:detail", args=[a.pk]), sort="number"),
    Column("诉求标题", "title", wrap=True), Column("企业", "enterprise.name"), Column("状态", "get_status_display"),
    Column("来源走访", lambda a: day_text(a.raised_on_visit.visit.visited_on)),
]
RECORD_COLUMNS = {
    "engagement.liaison_enterprises": ENTERPRISE_COLUMNS, "engagement.visited_enterprises": ENTERPRISE_COLUMNS,
    "engagement.visit_coverage": ENTERPRISE_COLUMNS, "engagement.visits": VISIT_COLUMNS,
    "engagement.visits_with_problems": VISIT_COLUMNS, "engagement.visit_appeals": APPEAL_COLUMNS,
    "engagement.visit_appeals_solved": APPEAL_COLUMNS, "engagement.visit_appeal_close_rate": APPEAL_COLUMNS,
}
NARROWING = {}  # no figure of this part is narrowed to a table row
CARDS = ("engagement.liaison_enterprises", "engagement.visited_enterprises", "engagement.visit_coverage",
         "engagement.visits", "engagement.visits_with_problems", "engagement.visit_appeals",
         "engagement.visit_appeals_solved", "engagement.visit_appeal_close_rate")


# --- grouped reads of the statistics page ------------------------------------------------------------------------
def _month_case(months, field, bounds):
    """The index of the month (in `months`) a row's `field` falls in, as a CASE over the months' bounds (dates for
    a date, instants for a datetime): no date function per row."""
    whens = []
    for i, first in enumerate(months):
        start, end = bounds(Period.month(first.year, first.month))
        whens.append(When(**{f"{field}__gte": start, f"{field}__lt": end}, then=Value(i)))
    return Case(*whens, default=Value(-1), output_field=IntegerField())


def _days(month):
    return month.start, month.end + timedelta(days=1)


def by_month(user, period):
    """[(Period of the month, visits, enterprises visited, visits with problems, appeals opened from visits)] of
    each month the period touches (the first and last months cut to the period); a visit counts in the month of
    its day, an appeal in the month it was submitted (as `engagement.visit_appeals`)."""
    months = period.months()
    rows = (period_visits(user, period).order_by().annotate(month=_month_case(months, "visited_on", _days))
            .values("month").annotate(n=Count("pk"), firms=Count("enterprise_id", distinct=True),
                                      problems=Count("pk", filter=~Q(problems=""))))
    found = {row["month"]: row for row in rows}
    appeals = dict(visit_appeal_rows(user, period).order_by()
                   .annotate(month=_month_case(months, "submitted_at", lambda month: month.bounds))
                   .values("month").annotate(n=Count("pk")).values_list("month", "n"))
    result = []
    for i, first in enumerate(months):
        month = Period.month(first.year, first.month)
        cut = Period.custom(max(month.start, period.start), min(month.end, period.end))
        row = found.get(i, {})
        shown = month if (cut.start, cut.end) == (month.start, month.end) else cut
        result.append((shown, row.get("n", 0), row.get("firms", 0), row.get("problems", 0), appeals.get(i, 0)))
    return result


def _person(row, prefix=""):
    if row[f"{prefix}user_id"]:
        return ("user", row[f"{prefix}user_id"]), (row[f"{prefix}user__display_name"]
                                                  or row[f"{prefix}user__username"])
    return ("department", row[f"{prefix}department_id"]), (row[f"{prefix}department__short_name"]
                                                          or row[f"{prefix}department__name"] or "")


PERSON_FIELDS = ("user_id", "user__display_name", "user__username", "department_id", "department__short_name",
                 "department__name")


def by_liaison(user, period):
    """[(name, enterprises in force on the period's `as_of()` day, visits in the period under their liaisons, enterprises
    they visited)] of every 包联人 (an account or a department), the most visits first."""
    people = {}
    for row in (liaisons_in_force(user, period).order_by().values(*PERSON_FIELDS)
                .annotate(firms=Count("enterprise_id", distinct=True))):
        key, name = _person(row)
        people[key] = [name, row["firms"], 0, 0]
    for row in (period_visits(user, period).filter(liaison__isnull=False).order_by()
                .values(*[f"liaison__{name}" for name in PERSON_FIELDS])
                .annotate(n=Count("pk"), firms=Count("enterprise_id", distinct=True))):
        key, name = _person(row, "liaison__")
        entry = people.setdefault(key, [name, 0, 0, 0])
        entry[2] += row["n"]
        entry[3] += row["firms"]
    return sorted((tuple(entry) for entry in people.values()), key=lambda e: (-e[2], -e[1], e[0]))


def by_street(user, period):
    """[(street name, 包联企业, of them visited in the period, coverage %, visits in the period)] by the
    enterprise's street, streets in code order, enterprises without a street last."""
    enterprises = liaison_enterprise_rows(user, period).order_by()
    counts = {}
    for row in (enterprises.values("street_id", "street__name", "street__code")
                .annotate(n=Count("pk"), visited=Count("pk", filter=Q(_visited_in(user, period))))):
        counts[row["street_id"]] = [row["street__name"] or NO_STREET, row["street__code"] or "~", row["n"],
                                    row["visited"], 0]
    for row in (period_visits(user, period).order_by().values("enterprise__street_id", "enterprise__street__name",
                                                              "enterprise__street__code").annotate(n=Count("pk"))):
        entry = counts.setdefault(row["enterprise__street_id"], [row["enterprise__street__name"] or NO_STREET,
                                                                  row["enterprise__street__code"] or "~", 0, 0, 0])
        entry[4] += row["n"]
    ordered = sorted(counts.values(), key=lambda e: e[1])
    return [(name, firms, visited, share(visited, firms), n) for name, _code, firms, visited, n in ordered]


# --- the statistics page's part -------------------------------------------------------------------------------
def sections(*, user, period):
    """This part's sections of the statistics page (none for a role without liaison)."""
    if role_of(user) not in VISITOR_ROLES:
        return []
    cards = [card(ui.compute(key, user=user, period=period, compare=ui.YEAR_AGO), period) for key in CARDS]
    months = by_month(user, period)
    liaisons = by_liaison(user, period)
    streets = by_street(user, period)
    month_data = {"months": [month.label for month, *_ in months], "visits": [row[1] for row in months],
                  "visitedFirms": [row[2] for row in months], "appeals": [row[4] for row in months]}
    liaison_visits = [{"name": name, "value": n} for name, _firms, n, _visited in liaisons[:TOP_LIAISONS]]
    street_coverage = [{"name": name, "value": float(rate) if rate is not None else 0}
                       for name, firms, _visited, rate, _n in streets if firms]
    month_table = ui.FigureTable(
        "各月走访", (ui.Col("月份"), ui.Col("走访次数"), ui.Col("走访企业"), ui.Col("发现问题"), ui.Col("走访转诉求")),
        tuple(ui.Row((month.label, n, firms, problems, appeals), label=month.label,
                     records_url=records_url("engagement.visits", month))
              for month, n, firms, problems, appeals in months),
        row_header=True, sheet="各月走访", dom_id="table-liaison-months")
    liaison_table = ui.FigureTable(
        "按包联人", (ui.Col("包联人"), ui.Col("在期包联企业"), ui.Col("走访次数"), ui.Col("走访企业")),
        tuple(ui.Row(row) for row in liaisons), numbered=True, sheet="按包联人", dom_id="table-liaison-people",
        empty_text="暂无包联关系")
    street_table = ui.FigureTable(
        "按街道", (ui.Col("街道"), ui.Col("包联企业"), ui.Col("期内已走访"), ui.Col("走访覆盖率", unit="%"),
                  ui.Col("走访次数")),
        tuple(ui.Row(row) for row in streets), row_header=True, sheet="包联按街道", dom_id="table-liaison-streets",
        empty_text="暂无包联企业")
    any_visit = any(row[1] for row in months)
    return [
        ui.FigureSection(title=f"包联走访（{period.label}）", dom_id="stats-liaison", figures=cards,
                         note=f"包联企业按{AS_OF}在期的包联关系计；走访转诉求按诉求提交时间计；"
                              "覆盖率、办结率无分母时为“无数据”。"),
        ui.FigureSection(
            title=f"各月走访（{period.label}）", dom_id="stats-liaison-months", chart_empty_text="本期没有走访记录",
            chart=ui.Chart("combo", SOURCE, "chart-liaison-months", "各月走访次数、走访企业与转诉求，数据见下表",
                           categories="months", bars="visits:走访次数;visitedFirms:走访企业", lines="appeals:转诉求",
                           axes="次/家;件") if any_visit else None,
            table=month_table, chart_data={SOURCE: month_data}),
        ui.FigureSection(
            title=f"按包联人（{period.label}）", dom_id="stats-liaison-people", chart_empty_text="本期没有包联人的走访",
            chart=ui.Chart("ranking", SOURCE, "chart-liaison-people", f"走访次数最多的前{TOP_LIAISONS}位包联人，数据见下表",
                           key="liaisonVisits") if any(row[2] for row in liaisons) else None,
            table=liaison_table, chart_data={SOURCE: {"liaisonVisits": liaison_visits}}),
        ui.FigureSection(
            title=f"按街道（{period.label}）", dom_id="stats-liaison-streets", chart_empty_text="暂无包联企业",
            chart=ui.Chart("ranking", SOURCE, "chart-liaison-streets", "各街道包联企业走访覆盖率，数据见下表",
                           key="streetCoverage", unit="%", max="100") if street_coverage else None,
            table=street_table, chart_data={SOURCE: {"streetCoverage": street_coverage}}),
    ]

