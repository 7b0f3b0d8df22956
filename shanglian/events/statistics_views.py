"""活动统计: the statistics page (cards with 同比, ECharts, the same numbers in tables), its xlsx export
(`?export=xlsx`) and the drill-down to the records behind a figure. Thin: parse the period and the
programme, read `figures` on the user's scope, render with the one statistics-page template
(`ui/figures_page.html`). The page's queries do not grow with the data: every table is a grouped query."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from shanglian.accounts.roles import EVENT_READER_ROLES, require_role
from shanglian.common.forms import ModelChoiceField
from shanglian.common.validators import is_id
from shanglian.imports.exports import audited_export
from shanglian.ui import figures as ui
from shanglian.ui.listing import Column
from shanglian.ui.periods import PERIOD_FIELDS, PeriodForm

from . import figures
from .models import Event
from .selectors import events_visible_to, programmes_visible_to

SOURCE = "event-stats"  # the json_script element the charts read
BREADCRUMBS = [("活动管理", None), ("活动统计", None)]
TREND_YEARS = 10
CHART_TOP = 15
MAX_COMPARED_DAYS = 366  # a period compared with the same period a year earlier (同比): a year at most
CHART_SERIES = 5  # bars a per-year chart draws side by side (charts.js has five colours)
HEADLINE = ["events.held", "events.trainings", "events.attendance", "events.training_attendance",
            "events.member_participation", "events.enterprise_participation", "events.turnout",
            "events.satisfaction"]
FOOTNOTE = ("口径：活动场次为开始时间在统计期间内、未取消且非草稿的活动；签到人次含受邀签到与现场登记，一份请柬只计一次；"
            "会员企业参与率、全区企业参与率为至少出席一次（签到记录登记为该企业）的企业占比，会员企业按统计期末在册计；"
            "平均出席率 = 受邀人签到人次 ÷ 报名名额（参加、代为参加），未回复而到场者也计入签到；"
            "反馈满意度按非常满意100、满意80、一般60、不满意40、很不满意20分取平均。")
FIELDS = (*PERIOD_FIELDS, "programme")


class StatisticsForm(PeriodForm):
    """The period form with a programme: its participation rates beside the whole period's."""

    programme = ModelChoiceField(label="项目", queryset=None, required=False, empty_label="全部活动",
                                 error_messages={"invalid_choice": "所选项目不存在或不在您的统计范围内。"})

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, fields=FIELDS, **kwargs)
        self.user = user
        self.fields["programme"].queryset = programmes_visible_to(user).order_by("-year", "name", "pk")

    def chosen_programme(self):
        return self.cleaned_data.get("programme") if self.is_bound and self.is_valid() else None

    def shown(self):
        shown = super().shown()
        if shown is self:
            return self
        programme = self.chosen_programme()
        return StatisticsForm(initial={**shown.initial, "programme": programme.pk if programme else None},
                              user=self.user)


def _number(value):
    return None if value is None else float(value)


def _records_url(key, query, **params):
    params = {name: value for name, value in params.items() if value not in (None, "")}
    return f"{reverse('events:figure_records', args=[key])}?{urlencode({**query, **params})}"


# --- the cards ------------------------------------------------------------------------------------------
def _values(report):
    """The headline figures of one period's report, by key."""
    every, trainings, found = report.all, report.trainings, report.participation
    return {
        "events.held": every.events, "events.trainings": trainings.events,
        "events.attendance": every.attendance, "events.training_attendance": trainings.attendance,
        "events.member_participation": found.member_rate, "events.enterprise_participation": found.enterprise_rate,
        "events.turnout": every.turnout, "events.satisfaction": report.score,
    }


def _cards(report, year_ago, query, **narrowing):
    """The headline cards, with 同比 when `year_ago` (the same period a year earlier) is given."""
    now, before = _values(report), _values(year_ago) if year_ago is not None else {}
    cards = []
    for key in HEADLINE:
        spec = ui.get(key)
        cards.append(ui.Figure(label=spec.label, definition=spec.definition, value=now[key], unit=spec.unit, key=key,
                               period=report.period, year_ago=before.get(key), dom_id=f"figure-{key.split('.')[1]}",
                               records_url=_records_url(key, query, **narrowing)))
    return cards


