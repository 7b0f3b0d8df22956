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


def audited_export(*, actor, title, sheets, object_type, detail):
    """An export as a download: the workbook, its dated Chinese file name, and the audit row (who
    exported what, how many rows, with which filters — never the values)."""
    from django.utils import timezone

    from shanglian.audit.models import AuditAction
    from shanglian.audit.services import record

    record(AuditAction.EXPORT, actor=actor, object_type=object_type, object_repr=title, detail=detail)
    return xlsx_response(export_workbook(sheets), export_filename(title, timezone.localdate()))


def xlsx_response(content, filename):
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    ascii_name = filename.encode("ascii", "ignore").decode() or "export.xlsx"
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


# ==================================================================================================
# Import: declarative column spec → safe open → read (calamine) → normalise → validate every row →
# dry-run report with Excel row numbers → commit in batches (all-or-nothing, or only the valid rows).
# ==================================================================================================
import itertools  # noqa: E402
import re  # noqa: E402
import unicodedata  # noqa: E402
import zipfile  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from datetime import date, datetime, timedelta  # noqa: E402
from decimal import Decimal, InvalidOperation  # noqa: E402

from django.db import transaction  # noqa: E402

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
MAX_ZIP_ENTRIES = 2000
HEADER_SEARCH_ROWS = 10
TRUE_WORDS = {"是", "y", "yes", "true", "1", "√", "✓", "有"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "×", "无"}
_EXCEL_EPOCH = date(1899, 12, 30)
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


class ExcelError(Exception):
    """A problem with the whole file (not a row): shown to the user as it is."""


def check_xlsx(path):
    """Refuse anything that is not a reasonable xlsx before parsing it (ASVS 12.1: size, zip bomb, type)."""
    import os

    if os.path.getsize(path) > MAX_UPLOAD_BYTES:
        raise ExcelError(f"文件超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB，请拆分后分批导入。")
    if not zipfile.is_zipfile(path):
        raise ExcelError("文件不是有效的 Excel（.xlsx）文件，请使用下载的模板填写后上传。")
    with zipfile.ZipFile(path) as archive:
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise ExcelError("文件结构异常（包含的部件过多），已拒绝导入。")
        if sum(e.file_size for e in entries) > MAX_UNCOMPRESSED_BYTES:
            raise ExcelError("文件解压后过大，疑似异常文件，已拒绝导入。")
        names = {e.filename for e in entries}
        if "[Content_Types].xml" not in names or not any(n.startswith("xl/worksheets/") for n in names):
            raise ExcelError("文件不是有效的 Excel（.xlsx）文件，请使用下载的模板填写后上传。")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    kind: str = "text"  # text | code | int | decimal | date | bool | choice
    choices: object = None  # list of labels, or a callable returning them (dropdowns and validation)
    max_length: int | None = None
    help: str = ""

    def choice_labels(self):
        return list(self.choices() if callable(self.choices) else self.choices or [])


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    reason: str


@dataclass
class ImportReport:
    total: int = 0
    succeeded: int = 0
    failed: int = 0
    created: int = 0
    updated: int = 0
    committed: bool = False
    errors: list = field(default_factory=list)
    failed_rows: list = field(default_factory=list)  # (excel_row, {header: raw text}, [reasons])

    @property
    def summary(self):
        return f"共 {self.total} 条，成功 {self.succeeded} 条，失败 {self.failed} 条"


