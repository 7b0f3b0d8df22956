"""Staff create, edit and delete enterprises: the import's rules, the scope (a chamber secretary keeps its
own members, readers are refused), the audit with field names and no personal value, the history."""

import json
import random

import pytest
from django.urls import reverse

from shanglian.audit.models import AuditAction, AuditEvent
from shanglian.common.codes import make_mobile, make_uscc
from shanglian.common.models import DictItem
from shanglian.members.models import ChamberMembership, Enterprise
from shanglian.members.tests.refusals import assert_refused

_rng = random.Random(1717)


def enterprise_data(**changes):
    data = {"name": "天津新增科技有限公司", "uscc": make_uscc(_rng),
            "enterprise_type": DictItem.objects.get(kind="enterprise_type", code="private").pk,
            "industry": "6513", "size": "small", "is_local": "on", "founded": "2015-06-01", "employees": "35",
            "registered_capital": "500", "contact_name": "王联系", "contact_mobile": make_mobile(_rng)}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_staff_creates_an_enterprise_with_normalised_codes_and_an_audit_without_the_mobile(cast, login):
    client = login(cast.users.staff)
    uscc, mobile = make_uscc(_rng), make_mobile(_rng)
    typed_uscc = " " + uscc.lower()[:9] + "\u3000" + uscc.lower()[9:]  # spaces and lower case, as pasted
    response = client.post(reverse("members:enterprise_create"),
                            enterprise_data(uscc=typed_uscc, contact_mobile=f"+86 {mobile[:3]}-{mobile[3:]}"))
    enterprise = Enterprise.objects.get(name="天津新增科技有限公司")
    assert response.status_code == 302 and response["Location"] == reverse("members:enterprise_detail",
                                                                            args=[enterprise.pk])
    assert enterprise.uscc == uscc and enterprise.contact_mobile == mobile
    assert enterprise.federation == cast.district and enterprise.industry_id == "6513"
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="members.enterprise",
                                   object_id=str(enterprise.pk))
    fields = {change["field"] for change in event.detail["changes"]}
    assert {"企业名称", "统一社会信用代码", "联系人手机"} <= fields
    assert mobile not in json.dumps(event.detail, ensure_ascii=False)


@pytest.mark.parametrize(("changes", "field", "reason"), [
    ({"uscc": "91120103MA05L2XY3A"}, "uscc", "统一社会信用代码校验位错误。"),
    ({"uscc": "9112010"}, "uscc", "统一社会信用代码应为18位，当前为7位。"),
    ({"contact_mobile": "1380013800"}, "contact_mobile", "手机号码应为11位数字，当前为10位。"),
    ({"contact_mobile": "12800138000"}, "contact_mobile", "手机号码号段无效（应以13至19开头）。"),
    ({"industry": "65"}, "industry", "不是 GB/T 4754-2017 的小类代码（4 位数字，如 6513）"),
    ({"founded": "2099-01-01"}, "founded", "不能晚于今天"),
    ({"name": ""}, "name", "请填写企业名称。"),
])
def test_bad_values_are_refused_with_the_import_s_reasons_and_nothing_is_saved(cast, login, changes, field, reason):
    assert_refused(login(cast.users.staff), reverse("members:enterprise_create"), enterprise_data(**changes),
                   field=field, reason=reason, model=Enterprise)


def test_a_credit_code_already_registered_is_refused(cast, login):
    client = login(cast.users.staff)
    response = client.post(reverse("members:enterprise_create"), enterprise_data(uscc=cast.ent2.uscc))
    assert response.status_code == 400
    assert response.context["form"].errors["uscc"] == ["该统一社会信用代码已登记，请在会员企业中查找该企业。"]
    response = client.post(reverse("members:enterprise_create"), enterprise_data(uscc=cast.ent_other.uscc))
    assert response.context["form"].errors["uscc"] == ["该企业已登记在其他工商联，不能在此登记"]


