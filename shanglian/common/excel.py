"""The one Excel pipeline of the project (DESIGN §5). Every import and every export goes through here.

Import (entity-agnostic; an entity declares an `ImportSpec`):

    check_xlsx()   refuse what is not a sane xlsx *before* parsing it: file size, zip magic,
                   [Content_Types].xml, entry count, declared and actual uncompressed size (zip bomb)
    read_rows()    python-calamine; the header row is found in the first rows by the spec's headers
                   (title rows above it, "*" marks, spaces and aliases tolerated); blank rows skipped;
                   each row keeps its Excel row number
    convert        NFKC, full-width spaces, trim; calamine floats back to text for codes
                   (13800138000.0 → "13800138000"; 9.1110000600037E+17 is refused); dates from serials,
                   datetimes and 2021-03-05 / 2021/3/5 / 2021.3.5 / 2021年3月5日; 是/否; choices by label
    run_import()   every row checked, every error kept as (Excel row, column, reason), duplicates of
                   the natural key inside the file, the spec's own checks → `ImportReport`; unless dry
                   run, the clean rows are committed in batches inside ONE transaction: all-or-nothing,
                   or only the valid rows (`valid_only=True`); `progress(done, total)` after each batch

Export: `export_xlsx()` / `export_workbook()` (xlsxwriter, constant memory, formula injection
neutralised), `template_xlsx()` (openpyxl: "*" on required headers, dropdowns from a hidden 字典
sheet, text-formatted code columns, 填写说明), `error_report_xlsx()`, `attachment_response()`.

Commit hooks that write many rows may use `insert_rows()` / `update_rows()`: one `executemany` per
batch instead of the ORM's per-object SQL compilation (bulk_create spends most of its time there).
"""

import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Mapping
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import quote

from django.db import connections, router, transaction
from django.http import HttpResponse

# --- Limits (ASVS 12.1) ------------------------------------------------------------------------------
MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # the file as uploaded
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024  # all zip entries inflated (a 100,000-row roster is ~90 MB)
MAX_ZIP_ENTRIES = 1000
HEADER_SEARCH_ROWS = 10  # the header row is looked for in this many rows (title rows may sit above it)
TEMPLATE_ROWS = 1000  # rows of the template given a text format / a dropdown (never whole columns)
BATCH_SIZE = 2000
SHOWN_LABELS = 12  # a choice error lists at most this many allowed labels

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_ZIP_MAGIC = b"PK\x03\x04"
NOT_XLSX = "文件不是有效的 Excel（.xlsx）文件，请使用下载的模板填写后上传。"
SCIENTIFIC = "代码被 Excel 转为科学计数法，请将该列设为文本格式后重新填写"
REQUIRED = "不能为空"