def normalise_text(value):
    """NFKC, full-width spaces, trimmed; numbers that are whole become integers' text (calamine gives floats)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, (datetime, date)):
        return value.strftime("%Y-%m-%d")
    text = unicodedata.normalize("NFKC", str(value)).replace("\u3000", " ")
    return re.sub(r"\s+", " ", text).strip()


def parse_date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 80000:  # an Excel date serial
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueError("日期格式不正确")
    text = normalise_text(value)
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return date(*(int(g) for g in match.groups()))
            except ValueError:
                break
    raise ValueError("日期格式不正确，应为 2021-03-05、2021/3/5 或 2021年3月5日")


def convert(column, raw, labels=None):
    """Raw cell → typed value, or ValueError with a Chinese reason. Empty → None. `labels`: the choice
    column's allowed labels, resolved once per import (they may come from the database)."""
    if column.kind == "date":
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        return parse_date(raw)
    if column.kind == "code" and isinstance(raw, float) and not raw.is_integer():
        raise ValueError("代码被 Excel 转成了数字，请将该列设为文本格式后重新填写")
    text = normalise_text(raw)
    if column.kind == "code" and re.fullmatch(r"\d+(\.\d+)?[eE][+-]?\d+", text):
        raise ValueError("代码被 Excel 转为科学计数法，请将该列设为文本格式后重新填写")
    if column.kind == "code" and isinstance(raw, float) and raw >= 1e15:
        raise ValueError("代码被 Excel 转为科学计数法，请将该列设为文本格式后重新填写")
    if text == "":
        return None
    if column.max_length and len(text) > column.max_length:
        raise ValueError(f"不能超过 {column.max_length} 个字符")
    if column.kind == "int":
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError("应为整数") from None
        if number != number.to_integral_value() or number < 0:
            raise ValueError("应为非负整数")
        return int(number)
    if column.kind == "decimal":
        try:
            number = Decimal(text.replace(",", ""))
        except InvalidOperation:
            raise ValueError("应为数字") from None
        if number < 0:
            raise ValueError("不能为负数")
        return number
    if column.kind == "bool":
        if text.lower() in TRUE_WORDS:
            return True
        if text.lower() in FALSE_WORDS:
            return False
        raise ValueError("应填写“是”或“否”")
    if column.kind == "choice":
        labels = column.choice_labels() if labels is None else labels
        if text not in labels:
            raise ValueError("应为以下之一：" + "、".join(labels))
    return text


def _header_key(text):
    return normalise_text(text).replace("*", "").replace("＊", "").replace(" ", "")


