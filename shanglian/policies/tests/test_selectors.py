"""The policy reads the pages used to compose themselves: the enterprise's 为您推荐 with its push and
read marks, whether one policy is recommended, the newest matches of an enterprise, and a policy's
matched enterprises with their delivery state — each for the allowed user and refused to the others."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from shanglian.policies import selectors, services
from shanglian.policies.models import PolicyDelivery
from shanglian.policies.services import Eligibility

from .test_views import make_policy


def for_ent1(cast, title, **fields):
    return make_policy(cast, title=title, eligibility=Eligibility(streets=[cast.street.pk]), publish=True, **fields)


def test_recommended_policies_are_the_own_enterprises_newest_matches_marked_pushed_and_unread(cast):
    older = for_ent1(cast, "较早的政策", published_on=datetime.date(2026, 1, 1))
    newer = for_ent1(cast, "较新的政策", published_on=datetime.date(2026, 6, 1))
    services.push_policy(actor=cast.users.staff, policy=older)
    recommended = list(selectors.recommended_policies(cast.users.ent1))
    assert recommended == [newer, older]
    assert [(p.pushed, p.unread) for p in recommended] == [(False, False), (True, True)]
    services.record_read(actor=cast.users.ent1, policy=older)
    assert [(p.pushed, p.unread) for p in selectors.recommended_policies(cast.users.ent1)] == \
        [(False, False), (True, False)]


def test_a_user_without_an_enterprise_has_no_recommendations(cast):
    assert selectors.recommended_policies(cast.users.staff) is None
    assert not selectors.is_recommended(cast.users.staff, for_ent1(cast, "某政策"))


def test_is_recommended_only_for_the_policies_the_enterprise_matches(cast):
    mine = for_ent1(cast, "友谊路街道的政策")
    other = make_policy(cast, title="制造业的政策", eligibility=Eligibility(industries=["C"]), publish=True)
    assert selectors.is_recommended(cast.users.ent1, mine)
    assert not selectors.is_recommended(cast.users.ent1, other)


def test_newest_matched_policies_for_those_who_see_the_enterprise(cast):
    older = for_ent1(cast, "较早的政策", published_on=datetime.date(2026, 1, 1))
    newer = for_ent1(cast, "较新的政策", published_on=datetime.date(2026, 6, 1))
    for who in ("staff", "chamber1", "ent1"):
        assert list(selectors.newest_matched_policies(getattr(cast.users, who), cast.ent1)) == [newer, older]


@pytest.mark.parametrize("who", ["chamber2", "outsider_staff", "dept1", "auditor"])
def test_newest_matched_policies_are_refused_outside_the_enterprise_scope(cast, who):
    with pytest.raises(PermissionDenied):
        selectors.newest_matched_policies(getattr(cast.users, who), cast.ent1)


def test_matched_enterprises_carry_when_pushed_and_first_read(cast):
    policy = make_policy(cast, publish=True)  # no condition: both of the district's enterprises match
    PolicyDelivery.objects.create(policy=policy, enterprise=cast.ent1, pushed_at=timezone.now())
    services.record_read(actor=cast.users.ent1, policy=policy)
    rows = {e.name: e for e in selectors.matched_enterprises_with_delivery(cast.users.staff, policy)}
    assert set(rows) == {"天津友谊科技有限公司", "天津之江贸易有限公司"}
    assert rows["天津友谊科技有限公司"].delivered_at is not None
    assert rows["天津友谊科技有限公司"].first_read_at is not None
    assert rows["天津之江贸易有限公司"].delivered_at is None and rows["天津之江贸易有限公司"].first_read_at is None


@pytest.mark.parametrize("who", ["chamber1", "dept1", "ent1"])
def test_matched_enterprises_are_refused_outside_the_federation_roles(cast, who):
    policy = make_policy(cast, publish=True)
    with pytest.raises(PermissionDenied):
        selectors.matched_enterprises_with_delivery(getattr(cast.users, who), policy)


def test_staff_of_another_district_see_none_of_its_enterprises(cast):
    policy = make_policy(cast, publish=True)
    assert not selectors.matched_enterprises_with_delivery(cast.users.outsider_staff, policy).exists()
