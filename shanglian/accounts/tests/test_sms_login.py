"""Enterprise users sign in with mobile + SMS code (accounts/sms_login.py, backends.SmsCodeBackend)."""

import json
import re
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from shanglian import testing
from shanglian.accounts import sms_login
from shanglian.accounts.models import SmsLoginCode, TOTPDevice, User
from shanglian.audit.models import AuditEvent
from shanglian.notifications.models import SmsMessage

SMS = "/accounts/login/sms/"
MOBILE = "13800000001"
NOBODY = "13900000009"
OUTBOX = []


class OutboxBackend:
    """Keeps what would be texted, so a test can read the code the way the user reads the SMS."""

    def send(self, mobile, template, params, text):
        OUTBOX.append({"mobile": mobile, "template": template, "code": params["code"], "text": text})


@pytest.fixture(autouse=True)
def outbox(settings):
    settings.SHANGLIAN_SMS_BACKEND = "shanglian.accounts.tests.test_sms_login.OutboxBackend"
    cache.clear()
    OUTBOX.clear()
    yield OUTBOX
    cache.clear()


@pytest.fixture
def ent(cast):
    user = cast.users.ent1
    user.mobile = MOBILE
    user.save()
    return user


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    def _send(mobile, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(SMS, {"action": "send", "mobile": mobile}, **extra)

    return _send


def sign_in(client, mobile, code, **extra):
    return client.post(SMS, {"action": "login", "mobile": mobile, "code": code, **extra})


def last_code():
    return OUTBOX[-1]["code"]


def text_of(response):
    """The page without what differs by request only (the CSRF token, the mobile typed)."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "", html)
    return html.replace(MOBILE, "<m>").replace(NOBODY, "<m>")


# --- signing in ---------------------------------------------------------------------------------

def test_enterprise_user_signs_in_with_mobile_and_code_and_lands_on_the_h5_home(client, ent, send):
    response = send(MOBILE)
    assert response.status_code == 200 and "验证码已通过短信发送" in response.content.decode()
    assert len(OUTBOX) == 1 and OUTBOX[0]["mobile"] == MOBILE and re.fullmatch(r"\d{6}", last_code())
    assert last_code() in OUTBOX[0]["text"]
    response = sign_in(client, MOBILE, last_code())
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(ent.pk)
    assert client.get("/")["Location"] == "/appeals/h5/"


def test_sign_in_follows_a_local_next_and_ignores_an_external_one(client, ent, send):
    send(MOBILE)
    assert sign_in(client, MOBILE, last_code(), next="https://evil.example/")["Location"] == "/"
    client.post("/accounts/logout/")
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        send(MOBILE)
        assert sign_in(client, MOBILE, last_code(), next="/workbench-next/")["Location"] == "/workbench-next/"


def test_every_sign_in_failure_and_sending_is_audited_with_the_mobile_masked(client, ent, send):
    send(MOBILE)
    code = last_code()
    sign_in(client, MOBILE, "000000" if code != "000000" else "111111")
    sign_in(client, MOBILE, code)
    sent = AuditEvent.objects.get(action="sms_code")
    assert sent.username == "ent1" and sent.detail == {"mobile": "138****0001", "sent": True}
    failed = AuditEvent.objects.get(action="login_failed")
    assert failed.username == "ent1" and failed.result == "failure"
    assert failed.detail == {"method": "sms", "mobile": "138****0001"}
    login = AuditEvent.objects.get(action="login")
    assert login.actor == ent and login.detail == {"method": "sms", "mobile": "138****0001"}
    everything = json.dumps([e.detail for e in AuditEvent.objects.all()] +
                            [e.object_repr for e in AuditEvent.objects.all()], ensure_ascii=False)
    assert MOBILE not in everything and code not in everything


def test_the_code_is_stored_only_as_a_keyed_hash(client, ent, send):
    send(MOBILE)
    code = last_code()
    row = SmsLoginCode.objects.get(user=ent)
    assert re.fullmatch(r"[0-9a-f]{64}", row.code_hash) and code not in row.code_hash
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_smslogincode")
        stored = " ".join(str(v) for v in cursor.fetchone())
    assert code not in stored and MOBILE not in stored
    # The SMS record keeps the text with the code starred; the lockout's request log stars it too.
    assert SmsMessage.objects.get(recipient=ent, template="login_code").text.count("******") == 1
    assert code not in "".join(SmsMessage.objects.values_list("text", flat=True))
    sign_in(client, MOBILE, "123456" if code != "123456" else "654321")
    attempt = AccessAttempt.objects.get(username="ent1")
    assert MOBILE not in attempt.post_data and "123456" not in attempt.post_data


def test_the_code_is_stored_and_sent_in_the_background_for_a_user_only(client, ent,
                                                                      django_capture_on_commit_callbacks):
    """The request does the same work for both mobiles (one task each); the task texts a user's code only."""
    tasks = {}
    for mobile in (MOBILE, NOBODY):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            assert client.post(SMS, {"action": "send", "mobile": mobile}).status_code == 200
        tasks[mobile] = callbacks
    assert [len(found) for found in tasks.values()] == [1, 1]
    assert OUTBOX == [] and not SmsLoginCode.objects.exists()  # nothing happens inside the request
    tasks[NOBODY][0]()
    assert OUTBOX == [] and not SmsLoginCode.objects.exists()
    tasks[MOBILE][0]()
    assert [m["mobile"] for m in OUTBOX] == [MOBILE] and SmsLoginCode.objects.filter(user=ent).count() == 1


# --- refusals -----------------------------------------------------------------------------------

def test_a_wrong_code_is_refused_with_the_generic_message(client, ent, send):
    send(MOBILE)
    wrong = f"{(int(last_code()) + 1) % 10**6:06d}"
    response = sign_in(client, MOBILE, wrong)
    assert response.status_code == 400 and sms_login.FAILED_MESSAGE in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_expired_code_is_refused(client, ent, send):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        send(MOBILE)
        traveller.move_to(start + timedelta(seconds=301))
        response = sign_in(client, MOBILE, last_code())
    assert response.status_code == 400 and sms_login.FAILED_MESSAGE in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_code_still_works_just_before_it_expires(client, ent, send):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        send(MOBILE)
        traveller.move_to(start + timedelta(seconds=299))
        assert sign_in(client, MOBILE, last_code()).status_code == 302


def test_a_used_code_is_refused_the_second_time(client, ent, send):
    send(MOBILE)
    code = last_code()
    assert sign_in(client, MOBILE, code).status_code == 302
    client.post("/accounts/logout/")
    response = sign_in(client, MOBILE, code)
    assert response.status_code == 400 and sms_login.FAILED_MESSAGE in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_code_is_void_after_five_wrong_tries(client, ent, send, settings):
    settings.AXES_FAILURE_LIMIT = 20  # the per-code limit, not the lockout, is under test here
    send(MOBILE)
    code = last_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        assert sign_in(client, MOBILE, wrong).status_code == 400
    assert sign_in(client, MOBILE, code).status_code == 400
    assert "_auth_user_id" not in client.session


def test_a_new_code_replaces_the_earlier_one(client, ent, send):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        send(MOBILE)
        first = last_code()
        traveller.move_to(start + timedelta(seconds=61))
        send(MOBILE)
        second = last_code()
        if first != second:
            assert sign_in(client, MOBILE, first).status_code == 400
        assert sign_in(client, MOBILE, second).status_code == 302


def test_a_code_is_bound_to_the_mobile_it_was_sent_to(client, ent, send):
    send(MOBILE)
    code = last_code()
    ent.mobile = "13800000002"
    ent.save()
    assert sign_in(client, "13800000002", code).status_code == 400
    assert sign_in(client, MOBILE, code).status_code == 400


@pytest.mark.parametrize("data, message", [
    ({"mobile": "", "code": "123456"}, "请输入手机号"),
    ({"mobile": "1380000", "code": "123456"}, "手机号码应为11位数字"),
    ({"mobile": MOBILE, "code": ""}, "请输入短信验证码"),
    ({"mobile": MOBILE, "code": "12ab56"}, "验证码为 6 位数字"),
])
def test_malformed_input_gets_a_chinese_message_and_a_400(client, ent, data, message):
    response = client.post(SMS, {"action": "login", **data})
    assert response.status_code == 400 and message in response.content.decode()


def test_a_malformed_mobile_is_refused_when_sending_and_consumes_nothing(client, ent, send):
    response = send("12345")
    assert response.status_code == 400 and "手机号码应为11位数字" in response.content.decode()
    assert OUTBOX == [] and not AuditEvent.objects.filter(action="sms_code").exists()


# --- who may sign in by SMS ---------------------------------------------------------------------

def test_a_staff_user_cannot_sign_in_by_sms(client, cast, send):
    staff = cast.users.staff
    staff.mobile = "13800000005"
    staff.save()
    response = send("13800000005")
    assert response.status_code == 200 and OUTBOX == []
    assert not SmsLoginCode.objects.filter(user=staff).exists()
    for code in ("000000", "123456"):
        assert sign_in(client, "13800000005", code).status_code == 400
    assert "_auth_user_id" not in client.session


def test_a_code_sent_to_an_enterprise_user_is_refused_once_the_user_is_staff(client, ent, send):
    send(MOBILE)
    ent.groups.set([Group.objects.get(name="staff")])
    assert sign_in(client, MOBILE, last_code()).status_code == 400
    assert "_auth_user_id" not in client.session


def test_an_inactive_user_is_refused_with_the_same_generic_message(client, ent, send):
    send(MOBILE)
    code = last_code()
    User.objects.filter(pk=ent.pk).update(is_active=False)
    response = sign_in(client, MOBILE, code)
    assert response.status_code == 400 and sms_login.FAILED_MESSAGE in response.content.decode()


def test_sms_sign_in_does_not_skip_a_second_factor_the_user_has_enabled(client, ent, send):
    TOTPDevice.objects.create(user=ent, name="身份验证器", key="00" * 20, confirmed=True)
    send(MOBILE)
    assert sign_in(client, MOBILE, last_code()).status_code == 302
    assert client.get("/appeals/h5/")["Location"] == "/accounts/otp/verify/"


# --- lockout ------------------------------------------------------------------------------------

def test_sms_failures_count_toward_the_password_lockout(client, ent, send):
    send(MOBILE)
    code = last_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(4):
        sign_in(client, MOBILE, wrong)
    client.post("/accounts/login/", {"username": "ent1", "password": "Wrong@Pass1"})  # the fifth failure
    response = client.post("/accounts/login/", {"username": "ent1", "password": testing.PASSWORD})
    assert response.status_code == 429 and "锁定" in response.content.decode()
    assert sign_in(client, MOBILE, code).status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="lockout", username="ent1").exists()


