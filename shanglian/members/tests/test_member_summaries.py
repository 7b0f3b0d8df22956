"""The maintained member day summary (`members.summaries`, issue 19): the date figures read from it equal
the figures counted from the memberships (`summaries=False`) for every federation role on the varied data
of test_figures_reference, on every day a membership changes and the days around it; only a federation
role's whole scope reads it; after every kind of write — the services, a save with fields deferred, a move
to another federation, a delete, an import (preview and commit, or direct) — the rows kept equal the rows a
rebuild computes from scratch."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.appeals.tests.test_services import _race
from shanglian.common.excel import run_import
from shanglian.common.periods import Period
from shanglian.imports import jobs
from shanglian.members import figures, services, summaries
from shanglian.members.imports import MemberImportSpec
from shanglian.members.models import MemberDayStat, Membership
from shanglian.members.selectors import memberships_visible_to
from shanglian.ui.figures import compute

from .test_figures_reference import YEARS, district  # noqa: F401  (district: the varied data)
from .test_import import good_rows, xlsx
from .test_import_flow import media, upload_of  # noqa: F401  (media: the MEDIA_ROOT of the import flow)

FEDERATION_ROLES = ("admin", "staff", "leader")


def _rows():
    return sorted(MemberDayStat.objects.values_list("federation_id", "kind", "day", *summaries.COUNTS))


def _kept_rows_equal_rebuilt_rows():
    kept = _rows()
    summaries.rebuild()
    return kept == _rows()


def _change_days():
    """Every day a membership joined, left or was suspended, the day before and the day after."""
    days = set()
    for row in Membership.objects.values_list("joined", "left", "suspended_on"):
        for day in filter(None, row):
            days |= {day - timedelta(days=1), day, day + timedelta(days=1)}
    return sorted(days)


@pytest.mark.parametrize("who", FEDERATION_ROLES)
def test_the_date_figures_from_the_summary_equal_the_count_of_the_memberships(district, who):  # noqa: F811
    scope = memberships_visible_to(getattr(district.users, who))
    assert summaries.scope_of(scope) is not None
    days = _change_days()
    assert len(days) > 100
    for chunk in (days[i:i + 50] for i in range(0, len(days), 50)):  # a page asks a few dates at a time
        assert figures.counts_by_kind_on(scope, chunk) == figures.counts_by_kind_on(scope, chunk, summaries=False)
    years = [2016, *YEARS, 2026, 2027]
    assert figures.year_end_series(scope, years) == figures.year_end_series(scope, years, summaries=False)


@pytest.mark.parametrize("who", FEDERATION_ROLES)
def test_the_registered_figures_from_the_summary_equal_their_records(district, who):  # noqa: F811
    user = getattr(district.users, who)
    for period in (Period.year(2023), Period.year(2025), Period.custom(date(2022, 3, 15), date(2024, 8, 31))):
        for key in ("members.in_force", "members.in_force.enterprise", "members.in_force.group",
                    "members.in_force.individual", "members.joined"):
            figure = compute(key, user=user, period=period, compare=True)
            assert figure.value == figure.records.count(), (key, period)
            assert figure.year_ago == compute(key, user=user, period=period.year_ago()).records.count(), (key, period)
        rate = compute("members.growth_rate", user=user, period=period)
        now = compute("members.in_force", user=user, period=period).records.count()
        before = compute("members.in_force", user=user, period=period.year_ago()).records.count()
        assert rate.value == figures.share(now - before, before)


def test_only_a_federation_roles_whole_scope_reads_the_summary(cast):
    assert summaries.scope_of(memberships_visible_to(cast.users.staff)) == (cast.district.pk,)
    assert summaries.scope_of(memberships_visible_to(cast.users.chamber1)) is None
    narrowed = memberships_visible_to(cast.users.staff).filter(kind=Membership.Kind.ENTERPRISE)
    assert summaries.scope_of(narrowed) is None  # a further filter drops the mark
    assert figures.counts_by_kind(narrowed, date(2025, 12, 31))["total"] == 2  # ent1, ent2: counted, not summed


def test_a_chamber_secretary_counts_its_own_members_without_the_summary(district):  # noqa: F811
    user = district.users.chamber1
    scope = memberships_visible_to(user)
    days = _change_days()[::10]
    assert figures.counts_by_kind_on(scope, days) == figures.counts_by_kind_on(scope, days, summaries=False)
    figure = compute("members.in_force", user=user, period=Period.year(2025))
    assert figure.value == figure.records.count() > 3  # ent1, person1, chamber1 and reference members


def test_the_demo_district_and_the_migration_leave_the_summary_equal_to_a_rebuild(district):  # noqa: F811
    assert MemberDayStat.objects.exists()
    assert _kept_rows_equal_rebuilt_rows()


def test_after_each_service_write_the_kept_summary_equals_a_rebuild(cast):
    staff = cast.users.staff
    person = testing.make_person(cast.district, name="汇总测试个人", enterprise=None)
    data = {"kind": "individual", "person": person, "number": "", "joined": date(2023, 5, 6), "status": "active",
            "left": None, "suspended_on": None, "left_reason": "", "body_position": ""}
    membership = services.save_membership(actor=staff, data=data)
    assert _kept_rows_equal_rebuilt_rows()
    steps = [
        {"joined": date(2022, 1, 9)},  # moved: the day it leaves is recomputed too
        {"status": "suspended", "suspended_on": date(2024, 2, 1)},
        {"status": "left", "left": date(2024, 6, 30), "left_reason": "迁出", "suspended_on": None},
        {"left": date(2022, 1, 9)},  # left the day it joined: never in force
    ]
    for change in steps:
        data.update(change)
        membership = services.save_membership(actor=staff, data=data, membership=Membership.objects.get(pk=membership.pk))
        assert _kept_rows_equal_rebuilt_rows(), change
    scope = memberships_visible_to(staff)
    assert figures.year_end_series(scope, [2022, 2023, 2024]) == figures.year_end_series(
        scope, [2022, 2023, 2024], summaries=False)
    services.delete_membership(actor=staff, membership=Membership.objects.get(pk=membership.pk))
    assert _kept_rows_equal_rebuilt_rows()


def test_a_save_with_the_dates_deferred_or_to_another_federation_recomputes_both_sides(cast):
    membership = Membership.objects.only("id", "number").get(pk=cast.memberships.ent1.pk)
    membership.number = "HX-2020-9999"
    membership.save()
    assert _kept_rows_equal_rebuilt_rows()
    moved = Membership.objects.get(pk=cast.memberships.person1.pk)
    moved.federation, moved.joined = cast.other, date(2021, 7, 1)
    moved.save()
    assert _kept_rows_equal_rebuilt_rows()
    assert figures.counts_by_kind(memberships_visible_to(cast.users.staff), date(2025, 1, 1))["individual"] == 0


def test_an_import_committed_directly_or_after_its_preview_keeps_the_summary(cast, media, tmp_path):  # noqa: F811
    path = tmp_path / "members.xlsx"
    path.write_bytes(xlsx(good_rows()))
    report = run_import(MemberImportSpec(actor=cast.users.staff), path, dry_run=False)
    assert report.committed and report.created == 5
    assert _kept_rows_equal_rebuilt_rows()
    rows = good_rows()
    rows[0][2] = "2019-04-01"  # 入会日期 of the first member moves back five years
    job = jobs.commit(actor=cast.users.staff, job=jobs.check_upload(actor=cast.users.staff, kind="members",
                                                                    upload=upload_of(rows)), valid_only=False)
    assert job.result["updated"] == 5
    assert _kept_rows_equal_rebuilt_rows()
    scope = memberships_visible_to(cast.users.staff)
    assert figures.year_end_series(scope, [2019, 2020, 2023, 2024]) == figures.year_end_series(
        scope, [2019, 2020, 2023, 2024], summaries=False)


def test_the_rebuild_command_restores_the_summary_after_a_bulk_write(cast):
    expected = _rows()
    assert expected
    MemberDayStat.objects.all().delete()
    call_command("rebuild_member_stats")
    assert _rows() == expected


@pytest.mark.django_db(transaction=True)
def test_two_members_added_at_once_on_one_day_both_count(cast):
    """Two editors add members joining on the same day at once: neither fails, and the day's row counts both
    (PostgreSQL: the day is recomputed under a lock, after the other's commit)."""
    testing.ensure_reference_data()
    staff2 = testing.make_user(Role.STAFF, username="staff2", federation=cast.district)
    for n in range(3):
        people = [testing.make_person(cast.district, name=f"同日入会{n}{side}", enterprise=None) for side in "甲乙"]
        outcomes = _race([
            lambda actor=actor, person=person: services.save_membership(actor=actor, data={
                "kind": "individual", "person": person, "number": "", "joined": date(2024, 3, 1), "status": "active",
                "left": None, "suspended_on": None, "left_reason": "", "body_position": ""})
            for actor, person in zip((cast.users.staff, staff2), people, strict=True)])
        kinds = [kind for kind, _ in outcomes]
        assert "error" not in kinds and "won" in kinds, outcomes  # (SQLite's test database may refuse one: locked)
        if connection.vendor == "postgresql":
            assert kinds == ["won", "won"], outcomes
    assert _kept_rows_equal_rebuilt_rows()
