"""/api/v1/engagement/representatives/: read only, scoped like the pages, ID numbers and mobiles always masked —
even for staff holding the permission to see them on the pages."""

import re
from datetime import date

import pytest
from django.contrib.auth.models import Permission

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.common.masking import mask
from shanglian.orgs.models import Position, Term

URL = "/api/v1/engagement/representatives/"


@pytest.fixture
def db_rows(cast):
    testing.make_arrangement(cast.person1, kind="npc", level="district")
    testing.make_arrangement(cast.person2, kind="cppcc", level="city", start=date(2018, 1, 1), end=date(2022, 12, 31))
    term = Term.objects.create(federation=cast.district, number=10, start=date(2021, 1, 1))
    Position.objects.create(term=term, person=cast.person1, title=Position.Title.EXECUTIVE)
    outsider = testing.make_person(cast.other, name="刘南开", enterprise=cast.ent_other)
    testing.make_arrangement(outsider)
    testing.make_person(cast.district, name="未入库")  # no record: not in the database
    return outsider


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_staff_reads_the_database_with_arrangements_and_positions(cast, login, db_rows):
    rows = results(login(cast.users.staff).get(URL))
    assert [r["name"] for r in rows] == ["王建国", "陈浙江"]
    first = rows[0]
    assert first["arrangements"][0]["kind_display"] == "人大代表" and first["arrangements"][0]["in_force"] is True
    assert first["positions"][0]["body"] == "河西区工商联" and first["positions"][0]["title_display"] == "执委"
    assert first["enterprises"] == [{"enterprise": cast.ent1.pk, "enterprise_name": "天津友谊科技有限公司",
                                     "role": "legal_representative", "role_display": "法定代表人"}]
    assert rows[1]["arrangements"][0]["in_force"] is False


def test_id_numbers_and_mobiles_are_masked_for_everyone(cast, login, db_rows):
    staff = cast.users.staff
    staff.user_permissions.add(Permission.objects.get(codename="view_pii"))
    staff = type(staff).objects.get(pk=staff.pk)
    for user in (staff, cast.users.leader, cast.users.admin, cast.users.chamber1):
        body = login(user).get(URL).content.decode()
        assert cast.person1.id_number not in body and cast.person1.mobile not in body
        assert mask("id_number", cast.person1.id_number) in body
        assert not re.search(r"(?<!\d)\d{17}[\dX](?!\d)", body)
        one = login(user).get(f"{URL}{cast.person1.pk}/").json()
        assert one["id_number"] == mask("id_number", cast.person1.id_number)
        assert one["mobile"] == mask("mobile", cast.person1.mobile)


def test_chamber_secretary_reads_its_chambers_persons_only(cast, login, db_rows):
    client = login(cast.users.chamber1)
    assert [r["name"] for r in results(client.get(URL))] == ["王建国"]
    assert client.get(f"{URL}{cast.person2.pk}/").status_code == 404
    event = AuditEvent.objects.filter(action="denied").latest("id")
    assert event.detail["via"] == "api" and event.object_id == str(cast.person2.pk)
    assert login(cast.users.outsider_staff).get(f"{URL}{cast.person1.pk}/").status_code == 404
    assert [r["name"] for r in results(login(cast.users.outsider_staff).get(URL))] == ["刘南开"]


@pytest.mark.parametrize("role", ["dept1", "ent1", "auditor"])
def test_roles_without_the_member_registry_are_refused(cast, login, role):
    assert login(getattr(cast.users, role)).get(URL).status_code == 403


def test_filters_and_bad_filters(cast, login, db_rows):
    client = login(cast.users.staff)
    assert [r["name"] for r in results(client.get(URL + "?kind=cppcc"))] == ["陈浙江"]
    assert [r["name"] for r in results(client.get(URL + "?in_force=yes"))] == ["王建国"]
    assert [r["name"] for r in results(client.get(URL + "?q=czj"))] == ["陈浙江"]
    response = client.get(URL + "?kind=mayor")
    assert response.status_code == 400 and "kind" in response.json()


def test_writes_are_not_offered(cast, login, db_rows):
    client = login(cast.users.staff)
    assert client.post(URL, {}, content_type="application/json").status_code == 405
    assert client.delete(f"{URL}{cast.person1.pk}/").status_code == 405
