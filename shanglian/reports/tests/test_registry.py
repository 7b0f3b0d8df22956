"""Every registered figure (`ui.figures.registered()`: a figure an app adds is covered here as soon as it is
registered), on one hand-built dataset — the cast with records of every app in both districts (the API matrix's
`scoped` data) —:

- it computes for the district's staff without error, with 同比 and 环比;
- a count figure (its function returns the records) has the value `records.count()`; a % figure is None or within
  0–100;
- the district's records and the other district's never overlap: each district counts its own;
- a leader gets the staff's value; a chamber secretary is refused or counts a share of the district's records,
  never one of the other district's;
- a federation without any record gives 0 for a count and None (无数据) for a rate;

plus, on small datasets of their own, values computed by hand for a representative figure of each app (the seeds'
own examples among them: 316 + 20 + 564 members in force → 900; two of three target villages paired → 66.7 %; a
donor enterprise giving to two campaigns counted once).
"""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.common.periods import Period
from shanglian.reports import values
from shanglian.ui import figures as registry
from shanglian.workbench.tests.test_api_matrix import (
    scoped,  # noqa: F401 — the dataset of every app, as a fixture
)

KEYS = list(registry.registered())
WIDE = Period.custom(date(2020, 1, 1), date(timezone.localdate().year, 12, 31))  # every record of the dataset
YEAR = Period.year(2025)
# Figures over the visits (走访): a leader reads the visits made under their own liaison only (engagement's scope).
LEADER_NARROWED = {key for key in KEYS if key.startswith(("engagement.visit", "engagement.liaison"))}
# Records that are reference data, not a federation's (the same GB/T 4754 rows for every district).
SHARED_MODELS = {"common.industrycode", "common.dictitem"}


def required_names(key):
    """The keyword arguments figure `key` cannot do without (members.by_chamber: a chamber)."""
    import inspect

    return [parameter.name for parameter in inspect.signature(registry.get(key).function).parameters.values()
            if parameter.kind is inspect.Parameter.KEYWORD_ONLY and parameter.default is inspect.Parameter.empty
            and parameter.name not in ("user", "period")]


def required_narrowing(cast, key, side):
    """The narrowing a figure cannot do without, for the district ("district") or the other district ("other")."""
    chamber = cast.chamber1 if side == "district" else cast.other_chamber
    given = {}
    for name in required_names(key):
        assert name == "chamber", f"{key}: say here what its required {name!r} is"
        given[name] = chamber.pk
    return given


def is_count(key, user, period, narrowing):
    """Whether figure `key` is a count: its function returns the records (a QuerySet), whose count is the value."""
    return isinstance(registry.get(key).function(user=user, period=period, **narrowing), QuerySet)


def pks(records):
    return {(records.model._meta.label_lower, pk) for pk in records.values_list("pk", flat=True)}


@pytest.fixture
def dataset(cast, scoped):  # noqa: F811
    cast.other_chamber = testing.make_chamber(cast.other, name="南开区某街道商会（登记表）")
    cast.users.chamber_other = testing.make_user(Role.CHAMBER, chamber=cast.other_chamber)
    return cast


@pytest.mark.parametrize("key", KEYS)
def test_every_figure_computes_for_staff_within_its_scope_and_unit(dataset, key):
    cast = dataset
    narrowing = required_narrowing(cast, key, "district")
    figure = registry.compute(key, user=cast.users.staff, period=WIDE, compare=True, **narrowing)
    assert figure.key == key and figure.label and figure.definition
    if figure.records is not None:
        assert isinstance(figure.records, QuerySet)
    if is_count(key, cast.users.staff, WIDE, narrowing):
        assert figure.value == figure.records.count()
        assert figure.value >= 0
    if figure.unit == "%":
        assert figure.value is None or Decimal(0) <= Decimal(figure.value) <= Decimal(100), figure.value
    # the leader reads the staff's number — but of the visits (走访) only those under the leader's own liaison
    leader = registry.compute(key, user=cast.users.leader, period=WIDE, **narrowing)
    if key in LEADER_NARROWED:
        assert pks(leader.records) <= pks(figure.records)
    else:
        assert leader.value == figure.value
    # through the reports, the same number
    assert values.measure(key, user=cast.users.staff, period=WIDE, compare=False, **narrowing).value == figure.value


