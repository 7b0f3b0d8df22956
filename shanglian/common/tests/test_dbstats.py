"""Planner statistics (issue 19): ANALYZE really runs on both vendors, after every `migrate` (not after the
`flush` between transactional tests), and `PRAGMA optimize` daily as a Huey periodic task."""

from datetime import datetime

import pytest
from django.core.management import call_command
from django.db import connection

from shanglian.common import dbstats
from shanglian.common.models import DictItem
from shanglian.common.tasks import optimize_planner_statistics_daily


@pytest.fixture
def runs(monkeypatch):
    """The refreshes asked for, as their `full` flag (True: ANALYZE; False: the daily pass)."""
    calls = []
    run = dbstats._run

    def spy(using, full):
        calls.append(full)
        return run(using, full)

    monkeypatch.setattr(dbstats, "_run", spy)
    return calls


def _table_statistics(table):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if not cursor.fetchone()[0]:
                return None
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [table])  # first number: rows
            row = cursor.fetchone()
            return row and int(row[0].split()[0])
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        return int(cursor.fetchone()[0])


@pytest.mark.django_db
def test_refreshing_records_the_row_count_of_a_table_for_the_planner():
    table = DictItem._meta.db_table
    DictItem.objects.filter(kind="planner-test").delete()
    for n in range(30):
        DictItem.objects.create(kind="planner-test", code=f"c{n}", label=f"项{n}")
    rows = DictItem.objects.count()
    statements = dbstats.refresh_planner_statistics()
    assert _table_statistics(table) == rows
    expected = ["ANALYZE"] if connection.vendor == "postgresql" else [
        f"PRAGMA analysis_limit={dbstats.SQLITE_ANALYSIS_LIMIT}", "ANALYZE", "PRAGMA optimize"]
    assert statements == expected


@pytest.mark.django_db
def test_the_daily_pass_optimizes_without_a_full_analyze_on_sqlite(runs):
    statements = optimize_planner_statistics_daily.call_local()
    assert runs == [False]
    assert "ANALYZE" in statements if connection.vendor == "postgresql" else statements[-1] == "PRAGMA optimize"
    assert "ANALYZE" not in statements or connection.vendor == "postgresql"


def test_the_daily_pass_is_a_periodic_task_at_half_past_three_in_shanghai():
    task = optimize_planner_statistics_daily.task_class()
    assert task.validate_datetime(datetime(2026, 11, 30, 19, 30))
    assert not task.validate_datetime(datetime(2026, 11, 30, 3, 30))


@pytest.mark.django_db(transaction=True)
def test_every_migrate_refreshes_the_statistics_once(runs):
    call_command("migrate", verbosity=0, interactive=False)
    assert runs == [True]


@pytest.mark.django_db(transaction=True)
def test_a_flush_does_not_refresh_them(runs):
    call_command("flush", verbosity=0, interactive=False)
    assert runs == []
