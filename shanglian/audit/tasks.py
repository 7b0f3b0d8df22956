from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(minute="*/15"))
def checkpoint_audit_chain():
    """Anchor the chain's head every 15 minutes (see `services.advance_checkpoint`)."""
    return services.advance_checkpoint()
