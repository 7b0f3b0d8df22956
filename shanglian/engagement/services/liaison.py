"""Writes of liaison (包联/帮联) and visits (走访): the acting user first, the role and the scope checked, the
rows that decide a rule locked, one transaction, one audit row (`common.records`).

- Assignments (`save_liaison`, `end_liaison`, `delete_liaison`) are the editors'. A liaison is exactly one of
  an account — an active leader or staff member of the federation (`accounts.selectors.users_in_role`) — and a
  department; its enterprise is in the editor's scope; two assignments of the same account (or department) to
  the same enterprise may not overlap in time; the end is not before the start, nor before a visit recorded
  under it.
- Visits (`save_visit`): the editors on any enterprise of their federations, a leader on the enterprises
  assigned to them (under their own liaison, in force on the visit's day). A visit is not dated in the
  future; its liaison, when given, is of the same enterprise and in force that day. An editor who names no
  liaison gets the enterprise's only liaison in force that day, if there is exactly one. A correction: the
  editors any visit of their federations, a leader only the visits they recorded (`visits_editable_by`).
- Locks: every write that decides a rule on one enterprise's liaisons locks the enterprise row first, then the
  liaison row (`save_visit`, `save_liaison`, `end_liaison` alike), so a visit and a change of its liaison's
  period serialise — the visit checks the liaison it re-read under the lock, never the copy its form loaded.
- `raise_appeal_from_visit`: a problem found on a visit becomes an appeal in one step — the desk's own
  registration (`appeals.services.submit_appeal`, channel 走访, so the editors only), its source naming the
  visit (the appeal's first timeline step reads 来源：走访（…）), a `VisitAppeal` linking both ways, audited.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from shanglian.accounts.roles import EDITOR_ROLES, VISITOR_ROLES, Role, require_role, role_of
from shanglian.appeals.models import Channel
from shanglian.appeals.services import submit_appeal
from shanglian.audit.models import AuditAction
from shanglian.audit.services import record
from shanglian.common.errors import Refused
from shanglian.common.periods import span_text
from shanglian.common.records import delete_or_refuse, record_saved, snapshot
from shanglian.members.models import Enterprise
from shanglian.members.selectors import enterprises_visible_to, streets_visible_to
from shanglian.orgs.selectors import federation_ids_in_scope

from ..models import Liaison, Visit, VisitAppeal, liaison_in_force_q
from ..selectors import liaison as selectors

SOURCE_NOTE_LIMIT = 200  # appeals.Appeal.source_note


def _clean(obj):
    """The model's rules (its `clean()` and constraints) with their Chinese messages."""
    obj.full_clean()


def _lock_enterprise(enterprise):
    """Serialise the writes that decide a rule on one enterprise (overlapping assignments, the only liaison)."""
    return Enterprise.objects.select_for_update().get(pk=enterprise.pk)


def _lock_enterprise_id(enterprise_id):
    list(Enterprise.objects.select_for_update().filter(pk=enterprise_id).values_list("pk", flat=True))


def _lock_liaison(actor, liaison):
    """The editor's liaison re-read and locked after its enterprise (the order `save_visit` takes them in), or
    PermissionDenied."""
    enterprise_id = Liaison.objects.filter(pk=liaison.pk).values_list("enterprise_id", flat=True).first()
    if enterprise_id is not None:
        _lock_enterprise_id(enterprise_id)
    current = selectors.liaisons_editable_by(actor).select_for_update(of=("self",)).filter(pk=liaison.pk).first()
    if current is None:
        raise PermissionDenied("您没有修改该包联关系的权限。")
    if current.enterprise_id != enterprise_id:  # moved to another enterprise between the two reads
        _lock_enterprise_id(current.enterprise_id)
    return current


# --- assignments -------------------------------------------------------------------------------------------
LIAISON_FIELDS = ("enterprise", "level", "street", "user", "department", "liaison_name", "start", "end", "note")


def _check_liaison(actor, liaison):
    if liaison.enterprise_id is None or not enterprises_visible_to(actor).filter(pk=liaison.enterprise_id).exists():
        raise ValidationError("请选择本工商联范围内的企业。")
    if liaison.user_id is not None and not selectors.liaison_users(actor).filter(pk=liaison.user_id).exists():
        raise ValidationError("包联人须为本工商联的领导或工作人员账号。")
    if liaison.department_id is not None and not selectors.liaison_departments(actor).filter(
            pk=liaison.department_id).exists():
        raise ValidationError("请选择本工商联启用中的部门。")
    if liaison.street_id is not None and not streets_visible_to(actor).filter(pk=liaison.street_id).exists():
        raise ValidationError("请选择本工商联的街道。")
    if liaison.level == Liaison.Level.DISTRICT:
        liaison.street = None


