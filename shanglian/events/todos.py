"""活动 counts on the 工作台 of those who organise events: events starting within a week that are still a
draft, or published but not yet open for registration. Each count is what its link's list shows (the
list's own filters: status and the start date from today to a week ahead)."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from shanglian.accounts.roles import ORGANISER_ROLES, role_of
from shanglian.ui.todos import Todo, register

from . import selectors
from .models import Event

SOON_DAYS = 7
SOON = [(Event.Status.DRAFT, "7天内开始、仍为草稿的活动", "warning"),
        (Event.Status.PUBLISHED, "7天内开始、尚未开放报名的活动", "info")]


@register
def event_todos(user):
    if role_of(user) not in ORGANISER_ROLES:
        return
    today = timezone.localdate()
    window = {"from": today, "to": today + datetime.timedelta(days=SOON_DAYS)}
    for status, label, level in SOON:
        count = selectors.event_list(user, filters={"status": status, **window}).count()
        if count:
            query = urlencode({"status": status, "starts_from": window["from"].isoformat(),
                               "starts_to": window["to"].isoformat()})
            yield Todo(label, count, f"{reverse('events:list')}?{query}", level)
