"""Demo appeals: deterministic, exactly what the services would have written, realistic KPIs, visible
to the demo logins."""

import re
from collections import Counter, defaultdict
from datetime import date, time, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from shanglian.accounts.models import User
from shanglian.appeals import demo as appeals_demo
from shanglian.appeals import selectors
from shanglian.appeals.models import (
    OPEN_STATES,
    RATING_POINTS,
    Appeal,
    Assignment,
    ExtensionRequest,
    RatingRecord,
    Status,
    TimelineEntry,
    overdue_q,
)
from shanglian.common.models import NumberSequence
from shanglian.common.numbering import daily_number
from shanglian.common.workdays import add_working_days, add_working_hours, is_workday, working_days_between
from shanglian.members import demo as members_demo

SMALL = 120
END = date(2026, 11, 23)  # a Monday: the weekend's submissions wait, Friday's dispatches are due
NUMBER = re.compile(r"SQ(\d{8})(\d{4})")
WORKING_ACTIONS = {"accept", "reject", "dispatch", "department_accept", "return", "request_extension",
                   "decide_extension", "reply", "close", "update_rights_case"}


def local(value):
    return timezone.localtime(value)


@pytest.fixture
def district(db):
    result = members_demo.build(enterprises=SMALL)
    plan = appeals_demo.build(result, end=END)
    return result, plan


def test_generation_is_deterministic_and_independent_of_today(district):
    result, plan = district
    with time_machine.travel(date(2031, 3, 1)):  # the plan depends on `end`, never on the clock
        again = appeals_demo.generate(result.plan, end=END)
    assert again.fingerprint() == plan.fingerprint()
    assert appeals_demo.generate(result.plan, end=END, seed=7).fingerprint() != plan.fingerprint()
    assert appeals_demo.generate(result.plan, end=END + timedelta(days=7)).fingerprint() != plan.fingerprint()
    saved = list(Appeal.objects.order_by("number").values_list("number", "title", "status", "deadline"))
    assert saved == sorted((a.number, a.title, a.status, a.deadline) for a in plan.appeals)
    assert TimelineEntry.objects.count() == sum(len(a.steps) for a in plan.appeals)
    # A small demo still has MIN_APPEALS, less calls of the last evening registered after `end`.
    assert appeals_demo.MIN_APPEALS - 5 <= len(plan.appeals) <= appeals_demo.MIN_APPEALS


def test_a_year_of_appeals_ends_before_the_demo_day(district):
    first = local(Appeal.objects.order_by("submitted_at").first().submitted_at).date()
    last = local(Appeal.objects.order_by("submitted_at").last().submitted_at)
    assert END - timedelta(days=366) <= first < END - timedelta(days=330)
    assert last.date() < END
    assert TimelineEntry.objects.filter(at__gte=timezone.make_aware(
        timezone.datetime.combine(END, time(0, 1)))).count() == 0
    months = Counter(local(at).strftime("%Y-%m") for at in Appeal.objects.values_list("submitted_at", flat=True))
    assert len(months) >= 12 and min(c for m, c in months.items() if m != min(months)) >= 5


def test_numbers_are_daily_and_new_appeals_continue_after_them(district):
    per_day = defaultdict(list)
    for number, submitted_at in Appeal.objects.values_list("number", "submitted_at"):
        match = NUMBER.fullmatch(number)
        assert match and match.group(1) == f"{local(submitted_at):%Y%m%d}"
        per_day[match.group(1)].append((submitted_at, int(match.group(2))))
    for stamp, rows in per_day.items():
        sequence = [n for _at, n in sorted(rows)]
        assert sequence == list(range(1, len(rows) + 1)), stamp  # in submission order, gap-free
        assert NumberSequence.objects.get(key=f"SQ{stamp}").last == len(rows)
    busiest = max(per_day, key=lambda stamp: len(per_day[stamp]))
    when = timezone.make_aware(timezone.datetime.strptime(busiest, "%Y%m%d").replace(hour=10))
    fresh = daily_number("SQ", when)
    assert fresh == f"SQ{busiest}{len(per_day[busiest]) + 1:04d}"
    assert not Appeal.objects.filter(number=fresh).exists()


