"""The event services' rules: invitations, RSVP with capacity and waitlist, the door's three answers,
statutory meetings' quorum and resolutions, the rotating chair's roster."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.common.errors import Refused
from shanglian.events import selectors, services, tokens
from shanglian.events.models import ChairDuty, CheckIn, Event, Invitation, QuorumRule, Resolution, Scan
from shanglian.events.services import Answer, Invitees
from shanglian.notifications.models import Notification, SmsMessage
from shanglian.orgs.models import Position, Term

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def reference_data(db):
    testing.ensure_reference_data()


@pytest.fixture
def firms(cast):
    """Three more enterprises of the district, each with its enterprise user."""
    rows = []
    for n in range(3):
        firm = testing.make_enterprise(cast.district, name=f"河西测试企业{n}")
        rows.append((firm, testing.make_user("enterprise", enterprise=firm)))
    return rows


# --- invitations ---------------------------------------------------------------------------------------------
def test_invite_skips_those_already_invited(cast):
    event = testing.make_event(cast.district, status=Event.Status.DRAFT)
    first = services.invite(actor=cast.users.staff, event=event, who=Invitees(persons=[cast.person1]))
    again = services.invite(actor=cast.users.staff, event=event,
                            who=Invitees(persons=[cast.person1], enterprises=[cast.ent2]))
    assert len(first) == 1 and len(again) == 1
    assert first[0].enterprise_id == cast.ent1.pk  # the person's enterprise: its users see the invitation
    assert event.invitations.count() == 2


def test_invite_by_chamber_takes_its_members_in_force(cast):
    event = testing.make_event(cast.district, status=Event.Status.DRAFT)
    services.invite(actor=cast.users.staff, event=event, who=Invitees(chamber=cast.chamber1))
    assert list(event.invitations.values_list("enterprise_id", flat=True)) == [cast.ent1.pk]


def test_invite_from_an_earlier_events_attendees(cast):
    earlier = testing.make_event(cast.district, starts_at=timezone.now() - timedelta(days=30))
    came = testing.make_invitation(earlier, cast.person1)
    testing.make_invitation(earlier, cast.ent2)
    CheckIn.objects.create(event=earlier, invitation=came, name=came.name, method=CheckIn.Method.SCAN)
    event = testing.make_event(cast.district, status=Event.Status.DRAFT)
    services.invite(actor=cast.users.staff, event=event, who=Invitees(like_event=earlier, attended_only=True))
    assert list(event.invitations.values_list("person_id", flat=True)) == [cast.person1.pk]


def test_sms_invitation_to_a_person_without_a_mobile_writes_nothing(cast):
    event = testing.make_event(cast.district, status=Event.Status.DRAFT)
    nobile = testing.make_person(cast.district, name="赵无机", mobile="")
    with pytest.raises(ValidationError, match="没有手机号.*赵无机"):
        services.invite(actor=cast.users.staff, event=event, who=Invitees(persons=[cast.person1, nobile]),
                        channel=Invitation.Channel.SMS)
    assert not event.invitations.exists()


def test_publishing_sends_the_drafts_invitations(cast, django_capture_on_commit_callbacks):
    event = testing.make_event(cast.district, status=Event.Status.DRAFT)
    services.invite(actor=cast.users.staff, event=event, who=Invitees(enterprises=[cast.ent1]))
    assert not Notification.objects.filter(recipient=cast.users.ent1).exists()
    services.publish_event(actor=cast.users.staff, event=event)
    assert Notification.objects.filter(recipient=cast.users.ent1, kind="event_invitation").exists()


def test_chamber_secretary_invites_only_for_its_own_chamber(cast):
    theirs = testing.make_event(cast.district, chamber=cast.chamber2, status=Event.Status.DRAFT)
    with pytest.raises(PermissionDenied):
        services.invite(actor=cast.users.chamber1, event=theirs, who=Invitees(enterprises=[cast.ent1]))
    mine = testing.make_event(cast.district, chamber=cast.chamber1, status=Event.Status.DRAFT)
    with pytest.raises(PermissionDenied):  # ent2 is not a member of chamber1
        services.invite(actor=cast.users.chamber1, event=mine, who=Invitees(enterprises=[cast.ent2]))
    assert services.invite(actor=cast.users.chamber1, event=mine, who=Invitees(enterprises=[cast.ent1]))


def test_leader_cannot_invite(cast):
    event = testing.make_event(cast.district, status=Event.Status.DRAFT)
    with pytest.raises(PermissionDenied):
        services.invite(actor=cast.users.leader, event=event, who=Invitees(enterprises=[cast.ent1]))


# --- RSVP, capacity, waitlist -------------------------------------------------------------------------------
def test_capacity_puts_the_next_yes_on_the_waitlist_and_a_decline_promotes_it(cast, firms):
    event = testing.make_event(cast.district, capacity=2)
    invitations = [testing.make_invitation(event, firm) for firm, _ in firms]
    users = [user for _, user in firms]
    assert services.rsvp(actor=users[0], invitation=invitations[0], answer=Answer.ACCEPT).status == "accepted"
    assert services.rsvp(actor=users[1], invitation=invitations[1], answer=Answer.SUBSTITUTE,
                         substitute_name="李代表").status == "substitute"
    third = services.rsvp(actor=users[2], invitation=invitations[2], answer=Answer.ACCEPT)
    assert third.status == "waitlisted"
    assert selectors.places_taken(event) == 2
    services.rsvp(actor=users[0], invitation=invitations[0], answer=Answer.DECLINE)
    third.refresh_from_db()
    assert third.status == "accepted"
    assert selectors.places_taken(event) == 2
    assert Notification.objects.filter(recipient=users[2], kind="event_waitlist").exists()


def test_waitlisted_invitee_answering_yes_again_stays_on_the_waitlist(cast, firms):
    event = testing.make_event(cast.district, capacity=1)
    (a, ua), (b, ub) = firms[0], firms[1]
    ia, ib = testing.make_invitation(event, a), testing.make_invitation(event, b)
    services.rsvp(actor=ua, invitation=ia, answer=Answer.ACCEPT)
    services.rsvp(actor=ub, invitation=ib, answer=Answer.ACCEPT)
    assert services.rsvp(actor=ub, invitation=ib, answer=Answer.ACCEPT).status == "waitlisted"
    assert selectors.places_taken(event) == 1


def test_rsvp_after_the_deadline_is_refused_and_changes_nothing(cast):
    event = testing.make_event(cast.district, rsvp_deadline=timezone.now() + timedelta(minutes=5))
    invitation = testing.make_invitation(event, cast.ent1)
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        with pytest.raises(Refused, match="报名已于.*截止"):
            services.rsvp(actor=cast.users.ent1, invitation=invitation, answer=Answer.ACCEPT)
    invitation.refresh_from_db()
    assert invitation.status == "pending" and invitation.responded_at is None


def test_rsvp_is_taken_only_while_registration_is_open(cast):
    event = testing.make_event(cast.district, status=Event.Status.PUBLISHED)
    invitation = testing.make_invitation(event, cast.ent1)
    with pytest.raises(Refused, match="不接受报名"):
        services.rsvp(actor=cast.users.ent1, invitation=invitation, answer=Answer.ACCEPT)


def test_substitute_needs_a_name(cast):
    event = testing.make_event(cast.district)
    invitation = testing.make_invitation(event, cast.ent1)
    with pytest.raises(ValidationError, match="代参加人"):
        services.rsvp(actor=cast.users.ent1, invitation=invitation, answer=Answer.SUBSTITUTE)


def test_enterprise_cannot_answer_another_enterprises_invitation(cast):
    event = testing.make_event(cast.district)
    invitation = testing.make_invitation(event, cast.ent2)
    with pytest.raises(PermissionDenied):
        services.rsvp(actor=cast.users.ent1, invitation=invitation, answer=Answer.ACCEPT)


def test_cancelled_event_notifies_every_invitee_in_the_inbox_and_by_sms(cast, django_capture_on_commit_callbacks):
    event = testing.make_event(cast.district)
    testing.make_invitation(event, cast.person1)  # ent1's user sees it; person1 has a mobile
    testing.make_invitation(event, cast.ent2)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_event(actor=cast.users.staff, event=event, reason="场地临时检修")
    assert Notification.objects.filter(recipient=cast.users.ent1, kind="event_cancelled").exists()
    assert SmsMessage.objects.filter(template="event_cancelled", to_name="王建国").exists()
    event.refresh_from_db()
    assert event.status == "cancelled" and event.cancel_reason == "场地临时检修"


def test_cancel_needs_a_reason(cast):
    event = testing.make_event(cast.district)
    with pytest.raises(ValidationError):
        services.cancel_event(actor=cast.users.staff, event=event, reason="  ")
    event.refresh_from_db()
    assert event.status == "registration"


def test_finished_event_cannot_be_cancelled(cast):
    event = testing.make_event(cast.district, status=Event.Status.FINISHED)
    with pytest.raises(Refused, match="已结束"):
        services.cancel_event(actor=cast.users.staff, event=event, reason="不办了")


# --- the door ----------------------------------------------------------------------------------------------------
@pytest.fixture
def today(cast):
    """An event under way now, with ent1's person invited and answered yes."""
    event = testing.make_event(cast.district, starts_at=timezone.now() - timedelta(minutes=30))
    invitation = testing.make_invitation(event, cast.person1, status=Invitation.Status.ACCEPTED)
    return event, invitation