def _programme_cards(report, programme, query):
    """The chosen programme's own figures (no 同比: a programme is of its year)."""
    counts = figures.total(report.groups, lambda group: group.programme[0] == programme.pk)
    found = report.programme
    values = {"events.held": counts.events, "events.attendance": counts.attendance,
              "events.member_participation": found.member_rate,
              "events.enterprise_participation": found.enterprise_rate}
    cards = []
    for key, value in values.items():
        spec = ui.get(key)
        cards.append(ui.Figure(label=spec.label, definition=f"{spec.definition}（限“{programme.name}”项目的活动）",
                               value=value, unit=spec.unit, key=key, period=report.period,
                               dom_id=f"programme-{key.split('.')[1]}",
                               records_url=_records_url(key, query, programme=programme.pk)))
    return cards


# --- the tables -----------------------------------------------------------------------------------------
def _kind_rows(report, query):
    by_kind = {}
    for group in report.groups:
        by_kind.setdefault(group.kind, figures.Counts())
        by_kind[group.kind] += group.counts
    ordered = sorted(by_kind.items(), key=lambda item: (-item[1].events, item[0][3], item[0][0]))
    return [ui.Row((label, c.events, c.attendance, c.invitee_checkins, c.places, c.turnout), label=label,
                   records_url=_records_url("events.held", query, kind=pk))
            for (pk, label, _code, _order), c in ordered]


def _organiser_params(organiser):
    kind, federation, chamber, committee, working_group, _name = organiser
    params = {"organiser": kind}
    if kind == Event.Organiser.CHAMBER and chamber:
        params["chamber"] = chamber
    elif kind == Event.Organiser.COMMITTEE and committee:
        params["committee"] = committee
    elif kind == Event.Organiser.WORKING_GROUP and working_group:
        params["working_group"] = working_group
    else:
        params["federation"] = federation
    return params


def _organiser_rows(report, query):
    by_organiser = {}
    for group in report.groups:
        key = group.organiser
        if key[0] in (Event.Organiser.CHAMBER, Event.Organiser.COMMITTEE, Event.Organiser.WORKING_GROUP):
            key = (key[0], None, *key[2:])  # one row per chamber, committee, group whatever the federation
        by_organiser.setdefault(key, figures.Counts())
        by_organiser[key] += group.counts
    ordered = sorted(by_organiser.items(), key=lambda item: (-item[1].events, item[0][5]))
    rows = []
    for organiser, c in ordered:
        params = _organiser_params(organiser)
        if organiser[0] != Event.Organiser.FEDERATION:
            params.pop("federation", None)
        rows.append(ui.Row((figures.ORGANISER_LABELS[organiser[0]], organiser[5], c.events, c.attendance, c.turnout),
                           label=organiser[5], records_url=_records_url("events.held", query, **params)))
    return rows


def _programme_rows(report, query):
    programmes = {}
    for group in report.groups:
        if group.programme[0] is not None:
            programmes.setdefault(group.programme, figures.Counts())
            programmes[group.programme] += group.counts
    return [ui.Row((name, year, c.events, c.attendance, c.turnout), label=name,
                   records_url=_records_url("events.held", query, programme=pk))
            for (pk, name, year), c in sorted(programmes.items(), key=lambda item: (-item[1].attendance, item[0][1]))]


def _participation_rows(report, programme, query):
    """全部活动 and, when one is chosen, the programme: its member enterprises and enterprises attending."""
    rows = [("全部活动", report.participation, {})]
    if programme is not None:
        rows.append((programme.name, report.programme, {"programme": programme.pk}))
    return [ui.Row((label, f.members, f.members_attending, f.member_rate, f.enterprises, f.enterprises_attending,
                    f.enterprise_rate), label=label,
                   records_url=_records_url("events.member_participation", query, **params))
            for label, f, params in rows]


def _chart_kinds(years, used):
    """The kinds a per-year chart draws: all of them up to CHART_SERIES, else the CHART_SERIES − 1 with the most
    events over the years and 其他 for the rest (the charts have five colours; the tables keep every kind)."""
    if len(used) <= CHART_SERIES:
        return [(str(pk), label, (pk,)) for pk, label in used]
    totals = {pk: sum(row.by_kind.get(pk, figures.Counts()).events for row in years) for pk, _ in used}
    top = sorted(used, key=lambda kind: -totals[kind[0]])[:CHART_SERIES - 1]
    rest = tuple(pk for pk, _ in used if pk not in {pk for pk, _ in top})
    return [(str(pk), label, (pk,)) for pk, label in top] + [("Other", "其他", rest)]


