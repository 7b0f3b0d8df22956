"""Writes on events: acting user first, role and scope, row lock, transaction, audit.

- The event: `save_event` (a validated form), the table's transitions (`publish_event` … `cancel_event`;
  cancelling tells every invitee), materials (`add_materials`, `remove_material`).
- Invitations: `invite` (persons and enterprises, picked one by one or by a filter), `cancel_invitation`;
  `rsvp` (参加/不参加/代为参加 while 报名中 and before the deadline; past the capacity a yes goes on the
  waitlist, and a place given back goes to the first on it).
- Check-in (`scan`, `self_check_in`, `check_in_manually`, `register_walk_in`): every attempt is a `Scan`
  row with one of three answers — 签到成功; 已签到 (naming by whom and when); 拒绝 (and why). A scan's
  nonce uploaded again returns the first answer and counts nothing; a check-in is unique per invitation
  in the database, so simultaneous scans of one code count once.
- `submit_feedback`, `raise_appeal` (an appeal registered at a 恳谈会/早餐会/座谈会, linked both ways),
  statutory meetings (`invite_body`, `record_resolution`: refused without a quorum) and the rotating
  chair (`plan_roster`, `write_duty_log`).
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from shanglian.accounts.roles import EDITOR_ROLES, ORGANISER_ROLES, Role, role_of
from shanglian.audit.models import AuditAction
from shanglian.audit.services import record
from shanglian.common.errors import Refused
from shanglian.common.masking import mobile_tail
from shanglian.common.numbering import daily_number
from shanglian.common.periods import MONTH, Period, shift_months
from shanglian.common.records import record_saved, snapshot
from shanglian.common.uploads import check_uploads, kept_files, remove_stored
from shanglian.common.validators import strip_control_characters, validate_mobile
from shanglian.notifications.services import notify

from . import selectors, tokens
from .models import (
    APPEAL_KINDS,
    CHAMBER_BODIES,
    STATUTORY_BODIES,
    ChairDuty,
    CheckIn,
    DutyLogEntry,
    Event,
    EventAppeal,
    EventAttachment,
    Feedback,
    Invitation,
    Resolution,
    ResolutionAttachment,
    Scan,
)
from .workflow import CHECKIN_STATES, EDITABLE_STATES, EVENT_FLOW

ATTACHMENT_FOLDER = "events"
MAX_INVITATIONS = 5000  # one batch of invitations (a 会员大会 of a large chamber fits)


def _now():
    return timezone.now()


def _local(value):
    return timezone.localtime(value)


def _editable(actor, event, *, lock=True):
    """The event re-read from the actor's editable scope (404-like PermissionDenied if outside), locked."""
    qs = selectors.events_editable_by(actor)
    if lock:
        qs = qs.select_for_update(of=("self",))
    current = qs.filter(pk=event.pk).first()
    if current is None:
        raise PermissionDenied("您无权操作该活动。")
    return current


def _guarded(actor, event, action):
    role = role_of(actor)
    EVENT_FLOW.require_role(action, role)
    event = _editable(actor, event)
    EVENT_FLOW.require_state(action, event, role=role)
    return event


def _users_of(enterprise_ids):
    from shanglian.accounts.selectors import users_in_role

    return list(users_in_role(Role.ENTERPRISE).filter(enterprise_id__in=enterprise_ids))


def _invitee_page(invitation):
    return reverse("events:h5_invitation", args=[invitation.pk])


# --- the event ------------------------------------------------------------------------------------------------
def save_event(*, actor, form, files=()):
    """Create (草稿) or edit an event from a validated `forms.EventForm`; a chamber secretary's events are its
    chamber's. The kind fixes the statutory body. Editing is refused once the event runs, ended or was cancelled."""
    if role_of(actor) not in ORGANISER_ROLES:
        raise PermissionDenied("您的角色不能组织活动。")
    if not form.is_valid():
        raise ValidationError([e for errors in form.errors.values() for e in errors])
    checked = check_uploads(files)
    event = form.instance
    if role_of(actor) == Role.CHAMBER:
        event.organiser, event.chamber_id, event.committee, event.working_group = (
            Event.Organiser.CHAMBER, actor.chamber_id, None, "")
    event.body = STATUTORY_BODIES.get(event.kind.code, "")
    if event.body in CHAMBER_BODIES and not event.chamber_id:
        raise ValidationError("商会理事会、会员大会须由商会主办，请选择主办商会。")
    if event.body and event.body not in CHAMBER_BODIES and event.organiser != Event.Organiser.FEDERATION:
        raise ValidationError("会员代表大会、执委会、常委会、主席办公会由工商联主办。")
    with kept_files(ATTACHMENT_FOLDER) as keeper, transaction.atomic():
        before = None
        if event.pk is not None:
            current = _editable(actor, event)
            if current.status not in EDITABLE_STATES:
                raise Refused(f"活动{current.get_status_display()}，不能再修改。", code="state")
            before = snapshot(current)
            event.status, event.number = current.status, current.number
        else:
            from shanglian.members.selectors import home_federation

            federation = home_federation(actor)
            if event.federation_id is None:
                event.federation = federation
            if event.federation_id not in _federations_of(actor):
                raise PermissionDenied("不能在您的工商联范围之外新建活动。")
            event.status, event.created_by = EVENT_FLOW.target("create"), actor
            event.number = daily_number("HD")
        event.full_clean(exclude=["checkin_code", "created_by"])  # a creator may be gone (SET_NULL)
        event.save()
        form.save_m2m()
        keeper.save(EventAttachment, checked, event=event, uploaded_by=actor)
        record_saved(actor=actor, obj=event, before=before)
        if before is not None:
            _promote_waitlist(event)  # a capacity raised (or removed) gives its places to the queue
    return event


def _federations_of(actor):
    from shanglian.orgs.selectors import federation_ids_in_scope

    if role_of(actor) == Role.CHAMBER:
        return [actor.chamber.federation_id]
    return federation_ids_in_scope(actor)


def _transition(actor, event, action, **fields):
    event = _guarded(actor, event, action)
    before = event.status
    event.status = EVENT_FLOW.target(action)
    for name, value in fields.items():
        setattr(event, name, value)
    event.save(update_fields=["status", *fields])
    record(AuditAction.UPDATE, actor=actor, obj=event, detail={"transition": action, "from": before, "to": event.status})
    return event


