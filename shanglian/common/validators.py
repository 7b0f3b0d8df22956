"""Validators and normalisers for the codes the platform stores.

- 统一社会信用代码 (GB 32100-2015) and 居民身份证号码 (GB 11643-1999) check digits: a weighted sum
  over a table of character values (`uscc_check_digit`, `id_check_digit`; the same results as
  python-stdnum's `stdnum.cn.uscc` / `stdnum.cn.ric`, which the tests keep as the oracle, at a third of
  the cost — an import checks 100,000 of them); the normalisation that Excel imports and form input
  need, and Chinese messages that say *what* is wrong (length, characters, check digit, birth date).
- Each `validate_*` normalises its input first (NFKC, spaces removed, upper case) and checks the
  normalised form, so store the result of the matching `normalize_*`, not the raw input.
- Each `validate_*` returns the normalised value, which Django ignores when the function is used as
  a field validator but callers can use.
"""

import re
import unicodedata
from datetime import date
from operator import mul

from django.core.exceptions import ValidationError
from django.utils import timezone

__all__ = [
    "id_check_digit",
    "normalize_id_number",
    "normalize_mobile",
    "normalize_uscc",
    "uscc_check_digit",
    "validate_id_number",
    "validate_mobile",
    "validate_uscc",
]

# Unicode whitespace after NFKC, plus zero-width characters and the BOM that survive NFKC and that
# text copied from web pages or Excel often carries.
_INVISIBLE_RE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
_MOBILE_SEPARATORS_RE = re.compile(r"[-()]")

# GB 32100: characters allowed in positions 9-18 (digits and capitals except I, O, Z, S, V); a
# character's value is its position in this string; the weights are 3^i mod 31.
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_ALPHABET = frozenset(_USCC_CHARS)
_USCC_VALUE = {char: value for value, char in enumerate(_USCC_CHARS)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# Public for code that rewrites codes in SQL (demo.scale): the alphabet (a character's value is its index) and
# the weights of the 17 characters before the check character.
USCC_CHARS, USCC_WEIGHTS = _USCC_CHARS, _USCC_WEIGHTS
# GB 11643 (ISO 7064 MOD 11-2): weights 2^(17-i) mod 11; the check character of each remainder.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_DIGIT_VALUE = {str(digit): digit for digit in range(10)}

# GB/T 2260 province-level codes (first two digits of an ID number), plus 71/81/82 (台湾/香港/澳门,
# also used by 港澳台居民居住证) and 83 (台湾居民居住证 as issued on the mainland).
_PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82 83".split()
)
_MOBILE_RE = re.compile(r"1[3-9]\d{9}")
# Already normalised: ASCII digits and capitals (NFKC, removing spaces and upper-casing change nothing).
_PLAIN_CODE_RE = re.compile(r"[0-9A-Z]+")
_PLAIN_DIGITS_RE = re.compile(r"[0-9]+")
_USCC_TAIL_RE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{10}")  # positions 9-18 within _USCC_CHARS


def _text(value):
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value))


def _strip_invisible(value):
    return _INVISIBLE_RE.sub("", value)


def normalize_uscc(value):
    """NFKC (full-width letters and digits become ASCII), remove all spaces, upper case."""
    if value.__class__ is str and _PLAIN_CODE_RE.fullmatch(value):
        return value
    return _strip_invisible(_text(value)).upper()


def normalize_id_number(value):
    """NFKC, remove all spaces, upper case (a trailing lower-case x becomes X)."""
    if value.__class__ is str and _PLAIN_CODE_RE.fullmatch(value):
        return value
    return _strip_invisible(_text(value)).upper()


def normalize_mobile(value):
    """NFKC, remove spaces, hyphens and brackets, and drop a leading +86, 0086 or 86 country code."""
    if value.__class__ is str and _PLAIN_DIGITS_RE.fullmatch(value) and not value.startswith("0086") \
            and not (len(value) == 13 and value.startswith("86")):
        return value  # digits alone, no country code: already normalised
    text = _MOBILE_SEPARATORS_RE.sub("", _strip_invisible(_text(value)))
    for prefix in ("+86", "0086"):
        if text.startswith(prefix):
            return text[len(prefix) :]
    # A bare "86" only when what follows is a full mobile number (an 11-digit number never starts
    # with 86, so this cannot eat the start of a real number).
    if text.startswith("86") and len(text) == 13:
        return text[2:]
    return text


def uscc_check_digit(body):
    """The check character of a 统一社会信用代码 whose first 17 characters are `body` (digits and
    capitals of the GB 32100 alphabet; anything else, or fewer characters, raises an error)."""
    if len(body) < 17:
        raise ValueError("a USCC body has 17 characters")
    return _USCC_CHARS[-sum(map(mul, map(_USCC_VALUE.__getitem__, body[:17]), _USCC_WEIGHTS)) % 31]