def _year_tables(years, kinds, query_of):
    """年度趋势, 按类型 (场次 and 人次) and 按主办方 per year, and the chart data of each. The years start at the
    first one with an event (of the TREND_YEARS asked for)."""
    first = next((row.year for row in years if row.all.events), years[-1].year)
    years = [row for row in years if row.year >= first]
    training = {pk for pk, _label, code in kinds if code in figures.TRAINING_KINDS}
    used = [(pk, label) for pk, label, _code in kinds if any(pk in row.by_kind for row in years)]
    organisers = list(figures.ORGANISER_LABELS.items())
    trend, kind_events, kind_attendance, organiser_events = [], [], [], []
    for row in years:
        every = row.all
        trainings = sum((c for pk, c in row.by_kind.items() if pk in training), figures.Counts())
        url = _records_url("events.held", query_of(row.year))
        trend.append(ui.Row((row.year, every.events, trainings.events, every.attendance, trainings.attendance),
                            label=f"{row.year}年", records_url=url))
        kind_events.append(ui.Row((row.year, *[row.by_kind.get(pk, figures.Counts()).events for pk, _ in used],
                                   every.events), label=f"{row.year}年", records_url=url))
        kind_attendance.append(ui.Row((row.year, *[row.by_kind.get(pk, figures.Counts()).attendance for pk, _ in used],
                                       every.attendance), label=f"{row.year}年",
                                      records_url=_records_url("events.attendance", query_of(row.year))))
        organiser_events.append(ui.Row((row.year, *[row.by_organiser.get(key, figures.Counts()).events
                                                    for key, _ in organisers], every.events),
                                       label=f"{row.year}年", records_url=url))
    year = ui.Col("年份", suffix="年")
    tables = {
        "trend": ui.FigureTable("年度趋势", (year, ui.Col("活动场次"), ui.Col("培训场次"), ui.Col("签到人次"),
                                              ui.Col("培训人次")), tuple(trend), dom_id="table-trend"),
        "kind_events": ui.FigureTable("各年活动场次（按类型）", (year, *[ui.Col(label) for _, label in used],
                                                               ui.Col("合计")), tuple(kind_events),
                                      sheet="各年场次按类型", dom_id="table-kind-events"),
        "kind_attendance": ui.FigureTable("各年签到人次（按类型）", (year, *[ui.Col(label) for _, label in used],
                                                                  ui.Col("合计")), tuple(kind_attendance),
                                          sheet="各年人次按类型", dom_id="table-kind-attendance"),
        "organiser_events": ui.FigureTable("各年活动场次（按主办方）", (year, *[ui.Col(label) for _, label in organisers],
                                                                     ui.Col("合计")), tuple(organiser_events),
                                           sheet="各年场次按主办方", dom_id="table-organiser-events"),
    }
    drawn = _chart_kinds(years, used)

    def of_kinds(row, pks):
        return sum((row.by_kind.get(pk, figures.Counts()) for pk in pks), figures.Counts())

    data = {
        "years": [f"{row.year}年" for row in years],
        "held": [row.cells[1] for row in trend], "trainings": [row.cells[2] for row in trend],
        "attendance": [row.cells[3] for row in trend],
        **{f"kindEvents{key}": [of_kinds(row, pks).events for row in years] for key, _, pks in drawn},
        **{f"kindAttendance{key}": [of_kinds(row, pks).attendance for row in years] for key, _, pks in drawn},
        **{f"organiser_{key}": [row.by_organiser.get(key, figures.Counts()).events for row in years]
           for key, _ in organisers},
    }
    series = {
        "kind_events": ";".join(f"kindEvents{key}:{label}" for key, label, _ in drawn),
        "kind_attendance": ";".join(f"kindAttendance{key}:{label}" for key, label, _ in drawn),
        "organiser_events": ";".join(f"organiser_{key}:{label}" for key, label in organisers),
    }
    return tables, data, series


def _overall_table(cards):
    """The 总体 sheet of the export: each headline figure, now and a year earlier."""
    return ui.FigureTable("总体", (ui.Col("指标"), ui.Col("数值"), ui.Col("上年同期"), ui.Col("同比"), ui.Col("口径")),
                          tuple(ui.Row((f"{card.label}（{card.unit}）", card.value, card.year_ago,
                                        card.year_ago_change, card.definition)) for card in cards))


