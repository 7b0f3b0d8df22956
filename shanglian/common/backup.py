"""Encrypted backup and restore of the database and the uploaded files (`manage.py backup` / `restore`).

One archive file holds everything, encrypted, because it holds personal data:

- the database: SQLite through the online backup API (`sqlite3.Connection.backup`, consistent while the
  site runs), PostgreSQL through `pg_dump --format=custom` (restored with `pg_restore`);
- every file under MEDIA_ROOT, as ``media/<relative path>``;
- ``manifest.json``: format version, database vendor, the applied Django migrations, the row count of
  every table and the SHA-256 of every other member.

The members go into a tar file in a private temporary directory, which is then encrypted in chunks of
1 MiB with AES-256-GCM (`cryptography`'s AESGCM, as `common.crypto`), so a large database never has to
fit in memory. File layout::

    MAGIC (8 bytes) ‖ key check (16) ‖ nonce prefix (8) ‖ chunk*
    chunk = length (4, big endian) ‖ ciphertext ‖ tag (16)

Each chunk's nonce is the prefix followed by its index (4 bytes); its associated data is the header,
the index and a last-chunk flag, so chunks cannot be reordered, dropped, or the archive cut short
without failing authentication. The key check is an HMAC of the nonce prefix under the key, so a wrong
key is told apart from a damaged archive before anything is decrypted.

The key comes from ``SHANGLIAN_BACKUP_KEY`` (base64 of 32 bytes); in production it is required by these
commands only, not to start the site. Keep it apart from the archives (and from the server's disk if
you can): an archive without its key cannot be read by anyone, including you.

Restore decrypts to a temporary directory, checks every member against the manifest, refuses a vendor
mismatch, a backup from newer code (migrations this code does not know) or a non-empty target (unless
forced), then replaces the database and the media and checks the row counts against the manifest.
Audit rows are restored byte for byte, so the audit hash chain (keyed with a key outside the database)
verifies afterwards as it did when the backup was taken. Both commands are audited: a backup appends a
BACKUP row after the archive is written (so it is not in it); a restore appends a RESTORE row to the
restored chain naming the checkpoint it replaces, and moves the checkpoint there
(`audit.services.record_restore`), so what a restore rolled back is on record and the chain verifies.
"""

import base64
import binascii
import getpass
import hashlib
import hmac
import json
import os
import secrets
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from glob import glob
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from shanglian.audit.models import AuditAction
from shanglian.audit.services import record, record_restore

__all__ = ["BackupError", "backup_key", "create_backup", "restore_backup", "table_row_counts"]

FORMAT_VERSION = 1
MAGIC = b"SLBAK\x00\x01\n"
KEY_CHECK_BYTES = 16
NONCE_PREFIX_BYTES = 8
HEADER_BYTES = len(MAGIC) + KEY_CHECK_BYTES + NONCE_PREFIX_BYTES
CHUNK_BYTES = 1 << 20
TAG_BYTES = 16
MAX_CHUNKS = 0xFFFFFFFF
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
DB_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """A backup or restore refused or failed; the message is for the operator, in Chinese."""


# --- Key -------------------------------------------------------------------------------------------
def backup_key():
    """The 32-byte key from SHANGLIAN_BACKUP_KEY (settings or environment), or BackupError."""
    raw = getattr(settings, "SHANGLIAN_BACKUP_KEY", "") or os.environ.get("SHANGLIAN_BACKUP_KEY", "")
    if not raw:
        raise BackupError("未设置备份密钥：请在环境变量 SHANGLIAN_BACKUP_KEY 中提供 base64 编码的 32 字节密钥"
                          "（可用 python -c \"import base64,os;print(base64.b64encode(os.urandom(32)).decode())\" 生成）。")
    try:
        key = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        raise BackupError("备份密钥 SHANGLIAN_BACKUP_KEY 格式错误：应为 base64 编码的 32 字节密钥。") from None
    if len(key) != 32:
        raise BackupError("备份密钥 SHANGLIAN_BACKUP_KEY 长度错误：解码后应为 32 字节。")
    return key


def _key_check(key, prefix):
    return hmac.new(key, b"shanglian-backup-key-check" + prefix, hashlib.sha256).digest()[:KEY_CHECK_BYTES]


# --- Streaming authenticated encryption -----------------------------------------------------------
def _aad(header, index, last):
    return header + struct.pack(">IB", index, 1 if last else 0)


