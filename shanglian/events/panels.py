"""The 工作台 panel of events for the federation (staff, leader, sysadmin) and a chamber secretary (its own
chamber's): the events starting in the next 30 days with their 报名 and 签到 counts, and this year's 活动场次
and 签到人次 up to today — the registered figures (`figures.py`) with 同比. Its queries do not grow with
the rows: the upcoming events are one query with their counts as subqueries, each figure one count."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from shanglian.accounts.roles import EVENT_READER_ROLES, Role, role_of
from shanglian.common.periods import Period
from shanglian.ui.figures import YEAR_AGO, compute
from shanglian.ui.panels import Panel, register

from . import selectors

UPCOMING_DAYS = 30
UPCOMING_ROWS = 8


@register
def event_panel(user):
    """Upcoming events and this year's figures; nothing for roles that do not read events."""
    role = role_of(user)
    if role not in EVENT_READER_ROLES or (role == Role.CHAMBER and not user.chamber_id):
        return None
    today = timezone.localdate()
    window = {"from": today, "to": today + datetime.timedelta(days=UPCOMING_DAYS)}
    upcoming = selectors.with_attendance(selectors.event_list(user, filters=window)).order_by("starts_at", "id")
    rows = list(upcoming[:UPCOMING_ROWS])
    total = upcoming.count()
    period = Period.custom(datetime.date(today.year, 1, 1), today)
    cards = [compute("events.held", user=user, period=period, compare=YEAR_AGO),
             compute("events.attendance", user=user, period=period, compare=YEAR_AGO)]
    query = urlencode({"starts_from": window["from"].isoformat(), "starts_to": window["to"].isoformat()})
    return Panel("events/_home_events.html", {
        "title": f"活动（{today.year}年，截至{today:%-m月%-d日}）", "cards": cards, "upcoming": rows,
        "upcoming_total": total, "days": UPCOMING_DAYS, "upcoming_url": f"{reverse('events:list')}?{query}",
        "statistics_url": reverse("events:statistics"),
        "empty": not rows and not any(card.value for card in cards),
    })
