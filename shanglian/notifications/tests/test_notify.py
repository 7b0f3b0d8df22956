import json

import pytest
from django.db import transaction

from shanglian.accounts.roles import Role
from shanglian.notifications.backends import SmsError
from shanglian.notifications.models import Notification, SmsMessage
from shanglian.notifications.selectors import unread_count
from shanglian.notifications.services import mark_read, notify
from shanglian.testing import make_user

pytestmark = pytest.mark.django_db


def _user(role, username, *, mobile="", active=True):
    user = make_user(role, username=username)
    user.mobile, user.is_active = mobile, active
    user.save()
    return user


class FailingBackend:
    def send(self, mobile, template, params, text):
        raise SmsError("provider down")


def test_notify_writes_one_inbox_message_per_active_recipient():
    a = make_user(Role.STAFF, username="a")
    b = make_user(Role.STAFF, username="b")
    gone = _user(Role.STAFF, "gone", active=False)
    assert notify([a, b, a, gone], kind="appeal", title="诉求SQ1待受理") == 2
    assert Notification.objects.filter(recipient=a).count() == 1
    assert not Notification.objects.filter(recipient=gone).exists()
    assert unread_count(a) == 1


def test_sms_goes_out_only_after_the_transaction_commits(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.SHANGLIAN_SMS_BACKEND = "shanglian.notifications.backends.FileSmsBackend"
    settings.SHANGLIAN_SMS_FILE = str(tmp_path / "sms.log")
    user = _user(Role.STAFF, "d", mobile="13800138000")
    with django_capture_on_commit_callbacks(execute=True):
        notify([user], kind="appeal", title="诉求已派至贵部门", sms=True)
        assert not (tmp_path / "sms.log").exists()  # not before the commit
    line = json.loads((tmp_path / "sms.log").read_text(encoding="utf-8").strip())
    assert line["mobile"] == "138****8000"  # never the full number in a log
    assert line["text"] == "【商联通】诉求已派至贵部门"
    assert SmsMessage.objects.get().status == "sent"


def test_a_rolled_back_action_sends_no_sms(settings, tmp_path):
    settings.SHANGLIAN_SMS_BACKEND = "shanglian.notifications.backends.FileSmsBackend"
    settings.SHANGLIAN_SMS_FILE = str(tmp_path / "sms.log")
    user = _user(Role.STAFF, "d", mobile="13800138000")
    with pytest.raises(RuntimeError), transaction.atomic():
        notify([user], kind="appeal", title="不会发出", sms=True)
        raise RuntimeError
    assert not (tmp_path / "sms.log").exists()
    assert not Notification.objects.exists()


def test_users_without_a_mobile_get_no_sms(django_capture_on_commit_callbacks):
    user = make_user(Role.STAFF, username="s")
    with django_capture_on_commit_callbacks(execute=True):
        notify([user], kind="appeal", title="t", sms=True)
    assert not SmsMessage.objects.exists()
    assert Notification.objects.filter(recipient=user).exists()


def test_a_failing_sms_provider_is_recorded_and_does_not_break_the_action(
        settings, django_capture_on_commit_callbacks):
    settings.SHANGLIAN_SMS_BACKEND = "shanglian.notifications.tests.test_notify.FailingBackend"
    user = _user(Role.STAFF, "d", mobile="13800138000")
    with django_capture_on_commit_callbacks(execute=True):
        notify([user], kind="appeal", title="t", sms=True)
    assert SmsMessage.objects.get().status == "failed"


def test_mark_read_touches_only_the_users_own_messages():
    a = make_user(Role.STAFF, username="a")
    b = make_user(Role.STAFF, username="b")
    notify([a, b], kind="x", title="t")
    assert mark_read(actor=a) == 1
    assert unread_count(a) == 0 and unread_count(b) == 1


def test_inbox_read_all_needs_post(cast, login):
    from django.urls import reverse

    notify([cast.users.staff], kind="x", title="一条消息")
    client = login(cast.users.staff)
    assert client.get(reverse("notifications:read_all")).status_code == 405
    assert client.post(reverse("notifications:read_all")).status_code == 302
    assert unread_count(cast.users.staff) == 0


def test_enterprise_users_read_their_messages_in_the_phone_layout(cast, login):
    from django.urls import reverse

    notify([cast.users.ent1], kind="appeal", title="您的诉求SQ1已答复，请评价")
    page = login(cast.users.ent1).get(reverse("notifications:inbox")).content.decode()
    assert "h5-tabbar" in page and "您的诉求SQ1已答复，请评价" in page and "未读" in page


def test_the_inbox_shows_local_time(cast, login):
    import datetime

    import time_machine
    from django.urls import reverse

    with time_machine.travel(datetime.datetime(2026, 11, 23, 15, 35, tzinfo=datetime.UTC), tick=False):
        notify([cast.users.staff], kind="x", title="一条消息")
    page = login(cast.users.staff).get(reverse("notifications:inbox")).content.decode()
    assert "2026-11-23 23:35" in page  # Asia/Shanghai
