"""Figures of 结对帮扶 and of the target villages' coverage (DESIGN §4: "159个贫困村全覆盖"), registered with the
figures layer (`shanglian.ui.figures`) with the records behind each, and the pairing part of the statistics page
(`sections(user=, period=)`).

The day of these figures is the period's end, or today while the period runs (`Period.as_of`): a pairing is in
force that day when it started on or before it and has not ended before it (`models.pairing_in_force_q`).

- 在期结对: the pairings the user reads (`scopes.pairings_visible_to`: a chamber secretary its chamber's and its
  active member enterprises') in force that day; `kind=` narrows to one kind (产业/就业/消费/助学/公益).
- 参与结对帮扶的企业, 参与结对帮扶的商会 (the seeds' "30余家民营企业", "12家商会参与了脱贫攻坚行动"): the distinct
  enterprise and chamber partners of those pairings (`kind=` too); the records are the enterprises, the chambers.
- 帮扶目标村, 已结对目标村, 未结对目标村, 帮扶村结对覆盖率: the target villages (`Village.is_target`) of the reader's
  federations — a chamber secretary's its chamber's federation's, the same as the federation's (village names are
  not personal data, coverage is the federation's work; `selectors.pairings` says so) — and those with a pairing in
  force that day, whoever the partner; the rate is paired ÷ target villages, None ("无数据") when there are none;
  its records are the target villages (the denominator). The target list has no history, so these are not
  compared with earlier periods (no 同比/环比).
"""

from django.http import Http404
from django.urls import reverse

from shanglian.common.money import fen
from shanglian.members.models import Enterprise
from shanglian.orgs.models import Chamber
from shanglian.ui import figures as ui
from shanglian.ui.listing import Column

from ..models import Pairing, pairing_in_force_q
from ..selectors import pairings as selectors
from ..selectors.scopes import pairings_visible_to
from .amounts import wan
from .links import counted_card, records_url

SOURCE = "welfare-pairings"  # the json_script element the pairing charts read
KIND_LABELS = dict(Pairing.Kind.choices)
AS_OF = "统计期末（期末晚于今天时为今天）"
IN_FORCE = f"{AS_OF}在期（已开始、未结束）"
TARGETS = f"{AS_OF}的帮扶目标村（商会秘书处为本商会所属工商联的帮扶目标村）"
PAIRED = f"有{IN_FORCE}结对（不论帮扶方）"
COVERAGE = (f"{TARGETS}中，{PAIRED}的村所占比例 = 已结对目标村 ÷ 帮扶目标村；非帮扶目标村不计；记录为帮扶目标村（分母）；"
            "没有帮扶目标村时为“无数据”")


# --- registered figures ------------------------------------------------------------------------------------------
def pairings_on(user, on, kind=None):
    """The pairings the user reads in force on `on`, optionally of one kind (404 for an unknown one)."""
    rows = pairings_visible_to(user).filter(pairing_in_force_q(on))
    if kind is not None:
        if kind not in KIND_LABELS:
            raise Http404("没有该帮扶类型。")
        rows = rows.filter(kind=kind)
    return rows


@ui.figure("welfare.pairings_in_force", label="在期结对", unit="个",
           definition=f"{IN_FORCE}的结对帮扶（商会秘书处为本商会及其在册会员企业的结对）")
def pairings_in_force(*, user, period, kind=None):
    return pairings_on(user, period.as_of(), kind)


@ui.figure("welfare.pairing_enterprises", label="参与结对帮扶的企业", unit="家",
           definition=f"有{IN_FORCE}结对帮扶的帮扶企业（同一企业结对多个村只计一次；商会秘书处为本商会在册会员企业）")
def pairing_enterprises(*, user, period, kind=None):
    pairings = pairings_on(user, period.as_of(), kind).filter(enterprise__isnull=False)
    return Enterprise.objects.filter(pk__in=pairings.order_by().values("enterprise_id")).select_related("industry")


@ui.figure("welfare.pairing_chambers", label="参与结对帮扶的商会", unit="个",
           definition=f"有{IN_FORCE}结对帮扶的帮扶商会（同一商会结对多个村只计一次；商会秘书处为本商会）")
def pairing_chambers(*, user, period, kind=None):
    pairings = pairings_on(user, period.as_of(), kind).filter(chamber__isnull=False)
    return Chamber.objects.filter(pk__in=pairings.order_by().values("chamber_id"))


@ui.figure("welfare.target_villages", label="帮扶目标村", unit="个", compare=False, definition=TARGETS)
def target_villages(*, user, period):
    return selectors.target_villages(user, on=period.as_of())


@ui.figure("welfare.paired_villages", label="已结对目标村", unit="个", compare=False,
           definition=f"{TARGETS}中{PAIRED}的村")
def paired_villages(*, user, period):
    return selectors.target_villages(user, on=period.as_of()).filter(paired=True)


@ui.figure("welfare.unpaired_villages", label="未结对目标村", unit="个", compare=False, alert=True,
           definition=f"{TARGETS}中没有{IN_FORCE}结对的村")
def unpaired_villages(*, user, period):
    return selectors.target_villages(user, on=period.as_of()).filter(paired=False)


@ui.figure("welfare.village_coverage", label="帮扶村结对覆盖率", unit="%", compare=False, definition=COVERAGE)
def village_coverage(*, user, period):
    on = period.as_of()
    return selectors.coverage(user, on=on).rate, selectors.target_villages(user, on=on)


