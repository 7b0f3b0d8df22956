import base64
import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import services
from .forms import LoginForm, OTPTokenForm
from .models import TOTPDevice


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


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
    form = PasswordChangeForm(request.user, request.POST or None)
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
