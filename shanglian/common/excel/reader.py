"""Reading a sheet: python-calamine; the header row is found in the first rows by the spec's headers
(title rows above it, "*" marks, spaces and aliases tolerated); each row keeps its Excel row number."""

from dataclasses import dataclass

from .normalise import normalise_text
from .spec import ExcelError, ImportSpec
from .xlsx_open import check_xlsx

HEADER_SEARCH_ROWS = 10  # the header row is looked for in this many rows (title rows may sit above it)


def _header_key(value):
    text = "".join(normalise_text(value).split())
    for mark in ("(必填)", "必填", "*"):
        text = text.replace(mark, "")
    return text


@dataclass
class _Sheet:
    mapping: dict  # cell index → Column
    header_row: int  # Excel row number of the header
    rows: object  # iterator of the rows below the header (lists of raw cells)
    height: int  # the sheet's last row number (an upper bound of the data rows)


def _find_header(head, columns):
    by_header = {}
    for column in columns:
        for header in column.headers:
            by_header[_header_key(header)] = column
    best_index, best = None, {}
    for index, row in enumerate(head):
        found = {}
        for position, cell in enumerate(row):
            column = by_header.get(_header_key(cell)) if isinstance(cell, str) and cell else None
            if column is not None:
                if column in found.values():
                    raise ExcelError(f"表头中“{column.header}”列出现了不止一次，请删除重复的列。")
                found[position] = column
        if len(found) > len(best):
            best_index, best = index, found
    needed = min(2, len(columns))
    if best_index is None or len(best) < needed:
        return None, {}
    return best_index, best


def open_sheet(path, spec):
    """The first visible sheet (the spec's title first) whose first rows hold the header row.
    Call `check_xlsx(path)` first (as `run_import` and `read_rows` do): calamine allocates a sheet's
    whole extent."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        from python_calamine import SheetTypeEnum, SheetVisibleEnum

        visible = [sheet.name for sheet in book.sheets_metadata
                   if sheet.visible == SheetVisibleEnum.Visible and sheet.typ == SheetTypeEnum.WorkSheet]
    except Exception as exc:  # calamine raises its own error types for broken files
        raise ExcelError("无法读取该 Excel 文件，请确认文件未损坏、未加密。") from exc
    order = sorted(visible, key=lambda name: name != spec.title)
    any_content = False
    for name in order:
        try:
            sheet = book.get_sheet_by_name(name)
            rows = iter(sheet.iter_rows())  # row by row: the Python objects are never all in memory
            head = [row for _, row in zip(range(HEADER_SEARCH_ROWS), rows, strict=False)]
        except Exception as exc:
            raise ExcelError("无法读取该 Excel 文件，请确认文件未损坏、未加密。") from exc
        any_content = any_content or any(any(cell != "" for cell in row) for row in head)
        index, mapping = _find_header(head, spec.columns)
        if index is None:
            continue
        present = {column.key for column in mapping.values()}
        missing = [column.header for column in spec.columns if column.required and column.key not in present]
        if missing:
            raise ExcelError("缺少必需的列：" + "、".join(missing))
        below = head[index + 1:]

        def chained(below=below, rows=rows):
            yield from below
            yield from rows

        return _Sheet(mapping=mapping, header_row=index + 1, rows=chained(), height=sheet.total_height + 1)
    if not any_content:
        raise ExcelError("工作表是空的，请在模板中填写数据后上传。")
    raise ExcelError(f"未找到表头行，请使用下载的模板填写（表头须在前 {HEADER_SEARCH_ROWS} 行内）。")


def read_rows(path, columns, *, title=""):
    """Yield (excel_row_number, {key: raw cell}) for the non-blank rows under the header row."""
    check_xlsx(path)  # never hand calamine a file that was not opened safely (issue 18.1)
    sheet = open_sheet(path, ImportSpec(title=title, columns=columns))
    positions = list(sheet.mapping.items())
    for number, row in enumerate(sheet.rows, start=sheet.header_row + 1):
        width = len(row)
        values = {column.key: row[i] for i, column in positions if i < width}
        if any(normalise_text(v) for v in values.values()):
            yield number, values
