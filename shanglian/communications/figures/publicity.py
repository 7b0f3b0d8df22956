"""Figures of 宣传 (the seeds' "成功宣传企业家近百人"), registered with the figures layer with the records behind each,
and the publicity part of the statistics page (`sections(user=, period=)`).

The articles of a figure are those the user reads (`selectors.scopes.articles_visible_to`: the federation's roles
and the chambers of the federation) published (`published_on`) within the period.

- 宣传报道 (`communications.articles`): those articles.
- 宣传人物 (`communications.persons_featured`): the distinct persons they feature — each once however many articles
  feature them; the records are the persons.
- 宣传企业 (`communications.enterprises_featured`): the distinct enterprises they feature; the records are the
  enterprises.

Narrowing: `level=` (an `OutletLevel` value) and `kind=` (an `Article.Kind` value); an unknown value is a 404.
"""

from datetime import date

from django.db.models import Count
from django.http import Http404
from django.urls import reverse

from shanglian.common.periods import Period
from shanglian.members.models import Enterprise, Person
from shanglian.ui import figures as ui
from shanglian.ui.listing import Column

from ..models import Article, OutletLevel
from ..selectors.scopes import articles_visible_to
from .common import grouped, year_case, year_span
from .links import counted_card, records_url

SOURCE = "communications-publicity"  # the json_script element the publicity charts read
LEVELS = dict(OutletLevel.choices)
KINDS = dict(Article.Kind.choices)
PERSONS = Article.persons.through
ENTERPRISES = Article.enterprises.through

ARTICLES = "刊发日期在统计期间内的宣传稿件（报道、专访、专栏、电视/视频等）"
FEATURED_PERSONS = "刊发日期在统计期间内的宣传稿件所宣传的人物，同一人物被多篇稿件宣传只计一次；记录为这些人物"
FEATURED_ENTERPRISES = "刊发日期在统计期间内的宣传稿件所宣传的企业，同一企业被多篇稿件宣传只计一次；记录为这些企业"


def articles_in(user, period, *, level=None, kind=None):
    rows = articles_visible_to(user).filter(published_on__gte=period.start, published_on__lte=period.end)
    if level is not None:
        if level not in LEVELS:
            raise Http404("没有该媒体级别。")
        rows = rows.filter(level=level)
    if kind is not None:
        if kind not in KINDS:
            raise Http404("没有该稿件类型。")
        rows = rows.filter(kind=kind)
    return rows


def _featured(through, field, articles):
    return through.objects.filter(article__in=articles.values("pk")).values(field)


@ui.figure("communications.articles", label="宣传报道", unit="篇", definition=ARTICLES)
def articles(*, user, period, level=None, kind=None):
    return articles_in(user, period, level=level, kind=kind)


@ui.figure("communications.persons_featured", label="宣传人物", unit="人", definition=FEATURED_PERSONS)
def persons_featured(*, user, period, level=None, kind=None):
    rows = articles_in(user, period, level=level, kind=kind)
    return Person.objects.filter(pk__in=_featured(PERSONS, "person_id", rows))


@ui.figure("communications.enterprises_featured", label="宣传企业", unit="家", definition=FEATURED_ENTERPRISES)
def enterprises_featured(*, user, period, level=None, kind=None):
    rows = articles_in(user, period, level=level, kind=kind)
    return Enterprise.objects.filter(pk__in=_featured(ENTERPRISES, "enterprise_id", rows)).select_related("industry")


ARTICLE_COLUMNS = [
    Column("标题", "title", link=lambda a: reverse("communications:article", args=[a.pk]), wrap=True, sort="title"),
    Column("媒体", "outlet", wrap=True, sort="outlet"),
    Column("媒体级别", lambda a: a.get_level_display()),
    Column("类型", lambda a: a.get_kind_display()),
    Column("刊发日期", "published_on", sort="published_on"),
]
PERSON_COLUMNS = [
    Column("姓名", "name", link=lambda p: reverse("members:person_detail", args=[p.pk]), sort="name"),
    Column("性别", lambda p: p.get_gender_display()),
    Column("新生代企业家", lambda p: "是" if p.is_new_generation else ""),
]
ENTERPRISE_COLUMNS = [
    Column("企业名称", "name", link=lambda e: reverse("members:enterprise_detail", args=[e.pk]), wrap=True,
           sort="name"),
    Column("统一社会信用代码", "uscc"),
    Column("行业", lambda e: e.industry.name if e.industry_id else None, wrap=True),
]
KEYS = ("communications.articles", "communications.persons_featured", "communications.enterprises_featured")
RECORD_COLUMNS = {"communications.articles": ARTICLE_COLUMNS, "communications.persons_featured": PERSON_COLUMNS,
                  "communications.enterprises_featured": ENTERPRISE_COLUMNS}
NARROWING = dict.fromkeys(KEYS, ("level", "kind"))
HEADLINE = KEYS


# --- the statistics page's sections --------------------------------------------------------------------------------
COLUMNS = (ui.Col("宣传报道"), ui.Col("宣传人物"), ui.Col("宣传企业"))
DISTINCT_NOTE = "宣传人物、宣传企业在每一行内去重；合计行为去重后的数目，同一人物或企业出现在多行时只计一次，故可能小于各行之和。"


