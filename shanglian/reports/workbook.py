"""The xlsx of every figure with its definition (指标库 → 导出, and the annual report's workbook): one sheet of every
figure of the catalogue for a period — area, figure, key, definition, unit, value, 同比 and 环比 with their
directions, the year's target and the gap, whether it is computed from records or external data and from where, and
说明 (why a value is missing: "无数据" is never written as 0).

    sheets = figures_workbook_sheets(user, Period.year(2026))            # [(sheet name, headers, rows)]
    audited_export(actor=user, title="指标库", sheets=sheets, object_type="reports.catalogue", detail={…})

The figures are read through `catalogue.entries` (i.e. `values.measure`), so the workbook says what the pages say.
"""

from .catalogue import entries
from .values import NO_DATA, plain

SHEET = "指标库"
HEADERS = ["序号", "领域", "指标", "指标代码", "口径", "单位", "统计期间", "数值", "上年同期", "同比", "同比方向", "上期", "环比",
           "环比方向", "目标", "差距", "是否达成", "数据类型", "数据来源", "说明"]
DIRECTIONS = {"up": "上升", "down": "下降", "flat": "持平", None: ""}
RECORDS, EXTERNAL = "据记录计算", "外部数据"


def _number(value):
    """A value as the sheet writes it: a number (Decimal stored values without their padding zeros), or 无数据."""
    if value is None:
        return NO_DATA
    return plain(value) if not isinstance(value, int) else value


def target_text(target):
    """"不低于 60" / "不高于 5", or "" without a target."""
    return f"{target.get_direction_display()} {plain(target.value)}" if target is not None else ""


def met_text(reported):
    return {True: "已达成", False: "未达成", None: ""}[reported.met]


def entry_row(index, entry):
    r = entry.reported
    f = r.figure
    return [
        index, entry.area_name, r.label, r.key, r.definition, r.unit, f.period.label if f.period else "",
        _number(r.value),
        "" if f.year_ago is None else _number(f.year_ago), f.year_ago_change or "",
        DIRECTIONS[entry.year_ago_direction],
        "" if f.previous is None else _number(f.previous), f.previous_change or "",
        DIRECTIONS[entry.previous_direction],
        target_text(r.target), "" if r.gap is None else plain(r.gap), met_text(r),
        EXTERNAL if r.external else RECORDS, r.source if r.external else "本平台业务记录",
        r.missing,
    ]


def figures_workbook_sheets(user, period, federation=None, *, area="", name=""):
    """The sheets of the figures' workbook for `user` (seen from `federation`, a district of a city user's scope)
    in `period`, for `imports.exports.audited_export(sheets=…)`: [(sheet name, headers, rows)]. `area`/`name`
    narrow it as the catalogue's filter does."""
    found = entries(user, period, federation=federation, area=area, name=name)
    rows = [entry_row(i, entry) for i, entry in enumerate(found, start=1)]
    return [(SHEET, HEADERS, rows)]


__all__ = ["HEADERS", "SHEET", "entry_row", "figures_workbook_sheets", "met_text", "target_text"]
