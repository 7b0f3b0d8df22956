"""The pickers in a browser, on a phone-sized screen: the desk registers an appeal choosing the enterprise
by typing two characters and the keyboard, and accepts and dispatches it in one step from the searchable department list.
Run with `make test-browser`."""

import pytest
from playwright.sync_api import expect

from shanglian import testing
from shanglian.appeals.models import Appeal, Status

from .factories import ensure_categories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    testing.ensure_reference_data()
    ensure_categories()


def test_the_desk_chooses_the_enterprise_and_the_departments_by_searching(cast, browser, browser_context_args,
                                                                          live_server):
    for department, short in ((cast.dept1, "税务"), (cast.dept2, "人社")):
        department.short_name = short
        department.save()
    context = browser.new_context(**{**browser_context_args, "viewport": {"width": 375, "height": 667}})
    problems = []
    page = context.new_page()
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.goto(f"{live_server.url}/accounts/login/?next=/appeals/new/")
    page.get_by_label("用户名").fill("staff")
    page.get_by_label("密码").fill(testing.PASSWORD)
    page.get_by_role("button", name="登 录").click()
    page.wait_for_url(f"{live_server.url}/appeals/new/")

    box = page.get_by_role("combobox", name="企业")
    box.press_sequentially("友谊")
    matches = page.get_by_role("listbox", name="搜索结果")
    expect(matches.get_by_role("option", name="天津友谊科技有限公司")).to_be_visible()
    expect(matches.get_by_role("option")).to_have_count(1)  # 之江 (also in scope) does not match; 南开 is not in scope
    box.press("ArrowDown")
    box.press("Enter")  # chooses, does not submit
    expect(box).to_have_value("天津友谊科技有限公司")
    expect(page.locator("input[name=enterprise]")).to_have_value(str(cast.ent1.pk))
    page.get_by_label("诉求类别").select_option(label="融资贷款")
    page.get_by_label("诉求标题").fill("申请贷款贴息")
    page.get_by_label("诉求内容").fill("需要了解科技型中小企业贷款贴息政策。")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("登记成功")).to_be_visible()
    appeal = Appeal.objects.get()
    assert appeal.enterprise == cast.ent1

    page.get_by_role("button", name="受理并派单", exact=True).click()  # the common path, one step
    search = page.locator("#panel-accept_dispatch").get_by_placeholder("搜索部门名称或简称，如 税务、人社")
    search.fill("人社")
    expect(page.locator(".checklist-option:visible")).to_have_count(1)
    search.press("Enter")  # to the one option left, then Space ticks it
    page.keyboard.press("Space")
    expect(page.get_by_text("已选 1 个：人社")).to_be_visible()
    page.get_by_role("button", name="确定受理并派单").click()
    expect(page.get_by_text("受理并派单成功")).to_be_visible()
    appeal.refresh_from_db()
    assert appeal.status == Status.ASSIGNED and [a.department for a in appeal.assignments.all()] == [cast.dept2]
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert problems == []
    context.close()
