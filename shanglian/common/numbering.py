"""The one way to hand out document numbers: a locked counter per key, gap-free inside a transaction."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import NumberSequence


def next_in_sequence(key):
    """The next integer of the counter `key` (1, 2, …). Call it inside the transaction that uses the
    number: the counter row stays locked until it commits, so two callers never get the same value."""
    with transaction.atomic():
        row = NumberSequence.objects.select_for_update().filter(key=key).first()
        if row is None:
            try:
                with transaction.atomic():
                    row = NumberSequence.objects.create(key=key, last=0)
            except IntegrityError:  # created meanwhile by another transaction
                row = NumberSequence.objects.select_for_update().get(key=key)
        row.last += 1
        row.save(update_fields=["last"])
        return row.last


def daily_number(prefix, when=None, width=4):
    """`prefix` + local date + a per-day counter: SQ202611220001."""
    day = timezone.localdate(when) if when is not None else timezone.localdate()
    stamp = f"{day:%Y%m%d}"
    return f"{prefix}{stamp}{next_in_sequence(f'{prefix}{stamp}'):0{width}d}"



def _split(number):
    """"SQ202611220001" → ("SQ20261122", 1): the key is the letters and the 8-digit day, the rest the counter."""
    head = len(number) - len(number.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    return number[:head + 8], int(number[head + 8:])


def last_of_each_day(numbers):
    """{prefix + yyyymmdd: the highest counter} of numbers in the form `daily_number` writes (SQ202611220001 →
    {"SQ20261122": 1}): what `continue_after` needs for rows written in bulk without `daily_number`."""
    last = {}
    for number in numbers:
        key, counter = _split(number)
        last[key] = max(last.get(key, 0), counter)
    return last


def continue_after(last):
    """Move each counter of `last` ({key: highest number used}) up to at least that number, so that the next
    `daily_number` continues after rows written in bulk (the demo, a data load) instead of repeating them."""
    existing = {row.key: row for row in NumberSequence.objects.filter(key__in=list(last))}
    for row in existing.values():
        row.last = max(row.last, last[row.key])
    NumberSequence.objects.bulk_update(list(existing.values()), ["last"])
    NumberSequence.objects.bulk_create([NumberSequence(key=k, last=v) for k, v in last.items() if k not in existing])
