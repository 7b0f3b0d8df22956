"""`manage.py seed_demo`: demo mode only, the promised district, valid codes, encrypted PII, idempotent, deterministic."""

import re
from collections import Counter
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from shanglian.accounts.models import User
from shanglian.accounts.roles import Role, role_of
from shanglian.common.models import IndustryCode
from shanglian.common.validators import validate_id_number, validate_mobile, validate_uscc
from shanglian.demo import logins, orgs
from shanglian.members import demo
from shanglian.members.models import (
    ChamberMembership,
    DuesRecord,
    Enterprise,
    EnterpriseRole,
    Membership,
    Person,
    pinyin_initials,
)
from shanglian.members.selectors import membership_in_force_q
from shanglian.orgs.models import Chamber, Committee, Department, Federation, Position, Street, Term, Village

SMALL = 120
EXPECTED_ROLES = {
    "admin": Role.SYSADMIN,
    "staff": Role.STAFF,
    "leader": Role.LEADER,
    "chamber1": Role.CHAMBER,
    "chamber2": Role.CHAMBER,
    "dept1": Role.DEPARTMENT,
    "ent1": Role.ENTERPRISE,
    "auditor": Role.AUDITOR,
    "city": Role.STAFF,  # the city's, by the reports demo's second district (reports/demo_city.py)
}
# The members demo's district: the reports demo adds a second district under the same city (its own tests are
# reports/tests/test_districts_demo.py), so what this module proves is read within the first one.
DEMO_REGION = "120103"
IN_DEMO = {"federation__region_code": DEMO_REGION}
PLAIN_ID_NUMBER = re.compile(r"\d{17}[\dX]")
MEMBER_NUMBER = re.compile(r"HX-(\d{4})-\d{4}")
TODAY = date(2026, 11, 22)
AS_OF_YEAR = demo.AS_OF.year


@pytest.fixture
def demo_mode(settings):
    settings.DEMO = True
    # Fast hashing for tests; the password validators still run in create_user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings


