"""The reports' background work (Huey; immediate in tests): generating an annual work report."""

from huey.contrib.djhuey import db_task

from .annual.generate import generate_report
from .models import ReportRun


@db_task()
def generate_report_task(run_id):
    """Generate a queued run (a run already taken up, or gone, is left alone)."""
    run = ReportRun.objects.filter(pk=run_id, status=ReportRun.Status.QUEUED).first()
    if run is not None:
        generate_report(run)
