"""两个覆盖 on a hand-built district: every expected number is worked out by hand here.

The cast's district (staff, chamber1 in 友谊路街道 with ent1, chamber2 without a street with ent2) plus:

streets: S1 = 友谊路街道 (the cast's), S2 柳林街道, S3 陈塘庄街道, S4 天塔街道 (no chamber)
chambers (active unless said): chamber1 (S1), chamber2 (no street), chamber3 (S2), chamber4 (S2), chamber5 (S3),
chamber6 (S3, 暂停活动: not counted)

| enterprise | street | chamber   | party members | organisation                           | instructor                |
|------------|--------|-----------|---------------|----------------------------------------|---------------------------|
| A 甲       | S1     | chamber1  | 10            | its own branch (active)                 | —                         |
| B 乙       | S1     | chamber1  | 4             | covered by J1 (联合党委 of chamber1) only | —                         |
| C 丙       | S2     | chamber3  | 5             | — (J3 of chamber3 does not list it)    | via chamber3 (in force)   |
| D 丁       | S2     | chamber4  | 6             | —                                      | —                         |
| E 戊       | S2     | —         | 2             | —                                      | its own (in force)        |
| F 己       | S1     | chamber1  | 1             | covered by J1                          | —                         |
| G 庚       | —      | —         | 3             | its own branch, dissolved last year     | its own, ended last year  |
| H 辛       | S1     | —         | 0             | —                                      | —                         |
| I 壬       | S2     | chamber4  | 3             | its own branch, founded tomorrow       | —                         |
| ent1, ent2 | (the cast's) |     | not surveyed  |                                        |                           |
| ent_other (南开, another federation) | | | 5    | its own branch                          | —                         |

组织覆盖率 (≥ 3 members): base A B C D G I = 6, covered A B = 2 → 33.3 %.
工作覆盖率 (≥ 1 member): base A B C D E F G I = 8, covered A B F (organisation) + C (chamber's instructor)
+ E (own instructor) = 5 → 62.5 %. H (0 members) and the unsurveyed are in neither.
By street: S1 A B F → 2/2 = 100.0 %, 3/3 = 100.0 %; S2 C D E I → 0/3 = 0.0 %, C E 2/4 = 50.0 %;
S3, S4 nothing → 无数据; no street G → 0/1, 0/1.
By chamber: chamber1 A B F → 100.0 %, 100.0 %; chamber2 (ent2 unsurveyed) → 无数据; chamber3 C → 0/1 = 0.0 %,
1/1 = 100.0 %; chamber4 D I → 0/2 = 0.0 %, 0/2 = 0.0 %; chamber5 → 无数据.
联合党委 of streets: J1 (chamber1) covers S1's one chamber → full; S2: J3 (chamber3) covers chamber3, chamber4 has a
plain branch and a dissolved 联合党委 → 1 of 2, not full; S3: a 联合党委 of the street itself covers chamber5
(chamber6 is suspended) → full; S4 no chamber → not counted. Fully covered: S1, S3 = 2 (of 3 with chambers).
Active organisations of the district: A's branch, J1, J3, chamber4's branch, S3's 联合党委 = 5 (3 联合党委).
"""

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from shanglian import testing
from shanglian.common.periods import Period
from shanglian.engagement.figures import party as party_figures
from shanglian.engagement.models import EnterpriseParty, PartyInstructor
from shanglian.engagement.selectors import party as selectors
from shanglian.ui.figures import compute, gather_chart_data

JOINT = "joint_committee"


def census(enterprise, members):
    return EnterpriseParty.objects.create(enterprise=enterprise, party_members=members, surveyed_on=date(2026, 6, 30))


