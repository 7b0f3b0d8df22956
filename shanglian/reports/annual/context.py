"""The annual work report's context: the figures of the year, read through `values.measure` — first every figure of
the catalogue area by area (`catalogue.entries`, the same reading as the xlsx), then the few the outline narrows
(a campaign, a month) — written into the outline's sentences, the tables by area, the charts' data and, for a
city, its districts side by side (`aggregation.side_by_side`). Nothing here counts a record.

    book = Book(user, Period.year(2026))                 # the user as generation runs it (a city's: federation=…)
    context = build(book, progress=lambda percent, step: …)

A figure that cannot be computed reads "（无数据：原因）" in its sentence and "无数据" with the reason in its table row.
"""

from dataclasses import dataclass

from django.utils import timezone

from shanglian.common.periods import Period
from shanglian.orgs.models import Federation
from shanglian.ui import figures as registry
from shanglian.ui.figures import NO_DATA, RATE_UNITS, SUFFIX_UNITS

from .. import aggregation, catalogue, values
from . import outline
from .charts import Bars

AREA_WORDS = {
    Federation.Level.NATIONAL: "全国",
    Federation.Level.PROVINCE: "全省",
    Federation.Level.CITY: "全市",
    Federation.Level.COUNTY: "全区",
}
TABLES_NOTE = ("下列数值由本平台业务记录按各指标口径计算，外部数据注明来源；“无数据”表示统计期内没有可据以计算的记录"
               "或尚未录入，不计为 0。")
NO_MEMBERS = "（无数据：统计期末没有在册会员，未绘制图表。）"
NO_APPEALS = "（无数据：统计期内没有受理的诉求，未绘制图表。）"
NO_DONATIONS = "（无数据：统计期内没有捐款捐物记录，未绘制图表。）"
NO_CAMPAIGN = "未归入公益项目"
NONE_CAMPAIGN = "none"  # welfare's narrowing to the donations of no campaign


def day_words(day):
    return f"{day.year}年{day.month}月{day.day}日"


def with_unit(reported):
    """A value as a sentence writes it: "900个", "66.7%", "98.5分", "658万元"; None for no value."""
    if reported.value is None:
        return None
    unit = reported.unit
    return reported.display if unit in SUFFIX_UNITS else f"{reported.display}{unit}"


def missing_text(reported):
    reason = (reported.missing or values.MISSING_INTERNAL).rstrip("。")
    return f"（{NO_DATA}：{reason}）"


def change_words(reported):
    """The 同比 of a figure as a sentence says it, after a comma — "，同比增长12.5%", "，同比提高1.2个百分点",
    "，与上年同期持平" — or "" when there is nothing to compare with."""
    figure = reported.figure
    moved = values.direction(figure.value, figure.year_ago)
    if moved is None:
        return ""
    if moved == "flat":
        return "，与上年同期持平"
    change = figure.year_ago_change  # "+12.5%" for counts, "+1.2个百分点" for rates; None over a zero year ago
    if change is None:
        return ""
    rate = reported.unit in RATE_UNITS
    verb = ("提高" if rate else "增长") if moved == "up" else ("降低" if rate else "下降")
    return f"，同比{verb}{change.lstrip('+-')}"


class Slot:
    """A figure inside a sentence: `{name}` is its value with its unit or "（无数据：原因）"; `{name:同比}` its change."""

    def __init__(self, reported):
        self.reported = reported

    def __format__(self, spec):
        if spec == "同比":
            return change_words(self.reported)
        if spec:
            raise ValueError(f"Unknown figure format {spec!r} (use {{name}} or {{name:同比}}).")
        return with_unit(self.reported) or missing_text(self.reported)


