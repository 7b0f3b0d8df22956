"""政治引领统计: one statistics page for the four parts of the app — the period form, the headline cards of the
figures the work reports quote (执委中安排为人大代表、政协委员, 议案提案 and their adoption, 包联走访, 党组织 and the
"两个覆盖") with 同比, then each part's own sections (`figures.<part>.sections(user=, period=)`: cards, charts,
the same numbers in tables), the xlsx export (`?export=xlsx`) and the drill-down to the records behind any
`engagement.*` figure.

Thin (a `ui.statistics.PartsStatistics` configured here): parse the period, compose what the parts build on the
user's scope, render with the one statistics-page template (`ui/figures_page.html`). Who sees what is the parts'
selectors': a chamber secretary its chamber's figures only, a leader their own liaisons and visits; the liaison
part is left out for a role that has no liaison (a chamber secretary). A rate over nothing shows 无数据, never 0 %
(cards and rate columns alike)."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.cache import never_cache

from shanglian.accounts.roles import VISITOR_ROLES
from shanglian.imports.exports import audited_export
from shanglian.ui.statistics import PartsStatistics

from .figures import liaison, party, proposals, representatives
from .figures.links import card

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

STATISTICS = PartsStatistics(
    app="engagement", area="政治引领", title="政治引领统计", parts=PARTS, headline=HEADLINE, card=card,
    export=audited_export, period_note="在任、在册类指标按期末统计", footnote=FOOTNOTE,
    headline_note="同比为与上年同期相比；组织覆盖率、工作覆盖率按最近一次企业党员情况统计，不计同比。",
    id_params=frozenset({"chamber", "topic", "person"}),  # a row's id: checked before any query (wrong: 404)
    id_or_none_params=frozenset({"street", "education", "affiliation"}),  # an id, or "none" (未填)
    max_param=40)


@never_cache
@login_required
def statistics(request):
    return STATISTICS.respond(request)


@login_required
def figure_records(request, key):
    """The records behind a figure of the page (政治引领统计 → 明细), in the user's scope only, optionally of one
    table row; 404 for a key that is not one of the app's figures."""
    return STATISTICS.records(request, key)
