"""通知调研统计: one statistics page for the parts of the communications app — the period form, the headline cards of
the figures the work reports quote (发送通知, 送达对象 and 阅读率 — "建立信息网络，及时向企业提供信息服务" —, 发布问卷,
回收答卷, 问卷回收率 and 问卷转诉求 — "问卷调查" —, 报送调研报告 and 获得批示, 宣传报道 and 宣传人物 — "成功宣传企业家近百人"
—, 现行制度 — "共38项制度" —, 友好组织 — "缔结友好商会5个" — and 交流互访) with 同比, then the parts' sections
(`figures.<part>.sections(user=, period=)`: cards, charts, the same numbers in tables), the xlsx export
(`?export=xlsx`, through `audited_export`) and the drill-down to the records behind any `communications.*` figure
(`figure_records`).

Thin (a `ui.statistics.PartsStatistics` configured here). Who sees what is the scopes' (`selectors/scopes.py`): the
federation's roles their federations' records; a chamber secretary its own chamber's notices and surveys (and its
active members' answers), its federation's publicity and rules — the research reports and the friendly
organisations are the federation's only; the other roles 403. A rate over nothing shows 无数据, never 0 %.
"""

from django.contrib.auth.decorators import login_required
from django.views.decorators.cache import never_cache

from shanglian.accounts.roles import FEDERATION_ROLES
from shanglian.imports.exports import audited_export
from shanglian.ui.statistics import PartsStatistics

from .figures import notices, partners, publicity, research, rules, surveys
from .figures.links import card
from .selectors.scopes import notices_visible_to

PARTS = ((notices, None), (surveys, None), (research, FEDERATION_ROLES), (publicity, None), (rules, None),
         (partners, FEDERATION_ROLES))
HEADLINE = ("communications.notices_sent", "communications.notice_recipients", "communications.read_rate",
            "communications.surveys_opened", "communications.responses", "communications.response_rate",
            "communications.survey_appeals", ("communications.reports_submitted", FEDERATION_ROLES),
            ("communications.reports_instructed", FEDERATION_ROLES), "communications.articles",
            "communications.persons_featured", "communications.rules_in_force",
            ("communications.partners", FEDERATION_ROLES), ("communications.exchanges", FEDERATION_ROLES))
FOOTNOTE = ("口径：通知按发送时间统计，不含已撤回的；阅读率为企业接收对象中已阅读的比例，仅收到短信的人士不计入；"
            "问卷按发布时间统计，回收率为这些问卷发送的企业中截至今天已提交答卷的比例；答卷、问卷转诉求按提交时间统计；"
            "调研报告按调研结束日期、报送日期、批示日期统计；宣传报道按刊发日期统计，宣传人物、企业去重计数；"
            "现行制度、友好组织按统计期末（期末晚于今天时为今天）的状态统计。将鼠标移到指标上可查看各指标的完整口径。")

STATISTICS = PartsStatistics(
    app="communications", area="通知调研与宣传", title="通知调研统计", parts=PARTS, headline=HEADLINE, card=card,
    export=audited_export, period_note="现行制度、友好组织按期末状态", footnote=FOOTNOTE,
    headline_note="同比为与上年同期相比；现行制度、友好组织为统计期末的状态。",
    id_params=frozenset({"survey"}),  # a row's id: checked before any query (a wrong one is 404)
    id_or_none_params=frozenset({"chamber"}),
    max_param=20,
    check=notices_visible_to)  # the scopes' refusal first


@never_cache
@login_required
def statistics(request):
    return STATISTICS.respond(request)


@login_required
def figure_records(request, key):
    """The records behind a figure of the page (通知调研统计 → 明细), in the user's scope only, optionally of one table
    row (a sending chamber, a kind of audience, a survey, a destination or method of a report, an outlet level or
    kind of article, a rule category, a direction of visits — the figure's to refuse, 404); 404 for a key that is
    not one of the app's figures."""
    return STATISTICS.records(request, key)
