"""The records kit: audited saves with their changes, deletions refused while anything depends on the
record, and the pages every staff form and delete confirmation share."""

import json

import pytest
from django.test import RequestFactory

from shanglian.audit.models import AuditAction, AuditEvent
from shanglian.common.errors import Refused
from shanglian.common.records import delete_or_refuse, dependents, history, record_saved, snapshot
from shanglian.members.models import EnterpriseRole, Person
from shanglian.orgs.models import Street
from shanglian.testing import (
    ensure_reference_data,
    make_chamber,
    make_enterprise,
    make_federation,
    make_person,
    make_street,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def federation():
    ensure_reference_data()
    return make_federation()


@pytest.fixture
def staff(federation):
    return make_user("staff", federation=federation)


def test_update_is_audited_with_the_changed_fields_by_their_labels(federation, staff):
    chamber = make_chamber(federation, name="旧名商会")
    before = snapshot(chamber)
    chamber.name, chamber.president = "新名商会", "王会长"
    chamber.save()
    event = record_saved(actor=staff, obj=chamber, before=before)
    assert event.action == AuditAction.UPDATE
    assert {"field": "商会名称", "old": "旧名商会", "new": "新名商会"} in event.detail["changes"]
    assert {"field": "会长", "old": "", "new": "王会长"} in event.detail["changes"]
    assert len(event.detail["changes"]) == 2


def test_a_save_that_changes_nothing_writes_no_audit_row(federation, staff):
    chamber = make_chamber(federation)
    before = snapshot(chamber)
    chamber.save()
    count = AuditEvent.objects.count()
    assert record_saved(actor=staff, obj=chamber, before=before) is None
    assert AuditEvent.objects.count() == count


def test_creation_lists_the_filled_fields_with_choices_shown_by_their_chinese_names(federation, staff):
    chamber = make_chamber(federation, name="测试行业商会", kind="industry")
    event = record_saved(actor=staff, obj=chamber)
    assert event.action == AuditAction.CREATE
    changes = {row["field"]: row["new"] for row in event.detail["changes"]}
    assert changes["商会名称"] == "测试行业商会"
    assert changes["类型"] == "行业商会"
    assert changes["所属工商联"] == federation.name


def test_a_personal_value_never_reaches_the_audit_row(federation, staff):
    person = make_person(federation, mobile="13800138000")
    before = snapshot(person)
    person.mobile = "13900139000"
    person.save()
    event = record_saved(actor=staff, obj=person, before=before)
    assert {"field": "手机号", "old": "******", "new": "（已修改）"} in event.detail["changes"]
    text = json.dumps(event.detail, ensure_ascii=False)
    assert "13900139000" not in text and "13800138000" not in text


def test_deletion_is_refused_naming_what_depends_and_nothing_is_deleted(federation, staff):
    street = make_street(federation)
    make_enterprise(federation, street=street)
    count = AuditEvent.objects.count()
    with pytest.raises(Refused) as refused:
        delete_or_refuse(actor=staff, obj=street)
    assert "企业 1 条" in refused.value.message
    assert Street.objects.filter(pk=street.pk).exists()
    assert AuditEvent.objects.count() == count


def test_deletion_without_dependents_is_done_and_audited(federation, staff):
    street = make_street(federation, name="空街道")
    delete_or_refuse(actor=staff, obj=street)
    assert not Street.objects.filter(pk=street.pk).exists()
    event = AuditEvent.objects.get(action=AuditAction.DELETE, object_type="orgs.street", object_id=str(street.pk))
    assert event.object_repr == "空街道"
    assert {"field": "名称", "old": "空街道", "new": ""} in event.detail["changes"]


def test_parts_named_along_go_with_the_record(federation, staff):
    enterprise = make_enterprise(federation)
    person = make_person(federation, enterprise=enterprise)
    assert dependents(person) == [("企业任职", 1)]
    assert dependents(person, along=("enterprise_roles",)) == []
    delete_or_refuse(actor=staff, obj=person, along=("enterprise_roles",))
    assert not Person.objects.filter(pk=person.pk).exists()
    assert not EnterpriseRole.objects.filter(enterprise=enterprise).exists()


def test_history_lists_the_records_own_changes_newest_first(federation, staff):
    chamber, other = make_chamber(federation), make_chamber(federation)
    record_saved(actor=staff, obj=chamber)
    before = snapshot(chamber)
    chamber.president = "李会长"
    chamber.save()
    record_saved(actor=staff, obj=chamber, before=before)
    record_saved(actor=staff, obj=other)
    assert [e.action for e in history(chamber)] == [AuditAction.UPDATE, AuditAction.CREATE]


def test_delete_page_shows_the_refusal_instead_of_the_button(federation, staff):
    from shanglian.ui.records import delete_page

    street = make_street(federation)
    make_enterprise(federation, street=street)
    request = RequestFactory().get("/")
    request.user = staff
    response = delete_page(request, obj=street, delete=lambda: None, cancel_url="/back/", done_url="/list/")
    page = response.content.decode()
    assert "不能删除街道（镇）" in page and "确认删除" not in page


def test_form_page_answers_400_for_a_form_with_errors(federation, staff):
    from django import forms

    from shanglian.ui.records import form_page

    class StreetForm(forms.ModelForm):
        class Meta:
            model = Street
            fields = ["name", "code"]

    request = RequestFactory().post("/", {"name": "", "code": "12"})
    request.user = staff
    form = StreetForm(request.POST)
    response = form_page(request, form=form, title="新增街道", cancel_url="/back/")
    assert response.status_code == 400
    page = response.content.decode()
    assert "街道代码应为 9 位或 12 位数字" in page and "请按提示修改标红的内容" in page
