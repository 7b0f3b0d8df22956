"""Demo 光彩公益 of the demo district, shaped like the seeds ("构建'街帮乡，企帮村'的'万企帮万村'全覆盖模式", "设立
'春芽基金'", "436家民营企业捐款捐物658万元", "实现对口帮扶的159个贫困村全覆盖", "24家会员企业累计为抗击疫情捐款捐物
260余万元"):

- Pairings (结对帮扶) with the paired county's villages (the orgs demo's `Village`s, most of them 帮扶对象): every
  target village has a street chamber ("街帮乡"), most also one or more enterprises ("企帮村"), of the five kinds,
  each with what it committed and what it delivered so far; some enterprises' pairings ended (others go on in the
  village); the pairings of two target villages ended lately and nobody took over yet, so the coverage on `end`
  is near, not exactly, 100 % and the unpaired list shows them; a village that is not a target is paired too (not
  counted).
- Campaigns over the last four years: the long-running 春芽基金 and 万企兴万村 funds, 抗疫, 灾害救助, 金秋助学,
  冬季送温暖 (with targets), and one campaign of the first street chamber (chamber1's).
- A few hundred donations over those years: mostly enterprises (the larger ones more often and more), some
  persons and chambers; cash mostly (round sums, some to the fen), goods with a valuation, some both; some
  organised through a chamber (`Donation.chamber`: chamber1's members often go through it), a 公益事业捐赠票据
  for most cash gifts to an organisation; gifts to the 万企兴万村 fund go to a village (the donor's own paired
  village where it has one). Numbered JZ + the day + a counter, the counters moved past them
  (`common.numbering.continue_after`).

`generate(...)` draws everything into a `WelfarePlan` of plain values (enterprises, persons, chambers and villages
as indexes into the members plan; users by demo login) from its own seeded generator: the same members plan, seed
and `end` give the same plan (`fingerprint()`). `build(...)` writes it with bulk inserts. A builder of the demo
registry (step "welfare", after members); `seed_demo --if-empty` never runs it twice.
"""

import hashlib
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import accumulate

from django.db import transaction
from django.utils import timezone

from shanglian.common.models import DictItem
from shanglian.common.numbering import continue_after, last_of_each_day
from shanglian.demo import orgs
from shanglian.demo.draws import day_between, weighted, weighted_sample
from shanglian.demo.files import load_toml
from shanglian.demo.registry import register
from shanglian.members import demo as members_demo
from shanglian.members.models import ChamberMembership
from shanglian.orgs.models import Chamber, Village

from .models import Campaign, Donation, Pairing, pairing_in_force_q

__all__ = ["WelfarePlan", "build", "counts", "generate"]

DEMO_SEED = members_demo.DEMO_SEED + 11  # the welfare's own stream
_TEXTS = load_toml("welfare.toml")

YEARS = 4  # of campaigns and donations, up to `end`
DONATIONS = (330, 390)
DONOR_KINDS = [(Donation.DonorKind.ENTERPRISE, 78), (Donation.DonorKind.PERSON, 14), (Donation.DonorKind.CHAMBER, 8)]
# How likely a firm of a size gives (a 个体工商户 a third of its size's), and how much of a goods quantity it gives.
SIZE_WEIGHTS = {"large": 8, "medium": 5, "small": 2, "micro": 0.7}
INDIVIDUAL_FACTOR = 0.3
GOODS_SCALE = {"large": 1.0, "medium": 0.6, "small": 0.3, "micro": 0.15, "individual": 0.1, "person": 0.1,
               "chamber": 0.8}
