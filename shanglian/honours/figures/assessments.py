"""Figures of the chamber assessments (DESIGN §4: 镇街商会"五有" — the share of township chambers meeting all five:
机构牌子, 工作班子, 办公场所, 工作经费, 活动开展; the 四好商会; the 五好工商联 self-check), registered with the figures
layer (`shanglian.ui.figures`) with the records behind each, and the assessments' part of the statistics page
(`sections(user=, period=)`, composed by `statistics_views`).

An assessment belongs to a year: a figure reads the assessments of the year of the period's end (`Period.as_of`:
the last day, or today while the period runs). Only verified items count (`selectors.assessments`): a township
chamber — an active 街道（镇）商会 of the scope — meets an item when its assessment of that year claims it met and
staff have verified it; it meets the 五有 when it meets all five. The 四好 levels are those of confirmed
assessments. Definitions (each figure's `definition` says the same):

- **镇街商会“五有”达标率** (`honours.five_have_rate`): township chambers meeting all five ÷ township chambers; the
  records are the township chambers (the denominator); none: 无数据.
- **“五有”全部达标的镇街商会** (`honours.five_have_complete`), **无本年度“五有”评估的镇街商会**
  (`honours.five_have_unassessed`), and per item **“五有”·<item>达标** (`honours.five_have_<code>`): chambers.
- **“四好”商会** (`honours.four_good_chambers`): confirmed 四好 assessments at 示范商会 or “四好”商会; `level=` (a level's
  name, or 不达标) narrows it to one level (a name the scheme has not is a 404). The records are the assessments.
- **“五好”工商联自查总分** (`honours.five_good_total`): the confirmed total of the user's own federation's self-check
  (无数据 before it is confirmed, and for a chamber secretary); the records are that self-check.

`RECORD_COLUMNS` gives each figure's drill-down columns for `ui.figures.records_page`, `NARROWING` the parameters a
figure takes from a table row.
"""

from django.http import Http404
from django.urls import reverse

from shanglian.accounts.roles import FEDERATION_ROLES, role_of
from shanglian.orgs.models import Chamber
from shanglian.ui import figures as ui
from shanglian.ui.listing import Column

from ..models import Assessment
from ..schemes import FIVE_GOOD, FIVE_HAVE, FOUR_GOOD
from ..selectors import assessments as selectors
from ..selectors.scopes import assessments_visible_to
from .links import card, records_url

SOURCE = "honours-assessments"  # the json_script element the charts of these sections read
YEAR = "统计期末所在年度"
TOWNSHIP = "您管理范围内正常状态的街道（镇）商会"
MET = "申报达标且经工商联核实"
DEFINITIONS = {
    "rate": (f"{YEAR}“五有”（机构牌子、工作班子、办公场所、工作经费、活动开展）五项均{MET}的镇街商会 ÷ 镇街商会（{TOWNSHIP}）；"
             "未核实、未填报、未达标或无本年度评估的条目不计；明细为全部镇街商会（分母）；没有镇街商会时为“无数据”"),
    "complete": f"{YEAR}“五有”五项均{MET}的镇街商会（{TOWNSHIP}）",
    "unassessed": f"{TOWNSHIP}中，{YEAR}没有“五有”评估的商会",
    "item": f"{YEAR}“五有”中该项{MET}的镇街商会（{TOWNSHIP}）",
    "four_good": f"{YEAR}“四好”商会评估已核定、评定为示范商会或“四好”商会（总分75分及以上）的商会；按等次查看时为该等次的商会",
    "five_good": f"本工商联{YEAR}“五好”工商联自查经核定的总分（满分{FIVE_GOOD.max_total}分）；尚未核定时为“无数据”",
}


def year_of(period):
    return period.as_of().year


def _chambers(ids):
    return Chamber.objects.filter(pk__in=list(ids)).select_related("street").order_by("name", "id")


# --- registered figures --------------------------------------------------------------------------------------------
@ui.figure("honours.five_have_rate", label="镇街商会“五有”达标率", unit="%", definition=DEFINITIONS["rate"])
def five_have_rate(*, user, period):
    found = selectors.five_have_compliance(user, year=year_of(period))
    return found.rate, _chambers(check.chamber.pk for check in found.checks)


