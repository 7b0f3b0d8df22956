"""指标库: every figure the platform knows — each registered figure of the apps and each active external
indicator — read for one period through `values.measure`, in the order of `values.AREAS`. The catalogue page, its
xlsx (`workbook.figures_workbook_sheets`) and the annual report's workbook all read the figures here, so none of
them counts anything itself.

    entries(user, period)                         → [Entry(area="会员发展", reported=<Reported …>), …]
    entries(user, period, area="welfare", name="捐")  → the 光彩公益 figures whose label or key holds 捐

A figure the acting user may not read (a selector's refusal) is an entry without a value whose reason says so, never
an error of the whole page. A period longer than a year is not compared (同比/环比 over two years mean nothing).
"""

import inspect
from dataclasses import dataclass, replace

from django.core.exceptions import PermissionDenied

from shanglian.ui import figures as registry
from shanglian.ui.figures import NO_DATA, SUFFIX_UNITS, Figure

from . import values
from .models import ExternalIndicator

OTHER_AREA = "其他"
REFUSED = "当前账号无权查看该指标的记录。"
NARROWED_ONLY = "该指标按{names}分别统计，须指定{names}后计算，请从本领域的统计页进入。"
PARAMETER_NAMES = {"chamber": "商会", "street": "街道", "department": "部门", "category": "类别", "survey": "问卷"}
MAX_COMPARED_DAYS = 366  # a period compared with the one before it and a year earlier: a year at most
NAME_LIMIT = 40  # the name filter's length


ARROWS = {"up": "↑", "down": "↓", "flat": "→", None: ""}
TAGS = {"up": "tag-info", "down": "tag-warning", "flat": "tag-muted", None: "tag-muted"}  # the direction's colour


def with_unit(value, unit):
    """A value and its unit as a sentence writes them: "900 个", "66.7%", "12.5 万元"; 无数据 for None."""
    if value is None:
        return NO_DATA
    shown = values.plain(value) if not isinstance(value, int) else value
    if unit in SUFFIX_UNITS:
        return f"{shown}{unit}"
    return f"{shown} {unit}" if unit else f"{shown}"


def area_of(key):
    """The area code of a figure key: its first part when `values.AREAS` names it, else "" (其他)."""
    prefix = key.split(".", 1)[0]
    return prefix if prefix in values.AREAS else ""


def area_name(code):
    return values.AREAS.get(code, OTHER_AREA)


def compared(period):
    """How a catalogue compares a period: 同比 and 环比 up to a year, nothing beyond."""
    return (period.end - period.start).days < MAX_COMPARED_DAYS


@dataclass(frozen=True)
class Entry:
    """One figure of the catalogue: its area and what `values.measure` reported, with the directions of its
    同比 and 环比 (up/down/flat/None)."""

    area: str  # the area code ("members"; "" for 其他)
    reported: values.Reported

    @property
    def area_name(self):
        return area_name(self.area)

    @property
    def year_ago_direction(self):
        return values.direction(self.reported.value, self.reported.figure.year_ago)

    @property
    def previous_direction(self):
        return values.direction(self.reported.value, self.reported.figure.previous)

    @property
    def year_ago_arrow(self):
        return ARROWS[self.year_ago_direction]

    @property
    def previous_arrow(self):
        return ARROWS[self.previous_direction]

    @property
    def year_ago_tag(self):
        return TAGS[self.year_ago_direction]

    @property
    def previous_tag(self):
        return TAGS[self.previous_direction]

    @property
    def value_text(self):
        """The value with its unit as a sentence writes it ("900 个", "66.7%"), or 无数据."""
        return with_unit(self.reported.value, self.reported.unit)

    @property
    def target_text(self):
        target = self.reported.target
        return "" if target is None else f"{target.get_direction_display()} {with_unit(target.value, self.reported.unit)}"

    @property
    def gap_text(self):
        """达成, 差 N <unit>, 无数据 (a target but no value), or "" without a target."""
        r = self.reported
        if r.target is None:
            return ""
        if r.met is None:
            return NO_DATA
        return "达成" if r.met else f"差 {with_unit(r.gap, r.unit)}"


