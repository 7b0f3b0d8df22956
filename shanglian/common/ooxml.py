"""Safe opening of Office Open XML files (xlsx, docx): what an import reads and what an appeal attaches.

Before any parser (python-calamine, Word, WPS) sees such a file it is walked once with the stdlib, in
bounded chunks, and refused when (issue 18.1):
- it has too many entries, or its entries inflate to too much in all, or one inflates absurdly
  against its compressed size (a zip bomb; the real inflated bytes are counted, a zip may lie);
- an XML part declares a DTD or entities (billion laughs; OOXML never needs one);
- a shared-string table declares more strings than it can hold (calamine reserves room for them);
- a worksheet's extent is out of proportion: python-calamine allocates one cell for every position
  between the smallest and the largest row/column that hold a value (a value in A1 and one in
  XFD1048576 is 512 GB and aborts the process), so the extent of the cells that hold something is
  measured here from the XML itself and refused beyond MAX_SHEET_ROWS / MAX_SHEET_COLUMNS /
  MAX_SHEET_CELLS.
Memory stays at one chunk plus a short carry, whatever the file.

The extent is measured in two passes only when it has to be: the first bounds it from above (the
rectangle of every referenced cell, empty or not, when every <c> and <row> tag carries a plain
reference first — what Excel, WPS, openpyxl and xlsxwriter write: a handful of C-speed scans a chunk);
a part whose bound exceeds a limit is measured again exactly, cell by cell as calamine places them,
and refused only then, with the exact extent in the message. A bound is never smaller than the exact
extent, so what the bound accepts the exact measure accepts too.
"""

import re
import zipfile

MAX_ENTRIES = 1000
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024  # all entries inflated (a 100,000-row roster is ~90 MB)
MAX_RATIO = 500  # inflated / compressed, for entries above RATIO_FLOOR (deflate tops out near 1,000)
RATIO_FLOOR = 1024 * 1024
MAX_SHEET_ROWS = 200_000  # twice the largest roster the imports are sized for
MAX_SHEET_COLUMNS = 200  # the widest import template has 31 columns
MAX_SHEET_CELLS = 8_000_000  # the extent calamine allocates (32 bytes a cell: ~256 MB at most)

_CHUNK = 1 << 20
_MAX_TAG = 64 * 1024  # an unclosed tag longer than this is not a sane document
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_DTD_MARKS = tuple(mark.encode(encoding) for mark in ("<!DOCTYPE", "<!ENTITY")
                   for encoding in ("utf-8", "utf-16-le", "utf-16-be"))
_OVERLAP = max(len(mark) for mark in _DTD_MARKS)
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_FILLED_ROWS = re.compile(rb'<c r="[A-Z]{1,3}(\d{1,7})"[^>/]*>')
_FILLED_COLUMNS = re.compile(rb'<c r="([A-Z]{1,3})\d{1,7}"[^>/]*>')
_EMPTY_CELL = re.compile(rb'<c r="[A-Z]{1,3}\d{1,7}"[^>/]*/>')
_ROW_REF = re.compile(rb'<row r="(\d{1,7})"')
_PREFIXED = re.compile(rb"<[A-Za-z_][\w.-]*:(?:c|row)[\s>/]")
_SHARED_STRINGS = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sst\s[^>]*?uniqueCount\s*=\s*[\"']\s*\+?(\d+)")
_REF = re.compile(rb"(?:^|\s)r\s*=\s*[\"']\s*\$?([A-Za-z]*)\$?(\d*)\s*[\"']")
# The bound: a <c>/<row> tag (its name ends at a space, ">" or "/") that does not start with a plain
# reference sends the chunk to the exact measure; the rows and columns of every reference bound it.
_UNPLAIN_CELL = re.compile(rb'<c(?=[\s>/])(?! r="[A-Z]{1,3}[1-9]\d{0,6}")')
_UNPLAIN_ROW = re.compile(rb'<row(?=[\s>/])(?! r="[1-9]\d{0,6}")')
_REF_ROWS = re.compile(rb'<c r="[A-Z]{1,3}(\d{1,7})"')
_WIDE_REF = re.compile(rb'<c r="[A-Z]{2,3}\d')
_REF_COLUMNS = re.compile(rb'<c r="([A-Z]{1,3})\d')

TOO_LARGE = "文件解压后过大，疑似异常文件，已拒绝。"
NOT_OFFICE = "文件不是有效的 Office 文档（结构损坏），已拒绝。"


class UnsafeDocument(ValueError):
    """The file is refused; str(exc) is the Chinese reason for the user."""


def _count_tags(data, name):
    return sum(data.count(name + end) for end in (b" ", b"\t", b"\n", b"\r", b">", b"/"))


def _column_number(letters):
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


_BEYOND = {}


