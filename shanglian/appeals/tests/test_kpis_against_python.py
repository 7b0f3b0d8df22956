"""The KPIs computed in SQL (issue 19: period OR overdue, months as ranges of submission instants,
enrolled enterprises through one IN) against a straightforward Python count of the same rows, over a
varied dataset: appeals placed on the instants around local midnight at month and year boundaries in
Asia/Shanghai (where UTC is still the day before), every status and rating, replies on time and late,
returned and held assignments, appeals of another federation; several kinds of period."""

import random
from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from shanglian import testing
from shanglian.accounts.models import User
from shanglian.accounts.roles import Role
from shanglian.appeals import figures, summaries
from shanglian.appeals.models import OPEN_STATES, Appeal, Assignment, Rating, Status
from shanglian.common.periods import Period

from .factories import category

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2025, 11, 20)
NOT_ACCEPTED = (Status.SUBMITTED, Status.REJECTED)
CATEGORIES = ("finance", "consult", "complaint", "suggestion")


def _instants(rng):
    """Local midnights of the first day of each month Nov 2024 – Feb 2026, and the instants just around
    them (one second before is still the previous month; eight hours later is the same UTC day), plus
    random instants in between."""
    result = []
    for n in range(16):
        year, month = 2024 + (10 + n) // 12, (10 + n) % 12 + 1
        midnight = datetime(year, month, 1, tzinfo=SHANGHAI)
        result += [midnight, midnight - timedelta(seconds=1), midnight + timedelta(seconds=1),
                   midnight + timedelta(hours=8) - timedelta(seconds=1), midnight + timedelta(hours=8)]
    start = datetime(2024, 11, 1, tzinfo=SHANGHAI)
    result += [start + timedelta(seconds=rng.randrange(480 * 86400)) for _ in range(150)]
    return result


@pytest.fixture
def world(cast):
    rng = random.Random(19)
    enterprises = [cast.ent1, cast.ent2] + [testing.make_enterprise(cast.district, name=f"天津统计测试{n}有限公司")
                                           for n in range(6)]
    cats = [category(code) for code in CATEGORIES]
    departments = [cast.dept1, cast.dept2]
    appeals, assignments = [], []
    for n, instant in enumerate(_instants(rng)):
        other = n % 17 == 0
        status = rng.choice(list(Status))
        appeals.append(Appeal(
            federation=cast.other if other else cast.district, number=f"T{n:06d}",
            enterprise=cast.ent_other if other else rng.choice(enterprises), category=rng.choice(cats),
            title="统计测试诉求", content="统计测试诉求内容", submitted_at=instant, status=status,
            rejected_reason="不属于受理范围" if status == Status.REJECTED else "",
            deadline=rng.choice([None, TODAY - timedelta(days=3), TODAY, TODAY + timedelta(days=5),
                                 instant.date() + timedelta(days=10)]),
            replied_on_time=rng.choice([None, True, False]),
            rating=rng.choice(["", Rating.SATISFIED, Rating.BASICALLY, Rating.UNSATISFIED])))
    Appeal.objects.bulk_create(appeals)
    for appeal in Appeal.objects.filter(number__startswith="T"):
        for department in rng.sample(departments, rng.randrange(3)):
            for round_ in range(rng.randrange(1, 3)):
                state = rng.choice(list(Assignment.State))
                replied = state == Assignment.State.REPLIED or rng.random() < 0.2
                assignments.append(Assignment(
                    appeal=appeal, department=department, state=state, round=round_,
                    dispatched_at=appeal.submitted_at, sign_deadline=appeal.submitted_at + timedelta(days=1),
                    deadline=rng.choice([TODAY - timedelta(days=1), TODAY, TODAY + timedelta(days=7)]),
                    replied_at=appeal.submitted_at + timedelta(days=2) if replied else None,
                    replied_on_time=rng.choice([True, False]) if replied else None,
                    working_days_to_reply=rng.choice([None, 0, 1, 2, 5]) if replied else None))
    Assignment.objects.bulk_create(assignments)
    summaries.rebuild()  # bulk_create bypasses the saves that keep the KPI summaries
    testing.make_user(Role.ENTERPRISE, username="stat-ent", enterprise=enterprises[-1])
    return cast


