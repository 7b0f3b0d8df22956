"""The invitee's phone pages (mobile-first H5, opened inside WeChat): 我的活动 (the enterprise's invitations),
one invitation — the 请柬, the answer (参加/不参加/代为参加), the personal QR code the door scans, the event's
materials and, after the event, the feedback form — and 扫码签到, where the invitee scans the event's posted
签到码 and checks themself in. Enterprise users only; everything starts from `selectors.my_invitations`.
"""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shanglian.accounts.roles import enterprise_only
from shanglian.common.errors import Refused
from shanglian.common.uploads import download_response
from shanglian.common.validators import is_id
from shanglian.ui.shortcuts import get_visible_or_404

from . import invitee, qr, selectors, services, tokens
from .h5_forms import CheckInForm, FeedbackForm, RsvpForm
from .models import Invitation, Scan

PAST_PER_PAGE = 20
# The three answers of a scan, as the page shows them: (class, icon, heading).
ANSWER_LOOKS = {
    Scan.Result.OK: ("ok", "✓", "签到成功"),
    Scan.Result.ALREADY: ("already", "!", "已签到"),
    Scan.Result.REFUSED: ("refused", "✕", "拒绝签到"),
}


def _render(request, template, context, status=200):
    """Every page of the invitee: the 活动 tab is the active one."""
    return render(request, template, {**context, "tab": "events"}, status=status)


def _errors(exc):
    return list(exc.messages) if isinstance(exc, ValidationError) else [str(exc)]


def _card(invitation, *, pending=False):
    return {
        "invitation": invitation,
        "event": invitation.event,
        "tag": invitee.STATUS_TAGS.get(invitation.status, "muted"),
        "pending": pending,
    }


# --- 我的活动 --------------------------------------------------------------------------------------------------
@enterprise_only
def my_invitations(request):
    """待回复 first (the soonest deadline first), then the events not yet over (the soonest first), then the past ones
    (the latest first, paged)."""
    user, now = request.user, timezone.now()
    mine = invitee.mine(user)
    pending = list(mine.filter(pk__in=selectors.pending_invitations(user).values("pk"))
                   .order_by("event__rsvp_deadline", "event__starts_at", "id"))
    upcoming = list(mine.filter(event__ends_at__gt=now).exclude(pk__in=[i.pk for i in pending])
                    .order_by("event__starts_at", "id"))
    past_page = Paginator(mine.filter(event__ends_at__lte=now), PAST_PER_PAGE).get_page(request.GET.get("page"))
    return _render(request, "events/h5/list.html", {
        "pending": [_card(i, pending=True) for i in pending],
        "upcoming": [_card(i) for i in upcoming],
        "past": [_card(i) for i in past_page.object_list],
        "past_page": past_page,
        "now": now,
    })


# --- one invitation --------------------------------------------------------------------------------------------
def _invitation(request, pk):
    return get_visible_or_404(invitee.mine(request.user).prefetch_related("event__attachments"), pk)


def _page_context(request, invitation, *, rsvp_form=None, feedback_form=None, errors=()):
    now = timezone.now()
    event = invitation.event
    attendance = invitee.attendance_of(invitation)
    shows_code = invitee.shows_code(invitation, checked_in=attendance.checked_in)
    refusal = invitee.rsvp_refusal(invitation, now)
    takes_feedback = invitee.takes_feedback(invitation, attendance, now)
    return {
        "invitation": invitation,
        "event": event,
        "tag": invitee.STATUS_TAGS.get(invitation.status, "muted"),
        "waitlist_position": invitee.waitlist_position(invitation),
        "attendance": attendance,
        "checkin": attendance.checkin,
        "rsvp_open": not refusal,
        "rsvp_refusal": refusal,
        # A refused or invalid form stays on the page with what was chosen and typed.
        "rsvp_form": rsvp_form or RsvpForm(initial={
            "answer": invitation.status if invitation.status in dict(RsvpForm.base_fields["answer"].choices)
            else None, "substitute_name": invitation.substitute_name}),
        "qr_svg": qr.invitation_svg(invitation) if shows_code else None,
        "checks_in_today": invitee.checks_in_today(event, now) and shows_code,
        "takes_feedback": takes_feedback or bool(feedback_form and feedback_form.is_bound),
        "feedback_form": feedback_form or FeedbackForm(),
        "materials": list(event.attachments.all()),
        "errors": list(errors),
        "now": now,
    }


@enterprise_only
def invitation_page(request, pk):
    invitation = _invitation(request, pk)
    return _render(request, "events/h5/invitation.html", _page_context(request, invitation))


def _answered(invitation):
    """The message after an answer, in the words the invitee needs."""
    status = invitation.status
    if status == Invitation.Status.WAITLISTED:
        position = invitee.waitlist_position(invitation)
        return f"名额已满，您已进入候补名单（第 {position} 位）。有名额空出时将通知您。"
    if status == Invitation.Status.SUBSTITUTE:
        return f"已回复：由 {invitation.substitute_name} 代为参加。签到时请出示请柬二维码。"
    if status == Invitation.Status.DECLINED:
        return "已回复：不参加。感谢您的回复。"
    return "已回复：参加。请按时出席，签到时出示请柬二维码。"


