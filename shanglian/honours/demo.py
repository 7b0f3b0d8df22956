"""Demo 评选表彰 and 商会评估 of the demo district, shaped like the seeds ("连续4年在全体会员企业中发布'依法纳税'、'和谐
劳动关系'、'社会责任'、'促进就业'、'科技创新'优秀企业10强名单，共有120家企业先后上榜", "镇街基层商会达到'五有'", "深入开展
'四好商会'和'五好工商联'创建工作"):

- Programmes: one 优秀民营企业10强评选 a year for the last five years up to `end` (four published: "连续4年"),
  each with the five lists (10 places, 2–4 weighted criteria). The panel is the demo's staff and leader logins,
  the leader's `Judge.person` the federation's chairman: he stands aside (回避, no score from him) on the
  nominations of the firms he holds a role in — his own firm is put forward for two lists every year. 12–20
  nominations per list and year, by staff or by a chamber the nominee is an active member of (chamber1's and
  chamber2's through their logins), nearly half of them the previous year's nominees again (firms stand year after
  year: about 120 share the four published years' 200 places, as in the seed); one withdrawn a year. Every judge
  who may scores every nomination of a past programme; past programmes are closed and their lists published
  through the app's own ranking (`ranking.rank` and `ranking.listed`: the tie rule, ties at the last place taken
  too); one list two years back was corrected (version 2, with its reason: a listed firm taken off, the next one
  moved up), and two firms scored alike share a place on one of last year's (并列). The current year's programme
  is 评审中 with the scoring partly done, so both judges have nominations left (their 待办).
- Assessments: the 五有 of every township (street) chamber for the last three years — most meet all five
  (verified), a chamber without a 秘书长 misses 工作班子 and another one item a year; this year chamber1's was
  returned (退回补充, one item), chamber2's submitted and waiting for staff to verify its items, one not started
  yet. 四好商会 scores and levels for some chambers for two years; the federation's 五好 self-check for each of
  the last three years. Every step replayed through `workflow.ASSESSMENT_FLOW` and `PROGRAMME_FLOW`.

`generate(...)` draws everything into an `HonoursPlan` of plain values (enterprises, persons and chambers as indexes
into the members plan, users by demo login) from its own seeded generator: the same members plan, seed and `end`
give the same plan (`fingerprint()`). `build(...)` writes it with bulk inserts, then ranks and publishes the past
lists from the saved scores. A builder of the demo registry (step "honours", after members); `seed_demo
--if-empty` never runs it twice.
"""

import hashlib
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.db import transaction
from django.utils import timezone

from shanglian.accounts.roles import Role
from shanglian.demo.draws import day_between, weighted_sample
from shanglian.demo.files import load_toml
from shanglian.demo.registry import register
from shanglian.demo.saving import next_id, reset_sequences, write_rows
from shanglian.members import demo as members_demo
from shanglian.members.models import ChamberMembership
from shanglian.orgs.models import Chamber, Position

from . import ranking
from .models import (
    Assessment,
    AssessmentItem,
    Category,
    Criterion,
    HonourList,
    HonourListEntry,
    Judge,
    Nomination,
    Programme,
    Score,
)
from .schemes import FIVE_GOOD, FIVE_HAVE, FOUR_GOOD
from .workflow import ASSESSMENT_FLOW, PROGRAMME_FLOW

__all__ = ["HonoursPlan", "build", "counts", "generate"]

DEMO_SEED = members_demo.DEMO_SEED + 13  # the honours' own stream
_TEXTS = load_toml("honours.toml")

