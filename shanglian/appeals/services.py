"""Every change of an appeal: acting user first, permission, row lock, state check, timeline, audit, notice.

Who may take which action from which state is declared once, in `workflow.py` (`APPEAL_FLOW`, and
`ASSIGNMENT_FLOW` for a department's own part); each service checks it there. An action the state does
not allow raises `common.errors.Refused` with a Chinese message and changes nothing; a role that may
not act, `PermissionDenied`. Each service locks the appeal row (`select_for_update`; SQLite serialises
writers with IMMEDIATE transactions) and re-reads its state under the lock before checking, so of two
people acting on the same appeal at once exactly one wins.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from shanglian.accounts.roles import EDITOR_ROLES, Role, role_of
from shanglian.accounts.selectors import users_in_role
from shanglian.audit.models import AuditAction
from shanglian.audit.services import record
from shanglian.common.errors import Refused
from shanglian.common.numbering import daily_number
from shanglian.common.uploads import check_uploads, kept_files
from shanglian.common.validators import validate_mobile
from shanglian.common.workdays import add_working_days, add_working_hours, working_days_between
from shanglian.notifications.services import notify
from shanglian.orgs.models import Department

from . import selectors
from .models import (
    Appeal,
    AppealCategory,
    Assignment,
    Attachment,
    Channel,
    ExtensionRequest,
    MediationResult,
    Rating,
    RatingRecord,
    Status,
    TimelineEntry,
    Urgency,
    overdue_q,
)
from .workflow import (
    APPEAL_FLOW,
    ASSIGNMENT_FLOW,
    status_after_rating,
    status_after_reply,
    status_after_return,
)

ATTACHMENT_FOLDER = "appeals"
MAX_CONTENT = 5000
MAX_TITLE = 100
MAX_NOTE = 500
MAX_EXTENSION_DAYS = 30


# --- helpers ---------------------------------------------------------------------------------------
def _now():
    return timezone.now()


def _text(value, label, *, required=True, limit=MAX_NOTE):
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(f"请填写{label}。")
    if len(value) > limit:
        raise ValidationError(f"{label}不能超过 {limit} 字（现为 {len(value)} 字）。")
    return value


def _locked(actor, appeal):
    """The appeal re-read under a row lock, if the actor may see it at all (else PermissionDenied)."""
    pk = appeal.pk if isinstance(appeal, Appeal) else appeal
    locked = Appeal.objects.select_for_update().filter(pk=pk).first()
    if locked is None or not selectors.appeals_visible_to(actor).filter(pk=pk).exists():
        raise PermissionDenied("您无权办理该诉求。")
    return locked


def _guarded(actor, appeal, action):
    """The table's guards around the row lock: the actor's role may take the action (else
    PermissionDenied), then the appeal re-read under the lock is in a state that allows it (else Refused)."""
    APPEAL_FLOW.require_role(action, role_of(actor))
    appeal = _locked(actor, appeal)
    APPEAL_FLOW.require_state(action, appeal)
    return appeal


def _log(appeal, actor, action, from_status, *, note="", internal_note="", department=None, at=None, via=None):
    """One timeline entry and its audit row. `via`: the composed action that took this step
    (受理并派单 writes its accept and its dispatch step, each audited, marked with it)."""
    entry = TimelineEntry.objects.create(
        appeal=appeal, at=at or _now(), actor=actor,
        actor_name=_actor_name(actor, department), action=action, action_label=APPEAL_FLOW.label(action),
        from_status=from_status, to_status=appeal.status, department=department, note=note,
        internal_note=internal_note,
    )
    detail = {"transition": action, "from": from_status, "to": appeal.status}
    if via:
        detail["via"] = via
    record(AuditAction.CREATE if action == "submit" else AuditAction.UPDATE, actor=actor, obj=appeal,
           detail=detail)
    return entry


def _actor_name(actor, department=None):
    if actor is None:
        return "系统"
    name = actor.display_name or actor.get_username()
    role = role_of(actor)
    if role == Role.DEPARTMENT and department is not None:
        return f"{department.name} {name}"
    if role == Role.ENTERPRISE:
        return f"企业 {name}"
    return name


def _url(appeal, for_enterprise=False):
    return reverse("appeals:h5_detail" if for_enterprise else "appeals:detail", args=[appeal.pk])


def _desk_users(appeal):
    return list(users_in_role(Role.STAFF, federation_id=appeal.federation_id))


def _department_users(department_ids):
    return list(users_in_role(Role.DEPARTMENT, department_id__in=list(department_ids)))


def _enterprise_users(appeal):
    return list(users_in_role(Role.ENTERPRISE, enterprise_id=appeal.enterprise_id))


def _tell_enterprise(appeal, title, *, sms=False):
    notify(_enterprise_users(appeal), kind="appeal", title=f"您的诉求{appeal.number}{title}",
           body=appeal.title, url=_url(appeal, for_enterprise=True), sms=sms)


def _tell_desk(appeal, title):
    notify(_desk_users(appeal), kind="appeal", title=f"诉求{appeal.number}{title}", body=appeal.title,
           url=_url(appeal))


def _tell_departments(appeal, department_ids, title, *, sms=False):
    notify(_department_users(department_ids), kind="appeal", title=f"诉求{appeal.number}{title}",
           body=appeal.title, url=_url(appeal), sms=sms)


def _refresh_deadline(appeal):
    """The appeal's deadline is the latest deadline of its open assignments in the current round."""
    open_ones = list(appeal.current_assignments().filter(
        state__in=Assignment.HELD_STATES))
    if open_ones:
        latest = max(open_ones, key=lambda a: a.deadline)
        appeal.deadline = latest.deadline
        appeal.deadline_provisional = any(a.deadline_provisional for a in open_ones)


