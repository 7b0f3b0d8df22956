"""What the engagement app contributes to other apps' pages (discovered at startup, see `ui.sections`)."""

from django.urls import reverse
from django.utils import timezone

from shanglian.accounts.roles import EDITOR_ROLES, VISITOR_ROLES, role_of
from shanglian.ui.sections import Section, register

from .selectors import liaison as liaison_selectors

ENTERPRISE_VISITS_SHOWN = 5


@register("appeal")
def source_visit(user, appeal):
    """来源走访 on an appeal's page when it was opened from a visit's problem: the visit's facts, linked to the
    visit's page for those who may read it (a chamber or a department reads the words only)."""
    visit = liaison_selectors.source_visit(appeal)
    if visit is None:
        return None
    url = ""
    if role_of(user) in VISITOR_ROLES and liaison_selectors.visits_visible_to(user).filter(pk=visit.pk).exists():
        url = reverse("engagement:visit", args=[visit.pk])
    return Section("engagement/liaison/_appeal_section.html", {"visit": visit, "url": url})


@register("enterprise")
def enterprise_liaison(user, enterprise):
    """包联与走访 on the enterprise 360° page: its liaisons and last visits, for those who may read them (the
    editors all; a leader their own, shown only when there is something of theirs)."""
    role = role_of(user)
    if role not in VISITOR_ROLES:
        return None
    today = timezone.localdate()
    liaisons = list(liaison_selectors.enterprise_liaisons(user, enterprise))
    visits = liaison_selectors.enterprise_visits(user, enterprise)
    shown = list(visits[:ENTERPRISE_VISITS_SHOWN])
    editor = role in EDITOR_ROLES
    if not editor and not liaisons and not shown:
        return None
    for item in liaisons:
        item.in_force = item.in_force_on(today)
    return Section("engagement/liaison/_enterprise_section.html", {
        "enterprise": enterprise, "liaisons": liaisons, "visits": shown,
        "visit_count": len(shown) if len(shown) < ENTERPRISE_VISITS_SHOWN else visits.count(),
        "can_add": editor, "can_record": editor or any(item.in_force for item in liaisons),
    })
