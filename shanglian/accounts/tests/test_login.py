from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from shanglian import testing
from shanglian.audit.models import AuditEvent

LOGIN = "/accounts/login/"


def post_login(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def test_login_with_correct_password_reaches_workbench_and_is_audited(client, cast):
    response = post_login(client, "staff", testing.PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    event = AuditEvent.objects.filter(action="login").latest("id")
    assert event.actor == cast.users.staff and event.result == "success"
    assert event.remote_addr == "127.0.0.1" and event.request_id
    page = client.get("/")
    assert "工作台" in page.content.decode()


def test_wrong_password_gives_chinese_message_and_failed_login_audit(client, cast):
    response = post_login(client, "staff", "Wrong@Pass1")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    event = AuditEvent.objects.filter(action="login_failed").latest("id")
    assert event.username == "staff" and event.result == "failure" and event.actor is None
    assert "_auth_user_id" not in client.session


def test_username_is_case_insensitive_at_login(client, cast):
    assert post_login(client, "STAFF", testing.PASSWORD).status_code == 302


def test_sixth_attempt_is_refused_even_with_correct_password_until_cooloff(client, cast):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(5):
            post_login(client, "staff", "Wrong@Pass1")
        response = post_login(client, "staff", testing.PASSWORD)
        assert response.status_code == 429
        assert "锁定" in response.content.decode()
        assert "_auth_user_id" not in client.session
        assert AuditEvent.objects.filter(action="lockout", username="staff").exists()
        traveller.move_to(start + timedelta(minutes=14))
        assert post_login(client, "staff", testing.PASSWORD).status_code == 429
        traveller.move_to(start + timedelta(minutes=16))
        assert post_login(client, "staff", testing.PASSWORD).status_code == 302


def test_lockout_of_one_account_does_not_lock_another(client, cast):
    for _ in range(5):
        post_login(client, "staff", "Wrong@Pass1")
    assert post_login(client, "leader", testing.PASSWORD).status_code == 302


def test_inactive_account_cannot_log_in(client, cast):
    cast.users.staff.is_active = False
    cast.users.staff.save()
    response = post_login(client, "staff", testing.PASSWORD)
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_login_ignores_external_next_url(client, cast):
    response = post_login(client, "staff", testing.PASSWORD, next="https://evil.example/")
    assert response["Location"] == "/"


def test_session_key_changes_at_login(client, cast):
    client.get(LOGIN)
    client.cookies["sessionid"] = "x" * 32
    before = client.cookies["sessionid"].value
    post_login(client, "staff", testing.PASSWORD)
    assert client.cookies["sessionid"].value != before


def test_logout_deletes_session_and_old_cookie_no_longer_works(client, cast):
    from django.contrib.sessions.models import Session

    post_login(client, "staff", testing.PASSWORD)
    key = client.session.session_key
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=key).exists()
    client.cookies["sessionid"] = key
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(action="logout", username="staff").exists()


def test_logout_by_get_is_refused(client, cast):
    post_login(client, "staff", testing.PASSWORD)
    assert client.get(reverse("accounts:logout")).status_code == 405


def test_post_without_csrf_token_is_refused(cast):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(LOGIN, {"username": "staff", "password": testing.PASSWORD})
    assert response.status_code == 403
    assert "请求已失效" in response.content.decode()


@pytest.mark.parametrize("path", ["/members/enterprises/abc/", "/orgs/chambers/99999999/", "/no-such-page/"])
def test_malformed_or_unknown_ids_give_chinese_404(cast, login, path):
    response = login(cast.users.staff).get(path)
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_case_variants_of_a_username_share_one_lockout(client, cast):
    for variant in ("staff", "STAFF", "Staff", "sTaFf", "StAfF"):
        post_login(client, variant, "Wrong@Pass1")
    assert post_login(client, "sTAFF", testing.PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