def test_editing_audits_the_changed_fields_only_and_the_page_shows_the_history(cast, login):
    client = login(cast.users.staff)
    url = reverse("members:enterprise_edit", args=[cast.ent1.pk])
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, False)}
    data.update(employees="88", contact_mobile=make_mobile(_rng), is_local="on")
    response = client.post(url, data)
    assert response.status_code == 302
    cast.ent1.refresh_from_db()
    assert cast.ent1.employees == 88
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="members.enterprise").latest("id")
    assert event.detail["changes"] == [{"field": "从业人数", "old": "10", "new": "88"},
                                       {"field": "联系人手机", "old": "******", "new": "（已修改）"}]
    page = client.get(reverse("members:enterprise_detail", args=[cast.ent1.pk])).content.decode()
    assert "变更记录" in page and "从业人数" in page and "10 → 88" in page


def test_deleting_an_enterprise_with_memberships_is_refused_naming_them(cast, login):
    client = login(cast.users.staff)
    url = reverse("members:enterprise_delete", args=[cast.ent1.pk])
    page = client.get(url).content.decode()
    assert "不能删除企业“天津友谊科技有限公司”" in page and "工商联会员 1 条" in page and "商会会员 1 条" in page
    assert "确认删除" not in page
    response = client.post(url, follow=True)
    assert Enterprise.objects.filter(pk=cast.ent1.pk).exists()
    assert "不能删除企业" in response.content.decode()


