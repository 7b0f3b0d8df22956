"""The liaison figures on a dataset built by hand, with the answers worked out by hand below (last year, so that
every date is in the past whatever day the suite runs)."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.appeals import services as appeal_services
from shanglian.appeals.models import Rating
from shanglian.appeals.tests.factories import category
from shanglian.common.periods import Period
from shanglian.engagement.figures import liaison as figures
from shanglian.engagement.services.liaison import raise_appeal_from_visit
from shanglian.ui.figures import compute, gather_chart_data

Y = timezone.localdate().year - 1


def at(month, day):
    return date(Y, month, day)


def moment(month, day):
    return datetime(Y, month, day, 10, 0, tzinfo=timezone.get_current_timezone())


def raise_and_maybe_close(cast, visit, when, *, close):
    with time_machine.travel(when, tick=False):
        appeal = raise_appeal_from_visit(actor=cast.users.staff, visit=visit, category=category("consult"),
                                         title="走访发现的问题", content=visit.problems or "问题")
        if close:
            staff = cast.users.staff
            appeal = appeal_services.accept_appeal(actor=staff, appeal=appeal)
            appeal = appeal_services.dispatch_appeal(actor=staff, appeal=appeal, departments=[cast.dept1])
            appeal = appeal_services.department_accept(actor=cast.users.dept1, appeal=appeal)
            appeal = appeal_services.reply_appeal(actor=cast.users.dept1, appeal=appeal, reply="已协调解决。")
            appeal = appeal_services.rate_appeal(actor=cast.users.ent1, appeal=appeal, rating=Rating.SATISFIED)
    return appeal


@pytest.fixture
def data(cast):
    """
    enterprises: ent1 (友谊路街道), ent2 (no street), ent3 (second street).
    liaisons:  L1 leader → ent1 from Y-01-01 (in force at Y-12-31)
               L2 dept1  → ent2 Y-03-01 … Y-06-30 (ended before the period's end)
               L3 leader2 → ent3 from Y-02-01 (in force, never visited in Y)
               the other federation's liaison and visit (never counted)
    visits in Y: V1 ent1 Y-02-10 under L1, problems → appeal raised Y-02-11, closed
                 V2 ent1 Y-05-10 under L1, no problems
                 V3 ent2 Y-04-01 under L2, problems → appeal raised Y-04-02, left open
    outside Y:   V0 ent3 (Y-1)-12-01; an appeal raised from V1 today (this year)
    """
    street2 = testing.make_street(cast.district, name="越秀路街道")
    ent3 = testing.make_enterprise(cast.district, name="天津越秀制造有限公司", street=street2)
    leader2 = testing.make_user(Role.LEADER, username="leader2", federation=cast.district)
    l1 = testing.make_liaison(cast.ent1, user=cast.users.leader, start=at(1, 1))
    l2 = testing.make_liaison(cast.ent2, department=cast.dept1, start=at(3, 1), end=at(6, 30))
    l3 = testing.make_liaison(ent3, user=leader2, start=at(2, 1))
    other_leader = testing.make_user(Role.LEADER, username="nk_leader", federation=cast.other)
    other = testing.make_liaison(cast.ent_other, user=other_leader, start=at(1, 1))
    testing.make_visit(cast.ent_other, liaison=other, visited_on=at(3, 3), problems="外区问题")
    v1 = testing.make_visit(cast.ent1, liaison=l1, visited_on=at(2, 10), problems="用工难")
    testing.make_visit(cast.ent1, liaison=l1, visited_on=at(5, 10))
    v3 = testing.make_visit(cast.ent2, liaison=l2, visited_on=at(4, 1), problems="融资难")
    testing.make_visit(ent3, liaison=l3, visited_on=date(Y - 1, 12, 1))
    raise_and_maybe_close(cast, v1, moment(2, 11), close=True)
    raise_and_maybe_close(cast, v3, moment(4, 2), close=False)
    raise_appeal_from_visit(actor=cast.users.staff, visit=v1, category=category("consult"), title="今年的问题",
                            content="今年")
    cast.users.leader2 = leader2
    return cast


def values(user, period):
    return {key: compute(key, user=user, period=period).value for key in figures.CARDS}


def test_the_federation_figures_by_hand(data):
    assert values(data.users.staff, Period.year(Y)) == {
        "engagement.liaison_enterprises": 2,  # ent1 (L1), ent3 (L3); L2 ended on 30 June
        "engagement.visited_enterprises": 2,  # ent1, ent2
        "engagement.visit_coverage": Decimal("50.0"),  # of ent1 and ent3, ent1 visited
        "engagement.visits": 3,
        "engagement.visits_with_problems": 2,
        "engagement.visit_appeals": 2,  # raised in February and April; this year's not
        "engagement.visit_appeals_solved": 1,
        "engagement.visit_appeal_close_rate": Decimal("50.0"),
    }


def test_a_leader_counts_their_own_liaisons_and_visits(data):
    assert values(data.users.leader, Period.year(Y)) == {
        "engagement.liaison_enterprises": 1, "engagement.visited_enterprises": 1,
        "engagement.visit_coverage": Decimal("100.0"), "engagement.visits": 2, "engagement.visits_with_problems": 1,
        "engagement.visit_appeals": 1, "engagement.visit_appeals_solved": 1,
        "engagement.visit_appeal_close_rate": Decimal("100.0"),
    }
    assert values(data.users.leader2, Period.year(Y))["engagement.visit_coverage"] == Decimal("0.0")


def test_a_rate_over_nothing_is_no_data_not_zero(data):
    empty = values(data.users.staff, Period.year(Y - 5))
    assert empty["engagement.visit_coverage"] is None and empty["engagement.visit_appeal_close_rate"] is None
    assert empty["engagement.visits"] == 0


def test_the_records_behind_the_figures(data):
    period = Period.year(Y)
    names = {e.name for e in compute("engagement.liaison_enterprises", user=data.users.staff, period=period).records}
    assert names == {data.ent1.name, "天津越秀制造有限公司"}
    visited = compute("engagement.visited_enterprises", user=data.users.staff, period=period).records
    assert {e.name for e in visited} == {data.ent1.name, data.ent2.name}
    solved = compute("engagement.visit_appeals_solved", user=data.users.staff, period=period).records
    assert [a.status for a in solved] == ["closed"]


def test_the_quarter_and_the_months(data):
    assert values(data.users.staff, Period.quarter(Y, 2))["engagement.visits"] == 2  # April, May
    months = {month.label: rest for month, *rest in figures.by_month(data.users.staff, Period.year(Y))}
    assert months[f"{Y}年2月"] == [1, 1, 1, 1] and months[f"{Y}年4月"] == [1, 1, 1, 1]  # appeals by submission
    assert months[f"{Y}年5月"] == [1, 1, 0, 0] and months[f"{Y}年1月"] == [0, 0, 0, 0] and len(months) == 12


def test_by_liaison_and_by_street(data):
    period = Period.year(Y)
    leader, leader2 = str(data.users.leader), str(data.users.leader2)
    assert figures.by_liaison(data.users.staff, period) == [(leader, 1, 2, 1), ("区税务局", 0, 1, 1), (leader2, 1, 0, 0)]
    assert figures.by_street(data.users.staff, period) == [
        ("友谊路街道", 1, 1, Decimal("100.0"), 2), ("越秀路街道", 1, 0, Decimal("0.0"), 0),
        ("未登记街道", 0, 0, None, 1)]


def test_the_statistics_sections_carry_their_chart_data(data):
    sections = figures.sections(user=data.users.staff, period=Period.year(Y))
    assert [s.dom_id for s in sections] == ["stats-liaison", "stats-liaison-months", "stats-liaison-people",
                                            "stats-liaison-streets"]
    charted = [s for s in sections if s.chart is not None]
    assert len(charted) == 3 and all(s.chart.source == figures.SOURCE and list(s.chart_data) == [figures.SOURCE]
                                     for s in charted)
    merged = gather_chart_data(sections)[figures.SOURCE]
    assert merged["visits"][1] == 1 and {"months", "liaisonVisits", "streetCoverage"} <= set(merged)
    assert all(card.records_url.startswith("/engagement/statistics/records/engagement.") for card in sections[0].figures)
    assert figures.sections(user=data.users.chamber1, period=Period.year(Y)) == []


@pytest.mark.parametrize("role", ["chamber1", "dept1", "ent1"])
def test_roles_without_liaison_are_refused_the_figures(data, role):
    with pytest.raises(PermissionDenied):
        compute("engagement.visits", user=getattr(data.users, role), period=Period.year(Y))


def test_a_running_period_is_read_on_today_not_on_its_last_day(cast):
    """`Period.as_of()`: a year still running is the state of today. ent1's liaison ends in ten days (in force
    today), ent2's starts in twenty (not yet): 包联企业 is ent1, and so are the coverage and the tables."""
    now = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.get_current_timezone())
    with time_machine.travel(now, tick=False):
        today = timezone.localdate()
        ending = testing.make_liaison(cast.ent1, user=cast.users.leader, start=date(2026, 1, 1),
                                      end=today + timedelta(days=10))
        testing.make_liaison(cast.ent2, department=cast.dept1, start=today + timedelta(days=20))
        testing.make_visit(cast.ent1, liaison=ending, visited_on=date(2026, 3, 2))
        staff, period = cast.users.staff, Period.year(2026)
        found = compute("engagement.liaison_enterprises", user=staff, period=period)
        assert found.value == 1 and [e.name for e in found.records] == [cast.ent1.name]
        assert compute("engagement.visit_coverage", user=staff, period=period).value == Decimal("100.0")
        assert figures.by_liaison(staff, period) == [(str(cast.users.leader), 1, 1, 1)]
        assert figures.by_street(staff, period) == [("友谊路街道", 1, 1, Decimal("100.0"), 1)]
        # a period over is read on its last day: on 30 November ent1's liaison was in force, ent2's was not
        assert compute("engagement.liaison_enterprises", user=staff, period=Period.month(2026, 11)).value == 1
