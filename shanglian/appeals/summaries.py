"""The maintained summaries of the appeal KPIs (issue 19): `AppealDayStat` (the counts of `figures.Figures`
per federation, local day of submission, category and — for the 按部门 rows and a department's own
figures — department), `AppealChamberDayStat` (the same counts per chamber: of its active members' appeals)
and `AppealReach` (the day of each enterprise's first appeal, for 服务企业数).

Who keeps them: every save or delete of an `Appeal` or an `Assignment` recomputes, in the same
transaction, the rows its appeal falls in — the whole (federation, day, category) bucket and the
(federation, enterprise) reach, from the appeal rows, never by +1/−1 — through the model signals
connected in `apps.py`: the services, the admin and the test factories all save through the ORM.
Writers that bypass `save()` (the demo builders' `bulk_create`) call `rebuild()` at the end, as does
`manage.py rebuild_appeal_stats`. A chamber's rows also follow its memberships: a membership saved or
deleted (or written in bulk by the member import, which sends `members.signals.chamber_memberships_written`)
recomputes the chamber's buckets of that enterprise's appeals (`chamber_members_changed`). `figures.py`
reads them through a `Source` (the user's KPI scope in summary terms); 当前超期 counts whatever the period
and stays a live query (open appeals are few).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from itertools import islice

from django.db import transaction
from django.db.models import Exists, Max, Min, OuterRef, Q, Sum

from shanglian.audit.locks import serialise_writes
from shanglian.common.periods import day_bounds, local_day, shift_months
from shanglian.members.models import ChamberMembership
from shanglian.members.selectors import chamber_member_ids
from shanglian.orgs.models import Federation

from .models import (
    Appeal,
    AppealChamberDayStat,
    AppealDayStat,
    AppealReach,
    Assignment,
    Rating,
    Status,
    stat_key,
)
from .selectors import of_chamber

NOT_ACCEPTED = (Status.SUBMITTED, Status.REJECTED)
APPEAL_COUNTS = ("received", "accepted", "closed", "replied", "replied_on_time", "reply_days_total",
                 "reply_days_count", "satisfied", "basically", "unsatisfied")
DEPARTMENT_COUNTS = ("department_replied", "department_replied_on_time", "department_reply_days_total",
                     "department_reply_days_count", "department_replied_appeals")
APPEAL_FIELDS = ("pk", "federation_id", "enterprise_id", "category_id", "submitted_at", "status", "rating",
                 "replied_on_time")
ASSIGNMENT_FIELDS = ("appeal_id", "department_id", "state", "replied_at", "replied_on_time", "working_days_to_reply")
DAY, MONTH = AppealDayStat.Span.DAY, AppealDayStat.Span.MONTH
RATING_FIELDS = {Rating.SATISFIED: "satisfied", Rating.BASICALLY: "basically", Rating.UNSATISFIED: "unsatisfied"}


# --- folding appeal rows into summary rows -------------------------------------------------------------------
def _appeal_counts(appeal, assignments):
    replied = [a for a in assignments if a["replied_at"] is not None and a["working_days_to_reply"] is not None]
    counts = {
        "received": 1,
        "accepted": int(appeal["status"] not in NOT_ACCEPTED),
        "closed": int(appeal["status"] == Status.CLOSED),
        "replied": int(appeal["replied_on_time"] is not None),
        "replied_on_time": int(appeal["replied_on_time"] is True),
        "reply_days_total": sum(a["working_days_to_reply"] for a in replied),
        "reply_days_count": len(replied),
    }
    if appeal["rating"] in RATING_FIELDS:
        counts[RATING_FIELDS[appeal["rating"]]] = 1
    return counts


def _department_counts(own):
    replied = [a for a in own if a["replied_at"] is not None]
    with_days = [a for a in replied if a["working_days_to_reply"] is not None]
    return {
        "department_replied": len(replied),
        "department_replied_on_time": sum(1 for a in replied if a["replied_on_time"] is True),
        "department_reply_days_total": sum(a["working_days_to_reply"] for a in with_days),
        "department_reply_days_count": len(with_days),
        # the appeal is in the department's 已答复 (selectors.department_queue_assignments "replied")
        "department_replied_appeals": int(any(a["state"] == Assignment.State.REPLIED for a in own)),
    }


def _add(row, counts):
    for name, value in counts.items():
        row[name] += value


def _counts():
    return dict.fromkeys(APPEAL_COUNTS + DEPARTMENT_COUNTS, 0)


class _Fold:
    """Summary rows of a set of appeals: (federation, department or None, day, category) → counts; the same
    per chamber of the appeal's enterprise (`chambers_of`: enterprise id → the chambers whose rows to fold,
    by default none); and (federation, None, enterprise) / (None, department, enterprise) → (first day, its
    federation): a department's first day is over every federation, so that it counts an enterprise once."""

    def __init__(self, chambers_of=None):
        self.stats = defaultdict(_counts)
        self.chamber_stats = defaultdict(_counts)
        self.reach = {}
        self.chambers_of = chambers_of or (lambda enterprise: ())

    def add(self, appeal, assignments):
        day = local_day(appeal["submitted_at"])
        federation, enterprise, category = appeal["federation_id"], appeal["enterprise_id"], appeal["category_id"]
        chambers = self.chambers_of(enterprise)
        counts = _appeal_counts(appeal, assignments)
        held = defaultdict(list)  # the departments holding it (dispatched, not returned) → their assignments
        for a in assignments:
            if a["state"] != Assignment.State.RETURNED:
                held[a["department_id"]].append(a)
        for department in [None, *held]:
            own = _department_counts(held[department]) if department is not None else {}
            for row in [self.stats[(federation, department, day, category)],
                        *(self.chamber_stats[(chamber, department, day, category)] for chamber in chambers)]:
                _add(row, counts)
                _add(row, own)
            key = (federation if department is None else None, department, enterprise)
            if key not in self.reach or (day, federation) < self.reach[key]:
                self.reach[key] = (day, federation)

    def stat_rows(self, *, months=True):
        """The day rows, and (`months`) the month rows summing them: for a fold of every appeal."""
        return _summary_rows(AppealDayStat, "federation_id", self.stats, months)

    def chamber_rows(self, *, months=True):
        """The chambers' day rows and (`months`) month rows, as `stat_rows`."""
        return _summary_rows(AppealChamberDayStat, "chamber_id", self.chamber_stats, months)

    def reach_rows(self):
        return _reach_rows(self.reach.items())