BOTH_SHARE = 0.3  # of the gifts of goods: cash too
FEN_SHARE = 0.12  # of the cash gifts: an amount to the fen
ODD_SHARE = 0.10  # of the cash gifts: whole yuan, not a round sum
RECEIPT_SHARE = 0.7  # of the cash gifts to an organisation: a 公益事业捐赠票据
THROUGH_CHAMBER = 0.3  # of an enterprise's gifts: organised through one of its chambers (chamber1's members: more)
THROUGH_CHAMBER1 = 0.6
PERSON_THROUGH_CHAMBER = 0.2
PAIRED_ENTERPRISES = (45, 55)
PAIRING_YEARS = 6  # the first pairings started this many years before `end`'s year ("2016年以来")
GAP_VILLAGES = 2  # target villages whose pairings ended lately, nobody paired yet
ENDED_SHARE = 0.15  # of the enterprises' pairings: ended (the village stays paired by others)
CHAMBER_PAIRING_KINDS = [(Pairing.Kind.INDUSTRY, 5), (Pairing.Kind.CONSUMPTION, 4), (Pairing.Kind.CHARITY, 1)]
PAIRING_KINDS = _TEXTS["pairing_kinds"]
CENT, YUAN = Decimal("0.01"), Decimal("1")


# --- The plan ----------------------------------------------------------------------------------------------
@dataclass
class CampaignPlan:
    name: str
    kind: str  # a `welfare_campaign_kind` code
    start: date
    end: date | None
    target_amount: Decimal | None
    target_note: str
    description: str
    chamber: int | None = None  # index into the members plan's chambers


@dataclass
class PairingPlan:
    village: int  # index into the members plan's villages
    kind: str
    start: date
    end: date | None = None
    enterprise: int | None = None
    chamber: int | None = None
    commitment: str = ""
    committed_amount: Decimal | None = None
    delivered: str = ""
    delivered_amount: Decimal | None = None
    note: str = ""


@dataclass
class DonationPlan:
    number: str
    donor_kind: str
    donor: int  # index into the members plan's enterprises, persons or chambers (by `donor_kind`)
    donated_on: date
    cash: Decimal
    goods_description: str = ""
    goods_value: Decimal = Decimal("0.00")
    campaign: int | None = None  # index into the plan's campaigns
    chamber: int | None = None  # the organising chamber
    village: int | None = None  # the receiving village
    recipient: str = ""
    receipt_number: str = ""
    note: str = ""
    recorded_by: str = "staff"  # a demo login


@dataclass
class WelfarePlan:
    seed: int
    end: date
    campaigns: list
    pairings: list
    donations: list

    def fingerprint(self):
        text = repr((self.seed, self.end, self.campaigns, self.pairings, self.donations))
        return hashlib.sha256(text.encode()).hexdigest()


# --- Drawing ---------------------------------------------------------------------------------------------
def _wan(yuan):
    """万元 for a text: 12.5, 30 (no trailing zeros)."""
    text = f"{Decimal(yuan) / 10000:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def _day(end, offset):
    year_offset, month, day = offset
    return date(end.year + year_offset, month, day)


