"""Demo 政治引领 (issue 21, item 7): arrangements for about a quarter of the executive committee (no seat's terms
overlapping), three years of proposals played through the workflow with some adopted into 实际举措 and policies,
liaison of the demo leader and of departments at district and street level with a year of visits — some of the
leader's overdue — and the desk's visit appeals linked both ways with their timeline, party organisations whose
coverage stays below 100 % in some streets; the figures nonzero; deterministic; fast."""

import time
from collections import Counter
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from shanglian.accounts.models import User
from shanglian.appeals import demo as appeals_demo
from shanglian.appeals.models import Appeal, Channel, TimelineEntry
from shanglian.common.models import NumberSequence
from shanglian.common.periods import Period
from shanglian.engagement import demo as engagement_demo
from shanglian.engagement.models import (
    Arrangement,
    Cultivation,
    EnterpriseParty,
    Liaison,
    PartyActivity,
    PartyInstructor,
    PartyOrganisation,
    PersonHonour,
    Proposal,
    ProposalLog,
    Visit,
    VisitAppeal,
    arrangement_in_force_q,
    organisation_active_q,
)
from shanglian.engagement.selectors import liaison as liaison_selectors
from shanglian.engagement.selectors import party as party_selectors
from shanglian.engagement.workflow import PROPOSAL_FLOW
from shanglian.members import demo as members_demo
from shanglian.orgs.models import Position
from shanglian.policies import demo as policies_demo
from shanglian.ui.figures import compute

SMALL = 150
END = date(2026, 11, 23)
BUILD_SECONDS = 5  # the step's own time at this size (the whole default seed is ~11 s)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The default-shaped district of SMALL firms with its appeals, policies and 政治引领 to END, built once for
    the module inside a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        result = members_demo.build(enterprises=SMALL)
        appeals = appeals_demo.build(result, end=END)
        policies = policies_demo.build(result, end=END)
        started = time.monotonic()
        plan = engagement_demo.build(result, appeals, policies, end=END)
        seconds = time.monotonic() - started
        yield SimpleNamespace(result=result, appeals=appeals, policies=policies, plan=plan, seconds=seconds,
                              users={u.username: u for u in User.objects.all()})
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db

YEAR = Period.custom(date(END.year, 1, 1), END)


def test_the_plan_is_deterministic_and_is_what_gets_saved(demo):
    with time_machine.travel(date(2031, 3, 1)):  # the plan depends on `end`, never on the clock
        again = engagement_demo.generate(demo.result.plan, demo.appeals, demo.policies, end=END)
    assert again.fingerprint() == demo.plan.fingerprint()
    assert engagement_demo.generate(demo.result.plan, demo.appeals, demo.policies, end=END,
                                    seed=7).fingerprint() != demo.plan.fingerprint()
    counts = {Arrangement: len(demo.plan.arrangements), PersonHonour: len(demo.plan.honours),
              Cultivation: len(demo.plan.cultivations), Proposal: len(demo.plan.proposals),
              Liaison: len(demo.plan.liaisons), Visit: len(demo.plan.visits), EnterpriseParty: len(demo.plan.census),
              PartyOrganisation: len(demo.plan.organisations), PartyInstructor: len(demo.plan.instructors),
              PartyActivity: len(demo.plan.activities)}
    assert {model: model.objects.count() for model in counts} == counts
    assert demo.seconds < BUILD_SECONDS


def test_about_a_quarter_of_the_executive_committee_is_arranged(demo):
    staff = demo.users["staff"]
    executives = compute("engagement.executives", user=staff, period=YEAR).value
    arranged = compute("engagement.executives_arranged", user=staff, period=YEAR).value
    assert executives >= 30 and 0.2 <= arranged / executives <= 0.35
    # by hand: the persons of the term in force at END, its 主席/副主席/常委/执委, holding a 人大/政协 seat then
    committee = set(Position.objects.filter(title__in=engagement_demo.EXECUTIVE_TITLES, term__chamber__isnull=True,
                                            term__start__lte=END, term__end__gte=END)
                    .values_list("person_id", flat=True))
    seated = set(Arrangement.objects.filter(arrangement_in_force_q(END), kind__in=("npc", "cppcc"))
                 .values_list("person_id", flat=True))
    assert arranged == len(committee & seated)
    levels = Counter(Arrangement.objects.filter(arrangement_in_force_q(END)).values_list("level", flat=True))
    assert levels["district"] > levels["city"] > 0 and levels["province"] >= 1
    assert Arrangement.objects.filter(kind="party_congress").exists()
    assert Arrangement.objects.filter(end__lt=END).exists()  # earlier terms, ended
    for arrangement in Arrangement.objects.all():  # a seat's terms never overlap
        assert not arrangement.overlapping().exists(), arrangement
    assert PersonHonour.objects.count() >= 10
    plans = set(Cultivation.objects.values_list("plan__code", flat=True))
    assert {"outstanding_youth", "new_generation"} <= plans
    assert Cultivation.objects.filter(status="active").exists() and Cultivation.objects.filter(status="completed").exists()