# --- submit ----------------------------------------------------------------------------------------
@dataclass
class RightsCase:
    counterpart: str = ""
    amount_involved: object = None
    legal_aid_given: bool = False
    mediation_result: str = ""


def _parse_amount(value):
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", "").replace("，", ""))
    except InvalidOperation:
        raise ValidationError("涉及金额必须是数字（单位：元）。") from None
    if not amount.is_finite():  # NaN, Infinity: Decimal parses them, and comparing NaN raises
        raise ValidationError("涉及金额必须是数字（单位：元）。")
    if amount < 0 or amount >= Decimal("1e12"):
        raise ValidationError("涉及金额应在 0 到 1 万亿元之间。")
    return amount.quantize(Decimal("0.01"))


def submit_appeal(*, actor, enterprise, category, title, content, channel=Channel.PLATFORM,
                  urgency=Urgency.NORMAL, person=None, contact_name="", contact_mobile="", source_note="",
                  files=(), rights=None):
    """An enterprise submits its own appeal (channel 平台), or the desk registers one taken by phone,
    visit, event or letter. Returns the appeal in state 已提交. `contact_mobile` (联系电话) must be a
    valid mobile; left empty, the enterprise's registered contact mobile is used."""
    role = role_of(actor)
    if role == Role.ENTERPRISE:
        if enterprise is None or enterprise.pk != actor.enterprise_id:
            raise PermissionDenied("企业用户只能为本企业提交诉求。")
        channel = Channel.PLATFORM
    elif role in EDITOR_ROLES:
        from shanglian.members.selectors import enterprises_visible_to

        if enterprise is None or not enterprises_visible_to(actor).filter(pk=enterprise.pk).exists():
            raise ValidationError("请选择本工商联范围内的企业。")
    else:
        raise PermissionDenied("您的角色不能提交诉求。")
    if not isinstance(category, AppealCategory) or not category.is_active:
        raise ValidationError("请选择诉求类别。")
    title = _text(title, "诉求标题", limit=MAX_TITLE)
    content = _text(content, "诉求内容", limit=MAX_CONTENT)
    if channel not in Channel.values:
        raise ValidationError("来源渠道无效。")
    if urgency not in Urgency.values:
        raise ValidationError("紧急程度无效。")
    contact_mobile = (validate_mobile(contact_mobile) if (contact_mobile or "").strip()
                      else enterprise.contact_mobile or "")
    checked = check_uploads(files)
    rights = rights or RightsCase()
    if rights.mediation_result and rights.mediation_result not in MediationResult.values:
        raise ValidationError("调解结果无效。")
    amount = _parse_amount(rights.amount_involved)
    if category.is_rights_case and not (rights.counterpart or "").strip():
        raise ValidationError("维权案件请填写对方当事人。")

    with kept_files(ATTACHMENT_FOLDER) as keeper, transaction.atomic():
        now = _now()
        appeal = Appeal.objects.create(
            federation_id=enterprise.federation_id, number=daily_number("SQ", now), enterprise=enterprise,
            person=person, contact_name=_text(contact_name, "联系人", required=False, limit=50),
            contact_mobile=contact_mobile,
            submitted_by=actor, channel=channel, category=category, title=title, content=content,
            urgency=urgency, source_note=_text(source_note, "来源活动/走访", required=False, limit=200),
            submitted_at=now,
            counterpart=_text(rights.counterpart, "对方当事人", required=False, limit=200),
            amount_involved=amount, legal_aid_given=bool(rights.legal_aid_given),
            mediation_result=rights.mediation_result or "",
        )
        # Registered from a visit, an event or a letter: the first step of the timeline says where it came from.
        source = (f"来源：{Channel(channel).label}（{appeal.source_note}）"
                  if appeal.source_note and channel != Channel.PLATFORM else "")
        entry = _log(appeal, actor, "submit", "", note=source, at=now)
        keeper.save(Attachment, checked, appeal=appeal, timeline_entry=entry, uploaded_by=actor)
        _tell_desk(appeal, "待受理")
    return appeal


