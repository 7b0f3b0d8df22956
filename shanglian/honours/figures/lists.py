"""Figures of the award programmes' lists (DESIGN §4: "连续4年发布10强名单，共有120家企业上榜"), registered with the
figures layer (`shanglian.ui.figures`) with the records behind each, and the lists' part of the statistics page
(`sections(user=, period=)`, composed by `statistics_views`).

A list belongs to the year of its programme (评选年度), not to the day it was published; only the *current* version
of each category's list counts (a corrected list is counted once, as corrected). Definitions (the same words are
each figure's `definition`):

- **发布榜单** (`honours.lists_published`): the current lists of the programmes whose year is one of the period's
  years.
- **上榜企业** (`honours.enterprises_listed`): the distinct enterprises on those lists (an enterprise on several lists
  counts once).
- **累计上榜企业** (`honours.enterprises_honoured`): the distinct enterprises on the current lists of every programme
  whose year is not after the period's last year — the "共有120家企业上榜" of four years of lists: counted once
  however many years and lists it is on.
- **多次上榜企业** (`honours.enterprises_listed_repeatedly`): of those, the enterprises on two current lists or more
  (different years or different categories).
- **发布榜单年度** (`honours.list_years`): the programme years, not after the period's last year, with a current list
  (the "连续4年"); the records are those years' current lists.
- **提名** (`honours.nominations`): the nominations in force (not withdrawn) of the programmes whose year is one of
  the period's years.

Published lists are public to every reader of the federation (a chamber secretary sees the same lists as staff);
nominations are the user's scope (a chamber secretary its own). `category=` (a category's name, e.g. "依法纳税10强")
narrows the lists and their enterprises to one row of the category table; a name no list of the scope has is a 404.
The tables are grouped reads: the page's queries do not grow with the lists.
"""

from datetime import date

from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode

from shanglian.common.periods import Period
from shanglian.members.models import Enterprise
from shanglian.ui import figures as ui
from shanglian.ui.figures import figure
from shanglian.ui.listing import Column

from ..models import HonourListEntry, Nomination
from ..selectors.lists import CURRENT, lists_with_counts
from ..selectors.scopes import lists_visible_to, nominations_visible_to
from .links import card, records_url

SOURCE = "honours-lists"  # the json_script element the charts of these sections read
YEARS_SHOWN = 5  # the per-year table: at least the last five years
REPEATED_SHOWN = 50
CHART_TOP = 15
MAX_NAME = 60
DEFINITIONS = {
    "lists": "年度在统计期间内的评选活动发布的现行榜单（每个类别一份；榜单更正后按现行版本计，被更正的版本不计），按评选年度统计",
    "listed": "年度在统计期间内的现行榜单上的企业，同一企业上多个榜单只计一次",
    "honoured": "年度不晚于统计期末所在年度的全部现行榜单上的企业，跨年度、跨榜单只计一次（即“连续N年发布榜单，共有X家企业上榜”的X）",
    "repeated": "年度不晚于统计期末所在年度的现行榜单中，上榜两次及以上（不同年度或不同榜单）的企业",
    "years": "年度不晚于统计期末所在年度、发布了现行榜单的评选年度数；明细为这些年度的现行榜单",
    "nominations": "年度在统计期间内的评选活动中未撤回的提名",
}
FOOTNOTE = ("口径：榜单按评选年度统计，每个类别只计现行版本（更正后的版本），被更正的版本不计；上榜企业按企业计，同一企业上多个榜单只计一次；"
            "累计上榜企业、多次上榜企业和发布榜单年度统计到统计期末所在年度为止的全部年度；提名不含已撤回的。")


# --- the records behind the figures ----------------------------------------------------------------------------
def _current(user):
    return lists_visible_to(user).filter(superseded_at__isnull=True)


def _by_category(user, qs, category):
    if category is None:
        return qs
    name = str(category).strip()[:MAX_NAME]
    if not name or not _current(user).filter(category__name=name).exists():
        raise Http404("没有该榜单类别。")
    return qs.filter(category__name=name)


