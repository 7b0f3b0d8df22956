"""Every change of a donation (捐款捐物) and of its proofs: acting user first, role, scope, row lock, audit row — in
one transaction; a refused input raises `ValidationError` with Chinese messages by field and writes nothing.

- `save_donation` records a donation (its certificate number is `common.numbering.daily_number("JZ")`,
  JZ202611220001) or changes one, with new proofs (`common.uploads`: checked before anything is written, stored
  under "welfare" by `kept_files`, removed again if the transaction fails). The `WELFARE_KEEPER_ROLES` record: the
  editors any donation of their federations (and may name the organising chamber), a chamber secretary its own
  chamber's (the chamber is fixed to its own; its donors are its chamber, its active member enterprises and the
  persons holding a role in them). A donor, chamber, campaign or village outside the user's scope is refused — a
  donation's own, unchanged, stays allowed when it is edited.
- `delete_donation`: the donation and its proofs (audited by `common.records.delete_or_refuse`); the proofs' files are
  removed once the deletion is committed. `remove_proof`: one proof, audited on its donation.

The rules a row of the import is checked against as well (`welfare.imports`) are `amount_errors`, `date_errors`,
`text_errors`, `federation_for` and `next_number`, so both refuse the same values in the same words.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from shanglian.accounts.roles import WELFARE_KEEPER_ROLES, Role, require_role, role_of
from shanglian.audit.models import AuditAction
from shanglian.audit.services import record
from shanglian.common.errors import Refused, raise_grouped
from shanglian.common.money import LIMIT as CAPITALS_LIMIT
from shanglian.common.money import yuan_text
from shanglian.common.numbering import daily_number
from shanglian.common.records import delete_or_refuse, record_saved, snapshot
from shanglian.common.uploads import check_uploads, kept_files, remove_stored

from ..models import MONEY, ZERO, Donation, DonationProof
from ..selectors.donations import (
    donations_editable_by,
    donors_of_kind,
    organising_chambers,
    recipient_villages,
    same_donation,
)
from ..selectors.scopes import campaigns_visible_to

D = Donation.DonorKind
PROOF_FOLDER = "welfare"
NUMBER_PREFIX = "JZ"
FEN = Decimal("0.01")
AMOUNT_LIMIT = Decimal(10) ** (MONEY["max_digits"] - MONEY["decimal_places"]) - FEN  # what the columns hold
TOTAL_LIMIT = CAPITALS_LIMIT - FEN  # cash + goods: what the certificate can write in capitals (`rmb_capitals`)
FIRST_DAY = date(1990, 1, 1)
AMOUNT_LABELS = {"cash": "捐款金额", "goods_value": "物资折价"}
TEXT_LIMITS = {"goods_description": ("捐赠物资", 200), "recipient": ("受赠方", 100),
               "receipt_number": ("捐赠票据号", 40), "note": ("备注", 200)}
NOTHING_GIVEN = "请填写捐款金额或物资折价（至少一项大于0）。"
GOODS_UNDESCRIBED = "填写了物资折价，请写明捐赠的物资。"
GOODS_UNVALUED = "填写了捐赠物资，请填写物资折价金额。"
OUT_OF_SCOPE = {
    "donor": "所选捐赠方不存在或不在您的管理范围内。",
    "chamber": "所选组织商会不存在或不在您的管理范围内。",
    "campaign": "所选公益项目不存在或不在您的查看范围内。",
    "recipient_village": "所选受赠村不存在或不在您的管理范围内。",
}
TOTAL_TOO_LARGE = f"捐款金额与物资折价合计不能超过 {yuan_text(TOTAL_LIMIT)} 元。"
ALREADY_RECORDED = "已有相同的捐赠记录（编号 {number}），请勿重复录入。"
PROOFS_ADDED = "捐赠凭证"


# --- the rules (shared with the import) ------------------------------------------------------------------------
def amount_errors(*, cash, goods_value, goods_description):
    """[(field, reason)] of the amounts: each a number of yuan to the fen, not negative, within what the column holds;
    together within what the certificate can write in capitals (`TOTAL_LIMIT`); goods described and valued together;
    something given (cash, goods or both)."""
    errors = []
    for name, value in (("cash", cash), ("goods_value", goods_value)):
        label = AMOUNT_LABELS[name]
        if value is None:
            continue
        if not isinstance(value, Decimal) or not value.is_finite():
            errors.append((name, f"{label}应为数字。"))
        elif value < 0:
            errors.append((name, f"{label}不能为负数。"))
        elif value > AMOUNT_LIMIT:
            errors.append((name, f"{label}不能超过 {yuan_text(AMOUNT_LIMIT)} 元。"))
        elif value != value.quantize(FEN):
            errors.append((name, f"{label}最多精确到分（两位小数）。"))
    if errors:
        return errors
    cash, goods = cash or ZERO, goods_value or ZERO
    described = bool((goods_description or "").strip())
    if goods > 0 and not described:
        errors.append(("goods_description", GOODS_UNDESCRIBED))
    if described and goods <= 0:
        errors.append(("goods_value", GOODS_UNVALUED))
    if not errors and cash <= 0 and goods <= 0:
        errors.append(("cash", NOTHING_GIVEN))
    if cash + goods > TOTAL_LIMIT:
        errors.append(("goods_value" if goods > 0 else "cash", TOTAL_TOO_LARGE))
    return errors


def date_errors(donated_on, *, today):
    if donated_on is None:
        return [("donated_on", "请填写捐赠日期。")]
    if donated_on > today:
        return [("donated_on", "捐赠日期不能晚于今天。")]
    if donated_on < FIRST_DAY:
        return [("donated_on", f"捐赠日期不能早于 {FIRST_DAY:%Y-%m-%d}。")]
    return []


def text_errors(values):
    """[(field, reason)] for texts over their limit (`TEXT_LIMITS`)."""
    errors = []
    for name, (label, limit) in TEXT_LIMITS.items():
        value = values.get(name) or ""
        if len(value) > limit:
            errors.append((name, f"{label}不能超过 {limit} 字（现为 {len(value)} 字）。"))
    return errors


def federation_for(actor, *, donor, chamber):
    """Where a donation belongs: a chamber secretary's, its chamber's federation; else the organising chamber's, or
    the donor's."""
    if role_of(actor) == Role.CHAMBER:
        return actor.chamber.federation_id
    if chamber is not None:
        return chamber.federation_id
    return donor.federation_id


