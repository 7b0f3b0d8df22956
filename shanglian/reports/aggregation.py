"""各区对比: a city federation's districts side by side, and the city's own figure over all of them.

    side_by_side(city_staff, Period.year(2026), HEADLINE)
    → Comparison(home=<天津市工商联>, districts=[<河西区工商联>, <河东区工商联>], lines=[Line(会员总数: 900 | 310 → 1210), …])

- Every cell is `values.measure(key, federation=district)`: the figure computed by its app for the user seen from
  that district (`values.as_federation`), with the link to its records there. Nothing here counts a record.
- The total (`Line.total`) is the figure computed for the federation itself — the registry's selectors already take
  a city's whole subtree — never a sum typed or added up here. Beside it, for the figures that add up (counts and
  amounts, `additive`), the plain sum of the district columns (`Line.district_sum`): the two agree unless the city
  holds records of its own (市本级) or one object is counted in two districts, and the page says which differ.
- An external figure's total is the city's own entry (`ExternalValue` of the city), never a sum of its districts'.
- A district (a federation without federations under it) sees only itself: no district columns, its own total.

The page (`district_views.py`), the API and the annual report of a city read the same `Comparison`.
"""

import inspect
from dataclasses import dataclass
from decimal import Decimal

from shanglian.accounts.roles import FEDERATION_ROLES, require_role
from shanglian.orgs.models import Federation
from shanglian.ui import figures as registry
from shanglian.ui.figures import NO_DATA, RATE_UNITS

from . import values
from .models import ExternalIndicator

# The headline figures compared by default, in the page's order (grouped by `values.AREAS`): members in force by
# kind, appeals received and handled, trainings, donations and villages, party coverage, proposals.
HEADLINE = (
    "members.in_force", "members.in_force.enterprise", "members.in_force.group", "members.in_force.individual",
    "members.joined", "members.growth_rate",
    "appeals.received", "appeals.closed", "appeals.closure_rate", "appeals.on_time_rate",
    "appeals.satisfaction_rate", "appeals.satisfaction_score",
    "events.trainings", "events.training_attendance",
    "engagement.party_organisations", "engagement.organisation_coverage", "engagement.work_coverage",
    "engagement.proposals", "engagement.proposals_adopted",
    "welfare.total", "welfare.donor_enterprises", "welfare.village_coverage",
)

# Units whose values do not add up across districts: rates and scores (%, 分), means (工作日), spans (年).
NOT_ADDITIVE_UNITS = frozenset(RATE_UNITS | {"工作日", "年"})

TOTAL_LABELS = {
    Federation.Level.NATIONAL: "全国合计",
    Federation.Level.PROVINCE: "全省合计",
    Federation.Level.CITY: "全市合计",
}
SUM_LABEL = "各区之和"
ONLY_ITSELF = "区县级工商联只能查看本级的数据；各区对比供有下级工商联的市级（省级）工商联使用。"
NO_CHILDREN = "{name}没有下级工商联，只列出其本级的数据。"
DIFFERENCE_NOTE = ("合计与各区之和不同：合计按本级及全部下级的记录计算，其差额为市本级直属的记录，"
                   "或同一对象在两个区各计一次。")


def additive(key, unit):
    """Whether a figure's district values add up to a meaningful number: a count or an amount of records, not a
    rate, a score, a mean or a span, and not an external figure (a city's external value is its own entry)."""
    return not key.startswith(values.EXTERNAL) and unit not in NOT_ADDITIVE_UNITS


def takes_no_argument(spec):
    """Whether a registered figure can be computed with only the user and the period (not one that needs a
    chamber or another row to narrow to, like 商会在册企业会员)."""
    parameters = inspect.signature(spec.function).parameters.values()
    return not any(p.kind == p.KEYWORD_ONLY and p.default is p.empty and p.name not in ("user", "period")
                   for p in parameters)


def area_keys(area):
    """The figure keys of one area of `values.AREAS` ("members", "external" …) that take no narrowing, in
    registration order (the external indicators in their order, active ones only)."""
    if area == "external":
        return [indicator.key for indicator in ExternalIndicator.objects.filter(active=True)]
    return [key for key, spec in registry.registered(f"{area}.").items() if takes_no_argument(spec)]


def home_of(user, federation=None):
    """The federation whose districts are compared: the user's own, or `federation` of its scope (404 outside)."""
    require_role(user, *FEDERATION_ROLES)
    values.as_federation(user, federation)  # 404 for a federation outside the user's scope
    return federation or user.federation


