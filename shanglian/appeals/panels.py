"""The 工作台 KPI panel of the service desk."""

from django.utils import timezone

from shanglian.accounts.roles import FEDERATION_ROLES, Role, role_of
from shanglian.ui.panels import Panel, register

from . import kpis
from .kpi_views import chart_data
from .selectors import appeals_visible_to


@register
def appeal_kpis(user):
    """The federation sees this year's overall figures and months, a department its own row;
    everyone else nothing."""
    role = role_of(user)
    if role not in FEDERATION_ROLES and role != Role.DEPARTMENT:
        return None
    period = kpis.Period.year(timezone.localdate().year)
    if role == Role.DEPARTMENT:
        return Panel("appeals/_home_kpis.html",
                     {"kpi_period": period, "kpi_department": kpis.department_figures(user, period)})
    report = kpis.kpi_report(user, period, breakdowns=False)
    report.by_month = kpis.by_month(appeals_visible_to(user), period)
    chart = chart_data(report)
    return Panel("appeals/_home_kpis.html", {"kpi_period": period, "kpi_report": report, "kpi_chart": chart},
                 charts=bool(report.overall.received))
