"""Staff create, edit and delete 非公经济人士 and their 企业任职; the persons export, audited and masked."""

import io
import json
import random
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from shanglian.audit.models import AuditAction, AuditEvent
from shanglian.common.codes import make_id_number, make_mobile
from shanglian.members.models import EnterpriseRole, Person
from shanglian.members.tests.refusals import assert_refused
from shanglian.orgs.models import Position, Term

_rng = random.Random(1718)


def person_data(**changes):
    data = {"name": "赵新增", "id_number": make_id_number(_rng, "120103", date(1990, 2, 3), female=True),
            "mobile": make_mobile(_rng), "is_new_generation": "on"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_staff_creates_a_person_gender_and_birth_year_from_the_id_and_no_pii_in_the_audit(cast, login):
    client = login(cast.users.staff)
    data = person_data()
    ident, mobile = data["id_number"], data["mobile"]
    response = client.post(reverse("members:person_create"), {**data, "id_number": ident[:17] + ident[17].lower()})
    person = Person.objects.get(name="赵新增")
    assert response.status_code == 302
    assert (person.gender, person.birth_year, person.id_number, person.mobile) == ("F", 1990, ident, mobile)
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="members.person", object_id=str(person.pk))
    assert {"field": "身份证号", "old": "", "new": "（已修改）"} in event.detail["changes"]
    text = json.dumps(event.detail, ensure_ascii=False)
    assert ident not in text and mobile not in text


@pytest.mark.parametrize(("changes", "field", "reason"), [
    ({"id_number": "12010319900203002X"}, "id_number", "身份证号码校验位错误。"),
    ({"id_number": ""}, "id_number", "请填写身份证号。"),
    ({"mobile": "138001380"}, "mobile", "手机号码应为11位数字，当前为9位。"),
    ({"gender": "M"}, "gender", "与身份证号不一致"),
])
def test_bad_person_values_are_refused_and_nothing_is_saved(cast, login, changes, field, reason):
    assert_refused(login(cast.users.staff), reverse("members:person_create"), person_data(**changes),
                   field=field, reason=reason, model=Person)


def test_a_registered_id_number_is_refused_as_a_duplicate(cast, login):
    client = login(cast.users.staff)
    response = client.post(reverse("members:person_create"), person_data(id_number=cast.person1.id_number))
    assert response.status_code == 400
    assert response.context["form"].errors["id_number"] == ["该身份证号已登记，请在非公经济人士中查找此人。"]


def test_editing_a_person_audits_the_changed_fields(cast, login):
    client = login(cast.users.staff)
    url = reverse("members:person_edit", args=[cast.person1.pk])
    data = {k: v for k, v in client.get(url).context["form"].initial.items() if v not in (None, False)}
    assert client.post(url, {**data, "name": "王建军"}).status_code == 302
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="members.person").latest("id")
    assert event.detail["changes"] == [{"field": "姓名", "old": "王建国", "new": "王建军"}]
    assert "王建国 → 王建军" in client.get(reverse("members:person_detail", args=[cast.person1.pk])).content.decode()


def test_enterprise_roles_are_added_and_removed_on_the_person_s_page_and_audited(cast, login):
    client = login(cast.users.staff)
    person = cast.person1
    client.post(reverse("members:person_role_add", args=[person.pk]), {"enterprise": cast.ent2.pk, "role": "chairman"})
    link = EnterpriseRole.objects.get(person=person, enterprise=cast.ent2)
    assert link.role == "chairman"
    response = client.post(reverse("members:person_role_add", args=[person.pk]),
                           {"enterprise": cast.ent2.pk, "role": "chairman"}, follow=True)
    assert "该任职已登记。" in response.content.decode()
    client.post(reverse("members:person_role_remove", args=[person.pk, link.pk]))
    assert not EnterpriseRole.objects.filter(pk=link.pk).exists()
    changes = [e.detail["changes"][0] for e in AuditEvent.objects.filter(
        object_type="members.person", object_id=str(person.pk), action=AuditAction.UPDATE).order_by("id")]
    assert changes == [{"field": "企业任职", "old": "", "new": "天津之江贸易有限公司 · 董事长"},
                       {"field": "企业任职", "old": "天津之江贸易有限公司 · 董事长", "new": ""}]


