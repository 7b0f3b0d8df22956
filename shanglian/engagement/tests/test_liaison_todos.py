"""The 工作台 reminder of liaison enterprises not visited for more than VISIT_INTERVAL_DAYS: exactly those counted,
its link opening a list of exactly them — a leader their own, the staff every one of the federation."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.engagement.selectors.liaison import VISIT_INTERVAL_DAYS
from shanglian.ui.todos import todos_for

LABEL = f"超过{VISIT_INTERVAL_DAYS}天未走访的包联企业"


def ago(days):
    return timezone.localdate() - timedelta(days=days)


@pytest.fixture
def liaisons(cast):
    leader = cast.users.leader
    leader2 = testing.make_user(Role.LEADER, username="leader2", federation=cast.district)
    ent3, ent4, ent5 = (testing.make_enterprise(cast.district, name=f"测试企业{n}") for n in (3, 4, 5))
    overdue = {
        "a": testing.make_liaison(cast.ent1, user=leader, start=ago(200)),  # last visited 91 days ago
        "c": testing.make_liaison(ent3, user=leader2, start=ago(100)),  # never visited
        "f": testing.make_liaison(cast.ent1, department=cast.dept1, start=ago(200)),  # ent1 again, a department's
    }
    testing.make_visit(cast.ent1, visited_on=ago(VISIT_INTERVAL_DAYS + 1))
    testing.make_liaison(cast.ent2, user=leader, start=ago(200))  # visited exactly 90 days ago: not more than 90
    testing.make_visit(cast.ent2, visited_on=ago(VISIT_INTERVAL_DAYS), visitors="工商联")
    testing.make_liaison(ent4, user=leader, start=ago(30))  # too new to be late
    testing.make_liaison(ent5, user=leader, start=ago(300), end=ago(10))  # ended
    other_leader = testing.make_user(Role.LEADER, username="nk_leader", federation=cast.other)
    testing.make_liaison(cast.ent_other, user=other_leader, start=ago(300))  # another federation's
    cast.users.leader2 = leader2
    return overdue


def todo(user):
    found = [t for t in todos_for(user) if t.label == LABEL]
    return found[0] if found else None


def test_the_reminder_counts_exactly_the_overdue_liaisons_of_each_user(liaisons, cast):
    assert todo(cast.users.staff).count == 3
    assert todo(cast.users.admin).count == 3
    assert todo(cast.users.leader).count == 1
    assert todo(cast.users.leader2).count == 1
    assert todo(cast.users.outsider_staff).count == 1
    for role in ("chamber1", "dept1", "ent1", "auditor"):
        assert todo(getattr(cast.users, role)) is None


@pytest.mark.parametrize("role", ["staff", "leader", "leader2"])
def test_the_reminder_opens_a_list_of_exactly_those(liaisons, cast, login, role):
    user = getattr(cast.users, role)
    reminder = todo(user)
    page = login(user).get(reminder.url).content.decode()
    assert int(re.search(r"共 (\d+) 条", page).group(1)) == reminder.count
    expected = {"staff": ("a", "c", "f"), "leader": ("a",), "leader2": ("c",)}[role]
    for key in expected:
        assert f'/engagement/liaisons/{liaisons[key].pk}/"' in page


def test_a_visit_today_clears_the_reminder(liaisons, cast):
    testing.make_visit(cast.ent1)
    assert todo(cast.users.leader) is None
    assert todo(cast.users.staff).count == 1  # ent3's remains
