"""Figures of party building (DESIGN §4: "党组织62家；17个街道联合党委全覆盖；'两个覆盖'"), registered with the
figures layer (`shanglian.ui.figures`) with the records behind each, and the party part of the statistics page
(`sections(user=, period=)`).

The day of a figure is the period's end, or today when the period ends later (`Period.as_of`): the organisations
active then (founded on or before it, not dissolved by it), the instructors in force then. The census is each
enterprise's last survey (`EnterpriseParty` keeps no history), so the coverage rates are not compared with
earlier periods (no 同比/环比). A rate over no enterprise is None, shown "无数据" (never 0 %).

Narrowing (the drill-down of a table row): the coverage figures take `chamber=` (a Chamber id: its active
member enterprises) and `street=` (a Street id, or "none": enterprises without a street); the organisations
`kind=` (a `PartyOrganisation.Kind`); `NARROWING` lists them per key. An id outside the user's scope is a 404. `RECORD_COLUMNS` gives each
figure's columns for `ui.figures.records_page`; `links.records_url(key, period, **narrowing)` links to the app's
drill-down page (`engagement:figure_records`).

The statistics page's sections carry their chart data (`FigureSection.chart_data`, {json_script id: data}); the
page gathers it with `ui.figures.gather_chart_data`.
"""

from django.http import Http404
from django.urls import reverse

from shanglian.members.selectors import streets_visible_to
from shanglian.orgs.models import Street
from shanglian.orgs.selectors import chambers_in_scope
from shanglian.ui import figures as ui
from shanglian.ui.listing import Column

from ..models import (
    PARTY_MEMBERS_FOR_OWN_ORGANISATION,
    THREE_MEETINGS_ONE_LECTURE,
    PartyActivity,
    PartyOrganisation,
    organisation_active_q,
)
from ..selectors import party as selectors
from .links import card, records_url

SOURCE = "party-stats"  # the json_script element the party charts read
KIND_LABELS = dict(PartyOrganisation.Kind.choices)
BIG = PARTY_MEMBERS_FOR_OWN_ORGANISATION

AS_OF = "统计期末（期末晚于今天时为今天）"
ACTIVE = f"{AS_OF}在册（已成立、未撤销）"
CENSUS = "企业党员情况（每家企业最近一次统计）"
ORGANISATION_COVERED = (f"有本企业{ACTIVE}的党组织，或被{ACTIVE}的联合党委（党组织）列为联建覆盖企业")
WORK_COVERED = (f"已组织覆盖（口径同组织覆盖率，不限党员人数）或有{AS_OF}在任的党建指导员"
                "（选派到该企业，或选派到该企业在册所属的商会）")
ORGANISATION_COVERAGE = (f"{CENSUS}中党员{BIG}人及以上的企业里，{ORGANISATION_COVERED}的企业所占比例 = "
                         f"组织覆盖的企业数 ÷ 党员{BIG}人及以上的企业数；按商会为其在册会员企业，按街道为企业所在街道；"
                         f"记录为党员{BIG}人及以上的企业（分母）；没有这样的企业时为“无数据”")
WORK_COVERAGE = (f"{CENSUS}中党员1人及以上的企业里，{WORK_COVERED}的企业所占比例 = 工作覆盖的企业数 ÷ "
                 "党员1人及以上的企业数；按商会为其在册会员企业，按街道为企业所在街道；记录为党员1人及以上的企业（分母）；"
                 "没有这样的企业时为“无数据”")
STREETS_FULLY_COVERED = (f"有正常状态商会的街道中，其全部正常状态的商会都被{ACTIVE}的联合党委覆盖（联合党委建在该商会，"
                         "或建在该街道）的街道数；没有正常状态商会的街道不计；记录为这些街道")


def _active(period):
    return organisation_active_q(period.as_of())


