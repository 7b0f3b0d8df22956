"""Fast writes for commit hooks: one `executemany` per batch instead of the ORM's per-object SQL
compilation (bulk_create spends most of its time there)."""

from django.db import connections, router

_PLAIN_TYPES = frozenset({"AutoField", "BigAutoField", "SmallAutoField", "BigIntegerField", "BooleanField",
                          "CharField", "ForeignKey", "IntegerField", "OneToOneField", "PositiveBigIntegerField",
                          "PositiveIntegerField", "PositiveSmallIntegerField", "SlugField", "SmallIntegerField",
                          "TextField"})


def _adapter(model_field, connection):
    """How a Python value becomes a database value for this field: None when it goes as it is."""
    internal = model_field.get_internal_type()
    if internal in _PLAIN_TYPES and type(model_field).__module__.startswith("django."):
        return None
    if internal == "DateField":
        return connection.ops.adapt_datefield_value
    if internal == "DateTimeField":
        return connection.ops.adapt_datetimefield_value
    if internal == "DecimalField":
        digits, places = model_field.max_digits, model_field.decimal_places
        return lambda value: connection.ops.adapt_decimalfield_value(value, digits, places)
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


def insert_rows(model, fields, rows):
    """INSERT rows (sequences of Python values in `fields` order) with one executemany.

    No Model.save(), no signals, no pre_save: the caller supplies every NOT NULL column, computed
    columns (pinyin initials, blind indexes) and timestamps. Values are adapted per field type as the
    ORM would (dates, decimals, encrypted fields). Constraints still hold: they are the database's."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    model_fields, prepared = _prepared(model, fields, rows, connection)
    quote_name = connection.ops.quote_name
    columns = ", ".join(quote_name(f.column) for f in model_fields)
    placeholders = ", ".join(["%s"] * len(model_fields))
    # identifiers come from the model's meta, values are parameters
    sql = f"INSERT INTO {quote_name(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, prepared)


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
