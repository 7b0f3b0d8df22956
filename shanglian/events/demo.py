"""Demo events: five years of the demo district's events (活动) — the yearly training programme's 培训班 and
研讨班, the 杰青领航 programme, 早餐会/恳谈会/座谈会 that collected the appeals of the desk, forums,
推介会, 招聘会, 考察, the chambers' own events, and the statutory meetings of the federation's terms (执委会,
常委会, 主席办公会: the terms `shanglian.demo.orgs.terms(end)`, as the members step saved them on the same day)
with their attendee lists and resolutions — each with its invitations, RSVPs (some on the waitlist), check-ins
(scanned, manual, self, walk-ins) and their scan log, feedback; and the rotating chair's roster of the current
year (each month's chair a position of the term in force then) with seconded staff and a duty log.

A builder of the demo registry (step "events", run after "members" and "appeals"), in two steps:

- `generate(members_plan, appeals_plan, end=..., seed=...)` draws every event into an `EventsPlan` of plain
  values (firms and persons as indexes into the members plan, times as local naive datetimes). The same
  plans, seed and `end` give the same plan (`fingerprint()`), whatever the day it runs on. Each event's
  life is played against the one transition table (`workflow.EVENT_FLOW`: an event is only ever in a
  state the table reaches) as of `end` 00:00: events before it are 已结束 (or 已取消), events after it
  已发布 or 报名中 (RSVPs taken so far), one 草稿; one training today is 报名中, ready for the door.
- `build(result, appeals, end=...)` writes the plan with explicit ids (`saving.write_rows`: COPY on
  PostgreSQL, multi-row INSERTs on SQLite) — events, invitations, check-ins, scans, feedback — and the
  few other rows with the ORM; the random secrets (invitation codes, the events' 签到码) are drawn from
  `secrets` at write time, never from the seed.

The appeals of channel 恳谈会/早餐会 in the appeals plan were raised at events: the events of their notes
("2026年3月民营企业诉求恳谈会", "第35期“政企早餐会”" …) are placed on the day of the first of them, their
firms invited and checked in, and each appeal is linked to its event (`EventAppeal`), as
`services.raise_appeal` links one. The demo enterprise (ent1) took part in some events, gave feedback, and
has a pending invitation to an upcoming 早餐会 in 报名中.

A larger district (`seed_demo --enterprises N`): the core district's events as above, then `stream` adds
events of the firms past the core, proportional to them (0.02 a firm and year, at most 2,000 a year:
the city of issue 19's 105,000 firms holds ~2,000 a year), year by year with their invitations,
check-ins and scans.
"""

import hashlib
import random
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from shanglian.accounts.roles import Role
from shanglian.common.masking import mobile_tail
from shanglian.common.models import DictItem
from shanglian.common.numbering import continue_after, last_of_each_day
from shanglian.demo import orgs
from shanglian.demo.draws import weighted, weighted_sample
from shanglian.demo.files import load_toml
from shanglian.demo.names import Names
from shanglian.demo.registry import DEFAULT_ENTERPRISES, register
from shanglian.demo.saving import next_id, reset_sequences, write_rows
from shanglian.members import demo as members_demo
from shanglian.members.models import Enterprise
from shanglian.notifications.models import Notification
from shanglian.orgs.models import Chamber, Committee, Position

