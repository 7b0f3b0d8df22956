"""光彩公益统计: one statistics page — the period form, the headline cards of the figures the work reports quote
(捐款捐物合计, 捐款, 捐物折价 in 万元; 捐赠方; 捐赠企业, the seed's "436家民营企业"; 捐赠笔数; the target villages'
结对覆盖率 and the pairings in force) with 同比, then the parts' sections (`figures.<part>.sections(user=, period=)`:
cards, charts, the same numbers in tables), the xlsx export (`?export=xlsx`, through `audited_export`) and the
drill-down to the records behind any `welfare.*` figure (`figure_records`).

Thin: parse the period, compose what the parts build on the user's scope, render with the one statistics-page
template (`ui/figures_page.html`). Who sees what is the scopes' (`selectors/scopes.py`): the federation's roles
their federations', a chamber secretary its chamber's donations and its chamber's and member enterprises'
pairings — and, like the federation, its federation's target villages' coverage (see `figures/pairings.py`);
the other roles 403. A rate over nothing shows 无数据, never 0 %.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from shanglian.accounts.roles import MEMBER_READER_ROLES, require_role
from shanglian.common.validators import is_id
from shanglian.imports.exports import audited_export
from shanglian.ui import figures as ui
from shanglian.ui.listing import Column
from shanglian.ui.periods import PeriodForm

from .figures import giving, pairings
from .figures.links import card
from .selectors.scopes import donations_visible_to

BREADCRUMBS = [("光彩公益", None), ("光彩公益统计", None)]
MAX_COMPARED_DAYS = 366  # a period compared with the same period a year earlier (同比): a year at most
PARTS = (giving, pairings)
HEADLINE = ("welfare.total", "welfare.cash", "welfare.goods", "welfare.donors", "welfare.donor_enterprises",
            "welfare.donations", "welfare.village_coverage", "welfare.pairings_in_force")
FOOTNOTE = ("口径：捐赠按捐赠日期在统计期间内统计，金额按元精确到分求和后折算为万元（保留两位小数，四舍五入），合计 = 捐款 + 物资折价；"
            "捐赠方按企业、个人、商会各自去重计数，同一捐赠方在多个公益项目、多次捐赠只计一次；结对帮扶与帮扶村覆盖按统计期末"
            "（期末晚于今天时为今天）在期的结对统计，结对覆盖率 = 有在期结对的帮扶目标村 ÷ 帮扶目标村，没有帮扶目标村时显示“无数据”。"
            "将鼠标移到指标上可查看各指标的完整口径。")
ID_OR_NONE_PARAMS = {"campaign", "chamber"}  # an id, or "none"
MAX_PARAM = 40


def _overall_table(cards):
    """The 总体 sheet of the export: each headline figure, now and a year earlier."""
    return ui.FigureTable("总体", (ui.Col("指标"), ui.Col("数值"), ui.Col("上年同期"), ui.Col("同比"), ui.Col("口径")),
                          tuple(ui.Row((f"{f.label}（{f.unit}）" if f.unit else f.label, f.value, f.year_ago,
                                        f.year_ago_change, f.definition)) for f in cards))


def _page(request):
    require_role(request.user, *MEMBER_READER_ROLES)
    user = request.user
    donations_visible_to(user)  # the scopes' refusal first
    form = PeriodForm(request.GET or None)
    period = form.period()
    compared = (period.end - period.start).days < MAX_COMPARED_DAYS
    cards = [card(ui.compute(key, user=user, period=period, compare=ui.YEAR_AGO if compared else False), period,
                  prefix="headline") for key in HEADLINE]
    headline = ui.FigureSection(
        title=f"核心指标（{period.label}）", dom_id="stats-headline", figures=cards,
        note="同比为与上年同期相比；帮扶村结对覆盖率按统计期末统计，不计同比。" if compared
        else "统计期间超过一年，不计同比。")
    sections = [headline, *[section for part in PARTS for section in part.sections(user=user, period=period)]]
    page = ui.FiguresPage(
        title="光彩公益统计", breadcrumbs=BREADCRUMBS, form=form.shown(),
        period_label=f"统计期间：{period.label}（结对、覆盖按期末统计）", reset_url=reverse("welfare:statistics"),
        export_url=f"{reverse('welfare:statistics')}?{urlencode({**form.query(), 'export': 'xlsx'})}",
        sections=sections, chart_data=ui.gather_chart_data(sections), footnote=FOOTNOTE)
    return page, period, cards


@never_cache
@login_required
def statistics(request):
    page, period, cards = _page(request)
    if request.GET.get("export") == "xlsx":
        return audited_export(actor=request.user, title="光彩公益统计", object_type="welfare.statistics",
                              sheets=ui.export_sheets(ui.export_tables([_overall_table(cards), *page.tables])),
                              detail={"report": "welfare_statistics", "start": period.start.isoformat(),
                                      "end": period.end.isoformat()})
    return render(request, "ui/figures_page.html", {"page": page, "breadcrumbs": page.breadcrumbs})


# --- drill-down --------------------------------------------------------------------------------------------------
def _link(obj):
    url = getattr(obj, "get_absolute_url", None)
    return url() if callable(url) else ""


FALLBACK_COLUMNS = [Column("记录", str, link=_link, wrap=True)]


def _declared(key, name):
    """What the part of figure `key` declares for it in its `RECORD_COLUMNS` or `NARROWING`."""
    for part in PARTS:
        found = getattr(part, name)
        if key in found:
            return found[key]
    return None


def _narrowing(request, key):
    """The table row a drill-down is of, as the figure takes it: a campaign or chamber id (checked before any
    query; a wrong one is 404) or "none", an industry section, a donor kind or a pairing kind (the figure's to
    refuse, 404)."""
    narrowing = {}
    for name in sorted(_declared(key, "NARROWING") or ()):
        value = (request.GET.get(name) or "").strip()[:MAX_PARAM]
        if not value:
            continue
        if name in ID_OR_NONE_PARAMS and value != giving.NONE:
            if not is_id(value):
                raise Http404("没有该记录。")
            value = int(value)
        narrowing[name] = value
    return narrowing


@login_required
def figure_records(request, key):
    """The records behind a figure of the page (光彩公益统计 → 明细), in the user's scope only, optionally of one table
    row; 404 for a key that is not one of the app's figures."""
    require_role(request.user, *MEMBER_READER_ROLES)
    if not key.startswith("welfare.") or key not in ui.registered("welfare."):
        raise Http404("没有该统计指标。")
    period = PeriodForm(request.GET or None).period()
    return ui.records_page(request, key=key, period=period, columns=_declared(key, "RECORD_COLUMNS") or FALLBACK_COLUMNS,
                           breadcrumbs=[("光彩公益", None), ("光彩公益统计", "welfare:statistics")],
                           **_narrowing(request, key))
