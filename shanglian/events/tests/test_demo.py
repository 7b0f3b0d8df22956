"""Demo events (issue 20, item 10): several years of events with invitations, RSVPs, check-ins and their scan
log, feedback, statutory meetings with resolutions passed on a quorum, the appeals raised at 恳谈会/早餐会,
the rotating chair's roster of the year with a duty log, ent1's pending invitation; deterministic; past the
core district, streamed events proportional to the firms."""

from collections import Counter
from dataclasses import replace
from datetime import date, datetime, time
from types import SimpleNamespace

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from shanglian.accounts.models import User
from shanglian.appeals import demo as appeals_demo
from shanglian.appeals.models import Appeal
from shanglian.common.models import NumberSequence
from shanglian.common.periods import Period
from shanglian.events import demo as events_demo
from shanglian.events import figures, selectors
from shanglian.events.models import (
    PLACE_STATUSES,
    ChairDuty,
    CheckIn,
    DutyLogEntry,
    Event,
    EventAppeal,
    Feedback,
    Invitation,
    Programme,
    Resolution,
    Scan,
)
from shanglian.members import demo as members_demo

SMALL = 150
END = date(2026, 11, 23)  # a Monday
NOW = timezone.make_aware(datetime.combine(END, time(10)))


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The default-shaped district of SMALL firms with its appeals and events to END, built once for the
    module inside a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        result = members_demo.build(enterprises=SMALL)
        appeals = appeals_demo.build(result, end=END)
        plan = events_demo.build(result, appeals, end=END)
        yield SimpleNamespace(result=result, appeals=appeals, plan=plan,
                              users={u.username: u for u in User.objects.all()})
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def held(**filters):
    return Event.objects.filter(status=Event.Status.FINISHED, **filters)


def test_the_plan_is_deterministic_and_is_what_gets_saved(demo):
    with time_machine.travel(date(2031, 3, 1)):  # the plan depends on `end`, never on the clock
        again = events_demo.generate(demo.result.plan, demo.appeals, end=END)
    assert again.fingerprint() == demo.plan.fingerprint()
    assert events_demo.generate(demo.result.plan, demo.appeals, end=END, seed=7).fingerprint() != demo.plan.fingerprint()
    saved = list(Event.objects.order_by("starts_at", "title").values_list("number", "title", "status"))
    assert saved == [(e.number, e.title, e.status) for e in demo.plan.events]
    assert Invitation.objects.count() == sum(len(e.invitations) for e in demo.plan.events)
    assert CheckIn.objects.count() == sum(len(e.checkins) for e in demo.plan.events)
    # numbers continue after the demo: HD<created day><counter>, the counters set
    last = max(Event.objects.values_list("number", flat=True))
    assert NumberSequence.objects.get(key=last[:10]).last >= int(last[10:])


def test_several_years_of_events_of_every_kind(demo):
    years = Counter(held().values_list("starts_at__year", flat=True))
    assert sorted(years) == list(range(END.year - 4, END.year + 1)) and min(years.values()) >= 20
    kinds = set(held().values_list("kind__code", flat=True))
    assert {"training", "seminar", "breakfast", "dialogue", "symposium", "forum", "executive", "standing"} <= kinds
    organisers = set(held().values_list("organiser", flat=True))
    assert {"federation", "chamber", "committee", "working_group"} <= organisers
    assert held(chamber=demo.users["chamber1"].chamber).count() >= 5  # chamber1's page has its own
    assert Event.objects.filter(status=Event.Status.CANCELLED).exclude(cancel_reason="").exists()
    # the future: published and 报名中 events in the weeks after END, one draft
    upcoming = Event.objects.filter(starts_at__gte=NOW)
    assert {Event.Status.PUBLISHED, Event.Status.REGISTRATION, Event.Status.DRAFT} <= set(
        upcoming.values_list("status", flat=True))
    assert not upcoming.filter(checkins__isnull=False).exists()
    assert not Event.objects.filter(status=Event.Status.RUNNING).exists()


