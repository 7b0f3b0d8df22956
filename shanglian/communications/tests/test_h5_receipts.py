"""阅读回执 (services.receipts.mark_notice_read): the enterprise's receipt takes its first reader, once; the reader's
inbox messages about the notice are marked read; only a user of a recipient enterprise of a sent notice reads."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.communications.services.receipts import mark_notice_read
from shanglian.notifications.models import Notification


def sent(cast, *enterprises, status="sent"):
    notice = testing.make_notice(cast.district, by=cast.users.staff, status=status, sent_at=timezone.now(),
                                 sent_by=cast.users.staff)
    for enterprise in enterprises:
        testing.make_notice_recipient(notice, enterprise)
    return notice


def message(user, notice, kind="notice"):
    return Notification.objects.create(recipient=user, kind=kind, title=notice.title,
                                       url=reverse("communications:h5_notice", args=[notice.pk]))


def test_the_first_reader_of_the_enterprise_is_kept(cast):
    notice = sent(cast, cast.ent1)
    colleague = testing.make_user(Role.ENTERPRISE, username="ent1b", enterprise=cast.ent1)
    first = mark_notice_read(user=cast.users.ent1, notice=notice)
    assert first.read_by == cast.users.ent1 and first.read_at is not None
    again = mark_notice_read(user=colleague, notice=notice)
    assert (again.read_by, again.read_at) == (cast.users.ent1, first.read_at)
    first.refresh_from_db()
    assert first.read_by == cast.users.ent1


def test_reading_marks_the_readers_own_messages_about_the_notice_read(cast):
    notice = sent(cast, cast.ent1)
    other_notice = sent(cast, cast.ent1)
    colleague = testing.make_user(Role.ENTERPRISE, username="ent1b", enterprise=cast.ent1)
    mine, reminder = message(cast.users.ent1, notice), message(cast.users.ent1, notice)
    theirs, unrelated = message(colleague, notice), message(cast.users.ent1, other_notice)
    mark_notice_read(user=cast.users.ent1, notice=notice)
    for row in (mine, reminder, theirs, unrelated):
        row.refresh_from_db()
    assert mine.read_at and reminder.read_at
    assert theirs.read_at is None and unrelated.read_at is None


def test_only_a_user_of_a_recipient_enterprise_reads_a_sent_notice(cast):
    notice = sent(cast, cast.ent1)
    ent2_user = testing.make_user(Role.ENTERPRISE, username="ent2u", enterprise=cast.ent2)
    for user in (ent2_user, cast.users.staff, cast.users.chamber1):
        with pytest.raises(PermissionDenied):
            mark_notice_read(user=user, notice=notice)
    withdrawn = sent(cast, cast.ent1, status="withdrawn")
    with pytest.raises(PermissionDenied):
        mark_notice_read(user=cast.users.ent1, notice=withdrawn)
    assert not notice.recipients.filter(read_at__isnull=False).exists()
    assert not withdrawn.recipients.filter(read_at__isnull=False).exists()