class _Generator:
    def __init__(self, members_plan, end, seed):
        self.plan, self.end = members_plan, end
        self.rng, self.seed = random.Random(seed), seed
        self.first = date(end.year - YEARS + 1, 1, 1)  # the first day of donations
        self.chamber1, self.chamber2 = members_plan.logins["chamber1"], members_plan.logins["chamber2"]
        self.chambers_of = defaultdict(list)  # enterprise → the chambers it is an active member of
        self.members_of = defaultdict(list)
        for m in members_plan.memberships:
            if m.status == ChamberMembership.Status.ACTIVE and m.left is None:
                self.chambers_of[m.enterprise].append(m.chamber)
                self.members_of[m.chamber].append(m.enterprise)
        self.firms = [i for i, e in enumerate(members_plan.enterprises) if e.founded < self.first]
        self.firm_weights = list(accumulate(self.firm_weight(i) for i in self.firms))  # cumulative: one draw is log n
        self.persons = [i for i, p in enumerate(members_plan.persons)
                        if members_plan.enterprises[p.roles[0][0]].type_code != "individual"]
        self.person_weights = list(accumulate(
            SIZE_WEIGHTS[members_plan.enterprises[members_plan.persons[i].roles[0][0]].size] for i in self.persons))
        self.persons_of = defaultdict(list)  # enterprise → the persons holding a role in it
        for i, person in enumerate(members_plan.persons):
            for enterprise, _role in person.roles:
                self.persons_of[enterprise].append(i)
        self.village_of = {}  # enterprise → the village it is paired with (the first)

    def firm_weight(self, i):
        e = self.plan.enterprises[i]
        return SIZE_WEIGHTS[e.size] * (INDIVIDUAL_FACTOR if e.type_code == "individual" else 1)

    def size_of(self, kind, donor):
        if kind == Donation.DonorKind.ENTERPRISE:
            e = self.plan.enterprises[donor]
            return "individual" if e.type_code == "individual" else e.size
        return kind  # "person", "chamber"

    # --- campaigns ------------------------------------------------------------------------------------------
    def campaigns(self):
        rows = []
        for spec in _TEXTS["campaigns"]:
            chamber = self.chamber1 if spec.get("chamber") else None
            name = spec["name"].format(chamber=self.plan.chambers[chamber].name if chamber is not None else "")
            target = spec.get("target_amount")
            rows.append(CampaignPlan(
                name=name, kind=spec["kind"], start=_day(self.end, spec["start"]),
                end=_day(self.end, spec["end"]) if "end" in spec else None,
                target_amount=Decimal(target).quantize(CENT) if target else None, target_note=spec["target_note"],
                description=spec["description"], chamber=chamber))
        return rows

    # --- pairings -------------------------------------------------------------------------------------------
    def pairings(self):
        rng, plan, end = self.rng, self.plan, self.end
        targets = [i for i, v in enumerate(plan.villages) if v[3]]
        others = [i for i, v in enumerate(plan.villages) if not v[3]]
        order = targets[:]
        rng.shuffle(order)
        gap = set(order[:GAP_VILLAGES])
        covered = [v for v in order if v not in gap]
        street_chambers = [i for i, c in enumerate(plan.chambers) if c.kind == Chamber.Kind.STREET]
        first = date(end.year - PAIRING_YEARS, 1, 1)
        last_start = date(end.year - YEARS + 1, 6, 30)
        rows = []
        # "街帮乡": each target village has a street chamber, from the start
        for n, village in enumerate(order):
            chamber = street_chambers[n % len(street_chambers)]
            start = day_between(rng, max(first, plan.chambers[chamber].founded), last_start)
            finish = None
            if village in gap:  # ended lately; the village waits for a new partner
                finish = day_between(rng, end - timedelta(days=200), end - timedelta(days=20))
            rows.append(self.pairing(village, weighted(rng, CHAMBER_PAIRING_KINDS), start, finish, chamber=chamber,
                                     note=_TEXTS["pairing_ends"]["gap"] if finish else ""))
        # "企帮村": enterprises, most of them the larger local firms
        pool = [i for i in self.firms if plan.enterprises[i].is_local and plan.enterprises[i].type_code != "individual"]
        k = min(rng.randint(*PAIRED_ENTERPRISES), max(0, len(pool) - GAP_VILLAGES - 1))  # (a tiny district: fewer)
        firms = weighted_sample(rng, pool, [self.firm_weight(i) for i in pool], k)
        spare = [i for i in pool if i not in firms]
        kinds = [(kind, spec["weight"]) for kind, spec in PAIRING_KINDS.items()]
        for firm in firms:
            village = rng.choice(covered)
            start = day_between(rng, max(first, plan.enterprises[firm].founded), end - timedelta(days=60))
            finish, note = None, ""
            if rng.random() < ENDED_SHARE and (end - start).days > 430:
                finish = day_between(rng, start + timedelta(days=365), end - timedelta(days=30))
                note = rng.choice(_TEXTS["pairing_ends"]["replaced"])
            rows.append(self.pairing(village, weighted(rng, kinds), start, finish, enterprise=firm, note=note))
            self.village_of.setdefault(firm, village)
        # a gap village had an enterprise too, which ended as well
        for village in sorted(gap) if spare else ():
            firm = rng.choice(spare)
            start = day_between(rng, max(first, plan.enterprises[firm].founded), last_start)
            finish = day_between(rng, start + timedelta(days=365), end - timedelta(days=220))
            rows.append(self.pairing(village, Pairing.Kind.EMPLOYMENT, start, finish, enterprise=firm,
                                     note=rng.choice(_TEXTS["pairing_ends"]["replaced"])))
            self.village_of.setdefault(firm, village)
        # a village that is not a target (its pairing is not counted in the coverage)
        for village in others[:1] if spare else ():
            firm = rng.choice(spare)
            start = day_between(rng, date(end.year - 2, 1, 1), end - timedelta(days=90))
            rows.append(self.pairing(village, Pairing.Kind.CHARITY, start, None, enterprise=firm))
            self.village_of.setdefault(firm, village)
        return rows

    def pairing(self, village, kind, start, finish, *, enterprise=None, chamber=None, note=""):
        rng = self.rng
        spec = PAIRING_KINDS[kind]
        name = self.plan.villages[village][0]
        what = rng.choice(spec["what"])
        committed = Decimal(rng.choice(spec["amounts"]) * 10000).quantize(CENT)
        n = rng.randint(5, 40)
        commitment = spec["commitment"].format(village=name, amount=_wan(committed), n=n, what=what)
        row = PairingPlan(village=village, kind=str(kind), start=start, end=finish, enterprise=enterprise, chamber=chamber,
                          commitment=commitment, committed_amount=committed, note=note)
        years = ((finish or self.end) - start).days / 365
        if years >= 0.25:  # delivered so far: more the longer it ran
            share = min(1.0, 0.3 + 0.25 * years) * rng.uniform(0.85, 1.05)
            delivered = (committed * Decimal(str(round(share, 3)))).quantize(Decimal("100"), ROUND_HALF_UP)
            row.delivered_amount = delivered.quantize(CENT)
            row.delivered = spec["delivered"].format(village=name, amount=_wan(delivered), n=max(1, round(n * share)),
                                                     m=n * 3, what=what)
        return row

    # --- donations ------------------------------------------------------------------------------------------
    def donations(self, campaigns, pairings):
        rng, end = self.rng, self.end
        specs = _TEXTS["campaigns"]
        choices = [(c, spec["share"]) for c, spec in enumerate(specs)] + [(None, _TEXTS["loose"]["share"])]
        targets = sorted({p.village for p in pairings if self.plan.villages[p.village][3]})
        rows = []
        for _ in range(rng.randint(*DONATIONS)):
            c = weighted(rng, choices)
            spec = specs[c] if c is not None else _TEXTS["loose"]
            campaign = campaigns[c] if c is not None else None
            start = max(campaign.start, self.first) if campaign else self.first
            last = min(campaign.end or end, end) if campaign else end
            if last < start:
                continue
            row = self.donation(campaign, spec, day_between(rng, start, last), targets)
            row.campaign = c
            rows.append(row)
        rows.sort(key=lambda r: r.donated_on)
        counters, serial = defaultdict(int), defaultdict(lambda: rng.randint(1200, 6000))
        for row in rows:
            key = f"JZ{row.donated_on:%Y%m%d}"
            counters[key] += 1
            row.number = f"{key}{counters[key]:04d}"
            if row.receipt_number:
                year = row.donated_on.year
                serial[year] += rng.randint(1, 40)
                row.receipt_number = _TEXTS["receipt_format"].format(year=year, serial=serial[year])
        return rows

    def donation(self, campaign, spec, day, targets):
        rng, plan = self.rng, self.plan
        chamber = None
        firms = ([i for i in self.members_of[campaign.chamber] if plan.enterprises[i].founded < day]
                 if campaign is not None and campaign.chamber is not None else [])
        if firms:  # a chamber's campaign: its members give
            chamber = campaign.chamber
            kind = weighted(rng, [(Donation.DonorKind.ENTERPRISE, 85), (Donation.DonorKind.PERSON, 15)])
            donor = rng.choice(firms)
            if kind == Donation.DonorKind.PERSON:
                holders = self.persons_of[donor]
                if holders:
                    donor = rng.choice(holders)
                else:
                    kind = Donation.DonorKind.ENTERPRISE
        else:
            kind = weighted(rng, DONOR_KINDS)
            if kind == Donation.DonorKind.ENTERPRISE:
                donor = rng.choices(self.firms, cum_weights=self.firm_weights)[0]
                mine = self.chambers_of[donor]
                if mine:
                    share = THROUGH_CHAMBER1 if self.chamber1 in mine else THROUGH_CHAMBER
                    if rng.random() < share:
                        chamber = self.chamber1 if self.chamber1 in mine else rng.choice(mine)
            elif kind == Donation.DonorKind.PERSON:
                donor = rng.choices(self.persons, cum_weights=self.person_weights)[0]
                mine = self.chambers_of[plan.persons[donor].roles[0][0]]
                if mine and rng.random() < PERSON_THROUGH_CHAMBER:
                    chamber = rng.choice(mine)
            else:
                donor = weighted(rng, [(c, 1.5 if ch.kind != Chamber.Kind.STREET else 1)
                                       for c, ch in enumerate(plan.chambers) if ch.founded < day])
                chamber = donor
        size = self.size_of(kind, donor)
        row = DonationPlan(number="", donor_kind=str(kind), donor=donor, donated_on=day, cash=Decimal("0.00"),
                           chamber=chamber,
                           recorded_by={self.chamber1: "chamber1", self.chamber2: "chamber2"}.get(chamber, "staff"))
        if rng.random() < spec["goods_share"]:
            text, (low, high), (q_low, q_high, step) = rng.choice(spec["goods"])
            quantity = max(q_low, round(rng.randrange(q_low, q_high + 1, step) * GOODS_SCALE[size] / step) * step)
            price = Decimal(str(round(rng.uniform(low, high), 2)))
            row.goods_description = text.format(q=quantity)
            row.goods_value = (price * quantity).quantize(CENT, ROUND_HALF_UP)
            row.note = _TEXTS["goods_note"]
            if rng.random() < BOTH_SHARE:
                row.cash = self.cash(size)
        else:
            row.cash = self.cash(size)
        recipient = rng.choice(spec["recipients"])
        if recipient == "village":
            row.village = self.village_of.get(donor) if kind == Donation.DonorKind.ENTERPRISE else None
            if row.village is None:
                row.village = rng.choice(targets)
        else:
            street = plan.chambers[chamber].street if chamber is not None else None
            row.recipient = recipient.format(street=orgs.STREETS[street][0] if street is not None else "")
            if row.cash > 0 and rng.random() < RECEIPT_SHARE:
                row.receipt_number = "pending"  # numbered in date order once all are drawn
        return row

    def cash(self, size):
        rng = self.rng
        base = Decimal(weighted(rng, [tuple(pair) for pair in _TEXTS["cash"][size]]))
        draw = rng.random()
        if draw < FEN_SHARE:
            return (base * Decimal(str(rng.uniform(0.6, 1.4)))).quantize(CENT, ROUND_HALF_UP)
        if draw < FEN_SHARE + ODD_SHARE:
            return (base * Decimal(str(rng.uniform(0.6, 1.4)))).quantize(YUAN, ROUND_HALF_UP).quantize(CENT)
        return base.quantize(CENT)