TRUE_WORDS = frozenset({"是", "y", "yes", "true", "1", "√", "✓", "✔", "有", "对"})
FALSE_WORDS = frozenset({"否", "n", "no", "false", "0", "×", "✗", "✘", "无", "不是"})
_EXCEL_EPOCH = date(1899, 12, 30)
_MIN_YEAR, _MAX_YEAR = 1900, 2100
_DATE_RE = re.compile(r"^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SCIENTIFIC_RE = re.compile(r"^[1-9](?:\.\d+)?[eE]\+\d{1,3}$")  # as Excel shows a long number
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class ExcelError(Exception):
    """A problem with the whole file (not one row): its message is shown to the user as it is."""


# ==================================================================================================
# Declarations
# ==================================================================================================
@dataclass(frozen=True)
class Column:
    """One column of an import spec.

    kind: text | prose (long text such as a policy's full text: line breaks and full-width punctuation
    kept) | code (identifiers and phone numbers: kept as text, never as numbers) | int | decimal
    | date | bool | choice. choices: the allowed labels — a list (the label is the value), a mapping
    label → stored value (e.g. 企业会员 → "enterprise", or a dictionary label → its id), or a callable
    returning either, resolved once per import and once per template."""

    key: str
    header: str
    required: bool = False
    kind: str = "text"
    choices: object = None
    max_length: int | None = None
    example: str = ""
    help: str = ""
    aliases: tuple = ()  # other headers accepted for this column (e.g. 规模 for 企业规模)
    max_value: object = None  # int / decimal columns
    decimal_places: int | None = None  # decimal columns: rounded half up to this many places
    zero_pad: int | None = None  # code columns: a code typed as a number (111.0) is padded ("0111")

    KINDS = ("text", "prose", "code", "int", "decimal", "date", "bool", "choice")

    def __post_init__(self):
        if self.kind not in self.KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")

    def choice_map(self):
        """Allowed labels → stored values (a list of labels maps each label to itself)."""
        choices = self.choices() if callable(self.choices) else self.choices
        if self.kind == "bool" and not choices:
            return {"是": True, "否": False}
        if isinstance(choices, Mapping):
            return dict(choices)
        return {label: label for label in choices or ()}

    def choice_labels(self):
        return list(self.choice_map())

    @property
    def headers(self):
        return (self.header, *self.aliases)


@dataclass(frozen=True)
class RowError:
    row: int  # the Excel row number, as the user sees it
    column: str  # the column header, "" for an error of the whole row
    reason: str

    def __str__(self):
        return f"第 {self.row} 行" + (f"【{self.column}】" if self.column else "") + self.reason


@dataclass
class FailedRow:
    row: int
    values: dict  # header → the cell as the user typed it (text)
    reasons: list  # "列：原因" texts


@dataclass
class ImportReport:
    total: int = 0  # data rows read (blank rows are not counted)
    succeeded: int = 0  # rows that passed every check (written when `committed`)
    failed: int = 0
    created: int = 0
    updated: int = 0
    committed: bool = False
    dry_run: bool = True
    valid_only: bool = False
    errors: list = field(default_factory=list)  # RowError, in row order
    failed_rows: list = field(default_factory=list)  # FailedRow, for the error report
    headers: list = field(default_factory=list)  # the recognised headers, in file order

    @property
    def summary(self):
        return f"共 {self.total} 条，成功 {self.succeeded} 条，失败 {self.failed} 条"

    def errors_by_row(self):
        grouped = {}
        for error in self.errors:
            grouped.setdefault(error.row, []).append(error)
        return grouped


class ImportSpec:
    """What one entity's import needs. Subclass it (override the hooks), or pass the hooks:

        ImportSpec(title="政策", columns=[...], clean_row=fn, natural_key=fn, commit=fn)

    Hooks:
      prepare()                       load lookups once (dictionaries, existing keys), before any row
      clean_row(values, failed)       cross-field and database checks of one row's typed values (None
                                      where a cell was empty or failed; `failed` = headers of the cells
                                      that failed): return [(header, reason)]; may normalise values
      natural_key(values)             a hashable key; rows with equal keys are duplicates in the file
                                      ("与第 N 行重复"); `unique` names further columns checked the same way
      commit(batch)                   write [(excel_row, values)] of clean rows; return (created, updated)
      audit(report)                   the audit record of a committed import (inside the transaction)
    """

    title = ""
    columns: list = []
    unique = ()  # keys of columns whose non-empty values must not repeat in the file (besides the natural key)
    batch_size = BATCH_SIZE

    def __init__(self, *, actor=None, title=None, columns=None, clean_row=None, natural_key=None, commit=None,
                 prepare=None, audit=None, batch_size=None):
        self.actor = actor
        if title is not None:
            self.title = title
        if columns is not None:
            self.columns = list(columns)
        for name, hook in (("clean_row", clean_row), ("natural_key", natural_key), ("commit", commit),
                           ("prepare", prepare), ("audit", audit)):
            if hook is not None:
                setattr(self, name, hook)
        if batch_size:
            self.batch_size = batch_size

    def prepare(self):
        pass

    def clean_row(self, values, failed_headers):
        return []

    def natural_key(self, values):
        return None  # no key: duplicates are not looked for

    def commit(self, batch):
        raise NotImplementedError(f"{type(self).__name__}.commit")

    def audit(self, report):
        pass


# ==================================================================================================
# Safe opening
# ==================================================================================================
def check_xlsx(path):
    """Refuse anything that is not a reasonable xlsx before any parser sees it (ASVS 12.1.1, 12.1.2,
    12.2.1): size, zip magic, the OOXML parts, entry count, then the declared *and* the actual
    inflated size (a zip may lie about its sizes: every entry is inflated in bounded chunks and
    counted, which costs ~0.15 s for a 100,000-row roster and caps memory at one chunk)."""
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise ExcelError("上传的文件是空的，请检查后重新选择。")
    if size > MAX_UPLOAD_BYTES:
        raise ExcelError(f"文件超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB，请拆分后分批导入。")
    with path.open("rb") as handle:
        if handle.read(4) != _ZIP_MAGIC:
            raise ExcelError(NOT_XLSX)
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise ExcelError("文件结构异常（包含的部件过多），已拒绝导入。")
            names = {entry.filename for entry in entries}
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names \
                    or not any(name.startswith("xl/worksheets/") for name in names):
                raise ExcelError(NOT_XLSX)
            if any(entry.flag_bits & 0x1 for entry in entries):
                raise ExcelError("文件已加密，请取消密码保护后重新上传。")
            if sum(entry.file_size for entry in entries) > MAX_UNCOMPRESSED_BYTES:
                raise ExcelError("文件解压后过大，疑似异常文件，已拒绝导入。")
            inflated = 0
            for entry in entries:
                with archive.open(entry) as member:
                    while chunk := member.read(1 << 20):
                        inflated += len(chunk)
                        if inflated > MAX_UNCOMPRESSED_BYTES:
                            raise ExcelError("文件解压后过大，疑似异常文件，已拒绝导入。")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
        # BadZipFile also covers an entry whose real content does not match its declared size (CRC)
        raise ExcelError(NOT_XLSX) from exc


# ==================================================================================================
# Normalisation and conversion
# ==================================================================================================
def clean_text(text):
    """NFKC (full-width letters, digits and spaces become ASCII), invisible characters removed, runs of
    whitespace (also the full-width space U+3000) collapsed to one space, trimmed."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    return " ".join(text.split())


def clean_prose(text):
    """Long text: paragraphs and full-width punctuation kept (no NFKC, no collapsing); invisible
    characters removed, Windows line ends unified, each line's trailing spaces and the blank lines at
    both ends trimmed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_INVISIBLE)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def normalise_text(value):
    """Any cell value as text: whole floats lose their ".0" (calamine gives every number as a float),
    dates are ISO, booleans 是/否, None is ""."""
    if value is None:
        return ""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S") if (value.hour, value.minute, value.second) != (0, 0, 0) \
            else value.strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    return clean_text(str(value))


