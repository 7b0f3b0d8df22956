"""Data at district, city and province scale (`manage.py gen_scale`): the demo district built once by `seed_demo`
at the size of one district of the scale, then copied, inside the database, as the other districts of a city or
a province.

Why copies: every record of the demo is lived through the services that write it (an appeal's timeline, its
working-day deadlines, its rating), about 1 ms of Python a record — 10 million appeals would take hours. A copy is
one INSERT … SELECT per table for a batch of districts, run by the database itself: bounded in memory whatever
the size, and as realistic as the district it copies (its proportions of members, appeals, events, check-ins,
donations, proposals, visits; its months and statuses). Every copy is a district of its own: its federation row
(name, region code, parent city), its streets, enterprises, persons, users, chambers, departments and every
record hanging from them, with their own ids.

What a copy holds is found by following the foreign keys from the district's federation row (`owned`): a row
belongs to the district when one of its foreign keys points at a row that does. A row pointing at the district
and at something shared (a dictionary item, an industry code, a city notice) is copied pointing at the same
shared row. Not copied: the audit trail (a hash chain; copies write no events), sessions, API tokens and SMS
codes, and stored files (a copy's records point at the demo district's files, which exist). A copy's users have no
mobile (its blind index needs the application's key): they sign in with their username.

Unique values are made unique per copy: a street code's region part (its first six digits) becomes the copy's
region code, a USCC's (characters 3–8) "98" and the copy's number; any other unique text (numbers, usernames, invitation codes …) gets
the copy's number appended ("SQ202611300001-17", "staff-17": the 17th copy).
"""

import time
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, models

from shanglian.common.validators import USCC_CHARS, USCC_WEIGHTS
from shanglian.orgs.models import Federation

from . import orgs, saving


@dataclass(frozen=True)
class Scale:
    name: str
    cities: int  # cities in all (the demo city is one); more than one: under a province federation
    districts_per_city: int  # districts of each city built as copies of the demo district (the demo's one)

    @property
    def districts(self):
        return self.cities * self.districts_per_city


# One district of each scale is `seed_demo` of TEMPLATE: 2,000 enterprises and ~20,000 appeals over five years.
TEMPLATE = {"enterprises": 2000, "years": 5, "appeals_per_enterprise": 2.0}
SCALES = {
    "district": Scale("district", cities=1, districts_per_city=1),  # 2k enterprises, 20k appeals
    "city": Scale("city", cities=1, districts_per_city=50),  # 100k, 1M
    "province": Scale("province", cities=10, districts_per_city=50),  # 1M, 10M
}
PROVINCE = {"name": "演示省工商联", "short_name": "演示省", "region_code": "990000"}

# Tables never copied (prefixes of db_table): see the module's docstring.
SKIPPED_PREFIXES = ("audit_", "auditlog_", "django_", "huey")
SKIPPED_TABLES = {"accounts_apitoken", "accounts_smslogincode"}
# `--lean` leaves out, besides, the histories and messages no figure counts — an appeal's timeline, notifications,
# policy pushes, the door's scan log, a notice's recipients: two thirds of a copy's rows and of its disk (a
# province copied whole needs ~75 GB on PostgreSQL). A lean copy's appeals show no timeline.
LEAN_SKIPPED = {"appeals_timelineentry", "notifications_notification", "policies_policydelivery", "events_scan",
                "communications_noticerecipient"}
# A street code's region part (its first six digits) becomes the copy's region code. A USCC's (characters 3–8,
# where the firm registered, which may be another district) becomes "98" and the copy's number: no real region
# code begins with 98, so a copy's firm never takes the code of another; its check character is computed again
# (`_uscc_copy`), so a copy's codes pass `validate_uscc`.
STREET_CODE = ("orgs_street", "code")
USCC = ("members_enterprise", "uscc")
USCC_REGION_WEIGHTS = USCC_WEIGHTS[2:8]
INTEGER_KEYS = {"AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField", "ForeignKey",
                "OneToOneField"}
# Columns a copy leaves empty: a user's mobile is unique among active users through its blind index, which only
# the application's key computes (a copy's users sign in with their username).
CLEARED = {("accounts_user", "mobile"), ("accounts_user", "mobile_index")}
# The copied federation's own columns.
FEDERATION_TABLE = Federation._meta.db_table


@dataclass
class Table:
    model: type
    name: str
    pk: str
    columns: list  # every concrete column, in order
    fks: dict  # column → target table name (targets keyed by their primary key)
    unique_text: list  # unique char/text columns
    max_length: dict = field(default_factory=dict)
    span: int = 0  # the largest id before copying: copy k's id is id + k × span
    owned: int = 0  # rows of the district