def test_a_scan_checks_in_and_a_second_scan_says_by_whom_and_when(cast, today):
    event, invitation = today
    code = tokens.for_invitation(invitation)
    first = services.scan(actor=cast.users.staff, event=event, payload=code, nonce="a1")
    assert first.result == "ok" and first.name == "王建国" and first.attended == 1
    second = services.scan(actor=cast.users.admin, event=event, payload=code, nonce="a2")
    when = timezone.localtime(CheckIn.objects.get().checked_in_at)
    assert second.result == "already"
    assert second.message == f"王建国 已于 {when:%H:%M} 由 staff 签到，不重复计数。"
    assert CheckIn.objects.count() == 1
    assert list(Scan.objects.order_by("id").values_list("result", flat=True)) == ["ok", "already"]


def test_the_same_scan_uploaded_again_is_answered_again_not_counted(cast, today):
    event, invitation = today
    code = tokens.for_invitation(invitation)
    first = services.scan(actor=cast.users.staff, event=event, payload=code, nonce="same-scan")
    again = services.scan(actor=cast.users.staff, event=event, payload=code, nonce="same-scan")
    assert again.repeat and again.result == "ok" and again.scan_id == first.scan_id
    assert CheckIn.objects.count() == 1 and Scan.objects.count() == 1