def _checked_date(year, month, day):
    try:
        result = date(year, month, day)
    except ValueError:
        raise ValueError("日期不存在，请检查年月日") from None
    if not _MIN_YEAR <= result.year <= _MAX_YEAR:
        raise ValueError(f"日期超出范围（{_MIN_YEAR}—{_MAX_YEAR} 年）")
    return result


def parse_date(value):
    """An Excel date serial, date/datetime, or text 2021-03-05, 2021/3/5, 2021.3.5, 2021年3月5日, 20210305."""
    if isinstance(value, datetime):
        return _checked_date(value.year, value.month, value.day)
    if isinstance(value, date):
        return _checked_date(value.year, value.month, value.day)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not math.isfinite(value) or not 1 <= value < 2958466:
            raise ValueError("日期格式不正确")
        serial = _EXCEL_EPOCH + timedelta(days=int(value))
        return _checked_date(serial.year, serial.month, serial.day)
    text = normalise_text(value)
    match = _DATE_RE.match(text) or _COMPACT_DATE_RE.match(text)
    if match:
        return _checked_date(*(int(group) for group in match.groups()))
    raise ValueError("日期格式不正确，应为 2021-03-05、2021/3/5、2021.3.5 或 2021年3月5日")


def _number_text(raw):
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise ValueError("应为数字")
        return repr(raw)
    return normalise_text(raw).replace(",", "").replace(" ", "")


