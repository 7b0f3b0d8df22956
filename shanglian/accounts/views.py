import base64
import io

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from . import services, sms_login
from .forms import LoginForm, OTPTokenForm, SmsLoginForm, ThrottledPasswordChangeForm
from .models import TOTPDevice


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


def _client_ip(request):
    """The client address as the lockout sees it (axes resolves proxies per settings)."""
    AxesProxyHandler.update_request(request)
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR", "")


def _is_locked(request):
    return lambda username: AxesProxyHandler.is_locked(request, {"username": username})


def _safe_next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("mobile", "code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def sms_login_view(request):
    """短信验证码登录: 获取验证码 (`action=send`) and 登录 post the same form; the answer to 获取验证码 is the
    same whether or not the mobile is an enterprise user's (see `sms_login`)."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    sending = request.method == "POST" and request.POST.get("action") == "send"
    form = SmsLoginForm(request.POST or None, for_sending=sending)
    context = {"form": form, "next": request.POST.get("next") or request.GET.get("next", ""), "wait": 0,
               "sent": None, "throttled": None, "code_minutes": settings.SMS_LOGIN_CODE_TTL // 60}
    status = 200
    if request.method == "POST" and not form.is_valid():
        status = 400
    elif sending:
        try:
            context["sent"] = sms_login.request_code(
                mobile=form.cleaned_data["mobile"], ip=_client_ip(request), is_locked=_is_locked(request))
            context["wait"] = settings.SMS_LOGIN_RESEND_SECONDS
            form.fields["code"].widget.attrs["autofocus"] = True
        except sms_login.Throttled as refused:
            context["throttled"], context["wait"], status = str(refused), refused.wait, 429
        except ValidationError as error:
            form.add_error("mobile", error)
            status = 400
    elif request.method == "POST":
        user = authenticate(request, **sms_login.sign_in_credentials(form.cleaned_data["mobile"],
                                                                     form.cleaned_data["code"]))
        if user is not None:
            login(request, user)
            return redirect(_safe_next(request))
        form.add_error(None, sms_login.FAILED_MESSAGE)
        status = 400
        # 获取验证码 stays disabled for what is left of the resend interval.
        context["wait"] = sms_login.seconds_until_resend(form.cleaned_data["mobile"])
    return render(request, "accounts/sms_login.html", context, status=status)


def locked_out(request, credentials=None, *args, **kwargs):
    """django-axes lockout response: 429 with the Chinese explanation, no session."""
    return render(request, "accounts/locked_out.html", status=429)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    if request.user.is_verified():
        return redirect("workbench:home")
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.verify_second_factor(actor=request.user, request=request, token=form.cleaned_data["token"]):
            return redirect("workbench:home")
        form.add_error("token", "动态口令错误或已使用，请等待下一个口令后重试。")
    return render(request, "accounts/otp_verify.html", {"form": form})


def _qr_data_uri(text):
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    form = OTPTokenForm(request.POST or None)
    device = None
    if request.method == "POST":
        device = TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by("-id").first()
        if device is None:
            messages.error(request, "绑定已过期，请重新扫描二维码。")
            return redirect("accounts:otp_setup")
        if form.is_valid():
            if services.confirm_totp_setup(
                actor=request.user, request=request, device=device, token=form.cleaned_data["token"]
            ):
                messages.success(request, "双因素认证已启用。以后登录时需输入身份验证器中的动态口令。")
                return redirect("accounts:profile")
            form.add_error("token", "动态口令不正确，请确认手机时间准确后重试。")
    else:
        device = services.start_totp_setup(actor=request.user)
    return render(
        request,
        "accounts/otp_setup.html",
        {"form": form, "qr": _qr_data_uri(device.config_url), "breadcrumbs": [("个人中心", None)]},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = ThrottledPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.change_password(actor=request.user, user=request.user, new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, request.user)
        messages.success(request, "密码修改成功。")
        return redirect("workbench:home")
    return render(request, "accounts/password_change.html",
                  {"form": form, "breadcrumbs": [("个人中心", "accounts:profile"), ("修改密码", None)]})


@never_cache
@login_required
def profile(request):
    from django_otp import user_has_device

    return render(
        request,
        "accounts/profile.html",
        {"has_totp": user_has_device(request.user), "breadcrumbs": [("个人中心", None)]},
    )
