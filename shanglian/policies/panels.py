"""The 工作台 panel of the policy library for the federation: its registered figures for this year up to
today (有效政策 now, linked to the library's list of them; 新发布, 推送 and 已读率 with 同比)."""

from dataclasses import replace
from datetime import date

from django.urls import reverse
from django.utils import timezone

from shanglian.accounts.roles import FEDERATION_ROLES, role_of
from shanglian.common.periods import Period
from shanglian.ui.figures import YEAR_AGO, compute
from shanglian.ui.panels import Panel, register

from .models import Policy


@register
def policy_figures(user):
    """The federation's policy figures; nothing for other roles."""
    if role_of(user) not in FEDERATION_ROLES:
        return None
    today = timezone.localdate()
    period = Period.custom(date(today.year, 1, 1), today)
    library = reverse("policies:list")
    live = compute("policies.live", user=user, period=period)
    published = compute("policies.published", user=user, period=period, compare=YEAR_AGO)
    cards = [  # 有效政策 is the library's "已发布" tab; the others have no list of their own
        replace(live, records_url=f"{library}?status={Policy.Status.PUBLISHED}"),
        replace(published, label="本年新发布"),
        compute("policies.deliveries", user=user, period=period, compare=YEAR_AGO),
        compute("policies.read_rate", user=user, period=period, compare=YEAR_AGO),
    ]
    return Panel("policies/_home_policies.html", {
        "title": f"惠企政策（{today.year}年，截至{today:%-m月%-d日}）", "cards": cards,
        "empty": not (live.value or published.value),
    })