def build_dataset(cast):
    """The dataset of the module's docstring (the other party tests use it too)."""
    d, today = cast.district, timezone.localdate()
    s1 = cast.street
    s2 = testing.make_street(d, name="柳林街道")
    s3 = testing.make_street(d, name="陈塘庄街道")
    s4 = testing.make_street(d, name="天塔街道")
    chamber3 = testing.make_chamber(d, name="柳林街道商会", street=s2)
    chamber4 = testing.make_chamber(d, name="柳林楼宇商会", kind="building", street=s2)
    chamber5 = testing.make_chamber(d, name="陈塘庄街道商会", street=s3)
    testing.make_chamber(d, name="陈塘庄老商会", street=s3, status="suspended")
    a = testing.make_enterprise(d, name="甲科技有限公司", chamber=cast.chamber1, street=s1)
    b = testing.make_enterprise(d, name="乙贸易有限公司", chamber=cast.chamber1, street=s1)
    c = testing.make_enterprise(d, name="丙制造有限公司", chamber=chamber3, street=s2)
    dd = testing.make_enterprise(d, name="丁物流有限公司", chamber=chamber4, street=s2)
    e = testing.make_enterprise(d, name="戊餐饮有限公司", street=s2)
    f = testing.make_enterprise(d, name="己文化有限公司", chamber=cast.chamber1, street=s1)
    g = testing.make_enterprise(d, name="庚建筑有限公司")
    h = testing.make_enterprise(d, name="辛服务有限公司", street=s1)
    i = testing.make_enterprise(d, name="壬电子有限公司", chamber=chamber4, street=s2)
    for enterprise, members in ((a, 10), (b, 4), (c, 5), (dd, 6), (e, 2), (f, 1), (g, 3), (h, 0), (i, 3),
                                (cast.ent_other, 5)):
        census(enterprise, members)
    org = testing.make_party_organisation
    a_branch = org(d, name="甲科技有限公司党支部", enterprise=a, members_count=10, founded=date(2020, 7, 1))
    j1 = org(d, kind=JOINT, name="友谊路街道商会联合党委", chamber=cast.chamber1, members_count=12, covered=[b, f],
             founded=date(2021, 7, 1))
    j3 = org(d, kind=JOINT, name="柳林街道商会联合党委", chamber=chamber3, members_count=8, founded=date(2022, 1, 1))
    org(d, name="柳林楼宇商会党支部", chamber=chamber4, members_count=3)
    org(d, kind=JOINT, name="柳林楼宇商会原联合党委", chamber=chamber4, founded=date(2019, 1, 1),
        dissolved=date(2023, 1, 1))
    s3_joint = org(d, kind=JOINT, name="陈塘庄街道联合党委", street=s3, members_count=20)
    org(d, name="庚建筑有限公司党支部", enterprise=g, founded=date(2018, 1, 1), dissolved=today - timedelta(days=400))
    org(d, name="壬电子有限公司党支部", enterprise=i, founded=today + timedelta(days=1))
    org(cast.other, name="南开某某餐饮有限公司党支部", enterprise=cast.ent_other)
    PartyInstructor.objects.create(federation=d, name="刘指导", unit="区委组织部", chamber=chamber3, start=date(2025, 1, 1))
    PartyInstructor.objects.create(federation=d, name="赵指导", unit="区委组织部", enterprise=e, start=date(2025, 3, 1))
    PartyInstructor.objects.create(federation=d, name="孙指导", enterprise=g, start=date(2020, 1, 1),
                                   end=today - timedelta(days=400))
    return SimpleNamespace(s1=s1, s2=s2, s3=s3, s4=s4, chamber3=chamber3, chamber4=chamber4, chamber5=chamber5,
                           a=a, b=b, c=c, d=dd, e=e, f=f, g=g, h=h, i=i, a_branch=a_branch, j1=j1, j3=j3,
                           s3_joint=s3_joint)


@pytest.fixture
def data(cast):
    return build_dataset(cast)


def this_year():
    return Period.year(timezone.localdate().year)


def names(rows):
    return sorted(row.name for row in rows)


# --- the two rates ------------------------------------------------------------------------------------------
def test_both_rates_overall_for_the_federation(cast, data):
    found = selectors.coverage(cast.users.staff, on=timezone.localdate())
    assert (found.large, found.large_covered, found.with_members, found.worked) == (6, 2, 8, 5)
    organisation = compute("engagement.organisation_coverage", user=cast.users.staff, period=this_year())
    work = compute("engagement.work_coverage", user=cast.users.staff, period=this_year())
    assert organisation.value == Decimal("33.3")  # 2 ÷ 6
    assert work.value == Decimal("62.5")  # 5 ÷ 8
    # the records are the denominators: ≥ 3 members, ≥ 1 member
    assert names(organisation.records) == names([data.a, data.b, data.c, data.d, data.g, data.i])
    assert names(work.records) == names([data.a, data.b, data.c, data.d, data.e, data.f, data.g, data.i])


def test_each_way_of_being_covered(cast, data):
    rows = {e.name: e for e in selectors.census_enterprises(cast.users.staff)}
    # B only through the 联合党委's covered enterprises, C only through its chamber's instructor
    assert rows[data.b.name].org_covered and rows[data.b.name].work_covered
    assert not rows[data.c.name].org_covered and rows[data.c.name].work_covered
    assert not rows[data.e.name].org_covered and rows[data.e.name].work_covered  # its own instructor, 2 members
    assert rows[data.f.name].org_covered  # covered although under 3 members
    # a dissolved organisation, an ended instructor and an organisation not yet founded cover nothing
    assert not rows[data.g.name].org_covered and not rows[data.g.name].work_covered
    assert not rows[data.i.name].org_covered
    assert not rows[data.d.name].work_covered


