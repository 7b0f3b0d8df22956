"""A chamber secretary's enterprises, persons and federation memberships are semi-joins on its active members
(issue 19): the same rows, in the same order, as the plain definitions (a join to its memberships made unique by
DISTINCT), on varied data — a member that left, a person holding roles in two member enterprises, a person of a
former member, the chamber's own group membership, another chamber's members."""

import pytest
from django.db.models import Q

from shanglian import testing
from shanglian.members import selectors
from shanglian.members.models import ChamberMembership, Enterprise, EnterpriseRole, Membership, Person


@pytest.fixture
def varied(cast):
    chamber = cast.chamber1
    second = testing.make_enterprise(cast.district, name="天津第二会员有限公司", chamber=chamber)
    former = testing.make_enterprise(cast.district, name="天津旧会员实业有限公司", chamber=chamber)
    ChamberMembership.objects.filter(enterprise=former).update(status=ChamberMembership.Status.LEFT)
    both = testing.make_person(cast.district, name="李两家", enterprise=cast.ent1)
    EnterpriseRole.objects.create(person=both, enterprise=second, role="shareholder")
    EnterpriseRole.objects.create(person=both, enterprise=cast.ent1, role="chairman")
    outsider = testing.make_person(cast.district, name="赵旧会", enterprise=former)
    for subject in (second, former, both, outsider):
        testing.make_membership(cast.district, subject, number=f"HX-2021-{subject.pk:04d}-{type(subject).__name__}")
    return cast


def _active(user):
    return {"chamber_memberships__chamber_id": user.chamber_id, "chamber_memberships__status": "active"}


def test_a_chamber_sees_the_enterprises_of_its_active_members(varied):
    user = varied.users.chamber1
    reference = Enterprise.objects.filter(**_active(user)).distinct()
    for sort in (["id"], ["-name", "id"]):
        assert list(selectors.enterprises_visible_to(user).order_by(*sort)) == list(reference.order_by(*sort))
    assert selectors.enterprises_visible_to(user).count() == reference.count() == 2


def test_a_chamber_sees_the_persons_of_its_active_members_once_each(varied):
    user = varied.users.chamber1
    reference = Person.objects.filter(
        enterprise_roles__enterprise__chamber_memberships__chamber_id=user.chamber_id,
        enterprise_roles__enterprise__chamber_memberships__status="active").distinct()
    assert list(selectors.persons_visible_to(user).order_by("id")) == list(reference.order_by("id"))
    assert selectors.persons_visible_to(user).count() == reference.count() == 2
    assert not selectors.persons_visible_to(user).filter(name="赵旧会").exists()


def test_a_chamber_sees_the_memberships_of_its_members_their_persons_and_its_own(varied):
    user = varied.users.chamber1
    members = ChamberMembership.objects.filter(chamber_id=user.chamber_id, status="active").values("enterprise_id")
    reference = Membership.objects.filter(
        Q(enterprise_id__in=members) | Q(person__enterprise_roles__enterprise_id__in=members)
        | Q(group_id=user.chamber_id)).distinct()
    for sort in (["-joined", "-id"], ["number", "id"]):
        assert list(selectors.memberships_visible_to(user).order_by(*sort)) == list(reference.order_by(*sort))
    assert selectors.memberships_visible_to(user).count() == reference.count() == 5


def test_another_chamber_sees_none_of_them(varied):
    user = varied.users.chamber2
    assert not selectors.enterprises_visible_to(user).filter(name="天津第二会员有限公司").exists()
    assert not selectors.persons_visible_to(user).filter(name="李两家").exists()
    assert not selectors.memberships_visible_to(user).filter(enterprise__name="天津第二会员有限公司").exists()


def test_a_chamber_member_list_and_street_choices_keep_their_rows_in_the_listed_form(varied):
    """The member list (related rows prefetched for a chamber) and the street choices read the chamber's members
    as `= ANY(ARRAY(…))` on PostgreSQL (`ListedIn`), `IN (…)` on SQLite: the rows of the plain definitions."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shanglian.orgs.models import Street

    user = varied.users.chamber1
    street = Street.objects.create(federation=varied.district, name="会员所在街道", code="120199002")
    Enterprise.objects.filter(name="天津第二会员有限公司").update(street=street)
    Enterprise.objects.filter(name="天津旧会员实业有限公司").update(
        street=Street.objects.create(federation=varied.district, name="旧会员所在街道", code="120199001"))
    members = ChamberMembership.objects.filter(chamber_id=user.chamber_id, status="active").values("enterprise_id")
    expected_streets = set(Street.objects.filter(
        Q(pk=user.chamber.street_id) | Q(pk__in=Enterprise.objects.filter(pk__in=members).values("street_id")))
        .values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        assert set(selectors.streets_visible_to(user).values_list("pk", flat=True)) == expected_streets
    assert street.pk in expected_streets and "旧会员所在街道" not in {s.name for s in selectors.streets_visible_to(user)}
    listed = "= ANY(ARRAY(SELECT" if connection.vendor == "postgresql" else " IN (SELECT"
    assert listed in queries[-1]["sql"]
    reference = Membership.objects.filter(
        Q(enterprise_id__in=members) | Q(person__enterprise_roles__enterprise_id__in=members)
        | Q(group_id=user.chamber_id)).distinct().order_by("-joined", "-id")
    rows = list(selectors.membership_list(user).order_by("-joined", "-id"))
    assert rows == list(reference)
    assert [m.subject_name for m in rows] == [m.subject_name for m in reference]
    assert [(m.enterprise.enterprise_type_id, m.enterprise.street_id) for m in rows if m.enterprise_id] == [
        (m.enterprise.enterprise_type_id, m.enterprise.street_id) for m in reference if m.enterprise_id]
