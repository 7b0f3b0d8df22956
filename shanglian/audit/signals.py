from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import services
from .models import AuditAction, AuditResult


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    services.record(AuditAction.LOGIN, actor=user)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        services.record(AuditAction.LOGOUT, actor=user)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    services.record(
        AuditAction.LOGIN_FAILED,
        username=credentials.get("username", ""),
        result=AuditResult.FAILURE,
    )


@receiver(user_locked_out)
def audit_lockout(sender, request, username, ip_address, **kwargs):
    services.record(
        AuditAction.LOCKOUT,
        username=username or "",
        result=AuditResult.DENIED,
        detail={"ip_address": ip_address},
    )
