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


PERSON_EVENTS_SHOWN = 20  # the latest attendances a person's profile lists (the count covers them all)


@register("person")
def events_attended(user, person):
    """参加活动 on a person's profile (the representative-figures database): the person's check-ins at the events
    the user may see (a chamber secretary its chamber's events), the latest first, each linked to its event."""
    if role_of(user) not in EVENT_READER_ROLES:
        return None
    checkins = selectors.checkins_visible_to(user).filter(person=person)
    latest = list(checkins.select_related("event", "event__kind").order_by("-checked_in_at", "-id")[:PERSON_EVENTS_SHOWN])
    return Section("events/_person_section.html", {"checkins": latest, "total": checkins.count(),
                                                   "shown": PERSON_EVENTS_SHOWN})
