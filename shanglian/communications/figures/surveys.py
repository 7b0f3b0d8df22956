"""Figures of 问卷调查 (the seeds' "深入企业调研，问卷调查等形式"), registered with the figures layer with the records
behind each, and the surveys part of the statistics page (`sections(user=, period=)`).

The surveys of a figure are those the user reads (`selectors.scopes.surveys_visible_to`: the federation's roles
every survey of their federations, a chamber secretary its own chamber's); the answers are those it reads
(`responses_visible_to`: submitted, and for a chamber secretary only its active members').

- 发布问卷 (`communications.surveys_opened`): surveys published (`opened_at`) within the period, still collecting
  or closed since.
- 回收答卷 (`communications.responses`): answers submitted within the period (to any survey).
- 问卷回收率 (`communications.response_rate`): of the enterprises a survey published within the period was sent to,
  the share that has submitted an answer to it (up to now; a survey answered once per person counts an enterprise
  once however many of its people answered); persons without an enterprise (SMS only) cannot answer and are not
  counted. The records are those enterprise recipients. 无数据 when none.
- 问卷转诉求 (`communications.survey_appeals`): appeals opened from survey answers and submitted within the period
  (those the user reads in `appeals.selectors.appeals_visible_to`).
- 收集中的问卷 (`communications.surveys_open`): surveys collecting answers today (a state: no 同比), and their
  收集中问卷回收率 (`communications.open_response_rate`): the share of their enterprise recipients that have answered.

Narrowing: `chamber=` for the published surveys (the initiating chamber's id, or "none": the federation's own),
`survey=` for the answers, the response rate and the appeals (one survey's); an id outside the scope is a 404.
"""

from django.db.models import Count, Exists, OuterRef
from django.http import Http404
from django.urls import reverse

from shanglian.appeals.selectors import appeals_visible_to
from shanglian.orgs.selectors import chambers_in_scope
from shanglian.ui import figures as ui
from shanglian.ui.listing import Column

from ..models import ResponseAppeal, Survey, SurveyRecipient
from ..selectors.scopes import responses_visible_to, surveys_visible_to
from .common import NONE, grouped
from .links import counted_card, records_url

SOURCE = "communications-surveys"  # the json_script element the survey charts read
PUBLISHED = (Survey.Status.OPEN, Survey.Status.CLOSED)

OPENED = "发布时间在统计期间内、正在收集或已结束的问卷（商会秘书处为本商会发起的）"
RESPONSES = "提交时间在统计期间内的答卷（商会秘书处为本商会问卷中本商会在册会员的答卷）"
RATE = ("统计期间内发布的问卷所发送的企业中，截至今天已提交答卷的比例（每人填写一份的问卷，同一企业多人填写只计一家；"
        "无所属企业、仅收到短信的人士不计入）；记录为这些企业发送对象")
APPEALS = "由问卷答卷转为诉求、提交时间在统计期间内的诉求"
OPEN = "今天正在收集答卷的问卷（当前状态，不计同比）"
OPEN_RATE = ("今天正在收集答卷的问卷所发送的企业中，已提交答卷的比例（当前状态，不计同比；仅收到短信的人士不计入）；"
             "记录为这些企业发送对象")


# --- the records ------------------------------------------------------------------------------------------------
def _survey(user, survey):
    if not surveys_visible_to(user).filter(pk=survey).exists():
        raise Http404("没有该问卷。")
    return survey


def surveys_opened_in(user, period, *, chamber=None):
    start, end = period.bounds
    rows = surveys_visible_to(user).filter(status__in=PUBLISHED, opened_at__gte=start, opened_at__lt=end)
    if chamber is not None:
        if chamber == NONE:
            rows = rows.filter(chamber__isnull=True)
        elif chambers_in_scope(user).filter(pk=chamber).exists():
            rows = rows.filter(chamber_id=chamber)
        else:
            raise Http404("没有该商会。")
    return rows


def recipients_of(user, period, *, survey=None):
    """The enterprise recipients of the surveys published within `period` (optionally of one of them)."""
    opened = surveys_opened_in(user, period)
    if survey is not None:
        opened = opened.filter(pk=_survey(user, survey))
    return SurveyRecipient.objects.filter(survey__in=opened.select_related(None).values("pk"),
                                          enterprise__isnull=False).select_related("survey")