@transaction.atomic
def publish_event(*, actor, event):
    """发布: the invitees (those invited while it was a draft) get their 请柬."""
    event = _transition(actor, event, "publish")
    _send_invitations(event, event.invitations.exclude(status=Invitation.Status.CANCELLED))
    return event


@transaction.atomic
def open_registration(*, actor, event):
    if event.rsvp_closes_at() <= _now():
        raise Refused("报名截止时间已过，不能开放报名。请先修改报名截止时间。", code="deadline")
    event = _transition(actor, event, "open_registration")
    invitees = event.invitations.filter(status=Invitation.Status.PENDING)
    notify(_users_of(invitees.values_list("enterprise_id", flat=True)), kind="event_registration",
           title=f"活动开放报名：{event.title}", body=f"请于{_local(event.rsvp_closes_at()):%m月%d日 %H:%M}前回复。",
           url=reverse("events:h5_invitations"))
    return event


@transaction.atomic
def start_event(*, actor, event):
    return _transition(actor, event, "start")


@transaction.atomic
def finish_event(*, actor, event):
    return _transition(actor, event, "finish")


@transaction.atomic
def cancel_event(*, actor, event, reason):
    """取消: everyone invited (not already cancelled) is told: the enterprises' users in the inbox, every invitee
    by SMS (whatever channel they were invited by: a cancellation must reach them)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写取消原因。")
    event = _transition(actor, event, "cancel", cancel_reason=reason[:200])
    invited = list(event.invitations.exclude(status=Invitation.Status.CANCELLED))
    title = f"活动取消通知：{event.title}（原定{_local(event.starts_at):%m月%d日 %H:%M}）"
    notify(_users_of({i.enterprise_id for i in invited if i.enterprise_id}), kind="event_cancelled", title=title,
           body=f"取消原因：{event.cancel_reason}", url=reverse("events:h5_invitations"), texted=_texted(invited))
    return event


def add_materials(*, actor, event, files):
    """Add 活动资料 (the kinds and sizes `common.uploads` allows; anything else refused, nothing kept)."""
    checked = check_uploads(files)
    if not checked:
        raise ValidationError("请选择要上传的文件。")
    with kept_files(ATTACHMENT_FOLDER) as keeper, transaction.atomic():
        event = _editable(actor, event)
        if event.status == Event.Status.CANCELLED:
            raise Refused("活动已取消，不能再上传资料。", code="state")
        keeper.save(EventAttachment, checked, event=event, uploaded_by=actor)
        record(AuditAction.UPDATE, actor=actor, obj=event, detail={"materials_added": [item.name for item in checked]})
    return event


@transaction.atomic
def remove_material(*, actor, attachment):
    event = _editable(actor, attachment.event)
    name, stored = attachment.original_name, attachment.stored_name
    attachment.delete()
    record(AuditAction.UPDATE, actor=actor, obj=event, detail={"material_removed": name})
    transaction.on_commit(lambda: remove_stored(ATTACHMENT_FOLDER, stored))


# --- invitations ---------------------------------------------------------------------------------------------
@dataclass
class Invitees:
    """Whom to invite: picked one by one, or by a filter (resolved within the actor's scope by `_resolve_invitees`)."""

    persons: list = field(default_factory=list)
    enterprises: list = field(default_factory=list)
    chamber: object = None  # its member enterprises in force
    committee: object = None  # the persons holding a position on it in the current term
    member_kind: str = ""  # members in force of one kind (企业会员 → enterprises, 个人会员 → persons)
    industry: str = ""  # enterprises whose GB/T 4754 code starts with it
    like_event: object = None  # a saved list: the invitees of an earlier event
    attended_only: bool = False  # with like_event: only those who attended it


def _resolve_invitees(actor, event, who):
    """The persons and enterprises `who` names, within what the actor may see."""
    from shanglian.members.models import ChamberMembership, Membership, Person
    from shanglian.members.selectors import enterprises_visible_to, members_in_force, persons_visible_to

    enterprises = enterprises_visible_to(actor)
    # A chamber secretary invites its member enterprises and the persons who act for them.
    persons = persons_visible_to(actor) if role_of(actor) in EDITOR_ROLES else Person.objects.filter(
        enterprise_roles__enterprise__in=enterprises).distinct()
    person_ids = {p.pk for p in who.persons}
    enterprise_ids = {e.pk for e in who.enterprises}
    if who.chamber is not None:
        enterprise_ids |= set(ChamberMembership.objects.filter(
            chamber=who.chamber, status=ChamberMembership.Status.ACTIVE).values_list("enterprise_id", flat=True))
    if who.committee is not None:
        term_positions = who.committee.positions.filter(Q(end__isnull=True) | Q(end__gte=timezone.localdate()))
        person_ids |= set(term_positions.values_list("person_id", flat=True))
    if who.member_kind:
        in_force = members_in_force(actor, on=timezone.localdate()).filter(kind=who.member_kind)
        if who.member_kind == Membership.Kind.INDIVIDUAL:
            person_ids |= set(in_force.exclude(person__isnull=True).values_list("person_id", flat=True))
        else:
            enterprise_ids |= set(in_force.exclude(enterprise__isnull=True).values_list("enterprise_id", flat=True))
    if who.industry:
        enterprise_ids |= set(enterprises.filter(industry__code__startswith=who.industry)
                              .values_list("pk", flat=True)[:MAX_INVITATIONS + 1])
    if who.like_event is not None:
        earlier = selectors.events_visible_to(actor).filter(pk=who.like_event.pk).first()
        if earlier is None:
            raise PermissionDenied("您无权使用该活动的名单。")
        rows = earlier.invitations.exclude(status=Invitation.Status.CANCELLED)
        if who.attended_only:
            rows = rows.filter(checkins__isnull=False)
        for person_id, enterprise_id in rows.values_list("person_id", "enterprise_id"):
            if person_id:
                person_ids.add(person_id)
            elif enterprise_id:
                enterprise_ids.add(enterprise_id)
    if len(person_ids) + len(enterprise_ids) > MAX_INVITATIONS:
        raise ValidationError(f"一次最多邀请{MAX_INVITATIONS}位，请缩小范围。")
    chosen_persons = list(persons.filter(pk__in=person_ids).order_by("pk"))
    chosen_enterprises = list(enterprises.filter(pk__in=enterprise_ids).order_by("pk"))
    if len(chosen_persons) < len(person_ids) or len(chosen_enterprises) < len(enterprise_ids):
        raise PermissionDenied("所选人员或企业不在您的管理范围内。")
    return chosen_persons, chosen_enterprises


def invite(*, actor, event, who, channel=Invitation.Channel.SITE):
    """Invite persons and enterprises (those already invited are skipped). With the SMS channel every person
    invited must have a mobile, else nothing is written and the ones without are named. Returns the new
    invitations."""
    from shanglian.members.models import EnterpriseRole

    if channel not in Invitation.Channel.values:
        raise ValidationError("通知方式无效。")
    with transaction.atomic():
        event = _editable(actor, event)
        if event.status not in EDITABLE_STATES:
            raise Refused(f"活动{event.get_status_display()}，不能再发出邀请。", code="state")
        persons, enterprises = _resolve_invitees(actor, event, who)
        if not persons and not enterprises:
            raise ValidationError("请至少选择一位受邀人或一家受邀企业。")
        if channel == Invitation.Channel.SMS:
            missing = [p.name for p in persons if not p.mobile] + [e.name for e in enterprises if not e.contact_mobile]
            if missing:
                shown = "、".join(missing[:10]) + (f"等{len(missing)}位" if len(missing) > 10 else "")
                raise ValidationError(f"以下受邀人没有手机号，不能发送短信邀请：{shown}。请补全手机号或改为站内通知。")
        invited_persons = set(event.invitations.filter(person__isnull=False).values_list("person_id", flat=True))
        invited_firms = set(event.invitations.filter(person__isnull=True).values_list("enterprise_id", flat=True))
        firm_of = {}  # a person invited comes for the enterprise of their first role (its users see the 请柬)
        for person_id, enterprise_id in EnterpriseRole.objects.filter(person__in=persons).order_by(
                "person_id", "id").values_list("person_id", "enterprise_id"):
            firm_of.setdefault(person_id, enterprise_id)
        now = _now()
        rows = [Invitation(event=event, person=p, enterprise_id=firm_of.get(p.pk), name=p.name[:100],
                           mobile_tail=mobile_tail(p.mobile), channel=channel, invited_at=now, invited_by=actor)
                for p in persons if p.pk not in invited_persons]
        rows += [Invitation(event=event, enterprise=e, name=e.name[:100], mobile_tail=mobile_tail(e.contact_mobile),
                            channel=channel, invited_at=now, invited_by=actor)
                 for e in enterprises if e.pk not in invited_firms]
        created = Invited(Invitation.objects.bulk_create(rows))
        created.skipped = len(persons) + len(enterprises) - len(created)
        record(AuditAction.UPDATE, actor=actor, obj=event,
               detail={"invited": len(created), "skipped": created.skipped, "channel": channel})
        if event.status != Event.Status.DRAFT:
            _send_invitations(event, created)
    return created


class Invited(list):
    """What `invite` returns: the new invitations; `skipped`, how many of those named were already invited."""

    skipped = 0


def _texted(invitations):
    """(name, mobile) of each invitee, once per mobile: the person's own, or the invited enterprise's contact."""
    from shanglian.members.models import Enterprise, Person

    persons = {p.pk: p for p in Person.objects.filter(pk__in={i.person_id for i in invitations if i.person_id})}
    firms = {e.pk: e for e in Enterprise.objects.filter(
        pk__in={i.enterprise_id for i in invitations if not i.person_id and i.enterprise_id})}
    pairs = {}
    for i in invitations:
        if i.person_id and persons[i.person_id].mobile:
            pairs.setdefault(persons[i.person_id].mobile, i.name)
        elif not i.person_id and i.enterprise_id and firms[i.enterprise_id].contact_mobile:
            pairs.setdefault(firms[i.enterprise_id].contact_mobile, firms[i.enterprise_id].contact_name or i.name)
    return [(name, mobile) for mobile, name in pairs.items()]


def _send_invitations(event, invitations):
    """The 请柬 in the inbox of the invited enterprises' users; by SMS to the invitees sent 站内+短信 (the
    person's mobile, or the enterprise's contact mobile) and to no one else."""
    invitations = list(invitations)
    if not invitations:
        return
    title = f"邀请函：{event.title}（{_local(event.starts_at):%m月%d日 %H:%M}，{event.venue}）"
    notify(_users_of({i.enterprise_id for i in invitations if i.enterprise_id}), kind="event_invitation",
           title=title, body="请在“我的活动”中查看请柬并回复。", url=reverse("events:h5_invitations"),
           texted=_texted([i for i in invitations if i.channel == Invitation.Channel.SMS]))


@transaction.atomic
def cancel_invitation(*, actor, invitation):
    """Withdraw one invitation: its QR code no longer checks in; its place, if any, goes to the waitlist."""
    event = _editable(actor, invitation.event)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status == Invitation.Status.CANCELLED:
        raise Refused("该请柬已取消。", code="state")
    if event.status in (Event.Status.RUNNING, Event.Status.FINISHED) or _now() >= event.starts_at:
        # after the start the list is the record of who was expected (a meeting's 应到): it stays
        raise Refused("活动已开始，不能再取消请柬。", code="started")
    if invitation.checkins.exists():
        raise Refused("受邀人已签到，不能取消请柬。", code="checked_in")
    held = invitation.attends
    invitation.status = Invitation.Status.CANCELLED
    invitation.save(update_fields=["status"])
    record(AuditAction.UPDATE, actor=actor, obj=invitation, detail={"cancelled": True, "event": event.pk})
    if held:
        _promote_waitlist(event)
    return invitation


# --- RSVP ---------------------------------------------------------------------------------------------------------
class Answer:
    ACCEPT = Invitation.Status.ACCEPTED
    DECLINE = Invitation.Status.DECLINED
    SUBSTITUTE = Invitation.Status.SUBSTITUTE
    ALL = (ACCEPT, DECLINE, SUBSTITUTE)


def _answerable(actor, invitation):
    """The invitation, locked, if the actor may answer it: the invited enterprise's user, or its organiser."""
    role = role_of(actor)
    if role == Role.ENTERPRISE:
        if not actor.enterprise_id or invitation.enterprise_id != actor.enterprise_id:
            raise PermissionDenied("您只能回复本企业的请柬。")
    elif role in ORGANISER_ROLES:
        _editable(actor, invitation.event, lock=False)
    else:
        raise PermissionDenied("您的角色不能回复请柬。")
    return invitation


def rsvp(*, actor, invitation, answer, substitute_name=""):
    """参加 / 不参加 / 代为参加 (with the substitute's name), while 报名中 and before the deadline. A yes past
    the capacity goes on the waitlist; a place given back goes to the first waitlisted (told in the inbox)."""
    if answer not in Answer.ALL:
        raise ValidationError("请选择参加、不参加或代为参加。")
    substitute_name = (substitute_name or "").strip()
    if answer == Answer.SUBSTITUTE and not substitute_name:
        raise ValidationError("代为参加请填写代参加人姓名。")
    if len(substitute_name) > 50:
        raise ValidationError("代参加人姓名不能超过50个字。")
    _answerable(actor, invitation)
    with transaction.atomic():
        # The event row is the lock that orders every answer of the event: places are counted under it.
        event = Event.objects.select_for_update().get(pk=invitation.event_id)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if event.status != Event.Status.REGISTRATION:
            raise Refused(f"活动{event.get_status_display()}，当前不接受报名回复。", code="state")
        if _now() >= event.rsvp_closes_at():
            raise Refused(f"报名已于{_local(event.rsvp_closes_at()):%Y年%m月%d日 %H:%M}截止。", code="deadline")
        if invitation.status == Invitation.Status.CANCELLED:
            raise Refused("该请柬已取消。", code="cancelled")
        held, waiting = invitation.attends, invitation.status == Invitation.Status.WAITLISTED
        if answer == Answer.DECLINE or held:
            status = answer  # 参加 ⇄ 代为参加 keeps the place
        elif waiting:
            status = Invitation.Status.WAITLISTED  # stays in the queue, in its place
        elif event.capacity is not None and (selectors.places_taken(event) >= event.capacity
                                             or event.invitations.filter(status=Invitation.Status.WAITLISTED).exists()):
            status = Invitation.Status.WAITLISTED  # no place free, or a queue ahead of this answer
        else:
            status = answer
        before = invitation.status
        invitation.status, invitation.responded_at, invitation.responded_by = status, _now(), actor
        if status == Invitation.Status.WAITLISTED and not waiting:
            invitation.waitlisted_at = invitation.responded_at
        elif status != Invitation.Status.WAITLISTED:
            invitation.waitlisted_at = None
        # a waitlisted 代为参加 keeps its substitute: promoted, the substitute comes
        invitation.substitute_name = substitute_name if answer == Answer.SUBSTITUTE else ""
        invitation.save(update_fields=["status", "responded_at", "responded_by", "substitute_name", "waitlisted_at"])
        record(AuditAction.UPDATE, actor=actor, obj=invitation, detail={"rsvp": status, "from": before})
        if held and answer == Answer.DECLINE:
            _promote_waitlist(event)
    return invitation


def _promote_waitlist(event):
    """Give free places to the waitlist in the order it queued (参加, or 代为参加 with its substitute); each
    promoted invitee is told. Call it under the event's row lock."""
    if event.capacity is None:
        free = None
    else:
        free = event.capacity - selectors.places_taken(event)
        if free <= 0:
            return []
    waiting = event.invitations.select_for_update().filter(status=Invitation.Status.WAITLISTED).order_by(
        "waitlisted_at", "id")
    promoted = list(waiting if free is None else waiting[:free])
    for invitation in promoted:
        invitation.status = (Invitation.Status.SUBSTITUTE if invitation.substitute_name
                             else Invitation.Status.ACCEPTED)
        invitation.save(update_fields=["status"])
        record(AuditAction.UPDATE, obj=invitation,
               detail={"rsvp": invitation.status, "from": "waitlisted", "promoted": True})
    if promoted:
        notify(_users_of({i.enterprise_id for i in promoted if i.enterprise_id}), kind="event_waitlist",
               title=f"候补转正：{event.title}", body="有名额空出，您已转为正式参会，请准时出席。",
               url=reverse("events:h5_invitations"))
    return promoted


# --- check-in ---------------------------------------------------------------------------------------------------
@dataclass
class ScanAnswer:
    """What the door's phone shows: `result` ok / already / refused, a Chinese `message`, the invitee's name,
    `repeat` when the same scan (nonce) was uploaded before, and the event's attendance count now."""

    result: str
    message: str
    reason: str = ""
    name: str = ""
    organisation: str = ""
    checked_in_at: object = None
    checked_in_by: str = ""
    repeat: bool = False
    attended: int = 0
    scan_id: int = None

    @property
    def ok(self):
        return self.result == Scan.Result.OK


def _actor_label(user):
    if user is None:
        return "本人"
    return user.display_name or user.username


def _answer_from(scan, *, repeat=False):
    checkin = scan.checkin
    return ScanAnswer(result=scan.result, message=scan.message, reason=scan.reason, repeat=repeat,
                      name=checkin.name if checkin else "",
                      organisation=(checkin.organisation if checkin else ""),
                      checked_in_at=checkin.checked_in_at if checkin else None,
                      checked_in_by=_actor_label(checkin.checked_in_by) if checkin and checkin.checked_in_by_id
                      else ("本人" if checkin and checkin.method == CheckIn.Method.SELF else ""),
                      attended=CheckIn.objects.filter(event_id=scan.event_id).count() if scan.event_id else 0,
                      scan_id=scan.pk)


MAX_NONCE = 40


def _clean_nonce(actor, nonce):
    """The client's id of one scan, kept per user (`<user id>:<nonce>`): one user's upload never answers
    with another's scan. None when the client sent none (every upload is then a new scan)."""
    nonce = (nonce or "").strip()
    if not nonce:
        return None
    if len(nonce) > MAX_NONCE or not all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in nonce):
        raise ValidationError("扫描标识无效（最多40位字母、数字或连字符）。")
    return f"{actor.pk}:{nonce}"