def seed(*args):
    out = StringIO()
    call_command("seed_demo", "--enterprises", str(SMALL), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(demo_mode):
    return seed()


def table_counts():
    models = (Federation, Street, Chamber, Committee, Department, Village, Term, Position, Enterprise, Person,
              EnterpriseRole, ChamberMembership, Membership, DuesRecord, User)
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.django_db
def test_refuses_without_demo_mode(settings):
    settings.DEMO = False
    with pytest.raises(CommandError, match="演示模式"):
        call_command("seed_demo", "--enterprises", str(SMALL), stdout=StringIO())
    assert not Federation.objects.exists()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_builds_the_promised_district(seeded):
    city = Federation.objects.get(level=Federation.Level.CITY)
    district = Federation.objects.get(region_code=DEMO_REGION)
    assert (city.region_code, district.level, district.parent_id) == ("120100", Federation.Level.COUNTY, city.pk)

    streets = list(Street.objects.filter(**IN_DEMO).order_by("code"))
    assert len(streets) == 13
    assert [s.code for s in streets] == [f"120103{i:03d}" for i in range(1, 14)]

    chambers = Chamber.objects.filter(**IN_DEMO)
    assert chambers.count() == 25
    kinds = set(chambers.values_list("kind", flat=True))
    assert {Chamber.Kind.STREET, Chamber.Kind.INDUSTRY, Chamber.Kind.NONLOCAL, Chamber.Kind.BUILDING} <= kinds
    for chamber in chambers.filter(kind=Chamber.Kind.INDUSTRY):
        divisions = list(chamber.industries.values_list("level", flat=True))
        assert 1 <= len(divisions) <= 3 and set(divisions) == {IndustryCode.Level.DIVISION}
    assert chambers.filter(secretary_general="").exists()  # the 工作台 todo has something to show
    assert all(c.memberships.filter(status="active").exists() for c in chambers)

    assert list(Committee.objects.values_list("name", flat=True)) == [name for name, _ in orgs.COMMITTEES]
    assert Department.objects.filter(**IN_DEMO).count() == 20
    assert Department.objects.order_by("pk").first().short_name == "区税务局"
    assert Village.objects.filter(is_target=True, **IN_DEMO).count() == 30

    # the terms from the first of the data file up to the one in force on the day of the build
    built = [(t.number, t.start, t.end) for t in Term.objects.filter(chamber__isnull=True).order_by("start")]
    assert built == [(t.number, t.period.start, t.period.end) for t in orgs.terms(timezone.localdate())]
    assert not Term.objects.filter(chamber__isnull=False).exists()
    term = Term.objects.get(start__lte=timezone.localdate(), end__gte=timezone.localdate())
    assert Position.objects.filter(term=term, title=Position.Title.CHAIRMAN).count() == 1
    assert Position.objects.filter(term=term, title=Position.Title.COMMITTEE_DIRECTOR).count() == 12
    assert Position.objects.values("person").distinct().count() == 40

    # and the few firms and persons the demo registers twice for the duplicate queue (`demo.build_duplicates`)
    enterprises = Enterprise.objects.filter(**IN_DEMO)
    assert enterprises.count() == SMALL + demo.DUPLICATE_FIRMS
    assert Person.objects.filter(**IN_DEMO).count() == SMALL * 2 // 3 + demo.DUPLICATE_PERSONS
    assert [len(ids) for ids in demo.twins()] == [demo.DUPLICATE_FIRMS, demo.DUPLICATE_PERSONS]
    in_chambers = ChamberMembership.objects.filter(chamber__federation=district)
    assert in_chambers.values("enterprise").distinct().count() >= SMALL * 0.6
    assert in_chambers.exclude(status="active").exists()
    assert enterprises.filter(contact_name="").exists()  # the "信息不完整" todo
    assert set(enterprises.values_list("industry__level", flat=True)) == {IndustryCode.Level.CLASS}

    # the printed counts are the whole demo's (both districts of the city)
    for label in (f"商会：{Chamber.objects.count()}", f"专门委员会：{Committee.objects.count()}",
                  f"职能部门：{Department.objects.count()}", f"企业：{Enterprise.objects.count()}",
                  "演示模式下 admin 免双因素认证"):
        assert label in seeded


@pytest.mark.django_db
def test_demo_logins(seeded):
    # the printed logins (the board's and the applications' enterprise accounts of the growth step have no password)
    users = {u.username: u for u in User.objects.all() if u.has_usable_password()}
    assert set(users) == set(EXPECTED_ROLES)
    district = Federation.objects.get(region_code=DEMO_REGION)
    for username, role in EXPECTED_ROLES.items():
        user = users[username]
        assert role_of(user) == role
        assert user.groups.count() == 1
        assert user.check_password(logins.DEMO_PASSWORD)
        assert user.password_changed_at is not None
        assert user.display_name and not user.display_name.isascii()
        assert user.federation == (district.parent if username == "city" else district)
        assert username in seeded
    assert users["admin"].is_superuser and not users["auditor"].is_staff
    # ent1 may also sign in by SMS: its mobile is set (encrypted, indexed) and printed with the logins.
    assert users["ent1"].mobile == logins.DEMO_MOBILES["ent1"] and users["ent1"].mobile_index
    assert f"ent1 也可用手机号 {logins.DEMO_MOBILES['ent1']}" in seeded
    assert not any(users[name].mobile for name in users if name != "ent1")

    first, second = Chamber.objects.order_by("pk")[:2]
    chamber1 = users["chamber1"].chamber
    assert chamber1 == first and chamber1.kind == Chamber.Kind.STREET and chamber1.secretary_general
    assert chamber1.memberships.filter(status=ChamberMembership.Status.ACTIVE).exists()
    assert users["chamber2"].chamber == second
    assert users["dept1"].department == Department.objects.order_by("pk").first()
    assert ChamberMembership.objects.filter(
        chamber=chamber1, enterprise=users["ent1"].enterprise, status=ChamberMembership.Status.ACTIVE
    ).exists()


@pytest.mark.django_db
def test_codes_are_valid_and_derived_fields_filled(seeded):
    for enterprise in Enterprise.objects.all():
        validate_uscc(enterprise.uscc)
        assert enterprise.name_initials == pinyin_initials(enterprise.name)
        if enterprise.contact_mobile:
            validate_mobile(enterprise.contact_mobile)
        assert enterprise.contact_mobile_index == Enterprise._meta.get_field("contact_mobile_index").index_for(
            enterprise.contact_mobile
        )
    for chamber in Chamber.objects.exclude(registration_number=""):
        validate_uscc(chamber.registration_number)
    index_field = Person._meta.get_field("id_number_index")
    for person in Person.objects.all():
        validate_id_number(person.id_number)
        validate_mobile(person.mobile)
        assert person.id_number[6:10] == str(person.birth_year)
        assert int(person.id_number[16]) % 2 == (0 if person.gender == Person.Gender.FEMALE else 1)
        assert person.is_new_generation == (person.birth_year >= 1980)
        assert person.name_initials == pinyin_initials(person.name)
        # The blind index that bulk_create filled finds the person again.
        assert Person.objects.get(id_number_index=index_field.index_for(person.id_number)) == person


@pytest.mark.django_db
def test_personal_data_is_encrypted_in_the_database(seeded):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, mobile FROM members_person")
        rows = cursor.fetchall()
        cursor.execute("SELECT contact_mobile FROM members_enterprise WHERE contact_mobile <> ''")
        mobiles = [row[0] for row in cursor.fetchall()]
    assert rows and mobiles
    for id_number, mobile in rows:
        assert id_number.startswith("v1:") and not PLAIN_ID_NUMBER.search(id_number)
        assert mobile.startswith("v1:") and not re.search(r"1[3-9]\d{9}", mobile)
    assert all(m.startswith("v1:") for m in mobiles)


@pytest.mark.django_db
def test_if_empty_is_idempotent_and_existing_data_is_never_overwritten(demo_mode):
    seed("--if-empty")
    before = table_counts()
    output = seed("--if-empty")
    assert "跳过" in output and "chamber1" in output and "演示模式下 admin 免双因素认证" in output
    assert table_counts() == before
    with pytest.raises(CommandError, match="已有"):
        seed()
    assert table_counts() == before


@pytest.mark.django_db
def test_refuses_when_a_demo_username_is_taken(demo_mode):
    User.objects.create_user(username="Admin", password="x")
    with pytest.raises(CommandError, match="已被占用.*Admin"):
        seed()
    assert not Federation.objects.exists()


@pytest.mark.django_db
def test_generation_is_deterministic_and_is_what_gets_saved(demo_mode):
    plan = demo.generate(enterprises=SMALL)
    with time_machine.travel(date(2031, 3, 1)):  # no dependence on the current date
        again = demo.generate(enterprises=SMALL)
    assert again.fingerprint() == plan.fingerprint()
    assert demo.generate(enterprises=SMALL, seed=7).fingerprint() != plan.fingerprint()

    seed()
    firm_twins, person_twins = demo.twins()
    saved = list(Enterprise.objects.filter(**IN_DEMO).exclude(pk__in=firm_twins).order_by("pk").values_list("name", "uscc"))
    assert saved == [(e.name, e.uscc) for e in plan.enterprises]
    assert len({name for name, _ in saved}) == SMALL
    assert list(Person.objects.filter(**IN_DEMO).exclude(pk__in=person_twins).order_by("pk").values_list("name", flat=True)) == [
        p.name for p in plan.persons]
    saved = list(Membership.objects.filter(**IN_DEMO).order_by("pk")
                 .values_list("number", "kind", "joined", "status", "left"))
    assert saved == [(m.number, m.kind, m.joined, m.status, m.left) for m in plan.members]
    assert DuesRecord.objects.count() == sum(len(m.dues) for m in plan.members)
    for kind in Membership.Kind.values:  # the plan's rule of "in force" is the selectors' one
        on_db = Membership.objects.filter(membership_in_force_q(TODAY), kind=kind, **IN_DEMO).count()
        assert on_db == sum(m.in_force(TODAY) for m in plan.members if m.kind == kind)


@pytest.mark.django_db
def test_federation_memberships_are_consistent(seeded):
    memberships = list(Membership.objects.filter(**IN_DEMO))
    assert memberships
    subject = {Membership.Kind.ENTERPRISE: "enterprise_id", Membership.Kind.INDIVIDUAL: "person_id",
               Membership.Kind.GROUP: "group_id"}
    for m in memberships:
        # Kind and subject: exactly the one subject the kind names.
        assert [f for f in subject.values() if getattr(m, f) is not None] == [subject[m.kind]], m.number
        # Status and dates.
        assert date(2016, 1, 1) <= m.joined <= demo.AS_OF
        assert (m.status == Membership.Status.LEFT) == (m.left is not None) == bool(m.left_reason)
        assert (m.status == Membership.Status.SUSPENDED) == (m.suspended_on is not None)
        assert m.left is None or m.joined < m.left <= demo.AS_OF
        assert m.suspended_on is None or m.joined < m.suspended_on <= demo.AS_OF
        match = MEMBER_NUMBER.fullmatch(m.number)
        assert match and int(match.group(1)) == m.joined.year
    assert len({m.number for m in memberships}) == len(memberships)

    in_force = Membership.objects.filter(membership_in_force_q(TODAY))
    assert set(in_force.values_list("kind", flat=True)) == set(Membership.Kind.values)
    assert Membership.objects.filter(status=Membership.Status.LEFT).exists()
    # An enterprise member is a firm that existed when it joined; group members are chambers of the district.
    for m in Membership.objects.filter(kind=Membership.Kind.ENTERPRISE).select_related("enterprise"):
        assert m.enterprise.founded < m.joined
    for m in Membership.objects.filter(kind=Membership.Kind.GROUP).select_related("group"):
        assert m.group.federation_id == m.federation_id and m.group.founded < m.joined
    assert {u.chamber_id for u in User.objects.filter(username__in=["chamber1", "chamber2"])} <= set(
        Membership.objects.values_list("group_id", flat=True))
    assert Membership.objects.filter(enterprise=User.objects.get(username="ent1").enterprise,
                                     status=Membership.Status.ACTIVE).exists()


@pytest.mark.django_db
def test_term_officers_hold_their_body_position(seeded):
    titles = {Position.Title.CHAIRMAN: "chairman", Position.Title.VICE_CHAIRMAN: "vice_chairman",
              Position.Title.STANDING: "standing", Position.Title.EXECUTIVE: "executive"}
    officers = dict(Position.objects.filter(title__in=titles).values_list("person_id", "title"))
    assert len(officers) == 40
    members = {m.person_id: m for m in Membership.objects.filter(kind=Membership.Kind.INDIVIDUAL)}
    first = Term.objects.order_by("start").first()
    for person_id, title in officers.items():
        m = members[person_id]
        assert m.body_position == titles[title] and m.status == Membership.Status.ACTIVE and m.joined < first.start
    assert not Membership.objects.exclude(person_id__in=officers).exclude(body_position="member").exists()


@pytest.mark.django_db
def test_dues_follow_the_membership(seeded):
    pairs = list(DuesRecord.objects.values_list("membership_id", "year"))
    assert pairs and len(set(pairs)) == len(pairs)
    amounts = {"enterprise": Decimal("2000"), "individual_type": Decimal("500"), "individual": Decimal("200"),
               "group": Decimal("3000")}
    for m in Membership.objects.filter(**IN_DEMO).select_related("enterprise__enterprise_type").prefetch_related("dues"):
        key = "individual_type" if m.kind == "enterprise" and m.enterprise.enterprise_type.code == "individual" \
            else m.kind
        end = m.left or m.suspended_on
        for dues in m.dues.all():
            assert dues.amount == amounts[key]
            assert dues.paid_on.year == dues.year and m.joined <= dues.paid_on <= demo.AS_OF
            assert end is None or dues.year < end.year  # nothing for the year it left or was suspended in
        if m.status == Membership.Status.ACTIVE:
            assert m.joined.year in {d.year for d in m.dues.all()}  # paid on joining


@pytest.mark.django_db
def test_chamber_departures_have_dates_and_reasons(seeded):
    for cm in ChamberMembership.objects.all():
        assert (cm.status == ChamberMembership.Status.LEFT) == (cm.left is not None) == bool(cm.left_reason)
        assert cm.left is None or cm.joined <= cm.left <= demo.AS_OF
    # A firm that was wound up or moved away left its chambers the same day.
    for m in Membership.objects.filter(left_reason__in=sorted(demo.ENTERPRISE_ENDS)):
        assert not ChamberMembership.objects.filter(enterprise=m.enterprise, left__isnull=True).exists()
        assert not ChamberMembership.objects.filter(enterprise=m.enterprise, left__gt=m.left).exists()
    assert ChamberMembership.objects.filter(status=ChamberMembership.Status.LEFT).exists()


# --- The default-size district, generated without saving -----------------------------------------------


@pytest.fixture(scope="module")
def default_plan(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():  # generate() reads the industry codes the migrations load
        return demo.generate()


def in_force(plan, on, kind=None):
    return [m for m in plan.members if m.in_force(on) and (kind is None or m.kind == kind)]


def test_default_plan_matches_the_seeds_district(default_plan):
    """About 880 members = 316 企业 + 20 团体 + 564 个人; ~8 % left, a few suspended."""
    by_kind = {kind: len(in_force(default_plan, TODAY, kind)) for kind in Membership.Kind.values}
    assert 290 <= by_kind["enterprise"] <= 340
    assert by_kind["group"] == 20
    assert 530 <= by_kind["individual"] <= 600
    members = default_plan.members
    left = sum(m.status == Membership.Status.LEFT for m in members)
    suspended = sum(m.status == Membership.Status.SUSPENDED for m in members)
    assert 0.06 <= left / len(members) <= 0.10 and 5 <= suspended <= 25
    assert {m.left_reason for m in members if m.left} >= {"企业注销", "迁出本区", "本人申请退会", "连续两年未缴会费"}
    assert min(m.joined.year for m in members) == 2016 and max(m.joined for m in members) <= demo.AS_OF
    assert len({m.number for m in members}) == len(members)


def test_default_plan_shows_three_more_three_less(default_plan):
    enterprises = [default_plan.enterprises[m.enterprise] for m in in_force(default_plan, TODAY, "enterprise")]
    types = Counter(e.type_code for e in enterprises)
    assert types["individual"] > types["private"] > 0  # 个体工商户 more, 私营企业 fewer
    assert len(in_force(default_plan, TODAY, "individual")) > len(in_force(default_plan, TODAY, "group")) > 0
    local = sum(e.is_local for e in enterprises)
    assert local > len(enterprises) - local > 0  # 本地 more, 外地 fewer
    high_tech = sum(e.is_high_tech for e in enterprises)
    assert len(enterprises) - high_tech > high_tech > 0  # 传统产业 more, 高新技术 fewer


def test_default_plan_grows_every_year(default_plan):
    series = [len(in_force(default_plan, date(year, 12, 31))) for year in range(2016, 2027)]
    assert all(b > a for a, b in zip(series, series[1:], strict=False)), series
    joins = Counter(m.joined.year for m in default_plan.members)
    assert joins[2016] < joins[2020] < joins[2025]  # fewer early, more later


def test_default_plan_dues_are_one_per_member_and_year(default_plan):
    for m in default_plan.members:
        years = [year for year, _amount, _paid in m.dues]
        assert len(years) == len(set(years))
        assert all(paid.year == year and m.joined <= paid <= demo.AS_OF for year, _amount, paid in m.dues)
    active = [m for m in default_plan.members if m.status == Membership.Status.ACTIVE]
    due = sum(AS_OF_YEAR - m.joined.year + 1 for m in active)
    paid = sum(len(m.dues) for m in active)
    assert 0.8 * due <= paid < 0.95 * due  # some years unpaid, this year's dues not all in yet
