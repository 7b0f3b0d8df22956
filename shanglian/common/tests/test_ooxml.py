"""Safe opening of Office files (issue 18.1): a sheet whose extent is out of proportion to its content
is refused before python-calamine allocates that extent (a value in XFD1048576 was a 512 GB allocation
and SIGABRT); DTDs/entities and zip bombs are refused; ordinary sheets pass."""

import io
import os
import subprocess
import sys
import textwrap
import time
import tracemalloc
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shanglian.common import ooxml
from shanglian.common.excel import Column, ExcelError, ImportSpec, check_xlsx, open_sheet

from .crafted import laughing_xlsx, sheet_xml, xlsx_bytes

ROOT = Path(__file__).resolve().parents[3]
HEADER = [("A1", "编码"), ("B1", "名称")]

# Run in a child process under a 1 GB address-space limit: on unsafe code calamine aborts the child
# (SIGABRT, or fails its allocation), never the test run or the machine.
_CHILD = textwrap.dedent("""
    import os, resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
    from shanglian.common.excel import Column, ExcelError, ImportSpec, check_xlsx, open_sheet
    spec = ImportSpec(title="", columns=[Column("code", "编码"), Column("name", "名称")])
    for path in sys.argv[1:]:
        try:
            check_xlsx(path)
            open_sheet(path, spec)
        except ExcelError as exc:
            print("REFUSED", exc)
        else:
            print("READ")
    print("PEAK_MB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
""")