# --- the page ---------------------------------------------------------------------------------------------
def _page(request):
    user = request.user
    require_role(user, *EVENT_READER_ROLES)
    form = StatisticsForm(request.GET or None, user=user)
    period, programme = form.period(), form.chosen_programme()
    query = period.as_query()
    report = figures.period_report(user, period, programme=programme.pk if programme else None)
    # 同比 of a period longer than a year would compare it mostly with itself (2023—2025 with 2022—2024)
    year_ago = figures.period_report(user, period.year_ago()) if period.days <= MAX_COMPARED_DAYS else None
    years = range(period.end.year - TREND_YEARS + 1, period.end.year + 1)
    kinds = figures.event_kinds()
    tables, year_data, series = _year_tables(figures.year_rows(user, years), kinds,
                                             lambda year: {"year": year})
    cards = _cards(report, year_ago, query)

    kind_rows, organiser_rows, programme_rows = (_kind_rows(report, query), _organiser_rows(report, query),
                                                 _programme_rows(report, query))
    rate = ui.Col("出席率", unit="%", export_label="平均出席率（%）")
    kind_table = ui.FigureTable("本期按类型", (ui.Col("活动类型"), ui.Col("场次"), ui.Col("签到人次"), ui.Col("受邀签到"),
                                                ui.Col("报名名额"), rate), tuple(kind_rows), row_header=True,
                                dom_id="table-kinds")
    organiser_table = ui.FigureTable("本期按主办单位", (ui.Col("主办方类型"), ui.Col("主办单位"), ui.Col("场次"),
                                                       ui.Col("签到人次"), rate), tuple(organiser_rows),
                                     numbered=True, dom_id="table-organisers")
    programme_table = ui.FigureTable(
        "本期按项目", (ui.Col("项目"), ui.Col("年度", suffix="年"), ui.Col("场次"), ui.Col("签到人次"), rate),
        tuple(programme_rows), row_header=True, dom_id="table-programmes", empty_text="本期没有属于项目的活动")
    participation_rows = _participation_rows(report, programme, query)
    participation_table = ui.FigureTable(
        "企业参与率",
        (ui.Col("范围"), ui.Col("会员企业"), ui.Col("参与会员企业"), ui.Col("会员企业参与率", unit="%"),
         ui.Col("统计范围内企业"), ui.Col("参与企业"), ui.Col("全区企业参与率", unit="%")),
        tuple(participation_rows), row_header=True, dom_id="table-participation")
    participation_note = (f"会员企业按{period.end:%Y年%-m月%-d日}在册计；参与指统计期间内至少出席一次。"
                          + ("" if programme else "在上方“项目”中选择一个项目，可查看该项目的参与率。"))
    programme_section_figures = _programme_cards(report, programme, query) if programme else []
    y0, y1 = tables["trend"].rows[0].cells[0], years[-1]
    sections = [
        ui.FigureSection(title=f"核心指标（{period.label}）", dom_id="stats-headline", figures=cards,
                         note="" if year_ago is not None else "统计期间超过一年，不计同比。"),
        ui.FigureSection(
            title=f"年度趋势（{y0}—{y1}年）" if y0 != y1 else f"年度趋势（{y1}年）", dom_id="stats-trend",
            chart=ui.Chart("combo", SOURCE, "chart-trend", "各年活动场次、培训场次与签到人次，数据见下表",
                           categories="years", bars="held:活动场次;trainings:培训场次", lines="attendance:签到人次",
                           axes="场次;人次"),
            table=tables["trend"]),
        ui.FigureSection(
            title="各年活动场次（按类型）", dom_id="stats-kind-events", chart_empty_text="近年没有举办的活动",
            chart=ui.Chart("combo", SOURCE, "chart-kind-events", "各年各类型活动场次，数据见下表", categories="years",
                           bars=series["kind_events"], axes="场次") if series["kind_events"] else None,
            table=tables["kind_events"]),
        ui.FigureSection(
            title="各年签到人次（按类型）", dom_id="stats-kind-attendance", chart_empty_text="近年没有举办的活动",
            chart=ui.Chart("combo", SOURCE, "chart-kind-attendance", "各年各类型活动签到人次，数据见下表",
                           categories="years", bars=series["kind_attendance"], axes="人次")
            if series["kind_events"] else None,
            table=tables["kind_attendance"]),
        ui.FigureSection(
            title="各年活动场次（按主办方）", dom_id="stats-organiser-events",
            chart=ui.Chart("combo", SOURCE, "chart-organiser-events", "各年各类主办方的活动场次，数据见下表",
                           categories="years", bars=series["organiser_events"], axes="场次"),
            table=tables["organiser_events"]),
        ui.FigureSection(
            title=f"按类型（{period.label}）", dom_id="stats-kinds", chart_empty_text="本期没有举办的活动",
            chart=ui.Chart("ranking", SOURCE, "chart-kinds", "本期各类型活动场次，数据见下表", key="periodKinds")
            if kind_rows else None,
            table=kind_table),
        ui.FigureSection(
            title=f"按主办单位（{period.label}）", dom_id="stats-organisers", chart_empty_text="本期没有举办的活动",
            chart=ui.Chart("ranking", SOURCE, "chart-organisers", f"本期活动场次最多的前{CHART_TOP}个主办单位，数据见下表",
                           key="periodOrganisers") if organiser_rows else None,
            table=organiser_table),
        ui.FigureSection(
            title=f"按项目（{period.label}）", dom_id="stats-programmes", chart_empty_text="本期没有属于项目的活动",
            chart=ui.Chart("ranking", SOURCE, "chart-programmes", "本期各项目签到人次，数据见下表",
                           key="programmeAttendance") if programme_rows else None,
            table=programme_table),
        ui.FigureSection(
            title=f"企业参与率（{period.label}）" + (f"：{programme.name}" if programme else ""),
            dom_id="stats-participation", note=participation_note, figures=programme_section_figures,
            chart=ui.Chart("ranking", SOURCE, "chart-participation", "会员企业参与率与全区企业参与率，数据见下表",
                           key="participationRates", unit="%", max="100"),
            table=participation_table),
    ]
    chart_data = {
        **year_data,
        "periodKinds": [{"name": row.cells[0], "value": row.cells[1]} for row in kind_rows],
        "periodOrganisers": [{"name": row.cells[1], "value": row.cells[2]} for row in organiser_rows[:CHART_TOP]],
        "programmeAttendance": [{"name": row.cells[0], "value": row.cells[3]} for row in programme_rows[:CHART_TOP]],
        "participationRates": [{"name": f"{row.cells[0]}·{what}", "value": _number(row.cells[index])}
                               for row in participation_rows for what, index in (("会员企业", 3), ("全区企业", 6))],
    }
    page = ui.FiguresPage(
        title="活动统计", breadcrumbs=BREADCRUMBS, form=form.shown(),
        period_label=f"统计期间：{period.label}（按活动开始时间）", reset_url=reverse("events:statistics"),
        export_url=f"{reverse('events:statistics')}?{urlencode({**form.query(), 'export': 'xlsx'})}",
        sections=sections, chart_data={SOURCE: chart_data}, footnote=FOOTNOTE)
    export = [_overall_table(cards), *page.tables]
    return page, period, programme, export