def test_deleting_a_person_with_a_position_or_membership_is_refused(cast, login):
    client = login(cast.users.staff)
    term = Term.objects.create(federation=cast.district, number=1, start=date(2022, 1, 1), end=date(2027, 1, 1))
    Position.objects.create(term=term, person=cast.person2, title="executive")
    response = client.post(reverse("members:person_delete", args=[cast.person2.pk]), follow=True)
    assert "不能删除非公经济人士“陈浙江”：还有职务 1 条与它关联" in response.content.decode()
    page = client.get(reverse("members:person_delete", args=[cast.person1.pk])).content.decode()
    assert "工商联会员 1 条" in page
    assert Person.objects.filter(pk__in=[cast.person1.pk, cast.person2.pk]).count() == 2


def test_a_person_with_only_enterprise_roles_is_deleted_with_them(cast, login):
    client = login(cast.users.staff)
    person = cast.person2  # legal representative of ent2, no membership
    response = client.post(reverse("members:person_delete", args=[person.pk]))
    assert response.status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()
    assert not EnterpriseRole.objects.filter(person_id=person.pk).exists()


@pytest.mark.parametrize("role", ["leader", "chamber1", "dept1", "ent1", "auditor"])
def test_only_editors_may_write_persons(cast, login, role):
    client = login(getattr(cast.users, role))
    for url in (reverse("members:person_create"), reverse("members:person_edit", args=[cast.person1.pk]),
                reverse("members:person_delete", args=[cast.person1.pk])):
        assert client.get(url).status_code == 403
    assert client.post(reverse("members:person_role_add", args=[cast.person1.pk]),
                       {"enterprise": cast.ent1.pk, "role": "other"}).status_code == 403
    assert EnterpriseRole.objects.filter(person=cast.person1).count() == 1


def test_person_list_offers_new_and_export_and_the_export_is_masked_and_audited(cast, login):
    client = login(cast.users.staff)
    page = client.get(reverse("members:person_list")).content.decode()
    assert reverse("members:person_create") in page and reverse("members:person_export") in page
    response = client.get(reverse("members:person_export"), {"q": "王", "pii": "1"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = next(row for row in rows if row and row[0] == "姓名")
    data = [row for row in rows if row and row[0] == "王建国"]
    assert len(data) == 1 and "陈浙江" not in str(rows)
    row = dict(zip(header, data[0], strict=False))
    assert row["身份证号"] != cast.person1.id_number and "*" in row["身份证号"]
    assert row["手机号"] != cast.person1.mobile and "*" in row["手机号"]
    assert row["任职企业"] == "天津友谊科技有限公司（法定代表人）"
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="members.person").latest("id")
    assert event.detail["rows"] == 1 and event.detail["pii"] is False and event.detail["filters"] == {"q": "王"}


def test_leader_sees_no_new_button_and_chamber_export_is_its_scope(cast, login):
    page = login(cast.users.leader).get(reverse("members:person_list")).content.decode()
    assert reverse("members:person_create") not in page and reverse("members:person_export") in page
    response = login(cast.users.chamber2).get(reverse("members:person_export"))
    assert "王建国" not in str(list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)))


def test_a_person_without_mobile_is_saved_with_an_empty_mobile(cast, login):
    client = login(cast.users.staff)
    assert client.post(reverse("members:person_create"), person_data(name="钱无号", mobile="")).status_code == 302
    assert Person.objects.get(name="钱无号").mobile == ""


def test_the_edit_form_never_shows_the_stored_id_number_or_mobile_and_blank_keeps_them(cast, login):
    client = login(cast.users.staff)
    person = cast.person1
    url = reverse("members:person_edit", args=[person.pk])
    response = client.get(url)
    page = response.content.decode()
    assert person.id_number not in page and person.mobile not in page
    assert f"已登记 {person.mobile[:3]}****{person.mobile[7:]}，留空则不修改" in page
    data = {k: v for k, v in response.context["form"].initial.items() if v not in (None, False)}
    assert client.post(url, {**data, "name": "王建国", "gender": ""}).status_code == 302
    stored = Person.objects.get(pk=person.pk)
    assert (stored.id_number, stored.mobile, stored.gender) == (person.id_number, person.mobile, "M")
    assert not AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="members.person").exists()
