"""Every change of a notice (通知公告): acting user first, role, scope, row lock, state check (the table
`workflow.NOTICE_FLOW`), audit row — in one transaction (attachments through `common.uploads.kept_files`, removed
again when it fails).

- `save_notice`: a draft is written and changed by a sender (`SENDER_ROLES`): an editor's notice belongs to its
  federation, a chamber secretary's to its chamber (and its federation). The body is sanitised
  (`common.richtext.clean_html`) before it is stored; the audience is checked (`selectors.audience.audience_errors`);
  attachments are checked by `common.uploads.check_uploads` (a forbidden type is refused in Chinese, nothing
  written). Only a draft changes.
- `delete_notice`: a draft only, with its attachments (the files removed after the commit).
- `send_notice` (草稿 → 已发送): refused when the audience is invalid or reaches nobody; one `NoticeRecipient` per
  `Reach`, an inbox message to every active user of every recipient enterprise and, when `sms_copy`, an SMS to
  them and to the persons without an enterprise who have a mobile.
- `withdraw_notice` (已发送 → 已撤回, with a reason): the notice leaves the recipients' inboxes (the staff pages keep
  it with its receipts); the unread inbox messages about it are marked read.
- `remind_unread`: 提醒未读 through `services.reminders.remind_recipients` (once a day a recipient).

Who keeps which notice: an editor the notices of its federations sent by the federation (no chamber); a chamber
secretary its own chamber's. A leader reads (403 on every write); other roles 403; a notice out of scope 404.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from shanglian.accounts.roles import SENDER_ROLES, Role, role_of
from shanglian.audit.models import AuditAction
from shanglian.audit.services import record
from shanglian.common.errors import Refused, raise_grouped
from shanglian.common.numbering import daily_number
from shanglian.common.records import changes, delete_or_refuse, record_saved, snapshot
from shanglian.common.richtext import clean_html, plain_text
from shanglian.common.uploads import check_uploads, kept_files, remove_stored
from shanglian.notifications.models import Notification
from shanglian.notifications.services import notify

from ..models import AUDIENCE_FIELDS, Notice, NoticeAttachment, NoticeRecipient
from ..selectors.audience import audience_errors, recipients_of, texted_persons, users_reached
from ..selectors.notices import notices_kept_by
from ..workflow import NOTICE_FLOW
from .reminders import remind_recipients

ATTACHMENT_FOLDER = "communications"
NUMBER_PREFIX = "TZ"
NOTIFICATION_KIND = "notice"
MAX_ATTACHMENTS = 10
MAX_TITLE = 100
MAX_BODY = 20000
MAX_REASON = 200
N = Notice.Status


def require_sender(actor):
    if role_of(actor) not in SENDER_ROLES:
        raise PermissionDenied("您没有发送通知的权限。")


def home_of(actor):
    """(federation, chamber) a sender's new notice, survey or saved filter belongs to."""
    require_sender(actor)
    if role_of(actor) == Role.CHAMBER:
        if actor.chamber_id is None:
            raise PermissionDenied("您的账号未关联商会。")
        return actor.chamber.federation, actor.chamber
    if actor.federation_id is None:
        raise PermissionDenied("您的账号未关联工商联。")
    return actor.federation, None


def _locked(actor, notice):
    pk = getattr(notice, "pk", notice)
    if not notices_kept_by(actor).filter(pk=pk).exists():
        raise PermissionDenied("您无权处理该通知。")
    return Notice.objects.select_for_update(of=("self",)).get(pk=pk)


def _text(value):
    return (value or "").strip()


def _content_errors(title, body):
    errors = []
    if not title:
        errors.append(("title", "请填写标题。"))
    elif len(title) > MAX_TITLE:
        errors.append(("title", f"标题不能超过 {MAX_TITLE} 字（现为 {len(title)} 字）。"))
    if not plain_text(body):
        errors.append(("body", "请填写正文。"))
    elif len(body) > MAX_BODY:
        errors.append(("body", f"正文过长（清理后 {len(body)} 字符，上限 {MAX_BODY}）。"))
    return errors


def _file_names(notice):
    return "、".join(notice.attachments.order_by("id").values_list("original_name", flat=True))