@ui.figure("honours.five_have_complete", label="“五有”全部达标的镇街商会", unit="个", definition=DEFINITIONS["complete"])
def five_have_complete(*, user, period):
    found = selectors.five_have_compliance(user, year=year_of(period))
    return _chambers(chamber.pk for chamber in found.complete)


@ui.figure("honours.five_have_unassessed", label="无本年度“五有”评估的镇街商会", unit="个",
           definition=DEFINITIONS["unassessed"])
def five_have_unassessed(*, user, period):
    found = selectors.five_have_compliance(user, year=year_of(period))
    return _chambers(chamber.pk for chamber in found.without_assessment)


def _item_figure(item):
    def measure(*, user, period):
        found = selectors.five_have_compliance(user, year=year_of(period)).item(item.code)
        return _chambers(chamber.pk for chamber in found.met)

    measure.__name__ = f"five_have_{item.code}"
    return ui.figure(f"honours.five_have_{item.code}", label=f"“五有”·{item.label}达标的镇街商会", unit="个",
                     definition=DEFINITIONS["item"].replace("该项", f"“{item.label}”"))(measure)


ITEM_FIGURES = {item.code: _item_figure(item) for item in FIVE_HAVE.items}


def _four_good(user, period):
    return (assessments_visible_to(user).filter(scheme=FOUR_GOOD.key, year=year_of(period),
                                                status=Assessment.Status.CONFIRMED)
            .select_related("chamber").order_by("-total_score", "chamber__name", "id"))


@ui.figure("honours.four_good_chambers", label="“四好”商会", unit="个", definition=DEFINITIONS["four_good"])
def four_good_chambers(*, user, period, level=None):
    rows = _four_good(user, period)
    if level is None:
        return rows.filter(level__in=selectors.good_levels())
    if level not in selectors.level_labels():
        raise Http404("没有该评定等次。")
    return rows.filter(level=level)


@ui.figure("honours.five_good_total", label="“五好”工商联自查总分", unit="分", definition=DEFINITIONS["five_good"])
def five_good_total(*, user, period):
    check = selectors.own_five_good(user, year=year_of(period))
    records = assessments_visible_to(user).filter(pk=check.pk if check else None)
    if check is None or check.status != Assessment.Status.CONFIRMED:
        return None, records
    return check.total_score, records


# --- the drill-down's columns ----------------------------------------------------------------------------------------
CHAMBER_COLUMNS = [
    Column("商会", "name", link=lambda c: reverse("orgs:chamber_detail", args=[c.pk]), wrap=True, sort="name"),
    Column("所在街道", "street.name"), Column("类型", "get_kind_display"), Column("状态", "get_status_display"),
]


def _subject(a):
    return a.chamber.name if a.chamber_id else a.federation.name


ASSESSMENT_COLUMNS = [
    Column("评估对象", _subject, link=lambda a: reverse("honours:assessment", args=[a.pk]), wrap=True),
    Column("评估类别", "get_scheme_display"), Column("年度", "year", sort="year"),
    Column("状态", "get_status_display"), Column("总分", "total_score", sort="total_score"),
    Column("评定等次", "level"),
]
RECORD_COLUMNS = {
    **dict.fromkeys(("honours.five_have_rate", "honours.five_have_complete", "honours.five_have_unassessed",
                     *(f"honours.five_have_{code}" for code in ITEM_FIGURES)), CHAMBER_COLUMNS),
    "honours.four_good_chambers": ASSESSMENT_COLUMNS, "honours.five_good_total": ASSESSMENT_COLUMNS,
}
NARROWING = {"honours.four_good_chambers": ("level",)}
# The statistics page's headline cards of this part (the DESIGN §4 figure "镇街商会'五有'").
HEADLINE = ("honours.five_have_rate", "honours.four_good_chambers")


# --- the statistics page's sections ----------------------------------------------------------------------------------
def counted_card(key, value, period):
    """The card of figure `key` with a value the section has already counted (no query of its own)."""
    spec = ui.get(key)
    return card(ui.Figure(label=spec.label, definition=spec.definition, value=value, unit=spec.unit, key=key,
                          period=period), period)


