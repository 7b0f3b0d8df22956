"""Demo 评选表彰 and 商会评估 (issue 22, item 5), shaped like the seeds ("连续4年发布…10强名单，共有120家企业先后上榜",
镇街商会"五有", 四好商会, 五好工商联): five yearly programmes with the five lists, the four past ones closed and
published through the app's own ranking (one list corrected, one tie; about 120 firms on them), this year's being
scored with both judges' 待办 left; the chairman as a judge stands aside on his own firm; every township chamber's 五有
for three years, most meeting all five, this year one returned and one waiting for staff; 四好 levels and the 五好
self-check; deterministic; fast."""

import time
from collections import Counter
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.db import transaction
from django.db.models import Count

from shanglian.accounts.models import User
from shanglian.common.periods import Period
from shanglian.demo.registry import DEFAULT_ENTERPRISES
from shanglian.honours import demo as honours_demo
from shanglian.honours import ranking
from shanglian.honours.models import (
    Assessment,
    AssessmentItem,
    Criterion,
    HonourList,
    HonourListEntry,
    Judge,
    Nomination,
    Programme,
    Score,
)
from shanglian.honours.schemes import FIVE_GOOD, FIVE_HAVE, FOUR_GOOD
from shanglian.honours.selectors import assessments as assessment_selectors
from shanglian.honours.selectors import nominations as nomination_selectors
from shanglian.members import demo as members_demo
from shanglian.members.models import ChamberMembership, EnterpriseRole
from shanglian.orgs.models import Chamber, Position
from shanglian.ui.figures import compute

