"""Fast writes for commit hooks: a few multi-row INSERTs (or one UPDATE `executemany`) per batch instead
of the ORM's per-object SQL compilation (bulk_create spends most of its time there).

An INSERT writes many rows per statement (`VALUES (…), (…), …`), not one statement per row through
`executemany`: on SQLite each statement that writes a table with a full-text trigger (the enterprises'
FTS5 name index) flushes the full-text index's pending terms at its start, so one row per statement
rebuilt and merged index segments row by row — 20,000 enterprises took 5–8 s of CPU that way, 0.6 s
in statements of several hundred rows (issue 19). The rows and their order are the same."""

import sqlite3
from contextlib import contextmanager

from django.db import connections, router

WRITE_CACHE_KIB = 64 * 1024  # SQLite's page cache while an import writes (its default is 2 MiB)
ROWS_PER_STATEMENT = 500  # at most; fewer when the rows are wide (the database's limit of parameters)
_POSTGRESQL_PARAMS = 65_535  # the protocol's limit of parameters in one statement

_PLAIN_TYPES = frozenset({"AutoField", "BigAutoField", "SmallAutoField", "BigIntegerField", "BooleanField",
                          "CharField", "ForeignKey", "IntegerField", "OneToOneField", "PositiveBigIntegerField",
                          "PositiveIntegerField", "PositiveSmallIntegerField", "SlugField", "SmallIntegerField",
                          "TextField"})


_PREPARATION = ("to_python", "get_prep_value", "get_db_prep_value", "get_db_prep_save")


def _prepares_as_django(model_field):
    """Whether the field prepares values as the Django field it derives from does (a project field such
    as `BlindIndexField(CharField)` that overrides none of the preparation methods)."""
    cls = type(model_field)
    base = next(klass for klass in cls.__mro__ if klass.__module__.startswith("django."))
    return all(getattr(cls, name) is getattr(base, name) for name in _PREPARATION)


def _adapter(model_field, connection):
    """How a Python value becomes a database value for this field: None when it goes as it is."""
    internal = model_field.get_internal_type()
    if internal in _PLAIN_TYPES and _prepares_as_django(model_field):
        return None
    if internal == "DateField":
        return connection.ops.adapt_datefield_value
    if internal == "DateTimeField":
        return connection.ops.adapt_datetimefield_value
    if internal == "DecimalField":
        # imported here: at module level it closes an import cycle inside Django (common.excel loads early)
        from django.db.backends.base.operations import BaseDatabaseOperations

        adapt = connection.ops.adapt_decimalfield_value
        if getattr(adapt, "__func__", None) is BaseDatabaseOperations.adapt_decimalfield_value \
                and _prepares_as_django(model_field):
            return None  # the backend takes a Decimal as it is (SQLite and PostgreSQL)
        digits, places = model_field.max_digits, model_field.decimal_places
        return lambda value: adapt(value, digits, places)
    # anything else (encrypted fields, JSON, custom fields): the field's own preparation
    return lambda value: model_field.get_db_prep_save(value, connection)


_MEMO_TYPES = frozenset({"DateField", "DateTimeField", "DecimalField"})  # pure adapters: equal in, equal out


def _prepared(model, fields, rows, connection):
    """The rows with each value adapted for the database, a column at a time: dates and timestamps
    repeat (one `now` per batch), so each distinct one is adapted once; a field that prepares a batch
    itself (`get_db_prep_save_many`: an encrypted field encrypts every value afresh, in one batch) gets
    its whole column; any other adapter each value."""
    model_fields = [model._meta.get_field(name) for name in fields]
    adapters = [(i, model_field, adapt) for i, model_field in enumerate(model_fields)
                if (adapt := _adapter(model_field, connection)) is not None]
    if not adapters:
        return model_fields, rows
    columns = [list(column) for column in zip(*rows, strict=True)]
    for i, model_field, adapt in adapters:
        column = columns[i]
        many = getattr(model_field, "get_db_prep_save_many", None)
        if many is not None:
            columns[i] = many(column, connection)
            continue
        if model_field.get_internal_type() in _MEMO_TYPES:
            # each distinct value adapted once (the first of equal ones, as a set keeps it); None stays None
            adapted = {value: adapt(value) for value in dict.fromkeys(column) if value is not None}
            adapted[None] = None
            columns[i] = list(map(adapted.__getitem__, column))
            continue
        for j, value in enumerate(column):
            if value is not None:
                column[j] = adapt(value)
    return model_fields, list(zip(*columns, strict=True))