def next_number():
    return daily_number(NUMBER_PREFIX)


def _text(value):
    return (value or "").strip()


def _pk(value):
    return getattr(value, "pk", value)


def _in_scope(visible, value, *, current=None):
    """The record `value` (a record or its id) from `visible`, or the donation's `current` one (kept when unchanged);
    None when it is neither."""
    pk = _pk(value)
    if current is not None and pk == current:
        return visible.model._base_manager.filter(pk=pk).first()
    if not isinstance(pk, int) or pk <= 0:
        return None
    return visible.filter(pk=pk).first()


# --- donations ---------------------------------------------------------------------------------------------------
def _locked(actor, donation):
    """The donation re-read under a row lock, if the actor may change it (else PermissionDenied)."""
    editable = donations_editable_by(actor)  # 403 for a role that may not record donations
    pk = _pk(donation)
    locked = Donation.objects.select_for_update().filter(pk=pk).first()
    if locked is None or not editable.filter(pk=pk).exists():
        raise PermissionDenied("您无权修改该捐赠记录。")
    return locked


def check_donation(actor, data, *, donation=None, today=None):
    """Every rule of a donation's fields, before anything is written: returns the resolved records
    {donor_kind, donor, chamber, campaign, recipient_village} or raises ValidationError (Chinese, by field)."""
    today = today or timezone.localdate()
    errors = []
    kind = data.get("donor_kind")
    donor = chamber = campaign = village = None
    if kind not in D.values:
        errors.append(("donor_kind", "请选择捐赠方类型。"))
    elif data.get("donor") in (None, ""):
        errors.append(("donor", "请选择捐赠方。"))
    else:
        current = getattr(donation, f"donor_{kind}_id", None) if donation is not None else None
        donor = _in_scope(donors_of_kind(actor, kind), data["donor"], current=current)
        if donor is None:
            errors.append(("donor", OUT_OF_SCOPE["donor"]))
    if role_of(actor) == Role.CHAMBER:
        chamber = actor.chamber
    elif data.get("chamber") not in (None, ""):
        chamber = _in_scope(organising_chambers(actor), data["chamber"],
                            current=donation.chamber_id if donation is not None else None)
        if chamber is None:
            errors.append(("chamber", OUT_OF_SCOPE["chamber"]))
    elif kind == D.CHAMBER and donor is not None:
        chamber = donor  # a chamber's own gift is its chamber's
    if data.get("campaign") not in (None, ""):
        campaign = _in_scope(campaigns_visible_to(actor), data["campaign"],
                             current=donation.campaign_id if donation is not None else None)
        if campaign is None:
            errors.append(("campaign", OUT_OF_SCOPE["campaign"]))
    if data.get("recipient_village") not in (None, ""):
        village = _in_scope(recipient_villages(actor), data["recipient_village"],
                            current=donation.recipient_village_id if donation is not None else None)
        if village is None:
            errors.append(("recipient_village", OUT_OF_SCOPE["recipient_village"]))
    errors += date_errors(data.get("donated_on"), today=today)
    errors += amount_errors(cash=data.get("cash"), goods_value=data.get("goods_value"),
                            goods_description=data.get("goods_description"))
    errors += text_errors({name: _text(data.get(name)) for name in TEXT_LIMITS})
    raise_grouped(errors)
    return {"donor_kind": kind, "donor": donor, "chamber": chamber, "campaign": campaign, "recipient_village": village}


