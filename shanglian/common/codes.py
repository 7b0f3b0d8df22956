"""Deterministic generators of valid codes for demo data and tests.

Every function takes a `random.Random`, so the same seed gives the same codes. The results pass
`shanglian.common.validators`; they are made up and must never be shown as real people or firms.
"""

from datetime import date

from .validators import id_check_digit, uscc_check_digit

__all__ = ["make_id_number", "make_mobile", "make_uscc"]

# GB 11714 organisation code: 8 characters + a check character.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# Mobile number segments in common use (China Mobile, Unicom, Telecom, Broadnet).
_MOBILE_PREFIXES = (
    "130 131 132 133 134 135 136 137 138 139 147 150 151 152 153 155 156 157 158 159 "
    "166 172 173 175 176 177 178 180 181 182 183 184 185 186 187 188 189 191 192 193 "
    "195 196 197 198 199"
).split()


def _check_region(region_code):
    if not (isinstance(region_code, str) and len(region_code) == 6 and region_code.isdigit()):
        raise ValueError(f"region_code must be 6 digits (GB/T 2260), got {region_code!r}")


def _org_code(rng):
    """A GB 11714 organisation code (8 digits + its check character)."""
    body = "".join(rng.choice("0123456789") for _ in range(8))
    remainder = 11 - sum(int(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True)) % 11
    check = {10: "X", 11: "0"}.get(remainder, str(remainder))
    return body + check


def make_uscc(rng, region_code="120103", *, authority="9", entity_type="1"):
    """A valid 统一社会信用代码.

    Defaults: registered by 市场监管 (authority "9") as an enterprise (entity type "1"; use "2" for a
    个体工商户), in 天津市河西区 (120103).
    """
    _check_region(region_code)
    if len(authority) != 1 or len(entity_type) != 1 or not (authority + entity_type).isdigit():
        raise ValueError("authority and entity_type must be single digits")
    body = authority + entity_type + region_code + _org_code(rng)
    return body + uscc_check_digit(body)


def make_id_number(rng, region_code, birth_date, female):
    """A valid 18-digit 身份证号码: region + birth date + sequence (even for women) + check digit."""
    _check_region(region_code)
    if not isinstance(birth_date, date):
        raise TypeError("birth_date must be a datetime.date")
    # The sequence number's last digit is odd for men and even for women; avoid 000.
    sequence = rng.randrange(0, 100) * 10 + rng.choice((0, 2, 4, 6, 8) if female else (1, 3, 5, 7, 9))
    if sequence == 0:
        sequence = 10
    body = f"{region_code}{birth_date:%Y%m%d}{sequence:03d}"
    return body + id_check_digit(body)


def make_mobile(rng):
    """A valid mainland mobile number in a real segment."""
    return rng.choice(_MOBILE_PREFIXES) + "".join(rng.choice("0123456789") for _ in range(8))
