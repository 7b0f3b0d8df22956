"""What an invitee sees of their invitation, read once for the phone pages (`h5_views`) and the API (`api`):
whether they may still answer, whether their personal QR code is shown, their place on the waitlist, whether
the event checks in today, and their attendance. Pure reads; the services decide again on every write.
"""

from dataclasses import dataclass

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from . import selectors
from .models import CheckIn, Event, Feedback, Invitation
from .workflow import CHECKIN_STATES

# The answers whose holder may be checked in at the door (a waitlisted one has no place yet; a declined one
# said they will not come, and a cancelled one cannot be checked in): their personal code is shown.
QR_STATUSES = (Invitation.Status.PENDING, Invitation.Status.ACCEPTED, Invitation.Status.SUBSTITUTE)
# The events whose invitees still need their code: after 已结束 or 已取消 nobody checks in.
QR_EVENT_STATES = CHECKIN_STATES

# Tag colours of an invitation's answer (the cards and the page).
STATUS_TAGS = {
    Invitation.Status.PENDING: "warning",
    Invitation.Status.ACCEPTED: "success",
    Invitation.Status.SUBSTITUTE: "success",
    Invitation.Status.DECLINED: "muted",
    Invitation.Status.WAITLISTED: "info",
    Invitation.Status.CANCELLED: "muted",
}


def mine(user):
    """The user's invitations (`selectors.my_invitations`) with the organiser's names and `checked_in_at`
    (the time of the invitation's check-in, or None) read in the same query."""
    checkin = CheckIn.objects.filter(invitation=OuterRef("pk")).order_by("id")
    return (selectors.my_invitations(user).select_related("event__committee")
            .annotate(checked_in_at=Subquery(checkin.values("checked_in_at")[:1])))


def rsvp_refusal(invitation, now=None):
    """Why the invitee cannot answer now (the words `services.rsvp` would refuse with), or "" when they can."""
    event, now = invitation.event, now or timezone.now()
    if invitation.status == Invitation.Status.CANCELLED:
        return "该请柬已取消，无需回复。"
    if event.status == Event.Status.CANCELLED:
        return "活动已取消。"
    if event.status == Event.Status.PUBLISHED:
        return "活动尚未开放报名，开放后即可在此回复。"
    if event.status != Event.Status.REGISTRATION:
        return f"活动{event.get_status_display()}，报名已结束。"
    closes = event.rsvp_closes_at()
    if now >= closes:
        return f"报名已于{timezone.localtime(closes):%Y年%m月%d日 %H:%M}截止。"
    return ""


def shows_code(invitation, *, checked_in):
    """Whether the personal QR code is shown: an answer that may check in, an event still checking in, not
    yet checked in (then the page says 已签到 with the time instead)."""
    return (not checked_in and invitation.status in QR_STATUSES
            and invitation.event.status in QR_EVENT_STATES)


def checks_in_today(event, now=None):
    """The event takes check-ins now: a state that checks in, within its days (`Event.checkin_window`)."""
    if event.status not in CHECKIN_STATES:
        return False
    opens, closes = event.checkin_window()
    return opens <= (now or timezone.now()) < closes


def waitlist_position(invitation):
    """1 for the first on the event's waitlist (they are promoted in the order they answered), else None."""
    if invitation.status != Invitation.Status.WAITLISTED:
        return None
    ahead = invitation.event.invitations.filter(status=Invitation.Status.WAITLISTED)
    if invitation.responded_at is not None:
        ahead = ahead.filter(Q(responded_at__lt=invitation.responded_at)
                             | Q(responded_at=invitation.responded_at, id__lt=invitation.pk)
                             | Q(responded_at__isnull=True))
    else:
        ahead = ahead.filter(responded_at__isnull=True, id__lt=invitation.pk)
    return ahead.count() + 1


@dataclass
class Attendance:
    """The invitee's own attendance: the check-in (or None) and its feedback (or None)."""

    checkin: object = None
    feedback: object = None

    @property
    def checked_in(self):
        return self.checkin is not None


def attendance_of(invitation):
    checkin = CheckIn.objects.select_related("checked_in_by").filter(invitation=invitation).order_by("id").first()
    feedback = Feedback.objects.filter(checkin=checkin).first() if checkin is not None else None
    return Attendance(checkin=checkin, feedback=feedback)


def takes_feedback(invitation, attendance, now=None):
    """The feedback form is offered after the event started, to a checked-in invitee who has not answered it."""
    event = invitation.event
    return (attendance.checked_in and attendance.feedback is None and event.status != Event.Status.CANCELLED
            and (now or timezone.now()) >= event.starts_at)