def _loggable(payload):
    """What the log keeps of a scanned text: its first 120 characters without control characters and lone
    surrogates (PostgreSQL refuses NUL in text; a surrogate cannot be encoded), whoever called."""
    return strip_control_characters(str(payload or ""))[:120].encode("utf-8", "replace").decode("utf-8")


def _log_scan(*, event, actor, payload, nonce, result, message, reason="", checkin=None):
    """One Scan row, in its own savepoint; a nonce recorded meanwhile by a concurrent upload of the same scan
    returns that row instead."""
    try:
        with transaction.atomic():
            return Scan.objects.create(event=event, nonce=nonce, payload=_loggable(payload), scanned_by=actor,
                                       result=result, reason=reason, message=message[:200], checkin=checkin), False
    except IntegrityError:
        if nonce is None:
            raise
        return Scan.objects.select_related("checkin", "checkin__checked_in_by").get(nonce=nonce), True


def _marker(token, invitation=None):
    """What the log keeps of a code whose signature checked out: never the code itself (it would check in
    whoever read the log), only what it named."""
    if token.kind == tokens.EVENT_PREFIX:
        return f"{tokens.EVENT_PREFIX}:#活动{token.event_id}"
    return f"{tokens.INVITATION_PREFIX}:#请柬{invitation.pk}" if invitation is not None \
        else f"{tokens.INVITATION_PREFIX}:#未知请柬"


