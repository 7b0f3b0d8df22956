"""Every change of a campaign (公益项目): acting user first, role, scope, row lock, audit row — in one transaction; a
refused input raises `ValidationError` with Chinese messages by field and writes nothing.

The editors keep every campaign of their federations (the federation's own, or one they set up for a chamber); a
chamber secretary keeps its own chamber's (the chamber is fixed to its own) and only reads the federation's. A
campaign's name is unique in its federation (the import names a campaign by it). A campaign that donations still
name is not deleted (`common.records.delete_or_refuse` says how many).
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from shanglian.accounts.roles import EDITOR_ROLES, Role, role_of
from shanglian.common.errors import raise_grouped
from shanglian.common.money import yuan_text
from shanglian.common.records import delete_or_refuse, record_saved, snapshot
from shanglian.orgs.selectors import chambers_in_scope

from ..models import Campaign
from ..selectors.campaigns import campaign_kinds, campaigns_editable_by
from .donations import AMOUNT_LIMIT, FEN

FIRST_DAY = date(1990, 1, 1)
TEXT_LIMITS = {"name": ("项目名称", 100), "target_note": ("目标说明", 200), "description": ("项目说明", 5000)}


def _text(value):
    return (value or "").strip()


def _pk(value):
    return getattr(value, "pk", value)


def _target_errors(target):
    if target is None:
        return []
    if not isinstance(target, Decimal) or not target.is_finite():
        return [("target_amount", "目标金额应为数字。")]
    if target <= 0:
        return [("target_amount", "目标金额必须大于0。")]
    if target > AMOUNT_LIMIT:
        return [("target_amount", f"目标金额不能超过 {yuan_text(AMOUNT_LIMIT)} 元。")]
    if target != target.quantize(FEN):
        return [("target_amount", "目标金额最多精确到分（两位小数）。")]
    return []


def _chamber(actor, value, campaign):
    """The launching chamber: a chamber secretary's own; for the editors the one chosen (of their federations) or
    none (the federation's own campaign)."""
    if role_of(actor) == Role.CHAMBER:
        return actor.chamber, []
    if value in (None, ""):
        return None, []
    pk = _pk(value)
    if campaign is not None and pk == campaign.chamber_id:
        return campaign.chamber, []
    found = chambers_in_scope(actor).filter(pk=pk).first() if isinstance(pk, int) and pk > 0 else None
    if found is None:
        return None, [("chamber", "所选发起商会不存在或不在您的管理范围内。")]
    return found, []


def _federation_id(actor, chamber, campaign):
    if chamber is not None:
        return chamber.federation_id
    if campaign is not None:
        return campaign.federation_id
    if actor.federation_id is None:
        raise PermissionDenied("您的账号未关联工商联，不能新建公益项目。")
    return actor.federation_id


def save_campaign(*, actor, data, campaign=None):
    """Create (`campaign` None) or change a campaign; `data` = {name, kind (a DictItem or its id), chamber, start,
    end, target_amount, target_note, description}. Returns the campaign."""
    if role_of(actor) not in EDITOR_ROLES and role_of(actor) != Role.CHAMBER:
        raise PermissionDenied("您没有维护公益项目的权限。")
    if campaign is not None:
        campaign = campaigns_editable_by(actor).filter(pk=_pk(campaign)).first()
        if campaign is None:
            raise PermissionDenied("您无权修改该公益项目。")
    errors = []
    name = _text(data.get("name"))
    if not name:
        errors.append(("name", "请填写项目名称。"))
    for field, (label, limit) in TEXT_LIMITS.items():
        value = _text(data.get(field))
        if len(value) > limit:
            errors.append((field, f"{label}不能超过 {limit} 字（现为 {len(value)} 字）。"))
    kind = None
    if data.get("kind") in (None, ""):
        errors.append(("kind", "请选择项目类别。"))
    else:
        kind = campaign_kinds(include=campaign.kind_id if campaign else None).filter(pk=_pk(data["kind"])).first()
        if kind is None:
            errors.append(("kind", "所选项目类别不存在或已停用。"))
    start, end = data.get("start"), data.get("end")
    if start is None:
        errors.append(("start", "请填写开始日期。"))
    elif start < FIRST_DAY:
        errors.append(("start", f"开始日期不能早于 {FIRST_DAY:%Y-%m-%d}。"))
    if start is not None and end is not None and end < start:
        errors.append(("end", "结束日期不能早于开始日期。"))
    errors += _target_errors(data.get("target_amount"))
    chamber, chamber_errors = _chamber(actor, data.get("chamber"), campaign)
    errors += chamber_errors
    raise_grouped(errors)
    federation_id = _federation_id(actor, chamber, campaign)
    with transaction.atomic():
        before = None
        if campaign is not None:
            obj = Campaign.objects.select_for_update().get(pk=campaign.pk)
            before = snapshot(obj)
        else:
            obj = Campaign()
        taken = Campaign.objects.filter(federation_id=federation_id, name=name).exclude(pk=obj.pk)
        if taken.exists():
            raise ValidationError({"name": f"本工商联已有名为“{name}”的公益项目，请换一个名称。"})
        obj.federation_id, obj.chamber, obj.name, obj.kind = federation_id, chamber, name, kind
        obj.start, obj.end, obj.target_amount = start, end, data.get("target_amount")
        obj.target_note, obj.description = _text(data.get("target_note")), _text(data.get("description"))
        obj.full_clean()
        obj.save()
        record_saved(actor=actor, obj=obj, before=before)
    return obj


def delete_campaign(*, actor, campaign):
    """Delete a campaign no donation names (else `Refused`, naming how many do)."""
    with transaction.atomic():
        editable = campaigns_editable_by(actor)
        if not editable.filter(pk=campaign.pk).exists():
            raise PermissionDenied("您无权删除该公益项目。")
        delete_or_refuse(actor=actor, obj=campaign)
