"""Scoped reads of events: every page, export, figure and API call starts here.

Who sees what:
- the federation (staff, sysadmin, leader): every event of its federations;
- a chamber secretary: the events its chamber organises, nothing else;
- an enterprise user: its own invitations (to the enterprise, or to a person who came for it) of
  events past their draft — never the event list;
- a department: no events (403); the rotating-chair roster is the one page every role reads.
"""


from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from shanglian.accounts.roles import (
    ALL_ROLES,
    EVENT_READER_ROLES,
    FEDERATION_ROLES,
    ORGANISER_ROLES,
    Role,
    require_role,
    role_of,
)
from shanglian.common.periods import MONTH, Period, day_bounds
from shanglian.common.selectors import filtered
from shanglian.orgs.models import Position, Term
from shanglian.orgs.selectors import count_of, federation_ids_in_scope

from .models import (
    CHAMBER_BODIES,
    PLACE_STATUSES,
    Body,
    ChairDuty,
    CheckIn,
    Event,
    EventAppeal,
    Invitation,
    QuorumRule,
    Scan,
)

# The titles whose holders (in the body's current term) are a statutory body's members.
BODY_TITLES = {
    Body.CONGRESS: tuple(Position.Title.values),
    Body.EXECUTIVE: (Position.Title.CHAIRMAN, Position.Title.VICE_CHAIRMAN, Position.Title.STANDING,
                     Position.Title.EXECUTIVE),
    Body.STANDING: (Position.Title.CHAIRMAN, Position.Title.VICE_CHAIRMAN, Position.Title.STANDING),
    Body.CHAIR_OFFICE: (Position.Title.CHAIRMAN, Position.Title.VICE_CHAIRMAN),
    Body.CHAMBER_BOARD: (Position.Title.PRESIDENT, Position.Title.VICE_PRESIDENT,
                         Position.Title.SECRETARY_GENERAL, Position.Title.DIRECTOR),
}
# Who may be the rotating chair: the federation's 主席/副主席, a chamber's 会长/副会长.
CHAIR_TITLES = (Position.Title.CHAIRMAN, Position.Title.VICE_CHAIRMAN)
CHAMBER_CHAIR_TITLES = (Position.Title.PRESIDENT, Position.Title.VICE_PRESIDENT)
LIVE_STATUSES = tuple(s for s in Invitation.Status.values if s != Invitation.Status.CANCELLED)
DEFAULT_RULE = QuorumRule(quorum_numerator=2, quorum_denominator=3, pass_numerator=1, pass_denominator=2)


# --- events ------------------------------------------------------------------------------------------------
def events_visible_to(user):
    """The events a back-office role sees (see the module's docstring); 403 for the others."""
    role = role_of(user)
    qs = Event.objects.select_related("kind", "federation", "chamber", "committee", "programme")
    if role in FEDERATION_ROLES:
        return qs.filter(federation_id__in=federation_ids_in_scope(user))
    if role == Role.CHAMBER:
        return qs.filter(chamber_id=user.chamber_id) if user.chamber_id else qs.none()
    raise PermissionDenied("您没有访问该功能的权限。")


def events_editable_by(user):
    """Editors: every event of their federations; a chamber secretary: its chamber's. Leaders read only (403)."""
    require_role(user, *ORGANISER_ROLES)
    return events_visible_to(user)


def event_list(user, *, filters=None):
    filters = filters or {}
    qs = filtered(events_visible_to(user), filters, {
        "kind": "kind_id", "status": "status", "organiser": "organiser", "chamber": "chamber_id",
        "programme": "programme_id"})
    # days as instants (local midnight), so that the list's index on starts_at serves the range
    if filters.get("from"):
        qs = qs.filter(starts_at__gte=day_bounds(filters["from"])[0])
    if filters.get("to"):
        qs = qs.filter(starts_at__lt=day_bounds(filters["to"])[1])
    if filters.get("year"):
        qs = qs.filter(starts_at__year=filters["year"])
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(number__iexact=q) | Q(venue__icontains=q))
    return qs


def with_attendance(events):
    """`events` annotated with `invited` (invitations not cancelled), `places` (参加 or 代为参加) and
    `attended` (check-ins, walk-ins included), each a count in SQL (a list page's columns)."""
    return events.annotate(
        invited=count_of(Invitation, "event", status__in=LIVE_STATUSES),
        places=count_of(Invitation, "event", status__in=PLACE_STATUSES),
        attended=count_of(CheckIn, "event"),
    )


