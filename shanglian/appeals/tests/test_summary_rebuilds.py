"""The maintained summaries are filled after `migrate` has applied its whole plan (common.rebuilds), not by
a migration running today's models against an older schema (appeals 0008 wrote `span`, added by 0011)."""

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.models.signals import post_migrate

from shanglian.appeals.models import AppealDayStat, AppealReach, Status
from shanglian.appeals.tests.factories import make_appeal
from shanglian.common.rebuilds import rebuild_after_migrate

SUMMARY_MIGRATIONS = [("appeals", "0008_kpi_summaries"), ("appeals", "0014_department_replied_appeals"),
                      ("members", "0011_member_day_summary"), ("policies", "0006_push_day_summary")]


def _migration(app_label, name):
    return MigrationLoader(connection, ignore_no_migrations=True).graph.nodes[(app_label, name)]


@pytest.mark.django_db
def test_the_summary_migrations_are_marked_and_run_no_code_of_today():
    from django.db.migrations.operations.special import RunPython

    for key in SUMMARY_MIGRATIONS:
        migration = _migration(*key)
        assert migration.rebuilds_summaries is True, key
        assert not [op for op in migration.operations if isinstance(op, RunPython)], key


@pytest.mark.django_db
def test_the_receiver_rebuilds_after_a_plan_that_applied_a_marked_migration_of_its_app_only():
    calls = []
    receiver = rebuild_after_migrate("appeals", lambda: calls.append(1))
    marked = _migration("appeals", "0014_department_replied_appeals")
    plain = _migration("appeals", "0013_enterprise_kpi_index_id")
    other = _migration("members", "0011_member_day_summary")
    for plan in (None, [], [(plain, False)], [(marked, True)], [(other, False)]):
        receiver(sender=None, plan=plan)
    assert calls == []  # flush (no plan), nothing applied, an unmarked one, backwards, another app's
    receiver(sender=None, plan=[(plain, False), (marked, False), (other, False)])
    assert calls == [1]  # once, whatever the plan holds


@pytest.mark.django_db
def test_a_migrate_that_applied_a_marked_migration_fills_the_appeal_summaries(cast):
    make_appeal(cast, Status.REPLIED, title="迁移后重建汇总")
    kept = sorted(AppealDayStat.objects.values_list("department_id", "span", "day", "received",
                                                     "department_replied_appeals"), key=repr)
    assert kept and any(row[4] for row in kept)
    AppealDayStat.objects.all().delete()
    AppealReach.objects.all().delete()
    config = apps.get_app_config("appeals")
    post_migrate.send(sender=config, app_config=config, verbosity=0, interactive=False, using="default",
                      plan=[(_migration("appeals", "0014_department_replied_appeals"), False)], apps=apps)
    assert sorted(AppealDayStat.objects.values_list("department_id", "span", "day", "received",
                                                     "department_replied_appeals"), key=repr) == kept
    assert AppealReach.objects.exists()
