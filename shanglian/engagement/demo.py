"""Demo 政治引领 of the demo district, shaped like the seeds ("执委中51名安排为人大代表、政协委员", "近三年提交议案、
提案307件", "区领导包联民营企业, 区、街两级帮联, 联系百家企业", "党组织62家", "17个街道联合党委全覆盖", "两个覆盖"):

- 代表人士数据库: political arrangements (区/市 人大代表 and 政协委员, a few 省级, some 党代表) for about a quarter of
  the executive committee of the current term (主席, 副主席, 常委, 执委) and for some other figures (chamber
  presidents, two of them in chamber1's members), with the previous term held by some (the seat's two terms
  never overlap); honours; cultivation plans (杰青领航, 新生代 …) for new-generation figures.
- Proposals: three years (30–60 a year) of 提案 (CPPCC members, and the federation as a body), 建议 and 议案 (NPC
  deputies) and 社情民意信息 (the federation, a chamber), each played through `workflow.PROPOSAL_FLOW` step by
  step (its immutable log) up to `end`: many adopted, each with the 实际举措 it became, some linked to a policy of
  the handling department published after the proposal.
- Liaison: the demo leader, a staff member and five district leaders (through the department behind each)
  包联 enterprises at district level; street cadres 帮联 the enterprises of their street; a few earlier
  assignments ended. A year of visits, a few of the leader's enterprises overdue for one. The desk's appeals of
  channel 走访 noted "区领导包联走访（…）" (the appeals demo) were found on a visit: that visit is recorded on the
  appeal's day by the enterprise's liaison, and linked to the appeal (`VisitAppeal`) — the appeal's timeline
  says where it came from, as `services.liaison.raise_appeal_from_visit` writes it.
- Party building: the census of party members (enterprises other than 个体工商户, most surveyed), organisations of
  the enterprises with enough members (党支部/党总支/党委), 联合党委 of street chambers or of streets covering
  the others, 功能型党支部 of some other chambers, a dissolved one; streets where coverage stays below 100 % (no
  联合党委, a building chamber without one); 党建指导员 (in those streets and some enterprises); two years of
  主题党日 and 三会一课.

`generate(...)` draws everything into an `EngagementPlan` of plain values (persons, enterprises, chambers,
streets and departments as indexes into the members plan, policies into the policies plan, users by demo
login) from its own seeded generator: the same plans, seed and `end` give the same plan (`fingerprint()`).
`build(...)` writes it with bulk inserts. A builder of the demo registry (step "engagement", after members,
appeals and policies); `seed_demo --if-empty` never runs it twice.
"""

import hashlib
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

from django.db import transaction
from django.utils import timezone

from shanglian.accounts.roles import Role
from shanglian.appeals.models import Appeal, Channel
from shanglian.common.models import DictItem
from shanglian.common.numbering import continue_after, last_of_each_day
from shanglian.demo import orgs
from shanglian.demo.draws import day_between, weighted
from shanglian.demo.files import load_toml
from shanglian.demo.names import Names
from shanglian.demo.registry import register
from shanglian.members import demo as members_demo
from shanglian.members.models import ChamberMembership, Person
from shanglian.orgs.models import Chamber, Department, Position, Street
from shanglian.policies.models import Policy

from .models import (
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
)
from .workflow import PROPOSAL_FLOW

__all__ = ["EngagementPlan", "build", "counts", "generate"]

DEMO_SEED = members_demo.DEMO_SEED + 7  # the engagement's own stream
_TEXTS = load_toml("engagement.toml")

EXECUTIVE_TITLES = (Position.Title.CHAIRMAN, Position.Title.VICE_CHAIRMAN, Position.Title.STANDING,
                    Position.Title.EXECUTIVE)
EXECUTIVES_ARRANGED_SHARE = 0.25  # "about a quarter of the executive committee"
OTHER_FIGURES = 12  # arranged figures outside the executive committee
PROPOSALS_A_YEAR = (36, 56)  # "近三年提交议案、提案307件": 30–60 a year
PROPOSAL_YEARS = 3
VISIT_APPEAL_NOTE = "区领导包联走访"  # the appeals demo's note of appeals taken on a leader's visit
LEADER_ENTERPRISES = 8
STAFF_ENTERPRISES = 4
DISTRICT_LEADER_ENTERPRISES = 8
STREET_ENTERPRISES = (3, 5)
WEAK_STREETS = 3  # streets without a 联合党委 (coverage below 100 %), besides a building chamber without one
ACTIVITY_YEARS = 2
RECENT_VISIT_SHARE = 0.8  # of the liaisons in force: visited in the last RECENT_DAYS
RECENT_DAYS = 80
CENSUS_SHARE = 0.6  # of the enterprises other than 个体工商户: surveyed
# by size: the share employing party members, and how many (low, high)
PARTY_MEMBERS = {"large": (0.9, 3, 60), "medium": (0.6, 0, 15), "small": (0.4, 0, 4), "micro": (0.25, 0, 2)}
OWN_ORGANISATION_SHARE = 0.15  # of the firms with 3–9 members (10 or more always have one)
CHINESE_NUMBERS = "零一二三四五六七八九十"

TERMS = {(t["kind"], t["level"]): (tuple(t["current"]), tuple(t["previous"])) for t in _TEXTS["terms"]}
TOPICS = {t["code"]: t for t in _TEXTS["topics"]}


# --- The plan ----------------------------------------------------------------------------------------------
@dataclass
class ArrangementPlan:
    person: int  # index into the members plan's persons
    kind: str
    level: str
    term: str
    start: date
    end: date | None = None
    role: str = Arrangement.Role.MEMBER
    sector: str = ""


