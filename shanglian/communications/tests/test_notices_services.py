"""`services.notices`: drafts written with a sanitised body, a checked audience and checked attachments (a forbidden
file, an empty title or body, an audience naming nothing: a Chinese refusal and nothing written); 发送 fixing the
recipients, the inbox messages and the SMS copy (to the enterprise users with a mobile and the persons without an
enterprise); 发送 refused with nobody to send to; 撤回 with a reason; 提醒未读 once a day; the scope rules (a chamber
secretary sends only its chamber's, a leader only reads)."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.audit.models import AuditEvent
from shanglian.common.errors import Refused
from shanglian.communications.models import Notice, NoticeAttachment, NoticeRecipient
from shanglian.communications.services import notices as services
from shanglian.notifications.models import Notification, SmsMessage

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="会议议程.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def script(name="通知.pdf"):
    return SimpleUploadedFile(name, b"#!/bin/sh\nrm -rf /\n", content_type="application/pdf")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def sms_file(settings, tmp_path):
    settings.SHANGLIAN_SMS_BACKEND = "shanglian.notifications.backends.FileSmsBackend"
    settings.SHANGLIAN_SMS_FILE = str(tmp_path / "sms.log")
    return tmp_path / "sms.log"


def draft(actor, **overrides):
    data = {"title": "关于召开2026年会员大会的通知", "body": "各会员企业：\n\n定于12月10日召开会员大会。",
            "audience": "all"}
    data.update(overrides)
    return services.save_notice(actor=actor, **data)


# --- drafts ---------------------------------------------------------------------------------------------------
def test_a_draft_keeps_a_sanitised_body_its_attachments_and_an_audit_row(cast):
    notice = draft(cast.users.staff, body='<p onclick="x()">正文<script>alert(1)</script></p><a href="javascript:x">链接</a>',
                   files=[pdf()])
    assert notice.status == Notice.Status.DRAFT and notice.number.startswith("TZ")
    assert notice.federation == cast.district and notice.chamber is None
    assert "script" not in notice.body and "onclick" not in notice.body and "javascript" not in notice.body
    assert list(notice.attachments.values_list("original_name", flat=True)) == ["会议议程.pdf"]
    assert AuditEvent.objects.filter(action="create", object_type="communications.notice",
                                     object_id=str(notice.pk)).exists()


def test_plain_text_becomes_paragraphs(cast):
    notice = draft(cast.users.staff, body="第一段\n\n第二段")
    assert notice.body == "<p>第一段</p><p>第二段</p>"


def test_a_forbidden_attachment_is_refused_in_chinese_and_nothing_is_written(cast, media):
    with pytest.raises(ValidationError) as refused:
        draft(cast.users.staff, files=[pdf(), script()])
    assert "文件内容不是允许的类型" in " ".join(refused.value.message_dict["files"])
    assert not Notice.objects.exists() and not NoticeAttachment.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]  # the good file stored first was removed again


def test_an_empty_title_or_body_and_an_incomplete_audience_are_refused_together(cast):
    with pytest.raises(ValidationError) as refused:
        draft(cast.users.staff, title=" ", body="<p> </p>", audience="chamber")
    assert set(refused.value.message_dict) == {"title", "body", "chamber_audience"}
    assert not Notice.objects.exists()


def test_only_the_record_the_audience_names_is_kept(cast):
    notice = draft(cast.users.staff, audience="chamber", chamber_audience=cast.chamber1,
                   event=testing.make_event(cast.district))
    assert notice.chamber_audience == cast.chamber1 and notice.event is None


def test_editing_a_draft_changes_it_adds_and_removes_files(cast):
    notice = draft(cast.users.staff, files=[pdf("旧.pdf")])
    old = notice.attachments.get()
    services.save_notice(actor=cast.users.staff, notice=notice, title="改过的标题", body="新正文", audience="all",
                         files=[pdf("新.pdf")], remove=[old.pk])
    notice.refresh_from_db()
    assert notice.title == "改过的标题"
    assert list(notice.attachments.values_list("original_name", flat=True)) == ["新.pdf"]
    change = AuditEvent.objects.filter(action="update", object_id=str(notice.pk)).latest("id")
    assert {c["field"] for c in change.detail["changes"]} >= {"标题", "附件"}


def test_a_sent_notice_no_longer_changes_nor_is_deleted(cast):
    notice = draft(cast.users.staff)
    services.send_notice(actor=cast.users.staff, notice=notice)
    with pytest.raises(Refused):
        services.save_notice(actor=cast.users.staff, notice=notice, title="改", body="改", audience="all")
    with pytest.raises(Refused):
        services.delete_notice(actor=cast.users.staff, notice=notice)


def test_a_draft_is_deleted_with_its_attachments(cast, media, django_capture_on_commit_callbacks):
    notice = draft(cast.users.staff, files=[pdf()])
    stored = notice.attachments.get().stored_name
    assert (media / "communications" / stored).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_notice(actor=cast.users.staff, notice=notice)
    assert not Notice.objects.exists() and not NoticeAttachment.objects.exists()
    assert not (media / "communications" / stored).exists()


# --- who may write ----------------------------------------------------------------------------------------------
def test_a_leader_a_department_and_an_enterprise_may_not_write_notices(cast):
    for user in (cast.users.leader, cast.users.dept1, cast.users.ent1, cast.users.auditor):
        with pytest.raises(PermissionDenied):
            draft(user)
    assert not Notice.objects.exists()


def test_a_chamber_secretarys_notice_is_its_chambers_and_may_go_only_to_its_chamber(cast):
    with pytest.raises(ValidationError) as refused:
        draft(cast.users.chamber1)  # 全体会员
    assert "audience" in refused.value.message_dict
    with pytest.raises(ValidationError):
        draft(cast.users.chamber1, audience="chamber", chamber_audience=cast.chamber2)
    notice = draft(cast.users.chamber1, audience="chamber", chamber_audience=cast.chamber1)
    assert notice.chamber == cast.chamber1 and notice.federation == cast.district


def test_nobody_changes_another_senders_notice(cast):
    federations = draft(cast.users.staff)
    chambers = draft(cast.users.chamber1, audience="chamber", chamber_audience=cast.chamber1)
    with pytest.raises(PermissionDenied):
        services.send_notice(actor=cast.users.chamber2, notice=chambers)
    with pytest.raises(PermissionDenied):
        services.send_notice(actor=cast.users.chamber1, notice=federations)
    with pytest.raises(PermissionDenied):
        services.delete_notice(actor=cast.users.outsider_staff, notice=federations)
    with pytest.raises(PermissionDenied):  # the federation reads its chambers' notices but does not send them
        services.send_notice(actor=cast.users.staff, notice=chambers)
    with pytest.raises(PermissionDenied):
        services.send_notice(actor=cast.users.leader, notice=federations)
    assert set(Notice.objects.values_list("status", flat=True)) == {"draft"}


# --- sending ----------------------------------------------------------------------------------------------------
def test_sending_fixes_the_recipients_and_tells_every_user_of_every_recipient_enterprise(cast):
    second = testing.make_user(Role.ENTERPRISE, username="ent1b", enterprise=cast.ent1)
    loner = testing.make_person(cast.district, name="赵个人")
    testing.make_membership(cast.district, loner, number="HX-2020-0009")
    notice = draft(cast.users.staff)
    services.send_notice(actor=cast.users.staff, notice=notice)
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT and notice.sent_by == cast.users.staff and notice.sent_at
    rows = set(NoticeRecipient.objects.filter(notice=notice).values_list("enterprise_id", "person_id"))
    assert rows == {(cast.ent1.pk, None), (cast.ent2.pk, None), (None, loner.pk)}
    url = reverse("communications:h5_notice", args=[notice.pk])
    told = set(Notification.objects.filter(kind="notice", url=url).values_list("recipient__username", flat=True))
    assert told == {"ent1", second.username}  # ent2 has no user; the person has none either
    assert not SmsMessage.objects.exists()  # no SMS copy asked


def test_the_sms_copy_goes_to_users_with_a_mobile_and_to_persons_without_an_enterprise(
        cast, sms_file, django_capture_on_commit_callbacks):
    ent1 = cast.users.ent1
    ent1.mobile = "13800138001"
    ent1.save()
    loner = testing.make_person(cast.district, name="赵个人", mobile="13900139009")
    testing.make_membership(cast.district, loner, number="HX-2020-0009")
    notice = draft(cast.users.staff, sms_copy=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_notice(actor=cast.users.staff, notice=notice)
    texts = [json.loads(line) for line in sms_file.read_text(encoding="utf-8").splitlines()]
    assert sorted(t["mobile"] for t in texts) == ["138****8001", "139****9009"]
    assert {t["text"] for t in texts} == {"【商联通】河西区工商联发来通知《关于召开2026年会员大会的通知》，请登录商联通查看。"}
    assert set(SmsMessage.objects.values_list("to_name", flat=True)) == {"", "赵个人"}


def test_a_chamber_secretarys_notice_reaches_only_its_chambers_members(cast):
    event = testing.make_event(cast.district, chamber=cast.chamber1)
    testing.make_invitation(event, cast.ent1)
    testing.make_invitation(event, cast.ent2)  # invited, but not chamber1's member
    notice = draft(cast.users.chamber1, audience="event", event=event)
    services.send_notice(actor=cast.users.chamber1, notice=notice)
    assert list(notice.recipients.values_list("enterprise_id", flat=True)) == [cast.ent1.pk]


def test_sending_to_nobody_is_refused_and_nothing_changes(cast):
    empty = testing.make_chamber(cast.district, name="空商会")
    notice = draft(cast.users.staff, audience="chamber", chamber_audience=empty)
    with pytest.raises(Refused) as refused:
        services.send_notice(actor=cast.users.staff, notice=notice)
    assert "没有可以接收通知" in refused.value.message
    notice.refresh_from_db()
    assert notice.status == Notice.Status.DRAFT and not notice.recipients.exists()
    assert not Notification.objects.exists()


def test_sending_twice_is_refused_the_second_time(cast):
    notice = draft(cast.users.staff)
    services.send_notice(actor=cast.users.staff, notice=notice)
    with pytest.raises(Refused):
        services.send_notice(actor=cast.users.staff, notice=notice)
    assert NoticeRecipient.objects.filter(notice=notice).count() == 2


# --- withdrawing and reminding ------------------------------------------------------------------------------------
def test_withdrawing_needs_a_reason_and_keeps_the_receipts(cast):
    notice = draft(cast.users.staff)
    services.send_notice(actor=cast.users.staff, notice=notice)
    with pytest.raises(ValidationError):
        services.withdraw_notice(actor=cast.users.staff, notice=notice, reason=" ")
    services.withdraw_notice(actor=cast.users.staff, notice=notice, reason="时间调整，另行通知")
    notice.refresh_from_db()
    assert notice.status == Notice.Status.WITHDRAWN and notice.withdrawn_reason == "时间调整，另行通知"
    assert notice.recipients.count() == 2
    assert not Notification.objects.filter(kind="notice", read_at__isnull=True).exists()


def test_reminding_the_unread_tells_them_once_a_day(cast):
    notice = draft(cast.users.staff)
    services.send_notice(actor=cast.users.staff, notice=notice)
    notice.recipients.filter(enterprise=cast.ent2).update(read_at="2026-01-01T00:00:00Z")
    assert services.remind_unread(actor=cast.users.staff, notice=notice) == 1
    assert services.remind_unread(actor=cast.users.staff, notice=notice) == 0
    reminded = notice.recipients.get(enterprise=cast.ent1)
    assert reminded.reminders == 1 and reminded.reminded_at
    assert Notification.objects.filter(recipient=cast.users.ent1, title__startswith="请阅读通知").count() == 1
    with pytest.raises(PermissionDenied):
        services.remind_unread(actor=cast.users.leader, notice=notice)


def test_reminding_when_everyone_has_read_is_refused(cast):
    notice = draft(cast.users.staff)
    services.send_notice(actor=cast.users.staff, notice=notice)
    notice.recipients.update(read_at="2026-01-01T00:00:00Z")
    with pytest.raises(Refused):
        services.remind_unread(actor=cast.users.staff, notice=notice)