def test_the_yearly_training_programme(demo):
    for year in range(END.year - 4, END.year + 1):
        programme = Programme.objects.get(year=year)
        assert programme.name == f"{year}年度非公经济人士教育培训"
        trainings = held(programme=programme, kind__code__in=("training", "seminar"))
        assert trainings.exists() and CheckIn.objects.filter(event__in=trainings).exists()
    assert held(programme__year__isnull=False).count() >= 10  # 3 a year at this size (30 at the default size)
    assert Programme.objects.filter(year__isnull=True, name__contains="杰青领航").exists()


def test_invitations_rsvps_waitlist_and_check_ins(demo):
    statuses = set(Invitation.objects.values_list("status", flat=True))
    assert {"accepted", "declined", "substitute", "pending", "waitlisted"} <= statuses
    assert not Invitation.objects.filter(status="substitute", substitute_name="").exists()
    methods = Counter(CheckIn.objects.values_list("method", flat=True))
    assert set(methods) == {"scan", "manual", "self", "walk_in"} and methods["scan"] > methods["walk_in"]
    assert not CheckIn.objects.filter(method="walk_in", invitation__isnull=False).exists()
    assert not CheckIn.objects.filter(invitation__status__in=("waitlisted", "declined", "cancelled")).exists()
    # places never beyond the capacity
    for event in Event.objects.filter(capacity__isnull=False):
        assert event.invitations.filter(status__in=PLACE_STATUSES).count() <= event.capacity
    # a check-in by invitation is the invitee's (or its substitute's), on the event's day
    for row in CheckIn.objects.filter(invitation__isnull=False).select_related("invitation", "event")[:500]:
        assert row.event_id == row.invitation.event_id
        assert row.name in (row.invitation.name, row.invitation.substitute_name)
        assert timezone.localtime(row.checked_in_at).date() == timezone.localtime(row.event.starts_at).date()


def test_every_check_in_has_its_scan_and_failed_scans_are_logged(demo):
    assert Scan.objects.filter(result=Scan.Result.OK).count() == CheckIn.objects.count()
    assert not CheckIn.objects.filter(scans__isnull=True).exists()
    again = Scan.objects.filter(result=Scan.Result.ALREADY).select_related("checkin")
    assert again.exists() and all("已于" in s.message and "不重复计数" in s.message for s in again)
    refused = set(Scan.objects.filter(result=Scan.Result.REFUSED).values_list("reason", flat=True))
    assert refused and refused <= {"unreadable", "waitlisted"}
    assert Scan.objects.filter(payload__startswith="SLQ1:", checkin__method="scan").exists()


def test_feedback_after_finished_events(demo):
    assert Feedback.objects.count() >= 50
    assert not Feedback.objects.exclude(checkin__event__status=Event.Status.FINISHED).exists()
    for feedback in Feedback.objects.select_related("checkin__event")[:200]:
        assert feedback.submitted_at > feedback.checkin.event.ends_at
        assert 1 <= feedback.score <= 5


def test_statutory_meetings_with_their_body_and_resolutions(demo):
    meetings = held(kind__code__in=("executive", "standing"))
    assert meetings.count() >= 6
    for meeting in meetings:
        members = {p.person_id for p in selectors.body_members(meeting)}
        assert members and set(meeting.invitations.values_list("person_id", flat=True)) == members
        q = selectors.quorum(meeting)
        assert q["met"]
        resolutions = list(meeting.resolutions.all())
        assert resolutions and all(r.passed and r.present == q["present"] and r.eligible == q["eligible"]
                                   and r.votes_for + r.votes_against + r.abstentions == r.present
                                   for r in resolutions)
        assert "法定人数" in meeting.minutes
    assert Resolution.objects.filter(event__body="chair_office").exists()


def test_appeals_raised_at_events_are_linked_both_ways(demo):
    links = EventAppeal.objects.select_related("event", "appeal")
    assert links.count() >= 2
    for link in links:
        assert link.event.kind.code in ("breakfast", "dialogue", "symposium")
        assert link.appeal.channel == "event" and link.appeal.submitted_at >= link.event.starts_at
        assert link.event.checkins.filter(enterprise_id=link.appeal.enterprise_id).exists()  # the firm came
    assert Appeal.objects.filter(raised_at__isnull=False).count() == links.count()
    dialogue = links.filter(event__kind__code="dialogue").first()
    assert dialogue is not None and dialogue.appeal.source_note == dialogue.event.title