def _drop(attachments):
    for attachment in attachments:
        stored = attachment.stored_name
        attachment.delete()
        transaction.on_commit(lambda stored=stored: remove_stored(ATTACHMENT_FOLDER, stored))


def save_notice(*, actor, notice=None, title, body, audience, sms_copy=False, chamber_audience=None, committee=None,
                working_group=None, event=None, saved_filter=None, files=(), remove=()):
    """Write a new draft (`notice` None) or change a draft; returns it. `files`: uploads to attach, `remove`: ids of
    its attachments to drop. Every problem is refused at once in Chinese (a `ValidationError` by field)."""
    federation, chamber = home_of(actor)
    checked = check_uploads(files, field="files")
    title, body = _text(title), clean_html(body)
    targeted = {"audience": audience, "chamber_audience": chamber_audience, "committee": committee,
                "working_group": working_group, "event": event, "saved_filter": saved_filter}
    with kept_files(ATTACHMENT_FOLDER) as keeper, transaction.atomic():
        if notice is not None:
            notice = _locked(actor, notice)
            if notice.status != N.DRAFT:
                raise Refused(f"通知已{notice.get_status_display()}，不能再修改。", code="state")
            federation_id = notice.federation_id
        else:
            federation_id = federation.pk
        errors = _content_errors(title, body)
        probe = Notice(federation_id=federation_id, **{name: targeted[name] for name in AUDIENCE_FIELDS})
        for name in AUDIENCE_FIELDS:  # only the record the audience names is kept
            if name != "audience" and name != _named_field(audience):
                setattr(probe, name, None)
        errors += list(audience_errors(probe, sender=actor, federation_id=federation_id).items())
        removed = []
        if notice is not None:
            wanted = {pk for pk in remove if isinstance(pk, int)}
            removed = list(notice.attachments.filter(pk__in=wanted))
            if len(removed) != len(set(remove)):
                errors.append(("remove", "所选附件不属于该通知。"))
        kept = (notice.attachments.count() if notice is not None else 0) - len(removed) + len(checked)
        if kept > MAX_ATTACHMENTS:
            errors.append(("files", f"每个通知的附件最多 {MAX_ATTACHMENTS} 个（现为 {kept} 个）。"))
        raise_grouped(errors)
        fields = {"title": title, "body": body, "sms_copy": bool(sms_copy),
                  **{name: getattr(probe, name) for name in AUDIENCE_FIELDS}}
        if notice is None:
            notice = Notice.objects.create(federation=federation, chamber=chamber, number=daily_number(NUMBER_PREFIX),
                                           created_by=actor, **fields)
            keeper.save(NoticeAttachment, checked, notice=notice, uploaded_by=actor)
            record_saved(actor=actor, obj=notice, detail={"attachments": len(checked)})
            return notice
        before, files_before = snapshot(notice), _file_names(notice)
        for name, value in fields.items():
            setattr(notice, name, value)
        notice.save()
        keeper.save(NoticeAttachment, checked, notice=notice, uploaded_by=actor)
        _drop(removed)
        diff = changes(Notice, before, snapshot(notice))
        files_after = _file_names(notice)
        if files_after != files_before:
            diff.append({"field": "附件", "old": files_before, "new": files_after})
        if diff:
            record(AuditAction.UPDATE, actor=actor, obj=notice, detail={"changes": diff})
    return notice


def _named_field(audience):
    return {"chamber": "chamber_audience", "committee": "committee", "group": "working_group", "event": "event",
            "filter": "saved_filter"}.get(audience)


def delete_notice(*, actor, notice):
    """Delete a draft and its attachments; a sent or withdrawn notice stays (it is the record of who was told)."""
    with transaction.atomic():
        notice = _locked(actor, notice)
        if notice.status != N.DRAFT:
            raise Refused(f"通知已{notice.get_status_display()}，不能删除（可撤回）。", code="state")
        stored = list(notice.attachments.values_list("stored_name", flat=True))
        delete_or_refuse(actor=actor, obj=notice, along=("attachments",))
        for name in stored:
            transaction.on_commit(lambda name=name: remove_stored(ATTACHMENT_FOLDER, name))


