"""Figures of 捐款捐物 (DESIGN §4: "436家民营企业捐款捐物658万元"), registered with the figures layer
(`shanglian.ui.figures`) with the records behind each, and the giving part of the statistics page
(`sections(user=, period=)`).

The donations of a figure are those the user reads (`selectors.scopes.donations_visible_to`: the federation's
roles every donation of their federations, a chamber secretary those its chamber organised) dated within the
period (`donated_on`, both ends included).

- 捐赠方 (distinct donors): the enterprise, person and chamber donors of those donations, each counted once however
  many donations it made and in however many campaigns; the records are the donations (a donor may have several).
- 捐赠企业 (enterprises donating, the seed's "436家民营企业"): the distinct donor enterprises; the records are the
  enterprises.
- 捐款 / 捐物折价 / 捐款捐物合计 in 万元: the cash, the goods' valuation and both, summed exactly to the fen
  (`amounts.fen`) and shown in 万元 with two places (`amounts.wan`, half up); the records are the donations with
  cash, with goods, and all of them.
- 捐赠笔数: the donations.

Narrowing (the drill-down of a table row): every figure here takes `campaign=` (a Campaign id, or "none": no
campaign), `chamber=` (the organising Chamber's id, or "none": organised by the federation itself), `section=` (a
GB/T 4754 门类 letter: donations of enterprises of that section, or "none": the person and chamber donors, who
have no industry), `donor_kind=` (enterprise/person/chamber) and `campaign_kind=` (a code of the dictionary
`welfare_campaign_kind`, e.g. "epidemic" 疫情防控: the donations to campaigns of that kind); an id outside the
user's scope or an unknown value is a 404. `RECORD_COLUMNS` gives each figure's columns for
`ui.figures.records_page`; `NARROWING` the parameters each takes.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Sum, Value, When
from django.http import Http404
from django.urls import reverse

from shanglian.common.models import DictItem, IndustryCode
from shanglian.common.money import fen, yuan_text
from shanglian.common.periods import Period
from shanglian.members.models import Enterprise
from shanglian.orgs.selectors import chambers_in_scope
from shanglian.ui import figures as ui
from shanglian.ui.listing import Column

from ..models import Donation
from ..selectors.scopes import campaigns_visible_to, donations_visible_to
from .amounts import chart_number, wan
from .links import records_url

SOURCE = "welfare-giving"  # the json_script element the giving charts read
YEARS = 5  # the by-year table: the five years up to the period's last
NONE = "none"
DONOR_KINDS = dict(Donation.DonorKind.choices)

IN_PERIOD = "捐赠日期在统计期间内的捐赠"
SCOPE = "（商会秘书处为本商会组织的捐赠）"
DONORS = (f"{IN_PERIOD}{SCOPE}的捐赠方数：企业、个人、商会捐赠方各自去重计数，同一捐赠方多次捐赠、在多个公益项目中捐赠只计一次；"
          "记录为这些捐赠")
ENTERPRISES = f"{IN_PERIOD}{SCOPE}中捐款或捐物的企业数（同一企业只计一次）；记录为这些企业"
CASH = f"{IN_PERIOD}{SCOPE}的捐款金额之和，精确到分后折算为万元（保留两位小数，四舍五入）；记录为有捐款的捐赠"
GOODS = f"{IN_PERIOD}{SCOPE}的捐赠物资折价之和，精确到分后折算为万元（保留两位小数，四舍五入）；记录为有捐物的捐赠"
TOTAL = f"{IN_PERIOD}{SCOPE}的捐款金额与物资折价之和，精确到分后折算为万元（保留两位小数，四舍五入）；记录为这些捐赠"
COUNT = f"{IN_PERIOD}{SCOPE}的笔数"


# --- sums --------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Totals:
    """What a set of donations adds up to: its count, its distinct donors by kind, cash and goods in yuan (exact)."""

    donations: int = 0
    enterprises: int = 0
    persons: int = 0
    chambers: int = 0
    cash: Decimal = Decimal("0.00")
    goods: Decimal = Decimal("0.00")

    @property
    def donors(self):
        return self.enterprises + self.persons + self.chambers

    @property
    def total(self):
        return self.cash + self.goods

    def cells(self):
        """The numbers of a table row: 笔数, 捐赠方, 捐款, 捐物折价, 合计 (万元)."""
        return (self.donations, self.donors, wan(self.cash), wan(self.goods), wan(self.total))


def _aggregates():
    return {"n": Count("pk"), "enterprises": Count("donor_enterprise", distinct=True),
            "persons": Count("donor_person", distinct=True), "chambers": Count("donor_chamber", distinct=True),
            "cash": Sum("cash"), "goods": Sum("goods_value")}


def _totals(row):
    return Totals(row["n"] or 0, row["enterprises"] or 0, row["persons"] or 0, row["chambers"] or 0,
                  fen(row["cash"]), fen(row["goods"]))


def totals(donations):
    """`Totals` of a queryset of donations (one query)."""
    return _totals(donations.order_by().aggregate(**_aggregates()))


def grouped(donations, *fields):
    """[({field: value}, Totals)] of a queryset of donations grouped by `fields` (one grouped query)."""
    rows = donations.order_by().values(*fields).annotate(**_aggregates())
    return [({name: row[name] for name in fields}, _totals(row)) for row in rows]


# --- the records ------------------------------------------------------------------------------------------------
def _narrowed(user, rows, *, campaign=None, chamber=None, section=None, donor_kind=None, campaign_kind=None):
    """`rows` of one table row (see the module's docstring); 404 for an id outside the scope or an unknown value."""
    if campaign_kind is not None:
        if not DictItem.objects.filter(kind="welfare_campaign_kind", code=campaign_kind).exists():
            raise Http404("没有该公益项目类别。")
        rows = rows.filter(campaign__kind__code=campaign_kind)
    if campaign is not None:
        if campaign == NONE:
            rows = rows.filter(campaign__isnull=True)
        elif campaigns_visible_to(user).filter(pk=campaign).exists():
            rows = rows.filter(campaign_id=campaign)
        else:
            raise Http404("没有该公益项目。")
    if chamber is not None:
        if chamber == NONE:
            rows = rows.filter(chamber__isnull=True)
        elif chambers_in_scope(user).filter(pk=chamber).exists():
            rows = rows.filter(chamber_id=chamber)
        else:
            raise Http404("没有该商会。")
    if section is not None:
        if section == NONE:
            rows = rows.exclude(donor_kind=Donation.DonorKind.ENTERPRISE)
        elif IndustryCode.objects.filter(code=section, level=IndustryCode.Level.SECTION).exists():
            rows = rows.filter(donor_enterprise__industry__section=section)
        else:
            raise Http404("没有该行业门类。")
    if donor_kind is not None:
        if donor_kind not in DONOR_KINDS:
            raise Http404("没有该捐赠方类型。")
        rows = rows.filter(donor_kind=donor_kind)
    return rows


def donations_in(user, period, **narrowing):
    """The donations the user reads dated within `period`, optionally of one table row."""
    rows = donations_visible_to(user).filter(donated_on__gte=period.start, donated_on__lte=period.end)
    return _narrowed(user, rows, **narrowing)


# --- registered figures ------------------------------------------------------------------------------------------
@ui.figure("welfare.donations", label="捐赠笔数", unit="笔", definition=COUNT)
def donations(*, user, period, campaign=None, chamber=None, section=None, donor_kind=None,
        campaign_kind=None):
    return donations_in(user, period, campaign=campaign, chamber=chamber, section=section, donor_kind=donor_kind,
                        campaign_kind=campaign_kind)


@ui.figure("welfare.donors", label="捐赠方", unit="个", definition=DONORS)
def donors(*, user, period, campaign=None, chamber=None, section=None, donor_kind=None,
        campaign_kind=None):
    rows = donations_in(user, period, campaign=campaign, chamber=chamber, section=section, donor_kind=donor_kind,
                        campaign_kind=campaign_kind)
    return totals(rows).donors, rows


@ui.figure("welfare.donor_enterprises", label="捐赠企业", unit="家", definition=ENTERPRISES)
def donor_enterprises(*, user, period, campaign=None, chamber=None, section=None, donor_kind=None,
        campaign_kind=None):
    rows = donations_in(user, period, campaign=campaign, chamber=chamber, section=section, donor_kind=donor_kind,
                        campaign_kind=campaign_kind)
    return Enterprise.objects.filter(pk__in=rows.filter(donor_enterprise__isnull=False).values("donor_enterprise_id")
                                     ).select_related("industry")


@ui.figure("welfare.cash", label="捐款", unit="万元", definition=CASH)
def cash(*, user, period, campaign=None, chamber=None, section=None, donor_kind=None,
        campaign_kind=None):
    rows = donations_in(user, period, campaign=campaign, chamber=chamber, section=section, donor_kind=donor_kind,
                        campaign_kind=campaign_kind)
    return wan(totals(rows).cash), rows.filter(cash__gt=0)


@ui.figure("welfare.goods", label="捐物折价", unit="万元", definition=GOODS)
def goods(*, user, period, campaign=None, chamber=None, section=None, donor_kind=None,
        campaign_kind=None):
    rows = donations_in(user, period, campaign=campaign, chamber=chamber, section=section, donor_kind=donor_kind,
                        campaign_kind=campaign_kind)
    return wan(totals(rows).goods), rows.filter(goods_value__gt=0)


@ui.figure("welfare.total", label="捐款捐物合计", unit="万元", definition=TOTAL)
def total(*, user, period, campaign=None, chamber=None, section=None, donor_kind=None,
        campaign_kind=None):
    rows = donations_in(user, period, campaign=campaign, chamber=chamber, section=section, donor_kind=donor_kind,
                        campaign_kind=campaign_kind)
    return wan(totals(rows).total), rows


# --- the drill-down's columns ------------------------------------------------------------------------------------
def _yuan(amount):
    return yuan_text(amount) if amount else None


DONATION_COLUMNS = [
    Column("证书编号", "number", link=lambda d: reverse("welfare:donation", args=[d.pk]), sort="number"),
    Column("捐赠方", lambda d: f"{d.get_donor_kind_display()}：{d.donor}", wrap=True),
    Column("捐赠日期", "donated_on", sort="donated_on"),
    Column("捐款（元）", lambda d: _yuan(d.cash), sort="cash"),
    Column("捐赠物资", "goods_description", wrap=True),
    Column("物资折价（元）", lambda d: _yuan(d.goods_value), sort="goods_value"),
    Column("公益项目", lambda d: d.campaign.name if d.campaign_id else None, wrap=True),
    Column("组织商会", lambda d: d.chamber.name if d.chamber_id else None, wrap=True),
]
ENTERPRISE_COLUMNS = [
    Column("企业名称", "name", link=lambda e: reverse("members:enterprise_detail", args=[e.pk]), wrap=True,
           sort="name"),
    Column("统一社会信用代码", "uscc"),
    Column("行业", lambda e: e.industry.name, wrap=True),
]
KEYS = ("welfare.donations", "welfare.donors", "welfare.donor_enterprises", "welfare.cash", "welfare.goods",
        "welfare.total")
RECORD_COLUMNS = {**dict.fromkeys(KEYS, DONATION_COLUMNS), "welfare.donor_enterprises": ENTERPRISE_COLUMNS}
NARROWING = dict.fromkeys(KEYS, ("campaign", "chamber", "section", "donor_kind", "campaign_kind"))


# --- the statistics page's sections --------------------------------------------------------------------------------
COLUMNS = (ui.Col("捐赠笔数"), ui.Col("捐赠方"), ui.Col("捐款（万元）"), ui.Col("捐物折价（万元）"), ui.Col("合计（万元）"))
DONORS_NOTE = "捐赠方按企业、个人、商会各自去重计数；合计行的捐赠方为去重后的数目，同一捐赠方出现在多行时只计一次，故可能小于各行之和。"


def _row(name, found, url, *, total_row=False):
    return ui.Row((name, *found.cells()), label=name, records_url=url, total=total_row)


def _ordered(groups):
    """Groups by their total (largest first), the one without a key (None) last."""
    return sorted(groups, key=lambda item: (next(iter(item[0].values())) is None, -item[1].total,
                                             str(next(iter(item[0].values())))))


def _table(title, first, rows, overall, period, dom_id, empty_text="统计期间没有捐赠"):
    shown = tuple(rows)
    if shown:
        shown += (_row("合计", overall, records_url("welfare.total", period), total_row=True),)
    return ui.FigureTable(title, (ui.Col(first), *COLUMNS), shown, row_header=True, dom_id=dom_id,
                          empty_text=empty_text)


def _ranking(rows):
    return [{"name": row.cells[0], "value": chart_number(row.cells[5])} for row in rows]


def _by_campaign(rows, overall, period):
    shown = [_row(key["campaign__name"] or "未归入公益项目", found,
                  records_url("welfare.total", period, campaign=key["campaign_id"] or NONE))
             for key, found in _ordered(grouped(rows, "campaign_id", "campaign__name"))]
    return ui.FigureSection(
        title=f"捐款捐物（按公益项目，{period.label}）", dom_id="stats-giving-campaigns", note=DONORS_NOTE,
        chart=ui.Chart("ranking", SOURCE, "chart-giving-campaigns", "各公益项目捐款捐物合计（万元），数据见下表",
                       key="giftCampaigns", unit="万元") if shown else None,
        chart_empty_text="统计期间没有捐赠",
        table=_table("捐款捐物（按公益项目）", "公益项目", shown, overall, period, "table-giving-campaigns"),
        chart_data={SOURCE: {"giftCampaigns": _ranking(shown)}})


def _by_chamber(rows, overall, period):
    shown = [_row(key["chamber__name"] or "工商联直接组织", found,
                  records_url("welfare.total", period, chamber=key["chamber_id"] or NONE))
             for key, found in _ordered(grouped(rows, "chamber_id", "chamber__name"))]
    return ui.FigureSection(
        title=f"捐款捐物（按组织商会，{period.label}）", dom_id="stats-giving-chambers",
        table=_table("捐款捐物（按组织商会）", "组织商会", shown, overall, period, "table-giving-chambers"))


def _by_industry(rows, overall, period):
    groups = _ordered(grouped(rows, "donor_enterprise__industry__section"))
    letters = [key["donor_enterprise__industry__section"] for key, _found in groups
               if key["donor_enterprise__industry__section"]]
    names = dict(IndustryCode.objects.filter(level=IndustryCode.Level.SECTION, code__in=letters)
                 .values_list("code", "name")) if letters else {}
    shown = []
    for key, found in groups:
        letter = key["donor_enterprise__industry__section"]
        name = f"{letter} {names.get(letter, '')}".strip() if letter else "个人、商会捐赠方（不分行业）"
        shown.append(_row(name, found, records_url("welfare.total", period, section=letter or NONE)))
    companies = [row for row in shown if not row.label.startswith("个人")]
    return ui.FigureSection(
        title=f"捐款捐物（按捐赠企业行业，{period.label}）", dom_id="stats-giving-industries",
        note="行业为捐赠企业的国民经济行业分类（GB/T 4754-2017）门类；个人和商会捐赠方不分行业，单列一行。",
        chart=ui.Chart("ranking", SOURCE, "chart-giving-industries", "各行业门类企业捐款捐物合计（万元），数据见下表",
                       key="giftIndustries", unit="万元") if companies else None,
        chart_empty_text="统计期间没有企业捐赠",
        table=_table("捐款捐物（按行业门类）", "行业门类", shown, overall, period, "table-giving-industries"),
        chart_data={SOURCE: {"giftIndustries": _ranking(companies)}})


def _by_donor_kind(rows, overall, period):
    found = {key["donor_kind"]: value for key, value in grouped(rows, "donor_kind")}
    shown = [_row(label, found[kind], records_url("welfare.total", period, donor_kind=kind))
             for kind, label in Donation.DonorKind.choices if kind in found]
    return ui.FigureSection(
        title=f"捐款捐物（按捐赠方类型，{period.label}）", dom_id="stats-giving-donor-kinds",
        chart=ui.Chart("pie", SOURCE, "chart-giving-donor-kinds", "各类捐赠方捐款捐物合计（万元），数据见下表",
                       key="giftDonorKinds") if shown else None,
        chart_empty_text="统计期间没有捐赠",
        table=_table("捐款捐物（按捐赠方类型）", "捐赠方类型", shown, overall, period, "table-giving-donor-kinds"),
        chart_data={SOURCE: {"giftDonorKinds": _ranking(shown)}})


def year_totals(user, last, years=YEARS):
    """{year: Totals} of the donations the user reads in the `years` calendar years up to `last` (every year
    present). One grouped query; the year is a CASE over the years' dates (no date function per row)."""
    span = range(last - years + 1, last + 1)
    whens = [When(donated_on__gte=date(year, 1, 1), donated_on__lte=date(year, 12, 31), then=Value(year))
             for year in span]
    rows = (donations_visible_to(user).filter(donated_on__gte=date(span[0], 1, 1), donated_on__lte=date(last, 12, 31))
            .annotate(year=Case(*whens, output_field=IntegerField())))
    found = {key["year"]: value for key, value in grouped(rows, "year")}
    return {year: found.get(year, Totals()) for year in span}


def _by_year(user, period):
    by_year = year_totals(user, period.end.year)
    shown = [_row(f"{year}年", found, records_url("welfare.total", Period.year(year)))
             for year, found in by_year.items()]
    first, last = next(iter(by_year)), period.end.year
    return ui.FigureSection(
        title=f"捐款捐物（按年度，{first}—{last}年）", dom_id="stats-giving-years",
        note="按捐赠日期所在年度统计，不受统计期间限制（截至统计期间所在年度）。",
        chart=ui.Chart("combo", SOURCE, "chart-giving-years", "各年度捐款、捐物折价（万元）与捐赠笔数，数据见下表",
                       categories="giftYears", bars="giftYearCash:捐款（万元）;giftYearGoods:捐物折价（万元）",
                       lines="giftYearCount:捐赠笔数", axes="万元;笔"),
        table=ui.FigureTable("捐款捐物（按年度）", (ui.Col("年度"), *COLUMNS), tuple(shown), row_header=True,
                             dom_id="table-giving-years"),
        chart_data={SOURCE: {"giftYears": [row.cells[0] for row in shown],
                             "giftYearCash": [chart_number(row.cells[3]) for row in shown],
                             "giftYearGoods": [chart_number(row.cells[4]) for row in shown],
                             "giftYearCount": [row.cells[1] for row in shown]}})


def sections(*, user, period):
    """The giving part of the statistics page: by campaign, by year (the five years up to the period's), by
    organising chamber, by the donor enterprises' industry section and by donor kind. Seven queries whatever
    the data."""
    rows = donations_in(user, period).select_related(None)
    overall = totals(rows)
    return [_by_campaign(rows, overall, period), _by_year(user, period), _by_chamber(rows, overall, period),
            _by_industry(rows, overall, period), _by_donor_kind(rows, overall, period)]


__all__ = ["NARROWING", "RECORD_COLUMNS", "Totals", "donations_in", "grouped", "sections", "totals",
           "year_totals"]
