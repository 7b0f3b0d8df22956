"""`make bench`: every benchmark of the project in one run, their figures gathered into bench/results/latest.json and
bench/results/latest.md, and the summary table written into the README (between its `bench:latest` markers).

    .venv/bin/python bench/run_all.py [--only NAME …] [--skip NAME …] [--list] [--gather]
    make bench                      # every benchmark of the default set (a few hours on 2 cores)
    make bench ONLY="peer deploy"   # these only; the others keep their entries of the last run

Each benchmark runs as its own process (its own scratch databases; the PostgreSQL ones inside
scripts/with-postgres.sh), its output kept in bench/results/runs/<name>.log (not committed). From that output the
Markdown tables are read into the JSON (header and rows, under the heading they follow), with a headline: the
benchmark's stated verdict line when it prints one, else how many rows of its tables meet their aim (✓/✗).
A benchmark that is not run keeps its entry of the previous latest.json, with that run's date and commit, so the
table always says how old each figure is. `--gather` runs nothing and rewrites the Markdown and README from the
JSON. The exit code is 1 when a benchmark that ran exited non-zero (the others still ran).

The soak (`soak`: an hour at city scale) is not in the default set: `make bench ONLY=soak` runs it and puts it in
the table (`make bench-soak` runs the same and writes only its own result file).
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PY = str(Path(sys.executable))
WITH_PG = str(ROOT / "scripts" / "with-postgres.sh")
README = ROOT / "README.md"
START, END = "<!-- bench:latest -->", "<!-- /bench:latest -->"


@dataclass
class Bench:
    name: str
    what: str  # in Chinese: the README's column
    command: list
    verdict: str = ""  # a regular expression of the line that states the result, when the benchmark prints one
    default: bool = True
    env: dict = field(default_factory=dict)


BENCHMARKS = [
    Bench("import", "会员导入 10 万行，对照同机“地板”（calamine 读 + executemany 写）",
          [PY, "bench/bench_member_import.py", "--rows", "100000",
           *(["--baseline", os.environ["BASELINE"]] if os.environ.get("BASELINE") else [])], r"^import / floor:"),
    Bench("policies", "1 万条政策 × 10 万家企业：检索与双向匹配，对照手写 SQL（SQLite 与 PostgreSQL）",
          [WITH_PG, PY, "bench/bench_policies.py"], r"^median hits"),
    Bench("pinyin", "拼音表全量核对（测试只抽样）",
          [PY, "-m", "pytest", "-q", "-p", "no:randomly", "shanglian/members/tests/test_pinyin.py"], r"passed|failed",
          env={"SHANGLIAN_FULL_SWEEP": "1", "SHANGLIAN_VAR_DIR": "{scratch}"}),
    Bench("event-stats", "活动统计：10 年、2,000 场活动、10 万人次签到",
          [PY, "bench/bench_event_stats.py"], r"^Worst p95"),
    Bench("dashboard", "领导驾驶舱：两个规模的区，对照手写 SQL", [PY, "bench/bench_dashboard.py"]),
    Bench("pages", "每个角色的菜单页、列表变体与 API 列表：演示规模与城市规模（SQLite），对照手写 SQL",
          [PY, "bench/bench_pages.py"]),
    Bench("pages-city-pg", "同上，城市规模（gen_scale --scale city --lean，PostgreSQL，10 万家企业、约 100 万件诉求）",
          [WITH_PG, "bench/pages_city_pg.sh"]),
    Bench("checkin", "500 人早餐会现场签到：12 部手机经回环提交", [PY, "bench/bench_checkin.py"], r"Check-in p95"),
    Bench("deploy", "生产布局（nginx + 2 个 gunicorn + Huey + Redis + PostgreSQL）负载下滚动重启两次",
          [WITH_PG, PY, "bench/bench_deploy.py", "--seconds", "90"], r"^\| all requests"),
    Bench("peer", "诉求接口与页面 vs django-helpdesk 工单列表、接口、仪表盘（同样条数，区与城市两个规模）",
          [WITH_PG, PY, "bench/bench_peer.py"], r"^Throughput of the list"),
    Bench("soak", "浸泡：城市规模、限速混合流量一小时，各进程内存趋势，审计链校验",
          [WITH_PG, PY, "bench/bench_deploy.py", "--seconds", "3600", "--rounds", "0", "--sample", "30", "--scale",
           "city", "--rate", "20"], r"^\| all requests", default=False),
]
BY_NAME = {bench.name: bench for bench in BENCHMARKS}


def tables_of(text):
    """[{title, header, rows}] of the Markdown pipe tables in `text` (title: the nearest heading or line above)."""
    found, lines, title, n = [], text.splitlines(), "", 0
    while n < len(lines):
        line = lines[n].strip()
        if line.startswith("|") and n + 1 < len(lines) and re.match(r"^\|[\s:|-]+\|$", lines[n + 1].strip()):
            header = _cells(line)
            rows = []
            n += 2
            while n < len(lines) and lines[n].strip().startswith("|"):
                rows.append(_cells(lines[n].strip()))
                n += 1
            found.append({"title": title, "header": header, "rows": rows})
            continue
        if line.startswith("#") or (line and not line.startswith("|")):
            title = line.lstrip("# ").strip()[:200]
        n += 1
    return found


def _cells(line):
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", line.strip().strip("|"))]


def headline(bench, text, tables):
    if bench.verdict:
        for line in text.splitlines():
            if re.search(bench.verdict, line.strip()):
                if line.strip().startswith("|"):  # a table's row: each cell named by its column
                    cells = _cells(line.strip())
                    header = next((t["header"] for t in tables if cells in t["rows"]), [""] * len(cells))
                    return "; ".join(f"{name} {cell}".strip() for name, cell in zip(header[1:], cells[1:],
                                                                                    strict=False)
                                     ).join((cells[0] + ": ", ""))[:300]
                return re.sub(r"\s+", " ", line.strip())[:300]
    met = sum(cell == "✓" for table in tables for row in table["rows"] for cell in row)
    missed = sum(cell == "✗" for table in tables for row in table["rows"] for cell in row)
    if met or missed:
        return f"{met} 行达到目标，{missed} 行未达到（✓/✗ 列）"
    last = [line.strip() for line in text.splitlines() if line.strip()]
    return last[-1][:300] if last else ""


def git(*args):
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()


def run(bench, logs):
    log = logs / f"{bench.name}.log"
    print(f"== {bench.name}: {' '.join(Path(c).name if c.startswith('/') else c for c in bench.command)}",
          flush=True)
    began = time.monotonic()
    scratch = tempfile.mkdtemp(prefix=f"bench-{bench.name}-")  # a var dir of its own where it needs one
    env = {**os.environ, **{name: value.replace("{scratch}", scratch) for name, value in bench.env.items()}}
    with log.open("w") as out:
        process = subprocess.Popen(bench.command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL)
        for line in process.stdout:
            out.write(line)
            sys.stdout.write("   " + line)
        exit_code = process.wait()
    seconds = time.monotonic() - began
    shutil.rmtree(scratch, ignore_errors=True)
    return entry_of(bench, log, seconds=seconds, exit_code=exit_code)


def entry_of(bench, log, *, seconds=None, exit_code=None):
    """The JSON entry of one run from its output `log` (a run of ours, or `--from-log`: one made by its own make
    target, timed from the file's first line to its last change, its exit code read from a last line 'exit N')."""
    text = log.read_text(errors="replace")
    if exit_code is None:
        found = re.search(r"^exit (\d+)\s*$", text.rstrip().splitlines()[-1] if text.strip() else "")
        exit_code = int(found[1]) if found else None
    when = datetime.fromtimestamp(log.stat().st_mtime)
    commit = git("rev-parse", "--short", "HEAD")
    if seconds is None:  # not ours: its commit as it printed it, when it did
        commit = (re.search(r"\bat ([0-9a-f]{7,40})\b", text) or [None, "?"])[1]
    tables = tables_of(text)
    return {"name": bench.name, "what": bench.what, "command": " ".join(os.path.relpath(c, ROOT)
                                                                        if c.startswith("/") else c
                                                                        for c in bench.command),
            "date": when.strftime("%Y-%m-%d %H:%M"), "commit": commit,
            "cores": os.cpu_count(), "seconds": None if seconds is None else round(seconds), "exit": exit_code,
            "headline": headline(bench, text, tables), "tables": tables,
            "log": str(log.relative_to(ROOT)) if log.is_relative_to(ROOT) else str(log)}


def markdown(results):
    lines = ["# The latest run of every benchmark (`make bench`)", "",
             "Made by `bench/run_all.py` from the benchmarks' own output (their full logs: bench/results/runs/, "
             "not committed; each benchmark's own result file beside this one). A row's date and commit say when "
             "that benchmark last ran.", "", *summary(results, english=True), ""]
    for entry in results:
        lines += [f"## {entry['name']} — {entry['date']}, {entry['commit']}, {_took(entry['seconds'])}, exit "
                  f"{entry['exit']}", "", f"`{entry['command']}`", "", entry["headline"], ""]
        for table in entry["tables"]:
            if table["title"]:
                lines += [f"*{table['title']}*", ""]
            lines += ["| " + " | ".join(table["header"]) + " |", "|" + "---|" * len(table["header"])]
            lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in table["rows"]]
            lines.append("")
    return "\n".join(lines) + "\n"


