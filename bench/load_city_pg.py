"""Copy a city built on SQLite (a var dir: db.sqlite3 + dev-secrets.json) into a PostgreSQL database migrated
to the same schema — the fast, honest path to a city on PostgreSQL (issue 19): seed_demo builds 100k
enterprises there in hours on this machine, the copy takes minutes.

    scripts/pgcity.sh start                                    # the persistent cluster in /tmp/pgcity
    .venv/bin/python bench/load_city_pg.py --source /tmp/city --db city [--replace]
    make bench-pages CITY=/tmp/pgcity/var/city CITY_URL=$(scripts/pgcity.sh url city)

Steps, each printed with its time:
1. A var dir for the PostgreSQL city (default /tmp/pgcity/var/<db>) receives the source's dev-secrets.json:
   the PII columns were encrypted (and blind-indexed) with its keys, so every run against this database must
   use SHANGLIAN_VAR_DIR=<that dir>.
2. The database is created (--replace drops it first) and migrated by this checkout's code (`manage.py
   migrate`). When the source's applied migrations differ from this code's, the source is copied first
   (SQLite's backup API; the source itself is opened read-only) and the copy migrated, so both sides have
   the same tables and columns; any other difference stops the load.
3. In one transaction: foreign keys and secondary indexes dropped (their definitions kept), every table
   truncated, then each table copied with COPY in foreign-key order (parents first), the indexes built
   again, the foreign keys added again (PostgreSQL checks every row then), the id sequences set past the
   largest id. SQLite's full-text tables (FTS5 and their shadow tables) are not copied: PostgreSQL has its
   own search index (the `search_bigrams` column filled by its trigger during COPY, and its GIN index).
4. VACUUM ANALYZE (the visibility map and the planner statistics a settled database has).
5. The check: the rows of every table, the largest id of every table, and a few figures (appeals by status
   and by year, dues in all, timeline entries by action) on both sides; any difference is printed and the
   exit status is 1.

SQLite stores datetimes as UTC text without an offset: the session's TimeZone is UTC during COPY.
"""

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import psycopg
from bench_pages import copy_sqlite  # bench/bench_pages.py: SQLite's backup API, the keys beside
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
PGCITY_DIR = Path(os.environ.get("PGCITY_DIR", "/tmp/pgcity"))
PGCITY_PORT = int(os.environ.get("PGCITY_PORT", "55432"))
SKIPPED = {"django_migrations"}  # compared, not copied: migrate wrote the same rows

# Figures compared on both sides beyond the counts: (label, SQLite SQL, PostgreSQL SQL); each returns rows.
FIGURES = [
    ("appeals by status",
     "SELECT status, COUNT(*) FROM appeals_appeal GROUP BY status ORDER BY status",
     "SELECT status, COUNT(*) FROM appeals_appeal GROUP BY status ORDER BY status"),
    ("appeals by year submitted (UTC)",
     "SELECT CAST(strftime('%Y', submitted_at) AS integer), COUNT(*) FROM appeals_appeal GROUP BY 1 ORDER BY 1",
     "SELECT CAST(EXTRACT(year FROM submitted_at AT TIME ZONE 'UTC') AS integer), COUNT(*) FROM appeals_appeal "
     "GROUP BY 1 ORDER BY 1"),
    ("appeals by rating, supervised ones",
     "SELECT rating, COUNT(*), SUM(is_supervised) FROM appeals_appeal GROUP BY rating ORDER BY rating",
     "SELECT rating, COUNT(*), SUM(is_supervised::int) FROM appeals_appeal GROUP BY rating ORDER BY rating"),
    ("dues: rows, amount in all (cents)",
     "SELECT COUNT(*), CAST(ROUND(SUM(amount) * 100) AS integer) FROM members_duesrecord",
     "SELECT COUNT(*), CAST(ROUND(SUM(amount) * 100) AS bigint) FROM members_duesrecord"),
    ("timeline entries by action",
     "SELECT action, COUNT(*) FROM appeals_timelineentry GROUP BY action ORDER BY action",
     "SELECT action, COUNT(*) FROM appeals_timelineentry GROUP BY action ORDER BY action"),
    ("enterprises by federation",
     "SELECT federation_id, COUNT(*) FROM members_enterprise GROUP BY 1 ORDER BY 1",
     "SELECT federation_id, COUNT(*) FROM members_enterprise GROUP BY 1 ORDER BY 1"),
]