def test_a_forged_code_is_refused_and_logged(cast, today):
    event, invitation = today
    forged = tokens.for_invitation(invitation)[:-3] + "abc"
    answer = services.scan(actor=cast.users.staff, event=event, payload=forged)
    assert answer.result == "refused" and answer.reason == "forged" and "签名" in answer.message
    guessed = f"SLQ1:{invitation.code}"  # the bare code without a signature
    assert services.scan(actor=cast.users.staff, event=event, payload=guessed).reason == "forged"
    assert not CheckIn.objects.exists()
    assert Scan.objects.filter(result="refused").count() == 2


@pytest.mark.parametrize("payload", ["", "12345678901234567890", "NaN", '{"a": {"b": [1, 2]}}', "x" * 10_000,
                                     "SLE1:1.abc:zzz", "SLQ1:::"])
def test_odd_payloads_are_refused_never_raised(cast, today, payload):
    event, _ = today
    answer = services.scan(actor=cast.users.staff, event=event, payload=payload)
    assert answer.result == "refused" and answer.message
    assert not CheckIn.objects.exists()


def test_another_events_code_is_refused_naming_that_event(cast, today):
    event, _ = today
    other = testing.make_event(cast.district, title="另一场早餐会", starts_at=timezone.now())
    theirs = testing.make_invitation(other, cast.ent2, status=Invitation.Status.ACCEPTED)
    answer = services.scan(actor=cast.users.staff, event=event, payload=tokens.for_invitation(theirs))
    assert answer.reason == "other_event" and "另一场早餐会" in answer.message
    assert not CheckIn.objects.exists()


def test_a_cancelled_invitation_is_refused(cast, today):
    event, invitation = today
    Invitation.objects.filter(pk=invitation.pk).update(status=Invitation.Status.CANCELLED)  # withdrawn before
    answer = services.scan(actor=cast.users.staff, event=event, payload=tokens.for_invitation(invitation))
    assert answer.reason == "invitation_cancelled" and "已取消" in answer.message
    assert not CheckIn.objects.exists()


def test_a_scan_outside_the_events_day_is_refused(cast):
    event = testing.make_event(cast.district, starts_at=timezone.now() + timedelta(days=3))
    invitation = testing.make_invitation(event, cast.ent1, status=Invitation.Status.ACCEPTED)
    answer = services.scan(actor=cast.users.staff, event=event, payload=tokens.for_invitation(invitation))
    assert answer.reason == "outside_day" and "签到时间" in answer.message
    assert not CheckIn.objects.exists()