def _summary_rows(model, owner, stats, months):
    """`model` rows of `stats` ((owner, department, day, category) → counts): the day rows, and with `months`
    the month rows summing them."""
    rows = [model(**{owner: o}, department_id=d, day=day, category_id=c, **counts)
            for (o, d, day, c), counts in stats.items()]
    if months:
        sums = defaultdict(_counts)
        for (o, d, day, c), counts in stats.items():
            _add(sums[(o, d, day.replace(day=1), c)], counts)
        rows += [model(**{owner: o}, department_id=d, span=MONTH, day=first, category_id=c, **counts)
                 for (o, d, first, c), counts in sums.items()]
    return rows


def _reach_rows(items):
    """AppealReach rows of ((federation or None, department or None, enterprise), (first day, federation))."""
    return [AppealReach(federation_id=federation, department_id=d, enterprise_id=e, first_day=day)
            for (_, d, e), (day, federation) in items]


def _slices(ids, size=900):
    """`ids` in slices an `IN (…)` may hold (SQLite's variable limit)."""
    return (ids[start:start + size] for start in range(0, len(ids), size))


def _fold(appeals, chambers_of=None):
    """Fold appeal rows (dicts of APPEAL_FIELDS, at most a few thousand) with their assignments."""
    appeals = list(appeals)
    by_appeal = defaultdict(list)
    for ids in _slices([a["pk"] for a in appeals]):
        for row in Assignment.objects.filter(appeal_id__in=ids).order_by().values(*ASSIGNMENT_FIELDS):
            by_appeal[row["appeal_id"]].append(row)
    fold = _Fold(chambers_of)
    for appeal in appeals:
        fold.add(appeal, by_appeal.get(appeal["pk"], ()))
    return fold


def spans(period):
    """The summary rows whose sums are the period's: the month rows of its whole months, the day rows of
    the days before the first whole month and after the last (all day rows when it holds no whole month)."""
    first = period.start if period.start.day == 1 else shift_months(period.start.replace(day=1), 1)
    after = period.end + timedelta(days=1)
    stop = after if after.day == 1 else after.replace(day=1)  # the day after the last whole month
    if first >= stop:
        return Q(span=DAY, day__gte=period.start, day__lte=period.end)
    rows = Q(span=MONTH, day__gte=first, day__lt=stop)
    if period.start < first:
        rows |= Q(span=DAY, day__gte=period.start, day__lt=first)
    if stop <= period.end:
        rows |= Q(span=DAY, day__gte=stop, day__lte=period.end)
    return rows


