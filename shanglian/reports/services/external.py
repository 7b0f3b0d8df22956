"""Every change of 外部指标 and their values: acting user first, role, scope, row lock, audit row — in one
transaction; a refused input raises `ValidationError` with Chinese messages by field and writes nothing.

The rules of one value are written once here and called by the form, the service and the import alike
(`value_number`, `period_errors`), so the three accept and refuse the same input in the same words:

- the period is a year (季度/月份 empty), a quarter (1–4) or a month (1–12) of a year between 1950 and 2999;
- the value is a plain decimal number as people type it (thousands separators, full-width digits, a trailing % on a
  percentage), at most 4 decimal places; NaN, Infinity, 1e5 and text are refused; a negative value only for a
  percentage (a growth rate may be a fall);
- one value per indicator, federation and period: a second is refused by the form (edit the first), while the
  import replaces it (upsert);
- the source defaults to the indicator's.

The editors (`EDITOR_ROLES`) keep the values of their federation and of the federations under it (a city's own
value is the city's entry, never a sum of its districts) and the indicators, which are shared by every federation:
an indicator's code names its figure (`external.<code>`: targets and the work report's quotes refer to it), so it
is fixed once created.
"""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from shanglian.accounts.roles import EDITOR_ROLES, Role, require_role
from shanglian.common.errors import raise_grouped
from shanglian.common.excel.normalise import clean_text
from shanglian.common.records import delete_or_refuse, record_saved, snapshot
from shanglian.orgs.models import Federation
from shanglian.orgs.selectors import federation_ids_in_scope

from ..models import FIRST_YEAR, LAST_YEAR, ExternalIndicator, ExternalValue, PeriodKind
from ..selectors.external import external_values_editable_by
from ..values import plain

DUPLICATE = "该指标在该期间已有数值，请修改原数值。"
PLACES = 4  # ExternalValue.value: 20 digits, 4 of them decimal places
VALUE_LIMIT = Decimal("9999999999999999.9999")
NOT_A_NUMBER = "数值应为数字，如 319.95、1,092.95 或 -3.5（不能是 NaN、无穷大或科学计数法）。"
_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
PERCENT = "%"
YEARS = f"年份应在 {FIRST_YEAR} 至 {LAST_YEAR} 年之间。"
QUARTERS = "季度应为 1–4 之间的整数。"
MONTHS = "月份应为 1–12 之间的整数。"
TEXT_LIMITS = {"source": ("数据来源", 60), "note": ("备注", 200)}
CODE_RE = re.compile(r"[a-z][a-z0-9_]*")
INDICATOR_LIMITS = {"name": ("指标名称", 60), "unit": ("单位", 12), "definition": ("口径", 300),
                    "source": ("默认数据来源", 60)}
ORDER_LIMIT = 32767


# --- the rules of one value ----------------------------------------------------------------------------------
def value_number(raw, *, unit):
    """A value as typed (text, or a number read from a cell) → a Decimal, or ValueError with the Chinese reason."""
    if isinstance(raw, bool):
        raise ValueError(NOT_A_NUMBER)
    if isinstance(raw, float):
        raw = repr(raw)  # nan, inf → refused below
    text = clean_text(str(raw)).replace(",", "").replace(" ", "")
    if unit == PERCENT and text.endswith("%"):
        text = text[:-1]
    if not text:
        raise ValueError("请填写数值。")
    if not _NUMBER_RE.fullmatch(text):
        raise ValueError(NOT_A_NUMBER)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(NOT_A_NUMBER) from None
    if abs(number) > VALUE_LIMIT:
        raise ValueError("数值过大，请检查单位（如亿元、万元）。")
    if number.as_tuple().exponent < -PLACES and number != number.quantize(Decimal(1).scaleb(-PLACES)):
        raise ValueError(f"数值最多保留 {PLACES} 位小数。")
    if number < 0 and unit != PERCENT:
        raise ValueError(f"该指标的数值不能为负数（单位为{unit}；只有百分比指标可为负数，如同比下降）。")
    return plain(number) if number else Decimal(0)