def test_a_waitlisted_invitee_is_refused_at_the_door(cast, today):
    event, _ = today
    waiting = testing.make_invitation(event, cast.ent2, status=Invitation.Status.WAITLISTED)
    assert services.scan(actor=cast.users.staff, event=event,
                         payload=tokens.for_invitation(waiting)).reason == "waitlisted"


def test_the_door_of_another_chamber_is_closed(cast, today):
    event, invitation = today
    with pytest.raises(PermissionDenied):
        services.scan(actor=cast.users.chamber2, event=event, payload=tokens.for_invitation(invitation))
    with pytest.raises(PermissionDenied):
        services.scan(actor=cast.users.leader, event=event, payload=tokens.for_invitation(invitation))
    assert not Scan.objects.exists()


def test_self_check_in_with_the_posted_code(cast, today):
    event, invitation = today
    answer = services.self_check_in(actor=cast.users.ent1, payload=tokens.for_event(event))
    assert answer.result == "ok"
    checkin = CheckIn.objects.get()
    assert checkin.method == "self" and checkin.checked_in_by is None and checkin.invitation == invitation
    again = services.self_check_in(actor=cast.users.ent1, payload=tokens.for_event(event))
    assert again.result == "already" and "本人自助" in again.message


def test_a_renewed_posted_code_makes_the_old_one_stale(cast, today):
    event, _ = today
    old = tokens.for_event(event)
    services.regenerate_checkin_code(actor=cast.users.staff, event=event)
    answer = services.self_check_in(actor=cast.users.ent1, payload=old)
    assert answer.reason == "stale_code"
    assert not CheckIn.objects.exists()


def test_self_check_in_of_an_enterprise_not_invited_is_refused(cast, today):
    event, _ = today
    other_user = testing.make_user("enterprise", enterprise=cast.ent2)
    answer = services.self_check_in(actor=other_user, payload=tokens.for_event(event))
    assert answer.reason == "not_invited"


def test_walk_in_is_counted_and_a_bad_mobile_is_refused(cast, today):
    event, _ = today
    with pytest.raises(ValidationError):
        services.register_walk_in(actor=cast.users.staff, event=event, name="临时来宾", mobile="1234")
    assert not CheckIn.objects.exists()
    walk_in = services.register_walk_in(actor=cast.users.staff, event=event, name="临时来宾",
                                        mobile="13912345678", organisation="河西某公司")
    assert walk_in.mobile_tail == "5678" and walk_in.invitation is None
    assert selectors.attendance(event)["walk_ins"] == 1


def test_every_check_in_is_audited(cast, today):
    event, invitation = today
    services.scan(actor=cast.users.staff, event=event, payload=tokens.for_invitation(invitation))
    assert AuditEvent.objects.filter(object_type="events.checkin", action="create").count() == 1


# --- statutory meetings --------------------------------------------------------------------------------------------
@pytest.fixture
def standing_meeting(cast):
    """A 常委会 of the district's current term with five members (主席, 2 副主席, 2 常委) invited, under way."""
    term = Term.objects.create(federation=cast.district, number=14, start=date(2024, 1, 1))
    titles = ["chairman", "vice_chairman", "vice_chairman", "standing", "standing"]
    persons = [testing.make_person(cast.district, name=f"常委{n}") for n in range(5)]
    for person, title in zip(persons, titles, strict=True):
        Position.objects.create(term=term, person=person, title=title)
    old = Term.objects.create(federation=cast.district, number=13, start=date(2019, 1, 1), end=date(2023, 12, 31))
    Position.objects.create(term=old, person=cast.person2, title="standing")  # not of the current term
    meeting = testing.make_event(cast.district, kind="standing", status=Event.Status.PUBLISHED,
                                 starts_at=timezone.now() - timedelta(minutes=10))
    services.invite_body(actor=cast.users.staff, event=meeting)
    services.start_event(actor=cast.users.staff, event=meeting)
    meeting.refresh_from_db()
    return meeting, persons


def _present(meeting, count):
    for invitation in meeting.invitations.order_by("id")[:count]:
        CheckIn.objects.create(event=meeting, invitation=invitation, name=invitation.name, method="scan")