def id_check_digit(body):
    """The check character (0-9 or X) of an 18-digit 身份证号码 whose first 17 digits are `body` (ASCII
    digits; anything else, or fewer digits, raises an error)."""
    if len(body) < 17:
        raise ValueError("an ID number body has 17 digits")
    return _ID_CHECK[sum(map(mul, map(_DIGIT_VALUE.__getitem__, body[:17]), _ID_WEIGHTS)) % 11]


def _illegal_characters(value, allowed):
    seen = []
    for char in value:
        if char not in allowed and char not in seen:
            seen.append(char)
    return "".join(seen)


def validate_uscc(value):
    """Check a 统一社会信用代码 (GB 32100-2015); returns the normalised code."""
    code = normalize_uscc(value)
    if not code:
        raise ValidationError("请填写统一社会信用代码。", code="required")
    if len(code) != 18:
        raise ValidationError(
            "统一社会信用代码应为18位，当前为%(length)d位。",
            code="invalid_length",
            params={"length": len(code)},
        )
    if not code[:8].isascii() or not code[:8].isdigit():
        raise ValidationError(
            "统一社会信用代码前8位（登记管理部门、机构类别和登记管理机关行政区划码）应为数字。",
            code="invalid_characters",
        )
    illegal = "" if _USCC_TAIL_RE.fullmatch(code, 8) else _illegal_characters(code[8:], _USCC_ALPHABET)
    if illegal:
        raise ValidationError(
            "统一社会信用代码含有非法字符“%(chars)s”（只允许数字和除 I、O、Z、S、V 以外的大写字母）。",
            code="invalid_characters",
            params={"chars": illegal},
        )
    if code[-1] != uscc_check_digit(code):
        raise ValidationError("统一社会信用代码校验位错误。", code="invalid_checksum")
    return code


def validate_id_number(value):
    """Check an 18-digit 居民身份证号码 (GB 11643-1999); returns the normalised number.

    Checks, in order: length, characters, province code, birth date (a real date, not in the future,
    not before 1900), check digit. The county code is not checked against a list: lists go stale
    and would refuse real numbers.
    """
    number = normalize_id_number(value)
    if not number:
        raise ValidationError("请填写身份证号码。", code="required")
    if len(number) == 15 and number.isascii() and number.isdigit():
        raise ValidationError("不支持15位旧身份证号码，请填写18位身份证号码。", code="invalid_length")
    if len(number) != 18:
        raise ValidationError(
            "身份证号码应为18位，当前为%(length)d位。",
            code="invalid_length",
            params={"length": len(number)},
        )
    body, check = number[:17], number[17]
    if not (body.isascii() and body.isdigit()) or check not in "0123456789X":
        raise ValidationError(
            "身份证号码含有非法字符：前17位应为数字，最后一位应为数字或X。",
            code="invalid_characters",
        )
    if number[:2] not in _PROVINCE_CODES:
        raise ValidationError("身份证号码前两位（省级行政区划代码）无效。", code="invalid_region")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        birth = None
    if birth is None or birth.year < 1900 or birth > timezone.localdate():
        raise ValidationError("身份证号码中的出生日期无效。", code="invalid_birth_date")
    if check != id_check_digit(body):
        raise ValidationError("身份证号码校验位错误。", code="invalid_checksum")
    return number


def validate_mobile(value):
    """Check a mainland China mobile number (11 digits, 1[3-9]…); returns the normalised number."""
    number = normalize_mobile(value)
    if not number:
        raise ValidationError("请填写手机号码。", code="required")
    if not (number.isascii() and number.isdigit()):
        raise ValidationError("手机号码只能包含数字。", code="invalid_characters")
    if len(number) != 11:
        raise ValidationError(
            "手机号码应为11位数字，当前为%(length)d位。",
            code="invalid_length",
            params={"length": len(number)},
        )
    if not _MOBILE_RE.fullmatch(number):
        raise ValidationError("手机号码号段无效（应以13至19开头）。", code="invalid_prefix")
    return number


# --- ids and free text from any form or API ----------------------------------------------------------
def is_id(value):
    """Whether `value` can be a row's id: a positive integer of at most 18 digits. Check before a query:
    a longer one overflows the integer column (a server error on SQLite and on PostgreSQL)."""
    if isinstance(value, bool):
        return False
    text = str(value).strip()
    return text.isascii() and text.isdigit() and len(text) <= 18 and int(text) > 0


def _unwanted(char, keep):
    return char not in keep and unicodedata.category(char) in ("Cc", "Cf")


def strip_control_characters(value, *, multiline=False):
    """`value` without control and format characters (ESC, NUL, the RTL override U+202E, zero-width
    spaces...): they hide or reorder what a reader sees. A multi-line text keeps its tabs and line
    breaks; a one-line text keeps none (a tab becomes a space)."""
    if not isinstance(value, str):
        return value
    keep = "\t\n\r" if multiline else ""
    if not multiline:
        value = value.replace("\t", " ")
    return "".join(char for char in value if not _unwanted(char, keep))
