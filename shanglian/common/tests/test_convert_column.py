"""Converting a column at a time with a cache of distinct raw values gives exactly what converting each
cell on its own gave (the oracle: `converter()` cell by cell), on any cells, in any order, across blocks."""

from datetime import date, datetime
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from shanglian.common.excel import Column, converter
from shanglian.common.excel.normalise import EMPTY, CellProblem, convert_column
from shanglian.members.tests.oracles import old_code_converter, old_convert_column

COLUMNS = [
    Column("name", "名称", max_length=12),
    Column("text", "正文", kind="prose", max_length=40),
    Column("code", "代码", kind="code", max_length=18),
    Column("industry", "行业代码", kind="code", max_length=4, zero_pad=4),
    Column("count", "人数", kind="int", max_value=2_147_483_647),
    Column("capital", "资本", kind="decimal", decimal_places=2, max_value=999_999_999_999),
    Column("day", "日期", kind="date"),
    Column("flag", "是否", kind="bool"),
    Column("kind", "类型", kind="choice", choices={"企业会员": "enterprise", "个人会员": "individual", "是": 1}),
]

# What calamine hands over: text (often repeated), floats (numbers, date serials, -0.0, NaN, inf), bools,
# dates and datetimes, None, and the empty string.
_TEXTS = st.sampled_from(["", " ", "企业会员", "个人会员 ", "是", "否", "1", "0", "2024-03-05", "2024年3月5日",
                          "20240305", "2024/2/30", "9.11201E+17", "'0111", "６５１３", "1,234.5", "-3", "abc",
                          "　天津　某某  公司\u200b", "91120103MA05L2XY3K", "yes", "√", "1e3", "NaN", "1.005"])
_CELLS = st.one_of(
    _TEXTS, st.text(max_size=20),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0.0, -0.0, 1.0, 45000.0, 1e15, 6513.0, 2.5]),
    st.booleans(), st.none(), st.integers(min_value=-10, max_value=10**16),
    st.dates(min_value=date(1800, 1, 1), max_value=date(2200, 1, 1)),
    st.datetimes(min_value=datetime(1890, 1, 1), max_value=datetime(2110, 1, 1)),
)


def _same(fast, slow):
    if fast is EMPTY or slow is EMPTY:
        return fast is slow
    if isinstance(fast, CellProblem) or isinstance(slow, CellProblem):
        return isinstance(fast, CellProblem) and isinstance(slow, CellProblem) and fast.reason == slow.reason
    return type(fast) is type(slow) and fast == slow and (
        not isinstance(slow, Decimal) or str(fast) == str(slow))  # Decimal('-0.00') is not Decimal('0.00')


@settings(max_examples=400, deadline=None)
@given(st.lists(_CELLS, max_size=60), st.integers(min_value=1, max_value=25))
def test_a_column_converted_with_the_cache_is_each_cell_converted_alone(cells, block):
    for column in COLUMNS:
        convert_cell = converter(column)
        cache = {}
        fast = []
        for start in range(0, len(cells), block):  # blocks share the column's cache, as in an import
            fast += convert_column(convert_cell, cells[start:start + block], cache)
        fast += convert_column(convert_cell, cells, cache)  # and every value again, now from the cache
        slow = old_convert_column(convert_cell, cells, None) * 2
        assert len(fast) == len(slow)
        for raw, f, s in zip(cells * 2, fast, slow, strict=True):
            assert _same(f, s), (column.kind, raw, f, s)


# Code cells as typed: plain ASCII codes (the fast path) and everything near them — spaces and the
# separators str.split() takes for whitespace (\x1c-\x1f), quotes, "+", full-width digits, DEL.
_CODE_TEXTS = st.one_of(
    st.text(alphabet=st.characters(min_codepoint=0x1c, max_codepoint=0x7f), max_size=22),
    st.text(alphabet="0123456789ABXx-'+ .Ee\u3000\u200b１２", max_size=22),
    st.sampled_from(["91120103MA05L2XY3K", "B-000001", "9.11201E+17", "'0111", "6513", "1e+17", "138 0013 8000"]),
    st.floats(allow_nan=False), st.booleans(), st.none(), st.integers(),
)


def _outcome(convert, raw):
    try:
        return convert(raw)
    except ValueError as exc:
        return ("refused", str(exc))


@settings(max_examples=600, deadline=None)
@given(_CODE_TEXTS)
def test_a_plain_code_skips_cleaning_and_converts_as_before(raw):
    for column in COLUMNS:
        if column.kind == "code":
            assert _outcome(converter(column), raw) == _outcome(old_code_converter(column), raw)
