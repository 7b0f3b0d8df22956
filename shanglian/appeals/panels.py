"""The 工作台 KPI panel of the service desk: the same registered figures as 诉求统计, as cards."""

from django.utils import timezone

from shanglian.accounts.roles import FEDERATION_AND_DEPARTMENT_ROLES, Role, role_of
from shanglian.common.periods import Period
from shanglian.ui.figures import Figure, get
from shanglian.ui.panels import Panel, register

from . import figures
from .kpi_views import SOURCE, _records_url, chart_data, headline_cards, months_chart

# The department's own row, as cards: (the registered figure `appeals.<key>`, which is also the attribute
# of the row, and the card's data-kpi label)
DEPARTMENT_CARDS = [("received", "诉求数"), ("on_time_rate", "按时办理率"), ("closure_rate", "办结率"),
                    ("average_reply_days", "平均答复用时"), ("satisfaction_score", "满意度"), ("overdue", "当前超期")]


def _department_cards(user, period):
    row = figures.department_figures(user, period)
    # The records of the department's own row (the figure narrowed to the department), as the card counts.
    query = {"year": period.start.year, "department": user.department_id}
    cards = []
    for key, label in DEPARTMENT_CARDS:
        spec = get(f"appeals.{key}")
        cards.append(Figure(label=label, definition=spec.definition, value=getattr(row, key), unit=spec.unit,
                            key=spec.key, period=period, alert=spec.alert, records_url=_records_url(spec.key, query)))
    return cards


@register
def appeal_kpis(user):
    """The federation sees this year's overall figures and months, a department its own row;
    everyone else nothing."""
    role = role_of(user)
    if role not in FEDERATION_AND_DEPARTMENT_ROLES:
        return None
    period = Period.year(timezone.localdate().year)
    if role == Role.DEPARTMENT:
        return Panel("appeals/_home_kpis.html", {"kpi_title": f"本部门诉求办理（{period.label}）",
                                                 "kpi_cards": _department_cards(user, period)})
    report = figures.kpi_report(user, period, breakdowns=False)
    report.by_month = figures.by_month(report.scope, period)
    cards = [card for card in headline_cards(user, report, {"year": period.start.year}, compare=False)
             if card.key != "appeals.average_reply_days"]
    chart = months_chart("本年各月诉求量、办结量与满意度，明细见诉求统计") if report.overall.received else None
    return Panel("appeals/_home_kpis.html", {
        "kpi_title": f"诉求办理（{period.label}）", "kpi_cards": cards, "kpi_chart_element": chart,
        "kpi_chart": chart_data(report), "kpi_source": SOURCE,
    }, charts=bool(report.overall.received))
