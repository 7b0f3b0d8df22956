"""Writes on users: every one takes the acting user, checks permission, is atomic and audited."""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp import login as otp_login

from shanglian.audit.models import AuditAction, AuditResult
from shanglian.audit.services import record
from shanglian.common.validators import validate_mobile

from .models import TOTPDevice, User
from .roles import Role, require_role


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
        record(AuditAction.CREATE, actor=actor, obj=user, detail={"role": role.value})
    return user


@transaction.atomic
def change_password(*, actor, user, new_password):
    if actor.pk != user.pk:
        require_role(actor, Role.SYSADMIN)
    user.set_password(new_password)
    user.save(update_fields=["password", "password_changed_at"])
    record(AuditAction.PASSWORD_CHANGE, actor=actor, obj=user)
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
