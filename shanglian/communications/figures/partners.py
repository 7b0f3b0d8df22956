"""Figures of 友好商会与对外交流 (the seeds' "与雄安新区、张家口市、赤峰市、宣化区、兴和县工商联缔结友好商会"), registered
with the figures layer with the records behind each, and the partners part of the statistics page
(`sections(user=, period=)`) — the federation's roles only (`selectors.scopes.partners_visible_to`; a chamber
secretary is refused, 403).

- 友好组织 (`communications.partners`): partners on the period's state day (`Period.as_of`): twinned (结好日期) on
  or before it, not ended by then (`selectors.partners.partners_in_force`).
- 签署合作协议 (`communications.agreements`): agreements signed within the period.
- 交流互访 (`communications.exchanges`): visits exchanged within the period, both directions.
- 交流人次 (`communications.exchange_delegates`): the delegates of those visits, summed; the records are the visits.

Narrowing: `direction=` (来访/出访) for the visits; an unknown value is a 404.
"""

from django.db.models import Count, Q, Sum
from django.http import Http404
from django.urls import reverse

from shanglian.ui import figures as ui
from shanglian.ui.listing import Column

from ..models import Agreement, Exchange
from ..selectors.partners import partners_in_force
from ..selectors.scopes import partners_visible_to
from .links import counted_card, records_url

DIRECTIONS = dict(Exchange.Direction.choices)

PARTNERS = "统计期末（期末晚于今天时为今天）已结好、未终止的友好工商联、商会等组织"
AGREEMENTS = "签署日期在统计期间内的与友好组织的合作协议"
EXCHANGES = "日期在统计期间内的与友好组织的交流互访（来访、出访）"
DELEGATES = "日期在统计期间内的交流互访的人数之和；记录为这些交流互访"


def exchanges_in(user, period, *, direction=None):
    rows = Exchange.objects.filter(partner__in=partners_visible_to(user).values("pk"), date__gte=period.start,
                                   date__lte=period.end).select_related("partner")
    if direction is None:
        return rows
    if direction not in DIRECTIONS:
        raise Http404("没有该交流方向。")
    return rows.filter(direction=direction)


@ui.figure("communications.partners", label="友好组织", unit="个", definition=PARTNERS)
def partners(*, user, period):
    return partners_in_force(user, period.as_of())


@ui.figure("communications.agreements", label="签署合作协议", unit="份", definition=AGREEMENTS)
def agreements(*, user, period):
    return Agreement.objects.filter(partner__in=partners_visible_to(user).values("pk"), signed_on__gte=period.start,
                                    signed_on__lte=period.end).select_related("partner")


@ui.figure("communications.exchanges", label="交流互访", unit="次", definition=EXCHANGES)
def exchanges(*, user, period, direction=None):
    return exchanges_in(user, period, direction=direction)


@ui.figure("communications.exchange_delegates", label="交流人次", unit="人次", definition=DELEGATES)
def exchange_delegates(*, user, period, direction=None):
    rows = exchanges_in(user, period, direction=direction)
    return rows.order_by().aggregate(n=Sum("delegates"))["n"] or 0, rows


PARTNER_COLUMNS = [
    Column("名称", "name", link=lambda p: reverse("communications:partner", args=[p.pk]), wrap=True, sort="name"),
    Column("类型", lambda p: p.get_kind_display()),
    Column("所在地区", "region", wrap=True),
    Column("结好日期", "since", sort="since"),
    Column("终止日期", "ended_on"),
]
AGREEMENT_COLUMNS = [
    Column("协议名称", "title", link=lambda a: reverse("communications:partner", args=[a.partner_id]), wrap=True),
    Column("友好组织", lambda a: a.partner.name, wrap=True),
    Column("签署日期", "signed_on", sort="signed_on"),
    Column("到期日期", "ends_on"),
]
EXCHANGE_COLUMNS = [
    Column("日期", "date", sort="date"),
    Column("方向", lambda e: e.get_direction_display()),
    Column("友好组织", lambda e: e.partner.name, link=lambda e: reverse("communications:partner",
                                                                       args=[e.partner_id]), wrap=True),
    Column("带队领导", "leader"),
    Column("人数", "delegates", sort="delegates"),
    Column("交流内容", "purpose", wrap=True),
]
RECORD_COLUMNS = {"communications.partners": PARTNER_COLUMNS, "communications.agreements": AGREEMENT_COLUMNS,
                  "communications.exchanges": EXCHANGE_COLUMNS, "communications.exchange_delegates": EXCHANGE_COLUMNS}