def _previous(nonce):
    if nonce is None:
        return None
    return Scan.objects.select_related("checkin", "checkin__checked_in_by").filter(nonce=nonce).first()


def _refuse(*, event, actor, payload, nonce, message, reason):
    scan, repeat = _log_scan(event=event, actor=actor, payload=payload, nonce=nonce, result=Scan.Result.REFUSED,
                             message=message, reason=reason)
    return _answer_from(scan, repeat=repeat)


def _door_check(event, now):
    """Why the event does not check in now (None when it does)."""
    if event.status == Event.Status.CANCELLED:
        return "活动已取消，不能签到。", "event_cancelled"
    if event.status not in CHECKIN_STATES:
        return f"活动{event.get_status_display()}，不能签到。", "event_state"
    opens, closes = event.checkin_window()
    if not opens <= now < closes:
        when = _local(event.starts_at)
        return (f"不在签到时间内：本活动签到时间为{when:%Y年%m月%d日}"
                f"{'' if _local(event.ends_at).date() == when.date() else f'至{_local(event.ends_at):%m月%d日}'}。",
                "outside_day")
    return None


def _check_in(*, event, invitation, actor, method, payload, nonce):
    """Check `invitation` in at `event`, under its row lock: a new CheckIn (签到成功), the existing one
    (已签到, by whom and when), or a refusal — logged as a Scan in every case."""
    now = _now()
    invitation = (Invitation.objects.select_for_update(of=("self",)).select_related("enterprise", "event")
                  .get(pk=invitation.pk))
    if invitation.event_id != event.pk:
        named = (f"《{invitation.event.title}》" if actor is not None and role_of(actor) in ORGANISER_ROLES
                 and selectors.events_visible_to(actor).filter(pk=invitation.event_id).exists() else "")
        return _refuse(event=event, actor=actor, payload=payload, nonce=nonce, reason="other_event",
                       message=f"该二维码属于其他活动{named}，不能在本活动签到。")
    refusal = _door_check(event, now)
    if refusal:
        return _refuse(event=event, actor=actor, payload=payload, nonce=nonce, message=refusal[0], reason=refusal[1])
    if invitation.status == Invitation.Status.CANCELLED:
        return _refuse(event=event, actor=actor, payload=payload, nonce=nonce, reason="invitation_cancelled",
                       message=f"{invitation.name}的请柬已取消，不能签到。")
    if invitation.status == Invitation.Status.WAITLISTED:
        return _refuse(event=event, actor=actor, payload=payload, nonce=nonce, reason="waitlisted",
                       message=f"{invitation.name}在候补名单中，尚未获得名额。")
    if invitation.status == Invitation.Status.DECLINED:  # its place may have gone to the waitlist
        return _refuse(event=event, actor=actor, payload=payload, nonce=nonce, reason="declined",
                       message=f"{invitation.name}已回复不参加；如到场参加，请在签到台现场登记。")
    existing = CheckIn.objects.select_related("checked_in_by").filter(invitation=invitation).first()
    if existing is None:
        try:
            with transaction.atomic():
                existing = CheckIn.objects.create(
                    event=event, invitation=invitation, person_id=invitation.person_id,
                    enterprise_id=invitation.enterprise_id,
                    name=(invitation.substitute_name if invitation.status == Invitation.Status.SUBSTITUTE
                          else invitation.name)[:100],
                    mobile_tail=invitation.mobile_tail,
                    organisation=invitation.enterprise.name[:200] if invitation.enterprise_id else "",
                    method=method, checked_in_at=now, checked_in_by=None if method == CheckIn.Method.SELF else actor)
        except IntegrityError:  # checked in meanwhile by a concurrent scan: the row is there now
            existing = CheckIn.objects.select_related("checked_in_by").get(invitation=invitation)
        else:
            scan, repeat = _log_scan(event=event, actor=actor, payload=payload, nonce=nonce, result=Scan.Result.OK,
                                     message=f"{existing.name} 签到成功", checkin=existing)
            record(AuditAction.CREATE, actor=actor, obj=existing, detail={"event": event.pk, "method": method})
            return _answer_from(scan, repeat=repeat)
    by = "本人自助" if existing.method == CheckIn.Method.SELF else f"由 {_actor_label(existing.checked_in_by)}"
    scan, repeat = _log_scan(event=event, actor=actor, payload=payload, nonce=nonce, result=Scan.Result.ALREADY,
                             reason="already", checkin=existing,
                             message=f"{existing.name} 已于 {_local(existing.checked_in_at):%H:%M} {by} 签到，不重复计数。")
    return _answer_from(scan, repeat=repeat)


