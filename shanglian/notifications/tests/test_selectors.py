"""The inbox is the user's own: others' messages are neither listed, counted nor opened."""

from django.urls import reverse

from shanglian.notifications import selectors
from shanglian.notifications.services import notify


def test_a_user_reads_and_counts_only_their_own_messages(cast, login):
    notify([cast.users.staff], kind="test", title="给工作人员的消息")
    notify([cast.users.leader], kind="test", title="给领导的消息")
    assert [n.title for n in selectors.inbox(cast.users.staff)] == ["给工作人员的消息"]
    assert selectors.unread_count(cast.users.staff) == 1
    others = selectors.inbox(cast.users.leader).get()
    assert login(cast.users.staff).get(reverse("notifications:open", args=[others.pk])).status_code == 404
    assert selectors.unread_count(cast.users.leader) == 1
