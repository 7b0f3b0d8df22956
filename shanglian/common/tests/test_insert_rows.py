"""`insert_rows` writes many rows per INSERT statement: it stores exactly what one `executemany` of
single-row INSERTs stored (the oracle below: how it wrote before), in the same order, refuses what that
refused (a row breaking a constraint: nothing of the call is kept), and `returning` gives back each
inserted row's values — on any rows and any number of rows per statement."""

import pytest
from django.db import IntegrityError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shanglian.common.excel import bulk, insert_rows
from shanglian.common.models import DictItem

FIELDS = ["kind", "code", "label", "order", "is_active"]
STORED = ["kind", "code", "label", "order", "is_active"]


def old_insert_rows(model, fields, rows):
    """The oracle: one single-row INSERT per row, through one executemany (as `insert_rows` wrote before)."""
    model_fields, prepared = bulk._prepared(model, fields, rows, connection)
    quote_name = connection.ops.quote_name
    columns = ", ".join(quote_name(f.column) for f in model_fields)
    placeholders = ", ".join(["%s"] * len(model_fields))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {quote_name(model._meta.db_table)} ({columns}) VALUES ({placeholders})",
                           prepared)


def outcome(write, rows):
    """What `write(rows)` stores (in id order, without ids) or the error it raises; then undone."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                write(rows)
        except IntegrityError:
            result = "refused"
        else:
            result = list(DictItem.objects.filter(kind__startswith="p-").order_by("id").values_list(*STORED))
        transaction.set_rollback(True)
    return result


_ROWS = st.lists(st.tuples(st.sampled_from(["p-a", "p-b"]), st.sampled_from(["1", "2", "3", "x", "y", "z", "w"]),
                           st.text(max_size=12).map(lambda t: t.replace("\x00", "")),
                           st.integers(min_value=0, max_value=2_147_483_647), st.booleans()),
                 max_size=40)  # (kind, code) repeats now and then: the unique constraint refuses the call


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=_ROWS, per=st.integers(min_value=1, max_value=9))
def test_multi_row_inserts_store_what_one_insert_per_row_stored(rows, per, monkeypatch):
    monkeypatch.setattr(bulk, "ROWS_PER_STATEMENT", per)
    assert outcome(lambda r: insert_rows(DictItem, FIELDS, r), rows) == outcome(
        lambda r: old_insert_rows(DictItem, FIELDS, r), rows)


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(count=st.integers(min_value=0, max_value=30), per=st.integers(min_value=1, max_value=7))
def test_returning_gives_each_inserted_row_once(count, per, monkeypatch):
    monkeypatch.setattr(bulk, "ROWS_PER_STATEMENT", per)
    rows = [("p-r", f"c{n}", f"项{n}", n, True) for n in range(count)]
    with transaction.atomic():
        returned = insert_rows(DictItem, FIELDS, rows, returning=("code", "id"))
        stored = set(DictItem.objects.filter(kind="p-r").values_list("code", "id"))
        transaction.set_rollback(True)
    assert sorted(returned) == sorted(stored) and len(returned) == count


def test_wide_rows_are_split_under_the_databases_parameter_limit(db, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(bulk, "_parameter_limit", lambda connection: 12)  # 2 rows of 5 fields per statement
    rows = [("p-w", f"c{n}", "项", n, n % 2 == 0) for n in range(5)]
    with django_assert_num_queries(3):
        insert_rows(DictItem, FIELDS, rows)
    assert list(DictItem.objects.filter(kind="p-w").order_by("id").values_list(*STORED)) == rows