@require_POST
@enterprise_only
def invitation_rsvp(request, pk):
    invitation = _invitation(request, pk)
    form = RsvpForm(request.POST)
    if form.is_valid():
        try:
            answered = services.rsvp(actor=request.user, invitation=invitation, answer=form.cleaned_data["answer"],
                                     substitute_name=form.cleaned_data["substitute_name"])
        except Refused as exc:
            return _page_again(request, pk, rsvp_form=form, errors=[exc.message], status=409)
        except ValidationError as exc:
            return _page_again(request, pk, rsvp_form=form, errors=_errors(exc), status=400)
        messages.success(request, _answered(answered))
        return redirect("events:h5_invitation", pk=invitation.pk)
    errors = [e for field_errors in form.errors.values() for e in field_errors]
    return _page_again(request, pk, rsvp_form=form, errors=errors, status=400)


def _page_again(request, pk, *, status, **forms_and_errors):
    """The invitation page again (read afresh: nothing changed) with the refused form and its message."""
    invitation = _invitation(request, pk)
    return _render(request, "events/h5/invitation.html", _page_context(request, invitation, **forms_and_errors),
                   status=status)


@require_POST
@enterprise_only
def feedback(request, pk):
    invitation = _invitation(request, pk)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        return _page_again(request, pk, feedback_form=form, errors=errors, status=400)
    checkin = invitee.attendance_of(invitation).checkin
    if checkin is None:
        return _page_again(request, pk, feedback_form=form, errors=["签到参加活动后才能提交反馈。"], status=409)
    try:
        services.submit_feedback(actor=request.user, checkin=checkin, **form.cleaned_data)
    except Refused as exc:
        return _page_again(request, pk, errors=[exc.message], status=409)
    except ValidationError as exc:
        return _page_again(request, pk, feedback_form=form, errors=_errors(exc), status=400)
    messages.success(request, "反馈已提交，感谢您的参与。")
    return redirect("events:h5_invitation", pk=invitation.pk)


@enterprise_only
def material_download(request, pk, material_pk):
    """A material of the event, to an invitee of the user's enterprise only (404 otherwise, audited); a
    withdrawn invitation no longer opens them."""
    invitation = _invitation(request, pk)
    if invitation.status == Invitation.Status.CANCELLED:
        raise Http404("该请柬已取消，不能再查看活动资料。")
    attachment = get_object_or_404(invitation.event.attachments.all(), pk=material_pk)
    return download_response(services.ATTACHMENT_FOLDER, attachment)


# --- 扫码签到 ----------------------------------------------------------------------------------------------------
def _hinted(request, candidates):
    """The invitation the page was opened from (`?invitation=` / the form's `hint`), if it is the user's."""
    value = request.POST.get("hint") or request.GET.get("invitation") or ""
    if not value:
        return None
    if not is_id(value):
        raise Http404("您访问的记录不存在或无权查看。")
    return get_visible_or_404(candidates, value)


def _candidates_for(user, payload):
    """The user's invitations (not cancelled) to the event whose 签到码 was scanned: the choice offered when
    its enterprise has several invitees there."""
    try:
        token = tokens.read(payload)
    except tokens.BadToken:
        return []
    if token.kind != tokens.EVENT_PREFIX:
        return []
    return list(invitee.mine(user).filter(event_id=token.event_id).exclude(status=Invitation.Status.CANCELLED)
                .order_by("id"))


def _checkin_context(request, *, form, hint, answer=None, choices=(), errors=()):
    checkin_url = reverse("events:h5_checkin")
    look = ANSWER_LOOKS.get(answer.result) if answer is not None else None
    return {
        "form": form,
        "hint": hint,
        "answer": answer,
        "look": look,
        "choices": choices,
        "errors": list(errors),
        "nonce": uuid.uuid4().hex,  # the next scan's id: a page posted twice is answered once
        "action": checkin_url,
        "back_url": reverse("events:h5_invitation", args=[hint.pk]) if hint else reverse("events:h5_invitations"),
    }


@enterprise_only
def self_check_in(request):
    """GET: the scanner (camera, or a photo of the code) and a field for the code's text. POST: check in."""
    user = request.user
    candidates = invitee.mine(user).exclude(status=Invitation.Status.CANCELLED)
    hint = _hinted(request, candidates)
    if request.method != "POST":
        form = CheckInForm(invitations=candidates)
        return _render(request, "events/h5/checkin.html", _checkin_context(request, form=form, hint=hint))
    form = CheckInForm(request.POST, invitations=candidates)
    if not form.is_valid():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        return _render(request, "events/h5/checkin.html",
                       _checkin_context(request, form=form, hint=hint, errors=errors), status=400)
    data = form.cleaned_data
    chosen = data["invitation"]
    try:
        answer = services.self_check_in(actor=user, payload=data["payload"], invitation=chosen,
                                        nonce=data["nonce"])
    except Refused as exc:
        choices = _candidates_for(user, data["payload"]) if exc.code == "choose" else []
        if hint is not None and any(c.pk == hint.pk for c in choices) and chosen is None:
            # Opened from one invitation's page: that invitee is the one checking in.
            answer = services.self_check_in(actor=user, payload=data["payload"], invitation=hint,
                                            nonce=data["nonce"])
        else:
            return _render(request, "events/h5/checkin.html", _checkin_context(
                request, form=CheckInForm(initial={"payload": data["payload"]}, invitations=candidates), hint=hint,
                choices=choices, errors=[exc.message]), status=409)
    except ValidationError as exc:
        return _render(request, "events/h5/checkin.html",
                       _checkin_context(request, form=form, hint=hint, errors=_errors(exc)), status=400)
    return _render(request, "events/h5/checkin.html", _checkin_context(
        request, form=CheckInForm(invitations=candidates), hint=hint, answer=answer))
