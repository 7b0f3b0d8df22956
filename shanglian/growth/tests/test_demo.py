"""Demo 会员发展与服务 (issue 23, item 7), shaped like the seeds ("重点发展一批实力会员", "三多三少", "双万双服: 纳入民营企业
N家", "融资推介会8次", "6个专项工作组"): this year's targets by category; a few hundred prospects across the stages;
applications in every state, the approved ones linked to the membership they made; about a third of the firms in
双万双服; listings for most members in force; posts of every category linked to matchmaking events, contact requests
in every state, outcomes of each kind; six working groups with lead, members, projects, milestones and linked
appeals; every model rule kept; deterministic; fast; registered after members, appeals and events."""

import time
from collections import Counter
from datetime import date
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.db.models import F

from shanglian.accounts.models import User
from shanglian.appeals import demo as appeals_demo
from shanglian.demo.registry import DEFAULT_ENTERPRISES, builders, discover, ordered
from shanglian.growth import demo as growth_demo
from shanglian.growth.models import (
    DIRECTORY_FIELD_KEYS,
    ContactRequest,
    DirectoryListing,
    DirectorySetting,
    GroupMember,
    GroupProject,
    MatchOutcome,
    MembershipApplication,
    Milestone,
    Post,
    Prospect,
    RecruitmentTarget,
    ServiceEnrollment,
    TargetCategory,
    WorkingGroup,
)
from shanglian.growth.selectors.scopes import applications_visible_to, prospects_visible_to
from shanglian.members import demo as members_demo
from shanglian.members.models import Enterprise, Membership
from shanglian.members.selectors import membership_in_force_q

END = date(2026, 11, 23)
BUILD_SECONDS = 20  # the step's own time, well above what it takes on SQLite
pytestmark = pytest.mark.django_db

MODELS = (RecruitmentTarget, Prospect, MembershipApplication, ServiceEnrollment, DirectoryListing, Post,
          ContactRequest, MatchOutcome, WorkingGroup, GroupMember, GroupProject, Milestone)


def _snapshot():
    """What the step saved, without ids or timestamps: to compare two builds."""
    return (
        sorted(Prospect.objects.values_list("enterprise__uscc", "stage", "source", "chamber__name", "next_step_on")),
        sorted(MembershipApplication.objects.values_list("enterprise__uscc", "status", "submitted_at")),
        sorted(ServiceEnrollment.objects.values_list("enterprise__uscc", "programme__code", "enrolled_on", "ended_on")),
        sorted(DirectoryListing.objects.values_list("enterprise__uscc", "listed", "products")),
        sorted(Post.objects.values_list("enterprise__uscc", "category", "title", "status", "created_at")),
        sorted(MatchOutcome.objects.values_list("enterprise__uscc", "kind", "amount", "jobs", "reached_on")),
        sorted(GroupMember.objects.values_list("group__name", "person__name", "is_lead")),
    )


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The default district with its appeals and its 会员发展与服务 to END, built once for the module inside a
    transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        result = members_demo.build(enterprises=DEFAULT_ENTERPRISES)
        appeals_demo.build(result, end=END)
        started = time.monotonic()
        built = growth_demo.build(result, end=END)
        seconds = time.monotonic() - started
        snapshot = _snapshot()
        yield SimpleNamespace(result=result, built=built, seconds=seconds, snapshot=snapshot,
                              users={u.username: u for u in User.objects.all()})
        transaction.set_rollback(True)


def test_the_step_is_registered_after_the_steps_it_links_to():
    discover()
    step = builders()["growth"]
    assert set(step.after) == {"members", "appeals", "events"}
    names = [b.name for b in ordered()]
    assert names.index("growth") > max(names.index(name) for name in step.after)


def test_the_build_is_deterministic_and_fast(demo):
    assert demo.seconds < BUILD_SECONDS
    with transaction.atomic():  # the same district built again from the same seed: the same rows
        for model in reversed(MODELS):
            model.objects.all().delete()
        from shanglian.events.models import Event

        Event.objects.filter(kind__code__in=["financing", "matchmaking"]).delete()
        growth_demo.build(demo.result, end=END)
        assert _snapshot() == demo.snapshot
        transaction.set_rollback(True)


def test_every_row_keeps_the_models_rules(demo):
    for model in MODELS:
        rows = list(model.objects.all()[:400])
        assert rows, model
        for row in rows:
            row.full_clean(validate_unique=False)


def test_this_years_targets_cover_the_member_kinds_and_the_three_more_three_fewer(demo):
    this_year = RecruitmentTarget.objects.filter(year=END.year)
    assert set(this_year.values_list("category", flat=True)) == set(TargetCategory.values)
    assert RecruitmentTarget.objects.filter(year=END.year - 1).count() == len(TargetCategory.values)


def test_a_few_hundred_prospects_across_the_stages_some_followed_by_the_chambers(demo):
    prospects = Prospect.objects.all()
    assert 250 <= prospects.count() <= 340
    stages = Counter(prospects.values_list("stage", flat=True))
    assert set(stages) == set(Prospect.Stage.values)
    assert set(prospects.values_list("source", flat=True)) >= {"registry", "referral", "supply_chain"}
    assert not prospects.filter(stage="abandoned", abandon_reason="").exists()
    assert not prospects.filter(stage__in=["lead", "contacted", "visited"], next_step="").exists()
    assert not prospects.filter(source="referral", referred_by__isnull=True).exists()
    chamber1 = demo.users["chamber1"]
    mine = prospects_visible_to(chamber1)
    assert 20 <= mine.count() < prospects.count() and not mine.exclude(owner=chamber1).exists()
    # the 三多三少 attributes are the firm's own
    assert prospects.filter(is_private=True).exists() and prospects.filter(is_high_tech=True).exists()
    assert prospects.filter(is_local=False).exists()
    open_firms = prospects.exclude(stage="joined").values("enterprise")
    in_force = Membership.objects.filter(membership_in_force_q(END), enterprise__in=open_firms)
    assert not in_force.exists()  # a prospect not yet joined is not a member


