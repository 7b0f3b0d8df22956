"""The one audit call: every login event, change, export, PII view and denial goes through `record`."""

import logging

from django.db import connection, transaction
from django.utils import timezone

from . import context
from .models import AuditAction, AuditEvent, AuditResult

logger = logging.getLogger(__name__)
_CHAIN_LOCK_KEY = 7_390_014  # arbitrary constant for pg_advisory_xact_lock


def _clean(text, limit):
    """Neutralise control characters (log injection) and bound the length."""
    text = "" if text is None else str(text)
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)[:limit]


def record(
    action,
    *,
    actor=None,
    username="",
    result=AuditResult.SUCCESS,
    obj=None,
    object_type="",
    object_id="",
    object_repr="",
    detail=None,
):
    """Append one audit record, chained to the previous one, in the caller's transaction.

    Never pass a personal value (ID number, mobile, password) in `detail`: record what was done to
    whom, not the value.
    """
    ctx = context.current()
    if actor is None and ctx is not None and ctx.user is not None and ctx.user.is_authenticated:
        actor = ctx.user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if obj is not None:
        object_type = object_type or f"{obj._meta.app_label}.{obj._meta.model_name}"
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        event = AuditEvent(
            timestamp=timezone.now(),
            actor=actor,
            username=_clean(username or (actor.get_username() if actor else ""), 150),
            action=AuditAction(action),
            result=AuditResult(result),
            remote_addr=ctx.remote_addr if ctx else "",
            request_id=ctx.request_id if ctx else "",
            path=_clean(ctx.path, 255) if ctx else "",
            object_type=_clean(object_type, 100),
            object_id=_clean(object_id, 64),
            object_repr=_clean(object_repr, 255),
            detail=detail or {},
            prev_hash=last or "",
        )
        event.hash = event.compute_hash()
        event.save()
    return event


def verify_chain():
    """Walk the chain in id order; return the ids whose hash or link does not match."""
    broken = []
    prev = None
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if prev is not None and event.prev_hash != prev:
            broken.append(event.id)
        elif event.compute_hash() != event.hash:
            broken.append(event.id)
        prev = event.hash
    return broken


def purge_expired(*, now=None, dry_run=False):
    """Delete audit rows past retention. Never below 183 days; PII access rows are kept longer."""
    from django.conf import settings

    now = now or timezone.now()
    general = max(183, settings.AUDIT_RETENTION_DAYS)
    pii = max(general, settings.AUDIT_PII_RETENTION_DAYS)
    expired = AuditEvent.objects.filter(timestamp__lt=now - timezone.timedelta(days=general)).exclude(
        action=AuditAction.PII_VIEW
    ) | AuditEvent.objects.filter(
        action=AuditAction.PII_VIEW, timestamp__lt=now - timezone.timedelta(days=pii)
    )
    count = expired.count()
    if not dry_run and count:
        # Bypass the append-only queryset guard deliberately, only here.
        ids = list(expired.values_list("id", flat=True))
        with transaction.atomic():
            models_qs = AuditEvent.objects.filter(id__in=ids)
            models_qs._raw_delete(models_qs.db)
    return count