def _counts(rows, field):
    """(articles, distinct persons, distinct enterprises) of `rows` grouped by `field`: three grouped queries."""
    found = grouped(rows, field, n=Count("pk"))
    persons = grouped(PERSONS.objects.filter(article__in=rows.values("pk")), f"article__{field}",
                      n=Count("person_id", distinct=True))
    companies = grouped(ENTERPRISES.objects.filter(article__in=rows.values("pk")), f"article__{field}",
                        n=Count("enterprise_id", distinct=True))

    def n(counts, key):
        return counts[key]["n"] if key in counts else 0

    return {key: (n(found, key), n(persons, key), n(companies, key)) for key in found}


def _overall(rows):
    return (rows.count(), _featured(PERSONS, "person_id", rows).distinct().count(),
            _featured(ENTERPRISES, "enterprise_id", rows).distinct().count())


def _by_level(rows, overall, period):
    found = _counts(rows, "level")
    shown = tuple(ui.Row((label, *found[value]), label=label,
                         records_url=records_url("communications.articles", period, level=value))
                  for value, label in OutletLevel.choices if value in found)
    if shown:
        shown += (ui.Row(("合计", *overall), label="合计", total=True,
                         records_url=records_url("communications.articles", period)),)
    return ui.FigureSection(
        title=f"宣传报道（按媒体级别，{period.label}）", dom_id="stats-publicity-levels", note=DISTINCT_NOTE,
        figures=[counted_card("communications.articles", overall[0], period),
                 counted_card("communications.persons_featured", overall[1], period),
                 counted_card("communications.enterprises_featured", overall[2], period)],
        chart=ui.Chart("pie", SOURCE, "chart-publicity-levels", "各级媒体宣传报道篇数，数据见下表",
                       key="articleLevels") if shown else None,
        chart_empty_text="统计期间没有宣传报道",
        table=ui.FigureTable("宣传报道（按媒体级别）", (ui.Col("媒体级别"), *COLUMNS), shown, row_header=True,
                             dom_id="table-publicity-levels", empty_text="统计期间没有宣传报道"),
        chart_data={SOURCE: {"articleLevels": [{"name": row.cells[0], "value": row.cells[1]}
                                               for row in shown if not row.total]}})


def _by_kind(rows, overall, period):
    found = _counts(rows, "kind")
    shown = tuple(ui.Row((label, *found[value]), label=label,
                         records_url=records_url("communications.articles", period, kind=value))
                  for value, label in Article.Kind.choices if value in found)
    if shown:
        shown += (ui.Row(("合计", *overall), label="合计", total=True,
                         records_url=records_url("communications.articles", period)),)
    return ui.FigureSection(
        title=f"宣传报道（按稿件类型，{period.label}）", dom_id="stats-publicity-kinds",
        table=ui.FigureTable("宣传报道（按稿件类型）", (ui.Col("稿件类型"), *COLUMNS), shown, row_header=True,
                             dom_id="table-publicity-kinds", empty_text="统计期间没有宣传报道"))


def _by_year(user, period):
    span = year_span(period.end.year)
    rows = articles_visible_to(user).filter(published_on__gte=date(span[0], 1, 1),
                                            published_on__lte=date(span[-1], 12, 31))
    found = _year_counts(rows, span)
    shown = tuple(ui.Row((f"{year}年", *found.get(year, (0, 0, 0))), label=f"{year}年",
                         records_url=records_url("communications.articles", Period.year(year)))
                  for year in span)
    return ui.FigureSection(
        title=f"宣传报道（按年度，{span[0]}—{span[-1]}年）", dom_id="stats-publicity-years",
        note="按刊发日期所在年度统计，不受统计期间限制（截至统计期间所在年度）；宣传人物、宣传企业在每一年内去重。",
        chart=ui.Chart("combo", SOURCE, "chart-publicity-years", "各年度宣传报道篇数与宣传人物、企业数，数据见下表",
                       categories="articleYears", bars="articleYearCount:宣传报道（篇）",
                       lines="articleYearPersons:宣传人物（人）;articleYearEnterprises:宣传企业（家）", axes="篇;人、家"),
        table=ui.FigureTable("宣传报道（按年度）", (ui.Col("年度"), *COLUMNS), shown, row_header=True,
                             dom_id="table-publicity-years"),
        chart_data={SOURCE: {"articleYears": [row.cells[0] for row in shown],
                             "articleYearCount": [row.cells[1] for row in shown],
                             "articleYearPersons": [row.cells[2] for row in shown],
                             "articleYearEnterprises": [row.cells[3] for row in shown]}})


def _year_counts(rows, span):
    """{year: (articles, distinct persons, distinct enterprises)} of `rows` in the years of `span`: three grouped
    queries, the year a CASE over the years' dates (no date function per row)."""
    case = year_case("published_on", span)
    found = grouped(rows.annotate(year=case), "year", n=Count("pk"))
    article_ids = rows.values("pk")
    persons = grouped(PERSONS.objects.filter(article__in=article_ids).annotate(
        year=year_case("article__published_on", span)), "year", n=Count("person_id", distinct=True))
    companies = grouped(ENTERPRISES.objects.filter(article__in=article_ids).annotate(
        year=year_case("article__published_on", span)), "year", n=Count("enterprise_id", distinct=True))

    def n(counts, key):
        return counts[key]["n"] if key in counts else 0

    return {year: (n(found, year), n(persons, year), n(companies, year)) for year in found}


def sections(*, user, period):
    """The publicity part: by outlet level, by year (the five years up to the period's) and by kind of article.
    Sixteen queries whatever the data."""
    rows = articles_in(user, period)
    overall = _overall(rows)
    return [_by_level(rows, overall, period), _by_year(user, period), _by_kind(rows, overall, period)]


__all__ = ["NARROWING", "RECORD_COLUMNS", "articles_in", "sections"]
