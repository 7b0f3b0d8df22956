"""Staff add, edit and delete every organisation record on its own pages: the model's rules with
Chinese messages (nothing saved on a refusal), every change audited with its fields, deletion refused
while anything depends on the record (and nothing deleted)."""

import pytest
from django.urls import reverse

from shanglian.appeals.models import Status
from shanglian.appeals.tests.factories import make_appeal
from shanglian.audit.models import AuditEvent
from shanglian.common.codes import make_uscc
from shanglian.orgs.models import Chamber, Committee, Department, Position, Street, Term, Village

# kind → (model, a valid form, the field whose new value shows the record was saved)
VALID = {
    "chamber": (Chamber, {"name": "河西区江苏商会", "kind": "nonlocal", "status": "active", "president": "周会长"}),
    "committee": (Committee, {"name": "法律维权委员会", "duties": "为会员企业提供法律服务", "order": "3"}),
    "department": (Department, {"name": "区市场监管局", "short_name": "市场监管", "contact": "赵科长",
                                "phone": "022-23456789", "is_active": "on"}),
    "street": (Street, {"name": "陈塘庄街道", "code": "120103013", "is_town": ""}),
    "village": (Village, {"name": "大北涧沽村", "county": "宁河区", "region_code": "120221103201",
                          "is_target": "on"}),
    "term": (Term, {"number": "9", "start": "2027-01-01", "end": "2031-12-31"}),
}


def _changes(event):
    return {c["field"]: (c["old"], c["new"]) for c in event.detail["changes"]}


@pytest.mark.parametrize("kind", list(VALID))
def test_staff_creates_a_record_and_its_creation_is_audited(cast, org, login, kind):
    model, data = VALID[kind]
    response = login(cast.users.staff).post(reverse(f"orgs:{kind}_create"), data)
    created = model.objects.order_by("-id").first()
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()
    assert created.federation == cast.district
    event = AuditEvent.objects.filter(action="create", object_type=f"orgs.{kind}").latest("id")
    assert event.object_id == str(created.pk) and event.username == "staff"
    assert event.detail["changes"]  # the fields it was created with
    page = login(cast.users.staff).get(created.get_absolute_url()).content.decode()
    assert "变更记录" in page and "新增" in page


def _edit(login, user, kind, obj, **changes):
    response = login(user).get(reverse(f"orgs:{kind}_edit", args=[obj.pk]))
    assert response.status_code == 200
    initial = {bound.name: bound.value() for bound in response.context["form"] if bound.value() is not None}
    initial = {k: ("on" if v is True else "" if v is False else v) for k, v in initial.items()}
    initial = {k: [str(x) for x in v] if isinstance(v, list) else v for k, v in initial.items()}
    return login(user).post(reverse(f"orgs:{kind}_edit", args=[obj.pk]), {**initial, **changes})


@pytest.mark.parametrize(("kind", "target", "field", "label", "new"), [
    ("chamber", "chamber2", "secretary_general", "秘书长", "钱秘书"),
    ("committee", "committee", "name", "名称", "民营经济发展委员会"),
    ("department", "dept2", "contact", "联络人", "孙主任"),
    ("street", "street", "name", "名称", "友谊路街"),
    ("village", "village", "is_target", "帮扶对象", ""),
    ("term", "term", "end", "届满日期", "2027-01-31"),
])
def test_staff_edits_a_record_and_the_changes_are_audited_and_shown(cast, org, login, kind, target, field, label,
                                                                   new):
    obj = getattr(cast, target, None) or getattr(org, target)
    response = _edit(login, cast.users.staff, kind, obj, **{field: new})
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="update", object_type=f"orgs.{kind}", object_id=str(obj.pk)).get()
    old, shown = _changes(event)[label]
    assert old != shown
    page = login(cast.users.staff).get(obj.get_absolute_url()).content.decode()
    assert label in page and "修改" in page  # the 变更记录 row


def test_saving_an_unchanged_form_writes_no_audit_row(cast, org, login):
    assert _edit(login, cast.users.staff, "committee", org.committee).status_code == 302
    assert not AuditEvent.objects.filter(action="update", object_type="orgs.committee").exists()


@pytest.mark.parametrize(("kind", "target"), [("committee", "committee"), ("village", "village"),
                                              ("street", None), ("department", None), ("chamber", None)])
