"""Figures of proposals (DESIGN §4: "近三年提交代表、委员议案、提案307件", "意见建议100余条…转化为党政部门实际举措"),
registered with the figures layer (`shanglian.ui.figures`) with the records behind each, and the sections of the
statistics page (`sections(user=, period=)`, composed by `statistics_views`).

Definitions (the same words are each figure's `definition`):

- **议案提案** (`engagement.proposals`): proposals whose 年度 falls in the period's years, submitted (every state but
  草拟) — a proposal counts in its own year, the year of the session it was submitted to.
- **已采纳** (`engagement.proposals_adopted`): those of them 已采纳.
- **采纳率** (`engagement.adoption_rate`) = 已采纳 ÷ (已采纳 + 未采纳): of the proposals of the period's years with an
  adoption decision; the records are those decided ones. With none decided the rate is None ("无数据").
- **转化为实际举措** (`engagement.measures`): proposals 已采纳 with the 实际举措 they became.

Every figure takes `kind=` (Proposal.Kind), `topic=` (a DictItem id), `person=` (a submitter's id), `body=`
("federation"/"chamber") and `chamber=` (an id) to narrow it to one row of the tables; an id outside the user's
scope is a 404. The tables are grouped queries: the page's queries do not grow with the proposals (the list of
measures shows the latest MEASURES_SHOWN).
"""

from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode

from shanglian.common.models import DictItem
from shanglian.members.selectors import persons_visible_to
from shanglian.orgs.selectors import chambers_in_scope
from shanglian.ui import figures as ui
from shanglian.ui.figures import figure, share
from shanglian.ui.listing import Column

from ..models import Proposal
from ..selectors.proposals import FILED, proposals_visible_to, submitted_by
from .links import card, records_url

S = Proposal.Status
SOURCE = "engagement-proposals"  # the json_script element the charts of these sections read
YEARS_SHOWN = 5  # the per-year table: at least the last five years
TOP_SUBMITTERS = 20
CHART_TOP = 15
MEASURES_SHOWN = 100
KIND_LABELS = dict(Proposal.Kind.choices)
ADOPTED = Q(status=S.ADOPTED)
DECLINED = Q(status=S.NOT_ADOPTED)
DEFINITIONS = {
    "proposals": "年度在统计期间内、已提交（不含草拟）的议案、提案、建议和社情民意信息，按议案提案的年度统计",
    "adopted": "年度在统计期间内、状态为已采纳的议案提案",
    "rate": "采纳率 = 已采纳 ÷（已采纳 + 未采纳），即年度在统计期间内、已作出采纳决定的议案提案中被采纳的比例；"
            "明细为已作出采纳决定的议案提案；没有已作出采纳决定的议案提案时为“无数据”",
    "measures": "年度在统计期间内、已采纳并登记了转化的实际举措的议案提案",
}
FOOTNOTE = ("口径：议案提案按年度（提交的会议年度）统计，不含草拟；采纳率 = 已采纳 ÷（已采纳 + 未采纳），尚未作出采纳决定的不计入；"
            "联名提交的议案提案计入每一位提交人，按提交人合计可能多于总件数。")


# --- the records behind the figures ----------------------------------------------------------------------------
def _narrow(user, qs, *, kind=None, topic=None, person=None, body=None, chamber=None):
    if kind is not None:
        if kind not in KIND_LABELS:
            raise Http404("没有该类别。")
        qs = qs.filter(kind=kind)
    if topic is not None:
        if not DictItem.objects.filter(kind="proposal_topic", pk=topic).exists():
            raise Http404("没有该主题。")
        qs = qs.filter(topic_id=topic)
    if person is not None:
        if not persons_visible_to(user).filter(pk=person).exists():
            raise Http404("没有该人员。")
        qs = qs.filter(submitted_by(person))
    if body is not None:
        if body not in (Proposal.Body.FEDERATION, Proposal.Body.CHAMBER):
            raise Http404("没有该提交方式。")
        qs = qs.filter(body=body)
    if chamber is not None:
        if not chambers_in_scope(user).filter(pk=chamber).exists():
            raise Http404("没有该商会。")
        qs = qs.filter(body=Proposal.Body.CHAMBER, chamber_id=chamber)
    return qs


def filed(user, period, **narrowing):
    """The submitted proposals (not 草拟) of the user's scope whose 年度 is one of the period's years."""
    qs = proposals_visible_to(user).filter(year__gte=period.start.year, year__lte=period.end.year)
    return _narrow(user, qs.exclude(status=S.DRAFT), **narrowing)


