"""The maintained KPI summaries (`appeals.summaries`, issue 19): the figures read from them equal the
figures counted from the appeals (the raw path, `summaries=False`) for every role that has them, every
breakdown, narrowed figures and several periods, on the varied data of test_kpis_against_python; after
each kind of service write, the rows kept by the saves equal the rows a rebuild computes from scratch."""

from dataclasses import astuple
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.appeals import figures, summaries
from shanglian.appeals.models import AppealChamberDayStat, AppealDayStat, AppealReach, Status
from shanglian.common.periods import Period
from shanglian.ui.figures import compute

from .factories import department_user, make_appeal, submit
from .test_kpis_against_python import PERIODS, TODAY, world  # noqa: F401  (world: the varied data)
from .test_services import ACTIONS, ALL_STATES, TABLE, _race, reference_data  # noqa: F401  (a fixture)


def _report(user, period, summaries, today=TODAY):
    report = figures.kpi_report(user, period, today=today, summaries=summaries)
    return (astuple(report.overall), report.enterprises_enrolled, [astuple(r) for r in report.by_department],
            [astuple(r) for r in report.by_category], [astuple(r) for r in report.by_month])


def _users(cast):
    return {"admin": cast.users.admin, "staff": cast.users.staff, "leader": cast.users.leader,
            "chamber1": cast.users.chamber1, "dept1": cast.users.dept1, "dept2": department_user(cast, cast.dept2)}


@pytest.mark.parametrize("period", [*PERIODS, Period.year(2024), Period.custom(date(2024, 11, 1), date(2026, 2, 28)),
                                    Period.custom(date(2024, 11, 15), date(2026, 2, 10)),  # partial months at both ends
                                    Period.custom(date(2025, 3, 5), date(2025, 3, 20)),  # within one month
                                    Period.custom(date(2025, 1, 31), date(2025, 3, 1))],  # one whole month, a day each side
                         ids=lambda p: p.label)
def test_every_figure_from_the_summaries_equals_the_count_of_the_appeals(world, period):  # noqa: F811
    for name, user in _users(world).items():
        assert figures.kpi_source(user) is not None, name
        assert _report(user, period, True) == _report(user, period, False), name


def test_a_department_row_and_the_comparisons_from_the_summaries_equal_the_raw_ones(world):  # noqa: F811
    period = Period.year(2025)
    for name, user in _users(world).items():
        summary = figures.department_figures(user, period, today=TODAY) if name.startswith("dept") else None
        raw = figures.department_figures(user, period, today=TODAY, summaries=False) if summary else None
        assert summary == raw, name
        scope = figures.kpi_scope(user)
        for other in (period.previous(), period.year_ago()):
            assert figures.overall(scope, other, today=TODAY, source=figures.kpi_source(user)) == figures.overall(
                scope, other, today=TODAY), name


@pytest.mark.parametrize("key", ["received", "closure_rate", "on_time_rate", "average_reply_days",
                                 "satisfaction_score", "overdue"])
def test_a_figure_narrowed_to_a_category_or_a_department_equals_its_raw_count(world, key):  # noqa: F811
    period = Period.custom(date(2024, 12, 31), date(2025, 6, 30))
    categories = sorted({row.key for row in figures.by_category(figures.kpi_scope(world.users.staff), period,
                                                                today=TODAY)})
    for user in (world.users.staff, world.users.dept1):
        narrowings = [{"category": c} for c in categories] + [
            {"department": d.pk} for d in (world.dept1, world.dept2)] + [{"category": categories[0],
                                                                            "department": world.dept1.pk}]
        for narrowing in narrowings:
            value = compute(f"appeals.{key}", user=user, period=period, today=TODAY, **narrowing).value
            scope = figures._narrowed(user, **narrowing)
            if "department" in narrowing:
                rows = figures.by_department(scope, period, today=TODAY, department_id=narrowing["department"])
                raw = getattr(rows[0] if rows else figures.Figures(), key)
            else:
                raw = getattr(figures.overall(scope, period, today=TODAY), key)
            assert value == raw, (user.username, narrowing)


