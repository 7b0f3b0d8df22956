"""Money as people read it: an amount in yuan written with thousands separators (`yuan_text`, 1,234.50) and in
Chinese capitals (`rmb_capitals`, 人民币大写: 壹仟贰佰叁拾肆元伍角), as on a receipt or a certificate; and a sum read
from the database brought back to the fen (`fen`: SQLite sums a DecimalField in floating point and Django gives it
back as a Decimal of 15 significant digits, 1234.57000000000 or 1234.56999999999).

The capitals follow the rules of 《支付结算办法》 (附一 正确填写票据和结算凭证的基本规定): 壹贰叁肆伍陆柒捌玖 with
拾佰仟万亿; "整" after an amount that ends at 元 (none after 角 or 分); one 零 for a run of zeros inside the
integer part (壹万零伍元, 壹亿零壹万元); 零 between 元 and 分 when there are no 角 (壹元零伍分); an amount under
one yuan starts at its 角 or 分 (伍角, 伍分); ten is 壹拾.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")
TEN_THOUSAND = Decimal(10000)
DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ("", "拾", "佰", "仟")  # within a group of four digits, from the ones up
GROUPS = ("", "万", "亿")  # the groups of four digits, from the ones up
LIMIT = Decimal(10) ** 12  # 壹万亿: past 9999亿9999万9999元 the capitals need 万亿, which no amount here reaches


def _as_fen(amount):
    try:
        value = Decimal(str(amount)) if not isinstance(amount, Decimal) else amount
    except InvalidOperation:
        raise ValueError(f"not an amount: {amount!r}") from None
    if not value.is_finite():
        raise ValueError(f"not an amount: {amount!r}")
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def fen(value):
    """A sum of yuan as the database gives it (a Decimal, an int, None over no rows) as a Decimal to the fen, rounded
    half up: PostgreSQL's numeric sum is exact; SQLite's is accumulated in floating point, and rounding to the fen
    gives it back exactly while that error stays under half a fen. A float is refused, never guessed."""
    if value is None:
        return Decimal("0.00")
    if isinstance(value, float):
        raise TypeError("A money sum must not be a float.")
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def wan(yuan):
    """Yuan (a sum as read, or a Decimal) as 万元 with two places, rounded half up: 12,345.67 元 → 1.23 万元;
    6,580,000 元 → 658.00 万元. The statistics' unit for money (welfare, growth)."""
    return (fen(yuan) / TEN_THOUSAND).quantize(FEN, rounding=ROUND_HALF_UP)


def yuan_text(amount):
    """1234.5 → "1,234.50" (to the fen, thousands separated); None → ""."""
    if amount is None:
        return ""
    return f"{_as_fen(amount):,.2f}"


def _group_text(number):
    """A group of up to four digits (1–9999) in capitals, its inner zeros as one 零, trailing zeros dropped."""
    text, zero, started = [], False, False
    for place in range(3, -1, -1):
        digit = number // 10 ** place % 10
        if digit == 0:
            zero = zero or started
            continue
        if zero:
            text.append("零")
            zero = False
        text.append(DIGITS[digit] + PLACES[place])
        started = True
    return "".join(text)


def _integer_text(number):
    groups = [number // 10000 ** i % 10000 for i in range(len(GROUPS))]
    text, zero = [], False
    for index in range(len(GROUPS) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            zero = zero or bool(text)
            continue
        if text and (zero or group < 1000):
            text.append("零")
        text.append(_group_text(group) + GROUPS[index])
        zero = False
    return "".join(text)


def rmb_capitals(amount):
    """An amount in yuan (Decimal, int or text; rounded to the fen) in Chinese capitals: 1234.50 →
    "壹仟贰佰叁拾肆元伍角", 10 → "壹拾元整", 0.05 → "伍分", 0 → "零元整". A negative amount starts with 负;
    one of 10¹² yuan or more raises ValueError."""
    value = _as_fen(amount)
    sign = "负" if value < 0 else ""
    value = abs(value)
    if value >= LIMIT:
        raise ValueError("amount too large for the capitals (10^12 yuan or more)")
    fen_total = int(value * 100)
    yuan, jiao, fen = fen_total // 100, fen_total // 10 % 10, fen_total % 10
    if fen_total == 0:
        return "零元整"
    text = _integer_text(yuan) + "元" if yuan else ""
    if jiao == 0 and fen == 0:
        return f"{sign}{text}整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if fen:
        text += DIGITS[fen] + "分"
    return sign + text
