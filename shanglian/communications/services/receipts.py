"""阅读回执: an enterprise's user opened a notice sent to the enterprise (on the phone, or the API's `read` action).

The enterprise's receipt (`NoticeRecipient`) takes the first reader: `read_at`/`read_by` are set once, by a single
UPDATE that only matches an unread receipt, so two users opening it at once leave the first one's. The reader's
own inbox messages about the notice (the message it was sent with and the reminders) are marked read too.
Opening a notice is not an audited change (like a policy's read, `policies.services.record_read`): the receipt
itself is the record.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from shanglian.accounts.roles import Role, role_of
from shanglian.notifications.selectors import inbox
from shanglian.notifications.services import mark_read

from ..models import Notice, NoticeRecipient
from .notices import NOTIFICATION_KIND

NOT_SENT_TO_YOU = "该通知没有发给贵企业，或已撤回。"


def mark_notice_read(*, user, notice):
    """The enterprise's receipt of `notice`, read by `user` (the first reader kept). Refused (403) to anyone but a
    user of a recipient enterprise of a sent notice. Returns the receipt."""
    if role_of(user) != Role.ENTERPRISE or not user.enterprise_id:
        raise PermissionDenied("只有收到通知的企业用户可以阅读该通知。")
    receipts = NoticeRecipient.objects.filter(notice_id=getattr(notice, "pk", notice), enterprise_id=user.enterprise_id,
                                              notice__status=Notice.Status.SENT)
    with transaction.atomic():
        receipt = receipts.first()
        if receipt is None:
            raise PermissionDenied(NOT_SENT_TO_YOU)
        now = timezone.now()
        if receipt.read_at is None and receipts.filter(pk=receipt.pk, read_at__isnull=True).update(
                read_at=now, read_by=user):
            receipt.read_at, receipt.read_by = now, user
        elif receipt.read_at is None:  # another user of the enterprise read it a moment ago
            receipt.refresh_from_db(fields=["read_at", "read_by"])
        url = reverse("communications:h5_notice", args=[receipt.notice_id])
        messages = list(inbox(user).filter(kind=NOTIFICATION_KIND, url=url, read_at__isnull=True)
                        .values_list("pk", flat=True))
        if messages:
            mark_read(actor=user, notification_ids=messages)
    return receipt
