"""The one audit call: every login event, change, export, PII view and denial goes through `record`."""

import hashlib
import hmac
import json
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import context
from .locks import serialise_writes
from .models import KEYED_EPOCH, LEGACY_EPOCH, AuditAction, AuditEvent, AuditResult

logger = logging.getLogger(__name__)


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
        serialise_writes()  # the chain: each row hashes the one before it
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        event = AuditEvent(
            timestamp=timezone.now(),
            actor=actor,
            username=_clean(username or (actor.get_username() if actor else ""), 150),
            actor_display=_clean(getattr(actor, "display_name", "") or (actor.get_username() if actor else ""), 50),
            actor_role=_clean(getattr(actor, "role_label", "") if actor else "", 32),
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


def verify_chain(*, since_id=None, anchored=True):
    """Walk the chain in id order; return the ids whose hash or link does not match, and the id of the
    checkpointed head if that row is gone or changed (the newest rows were deleted).

    A legacy (unkeyed) row after a keyed one is a downgrade and counts as broken. `since_id` starts the
    walk at that row (the periodic checkpoint only checks what was added since the last one).
    `anchored=False` checks the rows alone, not the checkpoint (a restored database, before the
    checkpoint is moved to it).
    """
    broken = []
    prev = None
    keyed_seen = False
    checkpoint = read_checkpoint() if anchored else None
    keyed_from = checkpoint.get("keyed_from") if checkpoint else None
    rows = AuditEvent.objects.order_by("id")
    if since_id is not None:
        rows = rows.filter(id__gte=since_id)
    for event in rows.iterator(chunk_size=2000):
        downgraded = event.chain_epoch == LEGACY_EPOCH and (
            keyed_seen or (keyed_from is not None and event.id >= keyed_from))
        if (prev is not None and event.prev_hash != prev) or downgraded or event.compute_hash() != event.hash:
            broken.append(event.id)
        keyed_seen = keyed_seen or event.chain_epoch >= KEYED_EPOCH
        prev = event.hash
    if checkpoint and checkpoint["last_id"] not in broken:
        head = AuditEvent.objects.filter(id=checkpoint["last_id"]).values_list("hash", flat=True).first()
        if head != checkpoint["last_hash"]:
            broken.append(checkpoint["last_id"])
    return broken


class CheckpointError(Exception):
    """The checkpoint file exists but its signature does not match: it was edited or the key changed."""


def _checkpoint_mac(data):
    fields = [data["last_id"], data["last_hash"], data["at"], data["keyed_from"]]
    message = b"audit-checkpoint|" + json.dumps(fields, separators=(",", ":")).encode()
    return hmac.new(settings.SHANGLIAN_AUDIT_CHAIN_KEY, message, hashlib.sha256).hexdigest()


def read_checkpoint():
    """The last signed checkpoint of the chain's head, or None before the first one."""
    path = settings.AUDIT_CHECKPOINT_FILE
    if not path.exists():
        return None
    data = json.loads(path.read_text())
    if not hmac.compare_digest(str(data.get("mac", "")), _checkpoint_mac(data)):
        raise CheckpointError(f"审计检查点 {path} 的签名不符：检查点被改动，或审计链密钥已更换。")
    return data


def write_checkpoint():
    """Sign (last id, last hash, time) of the chain's head into AUDIT_CHECKPOINT_FILE, outside the
    database. Call it only after the chain up to the head has verified."""
    head = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
    if head is None:
        return None
    first_keyed = AuditEvent.objects.filter(chain_epoch__gte=KEYED_EPOCH).order_by("id").values_list(
        "id", flat=True).first()
    data = {"last_id": head[0], "last_hash": head[1], "at": timezone.now().isoformat(),
            "keyed_from": first_keyed}
    data["mac"] = _checkpoint_mac(data)
    path = settings.AUDIT_CHECKPOINT_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data))
    tmp.chmod(0o600)
    tmp.replace(path)
    return data


def advance_checkpoint():
    """Verify what was added since the last checkpoint and, if it holds, move the checkpoint to the head.
    Returns the broken ids (then the checkpoint is left where it was, so the damage stays reported)."""
    checkpoint = read_checkpoint()
    broken = verify_chain(since_id=checkpoint["last_id"] if checkpoint else None)
    if broken:
        logger.error("Audit chain broken at ids %s; checkpoint not advanced", broken[:20])
        return broken
    write_checkpoint()
    return []


def record_restore(detail):
    """A restore put back an older database: the rows written since the backup are gone by intent, and
    the checkpoint (which names a newer head) would report them as a truncation. Check the restored
    chain on its own, append one RESTORE row naming the checkpoint it replaces (what the restore
    rolled back), and anchor the checkpoint at that row if the restored chain holds. A broken restored
    chain is recorded and the checkpoint left alone, so `verify_audit_chain` goes on reporting it.
    Returns the broken ids of the restored chain."""
    try:
        previous = read_checkpoint()
    except CheckpointError as exc:
        previous = {"invalid": str(exc)}
    broken = verify_chain(anchored=False)
    replaced = ({k: previous[k] for k in ("last_id", "at", "invalid") if k in previous} if previous else None)
    record(AuditAction.RESTORE, result=AuditResult.FAILURE if broken else AuditResult.SUCCESS,
           object_type="backup", object_repr=f"备份 {detail.get('backup_created_at', '')}",
           detail={**detail, "checkpoint_replaced": replaced, "restored_chain_broken": broken[:20]})
    if not broken:
        write_checkpoint()
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
    head = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    expired = expired.exclude(id=head)  # the head anchors the checkpoint: it stays until a newer row exists
    count = expired.count()
    if not dry_run and count:
        # Bypass the append-only queryset guard deliberately, only here.
        ids = list(expired.values_list("id", flat=True))
        with transaction.atomic():
            models_qs = AuditEvent.objects.filter(id__in=ids)
            models_qs._raw_delete(models_qs.db)
    return count
