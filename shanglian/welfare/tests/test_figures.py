"""The 光彩公益 figures on a hand-built dataset, every number worked out by hand: money summed exactly to the fen
and shown in 万元 with two places, cash and goods added separately and together, a donor counted once across two
campaigns, the breakdowns by campaign, organising chamber, industry section, donor kind and year, the target
villages' coverage with a non-target village, an ended and a not-yet-started pairing left out, a chamber
secretary's figures only its chamber's, and 无数据 for a rate over nothing.

The dataset (`build_dataset`, also the statistics page's, the panel's and the section's), "today" 15 June 2026:

Campaigns: 春芽基金 (federation), 抗疫捐款 (federation), 友谊路商会助学 (chamber1's). ent2 is moved to industry 1311
(门类 C 制造业); ent1 keeps 6513 (门类 I).

| donation | donor          | cash      | goods              | campaign | organised by | day        |
|----------|----------------|-----------|--------------------|----------|--------------|------------|
| D1       | ent1           | 1234.56   |                    | 春芽基金  | chamber1     | 2025-03-01 |
| D2       | ent1           | 0.01      |                    | 抗疫捐款  | chamber1     | 2025-05-01 |
| D3       | ent2           |           | 999.99 口罩2000只    | 抗疫捐款  | —            | 2025-02-10 |
| D4       | person1        | 500.00    | 300.50 图书         | —        | chamber1     | 2025-09-09 |
| D5       | chamber2       | 10000.00  |                    | 春芽基金  | chamber2     | 2025-12-31 |
| D6       | ent1           | 88.88     |                    | 春芽基金  | chamber1     | 2024-06-01 |
| D7       | ent_other      | 777.77    |                    | —        | —            | 2025-04-01 |
| D8       | ent2           | 66.66     |                    | —        | —            | 2026-01-01 |

2025 for the district (D1–D5): 5 donations; cash 1234.56 + 0.01 + 500.00 + 10000.00 = 11734.57 元 (1.17 万元);
goods 999.99 + 300.50 = 1300.49 元 (0.13 万元); together 13035.06 元 (1.30 万元); donors: ent1 (D1, D2 — two
campaigns, counted once), ent2, person1, chamber2 = 4; enterprises 2. The enterprises' own: cash 1234.57, goods
999.99, together 2234.56 元. 2024: D6 only, 88.88 元 (0.01 万元). chamber1 (D1, D2, D4): 3 donations, cash
1734.57, goods 300.50, together 2035.07 元; donors ent1 and person1 = 2.
By campaign: 春芽基金 D1 + D5 = 11234.56 元 (1.12 万元, 2 donors); 抗疫捐款 D2 + D3 = 1000.00 元 (0.10 万元, 2 donors);
none D4 = 800.50 元 (0.08 万元); the 合计 row has 4 donors, not 2 + 2 + 1.

Villages (district): V1, V2, V3 targets, V4 not; the other district's V5 a target. Pairings: P1 ent1↔V1 产业 from
2024; P2 chamber2↔V2 就业 2023 to 2024-12-31 (ended); P3 ent2↔V4 消费 from 2025 (not a target); P4 chamber1↔V1 助学
2025-03-01 to 2026-03-01; P5 ent_other↔V5; P6 ent2↔V3 from 2026-02-01. On 31 Dec 2025: in force P1, P3, P4 (3);
paired target villages V1 only: coverage 1 ÷ 3 = 33.3 %. chamber1 reads P1 and P4 (2 in force); chamber2 P2, P3,
P6 (1 in force); coverage is the federation's for both. On 15 Jun 2026: P1, P3, P6 in force (P4 ended 1 March):
V1 and V3 paired, 66.7 %.
"""

from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import Sum

from shanglian import testing
from shanglian.common.models import IndustryCode
from shanglian.common.money import fen
from shanglian.common.periods import Period
from shanglian.ui.figures import NO_DATA, compute
from shanglian.welfare.figures import amounts, giving
from shanglian.welfare.models import Donation
from shanglian.welfare.selectors import pairings as pairing_selectors

SHANGHAI = ZoneInfo("Asia/Shanghai")
YEAR = Period.year(2025)


