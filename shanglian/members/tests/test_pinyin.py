"""The pinyin initials: the per-character table gives exactly what pypinyin's word segmentation gives.

`python -m shanglian.members.tests.test_pinyin` writes the table (`members/data/pinyin_initials.txt`)
again from the installed pypinyin (after an upgrade that changes its dictionaries)."""

import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PHRASES_DICT, PINYIN_DICT

from shanglian.members.pinyin import FIRST, LAST, SEGMENT, TABLE_PATH, pinyin_initials
from shanglian.members.tests.oracles import old_pinyin_initials


def _initial(char):
    parts = lazy_pinyin(char, style=Style.FIRST_LETTER)
    if len(parts) != 1 or len(parts[0]) < 1:
        return None
    initial = parts[0][0].lower()
    return initial if len(initial) == 1 and initial != SEGMENT else None


def build_table():
    """The table from pypinyin's dictionaries: a character's initial alone, or SEGMENT where it has no
    reading or where a phrase of the dictionary reads it with another initial."""
    table = {}
    for code in range(FIRST, LAST + 1):
        table[chr(code)] = _initial(chr(code)) if code in PINYIN_DICT else None
    for phrase in PHRASES_DICT:
        parts = lazy_pinyin(phrase, style=Style.FIRST_LETTER)
        if len(parts) != len(phrase):
            changed = phrase
        else:
            changed = [char for char, part in zip(phrase, parts, strict=True)
                       if not part or table.get(char) != part[0].lower()]
        for char in changed:
            if char in table:
                table[char] = None
    return "".join(table[chr(code)] or SEGMENT for code in range(FIRST, LAST + 1))


def test_the_table_is_what_the_installed_pypinyin_gives():
    built = build_table()
    assert TABLE_PATH.read_text(encoding="utf-8").rstrip("\n") == built, (
        "pypinyin changed: run python -m shanglian.members.tests.test_pinyin to write the table again")
    assert 200 < built.count(SEGMENT) < 400  # the characters read differently inside a phrase, and a few without a reading


def test_every_phrase_of_the_dictionary_gives_the_old_initials():
    for phrase in PHRASES_DICT:
        assert pinyin_initials(phrase) == old_pinyin_initials(phrase), phrase


def test_every_character_of_the_table_gives_the_old_initials():
    for code in range(FIRST, LAST + 1):
        assert pinyin_initials(chr(code)) == old_pinyin_initials(chr(code)), hex(code)


# Names built from pieces a name is made of, the characters read differently in phrases, phrases in which
# they are, Latin letters, digits, punctuation, full-width forms, characters outside the table's block
# (〇, CJK extension A and B, compatibility ideographs) and any character at all.
_SENSITIVE = sorted(set("行长重乐银单大朝厦会参曾省调说藏") | {  # and every other one of the table
    chr(FIRST + offset) for offset, initial in enumerate(TABLE_PATH.read_text(encoding="utf-8") if TABLE_PATH.exists() else "")
    if initial == SEGMENT})
_PIECES = ["天津", "市", "河西区", "科技", "有限公司", "商贸", "银行", "分行", "行长", "重庆", "长安", "长春", "音乐",
           "快乐", "中国工商银行", "重要", "长江", "单于", "大夫", "A", "b", "Z9", "（", "）", "(", ")", "-", " ", "·",
           "　", "ＡＢＣ", "１２３", "〇", "㐀", "\U00020000", "豈", "İ", "ß", "Σ", "0", "号", "有限责任公司", "厦门", "朝阳"]
_NAMES = st.lists(st.one_of(st.sampled_from(_PIECES), st.sampled_from(_SENSITIVE),
                            st.characters(min_codepoint=FIRST, max_codepoint=LAST), st.characters()),
                  max_size=40).map("".join)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_NAMES)
def test_any_name_gives_the_old_initials(name):
    assert pinyin_initials(name) == old_pinyin_initials(name)


@pytest.mark.parametrize(("name", "initials"), [
    ("中国工商银行天津分行", "zggsyhtjfh"),  # 银行 and 分行: hang, from the words
    ("长江", "cj"), ("行长", "hz"), ("重庆", "cq"), ("", ""), ("ABC（天津）", "abctj"),
])
def test_words_decide_the_initial_of_a_character_read_differently_in_them(name, initials):
    assert pinyin_initials(name) == initials


if __name__ == "__main__":
    TABLE_PATH.parent.mkdir(exist_ok=True)
    TABLE_PATH.write_text(build_table() + "\n", encoding="utf-8")
    sys.stdout.write(f"wrote {TABLE_PATH}\n")