def step(text):
    print(f"== {text}", flush=True)
    return time.monotonic()


def done(started, extra=""):
    print(f"   {time.monotonic() - started:,.1f} s{extra}", flush=True)


def _manage(var_dir, database_url, *args):
    env = {**os.environ, "SHANGLIAN_VAR_DIR": str(var_dir), "SHANGLIAN_DEMO": "1"}
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)


def _with_db(url, name):
    return psycopg.conninfo.make_conninfo(url, dbname=name)


def create_database(url, replace):
    """Create the database of `url` on its server (dropped first with `replace`)."""
    name = psycopg.conninfo.conninfo_to_dict(url)["dbname"]
    with psycopg.connect(_with_db(url, "postgres"), autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not replace:
            raise SystemExit(f"database {name} exists: --replace to load it again")
        if exists:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def migrations(conn):
    return {tuple(row) for row in conn.execute("SELECT app, name FROM django_migrations").fetchall()}


# --- the schema on both sides ------------------------------------------------------------------------

def sqlite_tables(lite):
    """{table: [columns]} of the real tables, FTS5 tables and their shadow tables left out."""
    rows = lite.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
    virtual = [name for name, text in rows if (text or "").upper().startswith("CREATE VIRTUAL TABLE")]
    tables = {}
    for name, _ in rows:
        if name.startswith("sqlite_") or name in virtual or any(name.startswith(v + "_") for v in virtual):
            continue
        tables[name] = [row[1] for row in lite.execute(f'PRAGMA table_info("{name}")')]
    return tables


def pg_tables(pg):
    """{table: [columns]} of the public schema (generated columns left out: they cannot be copied into)."""
    tables = defaultdict(list)
    for table, column in pg.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' "
            "AND is_generated = 'NEVER' ORDER BY table_name, ordinal_position"):
        tables[table].append(column)
    views = {row[0] for row in pg.execute("SELECT table_name FROM information_schema.views WHERE table_schema = 'public'")}
    return {t: c for t, c in tables.items() if t not in views}


def compare_schemas(lite_tables, pg_columns):
    """The columns to copy per table; stops on a table or column SQLite has and PostgreSQL lacks."""
    problems = [f"table {t} is not in PostgreSQL" for t in lite_tables if t not in pg_columns]
    only_pg = [t for t in pg_columns if t not in lite_tables and t not in SKIPPED]
    plan = {}
    for table, columns in lite_tables.items():
        if table not in pg_columns:
            continue
        missing = [c for c in columns if c not in pg_columns[table]]
        problems += [f"column {table}.{c} is not in PostgreSQL" for c in missing]
        extra = [c for c in pg_columns[table] if c not in columns]
        if extra:
            print(f"   {table}: PostgreSQL only {extra} (filled by their default or trigger)")
        plan[table] = columns
    if only_pg:
        print(f"   PostgreSQL-only tables (left as migrate made them): {only_pg}")
    if problems:
        raise SystemExit("the schemas differ:\n  " + "\n  ".join(problems))
    return plan


def foreign_keys(pg):
    return pg.execute(
        "SELECT conrelid::regclass::text, conname, confrelid::regclass::text, pg_get_constraintdef(oid) "
        "FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace").fetchall()


def secondary_indexes(pg):
    """(table, index, definition) of every index that no constraint owns (the constraints' stay)."""
    return pg.execute(
        "SELECT t.relname, c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid "
        "WHERE t.relnamespace = 'public'::regnamespace "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)").fetchall()