def build_dataset(cast):
    district = cast.district
    cast.ent2.industry = IndustryCode.objects.get(code="1311")
    cast.ent2.save()
    spring = testing.make_campaign(district, name="春芽基金", kind="education")
    epidemic = testing.make_campaign(district, name="抗疫捐款", kind="epidemic")
    chamber_campaign = testing.make_campaign(district, name="友谊路商会助学", chamber=cast.chamber1)
    d = SimpleNamespace(
        d1=testing.make_donation(cast.ent1, cash="1234.56", campaign=spring, chamber=cast.chamber1,
                                 donated_on=date(2025, 3, 1)),
        d2=testing.make_donation(cast.ent1, cash="0.01", campaign=epidemic, chamber=cast.chamber1,
                                 donated_on=date(2025, 5, 1)),
        d3=testing.make_donation(cast.ent2, goods_value="999.99", goods_description="口罩2000只", campaign=epidemic,
                                 donated_on=date(2025, 2, 10)),
        d4=testing.make_donation(cast.person1, cash="500.00", goods_value="300.50", goods_description="图书",
                                 chamber=cast.chamber1, donated_on=date(2025, 9, 9)),
        d5=testing.make_donation(cast.chamber2, cash="10000.00", campaign=spring, donated_on=date(2025, 12, 31)),
        d6=testing.make_donation(cast.ent1, cash="88.88", campaign=spring, chamber=cast.chamber1,
                                 donated_on=date(2024, 6, 1)),
        d7=testing.make_donation(cast.ent_other, cash="777.77", donated_on=date(2025, 4, 1)),
        d8=testing.make_donation(cast.ent2, cash="66.66", donated_on=date(2026, 1, 1)),
    )
    v1 = testing.make_village(district, name="李家村", county="河西区")
    v2 = testing.make_village(district, name="王家村", county="河西区")
    v3 = testing.make_village(district, name="张家村", county="静海区")
    v4 = testing.make_village(district, name="赵家村", county="静海区", is_target=False)
    v5 = testing.make_village(cast.other, name="南开帮扶村")
    p = SimpleNamespace(
        p1=testing.make_pairing(cast.ent1, v1, kind="industry", start=date(2024, 1, 1), committed_amount=Decimal(
            "50000.00"), delivered_amount=Decimal("12345.67"), commitment="建设蔬菜大棚", delivered="已建成大棚2座"),
        p2=testing.make_pairing(cast.chamber2, v2, kind="employment", start=date(2023, 1, 1), end=date(2024, 12, 31)),
        p3=testing.make_pairing(cast.ent2, v4, kind="consumption", start=date(2025, 1, 1)),
        p4=testing.make_pairing(cast.chamber1, v1, kind="education", start=date(2025, 3, 1), end=date(2026, 3, 1),
                                committed_amount=Decimal("20000.00")),
        p5=testing.make_pairing(cast.ent_other, v5, kind="charity", start=date(2024, 1, 1)),
        p6=testing.make_pairing(cast.ent2, v3, kind="industry", start=date(2026, 2, 1)),
    )
    return SimpleNamespace(spring=spring, epidemic=epidemic, chamber_campaign=chamber_campaign, v1=v1, v2=v2, v3=v3,
                           v4=v4, v5=v5, **vars(d), **vars(p))


@pytest.fixture
def today():
    with time_machine.travel(datetime(2026, 6, 15, 10, tzinfo=SHANGHAI), tick=False):
        yield date(2026, 6, 15)


@pytest.fixture
def data(cast, today):
    return build_dataset(cast)


def value(key, user, period=YEAR, **narrowing):
    return compute(key, user=user, period=period, **narrowing).value


# --- money ---------------------------------------------------------------------------------------------------------
def test_sums_come_back_from_the_database_as_exact_decimals_to_the_fen(cast, data):
    rows = Donation.objects.filter(pk__in=[data.d1.pk, data.d2.pk])
    raw = rows.aggregate(cash=Sum("cash"))["cash"]
    assert isinstance(raw, Decimal)  # Django's DecimalField converter, on SQLite too — never a float
    assert fen(raw) == Decimal("1234.57") and str(fen(raw)) == "1234.57"
    tenths = [testing.make_donation(cast.ent1, cash="0.10", donated_on=date(2020, 1, 1)) for _ in range(3)]
    summed = Donation.objects.filter(pk__in=[t.pk for t in tenths]).aggregate(cash=Sum("cash"))["cash"]
    assert str(fen(summed)) == "0.30"  # 0.1 + 0.1 + 0.1 is 0.30000000000000004 in floating point