def test_an_enterprise_nothing_depends_on_is_deleted_and_the_deletion_audited(cast, login):
    client = login(cast.users.staff)
    client.post(reverse("members:enterprise_create"), enterprise_data(name="天津待删有限公司"))
    enterprise = Enterprise.objects.get(name="天津待删有限公司")
    response = client.post(reverse("members:enterprise_delete", args=[enterprise.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("members:enterprise_list")
    assert not Enterprise.objects.filter(pk=enterprise.pk).exists()
    assert AuditEvent.objects.filter(action=AuditAction.DELETE, object_id=str(enterprise.pk),
                                     object_type="members.enterprise").exists()


def test_chamber_secretary_edits_its_own_member_and_gets_404_for_another_chamber_s(cast, login):
    client = login(cast.users.chamber1)
    own = client.get(reverse("members:enterprise_edit", args=[cast.ent1.pk]))
    assert own.status_code == 200
    data = {name: value for name, value in own.context["form"].initial.items() if value not in (None, False)}
    assert client.post(reverse("members:enterprise_edit", args=[cast.ent1.pk]),
                       {**data, "address": "友谊路 1 号"}).status_code == 302
    cast.ent1.refresh_from_db()
    assert cast.ent1.address == "友谊路 1 号"
    assert client.get(reverse("members:enterprise_edit", args=[cast.ent2.pk])).status_code == 404
    assert client.post(reverse("members:enterprise_edit", args=[cast.ent2.pk]), data).status_code == 404
    assert client.get(reverse("members:enterprise_delete", args=[cast.ent1.pk])).status_code == 403


def test_chamber_secretary_s_new_enterprise_joins_its_chamber(cast, login):
    client = login(cast.users.chamber1)
    form = client.get(reverse("members:enterprise_create")).context["form"]
    assert "joined" in form.fields
    response = client.post(reverse("members:enterprise_create"), enterprise_data(name="天津入会有限公司"))
    assert response.status_code == 400 and response.context["form"].errors["joined"] == ["请填写入会日期。"]
    response = client.post(reverse("members:enterprise_create"),
                           enterprise_data(name="天津入会有限公司", joined="2025-05-01"))
    enterprise = Enterprise.objects.get(name="天津入会有限公司")
    assert response.status_code == 302
    membership = ChamberMembership.objects.get(enterprise=enterprise)
    assert membership.chamber == cast.chamber1 and membership.joined.isoformat() == "2025-05-01"
    assert client.get(reverse("members:enterprise_edit", args=[enterprise.pk])).status_code == 200


@pytest.mark.parametrize("role", ["leader", "dept1", "ent1", "auditor"])
def test_readers_and_other_roles_are_refused_the_enterprise_write_pages(cast, login, role):
    client = login(getattr(cast.users, role))
    for url in (reverse("members:enterprise_create"), reverse("members:enterprise_edit", args=[cast.ent1.pk]),
                reverse("members:enterprise_delete", args=[cast.ent1.pk])):
        assert client.get(url).status_code == 403
        assert client.post(url, enterprise_data()).status_code == 403
    assert not Enterprise.objects.filter(name="天津新增科技有限公司").exists()


def test_buttons_are_shown_to_who_may_use_them(cast, login):
    detail = reverse("members:enterprise_detail", args=[cast.ent1.pk])
    edit, delete = (reverse(f"members:enterprise_{page}", args=[cast.ent1.pk]) for page in ("edit", "delete"))
    create = reverse("members:enterprise_create")
    page = login(cast.users.staff).get(detail).content.decode()
    assert edit in page and delete in page
    assert create in login(cast.users.staff).get(reverse("members:enterprise_list")).content.decode()
    page = login(cast.users.chamber1).get(detail).content.decode()
    assert edit in page and delete not in page
    page = login(cast.users.leader).get(detail).content.decode()
    assert edit not in page and delete not in page and "变更记录" in page
    assert create not in login(cast.users.leader).get(reverse("members:enterprise_list")).content.decode()
    page = login(cast.users.ent1).get(detail).content.decode()
    assert edit not in page and "变更记录" not in page


def test_outsider_staff_gets_404_for_another_federation_s_enterprise(cast, login):
    client = login(cast.users.outsider_staff)
    assert client.get(reverse("members:enterprise_edit", args=[cast.ent1.pk])).status_code == 404
    assert client.post(reverse("members:enterprise_delete", args=[cast.ent1.pk])).status_code == 404


def test_optional_fields_left_empty_are_stored_empty(cast, login):
    client = login(cast.users.staff)
    data = enterprise_data(name="天津空白有限公司", contact_mobile="", contact_name="", founded="", employees="",
                           registered_capital="", size="")
    assert client.post(reverse("members:enterprise_create"), data).status_code == 302
    enterprise = Enterprise.objects.get(name="天津空白有限公司")
    assert (enterprise.contact_mobile, enterprise.contact_name, enterprise.size) == ("", "", "")
    assert enterprise.founded is None and enterprise.employees is None and not enterprise.is_high_tech


def test_the_edit_form_never_shows_the_stored_contact_mobile(cast, login):
    client = login(cast.users.chamber1)
    response = client.get(reverse("members:enterprise_edit", args=[cast.ent1.pk]))
    assert cast.ent1.contact_mobile not in response.content.decode()
    data = {k: v for k, v in response.context["form"].initial.items() if v not in (None, False)}
    assert client.post(reverse("members:enterprise_edit", args=[cast.ent1.pk]), data).status_code == 302
    assert Enterprise.objects.get(pk=cast.ent1.pk).contact_mobile == cast.ent1.contact_mobile


def test_deleting_an_enterprise_with_an_appeal_is_refused_naming_it(cast, login):
    from shanglian.appeals.tests.factories import submit
    from shanglian.testing import make_enterprise

    enterprise = make_enterprise(cast.district, name="天津有诉求有限公司")
    submit(cast, actor=cast.users.staff, enterprise=enterprise)
    response = login(cast.users.staff).post(reverse("members:enterprise_delete", args=[enterprise.pk]), follow=True)
    assert "不能删除企业“天津有诉求有限公司”：还有诉求 1 条与它关联" in response.content.decode()
    assert Enterprise.objects.filter(pk=enterprise.pk).exists()
