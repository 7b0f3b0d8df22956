"""表彰评估统计: one statistics page for the two parts of the app — the period form, the headline cards (each part
names its own in `HEADLINE`: 发布榜单, 累计上榜企业 … with 同比), then each part's sections (`figures.<part>.sections(
user=, period=)`: cards, charts, the same numbers in tables), the xlsx export (`?export=xlsx`) and the drill-down
to the records behind any `honours.*` figure.

Thin (a `ui.statistics.PartsStatistics` configured here): parse the period, compose what the parts build on the
user's scope, render with the one statistics-page template (`ui/figures_page.html`). Who sees what is the parts'
selectors': published lists are every reader's of the federation, nominations and assessments the user's scope (a
chamber secretary its own chamber's). A rate over nothing shows 无数据, never 0 %."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.cache import never_cache

from shanglian.imports.exports import audited_export
from shanglian.ui.statistics import PartsStatistics

from .figures import assessments, lists
from .figures.links import card

# The parts, in the page's order; a part is shown to the roles given (None: every role of the page). The
# headline cards are those each part names first (its `HEADLINE`).
PARTS = ((lists, None), (assessments, None))
FOOTNOTE = ("口径：榜单按评选年度统计，每个类别只计现行版本；上榜企业同一企业只计一次；累计类指标统计到统计期末所在年度；"
            "商会评估按评估年度统计，只计已核实的条目；无分母的比率显示“无数据”。将鼠标移到指标上可查看各指标的完整口径。")

STATISTICS = PartsStatistics(
    app="honours", area="评选表彰", title="表彰评估统计", parts=PARTS, card=card, export=audited_export,
    period_note="榜单按评选年度，累计类指标统计到期末所在年度", footnote=FOOTNOTE,
    id_params=frozenset({"chamber", "street"}),  # a row's id: checked before any query (a wrong one is 404)
    max_param=60)


@never_cache
@login_required
def statistics(request):
    return STATISTICS.respond(request)


@login_required
def figure_records(request, key):
    """The records behind a figure of the page (表彰评估统计 → 明细), in the user's scope only, optionally of one
    table row; 404 for a key that is not one of the app's figures."""
    return STATISTICS.records(request, key)