PROGRAMME_YEARS = 5  # the last five years up to `end`: four closed and published ("连续4年发布"), this year's 评审中
LIST_SIZE = 10
NOMINATIONS = (12, 20)  # per list and year
# Of the previous year's nominees of a list: put forward again. Firms stand year after year, so the four published
# years' 200 places go to about 120 firms ("共有120家企业先后上榜"; at 0.15 it would be about 140).
RETURNING = 0.45
OTHER_LIST = 0.1  # a firm already put forward for another list this year may be drawn again (else skipped)
CHAMBER_NOMINATED = 0.4  # of the nominees in a chamber: put forward by it
CHAIRMAN_LISTS = ("依法纳税10强", "社会责任10强")  # the chairman's firm is put forward here every year
CORRECTED_YEARS_BACK = 2  # the programme whose first list was corrected
CORRECTED_PLACE = 6  # the place of the listed firm taken off
TIED_YEARS_BACK, TIED_LIST = 1, 3  # last year's 促进就业 list: two firms scored alike share a place
STAFF_SCORED, LEADER_SCORED = 0.65, 0.35  # of this year's nominations: scored so far
JUDGE_BIAS = {"staff": 0.0, "leader": 1.5}
# A firm's standing (kept over the years) by size, and the spread of one judge's score on one criterion.
SIZE_STANDING = {"large": 5.0, "medium": 2.0, "small": 0.0, "micro": -3.0}
POOL_WEIGHTS = {
    "tax": {"large": 8, "medium": 5, "small": 1.5, "micro": 0.3},
    "large": {"large": 6, "medium": 3, "small": 0.5, "micro": 0.1},
    "tech": {"large": 3, "medium": 3, "small": 2, "micro": 1},
}
EMPLOYER_MIN = 30  # employees of a firm in the employer pool

FIVE_HAVE_YEARS = 3  # the last three years, this year's in progress
FOUR_GOOD_YEARS = 2  # the two years before this one
FOUR_GOOD_STANDINGS = (23.5, 22.0, 21.0, 20.0, 19.0, 18.0, 17.0, 16.5)  # a chamber's mean item score: its level
FIVE_GOOD_YEARS = 3  # the three years before this one
FIVE_HAVE_MISSES = ("office", "funds", "sign")  # an item another chamber misses in a year


# --- The plan ----------------------------------------------------------------------------------------------
@dataclass
class NominationPlan:
    category: int  # index into the programme's categories
    enterprise: int  # index into the members plan's enterprises
    reason: str
    nominated_on: date
    chamber: int | None = None  # the nominating chamber
    nominated_by: str = "staff"  # a demo login
    status: str = Nomination.Status.NOMINATED


@dataclass
class ProgrammePlan:
    year: int
    name: str
    description: str
    nomination_deadline: date
    status: str
    categories: list  # (name, list size, ((criterion, description, weight), …))
    judges: list  # (login, person index or None, note)
    nominations: list = field(default_factory=list)
    scores: list = field(default_factory=list)  # (nomination, judge, criterion, value, scored on) — indexes
    published_on: date | None = None  # the lists' first versions
    correction: tuple | None = None  # (category index, corrected on): its list's second version


@dataclass
class ItemPlan:
    code: str
    status: str = AssessmentItem.Status.EMPTY
    met: bool | None = None
    score: Decimal | None = None
    note: str = ""
    review_note: str = ""
    verified_on: date | None = None


@dataclass
class AssessmentPlan:
    scheme: str
    year: int
    chamber: int | None  # index into the members plan's chambers; None: the federation's own
    status: str
    items: list
    submitted_on: date | None = None
    confirmed_on: date | None = None
    total_score: Decimal | None = None
    level: str = ""
    note: str = ""


@dataclass
class HonoursPlan:
    seed: int
    end: date
    programmes: list
    assessments: list

    def fingerprint(self):
        text = repr((self.seed, self.end, self.programmes, self.assessments))
        return hashlib.sha256(text.encode()).hexdigest()


# --- Drawing ---------------------------------------------------------------------------------------------
def _half(value):
    """A score to the half point."""
    return Decimal(round(value * 2)) / 2