@figure("engagement.proposals", label="议案提案", unit="件", definition=DEFINITIONS["proposals"])
def proposals(*, user, period, **narrowing):
    return filed(user, period, **narrowing)


@figure("engagement.proposals_adopted", label="已采纳", unit="件", definition=DEFINITIONS["adopted"])
def proposals_adopted(*, user, period, **narrowing):
    return filed(user, period, **narrowing).filter(ADOPTED)


@figure("engagement.adoption_rate", label="采纳率", unit="%", definition=DEFINITIONS["rate"])
def adoption_rate(*, user, period, **narrowing):
    decided = filed(user, period, **narrowing).filter(ADOPTED | DECLINED)
    counts = decided.aggregate(decided=Count("pk"), adopted=Count("pk", filter=ADOPTED))
    return share(counts["adopted"], counts["decided"]), decided


@figure("engagement.measures", label="转化为实际举措", unit="件", definition=DEFINITIONS["measures"])
def measures(*, user, period, **narrowing):
    return filed(user, period, **narrowing).filter(ADOPTED).exclude(measure="")


# The drill-down's columns of each figure (statistics_views' figure_records shows the records with them) and the
# parameters narrowing it to a row of the tables.
PROPOSAL_COLUMNS = [
    Column("编号", "number", link=lambda p: reverse("engagement:proposal", args=[p.pk]), sort="number"),
    Column("标题", "title", wrap=True), Column("年度", "year", sort="year"), Column("类别", "get_kind_display"),
    Column("状态", "get_status_display"), Column("采纳结果日期", lambda p: p.decided_on, sort="decided_on"),
]
FIGURES = ("engagement.proposals", "engagement.proposals_adopted", "engagement.adoption_rate", "engagement.measures")
RECORD_COLUMNS = dict.fromkeys(FIGURES, PROPOSAL_COLUMNS)
NARROWING = dict.fromkeys(FIGURES, ("kind", "topic", "person", "body", "chamber"))


# --- links ---------------------------------------------------------------------------------------------------
def _list_url(year, **params):
    """The proposal list holding exactly a row's proposals (its filters), for one year."""
    query = {"year": year, **{name: value for name, value in params.items() if value not in (None, "")}}
    if "outcome" not in query and "status" not in query:
        query["status"] = FILED
    return f"{reverse('engagement:proposals')}?{urlencode(query)}"


def _one_year(period):
    return period.start.year if period.start.year == period.end.year else None


OUTCOME_OF = {"engagement.proposals": "", "engagement.proposals_adopted": "adopted",
              "engagement.adoption_rate": "decided", "engagement.measures": "measure"}


def _card_url(key, period):
    """A card's records: the list (one year: its filters hold exactly them), else the figure's drill-down."""
    year = _one_year(period)
    if year is not None:
        return _list_url(year, outcome=OUTCOME_OF[key])
    return records_url(key, period)


# --- grouped counts ------------------------------------------------------------------------------------------
def _counted(qs, *group):
    return (qs.order_by().values(*group)
            .annotate(n=Count("pk"), adopted=Count("pk", filter=ADOPTED), declined=Count("pk", filter=DECLINED)))


def _rate(row):
    return share(row["adopted"], row["adopted"] + row["declined"])


def _cards(user, period):
    return [card(ui.compute(key, user=user, period=period, compare=ui.YEAR_AGO), period,
                 records_url=_card_url(key, period)) for key in FIGURES]


def _years(period):
    last = period.end.year
    return list(range(min(period.start.year, last - YEARS_SHOWN + 1), last + 1))


