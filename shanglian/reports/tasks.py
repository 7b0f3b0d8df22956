"""The reports' background work (Huey; immediate in tests): generating an annual work report; recomputing the
kept 领导驾驶舱 boards (`reports.boards`)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import boards
from .annual.generate import generate_report
from .models import KeptBoard, ReportRun


@db_task()
def generate_report_task(run_id):
    """Generate a queued run (a run already taken up, or gone, is left alone)."""
    run = ReportRun.objects.filter(pk=run_id, status=ReportRun.Status.QUEUED).first()
    if run is not None:
        generate_report(run)


@db_task()
def refresh_board_task(kept_id):
    """Recompute a kept board (one gone meanwhile is left alone)."""
    kept = KeptBoard.objects.filter(pk=kept_id).select_related("built_for", "federation").first()
    if kept is not None:
        boards.refresh(kept)


@db_periodic_task(crontab(minute="*/10"))
def refresh_kept_boards():
    """Every ten minutes: the kept boards older than SHANGLIAN_BOARD_MAX_AGE_MINUTES computed again, those nobody
    looked at for a week dropped."""
    boards.refresh_old()