def sms_text(notice):
    """What the SMS copy says: who sends it and the title, and where to read it."""
    sender = notice.chamber.name if notice.chamber_id else notice.federation.name
    return f"{sender}发来通知《{notice.title}》，请登录商联通查看。"


def send_notice(*, actor, notice):
    """发送 (草稿 → 已发送): see the module's docstring. Returns the notice."""
    role = role_of(actor)
    NOTICE_FLOW.require_role("send_notice", role)
    with transaction.atomic():
        notice = _locked(actor, notice)
        NOTICE_FLOW.require_state("send_notice", notice, role=role)
        errors = audience_errors(notice, sender=actor, federation_id=notice.federation_id)
        if errors:
            raise Refused("发送对象有误：" + "；".join(errors.values()), code="audience")
        reached = recipients_of(notice, sender=actor)
        if not reached:
            raise Refused("所选发送对象中没有可以接收通知的企业或人士，未发送。", code="nobody")
        before = snapshot(notice)
        notice.status = NOTICE_FLOW.target("send_notice")
        notice.sent_by, notice.sent_at = actor, timezone.now()
        notice.save(update_fields=["status", "sent_by", "sent_at"])
        NoticeRecipient.objects.bulk_create([NoticeRecipient(notice=notice, enterprise_id=r.enterprise_id,
                                                             person_id=r.person_id, name=r.name[:200])
                                             for r in reached])
        enterprise_ids = [r.enterprise_id for r in reached if r.enterprise_id]
        texted = texted_persons([r.person_id for r in reached if not r.enterprise_id]) if notice.sms_copy else []
        told = notify(users_reached(enterprise_ids), kind=NOTIFICATION_KIND, title=notice.title,
                      body=plain_text(notice.body, limit=120), url=reverse("communications:h5_notice", args=[notice.pk]),
                      sms=notice.sms_copy, texted=texted, sms_text=sms_text(notice))
        record_saved(actor=actor, obj=notice, before=before,
                     detail={"transition": "send_notice", "recipients": len(reached), "messages": told,
                             "sms_only": len(texted)})
    return notice


def withdraw_notice(*, actor, notice, reason):
    """撤回 (已发送 → 已撤回) with a reason; the receipts stay."""
    role = role_of(actor)
    NOTICE_FLOW.require_role("withdraw_notice", role)
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": "请填写撤回原因。"})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": f"撤回原因不能超过 {MAX_REASON} 字（现为 {len(reason)} 字）。"})
    with transaction.atomic():
        notice = _locked(actor, notice)
        NOTICE_FLOW.require_state("withdraw_notice", notice, role=role)
        before = snapshot(notice)
        notice.status = NOTICE_FLOW.target("withdraw_notice")
        notice.withdrawn_reason = reason
        notice.save(update_fields=["status", "withdrawn_reason"])
        Notification.objects.filter(kind=NOTIFICATION_KIND, read_at__isnull=True,
                                    url=reverse("communications:h5_notice", args=[notice.pk])).update(
            read_at=timezone.now())
        record_saved(actor=actor, obj=notice, before=before, detail={"transition": "withdraw_notice"})
    return notice


def remind_unread(*, actor, notice):
    """提醒未读: the recipients who have not read a sent notice, told again (once a day each); returns how many."""
    require_sender(actor)
    notice = notices_kept_by(actor).filter(pk=getattr(notice, "pk", notice)).first()
    if notice is None:
        raise PermissionDenied("您无权处理该通知。")
    if notice.status != N.SENT:
        raise Refused(f"通知{notice.get_status_display()}，不能提醒。", code="state")
    unread = NoticeRecipient.objects.filter(notice=notice, read_at__isnull=True)
    if not unread.exists():
        raise Refused("全部接收人都已阅读，无需提醒。", code="all_read")
    with transaction.atomic():
        count = remind_recipients(unread, kind=NOTIFICATION_KIND, title=f"请阅读通知：{notice.title}",
                                  body=plain_text(notice.body, limit=120),
                                  url=reverse("communications:h5_notice", args=[notice.pk]), sms=notice.sms_copy)
        if count:
            record(AuditAction.UPDATE, actor=actor, obj=notice, detail={"action": "remind_unread", "reminded": count})
    return count