def lists_in(user, period, *, category=None):
    """The current lists of the scope whose programme's year is one of the period's years."""
    qs = _current(user).filter(category__programme__year__gte=period.start.year,
                               category__programme__year__lte=period.end.year)
    return _by_category(user, qs, category)


def lists_until(user, period):
    """The current lists of the scope whose programme's year is not after the period's last year."""
    return _current(user).filter(category__programme__year__lte=period.end.year)


def _enterprises_on(lists):
    """The distinct enterprises on `lists` (a semi-join), each with `times`: the number of those lists it is on."""
    on = HonourListEntry.objects.filter(honour_list__in=lists.values("pk"))
    return (Enterprise.objects.filter(pk__in=on.values("enterprise_id"))
            .annotate(times=Count("honour_entries", filter=Q(honour_entries__honour_list__in=lists.values("pk")))))


@figure("honours.lists_published", label="发布榜单", unit="份", definition=DEFINITIONS["lists"])
def lists_published(*, user, period, category=None):
    return lists_with_counts(user).filter(pk__in=lists_in(user, period, category=category).values("pk"))


@figure("honours.enterprises_listed", label="上榜企业", unit="家", definition=DEFINITIONS["listed"])
def enterprises_listed(*, user, period, category=None):
    return _enterprises_on(lists_in(user, period, category=category))


@figure("honours.enterprises_honoured", label="累计上榜企业", unit="家", definition=DEFINITIONS["honoured"])
def enterprises_honoured(*, user, period):
    return _enterprises_on(lists_until(user, period))


@figure("honours.enterprises_listed_repeatedly", label="多次上榜企业", unit="家", definition=DEFINITIONS["repeated"])
def enterprises_listed_repeatedly(*, user, period):
    return _enterprises_on(lists_until(user, period)).filter(times__gte=2)


@figure("honours.list_years", label="发布榜单年度", unit="年", definition=DEFINITIONS["years"])
def list_years(*, user, period):
    lists = lists_until(user, period)
    years = lists.order_by().values("category__programme__year").distinct().count()
    return years, lists_with_counts(user).filter(pk__in=lists.values("pk"))


@figure("honours.nominations", label="提名", unit="个", definition=DEFINITIONS["nominations"])
def nominations(*, user, period):
    return (nominations_visible_to(user).exclude(status=Nomination.Status.WITHDRAWN)
            .filter(category__programme__year__gte=period.start.year, category__programme__year__lte=period.end.year))


# The drill-down's columns of each figure (statistics_views' figure_records shows the records with them) and the
# parameters narrowing it to a row of the tables.
def _list_link(h):
    return reverse("honours:list", args=[h.pk])


def _enterprise_lists_url(e):
    """The published lists holding the enterprise (the list page searched by its name, current versions)."""
    return f"{reverse('honours:lists')}?{urlencode({'q': e.name, 'state': CURRENT})}"


LIST_COLUMNS = [
    Column("年度", lambda h: f"{h.category.programme.year}年", sort="category__programme__year"),
    Column("榜单", lambda h: h.category.name, link=_list_link, wrap=True),
    Column("评选活动", lambda h: h.category.programme.name, wrap=True),
    Column("版本", lambda h: f"第{h.version}版"),
    Column("上榜企业", lambda h: f"{h.entry_count} 家"),
]
ENTERPRISE_COLUMNS = [
    Column("企业", "name", link=_enterprise_lists_url, wrap=True, sort="name"),
    Column("上榜次数", "times", sort="times"),
]
NOMINATION_COLUMNS = [
    Column("被提名企业", "enterprise.name", link=lambda n: reverse("honours:nomination", args=[n.pk]), wrap=True),
    Column("年度", lambda n: f"{n.category.programme.year}年", sort="category__programme__year"),
    Column("评选类别", "category.name", wrap=True),
    Column("推荐商会", lambda n: n.chamber.name if n.chamber_id else None),
    Column("状态", "get_status_display"),
]
RECORD_COLUMNS = {
    "honours.lists_published": LIST_COLUMNS,
    "honours.list_years": LIST_COLUMNS,
    "honours.enterprises_listed": ENTERPRISE_COLUMNS,
    "honours.enterprises_honoured": ENTERPRISE_COLUMNS,
    "honours.enterprises_listed_repeatedly": ENTERPRISE_COLUMNS,
    "honours.nominations": NOMINATION_COLUMNS,
}
NARROWING = {"honours.lists_published": ("category",), "honours.enterprises_listed": ("category",)}
# The statistics page's headline cards of this part.
HEADLINE = ("honours.lists_published", "honours.enterprises_listed", "honours.enterprises_honoured",
            "honours.list_years")
