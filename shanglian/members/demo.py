"""The demo district's firms, persons and members, on the organisation of `shanglian.demo.orgs`.

Registered as the demo builder "members" (run by `manage.py seed_demo`, demo mode only) and used by
tests. Two steps, so tests can check determinism without a second database:

- `generate(enterprises=..., seed=...)` draws everything from one `random.Random(seed)` into a
  `DemoPlan` of plain Python values: first the organisation's made-up parts (`orgs.draw`), then the
  firms and persons, the chambers' members and officers, the terms' positions and the federation's
  members. It only *reads* the database (the GB/T 4754 industry codes that a migration loads), and the
  same seed gives the same plan, whatever the day it runs on.
- `build(...)` saves a plan in one transaction: the organisation (`orgs.save`, its terms up to the one in force
  on the build day, each held by the plan's officers, re-elected), then bulk inserts for the thousands of rows,
  then the demo logins (`shanglian.demo.logins`, through `accounts.services.create_user`, so the password rules
  apply).

The literals (industry mix, regions, weights) are in `shanglian/demo/data/members.toml` and
`industries.csv`; names in `names.toml`.

The plan also holds the federation's own members (`Membership`: enterprise, group and individual members
joining 2016–2026, with departures, suspensions and yearly dues), shaped like the seeds' district: about
880 members in force, more 个体工商户 than 私营企业, more individual than group, more local than
non-local, more traditional than high-tech members, and a year-end count that grows every year.

Every code (统一社会信用代码, 身份证号码, mobile) is generated with a valid check digit and is made
up; names of firms, persons and villages are fictional. Dates are fixed (`AS_OF`), never `today()`,
except the timestamps Django fills itself and the terms, which `build` saves up to the one in force on the
day it is given (`seed_demo`: today); encrypted columns differ between runs only because each encryption
uses a fresh nonce.
"""

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from shanglian.common.codes import make_id_number, make_mobile, make_uscc
from shanglian.common.models import DictItem, IndustryCode
from shanglian.demo import logins, orgs
from shanglian.demo.draws import day_between, weighted, weighted_sample
from shanglian.demo.files import load_csv, load_toml, words
from shanglian.demo.names import BUILDING_NAMES, FOREIGN_BRANDS, SURNAMES, Names, SerialCodes, SerialNames
from shanglian.demo.registry import DEFAULT_ENTERPRISES, register
from shanglian.demo.saving import bulk_created_ids, next_id, reset_sequences, write_rows
from shanglian.orgs.models import Chamber, Federation, Position, Street

from . import summaries
from .models import (
    ChamberMembership,
    DuesRecord,
    DuplicateCandidate,
    Enterprise,
    EnterpriseRole,
    Membership,
    Person,
    pinyin_initials,
)

__all__ = [
    "AS_OF",
    "DEFAULT_ENTERPRISES",
    "DEMO_SEED",
    "DemoPlan",
    "build",
    "counts",
    "generate",
]

DEMO_SEED = 2026
# The day the demo data "is as of": no joined/left date is later. Fixed, so every run is the same.
AS_OF = date(2026, 6, 30)

# --- Fixed reference data (data/members.toml, data/industries.csv) --------------------------------

_DRAWS = load_toml("members.toml")
# Places non-local firms are registered in (GB/T 2260 county codes) and the prefix of their names.
OTHER_TIANJIN = [tuple(row) for row in _DRAWS["other_tianjin"]]
PROVINCE_WEIGHTS = [tuple(row) for row in _DRAWS["province_weights"]]
PROVINCES = {name: [tuple(row) for row in rows] for name, rows in _DRAWS["provinces"].items()}
# Birthplaces (ID number region) of persons with no province of their own.
BIRTH_REGIONS = [tuple(row) for row in _DRAWS["birth_regions"]]
# Building chambers gather offices: services, IT, finance, consulting.
OFFICE_SECTIONS = set(_DRAWS["office_sections"])
# Sections whose firms are often 高新技术企业.
TECH_SECTIONS = set(_DRAWS["tech_sections"])
TECH_MANUFACTURING = tuple(_DRAWS["tech_manufacturing"])

TYPE_WEIGHTS = [tuple(row) for row in _DRAWS["type_weights"]]
SIZE_WEIGHTS = [tuple(row) for row in _DRAWS["size_weights"]]
EMPLOYEES = {size: tuple(pair) for size, pair in _DRAWS["employees"].items()}
CAPITAL = _DRAWS["capital"]  # 注册资本（万元）, typical round amounts per size
POLITICAL_WEIGHTS = [tuple(row) for row in _DRAWS["political_weights"]]
EDUCATION_WEIGHTS = {age: [tuple(row) for row in rows] for age, rows in _DRAWS["education_weights"].items()}

# Industry mix: GB/T 4754-2017 小类, weight, words for company names, words for 个体工商户 names.
# Weighted towards 批发零售, 住宿餐饮, 建筑, 软件, 商务服务 and some 制造.
INDUSTRY_MIX = [(row["code"], float(row["weight"]), words(row["company_words"]), words(row["shop_words"]))
                for row in load_csv("industries.csv")]


# Federation members (工商联会员), shaped like the seeds: a district of 880 members = 316 企业 + 20 团体 +
# 564 个人, grown from a few hundred within a few years, with the "三多三少" structure (more 个体工商户
# than 私营企业, more individual than group members, more local than non-local, more traditional than
# high-tech). Shares are of the plan's enterprises / persons, so a smaller demo keeps the shape.
MEMBER_ENTERPRISE_SHARE = 0.229  # of all enterprises: ≈ 345 of 1,500, ≈ 316 in force after departures
MEMBER_SELF_EMPLOYED_SHARE = 0.58  # of the enterprise members: 个体工商户 (the rest mostly 私营企业)
MEMBER_PERSON_SHARE = 0.622  # of all persons: ≈ 620 of 1,000, ≈ 564 in force
MEMBER_GROUPS = 20  # chambers of the district that are 团体会员
# Of the memberships that may end (not the terms' officers, not the groups, not the demo login's firm):
MEMBER_LEFT_SHARE = 0.085  # departed (退会) by AS_OF: ≈ 8 % of all memberships
MEMBER_SUSPENDED_SHARE = 0.013  # suspended (暂停) on AS_OF: a dozen
# Joins per year (relative): fewer early, more later; 2026 is half a year (AS_OF is 30 June).
MEMBER_JOIN_WEIGHTS = {int(year): weight for year, weight in _DRAWS["member_join_weights"].items()}
MEMBER_FIRST_YEAR = 2016
# Why members left, by kind (weights). 企业注销 and 迁出本区 also end the firm's chamber memberships.
UNPAID = "连续两年未缴会费"
MEMBER_LEAVE_REASONS = {
    Membership.Kind.ENTERPRISE: [("企业注销", 30), ("迁出本区", 20), ("企业申请退会", 30), (UNPAID, 20)],
    Membership.Kind.INDIVIDUAL: [("本人申请退会", 50), ("迁出本区", 20), (UNPAID, 30)],
}
ENTERPRISE_ENDS = {"企业注销", "迁出本区"}  # reasons that end the enterprise's chamber memberships too
# Chamber departures that do not end the enterprise: it stays a firm of the district.
CHAMBER_LEAVE_REASONS = [("企业申请退会", 50), (UNPAID, 30), ("转入其他商会", 20)]
# 会费标准（元/年）— the demo's own schedule: 企业会员 2,000 (个体工商户 500), 团体会员 3,000, 个人会员 200.
# The first year is paid on joining; later years mostly in the first half; ~10 % of later years are not
# paid (never two in a row for a member still in force); a member pays nothing for the year it leaves
# or is suspended in, and one that left for 连续两年未缴会费 paid nothing for the two years before.
DUES_ENTERPRISE = Decimal("2000")
DUES_SELF_EMPLOYED = Decimal("500")
DUES_GROUP = Decimal("3000")
DUES_INDIVIDUAL = Decimal("200")
DUES_UNPAID_SHARE = 0.10
BODY_POSITIONS = {  # Position.Title in the terms → Membership.BodyPosition of the person's membership
    Position.Title.CHAIRMAN: Membership.BodyPosition.CHAIRMAN,
    Position.Title.VICE_CHAIRMAN: Membership.BodyPosition.VICE_CHAIRMAN,
    Position.Title.STANDING: Membership.BodyPosition.STANDING,
    Position.Title.EXECUTIVE: Membership.BodyPosition.EXECUTIVE,
}