def _q(name):
    return connection.ops.quote_name(name)


def copyable_tables(skipped=frozenset()):
    """{table name: Table} of every concrete table that may be copied (M2M tables included), but `skipped`."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if not meta.managed or meta.proxy or meta.db_table in SKIPPED_TABLES | skipped:
            continue
        if meta.db_table.startswith(SKIPPED_PREFIXES) or meta.app_label in ("auth", "contenttypes", "admin",
                                                                               "sessions"):
            continue
        if any(f.column == "stored_name" for f in meta.local_concrete_fields):
            continue  # a stored file: copies point at the district's own
        if meta.pk.get_internal_type() not in INTEGER_KEYS:
            continue  # a code as the key (an industry code): reference data, shared
        fks, unique_text, max_length = {}, [], {}
        for f in meta.local_concrete_fields:
            if f.is_relation:
                if not f.target_field.primary_key:
                    raise RuntimeError(f"{meta.db_table}.{f.column}: a foreign key not to a primary key")
                fks[f.column] = f.related_model._meta.db_table
            elif f.unique and not f.primary_key and isinstance(f, models.CharField | models.TextField):
                unique_text.append(f.column)
                max_length[f.column] = f.max_length
        tables[meta.db_table] = Table(model=model, name=meta.db_table, pk=meta.pk.column,
                                      columns=[f.column for f in meta.local_concrete_fields], fks=fks,
                                      unique_text=unique_text, max_length=max_length)
    return tables


def find_owned(tables, federation_id, cursor):
    """Fill a temporary table gen_owned_<i> of ids per table with the rows that belong to the district: the
    closure of "has a foreign key to a row that belongs" from the district's federation row."""
    index = {name: i for i, name in enumerate(sorted(tables))}
    for i in index.values():
        cursor.execute(f"DROP TABLE IF EXISTS gen_owned_{i}")
        cursor.execute(f"CREATE TEMPORARY TABLE gen_owned_{i} (id bigint PRIMARY KEY)")
    cursor.execute(f"INSERT INTO gen_owned_{index[FEDERATION_TABLE]} VALUES (%s)", [federation_id])
    growing = True
    while growing:
        growing = False
        for name, table in tables.items():
            if name == FEDERATION_TABLE:
                continue
            links = [f"{_q(column)} IN (SELECT id FROM gen_owned_{index[target]})"
                     for column, target in table.fks.items() if target in index]
            if not links:
                continue
            i = index[name]
            cursor.execute(f"INSERT INTO gen_owned_{i} SELECT {_q(table.pk)} FROM {_q(name)} "
                           f"WHERE ({' OR '.join(links)}) AND {_q(table.pk)} NOT IN (SELECT id FROM gen_owned_{i})")
            if cursor.rowcount:
                growing = True
    for name, i in index.items():
        cursor.execute(f"SELECT COUNT(*) FROM gen_owned_{i}")
        tables[name].owned = cursor.fetchone()[0]
        if tables[name].owned:
            cursor.execute(f"SELECT MAX({_q(tables[name].pk)}) FROM {_q(name)}")
            tables[name].span = cursor.fetchone()[0]
    return index


def dependency_order(tables):
    """Tables with rows to copy, parents first (a self-reference ignored)."""
    todo = {name for name, table in tables.items() if table.owned}
    order = []
    while todo:
        ready = sorted(name for name in todo
                       if not any(target in todo and target != name for target in tables[name].fks.values()))
        if not ready:  # a cycle of foreign keys: copied together, the keys are checked at the end
            ready = sorted(todo)[:1]
        order.extend(ready)
        todo.difference_update(ready)
    return order


def _concat(*parts):
    return "(" + " || ".join(parts) + ")"


def _unless_blank(ref, expression):
    return f"CASE WHEN {ref} IS NULL OR {ref} = '' THEN {ref} ELSE {expression} END"