FIGURES = ("honours.lists_published", "honours.enterprises_listed", "honours.enterprises_honoured",
           "honours.enterprises_listed_repeatedly", "honours.list_years", "honours.nominations")


# --- the sections --------------------------------------------------------------------------------------------
def _years(period):
    last = period.end.year
    return list(range(min(period.start.year, last - YEARS_SHOWN + 1), last + 1))


def _list_page_url(**params):
    return f"{reverse('honours:lists')}?{urlencode({**params, 'state': CURRENT})}"


def _cards(user, period):
    return [card(ui.compute(key, user=user, period=period, compare=ui.YEAR_AGO), period) for key in FIGURES]


def _year_section(user, period):
    """Per year: lists, enterprises listed, listed for the first time, listed so far, nominations."""
    years = _years(period)
    last = years[-1]
    lists = dict(lists_until(user, period).order_by().values("category__programme__year")
                 .annotate(n=Count("pk")).values_list("category__programme__year", "n"))
    pairs = set(HonourListEntry.objects.filter(honour_list__in=lists_until(user, period).values("pk"))
                .values_list("enterprise_id", "honour_list__category__programme__year"))
    first_year = {}
    for enterprise_id, year in pairs:
        first_year[enterprise_id] = min(year, first_year.get(enterprise_id, year))
    noms = dict(nominations_visible_to(user).exclude(status=Nomination.Status.WITHDRAWN)
                .filter(category__programme__year__in=years).order_by().values("category__programme__year")
                .annotate(n=Count("pk")).values_list("category__programme__year", "n"))
    rows, listed, new, so_far = [], [], [], []
    for year in years:
        on = len({e for e, y in pairs if y == year})
        first = sum(1 for y in first_year.values() if y == year)
        total = sum(1 for y in first_year.values() if y <= year)
        rows.append(ui.Row((year, lists.get(year, 0), on, first, total, noms.get(year, 0)), label=f"{year}年",
                           records_url=_list_page_url(year=year) if lists.get(year) else ""))
        listed.append(on)
        new.append(first)
        so_far.append(total)
    table = ui.FigureTable(
        "各年榜单", (ui.Col("年度", suffix="年"), ui.Col("发布榜单"), ui.Col("上榜企业"), ui.Col("首次上榜企业"),
                    ui.Col("累计上榜企业"), ui.Col("提名")),
        tuple(rows), dom_id="table-honour-years", sheet="各年榜单")
    chart = ui.Chart("combo", SOURCE, "chart-honour-years", "各年上榜企业、首次上榜企业与累计上榜企业，数据见下表",
                     categories="years", bars="yearListed:上榜企业;yearNew:首次上榜企业", lines="yearSoFar:累计上榜企业",
                     axes="家;家")
    return ui.FigureSection(
        title=f"各年榜单（{years[0]}—{last}年）", dom_id="stats-honour-years", chart=chart, table=table,
        note="按评选年度统计现行榜单；累计上榜企业为截至该年度上过榜的企业数，同一企业只计一次。",
        chart_data={SOURCE: {"years": [f"{year}年" for year in years], "yearListed": listed, "yearNew": new,
                             "yearSoFar": so_far}})