class Book:
    """The figures of one report, each read once: the user (as `measure` takes it), the period, the federation asked
    for (a city user's district, else None) and its targets of the year."""

    def __init__(self, user, period, federation=None):
        self.user, self.period = user, period
        self.federation = None if federation is None or federation.pk == user.federation_id else federation
        self.home = federation or user.federation
        self.targets = values.targets_of(self.home, period.end.year)
        self.found = []  # the catalogue's entries read so far, in order (the xlsx's rows)
        self.comparison = None  # a city's districts side by side, once read
        self._read = {}

    def entries(self, area):
        """The catalogue's entries of one area (every figure of it, with 同比 and 环比), kept for the sentences."""
        found = catalogue.entries(self.user, self.period, federation=self.federation, area=area)
        self.found.extend(found)
        for entry in found:
            self._read[(entry.reported.key, self.period, ())] = entry.reported
        return found

    def get(self, key, *, period=None, **kwargs):
        """Figure `key` (narrowed by `kwargs`) in the report's period, or in `period` (a month of a chart, not
        compared)."""
        period = period or self.period
        slot = (key, period, tuple(sorted(kwargs.items())))
        if slot not in self._read:
            compare = registry.YEAR_AGO if period == self.period else False
            self._read[slot] = values.measure(key, user=self.user, period=period, federation=self.federation,
                                              compare=compare, targets=self.targets, **kwargs)
        return self._read[slot]

    def named(self, named):
        key, kwargs = named if isinstance(named, tuple) else (named, {})
        return self.get(key, **kwargs)


# --- words ------------------------------------------------------------------------------------------------------
def words(book):
    """The report's own words (not figures): the year, 截至…, 全区/全市, the federation's name."""
    period, home = book.period, book.home
    as_of = period.as_of()
    return {
        "year": period.end.year,
        "as_of": f"{period.end.year}年底" if as_of == period.end else day_words(as_of),
        "area": AREA_WORDS.get(home.level, "全区"),
        "name": home.name,
    }


def sentence(book, block, said):
    return block.text.format(**said, **{name: Slot(book.named(named)) for name, named in block.figures.items()})


# --- tables -----------------------------------------------------------------------------------------------------
def row_note(reported):
    if reported.value is None:
        return f"{NO_DATA}：{(reported.missing or values.MISSING_INTERNAL).rstrip('。')}"
    notes = []
    if reported.external:
        notes.append(f"外部数据，来源：{reported.source}")
    if reported.target is not None:
        target = reported.target
        goal = f"目标{target.get_direction_display()}{values.plain(target.value)}{reported.unit}"
        notes.append(f"{goal}，已达成" if reported.met else f"{goal}，差{values.plain(reported.gap)}")
    return "；".join(notes)


def area_table(index, name, entries):
    rows = []
    for n, entry in enumerate(entries, start=1):
        r = entry.reported
        rows.append({"n": n, "label": r.label, "value": with_unit(r) or NO_DATA,
                     "change": r.figure.year_ago_change or "—", "note": row_note(r)})
    return {"title": f"表{index}　{name}", "rows": rows}


def districts_table(book):
    """A city's districts side by side (rows) on the outline's six figures (columns) and the city's own total; None
    for a district (it sees only itself)."""
    comparison = aggregation.side_by_side(book.user, book.period, outline.DISTRICT_COLUMNS,
                                          federation=book.federation)
    book.comparison = comparison
    if not comparison.districts:
        return None

    def cell(reported):
        return reported.display if reported.value is not None else NO_DATA

    lines = comparison.lines
    rows = [{"name": district.short_name or district.name, "cells": [cell(line.cells[i]) for line in lines]}
            for i, district in enumerate(comparison.districts)]
    rows.append({"name": comparison.total_label, "cells": [cell(line.total) for line in lines]})
    note = "各区数值及合计均由本平台业务记录计算；合计按本级及全部下级的记录计算。"
    if comparison.differs:
        note += aggregation.DIFFERENCE_NOTE
    columns = [f"{line.label}（{line.unit}）" if line.unit else line.label for line in lines]
    return {"columns": columns, "rows": rows, "note": note}


# --- charts' data -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Unavailable:
    """A chart that is not drawn, and why (the report prints the reason in its place)."""

    reason: str