def _overlapping(liaison):
    """Other assignments of the same account or department to the same enterprise whose period meets this one's."""
    qs = Liaison.objects.filter(enterprise_id=liaison.enterprise_id)
    qs = qs.filter(user_id=liaison.user_id) if liaison.user_id else qs.filter(department_id=liaison.department_id)
    if liaison.pk:
        qs = qs.exclude(pk=liaison.pk)
    qs = qs.exclude(end__lt=liaison.start)
    if liaison.end is not None:
        qs = qs.exclude(start__gt=liaison.end)
    return qs


def _check_period(liaison):
    clash = _overlapping(liaison).select_related("user", "department").first()
    if clash is not None:
        raise ValidationError(f"{clash.liaison_display}已包联该企业（{span_text(clash.start, clash.end)}），"
                              "同一包联人对同一企业的包联期间不能重叠。")
    if liaison.pk and Visit.objects.filter(liaison_id=liaison.pk).exclude(enterprise_id=liaison.enterprise_id).exists():
        raise ValidationError("该包联关系下已有走访记录，不能更换企业；请结束该包联关系后为新企业新增包联。")
    if liaison.pk:
        outside = Visit.objects.filter(liaison_id=liaison.pk).exclude(visited_on__gte=liaison.start)
        if liaison.end is not None:
            outside = Visit.objects.filter(liaison_id=liaison.pk).exclude(
                visited_on__gte=liaison.start, visited_on__lte=liaison.end)
        count = outside.count()
        if count:
            raise ValidationError(f"该包联关系下有 {count} 条走访记录不在新的包联期间内，请先调整走访记录或包联期间。")


def save_liaison(*, actor, liaison=None, **fields):
    """Add (`liaison` None) or change an assignment; `fields` are LIAISON_FIELDS (the enterprise, level, street,
    user or department, liaison_name, start, end, note). Returns the saved liaison."""
    require_role(actor, *EDITOR_ROLES)
    unknown = set(fields) - set(LIAISON_FIELDS)
    if unknown:
        raise TypeError(f"Unknown liaison fields: {sorted(unknown)}")
    with transaction.atomic():
        before = None
        if liaison is not None:
            liaison = _lock_liaison(actor, liaison)
            before = snapshot(liaison)
        else:
            liaison = Liaison()
        for name, value in fields.items():
            setattr(liaison, name, value)
        for text in ("liaison_name", "note"):
            setattr(liaison, text, (getattr(liaison, text) or "").strip())
        _check_liaison(actor, liaison)
        liaison.enterprise = _lock_enterprise(liaison.enterprise)
        liaison.federation_id = liaison.enterprise.federation_id
        _clean(liaison)
        _check_period(liaison)
        liaison.save()
        record_saved(actor=actor, obj=liaison, before=before)
    return liaison


def end_liaison(*, actor, liaison, end):
    """结束包联: the assignment ends on `end` (not before its start nor before a visit under it)."""
    require_role(actor, *EDITOR_ROLES)
    if end is None:
        raise ValidationError("请填写结束日期。")
    with transaction.atomic():
        current = _lock_liaison(actor, liaison)
        if current.end is not None:
            raise Refused(f"该包联关系已于 {current.end:%Y-%m-%d} 结束。", code="ended")
        before = snapshot(current)
        current.end = end
        _clean(current)
        _check_period(current)
        current.save(update_fields=["end"])
        record_saved(actor=actor, obj=current, before=before)
    return current


def delete_liaison(*, actor, liaison):
    """Delete an assignment entered by mistake; refused while visits are recorded under it (end it instead)."""
    if not selectors.liaisons_editable_by(actor).filter(pk=liaison.pk).exists():
        raise PermissionDenied("您没有删除该包联关系的权限。")
    delete_or_refuse(actor=actor, obj=liaison)


# --- visits --------------------------------------------------------------------------------------------------
VISIT_TEXTS = ("visitors", "people_met", "summary", "problems", "follow_up")


