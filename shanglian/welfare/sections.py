"""What the welfare app contributes to other apps' pages (discovered at startup, see `ui.sections`): 光彩公益 on the
enterprise 360° page — the enterprise's pairings (结对帮扶, in force or not) and its donations (the count, cash,
goods and their total in 元, the last few), as the reader's scope holds them (`selectors.scopes`: the federation's
roles all of them, a chamber secretary the pairings of its active member enterprises and the donations its chamber
organised). Nothing for the roles that do not read 光彩公益 (a department, the enterprise itself, the auditor), and
nothing for a leader when the enterprise has neither; the keepers always see it, with 新增结对."""

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from shanglian.accounts.roles import MEMBER_READER_ROLES, WELFARE_KEEPER_ROLES, role_of
from shanglian.common.money import yuan_text
from shanglian.ui.sections import Section, register

from .figures.giving import totals
from .selectors import pairings as pairing_selectors
from .selectors.scopes import donations_visible_to

DONATIONS_SHOWN = 5


@register("enterprise")
def enterprise_welfare(user, enterprise):
    role = role_of(user)
    if role not in MEMBER_READER_ROLES:
        return None
    today = timezone.localdate()
    pairings = list(pairing_selectors.enterprise_pairings(user, enterprise))
    donations = donations_visible_to(user).filter(donor_enterprise=enterprise)
    found = totals(donations)
    keeper = role in WELFARE_KEEPER_ROLES
    if not keeper and not pairings and not found.donations:
        return None
    for pairing in pairings:
        pairing.status = pairing_selectors.status_of(pairing, today)
    latest = list(donations.order_by("-donated_on", "-id")[:DONATIONS_SHOWN]) if found.donations else []
    for donation in latest:
        donation.cash_text, donation.goods_text = yuan_text(donation.cash), yuan_text(donation.goods_value)
    return Section("welfare/_enterprise_section.html", {
        "enterprise": enterprise, "pairings": pairings, "donations": latest, "totals": found,
        "cash": yuan_text(found.cash), "goods": yuan_text(found.goods), "total": yuan_text(found.total),
        "create_url": (f"{reverse('welfare:pairing_create')}?{urlencode({'enterprise': enterprise.pk})}"
                       if keeper else ""),
    })