class _Generator:
    def __init__(self, members_plan, end, seed):
        self.plan, self.end = members_plan, end
        self.rng, self.seed = random.Random(seed), seed
        self.chamber1, self.chamber2 = members_plan.logins["chamber1"], members_plan.logins["chamber2"]
        self.chambers_of = defaultdict(list)  # enterprise → the chambers it is an active member of
        self.members_of = defaultdict(list)
        for m in members_plan.memberships:
            if m.status == ChamberMembership.Status.ACTIVE and m.left is None:
                self.chambers_of[m.enterprise].append(m.chamber)
                self.members_of[m.chamber].append(m.enterprise)
        self.chairman = next(p for p, title, _c in members_plan.positions if title == Position.Title.CHAIRMAN)
        self.chairman_firms = [e for e, _role in members_plan.persons[self.chairman].roles]
        self.standing = {}  # enterprise → its standing, drawn once

    # --- programmes -----------------------------------------------------------------------------------------
    def pool(self, kind, first_year):
        """(firms, weights) a list draws its nominees from: local companies (not 个体工商户) founded before."""
        firms, weights = [], []
        for i, e in enumerate(self.plan.enterprises):
            if e.type_code == "individual" or not e.is_local or e.founded.year >= first_year:
                continue
            if kind == "employer":
                weight = (e.employees or 0) ** 0.5 if (e.employees or 0) >= EMPLOYER_MIN else 0
            elif kind == "tech":
                weight = POOL_WEIGHTS["tech"][e.size] if e.is_high_tech else 0
            else:
                weight = POOL_WEIGHTS[kind][e.size]
            if weight:
                firms.append(i)
                weights.append(weight)
        return firms, weights

    def standing_of(self, firm):
        if firm not in self.standing:
            self.standing[firm] = self.rng.uniform(58, 88) + SIZE_STANDING[self.plan.enterprises[firm].size]
        return self.standing[firm]

    def programmes(self):
        end = self.end
        first_year = end.year - PROGRAMME_YEARS + 1
        specs = _TEXTS["categories"]
        pools = [self.pool(spec["pool"], first_year) for spec in specs]
        categories = [(spec["name"], LIST_SIZE, tuple((name, text, weight) for name, text, weight in spec["criteria"]))
                      for spec in specs]
        judges = [(login, self.chairman if login == "leader" else None, note) for login, note in _TEXTS["judges"]]
        previous = [[] for _ in specs]
        rows = []
        for year in range(first_year, end.year + 1):
            current = year == end.year
            p = ProgrammePlan(year=year, name=_TEXTS["programme_name"], description=_TEXTS["programme_description"],
                              nomination_deadline=date(year, 4, 30), status=Programme.Status.DRAFT,
                              categories=categories, judges=judges)
            opened, scoring_from, scoring_to = date(year, 3, 1), date(year, 5, 6), date(year, 6, 10)
            if current:  # this year's is being scored now: its calendar ends on `end`
                p.nomination_deadline = end - timedelta(days=25)
                opened, scoring_from, scoring_to = end - timedelta(days=80), end - timedelta(days=22), end
            self.play(p, ("open_nominations", "start_scoring") if current else
                      ("open_nominations", "start_scoring", "close_programme"))
            this_year = set()
            for c, spec in enumerate(specs):
                firms = self.nominees(pools[c], previous[c], this_year, spec["name"])
                previous[c] = firms
                this_year.update(firms)
                for firm in firms:
                    p.nominations.append(self.nomination(c, firm, spec, year,
                                                         day_between(self.rng, opened, p.nomination_deadline - timedelta(days=3))))
            others = [n for n in p.nominations if n.enterprise not in self.chairman_firms]
            if not current and others:  # one withdrawn before scoring (never the chairman's firm)
                withdrawn = self.rng.choice(others)
                withdrawn.status = Nomination.Status.WITHDRAWN
                withdrawn.reason += f"（{_TEXTS['withdrawn_reason']}）"
            self.scores(p, scoring_from, scoring_to, partial=current)
            if year == end.year - TIED_YEARS_BACK:
                self.tie(p, TIED_LIST)
            if not current:
                p.published_on = date(year, 6, 28)
                if year == end.year - CORRECTED_YEARS_BACK:
                    p.correction = (0, date(year, 8, 15))  # the first list (依法纳税): a firm owed taxes
            rows.append(p)
        return rows

    def play(self, programme, steps):
        state = SimpleNamespace(status=programme.status)
        for name in steps:
            PROGRAMME_FLOW.check(name, state, role=Role.STAFF)
            state.status = PROGRAMME_FLOW.target(name)
        programme.status = state.status

    def nominees(self, pool, previous, this_year, name):
        rng = self.rng
        firms, weights = pool
        chosen = [f for f in previous if rng.random() < RETURNING]
        if name in CHAIRMAN_LISTS:
            chosen += [f for f in self.chairman_firms[:1] if f not in chosen]
        k = rng.randint(*NOMINATIONS)
        picks = weighted_sample(rng, firms, weights, k + 15)
        for firm in picks:
            if len(chosen) >= k:
                break
            if firm in chosen or (firm in this_year and rng.random() > OTHER_LIST):
                continue
            chosen.append(firm)
        return chosen

    def nomination(self, category, firm, spec, year, day):
        rng = self.rng
        reason = rng.choice(spec["reasons"]).format(year=year, a=rng.randint(8, 600), b=rng.randint(3, 12))
        row = NominationPlan(category=category, enterprise=firm, reason=reason, nominated_on=day)
        mine = self.chambers_of[firm]
        if mine and firm not in self.chairman_firms and rng.random() < CHAMBER_NOMINATED:
            chamber = next((c for c in (self.chamber1, self.chamber2) if c in mine), None)
            row.chamber = chamber if chamber is not None else rng.choice(mine)
            row.nominated_by = {self.chamber1: "chamber1", self.chamber2: "chamber2"}.get(row.chamber, "staff")
        return row

    def scores(self, p, first, last, *, partial):
        rng = self.rng
        for n, nomination in enumerate(p.nominations):
            if nomination.status == Nomination.Status.WITHDRAWN:
                continue
            quality = self.standing_of(nomination.enterprise) + rng.gauss(0, 3)
            criteria = p.categories[nomination.category][2]
            for j, (login, person, _note) in enumerate(p.judges):
                if person == self.chairman and nomination.enterprise in self.chairman_firms:
                    continue  # 回避
                if partial and rng.random() >= (STAFF_SCORED if login == "staff" else LEADER_SCORED):
                    continue
                day = day_between(rng, first, last)
                for c in range(len(criteria)):
                    value = max(40.0, min(100.0, quality + JUDGE_BIAS[login] + rng.gauss(0, 4)))
                    value = Decimal(round(value)) if rng.random() < 0.8 else _half(value)
                    p.scores.append((n, j, c, value, day))

    def tie(self, p, category):
        """Two of the list's strongest nominations get the same scores from every judge: they share a place (并列)."""
        strongest = sorted((n for n, nomination in enumerate(p.nominations)
                            if nomination.category == category and nomination.status == Nomination.Status.NOMINATED
                            and nomination.enterprise not in self.chairman_firms),
                           key=lambda n: -self.standing_of(p.nominations[n].enterprise))
        if len(strongest) < 4:  # (a tiny district)
            return
        first, second = strongest[2], strongest[3]
        values = {(j, c): value for n, j, c, value, _day in p.scores if n == first}
        p.scores = [(n, j, c, values[(j, c)] if n == second else value, day) for n, j, c, value, day in p.scores]

    # --- assessments ----------------------------------------------------------------------------------------
    def assessments(self):
        return self.five_have() + self.four_good() + self.five_good()

    def five_have(self):
        rng, plan, end = self.rng, self.plan, self.end
        streets = [c for c, chamber in enumerate(plan.chambers) if chamber.kind == Chamber.Kind.STREET]
        returned = self.chamber1 if self.chamber1 in streets else streets[0]
        submitted = next(c for c in [self.chamber2, *streets] if c in streets and c != returned)
        rest = [c for c in streets if c not in (returned, submitted)]
        not_started = rng.choice(rest)
        rows = []
        for year in range(end.year - FIVE_HAVE_YEARS + 1, end.year + 1):
            current = year == end.year
            other_miss = rng.choice([c for c in rest if plan.chambers[c].secretary_general])
            missed = rng.choice(FIVE_HAVE_MISSES)
            for c in streets:
                if current and c == not_started:
                    rows.append(AssessmentPlan(scheme=Assessment.Scheme.FIVE_HAVE, year=year, chamber=c,
                                               status=Assessment.Status.DRAFT,
                                               items=[ItemPlan(code=item.code) for item in FIVE_HAVE.items]))
                    continue
                misses = set()
                if not plan.chambers[c].secretary_general:
                    misses.add("team")
                if c == other_miss and not current:
                    misses.add(missed)
                rows.append(self.five_have_of(c, year, misses, returned=current and c == returned,
                                              waiting=current and c == submitted))
        return rows

    def _calendar(self, year):
        """(submitted, confirmed) days of a year's assessment: late in a past year; lately in this one."""
        rng, end = self.rng, self.end
        if year < end.year:
            submitted = day_between(rng, date(year, 11, 5), date(year, 11, 30))
            return submitted, day_between(rng, submitted + timedelta(days=3), date(year, 12, 25))
        submitted = day_between(rng, end - timedelta(days=60), end - timedelta(days=25))
        return submitted, day_between(rng, submitted + timedelta(days=3), end - timedelta(days=5))

    def five_have_of(self, c, year, misses, *, returned=False, waiting=False):
        rng, chamber = self.rng, self.plan.chambers[c]
        numbers = {"sign": 0, "team": rng.randint(2, 6), "office": rng.randint(30, 120), "funds": rng.randint(1, 5),
                   "activities": rng.randint(4, 15)}
        submitted, confirmed = self._calendar(year)
        row = AssessmentPlan(scheme=Assessment.Scheme.FIVE_HAVE, year=year, chamber=c, status=Assessment.Status.DRAFT,
                             items=[])
        steps = ["submit_assessment"]
        for item in FIVE_HAVE.items:
            text = _TEXTS["five_have"][item.code]
            met = item.code not in misses
            note = (text["met"] if met else text["missing"]).format(
                chamber=chamber.name, address=chamber.address, president=chamber.president,
                secretary=chamber.secretary_general, n=numbers[item.code], year=year)
            row.items.append(ItemPlan(code=item.code, met=met, note=note, status=AssessmentItem.Status.PENDING,
                                      review_note="" if met else text["review"]))
        row.submitted_on = submitted
        if waiting:
            row.submitted_on = self.end - timedelta(days=3)
            for item in row.items:
                item.review_note = ""
        elif returned:
            steps.append("return_assessment")
            for item in row.items:
                item.status, item.verified_on = AssessmentItem.Status.VERIFIED, confirmed
                if item.code == _TEXTS["five_have_return"]["item"]:
                    item.status, item.review_note = AssessmentItem.Status.RETURNED, _TEXTS["five_have_return"]["review"]
            row.note = _TEXTS["five_have_return"]["review"]
        else:
            steps.append("confirm_assessment")
            for item in row.items:
                item.status, item.verified_on = AssessmentItem.Status.VERIFIED, confirmed
            row.confirmed_on = confirmed
        self.play_assessment(row, steps, role=Role.CHAMBER)
        return row

    def play_assessment(self, row, steps, *, role):
        state = SimpleNamespace(status=Assessment.Status.DRAFT)
        for name in steps:
            ASSESSMENT_FLOW.check(name, state, role=role if name == "submit_assessment" else Role.STAFF)
            state.status = ASSESSMENT_FLOW.target(name)
        row.status = state.status

    def scored(self, scheme, chamber, year, standing, texts, numbers, role):
        rng = self.rng
        submitted, confirmed = self._calendar(year)
        row = AssessmentPlan(scheme=scheme.key, year=year, chamber=chamber, status=Assessment.Status.DRAFT, items=[],
                             submitted_on=submitted, confirmed_on=confirmed)
        for item in scheme.items:
            score = max(Decimal(8), min(Decimal(item.max_score), _half(standing + rng.gauss(0, 1.2))))
            row.items.append(ItemPlan(code=item.code, score=score, note=texts[item.code].format(n=numbers()),
                                      status=AssessmentItem.Status.VERIFIED, verified_on=confirmed))
        row.total_score = sum(item.score for item in row.items)
        row.level = scheme.level_of(row.total_score)
        self.play_assessment(row, ["submit_assessment", "confirm_assessment"], role=role)
        return row

    def four_good(self):
        rng, plan, end = self.rng, self.plan, self.end
        others = [c for c, chamber in enumerate(plan.chambers) if chamber.kind != Chamber.Kind.STREET]
        chosen = rng.sample(others, min(len(FOUR_GOOD_STANDINGS) - 1, len(others)))
        chosen.append(self.chamber2 if self.chamber2 not in chosen else self.chamber1)
        standings = list(FOUR_GOOD_STANDINGS)
        rng.shuffle(standings)
        rows = []
        for year in range(end.year - FOUR_GOOD_YEARS, end.year):
            for c, standing in zip(chosen, standings, strict=False):
                rows.append(self.scored(FOUR_GOOD, c, year, standing + rng.uniform(-0.8, 0.8), _TEXTS["four_good"],
                                        lambda: rng.randint(5, 60), Role.CHAMBER))
        return rows

    def five_good(self):
        rng, end = self.rng, self.end
        return [self.scored(FIVE_GOOD, None, year, rng.uniform(18.0, 19.3), _TEXTS["five_good"],
                            lambda: rng.randint(12, 80), Role.STAFF)
                for year in range(end.year - FIVE_GOOD_YEARS, end.year)]