@never_cache
@login_required
def statistics(request):
    page, period, programme, export = _page(request)
    if request.GET.get("export") == "xlsx":
        return audited_export(actor=request.user, title="活动统计", object_type="events.statistics",
                              sheets=ui.export_sheets(export),
                              detail={"report": "event_statistics", "start": period.start.isoformat(),
                                      "end": period.end.isoformat(),
                                      **({"programme": programme.pk} if programme else {})})
    return render(request, "ui/figures_page.html", {"page": page, "breadcrumbs": page.breadcrumbs})


# --- drill-down -----------------------------------------------------------------------------------------
def _local(moment):
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


EVENT_COLUMNS = [
    Column("活动编号", "number", link=lambda e: reverse("events:detail", args=[e.pk]), sort="number"),
    Column("活动名称", "title", wrap=True), Column("类型", "kind.label"), Column("主办单位", "organiser_name"),
    Column("开始时间", lambda e: _local(e.starts_at), sort="starts_at"), Column("状态", "get_status_display"),
    Column("签到人次", "attended", sort="attended"),
]
CHECKIN_COLUMNS = [
    Column("姓名", "name"), Column("单位", lambda c: c.enterprise.name if c.enterprise_id else c.organisation),
    Column("活动", "event.title", link=lambda c: reverse("events:detail", args=[c.event_id]), wrap=True),
    Column("活动类型", "event.kind.label"), Column("签到时间", lambda c: _local(c.checked_in_at), sort="checked_in_at"),
    Column("方式", "get_method_display"),
]
ENTERPRISE_COLUMNS = [
    Column("企业名称", "name", link=lambda e: reverse("members:enterprise_detail", args=[e.pk]), wrap=True),
    Column("统一社会信用代码", "uscc"), Column("统计期间出席次数", "attended", sort="attended"),
]
INVITATION_COLUMNS = [
    Column("受邀人", "name"), Column("单位", lambda i: i.enterprise.name if i.enterprise_id else ""),
    Column("活动", "event.title", link=lambda i: reverse("events:detail", args=[i.event_id]), wrap=True),
    Column("回复", "get_status_display"), Column("代参加人", "substitute_name"),
]
FEEDBACK_COLUMNS = [
    Column("活动", "checkin.event.title", link=lambda f: reverse("events:detail", args=[f.checkin.event_id]),
           wrap=True),
    Column("签到人", "checkin.name"), Column("总体评价", "get_score_display", sort="score"),
    Column("意见建议", "suggestion", wrap=True), Column("提交时间", lambda f: _local(f.submitted_at), sort="submitted_at"),
]
DUTY_COLUMNS = [
    Column("月份", lambda d: f"{d.month:%Y年%-m月}", link=lambda d: reverse("events:duty", args=[d.pk]), sort="month"),
    Column("轮值主席", "position.person.name"), Column("职务", "position.get_title_display"),
    Column("所属", lambda d: d.chamber.name if d.chamber_id else d.federation.name, wrap=True),
    Column("借调工作人员", "seconded_staff", wrap=True),
]
COLUMNS = {
    "events.held": EVENT_COLUMNS, "events.trainings": EVENT_COLUMNS,
    "events.attendance": CHECKIN_COLUMNS, "events.training_attendance": CHECKIN_COLUMNS,
    "events.members_attending": ENTERPRISE_COLUMNS, "events.enterprises_attending": ENTERPRISE_COLUMNS,
    "events.member_participation": ENTERPRISE_COLUMNS, "events.enterprise_participation": ENTERPRISE_COLUMNS,
    "events.turnout": INVITATION_COLUMNS, "events.satisfaction": FEEDBACK_COLUMNS,
    "events.chair_duties": DUTY_COLUMNS, "events.training_programmes_years": EVENT_COLUMNS,
}
# The figures that take only some of the drill-down's parameters (the others take them all).
TAKES = {"events.chair_duties": ("chamber",)}
ID_PARAMS = ("programme", "kind", "federation", "chamber", "committee")