# --- the desk: accept, reject, dispatch --------------------------------------------------------------
def _desk_notes(public_note, internal_note):
    """The desk's words to the enterprise and its internal note, each checked."""
    return (_text(public_note, "给企业的说明", required=False),
            _text(internal_note, "内部意见", required=False))


@transaction.atomic
def accept_appeal(*, actor, appeal, public_note="", internal_note=""):
    """受理. `public_note` is shown to the enterprise; `internal_note` only to the federation and departments."""
    appeal = _guarded(actor, appeal, "accept")
    public_note, internal_note = _desk_notes(public_note, internal_note)
    _accept(actor, appeal, public_note=public_note, internal_note=internal_note)
    _tell_enterprise(appeal, "已受理")
    return appeal


def _accept(actor, appeal, *, public_note="", internal_note="", via=None):
    before, appeal.status, appeal.accepted_at = appeal.status, APPEAL_FLOW.target("accept"), _now()
    appeal.save(update_fields=["status", "accepted_at", "updated_at"])
    _log(appeal, actor, "accept", before, note=public_note, internal_note=internal_note, via=via)


@transaction.atomic
def reject_appeal(*, actor, appeal, reason):
    appeal = _guarded(actor, appeal, "reject")
    reason = _text(reason, "不予受理理由")
    before = appeal.status
    appeal.status, appeal.rejected_reason, appeal.closed_at = APPEAL_FLOW.target("reject"), reason, _now()
    appeal.save(update_fields=["status", "rejected_reason", "closed_at", "updated_at"])
    _log(appeal, actor, "reject", before, note=reason)
    _tell_enterprise(appeal, "不予受理", sms=True)
    return appeal


def _parse_deadline(value):
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError("办理期限格式应为 2026-11-22。") from None


@transaction.atomic
def dispatch_appeal(*, actor, appeal, departments, deadline=None, public_note="", internal_note=""):
    """派单 to one or more departments of the appeal's federation. The deadline defaults to the
    category's working days from today; a deadline given must not be in the past. `public_note` is
    shown to the enterprise; `internal_note` only to the federation and the departments."""
    appeal = _guarded(actor, appeal, "dispatch")
    _dispatch(actor, appeal, departments=departments, deadline=deadline, public_note=public_note,
              internal_note=internal_note)
    _tell_enterprise(appeal, "已转交承办部门")
    return appeal