def generate(members_plan, *, end=members_demo.AS_OF, seed=DEMO_SEED):
    """The demo district's 评选表彰 and 商会评估, drawn from the members plan (firms, persons and the chairman,
    chambers and their members), as of `end`."""
    gen = _Generator(members_plan, end, seed)
    programmes = gen.programmes()
    assessments = gen.assessments()
    return HonoursPlan(seed=seed, end=end, programmes=programmes, assessments=assessments)


# --- Saving ----------------------------------------------------------------------------------------------
def build(result, *, end=members_demo.AS_OF, seed=DEMO_SEED, plan=None):
    """Save the 评选表彰 and 商会评估 of the demo district `result` (the "members" step's result), and publish the
    past programmes' lists from the saved scores through `ranking`."""
    plan = plan or generate(result.plan, end=end, seed=seed)
    district, users = result.federation, result.users
    enterprises, persons = result.core_ids()
    chambers = list(Chamber.objects.filter(federation=district).order_by("pk").values_list("pk", flat=True))
    tz = timezone.get_current_timezone()

    def at(day, hour=10):
        return datetime.combine(day, time(hour), tz) if day is not None else None

    def user(login):
        found = users.get(login)
        return found.pk if found is not None else None

    with transaction.atomic():
        for p in plan.programmes:
            _programme(p, district, enterprises, persons, chambers, user, at)
        _assessments(plan, district, chambers, user, at)
    return plan