@dataclass
class ProposalPlan:
    number: str
    kind: str
    title: str
    text: str
    topic: str  # a `proposal_topic` code
    year: int
    session: str
    recipient: str
    created: date
    body: str = Proposal.Body.NONE
    chamber: int | None = None  # index into the members plan's chambers
    submitters: tuple = ()  # person indexes
    department: int | None = None  # index into the members plan's departments
    status: str = Proposal.Status.DRAFT
    submitted_on: date | None = None
    registered_on: date | None = None
    replied_on: date | None = None
    decided_on: date | None = None
    reply: str = ""
    measure: str = ""
    policy: int | None = None  # index into the policies plan
    decline_reason: str = ""
    steps: list = field(default_factory=list)  # (day, action, from, to, note)


@dataclass
class LiaisonPlan:
    enterprise: int
    level: str
    start: date
    end: date | None = None
    user: str | None = None  # a demo login
    department: int | None = None
    liaison_name: str = ""
    street: int | None = None  # index into the streets (orgs.STREETS order)
    note: str = ""


@dataclass
class VisitPlan:
    enterprise: int
    liaison: int  # index into the plan's liaisons
    visited_on: date
    visitors: str
    people_met: str
    summary: str
    problems: str = ""
    follow_up: str = ""
    recorded_by: str = "staff"
    appeal: str = ""  # the number of the appeal it opened


@dataclass
class OrganisationPlan:
    name: str
    kind: str
    enterprise: int | None = None
    chamber: int | None = None
    street: int | None = None
    covered: tuple = ()  # enterprise indexes
    founded: date | None = None
    dissolved: date | None = None
    members_count: int = 0
    secretary: str = ""


@dataclass
class InstructorPlan:
    name: str
    unit: str
    start: date
    enterprise: int | None = None
    chamber: int | None = None
    end: date | None = None


@dataclass
class EngagementPlan:
    seed: int
    end: date
    arrangements: list
    honours: list  # (person, title, conferred by, year)
    cultivations: list  # (person, plan code, start, end, status)
    proposals: list
    liaisons: list
    visits: list
    census: list  # (enterprise, party members, surveyed on)
    organisations: list
    instructors: list
    activities: list  # (organisation index, kind, held on, title, attendees, recorded by login)

    def fingerprint(self):
        text = repr((self.seed, self.end, self.arrangements, self.honours, self.cultivations, self.proposals,
                     self.liaisons, self.visits, self.census, self.organisations, self.instructors, self.activities))
        return hashlib.sha256(text.encode()).hexdigest()