@transaction.atomic
def accept_and_dispatch(*, actor, appeal, departments, deadline=None, public_note="", internal_note=""):
    """受理并派单, the common path in one transaction: the appeal is locked once, must still be 已提交
    (else Refused, nothing written: someone else acted first), then the 受理 and the 派单 steps are
    written as `accept_appeal` and `dispatch_appeal` write them (two timeline entries, two audit rows
    marked `via`), the departments told, the enterprise told once. Bad input (no department, a past
    deadline) raises ValidationError and rolls the acceptance back with it."""
    action = "accept_dispatch"
    appeal = _guarded(actor, appeal, action)
    _accept(actor, appeal, via=action)
    APPEAL_FLOW.require_state("dispatch", appeal)  # the table's own guard for the second step
    _dispatch(actor, appeal, departments=departments, deadline=deadline, public_note=public_note,
              internal_note=internal_note, via=action)
    _tell_enterprise(appeal, "已受理并转交承办部门")
    return appeal


def _dispatch(actor, appeal, *, departments, deadline, public_note, internal_note, via=None):
    """The dispatch step on a locked, checked appeal: parse, create the assignments, log, tell the departments."""
    ids = []
    for d in departments or ():
        try:
            ids.append(int(d.pk if isinstance(d, Department) else d))
        except (TypeError, ValueError):
            raise ValidationError("承办部门不存在。") from None
    ids = sorted(set(ids))
    if not ids:
        raise ValidationError("请至少选择一个承办部门。")
    found = {d.pk: d for d in Department.objects.filter(pk__in=ids, federation_id=appeal.federation_id,
                                                            is_active=True)}
    if len(found) != len(ids):
        raise ValidationError("承办部门不存在或已停用，请重新选择。")
    today = timezone.localdate()
    given = _parse_deadline(deadline)
    if given is not None and given < today:
        raise ValidationError(f"办理期限 {given:%Y-%m-%d} 已经过去，请选择今天或以后的日期。")
    computed = selectors.default_deadline(appeal.category, today)
    final = given or computed.date
    provisional = computed.provisional if given is None else False
    public_note, internal_note = _desk_notes(public_note, internal_note)
    now = _now()
    sign = add_working_hours(now, appeal.category.sign_hours)
    for pk in ids:
        Assignment.objects.create(
            appeal=appeal, department=found[pk], round=appeal.reopen_count, dispatched_by=actor,
            dispatched_at=now, sign_deadline=sign.date, deadline=final, deadline_provisional=provisional,
        )
    before = appeal.status
    appeal.status = APPEAL_FLOW.target("dispatch")
    appeal.first_dispatched_at = appeal.first_dispatched_at or now
    appeal.deadline, appeal.deadline_provisional = final, provisional
    appeal.save(update_fields=["status", "first_dispatched_at", "deadline", "deadline_provisional", "updated_at"])
    names = "、".join(found[pk].name for pk in ids)
    _log(appeal, actor, "dispatch", before, internal_note=internal_note, via=via,
         note=f"承办部门：{names}；办理期限：{final:%Y-%m-%d}" + (f"。{public_note}" if public_note else ""))
    _tell_departments(appeal, ids, f"已派至贵部门，请于{sign.date:%m月%d日%H:%M}前签收，{final:%m月%d日}前答复",
                      sms=True)


