"""`gen_scale`: a district built by seed_demo, copied inside the database as the districts of cities under a
province — each copy a whole district of its own (counts, figures, valid and unique codes, logins), the province
seeing the sum of its districts, and no copy's user seeing another's records."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from shanglian.accounts.models import User
from shanglian.accounts.roles import Role, role_of
from shanglian.appeals.models import Appeal, TimelineEntry
from shanglian.appeals.selectors import appeals_visible_to
from shanglian.common.periods import Period
from shanglian.common.validators import validate_uscc
from shanglian.demo import scale
from shanglian.events.models import CheckIn, Event
from shanglian.members.models import Enterprise, Membership
from shanglian.notifications.models import Notification
from shanglian.orgs.models import Federation, Street
from shanglian.reports import values
from shanglian.testing import verify_second_factor

pytestmark = pytest.mark.django_db

ENTERPRISES = 40
# Figures that add up over districts (a rate does not).
ADDITIVE = ("members.in_force", "appeals.received", "events.held", "events.training_attendance", "welfare.total",
            "engagement.proposals", "members.joined")


@pytest.fixture
def demo_mode(settings):
    settings.DEMO = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings


@pytest.fixture
def province(demo_mode):
    out = StringIO()
    call_command("gen_scale", scale="province", cities=2, districts=2, enterprises=ENTERPRISES, stdout=out)
    return out.getvalue()


def counties():
    return list(Federation.objects.filter(level=Federation.Level.COUNTY).order_by("pk"))


def test_refuses_without_demo_mode(settings):
    settings.DEMO = False
    with pytest.raises(CommandError, match="演示模式"):
        call_command("gen_scale", scale="district", stdout=StringIO())
    assert not Federation.objects.exists()


def test_refuses_a_database_that_has_data(demo_mode, cast):
    before = Federation.objects.count()
    with pytest.raises(CommandError, match="空库"):
        call_command("gen_scale", scale="city", districts=2, enterprises=ENTERPRISES, stdout=StringIO())
    assert Federation.objects.count() == before


@pytest.mark.parametrize("options, message", [({"districts": 0}, "--districts"), ({"districts": 91}, "--districts"),
                                              ({"cities": 100}, "--cities"), ({"batch": 0}, "--batch")])
def test_refuses_sizes_out_of_range(demo_mode, options, message):
    with pytest.raises(CommandError, match=message):
        call_command("gen_scale", scale="city", enterprises=ENTERPRISES, stdout=StringIO(), **options)
    assert not Federation.objects.exists()


def test_a_province_of_copied_districts_with_valid_codes_and_own_logins(province):
    district = scale.district_of_demo()
    top = Federation.objects.get(level=Federation.Level.PROVINCE)
    cities = list(Federation.objects.filter(level=Federation.Level.CITY).order_by("pk"))
    assert [c.parent_id for c in cities] == [top.pk, top.pk]
    copies = [f for f in counties() if f.name.startswith("演示第")]
    # Two districts a city: the demo city has the demo district and one copy (and the demo's second district,
    # which is not copied); the second city two copies.
    assert [f.parent_id for f in copies] == [cities[0].pk, cities[1].pk, cities[1].pk]
    assert len({f.region_code for f in counties()}) == len(counties())
    for copy in copies:
        assert Enterprise.objects.filter(federation=copy).count() == \
            Enterprise.objects.filter(federation=district).count()
        assert Membership.objects.filter(federation=copy).count() == \
            Membership.objects.filter(federation=district).count()
        assert Appeal.objects.filter(federation=copy).count() == Appeal.objects.filter(federation=district).count()
        assert Event.objects.filter(federation=copy).count() == Event.objects.filter(federation=district).count()
        assert CheckIn.objects.filter(event__federation=copy).count() == \
            CheckIn.objects.filter(event__federation=district).count()
        assert {s.code[:6] for s in Street.objects.filter(federation=copy)} == {copy.region_code}
    assert "省工商联领导账号：province" in province
    # Codes valid and unique, each copy its own logins (one build for the two checks: a build takes seconds).
    codes = list(Enterprise.objects.exclude(uscc="").values_list("uscc", flat=True))
    assert len(codes) == len(set(codes)) > 4 * ENTERPRISES
    for code in codes:
        validate_uscc(code)
    for k in (1, 2, 3):
        staff = User.objects.get(username=f"staff-{k}")
        assert role_of(staff) == Role.STAFF and staff.federation.name == f"演示第{k}区工商联"
        assert staff.mobile == ""
    assert role_of(User.objects.get(username="province")) == Role.LEADER


def test_the_province_sees_the_sum_of_its_districts(province):
    leader = User.objects.get(username="province")
    period = Period.custom(date(2022, 1, 1), date.today())
    for key in ADDITIVE:
        total = values.measure(key, user=leader, period=period, compare=False).value
        parts = [values.measure(key, user=leader, period=period, compare=False, federation=f).value
                 for f in counties()]
        # 万元 are rounded to 0.01 figure by figure: a sum may differ by a cent a part.
        assert abs(total - sum(parts)) <= Decimal("0.01") * len(parts), key
        district = values.measure(key, user=User.objects.get(username="staff"), period=period, compare=False).value
        copy = values.measure(key, user=User.objects.get(username="staff-3"), period=period, compare=False).value
        assert copy == district, key


def test_a_copy_user_sees_only_its_own_district(province, client):
    staff, other = User.objects.get(username="staff-1"), User.objects.get(username="staff-2")
    own = set(appeals_visible_to(staff).values_list("federation_id", flat=True))
    assert own == {staff.federation_id}
    guessed = Appeal.objects.filter(federation=other.federation).first()
    client.force_login(staff)
    verify_second_factor(client, staff)
    assert client.get(reverse("appeals:detail", args=[guessed.pk])).status_code == 404
    mine = Appeal.objects.filter(federation=staff.federation).first()
    assert client.get(reverse("appeals:detail", args=[mine.pk])).status_code == 200


def test_a_lean_copy_leaves_out_the_histories_and_messages(demo_mode):
    call_command("gen_scale", scale="city", districts=2, enterprises=ENTERPRISES, lean=True, stdout=StringIO())
    district = scale.district_of_demo()
    copy = Federation.objects.get(name="演示第1区工商联")
    assert Appeal.objects.filter(federation=copy).count() == Appeal.objects.filter(federation=district).count() > 0
    assert CheckIn.objects.filter(event__federation=copy).count() == \
        CheckIn.objects.filter(event__federation=district).count() > 0
    assert not TimelineEntry.objects.filter(appeal__federation=copy).exists()
    assert TimelineEntry.objects.filter(appeal__federation=district).exists()
    assert not Notification.objects.filter(recipient__federation=copy).exists()
    assert Notification.objects.filter(recipient__federation=district).exists()