def _programme(p, district, enterprises, persons, chambers, user, at):
    programme = Programme.objects.create(federation=district, name=p.name, year=p.year, description=p.description,
                                         nomination_deadline=p.nomination_deadline, status=p.status)
    categories = Category.objects.bulk_create([Category(programme=programme, name=name, list_size=size, order=n)
                                               for n, (name, size, _criteria) in enumerate(p.categories)])
    criteria = Criterion.objects.bulk_create([
        Criterion(category=category, name=name, description=text, weight=Decimal(weight), order=n)
        for category, (_name, _size, rows) in zip(categories, p.categories, strict=True)
        for n, (name, text, weight) in enumerate(rows)])
    criterion_ids, k = [], 0
    for _name, _size, rows in p.categories:
        criterion_ids.append([c.pk for c in criteria[k:k + len(rows)]])
        k += len(rows)
    judges = Judge.objects.bulk_create([
        Judge(programme=programme, user_id=user(login), person_id=persons[person] if person is not None else None,
              note=note) for login, person, note in p.judges])
    # written with their days (not today's timestamps): explicit ids, so the scores can point at them
    first = next_id(Nomination)
    write_rows(Nomination, ["id", "category", "enterprise", "chamber", "reason", "status", "nominated_by",
                            "nominated_at"],
               [(first + k, categories[n.category].pk, enterprises[n.enterprise],
                 chambers[n.chamber] if n.chamber is not None else None, n.reason, n.status, user(n.nominated_by),
                 at(n.nominated_on, 9)) for k, n in enumerate(p.nominations)])
    reset_sequences(Nomination)
    write_rows(Score, ["nomination", "judge", "criterion", "value", "scored_at"],
               [(first + n, judges[j].pk, criterion_ids[p.nominations[n].category][c], value, at(day, 15))
                for n, j, c, value, day in p.scores])
    if p.published_on is not None:
        _publish(p, categories, user, at)


