"""The maintained summary of the push figures (issue 19): `PolicyPushDay`, per policy and local day of
the push (Asia/Shanghai), how many deliveries were pushed and how many of those have been read — what
政策推送 and 推送已读率 (`figures.py`) sum over a period instead of walking millions of deliveries.

Who keeps it: every write of deliveries recomputes, in the same transaction, the (policy, day) buckets it
touches from the delivery rows, never by +1/−1: `services.push_policy` (a bulk insert) and
`services.record_read` (an update) call `refresh` themselves; any other save or delete of a
`PolicyDelivery` (the admin, the factories, the cascade of a deleted enterprise or policy) goes through
the model signals connected in `apps.py`. Writers that bypass both (the demo builder's bulk rows, raw
SQL) call `rebuild()` at the end, as does `manage.py rebuild_policy_stats`. A policy's status does not
enter the summary: the figures apply the user's visible policies when they read it.
"""

from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from shanglian.audit.locks import serialise_writes
from shanglian.common.periods import day_bounds, local_day

from .models import PolicyDelivery, PolicyPushDay, push_key


def _counted(deliveries):
    """(policy, pushed_at, pushed, read) of `deliveries`, grouped by the instant of the push (a push writes
    all its deliveries at one instant, so these rows are few) through the (policy, pushed_at, read_at) index."""
    return (deliveries.order_by().values("policy_id", "pushed_at")
            .annotate(pushed=Count("pk"), read=Count("pk", filter=Q(read_at__isnull=False)))
            .values_list("policy_id", "pushed_at", "pushed", "read"))


def _fold(rows):
    buckets = defaultdict(lambda: [0, 0])
    for policy_id, pushed_at, pushed, read in rows:
        bucket = buckets[(policy_id, local_day(pushed_at))]
        bucket[0] += pushed
        bucket[1] += read
    return [PolicyPushDay(policy_id=policy_id, day=day, pushed=pushed, read=read)
            for (policy_id, day), (pushed, read) in buckets.items() if pushed]


def refresh(policy_id, pushed_at):
    """Recompute the row of the deliveries of `policy_id` pushed on the local day of `pushed_at`."""
    day = local_day(pushed_at)
    start, end = day_bounds(day)
    with transaction.atomic():
        serialise_writes()  # another writer of the bucket: wait for its commit, then count its rows too
        rows = _fold(_counted(PolicyDelivery.objects.filter(policy_id=policy_id, pushed_at__gte=start,
                                                             pushed_at__lt=end)))
        PolicyPushDay.objects.filter(policy_id=policy_id, day=day).delete()
        PolicyPushDay.objects.bulk_create(rows)


def refresh_keys(keys):
    """`refresh` every distinct (policy, local day) of `keys` ((policy_id, pushed_at); None skipped)."""
    done = set()
    for key in keys:
        if key is None or None in key:
            continue
        policy_id, pushed_at = key
        if (policy_id, local_day(pushed_at)) not in done:
            done.add((policy_id, local_day(pushed_at)))
            refresh(policy_id, pushed_at)


def rebuild():
    """Recompute every row from the deliveries (one grouped pass over the index); returns the rows written."""
    with transaction.atomic():
        serialise_writes()
        PolicyPushDay.objects.all().delete()
        rows = _fold(_counted(PolicyDelivery.objects.all()).iterator(chunk_size=5000))
        PolicyPushDay.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def push_counts(policies, period):
    """(pushed, read) of the deliveries of `policies` (a Policy queryset) pushed in `period`."""
    counts = PolicyPushDay.objects.filter(
        policy__in=policies.order_by().values("pk"), day__gte=period.start, day__lte=period.end,
    ).aggregate(pushed=Coalesce(Sum("pushed"), 0), read=Coalesce(Sum("read"), 0))
    return counts["pushed"], counts["read"]


# --- the signals that keep it (connected in apps.py) --------------------------------------------------------
def delivery_written(sender, instance, raw=False, **kwargs):
    """post_save / post_delete of a PolicyDelivery: its bucket, and the one it was in when loaded if it moved."""
    if raw:  # loaddata: rebuild afterwards
        return
    refresh_keys([push_key(instance), getattr(instance, "_loaded_push_key", None)])
    instance._loaded_push_key = push_key(instance)