@pytest.mark.parametrize("key", KEYS)
def test_every_figure_counts_its_own_districts_records_only(dataset, key):
    cast = dataset
    mine = registry.compute(key, user=cast.users.staff, period=WIDE,
                            **required_narrowing(cast, key, "district")).records
    theirs = registry.compute(key, user=cast.users.outsider_staff, period=WIDE,
                              **required_narrowing(cast, key, "other")).records
    if mine is None or theirs is None or mine.model._meta.label_lower in SHARED_MODELS:
        return
    assert pks(mine) & pks(theirs) == set()


@pytest.mark.parametrize("key", KEYS)
def test_a_chamber_secretary_is_refused_or_counts_none_of_another_districts_records(dataset, key):
    cast = dataset
    try:
        chamber = registry.compute(key, user=cast.users.chamber1, period=WIDE,
                                   **required_narrowing(cast, key, "district"))
    except (PermissionDenied, Http404):
        return
    theirs = registry.compute(key, user=cast.users.outsider_staff, period=WIDE,
                              **required_narrowing(cast, key, "other")).records
    if chamber.records is None or theirs is None or chamber.records.model._meta.label_lower in SHARED_MODELS:
        return
    assert pks(chamber.records) & pks(theirs) == set()


@pytest.mark.parametrize("key", KEYS)
def test_a_federation_without_records_gives_zero_for_a_count_and_no_data_for_a_rate(db, key):
    city = testing.make_federation(name="某市工商联", level="city")
    empty = testing.make_federation(name="空白区工商联", parent=city)
    staff = testing.make_user(Role.STAFF, federation=empty)
    narrowing = {name: testing.make_chamber(empty, name="空白区某商会").pk for name in required_names(key)}
    figure = registry.compute(key, user=staff, period=YEAR, **narrowing)
    if is_count(key, staff, YEAR, narrowing):
        assert figure.value == 0
    elif figure.unit == "%":
        assert figure.value is None
        assert values.measure(key, user=staff, period=YEAR, compare=False, **narrowing).missing
    else:
        assert figure.value in (None, 0), figure.value


# --- values computed by hand, a representative figure of each app -------------------------------------------------
def _reported(key, user, period=YEAR, **narrowing):
    return values.measure(key, user=user, period=period, compare=False, **narrowing)


def test_members_in_force_is_the_seeds_900_of_three_kinds(cast):
    from shanglian.members.models import Membership

    district = testing.make_federation(name="示例区工商联", parent=cast.city)
    staff = testing.make_user(Role.STAFF, federation=district)
    for _ in range(316):
        testing.make_membership(district, testing.make_enterprise(district), joined=date(2024, 5, 1))
    for n in range(20):
        testing.make_membership(district, testing.make_chamber(district, name=f"示例商会{n}"), joined=date(2024, 5, 1))
    for n in range(564):
        testing.make_membership(district, testing.make_person(district, name=f"会员{n}"), joined=date(2024, 5, 1))
    # left during the year: not in force at its end
    testing.make_membership(district, testing.make_enterprise(district), joined=date(2023, 1, 1),
                            left=date(2025, 6, 30), status=Membership.Status.LEFT)
    kinds = {key: _reported(key, staff).value for key in ("members.in_force.enterprise", "members.in_force.group",
                                                           "members.in_force.individual")}
    assert kinds == {"members.in_force.enterprise": 316, "members.in_force.group": 20,
                     "members.in_force.individual": 564}
    assert _reported("members.in_force", staff).value == 900


def test_welfare_village_coverage_and_a_donor_counted_once(cast):
    villages = [testing.make_village(cast.district, name=name) for name in ("王庄村", "李庄村", "赵庄村")]
    testing.make_village(cast.district, name="非目标村", is_target=False)
    testing.make_pairing(cast.ent1, villages[0])
    testing.make_pairing(cast.chamber1, villages[1])
    testing.make_pairing(cast.ent_other, testing.make_village(cast.other))  # the other district's
    staff = cast.users.staff
    assert _reported("welfare.village_coverage", staff).value == Decimal("66.7")
    first = testing.make_campaign(cast.district, name="春芽助学")
    second = testing.make_campaign(cast.district, name="乡村振兴")
    testing.make_donation(cast.ent1, cash="10000.00", campaign=first, donated_on=date(2025, 3, 1))
    testing.make_donation(cast.ent1, cash="5000.00", goods_value="5000.00", goods_description="图书",
                          campaign=second, donated_on=date(2025, 9, 1))
    testing.make_donation(cast.ent_other, cash="8000.00", donated_on=date(2025, 3, 1))
    assert _reported("welfare.donor_enterprises", staff).value == 1
    assert _reported("welfare.donations", staff).value == 2
    assert _reported("welfare.total", staff).value == Decimal("2")  # 20,000 元 = 2 万元


