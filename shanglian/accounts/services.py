"""Writes on users: every one takes the acting user, checks permission, is atomic and audited."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp import login as otp_login

from shanglian.audit.models import AuditAction, AuditEvent, AuditResult
from shanglian.audit.services import record
from shanglian.common.validators import validate_mobile

from .models import TOTPDevice, User
from .roles import Role, require_role

# 三员分立: the sysadmin never creates an auditor, sets an auditor's password or moves anyone to or from the
# auditor's role; the security officer does it on the server (`manage.py auditor`, docs/security.md).
AUDITOR_OUT_OF_BAND = "审计员账号的创建和密码重置只能由安全保密管理员在服务器上执行 manage.py auditor 完成。"


def ensure_role_groups():
    for role in Role:
        Group.objects.get_or_create(name=role.value)


@transaction.atomic
def create_user(*, actor, username, password, role, display_name="", federation=None, chamber=None,
                department=None, enterprise=None, mobile="", audit=True):
    """Create a user with exactly one role. `actor=None` is allowed only for system set-up commands."""
    if actor is not None:
        require_role(actor, Role.SYSADMIN)
    role = Role(role)
    if actor is not None and role == Role.AUDITOR:
        raise PermissionDenied(AUDITOR_OUT_OF_BAND)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError("用户名已存在。")
    scope_needed = {Role.CHAMBER: chamber, Role.DEPARTMENT: department, Role.ENTERPRISE: enterprise}
    if role in scope_needed and scope_needed[role] is None:
        raise ValidationError(f"{role.label}必须指定所属单位。")
    from django.contrib.auth.password_validation import validate_password

    user = User(username=username, display_name=display_name, federation=federation, chamber=chamber,
                department=department, enterprise=enterprise)
    if mobile:
        user.mobile = validate_mobile(mobile)
        user.clean()
    validate_password(password, user)
    user.set_password(password)
    user.is_staff = user.is_superuser = role == Role.SYSADMIN
    user.save()
    ensure_role_groups()
    user.groups.set([Group.objects.get(name=role.value)])
    if audit:
        record(AuditAction.CREATE, actor=actor, obj=user,
               detail={"role": {"old": None, "new": role.value}, "is_active": {"old": None, "new": True}})
    return user


def is_auditor_account(user):
    """Whether the account is in the auditor's group (active or not: `role_of` ignores disabled users)."""
    return user.pk is not None and user.groups.filter(name=Role.AUDITOR.value).exists()


REAUTH_THROTTLED = "密码错误次数过多，请 {minutes} 分钟后再试。"


def verify_reauth_password(*, actor, password, action, obj=None, detail=None, wrong_message="密码错误。"):
    """Re-entry of the actor's own password before a sensitive step (PII reveal, 修改密码's old password).

    After REAUTH_FAILURE_LIMIT failures within REAUTH_WINDOW (since the last success of `action`) even the
    right password is refused until the window has passed. Each failure and each refusal is an audit row of
    `action` (result failure / denied). Raises ValidationError with a Chinese message; returns None if right."""
    since = timezone.now() - settings.REAUTH_WINDOW
    last_ok = (AuditEvent.objects.filter(actor=actor, action=action, result=AuditResult.SUCCESS)
               .order_by("-id").values_list("timestamp", flat=True).first())
    failures = AuditEvent.objects.filter(actor=actor, action=action, result=AuditResult.FAILURE,
                                         detail__reauth="failed", timestamp__gte=since)
    if last_ok is not None:
        failures = failures.filter(timestamp__gt=last_ok)
    if failures.count() >= settings.REAUTH_FAILURE_LIMIT:
        record(action, actor=actor, obj=obj, result=AuditResult.DENIED, detail={"reauth": "throttled", **(detail or {})})
        raise ValidationError(REAUTH_THROTTLED.format(minutes=int(settings.REAUTH_WINDOW.total_seconds() // 60)))
    if not actor.check_password(password):
        record(action, actor=actor, obj=obj, result=AuditResult.FAILURE, detail={"reauth": "failed", **(detail or {})})
        raise ValidationError(wrong_message)


@transaction.atomic
def change_password(*, actor, user, new_password):
    """`actor=None` only for `manage.py auditor reset-password` (run on the server, out of band)."""
    if actor is not None and actor.pk != user.pk:
        require_role(actor, Role.SYSADMIN)
        if is_auditor_account(user):
            raise PermissionDenied(AUDITOR_OUT_OF_BAND)
    user.set_password(new_password)
    user.save(update_fields=["password", "password_changed_at"])
    record(AuditAction.PASSWORD_CHANGE, actor=actor, obj=user,
           detail={"via": "manage.py auditor"} if actor is None else {})
    return user


def start_totp_setup(*, actor):
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    return TOTPDevice.create_for(actor)


@transaction.atomic
def confirm_totp_setup(*, actor, request, device, token):
    if device.user_id != actor.pk:
        raise PermissionDenied("您没有访问该功能的权限。")
    if not device.verify_token(token):
        record(AuditAction.OTP_SETUP, actor=actor, result=AuditResult.FAILURE)
        return False
    TOTPDevice.objects.filter(user=actor, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    record(AuditAction.OTP_SETUP, actor=actor, obj=actor)
    return True


def verify_second_factor(*, actor, request, token):
    for device in TOTPDevice.objects.filter(user=actor, confirmed=True):
        if device.verify_token(token):
            otp_login(request, device)
            record(AuditAction.OTP_VERIFY, actor=actor)
            return True
    record(AuditAction.OTP_VERIFY, actor=actor, result=AuditResult.FAILURE)
    return False


@transaction.atomic
def disable_inactive_accounts(*, days, now=None):
    """等保 -07: accounts unused for `days` days are disabled (audited one by one)."""
    now = now or timezone.now()
    cutoff = now - timezone.timedelta(days=days)
    stale = User.objects.filter(is_active=True).filter(
        last_login__lt=cutoff
    ) | User.objects.filter(is_active=True, last_login__isnull=True, date_joined__lt=cutoff)
    disabled = []
    for user in stale.distinct():
        user.is_active = False
        user.save(update_fields=["is_active"])
        record(AuditAction.ACCOUNT_DISABLE, obj=user, detail={"inactive_days": days})
        disabled.append(user)
    return disabled



def disable_instead_of_delete(*, actor, user, via=""):
    """A user with audit history is disabled, not deleted (their audit rows must name them forever)."""
    user.disable_instead_of_delete(actor=actor, via=via)
    return user
