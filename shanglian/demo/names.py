"""Fictional person names and unique enterprise names, drawn from one generator (`data/names.toml`)."""

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
