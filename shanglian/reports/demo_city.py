"""The demo city's second district and the city's login, so that 各区对比 has districts to compare.

A builder of the demo registry (step "reports_city", after "appeals", imported by `reports/demo.py`): a modest
district beside the demo district under the demo city (`demo/data/second_district.toml`, shaped like 河东区) —
its streets, two chambers and three departments, a few hundred firms, the federation's members among them (some
left since) and ~40 individual members, the chambers' members, and a year of appeals up to the day the demo is
built, each lived submit → accept → dispatch → sign → reply → rate as far as the day allows (the last days' still
open) — and the login `city` (staff of the city federation, `demo/data/logins.toml`).

Deterministic (one `random.Random`, the day the demo runs as `end`) and small: a second or two. The rows go in by
bulk inserts; the members' and the appeals' maintained summaries are refreshed for this district only.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from shanglian.appeals.models import (
    Appeal,
    AppealCategory,
    Assignment,
    Rating,
    RatingRecord,
    Status,
    TimelineEntry,
)
from shanglian.appeals.workflow import APPEAL_FLOW
from shanglian.common.codes import make_id_number, make_mobile, make_uscc
from shanglian.common.models import DictItem, IndustryCode
from shanglian.common.numbering import daily_number
from shanglian.common.workdays import add_working_days, add_working_hours, working_days_between
from shanglian.demo import logins
from shanglian.demo.draws import day_between, weighted
from shanglian.demo.files import load_toml
from shanglian.demo.names import Names
from shanglian.demo.registry import register
from shanglian.members import summaries as member_summaries
from shanglian.members.models import ChamberMembership, Enterprise, Membership, Person, pinyin_initials
from shanglian.orgs.models import Chamber, Department, Federation, Street

DATA = load_toml("second_district.toml")
DISTRICT = DATA["district"]
REGION = DISTRICT["region_code"]
SIZES = DATA["sizes"]
SEED = 20260125


@dataclass
class CityResult:
    """What the step saved: the second district and the city's login."""

    city: Federation
    district: Federation
    user: object  # the `city` login
    enterprises: int
    appeals: int


def build(city, *, end, seed=SEED):
    """Save the second district under `city` with its records up to `end` (the day the demo runs), and the city's
    login. Returns a `CityResult`."""
    rng = random.Random(seed)
    names = Names(rng)
    district = Federation.objects.create(level=Federation.Level.COUNTY, parent=city, **DISTRICT)
    streets = [Street.objects.create(federation=district, name=s["name"], code=f"{REGION}{i + 1:03d}")
               for i, s in enumerate(DATA["streets"])]
    chambers = []
    for c in DATA["chambers"]:
        chamber = Chamber.objects.create(
            federation=district, name=c["name"], kind=c["kind"],
            street=streets[c["street"]] if "street" in c else None, founded=c["founded"],
            secretary_general=names.person(rng.random() < 0.5), phone=f"022-2{rng.randrange(4000000, 4999999)}",
            address=f"天津市河东区{rng.choice(DATA['streets'][c.get('street', 0)]['roads'])}{rng.randrange(1, 300)}号")
        if c.get("industries"):
            chamber.industries.set(c["industries"])
        chambers.append(chamber)
    departments = [Department.objects.create(federation=district, name=d["name"], short_name=d["short_name"],
                                             contact=names.person(rng.random() < 0.5),
                                             phone=f"022-2{rng.randrange(4000000, 4999999)}")
                   for d in DATA["departments"]]

    firms = _enterprises(rng, names, district, streets, end)
    persons = _persons(rng, names, district, firms, SIZES["individual_members"])
    _members(rng, district, firms, persons, chambers, end)
    appeals = _appeals(rng, district, firms, departments, end)  # saved one by one: their summaries follow
    member_summaries.rebuild(district.pk)  # the memberships went in as bulk rows, past the summary's signals
    user = logins.create_logins(units={"city": {"federation": city}}, display={})["city"]
    return CityResult(city=city, district=district, user=user, enterprises=len(firms), appeals=len(appeals))