def _door_event(actor, event):
    """The event the door staff work at, from their editable scope (not locked: scans of one event run side by side)."""
    current = selectors.events_editable_by(actor).filter(pk=event.pk).first()
    if current is None:
        raise PermissionDenied("您无权为该活动签到。")
    return current


def scan(*, actor, event, payload, nonce=None):
    """Staff scan an invitee's QR at `event`'s door. Returns a ScanAnswer; never raises for a bad code."""
    nonce = _clean_nonce(actor, nonce)
    event = _door_event(actor, event)
    with transaction.atomic():
        previous = _previous(nonce)
        if previous is not None:
            return _answer_from(previous, repeat=True)
        try:
            token = tokens.read(payload)
        except tokens.BadToken as bad:
            return _refuse(event=event, actor=actor, payload=payload, nonce=nonce, message=bad.message,
                           reason=bad.reason)
        if token.kind == tokens.EVENT_PREFIX:
            return _refuse(event=event, actor=actor, payload=_marker(token), nonce=nonce, reason="event_code",
                           message="这是活动的签到码，应由参会人用手机扫描；请扫描参会人的请柬二维码。")
        invitation = Invitation.objects.select_related("event").filter(code=token.value).first()
        if invitation is None:
            return _refuse(event=event, actor=actor, payload=_marker(token), nonce=nonce, reason="unknown",
                           message="二维码无效：找不到对应的请柬（可能已被删除）。")
        return _check_in(event=event, invitation=invitation, actor=actor, method=CheckIn.Method.SCAN,
                         payload=_marker(token, invitation), nonce=nonce)