def _beyond(number):
    """(a pattern, a bound): the pattern finds a cell reference whose row is past the bound, the
    bound being the largest number with as many digits as `number` and a first digit no larger —
    7 → 9, 1,234 → 1,999, 100,001 → 199,999 — so that when it finds nothing, every reference (plain:
    no leading zero, at most 7 digits) is at most the bound."""
    text = str(number)
    digits, first = len(text), int(text[0])
    found = _BEYOND.get((digits, first))
    if found is None:
        past = [rb"\d{%d}" % (digits + 1)] + ([rb'[%d-9]\d{%d}"' % (first + 1, digits - 1)] if first < 9 else [])
        found = _BEYOND[digits, first] = (re.compile(rb'<c r="[A-Z]{1,3}(?:' + b"|".join(past) + rb")"),
                                          (first + 1) * 10 ** (digits - 1) - 1)
    return found


class _Rescan(Exception):
    """A bound exceeded a limit: the part is measured again exactly before it is refused."""


class _Extent:
    """The rows and columns of the cells that hold something, as calamine places them (a cell's own
    r="B7", else the next position after the previous one; self-closed <c/> cells are empty).

    With `bounded`, a chunk whose tags all carry plain references is bounded instead (`_bound`): the
    rectangle then holds every referenced cell, empty ones too, which is never smaller than the exact
    extent; `check` raises `_Rescan` rather than refuse on a bound."""

    def __init__(self, name, *, bounded=False):
        self.name = name
        self.row = self.column = 0
        self.top = self.left = None
        self.bottom = self.right = 0
        self.bounded = bounded
        self.inexact = False

    def measure(self, data):
        if not (self.bounded and self._bound(data)):
            self.feed(data)

    def _bound(self, data):
        """Bound the cells of `data` from above when every <c> and <row> tag starts with a plain
        reference (r="B7", r="7"); returns False (nothing done) otherwise. The rows: at most the
        bound `_beyond` draws from the last row's number, when no reference lies past it (one scan),
        else the largest reference; the columns: A to Z when no reference has two letters."""
        if _UNPLAIN_CELL.search(data) or _UNPLAIN_ROW.search(data) \
                or ((b":c" in data or b":row" in data) and _PREFIXED.search(data)):
            return False
        last_row = data.rfind(b'<row r="')
        if last_row != -1:
            start = last_row + len(b'<row r="')
            self.row = int(data[start:data.index(b'"', start)])
        if b'<c r="' in data:
            if _WIDE_REF.search(data):
                columns = [_column_number(letters) for letters in set(_REF_COLUMNS.findall(data))]
                left, right = min(columns), max(columns)
            else:
                left, right = 1, 26
            top = bottom = None
            if self.row:
                beyond, limit = _beyond(self.row)
                if self._fits(1, limit, left, right) and not beyond.search(data):
                    top, bottom = 1, limit
            if bottom is None:
                numbers = [int(number) for number in set(_REF_ROWS.findall(data))]
                top, bottom = min(numbers), max(numbers)
            self._extend(top, bottom, left, right)
            self.inexact = True
        self.column = self.right  # for a later positional cell only: an overestimate of its column
        return True

    def _fits(self, top, bottom, left, right):
        """Whether the extent stays within the limits once (top, bottom, left, right) is added."""
        if self.top is not None:
            top, left = min(self.top, top), min(self.left, left)
            bottom, right = max(self.bottom, bottom), max(self.right, right)
        rows, columns = bottom - top + 1, right - left + 1
        return rows <= MAX_SHEET_ROWS and columns <= MAX_SHEET_COLUMNS and rows * columns <= MAX_SHEET_CELLS

    def feed(self, data):
        """Measure the complete tags in `data`. When every <c> and <row> starts with its reference
        (what Excel, WPS, openpyxl and xlsxwriter write) a few C-speed passes do; else the tag walk."""
        rows = _ROW_REF.findall(data)
        numbers, letters = _FILLED_ROWS.findall(data), _FILLED_COLUMNS.findall(data)
        cells = len(numbers) + len(_EMPTY_CELL.findall(data))
        if cells != _count_tags(data, b"<c") or len(rows) != _count_tags(data, b"<row") \
                or ((b":c" in data or b":row" in data) and _PREFIXED.search(data)):
            self._walk(data)
            return
        if rows:
            self.row = int(rows[-1])
        self.column = self.right  # for a later positional cell only: an overestimate of its column
        if numbers:
            numbers = [int(number) for number in set(numbers)]
            columns = [_column_number(column) for column in set(letters)]
            self._extend(min(numbers), max(numbers), min(columns), max(columns))

    def _walk(self, data):
        for match in _TAG.finditer(data):
            tag, attributes = match.group(1), match.group(2)
            ref = _REF.search(attributes)
            letters, digits = (ref.group(1), ref.group(2)) if ref else (b"", b"")
            if tag == b"row":
                self.row = int(digits) if digits else self.row + 1
                self.column = 0
                continue
            self.column = _column_number(letters) if letters else self.column + 1
            row = int(digits) if digits else self.row
            if not attributes.rstrip().endswith(b"/"):  # <c r="XFD9" s="1"/>: empty, calamine skips it
                self._extend(row, row, self.column, self.column)

    def _extend(self, top, bottom, left, right):
        self.top = top if self.top is None else min(self.top, top)
        self.left = left if self.left is None else min(self.left, left)
        self.bottom, self.right = max(self.bottom, bottom), max(self.right, right)

    def check(self):
        if self.top is None:
            return
        if not self._fits(self.top, self.bottom, self.left, self.right):
            if self.inexact:
                raise _Rescan
            raise UnsafeDocument(
                f"工作表的数据区域异常（第 {self.top}–{self.bottom} 行、第 {self.left}–{self.right} 列，"
                f"超过 {MAX_SHEET_ROWS} 行、{MAX_SHEET_COLUMNS} 列或 {MAX_SHEET_CELLS} 个单元格的上限），"
                "已拒绝。请删除远处单元格中的内容后重新上传。")