def select_copy(table, tables, index):
    """The SELECT of the copies of `table`'s district rows, one for each row of gen_copy (k, tag, region,
    registered, registered_sum, name, short, parent): the ids moved by k × span, the keys to district rows
    likewise, unique text made the copy's own."""
    out = []
    for column in table.columns:
        ref = f"t.{_q(column)}"
        if table.name == FEDERATION_TABLE and column in ("name", "short_name", "region_code", "parent_id"):
            out.append({"name": "g.name", "short_name": "g.short", "region_code": "g.region",
                        "parent_id": "g.parent"}[column])
        elif column == table.pk and column not in table.fks:
            out.append(f"{ref} + g.k * {table.span}")
        elif column in table.fks:
            target = tables.get(table.fks[column])
            if target is None or not target.owned:
                out.append(ref)  # shared
            else:
                out.append(f"CASE WHEN {ref} IN (SELECT id FROM gen_owned_{index[target.name]}) "
                           f"THEN {ref} + g.k * {target.span} ELSE {ref} END")
        elif (table.name, column) in CLEARED:
            out.append("''")
        elif (table.name, column) == USCC:
            out.append(_unless_blank(ref, _uscc_copy(ref)))
        elif (table.name, column) == STREET_CODE:
            out.append(_unless_blank(ref, _concat("g.region", f"SUBSTR({ref}, 7)")))
        elif column in table.unique_text:
            out.append(_unless_blank(ref, _concat(ref, "g.tag")))
        else:
            out.append(ref)
    return (f"SELECT {', '.join(out)} FROM {_q(table.name)} t CROSS JOIN gen_copy g "
            f"WHERE t.{_q(table.pk)} IN (SELECT id FROM gen_owned_{index[table.name]})")


def _uscc_copy(ref):
    """A USCC with characters 3–8 replaced by gen_copy's `registered` and its check character made right again:
    the check is (−Σ value × weight) mod 31, so it moves by the change of the six characters' weighted sum
    (the copy's part, gen_copy.registered_sum, against the row's own, summed here)."""
    find = "STRPOS" if connection.vendor == "postgresql" else "INSTR"

    def value(position):
        return f"({find}('{USCC_CHARS}', SUBSTR({ref}, {position}, 1)) - 1)"

    own = " + ".join(f"{weight} * {value(position)}" for position, weight in enumerate(USCC_REGION_WEIGHTS, start=3))
    check = f"(({value(18)} - g.registered_sum + {own}) % 31 + 31) % 31"
    return _concat(f"SUBSTR({ref}, 1, 2)", "g.registered", f"SUBSTR({ref}, 9, 9)",
                   f"SUBSTR('{USCC_CHARS}', {check} + 1, 1)")


def check_lengths(table, cursor, suffix):
    """Refuse before writing when a unique value with the copy's suffix (`suffix` characters at most) would not
    fit its column."""
    for column in table.unique_text:
        if (table.name, column) in (USCC, STREET_CODE) or table.max_length.get(column) is None:
            continue
        cursor.execute(f"SELECT MAX(LENGTH({_q(column)})) FROM {_q(table.name)}")
        longest = cursor.fetchone()[0] or 0
        if longest + suffix > table.max_length[column]:
            raise RuntimeError(f"{table.name}.{column}: 最长的值（{longest} 个字符）加上副本后缀超出字段长度 "
                               f"{table.max_length[column]}")


@dataclass
class CopyPlan:
    district: Federation  # the district copied
    copies: list = field(default_factory=list)  # [(k, region code, name, short name, parent city id)]


def plan_copies(scale, district, demo_city):
    """The cities (the demo city first; the others created here under a province federation when the scale has
    more than one) and the region codes and names of the copies under each. Region codes: a city's districts take
    the free codes of its prefix (1201xx for the demo city); the other cities are 99cc00 under 990000."""
    cities = [demo_city]
    if scale.cities > 1:
        province = Federation.objects.create(level=Federation.Level.PROVINCE, parent=None, **PROVINCE)
        Federation.objects.filter(pk=demo_city.pk).update(parent=province)
        for c in range(1, scale.cities):
            code = f"99{c:02d}00"
            cities.append(Federation.objects.create(level=Federation.Level.CITY, parent=province,
                                                    name=f"演示省第{c + 1}市工商联", short_name=f"第{c + 1}市",
                                                    region_code=code))
    taken = set(Federation.objects.values_list("region_code", flat=True))
    plan = CopyPlan(district=district)
    k = 0
    for city in cities:
        wanted = scale.districts_per_city - (1 if city.pk == demo_city.pk else 0)
        prefix = city.region_code[:4]
        codes = [f"{prefix}{n:02d}" for n in range(1, 100) if f"{prefix}{n:02d}" not in taken][:wanted]
        if len(codes) < wanted:
            raise RuntimeError(f"{city.name}：行政区划代码不够 {wanted} 个区")
        for code in codes:
            k += 1
            plan.copies.append((k, code, f"演示第{k}区工商联", f"演示{k}区", city.pk))
    return plan


