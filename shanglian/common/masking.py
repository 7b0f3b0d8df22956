"""The one masking helper of the project: lists, exports and logs show personal data through it.

    mask_id_number("350102199001011234") -> "3501**********1234"
    mask_mobile("13800138000")           -> "138****8000"
    mask_name("张三丰")                   -> "张**"

Masks keep the length of the value. Values of an unexpected length never raise and never show more
than a quarter of the characters at each end (an ID number of 18 shows 4 + 4, a short value shows
less, a value of 3 characters or fewer shows nothing).
"""

from .validators import normalize_mobile

__all__ = ["MASK_KINDS", "mask", "mask_id_number", "mask_mobile", "mask_name"]

STAR = "*"


def _as_text(value):
    if value is None:
        return ""
    return str(value).strip()


def _mask_middle(text, head, tail):
    """Keep at most `head` leading and `tail` trailing characters, each at most a quarter of the text."""
    quarter = len(text) // 4
    head, tail = min(head, quarter), min(tail, quarter)
    hidden = len(text) - head - tail
    return text[:head] + STAR * hidden + text[len(text) - tail :]


def mask_id_number(value):
    """First 4 and last 4 characters of an 18-character ID number, stars in between."""
    return _mask_middle(_as_text(value), 4, 4)


def mask_mobile(value):
    """First 3 and last 4 digits of an 11-digit mobile number (138****8000).

    A number written with a country code or separators is normalised first, so "+86 138 0013 8000"
    masks the same as "13800138000". Anything else is masked by the generic quarter rule.
    """
    text = _as_text(value)
    if not text:
        return ""
    normalised = normalize_mobile(text)
    if len(normalised) == 11:
        return normalised[:3] + STAR * 4 + normalised[7:]
    return _mask_middle(text, 3, 4)


def mobile_tail(value):
    """The last 4 digits of a mobile number ("" without 4 digits): what a sign-in sheet keeps and a door
    searches by, the number itself staying encrypted where it is registered."""
    digits = "".join(ch for ch in _as_text(value) if ch.isascii() and ch.isdigit())
    return digits[-4:] if len(digits) >= 4 else ""


def mask_name(value):
    """Keep the first character (the surname, or its first character) and star the rest: 张**."""
    text = _as_text(value)
    if len(text) <= 1:
        return STAR * len(text)
    return text[0] + STAR * (len(text) - 1)


MASK_KINDS = {
    "id_number": mask_id_number,
    "mobile": mask_mobile,
    "name": mask_name,
}


def mask(kind, value):
    """Mask `value` as `kind` ("id_number", "mobile" or "name"); None and "" give ""."""
    try:
        masker = MASK_KINDS[kind]
    except KeyError:
        raise ValueError(f"未知的脱敏类型：{kind!r}") from None
    return masker(value)
