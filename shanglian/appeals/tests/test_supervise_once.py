"""督办 has exactly one winner (issue 18, finding 11): the flag is re-checked under the row lock, so a
second request — sequential or simultaneous — is refused and writes no timeline entry and no notice."""

import pytest
from django.db import connection
from django.urls import reverse

from shanglian.appeals import services
from shanglian.appeals.models import Status, TimelineEntry
from shanglian.common.errors import Refused
from shanglian.notifications.models import Notification

from .factories import make_appeal
from .test_services import _race, reference_data  # noqa: F401 — reference_data is a fixture


def _supervisions(appeal):
    return TimelineEntry.objects.filter(appeal_id=appeal.pk, action="supervise").count()


def test_supervising_an_appeal_twice_is_refused_and_tells_nobody_again(cast):
    appeal = make_appeal(cast, Status.HANDLING)
    services.supervise_appeal(actor=cast.users.leader, appeal=appeal, note="请加快办理")
    notices = Notification.objects.count()
    with pytest.raises(Refused, match="已在督办中"):
        services.supervise_appeal(actor=cast.users.staff, appeal=appeal, note="请加快办理")
    assert _supervisions(appeal) == 1 and Notification.objects.count() == notices


def test_the_detail_page_no_longer_offers_supervise_once_supervised(cast, login):
    appeal = make_appeal(cast, Status.HANDLING)
    url = reverse("appeals:act", args=[appeal.pk, "supervise"])
    assert url in login(cast.users.leader).get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    services.supervise_appeal(actor=cast.users.leader, appeal=appeal)
    assert url not in login(cast.users.leader).get(reverse("appeals:detail", args=[appeal.pk])).content.decode()


def test_a_second_supervise_through_the_api_is_a_409(cast, login):
    appeal = make_appeal(cast, Status.HANDLING)
    client = login(cast.users.leader)
    first = client.post(f"/api/v1/appeals/{appeal.pk}/supervise/", {}, content_type="application/json")
    second = client.post(f"/api/v1/appeals/{appeal.pk}/supervise/", {}, content_type="application/json")
    assert first.status_code == 200 and second.status_code == 409
    assert "已在督办中" in second.json()["detail"] and _supervisions(appeal) == 1


@pytest.mark.django_db(transaction=True)
def test_eight_simultaneous_supervise_requests_make_one_entry_and_one_round(reference_data, cast):  # noqa: F811
    twin, appeal = make_appeal(cast, Status.HANDLING), make_appeal(cast, Status.HANDLING)
    before = Notification.objects.count()
    services.supervise_appeal(actor=cast.users.leader, appeal=twin)  # what one supervision sends
    one_round = Notification.objects.count() - before
    assert one_round > 0

    outcomes = _race([lambda: services.supervise_appeal(actor=cast.users.leader, appeal=appeal.pk)] * 8)
    kinds = [kind for kind, _ in outcomes]
    assert "error" not in kinds, outcomes
    assert kinds.count("won") == 1, outcomes
    if connection.vendor == "postgresql":  # the row lock makes the others wait, re-read and be refused
        assert kinds.count("refused") == 7, outcomes
    assert _supervisions(appeal) == 1
    assert Notification.objects.count() - before == 2 * one_round