def dependency_order(tables, fks):
    """Parents before children (self-references ignored); ties in name order."""
    parents = {t: set() for t in tables}
    for child, _, parent, _ in fks:
        child, parent = child.strip('"'), parent.strip('"')
        if child in parents and parent in parents and child != parent:
            parents[child].add(parent)
    order, placed = [], set()
    while len(order) < len(parents):
        ready = sorted(t for t in parents if t not in placed and parents[t] <= placed)
        if not ready:
            raise SystemExit(f"foreign-key cycle among {sorted(set(parents) - placed)}")
        order += ready
        placed.update(ready)
    return order


# --- the copy ----------------------------------------------------------------------------------------

def copy_table(lite, pg, table, columns):
    names = ", ".join(f'"{c}"' for c in columns)
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(c) for c in columns))
    rows = 0
    with pg.cursor().copy(statement) as copy:
        for row in lite.execute(f'SELECT {names} FROM "{table}"'):  # noqa: S608
            copy.write_row(row)
            rows += 1
    return rows


def reset_sequences(pg, plan):
    for table, columns in plan.items():
        for column in columns:
            sequence = pg.execute("SELECT pg_get_serial_sequence(%s, %s)", [f'"{table}"', column]).fetchone()[0]
            if sequence:
                pg.execute(sql.SQL("SELECT setval(%s, COALESCE((SELECT MAX({}) FROM {}), 1), "
                                   "(SELECT MAX({}) FROM {}) IS NOT NULL)").format(
                    sql.Identifier(column), sql.Identifier(table), sql.Identifier(column), sql.Identifier(table)),
                    [sequence])


def load(lite, url, plan):
    with psycopg.connect(url) as pg:
        pg.execute("SET TIME ZONE 'UTC'")
        pg.execute("SET maintenance_work_mem = '512MB'")
        fks = foreign_keys(pg)
        indexes = secondary_indexes(pg)
        order = dependency_order(plan, fks)
        started = step(f"dropping {len(fks)} foreign keys and {len(indexes)} secondary indexes, emptying "
                       f"{len(order)} tables")
        for table, name, _, _ in fks:
            pg.execute(sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(sql.SQL(table), sql.Identifier(name)))
        for _, name, _ in indexes:
            pg.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
        pg.execute(sql.SQL("TRUNCATE {}").format(sql.SQL(", ").join(sql.Identifier(t) for t in order)))
        done(started)
        started = step("COPY, parents first")
        total = 0
        for table in order:
            t0 = time.monotonic()
            rows = copy_table(lite, pg, table, plan[table])
            total += rows
            if rows >= 10_000:
                seconds = time.monotonic() - t0
                print(f"   {table:34} {rows:>10,} rows {seconds:7.1f} s ({rows / seconds:,.0f} rows/s)", flush=True)
        done(started, f", {total:,} rows")
        started = step(f"building {len(indexes)} indexes")
        for _, _, definition in indexes:
            pg.execute(definition)
        done(started)
        started = step(f"adding {len(fks)} foreign keys (every row checked)")
        for table, name, _, definition in fks:
            pg.execute(sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(
                sql.SQL(table), sql.Identifier(name), sql.SQL(definition)))
        done(started)
        started = step("id sequences")
        reset_sequences(pg, plan)
        done(started)
        started = step("COMMIT")
    done(started)
    started = step("VACUUM ANALYZE")
    with psycopg.connect(url, autocommit=True) as pg:
        pg.execute("VACUUM ANALYZE")
    done(started)


# --- the check ---------------------------------------------------------------------------------------

