"""领导驾驶舱 and 数据大屏: what the two pages show, read once for a user, a period and a federation.

Every number is a registered figure asked through `values.measure` (the same value, records link, target and gap
as the 指标库 and the Word report), or a breakdown the owning app computes with the same definition:
- the months of a trend: the records of one registered figure for the whole period grouped by month in ONE query
  (`monthly`: a count figure's records are exactly what it counts, so each month's number is the figure for that
  month — `reports/tests/test_dashboard.py` checks it against `measure` month by month); the appeals' months are
  `appeals.figures.by_month` (the service desk's own monthly rows, two queries);
- members per street for the map: `members.figures.street_rows` (the rows of `members.by_street`, one query).
So the page's query count does not depend on the number of records or months.

Figures not registered (yet) are left out of the page rather than shown as zero.
"""

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from django.db.models import Count
from django.utils import timezone

from shanglian.appeals.figures import _month_bucket, by_month, kpi_scope, kpi_source
from shanglian.common.periods import Period
from shanglian.members.figures import street_rows
from shanglian.members.selectors import memberships_visible_to
from shanglian.orgs.models import Federation
from shanglian.orgs.selectors import federation_ids_in_scope
from shanglian.ui import figures as registry
from shanglian.ui.figures import SUFFIX_UNITS, YEAR_AGO, chart_number
from shanglian.ui.periods import PERIOD_FIELDS, PeriodForm

from . import values
from .models import FigureTarget

GEO_DIR = Path(__file__).resolve().parent / "data" / "geo"
NO_MAP = "本区尚未配置街道地图"
MAX_COMPARED_DAYS = 366  # 同比 for a period of a year at most (as the statistics pages)
STREETS_LISTED = 30  # the streets listed on a board without a map (a city's, a province's): those with most members

# The headline cards, with 同比.
HEADLINE = ("members.in_force", "members.joined", "members.chamber_coverage", "appeals.received",
            "appeals.satisfaction_rate", "events.training_attendance", "welfare.total",
            "engagement.organisation_coverage")

# (title, dom id, the section's cards) in the page's order; the charts of each are built below.
SECTIONS = (
    ("会员规模与结构", "dash-members", ("members.in_force.enterprise", "members.in_force.group",
                                   "members.in_force.individual", "members.growth_rate")),
    ("三多三少", "dash-structure", ("members.share.business_type", "members.share.member_kind",
                                 "members.share.locality", "members.share.technology")),
    ("商会覆盖", "dash-coverage", ("members.chamber_coverage", "members.industries_concentrated",
                               "members.industries_covered", "orgs.chambers")),
    ("诉求办理", "dash-appeals", ("appeals.received", "appeals.closure_rate", "appeals.on_time_rate",
                              "appeals.satisfaction_rate", "appeals.overdue")),
    ("教育培训", "dash-trainings", ("events.trainings", "events.training_attendance", "events.held",
                                "events.attendance")),
    ("参政议政", "dash-proposals", ("engagement.proposals", "engagement.proposals_adopted", "engagement.adoption_rate",
                                "engagement.measures")),
    ("光彩公益", "dash-welfare", ("welfare.total", "welfare.donor_enterprises", "welfare.village_coverage",
                              "welfare.paired_villages", "welfare.target_villages")),
    ("党建引领", "dash-party", ("engagement.party_organisations", "engagement.joint_committees",
                            "engagement.organisation_coverage", "engagement.work_coverage")),
    ("评选表彰", "dash-honours", ("honours.lists_published", "honours.enterprises_listed",
                              "honours.four_good_chambers", "engagement.person_honours")),
    ("会员发展", "dash-growth", ("growth.prospects_new", "growth.applications_received", "growth.applications_approved",
                             "growth.new_members")),
)

# The coverage rates drawn as gauges against their targets, and the growth pipeline as a funnel.
GAUGES = ("members.chamber_coverage", "welfare.village_coverage", "engagement.organisation_coverage",
          "engagement.work_coverage")
