"""The check every refusal test of a staff form makes."""

from shanglian.audit.models import AuditEvent


def assert_refused(client, url, data, *, field, reason, model):
    """POSTing `data` answers 400 with `reason` under `field`, and writes no `model` row and no audit row."""
    before = model.objects.count(), AuditEvent.objects.count()
    response = client.post(url, data)
    assert response.status_code == 400
    assert reason in response.context["form"].errors[field]
    assert (model.objects.count(), AuditEvent.objects.count()) == before