# --- Drawing ---------------------------------------------------------------------------------------------
class _Generator:
    def __init__(self, members_plan, appeals_plan, policies_plan, end, seed):
        self.plan, self.end = members_plan, end
        self.appeals = appeals_plan.appeals if appeals_plan is not None else []
        self.policies = policies_plan.policies if policies_plan is not None else []
        self.rng, self.seed = random.Random(seed), seed
        self.names = Names(self.rng)
        self.departments = {short: i for i, (_name, short, _contact, _phone) in enumerate(members_plan.departments)}
        self.persons_of = defaultdict(list)  # enterprise → persons holding a role there
        for i, person in enumerate(members_plan.persons):
            for enterprise, _role in person.roles:
                self.persons_of[enterprise].append(i)
        self.members_of = defaultdict(list)  # chamber → its active member enterprises
        self.chambers_of = defaultdict(list)  # enterprise → the chambers it is an active member of
        for m in members_plan.memberships:
            if m.status == ChamberMembership.Status.ACTIVE and m.left is None:
                self.members_of[m.chamber].append(m.enterprise)
                self.chambers_of[m.enterprise].append(m.chamber)
        self.street_chamber = {c.street: i for i, c in enumerate(members_plan.chambers)
                               if c.kind == Chamber.Kind.STREET}
        self.topic_names = dict(DictItem.objects.filter(kind="proposal_topic").values_list("code", "label"))

    def pick(self, items, k):
        items = list(items)
        return self.rng.sample(items, min(k, len(items)))

    # --- 代表人士数据库 -----------------------------------------------------------------------------------
    def arrangements(self):
        rng, plan = self.rng, self.plan
        executives = [person for person, title, _committee in plan.positions if title in EXECUTIVE_TITLES]
        chairman = executives[0]
        arranged = [chairman] + self.pick(executives[1:], round(len(executives) * EXECUTIVES_ARRANGED_SHARE) - 1)
        seats = [("cppcc", "district")] * 4 + [("npc", "district")] * 3 + [("cppcc", "city"), ("npc", "city"),
                                                                          ("cppcc", "province")]
        rows = []
        for n, person in enumerate(arranged):
            kind, level = seats[n % len(seats)]
            rows += self.seat(person, kind, level, role=Arrangement.Role.STANDING if person == chairman else None)
            if rng.random() < 0.2:  # some hold a second seat (a city one beside a district one)
                rows += self.seat(person, "npc" if kind == "cppcc" else "cppcc", "city")
        for person in self.pick(arranged, 2):
            rows += self.seat(person, "party_congress", "district")
        # figures outside the committee: chamber presidents and members' heads, two of them in chamber1's members
        taken = set(executives)
        own = [p for e in self.members_of[self.plan.logins["chamber1"]] for p in self.persons_of[e] if p not in taken]
        second = [p for e in self.members_of[self.plan.logins["chamber2"]] for p in self.persons_of[e]
                  if p not in taken and p not in own]
        others = [p for p in range(len(plan.persons)) if p not in taken and p not in own and p not in second
                  and plan.enterprises[plan.persons[p].roles[0][0]].type_code != "individual"]
        chosen = self.pick(own, 2) + self.pick(second, 1)
        chosen += self.pick(others, OTHER_FIGURES - len(chosen))
        for person in chosen:
            kind, level = weighted(rng, [(("cppcc", "district"), 5), (("npc", "district"), 4), (("cppcc", "city"), 1)])
            rows += self.seat(person, kind, level)
        # one who held a seat only in the previous term (no longer in force)
        former = self.pick([p for p in others if p not in chosen], 2)
        for person in former:
            (_term, start), (old_term, old_start) = TERMS[("cppcc", "district")]
            rows.append(ArrangementPlan(person=person, kind="cppcc", level="district", term=old_term, start=old_start,
                                        end=start - timedelta(days=1), sector=rng.choice(_TEXTS["cppcc_sectors"])))
        self.arranged = rows
        return rows

    def seat(self, person, kind, level, role=None):
        """The person's seat of this term (and, for some, the previous term's, ended the day before)."""
        rng = self.rng
        (term, start), (old_term, old_start) = TERMS[(kind, level)]
        sector = self.sector(kind, level)
        role = role or (Arrangement.Role.STANDING if rng.random() < 0.12 else Arrangement.Role.MEMBER)
        rows = [ArrangementPlan(person=person, kind=kind, level=level, term=term, start=start, role=role,
                                sector=sector)]
        if rng.random() < 0.4:
            rows.insert(0, ArrangementPlan(person=person, kind=kind, level=level, term=old_term, start=old_start,
                                           end=start - timedelta(days=1), sector=sector))
        return rows

    def sector(self, kind, level):
        if kind == "cppcc":
            return self.rng.choice(_TEXTS["cppcc_sectors"])
        if kind == "npc":
            return _TEXTS["npc_delegations"][level].format(n=self.rng.randint(1, 40))
        return ""

    def honours(self):
        rng = self.rng
        people = sorted({a.person for a in self.arranged})
        rows = []
        for person in self.pick(people, 14) + self.pick(range(len(self.plan.persons)), 4):
            title, by = rng.choice(_TEXTS["honours"])
            if title == "河西区三八红旗手" and self.plan.persons[person].gender != Person.Gender.FEMALE:
                title, by = _TEXTS["honours"][0]
            rows.append((person, title, by, rng.randint(self.end.year - 5, self.end.year - 1)))
        return rows

    def cultivations(self):
        rng, persons = self.rng, self.plan.persons
        young = [i for i, p in enumerate(persons) if p.is_new_generation and p.roles]
        old = [i for i, p in enumerate(persons) if not p.is_new_generation and p.roles]
        plans = ["outstanding_youth"] * 10 + ["new_generation"] * 10 + ["young_successor"] * 4
        rows = [self.cultivation(person, code)
                for person, code in zip(self.pick(young, len(plans)), plans, strict=False)]
        rows += [self.cultivation(person, "backbone") for person in self.pick(old, 8)]
        if rows:  # one left the plan
            n = rng.randrange(len(rows))
            person, code, start, _end, _status = rows[n]
            rows[n] = (person, code, start, start + timedelta(days=200), Cultivation.Status.WITHDRAWN)
        return rows

    def cultivation(self, person, code):
        start = date(self.rng.randint(self.end.year - 4, self.end.year), self.rng.choice((3, 4, 9)), 1)
        if start >= self.end:
            start = date(self.end.year, 3, 1)
        finish = date(start.year + 2, start.month, 1) - timedelta(days=1)
        if finish < self.end:
            return person, code, start, finish, Cultivation.Status.COMPLETED
        return person, code, start, None, Cultivation.Status.ACTIVE

    # --- proposals -------------------------------------------------------------------------------------
    def proposals(self):
        end = self.end
        rows, numbers = [], defaultdict(int)
        for year in range(end.year - PROPOSAL_YEARS + 1, end.year + 1):
            day = date(year, 6, 30)
            holders = defaultdict(list)  # kind → persons holding a district seat of it that year
            for a in self.arranged:
                if a.level == "district" and a.start <= day and (a.end is None or a.end >= day):
                    holders[a.kind].append(a.person)
            for _ in range(random.Random(f"{self.seed}:{year}").randint(*PROPOSALS_A_YEAR)):
                proposal = self.proposal(year, holders)
                if proposal is None:
                    continue
                key = f"TA{proposal.created:%Y%m%d}"
                numbers[key] += 1
                proposal.number = f"{key}{numbers[key]:04d}"
                rows.append(proposal)
        self.numbers = numbers
        return rows

    def proposal(self, year, holders):
        rng, end = self.rng, self.end
        source = weighted(rng, [("cppcc", 52), ("npc", 20), ("motion", 3), ("federation", 12), ("opinion", 10),
                                ("chamber", 3)])
        body, chamber, submitters = Proposal.Body.NONE, None, ()
        if source in ("cppcc", "npc", "motion"):
            pool = holders["cppcc" if source == "cppcc" else "npc"]
            if not pool:
                return None
            submitters = tuple(sorted(self.pick(pool, weighted(rng, [(1, 70), (2, 20), (3, 10)]))))
            kind = {"cppcc": Proposal.Kind.PROPOSAL, "npc": Proposal.Kind.SUGGESTION, "motion": Proposal.Kind.MOTION}[
                source]
        elif source == "federation":
            kind, body = Proposal.Kind.PROPOSAL, Proposal.Body.FEDERATION
        elif source == "opinion":
            kind, body = Proposal.Kind.OPINION, Proposal.Body.FEDERATION
        else:
            kind, body = Proposal.Kind.OPINION, Proposal.Body.CHAMBER
            chamber = self.plan.logins["chamber1"] if rng.random() < 0.5 else rng.randrange(len(self.plan.chambers))
        topic = weighted(rng, [("business_environment", 20), ("finance", 16), ("tax", 10), ("talent", 14),
                               ("land", 8), ("innovation", 12), ("rural", 5), ("rule_of_law", 9), ("other", 6)])
        spec = TOPICS[topic]
        if kind == Proposal.Kind.OPINION:
            submitted = day_between(rng, date(year, 2, 1), date(year, 11, 30))
        else:
            submitted = day_between(rng, date(year, 1, 6), date(year, 1, 20))
        if submitted >= end:
            return None
        session_of_term = year - 2021
        session = _TEXTS["sessions"][kind].format(y=year, n=CHINESE_NUMBERS[session_of_term]
                                                  if 0 < session_of_term <= 10 else session_of_term)
        title = rng.choice(spec["titles"])
        if kind == Proposal.Kind.OPINION:
            title = title.replace("的提案", "的情况反映").replace("的建议", "的情况反映")
        elif kind == Proposal.Kind.MOTION:
            title = title.replace("的提案", "的议案").replace("的建议", "的议案")
        elif kind == Proposal.Kind.SUGGESTION:
            title = title.replace("的提案", "的建议")
        else:
            title = title.replace("的建议", "的提案")
        p = ProposalPlan(number="", kind=kind, title=title,
                         text=rng.choice(_TEXTS["texts"]).format(topic=self.topic_names.get(topic, "")),
                         topic=topic, year=year, session=session, recipient=_TEXTS["recipients"][kind],
                         created=submitted - timedelta(days=rng.randint(1, 10)), body=body, chamber=chamber,
                         submitters=submitters)
        self.play(p, submitted, spec)
        return p

    def play(self, p, submitted, spec):
        """The proposal's life up to `end`, through the transition table: every step is checked."""
        rng, end = self.rng, self.end
        past = p.year < end.year
        goal = weighted(rng, [("adopt", 50), ("decline", 15), ("reply", 30), ("handle", 5)] if past else
                        [("adopt", 40), ("decline", 10), ("reply", 30), ("handle", 10), ("register", 5),
                         ("submit", 3), ("draft", 2)])
        state = SimpleNamespace(status=p.status)

        def step(name, day, note=""):
            if day >= end:
                return False
            PROPOSAL_FLOW.check(name, state, role=Role.STAFF)
            before, state.status = state.status, PROPOSAL_FLOW.target(name)
            p.steps.append((day, name, before, state.status, note))
            p.status = state.status
            return True

        p.steps.append((p.created, "draft_proposal", "", Proposal.Status.DRAFT, ""))
        if goal == "draft" or not step("submit_proposal", submitted):
            return
        p.submitted_on = submitted
        if goal == "submit":
            return
        registered = submitted + timedelta(days=rng.randint(7, 25))
        if goal == "decline" and rng.random() < 0.3:  # not taken up at all
            self.decline(p, step, registered)
            return
        if not step("register_proposal", registered):
            return
        p.registered_on = registered
        if goal == "register":
            return
        handed = registered + timedelta(days=rng.randint(3, 12))
        if not step("hand_over", handed, f"交{spec['department']}办理"):
            return
        p.department = self.departments.get(spec["department"])
        if goal == "handle":
            return
        replied = handed + timedelta(days=rng.randint(40, 110))
        measure = rng.choice(spec["measures"])
        reply = f"{rng.choice(_TEXTS['replies'])}{measure if goal == 'adopt' else '我单位将认真研究吸纳。'}"
        if not step("record_reply", replied):
            return
        p.replied_on, p.reply = replied, reply
        if goal == "reply":
            return
        decided = replied + timedelta(days=rng.randint(10, 45))
        if goal == "decline":
            self.decline(p, step, decided)
            return
        if step("adopt_proposal", decided):
            p.decided_on, p.measure = decided, measure
            if rng.random() < 0.45:
                p.policy = self.policy_for(spec["department"], submitted)

    def decline(self, p, step, day):
        reason = self.rng.choice(_TEXTS["decline_reasons"])
        if step("decline_proposal", day, reason):
            p.decided_on, p.decline_reason = day, reason

    def policy_for(self, department, since):
        """A published policy of the handling department, published after the proposal (else none)."""
        dept = self.departments.get(department)
        fits = [i for i, policy in enumerate(self.policies)
                if policy.status == Policy.Status.PUBLISHED and policy.department == dept and policy.published_on
                and since < policy.published_on < self.end]
        return self.rng.choice(fits) if fits else None

    # --- liaison --------------------------------------------------------------------------------------
    def liaisons(self):
        rng, plan, end = self.rng, self.plan, self.end
        size_weight = {"large": 12, "medium": 6, "small": 2, "micro": 0.5}
        candidates = [i for i, e in enumerate(plan.enterprises) if e.type_code != "individual"]
        # the appeals taken on a leader's visit: their firms are under a leader's liaison
        first_day = end - timedelta(days=365)
        self.visit_appeals = [a for a in self.appeals if a.channel == Channel.VISIT and a.number
                              and a.source_note.startswith(VISIT_APPEAL_NOTE) and a.submitted_at.date() >= first_day
                              and a.submitted_at.date() <= end]
        # newest first: the leader's own two have appeals of this year
        appeal_firms = list(dict.fromkeys(a.enterprise for a in sorted(self.visit_appeals, key=lambda a: a.submitted_at,
                                                                          reverse=True)))
        taken = set(appeal_firms)
        keyed = sorted(((rng.random() ** (1 / size_weight[plan.enterprises[i].size]), i) for i in candidates
                        if i not in taken), reverse=True)
        pool = [i for _key, i in keyed]
        rows = []
        since = date(end.year - 2, 1, 1)

        def take(n):
            chosen, pool[:] = pool[:n], pool[n:]
            return chosen

        leader = appeal_firms[:2] + take(LEADER_ENTERPRISES - min(2, len(appeal_firms)))
        for enterprise in leader:
            rows.append(LiaisonPlan(enterprise=enterprise, level=Liaison.Level.DISTRICT, start=since, user="leader",
                                    note="区工商联主席包联"))
        for enterprise in take(STAFF_ENTERPRISES):
            rows.append(LiaisonPlan(enterprise=enterprise, level=Liaison.Level.DISTRICT,
                                    start=date(end.year - 1, 3, 1), user="staff", note="机关干部包联"))
        rest = appeal_firms[2:]
        leaders = _TEXTS["district_leaders"]
        for n, (name, department) in enumerate(leaders):
            mine = rest[n::len(leaders)] + take(DISTRICT_LEADER_ENTERPRISES)
            for enterprise in mine:
                rows.append(LiaisonPlan(enterprise=enterprise, level=Liaison.Level.DISTRICT, start=since,
                                        department=self.departments[department], liaison_name=name))
        # street level: the street's cadres, through the department that coordinates them
        by_street = defaultdict(list)
        for i in pool:
            if plan.enterprises[i].street is not None:
                by_street[plan.enterprises[i].street].append(i)
        street_department = self.departments[_TEXTS["street_department"]]
        for street, (street_name, _roads) in enumerate(orgs.STREETS):
            for enterprise in by_street[street][:rng.randint(*STREET_ENTERPRISES)]:
                rows.append(LiaisonPlan(enterprise=enterprise, level=Liaison.Level.STREET, street=street,
                                        start=date(end.year - 1, 1, 1), department=street_department,
                                        liaison_name=f"{street_name}{rng.choice(_TEXTS['street_cadres'])}"))
        # earlier assignments handed over: a district leader before the current one
        for row in self.pick([r for r in rows if r.start == since], 4):
            name, department = rng.choice(leaders)
            rows.append(LiaisonPlan(enterprise=row.enterprise, level=Liaison.Level.DISTRICT,
                                    start=date(end.year - 4, 1, 1), end=since - timedelta(days=1),
                                    department=self.departments[department], liaison_name=name, note="换届调整"))
        self.liaison_rows = rows
        return rows

    def visits(self):
        rng, end = self.rng, self.end
        first, last = end - timedelta(days=365), end - timedelta(days=1)
        rows = []
        staff_name = "区工商联王主任"
        by_enterprise = {}
        for index, liaison in enumerate(self.liaison_rows):
            if liaison.end is None:
                by_enterprise[liaison.enterprise] = index
        leader_rows = [i for i, r in enumerate(self.liaison_rows) if r.user == "leader"]
        overdue = set(leader_rows[-3:-1])  # last visited months ago
        never = set(leader_rows[-1:])  # not visited this year
        for index, liaison in enumerate(self.liaison_rows):
            if liaison.end is not None or index in never:
                continue
            start = max(first, liaison.start)
            if index in overdue:
                days = sorted(day_between(rng, start, start + timedelta(days=60)) for _ in range(rng.randint(1, 2)))
            else:
                count = rng.randint(1, 3) if liaison.level == Liaison.Level.DISTRICT else rng.randint(1, 4)
                days = [day_between(rng, start, last) for _ in range(count - 1)]
                # most were visited lately (the 待办 counts the others); the leader keeps up but for a few
                recent = liaison.user == "leader" or rng.random() < RECENT_VISIT_SHARE
                days.append(day_between(rng, last - timedelta(days=RECENT_DAYS), last) if recent
                            else day_between(rng, start, last))
                days.sort()
            for day in days:
                rows.append(self.visit(index, liaison, day, staff_name))
        for appeal in self.visit_appeals:
            index = by_enterprise.get(appeal.enterprise)
            if index is None:
                continue
            liaison = self.liaison_rows[index]
            visit = self.visit(index, liaison, appeal.submitted_at.date(), staff_name)
            visit.problems = appeal.title
            visit.follow_up = f"已登记为诉求（{appeal.number}），转诉求办理平台办理。"
            visit.appeal = appeal.number
            rows.append(visit)
        rows.sort(key=lambda v: (v.visited_on, v.enterprise))
        return rows

    def visit(self, index, liaison, day, staff_name):
        rng, plan = self.rng, self.plan
        enterprise = plan.enterprises[liaison.enterprise]
        if liaison.user == "leader":
            visitors = f"{plan.logins['display']['leader']}、{staff_name}"
        elif liaison.user == "staff":
            visitors = staff_name
        else:
            visitors = f"{liaison.liaison_name}、{staff_name}" if liaison.level == Liaison.Level.DISTRICT \
                else liaison.liaison_name
        met = f"{enterprise.legal_representative}（{rng.choice(_TEXTS['met'])}）"
        problems = rng.choice(_TEXTS["problems"]) if rng.random() < 0.35 else ""
        follow_up = rng.choice(_TEXTS["follow_ups"]) if problems else ""
        return VisitPlan(enterprise=liaison.enterprise, liaison=index, visited_on=day, visitors=visitors,
                         people_met=met, summary=rng.choice(_TEXTS["summaries"]), problems=problems,
                         follow_up=follow_up, recorded_by="leader" if liaison.user == "leader" else "staff")

    # --- party building ----------------------------------------------------------------------------------
    def party(self):
        rng, plan, end = self.rng, self.plan, self.end
        surveyed = date(end.year - 1, 12, 31) if end.month < 6 else date(end.year, 6, 30)
        census = []
        for i, e in enumerate(plan.enterprises):
            if e.type_code == "individual" or rng.random() > CENSUS_SHARE:
                continue
            share, low, high = PARTY_MEMBERS[e.size]
            census.append((i, rng.randint(low, high) if rng.random() < share else 0, surveyed))
        count_of = {i: n for i, n, _day in census}
        streets = len(orgs.STREETS)
        building = {c.street for c in plan.chambers if c.kind == Chamber.Kind.BUILDING}
        # the weak streets (no 联合党委) each keep a firm with 3–9 members uncovered: coverage below 100 % there
        uncoverable = defaultdict(list)
        for i, n in sorted(count_of.items()):
            if 3 <= n < 10 and plan.enterprises[i].street is not None:
                uncoverable[plan.enterprises[i].street].append(i)
        candidates = [s for s in range(2, streets) if s not in building and uncoverable[s]]
        weak = set(self.pick(candidates, WEAK_STREETS))
        left_out = {uncoverable[s][0] for s in weak}
        gap = next(iter(sorted(building)), None)  # its building chamber has no 联合党委
        organisations, covered = [], set()

        def founded():
            return day_between(rng, date(2012, 1, 1), date(end.year - 1, 6, 30))

        # the enterprises' own organisations
        for i, n in sorted(count_of.items()):
            if n < 3:
                continue
            if n >= 10 or (i not in left_out and rng.random() < OWN_ORGANISATION_SHARE):
                kind = (PartyOrganisation.Kind.COMMITTEE if n >= 50 else PartyOrganisation.Kind.GENERAL_BRANCH
                        if n >= 30 else PartyOrganisation.Kind.BRANCH)
                label = PartyOrganisation.Kind(kind).label
                organisations.append(OrganisationPlan(
                    name=f"{plan.enterprises[i].name}{label}", kind=kind, enterprise=i, founded=founded(),
                    members_count=n, secretary=self.names.person(rng.random() < 0.3)))
                covered.add(i)
        # a joint committee per street: hosted by the street chamber, or by the street where a building chamber is
        for street, (street_name, _roads) in enumerate(orgs.STREETS):
            if street in weak:
                continue
            in_street = [i for i, n in sorted(count_of.items()) if n >= 1 and i not in covered
                         and plan.enterprises[i].street == street and (n >= 3 or rng.random() < 0.7)]
            if street in building and street != gap:
                organisations.append(OrganisationPlan(
                    name=_TEXTS["street_committee"].format(street=street_name),
                    kind=PartyOrganisation.Kind.JOINT_COMMITTEE, street=street, covered=tuple(in_street),
                    founded=founded(), members_count=sum(count_of[i] for i in in_street),
                    secretary=self.names.person(rng.random() < 0.3)))
            else:
                chamber = self.street_chamber[street]
                organisations.append(OrganisationPlan(
                    name=_TEXTS["chamber_committee"].format(chamber=plan.chambers[chamber].name),
                    kind=PartyOrganisation.Kind.JOINT_COMMITTEE, chamber=chamber, covered=tuple(in_street),
                    founded=founded(), members_count=sum(count_of[i] for i in in_street),
                    secretary=self.names.person(rng.random() < 0.3)))
            covered.update(in_street)
        # 功能型党支部 of some chambers that are not a street's (industry, non-local, women's)
        others = [c for c, chamber in enumerate(plan.chambers) if chamber.kind in
                  (Chamber.Kind.INDUSTRY, Chamber.Kind.NONLOCAL, Chamber.Kind.OTHER)]
        for chamber in self.pick(others, 4):
            theirs = [i for i in self.members_of[chamber] if count_of.get(i, 0) >= 1 and i not in covered
                      and plan.enterprises[i].street not in weak][:6]
            organisations.append(OrganisationPlan(
                name=_TEXTS["functional_branch"].format(chamber=plan.chambers[chamber].name),
                kind=PartyOrganisation.Kind.FUNCTIONAL_BRANCH, chamber=chamber, covered=tuple(theirs),
                founded=founded(), members_count=sum(count_of[i] for i in theirs) + rng.randint(3, 6),
                secretary=self.names.person(rng.random() < 0.3)))
            covered.update(theirs)
        # an organisation dissolved when its firm moved away (history: not counted)
        small = [i for i, n in sorted(count_of.items()) if 1 <= n < 3 and i not in covered]
        if small:
            i = rng.choice(small)
            organisations.append(OrganisationPlan(
                name=f"{plan.enterprises[i].name}党支部", kind=PartyOrganisation.Kind.BRANCH, enterprise=i,
                founded=date(2015, 7, 1), dissolved=date(end.year - 2, 12, 31), members_count=count_of[i],
                secretary=self.names.person(False)))
        # 党建指导员: in the weak streets' chambers, and for some small firms (工作覆盖 without an organisation)
        instructors = []
        for street in sorted(weak):
            instructors.append(InstructorPlan(
                name=self.names.person(rng.random() < 0.4),
                unit=rng.choice(_TEXTS["instructor_units"]).format(street=orgs.STREETS[street][0]),
                chamber=self.street_chamber[street], start=date(end.year - 1, 3, 1)))
        for i in self.pick([i for i, n in sorted(count_of.items()) if 1 <= n < 3 and i not in covered], 8):
            instructors.append(InstructorPlan(name=self.names.person(rng.random() < 0.4),
                                              unit=rng.choice(_TEXTS["instructor_units"]).format(
                                                  street=orgs.STREETS[plan.enterprises[i].street or 0][0]),
                                              enterprise=i, start=date(end.year - 2, 9, 1)))
        if instructors:  # one whose assignment ended
            instructors[-1].end = date(end.year - 1, 8, 31)
        self.weak, self.gap = weak, gap
        return census, organisations, instructors

    def activities(self, organisations):
        rng, end = self.rng, self.end
        rows = []
        chamber1, chamber2 = self.plan.logins["chamber1"], self.plan.logins["chamber2"]
        for index, o in enumerate(organisations):
            if o.dissolved is not None:
                continue
            keeper = "staff"
            if o.chamber == chamber1 or (o.enterprise is not None and chamber1 in self.chambers_of[o.enterprise]):
                keeper = "chamber1"
            elif o.chamber == chamber2 or (o.enterprise is not None and chamber2 in self.chambers_of[o.enterprise]):
                keeper = "chamber2"
            people = max(o.members_count, 3)
            for year in range(end.year - ACTIVITY_YEARS + 1, end.year + 1):
                for month in range(1, 13):
                    first = max(date(year, month, 1), o.founded or date(year, month, 1))
                    if first >= end or first.year != year or first.month != month:
                        continue
                    last = min(date(year, month, 28), end - timedelta(days=1))
                    if last < first:
                        continue
                    drawn = []
                    if rng.random() < 0.7:
                        drawn.append((PartyActivity.Kind.THEME_DAY, rng.choice(_TEXTS["theme_days"])))
                    if rng.random() < 0.35:
                        drawn.append((PartyActivity.Kind.BRANCH_COMMITTEE, rng.choice(_TEXTS["committee_meetings"])))
                    if month % 3 == 0 and rng.random() < 0.8:
                        drawn.append((PartyActivity.Kind.PARTY_LECTURE, rng.choice(_TEXTS["lectures"])))
                    if month % 3 == 1 and rng.random() < 0.6:
                        drawn.append((PartyActivity.Kind.BRANCH_ASSEMBLY, rng.choice(_TEXTS["assemblies"])))
                    if people >= 10 and rng.random() < 0.2:
                        drawn.append((PartyActivity.Kind.GROUP_MEETING, rng.choice(_TEXTS["group_meetings"])))
                    for kind, title in drawn:
                        attendees = max(1, round(people * rng.uniform(0.6, 1.0)))
                        rows.append((index, kind, day_between(rng, first, last), title, attendees, keeper))
        return rows