def test_attendee_list_is_the_bodys_members_of_the_current_term(cast, standing_meeting):
    meeting, persons = standing_meeting
    assert set(meeting.invitations.values_list("person_id", flat=True)) == {p.pk for p in persons}


def test_no_resolution_without_a_quorum(cast, standing_meeting):
    meeting, _ = standing_meeting
    _present(meeting, 3)  # 3 of 5: below two thirds (needs 4)
    with pytest.raises(Refused, match="未达到法定人数.*应到5人，实到3人，至少需4人"):
        services.record_resolution(actor=cast.users.staff, event=meeting, title="审议年度工作报告",
                                   votes_for=3, votes_against=0, abstentions=0)
    assert not Resolution.objects.exists()


def test_a_resolution_passes_with_more_than_half_of_those_present(cast, standing_meeting):
    meeting, _ = standing_meeting
    _present(meeting, 4)
    passed = services.record_resolution(actor=cast.users.staff, event=meeting, title="议题一",
                                        votes_for=3, votes_against=1, abstentions=0)
    half = services.record_resolution(actor=cast.users.staff, event=meeting, title="议题二",
                                      votes_for=2, votes_against=1, abstentions=1)
    assert (passed.passed, passed.present, passed.eligible) == (True, 4, 5)
    assert half.passed is False  # 2 of 4 is not more than half


def test_a_bodys_own_rule_changes_the_outcome(cast, standing_meeting):
    meeting, _ = standing_meeting
    QuorumRule.objects.create(federation=cast.district, body="standing", quorum_numerator=1, quorum_denominator=2,
                              pass_numerator=2, pass_denominator=3)
    _present(meeting, 3)  # 3 of 5 ≥ half
    resolution = services.record_resolution(actor=cast.users.staff, event=meeting, title="议题",
                                            votes_for=2, votes_against=1, abstentions=0)
    assert resolution.passed is False  # 2 of 3 is not more than two thirds


def test_votes_beyond_those_present_are_refused(cast, standing_meeting):
    meeting, _ = standing_meeting
    _present(meeting, 4)
    with pytest.raises(ValidationError, match="超过实到人数"):
        services.record_resolution(actor=cast.users.staff, event=meeting, title="议题",
                                   votes_for=4, votes_against=1, abstentions=0)
    assert not Resolution.objects.exists()


# --- the rotating chair -----------------------------------------------------------------------------------------
@pytest.fixture
def chairs(cast):
    term = Term.objects.create(federation=cast.district, number=14, start=date(2024, 1, 1))
    chair = Position.objects.create(term=term, person=testing.make_person(cast.district, name="主席甲"),
                                    title="chairman")
    vice = Position.objects.create(term=term, person=testing.make_person(cast.district, name="副主席乙"),
                                   title="vice_chairman")
    standing = Position.objects.create(term=term, person=testing.make_person(cast.district, name="常委丙"),
                                       title="standing")
    return chair, vice, standing


def test_roster_of_consecutive_months(cast, chairs):
    chair, vice, _ = chairs
    services.plan_roster(actor=cast.users.staff, rows=[(date(2027, 1, 1), chair, "张某、李某"),
                                                        (date(2027, 2, 1), vice, "")])
    assert [d.position for d in selectors.roster(cast.users.ent1, year=2027)] == [chair, vice]


def test_roster_refuses_two_chairs_in_a_month(cast, chairs):
    chair, vice, _ = chairs
    with pytest.raises(Refused, match="2027年1月安排了两位"):
        services.plan_roster(actor=cast.users.staff, rows=[(date(2027, 1, 1), chair, ""), (date(2027, 1, 15), vice, "")])
    assert not ChairDuty.objects.exists()


def test_roster_refuses_a_month_with_no_chair(cast, chairs):
    chair, vice, _ = chairs
    with pytest.raises(Refused, match="2027年2月没有轮值主席"):
        services.plan_roster(actor=cast.users.staff, rows=[(date(2027, 1, 1), chair, ""), (date(2027, 3, 1), vice, "")])
    services.plan_roster(actor=cast.users.staff, rows=[(date(2027, 1, 1), chair, "")])
    with pytest.raises(Refused, match="2027年2月没有轮值主席"):
        services.plan_roster(actor=cast.users.staff, rows=[(date(2027, 3, 1), vice, "")])
    assert ChairDuty.objects.count() == 1


def test_roster_refuses_someone_who_is_not_a_chair(cast, chairs):
    _, _, standing = chairs
    with pytest.raises(Refused, match="主席、副主席"):
        services.plan_roster(actor=cast.users.staff, rows=[(date(2027, 1, 1), standing, "")])
    assert not ChairDuty.objects.exists()