MEMBER_KINDS = ("members.in_force.enterprise", "members.in_force.group", "members.in_force.individual")
SHARES = SECTIONS[1][2]
FUNNEL = SECTIONS[-1][2]
PROPOSALS = ("engagement.proposals", "engagement.proposals_adopted", "engagement.measures")

# The monthly series: (the registered count figure, the date field of its records its period is read on, whether
# that field is a date (not a datetime)).
MONTHLY = {
    "members.joined": ("joined", True),
    "events.trainings": ("starts_at", False),
    "events.training_attendance": ("event__starts_at", False),
}


# --- whose, when ---------------------------------------------------------------------------------------------
def federation_asked(user, raw):
    """The federation of `?federation=` (`values.federation_asked`: one of the user's scope, else 404), or None for
    the user's own."""
    federation = values.federation_asked(user, raw)
    return None if federation is None or federation.pk == user.federation_id else federation


def year_to_date(today=None):
    today = today or timezone.localdate()
    return Period.custom(date(today.year, 1, 1), today)


def period_asked(query):
    """(the period form, the period): this year to date when no period is asked for."""
    form = PeriodForm(query or None)
    if not any(query.get(name) for name in PERIOD_FIELDS):
        return form, year_to_date()
    return form, form.period()


def scope_choices(user):
    """[(id, name)] of the federations the user may look at (its own first), when it has more than one."""
    ids = federation_ids_in_scope(user)
    if len(ids) < 2:
        return []
    federations = Federation.objects.filter(pk__in=ids).order_by("level", "region_code", "pk")
    return [(f.pk, f.short_name or f.name) for f in federations]


def geojson_path(federation):
    """The street map shipped for the federation's region (reports/data/geo/<region_code>.geojson), or None."""
    code = federation.region_code or ""
    if not code.isdigit():
        return None
    path = GEO_DIR / f"{code}.geojson"
    return path if path.is_file() else None


# --- cards -------------------------------------------------------------------------------------------------------
def _unit_after(number, unit):
    return f"{number}{unit}" if unit in SUFFIX_UNITS else f"{number} {unit}".rstrip()


@dataclass(frozen=True)
class Card:
    """A figure as a card of the dashboard: its value, unit and definition, 同比 with its direction, the target
    and the gap, "无数据" with the reason, and the link to its records."""

    reported: object  # values.Reported
    compared: bool = False
    prefix: str = "dash"  # of its element id: "headline" for the headline's, whose figures the sections repeat

    key = property(lambda self: self.reported.key)
    label = property(lambda self: self.reported.label)
    unit = property(lambda self: self.reported.unit)
    definition = property(lambda self: self.reported.definition)
    display = property(lambda self: self.reported.display)
    url = property(lambda self: self.reported.records_url)
    missing = property(lambda self: self.reported.missing)

    @property
    def dom_id(self):
        return f"{self.prefix}-" + self.key.replace(".", "-").replace("_", "-")

    @property
    def unit_caption(self):
        return "" if self.unit in SUFFIX_UNITS else self.unit

    @property
    def change(self):
        return self.reported.figure.year_ago_change if self.compared else None

    @property
    def direction(self):
        return values.direction(self.reported.value, self.reported.figure.year_ago) if self.change else None

    @property
    def arrow(self):
        return {"up": "↑", "down": "↓", "flat": "→"}.get(self.direction, "")

    @property
    def target_text(self):
        target = self.reported.target
        if target is None:
            return ""
        return f"目标{target.get_direction_display()}{_unit_after(values.plain(target.value), self.unit)}"

    @property
    def gap_text(self):
        met = self.reported.met
        if met is None:
            return ""
        if met:
            return "已达成"
        return f"差{_unit_after(values.plain(self.reported.gap), '个百分点' if self.unit == '%' else self.unit)}"

    @property
    def met(self):
        return self.reported.met

    value = property(lambda self: self.reported.value)
    has_value = property(lambda self: self.reported.value is not None)

    @property
    def year_ago(self):
        return self.reported.figure.year_ago if self.compared else None

    def shown(self):
        """The card as its page shows it, in plain values (`ShownCard`): what a kept board stores."""
        return ShownCard(**{name: getattr(self, name) for name in SHOWN})