# --- narrowing -----------------------------------------------------------------------------------------------
def _narrowing(user, *, chamber=None, street=None):
    """The chamber / street of a drill-down, checked against the user's scope (404 outside it)."""
    found = {}
    if chamber is not None:
        found["chamber"] = chambers_in_scope(user).filter(pk=chamber).first()
        if found["chamber"] is None:
            raise Http404("没有该商会。")
    if street is not None:
        if street == "none":
            found["street"] = "none"
        else:
            found["street"] = streets_visible_to(user).filter(pk=street).first()
            if found["street"] is None:
                raise Http404("没有该街道。")
    return found


def _enterprises(user, period, base, **narrowing):
    on = period.as_of()
    rows = selectors.census_enterprises(user, on=on).filter(selectors.BASES[base])
    return selectors.narrowed(rows, **_narrowing(user, **narrowing)).select_related("street")


# --- registered figures ----------------------------------------------------------------------------------------
@ui.figure("engagement.party_organisations", label="党组织", unit="个", definition=f"{ACTIVE}的党组织")
def party_organisations(*, user, period, kind=None):
    rows = selectors.party_organisations_visible_to(user).filter(_active(period))
    if kind is not None:
        if kind not in KIND_LABELS:
            raise Http404("没有该党组织类型。")
        rows = rows.filter(kind=kind)
    return rows


@ui.figure("engagement.joint_committees", label="联合党委", unit="个", definition=f"{ACTIVE}的联合党委")
def joint_committees(*, user, period):
    return selectors.party_organisations_visible_to(user).filter(
        _active(period), kind=PartyOrganisation.Kind.JOINT_COMMITTEE)


@ui.figure("engagement.organisation_coverage", label="组织覆盖率", unit="%", compare=False,
           definition=ORGANISATION_COVERAGE)
def organisation_coverage(*, user, period, chamber=None, street=None):
    found = selectors.coverage(user, on=period.as_of(), **_narrowing(user, chamber=chamber, street=street))
    return found.organisation_rate, _enterprises(user, period, "org", chamber=chamber, street=street)


@ui.figure("engagement.work_coverage", label="工作覆盖率", unit="%", compare=False, definition=WORK_COVERAGE)
def work_coverage(*, user, period, chamber=None, street=None):
    found = selectors.coverage(user, on=period.as_of(), **_narrowing(user, chamber=chamber, street=street))
    return found.work_rate, _enterprises(user, period, "work", chamber=chamber, street=street)


@ui.figure("engagement.organisation_covered", label="组织覆盖的企业", unit="家", compare=False,
           definition=f"{CENSUS}中党员{BIG}人及以上、{ORGANISATION_COVERED}的企业（组织覆盖率的分子）")
def organisation_covered(*, user, period, chamber=None, street=None):
    return _enterprises(user, period, "org", chamber=chamber, street=street).filter(org_covered=True)


@ui.figure("engagement.organisation_uncovered", label="应建未建的企业", unit="家", compare=False,
           definition=f"{CENSUS}中党员{BIG}人及以上、未组织覆盖（既无本企业党组织，也未被联合党委覆盖）的企业")
def organisation_uncovered(*, user, period, chamber=None, street=None):
    return _enterprises(user, period, "org", chamber=chamber, street=street).filter(org_covered=False)


@ui.figure("engagement.work_covered", label="工作覆盖的企业", unit="家", compare=False,
           definition=f"{CENSUS}中党员1人及以上、{WORK_COVERED}的企业（工作覆盖率的分子）")
def work_covered(*, user, period, chamber=None, street=None):
    return _enterprises(user, period, "work", chamber=chamber, street=street).filter(work_covered=True)


@ui.figure("engagement.work_uncovered", label="工作未覆盖的企业", unit="家", compare=False,
           definition=f"{CENSUS}中党员1人及以上、既未组织覆盖也没有在任党建指导员的企业")
def work_uncovered(*, user, period, chamber=None, street=None):
    return _enterprises(user, period, "work", chamber=chamber, street=street).filter(work_covered=False)


@ui.figure("engagement.streets_fully_covered", label="联合党委全覆盖的街道", unit="个", compare=False,
           definition=STREETS_FULLY_COVERED)
