"""The 工作台 panel of 会员发展与服务: this year's figures up to today, the registered figures of the statistics page,
each linked to its records.

- The federation (staff, leader, sysadmin): 本年新入会 with 同比, this year's 发展目标完成率 (无数据 without a target),
  纳入服务企业 today (the seeds' "纳入民营企业N家") with 同比, 本年对接成果 with 同比, 专项工作组 today.
- A chamber secretary: its chamber's 跟进中的发展对象, 本年新增发展对象 with 同比, and its active members' 纳入服务企业.
- Nothing for the other roles. Its queries do not grow with the rows: each figure is an aggregate."""

from datetime import date

from django.urls import reverse
from django.utils import timezone

from shanglian.accounts.roles import FEDERATION_ROLES, Role, role_of
from shanglian.common.periods import Period
from shanglian.ui.figures import YEAR_AGO, compute
from shanglian.ui.panels import Panel, register

from .figures.links import card

FEDERATION_FIGURES = (("growth.new_members", YEAR_AGO, "本年新入会"), ("growth.target_completion", False, None),
                      ("growth.enrolled", YEAR_AGO, None), ("growth.outcomes", YEAR_AGO, "本年对接成果"),
                      ("growth.groups", False, None))
CHAMBER_FIGURES = (("growth.prospects_open", False, None), ("growth.prospects_new", YEAR_AGO, "本年新增发展对象"),
                   ("growth.enrolled", YEAR_AGO, None))


@register
def growth_panel(user):
    """会员发展与服务 for the federation's roles and a chamber secretary; None for the others."""
    role = role_of(user)
    if role in FEDERATION_ROLES:
        figures, links = FEDERATION_FIGURES, (("发展目标", "growth:targets"), ("会员发展统计", "growth:statistics"))
    elif role == Role.CHAMBER:
        figures, links = CHAMBER_FIGURES, (("发展会员", "growth:prospects"), ("会员发展统计", "growth:statistics"))
    else:
        return None
    today = timezone.localdate()
    period = Period.custom(date(today.year, 1, 1), today)
    cards = []
    for key, compare, label in figures:
        figure = compute(key, user=user, period=period, compare=compare)
        cards.append(card(figure, period, prefix="home", label=label or figure.label))
    return Panel("growth/_panel.html", {
        "title": f"会员发展与服务（{today.year}年，截至{today:%-m月%-d日}）", "cards": cards,
        "links": [(text, reverse(name)) for text, name in links],
        "empty": not any(figure.value for figure in cards),
        "chamber": role == Role.CHAMBER,
    })
