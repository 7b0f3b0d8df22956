from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save

from shanglian.common.rebuilds import rebuild_after_migrate


def _reinstall_search_index(sender, using="default", **kwargs):
    """On SQLite, a migration that remakes the enterprise or person table drops the search triggers; put them
    back (and rebuild the index only then). Idempotent, cheap when nothing is missing."""
    from django.db import connections

    from .search import install_index

    connection = connections[using]
    if connection.vendor == "sqlite":
        install_index(connection)


class MembersConfig(AppConfig):
    name = "shanglian.members"
    label = "members"
    verbose_name = "会员管理"

    def ready(self):
        post_migrate.connect(_reinstall_search_index, sender=self, dispatch_uid="members_search_index")
        # The member day summary follows every membership saved or deleted through the ORM (summaries.py).
        from . import summaries
        from .models import Membership

        # a migration marked `rebuilds_summaries` has its summaries rebuilt after the whole plan (common.rebuilds)
        post_migrate.connect(rebuild_after_migrate("members", summaries.rebuild), sender=self, weak=False,
                             dispatch_uid="members_summaries_rebuild")

        for signal in (post_save, post_delete):
            signal.connect(summaries.membership_written, sender=Membership,
                           dispatch_uid=f"membership_stats_{signal is post_save}")
