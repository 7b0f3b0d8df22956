"""Event figures on a hand-built district: every expected number is worked out by hand in the comments.

The cast's district (staff, chamber1, chamber2 …) with four more enterprises, two programmes and nine events
over 2024 and 2025, their invitations, check-ins (invitees and walk-ins) and feedback:

| event | kind            | organiser   | programme | starts (local)        | status    | check-ins (enterprise)                   | places |
|-------|-----------------|-------------|-----------|-----------------------|-----------|------------------------------------------|--------|
| A     | 培训班 training  | 工商联       | P         | 2025-03-10 09:00      | 已结束     | person1→ent1, e4 (pending), walk-in e5, walk-in — | 2 (person1, ent2) |
| B     | 研讨班 seminar   | chamber1    | P         | 2025-06-20 09:00      | 已结束     | ent1, e3 (代为参加)                        | 2      |
| C     | 早餐会 breakfast | 专委会        | —         | 2025-09-05 07:30      | 已结束     | ent2, ent_other                          | 2 (+ e5 候补) |
| D     | 论坛 forum       | chamber2    | —         | 2025-11-11 14:00      | 已结束     | three walk-ins                           | 1 (ent2, absent) |
| H     | 论坛 forum       | 工商联       | —         | 2025-01-01 00:10      | 已结束     | walk-in e4                               | 0      |
| E     | 培训班           | 工商联       | —         | 2025-12-01 09:00      | 已取消     | ent1 (never counted)                     | 1      |
| F     | 培训班           | 工商联       | —         | 2025-04-01 09:00      | 草稿       | —                                        | —      |
| G     | 培训班           | 工商联       | —         | 2024-12-31 23:50      | 已结束     | person1→ent1                             | 1      |
| I     | 恳谈会 dialogue  | chamber1    | —         | 2024-05-05 09:00      | 已结束     | ent1 (e3 accepted, absent)               | 2      |

Federation memberships (enterprise kind) of the district: ent1 and ent2 (2020, the cast's), e3 (2020, left
2025-06-01), e5 (joined 2025-03-01), e6 (2019); e4 is no member. Chamber1's members: ent1 and e3 (the cast's
2024-03-01) and e6. Feedback (2025): A person1 5, A walk-in 4, B ent1 3, D a walk-in 4; E ent1 1 (cancelled).
"""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from shanglian import testing
from shanglian.common.models import DictItem
from shanglian.common.periods import Period
from shanglian.events import figures
from shanglian.events.models import CheckIn, Feedback, Invitation, Programme
from shanglian.members.models import ChamberMembership
from shanglian.orgs.models import Committee
from shanglian.ui.figures import compute

SHANGHAI = ZoneInfo("Asia/Shanghai")
Y2025, Y2024 = Period.year(2025), Period.year(2024)


def at(*args):
    return datetime(*args, tzinfo=SHANGHAI)


def checkin(event, *, invitation=None, enterprise=None, name="到场人", method=CheckIn.Method.SCAN):
    if invitation is not None:
        enterprise = invitation.enterprise
        name = invitation.substitute_name or invitation.name
    return CheckIn.objects.create(event=event, invitation=invitation, enterprise=enterprise, name=name,
                                  method=method if invitation else CheckIn.Method.WALK_IN,
                                  checked_in_at=event.starts_at)


def invite(event, subject, status):
    return testing.make_invitation(event, subject, status=status)


@pytest.fixture
def data(cast):
    return build_dataset(cast)