# --- keeping them in step ------------------------------------------------------------------------------------
def _appeals():
    return Appeal.objects.order_by().values(*APPEAL_FIELDS)


def _replace_day(model, owner, category_id, day, rows):
    """Replace the day rows of one bucket of `model` (`owner`: {"federation_id": …} or {"chamber_id": …}) by
    `rows`, and its month rows (of each department, and of none) by the sums of the month's day rows."""
    bucket = model.objects.filter(category_id=category_id, **owner)
    bucket.filter(span=DAY, day=day).delete()
    model.objects.bulk_create(rows)
    first = day.replace(day=1)
    month = (bucket.filter(span=DAY, day__gte=first, day__lt=shift_months(first, 1)).order_by()
             .values("department_id").annotate(**{name: Sum(name) for name in APPEAL_COUNTS + DEPARTMENT_COUNTS}))
    bucket.filter(span=MONTH, day=first).delete()
    model.objects.bulk_create([model(**owner, category_id=category_id, span=MONTH, day=first, **row) for row in month])


def _active_chambers(enterprise_id):
    return list(ChamberMembership.objects.filter(enterprise_id=enterprise_id, status=ChamberMembership.Status.ACTIVE)
                .values_list("chamber_id", flat=True))


def refresh(federation_id, category_id, submitted_at, enterprise_id):
    """Recompute the summary rows of the appeals submitted on that local day in that federation and
    category, the same bucket of each chamber the enterprise is an active member of, and the enterprise's
    first days (every federation and department), from the appeals."""
    day = local_day(submitted_at)
    start, end = day_bounds(day)
    with transaction.atomic():
        serialise_writes()  # another writer of the bucket: wait for its commit, then count its rows too
        fold = _fold(_appeals().filter(federation_id=federation_id, category_id=category_id,
                                       submitted_at__gte=start, submitted_at__lt=end))
        _replace_day(AppealDayStat, {"federation_id": federation_id}, category_id, day, fold.stat_rows(months=False))
        for chamber in _active_chambers(enterprise_id):
            _refresh_chamber(chamber, category_id, day)
        reach = _fold(_appeals().filter(enterprise_id=enterprise_id))
        AppealReach.objects.filter(enterprise_id=enterprise_id).delete()
        AppealReach.objects.bulk_create(reach.reach_rows())


def _chamber_fold(chamber_id, start, end, category_id=None):
    """The fold of a chamber's appeals submitted in [start, end) (instants), of one category if given: the
    city's appeals of that time, read through the submission index, each tested for membership (and for the
    category here) — given an index for either, SQLite reads every appeal of the category (70,000 at city
    scale) or of the chamber's members (38,000 for chamber1) to find a day's (1,850 → 5 ms)."""
    appeals = _appeals().filter(of_chamber(chamber_id, walk=True), submitted_at__gte=start, submitted_at__lt=end)
    if category_id is not None:
        appeals = [a for a in appeals if a["category_id"] == category_id]
    return _fold(appeals, chambers_of=lambda enterprise: (chamber_id,))


def _refresh_chamber(chamber_id, category_id, day):
    """Recompute a chamber's rows of one day and category from its active members' appeals (in a
    transaction that holds `serialise_writes`)."""
    fold = _chamber_fold(chamber_id, *day_bounds(day), category_id)
    _replace_day(AppealChamberDayStat, {"chamber_id": chamber_id}, category_id, day, fold.chamber_rows(months=False))


# Past this many buckets of the changed members' appeals, a chamber's rows are rebuilt whole (a pass over the
# city's appeals a month at a time, each tested for membership) instead of bucket by bucket. At 1,000,000
# appeals a bucket costs ~20 ms and chamber1's whole rows (38,000 appeals) 16 s.
CHAMBER_BUCKETS_ONE_BY_ONE = 1000


def chamber_members_changed(pairs):
    """Chamber memberships (chamber id, enterprise id) were created, deleted or changed status: the
    enterprise's appeals join or leave the chamber's rows; recompute the chamber's buckets they fall in."""
    enterprises = defaultdict(set)
    for chamber, enterprise in pairs:
        enterprises[chamber].add(enterprise)
    if not enterprises:
        return
    with transaction.atomic():
        serialise_writes()
        for chamber, members in sorted(enterprises.items()):
            buckets = set()
            for ids in _slices(sorted(members)):
                buckets |= {(category, local_day(submitted)) for category, submitted in Appeal.objects.filter(
                    enterprise_id__in=ids).order_by().values_list("category_id", "submitted_at")}
            if len(buckets) > CHAMBER_BUCKETS_ONE_BY_ONE:
                _rebuild_chamber(chamber)
                continue
            for category, day in sorted(buckets):
                _refresh_chamber(chamber, category, day)


