"""Fictional person names and unique enterprise names, drawn from one generator (`data/names.toml`)."""

import hashlib

from .files import load_toml

_NAMES = load_toml("names.toml")
SURNAMES = _NAMES["surnames"]
GIVEN_MALE = _NAMES["given_male"]
GIVEN_FEMALE = _NAMES["given_female"]
BRAND_FIRST = _NAMES["brand_first"]
BRAND_SECOND = _NAMES["brand_second"]
FOREIGN_BRANDS = _NAMES["foreign_brands"]
BUILDING_NAMES = _NAMES["building_names"]


class Names:
    """Person names and unique enterprise names drawn from one generator."""

    def __init__(self, rng):
        self.rng = rng
        self.taken = set()

    def person(self, female):
        rng = self.rng
        given = GIVEN_FEMALE if female else GIVEN_MALE
        surname = rng.choice(SURNAMES)
        name = surname + rng.choice(given)
        if rng.random() < 0.72:
            name += rng.choice(given)
        return name if len(set(name)) == len(name) else self.person(female)

    def brand(self):
        rng = self.rng
        first = rng.choice(BRAND_FIRST)
        second = rng.choice(BRAND_SECOND)
        while second == first:
            second = rng.choice(BRAND_SECOND)
        return first + second

    def unique(self, make):
        for _ in range(1000):
            name = make()
            if name not in self.taken:
                self.taken.add(name)
                return name
        raise RuntimeError("could not draw a unique enterprise name")


# --- Unique names and codes at any size ----------------------------------------------------------
# A large district draws its firms' 字号 serially: (place, first, second, third character) is a
# mixed-radix digit string of a counter scrambled by a multiplication modulo the capacity, so every
# 字号 is used once and neighbouring firms do not look numbered. Places are the city, the district and
# the streets' own names (天津梅江恒泰科技有限公司); the third character is absent for the first
# fifty-seventh of the draws.
PLACES = ["天津", "天津市", "天津市河西区", "大营门", "下瓦房", "桃园", "挂甲寺", "马场", "越秀", "友谊", "天塔",
          "尖山", "陈塘庄", "柳林", "东海", "梅江"]
_RADICES = (len(PLACES), len(BRAND_FIRST), len(BRAND_SECOND), len(BRAND_SECOND) + 1)
SERIAL_CAPACITY = _RADICES[0] * _RADICES[1] * _RADICES[2] * _RADICES[3]
_STEP = 1_000_003  # a prime that does not divide the capacity: k → k·STEP mod capacity is a bijection


def _digest(name):
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big")


class SerialNames:
    """Enterprise 字号 drawn without repeats, and names checked unique by an 8-byte digest (a million
    names hold ~70 MB, not the names themselves). `taken`: names already used (the core district's)."""

    def __init__(self, taken=()):
        self.seen = {_digest(name) for name in taken}
        self.counter = 0

    def brand(self):
        """(place, 字号) of the next draw; 字号 of two or three different characters."""
        while True:
            if self.counter >= SERIAL_CAPACITY:
                raise RuntimeError("the serial enterprise names are exhausted")
            k = self.counter * _STEP % SERIAL_CAPACITY
            self.counter += 1
            k, place = divmod(k, _RADICES[0])
            k, first = divmod(k, _RADICES[1])
            third, second = divmod(k, _RADICES[2])
            chars = BRAND_FIRST[first] + BRAND_SECOND[second] + (BRAND_SECOND[third - 1] if third else "")
            if len(set(chars)) == len(chars):
                return PLACES[place], chars

    def claim(self, name):
        """True (and the name is taken) when no firm has it yet."""
        key = _digest(name)
        if key in self.seen:
            return False
        self.seen.add(key)
        return True


_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_MODULUS = 10 ** 8
_ORG_STEP, _ORG_OFFSET = 7_654_321, 12_345_679  # the step is odd and not a multiple of 5: a bijection
# GB 32100: 31 characters, the weight of position i is 3^i mod 31, the check makes the sum 0 mod 31.
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {ch: i for i, ch in enumerate(_USCC_ALPHABET)}
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


def org_check(body):
    """The GB 11714 check character of an 8-digit organisation code body."""
    remainder = 11 - sum(int(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def uscc_check(code17):
    """The GB 32100 check character of the first 17 characters of a 统一社会信用代码 (a weighted sum, as
    `stdnum.cn.uscc.calc_check_digit` computes it, several times faster)."""
    total = sum(_USCC_VALUE[ch] * w for ch, w in zip(code17, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[-total % 31]


class SerialCodes:
    """Unique 统一社会信用代码 at any size: the 8-digit organisation code of draw k is k·STEP+OFFSET
    mod 10^8 (a bijection, so no two draws share it), skipping the codes in `taken` (the core
    district's, drawn at random). Check characters as GB 11714 and GB 32100 compute them."""

    def __init__(self, taken=()):
        self.taken = {code[8:16] for code in taken}
        self.counter = 0

    def uscc(self, region_code, *, authority="9", entity_type="1"):
        while True:
            body = f"{(self.counter * _ORG_STEP + _ORG_OFFSET) % _ORG_MODULUS:08d}"
            self.counter += 1
            if body not in self.taken:
                break
        code = authority + entity_type + region_code + body + org_check(body)
        return code + uscc_check(code)