def test_numerators_and_the_uncovered(cast, data):
    period, staff = this_year(), cast.users.staff
    assert names(compute("engagement.organisation_covered", user=staff, period=period).records) == names(
        [data.a, data.b])
    assert names(compute("engagement.organisation_uncovered", user=staff, period=period).records) == names(
        [data.c, data.d, data.g, data.i])
    assert names(compute("engagement.work_covered", user=staff, period=period).records) == names(
        [data.a, data.b, data.c, data.e, data.f])
    assert names(compute("engagement.work_uncovered", user=staff, period=period).records) == names(
        [data.d, data.g, data.i])


def test_rates_by_street(cast, data):
    rows = {street.name if street else None: c for street, c in
            selectors.coverage_by_street(cast.users.staff, on=timezone.localdate())}
    assert (rows["友谊路街道"].organisation_rate, rows["友谊路街道"].work_rate) == (Decimal("100.0"), Decimal("100.0"))
    assert (rows["柳林街道"].large, rows["柳林街道"].large_covered) == (3, 0)
    assert (rows["柳林街道"].organisation_rate, rows["柳林街道"].work_rate) == (Decimal("0.0"), Decimal("50.0"))
    assert (rows["陈塘庄街道"].organisation_rate, rows["陈塘庄街道"].work_rate) == (None, None)
    assert (rows["天塔街道"].organisation_rate, rows["天塔街道"].work_rate) == (None, None)
    assert (rows[None].large, rows[None].large_covered, rows[None].with_members) == (1, 0, 1)  # G: no street
    # the streets add up to the whole
    assert sum(c.large for c in rows.values()) == 6 and sum(c.worked for c in rows.values()) == 5
    period = this_year()
    assert compute("engagement.work_coverage", user=cast.users.staff, period=period,
                   street=data.s2.pk).value == Decimal("50.0")
    assert compute("engagement.organisation_coverage", user=cast.users.staff, period=period,
                   street="none").value == Decimal("0.0")


def test_rates_by_chamber(cast, data):
    rows = {chamber.name: c for chamber, c in selectors.coverage_by_chamber(cast.users.staff, on=timezone.localdate())}
    assert (rows["友谊路街道商会"].organisation_rate, rows["友谊路街道商会"].work_rate) == (Decimal("100.0"),
                                                                                            Decimal("100.0"))
    assert (rows["友谊路街道商会"].large, rows["友谊路街道商会"].with_members) == (2, 3)  # A B; A B F
    assert (rows["河西区浙江商会"].organisation_rate, rows["河西区浙江商会"].work_rate) == (None, None)
    assert (rows["柳林街道商会"].organisation_rate, rows["柳林街道商会"].work_rate) == (Decimal("0.0"), Decimal("100.0"))
    assert (rows["柳林楼宇商会"].large, rows["柳林楼宇商会"].large_covered, rows["柳林楼宇商会"].worked) == (2, 0, 0)
    assert rows["陈塘庄街道商会"].work_rate is None
    assert "陈塘庄老商会" not in rows  # suspended
    assert compute("engagement.work_coverage", user=cast.users.staff, period=this_year(),
                   chamber=data.chamber3.pk).value == Decimal("100.0")


def test_chamber_secretary_gets_its_members_rates(cast, data):
    found = selectors.coverage(cast.users.chamber1, on=timezone.localdate())
    assert (found.large, found.large_covered, found.with_members, found.worked) == (2, 2, 3, 3)  # A B; A B F
    assert [chamber.name for chamber, _ in selectors.coverage_by_chamber(cast.users.chamber1,
                                                                          on=timezone.localdate())] == ["友谊路街道商会"]
    with pytest.raises(Http404):  # another chamber's row is not its to ask for
        compute("engagement.work_coverage", user=cast.users.chamber1, period=this_year(), chamber=cast.chamber2.pk)


def test_another_federation_is_its_own(cast, data):
    found = selectors.coverage(cast.users.outsider_staff, on=timezone.localdate())
    assert (found.large, found.large_covered, found.with_members, found.worked) == (1, 1, 1, 1)  # ent_other


