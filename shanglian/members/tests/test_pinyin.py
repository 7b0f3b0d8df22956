"""The pinyin initials: the per-character table gives exactly what pypinyin's word segmentation gives.

`python -m shanglian.members.tests.test_pinyin` writes the table (`members/data/pinyin_initials.txt`)
again from the installed pypinyin (after an upgrade that changes its dictionaries), with the digest of
the dictionaries it was built from (`pinyin_initials.source`).

The suite proves it on a seeded sample (a few seconds): the installed dictionaries are the ones the table
was built from (their digest), a fixed sample of the phrases, characters and names gives the old
initials. The full sweep — the table rebuilt from every phrase, every phrase and every character of
the table compared, 1,500 random names — runs with SHANGLIAN_FULL_SWEEP=1 (`make bench` does)."""

import hashlib
import os
import random
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PHRASES_DICT, PINYIN_DICT

from shanglian.members.pinyin import FIRST, LAST, SEGMENT, TABLE_PATH, pinyin_initials
from shanglian.members.tests.oracles import old_pinyin_initials

FULL = os.environ.get("SHANGLIAN_FULL_SWEEP") == "1"
SOURCE_PATH = TABLE_PATH.with_suffix(".source")
_SAMPLE = random.Random(19)


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


def dictionaries_digest():
    """The dictionaries the table is built from: every reading of the table's block, every phrase."""
    digest = hashlib.sha256()
    for code in range(FIRST, LAST + 1):
        digest.update(f"{code}:{PINYIN_DICT.get(code)}\n".encode())
    for phrase in sorted(PHRASES_DICT):
        digest.update(f"{phrase}:{PHRASES_DICT[phrase]}\n".encode())
    return digest.hexdigest()


def test_the_table_was_built_from_the_installed_dictionaries():
    assert SOURCE_PATH.read_text(encoding="utf-8").strip() == dictionaries_digest(), (
        "pypinyin changed: run python -m shanglian.members.tests.test_pinyin to write the table again")
    table = TABLE_PATH.read_text(encoding="utf-8").rstrip("\n")
    assert 200 < table.count(SEGMENT) < 400  # the characters read differently inside a phrase, and a few without a reading
    if FULL:
        assert table == build_table()


_SEGMENTED = {chr(FIRST + offset) for offset, initial in enumerate(TABLE_PATH.read_text(encoding="utf-8"))
              if initial == SEGMENT}
_PHRASES = sorted(PHRASES_DICT)
_WITH_SEGMENTED = [phrase for phrase in _PHRASES if any(char in _SEGMENTED for char in phrase)]


def test_every_phrase_of_the_dictionary_gives_the_old_initials():
    """All of them in the full sweep; else 1,000 phrases holding a character read differently in words
    and 1,000 others, drawn with a fixed seed."""
    phrases = _PHRASES if FULL else _SAMPLE.sample(_WITH_SEGMENTED, 1000) + _SAMPLE.sample(_PHRASES, 1000)
    for phrase in phrases:
        assert pinyin_initials(phrase) == old_pinyin_initials(phrase), phrase


def test_every_character_of_the_table_gives_the_old_initials():
    """All of them in the full sweep; else every character read differently in words and 2,000 others."""
    codes = range(FIRST, LAST + 1) if FULL else sorted(
        {ord(char) for char in _SEGMENTED} | set(_SAMPLE.sample(range(FIRST, LAST + 1), 2000)))
    for code in codes:
        assert pinyin_initials(chr(code)) == old_pinyin_initials(chr(code)), hex(code)


# Names built from pieces a name is made of, the characters read differently in phrases, phrases in which
# they are, Latin letters, digits, punctuation, full-width forms, characters outside the table's block
# (〇, CJK extension A and B, compatibility ideographs) and any character at all.
_SENSITIVE = sorted(set("行长重乐银单大朝厦会参曾省调说藏") | _SEGMENTED)  # and every other one of the table
_PIECES = ["天津", "市", "河西区", "科技", "有限公司", "商贸", "银行", "分行", "行长", "重庆", "长安", "长春", "音乐",
           "快乐", "中国工商银行", "重要", "长江", "单于", "大夫", "A", "b", "Z9", "（", "）", "(", ")", "-", " ", "·",
           "　", "ＡＢＣ", "１２３", "〇", "㐀", "\U00020000", "豈", "İ", "ß", "Σ", "0", "号", "有限责任公司", "厦门", "朝阳"]
_NAMES = st.lists(st.one_of(st.sampled_from(_PIECES), st.sampled_from(_SENSITIVE),
                            st.characters(min_codepoint=FIRST, max_codepoint=LAST), st.characters()),
                  max_size=40).map("".join)


@settings(max_examples=1500 if FULL else 300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
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
    SOURCE_PATH.write_text(dictionaries_digest() + "\n", encoding="utf-8")
    sys.stdout.write(f"wrote {TABLE_PATH} and {SOURCE_PATH}\n")
