"""Benchmark: importing a 100,000-row member spreadsheet, next to its own floor on this machine.

    .venv/bin/python bench/bench_member_import.py [--rows 100000] [--no-match]

Measured in the same run, each phase in its own process (so peak memory is the phase's own), each on a
copy of the same freshly migrated SQLite database (same secrets, same bench user):
  import    the commit alone: `run_import(dry_run=False)`, what `manage.py import_members FILE` does
  floor     python-calamine reading the same file + one executemany of the rows the import stored
            (enterprises, then memberships) into the product's own tables, with all their indexes
  floor-multi  the same, the rows written by multi-row INSERTs of 500 rows with a 64 MiB page cache (as
            `insert_rows` inside `bulk.write_cache` writes since issue 19: on SQLite a statement per row
            makes the FTS5 trigger flush per row, which the executemany floor pays and the import no
            longer does): the floor of the import's own way of writing
  check     the dry run alone (what the upload page shows as the preview)
  flow      the upload flow: `jobs.check_upload` (preview) then `jobs.commit` (reuses the checked rows)
  slow      (unless --no-match) the import again with the old implementations the tests keep as oracles
            (pypinyin's full segmentation, python-stdnum's check digits, cell by cell conversion, the
            plain code normalisers, each blind index and each encryption one value at a time)
  before    (with --baseline DIR) the import with the code of another checkout (e.g. `git archive main`),
            on the same file and database: before and after in one run
Prints seconds, rows/s, CPU seconds and peak RSS of each, the import/floor ratio (aim >= 60 %), flow/commit
(aim <= 1.2) — both in wall-clock time and in the process's CPU time, which the load of other processes on
a shared machine inflates far less — and whether the import, the flow and the slow path stored exactly the
same rows. Not a test.
"""

import argparse
import hashlib
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADERS = ["会员类型", "会员证号", "入会日期", "状态", "企业名称", "统一社会信用代码", "企业类型", "行业代码", "企业规模",
           "高新技术企业", "本地企业", "成立日期", "从业人数", "注册资本（万元）", "联系人", "联系人手机"]
INDUSTRIES = ["5212", "6513", "6220", "5011", "7212", "5123", "4813", "2614", "6421", "7291"]
WORDS = "华泰恒通宏达瑞丰鑫源嘉禾永盛金海天元博远卓越诚信佳美长重行乐银"  # the last five read differently in words
TABLES = ("members_enterprise", "members_membership")


def setup_django(var_dir):
    os.environ["SHANGLIAN_VAR_DIR"] = var_dir
    os.environ["HUEY_IMMEDIATE"] = "1"  # a large commit runs as the Huey task, here in-process
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shanglian.settings")
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, os.environ.get("BENCH_CODE_ROOT") or str(ROOT))  # --baseline: the code before
    import django

    django.setup()


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(path, rows):
    import xlsxwriter

    sys.path.insert(0, str(ROOT))
    from shanglian.common.codes import make_mobile, make_uscc

    rng = random.Random(2026)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("会员名单")
    text = book.add_format({"num_format": "@"})
    sheet.write_row(0, 0, HEADERS)
    seen = set()
    for r in range(1, rows + 1):
        uscc = make_uscc(rng)
        while uscc in seen:
            uscc = make_uscc(rng)
        seen.add(uscc)
        name = "天津" + "".join(rng.choice(WORDS) for _ in range(3)) + f"{r}号商贸有限公司"
        joined = date(2016, 1, 1) + timedelta(days=rng.randrange(3800))
        sheet.write_row(r, 0, ["企业会员", f"B-{r:06d}", joined.isoformat(), "在册", name])
        sheet.write_string(r, 5, uscc, text)
        sheet.write_row(r, 6, [rng.choice(["私营企业", "个体工商户"]), rng.choice(INDUSTRIES),
                               rng.choice(["小型", "微型", "中型"]), rng.choice(["是", "否"]), "是",
                               (joined - timedelta(days=rng.randrange(3000))).isoformat(),
                               rng.randrange(1, 500), rng.randrange(10, 5000), "联系人"])
        sheet.write_string(r, 15, make_mobile(rng), text)
    book.close()


def phase_setup(var_dir):
    """The database every phase starts from: migrated, with a federation and its staff user."""
    setup_django(var_dir)
    from django.core.management import call_command

    from shanglian.accounts.services import create_user
    from shanglian.orgs.models import Federation

    call_command("migrate", verbosity=0)
    federation = Federation.objects.create(name="基准测试区工商联", level="county", region_code="120103")
    create_user(actor=None, username="bench", password="Bench@Pass2026", role="staff", federation=federation,
                audit=False)
    return {}


