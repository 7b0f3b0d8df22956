from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save

from shanglian.common.rebuilds import rebuild_after_migrate


def _reinstall_search_index(sender, using="default", **kwargs):
    """On SQLite, a migration that remakes the policies table drops the search triggers; put them back
    (and rebuild the index only then). Idempotent, cheap when nothing is missing."""
    from django.db import connections

    from .search import install_index

    connection = connections[using]
    if connection.vendor == "sqlite":
        install_index(connection)


class PoliciesConfig(AppConfig):
    name = "shanglian.policies"
    label = "policies"
    verbose_name = "惠企政策"

    def ready(self):
        post_migrate.connect(_reinstall_search_index, sender=self, dispatch_uid="policies_search_index")
        # The push-day summary follows every delivery saved or deleted through the ORM (summaries.py).
        from . import summaries
        from .models import PolicyDelivery

        # a migration marked `rebuilds_summaries` has its summaries rebuilt after the whole plan (common.rebuilds)
        post_migrate.connect(rebuild_after_migrate("policies", summaries.rebuild), sender=self, weak=False,
                             dispatch_uid="policies_summaries_rebuild")

        for signal in (post_save, post_delete):
            signal.connect(summaries.delivery_written, sender=PolicyDelivery,
                           dispatch_uid=f"delivery_stats_{signal is post_save}")