def test_applications_in_every_state_the_approved_ones_linked_to_their_membership(demo):
    applications = MembershipApplication.objects.all()
    assert set(applications.values_list("status", flat=True)) == set(MembershipApplication.Status.values)
    for application in applications.filter(status="approved"):
        assert application.membership.enterprise_id == application.enterprise_id
        assert application.decided_at.date() == application.membership.joined
        assert application.submitted_at < application.decided_at
    assert not applications.filter(status="refused", refusal_reason="").exists()
    for application in applications.filter(status="submitted"):
        assert application.prospect.stage == "applied"
        assert not Membership.objects.filter(membership_in_force_q(END), enterprise=application.enterprise).exists()
    # each applicant is its firm's enterprise account, and reads its own application
    for application in applications:
        assert application.applicant.enterprise_id == application.enterprise_id
    one = applications.filter(status="submitted").first()
    assert list(applications_visible_to(one.applicant)) == [one]
    assert len({a.number for a in applications}) == applications.count()


def test_a_third_of_the_firms_enrolled_in_the_service_programme_mostly_private(demo):
    shuangwan = ServiceEnrollment.objects.filter(programme__code="shuangwan")
    firms = Enterprise.objects.filter(federation=demo.result.federation).count()
    assert 0.3 * firms <= shuangwan.count() <= 0.36 * firms
    private = shuangwan.filter(enterprise__enterprise_type__code="private").count()
    assert private > 0.7 * shuangwan.count()
    assert shuangwan.filter(ended_on__isnull=False).exists()
    assert ServiceEnrollment.objects.exclude(programme__code="shuangwan").exists()
    assert not shuangwan.filter(enrolled_on__gt=END).exists()


def test_most_members_in_force_are_listed_each_showing_its_chosen_fields(demo):
    members = Membership.objects.filter(membership_in_force_q(END), kind="enterprise",
                                        federation=demo.result.federation)
    listings = DirectoryListing.objects.all()
    assert 0.75 * members.count() <= listings.count() <= members.count()
    assert set(listings.values_list("enterprise", flat=True)) <= set(members.values_list("enterprise", flat=True))
    assert listings.filter(listed=False).exists()
    shown = Counter(key for fields in listings.values_list("shown_fields", flat=True) for key in fields)
    assert set(shown) == set(DIRECTORY_FIELD_KEYS)
    assert shown["contact_mobile"] < listings.count() / 2  # most keep their mobile out of the directory
    assert not DirectorySetting.objects.get(federation=demo.result.federation).public_enabled


def test_a_board_of_every_category_linked_to_matchmaking_events_with_requests_and_outcomes(demo):
    posts = Post.objects.all()
    assert 120 <= posts.count() <= 160
    assert set(posts.values_list("category", flat=True)) == set(Post.Category.values)
    assert posts.filter(status="open").exists() and posts.filter(status="closed").exists()
    assert not posts.filter(status="closed", closed_reason="").exists()
    linked = posts.filter(events__isnull=False).distinct()
    assert set(linked.values_list("events__kind__code", flat=True)) >= {"financing", "matchmaking"}
    assert posts.exclude(posted_by__enterprise=None).count() > posts.filter(posted_by__enterprise=None).count() > 0
    requests = ContactRequest.objects.all()
    assert set(requests.values_list("status", flat=True)) == set(ContactRequest.Status.values)
    assert not requests.filter(requester=F("post__enterprise")).exists()  # never the poster's own
    for request in requests.select_related("requested_by"):
        assert request.requested_by.enterprise_id == request.requester_id
    outcomes = MatchOutcome.objects.all()
    assert set(outcomes.values_list("kind", flat=True)) == set(MatchOutcome.Kind.values)
    assert outcomes.filter(post__isnull=False).exists() and outcomes.filter(event__kind__code="financing").exists()
    for outcome in outcomes.filter(post__isnull=False, partner__isnull=False):
        assert outcome.post.contact_requests.filter(requester=outcome.partner, status="accepted").exists()
    from shanglian.events.models import Event

    financing = Event.objects.filter(kind__code="financing")
    assert financing.filter(starts_at__year=END.year).count() == 8  # "融资推介会8次"
    assert not financing.exclude(status="finished").exists()


def test_six_working_groups_with_lead_members_projects_and_linked_appeals(demo):
    groups = WorkingGroup.objects.all()
    assert groups.count() == 6  # "6个专项工作组"
    for group in groups:
        assert group.members.filter(is_lead=True).count() == 1 and group.members.count() >= 5
        assert group.projects.count() == 2
        for project in group.projects.all():
            assert project.milestones.exists()
    assert GroupProject.objects.filter(status="done").exists()
    assert GroupProject.objects.filter(appeals__isnull=False).distinct().count() >= 6
    assert GroupProject.objects.filter(appeals__status="closed").exists()