def stored_digest():
    """A digest of what an import stored: every enterprise column but the ids and timestamps (the mobile
    decrypted: its ciphertext differs on every write) and every membership by its enterprise's USCC."""
    from shanglian.members.models import Enterprise, Membership

    digest = hashlib.sha256()
    fields = [f.attname for f in Enterprise._meta.concrete_fields if f.name not in ("id", "created_at", "updated_at")]
    for row in Enterprise.objects.order_by("uscc").values_list(*fields).iterator(chunk_size=5000):
        digest.update(repr(row).encode())
    fields = [f.attname for f in Membership._meta.concrete_fields
              if f.name not in ("id", "enterprise", "created_at", "updated_at")]
    for row in Membership.objects.order_by("enterprise__uscc").values_list("enterprise__uscc", *fields) \
            .iterator(chunk_size=5000):
        digest.update(repr(row).encode())
    return digest.hexdigest()


def _actor():
    from shanglian.accounts.models import User

    return User.objects.get(username="bench")


def phase_import(path, var_dir):
    setup_django(var_dir)
    from shanglian.common.excel import run_import
    from shanglian.members.imports import MemberImportSpec

    start, cpu = time.perf_counter(), time.process_time()
    report = run_import(MemberImportSpec(actor=_actor()), path, dry_run=False)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"rows": report.total, "failed": report.failed, "created": report.created, "seconds": seconds,
            "cpu": cpu, "peak_mb": peak_mb(), "digest": stored_digest()}


def phase_slow(path, var_dir):
    """The import through the old implementations (the tests' oracles): what the slow path stores."""
    setup_django(var_dir)
    from shanglian.members.tests import oracles

    with oracles.old_implementations():
        result = phase_import(path, var_dir)
    return result


def phase_check(path, var_dir):
    setup_django(var_dir)
    from shanglian.common.excel import run_import
    from shanglian.members.imports import MemberImportSpec

    start, cpu = time.perf_counter(), time.process_time()
    report = run_import(MemberImportSpec(actor=_actor()), path, dry_run=True)
    return {"rows": report.total, "failed": report.failed, "seconds": time.perf_counter() - start,
            "cpu": time.process_time() - cpu, "peak_mb": peak_mb()}


def phase_flow(path, var_dir):
    setup_django(var_dir)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shanglian.imports import jobs

    actor = _actor()
    upload = SimpleUploadedFile("会员名单.xlsx", path.read_bytes())
    start, cpu = time.perf_counter(), time.process_time()
    job = jobs.check_upload(actor=actor, kind="members", upload=upload)
    preview = time.perf_counter() - start
    job = jobs.commit(actor=actor, job=job, valid_only=False)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert job.status == job.Status.DONE, job.result
    return {"rows": job.total, "failed": job.failed, "seconds": seconds, "cpu": cpu, "preview": preview,
            "commit": seconds - preview, "peak_mb": peak_mb(), "digest": stored_digest()}


def phase_floor(path, var_dir, source_db, per_statement=1):
    """calamine reads the file; the rows the import stored (read from its database beforehand, not
    timed) are inserted with one executemany per table into the product's tables, indexes and all
    (`per_statement` > 1: multi-row INSERTs of that many rows instead)."""
    import sqlite3

    from python_calamine import CalamineWorkbook

    source = sqlite3.connect(source_db)
    rows = {}
    for table in TABLES:
        cursor = source.execute(f"SELECT * FROM {table} ORDER BY id")
        rows[table] = ([d[0] for d in cursor.description], cursor.fetchall())
    source.close()
    db = sqlite3.connect(os.path.join(var_dir, "db.sqlite3"))
    db.execute("PRAGMA journal_mode=WAL")
    if per_statement > 1:  # the import's own way: also its page cache while writing (bulk.WRITE_CACHE_KIB)
        db.execute("PRAGMA cache_size = -65536")
    start, cpu = time.perf_counter(), time.process_time()
    data = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    read = time.perf_counter() - start
    t = time.perf_counter()
    with db:
        for table, (columns, values) in rows.items():
            one = f"({', '.join('?' * len(columns))})"
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
            if per_statement == 1:
                db.executemany(sql + one, values)
                continue
            for first in range(0, len(values), per_statement):
                chunk = values[first:first + per_statement]
                db.execute(sql + ", ".join([one] * len(chunk)), [value for row in chunk for value in row])
    insert = time.perf_counter() - t
    return {"rows": len(data) - 1, "seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu,
            "read": read, "insert": insert, "peak_mb": peak_mb()}


