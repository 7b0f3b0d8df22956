"""Matching both ways on hand-built enterprises and policies: every criterion alone, their combination,
and the two directions agreeing for every pair."""

import datetime
import itertools

import pytest
import time_machine

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.common.models import DictItem, IndustryCode
from shanglian.policies import matching
from shanglian.policies.models import Policy
from shanglian.policies.services import Eligibility, save_policy

TODAY = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def world(cast):
    """Three enterprises of the district that differ in every attribute, one of another district."""
    street2 = testing.make_street(cast.district, name="越秀路街道")
    individual = DictItem.objects.get(kind="enterprise_type", code="individual")
    mfg = cast.ent1  # 2611 manufacturing, small, private, 友谊路街道, high-tech, 50 staff, founded 2020, member
    mfg.industry = IndustryCode.objects.get(code="2611")
    mfg.size, mfg.is_high_tech, mfg.employees, mfg.founded = "small", True, 50, datetime.date(2020, 6, 1)
    mfg.street = cast.street
    mfg.save()
    shop = testing.make_enterprise(  # 5211 retail, micro, 个体工商户, 越秀路街道, 3 staff, founded 2025, not a member
        cast.district, name="河西区小李便利店", industry=IndustryCode.objects.get(code="5211"), size="micro",
        enterprise_type=individual, street=street2, employees=3, founded=datetime.date(2025, 1, 10))
    unknown = testing.make_enterprise(  # nothing but its industry known
        cast.district, name="天津某某餐饮有限公司", industry=IndustryCode.objects.get(code="6513"), size="",
        employees=None, founded=None)
    # ent2 of the cast: 6513, no size, private, no street, 10 staff, founding date unknown, a member.
    return {"mfg": mfg, "shop": shop, "unknown": unknown, "ent2": cast.ent2, "other": cast.ent_other,
            "street2": street2}


def _policy(cast, title, status=Policy.Status.PUBLISHED, expires_on=None, federation_staff=None, **conditions):
    staff = federation_staff or cast.users.staff
    department = cast.dept1 if federation_staff is None else testing.make_department(staff.federation, name="市科技局")
    policy = save_policy(actor=staff, data={
        "title": title, "department": department, "benefit_type": DictItem.objects.get(kind="benefit_type",
                                                                                      code="subsidy"),
        "expires_on": expires_on,
    }, eligibility=Eligibility(**conditions))
    Policy.objects.filter(pk=policy.pk).update(status=status)
    policy.refresh_from_db()
    return policy


def _matched(policy):
    return set(matching.enterprises_for_policy(policy).values_list("name", flat=True))


def _names(world, *keys):
    return {world[k].name for k in keys}


DISTRICT = ("mfg", "shop", "unknown", "ent2")


@pytest.mark.parametrize(("conditions", "expected"), [
    ({}, DISTRICT),
    ({"industries": ["C"]}, ("mfg",)),  # section 制造业
    ({"industries": ["26"]}, ("mfg",)),  # division
    ({"industries": ["261"]}, ("mfg",)),  # group
    ({"industries": ["2611"]}, ("mfg",)),  # class
    ({"industries": ["2612"]}, ()),
    ({"industries": ["C", "52"]}, ("mfg", "shop")),  # any of the prefixes
    ({"sizes": ["small", "micro"]}, ("mfg", "shop")),  # an unknown size never matches a size condition
    ({"sizes": ["large"]}, ()),
    ({"enterprise_types": ["individual"]}, ("shop",)),
    ({"enterprise_types": ["private"]}, ("mfg", "unknown", "ent2")),
    ({"high_tech_required": True}, ("mfg",)),
    ({"min_employees": 11}, ("mfg",)),  # unknown employees never match a range
    ({"max_employees": 10}, ("shop", "ent2")),  # bounds inclusive
    ({"min_employees": 3, "max_employees": 50}, ("mfg", "shop", "ent2")),
    ({"min_registered_years": 3}, ("mfg",)),  # 2020-06-01 → 6 full years on 2026-11-23
    ({"max_registered_years": 1}, ("shop",)),  # 2025-01-10 → 1 full year
    ({"min_registered_years": 6, "max_registered_years": 6}, ("mfg",)),
    ({"members_only": True}, ("mfg", "ent2")),
    ({"industries": ["C"], "sizes": ["small"], "high_tech_required": True, "min_employees": 20,
      "min_registered_years": 5, "members_only": True, "enterprise_types": ["private"]}, ("mfg",)),
    ({"industries": ["C"], "sizes": ["micro"]}, ()),  # each condition alone matches someone, together nobody
])
def test_each_criterion_and_their_combination_match_the_right_enterprises(cast, world, conditions, expected):
    policy = _policy(cast, "测试政策", **conditions)
    assert _matched(policy) == _names(world, *expected)