def converter(column, choice_map=None):
    """raw cell → typed value (None when empty), or ValueError with a Chinese reason. Built once per
    column per import: the row loop calls it for every cell."""
    kind, max_length = column.kind, column.max_length

    def length_checked(text):
        if max_length and len(text) > max_length:
            raise ValueError(f"不能超过 {max_length} 个字符（当前 {len(text)} 个）")
        return text

    if kind == "text":
        def convert_text(raw):
            text = clean_text(raw) if raw.__class__ is str else normalise_text(raw)
            return length_checked(text) if text else None
        return convert_text

    if kind == "prose":
        def convert_prose(raw):
            text = clean_prose(raw) if raw.__class__ is str else normalise_text(raw)
            return length_checked(text) if text else None
        return convert_prose

    if kind == "code":
        pad = column.zero_pad

        def convert_code(raw):
            if raw.__class__ is float:
                if raw.is_integer():
                    if abs(raw) >= 1e15:  # Excel keeps 15 significant digits: the rest is lost
                        raise ValueError(SCIENTIFIC)
                    text = str(int(raw))
                    return length_checked(text.zfill(pad) if pad else text)
                raise ValueError("代码被 Excel 转成了数字，请将该列设为文本格式后重新填写")
            text = "".join((clean_text(raw) if raw.__class__ is str else normalise_text(raw)).split()).lstrip("'")
            if not text:
                return None
            if "+" in text and _SCIENTIFIC_RE.match(text):  # "9.11201E+17" copied from Excel's display
                raise ValueError(SCIENTIFIC)
            return length_checked(text)
        return convert_code

    if kind == "int":
        limit = column.max_value

        def convert_int(raw):
            if raw.__class__ is float and raw.is_integer():
                number = int(raw)
            else:
                text = _number_text(raw)
                if not text:
                    return None
                try:
                    parsed = Decimal(text)
                except InvalidOperation:
                    raise ValueError("应为整数") from None
                if not parsed.is_finite() or parsed != parsed.to_integral_value():
                    raise ValueError("应为整数")
                number = int(parsed)
            if number < 0:
                raise ValueError("不能为负数")
            if limit is not None and number > limit:
                raise ValueError(f"不能大于 {limit}")
            return number
        return convert_int

    if kind == "decimal":
        limit = column.max_value
        quantum = Decimal(1).scaleb(-column.decimal_places) if column.decimal_places is not None else None

        def convert_decimal(raw):
            text = _number_text(raw)
            if not text:
                return None
            try:
                number = Decimal(text)
            except InvalidOperation:
                raise ValueError("应为数字") from None
            if not number.is_finite():
                raise ValueError("应为数字")
            if number < 0:
                raise ValueError("不能为负数")
            if limit is not None and number > limit:
                raise ValueError(f"不能大于 {limit}")
            return number.quantize(quantum, rounding=ROUND_HALF_UP) if quantum is not None else number
        return convert_decimal

    if kind == "date":
        def convert_date(raw):
            if raw.__class__ is str and not raw.strip():
                return None
            return parse_date(raw)
        return convert_date

    if kind == "bool":
        def convert_bool(raw):
            if raw.__class__ is bool:
                return raw
            text = normalise_text(raw).lower()
            if not text:
                return None
            if text in TRUE_WORDS:
                return True
            if text in FALSE_WORDS:
                return False
            raise ValueError("应填写“是”或“否”")
        return convert_bool

    # choice
    mapping = choice_map if choice_map is not None else column.choice_map()
    lookup = {"".join(clean_text(str(label)).split()): value for label, value in mapping.items()}
    labels = list(mapping)
    shown = "、".join(labels[:SHOWN_LABELS]) + ("等" if len(labels) > SHOWN_LABELS else "")
    reason = f"应为以下之一：{shown}" if labels else "没有可选的值，请先维护数据字典"

    def convert_choice(raw):
        text = "".join(normalise_text(raw).split())
        if not text:
            return None
        try:
            return lookup[text]
        except KeyError:
            raise ValueError(reason) from None
    return convert_choice


