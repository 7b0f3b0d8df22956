"""API tokens for integration accounts (issue 18): issued, listed and revoked out of band through
`manage.py api_token`, never in /admin.

- Only an integration account (`User.is_integration`, made by `api_token create-account`, no password
  and so no web login) holds a token; a person's account never does, so nobody acts as a person through
  a token, and the token's skipping of the second factor, idle timeout and password expiry concerns only
  an account no one logs in with.
- A token expires: its lifetime is chosen when it is issued, `MAX_DAYS` at most.
- The value is shown once, when issued; only its SHA-256 is stored (with a short prefix to name it).
- Its owner (whoever runs the integration, with the server's shell) revokes it by its prefix.
- Issue, revocation and use are audited; use once per token per day (the first call of the day), which
  bounds the audit log to one row per token per day whatever the traffic.
"""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from shanglian.audit.models import AuditAction
from shanglian.audit.services import record

from .models import ApiToken, User
from .roles import SEPARATED_ROLES, Role, role_of

MAX_DAYS = 90
PREFIX = "sl_"


def digest(key):
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def create_integration_account(*, username, display_name, role, federation=None, chamber=None,
                               department=None, enterprise=None):
    """An account for a calling system: a role and its scope like any user, no password, no mobile."""
    from .services import create_user

    if Role(role) in SEPARATED_ROLES:
        raise ValidationError("系统管理员和审计员的角色不能用于接口集成账号。")
    user = create_user(actor=None, username=username, password=secrets.token_urlsafe(32), role=role,
                       display_name=display_name, federation=federation, chamber=chamber, department=department,
                       enterprise=enterprise, audit=False)
    user.set_unusable_password()
    user.is_integration = True
    user.save(update_fields=["password", "is_integration"])
    record(AuditAction.CREATE, obj=user, detail={"role": Role(role).value, "integration": True, "via": "command"})
    return user


@transaction.atomic
def issue(*, user, name, days=MAX_DAYS):
    """Issue a token to an integration account; returns (token, key). The key is not stored: show it once."""
    if not user.is_integration or not user.is_active:
        raise ValidationError("只有在用的接口集成账号可以持有令牌。")
    if role_of(user) is None or role_of(user) in SEPARATED_ROLES:
        raise ValidationError("该账号的角色不能使用令牌。")
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError(f"令牌有效期须为 1 至 {MAX_DAYS} 天。")
    if not name.strip():
        raise ValidationError("请填写令牌用途。")
    key = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name.strip()[:100], prefix=key[:12], key_hash=digest(key),
                                    expires_at=timezone.now() + timedelta(days=days))
    record(AuditAction.CREATE, obj=token, detail={"via": "command", "user": user.username, "days": days})
    return token, key


@transaction.atomic
def revoke(*, user, prefix):
    """Revoke one of the account's tokens by its prefix (as `api_token list` shows it)."""
    token = ApiToken.objects.select_for_update().filter(user=user, prefix=prefix).first()
    if token is None:
        raise ValidationError("该账号没有这个令牌。")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(AuditAction.UPDATE, obj=token, detail={"via": "command", "revoked": True, "user": user.username})
    return token


def authenticate(key):
    """The user and token for a presented key, or a Chinese reason it is refused (ValidationError)."""
    token = ApiToken.objects.select_related("user").filter(key_hash=digest(key)).first()
    if token is None:
        raise ValidationError("令牌无效。")
    if token.revoked_at is not None:
        raise ValidationError("令牌已撤销。")
    if token.expires_at <= timezone.now():
        raise ValidationError("令牌已过期，请联系管理员重新签发。")
    user = token.user
    if not user.is_active:
        raise ValidationError("账号已停用。")
    if role_of(user) in SEPARATED_ROLES:
        raise ValidationError("系统管理员和审计员不能使用令牌访问接口，请登录后操作。")
    if not user.is_integration:
        raise ValidationError("只有接口集成账号可以使用令牌。")
    _audit_first_use_today(token)
    return user, token


def _audit_first_use_today(token):
    today = timezone.localdate()
    with transaction.atomic():
        first = ApiToken.objects.filter(pk=token.pk).exclude(last_used_on=today).update(last_used_on=today)
        if first:  # one winner per token per day, however many calls arrive together
            # the account is in use: `disable_inactive_accounts` reads last_login
            User.objects.filter(pk=token.user_id).update(last_login=timezone.now())
            record(AuditAction.LOGIN, actor=token.user, obj=token, detail={"via": "api_token"})


def tokens_of(user):
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def integration_account(username):
    user = User.objects.filter(username__iexact=username, is_integration=True).first()
    if user is None:
        raise ValidationError(f"没有名为 {username} 的接口集成账号。")
    return user
