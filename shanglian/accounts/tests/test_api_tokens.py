"""API tokens belong to integration accounts only, expire, are shown once and stored hashed, are revoked
by their owner, and their issue, revocation and use are audited; /admin mints none (issue 18, 4)."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from shanglian.accounts import tokens
from shanglian.accounts.models import ApiToken
from shanglian.accounts.roles import Role
from shanglian.audit.models import AuditAction, AuditEvent

API = "/api/v1/appeals/"


@pytest.fixture
def hotline(cast):
    return tokens.create_integration_account(username="hotline", display_name="12345 热线", role=Role.STAFF,
                                             federation=cast.district)


def _call(key):
    return Client().get(API, HTTP_AUTHORIZATION=f"Token {key}")


def _run(*args):
    out = StringIO()
    call_command("api_token", *args, stdout=out)
    return out.getvalue()


def test_admin_offers_no_page_to_mint_a_token(cast, login):
    client = login(cast.users.admin)
    for name in ("admin:authtoken_tokenproxy_add", "admin:authtoken_token_add", "admin:accounts_apitoken_add"):
        with pytest.raises(NoReverseMatch):
            reverse(name)
    assert ApiToken not in admin.site._registry
    assert "令牌" not in client.get(reverse("admin:index")).content.decode()


def test_a_persons_account_cannot_be_issued_a_token(cast):
    for user in (cast.users.staff, cast.users.admin, cast.users.ent1):
        with pytest.raises(ValidationError):
            tokens.issue(user=user, name="试用")
    assert not ApiToken.objects.exists()


def test_a_token_row_for_a_persons_account_is_refused(cast):
    key = "sl_" + "x" * 40
    ApiToken.objects.create(user=cast.users.staff, name="旧令牌", prefix=key[:12], key_hash=tokens.digest(key),
                            expires_at=timezone.now() + timedelta(days=30))
    response = _call(key)
    assert response.status_code == 401 and "接口集成账号" in response.json()["detail"]


def test_an_integration_account_has_no_web_login(cast, hotline):
    assert hotline.is_integration and not hotline.has_usable_password()
    response = Client().post(reverse("accounts:login"), {"username": "hotline", "password": ""})
    assert "_auth_user_id" not in response.wsgi_request.session


def test_a_token_is_shown_once_and_stored_only_as_its_hash(cast, hotline):
    out = _run("issue", "hotline", "--name", "12345 热线对接", "--days", "30")
    key = out.split("：", 1)[1].split()[0]
    assert key.startswith("sl_") and len(key) > 40
    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str([getattr(token, f.attname) for f in ApiToken._meta.fields])
    assert key not in _run("list", "hotline")
    assert _call(key).status_code == 200


def test_a_token_expires_and_its_lifetime_is_bounded(cast, hotline):
    with pytest.raises(ValidationError):
        tokens.issue(user=hotline, name="太长", days=tokens.MAX_DAYS + 1)
    token, key = tokens.issue(user=hotline, name="对接", days=1)
    assert token.expires_at <= timezone.now() + timedelta(days=1)
    assert _call(key).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = _call(key)
    assert response.status_code == 401 and "已过期" in response.json()["detail"]


def test_the_owner_revokes_a_token(cast, hotline):
    token, key = tokens.issue(user=hotline, name="对接", days=30)
    assert _call(key).status_code == 200
    assert "已撤销" in _run("revoke", "hotline", token.prefix)
    response = _call(key)
    assert response.status_code == 401 and "已撤销" in response.json()["detail"]
    with pytest.raises(CommandError):
        _run("revoke", "hotline", "sl_nothere")


def test_issue_revocation_and_use_are_audited_use_once_a_day(cast, hotline):
    token, key = tokens.issue(user=hotline, name="对接", days=30)
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="accounts.apitoken",
                                     object_id=str(token.pk)).count() == 1
    assert _call(key).status_code == 200
    assert _call(key).status_code == 200
    uses = AuditEvent.objects.filter(action=AuditAction.LOGIN, object_type="accounts.apitoken", object_id=str(token.pk))
    assert uses.count() == 1 and uses.get().actor_id == hotline.pk
    ApiToken.objects.filter(pk=token.pk).update(last_used_on=timezone.localdate() - timedelta(days=1))
    assert _call(key).status_code == 200
    assert uses.count() == 2
    tokens.revoke(user=hotline, prefix=token.prefix)
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="accounts.apitoken",
                                     object_id=str(token.pk), detail__revoked=True).count() == 1


def test_separated_roles_cannot_be_integration_accounts(cast):
    for role in (Role.SYSADMIN, Role.AUDITOR):
        with pytest.raises(CommandError):
            _run("create-account", f"robot-{role.value}", "--role", role.value, "--federation", str(cast.district.pk))


def test_no_one_gives_an_integration_account_a_password(cast, hotline, login):
    client = login(cast.users.admin)
    assert client.get(reverse("admin:auth_user_password_change", args=[hotline.pk])).status_code == 403
    assert client.post(reverse("admin:auth_user_password_change", args=[hotline.pk]),
                       {"password1": "Another@Pass2026", "password2": "Another@Pass2026"}).status_code == 403
    with pytest.raises(ValidationError):
        hotline.set_password("Another@Pass2026")
    hotline.refresh_from_db()
    assert not hotline.has_usable_password()


def test_token_use_keeps_the_account_from_being_disabled_as_inactive(cast, hotline):
    from shanglian.accounts.services import disable_inactive_accounts

    _, key = tokens.issue(user=hotline, name="对接", days=30)
    assert _call(key).status_code == 200
    disable_inactive_accounts(days=90, now=timezone.now() + timedelta(days=30))
    hotline.refresh_from_db()
    assert hotline.is_active
