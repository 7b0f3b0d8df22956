"""The 工作台 panel of 通知调研与宣传, for the federation's roles (staff, leader, sysadmin) and a chamber secretary:

- the notice its scope sent last (not withdrawn): when, to how many, how many of the enterprises reached have read
  it and how many have not (its 阅读率), linked to the notice's receipts;
- 收集中的问卷 today and their 回收率 over the enterprises they were sent to;
- this year's coverage up to today: 宣传报道 and 宣传人物 with 同比 (the federation's publicity — a chamber secretary
  reads its federation's).

The cards are the registered figures of the statistics page (`figures/`), each linked to its records. Nothing for
the other roles. Its queries do not grow with the rows: each number is an aggregate."""

from datetime import date

from django.urls import reverse
from django.utils import timezone

from shanglian.accounts.roles import MEMBER_READER_ROLES, Role, role_of
from shanglian.common.periods import Period
from shanglian.ui.figures import YEAR_AGO, compute, share
from shanglian.ui.panels import Panel, register

from .figures.links import card
from .figures.notices import last_sent

FIGURES = (("communications.surveys_open", False, None), ("communications.open_response_rate", False, None),
           ("communications.articles", YEAR_AGO, "本年宣传报道"), ("communications.persons_featured", YEAR_AGO,
                                                                 "本年宣传人物"))


def _last_notice(user):
    found = last_sent(user)
    if found is None:
        return None
    notice, counts = found
    return {"title": notice.title, "sent_at": notice.sent_at, "url": reverse("communications:notice",
                                                                              args=[notice.pk]),
            "recipients_url": reverse("communications:notice_recipients", args=[notice.pk]),
            "recipients": counts["n"], "enterprises": counts["enterprises"], "read": counts["read"],
            "unread": counts["enterprises"] - counts["read"], "rate": share(counts["read"], counts["enterprises"])}


@register
def communications_panel(user):
    """通知调研与宣传 for the federation's roles and a chamber secretary; None for the others."""
    role = role_of(user)
    if role not in MEMBER_READER_ROLES:
        return None
    today = timezone.localdate()
    period = Period.custom(date(today.year, 1, 1), today)
    cards = []
    for key, compare, label in FIGURES:
        figure = compute(key, user=user, period=period, compare=compare)
        cards.append(card(figure, period, prefix="home", label=label or figure.label))
    notice = _last_notice(user)
    return Panel("communications/_panel.html", {
        "title": f"通知调研与宣传（{today.year}年，截至{today:%-m月%-d日}）", "notice": notice, "cards": cards,
        "links": [("通知公告", reverse("communications:notices")), ("问卷调查", reverse("communications:surveys")),
                  ("通知调研统计", reverse("communications:statistics"))],
        "empty": notice is None and not any(figure.value for figure in cards),
        "chamber": role == Role.CHAMBER,
    })
