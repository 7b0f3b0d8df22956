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
