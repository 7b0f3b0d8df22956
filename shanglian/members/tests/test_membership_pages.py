"""Staff create, edit and delete federation memberships (企业/个人/团体会员) and chamber memberships (商会会员):
the import's rules (kind and member, status and dates, left ≥ joined, unique 会员证号), the scope, the audit."""

from datetime import date

import pytest
from django.urls import reverse

from shanglian.audit.models import AuditAction, AuditEvent
from shanglian.members.models import ChamberMembership, DuesRecord, Membership
from shanglian.members.tests.refusals import assert_refused
from shanglian.testing import make_enterprise


def membership_data(**changes):
    data = {"kind": "enterprise", "number": "HX-2025-0100", "joined": "2025-03-01", "status": "active",
            "body_position": "member"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def new_enterprise(cast):
    return make_enterprise(cast.district, name="天津待入会有限公司")


def test_staff_registers_an_enterprise_member_and_the_creation_is_audited(cast, login, new_enterprise):
    client = login(cast.users.staff)
    response = client.post(reverse("members:membership_create"), membership_data(enterprise=new_enterprise.pk))
    membership = Membership.objects.get(enterprise=new_enterprise)
    assert response.status_code == 302 and response["Location"] == reverse("members:membership_detail",
                                                                            args=[membership.pk])
    assert (membership.federation, membership.kind, membership.number) == (cast.district, "enterprise", "HX-2025-0100")
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="members.membership",
                                   object_id=str(membership.pk))
    assert {"field": "会员类型", "old": "", "new": "企业会员"} in event.detail["changes"]
    page = client.get(reverse("members:membership_detail", args=[membership.pk])).content.decode()
    assert "变更记录" in page and "编辑" in page and "删除" in page


@pytest.mark.parametrize(("changes", "field", "reason"), [
    ({"enterprise": None}, "enterprise", "企业会员必填"),
    ({"person": "person1"}, "person", "仅适用于企业会员"),
    ({"number": "HX-2020-0002"}, "number", "已被其他会员使用"),
    ({"status": "left", "left": "2025-01-01"}, "left", "不能早于入会日期"),
    ({"status": "left"}, "left", "状态为“退会”时必填"),
    ({"left_reason": "迁出"}, "left_reason", "仅在状态为“退会”时填写"),
    ({"status": "suspended"}, "suspended_on", "状态为“暂停”时必填"),
    ({"suspended_on": "2025-04-01"}, "suspended_on", "仅在状态为“暂停”时填写"),
    ({"joined": "2099-01-01"}, "joined", "不能晚于今天"),
    ({"joined": "2025-02-30"}, "joined", "入会日期格式应为 2026-11-22。"),
])
def test_bad_memberships_are_refused_with_the_import_s_reasons(cast, login, new_enterprise, changes, field, reason):
    if changes.get("person"):
        changes["person"] = getattr(cast, changes["person"]).pk
    assert_refused(login(cast.users.staff), reverse("members:membership_create"),
                   membership_data(**{"enterprise": new_enterprise.pk, **changes}),
                   field=field, reason=reason, model=Membership)


def test_a_member_already_registered_is_refused(cast, login):
    response = login(cast.users.staff).post(reverse("members:membership_create"),
                                            membership_data(enterprise=cast.ent1.pk, number=""))
    assert response.status_code == 400
    assert response.context["form"].errors["enterprise"] == ["已是本工商联会员，请在工商联会员中查找并编辑。"]


def test_individual_and_group_members_are_registered(cast, login):
    client = login(cast.users.staff)
    cast.memberships.person1.delete()
    assert client.post(reverse("members:membership_create"),
                       membership_data(kind="individual", person=cast.person1.pk, number="")).status_code == 302
    assert client.post(reverse("members:membership_create"),
                       membership_data(kind="group", group=cast.chamber2.pk, number="")).status_code == 302
    assert Membership.objects.filter(person=cast.person1, kind="individual").exists()
    assert Membership.objects.filter(group=cast.chamber2, kind="group").exists()


def test_a_membership_left_is_edited_and_only_its_changes_are_audited(cast, login):
    client = login(cast.users.staff)
    membership = cast.memberships.ent2
    url = reverse("members:membership_edit", args=[membership.pk])
    form = client.get(url).context["form"]
    assert "kind" not in form.fields and "enterprise" not in form.fields
    response = client.post(url, membership_data(number="HX-2020-0002", joined="2020-01-01", status="left",
                                                 left="2024-12-31", left_reason="企业迁出", kind=None))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.status, membership.left) == ("left", date(2024, 12, 31))
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(membership.pk),
                                      object_type="members.membership").latest("id")
    assert {change["field"] for change in event.detail["changes"]} == {"状态", "退会日期", "退会原因"}


