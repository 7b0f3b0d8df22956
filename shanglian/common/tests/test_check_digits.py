"""The check digits computed from a table and a weighted sum are python-stdnum's, on any input."""

from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric, uscc

from shanglian.common.validators import id_check_digit, uscc_check_digit, validate_id_number, validate_uscc

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=USCC_CHARS, min_size=17, max_size=17))
def test_the_uscc_check_digit_is_stdnums(body):
    assert uscc_check_digit(body) == uscc.calc_check_digit(body)
    assert uscc_check_digit(body + "0") == uscc_check_digit(body)  # the 18th character is not read


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_the_id_check_digit_is_stdnums(body):
    assert id_check_digit(body) == ric.calc_check_digit(body + "0")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=USCC_CHARS + "IOZSVa-x 　９", min_size=16, max_size=19))
def test_a_uscc_is_accepted_exactly_when_stdnum_accepts_it(code):
    try:
        validate_uscc(code)
    except Exception:
        accepted = False
    else:
        accepted = True
    assert accepted == uscc.is_valid(code.replace("　", "").replace("９", "9").upper())


@settings(max_examples=500, deadline=None)
@given(st.from_regex(r"\A(11|12|44|99)[0-9]{4}(19[5-9][0-9]|20[01][0-9])(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])"
                     r"[0-9]{3}[0-9Xx]\Z"))
def test_an_id_number_is_accepted_exactly_when_its_check_digit_is_stdnums(number):
    try:
        validate_id_number(number)
    except Exception:
        accepted = False
    else:
        accepted = True
    assert accepted == (number[:2] != "99" and number[17].upper() == ric.calc_check_digit(number))
