"""The 工作台 KPI panel of the service desk: the same registered figures as 诉求统计, as cards — for the
federation with 同比 and the months, for a department its own row, for a chamber secretary its members'
appeals and those still open."""

from datetime import date

from django.utils import timezone

from shanglian.accounts.roles import READER_ROLES, Role, role_of
from shanglian.common.periods import Period
from shanglian.ui.figures import YEAR_AGO, Figure, get
from shanglian.ui.panels import Panel, register

from . import figures, selectors
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


def _year_to_date(today):
    """This year up to today: its 同比 is the same days a year earlier (a whole year would compare the
    months gone by with twelve)."""
    return Period.custom(date(today.year, 1, 1), today)


# The chamber secretary's cards: its members' appeals this year, and those late now.
CHAMBER_CARDS = ("appeals.received", "appeals.on_time_rate", "appeals.satisfaction_rate", "appeals.overdue")
OPEN_SHOWN = 5


@register
def appeal_kpis(user):
    """The federation sees this year's overall figures (同比 with the same days of last year) and months,
    a department its own row, a chamber secretary its members' appeals; everyone else nothing."""
    role = role_of(user)
    if role not in READER_ROLES:
        return None
    today = timezone.localdate()
    if role == Role.DEPARTMENT:
        period = Period.year(today.year)
        return Panel("appeals/_home_kpis.html", {"kpi_title": f"本部门诉求办理（{period.label}）",
                                                 "kpi_cards": _department_cards(user, period)})
    period = _year_to_date(today)
    # the chamber's cards (CHAMBER_CARDS) show neither 服务企业数 nor 平均答复用时: not counted for it (its
    # figures are counted from the appeals, where those are the costly queries)
    chamber = role == Role.CHAMBER
    report = figures.kpi_report(user, period, breakdowns=False, enrolled=not chamber, reply_days=not chamber)
    query = period.as_query()
    cards = headline_cards(user, report, query, compare=YEAR_AGO)
    title = f"{today.year}年，截至{today:%-m月%-d日}"
    if role == Role.CHAMBER:
        waiting = selectors.open_appeals(user)
        return Panel("appeals/_home_kpis.html", {
            "kpi_title": f"本商会会员诉求（{title}）", "kpi_cards": [c for c in cards if c.key in CHAMBER_CARDS],
            "kpi_note": "同比为与上年同期相比；当前超期不受统计期间限制。",
            "open_count": waiting.count(), "open_appeals": list(waiting[:OPEN_SHOWN]), "show_open": True,
        })
    report.by_month = figures.by_month(report.scope, period, source=report.source)
    cards = [card for card in cards if card.key != "appeals.average_reply_days"]
    chart = months_chart("本年各月诉求量、办结量与满意度，明细见诉求统计") if report.overall.received else None
    return Panel("appeals/_home_kpis.html", {
        "kpi_title": f"诉求办理（{title}）", "kpi_cards": cards, "kpi_chart_element": chart,
        "kpi_chart": chart_data(report), "kpi_source": SOURCE,
        "kpi_note": "同比为与上年同期（1月1日至同一天）相比；当前超期不受统计期间限制。",
        "kpi_empty": "" if report.overall.received else "本年尚未收到诉求，各月走势将在收到诉求后显示。",
    }, charts=bool(report.overall.received))