def test_a_locked_account_cannot_sign_in_by_sms_until_the_cooloff_ends(client, ent, send):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        send(MOBILE)
        code = last_code()
        for _ in range(5):
            client.post("/accounts/login/", {"username": "ent1", "password": "Wrong@Pass1"})
        assert sign_in(client, MOBILE, code).status_code == 429
        assert "_auth_user_id" not in client.session
        # A locked account is sent nothing, with the usual answer.
        traveller.move_to(start + timedelta(seconds=61))
        assert send(MOBILE).status_code == 200 and len(OUTBOX) == 1
        traveller.move_to(start + timedelta(minutes=16))
        send(MOBILE)
        assert sign_in(client, MOBILE, last_code()).status_code == 302


def test_a_successful_sms_sign_in_resets_the_failure_count(client, ent, send):
    send(MOBILE)
    code = last_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(3):
        sign_in(client, MOBILE, wrong)
    assert sign_in(client, MOBILE, code).status_code == 302
    assert not AccessAttempt.objects.filter(username="ent1").exists()


# --- throttling ---------------------------------------------------------------------------------

def test_sending_is_throttled_per_mobile_to_one_a_minute(client, ent, send):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        assert send(MOBILE).status_code == 200
        traveller.move_to(start + timedelta(seconds=30))
        response = send(MOBILE)
        assert response.status_code == 429 and "请 30 秒后再试" in response.content.decode()
        assert 'data-wait="30"' in response.content.decode()
        assert len(OUTBOX) == 1
        traveller.move_to(start + timedelta(seconds=61))
        assert send(MOBILE).status_code == 200 and len(OUTBOX) == 2


