"""The maintained summaries of the appeal KPIs (issue 19): `AppealDayStat` (the counts of `figures.Figures`
per federation, local day of submission, category and — for the 按部门 rows and a department's own
figures — department) and `AppealReach` (the day of each enterprise's first appeal, for 服务企业数).

Who keeps them: every save or delete of an `Appeal` or an `Assignment` recomputes, in the same
transaction, the rows its appeal falls in — the whole (federation, day, category) bucket and the
(federation, enterprise) reach, from the appeal rows, never by +1/−1 — through the model signals
connected in `apps.py`: the services, the admin and the test factories all save through the ORM.
Writers that bypass `save()` (the demo builders' `bulk_create`) call `rebuild()` at the end, as does
`manage.py rebuild_appeal_stats`. `figures.py` reads them through a `Source` (the user's KPI scope in
summary terms); 当前超期 counts whatever the period and stays a live query (open appeals are few).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from itertools import islice

from django.db import transaction
from django.db.models import Exists, Max, Min, OuterRef, Q, Sum

from shanglian.audit.locks import serialise_writes
from shanglian.common.periods import day_bounds, local_day, shift_months
from shanglian.orgs.models import Federation

from .models import Appeal, AppealDayStat, AppealReach, Assignment, Rating, Status, stat_key

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


class _Fold:
    """Summary rows of a set of appeals: (federation, department or None, day, category) → counts, and
    (federation, None, enterprise) / (None, department, enterprise) → (first day, its federation): a
    department's first day is over every federation, so that it counts an enterprise once."""

    def __init__(self):
        self.stats = defaultdict(lambda: dict.fromkeys(APPEAL_COUNTS + DEPARTMENT_COUNTS, 0))
        self.reach = {}

    def add(self, appeal, assignments):
        day = local_day(appeal["submitted_at"])
        federation, enterprise = appeal["federation_id"], appeal["enterprise_id"]
        counts = _appeal_counts(appeal, assignments)
        held = defaultdict(list)  # the departments holding it (dispatched, not returned) → their assignments
        for a in assignments:
            if a["state"] != Assignment.State.RETURNED:
                held[a["department_id"]].append(a)
        for department in [None, *held]:
            row = self.stats[(federation, department, day, appeal["category_id"])]
            _add(row, counts)
            if department is not None:
                _add(row, _department_counts(held[department]))
            key = (federation if department is None else None, department, enterprise)
            if key not in self.reach or (day, federation) < self.reach[key]:
                self.reach[key] = (day, federation)

    def stat_rows(self, *, months=True):
        """The day rows, and (`months`) the month rows summing them: for a fold of every appeal."""
        rows = [AppealDayStat(federation_id=f, department_id=d, day=day, category_id=c, **counts)
                for (f, d, day, c), counts in self.stats.items()]
        if months:
            sums = defaultdict(lambda: dict.fromkeys(APPEAL_COUNTS + DEPARTMENT_COUNTS, 0))
            for (f, d, day, c), counts in self.stats.items():
                _add(sums[(f, d, day.replace(day=1), c)], counts)
            rows += [AppealDayStat(federation_id=f, department_id=d, span=MONTH, day=first, category_id=c, **counts)
                     for (f, d, first, c), counts in sums.items()]
        return rows

    def reach_rows(self):
        return _reach_rows(self.reach.items())


def _reach_rows(items):
    """AppealReach rows of ((federation or None, department or None, enterprise), (first day, federation))."""
    return [AppealReach(federation_id=federation, department_id=d, enterprise_id=e, first_day=day)
            for (_, d, e), (day, federation) in items]


def _fold(appeals):
    """Fold appeal rows (dicts of APPEAL_FIELDS, at most a few thousand) with their assignments."""
    appeals = list(appeals)
    by_appeal = defaultdict(list)
    ids = [a["pk"] for a in appeals]
    for start in range(0, len(ids), 900):  # SQLite's variable limit
        for row in Assignment.objects.filter(appeal_id__in=ids[start:start + 900]).order_by().values(*ASSIGNMENT_FIELDS):
            by_appeal[row["appeal_id"]].append(row)
    fold = _Fold()
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