# --- firms, persons, members ------------------------------------------------------------------------------------
def _enterprises(rng, names, district, streets, end):
    firms = DATA["firms"]
    industries = {code.code: code for code in IndustryCode.objects.filter(code__in=firms["industries"])}
    types = {item.code: item for item in DictItem.objects.filter(kind="enterprise_type")}
    mobile_index = Enterprise._meta.get_field("contact_mobile_index")
    rows = []
    for _ in range(SIZES["enterprises"]):
        type_code = weighted(rng, [tuple(pair) for pair in firms["types"]])
        industry = rng.choice(firms["industries"])
        individual = type_code == "individual"
        words = ("便利店", "小吃店", "五金店", "商行") if individual else tuple(f"{w}有限公司" for w in firms["words"])
        place = "天津市河东区" if individual else "天津"
        name = names.unique(lambda place=place, words=words: f"{place}{names.brand()}{rng.choice(words)}")
        uscc = make_uscc(rng, REGION, entity_type="2" if individual else "1")
        size = "micro" if type_code == "individual" else weighted(rng, [tuple(pair) for pair in firms["sizes"]])
        street = rng.randrange(len(streets))
        mobile = make_mobile(rng)
        rows.append(Enterprise(
            federation=district, name=name, name_initials=pinyin_initials(name), uscc=uscc,
            enterprise_type=types[type_code], industry=industries[industry], size=size,
            is_high_tech=industry in ("6511", "6513", "3911") and rng.random() < 0.4, region_code=REGION,
            street=streets[street], is_local=rng.random() < 0.9,
            founded=day_between(rng, date(2003, 1, 1), end - timedelta(days=400)),
            employees={"micro": 6, "small": 30, "medium": 180, "large": 600}[size] + rng.randrange(0, 5),
            registered_capital={"micro": 50, "small": 300, "medium": 2000, "large": 12000}[size],
            legal_representative=names.person(rng.random() < 0.3), contact_name=names.person(rng.random() < 0.5),
            contact_mobile=mobile, contact_mobile_index=mobile_index.index_for(mobile),
            address=f"天津市河东区{rng.choice(DATA['streets'][street]['roads'])}{rng.randrange(1, 500)}号"))
    _unique_codes(rng, rows)
    Enterprise.objects.bulk_create(rows, batch_size=500)
    return list(Enterprise.objects.filter(federation=district).order_by("pk"))


def _unique_codes(rng, rows):
    """Draw again the USCCs taken already — by another firm of the batch or by a firm of the demo district
    registered in this district (its firms from elsewhere in Tianjin)."""
    while True:
        codes = [row.uscc for row in rows]
        taken = set(Enterprise.objects.filter(uscc__in=codes).values_list("uscc", flat=True))
        seen, clashes = set(), []
        for row in rows:
            if row.uscc in taken or row.uscc in seen:
                clashes.append(row)
            seen.add(row.uscc)
        if not clashes:
            return
        for row in clashes:
            row.uscc = make_uscc(rng, REGION, entity_type=row.uscc[1])


def _persons(rng, names, district, firms, n):
    id_index = Person._meta.get_field("id_number_index")
    mobile_index = Person._meta.get_field("mobile_index")
    political = {item.code: item for item in DictItem.objects.filter(kind="political_affiliation")}
    education = {item.code: item for item in DictItem.objects.filter(kind="education")}
    rows = []
    for _ in range(n):
        female = rng.random() < 0.35
        birth = day_between(rng, date(1962, 1, 1), date(1995, 12, 31))
        id_number, mobile = make_id_number(rng, REGION, birth, female), make_mobile(rng)
        name = names.person(female)
        rows.append(Person(
            federation=district, name=name, name_initials=pinyin_initials(name), gender="F" if female else "M",
            birth_year=birth.year, id_number=id_number, id_number_index=id_index.index_for(id_number), mobile=mobile,
            mobile_index=mobile_index.index_for(mobile),
            political_affiliation=political[rng.choice(("cpc", "democratic", "nonparty", "masses"))],
            education=education[rng.choice(("master", "bachelor", "college"))], is_new_generation=birth.year >= 1980))
    Person.objects.bulk_create(rows, batch_size=500)
    return list(Person.objects.filter(federation=district).order_by("pk"))


