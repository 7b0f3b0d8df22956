from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

from shanglian.accounts.roles import Role, enterprise_only, role_of
from shanglian.audit.models import AuditAction, AuditResult
from shanglian.audit.services import record
from shanglian.ui.notices import notices_for
from shanglian.ui.panels import panels_for
from shanglian.ui.todos import todos_for


@login_required
def home(request):
    if role_of(request.user) == Role.ENTERPRISE:  # enterprises work on their phones: the H5 pages
        return redirect("appeals:h5_home")
    panels = panels_for(request.user)
    return render(request, "workbench/home.html", {
        "notices": notices_for(request.user), "todos": todos_for(request.user), "panels": panels,
        "charts": any(p.charts for p in panels)})


@enterprise_only
def h5_me(request):
    """我的 on the enterprise's phone pages: its own enterprise, the account, signing out."""
    return render(request, "workbench/h5_me.html", {"tab": "me", "enterprise": request.user.enterprise})


@requires_csrf_token
def permission_denied(request, exception=None):
    """403 page; every refusal is an audit row (who tried what, from where)."""
    user = getattr(request, "user", None)
    record(
        AuditAction.DENIED,
        actor=user if user is not None and user.is_authenticated else None,
        result=AuditResult.DENIED,
        object_type="path",
        object_id="",
        object_repr=request.path[:255],
    )
    return _api_answer(request, 403, "您没有执行该操作的权限。") or render(request, "403.html", status=403)


def _api_answer(request, status, detail):
    """The REST API answers in JSON even where Django, not DRF, answers (a path no route matches, an
    error outside a view): None for a page."""
    if not request.path.startswith("/api/"):
        return None
    answer = JsonResponse({"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False})
    answer["Cache-Control"] = "no-store"
    return answer


def page_not_found(request, exception=None):
    return _api_answer(request, 404, "未找到。") or defaults.page_not_found(request, exception)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


def server_error(request):
    answer = _api_answer(request, 500, f"服务器内部错误，请稍后再试（请求编号 {getattr(request, 'request_id', '')}）。")
    if answer is not None:
        return answer
    return render(request, "500.html", {"request_id": getattr(request, "request_id", "")}, status=500)