def test_three_years_of_proposals_played_through_the_workflow(demo):
    years = Counter(Proposal.objects.values_list("year", flat=True))
    assert sorted(years) == [END.year - 2, END.year - 1, END.year]
    assert all(30 <= n <= 60 for n in years.values())
    assert set(Proposal.objects.values_list("kind", flat=True)) == {"motion", "proposal", "suggestion", "opinion"}
    assert Proposal.objects.filter(body="federation").exists() and Proposal.objects.filter(body="chamber").exists()
    assert not Proposal.objects.filter(body="", submitters__isnull=True).exists()  # a submitter, or a body
    adopted = Proposal.objects.filter(status="adopted")
    assert adopted.count() >= 20 and not adopted.filter(measure="").exists()
    assert adopted.filter(policy__isnull=False).exists()
    for p in adopted.filter(policy__isnull=False).select_related("policy"):
        assert p.policy.published_on > p.submitted_on and p.policy.department_id == p.department_id
    assert Proposal.objects.filter(status="not_adopted").exclude(decline_reason="").exists()
    assert {"draft", "submitted", "handling", "replied"} & set(Proposal.objects.filter(year=END.year)
                                                             .values_list("status", flat=True))
    # each log chains from 草拟 to the proposal's status by the table's transitions, dated up to END
    logs = {}
    for entry in ProposalLog.objects.order_by("at", "id"):
        logs.setdefault(entry.proposal_id, []).append(entry)
    for p in Proposal.objects.all():
        steps = logs[p.pk]
        assert steps[0].action == "draft_proposal" and steps[-1].to_status == p.status
        for before, after in zip(steps, steps[1:], strict=False):
            assert after.from_status == before.to_status and after.to_status == PROPOSAL_FLOW.target(after.action)
            assert before.at <= after.at and timezone.localtime(after.at).date() < END
    last = max(Proposal.objects.values_list("number", flat=True))
    assert NumberSequence.objects.get(key=last[:10]).last >= int(last[10:])


def test_liaison_at_district_and_street_level_and_a_year_of_visits(demo):
    leader = demo.users["leader"]
    liaisons = Liaison.objects.all()
    assert liaisons.filter(user=leader).count() >= 5 and liaisons.filter(department__isnull=False).count() >= 20
    assert liaisons.filter(level="street", street__isnull=False).exists()
    assert liaisons.filter(end__lt=END).exists()  # handed over
    visits = Visit.objects.all()
    days = list(visits.values_list("visited_on", flat=True))
    assert min(days) >= END - timedelta(days=365) and max(days) <= END
    assert visits.exclude(problems="").exists() and visits.filter(recorded_by=leader).exists()
    for visit in visits.select_related("liaison"):
        assert visit.liaison.enterprise_id == visit.enterprise_id and visit.liaison.in_force_on(visit.visited_on)
    # a few of the leader's own enterprises are overdue for a visit (their 待办), not all of them
    overdue = liaison_selectors.overdue_liaisons(leader, END).count()
    assert 1 <= overdue < liaisons.filter(user=leader, end__isnull=True).count()


def test_a_visit_opened_appeal_is_linked_both_ways_with_its_timeline(demo):
    links = VisitAppeal.objects.select_related("visit", "appeal")
    assert links.count() >= 3
    for link in links:
        appeal, visit = link.appeal, link.visit
        assert appeal.channel == Channel.VISIT and appeal.enterprise_id == visit.enterprise_id
        assert timezone.localtime(appeal.submitted_at).date() == visit.visited_on
        assert appeal.title in visit.problems and appeal.number in visit.follow_up
        assert visit.raised_appeals.filter(appeal=appeal).exists() and appeal.raised_on_visit == link
        first = TimelineEntry.objects.filter(appeal=appeal).order_by("at", "id").first()
        assert first.action == "submit" and first.note == f"来源：走访（{appeal.source_note}）"
    # the leader's own enterprises include some whose visit opened an appeal
    assert links.filter(visit__liaison__user=demo.users["leader"]).exists()
    assert Appeal.objects.filter(raised_on_visit__isnull=False).count() == links.count()


def test_party_organisations_and_coverage_below_full_in_some_streets(demo):
    staff = demo.users["staff"]
    active = PartyOrganisation.objects.filter(organisation_active_q(END))
    kinds = set(active.values_list("kind", flat=True))
    assert {"branch", "joint_committee", "functional_branch"} <= kinds
    assert active.filter(street__isnull=False).exists() and active.filter(chamber__isnull=False).exists()
    assert PartyOrganisation.objects.filter(dissolved__lt=END).exists()
    rates = [c.organisation_rate for _street, c in party_selectors.coverage_by_street(staff, on=END)
             if c.organisation_rate is not None]
    assert any(rate < 100 for rate in rates) and any(rate == 100 for rate in rates)
    joint = party_selectors.street_joint_coverage(staff, on=END)
    fully = [row for row in joint if row.fully_covered]
    assert 0 < len(fully) < len([row for row in joint if row.chambers])
    assert PartyInstructor.objects.filter(chamber__isnull=False).exists()
    assert PartyInstructor.objects.filter(enterprise__isnull=False).exists()
    assert PartyActivity.objects.filter(held_on__gte=END - timedelta(days=365), held_on__lt=END).count() >= 200
    assert set(PartyActivity.objects.values_list("kind", flat=True)) >= {"theme_day", "party_lecture", "branch_committee"}


def test_the_demo_figures_are_nonzero_for_the_federation_and_scoped_for_a_chamber(demo):
    staff, chamber1 = demo.users["staff"], demo.users["chamber1"]
    last_year = Period.year(END.year - 1)
    for key in ("engagement.executives_arranged", "engagement.proposals", "engagement.adoption_rate",
                "engagement.measures", "engagement.liaison_enterprises", "engagement.visited_enterprises",
                "engagement.visits", "engagement.visit_appeals", "engagement.party_organisations",
                "engagement.organisation_coverage", "engagement.work_coverage", "engagement.streets_fully_covered",
                "engagement.three_meetings"):
        value = compute(key, user=staff, period=YEAR if key != "engagement.proposals" else last_year).value
        assert value, key
    assert compute("engagement.organisation_coverage", user=staff, period=YEAR).value < 100
    mine = compute("engagement.party_organisations", user=chamber1, period=YEAR).value
    assert 0 < mine < compute("engagement.party_organisations", user=staff, period=YEAR).value
    assert compute("engagement.proposals", user=chamber1, period=last_year).value
