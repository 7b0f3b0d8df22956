"""The 工作台 panels of the member registry: for the federation (the leader first) the member figures of
会员统计 with their trend — the same registered figures, this year to date against the same days a year
earlier, and the year ends of the last five years — and for a chamber secretary its own chamber: its
members in the register, this year's joins, the latest ones and its members that are federation members."""

from dataclasses import replace
from datetime import date

from django.urls import reverse
from django.utils import timezone

from shanglian.accounts.roles import FEDERATION_ROLES, Role, role_of
from shanglian.ui.figures import YEAR_AGO, Chart, compute
from shanglian.ui.panels import Panel, register
from shanglian.ui.periods import AS_OF_FIELDS, PeriodForm

from .figures import year_end_series
from .models import ChamberMembership
from .selectors import chamber_member_list, memberships_visible_to
from .statistics_views import _records_url, as_period

SOURCE = "home-members-data"  # the json_script element of the panel's chart
RECENT = 5  # the latest joins a chamber secretary sees


def _card(key, user, on, *, compare=False, label=None, **params):
    """The registered figure `key` for the year up to `on`, linked to its records on 会员统计."""
    figure = compute(key, user=user, period=as_period(on), compare=compare, **params)
    return replace(figure, label=label or figure.label, records_url=_records_url(key, on, **params))


def _federation_panel(user, today):
    memberships = memberships_visible_to(user)
    if not memberships.exists():
        return Panel("members/_home_members.html", {"title": "会员发展", "empty": True})
    cards = [
        _card("members.in_force", user, today, compare=True, label="在册会员"),
        _card("members.in_force.enterprise", user, today, compare=YEAR_AGO),
        _card("members.joined", user, today, compare=YEAR_AGO, label="本年新入会"),
    ]
    series = year_end_series(memberships, PeriodForm(fields=AS_OF_FIELDS).years())
    chart_data = {
        "years": [f"{row.year}年" for row in series],
        "inForce": [row.in_force for row in series],
        "joined": [row.joined for row in series],
        "growthRate": [None if row.growth_rate is None else float(row.growth_rate) for row in series],
    }
    chart = Chart("combo", SOURCE, "chart-home-members", "近五年年末在册会员、当年入会与增长率，明细见会员统计",
                  categories="years", bars="inForce:年末在册;joined:当年入会", lines="growthRate:增长率（%）",
                  axes="会员数;增长率（%）", line_unit="%")
    return Panel("members/_home_members.html", {
        "title": f"会员发展（{today.year}年，截至{today:%-m月%-d日}）", "cards": cards, "chart": chart,
        "chart_data": chart_data, "source": SOURCE,
        "note": "同比为与上年同日（新入会为上年同期）相比，环比为与上年末相比。",
    }, charts=True)


def _chamber_panel(user, today):
    # the chamber's 在册会员 list, latest joins first: the list the card's link opens
    roster = chamber_member_list(user, user.chamber, filters={"status": ChamberMembership.Status.ACTIVE}).order_by(
        "-joined", "-id")
    total = roster.count()
    joined = roster.filter(joined__gte=date(today.year, 1, 1), joined__lte=today).count()
    federation_members = _card("members.by_chamber", user, today, chamber=user.chamber_id, label="其中工商联企业会员")
    return Panel("members/_home_chamber.html", {
        "chamber": user.chamber, "total": total, "joined": joined, "year": today.year,
        "federation_members": federation_members, "recent": list(roster[:RECENT]),
        "members_url": f"{reverse('members:chamber_members', args=[user.chamber_id])}?status=active",
        "memberships_url": f"{reverse('members:membership_list')}?chamber={user.chamber_id}",
    })


@register
def member_panel(user):
    """The federation's member figures; a chamber secretary's own chamber; nothing for other roles."""
    role = role_of(user)
    today = timezone.localdate()
    if role in FEDERATION_ROLES:
        return _federation_panel(user, today)
    if role == Role.CHAMBER and user.chamber_id:
        return _chamber_panel(user, today)
    return None