def test_only_editors_plan_the_federations_roster(cast, chairs):
    chair, _, _ = chairs
    for user in (cast.users.leader, cast.users.chamber1, cast.users.ent1):
        with pytest.raises(PermissionDenied):
            services.plan_roster(actor=user, rows=[(date(2027, 1, 1), chair, "")])


def test_duty_log_day_must_be_in_the_month(cast, chairs):
    chair, _, _ = chairs
    [duty] = services.plan_roster(actor=cast.users.staff, rows=[(date(2027, 1, 1), chair, "")])
    with pytest.raises(ValidationError, match="2027年1月之内"):
        services.write_duty_log(actor=cast.users.staff, duty=duty, day=date(2027, 2, 1), content="接待企业")
    entry = services.write_duty_log(actor=cast.users.staff, duty=duty, day=date(2027, 1, 8), content="接待企业来访")
    assert entry.duty == duty


# --- scope -------------------------------------------------------------------------------------------------------
def test_chamber_secretary_sees_only_its_chambers_events(cast):
    mine = testing.make_event(cast.district, chamber=cast.chamber1)
    testing.make_event(cast.district, chamber=cast.chamber2)
    testing.make_event(cast.district)
    assert list(selectors.events_visible_to(cast.users.chamber1)) == [mine]


def test_enterprise_sees_only_its_own_invitations_and_no_drafts(cast):
    event = testing.make_event(cast.district)
    mine = testing.make_invitation(event, cast.ent1)
    testing.make_invitation(event, cast.ent2)
    draft = testing.make_event(cast.district, status=Event.Status.DRAFT)
    testing.make_invitation(draft, cast.ent1)
    assert list(selectors.my_invitations(cast.users.ent1)) == [mine]
    with pytest.raises(PermissionDenied):
        selectors.events_visible_to(cast.users.ent1)


def test_department_sees_no_events(cast):
    with pytest.raises(PermissionDenied):
        selectors.events_visible_to(cast.users.dept1)


def test_outsider_federation_does_not_see_the_districts_events(cast):
    testing.make_event(cast.district)
    assert not selectors.events_visible_to(cast.users.outsider_staff).exists()


