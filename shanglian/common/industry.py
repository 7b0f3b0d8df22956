"""国民经济行业分类 GB/T 4754-2017: the data file, its loader, and code helpers.

The data file `data/gbt4754_2017.csv` (code, level, name, parent, section) holds the complete table:
20 门类, 97 大类, 473 中类, 1,381 小类. Codes: 门类 `C`, 大类 `26`, 中类 `261`, 小类 `2614`.
"""

import csv
from pathlib import Path

from django.db import transaction

__all__ = ["DATA_FILE", "industry_division", "load_industry_codes", "read_industry_rows"]

DATA_FILE = Path(__file__).resolve().parent / "data" / "gbt4754_2017.csv"

# Level in the file -> (stored level, length of the code, level of the parent).
_LEVELS = {
    "门类": ("section", 1, None),
    "大类": ("division", 2, "section"),
    "中类": ("group", 3, "division"),
    "小类": ("class", 4, "group"),
}
_ORDER = ("section", "division", "group", "class")
_LEVELS_BY_NAME = {level: parent_level for level, _length, parent_level in _LEVELS.values()}


def read_industry_rows(path=None):
    """Rows of the data file as dicts with stored level names, checked for shape and parents."""
    path = Path(path) if path else DATA_FILE
    rows = []
    levels = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for line_no, raw in enumerate(csv.DictReader(handle), start=2):
            code = (raw.get("code") or "").strip()
            level_label = (raw.get("level") or "").strip()
            name = (raw.get("name") or "").strip()
            parent = (raw.get("parent") or "").strip() or None
            section = (raw.get("section") or "").strip()
            if level_label not in _LEVELS:
                raise ValueError(f"{path.name} 第{line_no}行：层级“{level_label}”无效。")
            level, length, parent_level = _LEVELS[level_label]
            if len(code) != length or not name or len(section) != 1:
                raise ValueError(f"{path.name} 第{line_no}行：代码、名称或门类不完整。")
            if (parent is None) != (parent_level is None):
                raise ValueError(f"{path.name} 第{line_no}行：上级代码与层级不符。")
            if code in levels:
                raise ValueError(f"{path.name} 第{line_no}行：代码“{code}”重复。")
            levels[code] = level
            rows.append({"code": code, "level": level, "name": name, "parent": parent, "section": section})
    for row in rows:
        parent = row["parent"]
        if parent is None:
            continue
        parent_level = _LEVELS_BY_NAME[row["level"]]
        nested = parent_level == "section" or row["code"].startswith(parent)
        if levels.get(parent) != parent_level or not nested:
            raise ValueError(f"{path.name}：代码“{row['code']}”的上级“{parent}”不存在或不是上一层级。")
    return rows


def load_industry_codes(path=None, *, model=None):
    """Insert or update every code of the data file; returns the number of codes in the file.

    Idempotent; parents are written before children. Codes missing from the file are left alone
    (records elsewhere may point to them). `model` lets a data migration pass its historical model.
    """
    if model is None:
        from .models import IndustryCode as model
    rows = read_industry_rows(path)
    with transaction.atomic():
        for level in _ORDER:
            objs = [
                model(
                    code=row["code"],
                    level=row["level"],
                    name=row["name"],
                    parent_id=row["parent"],
                    section=row["section"],
                )
                for row in rows
                if row["level"] == level
            ]
            model.objects.bulk_create(
                objs,
                batch_size=500,
                update_conflicts=True,
                unique_fields=["code"],
                update_fields=["level", "name", "parent", "section"],
            )
    return len(rows)


def industry_division(code):
    """The 大类 (2-digit) code of any 大类/中类/小类 code; None for a 门类 letter or an empty value."""
    code = (code or "").strip()
    if len(code) >= 2 and code[:2].isdigit():
        return code[:2]
    return None