def test_appeals_received_counts_the_years_appeals_of_the_district(cast):
    from shanglian.appeals.tests.factories import submit

    mine = [submit(cast), submit(cast, actor=cast.users.staff, enterprise=cast.ent2, channel="phone")]
    submit(cast, actor=cast.users.outsider_staff, enterprise=cast.ent_other, channel="phone")
    this_year = Period.year(timezone.localdate().year)  # submitted today (the KPI summaries follow the services)
    reported = values.measure("appeals.received", user=cast.users.staff, period=this_year, compare=False)
    assert reported.value == 2
    assert set(reported.figure.records.values_list("pk", flat=True)) == {a.pk for a in mine}


def test_events_held_counts_the_years_events_of_the_district(cast):
    at = timezone.make_aware(datetime(2025, 5, 10, 9))
    mine = [testing.make_event(cast.district, starts_at=at),
            testing.make_event(cast.district, kind="breakfast", starts_at=at, chamber=cast.chamber1)]
    testing.make_event(cast.district, starts_at=timezone.make_aware(datetime(2024, 5, 10, 9)))  # the year before
    testing.make_event(cast.other, starts_at=at)
    reported = _reported("events.held", cast.users.staff)
    assert reported.value == 2
    assert set(reported.figure.records.values_list("pk", flat=True)) == {e.pk for e in mine}


def test_engagement_proposals_counts_the_years_proposals(cast):
    mine = [testing.make_proposal(cast.district, submitters=[cast.person1], year=2025),
            testing.make_proposal(cast.district, body="federation", year=2025)]
    testing.make_proposal(cast.district, submitters=[cast.person1], year=2024)
    testing.make_proposal(cast.other, body="federation", year=2025)
    reported = _reported("engagement.proposals", cast.users.staff)
    assert reported.value == 2
    assert set(reported.figure.records.values_list("pk", flat=True)) == {p.pk for p in mine}


def test_honours_lists_published_counts_the_years_lists(cast):
    programme = testing.make_programme(cast.district, year=2025, categories=("依法纳税", "社会责任"))
    categories = list(programme.categories.order_by("order"))
    testing.make_honour_list(categories[0], [cast.ent1])
    testing.make_honour_list(categories[1], [cast.ent1, cast.ent2])
    other = testing.make_programme(cast.other, year=2025)
    testing.make_honour_list(other.categories.get(), [cast.ent_other])
    staff = cast.users.staff
    assert _reported("honours.lists_published", staff).value == 2
    assert _reported("honours.enterprises_listed", staff).value == 2  # ent1 on two lists: once


def test_growth_posts_and_communications_articles(cast):
    by = cast.users.staff
    posts = [testing.make_post(cast.ent1, by=by), testing.make_post(cast.ent2, by=by)]
    testing.make_post(cast.ent_other, by=cast.users.outsider_staff)
    this_year = Period.year(timezone.localdate().year)
    reported = values.measure("growth.posts", user=by, period=this_year, compare=False)
    assert reported.value == 2
    assert set(reported.figure.records.values_list("pk", flat=True)) == {p.pk for p in posts}
    testing.make_article(cast.district, published_on=date(2025, 6, 1))
    testing.make_article(cast.district, published_on=date(2025, 7, 1), level="national")
    testing.make_article(cast.district, published_on=date(2024, 7, 1))
    testing.make_article(cast.other, published_on=date(2025, 6, 1))
    assert _reported("communications.articles", by).value == 2
    assert _reported("communications.articles", by, level="national").value == 1


def test_policies_published_counts_the_years_policies(cast):
    from shanglian.workbench.tests.test_api_matrix import _policy

    _policy(cast.users.staff, cast.dept1, "河西区稳岗补贴")
    _policy(cast.users.staff, cast.dept2, "河西区人才政策")
    _policy(cast.users.outsider_staff, testing.make_department(cast.other, name="南开区税务局"), "南开区贴息")
    assert _reported("policies.published", cast.users.staff, period=Period.year(2026)).value == 2