def _year_section(user, period):
    years = _years(period)
    rows = {(r["year"], r["kind"]): r for r in _counted(
        proposals_visible_to(user).exclude(status=S.DRAFT).filter(year__in=years), "year", "kind")}
    kinds = list(KIND_LABELS)
    table_rows, totals, adopted, rates = [], [], [], []
    for year in years:
        per_kind = [rows.get((year, kind), {"n": 0, "adopted": 0, "declined": 0}) for kind in kinds]
        total = {name: sum(r[name] for r in per_kind) for name in ("n", "adopted", "declined")}
        rate = _rate(total)
        table_rows.append(ui.Row((year, *[r["n"] for r in per_kind], total["n"], total["adopted"], total["declined"],
                                  rate), label=f"{year}年", records_url=_list_url(year)))
        totals.append(total["n"])
        adopted.append(total["adopted"])
        rates.append(None if rate is None else float(rate))
    table = ui.FigureTable(
        "各年议案提案", (ui.Col("年度", suffix="年"), *[ui.Col(label) for label in KIND_LABELS.values()], ui.Col("合计"),
                        ui.Col("已采纳"), ui.Col("未采纳"), ui.Col("采纳率", unit="%")),
        tuple(table_rows), dom_id="table-proposal-years")
    chart = ui.Chart("combo", SOURCE, "chart-proposal-years", "各年议案提案件数、已采纳件数与采纳率，数据见下表",
                     categories="years", bars="yearTotals:议案提案;yearAdopted:已采纳", lines="yearRates:采纳率",
                     axes="件;%", line_unit="%", line_max="100")
    return ui.FigureSection(title=f"各年议案提案（{years[0]}—{years[-1]}年）", dom_id="stats-proposal-years",
                            chart=chart, table=table,
                            chart_data={SOURCE: {"years": [f"{year}年" for year in years], "yearTotals": totals,
                                                 "yearAdopted": adopted, "yearRates": rates}})


def _kind_section(user, period):
    year = _one_year(period)
    found = {r["kind"]: r for r in _counted(filed(user, period), "kind")}
    rows = []
    for kind, label in KIND_LABELS.items():
        r = found.get(kind, {"n": 0, "adopted": 0, "declined": 0})
        rows.append(ui.Row((label, r["n"], r["adopted"], r["declined"], _rate(r)), label=label,
                           records_url=_list_url(year, kind=kind) if year else ""))
    table = ui.FigureTable("按类别", (ui.Col("类别"), ui.Col("件数"), ui.Col("已采纳"), ui.Col("未采纳"),
                                     ui.Col("采纳率", unit="%")), tuple(rows), row_header=True,
                           dom_id="table-proposal-kinds", sheet="议案提案按类别")
    has_any = any(row.cells[1] for row in rows)
    return ui.FigureSection(
        title=f"议案提案按类别（{period.label}）", dom_id="stats-proposal-kinds", table=table,
        chart=ui.Chart("pie", SOURCE, "chart-proposal-kinds", "本期各类别议案提案件数，数据见下表", key="proposalKinds")
        if has_any else None, chart_empty_text="本期没有已提交的议案提案",
        chart_data={SOURCE: {"proposalKinds": [{"name": row.cells[0], "value": row.cells[1]} for row in rows]}})


def _submitter_section(user, period):
    year = _one_year(period)
    qs = filed(user, period)
    through = Proposal.submitters.through.objects.filter(proposal_id__in=qs.values("pk"))
    persons = (through.order_by().values("person_id", "person__name")
               .annotate(n=Count("proposal_id"), adopted=Count("proposal_id", filter=Q(proposal__status=S.ADOPTED)),
                         declined=Count("proposal_id", filter=Q(proposal__status=S.NOT_ADOPTED)))
               .order_by("-n", "person__name", "person_id")[:TOP_SUBMITTERS])
    rows = []
    for r in _counted(qs.exclude(body=Proposal.Body.NONE), "body", "chamber_id", "chamber__name"):
        if r["body"] == Proposal.Body.FEDERATION:
            name, kind, url = "工商联", "以工商联名义", _list_url(year, body="federation") if year else ""
        else:
            name, kind = r["chamber__name"], "以商会名义"
            url = _list_url(year, body="chamber", chamber=r["chamber_id"]) if year else ""
        rows.append((r["n"], name, ui.Row((name, kind, r["n"], r["adopted"], _rate(r)), label=name, records_url=url)))
    for r in persons:
        url = _list_url(year, submitter=r["person_id"]) if year else ""
        rows.append((r["n"], r["person__name"], ui.Row((r["person__name"], "个人", r["n"], r["adopted"], _rate(r)),
                                                      label=r["person__name"], records_url=url)))
    ordered = [row for _n, _name, row in sorted(rows, key=lambda item: (-item[0], item[1]))]
    table = ui.FigureTable(
        "按提交人", (ui.Col("提交人"), ui.Col("提交方式"), ui.Col("件数"), ui.Col("已采纳"), ui.Col("采纳率", unit="%")),
        tuple(ordered), numbered=True, dom_id="table-proposal-submitters", sheet="议案提案按提交人",
        empty_text="本期没有已提交的议案提案")
    return ui.FigureSection(
        title=f"议案提案按提交人（{period.label}）", dom_id="stats-proposal-submitters", table=table,
        note=f"以组织名义提交的全部列出，个人按件数列出前 {TOP_SUBMITTERS} 位；联名提交的计入每一位提交人。",
        chart=ui.Chart("ranking", SOURCE, "chart-proposal-submitters",
                       f"本期提交议案提案最多的前{CHART_TOP}位提交人，数据见下表", key="proposalSubmitters")
        if ordered else None, chart_empty_text="本期没有已提交的议案提案",
        chart_data={SOURCE: {"proposalSubmitters": [{"name": row.cells[0], "value": row.cells[2]}
                                                    for row in ordered[:CHART_TOP]]}})


