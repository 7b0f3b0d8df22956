"""服务企业（双万双服） pages: who may open which, what each reader's list holds (a chamber secretary its active
members' enrollments only), the filters, the audited export, 纳入/编辑/退出/删除 by the editors (a leader and a
chamber secretary 403), bad input answered in Chinese (400) with nothing written, another scope's enrollment 404."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.common.models import DictItem
from shanglian.growth.models import ServiceEnrollment

LIST = reverse("growth:enrollments")
READERS = ["admin", "staff", "leader", "chamber1", "chamber2", "outsider_staff"]
REFUSED = ["dept1", "ent1", "auditor"]


@pytest.fixture
def data(cast):
    staff = cast.users.staff
    return {
        "e1": testing.make_enrollment(cast.ent1, by=staff, liaison=cast.users.leader),
        "e2": testing.make_enrollment(cast.ent2, by=staff, enrolled_on=date(2024, 1, 1), ended_on=date(2024, 12, 31)),
        "other": testing.make_enrollment(cast.ent_other, by=cast.users.outsider_staff),
    }


def names(response):
    return {row["cells"][0]["text"] for row in response.context["rows"]}


def url(name, enrollment):
    return reverse(f"growth:{name}", args=[enrollment.pk])


@pytest.mark.parametrize("role", REFUSED)
def test_department_enterprise_and_auditor_are_refused_every_enrollment_page(cast, data, login, role):
    client = login(getattr(cast.users, role))
    for name in ("growth:enrollments", "growth:enrollments_export", "growth:enrollment_create",
                 "growth:enrollment_import"):
        assert client.get(reverse(name)).status_code == 403, name
    for name in ("enrollment", "enrollment_edit", "enrollment_end", "enrollment_delete"):
        assert client.get(url(name, data["e1"])).status_code == 403, name


def test_staff_lists_every_enrollment_of_its_federation(cast, data, login):
    response = login(cast.users.staff).get(LIST)
    assert response.status_code == 200
    assert names(response) == {cast.ent1.name, cast.ent2.name}


def test_chamber_secretary_lists_its_active_members_enrollments_only(cast, data, login):
    assert names(login(cast.users.chamber1).get(LIST)) == {cast.ent1.name}


def test_status_filter_finds_in_force_and_ended(cast, data, login):
    client = login(cast.users.staff)
    assert names(client.get(LIST, {"status": "in_force"})) == {cast.ent1.name}
    assert names(client.get(LIST, {"status": "ended"})) == {cast.ent2.name}
    assert names(client.get(LIST, {"status": "in_force", "on": "2024-06-01"})) == {cast.ent2.name}


def test_search_by_name_liaison_and_chamber(cast, data, login):
    client = login(cast.users.staff)
    assert names(client.get(LIST, {"q": "之江"})) == {cast.ent2.name}
    assert names(client.get(LIST, {"liaison": cast.users.leader.pk})) == {cast.ent1.name}
    assert names(client.get(LIST, {"chamber": cast.chamber2.pk})) == {cast.ent2.name}


def test_export_holds_the_listed_rows_and_is_audited(cast, data, login):
    response = login(cast.users.chamber1).get(reverse("growth:enrollments_export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("企业名称", "统一社会信用代码", "所在街道", "服务项目")
    assert [r[0] for r in rows[1:]] == [cast.ent1.name]
    assert AuditEvent.objects.filter(action="export", object_type="growth.serviceenrollment").exists()


@pytest.mark.parametrize("role", READERS)
def test_readers_open_an_enrollment_of_their_scope_and_get_404_outside(cast, data, login, role):
    client = login(getattr(cast.users, role))
    mine = data["other"] if role == "outsider_staff" else data["e1"]
    theirs = data["e1"] if role in ("outsider_staff", "chamber2") else data["other"]
    assert client.get(url("enrollment", mine)).status_code == (404 if role == "chamber2" else 200)
    assert client.get(url("enrollment", theirs)).status_code == 404


def test_detail_shows_programme_liaison_and_history_to_editors(cast, data, login):
    content = login(cast.users.staff).get(url("enrollment", data["e1"])).content.decode()
    assert "双万双服" in content and cast.users.leader.display_name in content and "变更记录" in content
    content = login(cast.users.leader).get(url("enrollment", data["e1"])).content.decode()
    assert "编辑" not in content.split("服务信息")[0]


@pytest.mark.parametrize("role", ["leader", "chamber1"])
def test_readers_may_not_write(cast, data, login, role):
    client = login(getattr(cast.users, role))
    assert client.get(reverse("growth:enrollment_create")).status_code == 403
    for name in ("enrollment_edit", "enrollment_end", "enrollment_delete"):
        assert client.get(url(name, data["e1"])).status_code == 403
        assert client.post(url(name, data["e1"]), {"ended_on": "2025-06-01"}).status_code == 403
    data["e1"].refresh_from_db()
    assert data["e1"].ended_on is None


def test_another_federations_staff_gets_404_on_the_write_pages(cast, data, login):
    client = login(cast.users.outsider_staff)
    for name in ("enrollment_edit", "enrollment_end", "enrollment_delete"):
        assert client.get(url(name, data["e1"])).status_code == 404


def test_staff_enrolls_through_the_form(cast, login):
    programme = DictItem.objects.get(kind="service_programme", code="shuangwan")
    response = login(cast.users.staff).post(reverse("growth:enrollment_create"), {
        "enterprise": cast.ent2.pk, "programme": programme.pk, "enrolled_on": "2025-04-01",
        "liaison": cast.users.staff.pk, "note": "首批"})
    enrollment = ServiceEnrollment.objects.get()
    assert response.status_code == 302 and response["Location"] == enrollment.get_absolute_url()
    assert (enrollment.enterprise, enrollment.note, enrollment.federation) == (cast.ent2, "首批", cast.district)


def test_a_duplicate_enrollment_through_the_form_is_400_in_chinese_and_writes_nothing(cast, data, login):
    programme = data["e1"].programme
    response = login(cast.users.staff).post(reverse("growth:enrollment_create"), {
        "enterprise": cast.ent1.pk, "programme": programme.pk, "enrolled_on": "2025-04-01"})
    assert response.status_code == 400
    assert "该企业已纳入“双万双服”" in response.content.decode()
    assert ServiceEnrollment.objects.filter(enterprise=cast.ent1).count() == 1


def test_missing_fields_are_400_in_chinese(cast, login):
    response = login(cast.users.staff).post(reverse("growth:enrollment_create"), {"enrolled_on": "明天"})
    content = response.content.decode()
    assert response.status_code == 400
    assert "请选择企业" in content and "纳入日期格式应为 2026-11-22" in content
    assert not ServiceEnrollment.objects.exists()


def test_staff_ends_an_enrollment_and_the_end_page_refuses_a_bad_date(cast, data, login):
    client = login(cast.users.staff)
    response = client.post(url("enrollment_end", data["e1"]), {"ended_on": "2020-01-01"})
    assert response.status_code == 400 and "退出日期不能早于纳入日期" in response.content.decode()
    response = client.post(url("enrollment_end", data["e1"]), {"ended_on": "2025-08-01"})
    assert response.status_code == 302
    data["e1"].refresh_from_db()
    assert data["e1"].ended_on == date(2025, 8, 1)


def test_staff_edits_and_deletes(cast, data, login):
    client = login(cast.users.staff)
    e1 = data["e1"]
    response = client.post(url("enrollment_edit", e1), {
        "enterprise": cast.ent1.pk, "programme": e1.programme_id, "enrolled_on": "2025-02-02", "liaison": "",
        "note": "调整"})
    assert response.status_code == 302
    e1.refresh_from_db()
    assert (e1.enrolled_on, e1.liaison, e1.note) == (date(2025, 2, 2), None, "调整")
    assert client.get(url("enrollment_delete", e1)).status_code == 200
    assert client.post(url("enrollment_delete", e1)).status_code == 302
    assert not ServiceEnrollment.objects.filter(pk=e1.pk).exists()