def check_in_manually(*, actor, invitation, nonce=None):
    """The fallback at the door: staff found the invitee by name or mobile tail and check them in."""
    nonce = _clean_nonce(actor, nonce)
    event = _door_event(actor, invitation.event)
    with transaction.atomic():
        previous = _previous(nonce)
        if previous is not None:
            return _answer_from(previous, repeat=True)
        return _check_in(event=event, invitation=invitation, actor=actor, method=CheckIn.Method.MANUAL,
                         payload=f"manual:{invitation.pk}", nonce=nonce)


def self_check_in(*, actor, payload, invitation=None, nonce=None):
    """An invitee logged in on the phone scans the event's posted 签到码. With several invitations of its
    enterprise to that event, `invitation` says which (else Refused, code "choose", naming them)."""
    if role_of(actor) != Role.ENTERPRISE or not actor.enterprise_id:
        raise PermissionDenied("请使用企业账号扫码签到。")
    nonce = _clean_nonce(actor, nonce)
    with transaction.atomic():
        previous = _previous(nonce)
        if previous is not None:
            return _answer_from(previous, repeat=True)
        try:
            token = tokens.read(payload)
        except tokens.BadToken as bad:
            return _refuse(event=None, actor=actor, payload=payload, nonce=nonce, message=bad.message,
                           reason=bad.reason)
        if token.kind != tokens.EVENT_PREFIX:
            return _refuse(event=None, actor=actor, payload=_marker(token), nonce=nonce, reason="personal_code",
                           message="这是参会人的请柬二维码，请扫描会场张贴的活动签到码。")
        payload = _marker(token)
        event = Event.objects.filter(pk=token.event_id).first()
        if event is None or event.checkin_code != token.event_secret:
            return _refuse(event=event, actor=actor, payload=payload, nonce=nonce, reason="stale_code",
                           message="签到码已作废，请扫描会场最新张贴的签到码。")
        mine = event.invitations.filter(enterprise_id=actor.enterprise_id).exclude(
            status=Invitation.Status.CANCELLED).order_by("id")
        if invitation is not None:
            mine = mine.filter(pk=invitation.pk)
        mine = list(mine)
        if not mine:
            return _refuse(event=event, actor=actor, payload=payload, nonce=nonce, reason="not_invited",
                           message=f"贵企业未受邀参加《{event.title}》，请到签到台现场登记。")
        if len(mine) > 1:  # never guess: a second scan by one of them must not check in a colleague
            raise Refused("贵企业有多位受邀人，请选择签到人：" + "、".join(i.name for i in mine), code="choose")
        return _check_in(event=event, invitation=mine[0], actor=actor, method=CheckIn.Method.SELF,
                         payload=payload, nonce=nonce)


def register_walk_in(*, actor, event, name, mobile="", organisation="", enterprise=None, nonce=None):
    """现场登记: someone not invited (or without their code) is registered at the door and counted. The form's
    nonce sent again (a double tap, a resubmitted page) returns the first registration, not a second one."""
    name = (name or "").strip()
    if not name:
        raise ValidationError("请填写姓名。")
    if len(name) > 50:
        raise ValidationError("姓名不能超过50个字。")
    mobile = validate_mobile(mobile) if (mobile or "").strip() else ""
    organisation = (organisation or "").strip()[:200]
    if enterprise is not None:
        from shanglian.members.selectors import enterprises_visible_to

        if not enterprises_visible_to(actor).filter(pk=enterprise.pk).exists():
            raise PermissionDenied("所选企业不在您的管理范围内。")
        organisation = organisation or enterprise.name
    event = _door_event(actor, event)
    refusal = _door_check(event, _now())
    if refusal:
        raise Refused(refusal[0], code=refusal[1])
    nonce = _clean_nonce(actor, nonce)
    with transaction.atomic():
        previous = _previous(nonce)
        if previous is not None and previous.checkin is not None:
            return previous.checkin
        checkin = CheckIn.objects.create(event=event, enterprise=enterprise, name=name, mobile_tail=mobile_tail(mobile),
                                         organisation=organisation, method=CheckIn.Method.WALK_IN,
                                         checked_in_by=actor)
        scan, repeat = _log_scan(event=event, actor=actor, payload="walk_in", nonce=nonce, result=Scan.Result.OK,
                                 message=f"{name} 现场登记签到成功", checkin=checkin)
        if repeat:  # the same form sent twice at once: the other request registered it
            transaction.set_rollback(True)
            return scan.checkin
        record(AuditAction.CREATE, actor=actor, obj=checkin, detail={"event": event.pk, "method": "walk_in"})
    return checkin


def regenerate_checkin_code(*, actor, event):
    """A new posted 签到码: every copy printed before stops working."""
    from .models import new_code

    with transaction.atomic():
        event = _editable(actor, event)
        event.checkin_code = new_code()
        event.save(update_fields=["checkin_code"])
        record(AuditAction.UPDATE, actor=actor, obj=event, detail={"checkin_code": "regenerated"})
    return event