def build_dataset(cast):
    """The dataset of the module's docstring (test_statistics_page.py uses it too)."""
    d, c = cast.district, cast
    e3 = testing.make_enterprise(d, name="E3企业", chamber=c.chamber1)
    e4 = testing.make_enterprise(d, name="E4企业")
    e5 = testing.make_enterprise(d, name="E5企业")
    e6 = testing.make_enterprise(d, name="E6企业", chamber=c.chamber1)
    testing.make_membership(d, e3, joined=date(2020, 1, 1), left=date(2025, 6, 1), status="left",
                            left_reason="企业注销")
    testing.make_membership(d, e5, joined=date(2025, 3, 1))
    testing.make_membership(d, e6, joined=date(2019, 1, 1))
    p = Programme.objects.create(federation=d, name="2025年度民营企业家培训", year=2025)
    Programme.objects.create(federation=d, name="杰青领航")
    committee = Committee.objects.create(federation=d, name="科技创新委员会")
    ev = testing.make_event

    a = ev(d, kind="training", title="A", starts_at=at(2025, 3, 10, 9), status="finished", programme=p)
    a_p1 = invite(a, c.person1, Invitation.Status.ACCEPTED)
    invite(a, c.ent2, Invitation.Status.ACCEPTED)
    invite(a, e3, Invitation.Status.DECLINED)
    a_e4 = invite(a, e4, Invitation.Status.PENDING)
    fb_a1 = checkin(a, invitation=a_p1)
    checkin(a, invitation=a_e4)
    fb_a2 = checkin(a, enterprise=e5, name="E5来人")
    checkin(a, name="路人甲")

    b = ev(d, kind="seminar", title="B", starts_at=at(2025, 6, 20, 9), status="finished", chamber=c.chamber1,
           programme=p)
    fb_b = checkin(b, invitation=invite(b, c.ent1, Invitation.Status.ACCEPTED))
    b_e3 = invite(b, e3, Invitation.Status.SUBSTITUTE)
    b_e3.substitute_name = "E3代表"
    b_e3.save()
    checkin(b, invitation=b_e3)

    cc = ev(d, kind="breakfast", title="C", starts_at=at(2025, 9, 5, 7, 30), status="finished",
            committee=committee)
    cc.organiser = "committee"
    cc.save()
    checkin(cc, invitation=invite(cc, c.ent2, Invitation.Status.ACCEPTED))
    checkin(cc, invitation=invite(cc, c.ent_other, Invitation.Status.ACCEPTED))
    invite(cc, e5, Invitation.Status.WAITLISTED)

    dd = ev(d, kind="forum", title="D", starts_at=at(2025, 11, 11, 14), status="finished", chamber=c.chamber2)
    invite(dd, c.ent2, Invitation.Status.ACCEPTED)
    fb_d = checkin(dd, name="来宾一")
    checkin(dd, name="来宾二")
    checkin(dd, name="来宾三")

    h = ev(d, kind="forum", title="H", starts_at=at(2025, 1, 1, 0, 10), status="finished")
    checkin(h, enterprise=e4, name="E4来人")

    e = ev(d, kind="training", title="E", starts_at=at(2025, 12, 1, 9), status="cancelled")
    fb_e = checkin(e, invitation=invite(e, c.ent1, Invitation.Status.ACCEPTED))
    ev(d, kind="training", title="F", starts_at=at(2025, 4, 1, 9), status="draft")

    g = ev(d, kind="training", title="G", starts_at=at(2024, 12, 31, 23, 50), status="finished")
    checkin(g, invitation=invite(g, c.person1, Invitation.Status.ACCEPTED))
    i = ev(d, kind="dialogue", title="I", starts_at=at(2024, 5, 5, 9), status="finished", chamber=c.chamber1)
    checkin(i, invitation=invite(i, c.ent1, Invitation.Status.ACCEPTED))
    invite(i, e3, Invitation.Status.ACCEPTED)

    for row, score in ((fb_a1, 5), (fb_a2, 4), (fb_b, 3), (fb_d, 4), (fb_e, 1)):
        Feedback.objects.create(checkin=row, score=score)
    return {"p": p, "committee": committee, "e3": e3, "e4": e4, "e5": e5, "e6": e6, "events": {
        "A": a, "B": b, "C": cc, "D": dd, "H": h, "E": e, "G": g, "I": i}}


def value(key, user, period=Y2025, **kwargs):
    return compute(key, user=user, period=period, **kwargs).value


# --- counts -------------------------------------------------------------------------------------------------
def test_events_held_are_those_started_in_the_period_neither_draft_nor_cancelled(cast, data):
    staff = cast.users.staff
    # 2025: A, B, C, D, H (H starts 00:10 on 1 January local: 2024-12-31 UTC); not E (cancelled), F (draft)
    assert value("events.held", staff) == 5
    assert {e.title for e in compute("events.held", user=staff, period=Y2025).records} == {"A", "B", "C", "D", "H"}
    # 2024: G (23:50 on 31 December local) and I
    assert value("events.held", staff, Y2024) == 2


def test_trainings_are_the_training_kinds(cast, data):
    staff = cast.users.staff
    assert value("events.trainings", staff) == 2  # A 培训班, B 研讨班
    assert value("events.trainings", staff, Y2024) == 1  # G


def test_attendance_counts_every_checkin_of_the_held_events(cast, data):
    staff = cast.users.staff
    # A 4 (two invitees, two walk-ins) + B 2 + C 2 + D 3 + H 1 = 12; E's check-in is of a cancelled event
    assert value("events.attendance", staff) == 12
    assert value("events.training_attendance", staff) == 6  # A 4 + B 2
    assert value("events.attendance", staff, Y2024) == 2  # G 1 + I 1
    assert value("events.training_attendance", staff, Y2024) == 1


