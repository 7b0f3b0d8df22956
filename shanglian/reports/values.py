"""A figure as the reports show it: the one way every page of this app, its API, its xlsx and the Word report
ask for a number.

    measure("members.growth_rate", user=u, period=Period.year(2026))
    → Reported(figure=<Figure 会员增长率 12.5 %, 同比, 环比>, target=<FigureTarget ≥ 10>, records_url="/reports/…")

- A registered figure (`<app>.<name>`, `shanglian.ui.figures`) is computed by the app that owns its records, on
  the app's scoped selectors; nothing here counts anything itself.
- An external one (`external.<code>`, `ExternalValue`) is read from what staff entered for the federation and the
  period, and carries its source; it is never computed.
- `federation`: a city's user may ask for one of its districts (`as_federation`); a district's user only for its
  own — anything else is 404, like an id outside the scope.
- A value that cannot be computed is None (shown "无数据", never 0) with `missing`, the reason in Chinese.
"""

import copy
from dataclasses import dataclass
from decimal import Decimal

from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode

from shanglian.common.validators import is_id
from shanglian.orgs.models import Federation
from shanglian.orgs.selectors import federation_ids_in_scope
from shanglian.ui import figures as registry
from shanglian.ui.figures import NO_DATA, Figure

from .models import ExternalIndicator, ExternalValue, FigureTarget, PeriodKind

EXTERNAL = "external."

# The areas of the registry, in the order the catalogue, the dashboard and the report take them: the first
# part of a figure key → its Chinese name.
AREAS = {
    "members": "会员发展",
    "orgs": "组织建设",
    "appeals": "诉求办理",
    "policies": "惠企政策",
    "events": "活动培训",
    "engagement": "政治引领与党建",
    "welfare": "光彩公益",
    "honours": "评选表彰与商会评估",
    "growth": "会员发展与服务",
    "communications": "通知调研与宣传",
    "external": "外部指标",
}

MISSING_INTERNAL = "统计期内没有可据以计算的记录（比率的分母为零或尚无记录），不能计为 0。"
MISSING_EXTERNAL = "尚未录入{period}的数值（外部数据，由工作人员按期录入或导入）。"


@dataclass(frozen=True)
class Reported:
    """A figure (value, unit, definition, 同比/环比, records) with what the reports add to it: the link to its
    records, the year's target and the gap, whether it is external data and from where, and why it is missing."""

    figure: Figure
    records_url: str = ""
    target: object = None  # FigureTarget or None
    external: bool = False
    source: str = ""  # an external value's source (区统计局 …)
    missing: str = ""  # why the value is None

    # the figure's own reading
    key = property(lambda self: self.figure.key)
    label = property(lambda self: self.figure.label)
    unit = property(lambda self: self.figure.unit)
    definition = property(lambda self: self.figure.definition)
    value = property(lambda self: self.figure.value)
    display = property(lambda self: self.figure.display)

    @property
    def gap(self):
        """How far the value is from the target (target − value for 不低于, value − target for 不高于): positive
        means still short of it; None without a target or a value."""
        if self.target is None or self.value is None:
            return None
        difference = Decimal(self.target.value) - Decimal(self.value)
        return difference if self.target.direction == FigureTarget.Direction.AT_LEAST else -difference

    @property
    def met(self):
        """True when the target is reached, False when not, None without a target or a value."""
        gap = self.gap
        return None if gap is None else gap <= 0


def direction(now, before):
    """The way a figure moved: "up", "down", "flat", or None when either value is missing."""
    if now is None or before is None:
        return None
    now, before = Decimal(now), Decimal(before)
    return "up" if now > before else "down" if now < before else "flat"


# --- whose figures ----------------------------------------------------------------------------------------------
def as_federation(user, federation):
    """The acting user seen from `federation` — one of the federations of its scope (a city's district): a copy
    whose scope is that federation and those under it, for reading figures only (it cannot be saved). The user
    itself for its own federation (or None); 404 for a federation outside the scope."""
    if federation is None or federation.pk == user.federation_id:
        return user
    if federation.pk not in federation_ids_in_scope(user):
        raise Http404("没有该工商联。")
    seen = copy.copy(user)  # Model.__getstate__ copies _state and its field cache: the user is left as it was
    seen.federation = federation
    seen.save = _refuse_save
    return seen