# --- The plan --------------------------------------------------------------------------------------


@dataclass
class EnterprisePlan:
    name: str
    uscc: str
    type_code: str
    industry: str
    size: str
    is_high_tech: bool
    region_code: str
    street: int | None
    is_local: bool
    founded: date
    employees: int | None
    registered_capital: Decimal | None
    legal_representative: str = ""
    contact_name: str = ""
    contact_mobile: str = ""
    address: str = ""
    province: str = ""  # for 异地商会 membership


@dataclass
class PersonPlan:
    name: str
    gender: str
    birth_date: date
    id_number: str
    mobile: str
    political: str
    education: str
    roles: list = field(default_factory=list)  # [(enterprise index, EnterpriseRole.Role)]

    @property
    def is_new_generation(self):
        return self.birth_date.year >= 1980


@dataclass
class MembershipPlan:
    """An enterprise's membership of one chamber (`ChamberMembership`)."""

    chamber: int
    enterprise: int
    joined: date
    status: str = ChamberMembership.Status.ACTIVE
    left: date | None = None
    position: str = ""
    left_reason: str = ""


@dataclass
class MemberPlan:
    """A membership of the district federation (工商联会员, `Membership`).

    Exactly one of `enterprise` / `person` / `group` (indexes into the plan's enterprises, persons and
    chambers) is set, the one `kind` names. `dues` holds the paid years: [(year, amount 元, paid_on)].
    """

    kind: str
    joined: date
    enterprise: int | None = None
    person: int | None = None
    group: int | None = None
    number: str = ""
    status: str = Membership.Status.ACTIVE
    suspended_on: date | None = None
    left: date | None = None
    left_reason: str = ""
    body_position: str = Membership.BodyPosition.MEMBER
    dues: list = field(default_factory=list)

    def in_force(self, on):
        """The same rule as `selectors.membership_in_force_q`, on the plan."""
        return (self.joined <= on and (self.left is None or self.left > on)
                and (self.suspended_on is None or self.suspended_on > on))


@dataclass
class DemoPlan:
    seed: int
    departments: list  # (name, short_name, contact, phone)
    chambers: list
    villages: list  # (name, county, region_code, is_target)
    enterprises: list
    persons: list
    memberships: list
    positions: list  # (person index, title, committee index or None)
    logins: dict  # chamber1/chamber2/department/enterprise indexes and display names
    members: list  # MemberPlan: the federation's own members, in joining order

    def fingerprint(self):
        """A digest of everything generated, for determinism checks."""
        import hashlib

        text = repr((self.departments, self.chambers, self.villages, self.enterprises, self.persons,
                     self.memberships, self.positions, self.logins, self.members))
        return hashlib.sha256(text.encode()).hexdigest()


# --- Generation ------------------------------------------------------------------------------------


def _industry_table():
    rows = INDUSTRY_MIX
    known = dict(IndustryCode.objects.filter(level=IndustryCode.Level.CLASS, code__in=[r[0] for r in rows])
                 .values_list("code", "section"))
    missing = [r[0] for r in rows if r[0] not in known]
    if missing:
        raise RuntimeError(
            "国民经济行业分类（GB/T 4754-2017）数据缺少以下小类：" + "、".join(missing) + "。请先执行 migrate。"
        )
    return [(code, weight, company, shop, known[code]) for code, weight, company, shop in rows]


def generate(enterprises=DEFAULT_ENTERPRISES, seed=DEMO_SEED):
    """Draw the whole demo district from `random.Random(seed)`; reads only the industry codes."""
    if enterprises < 40:
        raise ValueError("the demo district needs at least 40 enterprises")
    rng = random.Random(seed)
    names = Names(rng)
    industries = _industry_table()

    departments, chambers, villages = orgs.draw(rng, names)

    ent_plans = [_enterprise(rng, names, industries) for _ in range(enterprises)]
    person_plans = _persons(rng, names, ent_plans)
    sections = {row[0]: row[4] for row in industries}
    memberships = _memberships(rng, chambers, ent_plans, person_plans, sections)
    _chamber_officers(rng, names, chambers, memberships, ent_plans, person_plans)
    positions = _positions(rng, person_plans, ent_plans)
    logins = _logins(chambers, memberships, ent_plans, departments, person_plans, positions)
    # Drawn last, so that everything above stays what it was before federation members existed.
    officers = {person: BODY_POSITIONS[title] for person, title, _c in positions if title in BODY_POSITIONS}
    members = _number_members(_federation_members(rng, ent_plans, person_plans, memberships, officers=officers,
                                                  chambers=chambers, login_firm=logins["enterprise"]), Counter())
    _chamber_departure_reasons(rng, memberships)
    return DemoPlan(seed=seed, departments=departments, chambers=chambers, villages=villages,
                    enterprises=ent_plans, persons=person_plans, memberships=memberships,
                    positions=positions, logins=logins, members=members)