def test_a_chamber_reads_its_own_summary_rows(world):  # noqa: F811
    report = figures.kpi_report(world.users.chamber1, Period.year(2025), today=TODAY)
    assert report.source == figures.Source(chamber=world.chamber1.pk)
    assert AppealChamberDayStat.objects.filter(chamber=world.chamber1).exists()
    assert report.overall.received == figures.kpi_scope(world.users.chamber1).filter(
        submitted_at__year=2025).count() > 0


def test_a_chambers_enterprises_served_from_the_first_appeal_days_equal_the_count_of_its_members_appeals(world):  # noqa: F811
    """服务企业数 of a chamber: its members with a first appeal by the period end in any federation, or an
    account by then; a member that is not active (suspended) and a non-member are not counted."""
    from datetime import datetime, timedelta

    from django.utils import timezone

    from shanglian import testing
    from shanglian.accounts.roles import Role
    from shanglian.members.models import ChamberMembership, Enterprise

    chamber = world.chamber1
    ChamberMembership.objects.create(chamber=chamber, enterprise=world.ent_other, joined=date(2024, 1, 1),
                                     status=ChamberMembership.Status.ACTIVE)  # its appeals are of another federation
    holder = Enterprise.objects.get(name="天津统计测试5有限公司")  # has the account "stat-ent"
    ChamberMembership.objects.create(chamber=chamber, enterprise=holder, joined=date(2024, 1, 1),
                                     status=ChamberMembership.Status.ACTIVE)
    ChamberMembership.objects.create(chamber=chamber, enterprise=world.ent2, joined=date(2024, 1, 1),
                                     status=ChamberMembership.Status.SUSPENDED)
    late = testing.make_enterprise(world.district, name="天津晚开账号有限公司", chamber=chamber)
    account = testing.make_user(Role.ENTERPRISE, username="late-ent", enterprise=late)
    account.date_joined = timezone.make_aware(datetime(2025, 3, 1, 9)) + timedelta(hours=15)  # 2 March local
    account.save(update_fields=["date_joined"])
    user = world.users.chamber1
    counts = []
    for period in [*PERIODS, Period.year(2024), Period.year(2025), Period.custom(date(2024, 11, 1), date(2026, 2, 28)),
                   Period.custom(date(2025, 3, 1), date(2025, 3, 1)), Period.custom(date(2025, 3, 2), date(2025, 3, 2))]:
        raw = figures.kpi_report(user, period, today=TODAY, summaries=False, breakdowns=False).enterprises_enrolled
        kept = figures.kpi_report(user, period, today=TODAY, breakdowns=False).enterprises_enrolled
        assert kept == raw == figures.enrolled_enterprises(user, figures.kpi_scope(user), period).count(), period.label
        counts.append(raw)
    assert len(set(counts)) > 1 and max(counts) >= 3  # the periods tell the members apart


def test_a_period_sums_the_month_rows_of_its_whole_months_and_the_day_rows_of_the_rest(world):  # noqa: F811
    day, month = AppealDayStat.Span.DAY, AppealDayStat.Span.MONTH

    def read(start, end):
        rows = AppealDayStat.objects.filter(summaries.spans(Period.custom(start, end)))
        return {span: set(rows.filter(span=span).values_list("day", flat=True)) for span in (day, month)}

    year = read(date(2025, 1, 1), date(2025, 12, 31))
    assert not year[day] and year[month] and all(d.year == 2025 and d.day == 1 for d in year[month])
    edges = read(date(2025, 1, 31), date(2025, 3, 1))  # 31 Jan and 1 Mar by the day, February by the month
    assert edges[day] <= {date(2025, 1, 31), date(2025, 3, 1)} and edges[month] <= {date(2025, 2, 1)}
    inside = read(date(2025, 3, 5), date(2025, 3, 20))  # no whole month: by the day
    assert not inside[month] and all(date(2025, 3, 5) <= d <= date(2025, 3, 20) for d in inside[day])


