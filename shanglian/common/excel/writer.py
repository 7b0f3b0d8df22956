"""Workbooks written: the error report, the import template, exports (formula injection neutralised),
and the download response."""

import io
import re
from datetime import date, datetime
from urllib.parse import quote

from django.http import HttpResponse

from .normalise import SHOWN_LABELS, normalise_text

TEMPLATE_ROWS = 1000  # rows of the template given a text format / a dropdown (never whole columns)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def error_report_xlsx(report, spec=None):
    """The failed rows as the user typed them, with an extra 错误原因 column and the original Excel row
    number. Its headers are the import's own, so the corrected file can be uploaded again as it is
    (the extra columns are ignored)."""
    if spec is not None:
        headers = [column.header for column in spec.columns
                   if not report.headers or column.header in report.headers]
    else:
        headers = list(report.headers) or list(dict.fromkeys(h for row in report.failed_rows for h in row.values))
    rows = [[row.values.get(header, "") for header in headers] + ["；".join(row.reasons), row.row]
            for row in report.failed_rows]
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = "错误报告"
    sheet.append([*headers, "错误原因", "原 Excel 行号"])
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="C0392B" if cell.value == "错误原因" else "000000")
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
    for row in rows:
        sheet.append([neutralise(value) for value in row])
    for index in range(1, len(headers) + 1):  # everything as text: codes stay codes when re-uploaded
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = 16
        for r in range(2, len(rows) + 2):
            sheet.cell(row=r, column=index).number_format = "@"
    reason_letter = sheet.cell(row=1, column=len(headers) + 1).column_letter
    sheet.column_dimensions[reason_letter].width = 60
    for r in range(2, len(rows) + 2):
        sheet[f"{reason_letter}{r}"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


_KIND_HINTS = {"text": "文本", "prose": "长文本（可分段）", "code": "文本（代码，请勿转为数字）", "int": "整数", "decimal": "数字",
               "money": "金额（元），如 1234.50、1,234.50 或 1.5万元",
               "date": "日期，如 2021-03-05", "bool": "是 / 否", "choice": "从下拉列表选择"}


def template_xlsx(spec, dictionaries=None, *, rows=TEMPLATE_ROWS):
    """The import template: "*" on required headers, dropdowns (data validations referring to a hidden
    字典 sheet) on choice and 是/否 columns, code columns formatted as text for `rows` rows (a bounded
    range: formatting whole columns creates phantom rows), and a 填写说明 sheet with an example per column.

    `dictionaries`: {column key: [labels]} to use instead of (or in addition to) the columns' choices."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    dictionaries = dictionaries or {}
    book = Workbook()
    sheet = book.active
    sheet.title = (spec.title or "导入")[:31]
    dictionary = book.create_sheet("字典")
    dictionary.sheet_state = "hidden"
    guide = book.create_sheet("填写说明")
    guide.append(["填写说明"])
    guide["A1"].font = Font(bold=True, size=14)
    guide.append([f"1. 在“{sheet.title}”表第 1 行表头下方逐行填写，一行一条；表头前带 * 的列必须填写。"])
    guide.append(["2. 带下拉箭头的列请从列表中选择；代码、证件号、手机号等列已设为文本格式，请勿改为数字。"])
    guide.append(["3. 日期可写作 2021-03-05、2021/3/5、2021.3.5 或 2021年3月5日。"])
    guide.append(["4. 请勿修改表头、合并单元格或插入公式；空行会被忽略。"])
    guide.append([])
    guide.append(["列名", "是否必填", "格式", "可选值", "示例", "说明"])
    for cell in guide[guide.max_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
    text_format_rows = range(2, rows + 2)
    dict_col = 0
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=("*" if column.required else "") + column.header)
        cell.font = Font(bold=True, color="C0392B" if column.required else "000000")
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
        cell.alignment = Alignment(horizontal="center")
        if column.help:
            cell.comment = Comment(column.help, "商联通")
        sheet.column_dimensions[letter].width = max(12, len(column.header) * 2 + 4)
        if column.kind == "code":
            for r in text_format_rows:
                sheet.cell(row=r, column=index).number_format = "@"
        labels = list(dictionaries.get(column.key) or
                      (column.choice_labels() if column.kind in ("choice", "bool") else []))
        if labels:
            dict_col += 1
            dict_letter = get_column_letter(dict_col)
            dictionary.cell(row=1, column=dict_col, value=column.header)
            for r, label in enumerate(labels, start=2):
                dictionary.cell(row=r, column=dict_col, value=str(label))
            validation = DataValidation(
                type="list", allow_blank=not column.required,
                formula1=f"{quote_sheetname('字典')}!${dict_letter}$2:${dict_letter}${len(labels) + 1}",
                showErrorMessage=True, errorTitle="输入有误", error=f"请从下拉列表中选择“{column.header}”",
                showInputMessage=bool(column.help), promptTitle=column.header[:32], prompt=column.help[:255])
            validation.add(f"{letter}2:{letter}{rows + 1}")
            sheet.add_data_validation(validation)
        shown = "、".join(map(str, labels[:SHOWN_LABELS])) + ("等（见下拉列表）" if len(labels) > SHOWN_LABELS else "")
        guide.append([column.header, "是" if column.required else "否", _KIND_HINTS[column.kind], shown,
                      column.example, column.help])
    for letter, width in zip("ABCDEF", (20, 10, 24, 40, 24, 50), strict=True):
        guide.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def neutralise(value):
    """A text cell that a spreadsheet would read as a formula (= + - @, tab, CR) gets a leading '."""
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


SHEET_NAME_LIMIT = 31  # Excel's longest sheet name


def sheet_name(title):
    """The name a sheet titled `title` gets in a workbook: without the characters Excel refuses, at most
    SHEET_NAME_LIMIT long ("Sheet1" when nothing is left)."""
    return re.sub(r"[\[\]:*?/\\]", "", title)[:SHEET_NAME_LIMIT] or "Sheet1"


def export_xlsx(headers, rows, sheet_title, *, text_columns=()):
    """Rows as a one-sheet xlsx workbook (bytes). `text_columns`: indexes (or headers) of code-like
    columns, written as text whatever their Python type (a USCC or a mobile never becomes a number)."""
    return export_workbook([(sheet_title, headers, rows)], text_columns={sheet_title: text_columns})


PROGRESS_EVERY = 1000  # rows written between two `progress(done)` calls


def export_workbook(sheets, *, text_columns=None, progress=None):
    """[(title, headers, rows), …] as an xlsx workbook (bytes). xlsxwriter in constant-memory mode (rows
    are flushed as written); strings are never turned into formulas, numbers or links, and a string
    that starts like a formula is neutralised with a leading '. `progress(done)`: called with the
    rows written so far, every PROGRESS_EVERY rows and at the end."""
    import xlsxwriter

    text_columns = text_columns or {}
    written = 0
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True,
                                        "strings_to_formulas": False, "strings_to_numbers": False,
                                        "strings_to_urls": False, "default_date_format": "yyyy-mm-dd"})
    bold = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    text = book.add_format({"num_format": "@"})
    for title, headers, rows in sheets:
        sheet = book.add_worksheet(sheet_name(title))
        wanted = text_columns.get(title, ())
        as_text = {i for i, h in enumerate(headers) if i in wanted or h in wanted}
        for col, header in enumerate(headers):
            sheet.set_column(col, col, max(10, min(40, len(str(header)) * 2 + 4)), text if col in as_text else None)
            sheet.write_string(0, col, str(header), bold)
        for r, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                if value is None or value == "":
                    continue
                if col in as_text or isinstance(value, str):
                    sheet.write_string(r, col, neutralise(value if isinstance(value, str) else normalise_text(value)),
                                       text if col in as_text else None)
                elif isinstance(value, (date, datetime)):
                    sheet.write_datetime(r, col, value)
                else:
                    sheet.write(r, col, value)
            written += 1
            if progress and written % PROGRESS_EVERY == 0:
                progress(written)
        sheet.freeze_panes(1, 0)
    if progress:
        progress(written)
    book.close()
    return buffer.getvalue()


def export_filename(title, day):
    """会员企业名单_20261122.xlsx"""
    return f"{title}_{day:%Y%m%d}.xlsx"


def attachment_response(content, filename, content_type=XLSX_CONTENT_TYPE):
    """A download: Content-Disposition attachment with the UTF-8 name (RFC 5987 `filename*`) and an ASCII
    fallback for old clients; never sniffed, never cached."""
    filename = re.sub(r"[\x00-\x1f\x7f\"\\/]", "_", filename)
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    ascii_stem = re.sub(r"[^A-Za-z0-9._-]+", "", stem).strip("._-")
    if not re.search(r"[A-Za-z]", ascii_stem):
        ascii_stem = "export" + (f"_{ascii_stem}" if ascii_stem else "")
    fallback = ascii_stem + (f".{re.sub(r'[^A-Za-z0-9]', '', ext)}" if ext else "")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def xlsx_response(content, filename):
    return attachment_response(content, filename, XLSX_CONTENT_TYPE)