def test_ten_thousands_of_yuan_round_half_up_and_refuse_floats():
    assert amounts.wan(None) == Decimal("0.00") and amounts.wan(7) == Decimal("0.00")
    assert amounts.wan(Decimal("6580000")) == Decimal("658.00")
    assert amounts.wan(Decimal("12345.67")) == Decimal("1.23")
    assert amounts.wan(Decimal("50.00")) == Decimal("0.01")  # 0.005 万元 rounds half up
    assert amounts.wan(Decimal("49.99")) == Decimal("0.00")
    with pytest.raises(TypeError):
        amounts.wan(0.1)


def test_totals_add_cash_and_goods_separately_and_together_to_the_fen(cast, data):
    found = giving.totals(giving.donations_in(cast.users.staff, YEAR))
    assert (found.cash, found.goods, found.total) == (Decimal("11734.57"), Decimal("1300.49"), Decimal("13035.06"))
    assert found.donations == 5
    enterprises = giving.totals(giving.donations_in(cast.users.staff, YEAR, donor_kind="enterprise"))
    assert (enterprises.cash, enterprises.goods, enterprises.total) == (
        Decimal("1234.57"), Decimal("999.99"), Decimal("2234.56"))


def test_the_figures_show_ten_thousands_of_yuan_with_two_places(cast, data):
    staff = cast.users.staff
    assert value("welfare.cash", staff) == Decimal("1.17")
    assert value("welfare.goods", staff) == Decimal("0.13")
    assert value("welfare.total", staff) == Decimal("1.30")
    assert compute("welfare.total", user=staff, period=YEAR).display == "1.30"
    assert value("welfare.total", staff, donor_kind="enterprise") == Decimal("0.22")  # 2234.56 元
    assert value("welfare.donations", staff) == 5


def test_the_records_of_cash_and_goods_are_the_donations_with_each(cast, data):
    staff = cast.users.staff
    cash = compute("welfare.cash", user=staff, period=YEAR).records
    goods = compute("welfare.goods", user=staff, period=YEAR).records
    assert set(cash) == {data.d1, data.d2, data.d4, data.d5}
    assert set(goods) == {data.d3, data.d4}


# --- donors ----------------------------------------------------------------------------------------------------------
def test_a_donor_is_counted_once_across_two_campaigns(cast, data):
    staff = cast.users.staff
    assert value("welfare.donors", staff) == 4  # ent1 (two campaigns), ent2, person1, chamber2
    assert value("welfare.donors", staff, campaign=data.spring.pk) == 2
    assert value("welfare.donors", staff, campaign=data.epidemic.pk) == 2
    assert value("welfare.donor_enterprises", staff) == 2
    assert set(compute("welfare.donor_enterprises", user=staff, period=YEAR).records) == {cast.ent1, cast.ent2}


def test_the_campaign_table_counts_a_donor_once_in_its_total_row(cast, data):
    rows = giving.grouped(giving.donations_in(cast.users.staff, YEAR), "campaign__name")
    by_name = {key["campaign__name"]: found for key, found in rows}
    assert by_name["春芽基金"].total == Decimal("11234.56") and by_name["春芽基金"].donors == 2
    assert by_name["抗疫捐款"].total == Decimal("1000.00") and by_name["抗疫捐款"].donors == 2
    assert by_name[None].total == Decimal("800.50") and by_name[None].donors == 1
    assert sum(found.donors for found in by_name.values()) == 5
    assert giving.totals(giving.donations_in(cast.users.staff, YEAR)).donors == 4
    assert by_name["春芽基金"].cells() == (2, 2, Decimal("1.12"), Decimal("0.00"), Decimal("1.12"))
    assert by_name[None].cells() == (1, 1, Decimal("0.05"), Decimal("0.03"), Decimal("0.08"))


def test_narrowing_by_chamber_section_and_kind(cast, data):
    staff = cast.users.staff
    assert value("welfare.total", staff, chamber=cast.chamber1.pk) == Decimal("0.20")  # 2035.07 元
    assert value("welfare.total", staff, chamber="none") == Decimal("0.10")  # D3, 999.99 元
    assert value("welfare.donations", staff, section="I") == 2
    assert value("welfare.donations", staff, section="C") == 1
    assert value("welfare.donations", staff, section="none") == 2  # person1 and chamber2
    assert value("welfare.donations", staff, donor_kind="chamber") == 1