def _publish(p, categories, user, at):
    """Each category's list from the saved scores (`ranking`); the corrected one: a listed firm withdrawn, its list
    ranked again as version 2 with the reason, the first version superseded."""
    staff = user("staff")
    corrected, corrected_on = p.correction if p.correction is not None else (None, None)
    lists, entries = [], []
    for c, category in enumerate(categories):
        ranked = ranking.rank(category)
        rows = ranking.listed(ranked, category.list_size)
        first = HonourList(category=category, version=1, published_at=at(p.published_on), published_by_id=staff)
        lists.append(first)
        entries.append((first, rows))
        if c != corrected or not CORRECTED_PLACE <= len(rows) < len(ranked):  # (a tiny district: nobody moves up)
            continue
        off = rows[CORRECTED_PLACE - 1].nomination
        Nomination.objects.filter(pk=off.pk).update(status=Nomination.Status.WITHDRAWN)
        again = ranking.listed(ranking.rank(category), category.list_size)
        moved_up = [row for row in again if row.nomination.pk not in {r.nomination.pk for r in rows}]
        first.superseded_at = at(corrected_on)
        second = HonourList(category=category, version=2, published_at=at(corrected_on), published_by_id=staff,
                            reason=_TEXTS["correction_reason"].format(
                                enterprise=off.enterprise.name, place=CORRECTED_PLACE,
                                next="、".join(row.nomination.enterprise.name for row in moved_up)))
        lists.append(second)
        entries.append((second, again))
    HonourList.objects.bulk_create(lists)
    HonourListEntry.objects.bulk_create([
        HonourListEntry(honour_list=honour_list, rank=row.rank, enterprise_id=row.nomination.enterprise_id,
                        enterprise_name=row.nomination.enterprise.name, score=row.total, tied=row.tied)
        for honour_list, rows in entries for row in rows], batch_size=1000)


