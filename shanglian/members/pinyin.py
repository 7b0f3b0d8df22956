"""Pinyin initials of names (`天津市河西区某某科技有限公司` → `tjshxqmmkjyxgs`), stored and indexed for
search by initials.

What it gives is what pypinyin gives word by word (its own segmentation, so 银行 stays `yh` and 重庆
`cq`), only faster: a character's initial rarely depends on its neighbours, so each character of the
CJK block is looked up in a table (`data/pinyin_initials.txt`: one character per code point U+4E00 to
U+9FFF, its initial, or `*`). Only a run of Chinese characters holding a `*` — one of the ~280
characters whose reading changes inside a phrase of pypinyin's dictionary (行, 长, 重, 银…), one
without a reading, or a character outside that block — is segmented into words and converted by
pypinyin as before. A name with none of these (most names) is converted by one `str.translate`
through the table, Latin letters lowered and other ASCII dropped on the way. The table is derived from the installed pypinyin; a test rebuilds it from
pypinyin's dictionaries and fails when an upgrade changes it (`python -m
shanglian.members.tests.test_pinyin` writes it again)."""

import re
from functools import lru_cache
from pathlib import Path

from pypinyin import Style, lazy_pinyin
from pypinyin.constants import RE_HANS
from pypinyin.seg import mmseg

__all__ = ["SEGMENT", "TABLE_PATH", "pinyin_initials"]

TABLE_PATH = Path(__file__).parent / "data" / "pinyin_initials.txt"
FIRST, LAST = 0x4E00, 0x9FFF  # the table covers this block
SEGMENT = "*"  # in the table: this character's initial depends on the word it is in
MAX_LENGTH = 100  # Enterprise.name_initials / Person.name_initials

_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_NOT_LATIN_RE = re.compile(r"[^0-9a-z]")


@lru_cache(maxsize=1)
def _table():
    """{character: initial} for the characters whose initial is the same in every word."""
    text = TABLE_PATH.read_text(encoding="utf-8").rstrip("\n")
    if len(text) != LAST - FIRST + 1:
        raise RuntimeError(f"{TABLE_PATH} holds {len(text)} entries, not {LAST - FIRST + 1}")
    return {chr(FIRST + offset): initial for offset, initial in enumerate(text) if initial != SEGMENT}


@lru_cache(maxsize=1)
def _translation():
    """For `str.translate`: each character of the table → its initial, A-Z → a-z, every other ASCII
    character but 0-9 and a-z → nothing. What it leaves outside ASCII needs the path by runs."""
    mapping = {ord(char): initial for char, initial in _table().items()}
    for code in range(128):
        char = chr(code)
        if "A" <= char <= "Z":
            mapping[code] = char.lower()
        elif not ("0" <= char <= "9" or "a" <= char <= "z"):
            mapping[code] = None
    return mapping


@lru_cache(maxsize=65536)
def _word_initials(word):
    """One word as pypinyin sees it (the slow path; names share most of their words: 有限公司, 银行)."""
    if not _CJK_RE.search(word):
        return _NOT_LATIN_RE.sub("", word.lower())  # letters and digits are kept as they are
    return "".join(part[0] for part in lazy_pinyin(word, style=Style.FIRST_LETTER) if part).lower()


@lru_cache(maxsize=4096)
def _other_initials(run):
    """A run that is not Chinese: its letters and digits, lower case."""
    return _NOT_LATIN_RE.sub("", run.lower())


@lru_cache(maxsize=65536)
def _segmented(run):
    """A run of Chinese holding a word-dependent character, through pypinyin's segmentation (the same
    runs recur: 天津长城…, …银行)."""
    return "".join(_word_initials(word) for word in mmseg.seg.cut(run))


def pinyin_initials(text):
    """The initials of `text` (at most 100 characters), exactly as pypinyin's word segmentation gives them."""
    if not text:
        return ""
    quick = text.translate(_translation())
    if quick.isascii():  # every character was ASCII or in the table
        return quick[:MAX_LENGTH]
    table = _table()
    out = []
    position, end = 0, len(text)
    for match in _HANS_FINDER(text):
        start, stop = match.span()
        if start > position:
            out.append(_other_initials(text[position:start]))
        run = match.group()
        try:
            out.append("".join([table[char] for char in run]))
        except KeyError:  # a character whose initial depends on its word: segment this run
            out.append(_segmented(run))
        position = stop
    if position < end:
        out.append(_other_initials(text[position:]))
    return "".join(out)[:MAX_LENGTH]


_HANS_FINDER = re.compile(RE_HANS.pattern.removeprefix("^").removesuffix("$")).finditer