# What a card's template reads, and a kept board keeps of it.
SHOWN = ("key", "label", "unit", "definition", "display", "url", "missing", "dom_id", "unit_caption", "change",
         "direction", "arrow", "target_text", "gap_text", "met", "compared", "value", "year_ago")


@dataclass(frozen=True)
class ShownCard:
    """A `Card` read back from a kept board (`reports.boards`): the same attributes, as plain values."""

    key: str
    label: str
    unit: str
    definition: str
    display: str
    url: str
    missing: str
    dom_id: str
    unit_caption: str
    change: object
    direction: object
    arrow: str
    target_text: str
    gap_text: str
    met: object
    compared: bool
    value: object
    year_ago: object

    has_value = property(lambda self: self.value is not None)


# --- the whole board -----------------------------------------------------------------------------------------------
@dataclass
class Section:
    title: str
    dom_id: str
    cards: list
    charts: list = field(default_factory=list)  # [(kind, key in the data, label)]


@dataclass
class Board:
    period: Period
    federation: object  # the federation looked at (the user's own or one of its scope)
    headline: list
    sections: list
    data: dict  # what the charts read (json_script "dashboard-data")
    map_url: str = ""
    has_map: bool = False
    compared: bool = False
    # a kept board (`reports.boards`): when its figures were computed, in how long, and whether a newer computation
    # is on its way; None / 0 / False for a board computed for this request
    kept_at: object = None
    build_ms: int = 0
    refreshing: bool = False

    @property
    def build_seconds(self):
        return f"{self.build_ms / 1000:.1f}"


def registered(keys):
    """The keys that are figures (registered or external), in order: a figure not registered yet is left out."""
    known = registry.registered()
    return [key for key in keys if key in known or key.startswith(values.EXTERNAL)]


def monthly(key, *, user, period, months):
    """The registered count figure `key` in each of `months` (first days, ascending) of `period`: its records for
    the whole period grouped by the month of their date field, one query."""
    field_name, dates = MONTHLY[key]
    result = registry.get(key).function(user=user, period=period)
    records = result if not isinstance(result, tuple) else result[1]
    rows = (records.order_by().annotate(month=_month_bucket(field_name, months, dates=dates))
            .values("month").annotate(n=Count("pk")))
    counted = {row["month"]: row["n"] for row in rows}
    return [counted.get(n, 0) for n in range(len(months))]


def _number(reported):
    return chart_number(reported.value)


@registry.remembering()  # a breakdown several figures read is computed once
def build(user, period, federation=None):
    """Everything of the dashboard and the screen for `user` seen from `federation` (None: its own) in `period`."""
    seen = values.as_federation(user, federation)
    home = federation or user.federation
    compared = (period.end - period.start).days < MAX_COMPARED_DAYS
    targets = values.targets_of(home, period.end.year)
    measured = {}

    def measure(key, compare=False):
        if key not in measured or (compare and not measured[key].compared):
            reported = values.measure(key, user=user, period=period, federation=federation,
                                      compare=YEAR_AGO if compare else False, targets=targets)
            measured[key] = Card(reported, compared=bool(compare))
        return measured[key]

    headline = [replace(measure(key, compare=compared), prefix="headline") for key in registered(HEADLINE)]
    sections = [Section(title, dom_id, [measure(key) for key in registered(keys)])
                for title, dom_id, keys in SECTIONS]
    sections = [section for section in sections if section.cards]
    data = {"period": period.label}
    months = period.months()
    data["months"] = [f"{month.month}月" if period.start.year == period.end.year else f"{month.year}年{month.month}月"
                      for month in months]
    _member_charts(data, measured)
    _appeal_trend(data, seen, period)
    for key in registered(MONTHLY):
        data[key] = monthly(key, user=seen, period=period, months=months)
    _gauges(data, measured)
    _bars(data, measured)
    path = geojson_path(home)
    _streets(data, seen, period, federation, mapped=path is not None)
    by_id = {section.dom_id: section for section in sections}
    _attach_charts(by_id, data)
    return Board(period=period, federation=home, headline=headline, sections=sections, data=data,
                 has_map=path is not None, compared=compared)