def _five_have_section(user, period, year):
    found = selectors.five_have_compliance(user, year=year)
    rows = tuple(ui.Row((item.item.label, len(item.met), len(item.missing)), label=item.item.label,
                        records_url=records_url(f"honours.five_have_{item.item.code}", period))
                 for item in found.items)
    table = ui.FigureTable("镇街商会“五有”分项达标", (ui.Col("条目"), ui.Col("达标商会"), ui.Col("未达标商会")), rows,
                           row_header=True, dom_id="table-five-have-items", sheet="五有分项")
    return ui.FigureSection(
        title=f"镇街商会“五有”（{year}年）", dom_id="stats-five-have",
        figures=[counted_card("honours.five_have_rate", found.rate, period),
                 counted_card("honours.five_have_complete", len(found.complete), period),
                 counted_card("honours.five_have_unassessed", len(found.without_assessment), period)],
        note=f"镇街商会 {found.total} 个，“五有”全部达标 {len(found.complete)} 个；只计经工商联核实的条目。",
        chart=ui.Chart("ranking", SOURCE, "chart-five-have-items", "“五有”各项达标的镇街商会数，数据见下表",
                       key="fiveHaveItems", unit="个", max=str(found.total)) if found.total else None,
        chart_empty_text="范围内没有正常状态的街道（镇）商会", table=table,
        chart_data={SOURCE: {"fiveHaveItems": [{"name": item.item.label, "value": len(item.met)}
                                               for item in found.items]}})


def _four_good_section(user, period, year):
    found = selectors.four_good_levels(user, year=year)
    good = len(found.good)
    rows = tuple(ui.Row((label, len(assessments)), label=label,
                        records_url=records_url("honours.four_good_chambers", period, level=label))
                 for label, assessments in found.levels)
    rows += (ui.Row(("未核定", len(found.unconfirmed)), label="未核定"),
             ui.Row(("未参评", len(found.not_assessed)), label="未参评"))
    table = ui.FigureTable("“四好”商会（按评定等次）", (ui.Col("评定等次"), ui.Col("商会数")), rows, row_header=True,
                           dom_id="table-four-good-levels", sheet="四好商会")
    levels = [{"name": label, "value": len(assessments)} for label, assessments in found.levels if assessments]
    return ui.FigureSection(
        title=f"“四好”商会（{year}年）", dom_id="stats-four-good",
        figures=[counted_card("honours.four_good_chambers", good, period)],
        note=f"已核定 {len(found.confirmed)} 个，未核定 {len(found.unconfirmed)} 个，未参评 {len(found.not_assessed)} 个。",
        chart=ui.Chart("pie", SOURCE, "chart-four-good-levels", "各评定等次的商会数，数据见下表", key="fourGoodLevels")
        if levels else None, chart_empty_text="本年度尚无核定的“四好”商会评估", table=table,
        chart_data={SOURCE: {"fourGoodLevels": levels}})


def _five_good_section(user, period, year):
    check = selectors.own_five_good(user, year=year)
    confirmed = check is not None and check.status == Assessment.Status.CONFIRMED
    scores = {row.code: row.score for row in check.items.all()} if check else {}
    rows = tuple(ui.Row((item.label, item.max_score, scores.get(item.code) if confirmed else None), label=item.label)
                 for item in FIVE_GOOD.items)
    table = ui.FigureTable("“五好”工商联自查（分项）", (ui.Col("条目"), ui.Col("满分"), ui.Col("核定得分")), rows,
                           row_header=True, dom_id="table-five-good-items", sheet="五好自查")
    if check is None:
        note = f"{year}年尚无本工商联的“五好”自查。"
    elif confirmed:
        note = f"核定总分 {check.total_score} 分，评定为“{check.level}”。"
    else:
        note = f"自查{check.get_status_display()}，尚未核定。"
    return ui.FigureSection(title=f"“五好”工商联自查（{year}年）", dom_id="stats-five-good",
                            figures=[counted_card("honours.five_good_total", check.total_score if confirmed else None,
                                           period)], note=note, table=table)


def sections(*, user, period):
    """The assessments' part of the statistics page: the 五有 (cards, the items as a chart and a table), the 四好 by
    level, and — for the federation's roles — the 五好 self-check. A handful of queries whatever the data."""
    year = year_of(period)
    found = [_five_have_section(user, period, year), _four_good_section(user, period, year)]
    if role_of(user) in FEDERATION_ROLES:
        found.append(_five_good_section(user, period, year))
    return found
