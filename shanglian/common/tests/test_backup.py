"""manage.py backup / restore: a round trip on a small district, on the database the suite runs on
(SQLite by default, PostgreSQL under `make test-pg`), and the refusals."""

import base64
import hashlib
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.audit.models import AuditEvent
from shanglian.audit.services import record
from shanglian.common.backup import table_row_counts

pytestmark = pytest.mark.django_db(transaction=True)

KEY = base64.b64encode(bytes(range(32))).decode()
OTHER_KEY = base64.b64encode(bytes(range(1, 33))).decode()


@pytest.fixture
def backup_env(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "var" / "media"
    settings.SHANGLIAN_BACKUP_KEY = KEY
    monkeypatch.delenv("SHANGLIAN_BACKUP_KEY", raising=False)
    return tmp_path


def _district():
    """A demo-like district: federation, street, chambers, enterprises, people, memberships, users,
    audit rows and uploaded files (one in a nested folder, one binary)."""
    testing.ensure_reference_data()
    city = testing.make_federation(name="天津市工商联", level="city", region_code="120100")
    district = testing.make_federation(name="河西区工商联", level="county", region_code="120103", parent=city)
    street = testing.make_street(district, name="友谊路街道")
    chamber = testing.make_chamber(district, name="友谊路街道商会", street=street)
    testing.make_department(district, name="区税务局")
    for i in range(3):
        ent = testing.make_enterprise(district, name=f"天津友谊科技{i}有限公司", chamber=chamber, street=street)
        person = testing.make_person(district, name=f"王建{i}", enterprise=ent)
        testing.make_membership(district, ent, number=f"HX-2020-{i:04d}")
        testing.make_membership(district, person, number=f"HX-2021-{i:04d}")
    staff = testing.make_user(Role.STAFF, federation=district)
    testing.make_user(Role.CHAMBER, chamber=chamber)
    for i in range(3):
        record("login", actor=staff, detail={"n": i})


def _media_files(settings):
    media = Path(settings.MEDIA_ROOT)
    (media / "appeals" / "2026" / "11").mkdir(parents=True, exist_ok=True)
    (media / "appeals" / "2026" / "11" / "证明材料.pdf").write_bytes(b"%PDF-1.4 " + bytes(range(256)) * 50)
    (media / "imports").mkdir(exist_ok=True)
    (media / "imports" / "members.xlsx").write_bytes(b"PK\x03\x04" + b"x" * 3000)


def _snapshot(settings):
    """Row counts of every table, a checksum of every model's rows, and every file's SHA-256."""
    checksums = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        rows = sorted(repr(row) for row in model._base_manager.order_by().values_list())
        checksums[model._meta.db_table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    media = Path(settings.MEDIA_ROOT)
    files = {p.relative_to(media).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in media.rglob("*") if p.is_file()}
    return table_row_counts(), checksums, files


def _skip_without_pg_dump():
    if connection.vendor == "postgresql":
        from shanglian.common.backup import BackupError, pg_tool

        try:
            pg_tool("pg_dump")
            pg_tool("pg_restore")
        except BackupError:
            pytest.skip("pg_dump / pg_restore not installed")


def test_restore_brings_back_rows_checksums_and_files_after_changes(backup_env, settings):
    _skip_without_pg_dump()
    _district()
    _media_files(settings)
    before = _snapshot(settings)
    archive = backup_env / "b.slbak"
    call_command("backup", str(archive))
    assert b"%PDF" not in archive.read_bytes() and "友谊".encode() not in archive.read_bytes()

    # Everything changes after the backup: rows deleted and added, files deleted and added.
    from shanglian.members.models import Enterprise, Membership, Person

    Membership.objects.all().delete()
    Person.objects.all().delete()
    Enterprise.objects.update(name="改过的名称")
    testing.make_federation(name="新增工商联", level="county", region_code="120199")
    shutil.rmtree(Path(settings.MEDIA_ROOT) / "appeals")
    (Path(settings.MEDIA_ROOT) / "stray.txt").write_text("after the backup")
    assert _snapshot(settings) != before

    call_command("restore", str(archive), "--force")

    after = _snapshot(settings)
    audit_table = AuditEvent._meta.db_table
    # Every row as it was, and one more audit row: the restore itself.
    assert after[0] == {**before[0], audit_table: before[0][audit_table] + 1}
    assert {t: c for t, c in after[1].items() if t != audit_table} == {
        t: c for t, c in before[1].items() if t != audit_table}
    assert after[2] == before[2]
    assert list(AuditEvent.objects.values_list("action", flat=True).order_by("id")) == ["login"] * 3 + ["restore"]
    call_command("verify_audit_chain")


def test_backup_and_restore_are_audited_and_the_chain_verifies_after_a_rollback(backup_env, settings):
    """Rows written after the backup (a checkpoint taken over them) are rolled back by the restore: the
    restore row names the checkpoint it replaces, and the checkpoint moves to it, so the chain verifies
    instead of reporting a truncation."""
    from shanglian.audit.services import advance_checkpoint, read_checkpoint, verify_chain

    _skip_without_pg_dump()
    _district()
    archive = backup_env / "b.slbak"
    call_command("backup", str(archive))
    backup_row = AuditEvent.objects.latest("id")
    assert backup_row.action == "backup" and backup_row.object_repr == "b.slbak"
    assert backup_row.detail["rows"] > 0 and backup_row.detail["tables"] > 0 and backup_row.detail["os_user"]
    for i in range(4):
        record("login", detail={"after": i})
    assert advance_checkpoint() == []
    rolled_back_head = read_checkpoint()["last_id"]

    call_command("restore", str(archive), "--force")

    restore_row = AuditEvent.objects.latest("id")
    assert restore_row.action == "restore" and restore_row.result == "success"
    assert restore_row.detail["checkpoint_replaced"]["last_id"] == rolled_back_head
    assert restore_row.detail["forced"] is True and restore_row.detail["restored_chain_broken"] == []
    assert not AuditEvent.objects.filter(action="backup").exists()  # written after the archive, not in it
    assert read_checkpoint()["last_id"] == restore_row.id
    assert verify_chain() == []


def test_restore_refuses_a_wrong_key_and_changes_nothing(backup_env, settings):
    _skip_without_pg_dump()
    _district()
    _media_files(settings)
    archive = backup_env / "b.slbak"
    call_command("backup", str(archive))
    testing.make_federation(name="新增工商联", level="county", region_code="120199")
    before = _snapshot(settings)
    settings.SHANGLIAN_BACKUP_KEY = OTHER_KEY

    with pytest.raises(CommandError, match="备份密钥不正确"):
        call_command("restore", str(archive), "--force")
    assert _snapshot(settings) == before


def test_restore_refuses_a_tampered_or_truncated_archive_and_changes_nothing(backup_env, settings):
    _skip_without_pg_dump()
    _district()
    _media_files(settings)
    archive = backup_env / "b.slbak"
    call_command("backup", str(archive))
    original = archive.read_bytes()
    testing.make_federation(name="新增工商联", level="county", region_code="120199")
    before = _snapshot(settings)

    for where in ("magic", "key check", "first chunk", "middle", "last byte", "truncated", "appended"):
        data = bytearray(original)
        if where == "truncated":
            data = data[: len(data) // 2]
        elif where == "appended":
            data += b"\x00" * 20
        else:
            at = {"magic": 2, "key check": 10, "first chunk": 40, "middle": len(data) // 2,
                  "last byte": len(data) - 1}[where]
            data[at] ^= 0x01
        archive.write_bytes(bytes(data))
        with pytest.raises(CommandError, match="篡改|损坏|密钥不正确|不是商联通备份文件"):
            call_command("restore", str(archive), "--force")
        assert _snapshot(settings) == before, where


def test_restore_refuses_a_target_with_users_unless_forced(backup_env, settings):
    _skip_without_pg_dump()
    _district()
    archive = backup_env / "b.slbak"
    call_command("backup", str(archive))

    with pytest.raises(CommandError, match="不为空.*--force"):
        call_command("restore", str(archive))
    call_command("restore", str(archive), "--force")


def test_restore_refuses_a_backup_of_another_database_vendor(backup_env, settings, monkeypatch):
    _skip_without_pg_dump()
    _district()
    archive = backup_env / "b.slbak"
    call_command("backup", str(archive))
    from shanglian.common import backup

    monkeypatch.setattr(backup, "vendor", lambda: "oracle")
    with pytest.raises(CommandError, match="数据库类型不一致"):
        call_command("restore", str(archive), "--force")


def test_backup_and_restore_refuse_without_a_key_or_with_a_malformed_one(backup_env, settings):
    settings.SHANGLIAN_BACKUP_KEY = ""
    with pytest.raises(CommandError, match="未设置备份密钥"):
        call_command("backup", str(backup_env / "b.slbak"))
    settings.SHANGLIAN_BACKUP_KEY = base64.b64encode(b"short").decode()
    with pytest.raises(CommandError, match="长度错误"):
        call_command("backup", str(backup_env / "b.slbak"))
    settings.SHANGLIAN_BACKUP_KEY = "not base64!"
    with pytest.raises(CommandError, match="格式错误"):
        call_command("restore", str(backup_env / "b.slbak"))
    assert not (backup_env / "b.slbak").exists()


def test_large_files_are_encrypted_in_chunks_and_round_trip(tmp_path):
    from shanglian.common.backup import CHUNK_BYTES, decrypt_file, encrypt_file

    src = tmp_path / "src"
    src.write_bytes(bytes(range(256)) * (CHUNK_BYTES // 256 * 2 + 7))
    enc, out = tmp_path / "enc", tmp_path / "out"
    encrypt_file(src, enc, bytes(range(32)))
    decrypt_file(enc, out, bytes(range(32)))
    assert out.read_bytes() == src.read_bytes()


def test_restore_removes_tables_created_after_the_backup(backup_env, settings):
    """An older backup restored after an upgrade: the database is the backup's, so `migrate` can run
    the newer migrations again instead of tripping over their tables."""
    _skip_without_pg_dump()
    _district()
    archive = backup_env / "b.slbak"
    call_command("backup", str(archive))
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE backup_test_later (id integer PRIMARY KEY)")
        cursor.execute("INSERT INTO backup_test_later (id) VALUES (1)")

    call_command("restore", str(archive), "--force")

    assert "backup_test_later" not in table_row_counts()