def generate(members_plan, appeals_plan=None, policies_plan=None, *, end=members_demo.AS_OF, seed=DEMO_SEED):
    """The demo district's 政治引领, drawn from the members plan (persons, positions, chambers, firms), the appeals
    plan (its appeals taken on a leader's visit) and the policies plan (the policies adopted proposals became),
    as of `end`."""
    gen = _Generator(members_plan, appeals_plan, policies_plan, end, seed)
    arrangements = gen.arrangements()
    honours = gen.honours()
    cultivations = gen.cultivations()
    proposals = gen.proposals()
    liaisons = gen.liaisons()
    visits = gen.visits()
    census, organisations, instructors = gen.party()
    activities = gen.activities(organisations)
    return EngagementPlan(seed=seed, end=end, arrangements=arrangements, honours=honours, cultivations=cultivations,
                          proposals=proposals, liaisons=liaisons, visits=visits, census=census,
                          organisations=organisations, instructors=instructors, activities=activities)


# --- Saving ----------------------------------------------------------------------------------------------
def build(result, appeals_plan=None, policies_plan=None, *, end=members_demo.AS_OF, seed=DEMO_SEED, plan=None):
    """Save the 政治引领 of the demo district `result` (the "members" step's result), linking the appeals of
    `appeals_plan` (the "appeals" step's) to the visits they were found on and proposals to the policies of
    `policies_plan` (the "policies" step's)."""
    plan = plan or generate(result.plan, appeals_plan, policies_plan, end=end, seed=seed)
    district, users = result.federation, result.users
    enterprises, persons = result.core_ids()
    chambers = list(Chamber.objects.filter(federation=district).order_by("pk").values_list("pk", flat=True))
    streets = list(Street.objects.filter(federation=district).order_by("code").values_list("pk", flat=True))
    departments = list(Department.objects.filter(federation=district).order_by("pk").values_list("pk", flat=True))
    policies = (list(Policy.objects.filter(federation=district).order_by("pk").values_list("pk", flat=True))
                if policies_plan is not None else [])
    items = {(d.kind, d.code): d.pk for d in DictItem.objects.filter(kind__in=("cultivation_plan", "proposal_topic"))}
    tz = timezone.get_current_timezone()
    staff = users.get("staff")

    def user(login):
        found = users.get(login) if login else None
        return found.pk if found is not None else None

    def at(day, hour=10):
        return datetime.combine(day, time(hour), tz)

    with transaction.atomic():
        Arrangement.objects.bulk_create([
            Arrangement(federation=district, person_id=persons[a.person], kind=a.kind, level=a.level, role=a.role,
                        term=a.term, sector=a.sector, start=a.start, end=a.end) for a in plan.arrangements],
            batch_size=500)
        PersonHonour.objects.bulk_create([
            PersonHonour(federation=district, person_id=persons[p], title=title, conferred_by=by, year=year)
            for p, title, by, year in plan.honours])
        Cultivation.objects.bulk_create([
            Cultivation(federation=district, person_id=persons[p], plan_id=items[("cultivation_plan", code)],
                        start=start, end=finish, status=status) for p, code, start, finish, status in plan.cultivations])
        _proposals(plan, district, persons, chambers, departments, policies, items, staff, at)
        _liaison(plan, district, enterprises, streets, departments, user, at)
        _party(plan, district, enterprises, chambers, streets, user)
    return plan