# --- the department: accept, return, extension, reply -------------------------------------------------
def _department_step(actor, appeal, action):
    """(appeal, assignment) for a department's action: the appeal re-read under the row lock in a
    state `APPEAL_FLOW` allows, then the acting department's assignment in the current round, locked,
    in a state `ASSIGNMENT_FLOW` allows."""
    appeal = _locked(actor, appeal)
    APPEAL_FLOW.require_state(action, appeal)
    ASSIGNMENT_FLOW.require_role(action, role_of(actor))
    assignment = (appeal.current_assignments().select_for_update()
                  .filter(department_id=actor.department_id).first())
    if assignment is None:
        raise Refused(f"诉求 {appeal.number} 当前没有派给贵部门办理，不能{APPEAL_FLOW.label(action)}。")
    ASSIGNMENT_FLOW.require_state(action, assignment)
    return appeal, assignment


@transaction.atomic
def department_accept(*, actor, appeal, note=""):
    """签收: the department takes the appeal on."""
    appeal, assignment = _department_step(actor, appeal, "department_accept")
    note = _text(note, "签收意见", required=False)
    assignment.state, assignment.accepted_at = ASSIGNMENT_FLOW.target("department_accept"), _now()
    assignment.save(update_fields=["state", "accepted_at"])
    before = appeal.status
    appeal.status = APPEAL_FLOW.target("department_accept")
    appeal.save(update_fields=["status", "updated_at"])
    _log(appeal, actor, "department_accept", before, note=note, department=assignment.department)
    if before != Status.HANDLING:
        _tell_enterprise(appeal, "正在办理")
    return appeal


@transaction.atomic
def return_appeal(*, actor, appeal, reason):
    """退回: not this department's business. With no other department left, back to the desk."""
    appeal, assignment = _department_step(actor, appeal, "return")
    reason = _text(reason, "退回理由")
    assignment.state, assignment.returned_at, assignment.return_reason = (
        ASSIGNMENT_FLOW.target("return"), _now(), reason)
    assignment.save(update_fields=["state", "returned_at", "return_reason"])
    ExtensionRequest.objects.filter(assignment=assignment, decision=ExtensionRequest.Decision.PENDING).update(
        decision=ExtensionRequest.Decision.DENIED, decided_at=_now(), decision_note="部门已退回")
    before = appeal.status
    remaining = list(appeal.current_assignments())
    after = status_after_return(remaining)
    if after is not None:
        appeal.status = after
    if after == Status.REPLIED:
        appeal.replied_at = max(a.replied_at for a in remaining)
        appeal.replied_on_time = all(a.replied_on_time for a in remaining)
    _refresh_deadline(appeal)
    appeal.save()
    _log(appeal, actor, "return", before, note=reason, department=assignment.department)
    _tell_desk(appeal, f"被{assignment.department.name}退回，请重新派单" if not remaining else
               f"被{assignment.department.name}退回")
    if appeal.status == Status.REPLIED and before != Status.REPLIED:  # the others had all replied
        _tell_enterprise(appeal, "已答复，请评价", sms=True)
    return appeal


@transaction.atomic
def request_extension(*, actor, appeal, days, reason):
    appeal, assignment = _department_step(actor, appeal, "request_extension")
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise ValidationError("延期天数必须是整数（工作日）。") from None
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ValidationError(f"延期天数应在 1 到 {MAX_EXTENSION_DAYS} 个工作日之间。")
    reason = _text(reason, "延期理由")
    if assignment.extensions.filter(decision=ExtensionRequest.Decision.PENDING).exists():
        raise Refused("贵部门已有一条延期申请在审批中，请等待审批结果。")
    ExtensionRequest.objects.create(assignment=assignment, requested_by=actor, requested_at=_now(), days=days,
                                    reason=reason, old_deadline=assignment.deadline)
    _log(appeal, actor, "request_extension", appeal.status, department=assignment.department,
         note=f"申请延期 {days} 个工作日：{reason}")
    _tell_desk(appeal, f"：{assignment.department.name}申请延期 {days} 个工作日")
    return appeal