def generate(members_plan, *, end=members_demo.AS_OF, seed=DEMO_SEED):
    """The demo district's 光彩公益, drawn from the members plan (firms, persons, chambers and their members, the
    paired county's villages), as of `end`."""
    gen = _Generator(members_plan, end, seed)
    campaigns = gen.campaigns()
    pairings = gen.pairings()
    donations = gen.donations(campaigns, pairings)
    return WelfarePlan(seed=seed, end=end, campaigns=campaigns, pairings=pairings, donations=donations)


# --- Saving ----------------------------------------------------------------------------------------------
def build(result, *, end=members_demo.AS_OF, seed=DEMO_SEED, plan=None):
    """Save the 光彩公益 of the demo district `result` (the "members" step's result)."""
    plan = plan or generate(result.plan, end=end, seed=seed)
    district, users = result.federation, result.users
    enterprises, persons = result.core_ids()
    chambers = list(Chamber.objects.filter(federation=district).order_by("pk").values_list("pk", flat=True))
    villages = list(Village.objects.filter(federation=district).order_by("pk").values_list("pk", flat=True))
    kinds = dict(DictItem.objects.filter(kind="welfare_campaign_kind").values_list("code", "pk"))

    def pk(ids, index):
        return ids[index] if index is not None else None

    def user(login):
        found = users.get(login)
        return found.pk if found is not None else None

    with transaction.atomic():
        campaigns = Campaign.objects.bulk_create([
            Campaign(federation=district, chamber_id=pk(chambers, c.chamber), name=c.name, kind_id=kinds[c.kind],
                     start=c.start, end=c.end, target_amount=c.target_amount, target_note=c.target_note,
                     description=c.description) for c in plan.campaigns])
        Pairing.objects.bulk_create([
            Pairing(federation=district, village_id=villages[p.village], enterprise_id=pk(enterprises, p.enterprise),
                    chamber_id=pk(chambers, p.chamber), kind=p.kind, start=p.start, end=p.end,
                    commitment=p.commitment, committed_amount=p.committed_amount, delivered=p.delivered,
                    delivered_amount=p.delivered_amount, note=p.note) for p in plan.pairings], batch_size=500)
        donors = {Donation.DonorKind.ENTERPRISE: enterprises, Donation.DonorKind.PERSON: persons,
                  Donation.DonorKind.CHAMBER: chambers}
        Donation.objects.bulk_create([
            Donation(federation=district, number=d.number, donor_kind=d.donor_kind,
                     **{f"donor_{d.donor_kind}_id": donors[d.donor_kind][d.donor]},
                     chamber_id=pk(chambers, d.chamber),
                     campaign_id=campaigns[d.campaign].pk if d.campaign is not None else None,
                     donated_on=d.donated_on, cash=d.cash, goods_description=d.goods_description,
                     goods_value=d.goods_value, recipient_village_id=pk(villages, d.village), recipient=d.recipient,
                     receipt_number=d.receipt_number, note=d.note, created_by_id=user(d.recorded_by))
            for d in plan.donations], batch_size=500)
        continue_after(last_of_each_day(d.number for d in plan.donations))
    return plan


# --- Reporting ---------------------------------------------------------------------------------------------
def counts():
    donations = Donation.objects.all()
    return [
        ("公益项目", Campaign.objects.count()),
        ("结对帮扶", Pairing.objects.count()),
        ("结对帮扶（在帮）", Pairing.objects.filter(pairing_in_force_q(timezone.localdate())).count()),
        ("捐赠", donations.count()),
        ("捐赠企业（去重）", donations.filter(donor_kind=Donation.DonorKind.ENTERPRISE)
         .values("donor_enterprise").distinct().count()),
    ]


@register("welfare", after=("members",), counts=counts)
def seed(run):
    """`seed_demo`'s step: the core district's pairings with the paired county's villages, campaigns and a few
    hundred donations, up to today."""
    return build(run.results["members"], end=run.today)