def attendance(event):
    """The door's figures of one event: invited, replied by answer, places taken, checked in."""
    counts = dict(event.invitations.values_list("status").annotate(n=Count("id")).order_by())
    invited = sum(n for status, n in counts.items() if status != Invitation.Status.CANCELLED)
    checkins = event.checkins.aggregate(total=Count("id"), invited=Count("invitation"))
    return {
        "invited": invited,
        "by_status": {status: counts.get(status, 0) for status in Invitation.Status.values},
        "places": sum(counts.get(s, 0) for s in PLACE_STATUSES),
        "capacity": event.capacity,
        "checked_in": checkins["total"],
        "checked_in_invited": checkins["invited"],
        "walk_ins": checkins["total"] - checkins["invited"],
    }


def places_taken(event):
    return event.invitations.filter(status__in=PLACE_STATUSES).count()


# --- invitations -------------------------------------------------------------------------------------------
def invitations_of(user, event):
    """An event's invitations for its organiser (the event must be visible), each with `checked_in` (the
    check-in row's time, or None)."""
    if not events_visible_to(user).filter(pk=event.pk).exists():
        raise PermissionDenied("您无权查看该活动的请柬。")
    first = CheckIn.objects.filter(invitation=OuterRef("pk"))
    return (event.invitations.select_related("person", "enterprise")
            .annotate(checked_in=Exists(first)).order_by("id"))


def my_invitations(user):
    """An enterprise user's invitations: its enterprise's, of events published at least, newest first."""
    require_role(user, Role.ENTERPRISE)
    if not user.enterprise_id:
        return Invitation.objects.none()
    return (Invitation.objects.filter(enterprise_id=user.enterprise_id)
            .exclude(event__status=Event.Status.DRAFT)
            .select_related("event", "event__kind", "event__federation", "event__chamber", "person")
            .order_by("-event__starts_at", "-id"))


def pending_invitations(user):
    """My invitations still waiting for an answer, RSVP open (the enterprise's 待回复)."""
    now = timezone.now()
    return my_invitations(user).filter(
        status=Invitation.Status.PENDING, event__status=Event.Status.REGISTRATION).filter(
        Q(event__rsvp_deadline__gt=now) | Q(event__rsvp_deadline__isnull=True, event__starts_at__gt=now))


def door_search(event, query, *, limit=10):
    """The manual fallback at the door: invitations of `event` by a name fragment or the mobile's last 4."""
    query = (query or "").strip()
    if not query:
        return Invitation.objects.none()
    qs = event.invitations.exclude(status=Invitation.Status.CANCELLED)
    if query.isascii() and query.isdigit() and len(query) == 4:
        qs = qs.filter(Q(mobile_tail=query) | Q(name__icontains=query))
    else:
        qs = qs.filter(Q(name__icontains=query) | Q(substitute_name__icontains=query)
                       | Q(enterprise__name__icontains=query))
    first = CheckIn.objects.filter(invitation=OuterRef("pk"))
    return qs.select_related("enterprise").annotate(checked_in=Exists(first)).order_by("name", "id")[:limit]


def checkins_visible_to(user):
    """Check-ins of the events the user sees (the figures and the sign-in sheet start here)."""
    role = role_of(user)
    if role in FEDERATION_ROLES:
        return CheckIn.objects.filter(event__federation_id__in=federation_ids_in_scope(user))
    if role == Role.CHAMBER:
        return CheckIn.objects.filter(event__chamber_id=user.chamber_id) if user.chamber_id \
            else CheckIn.objects.none()
    raise PermissionDenied("您没有访问该功能的权限。")


def programmes_visible_to(user):
    """The programmes whose figures a user reads: its federations'; a chamber secretary's, those its
    chamber's events belong to (no other programme is named to it)."""
    from .models import Programme

    role = role_of(user)
    if role in FEDERATION_ROLES:
        return Programme.objects.filter(federation_id__in=federation_ids_in_scope(user))
    if role == Role.CHAMBER:
        return Programme.objects.filter(pk__in=events_visible_to(user).filter(
            programme__isnull=False).order_by().values("programme_id"))
    raise PermissionDenied("您没有访问该功能的权限。")


def event_checkins(user, event, *, q="", method=""):
    """The sign-in sheet of an event the user sees: its check-ins, searched by name, organisation or mobile tail."""
    qs = checkins_visible_to(user).filter(event=event).select_related("checked_in_by")
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(organisation__icontains=q) | Q(mobile_tail=q))
    if method:
        qs = qs.filter(method=method)
    return qs