def copy_district(plan, *, batch=25, lean=False, report=None):
    """Copy `plan.district` as every copy of `plan`, `batch` copies a statement (`lean`: without LEAN_SKIPPED);
    returns {table: rows written}. Inside the caller's transaction."""
    tables = copyable_tables(LEAN_SKIPPED if lean else frozenset())
    written = {}
    with connection.cursor() as cursor:
        index = find_owned(tables, plan.district.pk, cursor)
        order = dependency_order(tables)
        copies = [(k, f"-{k}", region, f"98{k:04d}", _weighted(f"98{k:04d}"), name, short, parent)
                  for k, region, name, short, parent in plan.copies]
        for name in order:
            check_lengths(tables[name], cursor, max(len(copy[1]) for copy in copies))
        cursor.execute("DROP TABLE IF EXISTS gen_copy")
        cursor.execute("CREATE TEMPORARY TABLE gen_copy (k bigint PRIMARY KEY, tag varchar(8), region varchar(6), "
                       "registered varchar(6), registered_sum integer, name varchar(100), short varchar(50), "
                       "parent bigint)")
        dropped = None
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # checks queued by the caller's transaction, if any
            dropped = _drop_for_load(cursor, order)
        started = time.monotonic()
        for name in order:
            table, step = tables[name], time.monotonic()
            select = select_copy(table, tables, index)
            columns = ", ".join(_q(c) for c in table.columns)
            for first in range(0, len(copies), batch):
                cursor.execute("DELETE FROM gen_copy")
                cursor.executemany("INSERT INTO gen_copy VALUES (%s, %s, %s, %s, %s, %s, %s, %s)", copies[first:first + batch])
                cursor.execute(f"INSERT INTO {_q(name)} ({columns}) {select}")
                written[name] = written.get(name, 0) + cursor.rowcount
                if table.owned * batch >= 200_000 and first + batch < len(plan.copies):
                    _say(report, f"{name}：{written[name]:,} 行（{first + batch}/{len(plan.copies)} 个区），"
                                 f"{written[name] / (time.monotonic() - step):,.0f} 行/秒")
            if time.monotonic() - step > 1 or written[name] >= 100_000:
                _say(report, f"{name}：{written[name]:,} 行，{time.monotonic() - step:.1f} 秒，"
                             f"内存峰值 {saving.peak_rss_mb():,.0f} MB")
        if dropped is not None:
            _say(report, f"复制 {sum(written.values()):,} 行用时 {time.monotonic() - started:.0f} 秒；重建索引和外键…")
            _restore_after_load(cursor, dropped, report)
            for name in order:
                _reset_sequence(cursor, tables[name])
    return written


def _weighted(region):
    return sum(USCC_CHARS.index(char) * weight for char, weight in zip(region, USCC_REGION_WEIGHTS, strict=True))


def _say(report, line):
    if report is not None:
        report(line)


# --- PostgreSQL: a bulk load without its secondary indexes and foreign keys, both made again after ---------------
def _drop_for_load(cursor, order):
    """Drop the copied tables' foreign keys (Django's are deferred: millions of rows would queue millions of
    checks until the commit) and their indexes that back no constraint; returns their definitions."""
    names = list(order)
    cursor.execute("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                   "WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)", [names])
    fks = cursor.fetchall()
    cursor.execute("SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                   "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid "
                   "WHERE t.relname = ANY(%s) AND NOT i.indisprimary "
                   "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)", [names])
    indexes = cursor.fetchall()
    for table, name, _ in fks:
        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {_q(name)}")
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {_q(name)}")
    return fks, indexes


def _restore_after_load(cursor, dropped, report):
    fks, indexes = dropped
    step = time.monotonic()
    for _, definition in indexes:
        cursor.execute(definition)
    _say(report, f"索引 {len(indexes)} 个：{time.monotonic() - step:.0f} 秒")
    step = time.monotonic()
    for table, name, definition in fks:  # checked against every row here
        cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {_q(name)} {definition}")
    _say(report, f"外键 {len(fks)} 个（逐行检查）：{time.monotonic() - step:.0f} 秒")


def _reset_sequence(cursor, table):
    cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table.name, table.pk])
    sequence = cursor.fetchone()[0]
    if sequence:
        cursor.execute(f"SELECT setval(%s, (SELECT MAX({_q(table.pk)}) FROM {_q(table.name)}))", [sequence])


def district_of_demo():
    return Federation.objects.get(level=Federation.Level.COUNTY, region_code=orgs.DISTRICT_REGION)