def _proposals(plan, district, persons, chambers, departments, policies, items, staff, at):
    objs = Proposal.objects.bulk_create([
        Proposal(federation=district, number=p.number, kind=p.kind, title=p.title, text=p.text,
                 topic_id=items[("proposal_topic", p.topic)], year=p.year, session=p.session, body=p.body,
                 chamber_id=chambers[p.chamber] if p.chamber is not None else None, recipient=p.recipient,
                 department_id=departments[p.department] if p.department is not None else None, status=p.status,
                 submitted_on=p.submitted_on, registered_on=p.registered_on, reply=p.reply, replied_on=p.replied_on,
                 decided_on=p.decided_on, measure=p.measure, decline_reason=p.decline_reason,
                 policy_id=policies[p.policy] if p.policy is not None and p.policy < len(policies) else None,
                 created_by=staff) for p in plan.proposals], batch_size=500)
    through = Proposal.submitters.through
    through.objects.bulk_create([through(proposal_id=obj.pk, person_id=persons[person])
                                 for obj, p in zip(objs, plan.proposals, strict=True) for person in p.submitters],
                                batch_size=1000)
    name = (staff.display_name or staff.username) if staff is not None else ""
    ProposalLog.objects.bulk_create([
        ProposalLog(proposal_id=obj.pk, at=at(day, 9 + k), actor=staff, actor_name=name, action=action,
                    action_label=PROPOSAL_FLOW.label(action), from_status=before, to_status=after, note=note)
        for obj, p in zip(objs, plan.proposals, strict=True)
        for k, (day, action, before, after, note) in enumerate(p.steps)], batch_size=1000)
    continue_after(last_of_each_day(p.number for p in plan.proposals))