def _assessments(plan, district, chambers, user, at):
    staff = user("staff")
    objs = Assessment.objects.bulk_create([
        Assessment(federation=district, chamber_id=chambers[a.chamber] if a.chamber is not None else None,
                   scheme=a.scheme, year=a.year, status=a.status, total_score=a.total_score, level=a.level,
                   submitted_at=at(a.submitted_on), confirmed_by_id=staff if a.confirmed_on else None,
                   confirmed_at=at(a.confirmed_on, 16), note=a.note) for a in plan.assessments], batch_size=500)
    AssessmentItem.objects.bulk_create([
        AssessmentItem(assessment=obj, code=item.code, met=item.met, score=item.score, note=item.note,
                       status=item.status, review_note=item.review_note,
                       verified_by_id=staff if item.verified_on else None, verified_at=at(item.verified_on, 15))
        for obj, a in zip(objs, plan.assessments, strict=True) for item in a.items], batch_size=1000)


# --- Reporting ---------------------------------------------------------------------------------------------
def counts():
    current = HonourListEntry.objects.filter(honour_list__superseded_at__isnull=True)
    return [
        ("评选活动", Programme.objects.count()),
        ("提名", Nomination.objects.count()),
        ("评分", Score.objects.count()),
        ("发布榜单", HonourList.objects.filter(superseded_at__isnull=True).count()),
        ("上榜企业（去重）", current.values("enterprise").distinct().count()),
        ("商会评估", Assessment.objects.count()),
    ]


@register("honours", after=("members",), counts=counts)
def seed(run):
    """`seed_demo`'s step: the core district's five yearly 10强 programmes (the four past ones published, this
    year's being scored) and its chambers' 五有/四好 and the federation's 五好 assessments, up to today."""
    return build(run.results["members"], end=run.today)
