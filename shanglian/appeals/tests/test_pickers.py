"""The pickers on the appeal pages: 登记诉求 chooses the enterprise with the scoped enterprise picker; 派单
offers the departments searchable by short name, the category's usual departments first (推荐)."""

import re

import pytest
from django.urls import reverse

from shanglian import testing
from shanglian.appeals import selectors, services
from shanglian.appeals.forms import DispatchForm
from shanglian.appeals.models import Appeal, Status
from shanglian.appeals.tests.factories import category, department_user, make_appeal, submit
from shanglian.audit.models import AuditEvent


def _create(client, enterprise):
    return client.post(reverse("appeals:create"), {
        "enterprise": enterprise, "channel": "phone", "category": category("suggestion").pk, "urgency": "normal",
        "title": "申请稳岗补贴", "content": "想了解稳岗补贴的申领条件。"})


def test_the_register_form_offers_the_enterprise_picker(cast, login):
    page = login(cast.users.staff).get(reverse("appeals:create")).content.decode()
    assert 'data-picker="autocomplete"' in page and f'hx-get="{reverse("members:pick_enterprises")}"' in page
    assert "拼音首字母" in page


def test_the_desk_registers_an_appeal_for_the_enterprise_it_chose(cast, login):
    response = _create(login(cast.users.staff), cast.ent2.pk)
    appeal = Appeal.objects.get()
    assert response.status_code == 302 and appeal.enterprise == cast.ent2


@pytest.mark.parametrize("value", ["ent_other", "99999999999999999999", "辰航", ""])
def test_an_enterprise_outside_the_scope_or_not_chosen_is_refused_and_nothing_is_written(cast, login, value):
    enterprise = getattr(cast, value).pk if value == "ent_other" else value
    client = login(cast.users.staff)
    audit_rows = AuditEvent.objects.count()
    response = _create(client, enterprise)
    page = response.content.decode()
    assert response.status_code == 400
    expected = "请选择企业（输入后从列表中点选）" if value == "" else "所选企业不存在或不在您的管理范围内，请重新选择"
    assert expected in page and "南开某某餐饮" not in page
    assert not Appeal.objects.exists() and AuditEvent.objects.count() == audit_rows


def test_after_an_error_the_chosen_enterprise_is_still_shown(cast, login):
    response = login(cast.users.staff).post(reverse("appeals:create"), {
        "enterprise": cast.ent1.pk, "channel": "phone", "category": category("suggestion").pk,
        "urgency": "normal", "title": "", "content": "内容"})
    page = response.content.decode()
    assert response.status_code == 400 and "请填写诉求标题" in page
    assert f'name="enterprise" value="{cast.ent1.pk}"' in page and 'value="天津友谊科技有限公司"' in page


# --- the usual departments of a category ----------------------------------------------------------
@pytest.fixture
def departments(cast):
    tax = cast.dept1
    tax.name, tax.short_name = "国家税务总局天津市河西区税务局", "税务"
    tax.save()
    hr = cast.dept2
    hr.name, hr.short_name = "天津市河西区人力资源和社会保障局", "人社"
    hr.save()
    market = testing.make_department(cast.district, name="天津市河西区市场监督管理局")
    market.short_name = "市场监管"
    market.save()
    finance = testing.make_department(cast.district, name="天津市河西区财政局")
    return {"tax": tax, "hr": hr, "market": market, "finance": finance}


def _returned(cast, department, category_code):
    appeal = make_appeal(cast, Status.ASSIGNED, departments=[department], category_code=category_code)
    return services.return_appeal(actor=department_user(cast, department), appeal=appeal, reason="不属于本部门职责")


def test_the_usual_departments_are_those_appeals_of_the_category_went_to_most(cast, departments):
    d = departments
    for _ in range(3):
        make_appeal(cast, Status.ASSIGNED, departments=[d["hr"]], category_code="suggestion")
    make_appeal(cast, Status.ASSIGNED, departments=[d["tax"], d["hr"]], category_code="suggestion")
    make_appeal(cast, Status.HANDLING, departments=[d["tax"]], category_code="suggestion")
    for _ in range(2):  # the market department returned them: not its business, not a suggestion
        _returned(cast, d["market"], "suggestion")
    for _ in range(4):  # another category
        make_appeal(cast, Status.ASSIGNED, departments=[d["finance"]], category_code="complaint")
    appeal = services.accept_appeal(actor=cast.users.staff, appeal=submit(cast, category_code="suggestion"))
    assert selectors.usual_departments(appeal) == [d["hr"].pk, d["tax"].pk]
    assert selectors.usual_departments(appeal, limit=1) == [d["hr"].pk]

    other = services.accept_appeal(actor=cast.users.staff, appeal=submit(cast, category_code="complaint"))
    assert selectors.usual_departments(other) == [d["finance"].pk]
    d["finance"].is_active = False
    d["finance"].save()
    assert selectors.usual_departments(other) == []  # a department no longer in use is not offered


def test_another_federations_dispatches_are_not_counted(cast, departments):
    foreign = testing.make_department(cast.other, name="南开区税务局")
    appeal = submit(cast, actor=cast.users.outsider_staff, enterprise=cast.ent_other, category_code="suggestion")
    appeal = services.accept_appeal(actor=cast.users.outsider_staff, appeal=appeal)
    services.dispatch_appeal(actor=cast.users.outsider_staff, appeal=appeal, departments=[foreign])
    ours = services.accept_appeal(actor=cast.users.staff, appeal=submit(cast, category_code="suggestion"))
    assert selectors.usual_departments(ours) == []
    theirs = submit(cast, actor=cast.users.outsider_staff, enterprise=cast.ent_other, category_code="suggestion")
    assert selectors.usual_departments(theirs) == [foreign.pk]


def test_the_dispatch_form_shows_the_usual_departments_first_by_short_name(cast, login, departments):
    d = departments
    make_appeal(cast, Status.ASSIGNED, departments=[d["hr"]], category_code="suggestion")
    appeal = services.accept_appeal(actor=cast.users.staff, appeal=submit(cast, category_code="suggestion"))
    page = login(cast.users.staff).get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    form = page[page.index('data-picker="checklist"'):]
    assert form.index("推荐（同类诉求常派的部门）") < form.index(f'value="{d["hr"].pk}"') < form.index("其他部门")
    assert form.index("其他部门") < form.index(f'value="{d["tax"].pk}"')
    assert re.search(r'<span class="option-main">人社</span><small class="option-detail">天津市河西区人力资源和社会保障局', form)
    assert "搜索部门名称或简称，如 税务、人社" in form
    assert 'data-search="税务 国家税务总局天津市河西区税务局' in form  # what the search box matches


def test_without_history_there_is_no_recommended_group(cast, departments):
    appeal = services.accept_appeal(actor=cast.users.staff, appeal=submit(cast, category_code="suggestion"))
    html = str(DispatchForm(departments=selectors.dispatchable_departments(appeal),
                            suggested=selectors.usual_departments(appeal))["departments"])
    assert "推荐" not in html and "其他部门" not in html and html.count('type="checkbox"') == 4


def test_dispatching_to_another_federations_department_is_refused(cast, login, departments):
    foreign = testing.make_department(cast.other, name="南开区税务局")
    appeal = services.accept_appeal(actor=cast.users.staff, appeal=submit(cast, category_code="suggestion"))
    response = login(cast.users.staff).post(reverse("appeals:act", args=[appeal.pk, "dispatch"]),
                                            {"departments": [foreign.pk], "deadline": "2099-01-05"})
    assert response.status_code == 400 and "承办部门不存在，请重新选择" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == Status.ACCEPTED and not appeal.assignments.exists()