def _enterprise(rng, names, industries, serial=None):
    """One firm drawn from `rng`; its name and USCC drawn at random, unique through `names`, or —
    with `serial` (`SerialNames`, `SerialCodes`), in a large district — drawn serially."""
    type_code = weighted(rng, TYPE_WEIGHTS)
    individual = type_code == "individual"
    pool = [(row, row[1]) for row in industries if (row[3] if individual else row[2])]
    code, _weight, company_words, shop_words, section = weighted(rng, pool)

    # Where it is registered: 85 % in the district; 个体工商户 always.
    province = ""
    region = orgs.DISTRICT_REGION
    if not individual and rng.random() < 0.176:  # ≈ 15 % of all enterprises
        if rng.random() < 0.45 or type_code in ("foreign", "hmt"):
            region, prefix = rng.choice(OTHER_TIANJIN)
        else:
            province = weighted(rng, PROVINCE_WEIGHTS)
            region, prefix = rng.choice(PROVINCES[province])
    else:
        prefix = "天津"
    is_local = region == orgs.DISTRICT_REGION

    if individual:
        size = "micro"
    else:
        size = weighted(rng, SIZE_WEIGHTS)

    def make_name():
        if individual:
            shop = rng.choice(shop_words)
            r = rng.random()
            if r < 0.25:
                brand = rng.choice(SURNAMES) + "记"
            elif r < 0.4:
                brand = "老" + rng.choice(SURNAMES)
            else:
                brand = names.brand()
            return f"天津市河西区{brand}{shop}"
        word = rng.choice(company_words)
        brand = names.brand()
        if type_code == "foreign":
            return f"{rng.choice(FOREIGN_BRANDS)}（天津）{word}有限公司"
        if type_code == "hmt":
            return f"{brand}（天津）{word}有限公司"
        start = prefix + ("市" if prefix == "天津" and rng.random() < 0.12 else "")
        if size == "large" and rng.random() < 0.4:
            return f"{start}{brand}{rng.choice(('实业', word))}集团有限公司"
        if size in ("large", "medium") and rng.random() < 0.15:
            return f"{start}{brand}{word}股份有限公司"
        return f"{start}{brand}{word}有限公司"

    if serial is None:
        name = names.unique(make_name)
        uscc = make_uscc(rng, region, entity_type="2" if individual else "1")
        while uscc in names.taken:
            uscc = make_uscc(rng, region, entity_type="2" if individual else "1")
        names.taken.add(uscc)
    else:
        serial_names, codes = serial
        name = _serial_name(rng, serial_names, type_code=type_code, size=size, prefix=prefix,
                            words=shop_words if individual else company_words)
        uscc = codes.uscc(region, entity_type="2" if individual else "1")

    year = 1995 + min(30, int(31 * rng.random() ** 0.75))
    founded = day_between(rng, date(year, 1, 1), date(year, 12, 31))
    low, high = EMPLOYEES[size]
    employees = rng.randint(low, min(high, 8) if individual else high)
    capital = None if individual else Decimal(rng.choice(CAPITAL[size])).quantize(Decimal("0.01"))

    tech_share = 0.0
    if not individual:
        if section in TECH_SECTIONS and (section != "C" or code[:2] in TECH_MANUFACTURING):
            tech_share = 0.6
        elif section == "C":
            tech_share = 0.25
        else:
            tech_share = 0.05
    is_high_tech = rng.random() < tech_share

    street = rng.choices(range(len(orgs.STREETS)), weights=orgs.STREET_WEIGHTS)[0]
    roads = orgs.STREETS[street][1]
    address = f"天津市河西区{rng.choice(roads)}{rng.randrange(1, 500)}号"
    if not individual and rng.random() < 0.55:
        address += f"{names.brand()}{rng.choice(BUILDING_NAMES)}{rng.randrange(2, 32)}层{rng.randrange(1, 30):02d}室"

    plan = EnterprisePlan(
        name=name, uscc=uscc, type_code=type_code, industry=code, size=size, is_high_tech=is_high_tech,
        region_code=region, street=street, is_local=is_local, founded=founded, employees=employees,
        registered_capital=capital, address=address, province=province,
    )
    # Gaps for the "信息不完整" todo: no contact, no street, no headcount.
    gap = rng.random()
    if gap < 0.015:
        plan.street = None
    elif gap < 0.03:
        plan.employees = None
    if rng.random() > 0.04:
        plan.contact_mobile = make_mobile(rng)
        plan.contact_name = ""  # filled from the legal representative or a staff member later
    return plan


def _serial_name(rng, serial_names, *, type_code, size, prefix, words):
    """A unique name whose 字号 is the next serial draw (see `names.SerialNames`)."""
    while True:
        place, brand = serial_names.brand()
        word = rng.choice(words)
        if type_code == "individual":
            street = "" if place.startswith("天津") else place
            name = f"天津市河西区{street}{brand}{word}"
        elif type_code in ("foreign", "hmt"):
            name = f"{brand}（天津）{word}有限公司"
        else:
            start = place if prefix == "天津" else prefix  # a non-local firm carries its own place
            if size == "large" and rng.random() < 0.4:
                name = f"{start}{brand}{rng.choice(('实业', word))}集团有限公司"
            elif size in ("large", "medium") and rng.random() < 0.15:
                name = f"{start}{brand}{word}股份有限公司"
            else:
                name = f"{start}{brand}{word}有限公司"
        if serial_names.claim(name):
            return name


def _persons(rng, names, ent_plans):
    """~2 persons per 3 enterprises, each the 法定代表人 (or 董事长/总经理) of one firm, some of two."""
    count = round(len(ent_plans) * 2 / 3)
    primary = rng.sample(range(len(ent_plans)), count)
    persons = []
    for ent_idx in primary:
        ent = ent_plans[ent_idx]
        female = rng.random() < 0.24
        young = rng.random() < 0.25
        year = rng.randint(1980, 1998) if young else rng.randint(1955, 1979)
        birth = day_between(rng, date(year, 1, 1), date(year, 12, 31))
        if ent.province:
            region = rng.choice(PROVINCES[ent.province])[0]
        else:
            region = weighted(rng, BIRTH_REGIONS)
        person = PersonPlan(
            name=names.person(female),
            gender=Person.Gender.FEMALE if female else Person.Gender.MALE,
            birth_date=birth,
            id_number=make_id_number(rng, region, birth, female),
            mobile=make_mobile(rng),
            political=weighted(rng, POLITICAL_WEIGHTS),
            education=weighted(rng, EDUCATION_WEIGHTS["young" if young else "old"]),
        )
        if ent.type_code == "individual":
            role = EnterpriseRole.Role.LEGAL_REPRESENTATIVE
        else:
            role = weighted(rng, [(EnterpriseRole.Role.LEGAL_REPRESENTATIVE, 75),
                                   (EnterpriseRole.Role.CHAIRMAN, 10), (EnterpriseRole.Role.GENERAL_MANAGER, 15)])
        person.roles.append((ent_idx, role))
        if role == EnterpriseRole.Role.LEGAL_REPRESENTATIVE:
            ent.legal_representative = person.name
        if rng.random() < 0.3:
            other = rng.randrange(len(ent_plans))
            if other != ent_idx and ent_plans[other].type_code != "individual":
                second = weighted(rng, [(EnterpriseRole.Role.SHAREHOLDER, 60), (EnterpriseRole.Role.CHAIRMAN, 20),
                                         (EnterpriseRole.Role.GENERAL_MANAGER, 20)])
                person.roles.append((other, second))
        persons.append(person)

    # Firms without a recorded person still have a legal representative and a contact.
    for ent in ent_plans:
        if not ent.legal_representative:
            ent.legal_representative = names.person(rng.random() < 0.2)
        if ent.contact_mobile:
            if ent.size == "micro" and rng.random() < 0.6:
                ent.contact_name = ent.legal_representative
            else:
                ent.contact_name = names.person(rng.random() < 0.55)
        elif rng.random() < 0.5:
            ent.contact_mobile = ""  # neither name nor mobile
        else:
            ent.contact_mobile = make_mobile(rng)  # a mobile but no contact name
    return persons