def streets_fully_covered(*, user, period):
    found = selectors.street_joint_coverage(user, on=period.as_of())
    return Street.objects.filter(pk__in=[row.street.pk for row in found if row.fully_covered]).order_by("code", "id")


@ui.figure("engagement.party_instructors", label="党建指导员", unit="人", compare=False,
           definition=f"{AS_OF}在任的党建指导员（选派到企业或商会）")
def party_instructors(*, user, period):
    return selectors.instructors_visible_to(user).filter(selectors.instructor_in_force_q(period.as_of()))


def _activities(user, period, kinds):
    return (selectors.party_activities_visible_to(user)
            .filter(held_on__gte=period.start, held_on__lte=period.end, kind__in=kinds)
            .select_related("organisation", "recorded_by"))


@ui.figure("engagement.three_meetings", label="三会一课", unit="次",
           definition="活动日期在统计期间内的“三会一课”（支部党员大会、支委会、党小组会、党课）次数")
def three_meetings(*, user, period):
    return _activities(user, period, THREE_MEETINGS_ONE_LECTURE)


@ui.figure("engagement.theme_days", label="主题党日", unit="次", definition="活动日期在统计期间内的主题党日活动次数")
def theme_days(*, user, period):
    return _activities(user, period, [PartyActivity.Kind.THEME_DAY])


# --- the drill-down's columns --------------------------------------------------------------------------------
def _yes_no(value):
    return "是" if value else "否"


ORGANISATION_COLUMNS = [
    Column("党组织名称", "name", link=lambda o: reverse("engagement:party_organisation", args=[o.pk]), wrap=True,
           sort="name"),
    Column("类型", "get_kind_display", sort="kind"), Column("隶属", lambda o: str(o.host or "")),
    Column("党员人数", "members_count", sort="members_count"), Column("成立日期", "founded", sort="founded"),
]
ENTERPRISE_COLUMNS = [
    Column("企业名称", "name", link=lambda e: reverse("members:enterprise_detail", args=[e.pk]), wrap=True),
    Column("统一社会信用代码", "uscc"), Column("所在街道", "street.name"),
    Column("党员人数", "party_members", sort="party_members"),
    Column("组织覆盖", lambda e: _yes_no(e.org_covered)), Column("工作覆盖", lambda e: _yes_no(e.work_covered)),
]
STREET_COLUMNS = [Column("街道（镇）", "name", sort="name"), Column("街道代码", "code", sort="code")]
INSTRUCTOR_COLUMNS = [
    Column("指导员", "name", sort="name"), Column("工作单位及职务", "unit"),
    Column("指导对象", lambda i: str(i.enterprise or i.chamber)), Column("选派日期", "start", sort="start"),
]
ACTIVITY_COLUMNS = [
    Column("党组织", "organisation.name", link=lambda a: reverse("engagement:party_organisation",
                                                                 args=[a.organisation_id]), wrap=True),
    Column("活动类型", "get_kind_display"), Column("活动日期", "held_on", sort="held_on"),
    Column("主题", "title", wrap=True), Column("参加人数", "attendees"),
]
RECORD_COLUMNS = {
    "engagement.party_organisations": ORGANISATION_COLUMNS, "engagement.joint_committees": ORGANISATION_COLUMNS,
    **dict.fromkeys(("engagement.organisation_coverage", "engagement.work_coverage", "engagement.organisation_covered",
                     "engagement.organisation_uncovered", "engagement.work_covered", "engagement.work_uncovered"),
                    ENTERPRISE_COLUMNS),
    "engagement.streets_fully_covered": STREET_COLUMNS, "engagement.party_instructors": INSTRUCTOR_COLUMNS,
    "engagement.three_meetings": ACTIVITY_COLUMNS, "engagement.theme_days": ACTIVITY_COLUMNS,
}
# The drill-down's parameters of each figure narrowed to a table row (see the module's docstring).
NARROWING = {"engagement.party_organisations": ("kind",),
             **dict.fromkeys(("engagement.organisation_coverage", "engagement.work_coverage",
                              "engagement.organisation_covered", "engagement.organisation_uncovered",
                              "engagement.work_covered", "engagement.work_uncovered"), ("chamber", "street"))}


