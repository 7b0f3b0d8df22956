"""A hand-built year (2025) for the annual work report's tests, on the cast: what it holds is counted by hand in the
tests that read it."""

from datetime import date
from decimal import Decimal

from shanglian import testing
from shanglian.members.models import Membership
from shanglian.reports.models import ExternalIndicator, ExternalValue

YEAR = 2025


def build_year(cast):
    """On top of the cast's memberships of 河西区 (企业 ent1, ent2; 个人 person1; 团体 chamber1, all joined 2020):
    two firms joined in 2025, one firm that joined in 2020 left in June 2025; three donations of two enterprises to
    two campaigns and none; three target villages, two of them paired; 民营经济增加值 entered for 2025. 南开区
    (the other district) has one enterprise member and a donation of its own."""
    district = cast.district
    for n in (1, 2):
        firm = testing.make_enterprise(district, name=f"天津新入会科技有限公司{n}")
        testing.make_membership(district, firm, joined=date(YEAR, 5, n), number=f"HX-2025-000{n}")
    gone = testing.make_enterprise(district, name="天津已退会商贸有限公司")
    testing.make_membership(district, gone, joined=date(2020, 1, 1), number="HX-2020-0099",
                            status=Membership.Status.LEFT, left=date(YEAR, 6, 1))
    relief = testing.make_campaign(district, name="抗洪救灾", kind="disaster")
    spring = testing.make_campaign(district, name="春芽基金", kind="education")
    testing.make_donation(cast.ent1, cash="10000", campaign=relief, donated_on=date(YEAR, 3, 1))
    testing.make_donation(cast.ent1, goods_value="5000", goods_description="棉被", campaign=spring,
                          donated_on=date(YEAR, 4, 1))
    testing.make_donation(cast.ent2, cash="20000", donated_on=date(YEAR, 9, 1))
    testing.make_donation(cast.ent_other, cash="99000", donated_on=date(YEAR, 9, 1))
    villages = [testing.make_village(district, name=f"目标村{n}") for n in (1, 2, 3)]
    testing.make_pairing(cast.ent1, villages[0])
    testing.make_pairing(cast.chamber1, villages[1])
    indicator = ExternalIndicator.objects.get(code="private_value_added")
    ExternalValue.objects.create(indicator=indicator, federation=district, year=YEAR, value=Decimal("312.5"),
                                 source="区统计局")
    return {"campaigns": (relief, spring), "villages": villages}
