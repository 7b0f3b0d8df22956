"""The demo district's organisation: the city and district federations, streets, committees, functional
departments, chambers, the paired county's villages and the district federation's terms (`data/orgs.toml`).

`draw(rng, names)` draws the made-up parts (contacts, phones, registration numbers, founding days,
addresses, village names) from the district's generator; the members demo calls it first, then goes on
drawing its firms and persons from the same generator, and fills in each chamber's 会长 from its member
firms. `save(..., today=...)` writes the organisation and returns it (`Orgs`).

The terms (届次) follow the day the demo is built, so that one is always in force: `terms(today)` runs from
the first term of the data file, every next one starting on its anniversary, up to the one in force on
`today` (the earlier ones ended).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from shanglian.common.codes import make_mobile, make_uscc
from shanglian.common.periods import Period, shift_months
from shanglian.orgs.models import Chamber, Committee, Department, Federation, Street, Term, Village

from .draws import day_between
from .files import load_toml

_ORGS = load_toml("orgs.toml")

CITY = _ORGS["city"]
DISTRICT = _ORGS["district"]
DISTRICT_REGION = DISTRICT["region_code"]
TERM = _ORGS["term"]  # the first term the demo keeps (number, start) and the length of every term (years)

# (street, roads used in addresses); codes 120103001.. in this order.
STREETS = [(s["name"], tuple(s["roads"])) for s in _ORGS["streets"]]
# Business districts hold more firms.
STREET_WEIGHTS = [s["weight"] for s in _ORGS["streets"]]
COMMITTEES = [(c["name"], c["duties"]) for c in _ORGS["committees"]]
# (full name, short name): 区税务局 first, so it gets the lowest id.
DEPARTMENTS = [(d["name"], d["short_name"]) for d in _ORGS["departments"]]

# Chambers: (name, kind, street index, industry 大类 codes, founded year range); one per street first.
STREET_CHAMBERS = [(f"河西区{street}商会", Chamber.Kind.STREET, i, (), (2012, 2018))
                   for i, (street, _roads) in enumerate(STREETS)]
OTHER_CHAMBERS = [(c["name"], Chamber.Kind(c["kind"]), c.get("street"), tuple(c.get("industries", ())),
                   tuple(c["founded"])) for c in _ORGS["chambers"]]
CHAMBERS = STREET_CHAMBERS + OTHER_CHAMBERS
CHAMBERS_WITHOUT_SECRETARY = set(_ORGS["chambers_without_secretary"])
CHAMBERS_WITHOUT_PHONE = set(_ORGS["chambers_without_phone"])

PAIRED_COUNTY = (_ORGS["villages"]["county"], _ORGS["villages"]["region_code"])
VILLAGE_TOWNS = _ORGS["villages"]["towns"]
VILLAGE_STEMS = _ORGS["villages"]["stems"]
VILLAGE_ENDS = _ORGS["villages"]["ends"]


@dataclass(frozen=True)
class TermPlan:
    """A 届次 of the district federation: its number and its days."""

    number: int
    period: Period


def terms(today):
    """The district federation's terms from the first of `data/orgs.toml` up to the one in force on `today`
    (only the first when `today` is earlier): consecutive, each `TERM["years"]` long from the first's anniversary."""
    months = 12 * TERM["years"]
    found = []
    while not found or found[-1].period.end < today:
        n = len(found)
        start = shift_months(TERM["start"], months * n)
        end = shift_months(TERM["start"], months * (n + 1)) - timedelta(days=1)
        found.append(TermPlan(number=TERM["number"] + n, period=Period.custom(start, end)))
    return found


def term_on(plans, day):
    """The term of `plans` (`terms(...)`) in force on `day`, or None."""
    return next((t for t in plans if t.period.contains(day)), None)


@dataclass
class ChamberPlan:
    name: str
    kind: str
    street: int | None
    industries: tuple
    founded: date
    registration_number: str = ""
    president: str = ""
    secretary_general: str = ""
    phone: str = ""
    address: str = ""


