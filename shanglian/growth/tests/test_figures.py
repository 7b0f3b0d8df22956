"""The 会员发展与服务 figures on a hand-built dataset, every number worked out by hand: new members by target category
against this year's targets (the gap never negative, 无数据 without a target), prospects by stage and source,
applications received and decided, 纳入服务企业 as distinct enterprises in force at the period's end (an exit on the
last day is out, two programmes count once), the listed members in force today, posts by category, contact requests
made and accepted, outcomes with their amounts summed to the fen and shown in 万元, the matchmaking events held by
kind, the working groups in being, their projects completed and the linked appeals closed — and a chamber
secretary's figures only its scope's.

The dataset (`build_dataset`, also the statistics page's, the panel's and the section's tests), "today" 15 June 2026,
all in the district unless said (the cast: ent1 and person1 of chamber1, ent2 of chamber2, all members since 2020):

Members joined: E3 (私营, local) 2025-03-01; E4 (私营, 外地, 高新; chamber1 member) 2025-07-01; E5 (个体工商户) 2025-11-30,
left 2025-12-15; person P3 (个人) 2025-05-05; chamber2 (团体) 2025-02-02; E6 2026-02-01; E7 2024-06-01; the other
district's EO 2025-04-01. 2025: 5 — 企业 3 (E3 E4 E5), 团体 1, 个人 1, 私营 2 (E3 E4), 外地 1 (E4), 高新 1 (E4).
chamber1 reads E4 only (1); chamber2 its own group membership (1).

Targets 2025: 企业会员 4, 团体会员 1, 私营企业 5, 高新技术企业 1 (个人会员 and 外地企业 none); the other district
企业会员 10. Progress 2025: 企业 3/4 = 75.0 %, gap 1; 团体 1/1 = 100.0 %, gap 0; 私营 2/5 = 40.0 %, gap 3; 高新 1/1,
gap 0; 个人, 外地: 无数据. Together (the kinds with a target: 企业, 团体): target 5, joined 4, 80.0 %, gap 1 + 0 = 1.

Prospects (registered): R1 线索 企业库 私营 2025-02-01; R2 已联系 会员推荐 外地 高新 chamber1's 2025-04-01; R3 已走访
参加活动 团体 2025-06-01; R4 已入会 (2025-08-08) 企业库 2025-03-03; R5 放弃 会员上下游 2025-05-05; R6 线索 2026-03-01;
RO (other district) 2025. 2025 new: 5 — by stage one each of 线索 已联系 已走访 已入会 放弃; by source 企业库 2, 会员推荐 1,
参加活动 1, 会员上下游 1. Open at the end of 2025: R1 R2 R3 (3) — 企业 2 (R1 R2), 团体 1, 私营 1, 外地 1, 高新 1.
Joined in 2025: R4. chamber1: R2 only.

Applications: A1 submitted 2025-03-10, approved 2025-03-20; A2 submitted 2025-11-01, refused 2026-01-05; A3
submitted 2025-12-31 23:30 (Shanghai), open, naming chamber1; A4 submitted 2024-12-31 23:59, withdrawn. 2025:
received 3, approved 1, refused 0; 2026: refused 1. chamber1: A3 (received 1).

Enrollments: N1 ent1 双万双服 2024-05-01; N2 ent1 重点企业服务 2025-02-01 → 2025-10-01; N3 ent2 双万双服 2025-06-01 →
2025-12-31; N4 E3 双万双服 2025-12-31; N5 E4 初创企业帮扶 2026-01-10; NO the other district's. On 31 Dec 2025: N1, N4
→ 2 enterprises (双万双服 2); a year earlier N1 → 1. New in 2025: ent1 (N2), ent2, E3 → 3 (双万双服 2, 重点企业服务 1).
Today: ent1, E3, E4 → 3. chamber1 (ent1, E4): 1 at the end of 2025.

Listings: ent1, ent2 and E5 listed, E3 not, the other district's EO listed: listed members in force today 2 (E5 left).

Posts: T1 ent1 采购 2025-03-01; T2 ent2 供应 2025-04-01; T3 ent1 融资 2025-09-01 (closed); T4 E3 用工 2026-02-01;
TO the other district's 2025. 2025: 3 (chamber1 reads the open ones: T1 T2 → 2). Requests: Q1 on T1 by ent2 made
2025-03-05, accepted 03-06; Q2 on T2 by ent1 made 04-10, declined 04-11; Q3 on T1 by E3 made 12-20, accepted
2026-01-02. 2025: made 3 (采购 2, 供应 1), accepted 1 (采购).

Outcomes: O1 ent1 达成合作 1,234,567.89 元 2025-04-01 (partner ent2, post T1); O2 ent2 达成合作 0.01 2025-05-01; O3 ent1
获得融资 5,000,000.00 2025-09-30 (event F1); O4 E3 招聘用工 12 人 2025-10-10; O5 E4 招聘 3 人 2026-03-01; OO the other
district's. 2025: 4 outcomes, 2 deals, 1,234,567.90 元 = 123.46 万元, 融资 500.00 万元, 12 jobs. chamber1 (ent1, E4): O1,
O3 — 2 outcomes, 123.46 万元, 500.00 万元, 0 jobs.

Events: F1 融资推介会 2025-05-20, F2 融资推介会 2025-08-08, F3 融资推介会 2025-10-01 cancelled, F4 企业对接洽谈会
2025-06-06, F5 招聘会 2025-03-03 by chamber1, F6 培训班 2025-04-04, F7 融资推介会 2024-11-11. 2025: 4 (融资推介会 2,
洽谈会 1, 招聘会 1); 2024: 1. chamber1: F5 (1).

Working groups: G1 2024-05-01 (组长 person1, a member from ent1); G2 2025-03-01; G3 2025-06-01 → dissolved 2025-11-30;
G4 2026-02-01; GO the other district's. At the end of 2025: G1 G2 (2); new in 2025: G2 G3 (2). Projects: J1 G1 done
2025-09-30 (appeals AP1 closed 2025-10-10 by ent1, AP2 closed 2024-12-01); J2 G2 推进中 (AP1, AP3 closed 2025-11-11 by
ent2); J3 G3 done 2025-10-31; J4 G1 done 2026-01-15. 2025: done J1 J3 (2), active now J2 (1), appeals closed AP1 AP3 (2,
AP1 once). chamber1 reads AP1 only (1).
"""