def test_every_appeal_is_what_the_services_would_have_written(district):
    appeals = Appeal.objects.select_related("category").prefetch_related(
        "assignments__extensions", "ratings", "timeline")
    for appeal in appeals:
        steps = list(appeal.timeline.all())
        # The timeline chains from "submit" to the current status, in time order.
        assert steps[0].action == "submit" and steps[0].from_status == "" and steps[0].to_status == Status.SUBMITTED
        for before, after in zip(steps, steps[1:], strict=False):
            assert after.from_status == before.to_status, appeal.number
            assert after.at >= before.at, appeal.number
        assert steps[-1].to_status == appeal.status, appeal.number
        for step in steps:
            if step.action in WORKING_ACTIONS or (step.action == "supervise" and step.actor_id):
                at = local(step.at)
                assert is_workday(at) and time(9) <= at.time() <= time(17), (appeal.number, step.action)
        actions = Counter(step.action for step in steps)

        current = [a for a in appeal.assignments.all() if a.round == appeal.reopen_count and a.state != "returned"]
        states = {a.state for a in current}
        if appeal.status in (Status.SUBMITTED, Status.REJECTED):
            assert not appeal.assignments.all() and appeal.accepted_at is None
        if appeal.status == Status.REJECTED:
            assert appeal.rejected_reason and actions["reject"] == 1 and appeal.closed_at
        if appeal.status == Status.ACCEPTED:
            assert appeal.accepted_at and not current
        if appeal.status == Status.ASSIGNED:
            assert current and states == {Assignment.State.ASSIGNED}
        if appeal.status in (Status.HANDLING, Status.REOPENED):
            assert Assignment.State.HANDLING in states and states != {Assignment.State.REPLIED}
        if appeal.status in (Status.REPLIED, Status.CLOSED) and actions["dispatch"]:
            assert states == {Assignment.State.REPLIED}
            assert appeal.replied_at == max(a.replied_at for a in current)
            assert appeal.replied_on_time == all(a.replied_on_time for a in current)
        if appeal.status == Status.CLOSED:
            assert appeal.closed_at and (appeal.rating or actions["close"]), appeal.number
            assert appeal.rating == "" or appeal.ratings.all()
        if appeal.status in OPEN_STATES:
            assert appeal.closed_at is None
        assert appeal.reopen_count == actions["reopen"]
        ratings = list(appeal.ratings.all())
        assert len(ratings) == actions["rate"]
        if ratings and appeal.status == Status.CLOSED and not actions["close"]:
            assert ratings[-1].rating == appeal.rating and ratings[-1].rated_at == appeal.rated_at
        assert appeal.is_supervised == bool(actions["supervise"]) and actions["supervise"] <= 1

        for a in appeal.assignments.all():
            assert a.sign_deadline >= a.dispatched_at
            if a.accepted_at:
                assert a.accepted_at >= a.dispatched_at
            if a.state == Assignment.State.REPLIED:
                assert a.reply and a.replied_at >= a.accepted_at >= a.dispatched_at
                assert a.replied_on_time == (local(a.replied_at).date() <= a.deadline)
                assert a.working_days_to_reply == max(working_days_between(a.dispatched_at, a.replied_at), 0)
            else:
                assert not a.reply and a.replied_at is None and a.replied_on_time is None
            if a.state == Assignment.State.RETURNED:
                assert a.returned_at and a.return_reason


def test_deadlines_follow_the_working_day_calendar(district):
    assignments = Assignment.objects.select_related("appeal__category").prefetch_related("extensions")
    for a in assignments:
        category = a.appeal.category
        computed = add_working_days(local(a.dispatched_at), category.reply_days)
        approved = [x for x in a.extensions.all() if x.decision == ExtensionRequest.Decision.APPROVED]
        expected = approved[-1].new_deadline if approved else computed.date
        assert a.deadline == expected, a.appeal.number
        assert a.deadline_provisional == computed.provisional or approved
        if a.round == 0:
            assert a.sign_deadline == add_working_hours(a.dispatched_at, category.sign_hours).date
        else:  # a reopened appeal goes straight back to handling
            assert a.sign_deadline == a.dispatched_at == a.accepted_at
    for x in ExtensionRequest.objects.all():
        if x.decision == ExtensionRequest.Decision.APPROVED:
            assert x.new_deadline == add_working_days(x.old_deadline, x.days).date
        else:
            assert x.new_deadline is None
        assert x.decision == ExtensionRequest.Decision.PENDING or x.decided_at >= x.requested_at
    for appeal in Appeal.objects.filter(status__in=OPEN_STATES).exclude(status=Status.SUBMITTED):
        open_ones = appeal.assignments.filter(round=appeal.reopen_count, state__in=["assigned", "handling"])
        if open_ones:
            assert appeal.deadline == max(a.deadline for a in open_ones)
    # The sweep supervised every open appeal past its deadline, the night after the deadline.
    overdue = Appeal.objects.filter(overdue_q(END))
    assert overdue.exists() and not overdue.filter(is_supervised=False).exists()
    for appeal in Appeal.objects.filter(is_supervised=True):
        entry = appeal.timeline.get(action="supervise")
        assert entry.at == appeal.supervised_at
        if entry.actor_id is None:
            assert entry.actor_name == "系统" and local(entry.at).date() > entry.appeal.assignments.filter(
                dispatched_at__lt=entry.at).order_by("-dispatched_at").first().deadline