# --- the review's cases ---------------------------------------------------------------------------------------------
def test_an_invitation_cannot_be_withdrawn_once_the_event_started(cast, today):
    _, invitation = today
    with pytest.raises(Refused, match="活动已开始"):
        services.cancel_invitation(actor=cast.users.staff, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.status == "accepted"


def test_an_invitee_who_declined_is_refused_at_the_door(cast, today):
    event, _ = today
    declined = testing.make_invitation(event, cast.ent2, status=Invitation.Status.DECLINED)
    answer = services.scan(actor=cast.users.staff, event=event, payload=tokens.for_invitation(declined))
    assert answer.reason == "declined" and "现场登记" in answer.message
    assert not CheckIn.objects.exists()


def test_the_log_never_keeps_a_code_that_checks_in(cast, today):
    event, invitation = today
    code = tokens.for_invitation(invitation)
    services.scan(actor=cast.users.staff, event=event, payload=code)
    services.scan(actor=cast.users.staff, event=event, payload=code)
    services.scan(actor=cast.users.staff, event=event, payload=tokens.for_event(event))
    payloads = list(Scan.objects.values_list("payload", flat=True))
    assert all(invitation.code not in p and event.checkin_code not in p for p in payloads), payloads


def test_another_chambers_event_is_not_named_to_a_chamber_secretary(cast):
    mine = testing.make_event(cast.district, chamber=cast.chamber1, starts_at=timezone.now())
    theirs = testing.make_event(cast.district, chamber=cast.chamber2, title="浙江商会年会", starts_at=timezone.now())
    invitation = testing.make_invitation(theirs, cast.ent2, status=Invitation.Status.ACCEPTED)
    answer = services.scan(actor=cast.users.chamber1, event=mine, payload=tokens.for_invitation(invitation))
    assert answer.reason == "other_event" and "浙江商会年会" not in answer.message


def test_self_check_in_never_picks_a_colleague(cast, today):
    event, first = today
    colleague = testing.make_person(cast.district, name="李同事", enterprise=cast.ent1)
    testing.make_invitation(event, colleague, status=Invitation.Status.ACCEPTED)
    services.self_check_in(actor=cast.users.ent1, payload=tokens.for_event(event), invitation=first)
    with pytest.raises(Refused, match="请选择签到人"):
        services.self_check_in(actor=cast.users.ent1, payload=tokens.for_event(event))
    assert CheckIn.objects.count() == 1


def test_the_waitlist_keeps_its_order_and_its_substitutes(cast, firms):
    event = testing.make_event(cast.district, capacity=1)
    (a, ua), (b, ub), (c, uc) = firms
    ia, ib, ic = (testing.make_invitation(event, firm) for firm in (a, b, c))
    services.rsvp(actor=ua, invitation=ia, answer=Answer.ACCEPT)
    services.rsvp(actor=ub, invitation=ib, answer=Answer.SUBSTITUTE, substitute_name="赵代表")
    services.rsvp(actor=uc, invitation=ic, answer=Answer.ACCEPT)
    services.rsvp(actor=ub, invitation=ib, answer=Answer.SUBSTITUTE, substitute_name="赵代表")  # answers again
    services.rsvp(actor=ua, invitation=ia, answer=Answer.DECLINE)
    ib.refresh_from_db()
    ic.refresh_from_db()
    assert (ib.status, ib.substitute_name) == ("substitute", "赵代表")  # first in the queue, with its substitute
    assert ic.status == "waitlisted"


def test_a_new_yes_queues_behind_the_waitlist_and_a_raised_capacity_promotes_it(cast, firms):
    from shanglian.events.forms import EventForm

    event = testing.make_event(cast.district, capacity=1)
    (a, ua), (b, ub), (c, uc) = firms
    ia, ib, ic = (testing.make_invitation(event, firm) for firm in (a, b, c))
    services.rsvp(actor=ua, invitation=ia, answer=Answer.ACCEPT)
    services.rsvp(actor=ub, invitation=ib, answer=Answer.ACCEPT)
    Event.objects.filter(pk=event.pk).update(capacity=2)  # a place appears without the queue being served
    event.refresh_from_db()
    assert services.rsvp(actor=uc, invitation=ic, answer=Answer.ACCEPT).status == "waitlisted"
    form = EventForm(instance=event, user=cast.users.staff, data={
        **{f: getattr(event, f) for f in ("title", "venue", "organiser", "leaders", "programme_text", "description")},
        "kind": event.kind_id, "capacity": 3,
        "starts_at": timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(event.ends_at).strftime("%Y-%m-%dT%H:%M")})
    services.save_event(actor=cast.users.staff, form=form)
    assert set(event.invitations.values_list("status", flat=True)) == {"accepted"}


def test_sms_goes_only_to_those_invited_by_sms(cast, django_capture_on_commit_callbacks):
    event = testing.make_event(cast.district)
    with django_capture_on_commit_callbacks(execute=True):
        services.invite(actor=cast.users.staff, event=event, who=Invitees(enterprises=[cast.ent1]))
        services.invite(actor=cast.users.staff, event=event, who=Invitees(persons=[cast.person2]),
                        channel=Invitation.Channel.SMS)
    assert list(SmsMessage.objects.values_list("to_name", flat=True)) == ["陈浙江"]
    assert Notification.objects.filter(recipient=cast.users.ent1, kind="event_invitation").exists()


def test_walk_in_sent_twice_registers_once(cast, today):
    event, _ = today
    for _ in range(2):
        services.register_walk_in(actor=cast.users.staff, event=event, name="临时来宾", nonce="walk-1")
    assert CheckIn.objects.filter(method="walk_in").count() == 1


def test_an_event_ending_at_midnight_does_not_check_in_the_next_day(cast):
    from datetime import datetime

    starts = timezone.make_aware(datetime(2026, 12, 5, 20, 0))
    event = testing.make_event(cast.district, starts_at=starts, hours=4)  # ends at 00:00 of the 6th
    opens, closes = event.checkin_window()
    assert (timezone.localtime(opens).day, timezone.localtime(closes).day) == (5, 6)


def test_guests_do_not_count_towards_the_quorum(cast, standing_meeting):
    meeting, _ = standing_meeting
    guest = testing.make_invitation(meeting, cast.ent2)
    CheckIn.objects.create(event=meeting, invitation=guest, name=guest.name, method="scan")
    assert selectors.quorum(meeting)["eligible"] == 5 and selectors.quorum(meeting)["present"] == 0