def _rows():
    stats = sorted(AppealDayStat.objects.values_list(
        "federation_id", "department_id", "span", "day", "category_id", *summaries.APPEAL_COUNTS,
        *summaries.DEPARTMENT_COUNTS), key=str)
    chambers = sorted(AppealChamberDayStat.objects.values_list(
        "chamber_id", "department_id", "span", "day", "category_id", *summaries.APPEAL_COUNTS,
        *summaries.DEPARTMENT_COUNTS), key=str)
    reach = sorted(AppealReach.objects.values_list("federation_id", "department_id", "enterprise_id", "first_day"),
                   key=str)
    return stats, reach, chambers


def _kept_rows_equal_rebuilt_rows():
    kept = _rows()
    summaries.rebuild()
    return kept == _rows()


ALLOWED = [(state, action) for state in ALL_STATES for action, outcome in TABLE[state].items()
           if isinstance(outcome, str)]


@pytest.mark.parametrize(("state", "action"), ALLOWED, ids=lambda v: str(v))
def test_after_each_service_write_the_kept_summaries_equal_a_rebuild(cast, state, action):
    """make_appeal drives the services to `state` (every save keeps the summaries), then one action."""
    other = make_appeal(cast, Status.CLOSED, departments=[cast.dept1, cast.dept2])  # a neighbour in the same buckets
    appeal = make_appeal(cast, state, departments=[cast.dept1])
    if action == "decide_extension":
        appeal = ACTIONS["request_extension"](cast, appeal)
    ACTIONS[action](cast, appeal)
    assert other.pk != appeal.pk
    assert AppealDayStat.objects.exists()
    year = Period.year(appeal.submitted_at.year)
    expected = {name: _report(user, year, False) for name, user in _users(cast).items()}
    assert _kept_rows_equal_rebuilt_rows()
    assert {name: _report(user, year, True) for name, user in _users(cast).items()} == expected


def test_moving_an_appeal_to_another_day_or_deleting_it_recomputes_both_buckets(cast):
    appeal = make_appeal(cast, Status.CLOSED)
    appeal.submitted_at = appeal.submitted_at.replace(year=appeal.submitted_at.year - 1)
    appeal.save()
    assert _kept_rows_equal_rebuilt_rows()
    appeal.assignments.all().delete()
    assert _kept_rows_equal_rebuilt_rows()


def test_the_rebuild_command_restores_the_summaries_after_a_bulk_write(cast):
    make_appeal(cast, Status.CLOSED)
    expected = _rows()
    AppealDayStat.objects.all().delete()
    AppealReach.objects.all().delete()
    AppealChamberDayStat.objects.all().delete()
    call_command("rebuild_appeal_stats")
    assert _rows() == expected
    assert expected[0] and expected[1] and expected[2]


@pytest.mark.django_db(transaction=True)
def test_two_appeals_submitted_at_once_in_one_bucket_both_count(reference_data, cast):  # noqa: F811
    """Two enterprises submit on the same day in the same category at once: neither fails, and the day's row
    counts what was written (PostgreSQL: the bucket is recomputed under a lock, after the other's commit)."""
    staff2 = testing.make_user(Role.STAFF, username="staff2", federation=cast.district)
    for n in range(3):
        outcomes = _race([
            lambda n=n: submit(cast, actor=cast.users.staff, enterprise=cast.ent1, title=f"同时提交的诉求{n}甲"),
            lambda n=n: submit(cast, actor=staff2, enterprise=cast.ent2, title=f"同时提交的诉求{n}乙")])
        kinds = [kind for kind, _ in outcomes]
        assert "error" not in kinds and "won" in kinds, outcomes  # (SQLite's test database may refuse one: locked)
        if connection.vendor == "postgresql":
            assert kinds == ["won", "won"], outcomes
    assert _kept_rows_equal_rebuilt_rows()


# --- a chamber's rows follow its memberships --------------------------------------------------------------------
def _today():
    from django.utils import timezone

    return timezone.localdate()