def _local_day(instant):
    return timezone.localtime(instant, SHANGHAI).date()


def _expected(appeals, assignments, period, key=lambda appeal: None, department_rows=False):
    """{key: counts} by the definitions in figures.py, counted in Python one row at a time."""
    rows = defaultdict(lambda: defaultdict(int))
    in_period = {a.pk for a in appeals if period.start <= _local_day(a.submitted_at) <= period.end}
    for a in appeals:
        r = rows[key(a)]
        if a.pk in in_period:
            r["received"] += 1
            r["accepted"] += a.status not in NOT_ACCEPTED
            r["closed"] += a.status == Status.CLOSED
            r["replied"] += a.replied_on_time is not None
            r["replied_on_time"] += a.replied_on_time is True
            r["satisfied"] += a.rating == Rating.SATISFIED
            r["basically"] += a.rating == Rating.BASICALLY
            r["unsatisfied"] += a.rating == Rating.UNSATISFIED
        r["overdue"] += a.status in OPEN_STATES and a.deadline is not None and a.deadline < TODAY
    by_pk = {a.pk: a for a in appeals}
    for s in assignments:
        if s.appeal_id in in_period and s.replied_at is not None and s.working_days_to_reply is not None:
            r = rows[key(by_pk[s.appeal_id])]
            r["reply_days_total"] += s.working_days_to_reply
            r["reply_days_count"] += 1
    return {k: {name: v for name, v in r.items() if v} for k, r in rows.items()}


def _counts(row):
    return {name: getattr(row, name) for name in figures.COUNT_FIELDS if getattr(row, name)}


PERIODS = [Period.year(2025), Period.quarter(2025, 1), Period.month(2025, 2), Period.month(2025, 12),
           Period.custom(date(2024, 12, 31), date(2025, 3, 1)), Period.custom(date(2025, 3, 15), date(2025, 5, 10))]


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: p.label)
def test_the_sql_figures_equal_a_python_count_of_the_rows(world, period):
    staff = world.users.staff
    scope = figures.kpi_scope(staff)
    appeals = list(Appeal.objects.filter(federation=world.district))
    assignments = list(Assignment.objects.filter(appeal__federation=world.district))

    overall = _expected(appeals, assignments, period)[None]
    assert _counts(figures.overall(scope, period, today=TODAY)) == overall
    assert _counts(figures.kpi_report(staff, period, today=TODAY).overall) == overall  # the sum of the categories

    expected = _expected(appeals, assignments, period, key=lambda a: a.category_id)
    assert {row.key: _counts(row) for row in figures.by_category(scope, period, today=TODAY)} == {
        k: v for k, v in expected.items() if v}

    months = _expected([a for a in appeals if period.start <= _local_day(a.submitted_at) <= period.end],
                       assignments, period, key=lambda a: _local_day(a.submitted_at).replace(day=1))
    rows = figures.by_month(scope, period, today=TODAY)
    assert [row.key for row in rows] == [m for m in period.months() if m <= TODAY]
    assert {row.key: _counts(row) for row in rows} == {m: months.get(m, {}) for m in period.months() if m <= TODAY}

    end = period.bounds[1]
    with_appeal = {a.enterprise_id for a in appeals if a.submitted_at < end}
    with_account = {u.enterprise_id for u in User.objects.filter(is_active=True, enterprise__federation=world.district,
                                                                 date_joined__lt=end) if u.role == Role.ENTERPRISE}
    assert figures.enterprises_enrolled(staff, scope, period) == len(with_appeal | with_account)


