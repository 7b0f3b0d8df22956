"""入会申请 on the enterprise's phone (H5): 申请入会 (the 入会申请表 with its files, or why it cannot apply now), 我的入会申请
(its applications and their results), one application (its answer, the reason of a refusal, 撤回申请 while 待审核).
Enterprise users only (403 otherwise); everything starts from `selectors.scopes.applications_visible_to`."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from shanglian.accounts.roles import enterprise_only, role_of
from shanglian.common.errors import Refused
from shanglian.common.masking import mask_mobile
from shanglian.ui.shortcuts import get_visible_or_404

from .forms.applications import ApplicationForm
from .models import MembershipApplication
from .selectors import applications as selectors
from .selectors.scopes import applications_visible_to
from .services import applications as services
from .workflow import APPLICATION_FLOW

A = MembershipApplication.Status
STATUS_TAGS = {A.SUBMITTED: "warning", A.APPROVED: "success", A.REFUSED: "danger", A.WITHDRAWN: "muted"}


def _messages_of(exc):
    return list(exc.messages) if isinstance(exc, ValidationError) else [str(exc)]


@enterprise_only
def apply(request):
    """申请入会: the form, or — a member already, an application pending — why not (with a link to it)."""
    user = request.user
    refusal = services.apply_refusal(user)
    if refusal and request.method != "POST":
        pending = services.open_application(user.enterprise.federation_id, user.enterprise_id) \
            if user.enterprise_id else None
        return render(request, "growth/h5/apply.html", {"refusal": refusal, "pending": pending, "tab": "me"})
    enterprise = user.enterprise
    errors, had_files = [], False
    if request.method == "POST":
        form = ApplicationForm(request.POST, request.FILES, enterprise=enterprise)
        had_files = any(request.FILES.getlist(name) for name in ("licence_files", "identity_files", "other_files"))
        if form.is_valid():
            try:
                application = services.submit_application(actor=user, **form.application_data())
            except Refused as exc:
                errors = [exc.message]
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for name, field_errors in exc.error_dict.items():
                        form.add_error(name if name in form.fields else None, field_errors)
                else:
                    errors = _messages_of(exc)
            else:
                messages.success(request, f"入会申请已提交，申请编号 {application.number}，请等待工商联审核。")
                return redirect("growth:h5_application", pk=application.pk)
    else:
        form = ApplicationForm(enterprise=enterprise)
    return render(request, "growth/h5/apply.html", {
        "form": form, "errors": errors, "federation": enterprise.federation,
        "rechoose_files": had_files and bool(errors or form.errors), "tab": "me",
    }, status=400 if request.method == "POST" else 200)


@enterprise_only
def my_applications(request):
    applications = list(selectors.my_applications(request.user).select_related("chamber"))
    return render(request, "growth/h5/applications.html", {
        "cards": [{"application": a, "tag": STATUS_TAGS.get(a.status, "muted")} for a in applications],
        "refusal": services.apply_refusal(request.user), "tab": "me",
    })


def _detail(request, application, *, errors=(), status=200):
    role = role_of(request.user)
    return render(request, "growth/h5/application.html", {
        "application": application, "tag": STATUS_TAGS.get(application.status, "muted"),
        "contact_mobile": mask_mobile(application.contact_mobile),
        "attachments": selectors.attachments_of(application),
        "can_withdraw": APPLICATION_FLOW.allows("withdraw_application", application, role=role),
        "errors": list(errors), "tab": "me",
    }, status=status)


def _own(request, pk):
    return get_visible_or_404(applications_visible_to(request.user).select_related("federation", "membership"), pk)


@enterprise_only
def my_application(request, pk):
    return _detail(request, _own(request, pk))


@require_POST
@enterprise_only
def withdraw(request, pk):
    application = _own(request, pk)
    try:
        services.withdraw_application(actor=request.user, application=application)
    except Refused as exc:
        application.refresh_from_db()
        return _detail(request, application, errors=[exc.message], status=409)
    messages.success(request, "入会申请已撤回，您可以修改后重新申请。")
    return redirect("growth:h5_application", pk=application.pk)
