"""Benchmark: importing a 100,000-row member spreadsheet, next to the raw limit of this machine.

    .venv/bin/python bench/bench_member_import.py [--rows 100000]

Measured in the same run, each phase in its own process (so peak memory is the phase's own):
  raw       python-calamine read of the file + plain executemany insert of the same rows (SQLite)
  check     the pipeline's dry run: read, normalise, validate every row (what the upload page does)
  import    the pipeline's commit run: check again + write enterprises and memberships in batches
Prints rows/s, the import/raw ratio (aim: >= 50 %) and peak RSS (aim: <= 500 MB). Not a test.
"""

import argparse
import json
import os
import random
import resource
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
WORDS = "华泰恒通宏达瑞丰鑫源嘉禾永盛金海天元博远卓越诚信佳美"


def setup_django(var_dir):
    os.environ["SHANGLIAN_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shanglian.settings")
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
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


def phase_raw(path, var_dir):
    import sqlite3

    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    data = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    read = time.perf_counter() - start
    rows = [tuple(str(c) for c in row) for row in data[1:]]
    db = sqlite3.connect(os.path.join(var_dir, "raw.sqlite3"))
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE raw (" + ", ".join(f"c{i} TEXT" for i in range(len(HEADERS))) + ")")
    t = time.perf_counter()
    with db:
        db.executemany("INSERT INTO raw VALUES (" + ", ".join("?" * len(HEADERS)) + ")", rows)
    insert = time.perf_counter() - t
    return {"rows": len(rows), "seconds": time.perf_counter() - start, "read": read, "insert": insert,
            "peak_mb": peak_mb()}


def phase_pipeline(path, var_dir, dry_run):
    setup_django(var_dir)
    from django.core.management import call_command

    from shanglian.accounts.models import User
    from shanglian.common.excel import run_import
    from shanglian.members.imports import MemberImportSpec
    from shanglian.members.models import Membership
    from shanglian.orgs.models import Federation

    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="bench").exists():
        from shanglian.accounts.services import create_user

        federation = Federation.objects.create(name="基准测试区工商联", level="county", region_code="120103")
        create_user(actor=None, username="bench", password="Bench@Pass2026", role="staff", federation=federation,
                    audit=False)
    actor = User.objects.get(username="bench")
    start = time.perf_counter()
    report = run_import(MemberImportSpec(actor=actor), path, dry_run=dry_run)
    seconds = time.perf_counter() - start
    return {"rows": report.total, "failed": report.failed, "created": report.created, "seconds": seconds,
            "memberships": Membership.objects.count(), "peak_mb": peak_mb()}


def run_phase(name, path, var_dir):
    out = subprocess.run([sys.executable, __file__, "--phase", name, "--file", str(path), "--var", var_dir],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--phase")
    parser.add_argument("--file")
    parser.add_argument("--var")
    args = parser.parse_args()
    if args.phase:
        path = Path(args.file)
        result = (phase_raw(path, args.var) if args.phase == "raw"
                  else phase_pipeline(path, args.var, dry_run=args.phase == "check"))
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory(prefix="shanglian-bench-") as var_dir:
        path = Path(var_dir) / "members.xlsx"
        t = time.perf_counter()
        generate(path, args.rows)
        print(f"generated {args.rows:,} rows × {len(HEADERS)} columns "
              f"({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t:.1f} s")
        raw = run_phase("raw", path, var_dir)
        check = run_phase("check", path, var_dir)
        imported = run_phase("import", path, var_dir)
        assert imported["failed"] == 0 and imported["memberships"] == args.rows, imported
        rate = {k: v["rows"] / v["seconds"] for k, v in (("raw", raw), ("check", check), ("import", imported))}
        print(f"{'phase':<34}{'seconds':>9}{'rows/s':>10}{'peak MB':>9}")
        print(f"{'raw: calamine read + executemany':<34}{raw['seconds']:>9.2f}{rate['raw']:>10,.0f}"
              f"{raw['peak_mb']:>9.0f}   (read {raw['read']:.2f} s, insert {raw['insert']:.2f} s)")
        print(f"{'pipeline check (dry run)':<34}{check['seconds']:>9.2f}{rate['check']:>10,.0f}{check['peak_mb']:>9.0f}")
        print(f"{'pipeline import (check + commit)':<34}{imported['seconds']:>9.2f}{rate['import']:>10,.0f}"
              f"{imported['peak_mb']:>9.0f}")
        print(f"import rate / raw rate: {rate['import'] / rate['raw'] * 100:.0f} %  (aim >= 50 %); "
              f"peak {imported['peak_mb']:.0f} MB (aim <= 500 MB)")


if __name__ == "__main__":
    main()