def _visit_liaison(actor, enterprise, liaison, day):
    """The liaison the visit is recorded under (called with `enterprise` locked): the one named — re-read and
    locked, so that its period is the committed one, not the copy the caller loaded before the transaction —
    visible to the actor, of the enterprise, in force on `day`; for a leader their own liaison of the
    enterprise is required; for an editor who names none, the enterprise's only liaison in force that day (or
    none)."""
    leader = role_of(actor) == Role.LEADER
    if liaison is not None:
        current = selectors.liaisons_visible_to(actor).select_for_update(of=("self",)).filter(pk=liaison.pk).first()
        if current is None:
            raise ValidationError("包联关系不存在或不在您的范围内。")
        if current.enterprise_id != enterprise.pk:
            raise ValidationError("包联关系不属于该企业。")
        if day is not None and not current.in_force_on(day):
            raise ValidationError("走访日期不在该包联关系的包联期间内。")
        return current
    if leader:
        raise ValidationError("请选择您包联的企业（只能记录本人包联企业的走访）。")
    if day is None:
        return None
    in_force = list(Liaison.objects.filter(liaison_in_force_q(day), enterprise=enterprise)[:2])
    return in_force[0] if len(in_force) == 1 else None


def save_visit(*, actor, visit=None, enterprise=None, liaison=None, visited_on, visitors, people_met="", summary="",
               problems="", follow_up=""):
    """Record (`visit` None) or correct a visit. `enterprise` may be left out when `liaison` names it.
    Returns the saved visit; bad input raises ValidationError and writes nothing."""
    require_role(actor, *VISITOR_ROLES)
    if enterprise is None and liaison is not None:
        enterprise = liaison.enterprise
    if enterprise is None:
        raise ValidationError("请选择走访的企业。")
    with transaction.atomic():
        before = None
        if visit is not None:
            visit = selectors.visits_editable_by(actor).select_for_update(of=("self",)).filter(pk=visit.pk).first()
            if visit is None:
                raise PermissionDenied("您没有修改该走访记录的权限。")
            before = snapshot(visit)
        else:
            visit = Visit(recorded_by=actor)
        if enterprise.pk != visit.enterprise_id and not enterprises_visible_to(actor).filter(pk=enterprise.pk).exists():
            raise ValidationError("请选择本工商联范围内的企业。")
        enterprise = _lock_enterprise(enterprise)
        if enterprise.federation_id not in federation_ids_in_scope(actor):
            raise ValidationError("请选择本工商联范围内的企业。")
        visit.enterprise, visit.federation_id, visit.visited_on = enterprise, enterprise.federation_id, visited_on
        for name, value in zip(VISIT_TEXTS, (visitors, people_met, summary, problems, follow_up), strict=True):
            setattr(visit, name, (value or "").strip())
        visit.liaison = _visit_liaison(actor, enterprise, liaison, visited_on)
        _clean(visit)
        visit.save()
        record_saved(actor=actor, obj=visit, before=before)
    return visit


# --- a problem found becomes an appeal -------------------------------------------------------------------------
def visit_source_note(visit):
    """What the appeal says of where it came from: the visit's day, enterprise and visitors."""
    note = f"{visit.visited_on:%Y-%m-%d} 走访{visit.enterprise.name}，走访人员：{visit.visitors}"
    return note if len(note) <= SOURCE_NOTE_LIMIT else note[:SOURCE_NOTE_LIMIT - 1] + "…"


def raise_appeal_from_visit(*, actor, visit, **appeal_fields):
    """转为诉求: register an appeal of the visit's enterprise (channel 走访) whose source names the visit, linked
    both ways. `appeal_fields` are `submit_appeal`'s (category, title, content, urgency, contact_name,
    contact_mobile, files, rights); a `source_note` given is added after the visit's. The desk's own rules
    apply: only the editors register an appeal for an enterprise."""
    if role_of(actor) not in EDITOR_ROLES:
        raise PermissionDenied("只有工商联工作人员可以将走访发现的问题登记为诉求。")
    named = appeal_fields.pop("enterprise", None)
    appeal_fields.pop("channel", None)
    extra = (appeal_fields.pop("source_note", "") or "").strip()
    with transaction.atomic():
        visit = selectors.visits_editable_by(actor).select_for_update(of=("self",)).filter(pk=visit.pk).first()
        if visit is None:
            raise PermissionDenied("您没有处理该走访记录的权限。")
        if named is not None and named.pk != visit.enterprise_id:
            raise ValidationError("走访发现的问题只能登记为被走访企业的诉求。")
        note = visit_source_note(visit)
        if extra:
            note = f"{note}；{extra}"[:SOURCE_NOTE_LIMIT]
        appeal = submit_appeal(actor=actor, enterprise=visit.enterprise, channel=Channel.VISIT, source_note=note,
                               **appeal_fields)
        VisitAppeal.objects.create(visit=visit, appeal=appeal)
        record(AuditAction.UPDATE, actor=actor, obj=visit, detail={
            "appeal_raised": appeal.number, "changes": [{"field": "转为诉求", "old": "", "new": appeal.number}]})
    return appeal