def scans_of(user, event):
    """The scan log of an event (every attempt and its answer), newest first."""
    if not events_visible_to(user).filter(pk=event.pk).exists():
        raise PermissionDenied("您无权查看该活动的签到记录。")
    return Scan.objects.filter(event=event).select_related("scanned_by", "checkin").order_by("-scanned_at", "-id")


# --- statutory meetings ----------------------------------------------------------------------------------
def current_term(event):
    """The term of the event's body in force on the event's day: the federation's, or its chamber's."""
    day = timezone.localtime(event.starts_at).date()
    terms = Term.objects.filter(federation_id=event.federation_id, start__lte=day).filter(
        Q(end__isnull=True) | Q(end__gte=day))
    if event.body in CHAMBER_BODIES:
        terms = terms.filter(chamber_id=event.chamber_id) if event.chamber_id else terms.none()
    else:
        terms = terms.filter(chamber__isnull=True)
    return terms.order_by("-start").first()


def body_members(event):
    """The positions whose holders are the body's members on the meeting's day (one per person), for the
    attendee list. A chamber's 会员大会 has its member enterprises instead (`body_member_enterprises`)."""
    if event.body not in BODY_TITLES:
        return Position.objects.none()
    term = current_term(event)
    if term is None:
        return Position.objects.none()
    day = timezone.localtime(event.starts_at).date()
    positions = (Position.objects.filter(term=term, title__in=BODY_TITLES[event.body])
                 .filter(Q(start__isnull=True) | Q(start__lte=day)).filter(Q(end__isnull=True) | Q(end__gte=day))
                 .select_related("person").order_by("person_id", "id"))
    seen, chosen = set(), []
    for position in positions:
        if position.person_id not in seen:
            seen.add(position.person_id)
            chosen.append(position)
    return chosen


def body_member_enterprises(event):
    """A chamber's 会员大会: its member enterprises in force."""
    from shanglian.members.models import ChamberMembership, Enterprise

    if event.body != Body.CHAMBER_ASSEMBLY or not event.chamber_id:
        return Enterprise.objects.none()
    return Enterprise.objects.filter(chamber_memberships__chamber_id=event.chamber_id,
                                     chamber_memberships__status=ChamberMembership.Status.ACTIVE).order_by("id")


def rule_for(event):
    """The quorum rule of the event's body (the federation's row, or the charter's default)."""
    return QuorumRule.objects.filter(federation_id=event.federation_id, body=event.body).first() or DEFAULT_RULE