NARROWING = {"communications.exchanges": ("direction",), "communications.exchange_delegates": ("direction",)}
HEADLINE = ("communications.partners", "communications.agreements", "communications.exchanges",
            "communications.exchange_delegates")


def sections(*, user, period):
    """The partners part: the visits by direction (times, delegates) and each partner in being with its visits and
    agreements of the period. Five queries whatever the data."""
    day = period.as_of()
    shown = list(partners_in_force(user, day).order_by("since", "id"))
    visits = exchanges_in(user, period).select_related(None)
    by_direction = {row["direction"]: row for row in visits.order_by().values("direction").annotate(
        n=Count("pk"), people=Sum("delegates"))}
    by_partner = {row["partner_id"]: row for row in visits.order_by().values("partner_id").annotate(
        incoming=Count("pk", filter=Q(direction=Exchange.Direction.INCOMING)),
        outgoing=Count("pk", filter=Q(direction=Exchange.Direction.OUTGOING)), people=Sum("delegates"))}
    signed = {row["partner_id"]: row["n"] for row in agreements(user=user, period=period).select_related(None)
              .order_by().values("partner_id").annotate(n=Count("pk"))}
    direction_rows = tuple(
        ui.Row((label, by_direction[value]["n"], by_direction[value]["people"] or 0), label=label,
               records_url=records_url("communications.exchanges", period, direction=value))
        for value, label in Exchange.Direction.choices if value in by_direction)
    times = sum(row.cells[1] for row in direction_rows)
    people = sum(row.cells[2] for row in direction_rows)
    if direction_rows:
        direction_rows += (ui.Row(("合计", times, people), label="合计", total=True,
                                  records_url=records_url("communications.exchanges", period)),)

    def n(found, pk, key):
        return (found[pk][key] or 0) if pk in found else 0

    partner_rows = tuple(ui.Row((p.name, p.get_kind_display(), p.region, f"{p.since:%Y-%m-%d}",
                                 n(by_partner, p.pk, "incoming"), n(by_partner, p.pk, "outgoing"),
                                 n(by_partner, p.pk, "people"), signed.get(p.pk, 0)), label=p.name)
                         for p in shown)
    return [
        ui.FigureSection(
            title=f"交流互访（{period.label}）", dom_id="stats-exchanges",
            figures=[counted_card("communications.partners", len(shown), period),
                     counted_card("communications.agreements", sum(signed.values()), period),
                     counted_card("communications.exchanges", times, period),
                     counted_card("communications.exchange_delegates", people, period)],
            table=ui.FigureTable("交流互访（按方向）", (ui.Col("方向"), ui.Col("次数"), ui.Col("人次")),
                                 direction_rows, row_header=True, dom_id="table-exchanges",
                                 empty_text="统计期间没有交流互访")),
        ui.FigureSection(
            title=f"友好组织（截至{day:%Y年%-m月%-d日}；互访、协议按{period.label}）", dom_id="stats-partners",
            note="卡片和合计中的协议、互访含已终止友好关系的组织的。",
            table=ui.FigureTable("友好组织", (ui.Col("名称"), ui.Col("类型"), ui.Col("所在地区"), ui.Col("结好日期"),
                                           ui.Col("来访"), ui.Col("出访"), ui.Col("人次"), ui.Col("签署协议")),
                                 partner_rows, row_header=True, dom_id="table-partners",
                                 empty_text="没有友好组织")),
    ]


__all__ = ["NARROWING", "RECORD_COLUMNS", "exchanges_in", "sections"]
