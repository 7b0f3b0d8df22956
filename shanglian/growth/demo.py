"""Demo 会员发展与服务 of the demo district, shaped like the seeds ("大力发展会员壮大规模实力", "重点发展一批实力会员
(349家→700家)", "三多三少", "双万双服: 纳入民营企业1515家", "以商引商, 企业对接洽谈会, 融资推介会8次, 招聘月",
"建立信息网络, 向企业提供技术、市场、项目信息", "6个专项工作组 以项目化运作推动解决共性问题"):

- Targets of this year and last by category: the three member kinds and the "三多三少" categories (私营, 外地, 高新).
- A few hundred prospects (发展对象) across the stages, from the registry's firms that are not members, referred by
  members, met at events or members' supply-chain partners; most followed by the federation's staff, some by
  chamber1's and chamber2's secretaries for their chambers; a next step on the open ones (some overdue), a reason
  on the abandoned ones. The members who joined lately were prospects too (已入会).
- Online applications (入会申请) in every state by enterprise accounts of the applying firms: approved ones linked
  to the membership they created (the firm joined on the day of the decision), waiting ones (with their prospect
  已申请), refused ones with the reason, withdrawn ones.
- About a third of the district's firms enrolled in 双万双服 (most of them 私营企业) over three years, with a
  liaison, some ended; a few in the other service programmes.
- Directory listings for most members in force, each showing the fields it chose; the public page off.
- Matchmaking events of the growth app's kinds (融资推介会 8 a year, 企业对接洽谈会 4 a year) for the last two years;
  a board of posts of every category by members (most by their own accounts, some posted by staff on their
  behalf), linked to those events (and the events app's 招聘会), contact requests in every state, and outcomes —
  deals, financing and jobs — from accepted requests and from the events.
- The six working groups with a lead, members, two projects each with milestones, and the appeals of their theme
  linked (when the appeals step ran).

Drawn from its own seeded generator over the saved rows in id order: the same district, seed and `end` give the
same rows. A builder of the demo registry (step "growth", after members, appeals and events); `seed_demo
--if-empty` never runs it twice.
"""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from shanglian.accounts.models import User
from shanglian.accounts.roles import Role
from shanglian.appeals.models import Appeal, Status
from shanglian.common.models import DictItem
from shanglian.common.numbering import daily_number
from shanglian.demo.draws import day_between, weighted
from shanglian.demo.files import load_toml
from shanglian.demo.registry import register
from shanglian.events.models import Event
from shanglian.members import demo as members_demo
from shanglian.members.models import ChamberMembership, Enterprise, EnterpriseRole, Membership
from shanglian.members.selectors import membership_in_force_q

from .models import (
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
    WorkingGroup,
)
from .selectors.enrollments import in_force_q

__all__ = ["GrowthResult", "build", "counts"]

DEMO_SEED = members_demo.DEMO_SEED + 17  # the growth's own stream
_TEXTS = load_toml("growth.toml")

PROSPECTS = (280, 320)
CHAMBER_PROSPECTS = 0.15  # of the prospects: each of chamber1 and chamber2 follows this share for its chamber
APPROVED = 24  # the members who joined lately through an online application
SUBMITTED, REFUSED, WITHDRAWN = 8, 4, 3
ENROLLED_SHARE = 1 / 3  # of the district's firms: in 双万双服
OTHER_PROGRAMMES = {"key_enterprise": 30, "startup": 15}
ENDED_SHARE = 0.05
LISTED_SHARE, UNLISTED_SHARE = 0.85, 0.08  # of the members in force: a listing, and of those hidden
BOARD_FIRMS = 45  # member firms with an account that use the board
POSTS = (130, 150)
ON_BEHALF = 0.15  # of the posts: by staff on a member's behalf
CATEGORIES = [("purchase", 25), ("supply", 25), ("cooperation", 15), ("financing", 15), ("hiring", 12),
              ("technology", 8)]
BANKS = ["天津银行河西支行", "渤海银行河西支行", "中国银行天津河西支行", "天津农商银行河西支行", "区融资担保公司"]
HOURS = 3
WAN = Decimal(10000)


@dataclass
class GrowthResult:
    targets: int
    prospects: int
    applications: int
    enrollments: int
    listings: int
    events: int
    posts: int
    requests: int
    outcomes: int
    groups: int