@dataclass(frozen=True)
class Described:
    """A figure key with its label, unit and definition, before any value is read (for filtering and choices)."""

    key: str
    label: str
    unit: str
    definition: str
    external: bool = False


def described(*, area="", name=""):
    """Every figure of the catalogue (registered, then the active external indicators) in the areas' order,
    optionally of one area and whose label or key contains `name`; one query (the external indicators)."""
    shown = []
    for key, spec in registry.registered().items():
        shown.append(Described(key, spec.label, spec.unit, spec.definition))
    for indicator in ExternalIndicator.objects.filter(active=True):
        shown.append(Described(indicator.key, indicator.name, indicator.unit, indicator.definition, external=True))
    order = {code: i for i, code in enumerate(values.AREAS)}
    shown.sort(key=lambda d: order.get(area_of(d.key), len(order)))  # stable: registration order within an area
    name = (name or "").strip()[:NAME_LIMIT]
    return [d for d in shown
            if (not area or area_of(d.key) == area) and (not name or name in d.label or name in d.key)]


def choices():
    """(key, "area · label（unit）") of every figure, for a form choosing one (a target's figure)."""
    return [(d.key, f"{area_name(area_of(d.key))} · {d.label}" + (f"（{d.unit}）" if d.unit else ""))
            for d in described()]


def required_arguments(key):
    """The keyword arguments a registered figure cannot be computed without (商会在册企业会员 needs its chamber)."""
    if key.startswith(values.EXTERNAL):
        return []
    parameters = inspect.signature(registry.get(key).function).parameters.values()
    return [p.name for p in parameters
            if p.kind == p.KEYWORD_ONLY and p.default is p.empty and p.name not in ("user", "period")]


def _uncomputed(key, period, targets, missing):
    spec = values.spec(key)
    figure = Figure(label=spec.label if hasattr(spec, "label") else spec.name, definition=spec.definition,
                    value=None, unit=spec.unit, key=key, period=period)
    return values.Reported(figure=figure, target=(targets or {}).get(key), missing=missing)


def read(key, *, user, period, federation=None, targets=None, compare=True):
    """One figure as the catalogue shows it: `values.measure`; a figure that needs a row to narrow to (a chamber)
    and a selector's refusal are figures without a value, with the reason."""
    needed = required_arguments(key)
    if needed:
        names = "、".join(PARAMETER_NAMES.get(name, name) for name in needed)
        return _uncomputed(key, period, targets, NARROWED_ONLY.format(names=names))
    # A year's 环比 is the year before, its 同比 too: computed once.
    whole_year = compare is True and period.previous() == period.year_ago()
    try:
        reported = values.measure(key, user=user, period=period, federation=federation,
                                  compare=registry.YEAR_AGO if whole_year else compare, targets=targets)
    except PermissionDenied:
        return _uncomputed(key, period, targets, REFUSED)
    if whole_year:
        reported = replace(reported, figure=replace(reported.figure, previous=reported.figure.year_ago))
    return reported


@registry.remembering()  # a breakdown several figures read is computed once
def entries(user, period, *, federation=None, area="", name="", keys=None):
    """The catalogue's figures for `user` (seen from `federation`) in `period`, each as an `Entry`; `keys` limits
    them to the given figure keys (in the catalogue's order)."""
    home = federation or user.federation
    targets = values.targets_of(home, period.end.year)
    compare = compared(period)
    shown = described(area=area, name=name)
    if keys is not None:
        wanted = set(keys)
        shown = [d for d in shown if d.key in wanted]
    result = []
    for d in shown:
        reported = read(d.key, user=user, period=period, federation=federation, targets=targets, compare=compare)
        if reported.external and reported.records_url == "":
            reported = replace(reported, records_url=values.records_url(d.key, period, federation=federation))
        result.append(Entry(area=area_of(d.key), reported=reported))
    return result


def grouped(found):
    """The entries by area, in order: [(area name, [Entry, …]), …]."""
    groups = {}
    for entry in found:
        groups.setdefault(entry.area_name, []).append(entry)
    return list(groups.items())


__all__ = ["ARROWS", "Described", "Entry", "OTHER_AREA", "REFUSED", "area_name", "area_of", "choices", "compared", "described",
           "entries", "grouped", "read", "required_arguments", "with_unit"]
