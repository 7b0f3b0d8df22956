from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from stdnum.cn import ric, uscc

from shanglian.common.validators import (
    normalize_id_number,
    normalize_mobile,
    normalize_uscc,
    validate_id_number,
    validate_mobile,
    validate_uscc,
)

# The well-known valid code from python-stdnum's own doctest (verified with stdnum.cn.uscc).
KNOWN_USCC = "91110000600037341L"


def computed_uscc(body17):
    return body17 + uscc.calc_check_digit(body17)


def computed_id(body17):
    return body17 + ric.calc_check_digit(body17 + "0")


def id_number_ending_in_x():
    for sequence in range(1000):
        number = computed_id(f"120103199001{sequence % 28 + 1:02d}{sequence:03d}")
        if number.endswith("X"):
            return number
    raise AssertionError("no ID number with check digit X found")


def refusal(validator, value):
    with pytest.raises(ValidationError) as exc:
        validator(value)
    error = exc.value.error_list[0]
    return error.code, exc.value.messages[0]


# --- 统一社会信用代码 -----------------------------------------------------------------------------


def test_known_valid_uscc_is_accepted():
    assert uscc.is_valid(KNOWN_USCC)
    assert validate_uscc(KNOWN_USCC) == KNOWN_USCC


@pytest.mark.parametrize("body", ["91120103MA05K1234", "92120103000000001", "51120103500123456"])
def test_uscc_with_computed_check_digit_is_accepted(body):
    code = computed_uscc(body)
    assert validate_uscc(code) == code


def test_uscc_in_lower_case_full_width_or_with_spaces_is_accepted_as_normalised():
    messy = "\u3000９１１１ 0000 600037341l "
    assert normalize_uscc(messy) == KNOWN_USCC
    assert validate_uscc(messy) == KNOWN_USCC


def test_uscc_with_wrong_check_digit_is_refused():
    code, message = refusal(validate_uscc, "91110000600037341M")
    assert code == "invalid_checksum"
    assert message == "统一社会信用代码校验位错误。"


def test_uscc_of_wrong_length_is_refused_with_the_length():
    code, message = refusal(validate_uscc, "9111000060003734")
    assert code == "invalid_length"
    assert "18位" in message and "16位" in message


def test_uscc_with_letters_i_o_z_s_v_is_refused_as_illegal_characters():
    code, message = refusal(validate_uscc, "91110000600O37341L")
    assert code == "invalid_characters"
    assert "O" in message


def test_uscc_with_a_letter_in_the_first_eight_positions_is_refused():
    code, message = refusal(validate_uscc, "A1110000600037341L")
    assert code == "invalid_characters"
    assert "前8位" in message


def test_empty_uscc_is_refused_as_required():
    assert refusal(validate_uscc, "  ")[0] == "required"
    assert refusal(validate_uscc, None)[0] == "required"


# --- 身份证号码 ----------------------------------------------------------------------------------


def test_id_number_with_computed_check_digit_is_accepted():
    number = computed_id("35010219900101123")
    assert validate_id_number(number) == number


def test_id_number_ending_in_lower_case_x_is_accepted_and_upper_cased():
    number = id_number_ending_in_x()
    assert validate_id_number(number.lower()) == number
    assert normalize_id_number(" " + number[:-1] + "x\u3000") == number


def test_id_number_with_wrong_check_digit_is_refused():
    number = computed_id("35010219900101123")
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    code, message = refusal(validate_id_number, wrong)
    assert code == "invalid_checksum"
    assert message == "身份证号码校验位错误。"


def test_id_number_of_wrong_length_is_refused_with_the_length():
    code, message = refusal(validate_id_number, "35010219900101123")
    assert code == "invalid_length"
    assert "17位" in message


def test_old_fifteen_digit_id_number_is_refused_with_an_explanation():
    code, message = refusal(validate_id_number, "350102900101123")
    assert code == "invalid_length"
    assert "15位" in message


def test_id_number_with_letters_in_the_body_is_refused_as_illegal_characters():
    code, message = refusal(validate_id_number, "3501021990O101123X")
    assert code == "invalid_characters"
    assert "非法字符" in message


def test_id_number_with_impossible_birth_date_is_refused():
    code, message = refusal(validate_id_number, computed_id("35010219900230123"))
    assert code == "invalid_birth_date"
    assert message == "身份证号码中的出生日期无效。"


def test_id_number_born_in_the_future_is_refused():
    tomorrow = date.today() + timedelta(days=2)
    code, _ = refusal(validate_id_number, computed_id(f"350102{tomorrow:%Y%m%d}123"))
    assert code == "invalid_birth_date"


def test_id_number_with_unknown_province_code_is_refused():
    code, message = refusal(validate_id_number, computed_id("00010219900101123"))
    assert code == "invalid_region"
    assert "省级" in message


# --- 手机号码 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["13800138000", "+86 138 0013 8000", "8613800138000", "0086-138-0013-8000", "１３８００１３８０００"],
)
def test_mobile_written_in_common_ways_is_accepted_as_eleven_digits(raw):
    assert normalize_mobile(raw) == "13800138000"
    assert validate_mobile(raw) == "13800138000"


def test_mobile_with_a_prefix_outside_13_to_19_is_refused():
    code, message = refusal(validate_mobile, "12345678901")
    assert code == "invalid_prefix"
    assert "号段" in message


def test_mobile_of_wrong_length_is_refused_with_the_length():
    code, message = refusal(validate_mobile, "1380013800")
    assert code == "invalid_length"
    assert "10位" in message


def test_mobile_with_letters_is_refused_as_illegal_characters():
    code, message = refusal(validate_mobile, "1380013800a")
    assert code == "invalid_characters"
    assert message == "手机号码只能包含数字。"


def test_leading_86_is_kept_when_it_is_not_a_country_code():
    assert normalize_mobile("86123") == "86123"