@transaction.atomic
def decide_extension(*, actor, appeal, approve, note="", request_id=None):
    """The desk approves (the deadline moves by the asked working days from the old one) or denies.
    With several departments asking at once, `request_id` says which request is decided."""
    APPEAL_FLOW.require_role("decide_extension", role_of(actor))
    appeal = _locked(actor, appeal)
    pending = list(ExtensionRequest.objects.select_for_update()
                   .filter(assignment__appeal=appeal, decision=ExtensionRequest.Decision.PENDING)
                   .select_related("assignment__department").order_by("id"))
    if request_id not in (None, ""):
        pending = [r for r in pending if str(r.pk) == str(request_id)]
        if not pending:
            raise Refused("该延期申请已审批或不存在，请刷新页面。")
    if not pending:
        raise Refused(f"诉求 {appeal.number} 没有待审批的延期申请。")
    if len(pending) > 1:
        names = "、".join(r.assignment.department.name for r in pending)
        raise Refused(f"有 {len(pending)} 条待审批的延期申请（{names}），请选择要审批的一条。")
    request = pending[0]
    APPEAL_FLOW.require_state("decide_extension", appeal)
    note = _text(note, "审批意见", required=not approve)
    assignment = request.assignment
    request.decided_by, request.decided_at, request.decision_note = actor, _now(), note
    if approve:
        moved = add_working_days(request.old_deadline, request.days)
        request.decision, request.new_deadline = ExtensionRequest.Decision.APPROVED, moved.date
        assignment.deadline, assignment.deadline_provisional = moved.date, moved.provisional
        assignment.save(update_fields=["deadline", "deadline_provisional"])
        text = f"同意延期至 {moved.date:%Y-%m-%d}"
    else:
        request.decision = ExtensionRequest.Decision.DENIED
        text = "不同意延期"
    request.save()
    _refresh_deadline(appeal)
    appeal.save(update_fields=["deadline", "deadline_provisional", "updated_at"])
    _log(appeal, actor, "decide_extension", appeal.status, department=assignment.department,
         note=text + (f"：{note}" if note else ""))
    _tell_departments(appeal, [assignment.department_id], f"延期申请结果：{text}")
    return appeal


def reply_appeal(*, actor, appeal, reply, files=()):
    """答复. When every department of the round has replied, the appeal is 已答复 and the enterprise
    is asked to rate it. Files stored for a reply that then fails are removed again."""
    with kept_files(ATTACHMENT_FOLDER) as keeper, transaction.atomic():
        appeal, assignment = _department_step(actor, appeal, "reply")
        reply = _text(reply, "答复内容", limit=MAX_CONTENT)
        checked = check_uploads(files)
        now = _now()
        today = timezone.localdate(now)
        assignment.state, assignment.replied_at, assignment.replied_by, assignment.reply = (
            ASSIGNMENT_FLOW.target("reply"), now, actor, reply)
        assignment.replied_on_time = today <= assignment.deadline
        assignment.working_days_to_reply = max(working_days_between(assignment.dispatched_at, now), 0)
        assignment.save()
        ExtensionRequest.objects.filter(assignment=assignment, decision=ExtensionRequest.Decision.PENDING).update(
            decision=ExtensionRequest.Decision.DENIED, decided_at=now, decision_note="部门已答复")
        before = appeal.status
        current = list(appeal.current_assignments())
        after = status_after_reply(current)
        if after is not None:
            appeal.status, appeal.replied_at = after, now
            appeal.replied_on_time = all(a.replied_on_time for a in current)
        appeal.save()
        entry = _log(appeal, actor, "reply", before, note=reply, department=assignment.department)
        keeper.save(Attachment, checked, appeal=appeal, timeline_entry=entry, uploaded_by=actor)
        if appeal.status == Status.REPLIED:
            _tell_enterprise(appeal, "已答复，请评价", sms=True)
    return appeal


