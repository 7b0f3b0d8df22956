"""Writes of 结对帮扶 (pairings): save (create or edit) and delete.

Each takes the acting user first and the values a form parsed, checks the role and the scope
(`selectors.pairings`: `pairings_editable_by`, `partner_enterprises`, `partner_chambers`,
`villages_for_pairings`), checks the rules below, locks the row it changes, saves and audits in one transaction
(`common.records`: the audit row lists the changes). A rule broken is a `ValidationError` keyed by the form's
field, in Chinese, and nothing is written; a role that may not write gets `PermissionDenied`.

Rules:
- exactly one partner: an enterprise or a chamber of the actor's scope (an editor: of its federations; a chamber
  secretary: its own chamber or one of its active member enterprises);
- the village is of the actor's federations and of the partner's federation (the pairing belongs to it);
- the end (when given) is not before the start;
- the committed and delivered amounts (yuan, to the fen) are not negative;
- a new pairing is not one already recorded: the same partner, village, kind and start (a form posted twice records
  it once).
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from shanglian.common.records import delete_or_refuse, record_saved, snapshot
from shanglian.orgs.models import Village

from ..models import Pairing
from ..selectors import pairings as selectors

ONE_PARTNER = "请在帮扶企业与帮扶商会中选择其一。"
OUT_OF_SCOPE = "所选{noun}不存在或不在您的管理范围内。"
OTHER_FEDERATION = "结对村须与帮扶方属于同一工商联。"
END_BEFORE_START = "结束日期不能早于开始日期。"
NEGATIVE_AMOUNT = "金额不能为负数。"
UNKNOWN_KIND = "请选择帮扶类型。"
CENT = Decimal("0.01")
TOO_PRECISE = "金额最多保留两位小数（精确到分）。"
ALREADY_RECORDED = "已有相同的结对帮扶（{pairing}，{start:%Y-%m-%d} 开始），请勿重复录入。"


def _messages(exc):
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


def _in(queryset, obj):
    return obj is not None and queryset.filter(pk=obj.pk).exists()


def pairing_errors(*, actor, village, enterprise, chamber, kind, start, end, committed_amount, delivered_amount):
    """The rules of one pairing as {field: message} (empty when it passes)."""
    errors = {}
    if (enterprise is None) == (chamber is None):
        errors["__all__"] = ONE_PARTNER
    elif enterprise is not None and not _in(selectors.partner_enterprises(actor), enterprise):
        errors["enterprise"] = OUT_OF_SCOPE.format(noun="企业")
    elif chamber is not None and not _in(selectors.partner_chambers(actor), chamber):
        errors["chamber"] = OUT_OF_SCOPE.format(noun="商会")
    if not _in(selectors.villages_for_pairings(actor), village):
        errors["village"] = OUT_OF_SCOPE.format(noun="村")
    elif not errors:
        partner = enterprise or chamber
        if partner.federation_id != village.federation_id:
            errors["village"] = OTHER_FEDERATION
    if kind not in Pairing.Kind.values:
        errors["kind"] = UNKNOWN_KIND
    if start and end and end < start:
        errors["end"] = END_BEFORE_START
    for name, amount in (("committed_amount", committed_amount), ("delivered_amount", delivered_amount)):
        if amount is None:
            continue
        if amount < 0:
            errors[name] = NEGATIVE_AMOUNT
        elif amount != amount.quantize(CENT):
            errors[name] = TOO_PRECISE
    return errors


def save_pairing(*, actor, pairing=None, village, kind, start, enterprise=None, chamber=None, end=None,
                 commitment="", committed_amount=None, delivered="", delivered_amount=None, note=""):
    """Create (`pairing` None) or edit a pairing; returns it."""
    editable = selectors.pairings_editable_by(actor)  # 403 first for a role that does not write
    errors = pairing_errors(actor=actor, village=village, enterprise=enterprise, chamber=chamber, kind=kind,
                            start=start, end=end, committed_amount=committed_amount,
                            delivered_amount=delivered_amount)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = None
        if pairing is not None and pairing.pk is not None:
            current = editable.select_related(None).select_for_update(of=("self",)).filter(pk=pairing.pk).first()
            if current is None:
                raise PermissionDenied("您没有修改该结对帮扶的权限。")
            before = snapshot(current)
        else:
            _refuse_recorded(village=village, enterprise=enterprise, chamber=chamber, kind=kind, start=start)
            current = Pairing()
        current.federation_id, current.village = village.federation_id, village
        current.enterprise, current.chamber, current.kind = enterprise, chamber, kind
        current.start, current.end = start, end
        current.commitment, current.committed_amount = commitment or "", committed_amount
        current.delivered, current.delivered_amount = delivered or "", delivered_amount
        current.note = note or ""
        try:
            current.full_clean(exclude=["federation"], validate_constraints=False)  # the constraints: checked above
        except ValidationError as exc:
            raise ValidationError(_messages(exc)) from None
        current.save()
        record_saved(actor=actor, obj=current, before=before)
    return current


def _refuse_recorded(*, village, enterprise, chamber, kind, start):
    """Refuse a new pairing equal to a recorded one (partner, village, kind, start). Called inside the transaction
    with the village's row locked, so two posts of one form are checked one after the other."""
    Village.objects.select_for_update().filter(pk=village.pk).first()
    same = (Pairing.objects.filter(village=village, enterprise=enterprise, chamber=chamber, kind=kind, start=start)
            .order_by("pk").first())
    if same is not None:
        raise ValidationError({"__all__": ALREADY_RECORDED.format(pairing=same, start=same.start)})


def delete_pairing(*, actor, pairing):
    """Delete a pairing of the actor's scope (nothing points at a pairing), audited."""
    if not selectors.pairings_editable_by(actor).filter(pk=pairing.pk).exists():
        raise PermissionDenied("您没有删除该结对帮扶的权限。")
    delete_or_refuse(actor=actor, obj=pairing)


__all__ = ["delete_pairing", "pairing_errors", "save_pairing"]
