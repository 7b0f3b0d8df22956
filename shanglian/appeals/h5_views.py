"""The enterprise's own appeal pages (mobile-first H5, opened inside WeChat): list, submit, follow,
rate, ask to reopen. Enterprise users only; everything starts from `selectors.appeals_visible_to`."""


from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from shanglian.accounts.roles import enterprise_only
from shanglian.common.errors import Refused
from shanglian.common.masking import mask
from shanglian.ui.shortcuts import get_visible_or_404

from . import selectors, services
from .h5_forms import H5AppealForm, H5RatingForm, H5ReopenForm
from .models import Assignment, Rating, Status

# Status → tag colour on the cards and the detail page.
STATUS_TAGS = {
    Status.SUBMITTED: "info",
    Status.ACCEPTED: "info",
    Status.ASSIGNED: "warning",
    Status.HANDLING: "warning",
    Status.REOPENED: "danger",
    Status.REPLIED: "success",
    Status.CLOSED: "muted",
    Status.REJECTED: "muted",
}


def _errors(exc):
    return list(exc.messages) if isinstance(exc, ValidationError) else [str(exc)]


def _offered(user, appeal):
    """What the transition table offers the enterprise on its appeal now: 评价 (已答复 and not rated in
    this round by anyone — a 不满意 keeps it 已答复 but rated), 重办 (after rating 不满意)."""
    return set(selectors.available_actions(user, appeal))


def _card(appeal, user):
    assignments = [a for a in appeal.assignments.all() if a.is_current]
    return {
        "appeal": appeal,
        "tag": STATUS_TAGS.get(appeal.status, "muted"),
        "departments": "、".join(a.department.name for a in assignments),
        "to_rate": "rate" in _offered(user, appeal),
    }


@enterprise_only
def h5_home(request):
    appeals = (selectors.appeals_visible_to(request.user)
               .prefetch_related(Prefetch("assignments", queryset=Assignment.objects.select_related("department"))))
    cards = [_card(a, request.user) for a in appeals]
    return render(request, "appeals/h5/home.html", {
        "cards": cards,
        "to_rate_count": sum(1 for c in cards if c["to_rate"]),
        "tab": "appeals",
    })


@enterprise_only
def h5_create(request):
    errors = []
    # 联系电话: an empty field takes the enterprise's registered contact mobile (shown masked as the hint).
    known_mobile = mask("mobile", request.user.enterprise.contact_mobile) if request.user.enterprise_id else ""
    if request.method == "POST":
        form = H5AppealForm(request.POST, request.FILES, known_mobile=known_mobile)
        if form.is_valid():
            data = form.cleaned_data
            try:
                appeal = services.submit_appeal(
                    actor=request.user, enterprise=request.user.enterprise, category=data["category"],
                    title=data["title"], content=data["content"], urgency=data["urgency"],
                    contact_name=data["contact_name"], contact_mobile=data["contact_mobile"], files=data["files"],
                    rights=services.RightsCase(counterpart=data["counterpart"],
                                               amount_involved=data["amount_involved"]),
                )
            except ValidationError as exc:
                errors = _errors(exc)
            else:
                messages.success(request, f"提交成功，诉求编号 {appeal.number}")
                return redirect("appeals:h5_detail", pk=appeal.pk)
        had_files = bool(request.FILES.getlist("files"))
    else:
        form = H5AppealForm(initial={"contact_name": request.user.display_name}, known_mobile=known_mobile)
        had_files = False
    return render(request, "appeals/h5/create.html", {
        "form": form,
        "errors": errors,
        "rechoose_files": had_files and (errors or form.errors),
        "tab": "create",
    }, status=400 if request.method == "POST" else 200)  # a refused form comes back with its messages


def _steps(appeal):
    steps = []
    for entry in appeal.timeline.select_related("department"):
        steps.append({
            "at": entry.at,
            "label": entry.action_label,
            "department": entry.department.name if entry.department_id else "",
            "note": entry.note if entry.action in selectors.PUBLIC_NOTES else "",
            "status": entry.get_to_status_display() if entry.to_status != entry.from_status else "",
        })
    return steps


def _detail_context(request, appeal, *, rating_form=None, reopen_form=None, errors=()):
    replies = selectors.assignments_visible_to(request.user, appeal).order_by("round", "replied_at")
    offered = _offered(request.user, appeal)
    return {
        "appeal": appeal,
        "tag": STATUS_TAGS.get(appeal.status, "muted"),
        "steps": list(reversed(_steps(appeal))),
        "departments": "、".join(
            a.department.name for a in appeal.current_assignments().select_related("department")),
        "replies": replies,
        "attachments": [a for a in appeal.attachments.select_related("timeline_entry__department")
                        if selectors.attachment_visible(request.user, a)],
        "to_rate": "rate" in offered,
        # A refused form stays on the page with what was typed, so nothing is lost.
        "can_rate": "rate" in offered or bool(rating_form and rating_form.is_bound),
        "can_reopen": "reopen" in offered or bool(reopen_form and reopen_form.is_bound),
        "ratings": appeal.ratings.all(),
        "contact_mobile": mask("mobile", appeal.contact_mobile),
        "rating_form": rating_form or H5RatingForm(),
        "reopen_form": reopen_form or H5ReopenForm(),
        "errors": list(errors),
        "tab": "appeals",
    }


@enterprise_only
def h5_detail(request, pk):
    appeal = get_visible_or_404(selectors.appeals_visible_to(request.user), pk)
    return render(request, "appeals/h5/detail.html", _detail_context(request, appeal))


def _act(request, pk, form_class, form_key, act):
    """POST a rating or a reopen request: success → back to the page with a message; refused or
    invalid → the page again with the message and what was typed."""
    appeal = get_visible_or_404(selectors.appeals_visible_to(request.user), pk)
    form = form_class(request.POST)
    errors = []
    if form.is_valid():
        try:
            text = act(appeal, form.cleaned_data)
        except Refused as exc:
            errors = [exc.message]
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            messages.success(request, text)
            return redirect("appeals:h5_detail", pk=appeal.pk)
    else:
        errors = [e for field_errors in form.errors.values() for e in field_errors]
    appeal.refresh_from_db()
    return render(request, "appeals/h5/detail.html",
                  _detail_context(request, appeal, errors=errors, **{form_key: form}))


@require_POST
@enterprise_only
def h5_rate(request, pk):
    def act(appeal, data):
        services.rate_appeal(actor=request.user, appeal=appeal, rating=data["rating"], comment=data["comment"])
        if data["rating"] == Rating.UNSATISFIED:
            return "评价成功。您对答复不满意，可以申请重办。"
        return "评价成功，感谢您的反馈。"

    return _act(request, pk, H5RatingForm, "rating_form", act)


@require_POST
@enterprise_only
def h5_reopen(request, pk):
    def act(appeal, data):
        services.reopen_appeal(actor=request.user, appeal=appeal, reason=data["reason"])
        return "已申请重办，承办部门将重新办理。"

    return _act(request, pk, H5ReopenForm, "reopen_form", act)
