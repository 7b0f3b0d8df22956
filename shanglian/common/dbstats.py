"""Planner statistics (issue 19): the query planner picks an index only when it knows the tables'
sizes and how selective each index is. Neither SQLite nor (until autovacuum gets to it) PostgreSQL
knows that after a bulk load: without statistics SQLite walked every appeal of a federation once per
enterprise. `refresh_planner_statistics` runs ANALYZE (and on SQLite `PRAGMA optimize`) and is called
after `migrate` (post_migrate, `apps.CommonConfig`), at the end of `seed_demo`, at the end of an import
job (`imports.jobs.run`); `optimize_planner_statistics` runs daily (`common.tasks`).

On SQLite, ANALYZE reads at most `SQLITE_ANALYSIS_LIMIT` rows of each index (`PRAGMA analysis_limit`,
the approximate statistics SQLite recommends): a second or two at city scale instead of a full pass."""

import logging
import time

from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)

SQLITE_ANALYSIS_LIMIT = 1000


def _sqlite_statements(full):
    statements = [f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}"]
    if full:
        statements.append("ANALYZE")
    statements.append("PRAGMA optimize")
    return statements


def _statements(vendor, full):
    if vendor == "sqlite":
        return _sqlite_statements(full)
    if vendor == "postgresql":
        return ["ANALYZE"]
    return []


def _run(using, full):
    connection = connections[using]
    statements = _statements(connection.vendor, full)
    started = time.monotonic()
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    logger.info("planner statistics (%s) refreshed in %.2f s", connection.vendor, time.monotonic() - started)
    return statements


def refresh_planner_statistics(using=DEFAULT_DB_ALIAS):
    """ANALYZE every table (SQLite: then `PRAGMA optimize`); returns the statements run."""
    return _run(using, full=True)


def optimize_planner_statistics(using=DEFAULT_DB_ALIAS):
    """The daily pass: on SQLite `PRAGMA optimize` (which analyzes only the tables that changed a lot
    since their last statistics); on PostgreSQL ANALYZE (autovacuum does it too, on its own schedule)."""
    return _run(using, full=False)


def refresh_after_migrate(sender, using=DEFAULT_DB_ALIAS, plan=None, **kwargs):
    """post_migrate receiver: refresh after every `migrate` (a deployment refreshes the statistics even
    when it applies nothing). `flush` (between transactional tests) sends post_migrate without a plan:
    skipped."""
    if plan is not None:
        refresh_planner_statistics(using)
