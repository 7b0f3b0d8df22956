"""Periodic work of the service desk (run by `manage.py run_huey`; immediate in tests)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(minute="*/15"))
def sweep_appeal_deadlines():
    """Every 15 minutes: supervise overdue appeals and remind departments late to sign for one."""
    result = services.sweep_deadlines()
    return {"supervised": result.supervised, "sign_reminders": result.sign_reminders}