def _write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_a_value_in_the_last_cell_is_refused_and_the_process_survives_with_little_memory(tmp_path):
    last = _write(tmp_path, "last.xlsx", xlsx_bytes([*HEADER, ("XFD1048576", "远")]))
    far = _write(tmp_path, "far.xlsx", xlsx_bytes([*HEADER, ("XFD2048", "远")]))  # 1.2 GB before
    env = {**os.environ, "RUST_BACKTRACE": "0"}
    done = subprocess.run([sys.executable, "-c", _CHILD, str(last), str(far)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert [line.split()[0] for line in lines[:2]] == ["REFUSED", "REFUSED"]
    assert "工作表的数据区域异常" in lines[0] and "第 1–1048576 行" in lines[0] and "第 1–16384 列" in lines[0]
    # The child ran under the 1 GB address-space cap (on the old code calamine aborted it): its peak stays
    # below the cap. (Seen: under 300 MB on a loaded machine, 475 MB on a clean CI run.)
    assert int(lines[-1].split()[1]) < 1024


def _refused(tmp_path, content):
    path = _write(tmp_path, "crafted.xlsx", content)
    with pytest.raises(ExcelError) as info:
        check_xlsx(path)
    return str(info.value)


def test_sparse_cells_far_away_are_refused_by_rows_columns_or_area(tmp_path):
    assert "数据区域异常" in _refused(tmp_path, xlsx_bytes([*HEADER, (f"A{ooxml.MAX_SHEET_ROWS + 1}", "远")]))
    assert "数据区域异常" in _refused(tmp_path, xlsx_bytes([*HEADER, ("GT2", "远")]))  # column 202
    assert "数据区域异常" in _refused(tmp_path, xlsx_bytes([*HEADER, ("GR100000", "远")]))  # 200 × 100,000


def test_positional_cells_without_references_count_where_calamine_puts_them(tmp_path):
    wide = "<row>" + "<c><v>1</v></c>" * (ooxml.MAX_SHEET_COLUMNS + 1) + "</row>"
    sheet = sheet_xml(HEADER).replace("</sheetData>", wide + "</sheetData>")
    assert "数据区域异常" in _refused(tmp_path, xlsx_bytes(sheet=sheet))
    rows = f'<row r="{ooxml.MAX_SHEET_ROWS}"/><row><c r="A"><v>1</v></c></row>'
    sheet = sheet_xml(HEADER).replace("</sheetData>", rows + "</sheetData>")
    assert "数据区域异常" in _refused(tmp_path, xlsx_bytes(sheet=sheet))


def test_the_dimension_and_styled_empty_cells_alone_are_harmless_and_read(tmp_path):
    empty = '<row r="1048576"><c r="XFD1048576" s="1"/></row>'
    sheet = sheet_xml([*HEADER, ("A2", "T1"), ("B2", "甲")], dimension="A1:XFD1048576")
    path = _write(tmp_path, "ok.xlsx", xlsx_bytes(sheet=sheet.replace("</sheetData>", empty + "</sheetData>")))
    check_xlsx(path)
    sheet = open_sheet(path, ImportSpec(title="", columns=[Column("code", "编码"), Column("name", "名称")]))
    assert list(sheet.rows)[0][:2] == ["T1", "甲"]


def test_an_ordinary_large_sheet_is_measured_quickly_in_little_memory(tmp_path):
    cells = [*HEADER]
    for row in range(2, 5_002):
        cells += [(f"A{row}", f"T{row}"), (f"B{row}", "名称"), (f"AE{row}", "x")]
    path = _write(tmp_path, "large.xlsx", xlsx_bytes(cells))
    tracemalloc.start()
    started = time.perf_counter()
    check_xlsx(path)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 2 and peak < 8 * 1024 * 1024


def test_dtds_and_entities_are_refused_in_any_xml_part(tmp_path):
    assert "DTD/实体" in _refused(tmp_path, laughing_xlsx())
    utf16 = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]><worksheet/>').encode("utf-16-le")
    assert "DTD/实体" in _refused(tmp_path, xlsx_bytes(sheet=utf16))


def test_a_shared_string_table_declaring_billions_of_strings_is_refused(tmp_path):
    """calamine reserves the declared uniqueCount: 4,000,000,000 in a 1 KB part was a 96 GB allocation."""
    table = ('<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
             'count="1" uniqueCount="4000000000"><si><t>编码</t></si></sst>')
    assert "共享字符串" in _refused(tmp_path, xlsx_bytes(HEADER, parts={"xl/sharedStrings.xml": table}))
    honest = table.replace("4000000000", "1")
    check_xlsx(_write(tmp_path, "honest.xlsx", xlsx_bytes(HEADER, parts={"xl/sharedStrings.xml": honest})))


def test_a_sheet_kept_outside_xl_worksheets_is_measured_too(tmp_path):
    """The workbook's relationships may point a sheet at any part: every XML part is measured."""
    content = xlsx_bytes(HEADER, parts={"xl/elsewhere/data.xml": sheet_xml([*HEADER, ("XFD1048576", "远")])})
    with pytest.raises(ooxml.UnsafeDocument, match="数据区域异常"):
        ooxml.check_ooxml(_write(tmp_path, "elsewhere.xlsx", content))


# --- the bound: whatever the sheet, the same verdict and message as the exact measure --------------------
def _letters(column):
    text = ""
    while column:
        column, rest = divmod(column - 1, 26)
        text = chr(65 + rest) + text
    return text


_CELL = st.tuples(st.one_of(st.integers(1, 30), st.integers(1, 260_000), st.sampled_from([99_999, 100_001, 199_999,
                                                                                        200_000, 200_001])),
                  st.one_of(st.integers(1, 30), st.integers(1, 400), st.sampled_from([26, 27, 200, 201, 16_384])),
                  st.sampled_from(["filled", "filled", "empty", "positional", "lower"]))


def _sheet(cells, unordered, bare_rows):
    rows = {}
    for row, column, kind in cells:
        ref = {"filled": f' r="{_letters(column)}{row}"', "empty": f' r="{_letters(column)}{row}"',
               "positional": "", "lower": f' r="{_letters(column).lower()}{row}"'}[kind]
        rows.setdefault(row, []).append(f"<c{ref}/>" if kind == "empty" else f'<c{ref} t="inlineStr"><is><t>x</t></is></c>')
    order = sorted(rows, reverse=unordered)
    body = "".join(f'<row{"" if bare_rows and i % 3 == 2 else f" r={chr(34)}{row}{chr(34)}"}>{"".join(rows[row])}</row>'
                   for i, row in enumerate(order))
    return sheet_xml(HEADER).replace("</sheetData>", body + "</sheetData>")


def _verdict(content):
    try:
        ooxml.check_ooxml(io.BytesIO(content))
    except ooxml.UnsafeDocument as exc:
        return str(exc)
    return None


@settings(max_examples=300, deadline=None)
@given(st.lists(_CELL, max_size=40), st.booleans(), st.booleans(), st.sampled_from([1 << 20, 256, 64]))
def test_a_bounded_measure_refuses_exactly_what_the_exact_measure_refuses_with_the_same_message(
        cells, unordered, bare_rows, chunk):
    content = xlsx_bytes(sheet=_sheet(cells, unordered, bare_rows))
    with mock.patch.object(ooxml, "_CHUNK", chunk):
        bounded = _verdict(content)
        with mock.patch.object(ooxml._Extent, "_bound", lambda self, data: False):
            exact = _verdict(content)
    assert bounded == exact


def test_a_large_plain_sheet_is_bounded_without_a_second_exact_pass(tmp_path):
    cells = [*HEADER]
    for row in range(2, 3_002):
        cells += [(f"A{row}", f"T{row}"), (f"P{row}", "名称")]
    path = _write(tmp_path, "plain.xlsx", xlsx_bytes(cells))
    with mock.patch.object(ooxml._Extent, "feed", side_effect=AssertionError("measured cell by cell")):
        ooxml.check_ooxml(path)