def summary(results, english=False):
    head = ("| benchmark | what | when | took | exit | headline |" if english
            else "| 基准 | 测什么 | 何时 | 用时 | 退出码 | 要点 |")
    lines = [head, "|---|---|---|---:|---:|---|"]
    for entry in results:
        lines.append(f"| `{entry['name']}` | {entry['what']} | {entry['date'][:10]} {entry['commit']} | "
                     f"{_took(entry['seconds'])} | {'—' if entry['exit'] is None else entry['exit']} | {entry['headline'].replace('|', '·')} |")
    return lines


def _took(seconds):
    if seconds is None:
        return "—"
    return f"{seconds / 60:.0f} min" if seconds >= 60 else f"{seconds} s"


def write_readme(results):
    text = README.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"README.md has no {START} … {END} markers")
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1]
    README.write_text(before + START + "\n" + "\n".join(summary(results)) + "\n" + END + after, encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="*", default=[], choices=list(BY_NAME), metavar="NAME")
    parser.add_argument("--skip", nargs="*", default=[], choices=list(BY_NAME), metavar="NAME")
    parser.add_argument("--list", action="store_true", help="print the benchmarks and stop")
    parser.add_argument("--gather", action="store_true", help="run nothing: rewrite latest.md and the README")
    parser.add_argument("--from-log", nargs="*", default=[], metavar="NAME=FILE",
                        help="take NAME's entry from the output of a run made by its own make target (its last "
                             "line 'exit N', when there, is its exit code)")
    args = parser.parse_args()
    if args.list:
        for bench in BENCHMARKS:
            print(f"{bench.name:<14} {'default' if bench.default else 'on demand'}  {bench.what}")
        return 0
    latest = RESULTS / "latest.json"
    previous = {e["name"]: e for e in json.loads(latest.read_text())["benchmarks"]} if latest.exists() else {}
    if args.gather or (args.from_log and not args.only):  # gathering only
        chosen = []
    else:
        chosen = [b for b in BENCHMARKS if (b.name in args.only if args.only else b.default)
                  and b.name not in args.skip]
    logs = RESULTS / "runs"
    logs.mkdir(exist_ok=True)
    ran = {}
    for bench in chosen:
        ran[bench.name] = run(bench, logs)
        merged = {**previous, **ran}
        results = [merged[b.name] for b in BENCHMARKS if b.name in merged]
        latest.write_text(json.dumps({"benchmarks": results}, ensure_ascii=False, indent=1) + "\n")
    for given in args.from_log:
        name, _, path = given.partition("=")
        if name not in BY_NAME or not Path(path).is_file():
            raise SystemExit(f"--from-log {given}: a benchmark's name (--list) and an existing file")
        ran[name] = entry_of(BY_NAME[name], Path(path))
    merged = {**previous, **ran}
    results = [merged[b.name] for b in BENCHMARKS if b.name in merged]
    latest.write_text(json.dumps({"benchmarks": results}, ensure_ascii=False, indent=1) + "\n")
    (RESULTS / "latest.md").write_text(markdown(results), encoding="utf-8")
    write_readme(results)
    print("\n".join(summary(results, english=True)))
    print(f"written: {latest.relative_to(ROOT)}, bench/results/latest.md, the README's table")
    return 1 if any(entry["exit"] for entry in ran.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
