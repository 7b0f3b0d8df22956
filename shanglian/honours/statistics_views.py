"""表彰评估统计: one statistics page for the two parts of the app — the period form, the headline cards (each part
names its own in `HEADLINE`: 发布榜单, 累计上榜企业 … with 同比), then each part's sections (`figures.<part>.sections(
user=, period=)`: cards, charts, the same numbers in tables), the xlsx export (`?export=xlsx`) and the drill-down
to the records behind any `honours.*` figure.

Thin: parse the period, compose what the parts build on the user's scope, render with the one statistics-page
template (`ui/figures_page.html`). Who sees what is the parts' selectors': published lists are every reader's of the
federation, nominations and assessments the user's scope (a chamber secretary its own chamber's). A rate over
nothing shows 无数据, never 0 %."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from shanglian.accounts.roles import MEMBER_READER_ROLES, require_role, role_of
from shanglian.common.validators import is_id
from shanglian.imports.exports import audited_export
from shanglian.ui import figures as ui
from shanglian.ui.listing import Column
from shanglian.ui.periods import PeriodForm

from .figures import assessments, lists
from .figures.links import card

BREADCRUMBS = [("评选表彰", None), ("表彰评估统计", None)]
MAX_COMPARED_DAYS = 366  # a period compared with the same period a year earlier (同比): a year at most
# The parts, in the page's order; a part is shown to the roles given (None: every role of the page).
PARTS = ((lists, None), (assessments, None))
FOOTNOTE = ("口径：榜单按评选年度统计，每个类别只计现行版本；上榜企业同一企业只计一次；累计类指标统计到统计期末所在年度；"
            "商会评估按评估年度统计，只计已核实的条目；无分母的比率显示“无数据”。将鼠标移到指标上可查看各指标的完整口径。")
ID_PARAMS = {"chamber", "street"}  # a row's id: checked before any query (a wrong one is 404)
MAX_PARAM = 60


# --- the page --------------------------------------------------------------------------------------------
def _shown(user, roles):
    return roles is None or role_of(user) in roles


def _parts(user):
    return [module for module, roles in PARTS if _shown(user, roles)]


def _headline(user, period, compare):
    """The cards each part names first (its `HEADLINE`: figure keys), in PARTS order."""
    return [card(ui.compute(key, user=user, period=period, compare=compare), period, prefix="headline")
            for module in _parts(user) for key in getattr(module, "HEADLINE", ())]


def _overall_table(cards):
    """The 总体 sheet of the export: each headline figure, now and a year earlier."""
    return ui.FigureTable("总体", (ui.Col("指标"), ui.Col("数值"), ui.Col("上年同期"), ui.Col("同比"), ui.Col("口径")),
                          tuple(ui.Row((f"{f.label}（{f.unit}）" if f.unit else f.label, f.value, f.year_ago,
                                        f.year_ago_change, f.definition)) for f in cards))


def _page(request):
    require_role(request.user, *MEMBER_READER_ROLES)
    user = request.user
    form = PeriodForm(request.GET or None)
    period = form.period()
    compared = (period.end - period.start).days < MAX_COMPARED_DAYS
    cards = _headline(user, period, ui.YEAR_AGO if compared else False)
    headline = ui.FigureSection(
        title=f"核心指标（{period.label}）", dom_id="stats-headline", figures=cards,
        note="同比为与上年同期相比。" if compared else "统计期间超过一年，不计同比。")
    sections = [headline, *[section for module in _parts(user) for section in module.sections(user=user,
                                                                                                 period=period)]]
    page = ui.FiguresPage(
        title="表彰评估统计", breadcrumbs=BREADCRUMBS, form=form.shown(),
        period_label=f"统计期间：{period.label}（榜单按评选年度，累计类指标统计到期末所在年度）",
        reset_url=reverse("honours:statistics"),
        export_url=f"{reverse('honours:statistics')}?{urlencode({**form.query(), 'export': 'xlsx'})}",
        sections=sections, chart_data=ui.gather_chart_data(sections), footnote=FOOTNOTE)
    return page, period, cards


@never_cache
@login_required
def statistics(request):
    page, period, cards = _page(request)
    if request.GET.get("export") == "xlsx":
        return audited_export(actor=request.user, title="表彰评估统计", object_type="honours.statistics",
                              sheets=ui.export_sheets(ui.export_tables([_overall_table(cards), *page.tables])),
                              detail={"report": "honours_statistics", "start": period.start.isoformat(),
                                      "end": period.end.isoformat()})
    return render(request, "ui/figures_page.html", {"page": page, "breadcrumbs": page.breadcrumbs})


# --- drill-down --------------------------------------------------------------------------------------------
def _link(obj):
    url = getattr(obj, "get_absolute_url", None)
    return url() if callable(url) else ""


FALLBACK_COLUMNS = [Column("记录", str, link=_link, wrap=True)]


def _declared(key, name):
    """What the part of figure `key` declares for it in its dict `name` (RECORD_COLUMNS, NARROWING), or None."""
    for module, _roles in PARTS:
        found = getattr(module, name, {})
        if key in found:
            return found[key]
    return None


def _narrowing(request, key):
    """The table row a drill-down is of (a category, a chamber …), as the figure takes it; ids are checked before
    any query (a wrong one is 404); other values are the figure's to refuse (404)."""
    narrowing = {}
    for name in sorted(_declared(key, "NARROWING") or ()):
        value = (request.GET.get(name) or "").strip()[:MAX_PARAM]
        if not value:
            continue
        if name in ID_PARAMS:
            if not is_id(value):
                raise Http404("没有该记录。")
            narrowing[name] = int(value)
        else:
            narrowing[name] = value
    return narrowing


@login_required
def figure_records(request, key):
    """The records behind a figure of the page (表彰评估统计 → 明细), in the user's scope only, optionally of one
    table row; 404 for a key that is not one of the app's figures."""
    require_role(request.user, *MEMBER_READER_ROLES)
    if not key.startswith("honours.") or key not in ui.registered("honours."):
        raise Http404("没有该统计指标。")
    period = PeriodForm(request.GET or None).period()
    return ui.records_page(request, key=key, period=period, columns=_declared(key, "RECORD_COLUMNS") or FALLBACK_COLUMNS,
                           breadcrumbs=[("评选表彰", None), ("表彰评估统计", "honours:statistics")],
                           **_narrowing(request, key))