def test_left_before_joined_is_refused_on_edit(cast, login):
    client = login(cast.users.staff)
    url = reverse("members:membership_edit", args=[cast.memberships.ent2.pk])
    response = client.post(url, membership_data(number="HX-2020-0002", joined="2020-01-01", status="left",
                                                left="2019-12-31", kind=None))
    assert response.status_code == 400 and response.context["form"].errors["left"] == ["不能早于入会日期"]
    cast.memberships.ent2.refresh_from_db()
    assert cast.memberships.ent2.status == "active"


def test_a_membership_with_dues_is_not_deleted_one_without_is(cast, login):
    client = login(cast.users.staff)
    with_dues = cast.memberships.ent1
    DuesRecord.objects.create(membership=with_dues, year=2024, amount=500, paid_on=date(2024, 3, 1))
    response = client.post(reverse("members:membership_delete", args=[with_dues.pk]), follow=True)
    assert "还有会费记录 1 条与它关联" in response.content.decode()
    assert Membership.objects.filter(pk=with_dues.pk).exists()
    response = client.post(reverse("members:membership_delete", args=[cast.memberships.ent2.pk]))
    assert response.status_code == 302 and not Membership.objects.filter(pk=cast.memberships.ent2.pk).exists()
    assert AuditEvent.objects.filter(action=AuditAction.DELETE, object_type="members.membership").count() == 1


@pytest.mark.parametrize("role", ["leader", "chamber1", "dept1", "ent1", "auditor"])
def test_only_editors_write_federation_memberships(cast, login, role):
    client = login(getattr(cast.users, role))
    pk = cast.memberships.ent1.pk
    for url in (reverse("members:membership_create"), reverse("members:membership_edit", args=[pk]),
                reverse("members:membership_delete", args=[pk])):
        assert client.get(url).status_code == 403
        assert client.post(url, membership_data()).status_code == 403
    assert Membership.objects.filter(pk=pk).exists()


def test_outsider_staff_gets_404_for_another_federation_s_membership(cast, login):
    client = login(cast.users.outsider_staff)
    assert client.get(reverse("members:membership_edit", args=[cast.memberships.ent1.pk])).status_code == 404
    assert client.get(reverse("members:membership_detail", args=[cast.memberships.ent1.pk])).status_code == 404


def test_membership_list_offers_new_to_editors_only(cast, login):
    url = reverse("members:membership_create")
    assert url in login(cast.users.staff).get(reverse("members:membership_list")).content.decode()
    assert url not in login(cast.users.leader).get(reverse("members:membership_list")).content.decode()


# --- 商会会员 ----------------------------------------------------------------------------------------
def chamber_data(**changes):
    data = {"joined": "2025-03-01", "status": "active", "position": "理事"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_staff_adds_an_enterprise_to_a_chamber(cast, login, new_enterprise):
    client = login(cast.users.staff)
    response = client.post(reverse("members:chamber_membership_create"),
                           chamber_data(chamber=cast.chamber2.pk, enterprise=new_enterprise.pk))
    membership = ChamberMembership.objects.get(enterprise=new_enterprise)
    assert response.status_code == 302 and membership.chamber == cast.chamber2 and membership.position == "理事"
    response = client.post(reverse("members:chamber_membership_create"),
                           chamber_data(chamber=cast.chamber2.pk, enterprise=new_enterprise.pk))
    assert response.context["form"].errors["enterprise"] == ["该企业已是本商会会员，请在商会会员中查找并编辑。"]


def test_chamber_secretary_edits_its_own_chamber_s_member_not_another_s(cast, login):
    client = login(cast.users.chamber1)
    own = ChamberMembership.objects.get(chamber=cast.chamber1, enterprise=cast.ent1)
    other = ChamberMembership.objects.get(chamber=cast.chamber2, enterprise=cast.ent2)
    response = client.post(reverse("members:chamber_membership_edit", args=[own.pk]),
                           chamber_data(joined="2024-03-01", position="副会长"))
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.position == "副会长"
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="members.chambermembership").latest("id")
    assert event.actor == cast.users.chamber1
    assert event.detail["changes"] == [{"field": "商会职务", "old": "", "new": "副会长"}]
    for url in (reverse("members:chamber_membership_edit", args=[other.pk]),
                reverse("members:chamber_membership_delete", args=[other.pk]),
                reverse("members:chamber_membership_detail", args=[other.pk]),
                reverse("members:chamber_members", args=[cast.chamber2.pk])):
        assert client.get(url).status_code == 404
    assert client.post(reverse("members:chamber_membership_edit", args=[other.pk]),
                       chamber_data(position="会长")).status_code == 404
    other.refresh_from_db()
    assert other.position == ""