def draw(rng, names):
    """(departments, chambers, villages) of the district, drawn from `rng` (in this order).

    departments: (name, short_name, contact, phone); chambers: `ChamberPlan` (its 会长 left empty);
    villages: (name, county, region_code, is_target).
    """
    # Departments: fictional contact persons and landlines.
    departments = []
    for name, short in DEPARTMENTS:
        contact = names.person(rng.random() < 0.4)
        phone = f"022-{rng.choice('2258')}{rng.randrange(1000000, 9999999)}"
        departments.append((name, short, contact, phone))

    # Chambers (officers are filled in once memberships exist).
    chambers = []
    for name, kind, street, divisions, (y0, y1) in CHAMBERS:
        chamber = ChamberPlan(name=name, kind=kind, street=street, industries=divisions,
                              founded=day_between(rng, date(y0, 1, 1), date(y1, 12, 31)))
        if kind != Chamber.Kind.STREET or rng.random() < 0.5:
            chamber.registration_number = make_uscc(rng, DISTRICT_REGION, authority="5", entity_type="1")
        if name not in CHAMBERS_WITHOUT_SECRETARY:
            chamber.secretary_general = names.person(rng.random() < 0.45)
        if name not in CHAMBERS_WITHOUT_PHONE:
            chamber.phone = (f"022-{rng.choice('28')}{rng.randrange(1000000, 9999999)}" if rng.random() < 0.7
                             else make_mobile(rng))
        street_idx = street if street is not None else rng.randrange(len(STREETS))
        chamber.address = f"天津市河西区{rng.choice(STREETS[street_idx][1])}{rng.randrange(1, 400)}号"
        chambers.append(chamber)

    # Villages of the paired county.
    villages, seen = [], set()
    county, county_code = PAIRED_COUNTY
    while len(villages) < 32:
        town_idx = rng.randrange(len(VILLAGE_TOWNS))
        name = VILLAGE_TOWNS[town_idx] + rng.choice(VILLAGE_STEMS) + rng.choice(VILLAGE_ENDS) + "村"
        if name in seen:
            continue
        seen.add(name)
        code = f"{county_code}{101 + town_idx:03d}{200 + len(villages):03d}"
        villages.append((name, county, code, len(villages) < 30))
    return departments, chambers, villages


@dataclass
class Orgs:
    """The saved organisation, lists in the order of the plan."""

    federation: Federation  # the district's
    streets: list
    committees: list
    departments: list
    chambers: list
    terms: list  # Term, the earliest first; the last is in force on the day the demo was built


def save(*, departments, chambers, villages, today):
    """Save the federations, streets, committees, departments, chambers, villages and the terms up to the one in
    force on `today` (in this order)."""
    city = Federation.objects.create(level=Federation.Level.CITY, **CITY)
    district = Federation.objects.create(level=Federation.Level.COUNTY, parent=city, **DISTRICT)
    streets = [
        Street.objects.create(federation=district, name=name, code=f"{DISTRICT_REGION}{i + 1:03d}")
        for i, (name, _roads) in enumerate(STREETS)
    ]
    committees = [
        Committee.objects.create(federation=district, name=name, duties=duties, order=i + 1)
        for i, (name, duties) in enumerate(COMMITTEES)
    ]
    department_objs = [
        Department.objects.create(federation=district, name=name, short_name=short, contact=contact, phone=phone)
        for name, short, contact, phone in departments
    ]
    chamber_objs = []
    for c in chambers:
        chamber = Chamber.objects.create(
            federation=district, name=c.name, kind=c.kind,
            street=streets[c.street] if c.street is not None else None,
            registration_number=c.registration_number, president=c.president,
            secretary_general=c.secretary_general, phone=c.phone, address=c.address, founded=c.founded,
        )
        if c.industries:
            chamber.industries.set(c.industries)
        chamber_objs.append(chamber)
    Village.objects.bulk_create(
        Village(federation=district, name=name, county=county, region_code=code, is_target=target)
        for name, county, code, target in villages
    )
    term_objs = [Term.objects.create(federation=district, number=t.number, start=t.period.start, end=t.period.end)
                 for t in terms(today)]
    return Orgs(federation=district, streets=streets, committees=committees, departments=department_objs,
                chambers=chamber_objs, terms=term_objs)


def counts():
    """The summary rows of the organisation: (label, count)."""
    return [
        ("工商联", Federation.objects.count()),
        ("街道（镇）", Street.objects.count()),
        ("商会", Chamber.objects.count()),
        ("专门委员会", Committee.objects.count()),
        ("职能部门", Department.objects.count()),
        ("帮扶村", Village.objects.count()),
    ]