# --- feedback, appeals ------------------------------------------------------------------------------------------
def submit_feedback(*, actor, checkin, score, useful="", suggestion=""):
    """活动反馈 of an attendance of the actor's enterprise, once, after the event has started."""
    if role_of(actor) != Role.ENTERPRISE or not actor.enterprise_id or checkin.enterprise_id != actor.enterprise_id:
        raise PermissionDenied("您只能评价本企业参加的活动。")
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise ValidationError("请选择1至5的总体评价。")
    useful, suggestion = (useful or "").strip(), (suggestion or "").strip()
    if len(useful) > 1000 or len(suggestion) > 1000:
        raise ValidationError("反馈内容不能超过1000字。")
    with transaction.atomic():
        checkin = CheckIn.objects.select_for_update(of=("self",)).select_related("event").get(pk=checkin.pk)
        if checkin.event.status == Event.Status.CANCELLED:
            raise Refused("活动已取消。", code="state")
        if _now() < checkin.event.starts_at:
            raise Refused("活动开始后才能提交反馈。", code="not_yet")
        if Feedback.objects.filter(checkin=checkin).exists():
            raise Refused("您已提交过反馈，感谢参与。", code="duplicate")
        feedback = Feedback.objects.create(checkin=checkin, score=score, useful=useful, suggestion=suggestion,
                                           submitted_by=actor)
        record(AuditAction.CREATE, actor=actor, obj=feedback, detail={"event": checkin.event_id})
    return feedback


def raise_appeal(*, actor, event, **appeal_fields):
    """登记诉求 at a 恳谈会/早餐会/座谈会: an appeal of channel 恳谈会/早餐会 whose source names the event,
    linked both ways. The desk's own rules apply (appeals.services.submit_appeal)."""
    from shanglian.appeals.models import Channel
    from shanglian.appeals.services import submit_appeal

    if role_of(actor) not in EDITOR_ROLES:
        raise PermissionDenied("只有工商联工作人员可以登记活动收集的诉求。")
    with transaction.atomic():
        event = _editable(actor, event)
        if event.kind.code not in APPEAL_KINDS:
            raise Refused("只有恳谈会、早餐会、座谈会可以登记收集的诉求。", code="kind")
        if event.status in (Event.Status.DRAFT, Event.Status.CANCELLED):
            raise Refused(f"活动{event.get_status_display()}，不能登记诉求。", code="state")
        note = f"{event.kind.label}：{event.title}（{event.number}）"
        source_note = (appeal_fields.pop("source_note", "") or "").strip()
        appeal = submit_appeal(actor=actor, channel=Channel.EVENT,
                               source_note=f"{note} {source_note}".strip()[:200], **appeal_fields)
        EventAppeal.objects.create(event=event, appeal=appeal)
        record(AuditAction.UPDATE, actor=actor, obj=event, detail={"appeal_raised": appeal.number})
    return appeal


# --- statutory meetings -----------------------------------------------------------------------------------------
def invite_body(*, actor, event, channel=Invitation.Channel.SITE):
    """The attendee list of a statutory meeting: the body's members in the current term (a chamber's
    会员大会: its member enterprises). Refused when the body has no current term or nobody in it."""
    if not event.body:
        raise Refused("只有法定会议可以按机构生成参会名单。", code="kind")
    positions = selectors.body_members(event)
    enterprises = list(selectors.body_member_enterprises(event))
    if not positions and not enterprises:
        raise Refused(f"{event.get_body_display()}在会议当日没有现任届次的组成人员，请先维护届次与职务。",
                      code="no_members")
    return invite(actor=actor, event=event, channel=channel,
                  who=Invitees(persons=[p.person for p in positions], enterprises=enterprises))


def resolution_refusal(event, q=None):
    """Why no resolution can be recorded for `event` now, as the `Refused` to raise (None when one can): not a
    statutory meeting, not begun, no attendee list yet, or its quorum not met. `q`: `selectors.quorum(event)`."""
    if not event.body:
        return Refused("只有法定会议可以记录决议。", code="kind")
    if event.status not in (Event.Status.RUNNING, Event.Status.FINISHED):
        return Refused("会议开始后才能记录决议。", code="state")
    q = q or selectors.quorum(event)
    if not q["eligible"]:
        return Refused("尚无参会名单，无法核对法定人数：请先按机构生成参会名单并签到。", code="quorum")
    if not q["met"]:
        return Refused(f"未达到法定人数，不能形成决议：应到{q['eligible']}人，实到{q['present']}人，"
                       f"至少需{q['needed']}人出席（{q['rule']}）。", code="quorum")
    return None


def record_resolution(*, actor, event, title, text="", votes_for, votes_against, abstentions, files=()):
    """决议: only for a statutory meeting that has met its quorum (the body's rule); the votes are of those
    present; passed when 赞成 is more than the rule's share of those present."""
    title = (title or "").strip()
    if not title:
        raise ValidationError("请填写决议事项。")
    if len(title) > 200:
        raise ValidationError("决议事项不能超过200字。")
    try:
        votes = [int(v) for v in (votes_for, votes_against, abstentions)]
    except (TypeError, ValueError):
        raise ValidationError("票数须为非负整数。") from None
    if any(v < 0 or v > 100000 for v in votes):
        raise ValidationError("票数须为非负整数。")
    checked = check_uploads(files)
    with kept_files(ATTACHMENT_FOLDER) as keeper, transaction.atomic():
        event = _editable(actor, event)
        q = selectors.quorum(event)
        refusal = resolution_refusal(event, q)
        if refusal is not None:
            raise refusal
        if sum(votes) > q["present"]:
            raise ValidationError(f"赞成、反对、弃权合计{sum(votes)}票，超过实到人数{q['present']}人。")
        rule = q["rule_obj"]
        passed = votes[0] * rule.pass_denominator > rule.pass_numerator * q["present"]
        resolution = Resolution.objects.create(
            event=event, title=title, text=(text or "").strip(), eligible=q["eligible"], present=q["present"],
            votes_for=votes[0], votes_against=votes[1], abstentions=votes[2], passed=passed, rule=q["rule"][:100],
            recorded_by=actor)
        if checked:
            keeper.save(ResolutionAttachment, checked, resolution=resolution, uploaded_by=actor)
        record(AuditAction.CREATE, actor=actor, obj=resolution,
               detail={"event": event.pk, "present": q["present"], "votes": votes, "passed": passed})
    return resolution


def save_minutes(*, actor, event, minutes):
    with transaction.atomic():
        event = _editable(actor, event)
        if event.status not in (Event.Status.RUNNING, Event.Status.FINISHED):
            raise Refused("会议开始后才能填写纪要。", code="state")
        before = snapshot(event)
        event.minutes = (minutes or "").strip()
        event.save(update_fields=["minutes"])
        record_saved(actor=actor, obj=event, before=before)
    return event


