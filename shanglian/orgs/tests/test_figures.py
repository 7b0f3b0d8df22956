"""The organisation's figures (orgs/figures.py) on a hand-built dataset, every value counted by hand: 专门委员会 and
街道（镇） as they are, 基层商会 active at the period's end (by kind; a dissolved one and one founded later left out),
新成立商会 founded in the period; a city sees its districts summed, a district only itself; roles without the
organisation's data are refused (403) as the selectors refuse them.

The cast's district (河西区) has chamber1 (友谊路街道商会, a street chamber) and chamber2 (浙江商会, nonlocal), neither
with a founding date; the `org` fixture adds a committee to each district, a street and a chamber to the other
(南开区). Added here in 河西区: 建筑业商会 (industry, founded 2025-06-01), 楼宇商会 (building, founded 2020, dissolved)
and 新材料商会 (industry, founded 2026-03-01).

- 2025 (as of 31 Dec 2025): active chambers chamber1, chamber2, 建筑业商会 = 3; of kind industry 1; founded in
  2025: 建筑业商会 = 1. 2024: chamber1, chamber2 = 2; founded none.
- The city (both districts): 2025 chambers 3 + 南开区某商会 = 4; committees 1 + 1 = 2; streets 1 + 1 = 2.
"""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.common.periods import Period
from shanglian.orgs.models import Chamber
from shanglian.ui.figures import compute

Y2024, Y2025 = Period.year(2024), Period.year(2025)


@pytest.fixture
def chambers(cast, org):
    return {
        "building_trade": testing.make_chamber(cast.district, name="建筑业商会", kind=Chamber.Kind.INDUSTRY,
                                               founded=date(2025, 6, 1)),
        "dissolved": testing.make_chamber(cast.district, name="楼宇商会", kind=Chamber.Kind.BUILDING,
                                          founded=date(2020, 1, 1), status=Chamber.Status.DISSOLVED),
        "later": testing.make_chamber(cast.district, name="新材料商会", kind=Chamber.Kind.INDUSTRY,
                                      founded=date(2026, 3, 1)),
    }


@pytest.fixture
def city_staff(cast):
    return testing.make_user(Role.STAFF, username="city_staff", federation=cast.city)


def test_committees_are_the_scopes_committees(cast, org, city_staff):
    result = compute("orgs.committees", user=cast.users.staff, period=Y2025)
    assert result.value == 1
    assert list(result.records) == [org.committee]
    assert compute("orgs.committees", user=cast.users.leader, period=Y2025).value == 1
    assert set(compute("orgs.committees", user=city_staff, period=Y2025).records) == {org.committee,
                                                                                       org.other.committee}


def test_chambers_are_the_active_ones_founded_by_the_period_end(cast, chambers):
    result = compute("orgs.chambers", user=cast.users.staff, period=Y2025)
    assert result.value == 3
    assert set(result.records) == {cast.chamber1, cast.chamber2, chambers["building_trade"]}
    assert compute("orgs.chambers", user=cast.users.staff, period=Y2024).value == 2
    industry = compute("orgs.chambers", user=cast.users.staff, period=Y2025, kind=Chamber.Kind.INDUSTRY)
    assert list(industry.records) == [chambers["building_trade"]]


def test_chambers_founded_are_those_founded_in_the_period_whatever_their_status(cast, chambers):
    result = compute("orgs.chambers_founded", user=cast.users.staff, period=Y2025)
    assert list(result.records) == [chambers["building_trade"]]
    assert compute("orgs.chambers_founded", user=cast.users.staff, period=Period.year(2020)).value == 1  # dissolved
    assert compute("orgs.chambers_founded", user=cast.users.staff, period=Y2024).value == 0
    assert compute("orgs.chambers_founded", user=cast.users.staff, period=Y2025, kind=Chamber.Kind.STREET).value == 0


def test_a_city_sees_its_districts_summed(cast, chambers, org, city_staff):
    assert compute("orgs.chambers", user=city_staff, period=Y2025).value == 4
    assert compute("orgs.chambers", user=cast.users.outsider_staff, period=Y2025).value == 1
    streets = compute("orgs.streets", user=city_staff, period=Y2025)
    assert set(streets.records) == {cast.street, org.other.street}
    assert list(compute("orgs.streets", user=cast.users.staff, period=Y2025).records) == [cast.street]


def test_a_chamber_secretary_counts_only_its_own_chamber(cast, chambers):
    assert list(compute("orgs.chambers", user=cast.users.chamber1, period=Y2025).records) == [cast.chamber1]


def test_an_unknown_kind_is_not_found(cast, chambers):
    with pytest.raises(Http404):
        compute("orgs.chambers", user=cast.users.staff, period=Y2025, kind="guild")


@pytest.mark.parametrize("key", ["orgs.committees", "orgs.streets"])
def test_a_chamber_secretary_is_refused_the_federations_committees_and_streets(cast, org, key):
    with pytest.raises(PermissionDenied):
        compute(key, user=cast.users.chamber1, period=Y2025)


@pytest.mark.parametrize("key", ["orgs.committees", "orgs.chambers", "orgs.chambers_founded", "orgs.streets"])
@pytest.mark.parametrize("role", ["dept1", "ent1", "auditor"])
def test_roles_without_the_organisations_data_are_refused(cast, key, role):
    with pytest.raises(PermissionDenied):
        compute(key, user=getattr(cast.users, role), period=Y2025)