def read_rows(path, columns):
    """Yield (excel_row_number, {key: raw}) from the first sheet, below the detected header row."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        rows = iter(book.get_sheet_by_index(0).iter_rows())  # row by row: the sheet is never all in memory
        head = [row for _, row in zip(range(HEADER_SEARCH_ROWS), rows, strict=False)]
    except Exception as exc:  # calamine raises its own error types for broken files
        raise ExcelError("无法读取该 Excel 文件，请确认文件未损坏、未加密。") from exc
    by_header = {_header_key(c.header): c for c in columns}
    header_index, mapping = None, {}
    for index, row in enumerate(head):
        found = {i: by_header[_header_key(cell)] for i, cell in enumerate(row)
                 if isinstance(cell, str) and _header_key(cell) in by_header}
        if len(found) >= max(1, min(3, len(columns))) and len(found) > len(mapping):
            header_index, mapping = index, found
    if header_index is None:
        raise ExcelError("未找到表头行，请使用下载的模板填写（表头须在前 10 行内）。")
    present = {c.key for c in mapping.values()}
    missing = [c.header for c in columns if c.required and c.key not in present]
    if missing:
        raise ExcelError("缺少必需的列：" + "、".join(missing))
    for offset, row in enumerate(itertools.chain(head[header_index + 1:], rows), start=header_index + 2):
        values = {mapping[i].key: cell for i, cell in enumerate(row) if i in mapping}
        if all(normalise_text(v) == "" for v in values.values()):
            continue  # blank rows (also the text-formatted rows of the template) are skipped
        yield offset, values


class ImportSpec:
    """Subclass per entity: `title`, `columns`, and the hooks below."""

    title = ""
    columns: list = []
    batch_size = 2000

    def __init__(self, *, actor):
        self.actor = actor

    def prepare(self):
        """Load lookups (dictionaries, existing keys) once, before the rows are checked."""

    def clean_row(self, values, failed_headers):
        """Cross-field and database checks on typed values (None where a cell failed conversion, and
        `failed_headers` names those columns): return a list of (column header, reason)."""
        return []

    def natural_key(self, values):
        raise NotImplementedError

    def commit(self, batch):
        """Write one batch of clean rows [(excel_row, values)]; return (created, updated)."""
        raise NotImplementedError

    def audit(self, report):
        """Write the audit record of one committed import (called inside the transaction)."""


def run_import(spec, path, *, dry_run=True, valid_only=False, progress=None):
    """Check every row; unless dry_run, commit: all-or-nothing, or only the valid rows if valid_only."""
    check_xlsx(path)
    columns = {c.key: c for c in spec.columns}
    report, clean, seen = ImportReport(), [], {}
    spec.prepare()
    labels = {key: column.choice_labels() for key, column in columns.items() if column.kind == "choice"}
    for excel_row, raw in read_rows(path, spec.columns):
        report.total += 1
        values, reasons = {}, []
        for key, column in columns.items():
            try:
                values[key] = convert(column, raw.get(key), labels.get(key))
            except ValueError as exc:
                values[key] = None
                reasons.append((column.header, str(exc)))
            if column.required and values[key] is None and not any(h == column.header for h, _ in reasons):
                reasons.append((column.header, "必填"))
        failed_headers = {header for header, _ in reasons}
        reasons.extend((h, r) for h, r in spec.clean_row(values, failed_headers) if h not in failed_headers)
        if not reasons:
            key = spec.natural_key(values)
            if key in seen:
                reasons.append(("", f"与第 {seen[key]} 行重复"))
            else:
                seen[key] = excel_row
        if reasons:
            report.failed += 1
            report.errors.extend(RowError(excel_row, header, reason) for header, reason in reasons)
            report.failed_rows.append((excel_row, {columns[k].header: normalise_text(v) for k, v in raw.items()},
                                       [f"{h}：{r}" if h else r for h, r in reasons]))
        else:
            clean.append((excel_row, values))
        if progress and report.total % 5000 == 0:
            progress(report.total, None)
    report.succeeded = len(clean)
    if dry_run or not clean or (report.failed and not valid_only):
        if report.failed and not valid_only:
            report.succeeded = 0 if not dry_run else report.succeeded
        return report
    with transaction.atomic():
        for start in range(0, len(clean), spec.batch_size):
            created, updated = spec.commit(clean[start:start + spec.batch_size])
            report.created += created
            report.updated += updated
            if progress:
                progress(min(start + spec.batch_size, len(clean)), len(clean))
        report.committed = True
        spec.audit(report)
    return report


def error_report_xlsx(report, spec):
    """The failed rows as the user typed them, with their Excel row number and the reasons."""
    headers = ["Excel 行号"] + [c.header for c in spec.columns] + ["错误原因"]
    rows = [[row] + [values.get(c.header, "") for c in spec.columns] + ["；".join(reasons)]
            for row, values, reasons in report.failed_rows]
    return export_workbook([("错误报告", headers, rows)])


def template_xlsx(spec, *, rows=1000):
    """The import template: * on required headers, dropdowns from a hidden 字典 sheet, code columns as text."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = spec.title[:31]
    dictionary = book.create_sheet("字典")
    dictionary.sheet_state = "hidden"
    guide = book.create_sheet("填写说明")
    guide.append(["列", "是否必填", "说明"])
    dict_col = 0
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=("*" if column.required else "") + column.header)
        cell.font = Font(bold=True, color="C0392B" if column.required else "000000")
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
        if column.help:
            cell.comment = Comment(column.help, "商联通")
        sheet.column_dimensions[letter].width = max(12, len(column.header) * 2 + 4)
        if column.kind in {"code", "text"}:
            for r in range(2, rows + 2):  # a bounded range: formatting whole columns bloats the file
                sheet.cell(row=r, column=index).number_format = "@"
        labels = column.choice_labels() if column.kind in {"choice", "bool"} or column.choices else []
        if column.kind == "bool":
            labels = ["是", "否"]
        if labels:
            dict_col += 1
            dict_letter = get_column_letter(dict_col)
            dictionary.cell(row=1, column=dict_col, value=column.header)
            for r, label in enumerate(labels, start=2):
                dictionary.cell(row=r, column=dict_col, value=label)
            validation = DataValidation(type="list", allow_blank=not column.required,
                                        formula1=f"字典!${dict_letter}$2:${dict_letter}${len(labels) + 1}",
                                        showErrorMessage=True, errorTitle="输入有误", error="请从下拉列表中选择")
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{rows + 1}")
        guide.append([column.header, "是" if column.required else "否", column.help])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