END = date(2026, 11, 23)
YEARS = honours_demo.PROGRAMME_YEARS  # one programme a year up to END's
PUBLISHED = YEARS - 1  # the past ones, closed and published ("连续4年发布")
FIRST_YEAR = END.year - YEARS + 1
BUILD_SECONDS = 5  # the step's own time (measured on SQLite: ~0.35 s, three quarters of it ranking the 21 lists:
# PUBLISHED years × 5 and the corrected one again)
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The default district (its 1,500 firms: the seed's 120 honoured of many) with its 评选 and 评估 to END, built
    once for the module inside a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        result = members_demo.build(enterprises=DEFAULT_ENTERPRISES)
        started = time.monotonic()
        plan = honours_demo.build(result, end=END)
        seconds = time.monotonic() - started
        yield SimpleNamespace(result=result, plan=plan, seconds=seconds,
                              users={u.username: u for u in User.objects.all()})
        transaction.set_rollback(True)


def test_the_plan_is_deterministic_and_is_what_gets_saved(demo):
    with time_machine.travel(date(2031, 3, 1)):  # the plan depends on `end`, never on the clock
        again = honours_demo.generate(demo.result.plan, end=END)
    assert again.fingerprint() == demo.plan.fingerprint()
    assert honours_demo.generate(demo.result.plan, end=END, seed=7).fingerprint() != demo.plan.fingerprint()
    programmes = demo.plan.programmes
    assert Programme.objects.count() == len(programmes)
    assert Nomination.objects.count() == sum(len(p.nominations) for p in programmes)
    assert Score.objects.count() == sum(len(p.scores) for p in programmes)
    assert Assessment.objects.count() == len(demo.plan.assessments)
    assert AssessmentItem.objects.count() == sum(len(a.items) for a in demo.plan.assessments)
    assert demo.seconds < BUILD_SECONDS


def test_yearly_programmes_of_the_five_lists_the_past_ones_closed(demo):
    programmes = list(Programme.objects.order_by("year"))
    assert [p.year for p in programmes] == list(range(FIRST_YEAR, END.year + 1))
    assert [p.status for p in programmes] == ["closed"] * PUBLISHED + ["scoring"]
    for programme in programmes:
        names = list(programme.categories.values_list("name", flat=True))
        assert names == ["依法纳税10强", "和谐劳动关系10强", "社会责任10强", "促进就业10强", "科技创新10强"]
        for category in programme.categories.annotate(n=Count("criteria", distinct=True), nominated=Count("nominations", distinct=True)):
            assert category.list_size == honours_demo.LIST_SIZE and 2 <= category.n <= 4
            assert honours_demo.NOMINATIONS[0] <= category.nominated <= honours_demo.NOMINATIONS[1]
        assert programme.nomination_deadline < END
    # the same enterprise is put forward once per list; by staff and by chambers, a chamber only for its members
    nominations = Nomination.objects.all()
    by_chamber = nominations.filter(chamber__isnull=False)
    assert by_chamber.count() > 0.2 * nominations.count() and nominations.filter(chamber__isnull=True).exists()
    for n in by_chamber:
        assert ChamberMembership.objects.filter(chamber_id=n.chamber_id, enterprise_id=n.enterprise_id,
                                                status="active").exists()
    chamber1 = demo.users["chamber1"]
    assert by_chamber.filter(chamber=chamber1.chamber, nominated_by=chamber1).exists()
    # one withdrawn a past year, and the firm taken off the corrected list
    assert nominations.filter(status="withdrawn").count() == PUBLISHED + 1
    # firms put forward year after year: many of a list's nominees were its nominees the year before
    put_forward = set(nominations.values_list("category__name", "category__programme__year", "enterprise"))
    later = [(name, year, firm) for name, year, firm in put_forward if year > FIRST_YEAR]
    assert len([row for row in later if (row[0], row[1] - 1, row[2]) in put_forward]) > 0.3 * len(later)
    # put forward on their days, not today
    for n in nominations.select_related("category__programme"):
        assert n.nominated_at.date() <= n.category.programme.nomination_deadline


def test_the_chairman_judges_and_stands_aside_on_his_own_firm(demo):
    staff, leader = demo.users["staff"], demo.users["leader"]
    chairman = Position.objects.filter(title=Position.Title.CHAIRMAN).values_list("person_id", flat=True).first()
    for programme in Programme.objects.all():
        panel = {j.user_id: j for j in programme.judges.all()}
        assert set(panel) == {staff.pk, leader.pk}
        assert panel[leader.pk].person_id == chairman and panel[staff.pk].person_id is None
    firms = set(EnterpriseRole.objects.filter(person_id=chairman).values_list("enterprise_id", flat=True))
    conflicted = 0
    for judge in Judge.objects.select_related("user", "person"):
        nominations = Nomination.objects.filter(category__programme_id=judge.programme_id)
        found = nomination_selectors.conflicts(judge, nominations)  # the app's own rule
        assert set(found) == set(nominations.filter(enterprise_id__in=firms).values_list("pk", flat=True)) \
            if judge.person_id else not found
        assert not Score.objects.filter(judge=judge, nomination_id__in=found).exists()  # 回避: no score
        conflicted += len(found)
    assert conflicted >= len(honours_demo.CHAIRMAN_LISTS) * YEARS  # his firm in two lists a year


def test_past_programmes_fully_scored_this_year_partly_with_both_judges_todo(demo):
    for programme in Programme.objects.all():
        criteria = dict(Criterion.objects.filter(category__programme=programme).values("category")
                        .annotate(n=Count("*")).values_list("category", "n"))
        sheets = nomination_selectors.score_sheets(
            Nomination.objects.filter(category__programme=programme, status="nominated").select_related("category"))
        rows = [row for sheet in sheets.values() for row in sheet.rows if not row.conflict]
        if programme.status == "closed":  # every judge who may scored every criterion
            assert all(row.complete for row in rows)
        else:
            assert any(row.complete for row in rows) and any(not row.scores for row in rows)
            assert not [row for row in rows if row.scores and not row.complete]  # a judge scores a whole nomination
        assert all(len(row.scores) in (0, criteria[sheet.nomination.category_id])
                   for sheet in sheets.values() for row in sheet.rows)
    for login in ("staff", "leader"):  # the 待办 待评审提名 of each demo judge
        user = demo.users[login]
        pending = nomination_selectors.scoring_queue(user, state=nomination_selectors.PENDING)
        done = nomination_selectors.scoring_queue(user, state=nomination_selectors.DONE)
        assert pending.count() and done.count()
    scored_on = {s.scored_at.date() for s in Score.objects.all()}
    assert min(scored_on) >= date(FIRST_YEAR, 1, 1) and max(scored_on) <= END


def test_lists_published_through_the_ranking_with_a_correction_and_a_tie(demo):
    closed = Programme.objects.filter(status="closed")
    current = HonourList.objects.filter(superseded_at__isnull=True)
    assert closed.count() == PUBLISHED and current.count() == 5 * PUBLISHED
    assert not HonourList.objects.filter(category__programme__status="scoring").exists()
    for honour_list in current.select_related("category"):  # what the app's ranking gives from the saved scores
        expected = ranking.listed(ranking.rank(honour_list.category), honour_list.category.list_size)
        entries = list(honour_list.entries.order_by("rank", "id"))
        assert [(e.enterprise_id, e.rank, e.tied, e.score) for e in entries] == [
            (row.nomination.enterprise_id, row.rank, row.tied, row.total) for row in expected]
        assert len(entries) >= honour_list.category.list_size
        assert all(e.enterprise_name == e.enterprise.name for e in entries)
    # one correction: version 2 with its reason; the first version superseded, the firm taken off
    second = HonourList.objects.get(version=2)
    first = HonourList.objects.get(category=second.category, version=1)
    assert second.category.programme.year == END.year - honours_demo.CORRECTED_YEARS_BACK and second.reason and second.published_at > first.published_at
    assert first.superseded_at == second.published_at
    off = set(first.entries.values_list("enterprise", flat=True)) - set(second.entries.values_list("enterprise",
                                                                                                   flat=True))
    assert len(off) == 1 and Nomination.objects.get(category=second.category, enterprise_id=off.pop()).status \
        == "withdrawn"
    tied = HonourListEntry.objects.filter(tied=True, honour_list__superseded_at__isnull=True)
    assert tied.filter(honour_list__category__programme__year=END.year - honours_demo.TIED_YEARS_BACK,
                       honour_list__category__order=honours_demo.TIED_LIST).count() >= 2  # 并列
    # "连续4年…共有120家企业先后上榜": distinct enterprises on the lists in force of the published years
    honoured = HonourListEntry.objects.filter(honour_list__superseded_at__isnull=True)
    assert set(honoured.values_list("honour_list__category__programme__year", flat=True)) == set(
        range(FIRST_YEAR, END.year))
    distinct = honoured.values("enterprise").distinct().count()
    assert 100 <= distinct <= 130 and distinct < honoured.count()
    staff = demo.users["staff"]
    assert compute("honours.enterprises_honoured", user=staff, period=Period.year(END.year - 1)).value == distinct
    assert compute("honours.lists_published", user=staff, period=Period.year(END.year - 1)).value == 5


def test_five_have_of_every_township_chamber_most_meeting_all_five(demo):
    staff, chamber1, chamber2 = demo.users["staff"], demo.users["chamber1"], demo.users["chamber2"]
    townships = Chamber.objects.filter(kind=Chamber.Kind.STREET, status="active")
    five = Assessment.objects.filter(scheme=FIVE_HAVE.key)
    assert five.count() == honours_demo.FIVE_HAVE_YEARS * townships.count()
    for year in range(END.year - honours_demo.FIVE_HAVE_YEARS + 1, END.year):  # the past years: all confirmed, most meet all five
        found = assessment_selectors.five_have_compliance(staff, year=year)
        assert found.total == townships.count() and not found.without_assessment
        assert 0.8 * found.total <= len(found.complete) < found.total
        assert five.filter(year=year, status="confirmed").count() == townships.count()
    this_year = assessment_selectors.five_have_compliance(staff, year=END.year)
    assert 0.5 * this_year.total < len(this_year.complete) < this_year.total
    missing = AssessmentItem.objects.filter(assessment__scheme=FIVE_HAVE.key, met=False)
    assert missing.exists() and not missing.filter(review_note="").exists()
    assert missing.filter(code="team", assessment__chamber__secretary_general="").exists()
    # this year: chamber1's returned for one item (its 待办), chamber2's waiting for staff (the 待核实 todo)
    returned = five.get(year=END.year, chamber=chamber1.chamber)
    assert returned.status == "draft" and returned.submitted_at and returned.note
    assert assessment_selectors.returned_items(chamber1, FIVE_HAVE.key).count() == 1
    waiting = five.get(year=END.year, chamber=chamber2.chamber)
    assert waiting.status == "submitted" and waiting.submitted_at.date() <= END
    assert set(assessment_selectors.pending_evidence(staff).values_list("assessment", flat=True)) == {waiting.pk}
    assert five.filter(year=END.year, status="draft").exclude(pk=returned.pk).count() == 1  # not started
    for a in five.filter(status="confirmed"):
        assert a.confirmed_by == staff and a.submitted_at < a.confirmed_at
        assert not a.items.exclude(status="verified").exists()


def test_four_good_levels_and_the_five_good_self_check(demo):
    staff = demo.users["staff"]
    four = Assessment.objects.filter(scheme=FOUR_GOOD.key)
    assert set(four.values_list("year", flat=True)) == set(range(END.year - honours_demo.FOUR_GOOD_YEARS, END.year))
    assert 5 <= four.filter(year=END.year - 1).count() < Chamber.objects.count()
    for a in list(four) + list(Assessment.objects.filter(scheme=FIVE_GOOD.key)):
        scheme = FOUR_GOOD if a.scheme == FOUR_GOOD.key else FIVE_GOOD
        items = list(a.items.all())
        assert a.status == "confirmed" and {i.code for i in items} == {item.code for item in scheme.items}
        assert a.total_score == sum(i.score for i in items) and a.level == scheme.level_of(a.total_score)
        assert all(0 <= i.score <= scheme.item(i.code).max_score and i.status == "verified" for i in items)
    levels = Counter(four.filter(year=END.year - 1).values_list("level", flat=True))
    assert levels["示范商会"] and levels["“四好”商会"] and levels["合格"]
    found = assessment_selectors.four_good_levels(staff, year=END.year - 1)
    assert len(found.good) == levels["示范商会"] + levels["“四好”商会"]
    self_checks = Assessment.objects.filter(scheme=FIVE_GOOD.key, chamber__isnull=True)
    assert sorted(self_checks.values_list("year", flat=True)) == list(
        range(END.year - honours_demo.FIVE_GOOD_YEARS, END.year))
    assert assessment_selectors.own_five_good(staff, year=END.year - 1) is not None


def test_a_tiny_district_draws_its_plan_too():
    tiny = members_demo.generate(enterprises=40)  # seed_demo's smallest district
    plan = honours_demo.generate(tiny, end=END)
    assert len(plan.programmes) == YEARS and all(p.nominations for p in plan.programmes)
    assert len([a for a in plan.assessments if a.scheme == FIVE_HAVE.key]) == honours_demo.FIVE_HAVE_YEARS * 13


def test_the_current_programme_follows_a_day_early_in_the_year(demo):
    early = date(END.year + 1, 1, 20)
    plan = honours_demo.generate(demo.result.plan, end=early)
    current = plan.programmes[-1]
    assert current.year == early.year and current.status == "scoring" and current.nomination_deadline < early
    assert all(n.nominated_on <= current.nomination_deadline for n in current.nominations)
    assert all(day <= early for *_rest, day in current.scores)
    assert all(a.confirmed_on is None or a.confirmed_on < early for a in plan.assessments)
    assert all(a.submitted_on is None or a.submitted_on <= early - timedelta(days=3) for a in plan.assessments)