# --- the census scope: one definition --------------------------------------------------------------------------
def test_the_census_scope(cast, data):
    def surveyed(user):
        return sorted(row.enterprise.name for row in selectors.census_visible_to(user))

    assert surveyed(cast.users.staff) == names([data.a, data.b, data.c, data.d, data.e, data.f, data.g, data.h, data.i])
    assert surveyed(cast.users.chamber1) == names([data.a, data.b, data.f])  # its active members' (ent1 unsurveyed)
    assert surveyed(cast.users.chamber2) == []
    assert surveyed(cast.users.outsider_staff) == [cast.ent_other.name]
    for role in ("dept1", "ent1", "auditor"):
        with pytest.raises(PermissionDenied):
            selectors.census_visible_to(getattr(cast.users, role))


def test_every_census_read_goes_through_census_visible_to(cast, data, monkeypatch):
    """The census scope is census_visible_to's alone: narrowed to A's row, every count reads A's only."""
    monkeypatch.setattr(selectors, "census_visible_to", lambda user: EnterpriseParty.objects.filter(enterprise=data.a))
    staff, today = cast.users.staff, timezone.localdate()
    rows = {e.name: e.party_members for e in selectors.census_enterprises(staff)}
    assert rows[data.a.name] == 10 and rows[data.b.name] is None and rows[data.c.name] is None
    assert selectors.coverage(staff, on=today) == selectors.Coverage(1, 1, 1, 1)
    by_chamber = dict(selectors.coverage_by_chamber(staff, on=today))
    assert by_chamber[cast.chamber1] == selectors.Coverage(1, 1, 1, 1)
    assert by_chamber[data.chamber3] == selectors.Coverage()
    by_street = dict(selectors.coverage_by_street(staff, on=today))
    assert by_street[data.s1] == selectors.Coverage(1, 1, 1, 1) and None not in by_street
    assert names(selectors.census_list(staff)) == [data.a.name]
    covered = selectors.covered_enterprises_of(data.j1, user=staff)
    assert [(e.name, e.party_members) for e in covered.rows] == sorted([(data.b.name, None), (data.f.name, None)])


# --- a rate over nothing ---------------------------------------------------------------------------------------
def test_a_rate_over_no_enterprise_is_none_and_shown_as_no_data(cast, data, login):
    """chamber2's only member (ent2) was never surveyed: both rates are over an empty set."""
    organisation = compute("engagement.organisation_coverage", user=cast.users.chamber2, period=this_year())
    work = compute("engagement.work_coverage", user=cast.users.chamber2, period=this_year())
    assert organisation.value is None and work.value is None
    assert organisation.records.count() == 0
    content = login(cast.users.chamber2).get(reverse("engagement:party_coverage")).content.decode()
    assert "无数据" in content.split('id="organisation-rate"')[1][:60]
    assert "无数据" in content.split('id="work-rate"')[1][:60]


def test_no_census_at_all_gives_no_data_and_no_error(cast, login):
    response = login(cast.users.staff).get(reverse("engagement:party_coverage"))
    assert response.status_code == 200
    assert "无数据" in response.content.decode().split('id="organisation-rate"')[1][:200]
    sections = party_figures.sections(user=cast.users.staff, period=this_year())
    cards = {card.key: card for section in sections for card in section.figures}
    assert cards["engagement.organisation_coverage"].display == "无数据"
    assert cards["engagement.work_coverage"].display == "无数据"
    coverage_rows = next(s.table for s in sections if s.dom_id == "stats-party-coverage-streets").shown_rows()
    assert coverage_rows[0]["cells"][3] == "无数据"  # 友谊路街道: 组织覆盖率 of no enterprise


# --- 联合党委 covering the streets' chambers -----------------------------------------------------------------
def test_streets_fully_covered_by_joint_committees(cast, data):
    rows = {row.street.name: row for row in selectors.street_joint_coverage(cast.users.staff, on=timezone.localdate())}
    assert (rows["友谊路街道"].chambers, rows["友谊路街道"].covered, rows["友谊路街道"].fully_covered) == (1, 1, True)
    assert (rows["柳林街道"].chambers, rows["柳林街道"].covered, rows["柳林街道"].fully_covered) == (2, 1, False)
    assert (rows["陈塘庄街道"].chambers, rows["陈塘庄街道"].covered) == (1, 1)  # the street's own 联合党委
    assert rows["陈塘庄街道"].street_committee and rows["陈塘庄街道"].fully_covered
    assert rows["天塔街道"].chambers == 0 and not rows["天塔街道"].fully_covered
    figure = compute("engagement.streets_fully_covered", user=cast.users.staff, period=this_year())
    assert figure.value == 2 and sorted(s.name for s in figure.records) == ["友谊路街道", "陈塘庄街道"]