def _memberships(rng, chambers, ent_plans, person_plans, sections):
    """About 70 % of firms belong to at least one chamber, each to the ones that fit it."""
    by_kind = defaultdict(list)
    for idx, chamber in enumerate(chambers):
        by_kind[chamber.kind].append(idx)
    street_chamber = {chambers[i].street: i for i in by_kind[Chamber.Kind.STREET]}
    industry_chamber = {div: i for i in by_kind[Chamber.Kind.INDUSTRY] for div in chambers[i].industries}
    province_chamber = {chambers[i].name.removeprefix("河西区").removesuffix("商会"): i
                        for i in by_kind[Chamber.Kind.NONLOCAL]}
    building_chamber = {chambers[i].street: i for i in by_kind[Chamber.Kind.BUILDING]}
    women_chamber = by_kind[Chamber.Kind.OTHER][0]
    female_led = {
        ent_idx for p in person_plans if p.gender == Person.Gender.FEMALE
        for ent_idx, role in p.roles if role == EnterpriseRole.Role.LEGAL_REPRESENTATIVE
    }

    pairs = []
    for idx, ent in enumerate(ent_plans):
        if rng.random() >= 0.72:
            continue
        chosen = []
        if ent.province in province_chamber and rng.random() < 0.75:
            chosen.append(province_chamber[ent.province])
        if ent.industry[:2] in industry_chamber and rng.random() < 0.45:
            chosen.append(industry_chamber[ent.industry[:2]])
        if ent.street in building_chamber and sections[ent.industry] in OFFICE_SECTIONS and rng.random() < 0.5:
            chosen.append(building_chamber[ent.street])
        if idx in female_led and rng.random() < 0.4:
            chosen.append(women_chamber)
        if ent.street is not None and (rng.random() < 0.6 or not chosen):
            chosen.append(street_chamber[ent.street])
        if not chosen:
            chosen.append(rng.choice(by_kind[Chamber.Kind.STREET] + by_kind[Chamber.Kind.NONLOCAL]))
        pairs.extend((c, idx) for c in chosen)

    # Every chamber has a few members, even in a small demo: top up with firms that fit it.
    def fits(c, ent):
        chamber = chambers[c]
        if chamber.kind in (Chamber.Kind.STREET, Chamber.Kind.BUILDING):
            return ent.street == chamber.street
        if chamber.kind == Chamber.Kind.INDUSTRY:
            return ent.industry[:2] in chamber.industries
        return ent.street is not None

    members = Counter(c for c, _ in pairs)
    taken = set(pairs)
    for c in range(len(chambers)):
        candidates = [i for i, e in enumerate(ent_plans) if (c, i) not in taken and fits(c, e)]
        if len(candidates) < 3 - members[c]:
            candidates = [i for i, e in enumerate(ent_plans) if (c, i) not in taken and e.street is not None]
        for idx in rng.sample(candidates, max(0, 3 - members[c])):
            taken.add((c, idx))
            pairs.append((c, idx))

    result = []
    for c, idx in sorted(pairs):
        chamber, ent = chambers[c], ent_plans[idx]
        start = max(date(2015, 1, 1), chamber.founded, ent.founded + timedelta(days=30))
        joined = day_between(rng, start, AS_OF - timedelta(days=30))
        m = MembershipPlan(chamber=c, enterprise=idx, joined=joined)
        r = rng.random()
        if r < 0.04:
            m.status = ChamberMembership.Status.LEFT
            m.left = day_between(rng, min(joined + timedelta(days=180), AS_OF), AS_OF)
        elif r < 0.06:
            m.status = ChamberMembership.Status.SUSPENDED
        result.append(m)
    # The first street chamber's first members stay active (its login is a demo entry point).
    for m in result:
        if m.chamber == 0:
            m.status, m.left = ChamberMembership.Status.ACTIVE, None
            break
    return result