def _chamber_figures_are_kept(cast):
    """The chamber rows kept so far equal a rebuild, and both chambers' figures equal their raw count."""
    year = Period.year(_today().year)
    chambers = {"chamber1": cast.users.chamber1, "chamber2": cast.users.chamber2}
    expected = {name: _report(user, year, False, _today()) for name, user in chambers.items()}
    assert {name: _report(user, year, True, _today()) for name, user in chambers.items()} == expected
    return _kept_rows_equal_rebuilt_rows()


@pytest.fixture
def appeals_of_ent2(cast):
    """ent2 (a member of chamber2, not of chamber1) with appeals in several states and buckets."""
    for status in (Status.REPLIED, Status.HANDLING, Status.SUBMITTED):
        make_appeal(cast, status, actor=cast.users.staff, enterprise=cast.ent2)
    make_appeal(cast, Status.REPLIED, enterprise=cast.ent1)  # chamber1's own member
    assert AppealChamberDayStat.objects.filter(chamber=cast.chamber2).exists()


def test_an_enterprise_joining_a_chamber_brings_its_appeals_into_the_chambers_figures(cast, appeals_of_ent2):
    from shanglian.members.models import ChamberMembership

    before = figures.kpi_report(cast.users.chamber1, Period.year(_today().year), today=_today()).overall.received
    ChamberMembership.objects.create(chamber=cast.chamber1, enterprise=cast.ent2, joined=date(2025, 1, 1))
    assert figures.kpi_report(cast.users.chamber1, Period.year(_today().year), today=_today()).overall.received \
        == before + 3
    assert _chamber_figures_are_kept(cast)


@pytest.mark.parametrize("change", ["left", "suspended", "deleted", "moved"])
def test_a_member_leaving_or_moving_takes_its_appeals_out_of_the_chambers_figures(cast, appeals_of_ent2, change):
    from shanglian.members.models import ChamberMembership

    membership = ChamberMembership.objects.get(chamber=cast.chamber2, enterprise=cast.ent2)
    if change == "deleted":
        membership.delete()
    elif change == "moved":
        membership.chamber = cast.chamber1
        membership.save()
    else:
        membership.status = change
        membership.save()
    received = figures.kpi_report(cast.users.chamber2, Period.year(_today().year), today=_today()).overall.received
    assert received == 0
    assert _chamber_figures_are_kept(cast)
    if change == "left":  # and back
        membership.status = ChamberMembership.Status.ACTIVE
        membership.save()
        assert _chamber_figures_are_kept(cast)


def test_a_change_that_does_not_touch_the_membership_writes_no_summary(cast, appeals_of_ent2, django_assert_num_queries):
    from shanglian.members.models import ChamberMembership

    membership = ChamberMembership.objects.get(chamber=cast.chamber2, enterprise=cast.ent2)
    membership.position = "副会长"
    with django_assert_num_queries(1):  # the UPDATE alone
        membership.save()


@pytest.mark.parametrize("one_by_one", [True, False], ids=["bucket by bucket", "the chamber rebuilt"])
def test_the_member_import_adding_an_enterprise_to_a_chamber_keeps_its_figures(cast, appeals_of_ent2, tmp_path,
                                                                             monkeypatch, one_by_one):
    """所属商会 on an imported row of an existing enterprise with appeals: its appeals join the chamber's rows
    (the import writes the membership with a multi-row INSERT and sends `chamber_memberships_written`)."""
    from shanglian.members.services import import_members
    from shanglian.members.tests.test_import import member, uploader

    if not one_by_one:
        monkeypatch.setattr(summaries, "CHAMBER_BUCKETS_ONE_BY_ONE", 0)
    row = member(会员类型="企业会员", 入会日期="2020-01-01", 企业名称=cast.ent2.name, 统一社会信用代码=cast.ent2.uscc,
                 企业类型="私营企业", 行业代码="6513", 所属商会=cast.chamber1.name)
    report = import_members(actor=cast.users.staff, path=uploader(tmp_path)([row]))
    assert report.committed
    assert figures.kpi_report(cast.users.chamber1, Period.year(_today().year), today=_today()).overall.received == 4
    assert _chamber_figures_are_kept(cast)
