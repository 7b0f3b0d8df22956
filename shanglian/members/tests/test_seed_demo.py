"""`manage.py seed_demo`: demo mode only, the promised district, valid codes, encrypted PII, idempotent, deterministic."""

import re
from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection

from shanglian.accounts.models import User
from shanglian.accounts.roles import Role, role_of
from shanglian.common.models import IndustryCode
from shanglian.common.validators import validate_id_number, validate_mobile, validate_uscc
from shanglian.members import demo
from shanglian.members.models import ChamberMembership, Enterprise, EnterpriseRole, Person, pinyin_initials
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
}
PLAIN_ID_NUMBER = re.compile(r"\d{17}[\dX]")


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
              EnterpriseRole, ChamberMembership, User)
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
    district = Federation.objects.get(level=Federation.Level.COUNTY)
    assert (city.region_code, district.region_code, district.parent_id) == ("120100", "120103", city.pk)

    streets = list(Street.objects.order_by("code"))
    assert len(streets) == 13
    assert [s.code for s in streets] == [f"120103{i:03d}" for i in range(1, 14)]

    assert Chamber.objects.count() == 25
    kinds = set(Chamber.objects.values_list("kind", flat=True))
    assert {Chamber.Kind.STREET, Chamber.Kind.INDUSTRY, Chamber.Kind.NONLOCAL, Chamber.Kind.BUILDING} <= kinds
    for chamber in Chamber.objects.filter(kind=Chamber.Kind.INDUSTRY):
        divisions = list(chamber.industries.values_list("level", flat=True))
        assert 1 <= len(divisions) <= 3 and set(divisions) == {IndustryCode.Level.DIVISION}
    assert Chamber.objects.filter(secretary_general="").exists()  # the 工作台 todo has something to show
    assert all(c.memberships.filter(status="active").exists() for c in Chamber.objects.all())

    assert list(Committee.objects.values_list("name", flat=True)) == [name for name, _ in demo.COMMITTEES]
    assert Department.objects.count() == 20
    assert Department.objects.order_by("pk").first().short_name == "区税务局"
    assert Village.objects.filter(is_target=True).count() == 30

    term = Term.objects.get()
    assert term.chamber_id is None and term.start == date(2021, 12, 16)
    assert Position.objects.filter(title=Position.Title.CHAIRMAN).count() == 1
    assert Position.objects.filter(title=Position.Title.COMMITTEE_DIRECTOR).count() == 12
    assert Position.objects.values("person").distinct().count() == 40

    assert Enterprise.objects.count() == SMALL
    assert Person.objects.count() == SMALL * 2 // 3
    assert ChamberMembership.objects.values("enterprise").distinct().count() >= SMALL * 0.6
    assert ChamberMembership.objects.exclude(status="active").exists()
    assert Enterprise.objects.filter(contact_name="").exists()  # the "信息不完整" todo
    assert set(Enterprise.objects.values_list("industry__level", flat=True)) == {IndustryCode.Level.CLASS}

    for label in ("商会：25", "专门委员会：12", "职能部门：20", f"企业：{SMALL}", "演示模式下 admin 免双因素认证"):
        assert label in seeded


@pytest.mark.django_db
def test_demo_logins(seeded):
    users = {u.username: u for u in User.objects.all()}
    assert set(users) == set(EXPECTED_ROLES)
    district = Federation.objects.get(level=Federation.Level.COUNTY)
    for username, role in EXPECTED_ROLES.items():
        user = users[username]
        assert role_of(user) == role
        assert user.groups.count() == 1
        assert user.check_password(demo.DEMO_PASSWORD)
        assert user.password_changed_at is not None
        assert user.display_name and not user.display_name.isascii()
        assert user.federation == district
        assert username in seeded
    assert users["admin"].is_superuser and not users["auditor"].is_staff

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
    saved = list(Enterprise.objects.order_by("pk").values_list("name", "uscc"))
    assert saved == [(e.name, e.uscc) for e in plan.enterprises]
    assert len({name for name, _ in saved}) == SMALL
    assert list(Person.objects.order_by("pk").values_list("name", flat=True)) == [p.name for p in plan.persons]


@pytest.mark.django_db
def test_federation_memberships_are_consistent_and_of_all_kinds(seeded):
    from shanglian.members.models import DuesRecord, Membership
    from shanglian.members.selectors import membership_in_force_q

    memberships = Membership.objects.all()
    assert memberships.exists()
    for m in memberships:
        subjects = [m.enterprise_id, m.person_id, m.group_id]
        assert sum(s is not None for s in subjects) == 1
        assert (m.status == "left") == (m.left is not None) and (m.left is None or m.left >= m.joined)
        assert (m.status == "suspended") == (m.suspended_on is not None)
    in_force = memberships.filter(membership_in_force_q(date(2026, 11, 22)))
    assert {m.kind for m in in_force} == {"enterprise", "individual", "group"}
    pairs = DuesRecord.objects.values_list("membership_id", "year")
    assert len(set(pairs)) == len(pairs) > 0


@pytest.mark.django_db
def test_federation_memberships_grow_and_show_three_more_three_less(demo_mode):
    """On the default district: year-end counts grow every year and the seeds' "三多三少" shape holds."""
    from shanglian.members import statistics
    from shanglian.members.models import Membership

    demo.build()
    memberships = Membership.objects.all()
    series = statistics.year_end_series(memberships, range(2018, 2026))
    assert all(b.in_force > a.in_force for a, b in zip(series, series[1:], strict=False))
    for pair in statistics.three_more_three_less(memberships, date(2026, 11, 22)):
        assert pair.more > pair.less, pair.label
