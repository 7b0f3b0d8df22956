from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from shanglian.audit import services
from shanglian.audit.models import AuditEvent

REQUIRED = ("timestamp", "action", "result", "request_id", "remote_addr", "hash")


def test_login_change_and_denial_each_write_a_complete_audit_row(client, cast, login):
    from shanglian import testing

    client.post("/accounts/login/", {"username": "staff", "password": testing.PASSWORD})
    client.get("/audit/")  # staff is refused the audit log
    admin_client = login(cast.users.admin)
    response = admin_client.post(f"/admin/orgs/chamber/{cast.chamber1.pk}/change/", {
        "federation": cast.district.pk, "name": "友谊路街道商会", "kind": "street", "street": cast.street.pk,
        "secretary_general": "新秘书长", "status": "active"})
    assert response.status_code == 302, response.content.decode()[:2000]
    login_row = AuditEvent.objects.get(action="login", username="staff")
    denial = AuditEvent.objects.get(action="denied", username="staff")
    change = AuditEvent.objects.get(action="update", object_type="orgs.chamber")
    assert denial.object_repr == "/audit/" and denial.result == "denied"
    assert change.username == "admin" and "秘书长" in change.detail["changed"]
    for row in (login_row, denial, change):
        for name in REQUIRED:
            assert getattr(row, name), (row.action, name)
        assert row.timestamp.tzinfo is not None


def test_audit_rows_cannot_be_changed_or_deleted_through_the_application(cast):
    event = services.record("login", actor=cast.users.staff)
    event.username = "someone-else"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(username="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_edit_made_directly_in_sql_is_detected_by_the_chain(cast):
    for _ in range(3):
        services.record("login", actor=cast.users.staff)
    call_command("verify_audit_chain")
    target = AuditEvent.objects.order_by("id")[1]
    if connection.vendor == "postgresql":
        # On PostgreSQL the database itself refuses the edit.
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditevent SET username = 'forged' WHERE id = %s", [target.pk])
        return
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET username = 'forged' WHERE id = %s", [target.pk])
    assert services.verify_chain() == [target.pk]
    with pytest.raises(CommandError):
        call_command("verify_audit_chain")


def test_purge_never_removes_rows_younger_than_183_days(cast, settings):
    settings.AUDIT_RETENTION_DAYS = 30  # a setting below the legal minimum is not honoured
    services.record("login", actor=cast.users.staff)
    services.record("pii_view", actor=cast.users.staff)
    assert services.purge_expired(now=timezone.now() + timedelta(days=182)) == 0
    assert services.purge_expired(now=timezone.now() + timedelta(days=200), dry_run=True) == 1
    assert AuditEvent.objects.count() == 2


def test_control_characters_in_a_username_are_escaped(db):
    event = services.record("login_failed", username="evil\nadmin login ok", result="failure")
    assert "\n" not in event.username and "\\x0a" in event.username


def test_a_failing_audit_write_rolls_back_the_business_change(cast, monkeypatch):
    from shanglian.accounts import services as account_services

    def broken(*args, **kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(account_services, "record", broken)
    old_hash = type(cast.users.staff).objects.get(pk=cast.users.staff.pk).password
    with pytest.raises(RuntimeError):
        account_services.change_password(actor=cast.users.staff, user=cast.users.staff, new_password="Brand@New2026")
    assert type(cast.users.staff).objects.get(pk=cast.users.staff.pk).password == old_hash