def _narrowing(request):
    """The row a drill-down is of (programme, kind, organiser …): ids checked before any query; a wrong one is 404."""
    narrowing = {}
    for name in ID_PARAMS:
        value = request.GET.get(name)
        if value:
            if not is_id(value):
                raise Http404("没有该记录。")
            narrowing[name] = int(value)
    organiser = request.GET.get("organiser")
    if organiser:
        if organiser not in figures.ORGANISER_LABELS:
            raise Http404("没有该主办方类型。")
        narrowing["organiser"] = organiser
    working_group = (request.GET.get("working_group") or "").strip()
    if working_group:
        narrowing["working_group"] = working_group[:100]
    return narrowing


@login_required
def figure_records(request, key):
    """The records behind a figure of the page (活动统计 → 明细), in the user's scope only, optionally of one
    table row (a kind, an organiser, a programme)."""
    require_role(request.user, *EVENT_READER_ROLES)
    if key not in COLUMNS:
        raise Http404("没有该统计指标。")
    events_visible_to(request.user)
    form = PeriodForm(request.GET or None)
    period = form.period()
    narrowing = _narrowing(request)
    if key in TAKES:
        narrowing = {name: value for name, value in narrowing.items() if name in TAKES[key]}
    return ui.records_page(request, key=key, period=period, columns=COLUMNS[key],
                           breadcrumbs=[("活动管理", None), ("活动统计", "events:statistics")], **narrowing)