def test_the_rotating_chair_of_the_year(demo):
    duties = list(ChairDuty.objects.filter(chamber__isnull=True).order_by("month").select_related("position"))
    assert [d.month for d in duties] == [date(END.year, m, 1) for m in range(1, 13)]  # the terms cover the year
    for duty in duties:  # the chair of each month holds a post of the term in force then
        candidates = selectors.chair_candidates(federation=duty.federation, month=duty.month)
        assert candidates.filter(pk=duty.position_id).exists() and duty.seconded_staff
    assert len({d.position_id for d in duties}) > 1
    log = DutyLogEntry.objects.select_related("duty")
    assert log.count() >= 10 and all(entry.day.replace(day=1) == entry.duty.month and entry.day < END for entry in log)
    assert log.filter(events__isnull=False).exists() and log.filter(appeals__isnull=False).exists()


def test_ent1_has_a_pending_invitation_to_an_upcoming_event(demo):
    ent1 = demo.users["ent1"]
    with time_machine.travel(NOW):
        pending = list(selectors.pending_invitations(ent1))
    assert pending and all(i.event.status == Event.Status.REGISTRATION and i.event.starts_at > NOW for i in pending)
    assert any(i.event.kind.code == "breakfast" for i in pending)
    mine = selectors.my_invitations(ent1)
    assert mine.filter(status="accepted", checkins__isnull=False).exists()  # it also came to past events
    assert Feedback.objects.filter(submitted_by=ent1).exists()
    assert ent1.notifications.filter(kind="event_invitation", read_at__isnull=True).exists()


def test_today_a_training_is_open_for_the_door(demo):
    today = Event.objects.get(starts_at__date=END, kind__code="training")
    assert today.status == Event.Status.REGISTRATION and today.invitations.filter(status="accepted").exists()
    assert not today.checkins.exists()


def test_the_demo_figures(demo):
    staff, chamber1 = demo.users["staff"], demo.users["chamber1"]
    last_year = Period.year(END.year - 1)
    report = figures.period_report(staff, last_year)
    assert report.all.events == held(starts_at__year=END.year - 1).count()
    assert report.all.attendance == CheckIn.objects.filter(event__in=held(starts_at__year=END.year - 1)).count()
    found = report.participation
    assert found.members and found.member_rate > found.enterprise_rate > 0  # members take part more
    assert report.score is not None and report.all.turnout is not None
    mine = figures.period_report(chamber1, last_year)
    assert 0 < mine.all.events < report.all.events


def test_a_larger_district_streams_events_in_proportion(demo):
    """200 more firms written past the core district (as `members.demo.stream` does for a larger district), then
    their events: 0.02 a firm and year, 4 a year over the five years to END, each inviting only those firms."""
    streamed = members_demo.stream(demo.result, 200, batch=100)
    first = streamed.first_enterprise
    written = events_demo.stream(replace(demo.result, streamed=streamed), demo.plan, end=END)
    # their events' ids, read once (on PostgreSQL without fresh statistics, the join nested in every query
    # below was planned as a loop over the demo's 30,000 invitations per check-in)
    ids = set(Event.objects.filter(invitations__enterprise_id__gte=first).values_list("pk", flat=True))
    theirs = Event.objects.filter(pk__in=ids)
    assert written == len(ids) and 16 <= written <= 24
    assert set(theirs.values_list("status", flat=True)) == {Event.Status.FINISHED}
    assert not theirs.filter(invitations__enterprise_id__lt=first).exists()
    assert not theirs.filter(starts_at__gte=NOW).exists()
    checkins = CheckIn.objects.filter(event__in=theirs)
    assert checkins.count() >= written * 10 and not checkins.filter(enterprise_id__lt=first).exists()
    assert Scan.objects.filter(checkin__in=checkins).count() == checkins.count()
    assert len(set(Event.objects.values_list("number", flat=True))) == Event.objects.count()
    # at city scale (~100,000 firms) the bound: 2,000 events a year
    assert min(events_demo.MAX_EXTRA_A_YEAR, round(100_000 * events_demo.EXTRA_PER_FIRM)) == 2000
