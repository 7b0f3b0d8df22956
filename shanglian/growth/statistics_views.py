"""会员发展统计: one statistics page for the four parts of the growth app — the period form, the headline cards of
the figures the work reports quote (新入会会员, the year's 发展目标完成率 and 差额 for the federation, 新增发展对象,
批准入会申请, 纳入服务企业 — the seeds' "纳入民营企业1515家" —, 对接成果, 合作金额 and 融资金额 in 万元, 对接活动 — "融资推介会
8次" —, 专项工作组 — "组建6个专项工作组") with 同比, then the parts' sections (`figures.<part>.sections(user=, period=)`:
cards, charts, the same numbers in tables), the xlsx export (`?export=xlsx`, through `audited_export`) and the
drill-down to the records behind any `growth.*` figure (`figure_records`).

Thin (a `ui.statistics.PartsStatistics` configured here). Who sees what is the scopes' (`selectors/scopes.py`): the
federation's roles their federations', a chamber secretary its own chamber's prospects and applications, its active
members' enrollments and outcomes, its federation's board, directory and working groups — the targets and the
contact requests are the federation's only; the other roles 403. A rate over nothing shows 无数据, never 0 %.
"""

from django.contrib.auth.decorators import login_required
from django.views.decorators.cache import never_cache

from shanglian.accounts.roles import FEDERATION_ROLES
from shanglian.imports.exports import audited_export
from shanglian.ui.statistics import PartsStatistics

from .figures import board, groups, recruitment, service
from .figures.links import card
from .selectors.scopes import prospects_visible_to

PARTS = ((recruitment, None), (service, None), (board, None), (groups, None))
HEADLINE = ("growth.new_members", ("growth.target_completion", FEDERATION_ROLES),
            ("growth.target_gap", FEDERATION_ROLES), "growth.prospects_new", "growth.applications_approved",
            "growth.enrolled", "growth.outcomes", "growth.deal_amount", "growth.financing_amount",
            "growth.matchmaking_events", "growth.groups")
FOOTNOTE = ("口径：新入会会员按入会日期在统计期间内统计；发展目标为统计期末所在年度的目标，完成情况按当年1月1日至统计期末入会的会员计算；"
            "纳入服务企业、专项工作组按统计期末（期末晚于今天时为今天）的状态统计，同一企业纳入多个服务项目只计一次；"
            "金额按元精确到分求和后折算为万元（保留两位小数，四舍五入）；对接活动为已举办的企业对接洽谈会、融资推介会、推介会和招聘会。"
            "将鼠标移到指标上可查看各指标的完整口径。")

STATISTICS = PartsStatistics(
    app="growth", area="会员发展与服务", title="会员发展统计", parts=PARTS, headline=HEADLINE, card=card,
    export=audited_export, period_note="目标按期末所在年度，服务企业、工作组按期末状态", footnote=FOOTNOTE,
    headline_note="同比为与上年同期相比；目标完成率、差额为统计期末所在年度的情况。",
    id_params=frozenset({"programme", "event_kind"}),  # a row's id: checked before any query (a wrong one is 404)
    max_param=20,
    check=prospects_visible_to)  # the scopes' refusal first


@never_cache
@login_required
def statistics(request):
    return STATISTICS.respond(request)


@login_required
def figure_records(request, key):
    """The records behind a figure of the page (会员发展统计 → 明细), in the user's scope only, optionally of one table
    row (a target category, a prospect stage or source, a service programme, a post category, an outcome kind, a
    matchmaking event kind — the figure's to refuse, 404); 404 for a key that is not one of the app's figures."""
    return STATISTICS.records(request, key)