def _rebuild_chamber(chamber_id):
    AppealChamberDayStat.objects.filter(chamber_id=chamber_id).delete()
    for start, end in _months_of(_appeals().filter(enterprise_id__in=chamber_member_ids(chamber_id))):
        AppealChamberDayStat.objects.bulk_create(_chamber_fold(chamber_id, start, end).chamber_rows(), batch_size=2000)


def _months_of(appeals):
    """The (start, end) instants of every month from the first of `appeals` to the last, in local time."""
    bounds = appeals.aggregate(first=Min("submitted_at"), last=Max("submitted_at"))
    if bounds["first"] is None:
        return
    month, last = local_day(bounds["first"]).replace(day=1), local_day(bounds["last"])
    while month <= last:
        following = shift_months(month, 1)
        yield day_bounds(month)[0], day_bounds(following)[0]
        month = following


def refresh_appeal_keys(keys):
    """`refresh` every distinct (federation, category, submitted_at, enterprise) of `keys` (None skipped)."""
    done = set()
    for key in keys:
        if key is None or None in key:
            continue
        federation_id, category_id, submitted_at, enterprise_id = key
        bucket = (federation_id, category_id, local_day(submitted_at), enterprise_id)
        if bucket not in done:
            done.add(bucket)
            refresh(federation_id, category_id, submitted_at, enterprise_id)


REBUILD_BATCH = 20000


def rebuild():
    """Recompute every summary row from the appeals, a month of submissions at a time (bounded in memory by
    a month's appeals, not by the years kept: at 1,000,000 appeals folding them all at once held ~1 GB);
    returns the number of (stat, reach) rows written (the chambers' rows among the first)."""
    with transaction.atomic():
        serialise_writes()
        for model in (AppealDayStat, AppealChamberDayStat, AppealReach):
            model.objects.all().delete()
        chambers = defaultdict(list)  # enterprise → its chambers (active memberships)
        for enterprise, chamber in ChamberMembership.objects.filter(
                status=ChamberMembership.Status.ACTIVE).order_by().values_list("enterprise_id", "chamber_id"):
            chambers[enterprise].append(chamber)
        reach, written = {}, 0
        for start, end in _months_of(Appeal.objects.all()):
            part = _fold(_appeals().filter(submitted_at__gte=start, submitted_at__lt=end),
                         chambers_of=lambda enterprise: chambers.get(enterprise, ()))
            for model, rows in ((AppealDayStat, part.stat_rows()), (AppealChamberDayStat, part.chamber_rows())):
                model.objects.bulk_create(rows, batch_size=2000)  # the month's day rows and its month rows
                written += len(rows)
            for key, first in part.reach.items():
                if key not in reach or first < reach[key]:
                    reach[key] = first
        items = iter(reach.items())  # model instances a batch at a time: 556,000 at once held ~0.5 GB
        while batch := _reach_rows(islice(items, REBUILD_BATCH)):
            AppealReach.objects.bulk_create(batch, batch_size=2000)
    return written, len(reach)


