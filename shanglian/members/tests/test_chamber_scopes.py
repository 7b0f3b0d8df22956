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