def _topic_section(user, period):
    year = _one_year(period)
    rows = []
    counted = _counted(filed(user, period), "topic_id", "topic__label", "topic__order")
    for r in sorted(counted, key=lambda r: (-r["n"], r["topic__order"] or 0, r["topic__label"] or "")):
        label = r["topic__label"] or "未分类"
        url = _list_url(year, topic=r["topic_id"]) if year and r["topic_id"] else ""
        rows.append(ui.Row((label, r["n"], r["adopted"], r["declined"], _rate(r)), label=label, records_url=url))
    table = ui.FigureTable("按主题", (ui.Col("主题"), ui.Col("件数"), ui.Col("已采纳"), ui.Col("未采纳"),
                                     ui.Col("采纳率", unit="%")), tuple(rows), row_header=True,
                           dom_id="table-proposal-topics", sheet="议案提案按主题",
                           empty_text="本期没有已提交的议案提案")
    return ui.FigureSection(
        title=f"议案提案按主题（{period.label}）", dom_id="stats-proposal-topics", table=table,
        chart=ui.Chart("ranking", SOURCE, "chart-proposal-topics", "本期各主题议案提案件数，数据见下表",
                       key="proposalTopics") if rows else None, chart_empty_text="本期没有已提交的议案提案",
        chart_data={SOURCE: {"proposalTopics": [{"name": row.cells[0], "value": row.cells[1]} for row in rows]}})


def _measure_section(user, period):
    year = _one_year(period)
    qs = measures(user=user, period=period)
    total = qs.count()
    shown = qs.select_related("policy").prefetch_related("submitters").order_by("-year", "-decided_on", "-id")
    rows = []
    for p in shown[:MEASURES_SHOWN]:
        who = "、".join([person.name for person in p.submitters.all()]
                       + (["工商联"] if p.body == Proposal.Body.FEDERATION else [])
                       + ([p.chamber.name] if p.body == Proposal.Body.CHAMBER and p.chamber_id else []))
        rows.append(ui.Row((p.number, p.year, p.title, who, p.measure, p.policy.title if p.policy_id else "—"),
                           label=p.number, records_url=reverse("engagement:proposal", args=[p.pk])))
    note = f"共 {total} 件" + (f"，列出最近的 {MEASURES_SHOWN} 件" if total > MEASURES_SHOWN else "")
    if year is not None and total:
        note += "；全部见议案提案列表（采纳情况：已转化为实际举措）"
    table = ui.FigureTable("转化的实际举措", (ui.Col("编号"), ui.Col("年度", suffix="年"), ui.Col("标题"), ui.Col("提交人"),
                                            ui.Col("实际举措"), ui.Col("对应惠企政策")), tuple(rows), numbered=True,
                           dom_id="table-proposal-measures", empty_text="本期没有转化为实际举措的议案提案")
    return ui.FigureSection(title=f"转化的实际举措（{period.label}）", dom_id="stats-proposal-measures", table=table,
                            note=note)


def sections(*, user, period):
    """The proposals' part of the statistics page: the headline cards (with 同比), per year (the last five years at
    least), per kind, per submitter, per topic, and the measures. Every chart reads the json_script `SOURCE`; each
    section carries its chart's keys of it (`chart_data`)."""
    return [
        ui.FigureSection(title=f"议案提案（{period.label}）", dom_id="stats-proposals", figures=_cards(user, period),
                         footnote=FOOTNOTE),
        _year_section(user, period),
        _kind_section(user, period),
        _submitter_section(user, period),
        _topic_section(user, period),
        _measure_section(user, period),
    ]
