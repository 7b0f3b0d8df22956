"""Scoped reads of the friendly organisations (友好商会/友好工商联), the agreements signed with them and the visits
exchanged (交流互访).

Every read starts from `scopes.partners_visible_to(user)`: the federation's roles read their federations'
partners (and their agreements and exchanges); the others are refused (403). The editors (sysadmin, staff) keep
them (`*_editable_by`: 403 for a leader, the same scope).

A partner is in force on a day D when the friendship began by then (`since` ≤ D) and has not ended (`ended_on`
empty or after D) — "缔结友好商会5个".
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from shanglian.accounts.roles import EDITOR_ROLES, role_of
from shanglian.events.selectors import events_visible_to
from shanglian.orgs.selectors import count_of

from ..models import Agreement, Exchange
from .scopes import partners_visible_to

EDITOR_REFUSAL = "只有工商联工作人员可以维护友好商会与交流记录。"


def today():
    return timezone.localdate()


def is_partner_editor(user):
    return role_of(user) in EDITOR_ROLES


def require_partner_editor(user):
    if not is_partner_editor(user):
        raise PermissionDenied(EDITOR_REFUSAL)


def partners_editable_by(user):
    require_partner_editor(user)
    return partners_visible_to(user)


def agreements_visible_to(user):
    return Agreement.objects.filter(partner__in=partners_visible_to(user).values("pk")).select_related(
        "partner", "partner__federation")


def agreements_editable_by(user):
    require_partner_editor(user)
    return agreements_visible_to(user)


def exchanges_visible_to(user):
    return Exchange.objects.filter(partner__in=partners_visible_to(user).values("pk")).select_related(
        "partner", "partner__federation", "event")


def exchanges_editable_by(user):
    require_partner_editor(user)
    return exchanges_visible_to(user)


# --- in force on a day -------------------------------------------------------------------------------------------
def active_q(on=None, prefix=""):
    """A partner in force on `on` (today by default): twinned by then, not ended by then."""
    on = on or today()
    return Q(**{f"{prefix}since__lte": on}) & (Q(**{f"{prefix}ended_on__isnull": True}) |
                                               Q(**{f"{prefix}ended_on__gt": on}))


def partners_in_force(user, on=None):
    return partners_visible_to(user).filter(active_q(on))


def is_active(partner, on=None):
    on = on or today()
    return partner.since <= on and (partner.ended_on is None or partner.ended_on > on)


# --- the lists ---------------------------------------------------------------------------------------------------
def partner_list(user, *, filters=None):
    """The partners page: the scope, then `q` (a word of the name or the region), `kind`, `status` (active /
    ended, today); each row with its numbers of agreements and exchanges and the day of its last exchange."""
    filters = filters or {}
    last = Exchange.objects.filter(partner=OuterRef("pk")).order_by("-date").values("date")[:1]
    qs = partners_visible_to(user).select_related("federation").annotate(
        agreement_count=count_of(Agreement, "partner"),
        exchange_count=count_of(Exchange, "partner"),
        last_exchange=Subquery(last),
    )
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(region__icontains=q))
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("status") == "active":
        qs = qs.filter(active_q())
    elif filters.get("status") == "ended":
        qs = qs.exclude(active_q())
    return qs


def exchange_list(user, *, filters=None):
    """The exchanges page: the scope, then `q` (a word of the partner's name, the purpose or the leader),
    `direction`, `partner`, `start`/`end` (the exchange's day)."""
    filters = filters or {}
    qs = exchanges_visible_to(user)
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(partner__name__icontains=q) | Q(purpose__icontains=q) | Q(leader__icontains=q))
    if filters.get("direction"):
        qs = qs.filter(direction=filters["direction"])
    if filters.get("partner"):
        qs = qs.filter(partner=filters["partner"])
    if filters.get("start"):
        qs = qs.filter(date__gte=filters["start"])
    if filters.get("end"):
        qs = qs.filter(date__lte=filters["end"])
    return qs


def exchange_totals(queryset):
    """{direction: (visits, delegates)} of the exchanges listed (one grouped query)."""
    rows = queryset.order_by().values("direction").annotate(n=Count("pk"), people=Sum("delegates"))
    return {row["direction"]: (row["n"], row["people"] or 0) for row in rows}


# --- one partner -------------------------------------------------------------------------------------------------
def partner_agreements(partner):
    return partner.agreements.order_by("-signed_on", "-id")


def partner_exchanges(partner):
    return partner.exchanges.select_related("event").order_by("-date", "-id")


def event_candidates(user, federation_id):
    """The events an exchange may name: those the user sees of the partner's federation."""
    return events_visible_to(user).filter(federation_id=federation_id)
