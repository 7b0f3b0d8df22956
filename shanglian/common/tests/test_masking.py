import pytest

from shanglian.common.masking import mask, mask_id_number, mask_mobile, mask_name, mobile_tail


def test_id_number_shows_first_four_and_last_four():
    assert mask_id_number("350102199001011234") == "3501**********1234"


def test_mobile_shows_first_three_and_last_four():
    assert mask_mobile("13800138000") == "138****8000"


def test_mobile_with_country_code_or_spaces_masks_like_the_bare_number():
    assert mask_mobile("+86 138 0013 8000") == "138****8000"


def test_name_shows_only_the_first_character():
    assert mask_name("张三丰") == "张**"
    assert mask_name("张三") == "张*"
    assert mask_name("张") == "*"


@pytest.mark.parametrize("kind", ["id_number", "mobile", "name"])
@pytest.mark.parametrize("empty", [None, ""])
def test_empty_values_pass_through_as_empty_string(kind, empty):
    assert mask(kind, empty) == ""


def test_mask_dispatches_on_kind():
    assert mask("id_number", "350102199001011234") == "3501**********1234"
    assert mask("mobile", "13800138000") == "138****8000"
    assert mask("name", "张三丰") == "张**"


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError):
        mask("address", "河西区")


@pytest.mark.parametrize("length", range(1, 25))
def test_odd_lengths_never_raise_and_reveal_at_most_a_quarter_at_each_end(length):
    value = "".join(str(i % 10) for i in range(length))
    maskers = [mask_id_number] if length == 11 else [mask_id_number, mask_mobile]
    for masker in maskers:  # an 11-digit value is masked as a mobile number: 138****8000
        masked = masker(value)
        assert len(masked) == length
        shown = len(masked) - masked.count("*")
        assert shown <= 2 * (length // 4)


def test_short_values_are_fully_masked():
    assert mask_id_number("123") == "***"
    assert mask_mobile("1234") == "1**4"
    assert mask_mobile("110") == "***"


def test_numbers_are_masked_as_text():
    assert mask_mobile(13800138000) == "138****8000"


@pytest.mark.parametrize(("value", "tail"), [("13912345678", "5678"), ("+86 139 1234 5678", "5678"), ("", ""),
                                             (None, ""), ("123", ""), ("１３９１２３４５６７８", "")])
def test_mobile_tail_keeps_the_last_four_ascii_digits(value, tail):
    assert mobile_tail(value) == tail