# --- the rotating chair ----------------------------------------------------------------------------------------
def _roster_owner(actor, chamber):
    role = role_of(actor)
    if chamber is None:
        if role not in EDITOR_ROLES:
            raise PermissionDenied("只有工商联工作人员可以安排轮值主席。")
        from shanglian.members.selectors import home_federation

        return home_federation(actor)
    if role not in ORGANISER_ROLES:
        raise PermissionDenied("您的角色不能安排轮值会长。")
    from shanglian.orgs.selectors import chambers_in_scope

    if not chambers_in_scope(actor).filter(pk=chamber.pk).exists():
        raise PermissionDenied("您无权安排该商会的轮值会长。")
    return chamber.federation


def plan_roster(*, actor, rows, chamber=None):
    """Set the chair of consecutive months: `rows` is a list of (month, position, seconded_staff). A month
    named twice, a gap between the months planned (or between the roster's last month and the first
    planned), or a chair who does not hold 主席/副主席 (会长/副会长) in that month is refused, naming the
    month; nothing is written then. Months already planned are replaced."""
    federation = _roster_owner(actor, chamber)
    if not rows:
        raise ValidationError("请至少安排一个月。")
    months = {}
    for month, position, staff in rows:
        month = month.replace(day=1)
        if month in months:
            raise Refused(f"{Period.of(MONTH, month).label}安排了两位轮值主席，每月只能一位。", code="two_chairs")
        months[month] = (position, (staff or "").strip()[:300])
    ordered = sorted(months)
    expected = ordered[0]
    for month in ordered:
        if month != expected:
            raise Refused(f"{Period.of(MONTH, expected).label}没有轮值主席：轮值安排须逐月连续。", code="gap")
        expected = shift_months(month, 1)
    with transaction.atomic():
        owned = ChairDuty.objects.select_for_update().filter(federation=federation)
        owned = owned.filter(chamber=chamber) if chamber is not None else owned.filter(chamber__isnull=True)
        before = owned.filter(month__lt=ordered[0]).order_by("-month").first()
        if before is not None:
            following = shift_months(before.month, 1)
            if following != ordered[0]:
                raise Refused(f"{Period.of(MONTH, following).label}没有轮值主席：轮值安排须与已有安排逐月衔接。", code="gap")
        after = owned.filter(month__gt=ordered[-1]).order_by("month").first()
        if after is not None and after.month != expected:  # `expected`: the month after the last planned
            raise Refused(f"{Period.of(MONTH, expected).label}没有轮值主席：轮值安排须与已有安排逐月衔接。", code="gap")
        saved = []
        for month in ordered:
            position, staff = months[month]
            allowed = selectors.chair_candidates(federation=federation, chamber=chamber, month=month)
            if position is None or not allowed.filter(pk=position.pk).exists():
                who = "会长、副会长" if chamber is not None else "主席、副主席"
                raise Refused(f"{Period.of(MONTH, month).label}的轮值人选须为当月在任的{who}。", code="not_chair")
            duty, created = ChairDuty.objects.update_or_create(
                federation=federation, chamber=chamber, month=month,
                defaults={"position": position, "seconded_staff": staff, "created_by": actor})
            saved.append(duty)
        record(AuditAction.UPDATE, actor=actor, obj=chamber or federation,
               detail={"roster": [f"{m:%Y-%m}" for m in ordered]})
    return saved


def write_duty_log(*, actor, duty, day, content, appeals=(), events=()):
    """值班日志: a day of the duty month, what was done, the appeals and events it concerned (in the actor's scope)."""
    if _roster_owner(actor, duty.chamber).pk != duty.federation_id:
        raise PermissionDenied("您无权填写该工商联的值班日志。")
    content = (content or "").strip()
    if not content:
        raise ValidationError("请填写工作内容。")
    if len(content) > 2000:
        raise ValidationError("工作内容不能超过2000字。")
    if not isinstance(day, datetime.date) or day.replace(day=1) != duty.month:
        raise ValidationError(f"日期须在{Period.of(MONTH, duty.month).label}之内。")
    if appeals:
        from shanglian.appeals.selectors import appeals_visible_to

        if appeals_visible_to(actor).filter(pk__in=[a.pk for a in appeals]).count() != len(set(appeals)):
            raise PermissionDenied("所选诉求不在您的管理范围内。")
    if events and selectors.events_visible_to(actor).filter(pk__in=[e.pk for e in events]).count() != len(set(events)):
        raise PermissionDenied("所选活动不在您的管理范围内。")
    with transaction.atomic():
        entry = DutyLogEntry.objects.create(duty=duty, day=day, content=content, written_by=actor)
        entry.appeals.set(appeals)
        entry.events.set(events)
        record(AuditAction.CREATE, actor=actor, obj=entry, detail={"duty": duty.pk})
    return entry


# --- the charter's quorum rules ----------------------------------------------------------------------------------
def save_quorum_rule(*, actor, body, quorum_numerator, quorum_denominator, pass_numerator, pass_denominator):
    """议事规则 of one body of the actor's federation: present ≥ quorum share of the members, and a resolution
    passes with more than the pass share of those present. Editors only; audited with its changes."""
    from shanglian.members.selectors import home_federation

    from .models import Body, QuorumRule

    if role_of(actor) not in EDITOR_ROLES:
        raise PermissionDenied("只有工商联工作人员可以设置议事规则。")
    if body not in Body.values:
        raise ValidationError("请选择会议机构。")
    try:
        values = [int(v) for v in (quorum_numerator, quorum_denominator, pass_numerator, pass_denominator)]
    except (TypeError, ValueError):
        raise ValidationError("比例的分子、分母须为正整数。") from None
    if any(v < 1 or v > 100 for v in values):
        raise ValidationError("比例的分子、分母须为1至100之间的整数。")
    qn, qd, pn, pd = values
    if qn > qd:
        raise ValidationError("出席比例不能大于1（分子不能大于分母）。")
    if pn >= pd:
        raise ValidationError("通过比例须小于1（分子须小于分母）。")
    federation = home_federation(actor)
    with transaction.atomic():
        rule = QuorumRule.objects.select_for_update().filter(federation=federation, body=body).first()
        before = snapshot(rule) if rule is not None else None
        rule = rule or QuorumRule(federation=federation, body=body)
        rule.quorum_numerator, rule.quorum_denominator, rule.pass_numerator, rule.pass_denominator = values
        rule.full_clean()
        rule.save()
        record_saved(actor=actor, obj=rule, before=before)
    return rule
