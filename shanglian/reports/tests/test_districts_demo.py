"""The reports demo's second district (`reports/demo_city.py`): a modest district under the demo city with its
members, chambers and a year of appeals, and the city's login `city`, who sees both districts side by side — the
city's totals equal the sums of its districts for every headline figure that adds up; deterministic."""

from datetime import date

import pytest
from django.db import transaction

from shanglian.accounts.roles import Role, role_of
from shanglian.appeals.models import Appeal, Status
from shanglian.common.periods import Period
from shanglian.common.validators import validate_uscc
from shanglian.demo.logins import DEMO_PASSWORD
from shanglian.members.models import ChamberMembership, Enterprise, Membership
from shanglian.orgs.models import Chamber
from shanglian.reports import aggregation, demo_city

pytestmark = pytest.mark.django_db

END = date(2026, 6, 15)


@pytest.fixture
def built(cast):
    return demo_city.build(cast.city, end=END)


def test_it_builds_a_modest_district_under_the_city_and_the_city_login(built, cast):
    district = built.district
    assert district.parent == cast.city and district.region_code == demo_city.REGION
    assert Enterprise.objects.filter(federation=district).count() == demo_city.SIZES["enterprises"]
    assert Membership.objects.filter(federation=district, status=Membership.Status.ACTIVE).count() > 150
    assert Membership.objects.filter(federation=district, status=Membership.Status.LEFT).exists()
    assert Chamber.objects.filter(federation=district).count() == 2
    assert ChamberMembership.objects.filter(chamber__federation=district).count() == demo_city.SIZES["chamber_members"]
    appeals = Appeal.objects.filter(federation=district)
    assert appeals.count() == demo_city.SIZES["appeals"]
    assert appeals.filter(status=Status.CLOSED).count() > appeals.count() // 2
    assert appeals.exclude(status=Status.CLOSED).exists()  # the last days' are still open
    assert not appeals.filter(submitted_at__date__gte=END).exists()
    for enterprise in Enterprise.objects.filter(federation=district)[:50]:
        validate_uscc(enterprise.uscc)
    user = built.user
    assert user.username == "city" and role_of(user) == Role.STAFF and user.federation == cast.city
    assert user.check_password(DEMO_PASSWORD)


def test_the_city_login_sees_both_districts_whose_sums_are_the_citys_totals(built, cast):
    comparison = aggregation.side_by_side(built.user, Period.year(END.year), aggregation.HEADLINE)
    assert built.district in comparison.districts and cast.district in comparison.districts
    in_force = next(line for line in comparison.lines if line.key == "members.in_force")
    assert in_force.cells[comparison.districts.index(built.district)].value > 150
    received = next(line for line in comparison.lines if line.key == "appeals.received")
    assert received.cells[comparison.districts.index(built.district)].value == Appeal.objects.filter(
        federation=built.district, submitted_at__year=END.year).count()
    for line in comparison.lines:
        if line.additive:
            assert line.agrees is True, line.key


class _Undo(Exception):
    pass


def _build_and_read(city):
    """Build the district, read what was drawn, and undo it (a savepoint rolled back)."""
    try:
        with transaction.atomic():
            result = demo_city.build(city, end=END)
            drawn = (list(Enterprise.objects.filter(federation=result.district).order_by("pk")
                          .values_list("name", "uscc", "founded")),
                     list(Membership.objects.filter(federation=result.district).order_by("pk")
                          .values_list("number", "joined", "status")),
                     list(Appeal.objects.filter(federation=result.district).order_by("pk")
                          .values_list("number", "title", "status", "submitted_at")))
            raise _Undo
    except _Undo:
        return drawn


def test_it_is_deterministic(cast):
    first, second = _build_and_read(cast.city), _build_and_read(cast.city)
    assert first == second and all(first)
    names = [name for name, _uscc, _founded in first[0]]
    assert len(set(names)) == len(names)