def answered(user, recipients):
    """Those of `recipients` whose enterprise has submitted an answer the user reads to its survey."""
    return recipients.filter(Exists(responses_visible_to(user).select_related(None).filter(
        survey_id=OuterRef("survey_id"), enterprise_id=OuterRef("enterprise_id"))))


def survey_appeal_links(user, *, survey=None):
    links = ResponseAppeal.objects.filter(response__in=responses_visible_to(user).select_related(None).values("pk"))
    return links.filter(response__survey_id=_survey(user, survey)) if survey is not None else links


def appeals_in(user, period, *, survey=None):
    start, end = period.bounds
    return appeals_visible_to(user).filter(pk__in=survey_appeal_links(user, survey=survey).values("appeal_id"),
                                           submitted_at__gte=start, submitted_at__lt=end)


# --- registered figures ------------------------------------------------------------------------------------------
@ui.figure("communications.surveys_opened", label="发布问卷", unit="份", definition=OPENED)
def surveys_opened(*, user, period, chamber=None):
    return surveys_opened_in(user, period, chamber=chamber)


@ui.figure("communications.responses", label="回收答卷", unit="份", definition=RESPONSES)
def responses(*, user, period, survey=None):
    start, end = period.bounds
    rows = responses_visible_to(user).filter(submitted_at__gte=start, submitted_at__lt=end)
    return rows.filter(survey_id=_survey(user, survey)) if survey is not None else rows


@ui.figure("communications.response_rate", label="问卷回收率", unit="%", definition=RATE)
def response_rate(*, user, period, survey=None):
    rows = recipients_of(user, period, survey=survey)
    return ui.share(answered(user, rows).count(), rows.count()), rows


@ui.figure("communications.survey_appeals", label="问卷转诉求", unit="件", definition=APPEALS)
def survey_appeals(*, user, period, survey=None):
    return appeals_in(user, period, survey=survey)


@ui.figure("communications.surveys_open", label="收集中的问卷", unit="份", definition=OPEN, compare=False)
def surveys_open(*, user, period):
    return surveys_visible_to(user).filter(status=Survey.Status.OPEN)


@ui.figure("communications.open_response_rate", label="收集中问卷回收率", unit="%", definition=OPEN_RATE,
           compare=False)
def open_response_rate(*, user, period):
    rows = SurveyRecipient.objects.filter(
        survey__in=surveys_visible_to(user).filter(status=Survey.Status.OPEN).select_related(None).values("pk"),
        enterprise__isnull=False).select_related("survey")
    return ui.share(answered(user, rows).count(), rows.count()), rows


# --- the drill-down's columns ------------------------------------------------------------------------------------
SURVEY_COLUMNS = [
    Column("编号", "number", link=lambda s: reverse("communications:survey", args=[s.pk]), sort="number"),
    Column("标题", "title", wrap=True),
    Column("发起单位", lambda s: s.chamber.name if s.chamber_id else "工商联", wrap=True),
    Column("填写方式", lambda s: s.get_respondent_display()),
    Column("状态", lambda s: s.get_status_display()),
    Column("发布时间", "opened_at", sort="opened_at"),
    Column("截止日期", "closes_on", sort="closes_on"),
]
RESPONSE_COLUMNS = [
    Column("问卷", lambda r: r.survey.title, link=lambda r: reverse("communications:response", args=[r.pk]),
           wrap=True),
    Column("填写企业", lambda r: r.enterprise.name, wrap=True),
    Column("提交时间", "submitted_at", sort="submitted_at"),
]
RECIPIENT_COLUMNS = [
    Column("问卷", lambda r: r.survey.title, link=lambda r: reverse("communications:survey", args=[r.survey_id]),
           wrap=True),
    Column("发送企业", "name", wrap=True, sort="name"),
    Column("提醒次数", "reminders"),
    Column("最近提醒", "reminded_at"),
]
APPEAL_COLUMNS = [
    Column("诉求编号", "number", link=lambda a: reverse("appeals:detail", args=[a.pk]), sort="number"),
    Column("标题", "title", wrap=True),
    Column("企业", lambda a: a.enterprise.name, wrap=True),
    Column("提交时间", "submitted_at", sort="submitted_at"),
    Column("状态", lambda a: a.get_status_display()),
]
RECORD_COLUMNS = {
    "communications.surveys_opened": SURVEY_COLUMNS, "communications.surveys_open": SURVEY_COLUMNS,
    "communications.responses": RESPONSE_COLUMNS, "communications.response_rate": RECIPIENT_COLUMNS,
    "communications.open_response_rate": RECIPIENT_COLUMNS,
    "communications.survey_appeals": APPEAL_COLUMNS,
}
NARROWING = {"communications.surveys_opened": ("chamber",), "communications.responses": ("survey",),
             "communications.response_rate": ("survey",), "communications.survey_appeals": ("survey",)}