def members_chart(book):
    found = [book.get(key) for key in outline.MEMBER_KINDS]
    if not any(r.value for r in found):
        return Unavailable(NO_MEMBERS)
    return Bars(tuple(r.label for r in found), tuple(r.value or 0 for r in found), found[0].unit)


def appeals_chart(book):
    period, as_of = book.period, book.period.as_of()
    months = [Period.month(first.year, first.month) for first in period.months() if first <= as_of]
    found = [book.get(outline.APPEALS_BY_MONTH, period=month) for month in months]
    if not any(r.value for r in found):
        return Unavailable(NO_APPEALS)
    return Bars(tuple(f"{month.start.month}月" for month in months), tuple(r.value or 0 for r in found),
                found[0].unit)


def donations_chart(book):
    whole = book.get(outline.DONATIONS_BY_CAMPAIGN)
    if not whole.value or whole.figure.records is None:
        return Unavailable(NO_DONATIONS)
    campaigns = (whole.figure.records.order_by("campaign__name", "campaign_id")
                 .values_list("campaign_id", "campaign__name").distinct())
    names, amounts = [], []
    for campaign, name in campaigns:
        r = book.get(outline.DONATIONS_BY_CAMPAIGN, campaign=campaign if campaign is not None else NONE_CAMPAIGN)
        names.append(name or NO_CAMPAIGN)
        amounts.append(r.value or 0)
    return Bars(tuple(names), tuple(amounts), whole.unit, horizontal=True)


# --- the whole context --------------------------------------------------------------------------------------------
@registry.remembering()  # a breakdown several figures read is computed once
def build(book, *, progress=None, start=5, end=80):
    """The template's context for `book`; `progress(percent, step)` is told as each area is read (from `start` to
    `end` percent)."""
    def tell(percent, step):
        if progress is not None:
            progress(percent, step)

    areas = list(values.AREAS)
    tables = []
    share = (end - start - 10) / len(areas)
    for i, code in enumerate(areas):
        tell(round(start + i * share), f"计算指标：{values.AREAS[code]}")
        found = book.entries(code)
        if found:
            tables.append(area_table(len(tables) + 1, values.AREAS[code], found))
    said = words(book)
    tell(end - 10, "撰写报告正文")
    sections = [{"heading": section.heading,
                 "blocks": [{"heading": block.heading, "text": sentence(book, block, said)} for block in section.blocks]}
                for section in outline.SECTIONS]
    tell(end - 6, "汇总图表数据")
    charts = {"chart_members": members_chart(book), "chart_appeals": appeals_chart(book),
              "chart_donations": donations_chart(book)}
    tell(end - 3, "汇总各区数据")
    districts = districts_table(book)
    return {
        "title": f"{book.home.name}{said['year']}年度工作报告",
        "year": said["year"],
        "intro": sentence(book, outline.INTRO, said),
        "sections": sections,
        "federation_name": book.home.name,
        "date_text": day_words(timezone.localdate()),
        "tables_note": TABLES_NOTE,
        "areas": tables,
        "districts": districts,
        **charts,
    }


def sample_context():
    """A context of the same shape with sample words (no figure read), for checking a replacement template."""
    sample = "（示例文字）"
    row = {"n": 1, "label": "示例指标", "value": "100个", "change": "+10.0%", "note": sample}
    return {
        "title": "示例工商联2026年度工作报告", "year": 2026, "intro": sample,
        "sections": [{"heading": "一、示例", "blocks": [{"heading": "（一）示例。", "text": sample}]}],
        "federation_name": "示例工商联", "date_text": "2026年12月31日", "tables_note": sample,
        "areas": [{"title": "表1　示例", "rows": [row]}],
        "districts": {"columns": ["示例指标"] * len(outline.DISTRICT_COLUMNS),
                      "rows": [{"name": "示例区", "cells": ["1"] * len(outline.DISTRICT_COLUMNS)}], "note": sample},
        "chart_members": Unavailable(sample), "chart_appeals": Unavailable(sample),
        "chart_donations": Unavailable(sample),
    }
