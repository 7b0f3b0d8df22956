"""The member figures as registered figures, and the drill-down from 会员统计 to the memberships behind a
figure: scoped like the member list (a chamber secretary sees its own chamber's records only and cannot
ask for another chamber's), refused to roles without member data."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from shanglian.common.periods import Period
from shanglian.members import figures
from shanglian.members.selectors import memberships_visible_to
from shanglian.ui.figures import compute

RECORDS = reverse("members:figure_records")
YEAR = Period.year(2025)


def test_the_registered_figures_match_the_page_aggregates(cast):
    staff = cast.users.staff
    counts = figures.counts_by_kind(memberships_visible_to(staff), YEAR.end)
    total = compute("members.in_force", user=staff, period=YEAR, compare=True)
    # ent1, ent2, person1 and chamber1's group membership, all since 2020-01-01
    assert total.value == counts["total"] == 4 and total.records.count() == 4
    assert (total.year_ago, total.previous) == (4, 4) and total.year_ago_change == "+0.0%"
    assert compute("members.in_force.enterprise", user=staff, period=YEAR).value == counts["enterprise"] == 2
    share = compute("members.share.member_kind", user=staff, period=YEAR)
    assert (str(share.value), share.records.count()) == ("50.0", 2)  # person1 vs chamber1: the denominator's two
    assert compute("members.growth_rate", user=staff, period=YEAR).value == 0
    assert compute("members.by_chamber", user=staff, period=YEAR, chamber=cast.chamber1.pk).value == 1


def test_a_chamber_secretary_gets_only_its_own_scope(cast):
    assert compute("members.in_force", user=cast.users.chamber1, period=YEAR).value == 3  # ent1, person1, chamber1
    with pytest.raises(PermissionDenied):
        compute("members.in_force", user=cast.users.ent1, period=YEAR)


def test_drill_down_lists_the_memberships_behind_a_figure(cast, login):
    body = login(cast.users.staff).get(RECORDS, {"figure": "members.in_force.enterprise", "on": "2025-12-31"})
    html = body.content.decode()
    assert body.status_code == 200
    assert "天津友谊科技有限公司" in html and "天津之江贸易有限公司" in html and "王建国" not in html
    assert "企业会员（2025年12月31日）：2个" in html


def test_chamber_secretary_drills_only_into_its_own_records(cast, login):
    client = login(cast.users.chamber1)
    html = client.get(RECORDS, {"figure": "members.in_force", "on": "2025-12-31"}).content.decode()
    assert "天津友谊科技有限公司" in html and "天津之江贸易有限公司" not in html
    own = client.get(RECORDS, {"figure": "members.by_chamber", "chamber": cast.chamber1.pk, "on": "2025-12-31"})
    assert own.status_code == 200 and "天津友谊科技有限公司" in own.content.decode()


def test_chamber_secretary_cannot_drill_into_another_chambers_records(cast, login):
    response = login(cast.users.chamber2).get(RECORDS, {"figure": "members.by_chamber", "chamber": cast.chamber1.pk})
    assert response.status_code == 404


@pytest.mark.parametrize("query", [{"figure": "appeals.received"}, {"figure": "members.nothing"},
                                   {"figure": "members.by_chamber", "chamber": "abc"},
                                   {"figure": "members.by_chamber"}])
def test_a_figure_of_another_app_or_a_bad_row_is_not_found(cast, login, query):
    assert login(cast.users.staff).get(RECORDS, query).status_code == 404


@pytest.mark.parametrize("user", ["ent1", "dept1", "auditor"])
def test_enterprise_department_and_auditor_are_refused_the_records(cast, login, user):
    assert login(getattr(cast.users, user)).get(RECORDS, {"figure": "members.in_force"}).status_code == 403


def test_the_statistics_page_links_each_figure_and_row_to_its_records(cast, login):
    html = login(cast.users.staff).get(reverse("members:member_statistics"), {"on": "2025-12-31"}).content.decode()
    assert f"{RECORDS}?figure=members.in_force&amp;on=2025-12-31" in html
    assert f"figure=members.by_chamber&amp;on=2025-12-31&amp;chamber={cast.chamber1.pk}" in html
    assert 'data-chart="pie" data-source="member-stats" data-key="kinds"' in html
    assert "同比" in html


def test_a_year_end_row_drills_into_that_year_end(cast, login):
    client = login(cast.users.staff)
    html = client.get(RECORDS, {"figure": "members.in_force", "on": date(2019, 12, 31).isoformat()}).content.decode()
    assert "会员总数（2019年12月31日）：0个" in html


def test_the_street_groups_read_the_enterprise_members_sides_from_an_index(cast):
    from django.db import connection
    from django.db.models import Count

    from shanglian.common.dbstats import refresh_planner_statistics
    from shanglian.members.selectors import membership_in_force_q
    from shanglian.testing import sqlite_plan

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's plan")
    refresh_planner_statistics()  # as after a migration, a seed or an import
    on = date(2026, 6, 30)
    groups = (figures._members(memberships_visible_to(cast.users.staff))
              .filter(membership_in_force_q(on), kind="enterprise").values("enterprise__street_id")
              .annotate(n=Count("pk"), **{side: Count("pk", filter=q) for side, q in figures.ENTERPRISE_SIDES.items()}))
    assert "COVERING INDEX enterprise_member_sides" in sqlite_plan(groups)