def _category_section(user, period):
    """Per category name (依法纳税10强 …): the enterprises on its current list of each year, and in all."""
    years = _years(period)
    shown = Period.custom(date(years[0], 1, 1), date(years[-1], 12, 31))
    counts = {}
    distinct = {}
    for name, year, enterprise_id in (HonourListEntry.objects
                                      .filter(honour_list__in=lists_in(user, shown).values("pk"))
                                      .values_list("honour_list__category__name",
                                                   "honour_list__category__programme__year", "enterprise_id")):
        counts[name, year] = counts.get((name, year), 0) + 1
        distinct.setdefault(name, set()).add(enterprise_id)
    rows = []
    for name in sorted(distinct, key=lambda n: (-len(distinct[n]), n)):
        rows.append(ui.Row((name, *[counts.get((name, year), "—") for year in years], len(distinct[name])), label=name,
                           records_url=records_url("honours.enterprises_listed", shown, category=name)))
    table = ui.FigureTable(
        "各类别上榜企业", (ui.Col("榜单类别"), *[ui.Col(f"{year}年") for year in years], ui.Col("合计上榜企业")),
        tuple(rows), row_header=True, dom_id="table-honour-categories", sheet="各类别上榜企业",
        empty_text="这些年度没有发布的榜单")
    return ui.FigureSection(
        title=f"各类别上榜企业（{years[0]}—{years[-1]}年）", dom_id="stats-honour-categories", table=table,
        note="各年度为该类别现行榜单的上榜企业数（“—”为该年度未发布），合计上榜企业同一企业只计一次。",
        chart=ui.Chart("ranking", SOURCE, "chart-honour-categories", "各类别合计上榜企业数，数据见下表",
                       key="categoryTotals") if rows else None, chart_empty_text="这些年度没有发布的榜单",
        chart_data={SOURCE: {"categoryTotals": [{"name": row.cells[0], "value": row.cells[-1]} for row in rows]}})


def _repeated_section(user, period):
    """The enterprises on two current lists or more (to the period's last year), most often first."""
    found = {}
    for enterprise_id, name, year, category in (
            HonourListEntry.objects.filter(honour_list__in=lists_until(user, period).values("pk"))
            .values_list("enterprise_id", "enterprise__name", "honour_list__category__programme__year",
                         "honour_list__category__name")):
        item = found.setdefault(enterprise_id, {"name": name, "years": set(), "lists": []})
        item["years"].add(year)
        item["lists"].append((year, category))
    repeated = sorted((item for item in found.values() if len(item["lists"]) >= 2),
                      key=lambda item: (-len(item["lists"]), item["name"]))
    rows = [ui.Row((item["name"], len(item["lists"]), "、".join(f"{y}年" for y in sorted(item["years"])),
                    "、".join(f"{y}年{c}" for y, c in sorted(item["lists"]))), label=item["name"],
                   records_url=f"{reverse('honours:lists')}?{urlencode({'q': item['name'], 'state': CURRENT})}")
            for item in repeated[:REPEATED_SHOWN]]
    note = f"共 {len(repeated)} 家" + (f"，列出上榜次数最多的 {REPEATED_SHOWN} 家" if len(repeated) > REPEATED_SHOWN else "")
    table = ui.FigureTable("多次上榜企业", (ui.Col("企业"), ui.Col("上榜次数"), ui.Col("上榜年度"), ui.Col("上榜榜单")),
                           tuple(rows), numbered=True, dom_id="table-honour-repeated", sheet="多次上榜企业",
                           empty_text="没有上榜两次及以上的企业")
    return ui.FigureSection(
        title=f"多次上榜企业（截至{period.end.year}年）", dom_id="stats-honour-repeated", table=table, note=note,
        chart=ui.Chart("ranking", SOURCE, "chart-honour-repeated", f"上榜次数最多的前{CHART_TOP}家企业，数据见下表",
                       key="repeated") if rows else None, chart_empty_text="没有上榜两次及以上的企业",
        chart_data={SOURCE: {"repeated": [{"name": row.cells[0], "value": row.cells[1]} for row in rows[:CHART_TOP]]}})


def sections(*, user, period):
    """The lists' part of the statistics page: the cards (with 同比), per year (the last five years at least), per
    category, and the enterprises listed more than once. Every chart reads the json_script `SOURCE`; each section
    carries its chart's keys of it (`chart_data`)."""
    return [
        ui.FigureSection(title=f"评选表彰（{period.label}）", dom_id="stats-honours", figures=_cards(user, period),
                         footnote=FOOTNOTE),
        _year_section(user, period),
        _category_section(user, period),
        _repeated_section(user, period),
    ]