def test_sending_is_throttled_per_mobile_per_day(client, ent, send, settings):
    settings.SMS_LOGIN_DAILY_LIMIT = 2
    start = timezone.localtime().replace(hour=9, minute=0)
    with time_machine.travel(start, tick=False) as traveller:
        for i in range(2):
            traveller.move_to(start + timedelta(minutes=2 * i))
            assert send(MOBILE).status_code == 200
        traveller.move_to(start + timedelta(minutes=10))
        response = send(MOBILE)
        assert response.status_code == 429 and "今日获取验证码次数已达上限" in response.content.decode()
        assert len(OUTBOX) == 2
        traveller.move_to(start + timedelta(days=1))
        assert send(MOBILE).status_code == 200 and len(OUTBOX) == 3


def test_sending_is_throttled_per_ip(client, ent, send, settings):
    settings.SMS_LOGIN_IP_HOURLY_LIMIT = 3
    start = timezone.now().replace(minute=0, second=0)
    with time_machine.travel(start, tick=False):
        for mobile in ("13900000011", "13900000012", "13900000013"):
            assert send(mobile, REMOTE_ADDR="10.0.0.7").status_code == 200
        response = send(MOBILE, REMOTE_ADDR="10.0.0.7")
        assert response.status_code == 429 and "当前网络获取验证码过于频繁" in response.content.decode()
        assert OUTBOX == []
        assert send(MOBILE, REMOTE_ADDR="10.0.0.8").status_code == 200 and len(OUTBOX) == 1
    assert AuditEvent.objects.filter(action="sms_code", result="denied").count() == 1


