"""Periodic work of the common floor (run by `manage.py run_huey`; immediate in tests)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import dbstats


@db_periodic_task(crontab(hour="19", minute="30"))  # 03:30 in Asia/Shanghai (Huey runs in UTC)
def optimize_planner_statistics_daily():
    """Keep the planner's statistics fresh as the data grows (see `dbstats`)."""
    return dbstats.optimize_planner_statistics()
