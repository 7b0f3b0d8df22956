"""The 工作台 panels of 政治引领: for the federation (staff, leader, sysadmin) this year's figures up to today —
执委中安排为人大代表、政协委员 of the 执委, 议案提案 and their 采纳率 (with 同比), the party's 组织覆盖率 and
工作覆盖率 — the registered figures of the statistics page, each linked to its records; for a leader also their
own liaison enterprises overdue for a visit (`selectors.liaison.overdue_liaisons`); for a chamber secretary its
chamber's party organisations (its own and its member enterprises') with the two coverage rates. Nothing for
the other roles. Its queries do not grow with the rows: each figure is a count or an aggregate, the lists are
the first rows of one query and their count."""

from datetime import date

from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from shanglian.accounts.roles import FEDERATION_ROLES, Role, role_of
from shanglian.common.periods import Period
from shanglian.ui.figures import YEAR_AGO, compute
from shanglian.ui.panels import Panel, register

from .figures.links import card
from .models import organisation_active_q
from .selectors import liaison as liaison_selectors
from .selectors import party as party_selectors

ROWS = 5  # the overdue enterprises a leader sees (never visited, then the longest unvisited)
ORGANISATION_ROWS = 8  # the organisations a chamber secretary sees (the largest first)


def _card(key, user, period, *, compare=False, label=None):
    """The registered figure `key` for the year to date as a card (无数据 for a rate over nothing), linked to its
    records."""
    figure = compute(key, user=user, period=period, compare=compare)
    return card(figure, period, prefix="home", label=label or figure.label)


def _overdue(user, today):
    """A leader's own liaison enterprises overdue for a visit: the first ROWS (longest unvisited first) and how
    many there are; the list 我的包联企业 filtered to them holds exactly those."""
    overdue = liaison_selectors.overdue_liaisons(user, today).select_related("enterprise")
    rows = list(overdue.order_by(F("last_visit").asc(nulls_first=True), "enterprise__name", "id")[:ROWS])
    for row in rows:
        row.days = (today - row.last_visit).days if row.last_visit else None
    return {
        "rows": rows, "total": overdue.count(), "days": liaison_selectors.VISIT_INTERVAL_DAYS,
        "mine": liaison_selectors.my_liaisons(user, on=today).count(),
        "url": f"{reverse('engagement:my_liaisons')}?{urlencode({'overdue': 'on'})}",
        "all_url": reverse("engagement:my_liaisons"),
    }


def _federation_panel(user, role, today):
    period = Period.custom(date(today.year, 1, 1), today)
    executives = _card("engagement.executives", user, period)
    arranged = _card("engagement.executives_arranged", user, period, compare=YEAR_AGO)
    cards = [
        _card("engagement.proposals", user, period, compare=YEAR_AGO, label="本年议案提案"),
        _card("engagement.adoption_rate", user, period, compare=YEAR_AGO),
        _card("engagement.organisation_coverage", user, period),
        _card("engagement.work_coverage", user, period),
    ]
    context = {
        "title": f"政治引领（{today.year}年，截至{today:%-m月%-d日}）", "executives": executives, "arranged": arranged,
        "cards": cards, "statistics_url": reverse("engagement:statistics"),
        "empty": not (executives.value or cards[0].value or cards[2].value is not None
                      or cards[3].value is not None),
    }
    if role == Role.LEADER:
        context["overdue"] = _overdue(user, today)
    return Panel("engagement/_panel.html", context)


def _chamber_panel(user, today):
    period = Period.custom(date(today.year, 1, 1), today)
    organisations = (party_selectors.party_organisations_visible_to(user).filter(organisation_active_q(today))
                     .select_related("enterprise", "chamber", "street").order_by("-members_count", "name", "id"))
    cards = [
        _card("engagement.party_organisations", user, period),
        _card("engagement.organisation_coverage", user, period),
        _card("engagement.work_coverage", user, period),
    ]
    return Panel("engagement/_panel_chamber.html", {
        "title": f"本商会党建（{user.chamber.name}）", "cards": cards,
        "organisations": list(organisations[:ORGANISATION_ROWS]), "total": cards[0].value,
        "list_url": reverse("engagement:party_organisations"), "coverage_url": reverse("engagement:party_coverage"),
        "empty": not cards[0].value and cards[1].value is None and cards[2].value is None,
    })


@register
def engagement_panel(user):
    """政治引领 for the federation (a leader also their overdue liaison enterprises), a chamber secretary's party
    building; nothing for other roles."""
    role = role_of(user)
    today = timezone.localdate()
    if role in FEDERATION_ROLES:
        return _federation_panel(user, role, today)
    if role == Role.CHAMBER and user.chamber_id:
        return _chamber_panel(user, today)
    return None