def federation_asked(user, raw):
    """The federation a page's `?federation=<id>` names, one of the user's scope; None when the parameter is
    absent or empty. A malformed id (not a positive integer of at most 18 digits: checked before any query) and a
    federation outside the scope are 404 "没有该工商联。"."""
    raw = (raw or "").strip()
    if not raw:
        return None
    if not is_id(raw) or int(raw) not in federation_ids_in_scope(user):
        raise Http404("没有该工商联。")
    return Federation.objects.get(pk=int(raw))


def _refuse_save(*args, **kwargs):
    raise RuntimeError("A user seen from another federation is for reading figures only.")


def records_url(key, period, *, federation=None, **narrowing):
    """The drill-down of a figure: the list of the records behind it (`reports:records`), for the period, the
    federation asked for (when not the user's own) and a narrowing the figure takes (a chamber, a kind …)."""
    params = {**period.as_query(),
              **({"federation": federation.pk} if federation is not None else {}),
              **{name: value for name, value in narrowing.items() if value not in (None, "")}}
    return f"{reverse('reports:records', args=[key])}?{urlencode(params)}"


# --- one figure -----------------------------------------------------------------------------------------------
def measure(key, *, user, period, federation=None, compare=True, targets=None, **kwargs):
    """Figure `key` for `user` (seen from `federation` when given) in `period`, as the reports show it.
    `compare`: 同比 and 环比 (True), 同比 only (`registry.YEAR_AGO`) or neither. `targets`: the federation's
    targets of the period's year by key (`targets_of`), when the caller reads many figures; else one query."""
    seen = as_federation(user, federation)
    home = federation or user.federation
    target = (targets.get(key) if targets is not None
              else FigureTarget.objects.filter(federation=home, key=key, year=period.end.year).first())
    if key.startswith(EXTERNAL):
        return _external(key, home, period, compare=compare, target=target)
    figure = registry.compute(key, user=seen, period=period, compare=compare, **kwargs)
    url = records_url(key, period, federation=federation, **kwargs) if figure.records is not None else ""
    return Reported(figure=figure, records_url=url, target=target,
                    missing=MISSING_INTERNAL if figure.value is None else "")


def targets_of(federation, year):
    """The federation's targets of `year` by figure key (one query)."""
    return {target.key: target for target in FigureTarget.objects.filter(federation=federation, year=year)}


def spec(key):
    """Label, unit and definition of a figure key, registered or external (404 for neither)."""
    if key.startswith(EXTERNAL):
        indicator = ExternalIndicator.objects.filter(code=key[len(EXTERNAL):]).first()
        if indicator is None:
            raise Http404("没有该统计指标。")
        return indicator
    return registry.get(key)


# --- external values --------------------------------------------------------------------------------------------
def period_slot(period):
    """(kind, year, number) of an ExternalValue holding `period`'s value, or None for a custom range (an
    external value is entered per year, quarter or month only)."""
    if period.kind == "year" or (period.kind == "custom" and period.is_whole_year):
        return PeriodKind.YEAR, period.start.year, 0
    if period.kind == "quarter":
        return PeriodKind.QUARTER, period.start.year, (period.start.month - 1) // 3 + 1
    if period.kind == "month":
        return PeriodKind.MONTH, period.start.year, period.start.month
    return None


def plain(number):
    """A stored Decimal without its padding zeros and never in exponent form (12.5000 → 12.5, 1000.0000 → 1000)."""
    number = Decimal(number)
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()


def external_value(indicator, federation, period):
    """The ExternalValue of `indicator` for `federation` and `period`, or None."""
    slot = period_slot(period)
    if slot is None:
        return None
    kind, year, number = slot
    return ExternalValue.objects.filter(indicator=indicator, federation=federation, period_kind=kind, year=year,
                                        number=number).first()


def _external(key, federation, period, *, compare, target):
    indicator = spec(key)
    entered = external_value(indicator, federation, period)
    year_ago = previous = None
    if compare:
        before = external_value(indicator, federation, period.year_ago())
        year_ago = before.value if before else None
        if compare != registry.YEAR_AGO:
            before = external_value(indicator, federation, period.previous())
            previous = before.value if before else None
    figure = Figure(label=indicator.name, definition=indicator.definition, unit=indicator.unit, key=key,
                    value=plain(entered.value) if entered else None, period=period,
                    year_ago=year_ago, previous=previous)
    return Reported(figure=figure, target=target, external=True,
                    source=entered.source if entered else indicator.source,
                    missing="" if entered else MISSING_EXTERNAL.format(period=period.label))


__all__ = ["AREAS", "EXTERNAL", "NO_DATA", "Reported", "as_federation", "direction", "external_value",
           "federation_asked", "measure", "period_slot", "plain", "records_url", "spec", "targets_of"]