def encrypt_file(src, dst, key):
    """Encrypt the file `src` into `dst` chunk by chunk (see the module docstring for the layout)."""
    prefix = secrets.token_bytes(NONCE_PREFIX_BYTES)
    header = MAGIC + _key_check(key, prefix) + prefix
    aes = AESGCM(key)
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        fout.write(header)
        index = 0
        chunk = fin.read(CHUNK_BYTES)
        while True:
            following = fin.read(CHUNK_BYTES)
            last = not following
            sealed = aes.encrypt(prefix + struct.pack(">I", index), chunk, _aad(header, index, last))
            fout.write(struct.pack(">I", len(sealed)))
            fout.write(sealed)
            if last:
                break
            index += 1
            if index > MAX_CHUNKS:
                raise BackupError("备份过大，超出归档格式的上限。")
            chunk = following


def decrypt_file(src, dst, key):
    """Decrypt `src` into `dst`; BackupError on a wrong key, a tampered or a truncated archive."""
    tampered = "备份文件已被篡改或损坏（完整性校验失败），拒绝恢复。"
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        header = fin.read(HEADER_BYTES)
        if len(header) != HEADER_BYTES or not header.startswith(MAGIC):
            raise BackupError("不是商联通备份文件，或文件头已损坏。")
        check = header[len(MAGIC):len(MAGIC) + KEY_CHECK_BYTES]
        prefix = header[-NONCE_PREFIX_BYTES:]
        if not hmac.compare_digest(check, _key_check(key, prefix)):
            raise BackupError("备份密钥不正确：此备份不是用当前 SHANGLIAN_BACKUP_KEY 加密的，拒绝恢复。")
        aes = AESGCM(key)
        index = 0
        while True:
            size_bytes = fin.read(4)
            if len(size_bytes) != 4:
                raise BackupError(tampered)
            (size,) = struct.unpack(">I", size_bytes)
            if size < TAG_BYTES or size > CHUNK_BYTES + TAG_BYTES:
                raise BackupError(tampered)
            sealed = fin.read(size)
            if len(sealed) != size:
                raise BackupError(tampered)
            nonce = prefix + struct.pack(">I", index)
            # The last chunk is flagged in its associated data: try "not last" first (most chunks),
            # then "last"; a chunk authenticates under exactly one of them.
            for last in (False, True):
                try:
                    plain = aes.decrypt(nonce, sealed, _aad(header, index, last))
                    break
                except InvalidTag:
                    continue
            else:
                raise BackupError(tampered)
            fout.write(plain)
            if last:
                if fin.read(1):
                    raise BackupError(tampered)
                return
            index += 1


# --- Database facts --------------------------------------------------------------------------------
def vendor():
    return connection.vendor


def _tables():
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
    return sorted(name for name in names if not name.startswith("sqlite_"))


def table_row_counts():
    """{table: row count} for every table in the database (Django's and the apps')."""
    counts = {}
    with connection.cursor() as cursor:
        for table in _tables():
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # noqa: S608 (a table name from introspection)
            counts[table] = cursor.fetchone()[0]
    return counts


def applied_migrations():
    with connection.cursor() as cursor:
        if "django_migrations" not in _tables():
            return []
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [f"{app}.{name}" for app, name in cursor.fetchall()]


def _target_is_empty():
    """No user accounts in the database and no uploaded files: a freshly migrated, unused site."""
    if get_user_model()._meta.db_table in _tables() and get_user_model()._default_manager.exists():
        return False
    media = Path(settings.MEDIA_ROOT)
    return not (media.is_dir() and any(path.is_file() for path in media.rglob("*")))


# --- PostgreSQL tools ------------------------------------------------------------------------------
def pg_tool(name):
    """Path of pg_dump / pg_restore: Debian's newest /usr/lib/postgresql/*/bin first, then PATH."""
    dirs = sorted(glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(Path(d).parent.name)
                  if Path(d).parent.name.isdigit() else 0)
    for directory in reversed(dirs):
        candidate = Path(directory) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(name)
    if found:
        return found
    raise BackupError(f"找不到 PostgreSQL 工具 {name}：请安装 PostgreSQL 客户端（Debian：apt-get install postgresql-client）。")


def _pg_args_env():
    cfg = connection.settings_dict
    args = ["--dbname", cfg["NAME"]]
    if cfg.get("HOST"):
        args += ["--host", cfg["HOST"]]
    if cfg.get("PORT"):
        args += ["--port", str(cfg["PORT"])]
    if cfg.get("USER"):
        args += ["--username", cfg["USER"]]
    env = dict(os.environ)
    if cfg.get("PASSWORD"):
        env["PGPASSWORD"] = cfg["PASSWORD"]
    return args, env


def _run(command, env, what):
    # A list of arguments, no shell: the database settings cannot inject a command.
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{what}失败（退出码 {result.returncode}）：{result.stderr.strip()[-2000:]}")


# --- Helpers ---------------------------------------------------------------------------------------
def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK_BYTES), b""):
            digest.update(block)
    return digest.hexdigest()


