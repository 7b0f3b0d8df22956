"""A refusal through the API is audited like the same refusal on a page (issue 18, finding 8): another
scope's object answers 404 and writes one `denied` row; an id that does not exist writes none."""

from shanglian.appeals.models import Status
from shanglian.audit.models import AuditEvent

from .factories import make_appeal


def _denied(appeal):
    return AuditEvent.objects.filter(action="denied", object_type="appeals.appeal", object_id=str(appeal.pk))


def test_another_scopes_appeal_through_the_api_is_a_404_with_one_denied_row(cast, login):
    appeal = make_appeal(cast, Status.HANDLING)
    client = login(cast.users.outsider_staff)
    assert client.get(f"/api/v1/appeals/{appeal.pk}/").status_code == 404
    row = _denied(appeal).get()
    assert row.result == "denied" and row.actor_id == cast.users.outsider_staff.pk
    post = client.post(f"/api/v1/appeals/{appeal.pk}/supervise/", {}, content_type="application/json")
    assert post.status_code in (403, 404) and _denied(appeal).count() == 2


def test_the_owner_reading_its_appeal_through_the_api_writes_no_denied_row(cast, login):
    appeal = make_appeal(cast, Status.HANDLING)
    assert login(cast.users.ent1).get(f"/api/v1/appeals/{appeal.pk}/").status_code == 200
    assert not _denied(appeal).exists()


def test_an_id_that_does_not_exist_writes_no_denied_row(cast, login):
    assert login(cast.users.outsider_staff).get("/api/v1/appeals/999999/").status_code == 404
    assert not AuditEvent.objects.filter(action="denied").exists()