def _member_charts(data, measured):
    data["memberKinds"] = [{"name": measured[key].label, "value": _number(measured[key].reported),
                            "url": measured[key].url} for key in MEMBER_KINDS if key in measured]


def _appeal_trend(data, seen, period):
    rows = by_month(kpi_scope(seen), period, source=kpi_source(seen))
    data["appeals"] = {
        "months": [f"{row.key.month}月" if period.start.year == period.end.year else row.label for row in rows],
        "received": [row.received for row in rows],
        "closed": [row.closed for row in rows],
        "satisfaction": [chart_number(row.satisfaction_rate) for row in rows],
    }


def _gauges(data, measured):
    data["gauges"] = {}
    for key in GAUGES:
        if key not in measured:
            continue
        card = measured[key]
        target = card.reported.target
        data["gauges"][key] = {
            "name": card.label, "value": _number(card.reported), "url": card.url, "missing": card.missing,
            "target": chart_number(target.value) if target is not None else None,
            "targetText": card.target_text, "gapText": card.gap_text,
            "atMost": target is not None and target.direction == FigureTarget.Direction.AT_MOST,
        }


def _bars(data, measured):
    data["shares"] = [{"name": measured[key].label, "value": _number(measured[key].reported),
                       "url": measured[key].url} for key in SHARES if key in measured]
    data["funnel"] = [{"name": measured[key].label, "value": _number(measured[key].reported),
                       "url": measured[key].url} for key in FUNNEL if key in measured]
    data["proposals"] = [{"name": measured[key].label, "value": _number(measured[key].reported),
                          "url": measured[key].url} for key in PROPOSALS if key in measured]


def _streets(data, seen, period, federation, *, mapped):
    """Enterprise members in force per street (`members.by_street`'s rows, one query), each with its records: every
    street when the map draws them (a district's), else the `STREETS_LISTED` with the most members (a city has
    hundreds, a province thousands) and the link to all of them (`streetsAll`, `streetsTotal`)."""
    rows = [(pk, name, n) for pk, name, n in street_rows(memberships_visible_to(seen), period.as_of()) if pk is not None]
    data["streetsTotal"] = len(rows)
    if not mapped and len(rows) > STREETS_LISTED:
        rows = sorted(rows, key=lambda row: (-row[2], row[1]))[:STREETS_LISTED]
        data["streetsAll"] = values.records_url("members.by_street", period, federation=federation)
    data["streets"] = [{"name": name, "value": n,
                        "url": values.records_url("members.by_street", period, federation=federation, street=pk)}
                       for pk, name, n in rows]


def _attach_charts(by_id, data):
    """Each section's charts, when it has something to draw: (kind, the key of its data, its label)."""
    wanted = {
        "dash-members": [("pie", "memberKinds", "在册会员构成（按会员类型）", bool(data["memberKinds"])),
                         ("trend", "members.joined", "各月新入会会员", "members.joined" in data)],
        "dash-structure": [("bars", "shares", "“三多三少”结构占比（%）", bool(data["shares"]))],
        "dash-appeals": [("trend-appeals", "appeals", "各月诉求量、办结量与满意率", True)],
        "dash-trainings": [("trend-trainings", "events.trainings", "各月培训场次与培训人次",
                            "events.trainings" in data and "events.training_attendance" in data)],
        "dash-proposals": [("bars", "proposals", "议案提案、采纳与转化为实际举措", bool(data["proposals"]))],
        "dash-growth": [("funnel", "funnel", "发展对象 → 入会申请 → 批准入会 → 新入会", bool(data["funnel"]))],
    }
    for key, dom_id in (("members.chamber_coverage", "dash-coverage"), ("welfare.village_coverage", "dash-welfare"),
                        ("engagement.organisation_coverage", "dash-party"), ("engagement.work_coverage", "dash-party")):
        if key in data["gauges"]:
            wanted.setdefault(dom_id, []).append(("gauge", key, f"{data['gauges'][key]['name']}与目标", True))
    for dom_id, charts in wanted.items():
        if dom_id in by_id:
            by_id[dom_id].charts.extend((kind, key, label) for kind, key, label, shown in charts if shown)