def _private_tmpdir(near):
    """A 0700 temporary directory next to `near` (same filesystem, so large files are not copied twice)."""
    Path(near).mkdir(parents=True, exist_ok=True)
    return tempfile.mkdtemp(prefix=".shanglian-backup-", dir=near)


# --- Backup ----------------------------------------------------------------------------------------
def create_backup(output, key=None):
    """Write an encrypted archive of the database and MEDIA_ROOT to `output`; returns the manifest."""
    key = key or backup_key()
    output = Path(output).resolve()
    kind = vendor()
    if kind not in DB_MEMBERS:
        raise BackupError(f"不支持备份此数据库类型：{kind}（支持 SQLite 与 PostgreSQL）。")
    work = Path(_private_tmpdir(output.parent))
    try:
        db_file = work / DB_MEMBERS[kind]
        if kind == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(db_file)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
            # The online backup is a consistent copy: count the rows of the copy, not of the live base.
            counts, migrations = _sqlite_facts(db_file)
        else:
            counts, migrations = _pg_dump(db_file)
        members = {DB_MEMBERS[kind]: _sha256(db_file)}
        media = Path(settings.MEDIA_ROOT)
        media_files = sorted(p for p in media.rglob("*") if p.is_file()) if media.is_dir() else []
        for path in media_files:
            members[MEDIA_PREFIX + path.relative_to(media).as_posix()] = _sha256(path)
        manifest = {
            "format": "shanglian-backup",
            "format_version": FORMAT_VERSION,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "vendor": kind,
            "migrations": migrations,
            "row_counts": counts,
            "members": members,
        }
        manifest_path = work / MANIFEST
        manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        tar_path = work / "archive.tar"
        with tarfile.open(tar_path, "w", format=tarfile.PAX_FORMAT) as tar:
            tar.add(manifest_path, arcname=MANIFEST)
            tar.add(db_file, arcname=DB_MEMBERS[kind])
            for path in media_files:
                tar.add(path, arcname=MEDIA_PREFIX + path.relative_to(media).as_posix(), recursive=False)
        db_file.unlink()
        partial = work / "archive.enc"
        encrypt_file(tar_path, partial, key)
        tar_path.unlink()
        os.chmod(partial, 0o600)
        os.replace(partial, output)
        record(AuditAction.BACKUP, object_type="backup", object_repr=output.name[:255],
               detail={**_summary(manifest), "os_user": _os_user()})
        return manifest
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _summary(manifest):
    """What the audit row of a backup or a restore says about the archive (no personal data)."""
    return {"vendor": manifest["vendor"], "tables": len(manifest["row_counts"]),
            "rows": sum(manifest["row_counts"].values()),
            "files": sum(1 for name in manifest["members"] if name.startswith(MEDIA_PREFIX))}


def _os_user():
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for the uid (a container)
        return str(os.getuid())