@pytest.mark.parametrize("period", PERIODS[:3], ids=lambda p: p.label)
def test_the_department_rows_equal_a_python_count_of_the_assignments(world, period):
    scope = figures.kpi_scope(world.users.staff)
    appeals = {a.pk: a for a in Appeal.objects.filter(federation=world.district)}
    expected = defaultdict(lambda: defaultdict(set))
    replies = defaultdict(lambda: defaultdict(int))
    for s in Assignment.objects.filter(appeal__federation=world.district).exclude(state=Assignment.State.RETURNED):
        a = appeals[s.appeal_id]
        sets, counts = expected[s.department_id], replies[s.department_id]
        if s.state in Assignment.HELD_STATES and s.deadline < TODAY:
            sets["overdue"].add(a.pk)
        if not period.start <= _local_day(a.submitted_at) <= period.end:
            continue
        sets["received"].add(a.pk)
        if a.status not in NOT_ACCEPTED:
            sets["accepted"].add(a.pk)
        if a.status == Status.CLOSED:
            sets["closed"].add(a.pk)
        if a.rating:
            sets[a.rating].add(a.pk)  # the values are the names of the counts: satisfied, basically, unsatisfied
        if s.replied_at is not None:
            counts["replied"] += 1
            counts["replied_on_time"] += s.replied_on_time is True
            if s.working_days_to_reply is not None:
                counts["reply_days_total"] += s.working_days_to_reply
                counts["reply_days_count"] += 1
    want = {}
    for department in set(expected) | set(replies):
        row = {name: len(ids) for name, ids in expected[department].items() if ids}
        row.update({name: n for name, n in replies[department].items() if n})
        if row:
            want[department] = row
    assert {row.key: _counts(row) for row in figures.by_department(scope, period, today=TODAY)} == want


def test_a_month_bucket_starts_at_local_midnight_not_utc_midnight(world):
    """An appeal at 00:00:00 on 1 Dec in Shanghai (16:00 on 30 Nov in UTC) is December's; one second
    earlier it is November's."""
    scope = figures.kpi_scope(world.users.staff)
    december = datetime(2025, 12, 1, tzinfo=SHANGHAI)
    appeals = Appeal.objects.filter(federation=world.district)
    rows = {row.key: row.received for row in figures.by_month(scope, Period.year(2025), today=date(2025, 12, 31))}
    local = [_local_day(a.submitted_at) for a in appeals]
    assert rows[date(2025, 12, 1)] == sum(1 for d in local if d.year == 2025 and d.month == 12)
    assert rows[date(2025, 11, 1)] == sum(1 for d in local if d.year == 2025 and d.month == 11)
    assert appeals.filter(submitted_at=december).exists()
    assert appeals.filter(submitted_at=december - timedelta(seconds=1)).exists()


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: p.label)
def test_a_chambers_figures_equal_a_python_count_of_its_active_members_appeals(world, period):
    """A chamber secretary's KPIs, read from its summary rows (`AppealChamberDayStat`, kept as its memberships
    change) and counted from the appeals (`summaries=False`): the same figures as a Python count of the
    appeals of its active members — not those of a member that left, nor another chamber's — overall, per
    category, per month, per department, and 服务企业数."""
    from shanglian.members.models import ChamberMembership

    chamber = world.users.chamber1
    extra = list(Appeal.objects.filter(federation=world.district).exclude(
        enterprise__in=[world.ent1, world.ent2]).values_list("enterprise_id", flat=True).distinct().order_by(
        "enterprise_id"))
    active, left, elsewhere = extra[0], extra[1], extra[2]
    ChamberMembership.objects.create(chamber=world.chamber1, enterprise_id=active, joined=date(2020, 1, 1))
    ChamberMembership.objects.create(chamber=world.chamber1, enterprise_id=left, joined=date(2020, 1, 1),
                                     status=ChamberMembership.Status.LEFT, left=date(2024, 1, 1))
    ChamberMembership.objects.create(chamber=world.chamber2, enterprise_id=elsewhere, joined=date(2020, 1, 1))
    members = set(ChamberMembership.objects.filter(chamber=world.chamber1, status="active")
                  .values_list("enterprise_id", flat=True))
    assert active in members and left not in members and elsewhere not in members
    appeals = [a for a in Appeal.objects.all() if a.enterprise_id in members]
    assert len({a.enterprise_id for a in appeals}) >= 2
    assignments = list(Assignment.objects.filter(appeal__in=[a.pk for a in appeals]))

    report = figures.kpi_report(chamber, period, today=TODAY)
    assert report.source == figures.Source(chamber=world.chamber1.pk)
    raw = figures.kpi_report(chamber, period, today=TODAY, summaries=False)
    assert (raw.overall, raw.by_category, raw.by_month, raw.by_department, raw.enterprises_enrolled) == (
        report.overall, report.by_category, report.by_month, report.by_department, report.enterprises_enrolled)
    assert _counts(report.overall) == _expected(appeals, assignments, period)[None]
    assert _counts(figures.overall(report.scope, period, today=TODAY)) == _expected(appeals, assignments, period)[None]
    expected = _expected(appeals, assignments, period, key=lambda a: a.category_id)
    assert {row.key: _counts(row) for row in report.by_category} == {k: v for k, v in expected.items() if v}
    months = _expected([a for a in appeals if period.start <= _local_day(a.submitted_at) <= period.end],
                       assignments, period, key=lambda a: _local_day(a.submitted_at).replace(day=1))
    assert {row.key: _counts(row) for row in report.by_month} == {
        m: months.get(m, {}) for m in period.months() if m <= TODAY}
    # its late ones read from the open appeals with the membership tested per row (`kpi_scope(per_row=True)`)
    assert report.by_department == figures.by_department(report.scope, period, today=TODAY)
    held = [s for s in assignments if s.state != Assignment.State.RETURNED]
    assert {row.key for row in report.by_department} == {
        s.department_id for s in held
        if period.start <= _local_day(s.appeal.submitted_at) <= period.end
        or (s.state in Assignment.HELD_STATES and s.deadline < TODAY)}
    end = period.bounds[1]
    with_appeal = {a.enterprise_id for a in appeals if a.submitted_at < end}
    with_account = {u.enterprise_id for u in User.objects.filter(is_active=True, enterprise_id__in=members,
                                                                 date_joined__lt=end) if u.role == Role.ENTERPRISE}
    assert report.enterprises_enrolled == len(with_appeal | with_account)