@contextmanager
def write_cache(using="default"):
    """On SQLite, a page cache of `WRITE_CACHE_KIB` for the writes inside (then the connection's own
    again): an import inserts into a dozen indexes and the full-text index, whose pages a 2 MiB cache
    evicts and reads back again and again once the tables outgrow it (100,000 rows). Elsewhere nothing."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{int(WRITE_CACHE_KIB)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _parameter_limit(connection):
    """The most parameters one statement may hold on this connection."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return connection.features.max_query_params or _POSTGRESQL_PARAMS


def insert_rows(model, fields, rows, *, returning=None):
    """INSERT rows (sequences of Python values in `fields` order), in file order, with as few multi-row
    statements as the database's limit of parameters allows (`ROWS_PER_STATEMENT` rows each at most).

    No Model.save(), no signals, no pre_save: the caller supplies every NOT NULL column, computed
    columns (pinyin initials, blind indexes) and timestamps. Values are adapted per field type as the
    ORM would (dates, decimals, encrypted fields). Constraints still hold: they are the database's.

    `returning` (field names): the inserted rows' values of those fields, as tuples (in no promised
    order: ask for a natural key with the id), read by the INSERTs themselves (RETURNING)."""
    if not rows:
        return [] if returning else None
    connection = connections[router.db_for_write(model)]
    model_fields, prepared = _prepared(model, fields, rows, connection)
    quote_name = connection.ops.quote_name
    columns = ", ".join(quote_name(f.column) for f in model_fields)
    row = "(" + ", ".join(["%s"] * len(model_fields)) + ")"
    tail = ""
    if returning:
        tail = " RETURNING " + ", ".join(quote_name(model._meta.get_field(name).column) for name in returning)
    per = max(1, min(ROWS_PER_STATEMENT, _parameter_limit(connection) // len(model_fields)))
    head = f"INSERT INTO {quote_name(model._meta.db_table)} ({columns}) VALUES "  # noqa: S608 (from the model meta)
    out = []
    with connection.cursor() as cursor:
        for start in range(0, len(prepared), per):
            chunk = prepared[start:start + per]
            # identifiers come from the model's meta, values are parameters
            cursor.execute(head + ", ".join([row] * len(chunk)) + tail, [value for values in chunk for value in values])
            if returning:
                out += cursor.fetchall()
    return out if returning else None


def update_rows(model, fields, rows, *, keep_when_empty=()):
    """UPDATE by primary key with one executemany: rows are (value, …, pk) in `fields` order. A field in
    `keep_when_empty` keeps its stored value when the given value is None (COALESCE)."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    model_fields, prepared = _prepared(model, [*fields, model._meta.pk.name], rows, connection)
    quote_name = connection.ops.quote_name
    assignments = ", ".join(
        f"{quote_name(f.column)} = COALESCE(%s, {quote_name(f.column)})" if f.name in keep_when_empty
        else f"{quote_name(f.column)} = %s"
        for f in model_fields[:-1])
    table, pk = quote_name(model._meta.db_table), quote_name(model._meta.pk.column)
    sql = f"UPDATE {table} SET {assignments} WHERE {pk} = %s"  # noqa: S608 (identifiers from the model meta)
    with connection.cursor() as cursor:
        cursor.executemany(sql, prepared)