# --- nothing says whether a mobile is registered ------------------------------------------------

def test_sending_answers_alike_for_a_registered_and_an_unregistered_mobile(client, ent, send):
    registered, unregistered = send(MOBILE), send(NOBODY)
    assert registered.status_code == unregistered.status_code == 200
    assert text_of(registered) == text_of(unregistered)
    assert [m["mobile"] for m in OUTBOX] == [MOBILE]
    # Both consumed their throttle: the second try within a minute is refused alike.
    again_registered, again_unregistered = send(MOBILE), send(NOBODY)
    assert again_registered.status_code == again_unregistered.status_code == 429
    assert text_of(again_registered) == text_of(again_unregistered)
    assert len(OUTBOX) == 1


def test_sending_answers_alike_for_staff_and_inactive_users(client, cast, ent, send):
    staff = cast.users.staff
    staff.mobile = NOBODY
    staff.save()
    assert text_of(send(MOBILE)) == text_of(send(NOBODY))
    assert [m["mobile"] for m in OUTBOX] == [MOBILE]


@time_machine.travel(timezone.now(), tick=False)
def test_signing_in_fails_alike_for_a_registered_and_an_unregistered_mobile(client, ent, send):
    send(NOBODY)
    send(MOBILE)
    wrong = f"{(int(last_code()) + 1) % 10**6:06d}"
    for _ in range(4):
        registered, unregistered = sign_in(client, MOBILE, wrong), sign_in(client, NOBODY, wrong)
        assert registered.status_code == unregistered.status_code == 400
        assert text_of(registered) == text_of(unregistered)
        assert 'data-wait="60"' in text_of(registered)  # 获取验证码 waits out the interval after a failure too
    # The fifth failure locks both alike (an unregistered mobile under a stand-in name, not the mobile).
    registered, unregistered = sign_in(client, MOBILE, wrong), sign_in(client, NOBODY, wrong)
    assert registered.status_code == unregistered.status_code == 429
    assert text_of(registered) == text_of(unregistered)
    assert not AccessAttempt.objects.filter(username__contains=NOBODY).exists()


# --- the user's mobile --------------------------------------------------------------------------

def test_a_mobile_is_unique_among_active_users(cast, ent):
    other = cast.users.staff
    other.mobile = "138 0000 0001"
    with pytest.raises(ValidationError) as refused:
        other.clean()
    assert "另一个在用账号" in str(refused.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        other.save()
    other.is_active = False
    other.clean()
    other.save()


def test_the_mobile_is_encrypted_and_found_by_its_blind_index(ent):
    with connection.cursor() as cursor:
        cursor.execute("SELECT mobile, mobile_index FROM accounts_user WHERE id = %s", [ent.pk])
        stored, index = cursor.fetchone()
    assert MOBILE not in stored and MOBILE not in index
    assert User.objects.get(mobile_index=sms_login.mobile_index("+86 138-0000-0001")) == ent


def test_the_sysadmin_edits_a_users_mobile_in_a_one_line_field(cast, login):
    page = login(cast.users.admin).get(f"/admin/accounts/user/{cast.users.ent1.pk}/change/").content.decode()
    assert re.search(r'<input type="text" name="mobile"', page)


# --- the pages ----------------------------------------------------------------------------------

def test_the_login_page_offers_the_sms_tab_and_the_sms_page_its_script(client, cast):
    assert f'href="{SMS}"' in client.get("/accounts/login/").content.decode()
    page = client.get(SMS).content.decode()
    assert "短信验证码登录" in page and "获取验证码" in page and "shanglian/sms-login.js" in page
    assert 'href="/accounts/login/"' in page
    assert "<script>" not in page and " onclick=" not in page


def test_a_signed_in_user_opening_the_sms_page_goes_home(cast, login):
    assert login(cast.users.staff).get(SMS)["Location"] == "/"


def test_the_demo_sms_page_names_the_demo_enterprise_mobile(client, settings):
    from shanglian.demo.logins import DEMO_MOBILES

    settings.DEMO = True
    assert f"<code>{DEMO_MOBILES['ent1']}</code>" in client.get(SMS).content.decode()