def _members(rng, district, firms, persons, chambers, end):
    """Federation members (firms, persons, the chambers as groups) numbered HD-<year>-<n> in joining order, some
    left since; the chambers' members among the firms."""
    first = date(end.year - 6, 1, 1)
    joined_by = end - timedelta(days=1)
    plans = [(Membership.Kind.ENTERPRISE, firm, None, None) for firm in firms if rng.random() < SIZES["member_share"]]
    plans += [(Membership.Kind.INDIVIDUAL, None, person, None) for person in persons]
    plans += [(Membership.Kind.GROUP, None, None, chamber) for chamber in chambers]
    dated = sorted(((day_between(rng, max(first, (e.founded if e else first) + timedelta(days=30)), joined_by),
                     kind, e, p, g) for kind, e, p, g in plans), key=lambda row: (row[0], row[1], _pk(row)))
    sequence, rows = {}, []
    for joined, kind, enterprise, person, group in dated:
        sequence[joined.year] = sequence.get(joined.year, 0) + 1
        left = (day_between(rng, joined + timedelta(days=60), joined_by)
                if kind != Membership.Kind.GROUP and joined + timedelta(days=60) < joined_by
                and rng.random() < SIZES["left_share"] else None)
        rows.append(Membership(
            federation=district, kind=kind, enterprise=enterprise, person=person, group=group,
            number=f"HD-{joined.year}-{sequence[joined.year]:04d}", joined=joined,
            status=Membership.Status.LEFT if left else Membership.Status.ACTIVE, left=left,
            left_reason="企业经营调整，申请退会" if left else ""))
    Membership.objects.bulk_create(rows, batch_size=500)

    in_chambers = rng.sample(firms, min(SIZES["chamber_members"], len(firms)))
    ChamberMembership.objects.bulk_create([
        ChamberMembership(chamber=chambers[0] if firm.street_id == chambers[0].street_id or i % 2 else chambers[1],
                          enterprise=firm, joined=day_between(rng, max(firm.founded, chambers[0].founded), joined_by))
        for i, firm in enumerate(in_chambers)], batch_size=500)


def _pk(row):
    _joined, _kind, enterprise, person, group = row
    return (enterprise or person or group).pk