def run_phase(name, path, var_dir, *extra, code_root=None):
    env = {**os.environ, "BENCH_CODE_ROOT": code_root} if code_root else None
    out = subprocess.run([sys.executable, __file__, "--phase", name, "--file", str(path), "--var", var_dir, *extra],
                         capture_output=True, text=True, env=env)
    if out.returncode:
        sys.exit(f"phase {name} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def fresh(base, template, name):
    target = os.path.join(base, name)
    shutil.copytree(template, target)
    return target


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--no-match", action="store_true", help="skip the slow path (the old implementations)")
    parser.add_argument("--baseline", help="a checkout of the code before: its import is measured too")
    parser.add_argument("--phase")
    parser.add_argument("--file")
    parser.add_argument("--var")
    parser.add_argument("--source-db")
    args = parser.parse_args()
    if args.phase:
        path = Path(args.file) if args.file else None
        phases = {"setup": lambda: phase_setup(args.var), "import": lambda: phase_import(path, args.var),
                  "slow": lambda: phase_slow(path, args.var), "check": lambda: phase_check(path, args.var),
                  "flow": lambda: phase_flow(path, args.var),
                  "floor": lambda: phase_floor(path, args.var, args.source_db),
                  "floor-multi": lambda: phase_floor(path, args.var, args.source_db, per_statement=500)}
        print(json.dumps(phases[args.phase]()))
        return
    with tempfile.TemporaryDirectory(prefix="shanglian-bench-") as base:
        path = Path(base) / "members.xlsx"
        t = time.perf_counter()
        generate(path, args.rows)
        print(f"generated {args.rows:,} rows × {len(HEADERS)} columns "
              f"({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t:.1f} s")
        template = os.path.join(base, "template")
        run_phase("setup", path, template)
        import_dir = fresh(base, template, "import")
        imported = run_phase("import", path, import_dir)
        floor = run_phase("floor", path, fresh(base, template, "floor"), "--source-db",
                          os.path.join(import_dir, "db.sqlite3"))
        floor_multi = run_phase("floor-multi", path, fresh(base, template, "floor-multi"), "--source-db",
                                os.path.join(import_dir, "db.sqlite3"))
        check = run_phase("check", path, fresh(base, template, "check"))
        flow = run_phase("flow", path, fresh(base, template, "flow"))
        slow = None if args.no_match else run_phase("slow", path, fresh(base, template, "slow"))
        before = run_phase("import", path, fresh(base, template, "before"),
                           code_root=os.path.abspath(args.baseline)) if args.baseline else None
        assert imported["failed"] == 0 and imported["created"] == args.rows, imported
        rate = {name: result["rows"] / result["seconds"]
                for name, result in (("floor", floor), ("check", check), ("import", imported), ("flow", flow))}
        print(f"{'phase':<42}{'seconds':>9}{'rows/s':>10}{'CPU s':>8}{'peak MB':>9}")

        def line(label, result, extra=""):
            print(f"{label:<42}{result['seconds']:>9.2f}{result['rows'] / result['seconds']:>10,.0f}"
                  f"{result['cpu']:>8.2f}{result['peak_mb']:>9.0f}{extra}")

        line("floor: calamine read + executemany", floor,
             f"   (read {floor['read']:.2f} s, insert {floor['insert']:.2f} s)")
        line("floor-multi: calamine + multi-row INSERTs", floor_multi,
             f"   (read {floor_multi['read']:.2f} s, insert {floor_multi['insert']:.2f} s)")
        line("import: the commit alone", imported)
        line("check: the dry run alone", check)
        line("flow: upload preview + commit", flow, f"   (preview {flow['preview']:.2f} s, commit {flow['commit']:.2f} s)")
        if slow:
            line("slow path (old implementations)", slow)
        if before:
            line(f"before: the import with {args.baseline}", before)
        peak = max(imported["peak_mb"], flow["peak_mb"], check["peak_mb"])
        print(f"import / floor: {rate['import'] / rate['floor'] * 100:.0f} % of the floor's rows/s "
              f"({floor['cpu'] / imported['cpu'] * 100:.0f} % in CPU time)  (aim >= 60 %); "
              f"flow / commit: {flow['seconds'] / imported['seconds']:.2f} "
              f"({flow['cpu'] / imported['cpu']:.2f} in CPU time)  (aim <= 1.2); "
              f"peak {peak:.0f} MB (aim <= 500 MB)")
        print(f"import / floor-multi (the import's own way of writing): "
              f"{floor_multi['cpu'] / imported['cpu'] * 100:.0f} % in CPU time")
        same_flow = flow["digest"] == imported["digest"]
        print("the flow stored " + ("the same rows as the import" if same_flow else "OTHER ROWS than the import"))
        if slow:
            same_slow = slow["digest"] == imported["digest"]
            print(f"the import stored {'the same rows as' if same_slow else 'OTHER ROWS than'} the slow path "
                  f"(old implementations) on all {args.rows:,} rows")
        if before:
            print(f"before -> after: import x{before['seconds'] / imported['seconds']:.2f} in wall-clock time, "
                  f"x{before['cpu'] / imported['cpu']:.2f} in CPU time; the baseline import was "
                  f"{floor['cpu'] / before['cpu'] * 100:.0f} % of the floor in CPU time; it stored "
                  + ("the same rows" if before["digest"] == imported["digest"] else "OTHER ROWS"))
        if not same_flow or (slow and not same_slow):
            sys.exit(1)


if __name__ == "__main__":
    main()
