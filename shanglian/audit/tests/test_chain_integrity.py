"""The chain is keyed and its head anchored: tampering by someone with write access to the database but
not the chain key is detected, and deleting a user never touches their audit rows."""

import hashlib
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from shanglian.audit import services
from shanglian.audit.models import AuditEvent

COLUMNS = [f.attname for f in AuditEvent._meta.concrete_fields]


def _tamper(sql, params):
    """What an attacker who owns the database can do: switch the append-only trigger off and write."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")


def _published_hash(row):
    """The unkeyed SHA-256 chain as published before the key (anyone can compute it)."""
    payload = json.dumps(
        [row.prev_hash, row.timestamp.isoformat(timespec="microseconds"), row.actor_id, row.username, row.action,
         row.result, row.remote_addr, row.object_type, row.object_id, row.object_repr, row.detail,
         row.request_id, row.path],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _snapshot():
    return list(AuditEvent.objects.order_by("id").values_list(*COLUMNS))


def test_deleting_the_newest_rows_is_detected_after_a_checkpoint(cast):
    for _ in range(4):
        services.record("login", actor=cast.users.staff)
    call_command("verify_audit_chain")  # writes a signed checkpoint at the head
    newest = AuditEvent.objects.order_by("-id")[:2]
    _tamper("DELETE FROM audit_auditevent WHERE id >= %s", [min(e.pk for e in newest)])
    assert services.verify_chain() != []
    with pytest.raises(CommandError, match="缺失"):
        call_command("verify_audit_chain")


def test_rows_written_after_the_checkpoint_still_verify(cast):
    services.record("login", actor=cast.users.staff)
    services.write_checkpoint()
    services.record("logout", actor=cast.users.staff)
    assert services.verify_chain() == []
    call_command("verify_audit_chain")


def test_an_edited_row_with_later_hashes_recomputed_by_the_published_method_is_detected(cast):
    for _ in range(4):
        services.record("login", actor=cast.users.staff)
    rows = list(AuditEvent.objects.order_by("id"))
    target = rows[1]
    prev = rows[0].hash
    for row in rows[1:]:
        row.prev_hash = prev
        if row.pk == target.pk:
            row.username = "forged"
        row.hash = _published_hash(row)
        prev = row.hash
        extra = ", chain_epoch = 0" if "chain_epoch" in COLUMNS else ""  # pretend the rows predate the key
        _tamper(f"UPDATE audit_auditevent SET username = %s, prev_hash = %s, hash = %s{extra} WHERE id = %s",
                [row.username, row.prev_hash, row.hash, row.pk])
    assert target.pk in services.verify_chain()
    with pytest.raises(CommandError):
        call_command("verify_audit_chain")


def test_an_edited_row_rehashed_with_sha256_of_its_payload_is_detected(cast):
    for _ in range(3):
        services.record("login", actor=cast.users.staff)
    rows = list(AuditEvent.objects.order_by("id"))
    prev = rows[0].hash
    for row in rows[1:]:
        row.prev_hash = prev
        row.object_repr = "forged"
        row.hash = hashlib.sha256(row.chain_payload()).hexdigest()
        prev = row.hash
        _tamper("UPDATE audit_auditevent SET object_repr = %s, prev_hash = %s, hash = %s WHERE id = %s",
                [row.object_repr, row.prev_hash, row.hash, row.pk])
    assert services.verify_chain() == [rows[1].pk, rows[2].pk]


def test_the_row_keeps_who_acted_as_they_were_then(cast):
    event = services.record("login", actor=cast.users.staff)
    assert event.username == cast.users.staff.username
    assert event.actor_display == (cast.users.staff.display_name or cast.users.staff.username)
    assert event.actor_role == cast.users.staff.role_label


def _history(user):
    services.record("login", actor=user)
    services.record("update", actor=user, object_type="orgs.chamber", object_id="1")


def test_deleting_a_user_with_history_in_admin_deactivates_them_and_leaves_the_chain_intact(cast, login):
    User = get_user_model()
    target = cast.users.dept1
    _history(target)
    before = [row for row in _snapshot() if row[COLUMNS.index("actor_id")] == target.pk]
    response = login(cast.users.admin).post(f"/admin/accounts/user/{target.pk}/delete/", {"post": "yes"},
                                            follow=True)
    assert response.status_code == 200
    assert "已停用" in response.content.decode()
    target = User.objects.get(pk=target.pk)
    assert target.is_active is False
    after = [row for row in _snapshot() if row[COLUMNS.index("actor_id")] == target.pk]
    assert after == before
    assert AuditEvent.objects.filter(action="account_disable", object_id=str(target.pk)).exists()
    assert services.verify_chain() == []
    call_command("verify_audit_chain")


def test_bulk_delete_in_admin_deactivates_users_with_history_and_deletes_the_others(cast, login):
    User = get_user_model()
    with_history, without = cast.users.dept1, cast.users.chamber2
    _history(with_history)
    AuditEvent.objects.filter(actor_id=without.pk).exists() and pytest.fail("fixture gave chamber2 history")
    response = login(cast.users.admin).post("/admin/accounts/user/", {
        "action": "delete_selected", "_selected_action": [with_history.pk, without.pk], "post": "yes"},
        follow=True)
    assert response.status_code == 200
    assert User.objects.get(pk=with_history.pk).is_active is False
    assert not User.objects.filter(pk=without.pk).exists()
    assert services.verify_chain() == []


def test_deleting_a_user_with_history_in_code_deactivates_instead(cast):
    target = cast.users.dept1
    _history(target)
    target.delete()
    assert get_user_model().objects.get(pk=target.pk).is_active is False
    assert services.verify_chain() == []


def test_the_periodic_checkpoint_does_not_advance_over_deleted_rows(cast):
    from shanglian.audit.tasks import checkpoint_audit_chain

    for _ in range(3):
        services.record("login", actor=cast.users.staff)
    assert checkpoint_audit_chain.call_local() == []
    anchored = services.read_checkpoint()
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [anchored["last_id"]])
    services.record("logout", actor=cast.users.staff)  # a new row links to the new head
    assert checkpoint_audit_chain.call_local() == [anchored["last_id"]]
    assert services.read_checkpoint() == anchored


def test_a_checkpoint_file_edited_by_hand_is_refused(cast, settings):
    services.record("login", actor=cast.users.staff)
    services.write_checkpoint()
    data = json.loads(settings.AUDIT_CHECKPOINT_FILE.read_text())
    data["last_id"] -= 1
    settings.AUDIT_CHECKPOINT_FILE.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="签名不符"):
        call_command("verify_audit_chain")