def _liaison(plan, district, enterprises, streets, departments, user, at):
    liaisons = Liaison.objects.bulk_create([
        Liaison(federation=district, enterprise_id=enterprises[row.enterprise], level=row.level,
                street_id=streets[row.street] if row.street is not None else None, user_id=user(row.user),
                department_id=departments[row.department] if row.department is not None else None,
                liaison_name=row.liaison_name, start=row.start, end=row.end, note=row.note)
        for row in plan.liaisons], batch_size=500)
    visits = Visit.objects.bulk_create([
        Visit(federation=district, enterprise_id=enterprises[v.enterprise], liaison_id=liaisons[v.liaison].pk,
              visited_on=v.visited_on, visitors=v.visitors, people_met=v.people_met, summary=v.summary,
              problems=v.problems, follow_up=v.follow_up, recorded_by_id=user(v.recorded_by))
        for v in plan.visits], batch_size=500)
    numbers = [v.appeal for v in plan.visits if v.appeal]
    appeal_ids = dict(Appeal.objects.filter(number__in=numbers).values_list("number", "pk")) if numbers else {}
    VisitAppeal.objects.bulk_create([VisitAppeal(visit_id=obj.pk, appeal_id=appeal_ids[v.appeal])
                                     for obj, v in zip(visits, plan.visits, strict=True) if v.appeal in appeal_ids])


