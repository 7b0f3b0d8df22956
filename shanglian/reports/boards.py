"""Kept boards: a 领导驾驶舱 that takes too long to compute on each visit is served from its last computation.

A district's board is computed for each visit (about 0.3 s at 20,000 firms). A province's reads the raw rows of a
million firms and ten million appeals and takes seconds however it is written (`bench/results/dashboard-*.md`), so
a leader would wait that long on every visit. The rule, measured and not guessed: a board whose computation took at
least `SHANGLIAN_BOARD_LIVE_SECONDS` is kept (`KeptBoard`) and served from then on — the page says when its figures
were computed — and recomputed in the background (`tasks.refresh_board_task`, `refresh` here) once older than
`SHANGLIAN_BOARD_MAX_AGE_MINUTES`: queued by the visit that finds it old, at once when a target or the coverage
threshold of its federation changes, and on a user's 立即更新 (`services.boards`, which serves the page), and by
`tasks.refresh_kept_boards` every ten minutes for the boards looked at in the last week (`refresh_old`). A board that
has become quick to compute is dropped and computed on each visit again.

A kept board is shared by everyone of the same role and federation looking at the same federation and period (the
`key`): the figures of a federation role read the federation's records, not the person's. The default board (no
period asked: the year to date) is kept under `KeptBoard.ROLLING` and recomputed for the day of its recomputation.
What is kept is what the page shows (`frozen`: the cards as `dashboard.ShownCard`, the charts' data), never the
records: each number still links to its records, listed live.
"""

import time
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from shanglian.accounts.roles import role_of
from shanglian.common.periods import Period

from . import dashboard
from .models import KeptBoard

FORGOTTEN_AFTER = timedelta(days=7)  # a kept board nobody looked at for a week is dropped
VIEWED_EVERY = timedelta(hours=1)  # how often a visit writes down that the board is still looked at


def live_limit_ms():
    return int(settings.SHANGLIAN_BOARD_LIVE_SECONDS * 1000)


def max_age():
    return timedelta(minutes=settings.SHANGLIAN_BOARD_MAX_AGE_MINUTES)


# --- the key -------------------------------------------------------------------------------------------------------
def period_text(period, rolling):
    return KeptBoard.ROLLING if rolling else f"{period.kind}:{period.start.isoformat()}:{period.end.isoformat()}"


def period_of(text, today=None):
    """The period a kept board's `period` names (the year to date of `today` for the rolling one)."""
    if text == KeptBoard.ROLLING:
        return dashboard.year_to_date(today)
    kind, start, end = text.split(":")
    return Period(date.fromisoformat(start), date.fromisoformat(end), kind)


def board_key(user, period, federation=None, *, rolling=False):
    """Who shares a board: the role and federation of the viewer, the federation looked at, the period."""
    looked_at = federation.pk if federation is not None else user.federation_id
    return f"{looked_at}/{user.federation_id}/{role_of(user)}/{period_text(period, rolling)}"


# --- a board as stored and read back ------------------------------------------------------------------------------
def frozen(board):
    """What `board` shows, as JSON-able values (the cards as `ShownCard` fields)."""
    return {
        "period": {"kind": board.period.kind, "start": board.period.start.isoformat(),
                   "end": board.period.end.isoformat()},
        "federation": board.federation.pk,
        "headline": [vars_of(card.shown()) for card in board.headline],
        "sections": [{"title": section.title, "dom_id": section.dom_id, "cards": [vars_of(c.shown()) for c in
                                                                                   section.cards],
                      "charts": [list(chart) for chart in section.charts]} for section in board.sections],
        "data": board.data,
        "has_map": board.has_map,
        "compared": board.compared,
    }


def vars_of(card):
    return {name: getattr(card, name) for name in dashboard.SHOWN}


def thawed(payload, federation):
    """The `Board` a kept payload shows (`federation`: the federation it is of, already read)."""
    period = payload["period"]
    return dashboard.Board(
        period=Period(date.fromisoformat(period["start"]), date.fromisoformat(period["end"]), period["kind"]),
        federation=federation,
        headline=[dashboard.ShownCard(**card) for card in payload["headline"]],
        sections=[dashboard.Section(section["title"], section["dom_id"],
                                    [dashboard.ShownCard(**card) for card in section["cards"]],
                                    [tuple(chart) for chart in section["charts"]])
                  for section in payload["sections"]],
        data=payload["data"], has_map=payload["has_map"], compared=payload["compared"])


def timed_build(user, period, federation=None):
    """(`dashboard.build`'s board, the milliseconds it took): what decides whether a board is kept."""
    began = time.perf_counter()
    board = dashboard.build(user, period, federation)
    return board, round((time.perf_counter() - began) * 1000)


def keep(key, user, board, took, period):
    """Store `board` (computed in `took` ms) as the kept board `key`."""
    now = timezone.now()
    values = {"federation": board.federation, "viewer_federation_id": user.federation_id, "role": role_of(user),
              "period": period, "built_for": user, "payload": frozen(board), "built_at": now, "build_ms": took,
              "refresh_queued_at": None, "viewed_at": now}
    try:
        with transaction.atomic():
            KeptBoard.objects.update_or_create(key=key, defaults=values)
    except IntegrityError:  # another process kept it between our read and our write: theirs is as new
        pass


# --- recomputing -------------------------------------------------------------------------------------------------------
def refresh(kept):
    """Compute `kept` again for the user it was computed for; drop it when that user no longer has the role and
    federation of its key, or the federation left the user's scope, or it has become quick to compute."""
    user = kept.built_for
    if user is None or not user.is_active or user.federation_id != kept.viewer_federation_id \
            or role_of(user) != kept.role:
        kept.delete()
        return None
    period = period_of(kept.period)
    looked_at = None if kept.federation_id == user.federation_id else kept.federation
    try:
        board, took = timed_build(user, period, looked_at)
    except Http404:  # the federation is no longer of the user's scope
        kept.delete()
        return None
    if took < live_limit_ms():
        kept.delete()
        return None
    now = timezone.now()
    KeptBoard.objects.filter(pk=kept.pk).update(payload=frozen(board), built_at=now, build_ms=took,
                                                refresh_queued_at=None)
    return took


def refresh_old(now=None):
    """The periodic pass: drop the kept boards nobody looked at for a week, recompute the old ones (oldest first).
    Returns (recomputed, dropped)."""
    now = now or timezone.now()
    dropped, _ = KeptBoard.objects.filter(viewed_at__lt=now - FORGOTTEN_AFTER).delete()
    recomputed = 0
    old = KeptBoard.objects.filter(built_at__lte=now - max_age()).select_related("built_for", "federation")
    for kept in old.order_by("built_at"):
        if refresh(kept) is not None:
            recomputed += 1
    return recomputed, dropped
