"""Every change of the friendly organisations (友好商会), their agreements (合作协议) and the visits exchanged (交流互访):
acting user first, role (the editors: sysadmin, staff), the partner's row lock, the rules below, an audit row — in
one transaction. Bad input is a `ValidationError` by field (Chinese); nothing is written then.

- `save_partner` / `delete_partner`: a partner of the actor's federation, its name unique there; twinned (结好) on a
  day not after today; it may end (终止日期, not before it began). A partner with agreements or exchanges is not
  deleted (end it instead).
- `save_agreement` / `delete_agreement`: signed on a day within the friendship (not before it began, not after it
  ended, not after today); it may run until a day not before it was signed.
- `save_exchange` / `delete_exchange`: 来访 or 出访 on a day not after today, its leader, delegates (1–999),
  purpose and outcome, and optionally the event it was (an event of the partner's federation the actor sees,
  named by its number).
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from shanglian.common.errors import raise_grouped
from shanglian.common.records import delete_or_refuse, record_saved, snapshot

from ..models import Agreement, Exchange, Partner
from ..selectors.partners import (
    agreements_editable_by,
    event_candidates,
    exchanges_editable_by,
    partners_editable_by,
    require_partner_editor,
    today,
)

MAX_NAME = 100
MAX_REGION = 100
MAX_CONTACT = 50
MAX_NOTE = 300
MAX_TITLE = 150
MAX_SUMMARY = 2000
MAX_LEADER = 50
MAX_PURPOSE = 200
MAX_OUTCOME = 2000
MAX_DELEGATES = 999
OUT_OF_SCOPE = "您无权维护该友好组织。"


def _text(value):
    return (value or "").strip()


def _is_date(value):
    return isinstance(value, date)


def _length(errors, values, name, label, limit):
    if len(values[name]) > limit:
        errors.append((name, f"{label}不能超过 {limit} 字。"))


def _locked_partner(actor, partner):
    pk = getattr(partner, "pk", partner)
    if not partners_editable_by(actor).filter(pk=pk).exists():
        raise PermissionDenied(OUT_OF_SCOPE)
    return Partner.objects.select_for_update().get(pk=pk)


# --- the partner -------------------------------------------------------------------------------------------------
PARTNER_FIELDS = ("name", "kind", "region", "contact", "since", "ended_on", "note")


def partner_errors(values, *, federation_id, partner=None):
    errors = []
    if not values["name"]:
        errors.append(("name", "请填写友好组织名称。"))
    elif len(values["name"]) > MAX_NAME:
        errors.append(("name", f"名称不能超过 {MAX_NAME} 字。"))
    elif Partner.objects.filter(federation_id=federation_id, name=values["name"]).exclude(
            pk=getattr(partner, "pk", None)).exists():
        errors.append(("name", "已登记该友好组织。"))
    if values["kind"] not in Partner.Kind.values:
        errors.append(("kind", "请选择组织类型。"))
    if not values["region"]:
        errors.append(("region", "请填写所在地区。"))
    _length(errors, values, "region", "所在地区", MAX_REGION)
    _length(errors, values, "contact", "联系人", MAX_CONTACT)
    _length(errors, values, "note", "备注", MAX_NOTE)
    since, ended = values["since"], values["ended_on"]
    if not _is_date(since):
        errors.append(("since", "请填写结好日期。"))
    elif since > today():
        errors.append(("since", "结好日期不能晚于今天。"))
    if ended is not None:
        if not _is_date(ended):
            errors.append(("ended_on", "终止日期格式应为 2026-11-22。"))
        elif _is_date(since) and ended < since:
            errors.append(("ended_on", "终止日期不能早于结好日期。"))
    if partner is not None and partner.pk and _is_date(since):
        first = partner.agreements.order_by("signed_on").values_list("signed_on", flat=True).first()
        if first is not None and since > first:
            errors.append(("since", f"结好日期不能晚于已登记协议的签署日期（{first.isoformat()}）。"))
    return errors


def save_partner(*, actor, data, partner=None):
    """Create (partner=None: in the actor's federation) or change a partner. `data`: PARTNER_FIELDS."""
    require_partner_editor(actor)
    if partner is None and actor.federation_id is None:
        raise PermissionDenied("您的账号未关联工商联，不能登记友好组织。")
    values = {name: data.get(name) for name in PARTNER_FIELDS}
    for name in ("name", "region", "contact", "note"):
        values[name] = _text(values[name])
    values["kind"] = values["kind"] or ""
    with transaction.atomic():
        before = None
        if partner is None:
            partner = Partner(federation_id=actor.federation_id, created_by=actor)
        else:
            partner = _locked_partner(actor, partner)
            before = snapshot(partner)
        raise_grouped(partner_errors(values, federation_id=partner.federation_id,
                                     partner=partner if partner.pk else None))
        for name, value in values.items():
            setattr(partner, name, value)
        try:
            with transaction.atomic():
                partner.save()
        except IntegrityError:
            raise ValidationError({"name": ["已登记该友好组织。"]}) from None
        record_saved(actor=actor, obj=partner, before=before)
    return partner


def delete_partner(*, actor, partner):
    """A partner registered by mistake; one with agreements or exchanges is refused, naming them."""
    with transaction.atomic():
        partner = _locked_partner(actor, partner)
        delete_or_refuse(actor=actor, obj=partner)


# --- agreements --------------------------------------------------------------------------------------------------
AGREEMENT_FIELDS = ("title", "signed_on", "ends_on", "summary")


def agreement_errors(values, *, partner):
    errors = []
    if not values["title"]:
        errors.append(("title", "请填写协议名称。"))
    _length(errors, values, "title", "协议名称", MAX_TITLE)
    _length(errors, values, "summary", "主要内容", MAX_SUMMARY)
    signed, ends = values["signed_on"], values["ends_on"]
    if not _is_date(signed):
        errors.append(("signed_on", "请填写签署日期。"))
    elif signed > today():
        errors.append(("signed_on", "签署日期不能晚于今天。"))
    elif signed < partner.since:
        errors.append(("signed_on", f"签署日期不能早于结好日期（{partner.since.isoformat()}）。"))
    elif partner.ended_on is not None and signed > partner.ended_on:
        errors.append(("signed_on", f"签署日期不能晚于友好关系终止日期（{partner.ended_on.isoformat()}）。"))
    if ends is not None:
        if not _is_date(ends):
            errors.append(("ends_on", "到期日期格式应为 2026-11-22。"))
        elif _is_date(signed) and ends < signed:
            errors.append(("ends_on", "到期日期不能早于签署日期。"))
    return errors


def save_agreement(*, actor, partner, data, agreement=None):
    """Create (with the partner) or change an agreement. `data`: AGREEMENT_FIELDS."""
    require_partner_editor(actor)
    values = {name: data.get(name) for name in AGREEMENT_FIELDS}
    values["title"], values["summary"] = _text(values["title"]), _text(values["summary"])
    return _save_child(actor=actor, model=Agreement, editable=agreements_editable_by(actor), partner=partner,
                       child=agreement, values=values, errors_of=lambda p: agreement_errors(values, partner=p))


def delete_agreement(*, actor, agreement):
    _delete_child(actor=actor, editable=agreements_editable_by(actor), child=agreement)


def _save_child(*, actor, model, editable, partner, child, values, errors_of):
    """Create (under `partner`) or change an agreement or an exchange (`child`): in one transaction the child is checked
    to be in the actor's scope, its partner locked, the values checked against it, the child locked, saved and
    audited."""
    with transaction.atomic():
        if child is not None:
            if not editable.filter(pk=child.pk).exists():
                raise PermissionDenied(OUT_OF_SCOPE)
            partner = child.partner
        partner = _locked_partner(actor, partner)
        raise_grouped(errors_of(partner))
        before = None
        if child is None:
            child = model(partner=partner)
        else:
            child = model.objects.select_for_update().get(pk=child.pk)
            before = snapshot(child)
        for name, value in values.items():
            setattr(child, name, value)
        child.save()
        record_saved(actor=actor, obj=child, before=before, detail={"partner": partner.pk})
    return child


def _delete_child(*, actor, editable, child):
    with transaction.atomic():
        if not editable.filter(pk=child.pk).exists():
            raise PermissionDenied(OUT_OF_SCOPE)
        _locked_partner(actor, child.partner_id)
        delete_or_refuse(actor=actor, obj=child, detail={"partner": child.partner_id})


# --- exchanges ---------------------------------------------------------------------------------------------------
EXCHANGE_FIELDS = ("direction", "date", "leader", "delegates", "purpose", "outcome", "event")


def exchange_errors(values, *, actor, partner):
    errors = []
    if values["direction"] not in Exchange.Direction.values:
        errors.append(("direction", "请选择来访或出访。"))
    if not _is_date(values["date"]):
        errors.append(("date", "请填写交流日期。"))
    elif values["date"] > today():
        errors.append(("date", "交流日期不能晚于今天。"))
    if not values["leader"]:
        errors.append(("leader", "请填写带队领导。"))
    _length(errors, values, "leader", "带队领导", MAX_LEADER)
    delegates = values["delegates"]
    if not isinstance(delegates, int) or isinstance(delegates, bool):
        errors.append(("delegates", "请填写人数。"))
    elif not 1 <= delegates <= MAX_DELEGATES:
        errors.append(("delegates", f"人数应在 1 到 {MAX_DELEGATES} 之间。"))
    if not values["purpose"]:
        errors.append(("purpose", "请填写交流内容。"))
    _length(errors, values, "purpose", "交流内容", MAX_PURPOSE)
    _length(errors, values, "outcome", "成果", MAX_OUTCOME)
    event = values["event"]
    if event is not None and not event_candidates(actor, partner.federation_id).filter(pk=event.pk).exists():
        errors.append(("event", "关联活动须为本工商联的活动。"))
    return errors


def save_exchange(*, actor, partner, data, exchange=None):
    """Create (with the partner) or change an exchange. `data`: EXCHANGE_FIELDS."""
    require_partner_editor(actor)
    values = {name: data.get(name) for name in EXCHANGE_FIELDS}
    for name in ("leader", "purpose", "outcome"):
        values[name] = _text(values[name])
    values["direction"] = values["direction"] or ""
    return _save_child(actor=actor, model=Exchange, editable=exchanges_editable_by(actor), partner=partner,
                       child=exchange, values=values,
                       errors_of=lambda p: exchange_errors(values, actor=actor, partner=p))


def delete_exchange(*, actor, exchange):
    _delete_child(actor=actor, editable=exchanges_editable_by(actor), child=exchange)