def test_a_year_ago_is_compared(cast, data):
    figure = compute("welfare.total", user=cast.users.staff, period=YEAR, compare=True)
    assert figure.year_ago == Decimal("0.01")  # D6: 88.88 元
    assert figure.year_ago_change == "+12900.0%"


def test_the_year_table_holds_five_years(cast, data):
    years = giving.year_totals(cast.users.staff, 2025)
    assert list(years) == [2021, 2022, 2023, 2024, 2025]
    assert years[2024].total == Decimal("88.88") and years[2023].donations == 0
    assert years[2025].total == Decimal("13035.06")


# --- scope ------------------------------------------------------------------------------------------------------------
def test_a_chamber_secretarys_figures_are_only_its_chambers(cast, data):
    secretary = cast.users.chamber1
    found = giving.totals(giving.donations_in(secretary, YEAR))
    assert (found.donations, found.cash, found.goods, found.total) == (
        3, Decimal("1734.57"), Decimal("300.50"), Decimal("2035.07"))
    assert value("welfare.donors", secretary) == 2
    assert value("welfare.donor_enterprises", secretary) == 1
    assert value("welfare.total", secretary) == Decimal("0.20")
    assert value("welfare.pairings_in_force", secretary) == 2  # P1 (its member ent1) and P4 (its own)
    assert value("welfare.pairings_in_force", cast.users.chamber2) == 1  # P3 (its member ent2)
    assert value("welfare.total", cast.users.chamber2) == Decimal("1.00")  # D5


def test_another_districts_staff_sees_only_its_own(cast, data):
    outsider = cast.users.outsider_staff
    assert value("welfare.total", outsider) == Decimal("0.08")  # D7: 777.77 元
    assert value("welfare.village_coverage", outsider) == Decimal("100.0")


# --- coverage ----------------------------------------------------------------------------------------------------------
def test_coverage_counts_paired_target_villages_over_target_villages(cast, data):
    staff = cast.users.staff
    # V4 is paired (P3) but not a target; V2's pairing ended in 2024; V3's starts in 2026
    assert value("welfare.target_villages", staff) == 3
    assert value("welfare.paired_villages", staff) == 1
    assert value("welfare.unpaired_villages", staff) == 2
    assert value("welfare.village_coverage", staff) == Decimal("33.3")
    assert set(compute("welfare.unpaired_villages", user=staff, period=YEAR).records) == {data.v2, data.v3}
    assert set(compute("welfare.village_coverage", user=staff, period=YEAR).records) == {data.v1, data.v2, data.v3}


def test_a_running_year_reads_coverage_today(cast, data, today):
    # 15 Jun 2026: P4 ended on 1 March, P6 began on 1 February
    assert value("welfare.village_coverage", cast.users.staff, Period.year(2026)) == Decimal("66.7")
    assert value("welfare.pairings_in_force", cast.users.staff, Period.year(2026)) == 3


def test_a_chamber_secretary_sees_the_federations_coverage(cast, data):
    assert value("welfare.village_coverage", cast.users.chamber1) == Decimal("33.3")
    assert value("welfare.target_villages", cast.users.chamber2) == 3


def test_coverage_over_no_target_village_is_no_data(db, today):
    testing.ensure_reference_data()
    federation = testing.make_federation(name="新区工商联")
    leader = testing.make_user("leader", username="new_leader", federation=federation)
    testing.make_village(federation, name="非目标村", is_target=False)
    figure = compute("welfare.village_coverage", user=leader, period=YEAR)
    assert figure.value is None and figure.display == NO_DATA
    assert pairing_selectors.coverage(leader, on=date(2025, 12, 31)).rate is None


def test_pairings_in_force_by_kind(cast, data):
    by_kind, overall = pairing_selectors.pairings_by_kind(cast.users.staff, on=date(2025, 12, 31))
    assert {kind: row["n"] for kind, row in by_kind.items()} == {"industry": 1, "consumption": 1, "education": 1}
    assert overall["n"] == 3 and overall["villages"] == 2  # V1 twice (P1, P4), V4
    assert fen(overall["committed"]) == Decimal("70000.00")
    assert value("welfare.pairings_in_force", cast.users.staff, kind="education") == 1