def convert(column, raw, labels=None):
    """One cell (convenience for tests and callers outside the row loop)."""
    if raw is None or raw == "":
        return None
    return converter(column, labels)(raw)


# ==================================================================================================
# Reading
# ==================================================================================================
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
    """The first visible sheet (the spec's title first) whose first rows hold the header row."""
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
    sheet = open_sheet(path, ImportSpec(title=title, columns=columns))
    positions = list(sheet.mapping.items())
    for number, row in enumerate(sheet.rows, start=sheet.header_row + 1):
        width = len(row)
        values = {column.key: row[i] for i, column in positions if i < width}
        if any(normalise_text(v) for v in values.values()):
            yield number, values


# ==================================================================================================
# The run
# ==================================================================================================
def run_import(spec, path, *, dry_run=True, valid_only=False, progress=None):
    """Check every row of the file; unless `dry_run`, commit the clean rows in batches of
    `spec.batch_size` inside one transaction — nothing at all if a row failed (unless `valid_only`,
    which commits the valid rows and reports the others). Returns an `ImportReport`.

    Batches are written as soon as they are checked (memory stays flat for any file size); when a
    row fails and `valid_only` is off, writing stops and the transaction is rolled back at the end,
    after every row has been checked so that the report lists every error."""
    check_xlsx(path)
    spec.prepare()
    sheet = open_sheet(path, spec)
    report = ImportReport(dry_run=dry_run, valid_only=valid_only, headers=[column.header for column in sheet.mapping.values()])
    present = list(sheet.mapping.items())
    plan = [(position, column.key, column.header, column.required,
             converter(column, column.choice_map() if column.kind == "choice" else None))
            for position, column in present]
    absent = {c.key: None for c in spec.columns if c not in sheet.mapping.values()}
    expected = max(0, sheet.height - sheet.header_row)
    writing = not dry_run
    seen = {}
    unique_plan = [(c.key, c.header, {}) for c in spec.columns if c.key in spec.unique]
    pending = []
    written = 0

    def flush():
        nonlocal written
        created, updated = spec.commit(pending)
        report.created += created
        report.updated += updated
        written += len(pending)
        pending.clear()
        if progress:
            progress(written, expected)

    with transaction.atomic() if writing else nullcontext():
        for excel_row, cells in enumerate(sheet.rows, start=sheet.header_row + 1):
            width = len(cells)
            values = dict(absent)
            reasons = []
            blank = True
            for position, key, header, required, convert_cell in plan:
                raw = cells[position] if position < width else ""
                if raw == "" or raw is None:
                    values[key] = None
                    if required:
                        reasons.append((header, REQUIRED))
                    continue
                blank = False
                try:
                    value = convert_cell(raw)
                except ValueError as exc:
                    values[key] = None
                    reasons.append((header, str(exc)))
                    continue
                values[key] = value
                if value is None and required:
                    reasons.append((header, REQUIRED))
            if blank:
                continue  # blank rows (and the template's preformatted empty rows) are skipped
            report.total += 1
            failed_headers = {header for header, _ in reasons}
            reasons.extend((header, reason) for header, reason in spec.clean_row(values, failed_headers)
                           if not header or header not in failed_headers)
            if not reasons:
                key = spec.natural_key(values)
                if key is not None:
                    first = seen.setdefault(key, excel_row)
                    if first != excel_row:
                        reasons.append(("", f"与第 {first} 行重复"))
                for unique_key, unique_header, unique_seen in unique_plan if not reasons else ():
                    value = values.get(unique_key)
                    if value is not None and (first := unique_seen.setdefault(value, excel_row)) != excel_row:
                        reasons.append((unique_header, f"与第 {first} 行重复"))
            if reasons:
                report.failed += 1
                report.errors.extend(RowError(excel_row, header, reason) for header, reason in reasons)
                report.failed_rows.append(FailedRow(
                    excel_row,
                    {column.header: normalise_text(cells[position]) if position < width else ""
                     for position, column in present},
                    [f"{header}：{reason}" if header else reason for header, reason in reasons]))
                if writing and not valid_only:
                    writing = False  # all-or-nothing: nothing more is written; rolled back below
                    pending.clear()
                continue
            report.succeeded += 1
            if writing:
                pending.append((excel_row, values))
                if len(pending) >= spec.batch_size:
                    flush()
        if report.total == 0:
            raise ExcelError("表格中没有数据：表头下方的行都是空的。")
        if not dry_run:
            if report.failed and not valid_only:
                transaction.set_rollback(True)
                report.created = report.updated = 0
            elif report.succeeded:
                if pending:
                    flush()
                report.committed = True
                spec.audit(report)
    return report