def test_turnout_is_invitees_checked_in_over_places_taken(cast, data):
    staff = cast.users.staff
    # invitees checked in: A 2 (person1, e4 who never answered), B 2, C 2 = 6; places: A 2, B 2 (one 代为参加),
    # C 2 (e5 候补 holds none), D 1 → 7; 6 / 7 = 85.7 %
    found = compute("events.turnout", user=staff, period=Y2025)
    assert found.value == Decimal("85.7")
    assert found.records.count() == 7
    # 2024: G 1 + I 1 checked in, places G 1 + I 2 = 3 → 66.7 %
    assert value("events.turnout", staff, Y2024) == Decimal("66.7")


def test_satisfaction_is_the_mean_feedback_in_hundred_points(cast, data):
    staff = cast.users.staff
    # 5, 4, 3, 4 → mean 4.0 → 80.0; the cancelled event's 1 is not counted
    found = compute("events.satisfaction", user=staff, period=Y2025)
    assert found.value == Decimal("80.0") and found.records.count() == 4
    assert value("events.satisfaction", staff, Y2024) is None  # no feedback: nothing to average


# --- participation ------------------------------------------------------------------------------------------
def test_member_participation_is_members_in_force_with_an_attendance(cast, data):
    staff = cast.users.staff
    # members on 2025-12-31: ent1, ent2, e5, e6 (e3 left on 2025-06-01) = 4;
    # attending in 2025: ent1 (A, B), ent2 (C), e5 (A walk-in); e6 never → 3 / 4 = 75.0 %
    found = compute("events.member_participation", user=staff, period=Y2025)
    assert found.value == Decimal("75.0")
    assert {e.name: e.attended for e in found.records} == {cast.ent1.name: 2, cast.ent2.name: 1, "E5企业": 1,
                                                           "E6企业": 0}
    assert value("events.members_attending", staff) == 3
    # 2024: members on 2024-12-31 ent1, ent2, e3, e6 (e5 joins in 2025) = 4; only ent1 attended (G, I) → 25.0 %
    assert value("events.member_participation", staff, Y2024) == Decimal("25.0")


def test_enterprise_participation_is_every_enterprise_of_the_district(cast, data):
    staff = cast.users.staff
    # the district's enterprises: ent1, ent2, e3, e4, e5, e6 = 6; attending in 2025: ent1, ent2, e3 (B), e4 (A,
    # H), e5 → 5; ent_other came to C but is of another district: not counted → 5 / 6 = 83.3 %
    found = compute("events.enterprise_participation", user=staff, period=Y2025)
    assert found.value == Decimal("83.3") and found.records.count() == 6
    assert value("events.enterprises_attending", staff) == 5
    assert value("events.enterprise_participation", staff, Y2024) == Decimal("16.7")  # ent1 alone: 1 / 6


def test_participation_in_a_programme(cast, data):
    staff, p = cast.users.staff, data["p"].pk
    # programme P = A and B: attending ent1, e4, e5 (A) and ent1, e3 (B);
    # members among them: ent1, e5 → 2 / 4 = 50.0 %; enterprises: ent1, e3, e4, e5 → 4 / 6 = 66.7 %
    assert value("events.member_participation", staff, programme=p) == Decimal("50.0")
    assert value("events.enterprise_participation", staff, programme=p) == Decimal("66.7")
    assert value("events.held", staff, programme=p) == 2
    assert value("events.attendance", staff, programme=p) == 6
    report = figures.period_report(staff, Y2025, programme=p)
    assert report.programme == figures.Participation(members=4, members_attending=2, enterprises=6,
                                                     enterprises_attending=4)


# --- breakdowns ---------------------------------------------------------------------------------------------
def test_the_period_by_kind_and_organiser(cast, data):
    staff = cast.users.staff
    report = figures.period_report(staff, Y2025)
    by_kind = {}
    for group in report.groups:
        by_kind[group.kind[1]] = by_kind.get(group.kind[1], figures.Counts()) + group.counts
    # 培训班 A (4 check-ins, 2 invitees, 2 places); 研讨班 B (2, 2, 2); 早餐会 C (2, 2, 2); 论坛 D + H (4, 0, 1)
    assert by_kind == {"培训班": figures.Counts(1, 4, 2, 2), "研讨班": figures.Counts(1, 2, 2, 2),
                       "早餐会": figures.Counts(1, 2, 2, 2), "论坛": figures.Counts(2, 4, 0, 1)}
    by_organiser = {}
    for group in report.groups:
        by_organiser[group.organiser[5]] = by_organiser.get(group.organiser[5], 0) + group.counts.events
    assert by_organiser == {cast.district.name: 2, cast.chamber1.name: 1, "科技创新委员会": 1, cast.chamber2.name: 1}
    assert report.all == figures.Counts(5, 12, 6, 7) and report.trainings == figures.Counts(2, 6, 4, 4)
    assert report.participation == figures.Participation(members=4, members_attending=3, enterprises=6,
                                                         enterprises_attending=5)
    assert (report.score, report.feedback) == (Decimal("80.0"), 4)


