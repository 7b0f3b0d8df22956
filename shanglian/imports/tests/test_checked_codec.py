"""The preview's kept rows are encoded by the C JSON encoder (dates and decimals through its `default`
hook, the columns picked by one itemgetter): every line is exactly the one the per-column encoding wrote
before (the oracle below), so the file and its signature are unchanged, and it decodes to the same values."""

import json
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from shanglian.imports import checked
from shanglian.members.imports import COLUMNS

SPEC = SimpleNamespace(columns=COLUMNS)
_OLD_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def old_encode(excel_row, values):
    """How a kept row was encoded before: each column's value read with .get, dates and decimals
    turned into text column by column, then json."""
    keys = [column.key for column in COLUMNS]
    row = [values.get(key) for key in keys]
    for index, column in enumerate(COLUMNS):
        if row[index] is not None and column.kind == "date":
            row[index] = row[index].isoformat()
        if row[index] is not None and column.kind == "decimal":
            row[index] = str(row[index])
    return _OLD_ENCODER.encode([excel_row, *row])


_TEXT = st.text(max_size=12)
_BY_KIND = {
    "text": _TEXT, "prose": _TEXT, "code": _TEXT,
    "int": st.integers(min_value=0, max_value=2_147_483_647),
    "decimal": st.decimals(min_value=0, max_value=999_999_999_999, places=2, allow_nan=False),
    "date": st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
    "bool": st.booleans(),
    "choice": st.one_of(_TEXT, st.integers(min_value=1, max_value=10**6)),
}
_VALUES = st.fixed_dictionaries({column.key: st.none() | _BY_KIND[column.kind] for column in COLUMNS})


@settings(max_examples=300, deadline=None)
@given(excel_row=st.integers(min_value=2, max_value=1_048_576), values=_VALUES,
       extra=st.dictionaries(st.sampled_from(["subject", "street_id", "id_index"]), st.integers()),
       missing=st.sets(st.sampled_from([column.key for column in COLUMNS]), max_size=3))
def test_a_kept_row_is_the_line_the_old_encoding_wrote_and_reads_back_the_same(excel_row, values, extra, missing):
    encode, decode = checked._codecs(SPEC)
    values = {**values, **extra}  # what clean_row adds is not kept
    for key in missing:  # a caller that leaves a column out: it is kept as null, as before
        values.pop(key)
    line = encode(excel_row, values)
    assert line == old_encode(excel_row, values)
    [(row, decoded)] = decode([line])
    assert row == excel_row
    for column in COLUMNS:
        value = values.get(column.key)
        assert decoded[column.key] == value and type(decoded[column.key]) is type(value)
        if isinstance(value, Decimal):
            assert str(decoded[column.key]) == str(value)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(min_value=2, max_value=1_048_576), _VALUES), max_size=8))
def test_a_block_of_lines_decodes_to_its_rows_in_order(rows):
    encode, decode = checked._codecs(SPEC)
    decoded = decode([encode(excel_row, values) + "\n" for excel_row, values in rows])
    assert [row for row, _ in decoded] == [row for row, _ in rows]
    assert [values for _, values in decoded] == [values for _, values in rows]
