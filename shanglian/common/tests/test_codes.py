import random
from datetime import date

import pytest
from stdnum.cn import ric, uscc

from shanglian.common.codes import make_id_number, make_mobile, make_uscc
from shanglian.common.validators import validate_id_number, validate_mobile, validate_uscc


def test_generators_are_deterministic_for_a_seed():
    first = random.Random(42)
    second = random.Random(42)
    for _ in range(5):
        assert make_uscc(first) == make_uscc(second)
        assert make_mobile(first) == make_mobile(second)
        assert make_id_number(first, "120103", date(1980, 5, 17), False) == make_id_number(
            second, "120103", date(1980, 5, 17), False
        )


def test_generated_usccs_are_valid_and_in_the_requested_region():
    rng = random.Random(1)
    for _ in range(200):
        code = make_uscc(rng)
        assert uscc.is_valid(code)
        validate_uscc(code)
        assert code[:2] == "91" and code[2:8] == "120103"
    individual = make_uscc(rng, "350102", entity_type="2")
    assert individual.startswith("92350102")
    validate_uscc(individual)


def test_generated_id_numbers_are_valid_and_carry_birth_date_and_gender():
    rng = random.Random(2)
    for i in range(200):
        born = date(1950 + i % 60, 1 + i % 12, 1 + i % 28)
        female = i % 2 == 0
        number = make_id_number(rng, "120103", born, female)
        assert ric.is_valid(number)
        validate_id_number(number)
        assert number[:6] == "120103"
        assert number[6:14] == f"{born:%Y%m%d}"
        assert int(number[16]) % 2 == (0 if female else 1)


def test_generated_mobiles_are_valid():
    rng = random.Random(3)
    for _ in range(200):
        validate_mobile(make_mobile(rng))


def test_region_code_must_be_six_digits():
    with pytest.raises(ValueError):
        make_uscc(random.Random(0), "12010")
    with pytest.raises(ValueError):
        make_id_number(random.Random(0), "12010X", date(1990, 1, 1), True)