# ==================================================================================================
# Fast writes for commit hooks
# ==================================================================================================
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
    model_fields = [model._meta.get_field(name) for name in fields]
    adapters = []
    for i, model_field in enumerate(model_fields):
        adapt = _adapter(model_field, connection)
        if adapt is not None:
            # dates and timestamps repeat (one `now` per batch): adapt each distinct value once. Never
            # for other adapters — an encrypted field must encrypt every value afresh.
            memo = {} if model_field.get_internal_type() in _MEMO_TYPES else None
            adapters.append((i, adapt, memo))
    if not adapters:
        return model_fields, rows
    prepared = []
    for row in rows:
        row = list(row)
        for i, adapt, memo in adapters:
            value = row[i]
            if value is None:
                continue
            if memo is None:
                row[i] = adapt(value)
            else:
                adapted = memo.get(value)
                if adapted is None:
                    adapted = memo[value] = adapt(value)
                row[i] = adapted
        prepared.append(row)
    return model_fields, prepared


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


# ==================================================================================================
# Workbooks: error report, template, exports
# ==================================================================================================
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


def export_xlsx(headers, rows, sheet_title, *, text_columns=()):
    """Rows as a one-sheet xlsx workbook (bytes). `text_columns`: indexes (or headers) of code-like
    columns, written as text whatever their Python type (a USCC or a mobile never becomes a number)."""
    return export_workbook([(sheet_title, headers, rows)], text_columns={sheet_title: text_columns})


def export_workbook(sheets, *, text_columns=None):
    """[(title, headers, rows), …] as an xlsx workbook (bytes). xlsxwriter in constant-memory mode (rows
    are flushed as written); strings are never turned into formulas, numbers or links, and a string
    that starts like a formula is neutralised with a leading '."""
    import xlsxwriter

    text_columns = text_columns or {}
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True,
                                        "strings_to_formulas": False, "strings_to_numbers": False,
                                        "strings_to_urls": False, "default_date_format": "yyyy-mm-dd"})
    bold = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    text = book.add_format({"num_format": "@"})
    for title, headers, rows in sheets:
        sheet = book.add_worksheet(re.sub(r"[\[\]:*?/\\]", "", title)[:31] or "Sheet1")
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
        sheet.freeze_panes(1, 0)
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


def audited_export(*, actor, title, sheets, object_type, detail, text_columns=None):
    """An export as a download: the workbook, its dated Chinese file name, and the audit row (who
    exported what, how many rows, with which filters — never the values)."""
    from django.utils import timezone

    from shanglian.audit.models import AuditAction
    from shanglian.audit.services import record

    record(AuditAction.EXPORT, actor=actor, object_type=object_type, object_repr=title, detail=detail)
    return xlsx_response(export_workbook(sheets, text_columns=text_columns),
                         export_filename(title, timezone.localdate()))


__all__ = [
    "BATCH_SIZE", "MAX_UNCOMPRESSED_BYTES", "MAX_UPLOAD_BYTES", "MAX_ZIP_ENTRIES", "XLSX_CONTENT_TYPE",
    "Column", "ExcelError", "FailedRow", "ImportReport", "ImportSpec", "RowError",
    "attachment_response", "audited_export", "check_xlsx", "convert", "converter", "error_report_xlsx",
    "export_filename", "export_workbook", "export_xlsx", "insert_rows", "neutralise", "normalise_text",
    "open_sheet", "parse_date", "read_rows", "run_import", "template_xlsx", "update_rows", "xlsx_response",
]
