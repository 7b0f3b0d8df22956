"""Normalisation and conversion of cells: NFKC, full-width spaces, trim; calamine floats back to text
for codes; dates from serials and the usual Chinese spellings; amounts of money as people type them
(`parse_money`); 是/否; choices by label."""

import math
import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ..money import yuan_text

SHOWN_LABELS = 12  # a choice error lists at most this many allowed labels
SCIENTIFIC = "代码被 Excel 转为科学计数法，请将该列设为文本格式后重新填写"

TRUE_WORDS = frozenset({"是", "y", "yes", "true", "1", "√", "✓", "✔", "有", "对"})
FALSE_WORDS = frozenset({"否", "n", "no", "false", "0", "×", "✗", "✘", "无", "不是"})
_EXCEL_EPOCH = date(1899, 12, 30)
_MIN_YEAR, _MAX_YEAR = 1900, 2100
_DATE_RE = re.compile(r"^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SCIENTIFIC_RE = re.compile(r"^[1-9](?:\.\d+)?[eE]\+\d{1,3}$")  # as Excel shows a long number
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
# Money (`parse_money`): the largest amount the models' money columns hold (14 digits, 2 places), and what a
# cell may be once its separators, ¥, 元 or 万元 are gone: digits with at most one decimal point (no NaN, no
# Infinity, no 1e5).
MONEY_LIMIT = Decimal("999999999999.99")
MONEY_FORMAT = "应为金额，如 1234.50、1,234.50、¥1234.5 或 1.5万元"
_FEN = Decimal("0.01")
_WAN = Decimal(10000)
_FLOAT_NOISE = Decimal("1e-9")  # a float cell within this of a fen is that fen (0.1 + 0.2 = 0.30000000000000004)
_PLAIN_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_GROUPED_RE = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
# A code typed plainly: printable ASCII without space, ' or + (cleaning it changes nothing, and it
# cannot be a number in scientific notation).
_PLAIN_CODE_RE = re.compile(r"[!-&(-*,-~]+")


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


def parse_money(raw, *, limit=None):
    """An amount of money in yuan as a cell holds it → a Decimal to the fen (None when empty), or ValueError with
    a Chinese reason. Normalised: full-width digits and punctuation (NFKC: "１２３４" → 1234, "￥" → ¥, "，" → ,),
    spaces, thousands separators (only where they belong: "1,234.50", not "1,5"), a leading ¥ and a trailing 元,
    and a trailing 万元 or 万 (× 10,000: "1.5万元" → 15000.00). Refused: anything else (text, "NaN",
    "Infinity", "1e5", a boolean), a negative amount, an amount that has more than two decimal places once
    converted (a fen is the smallest unit: "1.234" and "1.234567万" are refused, "1.2345万" is 12345.00), and an
    amount over `limit` (`MONEY_LIMIT` by default). A number cell (calamine gives a float) is taken as it is,
    its binary noise below a billionth of a fen dropped."""
    limit = MONEY_LIMIT if limit is None else Decimal(limit)
    cls = raw.__class__
    if raw is None:
        return None
    if cls is bool:
        raise ValueError(MONEY_FORMAT)
    noisy = False
    if cls is float:
        if not math.isfinite(raw):
            raise ValueError(MONEY_FORMAT)
        number, noisy = Decimal(repr(raw)), True
    elif cls is int:
        number = Decimal(raw)
    else:
        text = "".join(normalise_text(raw).split())
        if not text:
            return None
        scale = 1
        text = text.removeprefix("¥")
        if text.endswith("万元") or text.endswith("万"):
            text, scale = text.removesuffix("元")[:-1], _WAN
        else:
            text = text.removesuffix("元")
        text = text.removeprefix("¥")
        if "," in text:
            if not _GROUPED_RE.fullmatch(text):
                raise ValueError("千分位分隔符的位置不对，应如 1,234.50")
            text = text.replace(",", "")
        if not _PLAIN_NUMBER_RE.fullmatch(text):
            raise ValueError(MONEY_FORMAT)
        number = Decimal(text) * scale
    if number < 0:
        raise ValueError("不能为负数")
    if number > limit:
        raise ValueError(f"金额过大，不能超过 {yuan_text(limit)} 元")
    rounded = number.quantize(_FEN, rounding=ROUND_HALF_UP)
    if rounded != number and not (noisy and abs(rounded - number) <= _FLOAT_NOISE):
        raise ValueError("金额最多精确到分（两位小数）")
    return rounded


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
        plain = _PLAIN_CODE_RE.fullmatch

        def convert_code(raw):
            if raw.__class__ is str and plain(raw):  # most codes: nothing to clean
                return length_checked(raw)
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

    if kind == "money":
        money_limit = column.max_value

        def convert_money(raw):
            return parse_money(raw, limit=money_limit)
        return convert_money

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


# --- a column at a time ------------------------------------------------------------------------------
class CellProblem:
    """In what `convert_column` returns: a cell that failed (`reason`), or `EMPTY` (reason None)."""

    __slots__ = ("reason",)

    def __init__(self, reason):
        self.reason = reason


EMPTY = CellProblem(None)
CACHE_LIMIT = 20_000  # distinct raw values kept per column (codes such as 会员类型 repeat; names do not)


def convert_column(convert_cell, cells, cache):
    """The cells of one column (a block of rows), each through `convert_cell` (a `converter()`), with
    `cache` ({raw: result}, kept by the caller across blocks) holding the result of each distinct raw
    text or number already seen: a column of 会员类型, 企业类型, dates or 是/否 holds few distinct values.
    Returns a list: the typed value (None when the cell converts to nothing), a `CellProblem` with the
    reason when it failed, `EMPTY` for an empty cell. Exactly what converting each cell on its own gives:
    only str and float cells are cached (a bool is equal to 1.0 and -0.0 to 0.0, but they convert
    differently), and NaN never."""
    if set(map(type, cells)) <= _CACHED_TYPES:
        return _convert_cached(convert_cell, cells, cache)
    out = []
    append = out.append
    get = cache.get
    room = CACHE_LIMIT - len(cache)
    for raw in cells:
        cls = raw.__class__
        cached = cls is str or (cls is float and raw == raw and raw != 0.0)
        if cached:
            result = get(raw, EMPTY if raw == "" else None)
            if result is not None:
                append(result)
                continue
        elif raw is None:
            append(EMPTY)
            continue
        try:
            result = convert_cell(raw)
        except ValueError as exc:
            result = CellProblem(str(exc))
        if cached and room > 0:
            cache[raw] = result
            room -= 1
        append(result)
    return out


_CACHED_TYPES = frozenset({str, float})


def _convert_cached(convert_cell, cells, cache):
    """`convert_column` for a block of text and float cells only (no bool, which equals 1.0): every cell
    looked up in the cache at C speed, then the misses converted. 0.0, -0.0 and NaN are never cached
    (so never found); "" is EMPTY."""
    out = list(map(cache.get, cells))
    if None not in out:
        return out
    room = CACHE_LIMIT - len(cache)
    for index, result in enumerate(out):
        if result is not None:
            continue
        raw = cells[index]
        if raw == "":
            out[index] = EMPTY
            continue
        try:
            result = convert_cell(raw)
        except ValueError as exc:
            result = CellProblem(str(exc))
        if room > 0 and (raw.__class__ is str or (raw == raw and raw != 0.0)):
            cache[raw] = result
            room -= 1
        out[index] = result
    return out
