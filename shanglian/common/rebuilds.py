"""Maintained summaries filled after `migrate`, not inside a migration (issue 19).

A migration that adds a summary, or a column to one, marks itself `rebuilds_summaries = True` instead of
calling the app's `rebuild()` in a RunPython: that code reads and writes the models as they are now, and a
database upgraded across several migrations would meet, inside an early one, a model that already has the
columns of a later one (appeals 0008 wrote `span`, added by 0011). `rebuild_after_migrate` runs the rebuild
once the whole plan is applied, when the schema is the models'.
"""


def rebuild_after_migrate(app_label, rebuild):
    """A post_migrate receiver (connect it with the app's config as sender, weak=False) that calls
    `rebuild()` when the plan just applied holds, forwards, a migration of `app_label` marked
    `rebuilds_summaries`. A migrate that applies nothing, a backwards plan and `flush` (no plan) rebuild
    nothing."""

    def receiver(sender, plan=None, **kwargs):
        if any(not backwards and migration.app_label == app_label and getattr(migration, "rebuilds_summaries", False)
               for migration, backwards in plan or ()):
            rebuild()

    return receiver