# --- the enterprise (or the desk's callback): rate, reopen; the desk: close, supervise ---------------
@transaction.atomic
def rate_appeal(*, actor, appeal, rating, comment=""):
    """满意/基本满意 closes the appeal; 不满意 keeps it 已答复 so the enterprise may ask to reopen it
    (or the desk closes it with an explanation). The desk rating on the phone is a 回访."""
    role = role_of(actor)
    if role not in APPEAL_FLOW["rate"].roles:
        raise PermissionDenied("您的角色不能评价诉求。")
    appeal = _locked(actor, appeal)
    APPEAL_FLOW.require_state("rate", appeal)
    if rating not in Rating.values:
        raise ValidationError("请选择评价：满意、基本满意或不满意。")
    comment = _text(comment, "不满意的原因" if rating == Rating.UNSATISFIED else "评价意见",
                    required=rating == Rating.UNSATISFIED)
    if appeal.ratings.filter(round=appeal.reopen_count).exists():
        raise Refused(f"诉求 {appeal.number} 本轮答复已经评价过了。")
    source = RatingRecord.Source.ENTERPRISE if role == Role.ENTERPRISE else RatingRecord.Source.CALLBACK
    now = _now()
    RatingRecord.objects.create(appeal=appeal, rating=rating, comment=comment, source=source, rated_by=actor,
                                rated_at=now, round=appeal.reopen_count)
    before = appeal.status
    appeal.rating, appeal.rated_at = rating, now
    after = status_after_rating(rating)
    if after is not None:
        appeal.status, appeal.closed_at = after, now
    appeal.save()
    label = Rating(rating).label
    _log(appeal, actor, "rate", before, note=f"{RatingRecord.Source(source).label}：{label}" +
         (f"。{comment}" if comment else ""))
    if rating == Rating.UNSATISFIED:
        _tell_desk(appeal, "评价为不满意")
    return appeal


@transaction.atomic
def reopen_appeal(*, actor, appeal, reason):
    """重办: the departments that replied get it back with a fresh deadline. The enterprise may ask
    after rating 不满意; the desk may reopen any replied or closed appeal."""
    role = role_of(actor)
    if role not in APPEAL_FLOW["reopen"].roles:
        raise PermissionDenied("您的角色不能要求重办。")
    appeal = _locked(actor, appeal)
    APPEAL_FLOW.require_state("reopen", appeal, role=role)
    if role == Role.ENTERPRISE and appeal.rating != Rating.UNSATISFIED:
        raise Refused("请先评价为“不满意”并说明原因，再申请重办。")
    reason = _text(reason, "重办理由")
    replied = list(appeal.current_assignments().filter(state=Assignment.State.REPLIED)
                   .select_related("department"))
    if not replied:
        raise Refused(f"诉求 {appeal.number} 没有可重办的承办部门。")
    now = _now()
    appeal.reopen_count += 1
    deadline = selectors.default_deadline(appeal.category)
    for old in replied:
        Assignment.objects.create(
            appeal=appeal, department=old.department, round=appeal.reopen_count, state=Assignment.State.HANDLING,
            dispatched_by=actor, dispatched_at=now, sign_deadline=now, accepted_at=now,
            deadline=deadline.date, deadline_provisional=deadline.provisional,
        )
    before = appeal.status
    appeal.status, appeal.rating, appeal.rated_at, appeal.closed_at = APPEAL_FLOW.target("reopen"), "", None, None
    appeal.replied_at, appeal.replied_on_time = None, None
    appeal.deadline, appeal.deadline_provisional = deadline.date, deadline.provisional
    appeal.save()
    _log(appeal, actor, "reopen", before, note=f"{reason}（重办期限 {deadline.date:%Y-%m-%d}）")
    _tell_departments(appeal, [a.department_id for a in replied], "被要求重办", sms=True)
    if role == Role.ENTERPRISE:
        _tell_desk(appeal, "企业申请重办")
    return appeal


@transaction.atomic
def close_appeal(*, actor, appeal, note):
    """办结 a replied appeal without (or against) the enterprise's rating, with the reason on record."""
    appeal = _guarded(actor, appeal, "close")
    note = _text(note, "办结说明")
    before = appeal.status
    appeal.status, appeal.closed_at = APPEAL_FLOW.target("close"), _now()
    appeal.save(update_fields=["status", "closed_at", "updated_at"])
    _log(appeal, actor, "close", before, note=note)
    _tell_enterprise(appeal, "已办结")
    return appeal