def test_kpis_are_those_of_a_well_run_service_desk(district):
    rated = list(Appeal.objects.exclude(rating="").values_list("rating", flat=True))
    satisfaction = sum(RATING_POINTS[r] for r in rated) / len(rated)
    every_rating = list(RatingRecord.objects.values_list("rating", flat=True))
    satisfaction_all = sum(RATING_POINTS[r] for r in every_rating) / len(every_rating)
    assert 95 <= satisfaction_all <= satisfaction <= 99

    replied = Assignment.objects.filter(replied_at__isnull=False)
    on_time = replied.filter(replied_on_time=True).count() / replied.count()
    assert 0.95 <= on_time < 1
    appeals_on_time = Appeal.objects.filter(replied_on_time__isnull=False)
    assert 0.95 <= appeals_on_time.filter(replied_on_time=True).count() / appeals_on_time.count() < 1

    assert 0 < Appeal.objects.filter(overdue_q(END)).count() <= 10
    assert Appeal.objects.filter(is_supervised=True).exists()
    assert Appeal.objects.filter(reopen_count__gt=0, status=Status.CLOSED).exists()
    assert Appeal.objects.filter(status=Status.REJECTED).exists()
    assert ExtensionRequest.objects.filter(decision=ExtensionRequest.Decision.APPROVED).exists()
    assert ExtensionRequest.objects.filter(decision=ExtensionRequest.Decision.PENDING).exists()
    assert RatingRecord.objects.filter(source=RatingRecord.Source.CALLBACK).exists()
    rights = Appeal.objects.filter(category__is_rights_case=True)
    assert rights.count() >= 10
    assert not rights.filter(Q(counterpart="") | Q(amount_involved__isnull=True)).exists()
    assert rights.exclude(mediation_result="").exists() and rights.filter(legal_aid_given=True).exists()
    assert not Appeal.objects.filter(category__is_rights_case=False).exclude(counterpart="").exists()
    # Every queue of the desk has something on the demo day.
    for queue in ("pending_accept", "pending_dispatch", "handling", "due_soon", "overdue", "replied"):
        assert Appeal.objects.filter(selectors.queue_filter(queue, on=END)).exists(), queue
    # Spread over the departments and categories, the tax office among the busy ones.
    per_department = Counter(Assignment.objects.values_list("department__short_name", flat=True))
    assert len(per_department) >= 15 and per_department["区税务局"] >= 10
    assert Appeal.objects.values("category").distinct().count() == 11


def test_the_demo_logins_see_their_appeals(district):
    result, _plan = district
    users = {u.username: u for u in User.objects.all()}
    dept1, ent1 = users["dept1"], users["ent1"]

    mine = selectors.appeals_visible_to(dept1)
    waiting = Assignment.objects.filter(appeal__in=mine, department=dept1.department)
    assert waiting.filter(state=Assignment.State.ASSIGNED).count() >= 2  # to sign for
    assert waiting.filter(state=Assignment.State.HANDLING).count() >= 3  # to reply to
    assert mine.filter(overdue_q(END)).exists() and mine.filter(status=Status.CLOSED).exists()
    assert selectors.pending_extensions(users["staff"]).filter(assignment__department=dept1.department).exists()
    assert not mine.exclude(assignments__department=dept1.department).exists()
    replies = TimelineEntry.objects.filter(appeal__in=mine, action="reply", department=dept1.department)
    assert replies.exists() and not replies.exclude(actor=dept1).exists()

    own = selectors.appeals_visible_to(ent1)
    assert set(own.values_list("enterprise", flat=True)) == {ent1.enterprise_id}
    assert {Status.SUBMITTED, Status.ACCEPTED, Status.HANDLING, Status.REPLIED, Status.CLOSED,
            Status.REJECTED} <= set(own.values_list("status", flat=True))
    assert own.filter(reopen_count__gt=0).exists()
    assert TimelineEntry.objects.filter(appeal__in=own, action="submit", actor=ent1).exists()

    staff = selectors.appeals_visible_to(users["staff"])
    assert staff.count() == Appeal.objects.count()
    assert selectors.appeals_visible_to(users["chamber1"]).exists()


@pytest.mark.django_db
def test_seed_demo_ends_the_appeals_year_on_the_day_it_runs(settings):
    settings.DEMO = True
    today = date(2026, 11, 27)
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 11, 27, 15, 30)), tick=False):
        out = StringIO()
        call_command("seed_demo", "--enterprises", str(SMALL), stdout=out)
        assert "诉求：" in out.getvalue()
        latest = local(Appeal.objects.order_by("-submitted_at").first().submitted_at)
        assert latest.date() < today
        assert Appeal.objects.filter(overdue_q(today)).exists()
        assert Appeal.objects.filter(status__in=OPEN_STATES, deadline__gte=today).exists()