def test_street_condition(cast, world):
    policy = _policy(cast, "街道政策", streets=[world["street2"].pk])
    assert _matched(policy) == _names(world, "shop")


def test_other_districts_enterprises_never_match(cast, world):
    assert world["other"].name not in _matched(_policy(cast, "无条件政策"))


def test_a_city_policy_applies_to_the_districts_under_it(cast, world):
    city_staff = testing.make_user(Role.STAFF, username="city", federation=cast.city)
    policy = _policy(cast, "全市政策", federation_staff=city_staff, sizes=["micro"])
    assert _matched(policy) == _names(world, "shop")
    assert policy in matching.policies_for_enterprise(world["shop"])


def test_an_enterprise_sees_only_live_policies(cast, world):
    live = _policy(cast, "有效政策")
    expires_today = _policy(cast, "今天到期", expires_on=datetime.date(2026, 11, 23))
    _policy(cast, "已过期", expires_on=datetime.date(2026, 11, 22))
    _policy(cast, "草稿", status=Policy.Status.DRAFT)
    _policy(cast, "已失效", status=Policy.Status.EXPIRED)
    assert set(matching.policies_for_enterprise(world["mfg"])) == {live, expires_today}


def test_both_directions_agree_for_every_pair(cast, world):
    """For every policy P and enterprise E: E is among P's matches exactly when P is among E's policies."""
    condition_sets = [
        {}, {"industries": ["C"]}, {"industries": ["F"]}, {"sizes": ["micro"]}, {"enterprise_types": ["private"]},
        {"streets": [cast.street.pk]}, {"high_tech_required": True}, {"min_employees": 5}, {"max_employees": 5},
        {"min_registered_years": 2}, {"max_registered_years": 2}, {"members_only": True},
    ]
    policies = []
    for i, (a, b) in enumerate(itertools.combinations(condition_sets, 2)):
        policies.append(_policy(cast, f"组合政策{i}", **{**a, **b}))
    for key in (*DISTRICT, "other"):
        enterprise = world[key]
        eligible = set(matching.policies_for_enterprise(enterprise).values_list("pk", flat=True))
        for policy in policies:
            matched = matching.enterprises_for_policy(policy).filter(pk=enterprise.pk).exists()
            assert matched == (policy.pk in eligible), (key, policy.title)


def test_matching_runs_in_a_fixed_number_of_queries(cast, world, django_assert_max_num_queries):
    for i in range(30):
        _policy(cast, f"政策{i}", industries=["C"] if i % 2 else [], sizes=["small"] if i % 3 else [])
    # A few lookups (the federation chain, membership, the enterprise's type and section), then one query.
    with django_assert_max_num_queries(6):
        assert len(list(matching.policies_for_enterprise(world["mfg"]))) == 30
    policy = Policy.objects.first()
    with django_assert_max_num_queries(5):
        matching.enterprises_for_policy(policy).count()


def test_registered_years_on_a_leap_day():
    assert matching.years_before(datetime.date(2028, 2, 29), 1) == datetime.date(2027, 2, 28)
    assert matching.registered_years(datetime.date(2020, 2, 29), datetime.date(2021, 2, 28)) == 0
    assert matching.registered_years(datetime.date(2020, 2, 29), datetime.date(2021, 3, 1)) == 1