def quorum(event):
    """应到 (the body's members invited, invitations not cancelled), 实到 (of them, checked in), the minimum
    present and whether it is met."""
    rule = rule_for(event)
    members = event.invitations.exclude(status=Invitation.Status.CANCELLED)
    if event.body == Body.CHAMBER_ASSEMBLY:
        members = members.filter(person__isnull=True, enterprise__in=body_member_enterprises(event))
    else:  # guests invited to sit in (列席) are neither 应到 nor 实到
        members = members.filter(person_id__in=[p.person_id for p in body_members(event)])
    eligible = members.count()
    present = CheckIn.objects.filter(event=event, invitation__in=members).count()
    needed = -(-eligible * rule.quorum_numerator // rule.quorum_denominator)  # ceil
    return {"eligible": eligible, "present": present, "needed": needed,
            "met": eligible > 0 and present >= needed, "rule": str(rule) if rule.pk else
            f"出席≥{rule.quorum_numerator}/{rule.quorum_denominator}，赞成>{rule.pass_numerator}/{rule.pass_denominator}",
            "rule_obj": rule}


# --- the rotating chair ----------------------------------------------------------------------------------
def home_federation_id(user):
    """The federation whose roster a user reads: its own, its chamber's, department's or enterprise's. Every
    role but the auditor, who reads the audit log only (三员分立; the menu offers the roster to the others)."""
    role = role_of(user)
    if role not in ALL_ROLES or role == Role.AUDITOR:
        raise PermissionDenied("您没有访问该功能的权限。")
    if user.federation_id:
        return user.federation_id
    for scope in ("chamber", "department", "enterprise"):
        if getattr(user, f"{scope}_id", None):
            return getattr(user, scope).federation_id
    return None


def roster(user, *, year, chamber=None):
    """The rotating chair's months of `year`: the federation's (every role reads it) or, with `chamber`,
    that chamber's (the federation and the chamber itself)."""
    if chamber is not None:
        require_role(user, *EVENT_READER_ROLES)
        from shanglian.orgs.selectors import chambers_in_scope

        if not chambers_in_scope(user).filter(pk=chamber.pk).exists():
            raise PermissionDenied("您无权查看该商会的轮值安排。")
        qs = ChairDuty.objects.filter(chamber=chamber)
    else:
        federation_id = home_federation_id(user)
        qs = ChairDuty.objects.filter(federation_id=federation_id, chamber__isnull=True)
    return (qs.filter(month__year=year).select_related("position", "position__person", "position__term")
            .annotate(entries=Count("log")).order_by("month"))


def chair_candidates(*, federation, chamber=None, month):
    """Positions that may hold the chair in `month`: 主席/副主席 of the federation's term (会长/副会长 of
    the chamber's) in force on the month's first day."""
    terms = Term.objects.filter(federation=federation, start__lte=month).filter(
        Q(end__isnull=True) | Q(end__gte=month))
    terms = terms.filter(chamber=chamber) if chamber is not None else terms.filter(chamber__isnull=True)
    titles = CHAMBER_CHAIR_TITLES if chamber is not None else CHAIR_TITLES
    return (Position.objects.filter(term__in=terms, title__in=titles)
            .filter(Q(start__isnull=True) | Q(start__lte=Period.of(MONTH, month).end))
            .filter(Q(end__isnull=True) | Q(end__gte=month))
            .select_related("person", "term").order_by("title", "id"))





def duties_visible_to(user):
    """The roster months a user reads: its federation's own (every role), and those of the chambers it sees
    (the federation's roles: its chambers'; a chamber secretary: its own)."""
    visible = Q(federation_id=home_federation_id(user), chamber__isnull=True)
    if role_of(user) in EVENT_READER_ROLES:
        from shanglian.orgs.selectors import chambers_in_scope

        visible |= Q(chamber__in=chambers_in_scope(user))
    return ChairDuty.objects.filter(visible).select_related(
        "federation", "chamber", "position", "position__person", "position__term")


def duty_log(user, duty):
    """A roster month's log, newest first; each entry's appeals and events limited to those the reader sees
    (`shown_appeals`, `shown_events`) beside how many it links in all (`appeal_count`, `event_count`)."""
    from django.db.models import Prefetch

    from shanglian.appeals.models import Appeal
    from shanglian.appeals.selectors import appeals_visible_to

    try:
        appeals = appeals_visible_to(user)
    except PermissionDenied:  # a role that reads no appeal (the auditor) sees the count only
        appeals = Appeal.objects.none()
    events = events_visible_to(user) if role_of(user) in EVENT_READER_ROLES else Event.objects.none()
    return (duty.log.select_related("written_by")
            .annotate(appeal_count=Count("appeals", distinct=True), event_count=Count("events", distinct=True))
            .prefetch_related(Prefetch("appeals", queryset=appeals.order_by("id"), to_attr="shown_appeals"),
                              Prefetch("events", queryset=events.order_by("starts_at", "id"), to_attr="shown_events"))
            .order_by("-day", "-id"))


def resolutions_visible_to(user):
    """Resolutions of the meetings a user sees (their pages and attachments)."""
    from .models import Resolution

    return Resolution.objects.filter(event__in=events_visible_to(user)).select_related("event", "event__kind",
                                                                                        "recorded_by")


def quorum_rules_of(user):
    """议事规则 of the user's federation, one per body: [(body, rule, own)] — `own` is False where the body
    has no row of its own and the charter's default applies (two thirds present, more than half of them)."""
    require_role(user, *EVENT_READER_ROLES)
    rows = {r.body: r for r in QuorumRule.objects.filter(federation_id=home_federation_id(user))}
    return [(body, rows.get(body.value, DEFAULT_RULE), body.value in rows) for body in Body]


def raised_appeals(user, event):
    """The appeals raised at `event` that `user` may read (newest first), and how many others there are: a
    chamber's 恳谈会 may have collected appeals of enterprises outside the chamber's scope."""
    from shanglian.appeals.selectors import appeals_visible_to

    links = EventAppeal.objects.filter(event=event)
    shown = list(links.filter(appeal__in=appeals_visible_to(user)).select_related(
        "appeal", "appeal__enterprise", "appeal__category").order_by("-id"))
    return shown, links.count() - len(shown)
