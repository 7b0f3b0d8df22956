"""Writes of 发展会员: save (create or edit) and delete a prospect, and its stages (`workflow.PROSPECT_FLOW`).

Each takes the acting user first and the values a form parsed, checks the role and the scope
(`selectors.prospects`), checks the rules below, locks the row it changes, saves and audits in one transaction
(`common.records`). A rule broken is a `ValidationError` keyed by the form's field, in Chinese, and nothing is
written; a role that may not write gets `PermissionDenied`; a stage that does not allow a step `Refused`.

Rules of a prospect:
- a name; a 统一社会信用代码, when given, valid (GB 32100) and stored normalised;
- a chamber secretary's prospect is its own chamber's (whatever was posted); an editor's is the federation's own
  or one of its chambers';
- a registry enterprise, when named, is of the user's scope and of the prospect's federation, and is not a member
  in force of that federation (a member is not recruited twice);
- one open prospect per federation and enterprise / 统一社会信用代码 (a form posted twice records it once);
- 会员推荐 and 会员上下游 name the member enterprise (推荐会员企业); 参加活动 names the event;
- the owner (负责人) is among `selectors.prospect_owners(actor)`, and a chamber secretary owns only its own
  chamber's prospects.

Stages: 已联系 / 已走访 (with the next step and its date), 放弃 (with a reason), 重新跟进 (back to 线索). 已申请 and
已入会 are the applications' (`services.applications`), never a person's choice.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from shanglian.accounts.roles import Role, role_of
from shanglian.audit.models import AuditAction
from shanglian.audit.services import record
from shanglian.common.records import changes, delete_or_refuse, record_saved, snapshot
from shanglian.common.validators import normalize_uscc, validate_mobile, validate_uscc

from ..models import Prospect
from ..selectors import prospects as selectors
from ..selectors.scopes import prospects_visible_to
from ..workflow import PROSPECT_FLOW

S = Prospect.Stage
MAX_NAME = 200
OUT_OF_SCOPE = "所选{noun}不存在或不在您的管理范围内。"
ALREADY_MEMBER = "该企业已是{federation}的在册会员，无需作为发展对象。"
ALREADY_FOLLOWED = "已有该企业的发展对象“{prospect}”（{stage}），请勿重复录入。"
FOLLOWED_ELSEWHERE = "该企业已由工商联或其他商会作为发展对象跟进，请勿重复录入。"
OTHER_FEDERATION = "所选企业与发展商会不属于同一工商联。"
REFERRER_NEEDED = "来源为“{source}”时请选择推荐会员企业。"
EVENT_NEEDED = "来源为“参加活动”时请选择来源活动。"
OWNER_CHAMBER = "商会秘书处账号只能负责本商会发展的对象。"
NEXT_STEP_NEEDED = "请填写下一步工作。"
REASON_NEEDED = "请填写放弃原因。"
PAST_DATE = "下一步日期不能早于今天。"

PROSPECT_FIELDS = ("name", "enterprise", "uscc", "member_kind", "is_private", "is_local", "is_high_tech", "industry",
                   "source", "referred_by", "source_event", "contact_name", "contact_mobile", "chamber", "owner",
                   "next_step", "next_step_on", "note")


def _in(queryset, obj):
    return obj is not None and queryset.filter(pk=obj.pk).exists()


def _federation_of(actor, chamber, enterprise):
    if chamber is not None:
        return chamber.federation_id
    if enterprise is not None:
        return enterprise.federation_id
    return actor.federation_id


def prospect_errors(actor, values, *, prospect=None):
    """The rules of one prospect as {field: message} (empty when it passes); normalises `values` in place
    (the code, the chamber a secretary's prospect belongs to, the federation)."""
    errors = {}
    chamber_role = role_of(actor) == Role.CHAMBER
    if chamber_role:
        values["chamber"] = actor.chamber
    name = (values.get("name") or "").strip()
    values["name"] = name
    if not name:
        errors["name"] = "请填写名称。"
    elif len(name) > MAX_NAME:
        errors["name"] = f"名称不能超过 {MAX_NAME} 字。"
    uscc = normalize_uscc(values.get("uscc") or "")
    values["uscc"] = uscc
    if uscc:
        try:
            validate_uscc(uscc)
        except ValidationError as exc:
            errors["uscc"] = exc.messages[0]
    chamber, enterprise = values.get("chamber"), values.get("enterprise")
    if not chamber_role and chamber is not None and not _in(selectors.prospect_chambers(actor), chamber):
        errors["chamber"] = OUT_OF_SCOPE.format(noun="商会")
    if enterprise is not None:
        if not _in(selectors.prospect_enterprises(actor), enterprise):
            errors["enterprise"] = OUT_OF_SCOPE.format(noun="企业")
        elif chamber is not None and chamber.federation_id != enterprise.federation_id:
            errors["enterprise"] = OTHER_FEDERATION
        elif not uscc:
            values["uscc"] = uscc = enterprise.uscc
        elif uscc != enterprise.uscc and "uscc" not in errors:
            errors["uscc"] = "统一社会信用代码与所选企业库记录不一致。"
    federation_id = _federation_of(actor, chamber, enterprise)
    values["federation_id"] = federation_id
    if federation_id is None:
        errors["__all__"] = "您的账号未关联工商联，不能录入发展对象。"
    if enterprise is not None and "enterprise" not in errors and federation_id is not None \
            and selectors.is_member_in_force(federation_id, enterprise):
        errors["enterprise"] = ALREADY_MEMBER.format(federation=enterprise.federation)
    if federation_id is not None and not errors.keys() & {"enterprise", "uscc"}:
        found = selectors.open_prospect_for(federation_id, enterprise=enterprise, uscc=uscc)
        if found is not None and (prospect is None or found.pk != prospect.pk):
            if prospects_visible_to(actor).filter(pk=found.pk).exists():
                errors["__all__"] = ALREADY_FOLLOWED.format(prospect=found, stage=found.get_stage_display())
            else:  # followed by someone the actor may not see: say so without naming it or its stage
                errors["__all__"] = FOLLOWED_ELSEWHERE
    source = values.get("source") or Prospect.Source.REGISTRY
    values["source"] = source
    if source not in Prospect.Source.values:
        errors["source"] = "请选择来源。"
    elif source in (Prospect.Source.REFERRAL, Prospect.Source.SUPPLY_CHAIN) and values.get("referred_by") is None:
        errors["referred_by"] = REFERRER_NEEDED.format(source=Prospect.Source(source).label)
    elif source == Prospect.Source.EVENT and values.get("source_event") is None:
        errors["source_event"] = EVENT_NEEDED
    referrer = values.get("referred_by")
    if referrer is not None and not _in(selectors.prospect_enterprises(actor), referrer):
        errors["referred_by"] = OUT_OF_SCOPE.format(noun="推荐会员企业")
    event = values.get("source_event")
    if event is not None and not _in(selectors.prospect_events(actor), event):
        errors["source_event"] = OUT_OF_SCOPE.format(noun="活动")
    mobile = (values.get("contact_mobile") or "").strip()
    values["contact_mobile"] = mobile
    if mobile:
        try:
            validate_mobile(mobile)
        except ValidationError as exc:
            errors["contact_mobile"] = exc.messages[0]
    if values.get("member_kind") not in ("enterprise", "group", "individual"):
        errors["member_kind"] = "请选择拟入会类型。"
    owner = values.get("owner") or actor
    values["owner"] = owner
    if not _in(selectors.prospect_owners(actor), owner):
        errors["owner"] = OUT_OF_SCOPE.format(noun="负责人")
    elif role_of(owner) == Role.CHAMBER and (chamber is None or owner.chamber_id != chamber.pk):
        errors["owner"] = OWNER_CHAMBER
    return errors


def save_prospect(*, actor, prospect=None, **data):
    """Create (`prospect` None: 线索, today) or edit a prospect; returns it. `data`: PROSPECT_FIELDS."""
    editable = selectors.prospects_editable_by(actor)  # 403 first for a role that does not write
    values = {name: data.get(name) for name in PROSPECT_FIELDS}
    errors = prospect_errors(actor, values, prospect=prospect)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = None
        if prospect is not None and prospect.pk is not None:
            current = editable.select_related(None).select_for_update(of=("self",)).filter(pk=prospect.pk).first()
            if current is None:
                raise PermissionDenied("您没有修改该发展对象的权限。")
            before = snapshot(current)
        else:
            current = Prospect(stage=S.LEAD, stage_changed_on=timezone.localdate())
        for name in PROSPECT_FIELDS:
            value = values[name]
            if value is None and name in ("name", "uscc", "contact_name", "contact_mobile", "next_step", "note"):
                value = ""
            setattr(current, name, value)
        current.federation_id = values["federation_id"]
        current.is_private = bool(values["is_private"])
        current.is_local = values["is_local"] is not False
        current.is_high_tech = bool(values["is_high_tech"])
        try:
            current.full_clean(exclude=["federation", "owner", "stage_changed_on"], validate_constraints=False)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from None
        current.save()
        record_saved(actor=actor, obj=current, before=before)
    return current


def delete_prospect(*, actor, prospect):
    """Delete a prospect of the actor's scope no application names (else `Refused`, nothing deleted), audited."""
    if not selectors.prospects_editable_by(actor).filter(pk=prospect.pk).exists():
        raise PermissionDenied("您没有删除该发展对象的权限。")
    delete_or_refuse(actor=actor, obj=prospect)


# --- stages --------------------------------------------------------------------------------------------------------
def _locked(actor, prospect, action):
    """The prospect under its row lock, after the role, scope and state checks."""
    PROSPECT_FLOW.require_role(action, role_of(actor))
    current = (selectors.prospects_editable_by(actor).select_related(None).select_for_update(of=("self",))
               .filter(pk=prospect.pk).first())
    if current is None:
        raise PermissionDenied("您没有办理该发展对象的权限。")
    PROSPECT_FLOW.require_state(action, current, role=role_of(actor))
    return current


def _move(actor, prospect, action, **fields):
    was, before = prospect.stage, snapshot(prospect)
    target = PROSPECT_FLOW.target(action)
    if target != was:
        prospect.stage_changed_on = timezone.localdate()
    prospect.stage = target
    for name, value in fields.items():
        setattr(prospect, name, value)
    prospect.save()
    record(AuditAction.UPDATE, actor=actor, obj=prospect,
           detail={"transition": action, "from": was, "to": prospect.stage,
                   "changes": changes(Prospect, before, snapshot(prospect))})
    return prospect


def _next_step_errors(next_step, next_step_on):
    errors = {}
    if not (next_step or "").strip():
        errors["next_step"] = NEXT_STEP_NEEDED
    if next_step_on is not None and next_step_on < timezone.localdate():
        errors["next_step_on"] = PAST_DATE
    return errors


def _advance(actor, prospect, action, next_step, next_step_on, note):
    errors = _next_step_errors(next_step, next_step_on)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = _locked(actor, prospect, action)
        fields = {"next_step": next_step.strip(), "next_step_on": next_step_on}
        if (note or "").strip():
            fields["note"] = f"{current.note}\n{note.strip()}".strip()
        return _move(actor, current, action, **fields)


def mark_contacted(*, actor, prospect, next_step, next_step_on=None, note=""):
    """已联系 (from 线索), with the next step."""
    return _advance(actor, prospect, "mark_contacted", next_step, next_step_on, note)


def mark_visited(*, actor, prospect, next_step, next_step_on=None, note=""):
    """已走访 (from 线索 or 已联系), with the next step."""
    return _advance(actor, prospect, "mark_visited", next_step, next_step_on, note)


def abandon_prospect(*, actor, prospect, reason):
    """放弃 (from any stage followed by hand), with the reason; the next step is cleared."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": REASON_NEEDED})
    with transaction.atomic():
        current = _locked(actor, prospect, "abandon_prospect")
        return _move(actor, current, "abandon_prospect", abandon_reason=reason[:200], next_step="",
                     next_step_on=None)


def reopen_prospect(*, actor, prospect):
    """重新跟进 (放弃 → 线索): the reason given when it was abandoned stays in the record's history."""
    with transaction.atomic():
        current = _locked(actor, prospect, "reopen_prospect")
        return _move(actor, current, "reopen_prospect", abandon_reason="")


__all__ = ["PROSPECT_FIELDS", "abandon_prospect", "delete_prospect", "mark_contacted", "mark_visited",
           "prospect_errors", "reopen_prospect", "save_prospect"]