def test_the_years_by_kind_and_organiser(cast, data):
    staff = cast.users.staff
    kinds = {code: pk for pk, _label, code in figures.event_kinds()}
    rows = {row.year: row for row in figures.year_rows(staff, range(2023, 2026))}
    assert rows[2023].all == figures.Counts()
    # 2024: G (training, federation, 1) and I (dialogue, chamber1, 1)
    assert rows[2024].by_kind == {kinds["training"]: figures.Counts(1, 1), kinds["dialogue"]: figures.Counts(1, 1)}
    assert rows[2024].by_organiser == {"federation": figures.Counts(1, 1), "chamber": figures.Counts(1, 1)}
    # 2025: federation A + H (2 events, 5), chamber B + D (2, 5), committee C (1, 2)
    assert rows[2025].by_organiser == {"federation": figures.Counts(2, 5), "chamber": figures.Counts(2, 5),
                                       "committee": figures.Counts(1, 2)}
    assert rows[2025].all == figures.Counts(5, 12)
    assert rows[2025].by_kind[kinds["forum"]] == figures.Counts(2, 4)


def test_a_drill_down_row_narrows_the_records(cast, data):
    staff = cast.users.staff
    forum = DictItem.objects.get(kind="event_kind", code="forum").pk
    assert value("events.held", staff, kind=forum) == 2  # D and H
    assert value("events.attendance", staff, organiser="chamber", chamber=cast.chamber1.pk) == 2  # B
    assert value("events.held", staff, organiser="committee", committee=data["committee"].pk) == 1  # C
    assert value("events.held", staff, organiser="federation", federation=cast.district.pk) == 2  # A, H


# --- scope --------------------------------------------------------------------------------------------------
def test_a_chamber_secretary_sees_only_its_chambers_events(cast, data):
    chamber1 = cast.users.chamber1
    # chamber1's events: B (2025), I (2024)
    assert value("events.held", chamber1) == 1 and value("events.trainings", chamber1) == 1
    assert value("events.attendance", chamber1) == 2
    assert value("events.held", chamber1, Y2024) == 1
    # its members on 2025-12-31: ent1, e3, e6 (chamber memberships in force) = 3; at B: ent1, e3 → 66.7 %
    assert value("events.member_participation", chamber1) == Decimal("66.7")
    assert value("events.enterprise_participation", chamber1) == Decimal("66.7")
    # programme P, as chamber1 sees it: B alone
    assert value("events.attendance", chamber1, programme=data["p"].pk) == 2
    chamber2 = cast.users.chamber2
    assert value("events.held", chamber2) == 1 and value("events.attendance", chamber2) == 3  # D


def test_a_suspended_chamber_member_is_no_member_of_the_chamber(cast, data):
    ChamberMembership.objects.filter(enterprise=data["e6"], chamber=cast.chamber1).update(status="suspended")
    # chamber1's members now ent1 and e3; both came to B → 100.0 %
    assert value("events.member_participation", cast.users.chamber1) == Decimal("100.0")


def test_an_outsider_sees_nothing_and_others_are_refused(cast, data):
    outsider = cast.users.outsider_staff
    for key in ("events.held", "events.attendance", "events.members_attending"):
        assert value(key, outsider) == 0
    assert value("events.turnout", outsider) is None and value("events.satisfaction", outsider) is None
    for user in (cast.users.dept1, cast.users.ent1, cast.users.auditor):
        with pytest.raises(PermissionDenied):
            compute("events.held", user=user, period=Y2025)
        with pytest.raises(PermissionDenied):
            compute("events.member_participation", user=user, period=Y2025)


def test_another_scopes_programme_or_chamber_is_404(cast, data):
    chamber1 = cast.users.chamber1
    other = Programme.objects.create(federation=cast.other, name="南开培训")
    with pytest.raises(Http404):
        compute("events.held", user=cast.users.staff, period=Y2025, programme=other.pk)
    with pytest.raises(Http404):
        compute("events.held", user=chamber1, period=Y2025, chamber=cast.chamber2.pk)
    jq = Programme.objects.get(name="杰青领航")  # chamber1's events belong to no such programme
    with pytest.raises(Http404):
        compute("events.held", user=chamber1, period=Y2025, programme=jq.pk)
    with pytest.raises(Http404):
        compute("events.held", user=cast.users.outsider_staff, period=Y2025, committee=data["committee"].pk)