def districts_of(user, federation=None):
    """The federations directly under the user's own (or under `federation`, one of its scope): a city's
    districts, by region code. Empty for a district, which sees only itself."""
    home = home_of(user, federation)
    return list(Federation.objects.filter(parent=home).order_by("region_code", "pk"))


@dataclass(frozen=True)
class Line:
    """One figure across the districts: each district's `Reported`, in the columns' order, and the total."""

    key: str
    cells: tuple  # Reported per district
    total: object  # Reported: the figure of the federation itself (its whole subtree)

    label = property(lambda self: self.total.label)
    unit = property(lambda self: self.total.unit)
    definition = property(lambda self: self.total.definition)

    @property
    def area(self):
        return values.AREAS.get(self.key.split(".", 1)[0], "")

    @property
    def additive(self):
        return additive(self.key, self.unit)

    @property
    def district_sum(self):
        """The plain sum of the district columns, for a figure that adds up and has districts; None otherwise
        (or when a district's value is missing)."""
        if not self.additive or not self.cells or any(cell.value is None for cell in self.cells):
            return None
        return sum(cell.value for cell in self.cells)

    @property
    def agrees(self):
        """True when the total equals the sum of the districts, False when not, None when there is no sum."""
        total, summed = self.total.value, self.district_sum
        if summed is None or total is None:
            return None
        return Decimal(total) == Decimal(summed)

    @property
    def missing(self):
        """The reasons of the missing values of the line, each once (for the page's tooltip and the export)."""
        reasons = []
        for cell in (*self.cells, self.total):
            if cell.value is None and cell.missing and cell.missing not in reasons:
                reasons.append(cell.missing)
        return "；".join(reasons)


@dataclass(frozen=True)
class Comparison:
    home: Federation  # the federation compared (the user's or the one asked for)
    districts: list  # its child federations, the columns
    lines: list  # Line per figure, in the order asked
    own: bool  # home is the user's own federation (not a district it was narrowed to)

    @property
    def total_label(self):
        if not self.districts:
            return self.home.short_name or self.home.name
        return TOTAL_LABELS.get(self.home.level, "合计")

    @property
    def note(self):
        """Why no district is shown (a district sees only itself), or "" when districts are compared."""
        if self.districts:
            return ""
        return ONLY_ITSELF if self.own else NO_CHILDREN.format(name=self.home.name)

    @property
    def differs(self):
        """The lines whose total is not the sum of their districts."""
        return [line for line in self.lines if line.agrees is False]

    def headers(self):
        names = [district.short_name or district.name for district in self.districts]
        summed = [SUM_LABEL] if self.districts else []
        return ["指标领域", "指标", "单位", *names, self.total_label, *summed, "口径", "说明"]

    def sheet_rows(self):
        """The rows of the export, in `headers()` order; a missing value reads NO_DATA with its reason."""
        rows = []
        for line in self.lines:
            cells = [_cell(cell.value) for cell in line.cells]
            summed = [_cell(line.district_sum) if line.additive else "—"] if self.districts else []
            note = line.missing
            if line.agrees is False:
                note = "；".join(filter(None, [note, DIFFERENCE_NOTE]))
            if line.total.external:
                note = "；".join(filter(None, [note, f"外部数据，合计为本级录入的数值（{line.total.source}）"]))
            rows.append([line.area, line.label, line.unit, *cells, _cell(line.total.value), *summed,
                         line.definition, note])
        return rows


def _cell(value):
    return NO_DATA if value is None else value


def side_by_side(user, period, keys, *, federation=None):
    """Figures `keys` for the districts of the user's federation (or of `federation`, one of its scope) in
    `period`: one `Line` per key with each district's value and the federation's own total. A chamber, a
    department … is refused (403); a federation outside the scope is 404; an unknown key is 404."""
    home = home_of(user, federation)
    districts = list(Federation.objects.filter(parent=home).order_by("region_code", "pk"))
    asked = None if federation is None or federation.pk == user.federation_id else federation
    lines = []
    for key in keys:
        total = values.measure(key, user=user, period=period, federation=asked, compare=False, targets={})
        cells = tuple(values.measure(key, user=user, period=period, federation=district, compare=False,
                                     targets={}) for district in districts)
        lines.append(Line(key=key, cells=cells, total=total))
    return Comparison(home=home, districts=districts, lines=lines, own=asked is None)


__all__ = ["HEADLINE", "Comparison", "Line", "additive", "area_keys", "districts_of", "home_of", "side_by_side"]