# --- appeals ------------------------------------------------------------------------------------------------------
def _appeals(rng, district, firms, departments, end):
    """A year of appeals up to `end`, each lived as far as `end` 00:01 allows (see the module's docstring)."""
    tz = timezone.get_current_timezone()
    cutoff = datetime.combine(end, time(0, 1)).replace(tzinfo=tz)
    texts = DATA["appeals"]
    categories = {c.code: c for c in AppealCategory.objects.filter(code__in=texts["categories"])}
    missing = sorted(set(texts["categories"]) - set(categories))
    if missing:
        raise RuntimeError("诉求类别缺少：" + "、".join(missing) + "。请先执行 migrate。")
    staff_name = f"{DISTRICT['short_name']} 工作人员"
    appeals = []
    for i in range(SIZES["appeals"]):
        day = end - timedelta(days=1 + (i * 365) // SIZES["appeals"] + rng.randrange(0, 3))
        submitted = datetime.combine(day, time(9 + rng.randrange(0, 8), rng.randrange(0, 60))).replace(tzinfo=tz)
        firm = rng.choice(firms)
        category = categories[rng.choice(texts["categories"])]
        department = rng.choice(departments)
        appeals.append(_live(rng, district, firm, category, department, submitted, cutoff, staff_name, texts))
    return appeals


def _live(rng, district, firm, category, department, submitted, cutoff, staff_name, texts):
    """One appeal saved with its assignment, rating and timeline, its steps taken while before `cutoff`."""
    firm_name = f"企业 {firm.contact_name}"
    appeal = Appeal.objects.create(
        federation=district, number=daily_number("SQ", submitted), enterprise=firm, contact_name=firm.contact_name,
        channel=rng.choice(("platform", "platform", "phone")), category=category, title=rng.choice(texts["titles"]),
        content=f"{firm.name}：{rng.choice(texts['titles'])}，请予协调办理。", status=Status.SUBMITTED,
        submitted_at=submitted)
    steps = [(submitted, firm_name, "submit", "", Status.SUBMITTED, None, "")]
    accepted = submitted + timedelta(hours=1 + rng.randrange(0, 3))
    dispatched = accepted + timedelta(minutes=30)
    signed = dispatched + timedelta(hours=1)
    deadline = add_working_days(dispatched.date(), category.reply_days)
    replied = datetime.combine(add_working_days(dispatched.date(), max(1, category.reply_days - 1 + rng.choice(
        (0, 0, 0, -1, 2)))).date, time(15, rng.randrange(0, 60))).replace(tzinfo=submitted.tzinfo)
    rated = replied + timedelta(days=1, hours=rng.randrange(0, 4))
    assignment = None
    if accepted < cutoff:
        appeal.status, appeal.accepted_at = Status.ACCEPTED, accepted
        steps.append((accepted, staff_name, "accept", Status.SUBMITTED, Status.ACCEPTED, None, ""))
    if dispatched < cutoff:
        appeal.status, appeal.first_dispatched_at, appeal.deadline = Status.ASSIGNED, dispatched, deadline.date
        appeal.deadline_provisional = deadline.provisional
        assignment = Assignment(appeal=appeal, department=department, state=Assignment.State.ASSIGNED,
                                dispatched_at=dispatched,
                                sign_deadline=add_working_hours(dispatched, category.sign_hours).date,
                                deadline=deadline.date, deadline_provisional=deadline.provisional)
        steps.append((dispatched, staff_name, "dispatch", Status.ACCEPTED, Status.ASSIGNED, None,
                      f"承办部门：{department.name}；办理期限：{deadline.date:%Y-%m-%d}"))
    if signed < cutoff:
        appeal.status, assignment.state, assignment.accepted_at = Status.HANDLING, Assignment.State.HANDLING, signed
        steps.append((signed, f"{department.name} {department.contact}", "department_accept", Status.ASSIGNED,
                       Status.HANDLING, department, ""))
    if replied < cutoff:
        reply, on_time = rng.choice(texts["replies"]), replied.date() <= deadline.date
        assignment.state, assignment.replied_at, assignment.reply = Assignment.State.REPLIED, replied, reply
        assignment.replied_on_time = on_time
        assignment.working_days_to_reply = max(working_days_between(dispatched.date(), replied.date()), 0)
        appeal.status, appeal.replied_at, appeal.replied_on_time = Status.REPLIED, replied, on_time
        steps.append((replied, f"{department.name} {department.contact}", "reply", Status.HANDLING, Status.REPLIED,
                      department, reply))
    rating = None
    if rated < cutoff:
        rating = Rating.SATISFIED if rng.random() < 0.88 else Rating.BASICALLY
        appeal.status, appeal.rating, appeal.rated_at, appeal.closed_at = Status.CLOSED, rating, rated, rated
        steps.append((rated, firm_name, "rate", Status.REPLIED, Status.CLOSED, None,
                      f"{RatingRecord.Source.ENTERPRISE.label}：{Rating(rating).label}"))
    appeal.save()
    if assignment is not None:
        assignment.save()
    if rating is not None:
        RatingRecord.objects.create(appeal=appeal, rating=rating, source=RatingRecord.Source.ENTERPRISE,
                                    rated_at=rated)
    TimelineEntry.objects.bulk_create([
        TimelineEntry(appeal=appeal, at=at, actor_name=actor, action=action, action_label=APPEAL_FLOW.label(action),
                      from_status=before, to_status=after, department=dept, note=note)
        for at, actor, action, before, after, dept, note in steps])
    return appeal


def counts():
    district = Federation.objects.filter(region_code=REGION, level=Federation.Level.COUNTY).first()
    if district is None:
        return []
    return [(f"{DISTRICT['short_name']}企业", Enterprise.objects.filter(federation=district).count()),
            (f"{DISTRICT['short_name']}会员", Membership.objects.filter(federation=district).count()),
            (f"{DISTRICT['short_name']}诉求", Appeal.objects.filter(federation=district).count())]


@register("reports_city", after=("appeals",), counts=counts)
def seed(run):
    """`seed_demo`'s step: the second district under the demo district's city, its year of appeals ending the day
    the demo runs, and the city's login."""
    return build(run.results["members"].federation.parent, end=run.today)
