"""The figures layer: every statistic is a `Figure` with the records behind it, registered once by the app
that owns the records, and rendered by one statistics-page template.

An app's `figures.py` (discovered at startup, like `todos.py` and `panels.py`) registers its figures:

    @figure("members.in_force", label="在册会员", unit="个", definition="统计期末在册的会员（入会、未退会、未暂停）")
    def members_in_force(*, user, period):
        return memberships_visible_to(user).filter(membership_in_force_q(period.end))   # value = count

A figure function takes keyword arguments — always `user` (the acting user: records come from the app's
scoped selectors, so a drill-down is scoped for free) and `period` (a `shanglian.common.periods.Period`),
and any keyword the figure documents — and returns either the records (a QuerySet: the value is its
count) or `(value, records)` when the value is not a count (a rate, a mean); for a ratio the records are
those of the denominator and the definition says so. The reports app asks for any figure by key:

    compute("appeals.satisfaction_rate", user=u, period=Period.year(2026), compare=True)
    → Figure(label="满意率", value=Decimal("97.7"), unit="%", records=<rated appeals>, year_ago=…, previous=…)

Breakdowns (per department, per chamber …) are `FigureTable`s: rows of cells, each row optionally with its
own records. Statistics pages put figures and tables in `FigureSection`s of a `FiguresPage`; the template
`ui/figures_page.html` renders cards (value, unit, definition, 同比/环比), charts (declared by data
attributes for static/shanglian/charts.js), the same numbers in tables, the export button and links
to the records (`records_page`). A section's chart reads its numbers from a json_script element: the
section carries them (`FigureSection.chart_data`, {json_script id: data}) and a page composed of sections
built elsewhere gathers them with `gather_chart_data(sections)` into `FiguresPage.chart_data`. A value
that cannot be computed (None) reads `NO_DATA` ("无数据") on cards, in tables and in the export.
"""

import contextlib
import contextvars
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode

from shanglian.common.excel.writer import SHEET_NAME_LIMIT, sheet_name
from shanglian.ui.listing import ListPage, render_list

_ONE_DECIMAL = Decimal("0.1")
# Units written right after the number ("75.0%", "98.5分"); other units ("件", "个", "工作日") go in the caption.
SUFFIX_UNITS = {"%", "分"}
UNIT_CAPTIONS = {"分": "百分制"}
RATE_UNITS = {"%", "分"}  # changes of these are differences (百分点 / 分), of counts relative changes (%)


def percent(value):
    """A number as a percentage Decimal with one decimal, rounded half up (12.25 → 12.3)."""
    return Decimal(str(value)).quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)


