"""提醒: tell the recipients of a notice or a survey who have not yet read or answered it, again — the one way both do
it (`services.notices.remind_unread`, `services.responses.remind_silent`).

At most one reminder a day for one recipient (a recipient reminded today is skipped, so pressing 提醒 twice sends
nothing the second time); each reminded recipient's `reminded_at` and `reminders` are kept. The messages go through
`notifications.notify` (the inbox, and an SMS when asked — persons without an enterprise get the SMS only)."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from shanglian.notifications.services import notify

from ..selectors.audience import texted_persons, users_reached


def remind_recipients(recipients, *, kind, title, body="", url="", sms=False):
    """Remind `recipients` (a queryset of NoticeRecipient or SurveyRecipient rows, already narrowed to those not
    done); returns how many recipients were reminded (0 when all of them were reminded today)."""
    now = timezone.now()
    today_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    with transaction.atomic():
        due = list(recipients.select_for_update(of=("self",)).exclude(reminded_at__gte=today_start)
                   .values_list("pk", "enterprise_id", "person_id"))
        if not due:
            return 0
        enterprise_ids = [e for _, e, _ in due if e]
        person_ids = [p for _, e, p in due if not e and p]
        texted = texted_persons(person_ids) if sms else []
        notify(users_reached(enterprise_ids), kind=kind, title=title, body=body, url=url, sms=sms, texted=texted)
        recipients.model.objects.filter(pk__in=[pk for pk, _, _ in due]).update(
            reminded_at=now, reminders=F("reminders") + 1)
    return len(due)