from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.appeals import services as appeal_services
from shanglian.appeals.models import Appeal, AppealCategory, Channel
from shanglian.common.models import DictItem
from shanglian.common.periods import Period
from shanglian.growth.figures import recruitment
from shanglian.growth.models import (
    ContactRequest,
    GroupMember,
    MembershipApplication,
    Post,
    Prospect,
    RecruitmentTarget,
)
from shanglian.members.models import Membership
from shanglian.ui.figures import NO_DATA, YEAR_AGO, compute

SHANGHAI = ZoneInfo("Asia/Shanghai")
YEAR = Period.year(2025)


def at(y, m, d, hh=10, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


def _dated(model, obj, **fields):
    model.objects.filter(pk=obj.pk).update(**fields)
    obj.refresh_from_db()
    return obj


def _appeal(cast, enterprise, title, closed_at):
    appeal = appeal_services.submit_appeal(actor=cast.users.staff, enterprise=enterprise,
                                           category=AppealCategory.objects.get(code="finance"), title=title,
                                           content=f"{title}，请协调办理。", channel=Channel.PHONE)
    return _dated(Appeal, appeal, status="closed", closed_at=closed_at)


def build_dataset(cast):
    district, other, staff = cast.district, cast.other, cast.users.staff
    individual_type = DictItem.objects.get(kind="enterprise_type", code="individual")
    e3 = testing.make_enterprise(district, name="天津河西新材料有限公司")
    e4 = testing.make_enterprise(district, name="浙江高新电子有限公司", chamber=cast.chamber1, is_local=False,
                                 is_high_tech=True)
    e5 = testing.make_enterprise(district, name="河西小王便利店", enterprise_type=individual_type)
    e6 = testing.make_enterprise(district, name="天津二六年科技有限公司")
    e7 = testing.make_enterprise(district, name="天津二四年商贸有限公司")
    eo = testing.make_enterprise(other, name="南开新会员有限公司")
    p3 = testing.make_person(district, name="李个人")
    members = SimpleNamespace(
        e3=testing.make_membership(district, e3, joined=date(2025, 3, 1)),
        e4=testing.make_membership(district, e4, joined=date(2025, 7, 1)),
        e5=testing.make_membership(district, e5, joined=date(2025, 11, 30), left=date(2025, 12, 15)),
        p3=testing.make_membership(district, p3, joined=date(2025, 5, 5)),
        chamber2=testing.make_membership(district, cast.chamber2, joined=date(2025, 2, 2)),
        e6=testing.make_membership(district, e6, joined=date(2026, 2, 1)),
        e7=testing.make_membership(district, e7, joined=date(2024, 6, 1)),
        eo=testing.make_membership(other, eo, joined=date(2025, 4, 1)),
    )
    for category, target in (("enterprise", 4), ("group", 1), ("private", 5), ("high_tech", 1)):
        RecruitmentTarget.objects.create(federation=district, year=2025, category=category, target=target)
    RecruitmentTarget.objects.create(federation=other, year=2025, category="enterprise", target=10)

    def prospect(created, **fields):
        found = testing.make_prospect(fields.pop("federation", district), **{"owner": staff, **fields})
        return _dated(Prospect, found, created_at=created)

    prospects = SimpleNamespace(
        r1=prospect(at(2025, 2, 1), stage="lead", source="registry", is_private=True),
        r2=prospect(at(2025, 4, 1), stage="contacted", source="referral", is_local=False, is_high_tech=True,
                    chamber=cast.chamber1),
        r3=prospect(at(2025, 6, 1), stage="visited", source="event", member_kind="group"),
        r4=prospect(at(2025, 3, 3), stage="joined", source="registry", stage_changed_on=date(2025, 8, 8)),
        r5=prospect(at(2025, 5, 5), stage="abandoned", source="supply_chain", abandon_reason="企业无意愿"),
        r6=prospect(at(2026, 3, 1), stage="lead"),
        ro=prospect(at(2025, 3, 3), stage="lead", federation=other, owner=cast.users.outsider_staff),
    )

    def applicant(name):
        enterprise = testing.make_enterprise(district, name=name)
        return enterprise, testing.make_user(Role.ENTERPRISE, enterprise=enterprise)

    na1, na1_user = applicant("申请一有限公司")
    na2, na2_user = applicant("申请二有限公司")
    na3, na3_user = applicant("申请三有限公司")
    applications = SimpleNamespace(
        a1=_dated(MembershipApplication, testing.make_application(na1, na1_user, status="approved"),
                  submitted_at=at(2025, 3, 10), decided_at=at(2025, 3, 20), decided_by=staff),
        a2=_dated(MembershipApplication, testing.make_application(na2, na2_user, status="refused",
                                                                  refusal_reason="材料不全"),
                  submitted_at=at(2025, 11, 1), decided_at=at(2026, 1, 5), decided_by=staff),
        a3=_dated(MembershipApplication, testing.make_application(na3, na3_user, chamber=cast.chamber1),
                  submitted_at=at(2025, 12, 31, 23, 30)),
        a4=_dated(MembershipApplication, testing.make_application(na1, na1_user, status="withdrawn"),
                  submitted_at=at(2024, 12, 31, 23, 59)),
    )
    enrollments = SimpleNamespace(
        n1=testing.make_enrollment(cast.ent1, by=staff, enrolled_on=date(2024, 5, 1), liaison=staff),
        n2=testing.make_enrollment(cast.ent1, by=staff, programme="key_enterprise", enrolled_on=date(2025, 2, 1),
                                   ended_on=date(2025, 10, 1)),
        n3=testing.make_enrollment(cast.ent2, by=staff, enrolled_on=date(2025, 6, 1), ended_on=date(2025, 12, 31)),
        n4=testing.make_enrollment(e3, by=staff, enrolled_on=date(2025, 12, 31)),
        n5=testing.make_enrollment(e4, by=staff, programme="startup", enrolled_on=date(2026, 1, 10)),
        no=testing.make_enrollment(cast.ent_other, by=cast.users.outsider_staff, enrolled_on=date(2025, 1, 1)),
    )
    for enterprise, listed in ((cast.ent1, True), (cast.ent2, True), (e5, True), (e3, False),
                               (cast.ent_other, True)):
        testing.make_listing(enterprise, listed=listed)

    def post(enterprise, category, created, **fields):
        return _dated(Post, testing.make_post(enterprise, by=staff, category=category, **fields), created_at=created)

    posts = SimpleNamespace(
        t1=post(cast.ent1, "purchase", at(2025, 3, 1), title="采购电子元器件"),
        t2=post(cast.ent2, "supply", at(2025, 4, 1), title="供应包装材料"),
        t3=post(cast.ent1, "financing", at(2025, 9, 1), title="融资500万元", status="closed", closed_reason="已融资"),
        t4=post(e3, "hiring", at(2026, 2, 1), title="招聘技工"),
        to=post(cast.ent_other, "purchase", at(2025, 3, 1), title="外区采购"),
    )

    def request(post_, requester, made, status, decided=None):
        found = testing.make_contact_request(post_, requester, by=staff)
        return _dated(ContactRequest, found, created_at=made, status=status, decided_at=decided)

    requests = SimpleNamespace(
        q1=request(posts.t1, cast.ent2, at(2025, 3, 5), "accepted", at(2025, 3, 6)),
        q2=request(posts.t2, cast.ent1, at(2025, 4, 10), "declined", at(2025, 4, 11)),
        q3=request(posts.t1, e3, at(2025, 12, 20), "accepted", at(2026, 1, 2)),
    )
    events = SimpleNamespace(
        f1=testing.make_event(district, kind="financing", starts_at=at(2025, 5, 20), status="finished"),
        f2=testing.make_event(district, kind="financing", starts_at=at(2025, 8, 8), status="finished"),
        f3=testing.make_event(district, kind="financing", starts_at=at(2025, 10, 1), status="cancelled"),
        f4=testing.make_event(district, kind="matchmaking", starts_at=at(2025, 6, 6), status="finished"),
        f5=testing.make_event(district, kind="job_fair", starts_at=at(2025, 3, 3), status="finished",
                              chamber=cast.chamber1),
        f6=testing.make_event(district, kind="training", starts_at=at(2025, 4, 4), status="finished"),
        f7=testing.make_event(district, kind="financing", starts_at=at(2024, 11, 11), status="finished"),
    )
    outcomes = SimpleNamespace(
        o1=testing.make_outcome(cast.ent1, by=staff, amount="1234567.89", reached_on=date(2025, 4, 1),
                                partner=cast.ent2, post=posts.t1),
        o2=testing.make_outcome(cast.ent2, by=staff, amount="0.01", reached_on=date(2025, 5, 1)),
        o3=testing.make_outcome(cast.ent1, by=staff, kind="financing", amount="5000000.00",
                                reached_on=date(2025, 9, 30), event=events.f1),
        o4=testing.make_outcome(e3, by=staff, kind="hiring", amount=None, jobs=12, reached_on=date(2025, 10, 10)),
        o5=testing.make_outcome(e4, by=staff, kind="hiring", amount=None, jobs=3, reached_on=date(2026, 3, 1)),
        oo=testing.make_outcome(cast.ent_other, by=cast.users.outsider_staff, amount="999",
                                reached_on=date(2025, 6, 1)),
    )
    groups = SimpleNamespace(
        g1=testing.make_working_group(district, name="融资服务组", established=date(2024, 5, 1), lead=cast.person1),
        g2=testing.make_working_group(district, name="人才服务组", established=date(2025, 3, 1)),
        g3=testing.make_working_group(district, name="临时工作组", established=date(2025, 6, 1),
                                      dissolved=date(2025, 11, 30)),
        g4=testing.make_working_group(district, name="数字化转型组", established=date(2026, 2, 1)),
        go=testing.make_working_group(other, name="南开工作组", established=date(2025, 1, 1)),
    )
    member = testing.make_person(district, name="赵组员", enterprise=cast.ent1)
    GroupMember.objects.create(group=groups.g1, person=member, enterprise=cast.ent1, joined=date(2024, 5, 1))
    appeals = SimpleNamespace(
        ap1=_appeal(cast, cast.ent1, "融资难题一", at(2025, 10, 10)),
        ap2=_appeal(cast, cast.ent1, "融资难题二", at(2024, 12, 1)),
        ap3=_appeal(cast, cast.ent2, "用工难题", at(2025, 11, 11)),
    )
    projects = SimpleNamespace(
        j1=testing.make_group_project(groups.g1, name="应急转贷", status="done", finished_on=date(2025, 9, 30),
                                      outcome="完成转贷3笔"),
        j2=testing.make_group_project(groups.g2, name="招聘月", status="active"),
        j3=testing.make_group_project(groups.g3, name="临时项目", start=date(2025, 6, 1), status="done",
                                      finished_on=date(2025, 10, 31), outcome="已完成"),
        j4=testing.make_group_project(groups.g1, name="担保增信", status="done", due=date(2026, 3, 1),
                                      finished_on=date(2026, 1, 15), outcome="已完成"),
    )
    projects.j1.appeals.add(appeals.ap1, appeals.ap2)
    projects.j2.appeals.add(appeals.ap1, appeals.ap3)
    return SimpleNamespace(e3=e3, e4=e4, e5=e5, e6=e6, e7=e7, eo=eo, p3=p3, members=members, prospects=prospects,
                           applications=applications, enrollments=enrollments, posts=posts, requests=requests,
                           events=events, outcomes=outcomes, groups=groups, appeals=appeals, projects=projects)


@pytest.fixture
def today():
    with time_machine.travel(datetime(2026, 6, 15, 10, tzinfo=SHANGHAI), tick=False):
        yield date(2026, 6, 15)


@pytest.fixture
def data(cast, today):
    return build_dataset(cast)


def value(key, user, period=YEAR, **narrowing):
    return compute(key, user=user, period=period, **narrowing).value


def pks(key, user, period=YEAR, **narrowing):
    return set(compute(key, user=user, period=period, **narrowing).records.values_list("pk", flat=True))


# --- recruitment -----------------------------------------------------------------------------------------------------
def test_new_members_are_counted_by_target_category(cast, data):
    staff = cast.users.staff
    assert pks("growth.new_members", staff) == {m.pk for m in (data.members.e3, data.members.e4, data.members.e5,
                                                                data.members.p3, data.members.chamber2)}
    expected = {"enterprise": 3, "group": 1, "individual": 1, "private": 2, "nonlocal": 1, "high_tech": 1}
    assert {category: value("growth.new_members", staff, category=category) for category in expected} == expected
    assert pks("growth.new_members", staff, category="nonlocal") == {data.members.e4.pk}


def test_new_members_agree_with_the_registrys_joined_figure(cast, data):
    staff = cast.users.staff
    assert value("growth.new_members", staff) == value("members.joined", staff) == 5


def test_targets_completion_and_gap_per_category(cast, data):
    rows = {row.category: row for row in recruitment.progress(cast.users.staff, YEAR)}
    assert (rows["enterprise"].target, rows["enterprise"].joined, rows["enterprise"].rate, rows["enterprise"].gap) \
        == (4, 3, Decimal("75.0"), 1)
    assert (rows["group"].rate, rows["group"].gap) == (Decimal("100.0"), 0)
    assert (rows["private"].target, rows["private"].joined, rows["private"].rate, rows["private"].gap) \
        == (5, 2, Decimal("40.0"), 3)
    assert (rows["high_tech"].rate, rows["high_tech"].gap) == (Decimal("100.0"), 0)
    assert (rows["individual"].target, rows["individual"].rate, rows["individual"].gap) == (None, None, None)
    assert rows["nonlocal"].joined == 1 and rows["nonlocal"].gap is None
    assert {category: row.prospects for category, row in rows.items()} == {
        "enterprise": 2, "group": 1, "individual": 0, "private": 1, "nonlocal": 1, "high_tech": 1}


def test_the_whole_target_adds_up_the_three_member_kinds_only(cast, data):
    staff = cast.users.staff
    assert value("growth.target", staff) == 5  # 企业 4 + 团体 1; 私营 and 高新 overlap them
    assert value("growth.target_completion", staff) == Decimal("80.0")  # (3 + 1) ÷ 5
    assert value("growth.target_gap", staff) == 1
    assert value("growth.target_gap", staff, category="private") == 3
    assert value("growth.target_completion", staff, category="private") == Decimal("40.0")
    assert pks("growth.target", staff) == set(RecruitmentTarget.objects.filter(
        federation=cast.district, category__in=("enterprise", "group")).values_list("pk", flat=True))


def test_a_category_or_a_year_without_a_target_has_no_data(cast, data):
    staff = cast.users.staff
    assert value("growth.target_completion", staff, category="individual") is None
    assert compute("growth.target_gap", user=staff, period=Period.year(2024)).display == NO_DATA


def test_a_target_met_several_times_over_leaves_no_negative_gap(cast, data):
    RecruitmentTarget.objects.filter(federation=cast.district, category="enterprise").update(target=1)
    staff = cast.users.staff
    assert value("growth.target_gap", staff, category="enterprise") == 0
    assert value("growth.target_completion", staff, category="enterprise") == Decimal("300.0")
    assert value("growth.target_gap", staff) == 0  # 企业 0 + 团体 0, not 1 − 4


def test_targets_are_the_federations_a_chamber_secretary_is_refused(cast, data):
    with pytest.raises(PermissionDenied):
        compute("growth.target_completion", user=cast.users.chamber1, period=YEAR)
    assert value("growth.target", cast.users.outsider_staff) == 10


def test_targets_are_measured_on_the_year_to_date(cast, data):
    half = Period.custom(date(2025, 1, 1), date(2025, 6, 30))
    rows = {row.category: row for row in recruitment.progress(cast.users.staff, half)}
    assert rows["enterprise"].joined == 1  # E3 only: E4 joined 1 July


def test_prospects_by_stage_and_source(cast, data):
    staff = cast.users.staff
    p = data.prospects
    assert pks("growth.prospects_new", staff) == {p.r1.pk, p.r2.pk, p.r3.pk, p.r4.pk, p.r5.pk}
    assert {stage: value("growth.prospects_new", staff, stage=stage)
            for stage in ("lead", "contacted", "visited", "applied", "joined", "abandoned")} == {
        "lead": 1, "contacted": 1, "visited": 1, "applied": 0, "joined": 1, "abandoned": 1}
    assert {source: value("growth.prospects_new", staff, source=source)
            for source in ("registry", "referral", "event", "supply_chain", "other")} == {
        "registry": 2, "referral": 1, "event": 1, "supply_chain": 1, "other": 0}
    assert pks("growth.prospects_open", staff) == {p.r1.pk, p.r2.pk, p.r3.pk}
    assert pks("growth.prospects_open", staff, category="nonlocal") == {p.r2.pk}
    assert pks("growth.prospects_joined", staff) == {p.r4.pk}


def test_an_unknown_stage_or_category_is_not_found(cast, data):
    with pytest.raises(Http404):
        compute("growth.prospects_new", user=cast.users.staff, period=YEAR, stage="nonsense")
    with pytest.raises(Http404):
        compute("growth.new_members", user=cast.users.staff, period=YEAR, category="nonsense")


def test_applications_received_and_decided_in_the_period(cast, data):
    staff, a = cast.users.staff, data.applications
    assert pks("growth.applications_received", staff) == {a.a1.pk, a.a2.pk, a.a3.pk}  # A3 at 23:30 on 31 Dec
    assert pks("growth.applications_approved", staff) == {a.a1.pk}
    assert value("growth.applications_refused", staff) == 0
    assert pks("growth.applications_refused", staff, Period.year(2026)) == {a.a2.pk}


def test_a_chamber_secretary_counts_its_own_recruitment(cast, data):
    chamber1 = cast.users.chamber1
    assert pks("growth.new_members", chamber1) == {data.members.e4.pk}
    assert pks("growth.prospects_new", chamber1) == {data.prospects.r2.pk}
    assert pks("growth.applications_received", chamber1) == {data.applications.a3.pk}
    assert pks("growth.new_members", cast.users.chamber2) == {data.members.chamber2.pk}  # its own group membership


# --- service enrollment and the directory ------------------------------------------------------------------------
def test_enrolled_enterprises_are_distinct_and_in_force_at_the_periods_end(cast, data):
    staff = cast.users.staff
    assert pks("growth.enrolled", staff) == {cast.ent1.pk, data.e3.pk}  # ent2 left on 31 Dec, N2 ended in October
    shuangwan = DictItem.objects.get(kind="service_programme", code="shuangwan")
    assert value("growth.enrolled", staff, programme=shuangwan.pk) == 2
    assert compute("growth.enrolled", user=staff, period=YEAR, compare=YEAR_AGO).year_ago == 1  # N1 on 31 Dec 2024
    assert value("growth.enrolled", staff, Period.year(2026)) == 3  # today: ent1, E3, E4


def test_newly_enrolled_enterprises_are_counted_once(cast, data):
    staff = cast.users.staff
    assert pks("growth.enrolled_new", staff) == {cast.ent1.pk, cast.ent2.pk, data.e3.pk}
    key_enterprise = DictItem.objects.get(kind="service_programme", code="key_enterprise")
    assert pks("growth.enrolled_new", staff, programme=key_enterprise.pk) == {cast.ent1.pk}


def test_a_programme_that_is_not_a_service_programme_is_not_found(cast, data):
    training = DictItem.objects.get(kind="event_kind", code="training")
    with pytest.raises(Http404):
        compute("growth.enrolled", user=cast.users.staff, period=YEAR, programme=training.pk)


def test_a_chamber_secretary_counts_its_members_enrollments(cast, data):
    assert pks("growth.enrolled", cast.users.chamber1) == {cast.ent1.pk}
    assert pks("growth.enrolled", cast.users.outsider_staff) == {cast.ent_other.pk}


def test_listed_members_are_listed_and_in_force_today(cast, data):
    listed = compute("growth.listed", user=cast.users.staff, period=YEAR).records
    assert {entry.enterprise_id for entry in listed} == {cast.ent1.pk, cast.ent2.pk}  # E5 left, E3 unlisted


# --- the board -------------------------------------------------------------------------------------------------------
def test_posts_and_contact_requests_by_category(cast, data):
    staff, t, q = cast.users.staff, data.posts, data.requests
    assert pks("growth.posts", staff) == {t.t1.pk, t.t2.pk, t.t3.pk}
    assert value("growth.posts", staff, category="financing") == 1
    assert pks("growth.contact_requests", staff) == {q.q1.pk, q.q2.pk, q.q3.pk}
    assert value("growth.contact_requests", staff, category="purchase") == 2
    assert pks("growth.contacts_accepted", staff) == {q.q1.pk}  # Q3 was accepted in 2026


def test_a_chamber_secretary_reads_the_open_posts_but_no_contact_request(cast, data):
    assert pks("growth.posts", cast.users.chamber1) == {data.posts.t1.pk, data.posts.t2.pk}
    with pytest.raises(PermissionDenied):
        compute("growth.contact_requests", user=cast.users.chamber1, period=YEAR)


def test_outcome_amounts_are_summed_to_the_fen_and_shown_in_wan(cast, data):
    staff = cast.users.staff
    assert value("growth.outcomes", staff) == 4
    assert value("growth.outcomes", staff, kind="hiring") == 1
    assert value("growth.deals", staff) == 2
    assert value("growth.deal_amount", staff) == Decimal("123.46")  # 1,234,567.89 + 0.01 = 1,234,567.90 元
    assert value("growth.financing_amount", staff) == Decimal("500.00")
    assert value("growth.jobs", staff) == 12
    assert pks("growth.deal_amount", staff) == {data.outcomes.o1.pk, data.outcomes.o2.pk}


def test_no_outcome_is_zero_not_missing(cast, data):
    staff, quiet = cast.users.staff, Period.year(2023)
    assert (value("growth.deal_amount", staff, quiet), value("growth.jobs", staff, quiet)) == (Decimal("0.00"), 0)


def test_a_chamber_secretary_counts_its_members_outcomes(cast, data):
    chamber1 = cast.users.chamber1
    assert pks("growth.outcomes", chamber1) == {data.outcomes.o1.pk, data.outcomes.o3.pk}
    assert value("growth.deal_amount", chamber1) == Decimal("123.46")
    assert value("growth.jobs", chamber1) == 0


def test_matchmaking_events_held_by_kind(cast, data):
    staff, f = cast.users.staff, data.events
    assert pks("growth.matchmaking_events", staff) == {f.f1.pk, f.f2.pk, f.f4.pk, f.f5.pk}  # F3 cancelled, F6 training
    financing = DictItem.objects.get(kind="event_kind", code="financing")
    assert value("growth.matchmaking_events", staff, event_kind=financing.pk) == 2  # 融资推介会2次
    assert compute("growth.matchmaking_events", user=staff, period=YEAR, compare=YEAR_AGO).year_ago == 1
    assert pks("growth.matchmaking_events", cast.users.chamber1) == {f.f5.pk}
    training = DictItem.objects.get(kind="event_kind", code="training")
    with pytest.raises(Http404):
        compute("growth.matchmaking_events", user=staff, period=YEAR, event_kind=training.pk)


# --- working groups --------------------------------------------------------------------------------------------------
def test_working_groups_in_being_and_founded(cast, data):
    staff, g = cast.users.staff, data.groups
    assert pks("growth.groups", staff) == {g.g1.pk, g.g2.pk}  # G3 dissolved in November
    assert pks("growth.groups_new", staff) == {g.g2.pk, g.g3.pk}
    assert value("growth.groups", staff, Period.year(2026)) == 3  # today: G1, G2, G4
    assert value("growth.groups", cast.users.outsider_staff) == 1


def test_projects_done_and_appeals_resolved(cast, data):
    staff, j, ap = cast.users.staff, data.projects, data.appeals
    assert pks("growth.projects_done", staff) == {j.j1.pk, j.j3.pk}
    assert pks("growth.projects_active", staff) == {j.j2.pk}
    assert pks("growth.appeals_resolved", staff) == {ap.ap1.pk, ap.ap3.pk}  # AP1 linked twice, counted once
    assert value("growth.appeals_resolved", staff) == 2


def test_a_chamber_secretary_counts_only_the_linked_appeals_it_reads(cast, data):
    assert pks("growth.appeals_resolved", cast.users.chamber1) == {data.appeals.ap1.pk}
    assert value("growth.groups", cast.users.chamber1) == 2  # its federation's groups


def test_roles_without_the_registry_are_refused(cast, data):
    for role in ("dept1", "ent1", "auditor"):
        with pytest.raises(PermissionDenied):
            compute("growth.enrolled", user=getattr(cast.users, role), period=YEAR)


def test_membership_kinds_of_the_dataset_are_as_described(cast, data):
    assert Membership.objects.filter(federation=cast.district, joined__year=2025).count() == 5