def _sqlite_facts(path):
    """Row counts and applied migrations of a SQLite database file."""
    conn = sqlite3.connect(path)
    try:
        names = [row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")]
        counts = {}
        for name in sorted(names):
            quoted = '"' + name.replace('"', '""') + '"'
            counts[name] = conn.execute(f"SELECT COUNT(*) FROM {quoted}").fetchone()[0]  # noqa: S608 (from sqlite_master)
        migrations = [f"{app}.{name}" for app, name in conn.execute(
            "SELECT app, name FROM django_migrations ORDER BY app, name")] if "django_migrations" in names else []
        return counts, migrations
    finally:
        conn.close()


def _pg_dump(db_file):
    """pg_dump of the snapshot in which the row counts and migrations are read, so they agree even
    while the site keeps writing."""
    args, env = _pg_args_env()
    pg_dump = pg_tool("pg_dump")
    connection.close()
    connection.ensure_connection()
    raw = connection.connection
    try:
        with raw.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        counts = table_row_counts()
        migrations = applied_migrations()
        _run([pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
              "--file", str(db_file), *args], env, "pg_dump 导出数据库")
    finally:
        connection.close()
    return counts, migrations


# --- Restore ---------------------------------------------------------------------------------------
def read_archive(archive, key, work):
    """Decrypt and unpack `archive` into `work`, check every member; returns the manifest."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"备份文件不存在：{archive}")
    tar_path = Path(work) / "archive.tar"
    decrypt_file(archive, tar_path, key)
    unpacked = Path(work) / "unpacked"
    unpacked.mkdir()
    try:
        with tarfile.open(tar_path, "r") as tar:
            for member in tar.getmembers():
                if not member.isfile():
                    raise BackupError(f"备份内容不合规：{member.name} 不是普通文件。")
            tar.extractall(unpacked, filter="data")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"备份内容无法解包：{exc}") from None
    tar_path.unlink()
    try:
        manifest = json.loads((unpacked / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError("备份中缺少清单 manifest.json 或清单无法读取。") from None
    if manifest.get("format") != "shanglian-backup" or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"备份格式版本不受支持：{manifest.get('format_version')}（本程序支持 {FORMAT_VERSION}）。")
    members = manifest.get("members") or {}
    present = {p.relative_to(unpacked).as_posix() for p in unpacked.rglob("*") if p.is_file()} - {MANIFEST}
    if present != set(members):
        raise BackupError("备份内容与清单不一致：文件有缺失或多余，拒绝恢复。")
    for name, digest in members.items():
        if _sha256(unpacked / name) != digest:
            raise BackupError(f"备份内容校验失败：{name} 的 SHA-256 与清单不符，拒绝恢复。")
    return manifest, unpacked


def restore_backup(archive, *, force=False, key=None):
    """Replace the database and MEDIA_ROOT with the archive's; returns the manifest.

    Refuses (BackupError, nothing changed) a wrong key, a tampered archive, another database vendor,
    a backup of newer code, or a target with users or uploaded files unless `force`.
    """
    key = key or backup_key()
    media = Path(settings.MEDIA_ROOT)
    work = Path(_private_tmpdir(media.parent))
    try:
        manifest, unpacked = read_archive(archive, key, work)
        kind = vendor()
        if manifest["vendor"] != kind:
            raise BackupError(f"数据库类型不一致：备份来自 {manifest['vendor']}，当前数据库是 {kind}，拒绝恢复。")
        known = {f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}
        unknown = sorted(set(manifest["migrations"]) - known)
        if unknown:
            raise BackupError("备份来自较新版本的程序（含本程序没有的数据库迁移："
                              + "、".join(unknown[:5]) + "），请先升级程序再恢复。")
        if not force and not _target_is_empty():
            raise BackupError("目标数据库或上传文件目录不为空：恢复会覆盖现有数据。确认要覆盖请加 --force。")
        db_file = unpacked / DB_MEMBERS[kind]
        if kind == "sqlite":
            _restore_sqlite(db_file)
        else:
            _restore_postgresql(db_file, manifest["row_counts"])
        _replace_media(unpacked / "media", media, work)
        counts = table_row_counts()
        expected = manifest["row_counts"]
        wrong = sorted(t for t in expected if counts.get(t) != expected[t])
        if wrong:
            raise BackupError("恢复后行数校验失败：" + "、".join(
                f"{t}（应为 {expected[t]}，实为 {counts.get(t)}）" for t in wrong[:10]))
        broken = record_restore({"backup_created_at": manifest["created_at"], "archive": Path(archive).name,
                                 **_summary(manifest), "forced": force, "os_user": _os_user()})
        if broken:
            raise BackupError(f"数据已恢复，但备份中的审计链校验不通过（记录 {broken[:10]}）："
                              "检查点未移动，manage.py verify_audit_chain 将继续报告。")
        return manifest
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _restore_sqlite(db_file):
    connection.close()
    connection.ensure_connection()
    source = sqlite3.connect(db_file)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()


def _restore_postgresql(db_file, backed_up_tables):
    """pg_restore's script run by psql in one transaction, after dropping the tables the backup does
    not have (created by later migrations): all of it applies, or nothing does."""
    extra = sorted(set(_tables()) - set(backed_up_tables))
    connection.close()
    args, env = _pg_args_env()
    with tempfile.NamedTemporaryFile("w", suffix=".sql", encoding="utf-8", delete=False,
                                     dir=Path(db_file).parent) as drops:
        for table in extra:
            drops.write(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE;\n")
    pg_restore = subprocess.Popen(  # noqa: S603 (arguments, no shell)
        [pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges", "--file", "-",
         str(db_file)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        psql = subprocess.run(  # noqa: S603 (arguments, no shell)
            [pg_tool("psql"), "--no-psqlrc", "--quiet", "--single-transaction", "--set", "ON_ERROR_STOP=1",
             "--file", drops.name, "--file", "-", *args],
            env=env, stdin=pg_restore.stdout, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    finally:
        pg_restore.stdout.close()
        restore_errors = pg_restore.stderr.read().decode(errors="replace")
        pg_restore.wait()
    if pg_restore.returncode != 0:
        raise BackupError(f"pg_restore 读取备份失败（退出码 {pg_restore.returncode}）：{restore_errors.strip()[-2000:]}")
    if psql.returncode != 0:
        raise BackupError(f"恢复数据库失败，数据库未改动（退出码 {psql.returncode}）："
                          f"{psql.stderr.decode(errors='replace').strip()[-2000:]}")


def _replace_media(source, media, work):
    """Swap MEDIA_ROOT for the archive's files; the old files go away only once the new ones are in."""
    source.mkdir(exist_ok=True)
    old = Path(work) / "old-media"
    if media.exists():
        os.replace(media, old)
    shutil.move(str(source), str(media))