def _chamber_officers(rng, names, chambers, memberships, ent_plans, person_plans):
    """会长 from a member firm's legal representative; 副会长/理事单位 among the other members."""
    size_rank = {"large": 0, "medium": 1, "small": 2, "micro": 3}
    people_of = defaultdict(list)
    for p in person_plans:
        for ent_idx, _role in p.roles:
            people_of[ent_idx].append(p)
    by_chamber = defaultdict(list)
    for m in memberships:
        if m.status == ChamberMembership.Status.ACTIVE:
            by_chamber[m.chamber].append(m)
    presidents = set()  # one person presides over one chamber at most
    for c, chamber in enumerate(chambers):
        active = sorted(by_chamber[c], key=lambda m: (size_rank[ent_plans[m.enterprise].size], rng.random()))
        if not active:
            chamber.president = names.person(rng.random() < 0.2)
            continue
        head, president = None, ""
        if chamber.kind == Chamber.Kind.OTHER:  # 女企业家商会: its 会长 is a woman leading a member firm
            head, president = next(((m, p.name) for m in active for p in people_of[m.enterprise]
                                    if p.gender == Person.Gender.FEMALE and p.name not in presidents), (None, ""))
        if head is None:
            head = next((m for m in active if ent_plans[m.enterprise].legal_representative not in presidents),
                        active[0])
            president = ent_plans[head.enterprise].legal_representative
        active.remove(head)
        active.insert(0, head)
        head.position = "会长单位"
        chamber.president = president
        presidents.add(chamber.president)
        vice = max(1, len(active) // 8)
        for m in active[1:1 + vice]:
            m.position = "副会长单位"
        for m in active[1 + vice:1 + vice + len(active) // 5]:
            m.position = "理事单位"


def _positions(rng, person_plans, ent_plans):
    """The terms' 主席/副主席/常委/执委 (~40 persons) and the 12 committee directors (every term's: re-elected)."""
    size_rank = {"large": 0, "medium": 1, "small": 2, "micro": 3}
    candidates = [i for i, p in enumerate(person_plans) if ent_plans[p.roles[0][0]].type_code != "individual"]
    candidates.sort(key=lambda i: size_rank[ent_plans[person_plans[i].roles[0][0]].size] + rng.random() * 2.5)
    chosen = candidates[:40]
    # The chairman: the most senior of the first few.
    head = min(chosen[:5], key=lambda i: person_plans[i].birth_date)
    chosen.remove(head)
    chosen.insert(0, head)
    titles = ([Position.Title.CHAIRMAN] + [Position.Title.VICE_CHAIRMAN] * 8 + [Position.Title.STANDING] * 13
              + [Position.Title.EXECUTIVE] * 18)
    positions = [(person, title, None) for person, title in zip(chosen, titles, strict=False)]
    directors_pool = chosen[1:22]  # 副主席 and 常委 direct the committees
    used = set()
    for c, (name, _duties) in enumerate(orgs.COMMITTEES):
        def fits(i, name=name):
            p = person_plans[i]
            if name == "妇女委员会":
                return p.gender == Person.Gender.FEMALE
            if name == "新生代委员会":
                return p.is_new_generation
            if name == "顾问委员会":
                return p.birth_date.year < 1966
            return True

        pick = next((i for i in directors_pool if i not in used and fits(i)), None)
        if pick is None:
            pick = next((i for i in directors_pool if i not in used), directors_pool[c % len(directors_pool)])
        used.add(pick)
        positions.append((pick, Position.Title.COMMITTEE_DIRECTOR, c))
    return positions


def _logins(chambers, memberships, ent_plans, departments, person_plans, positions):
    # ent1: a local private firm with complete data, an active member of the first (street) chamber.
    members = [m.enterprise for m in memberships if m.chamber == 0 and m.status == ChamberMembership.Status.ACTIVE]
    ent_index = next(
        (i for i in members if ent_plans[i].type_code == "private" and ent_plans[i].is_local
         and ent_plans[i].contact_name and ent_plans[i].employees is not None),
        members[0],
    )
    contact = ent_plans[ent_index].contact_name or ent_plans[ent_index].legal_representative
    chairman = next(person_plans[i].name for i, title, _c in positions if title == Position.Title.CHAIRMAN)
    return {
        "chamber1": 0,
        "chamber2": 1,
        "department": 0,
        "enterprise": ent_index,
        "display": {
            "leader": f"{chairman[0]}主席",
            "chamber1": f"{chambers[0].secretary_general[0]}秘书长",
            "chamber2": f"{chambers[1].secretary_general[0]}秘书长",
            "dept1": f"{departments[0][2][0]}科长",
            "ent1": f"{contact[0]}经理",
        },
    }


def _join_date(rng, earliest, latest=AS_OF):
    """A joining day in [earliest, latest], the year drawn with MEMBER_JOIN_WEIGHTS."""
    years = [y for y in MEMBER_JOIN_WEIGHTS if earliest.year <= y <= latest.year]
    year = rng.choices(years, weights=[MEMBER_JOIN_WEIGHTS[y] for y in years])[0]
    return day_between(rng, max(date(year, 1, 1), earliest), min(date(year, 12, 31), latest))


def _federation_members(rng, ent_plans, person_plans, memberships, *, officers=None, chambers=(), login_firm=None):
    """The federation's enterprise, individual and group members drawn among `ent_plans` and `person_plans`,
    with departures and dues, in joining order (numbered by `_number_members`). The core district passes its
    terms' officers ({person: body position}: members before the first term began), its chambers (the group
    members) and the demo login's firm (a member that stays); a streamed batch of firms passes none of them
    and draws the rest exactly as the core does, in the same shares."""
    officers = officers or {}
    first = date(MEMBER_FIRST_YEAR, 1, 1)
    term_start = orgs.TERM["start"]  # of the first term
    officer_firms = {ent for person in officers for ent, _role in person_plans[person].roles}

    # Enterprise members: a quota of 个体工商户, the rest weighted to local, traditional, larger firms.
    def can_join(e):
        return e.founded + timedelta(days=30) <= AS_OF

    n_firms = round(len(ent_plans) * MEMBER_ENTERPRISE_SHARE)
    self_employed = [i for i, e in enumerate(ent_plans) if e.type_code == "individual" and can_join(e)]
    companies = [i for i, e in enumerate(ent_plans) if e.type_code != "individual" and can_join(e)]
    size_weight = {"large": 2.5, "medium": 1.8, "small": 1.2, "micro": 1.0}
    firms = {login_firm} if login_firm is not None and can_join(ent_plans[login_firm]) else set()
    n_self = min(len(self_employed), round(n_firms * MEMBER_SELF_EMPLOYED_SHARE))
    firms.update(weighted_sample(rng, self_employed, [1.0] * len(self_employed),
                                  max(0, n_self - sum(ent_plans[i].type_code == "individual" for i in firms))))
    weights = [(0 if i in firms else 1) * (1.3 if ent_plans[i].is_local else 1.0)
               * (1.0 if ent_plans[i].is_high_tech else 1.8) * size_weight[ent_plans[i].size]
               * (4.0 if i in officer_firms else 1.0) for i in companies]
    firms.update(weighted_sample(rng, companies, weights, max(0, n_firms - len(firms))))

    # Individual members: every 主席/副主席/常委/执委 of the terms, then persons holding a role in a firm,
    # above all the 法定代表人/董事长/总经理 of member firms.
    leading = {EnterpriseRole.Role.LEGAL_REPRESENTATIVE, EnterpriseRole.Role.CHAIRMAN,
               EnterpriseRole.Role.GENERAL_MANAGER}

    def person_weight(p):
        if not p.roles:
            return 0.2
        return (2.0 if any(role in leading for _e, role in p.roles) else 1.0) * (
            1.5 if any(ent in firms for ent, _role in p.roles) else 1.0)

    others = [i for i in range(len(person_plans)) if i not in officers]
    n_persons = max(len(officers), round(len(person_plans) * MEMBER_PERSON_SHARE))
    persons = sorted(officers) + sorted(weighted_sample(
        rng, others, [person_weight(person_plans[i]) for i in others], n_persons - len(officers)))

    # Group members: chambers of the district, the two with demo logins among them.
    groups = []
    if chambers:
        rest = list(range(2, len(chambers)))
        groups = [0, 1] + sorted(weighted_sample(
            rng, rest, [1.0 + max(0, 2020 - chambers[c].founded.year) / 5 for c in rest], MEMBER_GROUPS - 2))

    members = []
    for i in sorted(firms):
        earliest = max(first, ent_plans[i].founded + timedelta(days=30))
        members.append(MemberPlan(kind=Membership.Kind.ENTERPRISE, enterprise=i, joined=_join_date(rng, earliest)))
    for i in persons:
        latest = term_start - timedelta(days=1) if i in officers else AS_OF  # members before the first term began
        members.append(MemberPlan(kind=Membership.Kind.INDIVIDUAL, person=i, joined=_join_date(rng, first, latest),
                                  body_position=officers.get(i, Membership.BodyPosition.MEMBER)))
    for c in groups:
        earliest = max(first, chambers[c].founded + timedelta(days=60))
        members.append(MemberPlan(kind=Membership.Kind.GROUP, group=c, joined=_join_date(rng, earliest)))

    _member_departures(rng, members, ent_plans, memberships, login_firm)
    _member_dues(rng, members, ent_plans)
    kind_order = {Membership.Kind.ENTERPRISE: 0, Membership.Kind.GROUP: 1, Membership.Kind.INDIVIDUAL: 2}
    members.sort(key=lambda m: (m.joined, kind_order[m.kind], m.enterprise or m.person or m.group or 0))
    return members


def _number_members(members, sequence):
    """Member numbers in joining order: HX-<year joined>-<sequence in that year>, counted on from `sequence`
    (a Counter of the numbers already given per year; updated)."""
    for m in members:
        sequence[m.joined.year] += 1
        m.number = f"HX-{m.joined.year}-{sequence[m.joined.year]:04d}"
    return members


def _member_departures(rng, members, ent_plans, memberships, login_firm):
    """~8 % left (more likely the longer the membership), a few suspended; officers and groups stay."""
    chamber_rows = defaultdict(list)
    for cm in memberships:
        chamber_rows[cm.enterprise].append(cm)
    # Firms that hold a chamber office or a demo login are not wound up or moved away.
    settled = {login_firm} | {cm.enterprise for cm in memberships if cm.position}

    def may_leave(m):
        return (m.kind != Membership.Kind.GROUP and m.body_position == Membership.BodyPosition.MEMBER
                and (login_firm is None or m.enterprise != login_firm))

    mortal = [m for m in members if may_leave(m)]
    candidates = [m for m in mortal if (AS_OF - m.joined).days > 365]
    leaving = weighted_sample(rng, candidates, [(AS_OF - m.joined).days - 365 for m in candidates],
                               round(len(mortal) * MEMBER_LEFT_SHARE))
    for m in leaving:
        reasons = MEMBER_LEAVE_REASONS[m.kind]
        reason = weighted(rng, reasons)
        earliest = m.joined + timedelta(days=365)
        if reason == UNPAID:  # paid the joining year, then nothing for two full years
            earliest = max(earliest, date(m.joined.year + 3, 1, 1))
        elif m.kind == Membership.Kind.ENTERPRISE and reason in ENTERPRISE_ENDS:
            if m.enterprise in settled:
                earliest = AS_OF + timedelta(days=1)
            else:  # after it joined its chambers, which it leaves the same day
                earliest = max([earliest] + [cm.joined + timedelta(days=30) for cm in chamber_rows[m.enterprise]])
        if earliest > AS_OF:
            reason = reasons[0][0] if m.kind == Membership.Kind.INDIVIDUAL else "企业申请退会"
            earliest = m.joined + timedelta(days=365)
        m.status, m.left, m.left_reason = Membership.Status.LEFT, day_between(rng, earliest, AS_OF), reason
        if m.kind == Membership.Kind.ENTERPRISE and reason in ENTERPRISE_ENDS:
            for cm in chamber_rows[m.enterprise]:
                if cm.left is None or cm.left > m.left:
                    cm.status, cm.left, cm.left_reason = ChamberMembership.Status.LEFT, m.left, reason

    staying = [m for m in mortal if m.left is None and (AS_OF - m.joined).days > 200]
    for m in rng.sample(staying, min(len(staying), round(len(mortal) * MEMBER_SUSPENDED_SHARE))):
        m.status = Membership.Status.SUSPENDED
        m.suspended_on = day_between(rng, m.joined + timedelta(days=180), AS_OF)


def _dues_amount(m, ent_plans):
    if m.kind == Membership.Kind.GROUP:
        return DUES_GROUP
    if m.kind == Membership.Kind.INDIVIDUAL:
        return DUES_INDIVIDUAL
    return DUES_SELF_EMPLOYED if ent_plans[m.enterprise].type_code == "individual" else DUES_ENTERPRISE


def _member_dues(rng, members, ent_plans):
    """One payment per paid year, from the joining year to the last year the member was in good standing."""
    for m in members:
        amount = _dues_amount(m, ent_plans)
        if m.left is not None:
            last = m.left.year - (3 if m.left_reason == UNPAID else 1)
        elif m.suspended_on is not None:
            last = m.suspended_on.year - 1
        else:
            last = AS_OF.year
        missed = False
        for year in range(m.joined.year, last + 1):
            if year == m.joined.year:  # paid on joining
                paid = min(m.joined + timedelta(days=rng.randrange(31)), date(year, 12, 31), AS_OF)
            elif rng.random() < DUES_UNPAID_SHARE and (not missed or m.status != Membership.Status.ACTIVE):
                missed = True
                continue
            elif year == AS_OF.year:  # this year's dues: paid by AS_OF or not yet
                paid = date(year, 1, 2) + timedelta(days=rng.randrange((AS_OF - date(year, 1, 2)).days + 1))
            else:
                days = rng.randrange(180) if rng.random() < 0.8 else rng.randrange(180, 350)
                paid = date(year, 1, 2) + timedelta(days=days)
            missed = False
            m.dues.append((year, amount, paid))


def _chamber_departure_reasons(rng, memberships):
    """Every chamber membership that ended has a reason; those the firm's own end set are kept."""
    for cm in memberships:
        if cm.status == ChamberMembership.Status.LEFT and not cm.left_reason:
            cm.left_reason = weighted(rng, CHAMBER_LEAVE_REASONS)


# --- Saving ----------------------------------------------------------------------------------------


@dataclass
class DemoResult:
    federation: Federation
    users: dict
    plan: DemoPlan
    streamed: "StreamResult | None" = None  # the firms `stream` wrote past the core district

    def core_ids(self):
        """(enterprise ids, person ids) of the core district in the plan's order — `plan.enterprises[i]` was
        saved as `enterprise ids[i]` — for the later demo steps to link their records to."""
        firms = Enterprise.objects.filter(federation=self.federation).order_by("pk").values_list("pk", flat=True)
        persons = Person.objects.filter(federation=self.federation).order_by("pk").values_list("pk", flat=True)
        return list(firms[:len(self.plan.enterprises)]), list(persons[:len(self.plan.persons)])


def build(enterprises=DEFAULT_ENTERPRISES, seed=DEMO_SEED, plan=None, today=AS_OF):
    """Generate (unless a plan is given) and save the demo district in one transaction: the organisation
    (`shanglian.demo.orgs`, its terms up to the one in force on `today`, the day the demo is built), the firms,
    persons and members, the positions of every term, then the demo logins."""
    plan = plan or generate(enterprises=enterprises, seed=seed)
    with transaction.atomic():
        org = orgs.save(departments=plan.departments, chambers=plan.chambers, villages=plan.villages, today=today)
        district, streets, chambers = org.federation, org.streets, org.chambers

        dicts = {(d.kind, d.code): d.pk for d in DictItem.objects.all()}
        ent_objs = Enterprise.objects.bulk_create(
            [
                Enterprise(
                    federation=district, name=e.name, name_initials=pinyin_initials(e.name), uscc=e.uscc,
                    enterprise_type_id=dicts[("enterprise_type", e.type_code)], industry_id=e.industry,
                    size=e.size, is_high_tech=e.is_high_tech, region_code=e.region_code,
                    street=streets[e.street] if e.street is not None else None, is_local=e.is_local,
                    founded=e.founded, employees=e.employees, registered_capital=e.registered_capital,
                    legal_representative=e.legal_representative, contact_name=e.contact_name,
                    contact_mobile=e.contact_mobile, address=e.address,
                )
                for e in plan.enterprises
            ],
            batch_size=500,
        )
        ent_ids = bulk_created_ids(Enterprise, ent_objs, "uscc")
        person_objs = Person.objects.bulk_create(
            [
                Person(
                    federation=district, name=p.name, name_initials=pinyin_initials(p.name), gender=p.gender,
                    birth_year=p.birth_date.year, id_number=p.id_number, mobile=p.mobile,
                    political_affiliation_id=dicts[("political_affiliation", p.political)],
                    education_id=dicts[("education", p.education)], is_new_generation=p.is_new_generation,
                )
                for p in plan.persons
            ],
            batch_size=500,
        )
        person_ids = [obj.pk for obj in person_objs]
        if None in person_ids:  # a backend that does not return ids from bulk inserts
            person_ids = list(Person.objects.filter(federation=district).order_by("pk").values_list("pk", flat=True))
        EnterpriseRole.objects.bulk_create(
            [
                EnterpriseRole(person_id=person_ids[i], enterprise_id=ent_ids[ent_idx], role=role)
                for i, p in enumerate(plan.persons)
                for ent_idx, role in p.roles
            ],
            batch_size=1000,
        )
        ChamberMembership.objects.bulk_create(
            [
                ChamberMembership(chamber=chambers[m.chamber], enterprise_id=ent_ids[m.enterprise], joined=m.joined,
                                  status=m.status, left=m.left, left_reason=m.left_reason, position=m.position)
                for m in plan.memberships
            ],
            batch_size=1000,
        )
        # The same officers in every term (re-elected), each term's positions in the plan's order.
        committees = org.committees
        Position.objects.bulk_create(
            Position(term=term, person_id=person_ids[person], title=title,
                     committee=committees[committee] if committee is not None else None, start=term.start)
            for term in org.terms for person, title, committee in plan.positions
        )

        _save_federation_members(plan, district, chambers, ent_ids, person_ids)

        units = {
            "federation": {"federation": district},
            "chamber1": {"federation": district, "chamber": chambers[plan.logins["chamber1"]]},
            "chamber2": {"federation": district, "chamber": chambers[plan.logins["chamber2"]]},
            "department": {"federation": district, "department": org.departments[plan.logins["department"]]},
            "enterprise": {"federation": district,
                           "enterprise": Enterprise.objects.get(pk=ent_ids[plan.logins["enterprise"]])},
        }
        users = logins.create_logins(units=units, display=plan.logins["display"])
        summaries.rebuild(district.pk)  # the memberships went in as bulk rows, past the summary's signals
    return DemoResult(federation=district, users=users, plan=plan)


def _save_federation_members(plan, district, chambers, ent_ids, person_ids):
    objs = Membership.objects.bulk_create(
        [
            Membership(
                federation=district, kind=m.kind, number=m.number, joined=m.joined, status=m.status,
                suspended_on=m.suspended_on, left=m.left, left_reason=m.left_reason, body_position=m.body_position,
                enterprise_id=ent_ids[m.enterprise] if m.enterprise is not None else None,
                person_id=person_ids[m.person] if m.person is not None else None,
                group=chambers[m.group] if m.group is not None else None,
            )
            for m in plan.members
        ],
        batch_size=1000,
    )
    ids = bulk_created_ids(Membership, objs, "number")
    DuesRecord.objects.bulk_create(
        [DuesRecord(membership_id=pk, year=year, amount=amount, paid_on=paid_on)
         for pk, m in zip(ids, plan.members, strict=True) for year, amount, paid_on in m.dues],
        batch_size=2000,
    )


# --- A larger district, streamed --------------------------------------------------------------------


@dataclass
class StreamResult:
    """What `stream` wrote past the core district: the first id of its firms and persons, and counts."""

    first_enterprise: int
    enterprises: int
    persons: int


def stream(result, extra, *, batch=5000, seed=DEMO_SEED, progress=None):
    """Write `extra` more firms of the district `result` (the core district `build` saved), in batches of
    `batch`: each batch is drawn from its own generator (`random.Random(f"{seed}:extra:<first>")`) as
    the core district is — firms, ~2 persons per 3 firms, chamber memberships, federation members with
    departures and dues, in the core's shares — and written with explicit ids (`saving.write_rows`:
    COPY on PostgreSQL), so memory holds one batch. Names and USCCs are drawn serially
    (`names.SerialNames`, `SerialCodes`): unique at any size. Chamber officers, the terms' positions and
    the logins stay those of the core district."""
    plan, district = result.plan, result.federation
    industries = _industry_table()
    sections = {row[0]: row[4] for row in industries}
    serial = (SerialNames(e.name for e in plan.enterprises), SerialCodes(e.uscc for e in plan.enterprises))
    dicts = {(d.kind, d.code): d.pk for d in DictItem.objects.all()}
    streets = list(Street.objects.filter(federation=district).order_by("pk").values_list("pk", flat=True))
    chambers = list(Chamber.objects.filter(federation=district).order_by("pk").values_list("pk", flat=True))
    ent_field = Enterprise._meta.get_field("contact_mobile_index")
    id_field, mobile_field = Person._meta.get_field("id_number_index"), Person._meta.get_field("mobile_index")
    numbers = Counter()
    for m in plan.members:
        year, sequence = m.number.split("-")[1:]
        numbers[int(year)] = max(numbers[int(year)], int(sequence))
    first_enterprise = ent_id = next_id(Enterprise)
    person_id, member_id = next_id(Person), next_id(Membership)
    written_persons = 0
    now = timezone.now()
    for start in range(0, extra, batch):
        rng = random.Random(f"{seed}:extra:{start}")
        names = Names(rng)
        ents = [_enterprise(rng, names, industries, serial=serial) for _ in range(min(batch, extra - start))]
        persons = _persons(rng, names, ents)
        memberships = _memberships(rng, plan.chambers, ents, persons, sections)
        members = _number_members(_federation_members(rng, ents, persons, memberships), numbers)
        _chamber_departure_reasons(rng, memberships)

        count = write_rows(Enterprise, ENTERPRISE_COLUMNS, [
            (ent_id + i, district.pk, e.name, pinyin_initials(e.name), e.uscc, dicts[("enterprise_type", e.type_code)],
             e.industry, e.size, e.is_high_tech, e.region_code, streets[e.street] if e.street is not None else None,
             e.is_local, e.founded, e.employees, e.registered_capital, e.legal_representative, e.contact_name,
             e.contact_mobile, ent_field.index_for(e.contact_mobile), e.address, now, now)
            for i, e in enumerate(ents)])
        _add(progress, "企业", count)
        count = write_rows(Person, PERSON_COLUMNS, [
            (person_id + i, district.pk, p.name, pinyin_initials(p.name), p.gender, p.birth_date.year, p.id_number,
             id_field.index_for(p.id_number), p.mobile, mobile_field.index_for(p.mobile),
             dicts[("political_affiliation", p.political)], dicts[("education", p.education)],
             p.is_new_generation, now, now)
            for i, p in enumerate(persons)])
        _add(progress, "非公经济人士", count)
        count = write_rows(EnterpriseRole, ["person", "enterprise", "role"], [
            (person_id + i, ent_id + e, role) for i, p in enumerate(persons) for e, role in p.roles])
        _add(progress, "企业任职", count)
        count = write_rows(ChamberMembership, ["chamber", "enterprise", "joined", "status", "left", "left_reason",
                                               "position"], [
            (chambers[m.chamber], ent_id + m.enterprise, m.joined, m.status, m.left, m.left_reason, m.position)
            for m in memberships])
        _add(progress, "商会会员", count)
        count = write_rows(Membership, MEMBERSHIP_COLUMNS, [
            (member_id + i, district.pk, m.kind, ent_id + m.enterprise if m.enterprise is not None else None,
             person_id + m.person if m.person is not None else None, None, m.number, m.joined, m.status,
             m.suspended_on, m.left, m.left_reason, m.body_position, now, now)
            for i, m in enumerate(members)])
        _add(progress, "工商联会员", count)
        count = write_rows(DuesRecord, ["membership", "year", "amount", "paid_on", "note"], [
            (member_id + i, year, amount, paid_on, "") for i, m in enumerate(members) for year, amount, paid_on in m.dues])
        _add(progress, "会费记录", count)
        ent_id, person_id, member_id = ent_id + len(ents), person_id + len(persons), member_id + len(members)
        written_persons += len(persons)
    reset_sequences(Enterprise, Person, Membership)
    summaries.rebuild(district.pk)  # the memberships went in as bulk rows, past the summary's signals
    return StreamResult(first_enterprise=first_enterprise, enterprises=extra, persons=written_persons)


ENTERPRISE_COLUMNS = ["id", "federation", "name", "name_initials", "uscc", "enterprise_type", "industry", "size",
                      "is_high_tech", "region_code", "street", "is_local", "founded", "employees",
                      "registered_capital", "legal_representative", "contact_name", "contact_mobile",
                      "contact_mobile_index", "address", "created_at", "updated_at"]
PERSON_COLUMNS = ["id", "federation", "name", "name_initials", "gender", "birth_year", "id_number", "id_number_index",
                  "mobile", "mobile_index", "political_affiliation", "education", "is_new_generation", "created_at",
                  "updated_at"]
MEMBERSHIP_COLUMNS = ["id", "federation", "kind", "enterprise", "person", "group", "number", "joined", "status",
                      "suspended_on", "left", "left_reason", "body_position", "created_at", "updated_at"]


def _add(progress, label, count):
    if progress is not None:
        progress.add(label, count)


# --- Reporting -------------------------------------------------------------------------------------


def counts():
    """What the summary prints: (label, count) in display order — the organisation, the members, the logins."""
    memberships = ChamberMembership.objects.all()
    return [
        *orgs.counts(),
        ("企业", Enterprise.objects.count()),
        ("非公经济人士", Person.objects.count()),
        ("企业任职", EnterpriseRole.objects.count()),
        ("商会会员（在册）", memberships.filter(status=ChamberMembership.Status.ACTIVE).count()),
        ("商会会员（全部）", memberships.count()),
        ("届次职务", Position.objects.count()),
        *[(f"工商联{label}（在册）", Membership.objects.filter(kind=kind, status=Membership.Status.ACTIVE).count())
          for kind, label in Membership.Kind.choices],
        ("会费记录", DuesRecord.objects.count()),
        *logins.counts(),
    ]


@register("members", counts=counts)
def seed(run):
    """`seed_demo`'s step: the district of `run.enterprises` firms (organisation with its terms up to today's,
    members, logins) — the core district (at most the default size) built whole, the rest streamed in batches."""
    result = build(enterprises=run.core, today=run.today)
    if run.extra:
        progress = run.progress("企业与会员")
        result.streamed = stream(result, run.extra, batch=run.batch, progress=progress)
        if run.report is not None:
            run.report(progress.line("  企业与会员：完成 "))
    return result


# --- 查重: a few firms and persons registered twice, for the duplicate queue ---------------------------------------
DUPLICATE_FIRMS = 3  # firms entered a second time under a variant of their name, with the same contact mobile
DUPLICATE_PERSONS = 2  # persons entered a second time (same name, gender, birth year and mobile)


def _twin_name(name):
    """A variant of a firm's name as it is often typed a second time: "（集团）" before the legal form, or the legal
    form written out in full."""
    if name.endswith("有限公司") and not name.endswith("有限责任公司"):
        return name[: -len("有限公司")] + "（集团）有限公司"
    return name + "（分公司）"


def build_duplicates(result, *, seed=DEMO_SEED):
    """Register DUPLICATE_FIRMS firms and DUPLICATE_PERSONS persons of the core district a second time, as a desk
    does by mistake, and queue what `duplicates.scan` finds (the twins, and whatever else looks alike)."""
    from .duplicates import scan

    rng = random.Random(f"{seed}:duplicates")
    firm_ids, person_ids = result.core_ids()
    with transaction.atomic():
        for firm in Enterprise.objects.filter(pk__in=rng.sample(firm_ids, min(DUPLICATE_FIRMS, len(firm_ids)))):
            twin = Enterprise(federation=firm.federation, name=_twin_name(firm.name), uscc=make_uscc(rng),
                              enterprise_type=firm.enterprise_type, industry=firm.industry, size=firm.size,
                              street=firm.street, is_local=firm.is_local, contact_name=firm.contact_name,
                              contact_mobile=firm.contact_mobile, employees=firm.employees, address=firm.address)
            while Enterprise.objects.filter(uscc=twin.uscc).exists():
                twin.uscc = make_uscc(rng)
            twin.save()
        for person in Person.objects.filter(pk__in=rng.sample(person_ids, min(DUPLICATE_PERSONS, len(person_ids)))):
            Person.objects.create(federation=person.federation, name=person.name, gender=person.gender,
                                  birth_year=person.birth_year, mobile=person.mobile,
                                  id_number=make_id_number(rng, "120103", date(person.birth_year or 1980, 6, 1),
                                                            person.gender == Person.Gender.FEMALE))
        return scan(result.federation)


def twins():
    """(enterprise ids, person ids) of the records `build_duplicates` registered a second time: the newer side of
    the demo's pairs — what the registry's own tests leave out when they compare the district with its plan."""
    pairs = DuplicateCandidate.objects.all()
    return (list(pairs.filter(kind="enterprise").values_list("second_enterprise", flat=True)),
            list(pairs.filter(kind="person").values_list("second_person", flat=True)))


def duplicate_counts():
    return [("疑似重复（待处理）", DuplicateCandidate.objects.filter(status=DuplicateCandidate.Status.OPEN).count())]


@register("duplicates", after=("members", "appeals", "events", "engagement", "welfare", "honours", "growth"),
          counts=duplicate_counts)
def seed_duplicates(run):
    """`seed_demo`'s step: a few firms and persons registered twice, found by the duplicate scan."""
    return build_duplicates(run.results["members"])