def test_staff_deletes_a_record_nothing_depends_on(cast, org, login, kind, target):
    model = VALID[kind][0]
    obj = getattr(org, target) if target else None
    if kind == "committee":
        org.position.delete()
    if obj is None:
        login(cast.users.staff).post(reverse(f"orgs:{kind}_create"), VALID[kind][1])
        obj = model.objects.order_by("-id").first()
    client = login(cast.users.staff)
    assert "确认删除" in client.get(reverse(f"orgs:{kind}_delete", args=[obj.pk])).content.decode()
    response = client.post(reverse(f"orgs:{kind}_delete", args=[obj.pk]))
    assert response.status_code == 302 and not model.objects.filter(pk=obj.pk).exists()
    event = AuditEvent.objects.filter(action="delete", object_type=f"orgs.{kind}", object_id=str(obj.pk)).get()
    assert event.username == "staff"


@pytest.mark.parametrize(("kind", "target", "named"), [
    ("chamber", "chamber1", "商会会员"),      # a chamber with members
    ("street", "street", "企业"),             # a street with enterprises (and a chamber)
    ("department", "dept1", "用户"),          # a department with its handlers' accounts
    ("committee", "committee", "职务"),       # a committee named by positions
    ("term", "term", "职务"),                 # a term with positions
])
def test_deleting_a_record_others_depend_on_is_refused_naming_them(cast, org, login, kind, target, named):
    obj = getattr(cast, target, None) or getattr(org, target)
    model = type(obj)
    client = login(cast.users.staff)
    confirm = client.get(reverse(f"orgs:{kind}_delete", args=[obj.pk])).content.decode()
    assert "不能删除" in confirm and named in confirm and "确认删除" not in confirm
    response = client.post(reverse(f"orgs:{kind}_delete", args=[obj.pk]), follow=True)
    body = response.content.decode()
    assert "不能删除" in body and named in body
    assert model.objects.filter(pk=obj.pk).exists()
    assert not AuditEvent.objects.filter(action="delete", object_type=f"orgs.{kind}").exists()


def test_a_department_with_assignments_cannot_be_deleted(cast, login):
    cast.dept2.users.all().delete()
    make_appeal(cast, Status.ASSIGNED, departments=[cast.dept2])
    response = login(cast.users.staff).post(reverse("orgs:department_delete", args=[cast.dept2.pk]), follow=True)
    assert "派单" in response.content.decode()
    assert Department.objects.filter(pk=cast.dept2.pk).exists()