def share(part, whole):
    """`part` as a percentage of `whole` (Decimal, one decimal, half up), or None when `whole` is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)


def mean(total, count):
    """total ÷ count as a Decimal with one decimal, half up; None when count is 0."""
    if not count:
        return None
    return (Decimal(total or 0) / Decimal(count)).quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)


# --- one figure -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Figure:
    """One number with its meaning and the records behind it."""

    label: str
    definition: str
    value: object  # int, Decimal or None (nothing to compute: shown NO_DATA, "无数据")
    unit: str = ""
    records: object = None  # the QuerySet behind the number (the denominator's records for a ratio)
    key: str = ""
    period: object = None
    previous: object = None  # the value in period.previous() (环比), when compared
    year_ago: object = None  # the value in period.year_ago() (同比), when compared
    alert: bool = False  # a non-zero value is shown in red (overdue …)
    dom_id: str = ""  # a stable element id for the card's number, when a page needs one
    records_url: str = ""  # the drill-down page of the records, when a page links to it

    @property
    def display(self):
        return format_value(self.value, self.unit)

    @property
    def caption(self):
        word = UNIT_CAPTIONS.get(self.unit, "" if self.unit in SUFFIX_UNITS else self.unit)
        return f"{self.label}（{word}）" if word else self.label

    @property
    def is_alert(self):
        return bool(self.alert and self.value)

    def _change(self, other):
        if self.value is None or other is None:
            return None
        if self.unit in RATE_UNITS:
            difference = Decimal(self.value) - Decimal(other)
            return f"{difference:+.1f}{'个百分点' if self.unit == '%' else self.unit}"
        if not other:
            return None
        rate = (Decimal(self.value) - Decimal(other)) * 100 / Decimal(other)
        return f"{rate.quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP):+}%"

    @property
    def year_ago_change(self):
        """同比 as text: "+12.5%" for counts, "+1.2个百分点" for rates; None when not comparable."""
        return self._change(self.year_ago)

    @property
    def previous_change(self):
        """环比 as text, the same way."""
        return self._change(self.previous)


# What a figure that cannot be computed (a rate over an empty set) reads as — on cards, in tables and exports.
NO_DATA = "无数据"


def format_value(value, unit=""):
    if value is None:
        return NO_DATA
    return f"{value}{unit}" if unit in SUFFIX_UNITS else f"{value}"


# --- the registry -----------------------------------------------------------------------------------------
YEAR_AGO = "year_ago"  # compute(…, compare=YEAR_AGO): 同比 only

@dataclass(frozen=True)
class FigureDef:
    key: str
    label: str
    unit: str
    definition: str
    function: object
    compare: bool = True  # 同比/环比 make sense (not for "overdue now" and other snapshots of today)
    alert: bool = False

    def __call__(self, *, period, compare=False, **kwargs):
        """The figure for `period` (and the user and keywords the function takes). `compare`: True for
        同比 and 环比, YEAR_AGO for 同比 only (a year to date, whose 环比 would be a stretch of no meaning)."""
        value, records = self._measure(period=period, **kwargs)
        figure = Figure(label=self.label, definition=self.definition, value=value, unit=self.unit,
                        records=records, key=self.key, period=period, alert=self.alert)
        if compare and self.compare:
            figure = replace(figure, year_ago=self._measure(period=period.year_ago(), **kwargs)[0])
            if compare != YEAR_AGO:
                figure = replace(figure, previous=self._measure(period=period.previous(), **kwargs)[0])
        return figure

    def _measure(self, **kwargs):
        result = self.function(**kwargs)
        if isinstance(result, QuerySet):
            return result.count(), result
        return result


_registry = {}


def figure(key, *, label, definition, unit="", compare=True, alert=False):
    """Decorator: register `function(*, user, period, **kwargs)` as figure `key` ("app.name")."""
    def register(function):
        if key in _registry and _registry[key].function is not function:
            raise ValueError(f"Figure {key!r} is registered twice.")
        _registry[key] = FigureDef(key, label, unit, definition, function, compare, alert)
        return function
    return register


# --- one computation for several figures of one page ----------------------------------------------------------
_remembered = contextvars.ContextVar("figures_remembered", default=None)


@contextlib.contextmanager
def remembering():
    """While a page computes many figures at once (the dashboard, the catalogue, the annual report), a breakdown
    several of them read (商会覆盖率, its concentrated and covered industries: one grouped scan of the registry) is
    computed once (`remembered`). Outside this block nothing is kept: figures read the records as they are."""
    token = _remembered.set({}) if _remembered.get() is None else None
    try:
        yield
    finally:
        if token is not None:
            _remembered.reset(token)


def remembered(key, compute):
    """`compute()`, or what it gave for the same hashable `key` earlier inside `remembering()`."""
    memo = _remembered.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def registered(prefix=""):
    """The registered figures whose key starts with `prefix`, in registration order."""
    return {key: spec for key, spec in _registry.items() if key.startswith(prefix)}


def get(key):
    try:
        return _registry[key]
    except KeyError:
        raise Http404("没有该统计指标。") from None


def compute(key, *, user, period, compare=False, **kwargs):
    """Figure `key` for `user` in `period`: value, unit, definition and the records behind it."""
    return get(key)(user=user, period=period, compare=compare, **kwargs)


# --- tables, sections, the page -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Col:
    """A column of a figure table: `unit` "%" shows "12.5%" on the page and heads "…（%）" in the export;
    `suffix` is written after the value on the page only ("2025" → "2025年")."""

    label: str
    unit: str = ""
    suffix: str = ""
    export_label: str = ""
    shown: bool = True  # False: in the export only

    @property
    def export_header(self):
        if self.export_label:
            return self.export_label
        return f"{self.label}（%）" if self.unit == "%" else self.label

    def show(self, value):
        if value is None:
            return NO_DATA
        return f"{value}{self.unit if self.unit in SUFFIX_UNITS else ''}{self.suffix}"


@dataclass(frozen=True)
class Row:
    cells: tuple
    label: str = ""  # data-row attribute (the row's name)
    records_url: str = ""  # drill-down to the row's records
    total: bool = False  # a total row: kept out of charts


@dataclass(frozen=True)
class FigureTable:
    title: str
    columns: tuple
    rows: tuple
    sheet: str = ""  # the export's sheet name (default: the title); "-" keeps the table out of the export
    row_header: bool = False  # the first cell of a row is its header (<th scope="row">)
    numbered: bool = False  # a 序号 column first
    empty_text: str = "暂无数据"
    dom_id: str = ""
    extra_sheet_rows: tuple = ()  # rows written under the table in the export only (e.g. an average)
    blank: object = NO_DATA  # what the export writes for a value that cannot be computed

    @property
    def has_records(self):
        return any(row.records_url for row in self.rows)

    @property
    def shown_columns(self):
        return [column for column in self.columns if column.shown]

    @property
    def width(self):
        return len(self.shown_columns) + self.numbered + self.has_records

    def shown_rows(self):
        return [{"label": row.label, "url": row.records_url, "total": row.total,
                 "cells": [column.show(value) for column, value in zip(self.columns, row.cells, strict=False)
                           if column.shown]}
                for row in self.rows]

    def sheet_rows(self):
        rows = [[self.blank if value is None else value for value in row.cells] for row in self.rows]
        if self.numbered:
            rows = [[i, *row] for i, row in enumerate(rows, start=1)]
        return rows + [list(row) for row in self.extra_sheet_rows]

    def sheet_headers(self):
        headers = [column.export_header for column in self.columns]
        return ["序号", *headers] if self.numbered else headers


class Chart:
    """A chart that static/shanglian/charts.js draws: `kind` names one of its drawers (pie, ranking,
    combo, share-bars), `source` the json_script element holding the data and `options` (written as
    data-* attributes: key, categories, bars, lines, axes, names, values, unit, max …) where in that data
    the chart finds its numbers. No element id is known to charts.js."""

    def __init__(self, kind, source, dom_id, label, **options):
        self.kind, self.source, self.dom_id, self.label = kind, source, dom_id, label
        self.attrs = [(name.replace("_", "-"), value) for name, value in options.items()]


@dataclass
class FigureSection:
    title: str
    dom_id: str
    figures: list = field(default_factory=list)
    chart: object = None  # Chart or None
    chart_empty_text: str = ""  # shown instead of the chart when there is none
    table: object = None  # FigureTable or None
    note: str = ""  # a line under the title (e.g. the average growth; may be a SafeString)
    footnote: str = ""
    chart_data: dict = field(default_factory=dict)  # {json_script id: data} its chart reads (see gather_chart_data)


@dataclass
class FiguresPage:
    title: str
    breadcrumbs: list
    form: object
    period_label: str
    reset_url: str
    export_url: str
    sections: list
    chart_data: dict = field(default_factory=dict)  # json_script id → data (gather_chart_data(sections))
    empty_text: str = ""  # set: the page shows this instead of the sections
    footnote: str = ""

    @property
    def tables(self):
        return [section.table for section in self.sections if section.table is not None]

    @property
    def has_charts(self):
        return any(section.chart for section in self.sections) and not self.empty_text


def gather_chart_data(sections):
    """The sections' `chart_data` merged by json_script id, for `FiguresPage(chart_data=…)`: sections reading
    the same source add their keys to one dict (a later section's keys win)."""
    merged = {}
    for section in sections:
        for source, data in section.chart_data.items():
            merged.setdefault(source, {}).update(data)
    return merged


def export_sheets(tables):
    """The (sheet name, headers, rows) of each table for `audited_export`, in order; a table's `sheet`
    (default: its title) names its sheet, "-" leaves it out."""
    return [(table.sheet or table.title, table.sheet_headers(), table.sheet_rows())
            for table in tables if table.sheet != "-"]


def export_tables(tables):
    """The tables of an export with sheet names that are unique in the workbook (Excel compares them without
    case, at 31 characters): a repeated one gets （2）, （3） … — for a page composed of parts built apart, whose
    tables may share a title. Tables kept out of the export ("-") are left out."""
    taken, result = set(), []
    for table in tables:
        if table.sheet == "-":
            continue
        name = sheet_name(table.sheet or table.title)
        n = 1
        while name.lower() in taken:
            n += 1
            suffix = f"（{n}）"
            name = sheet_name(table.sheet or table.title)[:SHEET_NAME_LIMIT - len(suffix)] + suffix
        taken.add(name.lower())
        result.append(table if name == (table.sheet or table.title) else replace(table, sheet=name))
    return result


# --- drill-down ---------------------------------------------------------------------------------------------
def records_page(request, *, key, period, columns, breadcrumbs, period_label="", **kwargs):
    """The records behind figure `key` for the acting user as a list page (the list-page pattern, with
    `columns` of `shanglian.ui.listing.Column` that show no unmasked personal data): 404 for an
    unknown key or an object outside the user's scope, the selector's refusal (403) for a user without
    that data. The records come from the figure function, i.e. from the app's scoped selectors."""
    result = compute(key, user=request.user, period=period, **kwargs)
    if result.records is None:
        raise Http404("该指标没有明细记录。")
    value = result.display + (result.unit if result.unit and result.unit not in SUFFIX_UNITS else "")
    page = ListPage(
        title=f"{result.label}（{period_label or period.label}）：{value}",
        breadcrumbs=[*breadcrumbs, (f"{result.label}明细", None)],
        columns=columns,
        empty_text="没有对应的记录",
    )
    return render_list(request, page, result.records)


def chart_number(value):
    """A Decimal for a chart's JSON only (ECharts draws numbers); never used in any sum or table."""
    return None if value is None else float(value)


class FigureLinks:
    """The links of one app's figures (its `figures/links.py` makes one: `LINKS = FigureLinks("welfare")`): the
    drill-down to the records behind a figure (`<namespace>:figure_records`), for a period and optionally one
    table row (its narrowing), and a figure as a card linked to it. One definition for every statistics app."""

    def __init__(self, namespace):
        self.namespace = namespace

    def records_url(self, key, period, **narrowing):
        """The drill-down page of figure `key` in `period` (as the period form reads it back), narrowed to the
        given row; a narrowing of None or "" is left out (the whole figure)."""
        params = {**period.as_query(),
                  **{name: value for name, value in narrowing.items() if value not in (None, "")}}
        return f"{reverse(f'{self.namespace}:figure_records', args=[key])}?{urlencode(params)}"

    def card(self, figure, period, *, prefix="figure", **changes):
        """A computed figure as a card: a stable element id (`<prefix>-<name>`, e.g. "headline-total" for
        "welfare.total"), the link to its records instead of the records themselves; `changes` set anything else
        (a shorter label, another page holding exactly the records)."""
        name = figure.key.split(".", 1)[1].replace("_", "-").replace(".", "-")
        return replace(figure, **{"records": None, "dom_id": f"{prefix}-{name}",
                                  "records_url": self.records_url(figure.key, period), **changes})

    def counted_card(self, key, value, period, **changes):
        """The card of registered figure `key` with a value a section has already counted (no query of its own)."""
        spec = get(key)
        figure = Figure(label=spec.label, definition=spec.definition, value=value, unit=spec.unit, key=key,
                        period=period, alert=spec.alert)
        return self.card(figure, period, **changes)
