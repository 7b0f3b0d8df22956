"""The old, slow implementations, kept only as oracles: the tests (and `bench/bench_member_import.py`)
check that the fast ones give exactly what these gave.

- pinyin initials: pypinyin's word segmentation of the whole name, word by word
- check digits: python-stdnum
- cell conversion: each cell converted on its own (no cache of distinct values)
- the normalisers of codes and the blind index (HMAC) before their fast paths"""

import hashlib
import hmac
import re
import unicodedata
from contextlib import contextmanager
from unittest import mock

from pypinyin import Style, lazy_pinyin
from pypinyin.seg.simpleseg import seg
from stdnum.cn import ric, uscc

from shanglian.common.excel.normalise import EMPTY, CellProblem


def _word_initials(word):
    if not re.search(r"[\u4e00-\u9fff]", word):
        return re.sub(r"[^0-9a-z]", "", word.lower())
    return "".join(part[0] for part in lazy_pinyin(word, style=Style.FIRST_LETTER) if part).lower()


def old_pinyin_initials(text):
    return "".join(_word_initials(word) for word in seg(text or ""))[:100]


def old_uscc_check_digit(body):
    return uscc.calc_check_digit(body[:17])


def old_id_check_digit(body):
    return ric.calc_check_digit(body[:17] + "0")


def old_convert_column(convert_cell, cells, cache):
    """Each cell on its own, as the row loop did (the same results as `convert_column`, no cache)."""
    out = []
    for raw in cells:
        if raw is None or raw == "":
            out.append(EMPTY)
            continue
        try:
            out.append(convert_cell(raw))
        except ValueError as exc:
            out.append(CellProblem(str(exc)))
    return out


def old_code_converter(column):
    """A code column's conversion before its fast path for plain ASCII codes (every text cleaned)."""
    from shanglian.common.excel.normalise import _SCIENTIFIC_RE, clean_text, normalise_text

    pad, max_length = column.zero_pad, column.max_length

    def length_checked(text):
        if max_length and len(text) > max_length:
            raise ValueError(f"不能超过 {max_length} 个字符（当前 {len(text)} 个）")
        return text

    def convert_code(raw):
        if raw.__class__ is float:
            if raw.is_integer():
                if abs(raw) >= 1e15:
                    raise ValueError("代码被 Excel 转为科学计数法，请将该列设为文本格式后重新填写")
                text = str(int(raw))
                return length_checked(text.zfill(pad) if pad else text)
            raise ValueError("代码被 Excel 转成了数字，请将该列设为文本格式后重新填写")
        text = "".join((clean_text(raw) if raw.__class__ is str else normalise_text(raw)).split()).lstrip("'")
        if not text:
            return None
        if "+" in text and _SCIENTIFIC_RE.match(text):
            raise ValueError("代码被 Excel 转为科学计数法，请将该列设为文本格式后重新填写")
        return length_checked(text)
    return convert_code


def _old_blind_indexes(values, normalizer=None):
    from django.conf import settings
    from django.utils.module_loading import import_string

    normalize = import_string(normalizer) if isinstance(normalizer, str) else normalizer
    return [old_blind_index(value, normalize, settings.SHANGLIAN_BLIND_INDEX_KEY) for value in values]


@contextmanager
def old_implementations():
    """The import as it ran before: the old pinyin, stdnum's check digits, cell by cell conversion, the
    plain normalisers, the blind index one value at a time (hmac.new) and each value encrypted alone."""
    from shanglian.common.fields import EncryptedTextField

    with mock.patch("shanglian.members.import_writes.pinyin_initials", old_pinyin_initials), \
            mock.patch("shanglian.common.validators.uscc_check_digit", old_uscc_check_digit), \
            mock.patch("shanglian.common.validators.id_check_digit", old_id_check_digit), \
            mock.patch("shanglian.common.excel.run.convert_column", old_convert_column), \
            mock.patch("shanglian.common.validators.normalize_uscc", old_normalize_code), \
            mock.patch("shanglian.common.validators.normalize_id_number", old_normalize_code), \
            mock.patch("shanglian.common.validators.normalize_mobile", old_normalize_mobile), \
            mock.patch("shanglian.common.fields.blind_indexes", _old_blind_indexes), \
            mock.patch("shanglian.common.fields.blind_index", lambda value, normalizer=None: _old_blind_indexes(
                [value], normalizer)[0]), \
            mock.patch.object(EncryptedTextField, "get_db_prep_save_many", None):
        yield


# --- codes and blind indexes: the normalisers and the HMAC as they were written before their fast paths
def old_normalize_code(value):
    """normalize_uscc / normalize_id_number before the fast path for codes already plain."""
    text = "" if value is None else unicodedata.normalize("NFKC", str(value))
    return re.sub(r"[\s\u200b\u200c\u200d\u2060\ufeff]+", "", text).upper()


def old_normalize_mobile(value):
    text = "" if value is None else unicodedata.normalize("NFKC", str(value))
    text = re.sub(r"[-()]", "", re.sub(r"[\s\u200b\u200c\u200d\u2060\ufeff]+", "", text))
    for prefix in ("+86", "0086"):
        if text.startswith(prefix):
            return text[len(prefix):]
    if text.startswith("86") and len(text) == 13:
        return text[2:]
    return text


def old_blind_index(value, normalize, key):
    if value is None:
        return ""
    text = normalize(value) if normalize else value
    text = unicodedata.normalize("NFKC", str(text)).strip()
    if not text:
        return ""
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()
