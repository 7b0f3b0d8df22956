"""The 工作台 panel of 光彩公益 for the federation (staff, leader, sysadmin): this year's figures up to today — 捐款捐物合计
in 万元 and 捐赠方 with 同比, and the target villages' 结对覆盖率 today — the registered figures of the statistics page,
each linked to its records. Nothing for the other roles. Its queries do not grow with the rows: each figure is an
aggregate."""

from datetime import date

from django.urls import reverse
from django.utils import timezone

from shanglian.accounts.roles import FEDERATION_ROLES, role_of
from shanglian.common.periods import Period
from shanglian.ui.figures import YEAR_AGO, compute
from shanglian.ui.panels import Panel, register

from .figures.links import card

FIGURES = (("welfare.total", YEAR_AGO, "本年捐款捐物"), ("welfare.donors", YEAR_AGO, "本年捐赠方"),
           ("welfare.village_coverage", False, None))


@register
def welfare_panel(user):
    """光彩公益 for the federation's roles; None for the others."""
    if role_of(user) not in FEDERATION_ROLES:
        return None
    today = timezone.localdate()
    period = Period.custom(date(today.year, 1, 1), today)
    cards = []
    for key, compare, label in FIGURES:
        figure = compute(key, user=user, period=period, compare=compare)
        cards.append(card(figure, period, prefix="home", label=label or figure.label))
    total, donors, coverage = cards
    return Panel("welfare/_panel.html", {
        "title": f"光彩公益（{today.year}年，截至{today:%-m月%-d日}）", "cards": cards,
        "statistics_url": reverse("welfare:statistics"), "coverage_url": reverse("welfare:village_coverage"),
        "empty": not total.value and not donors.value and coverage.value is None,
    })
