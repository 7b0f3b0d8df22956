from django.apps import AppConfig
from django.db.models.signals import post_delete, post_init, post_migrate, post_save

from shanglian.common.rebuilds import rebuild_after_migrate


def _reinstall_search_index(sender, using="default", **kwargs):
    """On SQLite, a migration that remakes the appeals table drops the search triggers; put them back (and
    rebuild the index only then). Idempotent, cheap when nothing is missing."""
    from django.db import connections

    from .search import install_index

    connection = connections[using]
    if connection.vendor == "sqlite":
        install_index(connection)


class AppealsConfig(AppConfig):
    name = "shanglian.appeals"
    label = "appeals"
    verbose_name = "诉求办理"

    def ready(self):
        post_migrate.connect(_reinstall_search_index, sender=self, dispatch_uid="appeals_search_index")
        # The KPI summaries follow every appeal and assignment write, in its transaction (summaries.py).
        from . import summaries
        from .models import Appeal, Assignment

        # a migration marked `rebuilds_summaries` has its summaries rebuilt after the whole plan (common.rebuilds)
        post_migrate.connect(rebuild_after_migrate("appeals", summaries.rebuild), sender=self, weak=False,
                             dispatch_uid="appeals_summaries_rebuild")

        for signal in (post_save, post_delete):
            signal.connect(summaries.appeal_written, sender=Appeal, dispatch_uid=f"appeal_stats_{signal is post_save}")
            signal.connect(summaries.assignment_written, sender=Assignment,
                           dispatch_uid=f"assignment_stats_{signal is post_save}")
        # a chamber's rows follow its memberships (its members' appeals are its scope)
        from shanglian.members.models import ChamberMembership
        from shanglian.members.signals import chamber_memberships_written

        post_init.connect(summaries.chamber_membership_loaded, sender=ChamberMembership,
                          dispatch_uid="chamber_stats_loaded")
        post_save.connect(summaries.chamber_membership_saved, sender=ChamberMembership, dispatch_uid="chamber_stats_saved")
        post_delete.connect(summaries.chamber_membership_deleted, sender=ChamberMembership,
                            dispatch_uid="chamber_stats_deleted")
        chamber_memberships_written.connect(summaries.chamber_memberships_written, dispatch_uid="chamber_stats_bulk")