def period_errors(period_kind, year, number):
    """(the stored number: 0, the quarter or the month; [(field, reason)]) of a period as given: `period_kind` a
    PeriodKind value, `year`, `number` the quarter or month (None or 0 for a year)."""
    errors = []
    if period_kind not in PeriodKind.values:
        errors.append(("period_kind", "请选择期间类型（年度、季度或月度）。"))
    if year is None:
        errors.append(("year", "请填写年份。"))
    elif not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        errors.append(("year", YEARS))
    if period_kind == PeriodKind.YEAR:
        if number not in (None, 0):
            errors.append(("number", "年度数值不填季度或月份。"))
        return 0, errors
    if period_kind == PeriodKind.QUARTER and not (isinstance(number, int) and 1 <= number <= 4):
        errors.append(("number", "请填写季度（1–4）。" if number is None else QUARTERS))
    if period_kind == PeriodKind.MONTH and not (isinstance(number, int) and 1 <= number <= 12):
        errors.append(("number", "请填写月份（1–12）。" if number is None else MONTHS))
    return number, errors


def _text(value):
    return (value or "").strip()


def _pk(value):
    return getattr(value, "pk", value)


def _federation(actor, value):
    """The federation a value is entered for: the one given (of the actor's scope) or the actor's own."""
    if value in (None, ""):
        if actor.federation_id is None:
            raise PermissionDenied("您的账号未关联工商联，不能录入外部指标。")
        return actor.federation, []
    pk = _pk(value)
    if isinstance(pk, int) and pk in federation_ids_in_scope(actor):
        return Federation.objects.get(pk=pk), []
    return None, [("federation", "所选工商联不存在或不在您的管理范围内。")]


def _indicator(value, *, keep=None):
    """The indicator chosen: an active one, or `keep` (the value's own, even if stopped since)."""
    pk = _pk(value)
    if keep is not None and pk == keep.pk:
        return keep, []
    found = ExternalIndicator.objects.filter(pk=pk, active=True).first() if isinstance(pk, int) else None
    if found is None:
        return None, [("indicator", "所选指标不存在或已停用。")]
    return found, []


# --- values --------------------------------------------------------------------------------------------------
def value_errors(actor, data, *, value=None):
    """Check a value's input → (the cleaned fields, [(field, reason)])."""
    errors = []
    if data.get("indicator") in (None, ""):
        indicator, found = None, [("indicator", "请选择指标。")]
    else:
        indicator, found = _indicator(data["indicator"], keep=value.indicator if value is not None else None)
    errors += found
    federation, found = _federation(actor, data.get("federation"))
    errors += found
    period_kind = data.get("period_kind") or PeriodKind.YEAR
    number, found = period_errors(period_kind, data.get("year"), data.get("number"))
    errors += found
    amount = None
    if indicator is not None:
        try:
            amount = value_number(data.get("value") if data.get("value") is not None else "", unit=indicator.unit)
        except ValueError as exc:
            errors.append(("value", str(exc)))
    source = _text(data.get("source")) or (indicator.source if indicator is not None else "")
    cleaned = {"indicator": indicator, "federation": federation, "period_kind": period_kind, "year": data.get("year"),
               "number": number, "value": amount, "source": source, "note": _text(data.get("note"))}
    for field, (label, limit) in TEXT_LIMITS.items():
        if len(cleaned[field]) > limit:
            errors.append((field, f"{label}不能超过 {limit} 字（现为 {len(cleaned[field])} 字）。"))
    return cleaned, errors


def save_external_value(*, actor, data, value=None):
    """Create (`value` None) or change one value; `data` = {indicator (an ExternalIndicator or its id), federation
    (one of the actor's scope or None: the actor's own), period_kind, year, number (quarter or month; None for a
    year), value (as typed, or a Decimal), source (empty: the indicator's), note}. Returns the value."""
    require_role(actor, *EDITOR_ROLES)
    if value is not None:
        value = external_values_editable_by(actor).select_related("indicator").filter(pk=_pk(value)).first()
        if value is None:
            raise PermissionDenied("您无权修改该外部指标数值。")
    cleaned, errors = value_errors(actor, data, value=value)
    raise_grouped(errors)
    try:
        with transaction.atomic():
            before = None
            if value is not None:
                obj = ExternalValue.objects.select_for_update().get(pk=value.pk)
                before = snapshot(obj)
            else:
                obj = ExternalValue()
            slot = {"indicator": cleaned["indicator"], "federation": cleaned["federation"],
                    "period_kind": cleaned["period_kind"], "year": cleaned["year"], "number": cleaned["number"]}
            if ExternalValue.objects.filter(**slot).exclude(pk=obj.pk).exists():
                raise ValidationError({"__all__": [DUPLICATE]})
            for name, field_value in cleaned.items():
                setattr(obj, name, field_value)
            obj.entered_by = actor
            obj.save()
            record_saved(actor=actor, obj=obj, before=before)
    except IntegrityError:  # the same period entered at the same moment by someone else
        raise ValidationError({"__all__": [DUPLICATE]}) from None
    return obj