HEADLINE = ("communications.surveys_opened", "communications.responses", "communications.response_rate",
            "communications.survey_appeals")


# --- the statistics page's sections --------------------------------------------------------------------------------
def sections(*, user, period):
    """The surveys part: every survey published within the period with its recipients, the enterprises that
    answered, the response rate, its answers and the appeals they opened. Seven queries whatever the data."""
    opened = list(surveys_opened_in(user, period).order_by("opened_at", "id"))
    ids = [survey.pk for survey in opened]
    recipients = SurveyRecipient.objects.filter(survey_id__in=ids, enterprise__isnull=False)
    sent = grouped(recipients, "survey_id", n=Count("pk"))
    done = grouped(answered(user, recipients), "survey_id", n=Count("pk"))
    answers = grouped(responses_visible_to(user).filter(survey_id__in=ids), "survey_id", n=Count("pk"))
    raised = grouped(ResponseAppeal.objects.filter(
        response__in=responses_visible_to(user).select_related(None).filter(survey_id__in=ids).values("pk"),
        appeal__in=appeals_visible_to(user).select_related(None).values("pk")), "response__survey_id", n=Count("pk"))
    in_period = responses(user=user, period=period).count()
    appeals_total = appeals_in(user, period).count()

    def n(found, pk):
        return found[pk]["n"] if pk in found else 0

    rows = tuple(ui.Row((survey.title, survey.chamber.name if survey.chamber_id else "工商联",
                         survey.get_status_display(), n(sent, pk), n(done, pk), ui.share(n(done, pk), n(sent, pk)),
                         n(answers, pk), n(raised, pk)), label=survey.title,
                        records_url=records_url("communications.response_rate", period, survey=pk))
                 for survey, pk in ((survey, survey.pk) for survey in opened))
    sent_total, done_total = sum(row.cells[3] for row in rows), sum(row.cells[4] for row in rows)
    if rows:
        rows += (ui.Row(("合计", "", "", sent_total, done_total, ui.share(done_total, sent_total),
                         sum(row.cells[6] for row in rows), sum(row.cells[7] for row in rows)),
                        label="合计", total=True), )
    rates = [{"name": row.cells[0], "value": ui.chart_number(row.cells[5])} for row in rows
             if not row.total and row.cells[5] is not None]
    return [ui.FigureSection(
        title=f"问卷调查（{period.label}发布的问卷）", dom_id="stats-surveys",
        note="表中答卷、已答企业、转诉求为截至今天的数目；卡片中的回收答卷、问卷转诉求按提交时间在统计期间内统计。",
        figures=[counted_card("communications.surveys_opened", len(opened), period),
                 counted_card("communications.responses", in_period, period),
                 counted_card("communications.response_rate", ui.share(done_total, sent_total), period),
                 counted_card("communications.survey_appeals", appeals_total, period)],
        chart=ui.Chart("ranking", SOURCE, "chart-surveys-rates", "各问卷回收率（%），数据见下表",
                       key="surveyRates", unit="%") if rates else None,
        chart_empty_text="统计期间没有发布问卷",
        table=ui.FigureTable("问卷调查", (ui.Col("问卷"), ui.Col("发起单位"), ui.Col("状态"), ui.Col("发送企业"),
                                      ui.Col("已答企业"), ui.Col("回收率", unit="%"), ui.Col("答卷"),
                                      ui.Col("转诉求")), rows, row_header=True, dom_id="table-surveys",
                             empty_text="统计期间没有发布问卷"),
        chart_data={SOURCE: {"surveyRates": rates}})]


__all__ = ["NARROWING", "RECORD_COLUMNS", "answered", "appeals_in", "recipients_of", "sections",
           "surveys_opened_in"]
