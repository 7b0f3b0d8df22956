from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import services
from .models import AuditAction, AuditResult


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    # A backend other than the password one says how the user signed in (e.g. {"method": "sms", "mobile":
    # the masked number}) in `user.login_audit_detail`; never a credential.
    services.record(AuditAction.LOGIN, actor=user, detail=getattr(user, "login_audit_detail", None))


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        services.record(AuditAction.LOGOUT, actor=user)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    # `audit_detail` is what a non-password sign-in passes alongside its credentials to describe the
    # attempt (method, masked mobile); Django has already starred the secret ones.
    detail = credentials.get("audit_detail")
    services.record(
        AuditAction.LOGIN_FAILED,
        username=credentials.get("username", ""),
        result=AuditResult.FAILURE,
        detail=detail if isinstance(detail, dict) else None,
    )


@receiver(user_locked_out)
def audit_lockout(sender, request, username, ip_address, **kwargs):
    services.record(
        AuditAction.LOCKOUT,
        username=username or "",
        result=AuditResult.DENIED,
        detail={"ip_address": ip_address},
    )