def delete_external_value(*, actor, value):
    """Delete one value (nothing depends on a value)."""
    with transaction.atomic():
        if not external_values_editable_by(actor).filter(pk=value.pk).exists():
            raise PermissionDenied("您无权删除该外部指标数值。")
        delete_or_refuse(actor=actor, obj=value)


def store_imported_value(*, actor, cleaned):
    """The import's write of one checked row (`value_errors`' cleaned fields): the period's value replaced, or
    created. Inside the import's transaction; the import writes one audit row for the whole file. Returns True when
    created."""
    slot = {"indicator": cleaned["indicator"], "federation": cleaned["federation"],
            "period_kind": cleaned["period_kind"], "year": cleaned["year"], "number": cleaned["number"]}
    fields = {"value": cleaned["value"], "source": cleaned["source"], "note": cleaned["note"], "entered_by": actor,
              "entered_at": timezone.now()}  # update() skips auto_now: the replaced value's 录入时间 is the import's
    updated = ExternalValue.objects.filter(**slot).update(**fields)
    if updated:
        return False
    ExternalValue.objects.create(**slot, **fields)
    return True


# --- indicators ----------------------------------------------------------------------------------------------
def save_indicator(*, actor, data, indicator=None):
    """Create (`indicator` None) or change an indicator; `data` = {code (creation only), name, unit, definition,
    source, order, active}. Shared by every federation: the system administrator's only. Returns the indicator."""
    require_role(actor, Role.SYSADMIN)
    errors = []
    code = indicator.code if indicator is not None else _text(data.get("code"))
    if indicator is None:
        if not code:
            errors.append(("code", "请填写指标代码。"))
        elif len(code) > 60 or not CODE_RE.fullmatch(code):
            errors.append(("code", "指标代码只能由小写英文字母、数字和下划线组成，以字母开头，不超过 60 个字符。"))
        elif ExternalIndicator.objects.filter(code=code).exists():
            errors.append(("code", "该指标代码已被使用。"))
    texts = {name: _text(data.get(name)) for name in INDICATOR_LIMITS}
    for name, (label, limit) in INDICATOR_LIMITS.items():
        if not texts[name]:
            errors.append((name, f"请填写{label}。"))
        elif len(texts[name]) > limit:
            errors.append((name, f"{label}不能超过 {limit} 字（现为 {len(texts[name])} 字）。"))
    order = data.get("order")
    if order is None:
        order = 100
    if not isinstance(order, int) or not 0 <= order <= ORDER_LIMIT:
        errors.append(("order", f"排序应为 0–{ORDER_LIMIT} 之间的整数。"))
    if texts["name"] and ExternalIndicator.objects.filter(name=texts["name"]).exclude(
            pk=indicator.pk if indicator is not None else None).exists():
        errors.append(("name", f"已有名为“{texts['name']}”的外部指标，请换一个名称。"))
    raise_grouped(errors)
    try:
        with transaction.atomic():
            before = None
            if indicator is not None:
                obj = ExternalIndicator.objects.select_for_update().get(pk=indicator.pk)
                before = snapshot(obj)
            else:
                obj = ExternalIndicator(code=code)
            for name, text in texts.items():
                setattr(obj, name, text)
            obj.order, obj.active = order, bool(data.get("active", True))
            obj.save()
            record_saved(actor=actor, obj=obj, before=before)
    except IntegrityError:  # the same code taken at the same moment
        raise ValidationError({"code": ["该指标代码已被使用。"]}) from None
    return obj