def _check_shared_strings(head, entry):
    """calamine reserves room for the shared-string table's declared uniqueCount (24 bytes each):
    4,000,000,000 in a 1 KB part was a 96 GB allocation. The count may not exceed what the part can
    hold (an <si/> is 5 bytes) nor MAX_SHEET_CELLS."""
    match = _SHARED_STRINGS.search(head[:_MAX_TAG])
    if match and int(match.group(1)) > min(MAX_SHEET_CELLS, entry.file_size // 5 + 1):
        raise UnsafeDocument("文件的共享字符串表声明的数量异常，疑似异常文件，已拒绝。")


def _scan_entry(archive, entry, budget):
    """Inflate one entry in chunks; returns its inflated size. Refuses DTDs in XML parts and an absurd
    worksheet extent; raises when `budget` (the bytes still allowed in all) is exceeded. An extent
    bounded beyond a limit is measured again exactly before it is refused."""
    try:
        return _scan(archive, entry, budget, bounded=True)
    except _Rescan:
        return _scan(archive, entry, budget, bounded=False)


def _scan(archive, entry, budget, *, bounded):
    name = entry.filename.lower()
    is_xml = name.endswith(_XML_SUFFIXES)
    # every XML part, not only xl/worksheets/: the workbook's relationships may put a sheet anywhere
    extent = _Extent(entry.filename, bounded=bounded) if is_xml else None
    inflated, tail, carry = 0, b"", b""
    with archive.open(entry) as member:
        while chunk := member.read(_CHUNK):
            inflated += len(chunk)
            if inflated > budget:
                raise UnsafeDocument(TOO_LARGE)
            if inflated > RATIO_FLOOR and inflated > MAX_RATIO * max(entry.compress_size, 1):
                raise UnsafeDocument(TOO_LARGE)
            if is_xml and not tail:
                _check_shared_strings(chunk, entry)
            if is_xml:
                window = tail + chunk
                if any(mark in window for mark in _DTD_MARKS):
                    raise UnsafeDocument("文件包含不允许的 XML 声明（DTD/实体），疑似异常文件，已拒绝。")
                tail = window[-_OVERLAP:]
            if extent is not None:
                data = carry + chunk
                cut = data.rfind(b"<")
                if cut == -1 or data.find(b">", cut) != -1:
                    cut = len(data)  # the buffer ends outside a tag
                extent.measure(data[:cut])
                carry = data[cut:]
                if len(carry) > _MAX_TAG:
                    raise UnsafeDocument(NOT_OFFICE)
                extent.check()
    if extent is not None:
        extent.measure(carry)
        extent.check()
    return inflated


def check_ooxml(path, *, max_uncompressed=MAX_UNCOMPRESSED_BYTES, max_entries=MAX_ENTRIES):
    """Walk the zip at `path` (a path or a binary file object) once; raise UnsafeDocument to refuse.
    Returns the entry names (for the caller's own structural checks)."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if len(entries) > max_entries:
                raise UnsafeDocument("文件结构异常（包含的部件过多），已拒绝。")
            if any(entry.flag_bits & 0x1 for entry in entries):
                raise UnsafeDocument("文件已加密，请取消密码保护后重新上传。")
            if sum(entry.file_size for entry in entries) > max_uncompressed:
                raise UnsafeDocument(TOO_LARGE)
            inflated = 0
            for entry in entries:
                inflated += _scan_entry(archive, entry, max_uncompressed - inflated)
            return [entry.filename for entry in entries]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
        # BadZipFile also covers an entry whose real content does not match its declared size (CRC)
        raise UnsafeDocument(NOT_OFFICE) from exc
