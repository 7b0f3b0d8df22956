"""`{% meeting_section event user %}`: the statutory meeting's part of an event's page (body, term, quorum,
attendee list, minutes, resolutions), read by `meeting_views.meeting_context`."""

from django import template

register = template.Library()


@register.inclusion_tag("events/meeting_section.html", takes_context=True)
def meeting_section(context, event, user):
    from shanglian.events.meeting_views import meeting_context

    return {**meeting_context(user, event), "csrf_token": context.get("csrf_token"),
            "request": context.get("request")}
