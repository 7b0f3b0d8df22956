"""The one Excel pipeline of the project: exports (here) and imports (built on the same module)."""

import io
from urllib.parse import quote

import xlsxwriter
from django.http import HttpResponse

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text cell that Excel would read as a formula is prefixed with ' (formula injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def export_xlsx(headers, rows, sheet_title):
    """Rows as a one-sheet xlsx workbook (bytes)."""
    return export_workbook([(sheet_title, headers, rows)])


def export_workbook(sheets):
    """[(title, headers, rows), …] as an xlsx workbook (bytes); strings are never written as formulas."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True,
                                        "strings_to_formulas": False, "strings_to_numbers": False,
                                        "strings_to_urls": False})
    bold = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    for title, headers, rows in sheets:
        sheet = book.add_worksheet(title[:31])
        for col, header in enumerate(headers):
            sheet.write_string(0, col, header, bold)
            sheet.set_column(col, col, max(10, min(40, len(header) * 2 + 4)))
        for r, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, str):
                    sheet.write_string(r, col, neutralise(value))
                else:
                    sheet.write(r, col, value)
        sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


def export_filename(title, day):
    """会员企业名单_20261122.xlsx"""
    return f"{title}_{day:%Y%m%d}.xlsx"


def xlsx_response(content, filename):
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    ascii_name = filename.encode("ascii", "ignore").decode() or "export.xlsx"
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
