"""Periodic work of the policy library (run by `manage.py run_huey`; immediate in tests)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(hour="0", minute="5"))
def expire_policies_daily():
    """Shortly after midnight: published policies past their expiry date become 已失效."""
    return services.expire_policies()
