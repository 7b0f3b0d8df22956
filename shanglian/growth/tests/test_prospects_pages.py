"""发展会员 pages: the list (each role's scope, filters, 导出), one prospect (its stage buttons, another scope's 404),
新增/编辑/删除 (a bad input answered 400 in Chinese, nothing written), the stage steps posted from the page, 发展目标
with the "三多三少" gaps, its 新增/编辑/删除, and the 待办 of the prospects whose next step is due."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.growth.models import Prospect, RecruitmentTarget
from shanglian.ui.todos import todos_for

S = Prospect.Stage


@pytest.fixture
def prospects(cast):
    return {
        "federation": testing.make_prospect(cast.district, name="天津高新材料有限公司", owner=cast.users.staff,
                                            is_high_tech=True),
        "chamber1": testing.make_prospect(cast.district, name="友谊路餐饮有限公司", owner=cast.users.chamber1,
                                          chamber=cast.chamber1),
        "chamber2": testing.make_prospect(cast.district, name="浙江外地商贸有限公司", owner=cast.users.chamber2,
                                          chamber=cast.chamber2, is_local=False),
        "other": testing.make_prospect(cast.other, name="南开待发展有限公司", owner=cast.users.outsider_staff),
    }


def names(response):
    return response.content.decode()


@pytest.mark.parametrize(("role", "shown", "hidden"), [
    ("staff", ("天津高新材料有限公司", "友谊路餐饮有限公司", "浙江外地商贸有限公司"), ("南开待发展有限公司",)),
    ("leader", ("天津高新材料有限公司", "浙江外地商贸有限公司"), ("南开待发展有限公司",)),
    ("chamber1", ("友谊路餐饮有限公司",), ("天津高新材料有限公司", "浙江外地商贸有限公司", "南开待发展有限公司")),
    ("outsider_staff", ("南开待发展有限公司",), ("天津高新材料有限公司",)),
])
def test_the_list_shows_each_roles_scope(cast, login, prospects, role, shown, hidden):
    content = names(login(getattr(cast.users, role)).get(reverse("growth:prospects")))
    assert all(name in content for name in shown) and not any(name in content for name in hidden)


def test_the_list_filters_by_category_and_stage_and_refuses_other_roles(cast, login, prospects):
    client = login(cast.users.staff)
    content = names(client.get(reverse("growth:prospects"), {"category": "nonlocal", "stage": "open"}))
    assert "浙江外地商贸有限公司" in content and "天津高新材料有限公司" not in content
    content = names(client.get(reverse("growth:prospects"), {"category": "high_tech"}))
    assert "天津高新材料有限公司" in content and "友谊路餐饮有限公司" not in content
    for role in ("dept1", "ent1", "auditor"):
        assert login(getattr(cast.users, role)).get(reverse("growth:prospects")).status_code == 403


def test_the_export_holds_what_the_list_shows_and_is_audited(cast, login, prospects):
    response = login(cast.users.chamber1).get(reverse("growth:prospects_export"))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "名称" and [r[0] for r in rows[1:]] == ["友谊路餐饮有限公司"]
    assert AuditEvent.objects.filter(action="export", object_type="growth.prospect").exists()


def test_one_prospect_another_scope_is_404_and_a_reader_sees_no_buttons(cast, login, prospects):
    prospect = prospects["chamber1"]
    url = reverse("growth:prospect", args=[prospect.pk])
    assert login(cast.users.chamber2).get(url).status_code == 404
    assert login(cast.users.outsider_staff).get(url).status_code == 404
    content = names(login(cast.users.leader).get(url))
    assert "友谊路餐饮有限公司" in content and "确定已联系" not in content
    content = names(login(cast.users.chamber1).get(url))
    assert "确定已联系" in content and "确定放弃" in content


def test_a_stage_step_is_posted_from_the_page(cast, login, prospects):
    prospect = prospects["chamber1"]
    client = login(cast.users.chamber1)
    url = reverse("growth:prospect_transition", args=[prospect.pk, "contacted"])
    response = client.post(url, {"next_step": "", "next_step_on": ""})
    assert response.status_code == 400 and "请填写下一步工作。" in names(response)
    prospect.refresh_from_db()
    assert prospect.stage == S.LEAD
    day = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(url, {"next_step": "约见总经理", "next_step_on": day})
    assert response.status_code == 302
    prospect.refresh_from_db()
    assert prospect.stage == S.CONTACTED and prospect.next_step == "约见总经理"
    response = client.post(reverse("growth:prospect_transition", args=[prospect.pk, "reopen"]), follow=True)
    assert "不能重新跟进" in names(response)
    assert client.post(reverse("growth:prospect_transition", args=[prospect.pk, "nothing"])).status_code == 404
    leader = login(cast.users.leader)
    assert leader.post(reverse("growth:prospect_transition", args=[prospect.pk, "abandon"]),
                       {"reason": "x"}).status_code == 403
    other = login(cast.users.chamber2)
    assert other.post(url, {"next_step": "x"}).status_code == 404


def test_create_edit_and_delete_with_bad_input_refused_in_chinese(cast, login):
    client = login(cast.users.staff)
    response = client.post(reverse("growth:prospect_create"), {
        "name": "天津新材料有限公司", "uscc": "123", "member_kind": "enterprise", "source": "registry"})
    assert response.status_code == 400 and "统一社会信用代码应为18位" in names(response)
    assert not Prospect.objects.exists()
    response = client.post(reverse("growth:prospect_create"), {
        "name": "天津新材料有限公司", "member_kind": "enterprise", "source": "referral", "is_local": "on"})
    assert response.status_code == 400 and "请选择推荐会员企业" in names(response)
    response = client.post(reverse("growth:prospect_create"), {
        "name": "天津新材料有限公司", "member_kind": "group", "source": "registry", "chamber": cast.chamber1.pk,
        "next_step": "电话联系"})
    assert response.status_code == 302
    prospect = Prospect.objects.get()
    assert (prospect.member_kind, prospect.chamber, prospect.stage, prospect.is_local) == ("group", cast.chamber1,
                                                                                            S.LEAD, False)
    assert client.get(reverse("growth:prospect_edit", args=[prospect.pk])).status_code == 200
    response = client.post(reverse("growth:prospect_edit", args=[prospect.pk]), {
        "name": "天津新材料集团", "member_kind": "group", "source": "registry", "is_local": "on"})
    assert response.status_code == 302
    prospect.refresh_from_db()
    assert prospect.name == "天津新材料集团" and prospect.chamber is None
    assert login(cast.users.leader).get(reverse("growth:prospect_create")).status_code == 403
    assert login(cast.users.chamber2).get(reverse("growth:prospect_edit", args=[prospect.pk])).status_code == 404
    client = login(cast.users.staff)
    assert client.post(reverse("growth:prospect_delete", args=[prospect.pk])).status_code == 302
    assert not Prospect.objects.exists()


def test_a_chamber_secretary_creates_its_own_chambers_prospect(cast, login):
    client = login(cast.users.chamber1)
    page = names(client.get(reverse("growth:prospect_create")))
    assert "发展商会" not in page
    response = client.post(reverse("growth:prospect_create"), {
        "name": "友谊路新企业", "member_kind": "enterprise", "source": "registry", "is_private": "on",
        "is_local": "on"})
    assert response.status_code == 302
    assert Prospect.objects.get().chamber == cast.chamber1


def test_the_targets_page_shows_each_target_against_the_year_and_the_gap(cast, login):
    year = timezone.localdate().year
    RecruitmentTarget.objects.create(federation=cast.district, year=year, category="high_tech", target=2)
    testing.make_membership(cast.district, testing.make_enterprise(cast.district, is_high_tech=True),
                            joined=timezone.localdate().replace(month=1, day=1))
    testing.make_prospect(cast.district, owner=cast.users.staff, is_high_tech=True)
    response = login(cast.users.leader).get(reverse("growth:targets"))
    content = names(response)
    assert response.status_code == 200 and "高新技术企业" in content and "短板" in content
    assert 'data-joined>1<' in content and 'data-gap>1<' in content
    assert "新增目标" not in content
    assert "新增目标" in names(login(cast.users.staff).get(reverse("growth:targets")))
    assert "暂无发展目标" in names(login(cast.users.staff).get(reverse("growth:targets"), {"year": year - 1}))
    for role in ("chamber1", "dept1", "ent1", "auditor"):
        assert login(getattr(cast.users, role)).get(reverse("growth:targets")).status_code == 403


def test_targets_are_created_edited_and_deleted_by_editors(cast, login):
    year = timezone.localdate().year
    client = login(cast.users.staff)
    response = client.post(reverse("growth:target_create"), {"federation": cast.district.pk, "year": year,
                                                              "category": "group", "target_count": "0"})
    assert response.status_code == 400 and "目标必须大于0。" in names(response)
    response = client.post(reverse("growth:target_create"), {"federation": cast.district.pk, "year": year,
                                                              "category": "group", "target_count": "12"})
    assert response.status_code == 302
    target = RecruitmentTarget.objects.get()
    response = client.post(reverse("growth:target_create"), {"federation": cast.district.pk, "year": year,
                                                              "category": "group", "target_count": "3"})
    assert response.status_code == 400 and "已存在" in names(response)
    response = client.post(reverse("growth:target_edit", args=[target.pk]), {
        "federation": cast.district.pk, "year": year, "category": "group", "target_count": "15"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.target == 15
    assert login(cast.users.leader).get(reverse("growth:target_edit", args=[target.pk])).status_code == 403
    assert login(cast.users.outsider_staff).get(reverse("growth:target_edit", args=[target.pk])).status_code == 404
    client = login(cast.users.staff)
    assert client.post(reverse("growth:target_delete", args=[target.pk])).status_code == 302
    assert not RecruitmentTarget.objects.exists()


def test_the_todo_counts_the_due_prospects_and_links_to_them(cast, login):
    today = timezone.localdate()
    testing.make_prospect(cast.district, name="到期对象", owner=cast.users.chamber1, chamber=cast.chamber1,
                          next_step="回访", next_step_on=today - timedelta(days=1))
    testing.make_prospect(cast.district, name="未到期对象", owner=cast.users.chamber1, chamber=cast.chamber1,
                          next_step="回访", next_step_on=today + timedelta(days=5))
    todo = next(t for t in todos_for(cast.users.chamber1) if t.label == "下一步已到期的发展对象")
    assert todo.count == 1
    content = names(login(cast.users.chamber1).get(todo.url))
    assert "到期对象" in content and "未到期对象" not in content
    assert not [t for t in todos_for(cast.users.leader) if t.label == "下一步已到期的发展对象"]
