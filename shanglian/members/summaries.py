"""The maintained summary of the member figures (issue 19): `MemberDayStat`, per federation, kind and day,
the memberships that joined, left, were suspended, began and ended their time in force that day — what
会员统计 and the 会员发展 panel of 工作台 (`figures.py`) sum for "in force on D" and the year figures
instead of reading every membership.

Who keeps it: every save or delete of a `Membership` through the ORM (the services, the admin, the test
factories) recomputes, in the same transaction, the (federation, kind, day) rows of the dates it has and
had, from the membership rows, never by +1/−1 — through the model signals connected in `apps.py`.
Writers that bypass `save()` (the member import's multi-row writes, the demo builder's bulk rows) call
`rebuild(federation_id)` at the end, as does `manage.py rebuild_member_stats` for all of them.

The figures read it only for a federation role's whole scope (`selectors.memberships_visible_to` marks that
queryset with its federations, `scope_of`); any narrower queryset — a chamber secretary's, or one
filtered further — is counted from the memberships.
"""

from collections import defaultdict

from django.db import transaction
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce

from shanglian.audit.locks import serialise_writes

from .models import MemberDayStat, Membership, member_days

SCOPE_ATTRIBUTE = "summary_federations"
COUNTS = ("joined", "left", "suspended", "entered", "ended")
# The membership dates of the year figures and the summary column that counts each.
DATED = {"joined": "joined", "left": "left", "suspended_on": "suspended"}
FIELDS = ("federation_id", "kind", "joined", "left", "suspended_on")


def mark_scope(memberships, federation_ids):
    """`memberships` (exactly the memberships of `federation_ids`) marked as a scope the summary stands for.
    The mark is an attribute of this queryset only: a further filter or clone drops it."""
    setattr(memberships, SCOPE_ATTRIBUTE, tuple(federation_ids))
    return memberships


def scope_of(memberships):
    """The federation ids whose summary rows stand for `memberships`, or None to count the memberships."""
    return getattr(memberships, SCOPE_ATTRIBUTE, None)


def _end(joined, left, suspended_on):
    """The first day a membership is no longer in force, the earlier of `left` and `suspended_on` (None: it
    has neither); on or before `joined` when it never was in force, which `_fold` does not count."""
    ends = [day for day in (left, suspended_on) if day is not None]
    return min(ends) if ends else None


def _fold(rows, wanted=None):
    """Summary rows from membership rows (FIELDS order); `wanted` limits them to a set of (federation, kind,
    day) keys — a refresh reads every membership touching those days and keeps only their rows."""
    buckets = defaultdict(lambda: dict.fromkeys(COUNTS, 0))
    for federation_id, kind, joined, left, suspended_on in rows:
        end = _end(joined, left, suspended_on)
        counted = end is None or end > joined
        marks = [(joined, "joined"), (left, "left"), (suspended_on, "suspended")]
        if counted:
            marks.append((joined, "entered"))
            if end is not None:
                marks.append((end, "ended"))
        for day, name in marks:
            if day is not None:
                buckets[(federation_id, kind, day)][name] += 1
    return [MemberDayStat(federation_id=f, kind=k, day=d, **counts) for (f, k, d), counts in buckets.items()
            if wanted is None or (f, k, d) in wanted]


def refresh_days(keys):
    """Recompute the rows of the (federation, kind, day) `keys` from the memberships: per federation and
    kind, one read of the memberships with any of those days among their dates."""
    keys = {key for key in keys if key is not None and None not in key}
    by_group = defaultdict(set)
    for federation_id, kind, day in keys:
        by_group[(federation_id, kind)].add(day)
    with transaction.atomic():
        serialise_writes()  # another writer of these days: wait for its commit, then count its rows too
        for (federation_id, kind), days in by_group.items():
            rows = Membership.objects.filter(federation_id=federation_id, kind=kind).filter(
                Q(joined__in=days) | Q(left__in=days) | Q(suspended_on__in=days)).order_by().values_list(*FIELDS)
            fresh = _fold(rows, wanted={(federation_id, kind, day) for day in days})
            MemberDayStat.objects.filter(federation_id=federation_id, kind=kind, day__in=days).delete()
            MemberDayStat.objects.bulk_create(fresh)


def rebuild(federation_id=None):
    """Recompute every row (of one federation, or of all) from the memberships; returns the rows written."""
    memberships = Membership.objects.all() if federation_id is None else Membership.objects.filter(
        federation_id=federation_id)
    stats = MemberDayStat.objects.all() if federation_id is None else MemberDayStat.objects.filter(
        federation_id=federation_id)
    with transaction.atomic():
        serialise_writes()
        stats.delete()
        rows = _fold(memberships.order_by().values_list(*FIELDS).iterator(chunk_size=5000))
        MemberDayStat.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


# --- reading it (figures.py) ----------------------------------------------------------------------------------
def rows(federation_ids):
    return MemberDayStat.objects.filter(federation_id__in=federation_ids).order_by()


def in_force_sum(on, kind=None):
    """The expression over `rows`: the members (of `kind`) in force on `on`."""
    condition = Q(day__lte=on) & (Q(kind=kind) if kind is not None else Q())
    return Coalesce(Sum("entered", filter=condition), 0) - Coalesce(Sum("ended", filter=condition), 0)


def dated_sum(field, start, end):
    """The expression over `rows`: the memberships whose `field` (joined, left, suspended_on) falls between
    `start` and `end`."""
    return Coalesce(Sum(DATED[field], filter=Q(day__gte=start, day__lte=end)), 0)


# --- the signals that keep it (connected in apps.py) --------------------------------------------------------
def membership_written(sender, instance, raw=False, **kwargs):
    """post_save / post_delete of a Membership: the rows of its days, and of the days it had when loaded."""
    if raw:  # loaddata: rebuild afterwards
        return
    days = member_days(instance)
    if not days and kwargs.get("created") is not None:  # saved with a deciding field deferred: read it back
        instance.refresh_from_db(fields=[name.removesuffix("_id") for name in FIELDS])
        days = member_days(instance)
    refresh_days(days | getattr(instance, "_loaded_member_days", set()))
    instance._loaded_member_days = days