def test_a_street_loses_full_coverage_when_its_joint_committee_is_dissolved(cast, data):
    data.s3_joint.dissolved = timezone.localdate()
    data.s3_joint.save()
    assert compute("engagement.streets_fully_covered", user=cast.users.staff, period=this_year()).value == 1


def test_chamber_secretary_sees_its_own_street_only(cast, data):
    rows = selectors.street_joint_coverage(cast.users.chamber1, on=timezone.localdate())
    assert [(row.street.name, row.chambers, row.fully_covered) for row in rows] == [("友谊路街道", 1, True)]


# --- the organisations and the activities -------------------------------------------------------------------
def test_active_organisations_and_joint_committees(cast, data):
    period = this_year()
    assert compute("engagement.party_organisations", user=cast.users.staff, period=period).value == 5
    assert compute("engagement.joint_committees", user=cast.users.staff, period=period).value == 3
    assert compute("engagement.party_organisations", user=cast.users.staff, period=period,
                   kind="branch").value == 2  # A's, chamber4's
    assert names(compute("engagement.party_organisations", user=cast.users.chamber1, period=period).records) == names(
        [data.a_branch, data.j1])
    assert compute("engagement.party_instructors", user=cast.users.staff, period=period).value == 2


def test_three_meetings_and_theme_days_of_a_period(cast, data):
    from shanglian.engagement.models import PartyActivity

    def held(organisation, kind, day):
        PartyActivity.objects.create(organisation=organisation, kind=kind, held_on=day, title="学习")

    held(data.a_branch, "branch_assembly", date(2025, 3, 5))
    held(data.a_branch, "branch_committee", date(2025, 3, 20))
    held(data.a_branch, "party_lecture", date(2025, 7, 1))
    held(data.a_branch, "theme_day", date(2025, 7, 1))
    held(data.a_branch, "other", date(2025, 8, 1))
    held(data.j1, "group_meeting", date(2025, 12, 31))
    held(data.j3, "branch_assembly", date(2024, 12, 31))  # the year before
    y2025 = Period.year(2025)
    assert compute("engagement.three_meetings", user=cast.users.staff, period=y2025).value == 4
    assert compute("engagement.theme_days", user=cast.users.staff, period=y2025).value == 1
    assert compute("engagement.three_meetings", user=cast.users.chamber1, period=y2025).value == 4  # A's and J1's
    assert compute("engagement.three_meetings", user=cast.users.chamber2, period=y2025).value == 0
    months = selectors.activity_month_counts(cast.users.staff, y2025)
    assert months[(date(2025, 3, 1), "branch_assembly")] == 1 and months[(date(2025, 3, 1), "branch_committee")] == 1
    assert months[(date(2025, 12, 1), "group_meeting")] == 1
    section = next(s for s in party_figures.sections(user=cast.users.staff, period=y2025)
                   if s.dom_id == "stats-party-meetings")
    by_month = {row.label: row.cells for row in section.table.rows}
    assert by_month["2025-03"][1:] == (2, 0) and by_month["2025-07"][1:] == (1, 1) and by_month["2025-12"][1:] == (1, 0)
    assert section.chart_data[party_figures.SOURCE]["partyMeetings"] == [0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 1]


def test_the_statistics_sections_agree_with_the_figures(cast, data):
    sections = party_figures.sections(user=cast.users.staff, period=this_year())
    cards = {card.key: card for section in sections for card in section.figures}
    assert cards["engagement.organisation_coverage"].display == "33.3%"
    assert cards["engagement.work_coverage"].display == "62.5%"
    assert cards["engagement.organisation_uncovered"].value == 4 and cards["engagement.work_uncovered"].value == 3
    assert cards["engagement.party_organisations"].value == 5 and cards["engagement.streets_fully_covered"].value == 2
    chambers = next(s.table for s in sections if s.dom_id == "stats-party-coverage-chambers")
    shown = {row["label"]: row["cells"] for row in chambers.shown_rows()}
    assert shown["柳林街道商会"][3:] == ["0.0%", "1", "1", "100.0%"]
    assert shown["柳林楼宇商会"][1:] == ["2", "0", "0.0%", "2", "0", "0.0%"]
    assert shown["河西区浙江商会"][3] == "无数据"
    assert gather_chart_data(sections)[party_figures.SOURCE]["partyKinds"]
    # every card links to its records on the app's drill-down page
    assert cards["engagement.work_coverage"].records_url.startswith(
        reverse("engagement:figure_records", args=["engagement.work_coverage"]))