def check(lite, url, plan, source_migrations):
    """Rows and largest id of every table, and FIGURES, on both sides: the differences (empty when equal)."""
    differences = []
    with psycopg.connect(url) as pg:
        if migrations(pg) != source_migrations:
            differences.append("django_migrations differ")
        print(f"   {'table':34} {'SQLite rows':>12} {'PostgreSQL rows':>16}  same")
        integer_ids = {row[0] for row in pg.execute(
            "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'id' "
            "AND data_type IN ('integer', 'bigint')")}
        for table in sorted(plan):
            query = f'SELECT COUNT(*){", MAX(id)" if table in integer_ids else ""} FROM "{table}"'  # noqa: S608
            a, b = lite.execute(query).fetchone(), pg.execute(query).fetchone()
            same = a == b
            if not same:
                differences.append(f"{table}: SQLite {a}, PostgreSQL {b}")
            if a[0] or not same:
                print(f"   {table:34} {a[0]:>12,} {b[0]:>16,}  {'yes' if same else 'NO'}")
        for label, lite_sql, pg_sql in FIGURES:
            a = [tuple(r) for r in lite.execute(lite_sql).fetchall()]
            b = [tuple(r) for r in pg.execute(pg_sql).fetchall()]
            same = a == b
            print(f"   {label}: {'same' if same else 'DIFFER'} {a if len(str(a)) < 160 else str(a)[:160] + '…'}")
            if not same:
                differences.append(f"{label}: SQLite {a}, PostgreSQL {b}")
    return differences


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", default="/tmp/city", help="the SQLite city's var dir (read only)")
    parser.add_argument("--db", default="city", help="the database's name on the scripts/pgcity.sh cluster")
    parser.add_argument("--url", help="the target database's URL instead (any server; overrides --db)")
    parser.add_argument("--var", help=f"the var dir for runs against it (default {PGCITY_DIR}/var/<db>)")
    parser.add_argument("--replace", action="store_true", help="drop and load again an existing database")
    args = parser.parse_args()
    source = Path(args.source)
    url = args.url or f"postgres://postgres@127.0.0.1:{PGCITY_PORT}/{args.db}"
    name = psycopg.conninfo.conninfo_to_dict(url)["dbname"]
    var_dir = Path(args.var or PGCITY_DIR / "var" / name)
    secrets = source / "dev-secrets.json"
    if not (source / "db.sqlite3").exists() or not secrets.exists():
        raise SystemExit(f"{source} holds no db.sqlite3 and dev-secrets.json")
    began = time.monotonic()

    started = step(f"var dir {var_dir} (the source's keys), database {name}, migrate")
    var_dir.mkdir(parents=True, exist_ok=True)
    if (var_dir / "dev-secrets.json").exists() and \
            json.loads((var_dir / "dev-secrets.json").read_text()) != json.loads(secrets.read_text()) and not args.replace:
        raise SystemExit(f"{var_dir} holds other keys than {source}: --replace")
    shutil.copy(secrets, var_dir / "dev-secrets.json")
    os.chmod(var_dir / "dev-secrets.json", 0o600)
    create_database(url, args.replace)
    _manage(var_dir, url, "migrate", "--noinput", "-v0")
    done(started)

    with tempfile.TemporaryDirectory(prefix="load-city-pg-", dir=PGCITY_DIR if PGCITY_DIR.exists() else None) as scratch:
        database = source / "db.sqlite3"
        lite = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        with psycopg.connect(url) as pg:
            target_migrations = migrations(pg)
        if migrations(lite) != target_migrations:
            lite.close()
            started = step("the source's migrations differ from this code's: migrating a copy of it")
            scratch = Path(scratch)
            copy_sqlite(source, scratch)  # the database and its keys
            database = scratch / "db.sqlite3"
            _manage(scratch, None, "migrate", "--noinput", "-v0")
            lite = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
            done(started)
        source_migrations = migrations(lite)
        with psycopg.connect(url) as pg:
            plan = compare_schemas(
                {t: c for t, c in sqlite_tables(lite).items() if t not in SKIPPED}, pg_tables(pg))
        load(lite, url, plan)
        started = step("check: rows and largest id of every table, figures, SQLite against PostgreSQL")
        differences = check(lite, url, plan, source_migrations)
        lite.close()
        done(started)
    print(f"\n{'DIFFERENCES:' if differences else 'same rows and figures on both sides'} "
          f"({time.monotonic() - began:,.0f} s in all)")
    for line in differences:
        print("  " + line)
    print(f"\nrun against it with SHANGLIAN_VAR_DIR={var_dir} DATABASE_URL={url}")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