def _aware(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


class _Builder:
    def __init__(self, result, end, seed):
        self.rng, self.end = random.Random(seed), end
        self.district, self.users = result.federation, result.users
        self.staff, self.leader = self.users["staff"], self.users["leader"]
        firm_ids, _persons = result.core_ids()
        self.firms = list(Enterprise.objects.filter(pk__in=firm_ids).select_related("enterprise_type", "industry")
                          .order_by("pk"))
        self.by_id = {f.pk: f for f in self.firms}
        in_force = Membership.objects.filter(membership_in_force_q(end), federation=self.district,
                                             kind=Membership.Kind.ENTERPRISE, enterprise_id__in=firm_ids)
        self.memberships = {m.enterprise_id: m for m in in_force.order_by("pk")}
        ever = set(Membership.objects.filter(federation=self.district, enterprise__isnull=False)
                   .values_list("enterprise_id", flat=True))
        self.outsiders = [f for f in self.firms if f.pk not in ever]  # never members: recruitment's pool
        self.members = [self.by_id[pk] for pk in self.memberships]
        self.chambers_of = defaultdict(list)
        for cm in (ChamberMembership.objects.filter(enterprise_id__in=firm_ids, status=ChamberMembership.Status.ACTIVE,
                                                    left__isnull=True).order_by("pk")):
            self.chambers_of[cm.enterprise_id].append(cm.chamber_id)
        self.group = Group.objects.get_or_create(name=Role.ENTERPRISE.value)[0]
        self.accounts = {u.enterprise_id: u for u in User.objects.filter(enterprise_id__in=firm_ids).order_by("pk")}

    # --- helpers ------------------------------------------------------------------------------------------------
    def account(self, firm):
        """The firm's enterprise account (an existing one, else a new one that signs in by SMS code only)."""
        user = self.accounts.get(firm.pk)
        if user is None:
            user = User(username=f"qy{firm.uscc.lower()}", display_name=firm.contact_name or "企业联系人",
                        enterprise=firm)
            user.set_unusable_password()
            user.save()
            user.groups.add(self.group)
            self.accounts[firm.pk] = user
        return user

    def products(self, firm):
        return self.rng.choice(_TEXTS["products"])

    # --- targets and prospects ----------------------------------------------------------------------------------
    def targets(self):
        rows = []
        for year, scale in ((self.end.year - 1, 0.9), (self.end.year, 1.0)):
            for category, target, note in _TEXTS["targets"]:
                rows.append(RecruitmentTarget(federation=self.district, year=year, category=category,
                                              target=max(1, round(target * scale)), note=note))
        return len(RecruitmentTarget.objects.bulk_create(rows))

    def prospect(self, firm, stage, *, chamber=None, owner=None, changed=None):
        rng, end = self.rng, self.end
        source = weighted(rng, _TEXTS["sources"])
        referrer = rng.choice(self.members).pk if source in ("referral", "supply_chain") else None
        event = rng.choice(self.past_events) if source == "event" and self.past_events else None
        if source == "event" and event is None:
            source = "registry"
        changed = changed or day_between(rng, end - timedelta(days=300), end)
        open_stage = stage in ("lead", "contacted", "visited")
        return Prospect(
            federation=self.district, chamber_id=chamber, name=firm.name, enterprise=firm, uscc=firm.uscc,
            is_private=firm.enterprise_type.code == "private", is_local=firm.is_local, is_high_tech=firm.is_high_tech,
            industry=firm.industry, source=source, referred_by_id=referrer, source_event=event,
            contact_name=firm.contact_name, contact_mobile=firm.contact_mobile, stage=stage,
            owner=owner or self.staff, next_step=rng.choice(_TEXTS["next_steps"]) if open_stage else "",
            next_step_on=end + timedelta(days=rng.randint(-10, 30)) if open_stage else None,
            abandon_reason=rng.choice(_TEXTS["abandon_reasons"]) if stage == "abandoned" else "",
            note=rng.choice(_TEXTS["prospect_notes"]), stage_changed_on=min(changed, end))

    def prospects_and_applications(self):
        rng, end = self.rng, self.end
        chamber1, chamber2 = self.users["chamber1"], self.users["chamber2"]
        pool = self.outsiders[:]
        rng.shuffle(pool)
        # applications by firms that are not members: waiting, refused, withdrawn
        applying = [pool.pop() for _ in range(min(len(pool) // 3, SUBMITTED + REFUSED + WITHDRAWN))]
        states = ["submitted"] * SUBMITTED + ["refused"] * REFUSED + ["withdrawn"] * WITHDRAWN
        applications = []
        for firm, state in zip(applying, states, strict=False):
            day = day_between(rng, end - timedelta(days=60 if state == "submitted" else 240), end)
            # a refusal or a withdrawal puts the prospect back to 已走访 (followed again), as the services do
            prospect = self.prospect(firm, "applied" if state == "submitted" else "visited", changed=day)
            prospect.save()
            applications.append(self.application(firm, state, day, prospect=prospect))
        # members who joined lately through an online application (the prospect 已入会)
        recent = [self.by_id[pk] for pk, m in self.memberships.items()
                  if m.joined >= end - timedelta(days=400) and self.by_id[pk].enterprise_type.code != "individual"]
        for firm in recent[-APPROVED:]:
            joined = self.memberships[firm.pk].joined
            prospect = None
            if rng.random() < 0.7:  # most were followed as prospects before they applied
                prospect = self.prospect(firm, "joined", changed=joined)
                prospect.save()
            applications.append(self.application(firm, "approved", joined - timedelta(days=rng.randint(3, 20)),
                                                  prospect=prospect, decided=joined))
        # the open and abandoned prospects
        rows = []
        for _ in range(min(len(pool), rng.randint(*PROSPECTS) - len(applications))):
            firm = pool.pop()
            stage = weighted(rng, [(s, w) for s, w in _TEXTS["stages"] if s not in ("applied", "joined")])
            draw, chamber, owner = rng.random(), None, None
            if draw < CHAMBER_PROSPECTS:
                chamber, owner = chamber1.chamber_id, chamber1
            elif draw < 2 * CHAMBER_PROSPECTS:
                chamber, owner = chamber2.chamber_id, chamber2
            rows.append(self.prospect(firm, stage, chamber=chamber, owner=owner))
        Prospect.objects.bulk_create(rows, batch_size=500)
        return Prospect.objects.filter(federation=self.district).count(), len(applications)

    def application(self, firm, state, day, *, prospect=None, decided=None):
        rng = self.rng
        submitted = _aware(day, rng.randint(8, 20))
        chambers = self.chambers_of.get(firm.pk, [])
        application = MembershipApplication.objects.create(
            federation=self.district, number=daily_number("RH", when=submitted), enterprise=firm,
            applicant=self.account(firm), chamber_id=chambers[0] if chambers and rng.random() < 0.5 else None,
            prospect=prospect, status=state, enterprise_name=firm.name, uscc=firm.uscc,
            legal_representative=firm.legal_representative or firm.contact_name or "法定代表人",
            industry=firm.industry, address=firm.address or "天津市河西区", founded=firm.founded,
            employees=firm.employees, registered_capital=firm.registered_capital,
            main_products=self.products(firm), contact_name=firm.contact_name or "联系人",
            contact_mobile=firm.contact_mobile or "13800000000", recommender=rng.choice(_TEXTS["recommenders"]),
            statement=rng.choice(_TEXTS["statements"]),
            decided_by=self.staff if state in ("approved", "refused") else None,
            decided_at=_aware(decided or day + timedelta(days=rng.randint(2, 10)), 15)
            if state in ("approved", "refused") else None,
            refusal_reason=rng.choice(_TEXTS["refusal_reasons"]) if state == "refused" else "",
            membership=self.memberships[firm.pk] if state == "approved" else None)
        MembershipApplication.objects.filter(pk=application.pk).update(submitted_at=submitted)
        return application

    # --- service enrollment and directory -----------------------------------------------------------------------
    def enrollments(self):
        rng, end = self.rng, self.end
        programmes = dict(DictItem.objects.filter(kind="service_programme").values_list("code", "pk"))
        first = date(end.year - 2, 1, 1)
        private = [f for f in self.firms if f.enterprise_type.code == "private"]
        others = [f for f in self.firms if f.enterprise_type.code != "private"]
        k = round(len(self.firms) * ENROLLED_SHARE)
        chosen = rng.sample(private, min(len(private), round(k * 0.85)))
        chosen += rng.sample(others, min(len(others), k - len(chosen)))
        rows = []

        def enrollment(firm, programme):
            start = day_between(rng, max(first, firm.founded or first), end)
            ended = None
            if rng.random() < ENDED_SHARE and (end - start).days > 60:
                ended = day_between(rng, start + timedelta(days=30), end)
            return ServiceEnrollment(
                federation=self.district, enterprise=firm, programme_id=programmes[programme], enrolled_on=start,
                ended_on=ended, enrolled_by=self.staff, liaison=rng.choice([self.staff, self.leader]),
                note=_TEXTS["ended_note"] if ended else rng.choice(_TEXTS["enrollment_notes"]))

        rows = [enrollment(firm, "shuangwan") for firm in sorted(chosen, key=lambda f: f.pk)]
        for code, n in OTHER_PROGRAMMES.items():
            rows += [enrollment(firm, code) for firm in rng.sample(self.members, min(n, len(self.members)))]
        return len(ServiceEnrollment.objects.bulk_create(rows, batch_size=500))

    def listings(self):
        rng = self.rng
        optional = ["street", "address", "contact_name", "contact_mobile", "website", "intro"]
        chances = {"street": 0.7, "address": 0.5, "contact_name": 0.5, "contact_mobile": 0.3, "website": 0.2,
                   "intro": 0.5}
        rows = []
        for firm in self.members:
            if rng.random() >= LISTED_SHARE:
                continue
            shown = ["industry", "products"] + [key for key in optional if rng.random() < chances[key]]
            rows.append(DirectoryListing(
                federation=self.district, enterprise=firm, listed=rng.random() >= UNLISTED_SHARE, shown_fields=shown,
                products=self.products(firm), intro=rng.choice(_TEXTS["intros"]) if "intro" in shown else "",
                website=f"https://ent{firm.pk}.example.com" if "website" in shown else "", updated_by=self.staff))
        DirectorySetting.objects.get_or_create(federation=self.district, defaults={"updated_by": self.staff})
        return len(DirectoryListing.objects.bulk_create(rows, batch_size=500))

    # --- events, board and outcomes -----------------------------------------------------------------------------
    def events(self):
        """融资推介会 and 企业对接洽谈会 of the last two years, evenly over each year up to `end`."""
        kinds = dict(DictItem.objects.filter(kind="event_kind", code__in=["financing", "matchmaking"])
                     .values_list("code", "pk"))
        spec = _TEXTS["events"]
        self.matchmaking = defaultdict(list)
        for year in (self.end.year - 1, self.end.year):
            first = date(year, 1, 15)
            last = min(date(year, 12, 15), self.end - timedelta(days=3))
            for code in ("financing", "matchmaking"):
                title, per_year = spec[code]
                for n in range(per_year):
                    day = first + timedelta(days=round((last - first).days * (n + 0.5) / per_year))
                    starts = _aware(day, 9)
                    event = Event.objects.create(
                        federation=self.district, number=daily_number("HD", when=starts),
                        title=title.format(y=year, n=n + 1), kind_id=kinds[code], starts_at=starts,
                        ends_at=starts + timedelta(hours=HOURS), venue=spec["venue"], status=Event.Status.FINISHED,
                        organiser=Event.Organiser.WORKING_GROUP if code == "financing" else Event.Organiser.FEDERATION,
                        working_group=_TEXTS["groups"][0]["name"] if code == "financing" else "",
                        created_by=self.staff)
                    self.matchmaking[code].append(event)
        self.matchmaking["job_fair"] = list(Event.objects.filter(federation=self.district, kind__code="job_fair")
                                            .held().filter(starts_at__lte=_aware(self.end)).order_by("starts_at"))
        return sum(len(v) for k, v in self.matchmaking.items() if k != "job_fair")

    def event_after(self, kind, day):
        """The first event of `kind` on or after `day` (up to `end`), if any."""
        for event in self.matchmaking.get(kind, []):
            if day <= timezone.localdate(event.starts_at) <= self.end:
                return event
        return None

    def board(self):
        rng, end = self.rng, self.end
        firms = [f for f in self.members if f.enterprise_type.code != "individual"]
        board = rng.sample(firms, min(BOARD_FIRMS, len(firms)))
        demo_firm = self.users.get("ent1")
        if demo_firm is not None and demo_firm.enterprise_id in self.memberships:
            board = [self.by_id[demo_firm.enterprise_id]] + [f for f in board if f.pk != demo_firm.enterprise_id]
        posts, requests, outcomes = 0, 0, 0
        first = end - timedelta(days=540)
        for _ in range(rng.randint(*POSTS)):
            category = weighted(rng, CATEGORIES)
            texts = _TEXTS["posts"][category]
            firm = rng.choice(board) if rng.random() >= ON_BEHALF else rng.choice(firms)
            poster = self.account(firm) if firm in board else self.staff
            day = day_between(rng, first, end)
            valid = day + timedelta(days=rng.choice([60, 90, 180]))
            product = self.products(firm).split("、")[0]
            expired, done = valid < end, rng.random() < 0.2
            post = Post.objects.create(
                federation=self.district, number=daily_number("GX", when=_aware(day)), enterprise=firm,
                posted_by=poster, category=category, title=rng.choice(texts["titles"]).format(product=product)[:100],
                body=texts["body"].format(product=product), industry=firm.industry, keywords=rng.choice(texts["keywords"]),
                amount=Decimal(rng.choice([20, 50, 100, 300, 500, 1000])) * WAN if category in ("purchase", "financing")
                else None, headcount=rng.randint(3, 50) if category == "hiring" else None, valid_until=valid,
                status=Post.Status.CLOSED if expired or done else Post.Status.OPEN,
                closed_reason="已过有效期" if expired else ("已达成合作" if done else ""))
            Post.objects.filter(pk=post.pk).update(created_at=_aware(day, 11))
            posts += 1
            kind = {"financing": "financing", "hiring": "job_fair"}.get(category, "matchmaking")
            event = self.event_after(kind, day) if (kind != "matchmaking" or rng.random() < 0.4) else None
            if event is not None:
                post.events.add(event)
            r, o = self.contacts(post, day, board, event)
            requests, outcomes = requests + r, outcomes + o
        outcomes += self.event_outcomes()
        return posts, requests, outcomes

    def contacts(self, post, day, board, event):
        rng, end = self.rng, self.end
        others = [f for f in board if f.pk != post.enterprise_id]
        requests = outcomes = 0
        if rng.random() >= 0.6 or not others:
            return 0, 0
        for requester in rng.sample(others, min(len(others), rng.randint(1, 3))):
            asked = day_between(rng, day, min(end, day + timedelta(days=30)))
            status = weighted(rng, [("accepted", 50), ("declined", 20), ("withdrawn", 5), ("pending", 25)])
            if status == "pending" and post.status == Post.Status.CLOSED:
                status = "declined"
            request = ContactRequest.objects.create(
                post=post, requester=requester, requested_by=self.account(requester),
                message=rng.choice(_TEXTS["contact"]["messages"]), status=status,
                decided_at=_aware(min(end, asked + timedelta(days=rng.randint(0, 5))), 16)
                if status in ("accepted", "declined") else None)
            ContactRequest.objects.filter(pk=request.pk).update(created_at=_aware(asked, 9))
            requests += 1
            if status == "accepted" and rng.random() < 0.4:
                self.outcome(post.enterprise, {"financing": "financing", "hiring": "hiring"}.get(post.category, "deal"),
                             min(end, asked + timedelta(days=rng.randint(7, 60))), post=post, event=event,
                             partner=requester)
                outcomes += 1
        return requests, outcomes

    def outcome(self, firm, kind, day, *, post=None, event=None, partner=None, partner_name=""):
        rng = self.rng
        amount = None if kind == "hiring" else Decimal(rng.choice([10, 30, 50, 80, 100, 200, 500, 1000])) * WAN
        MatchOutcome.objects.create(
            federation=self.district, kind=kind, enterprise=firm, partner=partner, partner_name=partner_name,
            post=post, event=event, reached_on=day, amount=amount,
            jobs=rng.randint(2, 30) if kind == "hiring" else None, recorded_by=self.staff)

    def event_outcomes(self):
        """Financing agreed at each 融资推介会, deals at each 洽谈会, jobs filled at each 招聘会."""
        rng, n = self.rng, 0
        firms = [f for f in self.members if f.enterprise_type.code != "individual"]
        for code, kind in (("financing", "financing"), ("matchmaking", "deal"), ("job_fair", "hiring")):
            for event in self.matchmaking.get(code, []):
                held = timezone.localdate(event.starts_at)
                for firm in rng.sample(firms, min(len(firms), rng.randint(1, 4))):
                    day = min(self.end, held + timedelta(days=rng.randint(0, 45)))
                    self.outcome(firm, kind, day, event=event,
                                 partner_name=rng.choice(BANKS) if kind == "financing" else "")
                    n += 1
        return n

    # --- working groups -----------------------------------------------------------------------------------------
    def groups(self):
        rng, end = self.rng, self.end
        roles = list(EnterpriseRole.objects.filter(enterprise_id__in=list(self.memberships))
                     .order_by("person_id", "pk").values_list("person_id", "enterprise_id"))
        holders = list(dict(roles).items())  # each person once, with the first member firm they hold a role in
        appeals = list(Appeal.objects.filter(federation=self.district).order_by("pk").values_list("pk", "title",
                                                                                                    "status"))
        taken, n = set(), 0
        for i, spec in enumerate(_TEXTS["groups"]):
            established = date(end.year - 2, 3, 1) + timedelta(days=20 * i)
            group = WorkingGroup.objects.create(federation=self.district, name=spec["name"], focus=spec["focus"],
                                                established=established, contact=self.staff,
                                                description=spec["description"])
            people = rng.sample(holders, min(len(holders), rng.randint(5, 8)))
            GroupMember.objects.bulk_create([
                GroupMember(group=group, person_id=person, enterprise_id=firm, is_lead=k == 0,
                            joined=established + timedelta(days=0 if k == 0 else rng.randint(0, 90)))
                for k, (person, firm) in enumerate(people)])
            themed = [(pk, status) for pk, title, status in appeals
                      if pk not in taken and any(word in title for word in spec["appeal_words"])]
            themed.sort(key=lambda a: a[1] != Status.CLOSED)  # the resolved ones first
            for k, (name, goal, steps) in enumerate(spec["projects"]):
                start = established + timedelta(days=30 + 200 * k)
                due = start + timedelta(days=300)
                done = k == 0 and due < end
                project = GroupProject.objects.create(
                    group=group, name=name, goal=goal, start=start, due=due,
                    status=GroupProject.Status.DONE if done else
                    (GroupProject.Status.ACTIVE if start <= end else GroupProject.Status.PLANNED),
                    outcome=f"{goal}，已按期完成。" if done else "", finished_on=due if done else None)
                span = (due - start).days
                Milestone.objects.bulk_create([
                    Milestone(project=project, title=step, due=start + timedelta(days=span * (s + 1) // len(steps)),
                              done_on=(start + timedelta(days=span * (s + 1) // len(steps)))
                              if start + timedelta(days=span * (s + 1) // len(steps)) <= end else None)
                    for s, step in enumerate(steps)])
                linked = [pk for pk, _status in themed[k * 4:(k + 1) * 4]]
                project.appeals.add(*linked)
                taken.update(linked)
            n += 1
        return n


def build(result, *, end=members_demo.AS_OF, seed=DEMO_SEED):
    """Save the 会员发展与服务 of the demo district `result` (the "members" step's result) as of `end`."""
    with transaction.atomic():
        builder = _Builder(result, end, seed)
        builder.past_events = list(Event.objects.filter(federation=builder.district).held()
                                   .filter(starts_at__lte=_aware(end)).order_by("pk")[:200])
        targets = builder.targets()
        events = builder.events()
        prospects, applications = builder.prospects_and_applications()
        enrollments = builder.enrollments()
        listings = builder.listings()
        posts, requests, outcomes = builder.board()
        groups = builder.groups()
    return GrowthResult(targets=targets, prospects=prospects, applications=applications, enrollments=enrollments,
                        listings=listings, events=events, posts=posts, requests=requests, outcomes=outcomes,
                        groups=groups)


# --- Reporting ---------------------------------------------------------------------------------------------
def counts():
    today = timezone.localdate()
    in_force = in_force_q(today)
    return [
        ("发展对象", Prospect.objects.count()),
        ("入会申请", MembershipApplication.objects.count()),
        ("服务企业（在服务）", ServiceEnrollment.objects.filter(in_force).values("enterprise").distinct().count()),
        ("会员名录条目", DirectoryListing.objects.count()),
        ("供需信息", Post.objects.count()),
        ("对接请求", ContactRequest.objects.count()),
        ("对接成果", MatchOutcome.objects.count()),
        ("专项工作组", WorkingGroup.objects.count()),
    ]


@register("growth", after=("members", "appeals", "events"), counts=counts)
def seed(run):
    """`seed_demo`'s step: the core district's targets, prospects, applications, service enrollments, directory,
    board with its matchmaking events and outcomes, and the six working groups, up to today."""
    return build(run.results["members"], end=run.today)