def save_donation(*, actor, data, donation=None, files=()):
    """Record a donation (`donation` None) or change one; `data` = {donor_kind, donor (record or id), chamber,
    campaign, recipient_village, donated_on, cash, goods_description, goods_value, recipient, receipt_number, note};
    `files` are new proofs. Returns the donation."""
    require_role(actor, *WELFARE_KEEPER_ROLES)
    if donation is not None:
        donation = _locked_or_404(actor, donation)
    resolved = check_donation(actor, data, donation=donation)
    checked = check_uploads(files, field="proofs")
    kind, donor = resolved["donor_kind"], resolved["donor"]
    with kept_files(PROOF_FOLDER) as keeper, transaction.atomic():
        before = None
        if donation is not None:
            obj = _locked(actor, donation)
            before = snapshot(obj)
        else:
            number = next_number()  # locks the day's counter: two posts of one form are checked one after the other
            _refuse_recorded(actor, data, resolved)
            obj = Donation(created_by=actor, number=number)
        obj.federation_id = federation_for(actor, donor=donor, chamber=resolved["chamber"])
        obj.donor_kind = kind
        obj.donor_enterprise = donor if kind == D.ENTERPRISE else None
        obj.donor_person = donor if kind == D.PERSON else None
        obj.donor_chamber = donor if kind == D.CHAMBER else None
        obj.chamber, obj.campaign = resolved["chamber"], resolved["campaign"]
        obj.recipient_village = resolved["recipient_village"]
        obj.donated_on = data["donated_on"]
        obj.cash = data.get("cash") or ZERO
        obj.goods_value = data.get("goods_value") or ZERO
        obj.goods_description = _text(data.get("goods_description"))
        obj.recipient = _text(data.get("recipient"))
        obj.receipt_number = _text(data.get("receipt_number"))
        obj.note = _text(data.get("note"))
        obj.full_clean(exclude=["created_by"])
        obj.save()
        keeper.save(DonationProof, checked, donation=obj, uploaded_by=actor)
        names = [item.name for item in checked]
        if before is None:
            record_saved(actor=actor, obj=obj, detail={"proofs": names} if names else None)
        else:
            record_saved(actor=actor, obj=obj, before=before)
            if names:
                record(AuditAction.UPDATE, actor=actor, obj=obj, detail={
                    "changes": [{"field": PROOFS_ADDED, "old": "", "new": name} for name in names]})
    return obj


def _refuse_recorded(actor, data, resolved):
    """A new donation equal to one the actor sees (`selectors.same_donation`, the import's test too) is refused: a
    form posted twice records it once."""
    number = same_donation(donations_editable_by(actor), donor_kind=resolved["donor_kind"], donor=resolved["donor"],
                           donated_on=data.get("donated_on"), cash=data.get("cash"),
                           goods_value=data.get("goods_value"), goods_description=_text(data.get("goods_description")),
                           campaign=resolved["campaign"], receipt_number=_text(data.get("receipt_number")))
    if number:
        raise ValidationError({"__all__": [ALREADY_RECORDED.format(number=number)]})


def _locked_or_404(actor, donation):
    """The donation as stored, if the actor may change it (the form was built on it: a stale copy is read again)."""
    found = donations_editable_by(actor).filter(pk=_pk(donation)).first()
    if found is None:
        raise PermissionDenied("您无权修改该捐赠记录。")
    return found


def delete_donation(*, actor, donation):
    """Delete a donation with its proofs (audited); their files go once the deletion is committed."""
    with transaction.atomic():
        locked = _locked(actor, donation)
        stored = list(locked.proofs.values_list("stored_name", flat=True))
        delete_or_refuse(actor=actor, obj=locked, along=("proofs",))
        transaction.on_commit(lambda: [remove_stored(PROOF_FOLDER, name) for name in stored])


def remove_proof(*, actor, proof):
    """Delete one proof of a donation the actor may change (audited on the donation); its file goes after commit."""
    with transaction.atomic():
        donation = _locked(actor, proof.donation_id)
        locked = DonationProof.objects.select_for_update().filter(pk=proof.pk, donation=donation).first()
        if locked is None:
            raise Refused("该凭证已被删除。", code="gone")
        name, stored = locked.original_name, locked.stored_name
        locked.delete()
        record(AuditAction.UPDATE, actor=actor, obj=donation,
               detail={"changes": [{"field": PROOFS_ADDED, "old": name, "new": ""}]})
        transaction.on_commit(lambda: remove_stored(PROOF_FOLDER, stored))
    return donation
