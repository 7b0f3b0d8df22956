"""The representative-figures database at city scale: the list starts from the four small tables that put a person
in the database (arrangements, positions, cultivation plans, honours) and reaches the persons by id — never a probe
per person of the federation (100,000+ of them), for the page or for its count; its rows are exactly those of the
plain definition; and its search by enterprise finds the enterprises the member registry's enterprise list finds."""

import re
from datetime import date

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef, Q

from shanglian import testing
from shanglian.common.models import DictItem
from shanglian.engagement.models import Arrangement, Cultivation, PersonHonour
from shanglian.engagement.selectors import representatives as selectors
from shanglian.members.models import EnterpriseRole, Person
from shanglian.members.selectors import enterprise_list, persons_visible_to
from shanglian.orgs.models import Position, Term
from shanglian.ui.listing import ordering

FILTERS = [{}, {"q": "之江贸易"}, {"q": "wjg"}, {"kind": "npc", "in_force": "yes"}, {"in_force": "no"},
           {"position": "executive"}]
PERSON_STEP = re.compile(r"^(SCAN|SEARCH) members_person (USING|$)")  # the table itself, not members_person_fts
# Rows of a city (issue 19's scale): 100,000 persons, a few thousand of them in the database.
CITY_ROWS = [("members_person", "100000"), ("members_enterprise", "100000"), ("members_enterpriserole", "120000"),
             ("members_chambermembership", "60000"), ("engagement_arrangement", "2000"), ("orgs_position", "3000"),
             ("engagement_cultivation", "500"), ("engagement_personhonour", "800")]
SMALL_TABLE_INDEXES = ("engagement_arrangement_person_id", "orgs_position_person_id",
                       "engagement_cultivation_person_id", "engagement_personhonour_person_id")


@pytest.fixture
def spread(cast):
    """Persons in the database by each of the four records alone, one by none; another federation's."""
    plan = DictItem.objects.get(kind="cultivation_plan", code="outstanding_youth")
    term = Term.objects.create(federation=cast.district, number=10, start=date(2021, 1, 1))
    testing.make_arrangement(cast.person1)  # 王建国, of chamber1's member
    Position.objects.create(term=term, person=cast.person2, title=Position.Title.EXECUTIVE)  # 陈浙江, chamber2's
    by_honour = testing.make_person(cast.district, name="荣誉人", enterprise=cast.ent1)
    PersonHonour.objects.create(federation=cast.district, person=by_honour, title="天津市劳动模范", year=2024)
    by_plan = testing.make_person(cast.district, name="培养人", enterprise=cast.ent2)
    Cultivation.objects.create(federation=cast.district, person=by_plan, plan=plan, start=date(2025, 3, 1))
    testing.make_person(cast.district, name="无记录人", enterprise=cast.ent1)
    testing.make_arrangement(testing.make_person(cast.other, name="刘南开", enterprise=cast.ent_other))
    return cast


def _reference(user):
    """The plain definition: every person of the scope with one of the four records (a probe per person)."""
    held = (Q(Exists(Arrangement.objects.filter(person=OuterRef("pk"))))
            | Q(Exists(Position.objects.filter(person=OuterRef("pk"))))
            | Q(Exists(Cultivation.objects.filter(person=OuterRef("pk"))))
            | Q(Exists(PersonHonour.objects.filter(person=OuterRef("pk")))))
    return persons_visible_to(user).filter(held)


def _names(queryset):
    return sorted(queryset.values_list("name", flat=True))


def test_the_database_is_exactly_the_persons_of_the_scope_with_one_of_the_four_records(spread):
    users = spread.users
    assert _names(selectors.representatives_visible_to(users.staff)) == ["培养人", "王建国", "荣誉人", "陈浙江"]
    assert _names(selectors.representatives_visible_to(users.chamber1)) == ["王建国", "荣誉人"]
    assert _names(selectors.representatives_visible_to(users.outsider_staff)) == ["刘南开"]
    for user in (users.staff, users.admin, users.leader, users.chamber1, users.chamber2, users.outsider_staff):
        reference = _reference(user)
        assert list(selectors.representative_list(user).order_by("id")) == list(reference.order_by("id"))
        assert selectors.representative_list(user).count() == reference.count()
    assert "无记录人" in _names(selectors.representative_list(users.staff, filters={"scope": "all"}))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="EXPLAIN QUERY PLAN is SQLite's")
@pytest.mark.parametrize("filters", FILTERS, ids=["all", "enterprise", "initials", "kind", "not-in-force",
                                                  "position"])
@pytest.mark.parametrize("role", ["staff", "admin", "chamber1"])
def test_the_list_and_its_count_reach_the_persons_by_id_from_the_small_tables(spread, role, filters):
    # The plan of a city, not of this handful of rows: whatever statistics other tests of this worker's database
    # left behind, the planner is told the sizes of a city (rolled back with the test).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE sqlite_schema")  # makes sure sqlite_stat1 exists
        cursor.execute("DELETE FROM sqlite_stat1")
        cursor.executemany("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (%s, NULL, %s)", CITY_ROWS)
        cursor.execute("ANALYZE sqlite_schema")  # the planner reads them again
    rows = selectors.representative_list(getattr(spread.users, role), filters=filters)
    for queryset in (rows.order_by(*ordering("id"))[:20], rows.order_by().values("pk")):  # the page, the count
        plan = testing.sqlite_plan(queryset)
        steps = plan.split(" | ")
        person_steps = [step for step in steps if PERSON_STEP.match(step)]
        assert person_steps and all("rowid=?" in step for step in person_steps), plan  # by id, no range read
        assert all(index in plan for index in SMALL_TABLE_INDEXES), plan
        if not filters:
            assert "CORRELATED" not in plan, plan  # no probe per person


@pytest.mark.parametrize("word", ["之江", "之江贸易", "友谊科技", "tjzj", "天津"])
def test_the_search_by_enterprise_finds_the_enterprises_the_registry_list_finds(spread, word):
    staff = spread.users.staff
    found = set(enterprise_list(staff, filters={"q": word}).values_list("pk", flat=True))
    holders = set(EnterpriseRole.objects.filter(enterprise_id__in=found).values_list("person_id", flat=True))
    by_name = set(Person.objects.filter(Q(name__icontains=word) | Q(name_initials__icontains=word.lower()))
                  .values_list("pk", flat=True))
    expected = set(selectors.representatives_visible_to(staff).filter(pk__in=holders | by_name)
                   .values_list("pk", flat=True))
    assert set(selectors.representative_list(staff, filters={"q": word}).values_list("pk", flat=True)) == expected
    arranged = set(selectors.arrangement_list(staff, filters={"q": word}).values_list("person_id", flat=True))
    assert arranged == expected & set(Arrangement.objects.values_list("person_id", flat=True))


def test_the_search_by_the_enterprises_credit_code_finds_its_persons(spread):
    staff = spread.users.staff
    names = _names(selectors.representative_list(staff, filters={"q": spread.ent2.uscc.lower()}))
    assert names == ["培养人", "陈浙江"]