from . import tokens
from .models import (
    STATUTORY_BODIES,
    Body,
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
from .selectors import BODY_TITLES, CHAIR_TITLES
from .workflow import EVENT_FLOW

__all__ = ["EventsPlan", "build", "counts", "generate", "stream"]

DEMO_SEED = members_demo.DEMO_SEED + 6  # the events' own stream
SPAN_YEARS = 5  # events of this year and the four before
AHEAD_DAYS = 40  # events planned up to this many days after `end`
EXTRA_PER_FIRM = 0.02  # events a year per firm past the core district
MAX_EXTRA_A_YEAR = 2000
TRAININGS_A_YEAR = 30  # "培训班30余次，3500多人次" (河西), at the default size
RSVP = [(Invitation.Status.ACCEPTED, 78), (Invitation.Status.DECLINED, 10), (Invitation.Status.SUBSTITUTE, 5),
        (Invitation.Status.PENDING, 7)]
METHODS = [(CheckIn.Method.SCAN, 68), (CheckIn.Method.MANUAL, 17), (CheckIn.Method.SELF, 15)]
SCORES = [(5, 56), (4, 32), (3, 9), (2, 2), (1, 1)]
CANCEL_SHARE = 0.03
TRAINING_MONTHS = (3, 4, 5, 6, 7, 9, 10, 11, 12)

_TEXTS = load_toml("events.toml")
ROSTER = _TEXTS["roster"]
RESOLUTIONS = _TEXTS["resolutions"]


# --- The plan ----------------------------------------------------------------------------------------------
@dataclass
class InvitationPlan:
    person: int | None  # index into the members plan's persons (or, streamed, a Person id)
    enterprise: int | None  # index into its enterprises (streamed: an Enterprise id)
    name: str
    mobile_tail: str
    status: str
    responded_at: datetime | None = None
    substitute_name: str = ""


@dataclass
class CheckinPlan:
    invitation: int | None  # index into the event's invitations; None: a walk-in
    person: int | None
    enterprise: int | None
    name: str
    organisation: str
    mobile_tail: str
    method: str
    at: datetime
    feedback: tuple | None = None  # (score, useful, suggestion, submitted at)
    scanned_again: datetime | None = None  # the same code scanned again: 已签到, not counted


@dataclass
class ResolutionPlan:
    title: str
    eligible: int
    present: int
    votes_for: int
    votes_against: int
    abstentions: int
    passed: bool
    at: datetime


@dataclass
class EventPlan:
    title: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    venue: str
    organiser: str = Event.Organiser.FEDERATION
    chamber: int | None = None  # index into the members plan's chambers (streamed: a Chamber id)
    committee: int | None = None  # index into orgs.COMMITTEES
    working_group: str = ""
    programme: int | None = None  # index into the plan's programmes
    capacity: int | None = None
    rsvp_deadline: datetime | None = None
    leaders: str = ""
    description: str = ""
    status: str = Event.Status.DRAFT
    cancel_reason: str = ""
    minutes: str = ""
    created_at: datetime | None = None
    by: str | None = "staff"  # the demo login that created it and worked its door
    number: str = ""
    invitations: list = field(default_factory=list)
    checkins: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # (at, reason, message, payload) of refused scans
    resolutions: list = field(default_factory=list)
    appeals: list = field(default_factory=list)  # numbers of the appeals raised at it

    @property
    def body(self):
        return STATUTORY_BODIES.get(self.kind, "")


@dataclass
class DutyPlan:
    month: date
    term: int  # the number of the term in force on `month`
    position: int  # index into the members plan's positions (which every term holds)
    seconded_staff: str
    log: list = field(default_factory=list)  # (day, content, appeal numbers, event indexes)


@dataclass
class EventsPlan:
    seed: int
    end: date
    programmes: list  # (name, year or None, description)
    events: list  # EventPlan, by start
    roster: list  # DutyPlan of the current year

    def fingerprint(self):
        return hashlib.sha256(repr((self.seed, self.end, self.programmes, self.events, self.roster)).encode()
                              ).hexdigest()


# --- Drawing ---------------------------------------------------------------------------------------------
def _weekday(day, forward=True):
    while day.weekday() >= 5:
        day += timedelta(days=1 if forward else -1)
    return day


class _Generator:
    def __init__(self, members_plan, appeals_plan, end, seed):
        self.plan, self.appeals, self.end = members_plan, appeals_plan, end
        self.rng = random.Random(seed)
        self.names = Names(self.rng)
        self.now = datetime.combine(end, time(0))
        self.first = date(end.year - SPAN_YEARS + 1, 1, 1)
        self.last = end + timedelta(days=AHEAD_DAYS)
        self.scale = len(members_plan.enterprises) / DEFAULT_ENTERPRISES
        self.ent1 = members_plan.logins["enterprise"]
        self.persons_of = defaultdict(list)
        for i, person in enumerate(members_plan.persons):
            for enterprise, _role in person.roles:
                self.persons_of[enterprise].append(i)
        self.enterprise_members = [m for m in members_plan.members if m.enterprise is not None]
        self.terms = orgs.terms(end)  # as the members step saved them, built on the same day
        self.programmes, self.events = [], []

    def n(self, base, least=1):
        return max(least, round(base * self.scale))

    # --- who is invited ---------------------------------------------------------------------------------
    def members_on(self, day):
        return {m.enterprise for m in self.enterprise_members if m.in_force(day)}

    def person_invitation(self, person, status=Invitation.Status.PENDING):
        p = self.plan.persons[person]
        return InvitationPlan(person=person, enterprise=p.roles[0][0] if p.roles else None, name=p.name,
                              mobile_tail=mobile_tail(p.mobile), status=status)

    def enterprise_invitation(self, enterprise, status=Invitation.Status.PENDING):
        e = self.plan.enterprises[enterprise]
        return InvitationPlan(person=None, enterprise=enterprise, name=e.name, mobile_tail=mobile_tail(e.contact_mobile),
                              status=status)

    def draw_persons(self, day, k, pool=None):
        members = self.members_on(day)
        pool = range(len(self.plan.persons)) if pool is None else pool
        weights = [8.0 if self.plan.persons[i].roles and self.plan.persons[i].roles[0][0] in members else 1.0
                   for i in pool]
        return weighted_sample(self.rng, list(pool), weights, k)

    def draw_enterprises(self, day, k, pool=None):
        members = self.members_on(day)
        pool = range(len(self.plan.enterprises)) if pool is None else pool
        weights = [8.0 if i in members else 1.0 for i in pool]
        return weighted_sample(self.rng, list(pool), weights, k)

    # --- one event's life --------------------------------------------------------------------------------
    def event(self, kind, title, day, start, hours, **fields):
        starts_at = datetime.combine(day, start)
        lead = self.rng.choice((7, 10, 14, 21, 30))
        e = EventPlan(title=title, kind=kind, starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours),
                      venue=fields.pop("venue", None) or self.rng.choice(_TEXTS["venues"]),
                      created_at=starts_at - timedelta(days=lead, hours=self.rng.randint(1, 8)), **fields)
        if e.kind not in STATUTORY_BODIES and e.rsvp_deadline is None and self.rng.random() < 0.7:
            e.rsvp_deadline = datetime.combine(day - timedelta(days=self.rng.choice((1, 2, 3))), time(18))
        self.events.append(e)
        return e

    def answer(self, e, invitations, *, shares=RSVP):
        """RSVPs as of now: answered between the invitation and the deadline; past the capacity a yes waits."""
        closes = e.rsvp_deadline or e.starts_at
        opened = e.created_at + timedelta(days=1)
        places = 0
        for inv in invitations:
            status = weighted(self.rng, shares)
            when = opened + (min(closes, self.now) - opened) * self.rng.random() if closes > opened else opened
            if when >= self.now:
                status = Invitation.Status.PENDING
            if status in (Invitation.Status.ACCEPTED, Invitation.Status.SUBSTITUTE):
                if e.capacity is not None and places >= e.capacity:
                    status = Invitation.Status.WAITLISTED
                else:
                    places += 1
            inv.status = status
            if status != Invitation.Status.PENDING:
                inv.responded_at = when.replace(microsecond=0)
            if status == Invitation.Status.SUBSTITUTE:
                inv.substitute_name = self.names.person(self.rng.random() < 0.4)
        e.invitations = invitations

    def attend(self, e, *, turnout=0.88, pending_come=0.2, walk_ins=0.04, feedback=0.0):
        """Who came: most who took a place, a few who never answered, walk-ins; their scans and feedback."""
        rng = self.rng
        rows = []
        for i, inv in enumerate(e.invitations):
            came = (inv.status in (Invitation.Status.ACCEPTED, Invitation.Status.SUBSTITUTE) and rng.random() < turnout
                    ) or (inv.status == Invitation.Status.PENDING and rng.random() < pending_come)
            if not came:
                if inv.status == Invitation.Status.WAITLISTED and rng.random() < 0.2:
                    e.refused.append((self.door_time(e), "waitlisted",
                                      f"{inv.name}在候补名单中，尚未获得名额。", "invitation"))
                continue
            org = self.plan.enterprises[inv.enterprise].name if inv.enterprise is not None else ""
            name = inv.substitute_name or inv.name
            rows.append(CheckinPlan(invitation=i, person=inv.person, enterprise=inv.enterprise, name=name,
                                    organisation=org, mobile_tail=inv.mobile_tail, method=weighted(rng, METHODS),
                                    at=self.door_time(e)))
        for _ in range(round(len(rows) * walk_ins * rng.uniform(0.5, 1.5))):
            if rng.random() < 0.5:
                enterprise = rng.randrange(len(self.plan.enterprises))
                org = self.plan.enterprises[enterprise].name
            else:
                enterprise, org = None, rng.choice(_TEXTS["walk_in_organisations"])
            rows.append(CheckinPlan(invitation=None, person=None, enterprise=enterprise,
                                    name=self.names.person(rng.random() < 0.4), organisation=org,
                                    mobile_tail=f"{rng.randrange(10000):04d}", method=CheckIn.Method.WALK_IN,
                                    at=self.door_time(e)))
        for row in rows:
            if row.method in (CheckIn.Method.SCAN, CheckIn.Method.SELF) and rng.random() < 0.03:
                row.scanned_again = row.at + timedelta(minutes=rng.randint(1, 20))
            if feedback and rng.random() < feedback:
                row.feedback = (weighted(rng, SCORES), rng.choice(_TEXTS["useful"]), rng.choice(_TEXTS["suggestions"]),
                                e.ends_at + timedelta(hours=rng.randint(1, 48)))
        if rows and rng.random() < 0.3:
            e.refused.append((self.door_time(e), "unreadable", "无法识别的二维码，请扫描商联通请柬或签到码。",
                              "https://u.wechat.com/scan"))
        e.checkins = sorted(rows, key=lambda row: row.at)

    def door_time(self, e):
        return (e.starts_at - timedelta(minutes=self.rng.randint(0, 40), seconds=self.rng.randint(0, 59)))

    def settle(self, e, *, cancellable=True):
        """The event's state on `end` 00:00, reached through the transition table."""
        if e.starts_at < self.now:
            if cancellable and self.rng.random() < CANCEL_SHARE:
                steps = ["publish", "open_registration", "cancel"]
                e.cancel_reason = self.rng.choice(_TEXTS["cancel_reasons"])
            else:
                steps = ["publish", "open_registration", "start", "finish"]
        elif e.starts_at.date() == self.end or (e.starts_at - self.now).days <= 21:
            steps = ["publish", "open_registration"]
        else:
            steps = ["publish"]
        e.status = Event.Status.DRAFT
        role = Role.CHAMBER if e.organiser == Event.Organiser.CHAMBER else Role.STAFF
        for step in steps:
            EVENT_FLOW.check(step, e, role=role)
            e.status = EVENT_FLOW.target(step)

    # --- the kinds of events ---------------------------------------------------------------------------
    def trainings(self, year):
        name = _TEXTS["yearly_programme"].format(y=year)
        self.programmes.append((name, year, _TEXTS["yearly_programme_description"]))
        programme = len(self.programmes) - 1
        topics = list(_TEXTS["training_topics"])
        self.rng.shuffle(topics)
        sitting = defaultdict(int)
        for k in range(self.n(TRAININGS_A_YEAR, least=2)):
            month = self.rng.choice(TRAINING_MONTHS)
            day = _weekday(date(year, month, self.rng.randint(1, 26)))
            topic = topics[k % len(topics)]
            seminar = self.rng.random() < 0.2
            sitting[topic] += 1
            title = f"{topic}专题研讨班" if seminar else f"{topic}培训班（第{sitting[topic]}期）"
            organiser = weighted(self.rng, [("federation", 70), ("committee", 20), ("working_group", 10)])
            capacity = max(12, round(self.rng.randrange(60, 160, 10) * min(1.0, self.scale)))
            whole_day = self.rng.random() < 0.4
            e = self.event("seminar" if seminar else "training", title, day, time(9) if whole_day else
                           self.rng.choice((time(9), time(14))), 8 if whole_day else 3, programme=programme,
                           capacity=capacity, leaders=self.rng.choice(_TEXTS["leaders"]),
                           description=f"{name}之一：{topic}。", **self.organiser(organiser))
            self.invite_persons(e, round(capacity * self.rng.uniform(1.0, 1.3)), ent1=k < 2)

    def organiser(self, kind):
        if kind == "committee":
            return {"organiser": Event.Organiser.COMMITTEE, "committee": self.rng.randrange(len(orgs.COMMITTEES))}
        if kind == "working_group":
            return {"organiser": Event.Organiser.WORKING_GROUP,
                    "working_group": self.rng.choice(_TEXTS["working_groups"])}
        return {}

    def invite_persons(self, e, k, *, pool=None, ent1=False):
        chosen = self.draw_persons(e.starts_at.date(), min(k, len(self.plan.persons) if pool is None else len(pool)),
                                   pool)
        invitations = [self.person_invitation(p) for p in chosen]
        if ent1 and not any(inv.enterprise == self.ent1 for inv in invitations):
            invitations.insert(0, self.enterprise_invitation(self.ent1))
        self.answer(e, invitations)

    def young(self, year):
        if not any(p[0] == _TEXTS["young_programme"] for p in self.programmes):
            self.programmes.append((_TEXTS["young_programme"], None, _TEXTS["young_programme_description"]))
        programme = next(i for i, p in enumerate(self.programmes) if p[0] == _TEXTS["young_programme"])
        pool = [i for i, p in enumerate(self.plan.persons) if p.is_new_generation]
        for title in _TEXTS["young_titles"][:self.n(4, least=1)]:
            day = _weekday(date(year, self.rng.choice((4, 5, 6, 9, 10, 11)), self.rng.randint(1, 26)))
            kind = "study_tour" if "考察" in title else "seminar"
            e = self.event(kind, f"{title}（{year}年）", day, time(9), 8, programme=programme,
                           **self.organiser("committee" if self.rng.random() < 0.5 else "federation"))
            self.invite_persons(e, min(40, len(pool)), pool=pool)

    def collecting(self, since):
        """The 早餐会/恳谈会/座谈会 whose notes name the appeals of channel 恳谈会/早餐会 (one breakfast a
        month); before the appeals' first day (`since`), a few a year of each."""
        groups = {}
        for a in self.appeals.appeals:
            if a.channel != "event" or not a.source_note:
                continue
            day = a.submitted_at.date()
            key = (day.year, day.month, "breakfast") if "早餐会" in a.source_note else a.source_note
            groups.setdefault(key, []).append(a)
        for _key, appeals in sorted(groups.items(), key=lambda item: min(a.submitted_at for a in item[1])):
            first = min(appeals, key=lambda a: a.submitted_at)
            day = first.submitted_at.date()
            if day < self.first:
                continue
            kind = "breakfast" if "早餐会" in first.source_note else "dialogue" if "恳谈会" in first.source_note \
                else "symposium"
            e = self.event(kind, first.source_note, day, time(7, 30) if kind == "breakfast" else time(8),
                           1.5 if kind == "breakfast" else 2)
            e.created_at = min(e.created_at, e.starts_at - timedelta(days=3))
            e.rsvp_deadline = None
            e.appeals = [a.number for a in sorted(appeals, key=lambda a: a.submitted_at)]
            firms = list(dict.fromkeys(a.enterprise for a in appeals))
            others = self.draw_enterprises(day, self.n(25, least=5))
            invitations = [self.enterprise_invitation(f) for f in dict.fromkeys(firms + others)]
            self.answer(e, invitations)
            for inv in e.invitations:  # the firms that raised an appeal came
                if inv.enterprise in firms:
                    inv.status, inv.responded_at = Invitation.Status.ACCEPTED, e.created_at + timedelta(days=1)
        sitting = 0
        for year in range(self.first.year, since.year + 1):
            for kind, title, count in (("breakfast", _TEXTS["breakfast_title"], 10),
                                       ("dialogue", _TEXTS["dialogue_title"], 4),
                                       ("symposium", _TEXTS["symposium_title"], 4)):
                months = sorted(self.rng.sample(range(1, 13), min(12, self.n(count))))
                for month in months:
                    day = _weekday(date(year, month, self.rng.randint(3, 26)))
                    if day >= since:
                        continue
                    sitting += kind == "breakfast"
                    e = self.event(kind, title.format(y=year, m=month, n=sitting), day,
                                   time(7, 30) if kind == "breakfast" else time(9), 1.5 if kind == "breakfast" else 2)
                    self.answer(e, [self.enterprise_invitation(f) for f in self.draw_enterprises(day, self.n(25, 5))])

    def others(self, year):
        for kind, title in self.rng.sample(_TEXTS["other_events"], 4):
            day = _weekday(date(year, self.rng.choice((4, 5, 6, 9, 10, 11)), self.rng.randint(1, 26)))
            organiser = weighted(self.rng, [("federation", 60), ("committee", 25), ("working_group", 15)])
            e = self.event(kind, title.format(y=year), day, time(9) if kind != "job_fair" else time(9, 30),
                           8 if kind == "study_tour" else 4, leaders=self.rng.choice(_TEXTS["leaders"]),
                           capacity=None if kind == "job_fair" else max(20, round(200 * min(1.0, self.scale))),
                           **self.organiser(organiser))
            k = self.n(self.rng.randint(40, 120), least=8)
            self.answer(e, [self.enterprise_invitation(f) for f in self.draw_enterprises(day, k)])

    def chambers(self, year):
        for c, chamber in enumerate(self.plan.chambers):
            count = 3 if c == 0 else 1 + (self.rng.random() < 0.4)
            for kind, title in self.rng.sample(_TEXTS["chamber_events"], count):
                day = _weekday(date(year, self.rng.randint(3, 11), self.rng.randint(1, 26)))
                e = self.event(kind, title.format(chamber=chamber.name, y=year), day, time(14), 3,
                               organiser=Event.Organiser.CHAMBER, chamber=c,
                               venue=f"{chamber.name}{self.rng.choice(_TEXTS['chamber_venues'])}",
                               by="chamber1" if c == 0 else None)
                members = [m.enterprise for m in self.plan.memberships
                           if m.chamber == c and m.joined <= day and (m.left is None or m.left > day)]
                if not members:
                    self.events.remove(e)
                    continue
                self.answer(e, [self.enterprise_invitation(f) for f in members])

    def statutory(self, year):
        dates = [("executive", 6, 26), ("executive", 12, 20), ("standing", 3, 25), ("standing", 9, 24)]
        dates += [("chair_office", month, 15) for month in (1, 4, 7, 10)]
        for kind, month, day in dates:
            day = _weekday(date(year, month, day))
            term = orgs.term_on(self.terms, day)
            if term is None:
                continue
            body = STATUTORY_BODIES[kind]
            label = Body(body).label
            quarter = (month - 1) // 3 + 1
            title = (f"第{term.number}届{label}{year}年第{1 if month < 7 else 2}次会议" if kind != "chair_office"
                     else f"{year}年第{quarter}季度{label}")
            e = self.event(kind, title, day, time(9), 3, venue="区工商联三楼会议室")
            titles = set(BODY_TITLES[body])
            persons = list(dict.fromkeys(p for p, t, _c in self.plan.positions if t in titles))
            self.answer(e, [self.person_invitation(p) for p in persons],
                        shares=[(Invitation.Status.ACCEPTED, 92), (Invitation.Status.DECLINED, 8)])

    # --- the whole plan -----------------------------------------------------------------------------------
    def showcase(self):
        """Today's training (报名中: the door can check in today), the 早餐会 ent1 has not answered yet (报名中),
        a 推介会 announced (已发布: invitations out, RSVP not open yet) and a forum being drafted: {id: state}."""
        today = self.end
        topic = _TEXTS["training_topics"][0]
        programme = next((i for i, p in enumerate(self.programmes) if p[1] == today.year), None)
        e = self.event("training", f"{topic}培训班（{today.year}年{today.month}月专场）", today, time(14), 3,
                       capacity=max(12, round(80 * min(1.0, self.scale))), leaders=_TEXTS["leaders"][0],
                       rsvp_deadline=datetime.combine(today - timedelta(days=1), time(18)), programme=programme)
        e.created_at = self.now - timedelta(days=10)
        self.invite_persons(e, e.capacity, ent1=True)
        day = _weekday(today + timedelta(days=10))
        breakfast = self.event("breakfast", f"{today.year}年{day.month}月“政企早餐会”", day, time(7, 30), 1.5,
                               rsvp_deadline=datetime.combine(day - timedelta(days=3), time(18)),
                               description="与会企业家可现场反映经营中遇到的困难和问题，工商联当场登记、跟踪办理。")
        breakfast.created_at = self.now - timedelta(days=2)
        invitations = [self.enterprise_invitation(f) for f in self.draw_enterprises(day, self.n(25, 5))
                       if f != self.ent1]
        self.answer(breakfast, invitations)
        breakfast.invitations.insert(0, self.enterprise_invitation(self.ent1))  # pending: not answered yet
        day = _weekday(today + timedelta(days=30))
        announced = self.event("promotion", f"{day.year}年{day.month}月惠企政策“进商会”推介会", day, time(14, 30), 2,
                               rsvp_deadline=datetime.combine(day - timedelta(days=2), time(18)))
        announced.created_at = self.now - timedelta(days=3)
        announced.invitations = [self.enterprise_invitation(f) for f in self.draw_enterprises(day, self.n(40, 8))]
        draft = self.event("forum", f"{self.last.year}年民营经济高质量发展论坛（筹）", _weekday(self.last), time(9), 4)
        draft.created_at = self.now - timedelta(days=1)
        return {id(e): Event.Status.REGISTRATION, id(breakfast): Event.Status.REGISTRATION,
                id(announced): Event.Status.PUBLISHED, id(draft): Event.Status.DRAFT}

    def generate(self):
        since = min((a.submitted_at.date() for a in self.appeals.appeals if a.channel == "event"), default=self.end)
        for year in range(self.first.year, self.end.year + 1):
            self.trainings(year)
            self.young(year)
            self.others(year)
            self.chambers(year)
            self.statutory(year)
        self.collecting(since)
        kept = self.showcase()
        self.events = [e for e in self.events if id(e) in kept or self.first <= e.starts_at.date() <= self.last]
        for e in self.events:
            if id(e) in kept:
                e.status = kept[id(e)]
                if e.status == Event.Status.DRAFT:
                    e.invitations = []
                continue
            self.settle(e, cancellable=not e.body and not e.appeals)
            if e.status == Event.Status.FINISHED:
                self.finish(e)
        self.events.sort(key=lambda e: (e.starts_at, e.title))
        self.number()
        return EventsPlan(seed=DEMO_SEED, end=self.end, programmes=self.programmes, events=self.events,
                          roster=self.roster())

    def finish(self, e):
        rng = self.rng
        if e.body:
            self.attend(e, turnout=rng.uniform(0.82, 0.97), pending_come=0.0, walk_ins=0.0)
            self.meeting(e)
            return
        training = e.kind in ("training", "seminar")
        self.attend(e, feedback=0.4 if training and rng.random() < 0.6 else 0.1 if e.kind == "breakfast" else 0.0)
        if e.appeals:
            came, raised = {row.enterprise for row in e.checkins}, self._appeal_firms(e)
            for i, inv in enumerate(e.invitations):
                if inv.enterprise in raised and inv.enterprise not in came:
                    e.checkins.append(CheckinPlan(invitation=i, person=None, enterprise=inv.enterprise, name=inv.name,
                                                  organisation=inv.name, mobile_tail=inv.mobile_tail,
                                                  method=CheckIn.Method.SCAN, at=self.door_time(e)))
                    came.add(inv.enterprise)
            e.checkins.sort(key=lambda row: row.at)
        for row in e.checkins:  # ent1's people fill in the form after every training they attend
            if row.enterprise == self.ent1 and training and row.feedback is None:
                row.feedback = (5, _TEXTS["useful"][0], "", e.ends_at + timedelta(hours=3))

    def _appeal_firms(self, e):
        numbers = set(e.appeals)
        return {a.enterprise for a in self.appeals.appeals if a.number in numbers}

    def meeting(self, e):
        """A statutory meeting's resolutions, under the default rule (present ≥ 2/3, passed by more than half)."""
        rng = self.rng
        eligible = sum(inv.status != Invitation.Status.CANCELLED for inv in e.invitations)
        present = sum(row.invitation is not None for row in e.checkins)
        if not eligible or present * 3 < eligible * 2:
            return
        year, quarter = e.starts_at.year, (e.starts_at.month - 1) // 3 + 1
        titles = RESOLUTIONS[e.kind]
        for k, title in enumerate(rng.sample(titles, rng.randint(1, min(3, len(titles))))):
            against, abstain = rng.randint(0, min(2, present // 10)), rng.randint(0, min(2, present // 10))
            votes_for = present - against - abstain
            e.resolutions.append(ResolutionPlan(
                title=title.format(y=year if "要点" not in title else year + 1, q=quarter), eligible=eligible,
                present=present, votes_for=votes_for, votes_against=against, abstentions=abstain,
                passed=votes_for * 2 > present, at=e.starts_at + timedelta(minutes=40 + 20 * k)))
        e.minutes = RESOLUTIONS["minutes"].format(eligible=eligible, present=present)

    def number(self):
        """HD + the day the event was created + a counter of that day (services: `daily_number("HD")`)."""
        per_day = defaultdict(int)
        for e in sorted(self.events, key=lambda e: (e.created_at, e.title)):
            key = f"HD{e.created_at:%Y%m%d}"
            per_day[key] += 1
            e.number = f"{key}{per_day[key]:04d}"

    def roster(self):
        """The current year's months under a term: 主席 and 副主席 in turn, seconded staff, a duty log."""
        chairs = [i for i, (_p, title, _c) in enumerate(self.plan.positions) if title in CHAIR_TITLES]
        duties = []
        held = defaultdict(list)
        for index, e in enumerate(self.events):
            if e.status == Event.Status.FINISHED and e.organiser == Event.Organiser.FEDERATION:
                held[(e.starts_at.year, e.starts_at.month)].append(index)
        raised = defaultdict(list)
        for a in self.appeals.appeals:
            raised[(a.submitted_at.year, a.submitted_at.month)].append(a.number)
        for month in range(1, 13):
            first = date(self.end.year, month, 1)
            term = orgs.term_on(self.terms, first)
            if term is None or not chairs:
                continue
            staff = "、".join(f"{self.names.person(self.rng.random() < 0.5)}（{self.rng.choice(ROSTER['seconded_posts'])}）"
                              for _ in range(self.rng.randint(1, 2)))
            duty = DutyPlan(month=first, term=term.number, position=chairs[(month - 1) % len(chairs)],
                            seconded_staff=staff)
            if first <= self.end:
                days = sorted({_weekday(first + timedelta(days=self.rng.randint(0, 25)))
                               for _ in range(self.rng.randint(2, 4))})
                for day in days:
                    if day >= self.end or day.month != month:
                        continue
                    events = [i for i in held[(self.end.year, month)] if self.events[i].starts_at.date() <= day][-1:]
                    appeals = self.rng.sample(raised[(self.end.year, month)], min(1, len(raised[(self.end.year, month)])))
                    duty.log.append((day, self.rng.choice(ROSTER["log"]), appeals, events))
            duties.append(duty)
        return duties


def generate(members_plan, appeals_plan, *, end=members_demo.AS_OF, seed=DEMO_SEED):
    """The events of the members plan's district over the five years to `end` and 40 days past it."""
    return _Generator(members_plan, appeals_plan, end, seed).generate()


# --- Saving ------------------------------------------------------------------------------------------------
EVENT_COLUMNS = ["id", "number", "federation", "title", "kind", "body", "organiser", "chamber", "committee",
                 "working_group", "programme", "starts_at", "ends_at", "venue", "capacity", "rsvp_deadline", "leaders",
                 "programme_text", "description", "minutes", "status", "cancel_reason", "checkin_code", "created_by",
                 "created_at"]
INVITATION_COLUMNS = ["id", "event", "person", "enterprise", "name", "mobile_tail", "channel", "status",
                      "substitute_name", "responded_at", "responded_by", "code", "invited_at", "invited_by"]
CHECKIN_COLUMNS = ["id", "event", "invitation", "person", "enterprise", "name", "mobile_tail", "organisation", "method",
                   "checked_in_at", "checked_in_by"]
SCAN_COLUMNS = ["event", "nonce", "payload", "scanned_by", "scanned_at", "result", "reason", "message", "checkin"]
FEEDBACK_COLUMNS = ["checkin", "score", "useful", "suggestion", "submitted_at", "submitted_by"]


class _Writer:
    """Rows of event plans with explicit ids; `person`/`enterprise`/`chamber` turn a plan's reference into an id."""

    def __init__(self, *, federation, users, kinds, person, enterprise, chamber, committee, programme):
        self.federation, self.users, self.kinds = federation, users, kinds
        self.person, self.enterprise, self.chamber = person, enterprise, chamber
        self.committee, self.programme = committee, programme
        ent1 = users.get("ent1")
        # the demo enterprise's login answers, checks itself in and fills in the forms of its own firm
        self.ent1, self.ent1_enterprise = (ent1.pk, ent1.enterprise_id) if ent1 is not None else (None, None)
        self.tz = timezone.get_current_timezone()
        self.event_id, self.invitation_id, self.checkin_id = next_id(Event), next_id(Invitation), next_id(CheckIn)
        self.written = []  # (event id, plan) of what was written, for the links after

    def aware(self, value):
        return value.replace(tzinfo=self.tz) if value is not None else None

    def user(self, login):
        user = self.users.get(login) if login else None
        return user.pk if user is not None else None

    def write(self, events, progress=None):
        aware, user = self.aware, self.user
        event_rows, invitation_rows, checkin_rows, scan_rows, feedback_rows = [], [], [], [], []
        for e in events:
            event_id, secret = self.event_id, secrets.token_urlsafe(12)
            event_rows.append((
                event_id, e.number, self.federation, e.title, self.kinds[e.kind], e.body, e.organiser,
                self.chamber(e.chamber), self.committee(e.committee), e.working_group, self.programme(e.programme),
                aware(e.starts_at), aware(e.ends_at), e.venue, e.capacity, aware(e.rsvp_deadline), e.leaders, "",
                e.description, e.minutes, e.status, e.cancel_reason, secret, user(e.by), aware(e.created_at)))
            door = user(e.by)
            ids, codes = [], []
            for inv in e.invitations:
                code = secrets.token_urlsafe(12)
                enterprise = self.enterprise(inv.enterprise)
                responder = self.ent1 if enterprise is not None and enterprise == self.ent1_enterprise else None
                invitation_rows.append((
                    self.invitation_id, event_id, self.person(inv.person), enterprise, inv.name, inv.mobile_tail,
                    Invitation.Channel.SITE, inv.status, inv.substitute_name, aware(inv.responded_at),
                    responder if inv.responded_at else None, code, aware(e.created_at), user(e.by)))
                ids.append(self.invitation_id)
                codes.append(code)
                self.invitation_id += 1
            for row in e.checkins:
                checkin_id = self.checkin_id
                self.checkin_id += 1
                invitation = ids[row.invitation] if row.invitation is not None else None
                by = None if row.method == CheckIn.Method.SELF else door
                checkin_rows.append((checkin_id, event_id, invitation, self.person(row.person),
                                     self.enterprise(row.enterprise), row.name, row.mobile_tail, row.organisation[:200],
                                     row.method, aware(row.at), by))
                payload = _payload(row.method, event_id=event_id, secret=secret, invitation=invitation,
                                   code=codes[row.invitation] if row.invitation is not None else None)
                message = f"{row.name} 现场登记签到成功" if row.method == CheckIn.Method.WALK_IN else f"{row.name} 签到成功"
                own = self.enterprise(row.enterprise) == self.ent1_enterprise
                scanner = door if row.method != CheckIn.Method.SELF else (self.ent1 if own else None)
                scan_rows.append((event_id, None, payload[:120], scanner, aware(row.at), Scan.Result.OK, "", message,
                                  checkin_id))
                if row.scanned_again is not None:
                    by_whom = "本人自助" if row.method == CheckIn.Method.SELF else f"由 {self.users_label(e.by)}"
                    scan_rows.append((event_id, None, payload[:120], door, aware(row.scanned_again),
                                      Scan.Result.ALREADY, "already",
                                      f"{row.name} 已于 {row.at:%H:%M} {by_whom} 签到，不重复计数。", checkin_id))
                if row.feedback is not None:
                    score, useful, suggestion, at = row.feedback
                    feedback_rows.append((checkin_id, score, useful, suggestion, aware(at), self.ent1 if own else None))
            for at, reason, message, payload in e.refused:
                scan_rows.append((event_id, None, payload[:120], door, aware(at), Scan.Result.REFUSED, reason, message,
                                  None))
            self.written.append((event_id, e))
            self.event_id += 1
        for label, model, columns, rows in (("活动", Event, EVENT_COLUMNS, event_rows),
                                            ("请柬", Invitation, INVITATION_COLUMNS, invitation_rows),
                                            ("签到", CheckIn, CHECKIN_COLUMNS, checkin_rows),
                                            ("签到扫描记录", Scan, SCAN_COLUMNS, scan_rows),
                                            ("活动反馈", Feedback, FEEDBACK_COLUMNS, feedback_rows)):
            for start in range(0, len(rows), 5000):
                count = write_rows(model, columns, rows[start:start + 5000])
                if progress is not None:
                    progress.add(label, count)

    def users_label(self, login):
        user = self.users.get(login) if login else None
        return (user.display_name or user.username) if user is not None else "工作人员"


def _payload(method, *, event_id, secret, invitation, code):
    """What the door read for a check-in, as the services log it: the invitee's signed code, the event's
    posted code, the manual pick or the walk-in registration."""
    if method == CheckIn.Method.SCAN:
        return tokens.for_invitation(SimpleNamespace(code=code))
    if method == CheckIn.Method.SELF:
        return tokens.for_event(SimpleNamespace(pk=event_id, checkin_code=secret))
    if method == CheckIn.Method.MANUAL:
        return f"manual:{invitation}"
    return "walk_in"


def build(result, appeals_plan, *, end=members_demo.AS_OF, seed=DEMO_SEED, plan=None, progress=None):
    """Save the events of the demo district `result` (the "members" step's result) and link the appeals of
    `appeals_plan` (the "appeals" step's) to the events they were raised at."""
    plan = plan or generate(result.plan, appeals_plan, end=end, seed=seed)
    district, users = result.federation, result.users
    enterprises, persons = result.core_ids()
    chambers = list(Chamber.objects.filter(federation=district).order_by("pk").values_list("pk", flat=True))
    committees = list(Committee.objects.filter(federation=district).order_by("pk").values_list("pk", flat=True))
    kinds = dict(DictItem.objects.filter(kind="event_kind").values_list("code", "pk"))
    ent1 = users.get("ent1")
    with transaction.atomic():
        programmes = Programme.objects.bulk_create([Programme(federation=district, name=name, year=year,
                                                              description=description)
                                                    for name, year, description in plan.programmes])
        writer = _Writer(
            federation=district.pk, users=users, kinds=kinds,
            person=lambda i: persons[i] if i is not None else None,
            enterprise=lambda i: enterprises[i] if i is not None else None,
            chamber=lambda i: chambers[i] if i is not None else None,
            committee=lambda i: committees[i] if i is not None else None,
            programme=lambda i: programmes[i].pk if i is not None else None)
        writer.write(plan.events, progress)
        event_ids = [event_id for event_id, _e in writer.written]
        _resolutions(plan, event_ids, users)
        _raised(plan, event_ids)
        _roster(plan, district, users, event_ids)
        _notices(plan, event_ids, ent1)
        continue_after(last_of_each_day(e.number for e in plan.events))
        reset_sequences(Event, Invitation, CheckIn)
    return plan


def _resolutions(plan, event_ids, users):
    staff = users.get("staff")
    Resolution.objects.bulk_create([
        Resolution(event_id=event_id, title=r.title, eligible=r.eligible, present=r.present, votes_for=r.votes_for,
                   votes_against=r.votes_against, abstentions=r.abstentions, passed=r.passed,
                   rule="出席≥2/3，赞成>1/2", recorded_at=timezone.make_aware(r.at), recorded_by=staff)
        for event_id, e in zip(event_ids, plan.events, strict=True) for r in e.resolutions])


def _raised(plan, event_ids):
    """EventAppeal: each appeal of channel 恳谈会/早餐会 linked to the event of its note."""
    from shanglian.appeals.models import Appeal

    numbers = [n for e in plan.events for n in e.appeals]
    ids = dict(Appeal.objects.filter(number__in=numbers).values_list("number", "pk")) if numbers else {}
    EventAppeal.objects.bulk_create([EventAppeal(event_id=event_id, appeal_id=ids[n])
                                     for event_id, e in zip(event_ids, plan.events, strict=True)
                                     for n in e.appeals if n in ids], batch_size=1000)


def _roster(plan, district, users, event_ids):
    """The rotating chair's months (each a position of the term in force then: the term's positions are the
    plan's, in its order) and their duty log."""
    from shanglian.appeals.models import Appeal

    if not plan.roster:
        return
    positions = defaultdict(list)  # term number → its positions' ids, in the plan's order
    for number, pk in (Position.objects.filter(term__federation=district, term__chamber__isnull=True)
                       .order_by("pk").values_list("term__number", "pk")):
        positions[number].append(pk)
    staff = users.get("staff")
    duties = ChairDuty.objects.bulk_create([
        ChairDuty(federation=district, month=d.month, position_id=positions[d.term][d.position],
                  seconded_staff=d.seconded_staff, created_by=staff) for d in plan.roster])
    numbers = [n for d in plan.roster for _day, _content, appeals, _events in d.log for n in appeals]
    appeal_ids = dict(Appeal.objects.filter(number__in=numbers).values_list("number", "pk")) if numbers else {}
    for duty, d in zip(duties, plan.roster, strict=True):
        for day, content, appeals, events in d.log:
            entry = DutyLogEntry.objects.create(duty=duty, day=day, content=content, written_by=staff,
                                                written_at=timezone.make_aware(datetime.combine(day, time(17, 30))))
            entry.appeals.set([appeal_ids[n] for n in appeals if n in appeal_ids])
            entry.events.set([event_ids[i] for i in events])


def _notices(plan, event_ids, ent1):
    """ent1's inbox: an invitation message for each event it was invited to (read, but the pending ones)."""
    if ent1 is None:
        return
    mine = set(Invitation.objects.filter(enterprise_id=ent1.enterprise_id).values_list("event_id", flat=True))
    rows = []
    tz = timezone.get_current_timezone()
    url = reverse("events:h5_invitations")
    for event_id, e in zip(event_ids, plan.events, strict=True):
        if event_id not in mine or e.status == Event.Status.DRAFT:
            continue
        sent = (e.created_at + timedelta(hours=2)).replace(tzinfo=tz)
        pending = e.status == Event.Status.REGISTRATION and e.starts_at.date() > plan.end
        rows.append((ent1.pk, "event_invitation", f"活动邀请：{e.title}"[:200], "请在“我的活动”中查看请柬并回复。", url,
                     sent, None if pending else sent + timedelta(hours=3)))
    write_rows(Notification, ["recipient", "kind", "title", "body", "url", "created_at", "read_at"], rows)


# --- A larger district, streamed ---------------------------------------------------------------------------
STREAM_KINDS = [("training", 30), ("seminar", 10), ("symposium", 15), ("breakfast", 15), ("forum", 10),
                ("promotion", 8), ("job_fair", 5), ("study_tour", 7)]


def stream(result, plan, *, end, seed=DEMO_SEED + 100, progress=None):
    """Events of the firms past the core district (`result.streamed`): EXTRA_PER_FIRM a firm and year (at most
    MAX_EXTRA_A_YEAR) over the plan's years up to `end`, organised by the federation or one of its chambers,
    each inviting 20–60 of those firms; written a year at a time with explicit ids."""
    streamed = result.streamed
    first_id, extra = streamed.first_enterprise, streamed.enterprises
    per_year = min(MAX_EXTRA_A_YEAR, round(extra * EXTRA_PER_FIRM))
    if not per_year:
        return 0
    district = result.federation
    chambers = list(Chamber.objects.filter(federation=district).order_by("pk").values_list("pk", flat=True))
    names = dict(Chamber.objects.filter(pk__in=chambers).values_list("pk", "name"))
    firm_names = {}
    kinds = dict(DictItem.objects.filter(kind="event_kind").values_list("code", "pk"))
    labels = dict(DictItem.objects.filter(kind="event_kind").values_list("code", "label"))
    venues = _TEXTS["venues"]
    writer = _Writer(federation=district.pk, users=result.users, kinds=kinds, person=lambda i: None,
                     enterprise=lambda i: i, chamber=lambda i: i, committee=lambda i: None, programme=lambda i: None)
    writer.ent1 = writer.ent1_enterprise = None  # the demo login's firm is in the core district
    per_day = defaultdict(int, last_of_each_day(e.number for e in plan.events))
    now = datetime.combine(end, time(0))
    written = 0
    for year in range(end.year - SPAN_YEARS + 1, end.year + 1):
        rng = random.Random(f"{seed}:{year}")
        stop = min(date(year, 12, 31), end - timedelta(days=1))
        days = (stop - date(year, 1, 1)).days + 1
        count = round(per_year * days / 365)
        events = []
        for k in range(count):
            day = _weekday(date(year, 1, 1) + timedelta(days=rng.randrange(days)), forward=False)
            if day.year != year:
                day = _weekday(date(year, 1, 1))
            kind = weighted(rng, STREAM_KINDS)
            chamber = rng.choice(chambers) if rng.random() < 0.4 else None
            starts_at = datetime.combine(day, rng.choice((time(9), time(14), time(7, 30))))
            title = f"{names[chamber] if chamber else '区工商联'}{year}年{labels[kind]}（第{k + 1}场）"
            e = EventPlan(title=title, kind=kind, starts_at=starts_at, ends_at=starts_at + timedelta(hours=3),
                          venue=rng.choice(venues), organiser=Event.Organiser.CHAMBER if chamber else
                          Event.Organiser.FEDERATION, chamber=chamber, status=Event.Status.FINISHED,
                          created_at=starts_at - timedelta(days=14), by=None)
            invited = rng.sample(range(first_id, first_id + extra), min(extra, rng.randint(20, 60)))
            _load_names(firm_names, invited)
            for f in invited:
                answer = weighted(rng, RSVP)
                e.invitations.append(InvitationPlan(person=None, enterprise=f, name=firm_names[f], mobile_tail="",
                                                    status=answer, responded_at=e.created_at + timedelta(days=2)
                                                    if answer != Invitation.Status.PENDING else None))
            for i, inv in enumerate(e.invitations):
                if inv.status in (Invitation.Status.ACCEPTED, Invitation.Status.SUBSTITUTE) and rng.random() < 0.86:
                    at = starts_at - timedelta(minutes=rng.randint(0, 40))
                    e.checkins.append(CheckinPlan(
                        invitation=i, person=None, enterprise=inv.enterprise, name=inv.name, organisation=inv.name,
                        mobile_tail="", method=CheckIn.Method.MANUAL if rng.random() < 0.2 else CheckIn.Method.SCAN,
                        at=at, feedback=(weighted(rng, SCORES), "", "", e.ends_at + timedelta(hours=6))
                        if kind == "training" and rng.random() < 0.2 else None))
            if e.starts_at >= now:
                continue
            key = f"HD{e.created_at:%Y%m%d}"
            per_day[key] += 1
            e.number = f"{key}{per_day[key]:04d}"
            events.append(e)
        writer.write(events, progress)
        written += len(events)
        firm_names.clear()
    continue_after(per_day)
    reset_sequences(Event, Invitation, CheckIn)
    return written


def _load_names(names, ids):
    missing = [pk for pk in ids if pk not in names]
    for start in range(0, len(missing), 900):
        names.update(Enterprise.objects.filter(pk__in=missing[start:start + 900]).values_list("pk", "name"))


# --- Reporting ---------------------------------------------------------------------------------------------
def counts():
    events = Event.objects.all()
    return [
        ("活动", events.count()),
        ("活动（已结束）", events.filter(status=Event.Status.FINISHED).count()),
        ("请柬", Invitation.objects.count()),
        ("签到", CheckIn.objects.count()),
        ("签到扫描记录", Scan.objects.count()),
        ("活动反馈", Feedback.objects.count()),
        ("决议", Resolution.objects.count()),
        ("轮值主席（月）", ChairDuty.objects.count()),
    ]


@register("events", after=("members", "appeals"), counts=counts)
def seed(run):
    """`seed_demo`'s step: five years of events to today and the weeks after, the appeals raised at them
    linked; past the core district, the streamed firms' events."""
    result = run.results["members"]
    progress = run.progress("活动") if run.extra else None
    plan = build(result, run.results["appeals"], end=run.today, progress=progress)
    if result.streamed is not None:
        stream(result, plan, end=run.today, progress=progress)
    if progress is not None and run.report is not None:
        run.report(progress.line("  活动：完成 "))
    return plan