# --- the drill-down's columns --------------------------------------------------------------------------------------
PAIRING_COLUMNS = [
    Column("结对村", "village.name", link=lambda p: reverse("welfare:pairing", args=[p.pk]), wrap=True,
           sort="village__name"),
    Column("帮扶方", lambda p: str(p.partner), wrap=True),
    Column("帮扶类型", "get_kind_display", sort="kind"),
    Column("开始日期", "start", sort="start"),
    Column("结束日期", "end", sort="end"),
]
VILLAGE_COLUMNS = [
    Column("村名", "name", sort="name"),
    Column("所在县（区）", "county", sort="county"),
    Column("行政区划代码", "region_code"),
    Column("结对", lambda v: "已结对" if v.paired else "未结对", tag=lambda v: "tag-success" if v.paired else "tag-danger"),
]
PARTNER_ENTERPRISE_COLUMNS = [
    Column("企业名称", "name", link=lambda e: reverse("members:enterprise_detail", args=[e.pk]), wrap=True,
           sort="name"),
    Column("统一社会信用代码", "uscc"),
    Column("行业", lambda e: e.industry.name, wrap=True),
]
PARTNER_CHAMBER_COLUMNS = [
    Column("商会名称", "name", link=lambda c: reverse("orgs:chamber_detail", args=[c.pk]), wrap=True, sort="name"),
    Column("类型", "get_kind_display", sort="kind"),
]
RECORD_COLUMNS = {"welfare.pairings_in_force": PAIRING_COLUMNS,
                  "welfare.pairing_enterprises": PARTNER_ENTERPRISE_COLUMNS,
                  "welfare.pairing_chambers": PARTNER_CHAMBER_COLUMNS,
                  **dict.fromkeys(("welfare.target_villages", "welfare.paired_villages", "welfare.unpaired_villages",
                                   "welfare.village_coverage"), VILLAGE_COLUMNS)}
NARROWING = dict.fromkeys(("welfare.pairings_in_force", "welfare.pairing_enterprises", "welfare.pairing_chambers"),
                          ("kind",))


# --- the statistics page's sections ----------------------------------------------------------------------------------
def _cells(name, row):
    return (name, row["n"] or 0, row["villages"] or 0, wan(fen(row["committed"])), wan(fen(row["delivered"])))


def sections(*, user, period):
    """The pairing part of the statistics page: the pairings in force by kind (with the villages they reach and
    the amounts committed and delivered), the target villages' coverage and the unpaired ones. Five queries
    whatever the data."""
    on = period.as_of()
    day = f"{on:%Y年%-m月%-d日}"
    by_kind, overall = selectors.pairings_by_kind(user, on=on)
    found = selectors.coverage(user, on=on)
    unpaired = list(selectors.target_villages(user, on=on).filter(paired=False).order_by("county", "name", "id"))

    kinds = [(kind, label, by_kind[kind]) for kind, label in Pairing.Kind.choices if kind in by_kind]
    rows = tuple(ui.Row(_cells(label, row), label=label,
                        records_url=records_url("welfare.pairings_in_force", period, kind=kind))
                 for kind, label, row in kinds)
    if rows:
        rows += (ui.Row(_cells("合计", overall), label="合计", total=True,
                        records_url=records_url("welfare.pairings_in_force", period)),)
    kind_table = ui.FigureTable(
        "在期结对（按帮扶类型）", (ui.Col("帮扶类型"), ui.Col("在期结对"), ui.Col("结对村"), ui.Col("承诺投入（万元）"),
                             ui.Col("已投入（万元）")),
        rows, row_header=True, dom_id="table-pairing-kinds", empty_text="统计期末没有在期的结对帮扶")
    village_table = ui.FigureTable(
        "未结对的帮扶目标村", (ui.Col("村名"), ui.Col("所在县（区）"), ui.Col("行政区划代码")),
        tuple(ui.Row((v.name, v.county or "—", v.region_code or "—"), label=v.name) for v in unpaired),
        row_header=True, numbered=True, dom_id="table-unpaired-villages",
        empty_text="帮扶目标村已全部结对" if found.targets else "暂无帮扶目标村")
    coverage_cards = [
        counted_card("welfare.village_coverage", found.rate, period),
        counted_card("welfare.target_villages", found.targets, period),
        counted_card("welfare.paired_villages", found.paired, period),
        counted_card("welfare.unpaired_villages", found.unpaired, period),
    ]
    return [
        ui.FigureSection(
            title=f"结对帮扶（{day}）", dom_id="stats-pairings",
            figures=[counted_card("welfare.pairings_in_force", overall["n"] or 0, period)],
            note="结对村按村去重：同一村有多个在期结对时只计一次，故合计可能小于各类型之和。",
            chart=ui.Chart("pie", SOURCE, "chart-pairing-kinds", "各帮扶类型在期结对数，数据见下表", key="pairingKinds")
            if kinds else None, chart_empty_text="统计期末没有在期的结对帮扶", table=kind_table,
            chart_data={SOURCE: {"pairingKinds": [{"name": label, "value": row["n"]} for _k, label, row in kinds]}}),
        ui.FigureSection(
            title=f"帮扶村覆盖（{day}）", dom_id="stats-coverage", figures=coverage_cards,
            note="结对覆盖率 = 有在期结对的帮扶目标村 ÷ 帮扶目标村；下表为未结对的帮扶目标村。", table=village_table),
    ]


__all__ = ["NARROWING", "RECORD_COLUMNS", "sections"]