def refresh(federation_id, category_id, submitted_at, enterprise_id):
    """Recompute the summary rows of the appeals submitted on that local day in that federation and
    category, and the enterprise's first days (every federation and department), from the appeals."""
    day = local_day(submitted_at)
    start, end = day_bounds(day)
    with transaction.atomic():
        serialise_writes()  # another writer of the bucket: wait for its commit, then count its rows too
        fold = _fold(_appeals().filter(federation_id=federation_id, category_id=category_id,
                                       submitted_at__gte=start, submitted_at__lt=end))
        bucket = AppealDayStat.objects.filter(federation_id=federation_id, category_id=category_id)
        bucket.filter(span=DAY, day=day).delete()
        AppealDayStat.objects.bulk_create(fold.stat_rows(months=False))
        # the month row of each department (and of none): the sums of the month's day rows
        first = day.replace(day=1)
        month = (bucket.filter(span=DAY, day__gte=first, day__lt=shift_months(first, 1)).order_by()
                 .values("department_id").annotate(**{name: Sum(name) for name in APPEAL_COUNTS + DEPARTMENT_COUNTS}))
        bucket.filter(span=MONTH, day=first).delete()
        AppealDayStat.objects.bulk_create([AppealDayStat(federation_id=federation_id, category_id=category_id,
                                                         span=MONTH, day=first, **row) for row in month])
        reach = _fold(_appeals().filter(enterprise_id=enterprise_id))
        AppealReach.objects.filter(enterprise_id=enterprise_id).delete()
        AppealReach.objects.bulk_create(reach.reach_rows())


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
    returns the number of (stat, reach) rows written."""
    with transaction.atomic():
        serialise_writes()
        AppealDayStat.objects.all().delete()
        AppealReach.objects.all().delete()
        bounds = Appeal.objects.aggregate(first=Min("submitted_at"), last=Max("submitted_at"))
        reach, written = {}, 0
        if bounds["first"] is not None:
            month, last = local_day(bounds["first"]).replace(day=1), local_day(bounds["last"])
            while month <= last:
                following = shift_months(month, 1)
                part = _fold(_appeals().filter(submitted_at__gte=day_bounds(month)[0],
                                               submitted_at__lt=day_bounds(following)[0]))
                stats = part.stat_rows()  # the month's day rows and its month rows, complete
                AppealDayStat.objects.bulk_create(stats, batch_size=2000)
                written += len(stats)
                for key, first in part.reach.items():
                    if key not in reach or first < reach[key]:
                        reach[key] = first
                month = following
        items = iter(reach.items())  # model instances a batch at a time: 556,000 at once held ~0.5 GB
        while batch := _reach_rows(islice(items, REBUILD_BATCH)):
            AppealReach.objects.bulk_create(batch, batch_size=2000)
    return written, len(reach)


# --- reading them ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Source:
    """A KPI scope in summary terms: the appeals of some federations (None: any), or those a department
    holds, optionally of one category; `empty` for a scope that holds nothing."""

    federations: tuple | None = None
    department: int | None = None
    category: int | None = None
    empty: bool = False

    def appeals(self):
        """The scope's appeals themselves, as a query an index on (federation, status, deadline) serves:
        for the live figures (当前超期) over the few open appeals."""
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

    def _narrow(self, qs):
        if self.empty:
            return qs.none()
        if self.federations is not None:
            qs = qs.filter(federation_id__in=self.federations)
        return qs

    def stats(self, period):
        """The rows of the scope's appeals submitted in the period (appeal counts)."""
        qs = self._narrow(AppealDayStat.objects.filter(spans(period)))
        if self.category is not None:
            qs = qs.filter(category_id=self.category)
        return qs.filter(department_id=self.department) if self.department is not None \
            else qs.filter(department__isnull=True)

    def department_stats(self, period, department_id=None):
        """The departments' rows (counts of the appeals each holds, and its own replies)."""
        qs = self._narrow(AppealDayStat.objects.filter(spans(period)))
        if self.category is not None:
            qs = qs.filter(category_id=self.category)
        department_id = department_id if department_id is not None else self.department
        if self.department is not None and department_id != self.department:
            return qs.none()
        return qs.filter(department_id=department_id) if department_id is not None \
            else qs.filter(department__isnull=False)

    def reach(self, period):
        """The rows of the enterprises with a first appeal (held by the department) up to the period end:
        one per enterprise and federation (one per enterprise for a department)."""
        qs = self._narrow(AppealReach.objects.filter(first_day__lte=period.end))
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
