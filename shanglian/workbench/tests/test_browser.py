"""Headless Chromium walks the shell as a person would. Run with `make test-browser`."""

import pytest

from shanglian import testing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    testing.ensure_reference_data()


def test_staff_logs_in_and_sees_workbench(live_server, cast, page, artifacts_dir):
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    page.get_by_label("用户名").fill("staff")
    page.get_by_label("密码").fill(testing.PASSWORD)
    page.get_by_role("button", name="登 录").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="工作台").is_visible()
    assert page.get_by_text("我的待办").is_visible()
    assert page.locator(".nav-item", has_text="会员企业").is_visible()
    page.screenshot(path=str(artifacts_dir / "workbench-staff.png"), full_page=True)

    page.locator(".nav-item", has_text="会员企业").click()
    page.wait_for_url("**/members/enterprises/")
    page.get_by_placeholder("名称、拼音首字母或统一社会信用代码").fill("tjyy")
    page.get_by_role("button", name="搜索").click()
    page.wait_for_url("**q=tjyy**")
    assert page.get_by_role("link", name="天津友谊科技有限公司").is_visible()
    assert page.get_by_text("共 1 条").is_visible()
    page.screenshot(path=str(artifacts_dir / "enterprise-list-staff.png"), full_page=True)

    page.get_by_role("button", name="导航菜单").click()  # Alpine (CSP build) collapses the navigation
    page.wait_for_timeout(300)
    assert page.locator(".sidebar.collapsed").count() == 1
    assert problems == []  # no CSP violation, no script error


def test_sysadmin_admin_is_themed_and_runs_under_the_csp(live_server, cast, page, artifacts_dir, settings):
    settings.OTP_DEMO_EXEMPT_USERNAMES = ["admin"]  # as in demo mode: the second factor has its own tests
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(f"{live_server.url}/accounts/login/?next=/admin/orgs/chamber/")
    page.get_by_label("用户名").fill("admin")
    page.get_by_label("密码").fill(testing.PASSWORD)
    page.get_by_role("button", name="登 录").click()
    page.wait_for_url("**/admin/orgs/chamber/")
    assert page.get_by_text("商联通 管理后台").first.is_visible()
    assert page.get_by_role("link", name="友谊路街道商会").is_visible()
    page.screenshot(path=str(artifacts_dir / "admin-chambers.png"), full_page=True)
    assert problems == []


def test_member_statistics_charts_render(live_server, cast, page, artifacts_dir):
    from datetime import date

    for i, year in enumerate(range(2019, 2026)):
        enterprise = testing.make_enterprise(cast.district, name=f"图表测试企业{i}", chamber=cast.chamber1)
        testing.make_membership(cast.district, enterprise, joined=date(year, 3, 1))
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/accounts/login/?next=/members/statistics/")
    page.get_by_label("用户名").fill("staff")
    page.get_by_label("密码").fill(testing.PASSWORD)
    page.get_by_role("button", name="登 录").click()
    page.wait_for_url("**/members/statistics/")
    page.wait_for_selector("#chart-years canvas")
    assert page.locator("#chart-kinds canvas").count() == 1
    assert page.locator("#chart-chambers canvas").count() == 1
    page.screenshot(path=str(artifacts_dir / "member-statistics-staff.png"), full_page=True)
    assert problems == []