# --- reading them ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Source:
    """A KPI scope in summary terms: the appeals of some federations (None: any), or those of a chamber's
    active members, or those a department holds (of those), optionally of one category; `empty` for a scope
    that holds nothing."""

    federations: tuple | None = None
    department: int | None = None
    category: int | None = None
    empty: bool = False
    chamber: int | None = None

    def appeals(self):
        """The scope's appeals themselves, as a query an index on (federation, status, deadline) — or (status)
        with each row's chamber membership tested — serves: for the live figures (当前超期) over the few open
        appeals."""
        if self.chamber is not None:
            qs = Appeal.objects.filter(of_chamber(self.chamber, walk=True))
        else:
            federations = self.federations
            if federations is None:  # a department: its appeals are of any federation (few: a list)
                federations = tuple(Federation.objects.order_by("pk").values_list("pk", flat=True))
            qs = Appeal.objects.filter(federation_id__in=federations)
        if self.empty:
            return qs.none()
        if self.category is not None:
            qs = qs.filter(category_id=self.category)
        if self.department is not None:
            held = Assignment.objects.filter(appeal_id=OuterRef("pk"), department_id=self.department).exclude(
                state=Assignment.State.RETURNED)
            qs = qs.filter(Exists(held))
        return qs

    def _rows(self, period):
        """The scope's summary rows of the period (every department's and none's)."""
        if self.chamber is not None:
            qs = AppealChamberDayStat.objects.filter(spans(period), chamber_id=self.chamber)
        else:
            qs = AppealDayStat.objects.filter(spans(period))
            if self.federations is not None:
                qs = qs.filter(federation_id__in=self.federations)
        if self.empty:
            return qs.none()
        return qs.filter(category_id=self.category) if self.category is not None else qs

    def stats(self, period):
        """The rows of the scope's appeals submitted in the period (appeal counts)."""
        qs = self._rows(period)
        return qs.filter(department_id=self.department) if self.department is not None \
            else qs.filter(department__isnull=True)

    def department_stats(self, period, department_id=None):
        """The departments' rows (counts of the appeals each holds, and its own replies)."""
        qs = self._rows(period)
        department_id = department_id if department_id is not None else self.department
        if self.department is not None and department_id != self.department:
            return qs.none()
        return qs.filter(department_id=department_id) if department_id is not None \
            else qs.filter(department__isnull=False)

    def reach(self, period):
        """The rows of the enterprises with a first appeal (held by the department) up to the period end:
        one per enterprise and federation (one per enterprise for a department). Not for a chamber, whose
        服务企业数 probes its members (`figures._chamber_members_enrolled`)."""
        if self.chamber is not None:
            raise ValueError("a chamber's reach is read from its members")
        qs = AppealReach.objects.filter(first_day__lte=period.end)
        if self.empty:
            return qs.none()
        if self.federations is not None:
            qs = qs.filter(federation_id__in=self.federations)
        return qs.filter(department_id=self.department) if self.department is not None \
            else qs.filter(department__isnull=True)


# --- the signals that keep them (connected in apps.py) -----------------------------------------------------------
def appeal_written(sender, instance, raw=False, **kwargs):
    """post_save / post_delete of an Appeal: its rows, and those it was in when loaded if its keys moved."""
    if raw:  # loaddata: rebuild afterwards
        return
    refresh_appeal_keys([stat_key(instance), getattr(instance, "_loaded_stat_key", None)])
    instance._loaded_stat_key = stat_key(instance)


def assignment_written(sender, instance, raw=False, **kwargs):
    """post_save / post_delete of an Assignment: the rows of its appeal."""
    if raw:
        return
    refresh_appeal_keys(Appeal.objects.filter(pk=instance.appeal_id).values_list(
        "federation_id", "category_id", "submitted_at", "enterprise_id"))


def _membership_key(membership):
    """What places a chamber membership in the chambers' rows: (chamber, enterprise, active); None for a
    field not loaded."""
    values = membership.__dict__
    status = values.get("status")
    return (values.get("chamber_id"), values.get("enterprise_id"),
            None if status is None else status == ChamberMembership.Status.ACTIVE)


def chamber_membership_loaded(sender, instance, **kwargs):
    """post_init of a ChamberMembership: what it was when loaded (a new one: nothing)."""
    instance._loaded_chamber_key = _membership_key(instance) if instance.pk is not None else None


def _changed(*keys):
    """The (chamber, enterprise) of the keys that are — or, a field not loaded, may be — active."""
    pairs = set()
    for key in keys:
        if key is not None and key[2] is not False and None not in key[:2]:
            pairs.add(key[:2])
    return pairs


def chamber_membership_saved(sender, instance, raw=False, **kwargs):
    """post_save of a ChamberMembership: when it became or stopped being active (or moved), its enterprise's
    appeals join or leave the chambers' rows."""
    if raw:
        return
    loaded, now = getattr(instance, "_loaded_chamber_key", None), _membership_key(instance)
    if loaded != now or None in now:
        chamber_members_changed(_changed(loaded, now))
    instance._loaded_chamber_key = now


def chamber_membership_deleted(sender, instance, **kwargs):
    """post_delete of a ChamberMembership: an active one's enterprise leaves the chamber's rows."""
    chamber_members_changed(_changed(getattr(instance, "_loaded_chamber_key", None), _membership_key(instance)))


def chamber_memberships_written(sender, pairs, **kwargs):
    """`members.signals.chamber_memberships_written`: memberships written in bulk (the member import)."""
    chamber_members_changed(pairs)