def _party(plan, district, enterprises, chambers, streets, user):
    EnterpriseParty.objects.bulk_create([
        EnterpriseParty(enterprise_id=enterprises[i], party_members=n, surveyed_on=day) for i, n, day in plan.census],
        batch_size=1000)
    organisations = PartyOrganisation.objects.bulk_create([
        PartyOrganisation(federation=district, name=o.name, kind=o.kind,
                          enterprise_id=enterprises[o.enterprise] if o.enterprise is not None else None,
                          chamber_id=chambers[o.chamber] if o.chamber is not None else None,
                          street_id=streets[o.street] if o.street is not None else None, founded=o.founded,
                          dissolved=o.dissolved, members_count=o.members_count, secretary=o.secretary)
        for o in plan.organisations], batch_size=500)
    through = PartyOrganisation.covered_enterprises.through
    through.objects.bulk_create([through(partyorganisation_id=obj.pk, enterprise_id=enterprises[i])
                                 for obj, o in zip(organisations, plan.organisations, strict=True) for i in o.covered],
                                batch_size=1000)
    PartyInstructor.objects.bulk_create([
        PartyInstructor(federation=district, name=t.name, unit=t.unit,
                        enterprise_id=enterprises[t.enterprise] if t.enterprise is not None else None,
                        chamber_id=chambers[t.chamber] if t.chamber is not None else None, start=t.start, end=t.end)
        for t in plan.instructors])
    PartyActivity.objects.bulk_create([
        PartyActivity(organisation_id=organisations[o].pk, kind=kind, held_on=day, title=title, attendees=attendees,
                      recorded_by_id=user(keeper)) for o, kind, day, title, attendees, keeper in plan.activities],
        batch_size=1000)


# --- Reporting ---------------------------------------------------------------------------------------------
def counts():
    organisations = PartyOrganisation.objects.all()
    return [
        ("政治安排", Arrangement.objects.count()),
        ("议案提案", Proposal.objects.count()),
        ("议案提案（已采纳）", Proposal.objects.filter(status=Proposal.Status.ADOPTED).count()),
        ("包联关系", Liaison.objects.count()),
        ("走访记录", Visit.objects.count()),
        ("走访转诉求", VisitAppeal.objects.count()),
        ("党组织", organisations.filter(dissolved__isnull=True).count()),
        ("企业党员情况", EnterpriseParty.objects.count()),
        ("党建指导员", PartyInstructor.objects.count()),
        ("党组织活动", PartyActivity.objects.count()),
    ]


@register("engagement", after=("members", "appeals", "policies"), counts=counts)
def seed(run):
    """`seed_demo`'s step: the core district's representative figures, proposals, liaison and visits (the
    appeals taken on a leader's visit linked to it) and party building, up to today."""
    return build(run.results["members"], run.results.get("appeals"), run.results.get("policies"), end=run.today)
