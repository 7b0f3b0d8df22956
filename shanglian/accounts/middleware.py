import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from shanglian.audit import context as audit_context
from shanglian.audit.models import AuditAction
from shanglian.audit.services import record

from .roles import role_of

ALWAYS_ALLOWED_PREFIXES = ("/static/", "/favicon.ico")


def _redirect(request, url):
    """Redirect a page, an htmx request (HX-Redirect) or an API call (401 JSON)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "请先完成身份验证。"}, status=401)
    if getattr(request, "htmx", False):
        response = HttpResponseRedirect(url)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


class SessionTimeoutMiddleware:
    """30 minutes idle and 12 hours absolute: then the session row is deleted and login is asked again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        ctx = audit_context.current()
        if ctx is not None:
            ctx.user = user
        if user is not None and user.is_authenticated:
            now = time.time()
            last = request.session.get("last_activity", now)
            started = request.session.get("auth_started", now)
            if now - last > settings.SESSION_IDLE_TIMEOUT or now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
                record(AuditAction.SESSION_TIMEOUT, actor=user)
                logout(request)  # flushes: the session row is deleted
                messages.warning(request, "会话已超时，请重新登录。")
                login_url = resolve_url(settings.LOGIN_URL)
                return _redirect(request, f"{login_url}?{urlencode({'next': request.get_full_path()})}")
            request.session["last_activity"] = now
            request.session.setdefault("auth_started", now)
        return self.get_response(request)


def needs_second_factor(user):
    """Required for the roles in OTP_REQUIRED_ROLES, and for anyone who has enabled it."""
    from django_otp import user_has_device

    if user.get_username() in settings.OTP_DEMO_EXEMPT_USERNAMES:
        return False
    role = role_of(user)
    return (role is not None and role.value in settings.OTP_REQUIRED_ROLES) or user_has_device(user)


def _signed_in_user(request):
    """The authenticated user of a request that a login gate applies to (not static files), else None."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or request.path.startswith(ALWAYS_ALLOWED_PREFIXES):
        return None
    return user


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = _signed_in_user(request)
        if user is not None and not user.is_verified():
            allowed = {reverse("accounts:otp_verify"), reverse("accounts:otp_setup"), reverse("accounts:logout")}
            if request.path not in allowed and needs_second_factor(user):
                from django_otp import user_has_device

                target = "accounts:otp_verify" if user_has_device(user) else "accounts:otp_setup"
                return _redirect(request, reverse(target))
        return self.get_response(request)


class PasswordExpiryMiddleware:
    """等保 -01: a password older than PASSWORD_MAX_AGE_DAYS must be changed before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = _signed_in_user(request)
        if user is not None and settings.PASSWORD_MAX_AGE_DAYS > 0:
            changed = user.password_changed_at
            expired = changed is None or timezone.now() - changed > timezone.timedelta(
                days=settings.PASSWORD_MAX_AGE_DAYS
            )
            allowed = {reverse("accounts:password_change"), reverse("accounts:logout"),
                       reverse("accounts:otp_verify"), reverse("accounts:otp_setup")}
            if expired and request.path not in allowed:
                messages.warning(request, "您的密码已过期或为初始密码，请先修改密码。")
                return _redirect(request, reverse("accounts:password_change"))
        return self.get_response(request)
