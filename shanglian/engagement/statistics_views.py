"""政治引领统计: one statistics page for the four parts of the app — the period form, the headline cards of the
figures the work reports quote (执委中安排为人大代表、政协委员, 议案提案 and their adoption, 包联走访, 党组织 and the
"两个覆盖") with 同比, then each part's own sections (`figures.<part>.sections(user=, period=)`: cards, charts,
the same numbers in tables), the xlsx export (`?export=xlsx`) and the drill-down to the records behind any
`engagement.*` figure.

Thin: parse the period, compose what the parts build on the user's scope, render with the one statistics-page
template (`ui/figures_page.html`). Who sees what is the parts' selectors': a chamber secretary its chamber's
figures only, a leader their own liaisons and visits; the liaison part is left out for a role that has no
liaison (a chamber secretary). A rate over nothing shows 无数据, never 0 % (cards and rate columns alike)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from shanglian.accounts.roles import MEMBER_READER_ROLES, VISITOR_ROLES, require_role, role_of
from shanglian.common.validators import is_id
from shanglian.imports.exports import audited_export
from shanglian.ui import figures as ui
from shanglian.ui.listing import Column
from shanglian.ui.periods import PeriodForm

from .figures import liaison, party, proposals, representatives
from .figures.links import card

BREADCRUMBS = [("政治引领", None), ("政治引领统计", None)]
MAX_COMPARED_DAYS = 366  # a period compared with the same period a year earlier (同比): a year at most
# The parts, in the page's order; a part is shown to the roles given (None: every role of the page).
PARTS = ((representatives, None), (proposals, None), (liaison, VISITOR_ROLES), (party, None))
# The headline cards: (figure key, the roles it is shown to — None: every role of the page).
HEADLINE = (
    ("engagement.executives_arranged", None),
    ("engagement.proposals", None),
    ("engagement.adoption_rate", None),
    ("engagement.measures", None),
    ("engagement.liaison_enterprises", VISITOR_ROLES),
    ("engagement.visited_enterprises", VISITOR_ROLES),
    ("engagement.visit_appeals", VISITOR_ROLES),
    ("engagement.party_organisations", None),
    ("engagement.organisation_coverage", None),
    ("engagement.work_coverage", None),
)
FOOTNOTE = ("口径：在任、在册类指标（执委及其政治安排、包联企业、党组织、两个覆盖）按统计期末统计；议案提案按年度统计（不含草拟），"
            "采纳率 = 已采纳 ÷（已采纳 + 未采纳）；走访、走访转诉求、三会一课按日期在统计期间内统计；"
            "组织覆盖率 = 党员3人及以上企业中有本企业党组织或被联合党委覆盖的比例，工作覆盖率 = 有党员企业中已组织覆盖或有党建指导员的比例；"
            "无分母的比率显示“无数据”。将鼠标移到指标上可查看各指标的完整口径。")
ID_PARAMS = {"chamber", "topic", "person"}  # a row's id: checked before any query (a wrong one is 404)
ID_OR_NONE_PARAMS = {"street", "education", "affiliation"}  # an id, or "none" (未填)
MAX_PARAM = 40


# --- the page --------------------------------------------------------------------------------------------
def _shown(user, roles):
    return roles is None or role_of(user) in roles


def _headline(user, period, compare):
    return [card(ui.compute(key, user=user, period=period, compare=compare), period, prefix="headline")
            for key, roles in HEADLINE if _shown(user, roles)]


def _sections(user, period):
    """Each part's sections, in PARTS order, for the parts the user's role is shown."""
    return [section for module, roles in PARTS if _shown(user, roles)
            for section in module.sections(user=user, period=period)]


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
        note="同比为与上年同期相比；组织覆盖率、工作覆盖率按最近一次企业党员情况统计，不计同比。" if compared
        else "统计期间超过一年，不计同比。")
    sections = [headline, *_sections(user, period)]
    page = ui.FiguresPage(
        title="政治引领统计", breadcrumbs=BREADCRUMBS, form=form.shown(),
        period_label=f"统计期间：{period.label}（在任、在册类指标按期末统计）", reset_url=reverse("engagement:statistics"),
        export_url=f"{reverse('engagement:statistics')}?{urlencode({**form.query(), 'export': 'xlsx'})}",
        sections=sections, chart_data=ui.gather_chart_data(sections), footnote=FOOTNOTE)
    return page, period, cards


@never_cache
@login_required
def statistics(request):
    page, period, cards = _page(request)
    if request.GET.get("export") == "xlsx":
        return audited_export(actor=request.user, title="政治引领统计", object_type="engagement.statistics",
                              sheets=ui.export_sheets(ui.export_tables([_overall_table(cards), *page.tables])),
                              detail={"report": "engagement_statistics", "start": period.start.isoformat(),
                                      "end": period.end.isoformat()})
    return render(request, "ui/figures_page.html", {"page": page, "breadcrumbs": page.breadcrumbs})


# --- drill-down --------------------------------------------------------------------------------------------
def _link(obj):
    url = getattr(obj, "get_absolute_url", None)
    return url() if callable(url) else ""


FALLBACK_COLUMNS = [Column("记录", str, link=_link, wrap=True)]


def _columns(key):
    """The drill-down columns the part of figure `key` names for it (its `RECORD_COLUMNS`, by figure key)."""
    for module, _roles in PARTS:
        if key in module.RECORD_COLUMNS:
            return module.RECORD_COLUMNS[key]
    return FALLBACK_COLUMNS


def _accepted(key):
    """The narrowing parameters figure `key` takes, as its part declares them (its `NARROWING`, by figure key)."""
    for module, _roles in PARTS:
        if key in module.NARROWING:
            return module.NARROWING[key]
    return ()


def _narrowing(request, key):
    """The table row a drill-down is of (a chamber, a street, a kind …), as the figure takes it; ids are
    checked before any query (a wrong one is 404); other values are the figure's to refuse (404)."""
    narrowing = {}
    for name in sorted(_accepted(key)):
        value = (request.GET.get(name) or "").strip()[:MAX_PARAM]
        if not value:
            continue
        if name in ID_PARAMS or name in ID_OR_NONE_PARAMS:
            if value == "none" and name in ID_OR_NONE_PARAMS:
                narrowing[name] = value
                continue
            if not is_id(value):
                raise Http404("没有该记录。")
            narrowing[name] = int(value) if name in ID_PARAMS else value
        else:
            narrowing[name] = value
    return narrowing


@login_required
def figure_records(request, key):
    """The records behind a figure of the page (政治引领统计 → 明细), in the user's scope only, optionally of one
    table row; 404 for a key that is not one of the app's figures."""
    require_role(request.user, *MEMBER_READER_ROLES)
    if not key.startswith("engagement.") or key not in ui.registered("engagement."):
        raise Http404("没有该统计指标。")
    period = PeriodForm(request.GET or None).period()
    return ui.records_page(request, key=key, period=period, columns=_columns(key),
                           breadcrumbs=[("政治引领", None), ("政治引领统计", "engagement:statistics")],
                           **_narrowing(request, key))