@transaction.atomic
def supervise_appeal(*, actor, appeal, note=""):
    """督办: flags the appeal red and tells the departments holding it. `actor=None` is the deadline sweep."""
    if actor is not None:
        APPEAL_FLOW.require_role("supervise", role_of(actor))
        appeal = _locked(actor, appeal)
    else:  # the sweep (a `system` transition)
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    APPEAL_FLOW.require_state("supervise", appeal)
    if appeal.is_supervised:  # read under the row lock: of simultaneous requests one wins, the rest stop here
        raise Refused(f"诉求 {appeal.number} 已在督办中，无需重复督办。", code="already_supervised")
    note = _text(note, "督办意见", required=False) or ("超过办理期限，系统自动督办" if actor is None else "")
    now = _now()
    appeal.is_supervised, appeal.supervised_at = True, now
    appeal.save(update_fields=["is_supervised", "supervised_at", "updated_at"])
    _log(appeal, actor, "supervise", appeal.status, note=note)
    holders = list(appeal.current_assignments().filter(
        state__in=Assignment.HELD_STATES).values_list("department_id", flat=True))
    if holders:
        _tell_departments(appeal, holders, "被督办，请尽快办理", sms=True)
    _tell_desk(appeal, "已督办")
    return appeal


@transaction.atomic
def update_rights_case(*, actor, appeal, counterpart, amount_involved, legal_aid_given, mediation_result):
    """The desk keeps the 维权 fields of a rights case up to date (legal aid given, mediation result)."""
    appeal = _guarded(actor, appeal, "update_rights_case")
    if not appeal.category.is_rights_case:
        raise Refused(f"诉求 {appeal.number} 不是维权案件。")
    if mediation_result and mediation_result not in MediationResult.values:
        raise ValidationError("调解结果无效。")
    appeal.counterpart = _text(counterpart, "对方当事人", limit=200)
    appeal.amount_involved = _parse_amount(amount_involved)
    appeal.legal_aid_given = bool(legal_aid_given)
    appeal.mediation_result = mediation_result or ""
    appeal.save()
    parts = [f"对方当事人：{appeal.counterpart}"]
    if appeal.amount_involved is not None:
        parts.append(f"涉及金额：{appeal.amount_involved:,} 元")
    parts.append("已提供法律援助" if appeal.legal_aid_given else "未提供法律援助")
    if appeal.mediation_result:
        parts.append(f"调解结果：{appeal.get_mediation_result_display()}")
    _log(appeal, actor, "update_rights_case", appeal.status, note="；".join(parts))
    return appeal


# --- the deadline sweep (Huey periodic task; also `manage.py sweep_appeals`) -------------------------
@dataclass
class SweepResult:
    supervised: int = 0
    sign_reminders: int = 0


def sweep_deadlines(now=None):
    """Supervise every open appeal past its deadline that is not supervised yet, and remind each
    department that has not signed for a dispatched appeal within its sign-for time. Idempotent."""
    now = now or _now()
    result = SweepResult()
    for appeal in Appeal.objects.filter(overdue_q(timezone.localdate(now)), is_supervised=False):
        try:
            supervise_appeal(actor=None, appeal=appeal)
            result.supervised += 1
        except Refused:  # changed state meanwhile
            continue
    late = Assignment.objects.filter(state=Assignment.State.ASSIGNED, sign_deadline__lt=now,
                                     sign_overdue_notified_at__isnull=True).select_related("appeal")
    for assignment in late:
        with transaction.atomic():
            updated = Assignment.objects.filter(pk=assignment.pk, sign_overdue_notified_at__isnull=True).update(
                sign_overdue_notified_at=now)
            if updated:
                _tell_departments(assignment.appeal, [assignment.department_id], "超过签收时限，请尽快签收",
                                  sms=True)
                result.sign_reminders += 1
    return result
