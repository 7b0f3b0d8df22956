"""Serving the 领导驾驶舱 through its kept boards (`reports.boards`): the kept board when its computation is slow, its
recomputation queued in the background (`tasks.refresh_board_task`) when it is old, on a user's 立即更新, and when a
target or the coverage threshold of its federation changes."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..boards import VIEWED_EVERY, board_key, keep, live_limit_ms, max_age, period_text, thawed, timed_build
from ..models import KeptBoard
from ..tasks import refresh_board_task


def board_for(user, period, federation=None, *, rolling=False):
    """The board of `user` looking at `federation` (None: its own, already checked to be of its scope) in
    `period`: the kept one when its computation is slow (queuing its recomputation when it is old), else computed
    now — and kept when that took `SHANGLIAN_BOARD_LIVE_SECONDS` or more."""
    key = board_key(user, period, federation, rolling=rolling)
    kept = KeptBoard.objects.filter(key=key).select_related("federation").first()
    if kept is not None and kept.build_ms >= live_limit_ms():
        return _served(kept)
    board, took = timed_build(user, period, federation)
    if took >= live_limit_ms():
        keep(key, user, board, took, period_text(period, rolling))
    elif kept is not None:
        kept.delete()
    return board


def _served(kept):
    now = timezone.now()
    old = now - kept.built_at >= max_age()
    queue = old and (kept.refresh_queued_at is None or now - kept.refresh_queued_at >= max_age())
    changes = {"refresh_queued_at": now} if queue else {}
    if now - kept.viewed_at >= VIEWED_EVERY:
        changes["viewed_at"] = now
    if changes:
        KeptBoard.objects.filter(pk=kept.pk).update(**changes)
    if queue:
        _enqueue(kept.pk)
    board = thawed(kept.payload, kept.federation)
    board.kept_at, board.build_ms = kept.built_at, kept.build_ms
    board.refreshing = queue or (kept.refresh_queued_at is not None and now - kept.refresh_queued_at < max_age())
    return board


def _enqueue(pk):
    transaction.on_commit(lambda: refresh_board_task(pk))


def refresh_now(user, period, federation=None, *, rolling=False):
    """立即更新: queue the recomputation of the user's kept board (when it has one and none is queued). Returns the
    kept board's last computation time in ms, or None when the board is computed on each visit."""
    key = board_key(user, period, federation, rolling=rolling)
    kept = KeptBoard.objects.filter(key=key).first()
    if kept is None:
        return None
    now = timezone.now()
    queued = KeptBoard.objects.filter(pk=kept.pk).filter(
        Q(refresh_queued_at__isnull=True) | Q(refresh_queued_at__lt=now - max_age())).update(refresh_queued_at=now)
    if queued:
        _enqueue(kept.pk)
    return kept.build_ms


def boards_changed(federation):
    """A target or the coverage threshold of `federation` changed: queue the recomputation of the kept boards it
    shows in (looked at, or by its people)."""
    kept = KeptBoard.objects.filter(Q(federation=federation) | Q(viewer_federation=federation))
    pks = list(kept.values_list("pk", flat=True))
    if pks:
        KeptBoard.objects.filter(pk__in=pks).update(refresh_queued_at=timezone.now())
        for pk in pks:
            _enqueue(pk)