def test_chamber_secretary_cannot_add_to_another_chamber(cast, login, new_enterprise):
    client = login(cast.users.chamber1)
    response = client.post(reverse("members:chamber_membership_create"),
                           chamber_data(chamber=cast.chamber2.pk, enterprise=cast.ent1.pk))
    assert response.status_code == 400
    assert response.context["form"].errors["chamber"] == ["商会不在可选范围内，请重新选择。"]
    assert not ChamberMembership.objects.filter(chamber=cast.chamber2, enterprise=cast.ent1).exists()


def test_chamber_membership_dates_follow_the_import_rules(cast, login):
    client = login(cast.users.chamber1)
    own = ChamberMembership.objects.get(chamber=cast.chamber1, enterprise=cast.ent1)
    response = client.post(reverse("members:chamber_membership_edit", args=[own.pk]),
                           chamber_data(status="left", left="2020-01-01"))
    assert response.status_code == 400 and response.context["form"].errors["left"] == ["不能早于入会日期"]


def test_chamber_secretary_deletes_its_own_member_s_chamber_membership(cast, login):
    client = login(cast.users.chamber1)
    own = ChamberMembership.objects.get(chamber=cast.chamber1, enterprise=cast.ent1)
    response = client.post(reverse("members:chamber_membership_delete", args=[own.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("members:chamber_members", args=[cast.chamber1.pk])
    assert not ChamberMembership.objects.filter(pk=own.pk).exists()


def test_chamber_member_list_shows_every_member_and_the_new_button_to_who_may(cast, login):
    for n in range(25):
        make_enterprise(cast.district, name=f"天津商会成员{n:02d}有限公司", chamber=cast.chamber1)
    url = reverse("members:chamber_members", args=[cast.chamber1.pk])
    response = login(cast.users.chamber1).get(url, {"per_page": 50})
    page = response.content.decode()
    assert "共 26 条" in page and reverse("members:enterprise_create") in page
    page = login(cast.users.staff).get(url).content.decode()
    assert reverse("members:chamber_membership_create") + f"?chamber={cast.chamber1.pk}" in page
    page = login(cast.users.leader).get(url).content.decode()
    assert "新增" not in page
    assert login(cast.users.leader).get(reverse("members:chamber_membership_create")).status_code == 403


def test_membership_pages_are_read_in_scope_and_offer_buttons_to_who_may(cast, login):
    federation_membership = reverse("members:membership_detail", args=[cast.memberships.ent1.pk])
    own = ChamberMembership.objects.get(chamber=cast.chamber1, enterprise=cast.ent1)
    chamber_membership = reverse("members:chamber_membership_detail", args=[own.pk])
    edit = reverse("members:chamber_membership_edit", args=[own.pk])
    page = login(cast.users.leader).get(federation_membership).content.decode()
    assert "变更记录" in page and reverse("members:membership_edit", args=[cast.memberships.ent1.pk]) not in page
    assert edit not in login(cast.users.leader).get(chamber_membership).content.decode()
    assert edit in login(cast.users.chamber1).get(chamber_membership).content.decode()
    page = login(cast.users.chamber1).get(federation_membership)  # its member's membership, without the dues
    assert page.status_code == 200 and "会费记录" not in page.content.decode()
    assert "会费记录" in login(cast.users.leader).get(federation_membership).content.decode()
    for role in ("chamber2", "outsider_staff"):
        assert login(getattr(cast.users, role)).get(federation_membership).status_code == 404
        assert login(getattr(cast.users, role)).get(chamber_membership).status_code == 404
    for role in ("dept1", "ent1", "auditor"):
        assert login(getattr(cast.users, role)).get(chamber_membership).status_code == 403


def test_the_member_forms_search_enterprises_and_persons_instead_of_listing_them_all(cast, login):
    for i in range(30):
        make_enterprise(cast.district, name=f"天津列表测试{i:02d}有限公司")
    client = login(cast.users.staff)
    for url in (reverse("members:membership_create"), reverse("members:chamber_membership_create")):
        page = client.get(url).content.decode()
        assert 'data-picker="autocomplete"' in page and reverse("members:pick_enterprises") in page
        assert "天津列表测试" not in page  # no option per enterprise
    assert reverse("members:pick_persons") in client.get(reverse("members:membership_create")).content.decode()


def test_a_chamber_secretary_cannot_name_another_chambers_enterprise_by_its_id(cast, login):
    other = make_enterprise(cast.district, name="天津别会有限公司", chamber=cast.chamber2)
    response = login(cast.users.chamber1).post(reverse("members:chamber_membership_create"),
                                               {"chamber": cast.chamber1.pk, "enterprise": other.pk,
                                                "joined": "2025-03-01", "status": "active"})
    assert response.status_code == 400
    assert "不在您的管理范围内" in response.content.decode()
    assert not ChamberMembership.objects.filter(enterprise=other, chamber=cast.chamber1).exists()