# --- refusals: nothing saved, a Chinese message, 400 ------------------------------------------------------
@pytest.mark.parametrize(("kind", "data", "message"), [
    ("chamber", {**VALID["chamber"][1], "name": "河西区浙江商会"}, "本工商联已有同名的商会。"),
    ("committee", {**VALID["committee"][1], "name": "河西经济发展委员会"}, "本工商联已有同名的专门委员会。"),
    ("department", {**VALID["department"][1], "name": "区税务局"}, "本工商联已有同名的职能部门。"),
    ("street", {**VALID["street"][1], "name": "友谊路街道"}, "本工商联已有同名的街道（镇）。"),
    ("village", {**VALID["village"][1], "name": "河西王庄村"}, "本工商联在该县（区）已有同名的帮扶村。"),
    ("term", {**VALID["term"][1], "number": "8"}, "工商联本级已有这一届。"),
    ("street", {**VALID["street"][1], "code": "12010301"}, "街道代码应为 9 位或 12 位数字。"),
    ("street", {**VALID["street"][1], "code": "12010A001"}, "街道代码应为 9 位或 12 位数字。"),
    ("village", {**VALID["village"][1], "region_code": "1202211032"}, "12 位数字"),
    ("term", {**VALID["term"][1], "start": "2027-01-01", "end": "2026-12-31"}, "届满日期不能早于起始日期。"),
    ("term", {**VALID["term"][1], "start": "2027-13-01"}, "日期格式应为 2026-11-22。"),
    ("chamber", {**VALID["chamber"][1], "registration_number": "91120103MA05X1234"}, "统一社会信用代码"),
])
def test_a_refused_form_says_why_in_chinese_and_saves_nothing(cast, org, login, kind, data, message):
    model = VALID[kind][0]
    before = model.objects.count()
    response = login(cast.users.staff).post(reverse(f"orgs:{kind}_create"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert model.objects.count() == before
    assert not AuditEvent.objects.filter(action="create", object_type=f"orgs.{kind}").exists()


def test_a_street_code_already_used_is_refused(cast, login):
    response = login(cast.users.staff).post(reverse("orgs:street_create"),
                                            {**VALID["street"][1], "code": cast.street.code})
    assert response.status_code == 400 and "该街道代码已被其他街道（镇）使用。" in response.content.decode()


def test_the_same_name_is_allowed_in_another_federation(cast, login):
    response = login(cast.users.outsider_staff).post(reverse("orgs:chamber_create"),
                                                     {**VALID["chamber"][1], "name": "河西区浙江商会"})
    assert response.status_code == 302
    assert Chamber.objects.get(federation=cast.other, name="河西区浙江商会")


def test_a_registration_number_is_normalised_like_the_import(cast, login):
    uscc = make_uscc(__import__("random").Random(3), authority="5")
    spaced = " ".join([uscc[:6], uscc[6:12], uscc[12:]]).lower()
    response = login(cast.users.staff).post(reverse("orgs:chamber_create"),
                                            {**VALID["chamber"][1], "registration_number": spaced})
    assert response.status_code == 302
    assert Chamber.objects.get(name="河西区江苏商会").registration_number == uscc


def test_a_chamber_term_belongs_to_the_chambers_federation_and_its_number_to_the_chamber(cast, org, login):
    client = login(cast.users.staff)
    data = {**VALID["term"][1], "number": "8", "chamber": str(cast.chamber1.pk)}
    assert client.post(reverse("orgs:term_create"), data).status_code == 302  # the federation's 8th is not its
    term = Term.objects.get(chamber=cast.chamber1)
    assert term.federation == cast.district and str(term) == "友谊路街道商会第8届"
    response = client.post(reverse("orgs:term_create"), data)
    assert response.status_code == 400 and "该商会已有这一届。" in response.content.decode()
    ninth = Term.objects.create(federation=cast.district, chamber=cast.chamber1, number=9, start="2027-01-01")
    response = client.post(reverse("orgs:term_edit", args=[ninth.pk]), {"number": "8", "start": "2027-01-01"})
    assert response.status_code == 400 and "该商会已有这一届。" in response.content.decode()


# --- positions ---------------------------------------------------------------------------------------------
def test_staff_adds_a_position_on_the_terms_page_and_it_is_in_the_terms_history(cast, org, login):
    client = login(cast.users.staff)
    assert reverse("orgs:position_create", args=[org.term.pk]) in client.get(org.term.get_absolute_url()).content.decode()
    response = client.post(reverse("orgs:position_create", args=[org.term.pk]), {
        "person": cast.person2.pk, "title": "standing", "committee": org.committee.pk,
        "start": "2022-03-01", "end": ""})
    assert response.status_code == 302 and response["Location"] == org.term.get_absolute_url()
    position = Position.objects.get(person=cast.person2)
    event = AuditEvent.objects.get(action="create", object_type="orgs.position", object_id=str(position.pk))
    assert event.detail["term"] == org.term.pk and _changes(event)["职务"] == ("", "常委")
    page = client.get(org.term.get_absolute_url()).content.decode()
    assert "陈浙江" in page and "常委" in page and "陈浙江（" in page
    assert "陈浙江" in client.get(org.committee.get_absolute_url()).content.decode()


def test_a_position_ending_before_it_starts_is_refused(cast, org, login):
    response = login(cast.users.staff).post(reverse("orgs:position_create", args=[org.term.pk]), {
        "person": cast.person2.pk, "title": "standing", "start": "2023-03-01", "end": "2023-01-01"})
    assert response.status_code == 400 and "离任日期不能早于任职日期。" in response.content.decode()
    assert not Position.objects.filter(person=cast.person2).exists()


def test_a_position_naming_a_person_of_another_federation_is_refused(cast, org, login):
    other_person = org.other.position.person
    response = login(cast.users.staff).post(reverse("orgs:position_create", args=[org.term.pk]), {
        "person": other_person.pk, "title": "standing"})
    assert response.status_code == 400 and "请从列表中选择本工商联的人员。" in response.content.decode()


def test_staff_edits_and_deletes_a_position_and_both_stay_in_the_terms_history(cast, org, login):
    client = login(cast.users.staff)
    response = client.post(reverse("orgs:position_edit", args=[org.position.pk]), {
        "person": cast.person1.pk, "title": "chairman", "committee": org.committee.pk, "start": "2022-01-01"})
    assert response.status_code == 302
    assert _changes(AuditEvent.objects.get(action="update", object_type="orgs.position"))["职务"] == ("副主席", "主席")
    pk = org.position.pk
    assert client.post(reverse("orgs:position_delete", args=[pk])).status_code == 302
    assert not Position.objects.filter(pk=pk).exists()
    page = client.get(org.term.get_absolute_url()).content.decode()
    assert page.count("王建国（") == 3 and "删除" in page  # its creation, the update and the deletion
