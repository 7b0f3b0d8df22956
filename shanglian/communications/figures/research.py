"""Figures of 调研报告 (the seeds' "形成调研报告报送区委区政府"), registered with the figures layer with the records
behind each, and the research part of the statistics page (`sections(user=, period=)`) — the federation's roles
only (`selectors.scopes.reports_visible_to`; a chamber secretary is refused, 403).

- 调研报告 (`communications.reports_written`): reports whose research ended (`period_end`) within the period.
- 报送调研报告 (`communications.reports_submitted`): reports submitted (`submitted_on`) within the period, to
  whichever destination.
- 获得批示 (`communications.reports_instructed`): reports that received a leader's 批示 dated within the period.

Narrowing: `destination=` (a `ResearchReport.Destination` value) for the submitted and instructed reports, `method=`
(a `ResearchReport.Method` value) for the written ones; an unknown value is a 404.
"""

from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse

from shanglian.ui import figures as ui
from shanglian.ui.listing import Column

from ..models import ResearchReport
from ..selectors.scopes import reports_visible_to
from .common import grouped
from .links import counted_card, records_url

DESTINATIONS = {value: label for value, label in ResearchReport.Destination.choices if value}
METHODS = dict(ResearchReport.Method.choices)

WRITTEN = "调研结束日期在统计期间内的调研报告"
SUBMITTED = "报送日期在统计期间内的调研报告（报送区委、区政府、上级工商联等）"
INSTRUCTED = "获得领导批示、批示日期在统计期间内的调研报告"


def _destination(rows, destination):
    if destination is None:
        return rows
    if destination not in DESTINATIONS:
        raise Http404("没有该报送对象。")
    return rows.filter(submitted_to=destination)


def written_in(user, period, *, method=None):
    rows = reports_visible_to(user).filter(period_end__gte=period.start, period_end__lte=period.end)
    if method is None:
        return rows
    if method not in METHODS:
        raise Http404("没有该调研方式。")
    return rows.filter(method=method)


def submitted_in(user, period, *, destination=None):
    rows = reports_visible_to(user).filter(submitted_on__gte=period.start, submitted_on__lte=period.end)
    return _destination(rows.exclude(submitted_to=""), destination)


def instructed_in(user, period, *, destination=None):
    rows = reports_visible_to(user).filter(instructed=True, instructed_on__gte=period.start,
                                           instructed_on__lte=period.end)
    return _destination(rows, destination)


@ui.figure("communications.reports_written", label="调研报告", unit="篇", definition=WRITTEN)
def reports_written(*, user, period, method=None):
    return written_in(user, period, method=method)


@ui.figure("communications.reports_submitted", label="报送调研报告", unit="篇", definition=SUBMITTED)
def reports_submitted(*, user, period, destination=None):
    return submitted_in(user, period, destination=destination)


@ui.figure("communications.reports_instructed", label="获得批示", unit="篇", definition=INSTRUCTED)
def reports_instructed(*, user, period, destination=None):
    return instructed_in(user, period, destination=destination)


REPORT_COLUMNS = [
    Column("报告标题", "title", link=lambda r: reverse("communications:report", args=[r.pk]), wrap=True,
           sort="title"),
    Column("调研主题", "topic", wrap=True),
    Column("调研方式", lambda r: r.get_method_display()),
    Column("调研结束", "period_end", sort="period_end"),
    Column("报送对象", lambda r: r.get_submitted_to_display() if r.submitted_to else None),
    Column("报送日期", "submitted_on", sort="submitted_on"),
    Column("批示领导", "instructed_by"),
    Column("批示日期", "instructed_on", sort="instructed_on"),
]
KEYS = ("communications.reports_written", "communications.reports_submitted", "communications.reports_instructed")
RECORD_COLUMNS = dict.fromkeys(KEYS, REPORT_COLUMNS)
NARROWING = {"communications.reports_written": ("method",), "communications.reports_submitted": ("destination",),
             "communications.reports_instructed": ("destination",)}
HEADLINE = ("communications.reports_written", "communications.reports_submitted",
            "communications.reports_instructed")


def sections(*, user, period):
    """The research part: the reports by destination (submitted, instructed) and by method (written). Five queries
    whatever the data."""
    visible = reports_visible_to(user)
    by_destination = grouped(
        visible, "submitted_to",
        submitted=Count("pk", filter=Q(submitted_on__gte=period.start, submitted_on__lte=period.end)),
        instructed=Count("pk", filter=Q(instructed=True, instructed_on__gte=period.start,
                                        instructed_on__lte=period.end)))
    by_method = grouped(written_in(user, period), "method", n=Count("pk"))
    written = sum(row["n"] for row in by_method.values())
    submitted = sum(row["submitted"] for row in by_destination.values())
    instructed = sum(row["instructed"] for row in by_destination.values())
    destination_rows = tuple(
        ui.Row((label, by_destination[value]["submitted"], by_destination[value]["instructed"]), label=label,
               records_url=records_url("communications.reports_submitted", period, destination=value) if value else "")
        for value, label in ResearchReport.Destination.choices
        if value in by_destination and (by_destination[value]["submitted"] or by_destination[value]["instructed"]))
    if destination_rows:
        destination_rows += (ui.Row(("合计", submitted, instructed), label="合计", total=True,
                                    records_url=records_url("communications.reports_submitted", period)),)
    method_rows = tuple(ui.Row((label, by_method[value]["n"]), label=label,
                               records_url=records_url("communications.reports_written", period, method=value))
                        for value, label in METHODS.items() if value in by_method)
    if method_rows:
        method_rows += (ui.Row(("合计", written), label="合计", total=True,
                               records_url=records_url("communications.reports_written", period)),)
    return [
        ui.FigureSection(
            title=f"调研报告（{period.label}）", dom_id="stats-research",
            note="调研报告按调研结束日期、报送按报送日期、批示按批示日期统计；未报送而获得批示的报告列在“未报送”一行。",
            figures=[counted_card("communications.reports_written", written, period),
                     counted_card("communications.reports_submitted", submitted, period),
                     counted_card("communications.reports_instructed", instructed, period)],
            table=ui.FigureTable("调研报告（按报送对象）", (ui.Col("报送对象"), ui.Col("报送"), ui.Col("获得批示")),
                                 destination_rows, row_header=True, dom_id="table-research-destinations",
                                 empty_text="统计期间没有报送调研报告")),
        ui.FigureSection(
            title=f"调研报告（按调研方式，{period.label}）", dom_id="stats-research-methods",
            table=ui.FigureTable("调研报告（按调研方式）", (ui.Col("调研方式"), ui.Col("调研报告")), method_rows,
                                 row_header=True, dom_id="table-research-methods",
                                 empty_text="统计期间没有完成的调研")),
    ]


__all__ = ["NARROWING", "RECORD_COLUMNS", "instructed_in", "sections", "submitted_in", "written_in"]
