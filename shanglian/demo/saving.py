"""Helpers the demo builders save with: ids of bulk inserts, streamed writes of many rows (COPY on
PostgreSQL, multi-row INSERTs on SQLite), the id sequences after explicit ids, the planner statistics, and
the progress a large run prints."""

import resource
import time

from django.core.management.color import no_style
from django.db import connection

from shanglian.common.excel.bulk import insert_rows


def bulk_created_ids(model, objs, key):
    """The primary keys of bulk-created `objs` of `model`, in order (found again by the unique field
    `key` where the backend does not return them from a bulk insert)."""
    ids = [obj.pk for obj in objs]
    if None not in ids:
        return ids
    by_key = dict(model.objects.filter(**{f"{key}__in": [getattr(o, key) for o in objs]}).values_list(key, "pk"))
    return [by_key[getattr(o, key)] for o in objs]


def next_id(model):
    """The first free primary key of `model`: rows written with explicit ids start there."""
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def write_rows(model, fields, rows):
    """Write `rows` (sequences of Python values in `fields` order; every NOT NULL column, computed
    columns and timestamps supplied by the caller) — COPY on PostgreSQL, multi-row INSERTs elsewhere.
    Returns the number of rows written."""
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        insert_rows(model, fields, rows)
        return len(rows)
    model_fields = [model._meta.get_field(name) for name in fields]
    # Django's own fields go as they are (psycopg adapts dates, timestamps and decimals); the project's
    # fields (encryption) prepare their values themselves.
    custom = [i for i, f in enumerate(model_fields) if not type(f).__module__.startswith("django.")]
    quote_name = connection.ops.quote_name
    columns = ", ".join(quote_name(f.column) for f in model_fields)
    sql = f"COPY {quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            if custom:
                row = list(row)
                for i in custom:
                    if row[i] is not None:
                        row[i] = model_fields[i].get_db_prep_save(row[i], connection)
            copy.write_row(row)
    return len(rows)


def reset_sequences(*models):
    """After rows written with explicit ids: the database's id sequences continue after them."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def peak_rss_mb():
    """The peak resident memory of this process so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Progress:
    """Rows written per table and rows/s, printed by `report` (a callable taking one line) as a run goes."""

    def __init__(self, report=None, every=2.0):
        self.report, self.every = report, every
        self.rows, self.started, self._last = {}, time.monotonic(), 0.0

    def add(self, label, count):
        self.rows[label] = self.rows.get(label, 0) + count
        now = time.monotonic()
        if self.report is not None and now - self._last >= self.every:
            self._last = now
            self.report(self.line())

    def total(self):
        return sum(self.rows.values())

    def line(self, prefix=""):
        elapsed = max(time.monotonic() - self.started, 1e-6)
        parts = "，".join(f"{label} {count:,}" for label, count in self.rows.items())
        return (f"{prefix}{parts}（共 {self.total():,} 行，{self.total() / elapsed:,.0f} 行/秒，"
                f"{elapsed:.0f} 秒，内存峰值 {peak_rss_mb():,.0f} MB）")