def test_the_chamber_home_cards_skip_only_figures_they_do_not_show(world):
    """The chamber's 工作台 shows neither 服务企业数 nor 平均答复用时; counted from the appeals (`summaries=False`)
    it skips them: every card it shows — value, 同比 — is the one of the full report (from the summaries); a whole year's 环比 (the year before) is counted once
    for 同比 and 环比 and equals the comparison counted on its own."""
    from shanglian.appeals.panels import CHAMBER_CARDS
    from shanglian.ui.figures import YEAR_AGO

    chamber = world.users.chamber1
    period = Period.custom(date(2025, 1, 1), TODAY)
    full = figures.overall_figures(chamber, figures.kpi_report(chamber, period, today=TODAY, breakdowns=False),
                                   today=TODAY, compare=YEAR_AGO)
    lean_report = figures.kpi_report(chamber, period, today=TODAY, breakdowns=False, enrolled=False, reply_days=False,
                                     summaries=False)
    lean = figures.overall_figures(chamber, lean_report, today=TODAY, compare=YEAR_AGO)
    assert lean_report.enterprises_enrolled is None and lean["average_reply_days"].value is None
    shown = [key.removeprefix("appeals.") for key in CHAMBER_CARDS]
    assert [(lean[k].value, lean[k].year_ago) for k in shown] == [(full[k].value, full[k].year_ago) for k in shown]
    assert any(full[k].value for k in shown)

    year = Period.year(2025)
    cards = figures.overall_figures(chamber, figures.kpi_report(chamber, year, today=TODAY), today=TODAY)
    before = figures.overall(figures.kpi_scope(chamber), Period.year(2024), today=TODAY, overdue=False)
    for key, _label, _unit, attribute, *_rest, compared, _alert in figures.OVERALL:
        if compared:
            assert cards[key].previous == cards[key].year_ago == getattr(before, attribute), key
