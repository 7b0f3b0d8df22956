"""What events contribute to other apps' pages (discovered at startup, see `ui.sections`)."""

from django.urls import reverse

from shanglian.accounts.roles import EVENT_READER_ROLES, role_of
from shanglian.ui.sections import Section, register

from . import selectors
from .models import EventAppeal


@register("appeal")
def source_event(user, appeal):
    """来源活动 on an appeal's page when it was raised at an event (恳谈会/早餐会/座谈会): the event's facts,
    linked to the event's page for those who may read it (a department reads the words only)."""
    link = EventAppeal.objects.filter(appeal=appeal).select_related("event", "event__kind").first()
    if link is None:
        return None
    event = link.event
    url = ""
    if role_of(user) in EVENT_READER_ROLES and selectors.events_visible_to(user).filter(pk=event.pk).exists():
        url = reverse("events:detail", args=[event.pk])
    return Section("events/_appeal_section.html", {"event": event, "url": url})
