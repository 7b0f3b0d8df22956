"""`notify(..., sms_text=…)`: an SMS that says something other than the inbox title (a notice's "请登录商联通查看"),
always signed 【商联通】 once; without it the SMS is still the title."""

import json

import pytest

from shanglian.accounts.roles import Role
from shanglian.notifications.models import Notification, SmsMessage
from shanglian.notifications.services import notify, sms_wording
from shanglian.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms_file(settings, tmp_path):
    settings.SHANGLIAN_SMS_BACKEND = "shanglian.notifications.backends.FileSmsBackend"
    settings.SHANGLIAN_SMS_FILE = str(tmp_path / "sms.log")
    return tmp_path / "sms.log"


def _user_with_mobile(username, mobile):
    user = make_user(Role.STAFF, username=username)
    user.mobile = mobile
    user.save()
    return user


def test_the_sms_says_its_own_text_while_the_inbox_keeps_the_title(sms_file, django_capture_on_commit_callbacks):
    user = _user_with_mobile("e1", "13800138001")
    with django_capture_on_commit_callbacks(execute=True):
        notify([user], kind="notice", title="关于召开年会的通知", sms=True,
               sms_text="区工商联发来通知《关于召开年会的通知》，请登录商联通查看。", texted=[("张三", "13900139000")])
    assert Notification.objects.get().title == "关于召开年会的通知"
    lines = [json.loads(line) for line in sms_file.read_text(encoding="utf-8").splitlines()]
    assert [line["text"] for line in lines] == ["【商联通】区工商联发来通知《关于召开年会的通知》，请登录商联通查看。"] * 2
    assert set(SmsMessage.objects.values_list("text", flat=True)) == {lines[0]["text"]}


def test_the_signature_is_not_doubled_and_the_text_is_cut_to_the_sms_limit():
    assert sms_wording("标题", "【商联通】已签名") == "【商联通】已签名"
    assert sms_wording("标题") == "【商联通】标题"
    assert sms_wording("标题", "   ") == "【商联通】标题"
    assert len(sms_wording("标题", "长" * 400)) == 300
