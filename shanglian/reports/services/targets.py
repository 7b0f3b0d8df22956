"""Every change of a figure's target (指标目标) and of the chamber-coverage threshold (商会覆盖率口径): the acting user
first, the editors' role (sysadmin, staff), the federation within the actor's scope, the row locked, one audit row
(`common.records.record_saved`) — in one transaction. A refused input raises `ValidationError` with Chinese messages
by field and writes nothing.

A target is a federation's for one figure and one year: at least (不低于) or at most (不高于) a value. The figure is a
registered one or an active external indicator; a percentage target lies within 0–100; one target per federation,
figure and year ("该指标在该年度已有目标，请修改原目标。")."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404

from shanglian.accounts.roles import EDITOR_ROLES, require_role
from shanglian.common.errors import raise_grouped
from shanglian.common.records import delete_or_refuse, record_saved, snapshot
from shanglian.orgs.models import Federation
from shanglian.orgs.selectors import federation_ids_in_scope

from .. import values
from ..models import FIRST_YEAR, LAST_YEAR, ExternalIndicator, FigureTarget
from ..selectors.targets import targets_editable_by
from .boards import boards_changed

VALUE_LIMIT = Decimal("1e15")
NOTE_LIMIT = 200
THRESHOLD_MIN, THRESHOLD_MAX = 1, 10000
DUPLICATE = "该指标在该年度已有目标，请修改原目标。"


def _federation(actor, federation):
    if federation is None or federation.pk not in federation_ids_in_scope(actor):
        raise PermissionDenied("该工商联不在您的管理范围内。")
    return federation


def _unit(key):
    """The unit of a figure key, or None when it names no figure (or an inactive external indicator)."""
    if key.startswith(values.EXTERNAL):
        indicator = ExternalIndicator.objects.filter(code=key[len(values.EXTERNAL):], active=True).first()
        return indicator.unit if indicator is not None else None
    try:
        return values.spec(key).unit
    except Http404:
        return None


def _errors(data):
    errors = []
    key = (data.get("key") or "").strip()
    unit = _unit(key) if key else None
    if not key:
        errors.append(("key", "请选择指标。"))
    elif unit is None:
        errors.append(("key", "没有该统计指标。"))
    year = data.get("year")
    if not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        errors.append(("year", f"年份应在 {FIRST_YEAR}—{LAST_YEAR} 之间。"))
    if data.get("direction") not in FigureTarget.Direction.values:
        errors.append(("direction", "请选择方向（不低于或不高于）。"))
    value = data.get("value")
    if not isinstance(value, Decimal) or not value.is_finite():
        errors.append(("value", "目标值应为数字。"))
    elif value < 0:
        errors.append(("value", "目标值不能为负数。"))
    elif unit == "%" and value > 100:
        errors.append(("value", "百分比指标的目标值应在 0—100 之间。"))
    elif value >= VALUE_LIMIT:
        errors.append(("value", "目标值过大。"))
    elif value != value.quantize(Decimal("0.0001")):
        errors.append(("value", "目标值最多保留四位小数。"))
    note = (data.get("note") or "").strip()
    if len(note) > NOTE_LIMIT:
        errors.append(("note", f"说明不能超过 {NOTE_LIMIT} 字（现为 {len(note)} 字）。"))
    return errors, key, note


def save_target(*, actor, data, federation=None, target=None):
    """Create (`target` None, for `federation`) or change a target; `data` = {key, year, direction, value (a Decimal),
    note}. Returns the target."""
    require_role(actor, *EDITOR_ROLES)
    if target is not None:
        target = targets_editable_by(actor).filter(pk=target.pk).first()
        if target is None:
            raise PermissionDenied("您无权修改该指标目标。")
        federation = target.federation
    federation = _federation(actor, federation)
    errors, key, note = _errors(data)
    raise_grouped(errors)
    with transaction.atomic():
        before = None
        if target is not None:
            obj = FigureTarget.objects.select_for_update().get(pk=target.pk)
            before = snapshot(obj)
        else:
            obj = FigureTarget(federation=federation)
        taken = FigureTarget.objects.filter(federation=federation, key=key, year=data["year"]).exclude(pk=obj.pk)
        if taken.exists():
            raise ValidationError({"key": DUPLICATE})
        obj.key, obj.year, obj.direction, obj.value, obj.note = key, data["year"], data["direction"], data["value"], note
        obj.set_by = actor
        obj.full_clean()
        obj.save()
        record_saved(actor=actor, obj=obj, before=before)
        boards_changed(federation)
    return obj


def delete_target(*, actor, target):
    """Delete a target (nothing depends on one)."""
    with transaction.atomic():
        if not targets_editable_by(actor).filter(pk=target.pk).exists():
            raise PermissionDenied("您无权删除该指标目标。")
        delete_or_refuse(actor=actor, obj=target)
        boards_changed(target.federation)


def set_coverage_threshold(*, actor, federation, threshold):
    """Set the N of 商会覆盖率 (an industry counts once at least N private enterprises of the federation are in it)."""
    require_role(actor, *EDITOR_ROLES)
    federation = _federation(actor, federation)
    if not isinstance(threshold, int) or isinstance(threshold, bool) or not THRESHOLD_MIN <= threshold <= THRESHOLD_MAX:
        raise ValidationError({"threshold": f"请输入 {THRESHOLD_MIN}—{THRESHOLD_MAX} 之间的整数。"})
    with transaction.atomic():
        obj = Federation.objects.select_for_update().get(pk=federation.pk)
        before = snapshot(obj)
        obj.chamber_coverage_threshold = threshold
        obj.save(update_fields=["chamber_coverage_threshold"])
        record_saved(actor=actor, obj=obj, before=before)
        boards_changed(obj)
    return obj


__all__ = ["DUPLICATE", "delete_target", "save_target", "set_coverage_threshold"]
