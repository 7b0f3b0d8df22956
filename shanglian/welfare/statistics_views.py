"""光彩公益统计: one statistics page — the period form, the headline cards of the figures the work reports quote
(捐款捐物合计, 捐款, 捐物折价 in 万元; 捐赠方; 捐赠企业, the seed's "436家民营企业"; 捐赠笔数; the target villages'
结对覆盖率 and the pairings in force) with 同比, then the parts' sections (`figures.<part>.sections(user=, period=)`:
cards, charts, the same numbers in tables), the xlsx export (`?export=xlsx`, through `audited_export`) and the
drill-down to the records behind any `welfare.*` figure (`figure_records`).

Thin (a `ui.statistics.PartsStatistics` configured here): parse the period, compose what the parts build on the
user's scope, render with the one statistics-page template (`ui/figures_page.html`). Who sees what is the scopes'
(`selectors/scopes.py`): the federation's roles their federations', a chamber secretary its chamber's donations
and its chamber's and member enterprises' pairings — and, like the federation, its federation's target villages'
coverage (see `figures/pairings.py`); the other roles 403. A rate over nothing shows 无数据, never 0 %.
"""

from django.contrib.auth.decorators import login_required
from django.views.decorators.cache import never_cache

from shanglian.imports.exports import audited_export
from shanglian.ui.statistics import PartsStatistics

from .figures import giving, pairings
from .figures.links import card
from .selectors.scopes import donations_visible_to

PARTS = ((giving, None), (pairings, None))
HEADLINE = ("welfare.total", "welfare.cash", "welfare.goods", "welfare.donors", "welfare.donor_enterprises",
            "welfare.donations", "welfare.village_coverage", "welfare.pairings_in_force")
FOOTNOTE = ("口径：捐赠按捐赠日期在统计期间内统计，金额按元精确到分求和后折算为万元（保留两位小数，四舍五入），合计 = 捐款 + 物资折价；"
            "捐赠方按企业、个人、商会各自去重计数，同一捐赠方在多个公益项目、多次捐赠只计一次；结对帮扶与帮扶村覆盖按统计期末"
            "（期末晚于今天时为今天）在期的结对统计，结对覆盖率 = 有在期结对的帮扶目标村 ÷ 帮扶目标村，没有帮扶目标村时显示“无数据”。"
            "将鼠标移到指标上可查看各指标的完整口径。")

STATISTICS = PartsStatistics(
    app="welfare", area="光彩公益", title="光彩公益统计", parts=PARTS, headline=HEADLINE, card=card,
    export=audited_export, period_note="结对、覆盖按期末统计", footnote=FOOTNOTE,
    headline_note="同比为与上年同期相比；帮扶村结对覆盖率按统计期末统计，不计同比。",
    id_or_none_params=frozenset({"campaign", "chamber"}),  # an id (checked before any query), or "none"
    max_param=40,
    check=donations_visible_to)  # the scopes' refusal first


@never_cache
@login_required
def statistics(request):
    return STATISTICS.respond(request)


@login_required
def figure_records(request, key):
    """The records behind a figure of the page (光彩公益统计 → 明细), in the user's scope only, optionally of one table
    row (a campaign or chamber id or "none", an industry section, a donor kind or a pairing kind — the figure's to
    refuse, 404); 404 for a key that is not one of the app's figures."""
    return STATISTICS.records(request, key)