# --- the statistics page's sections ------------------------------------------------------------------------------
def _card(key, value, period):
    """The card of figure `key` with a value the section has already counted (no query of its own)."""
    spec = ui.get(key)
    return card(ui.Figure(label=spec.label, definition=spec.definition, value=value, unit=spec.unit, key=key,
                          period=period), period)


def _number(value):
    return None if value is None else float(value)


def _coverage_table(title, rows, dom_id, first, period, param):
    """A coverage table: a row per chamber or street with both rates and their counts."""
    columns = (ui.Col(first), ui.Col(f"党员{BIG}人及以上企业"), ui.Col("组织覆盖"), ui.Col("组织覆盖率", unit="%"),
               ui.Col("有党员企业"), ui.Col("工作覆盖"), ui.Col("工作覆盖率", unit="%"))
    shown = [ui.Row((name, c.large, c.large_covered, c.organisation_rate, c.with_members, c.worked, c.work_rate),
                    label=name, records_url=records_url("engagement.work_coverage", period, **{param: pk}))
             for name, pk, c in rows]
    return ui.FigureTable(title, columns, tuple(shown), row_header=True, dom_id=dom_id,
                          empty_text="范围内没有商会" if param == "chamber" else "范围内没有街道")


def sections(*, user, period):
    """The party part of the statistics page: 党组织 by kind, 两个覆盖 overall, by street and by chamber (with the
    streets a 联合党委 covers wholly), 三会一课 and 主题党日 by month. A dozen queries whatever the data."""
    on = period.as_of()
    day = f"{on:%Y年%-m月%-d日}"
    by_kind = selectors.organisations_by_kind(user, on=on)
    kinds = [(kind, label, by_kind.get(kind, 0)) for kind, label in PartyOrganisation.Kind.choices]
    total = sum(by_kind.values())
    overall = selectors.coverage(user, on=on)
    streets = selectors.street_joint_coverage(user, on=on)
    by_street = [(street.name if street else "未填写街道", street.pk if street else "none", c)
                 for street, c in selectors.coverage_by_street(user, on=on)]
    by_chamber = [(chamber.name, chamber.pk, c) for chamber, c in selectors.coverage_by_chamber(user, on=on)]
    months = selectors.activity_month_counts(user, period)
    month_rows = []
    for first in period.months():
        meetings = sum(months.get((first, kind), 0) for kind in THREE_MEETINGS_ONE_LECTURE)
        month_rows.append(ui.Row((f"{first.year}年{first.month}月", meetings,
                                  months.get((first, PartyActivity.Kind.THEME_DAY), 0)), label=f"{first:%Y-%m}"))

    fully = [row for row in streets if row.fully_covered]
    with_chambers = [row for row in streets if row.chambers]
    organisation_cards = [
        _card("engagement.party_organisations", total, period),
        _card("engagement.joint_committees", by_kind.get(PartyOrganisation.Kind.JOINT_COMMITTEE, 0), period),
        _card("engagement.streets_fully_covered", len(fully), period),
    ]
    coverage_cards = [
        _card("engagement.organisation_coverage", overall.organisation_rate, period),
        _card("engagement.organisation_uncovered", overall.large_uncovered, period),
        _card("engagement.work_coverage", overall.work_rate, period),
        _card("engagement.work_uncovered", overall.not_worked, period),
    ]
    meeting_cards = [
        _card("engagement.three_meetings", sum(row.cells[1] for row in month_rows), period),
        _card("engagement.theme_days", sum(row.cells[2] for row in month_rows), period),
    ]
    kind_table = ui.FigureTable(
        "党组织（按类型）", (ui.Col("类型"), ui.Col("党组织数")),
        tuple(ui.Row((label, n), label=label, records_url=records_url("engagement.party_organisations", period,
                                                                        kind=kind)) for kind, label, n in kinds)
        + (ui.Row(("合计", total), label="合计", total=True,
                  records_url=records_url("engagement.party_organisations", period)),),
        row_header=True, dom_id="table-party-kinds")
    street_table = ui.FigureTable(
        "联合党委覆盖街道商会", (ui.Col("街道（镇）"), ui.Col("正常商会"), ui.Col("联合党委覆盖"), ui.Col("全覆盖"),
                               ui.Col("街道联合党委")),
        tuple(ui.Row((row.street.name, row.chambers, row.covered,
                      ("是" if row.fully_covered else "否") if row.chambers else "无商会",
                      "有" if row.street_committee else "无"), label=row.street.name) for row in streets),
        row_header=True, dom_id="table-party-street-committees", empty_text="范围内没有街道")
    month_table = ui.FigureTable("三会一课与主题党日（按月）", (ui.Col("月份"), ui.Col("三会一课"), ui.Col("主题党日")),
                                 tuple(month_rows), row_header=True, dom_id="table-party-months")
    return [
        ui.FigureSection(
            title=f"党组织（{day}）", dom_id="stats-party-organisations", figures=organisation_cards,
            note=f"联合党委全覆盖的街道 {len(fully)} 个（有正常状态商会的街道 {len(with_chambers)} 个）。",
            chart=ui.Chart("pie", SOURCE, "chart-party-kinds", "各类型党组织数，数据见下表", key="partyKinds")
            if total else None, chart_empty_text="暂无在册的党组织", table=kind_table,
            chart_data={SOURCE: {"partyKinds": [{"name": label, "value": n} for _kind, label, n in kinds if n]}}),
        ui.FigureSection(title="联合党委覆盖（按街道）", dom_id="stats-party-street-committees", table=street_table),
        ui.FigureSection(
            title=f"两个覆盖（{day}）", dom_id="stats-party-coverage", figures=coverage_cards,
            note=f"组织覆盖率：党员{BIG}人及以上企业中组织覆盖的比例；工作覆盖率：有党员企业中组织覆盖或有党建指导员的比例。"),
        ui.FigureSection(
            title="两个覆盖（按街道）", dom_id="stats-party-coverage-streets",
            chart=ui.Chart("ranking", SOURCE, "chart-party-coverage-streets", "各街道工作覆盖率，数据见下表",
                           key="partyStreetWork", unit="%", max="100")
            if any(c.work_rate is not None for _n, _p, c in by_street) else None,
            chart_empty_text="暂无企业党员情况", table=_coverage_table(
                "两个覆盖（按街道）", by_street, "table-party-coverage-streets", "街道（镇）", period, "street"),
            chart_data={SOURCE: {"partyStreetWork": [{"name": name, "value": _number(c.work_rate)}
                                                     for name, _pk, c in by_street if c.work_rate is not None]}}),
        ui.FigureSection(
            title="两个覆盖（按商会）", dom_id="stats-party-coverage-chambers",
            table=_coverage_table("两个覆盖（按商会）", by_chamber, "table-party-coverage-chambers", "商会", period,
                                  "chamber")),
        ui.FigureSection(
            title=f"三会一课与主题党日（{period.label}）", dom_id="stats-party-meetings", figures=meeting_cards,
            chart=ui.Chart("combo", SOURCE, "chart-party-months", "各月三会一课与主题党日次数，数据见下表",
                           categories="partyMonths", bars="partyMeetings:三会一课;partyThemeDays:主题党日", axes="次"),
            table=month_table,
            chart_data={SOURCE: {"partyMonths": [row.cells[0] for row in month_rows],
                                 "partyMeetings": [row.cells[1] for row in month_rows],
                                 "partyThemeDays": [row.cells[2] for row in month_rows]}}),
    ]


__all__ = ["NARROWING", "RECORD_COLUMNS", "sections"]
