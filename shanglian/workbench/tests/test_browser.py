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


CHART = "(el) => { const o = echarts.getInstanceByDom(el).getOption(); return [o.yAxis[0].axisLabel, o.grid[0].left]; }"
LABEL_Y = "([el, name]) => echarts.getInstanceByDom(el).convertToPixel({yAxisIndex: 0}, name)"


@pytest.mark.parametrize("viewport", [{"width": 1440, "height": 900}, {"width": 375, "height": 667}])
def test_a_long_chart_label_is_cut_and_its_full_text_is_the_title_under_the_pointer(
        live_server, cast, browser, artifacts_dir, viewport):
    """One rule in static/shanglian/charts.js for every chart of the figures layer: here 按商会 on 会员统计."""
    long_name = "河西区工商业联合会新一代信息技术与高端装备制造产业商会"
    chamber = testing.make_chamber(cast.district, name=long_name)
    for i in range(3):
        testing.make_membership(cast.district, testing.make_enterprise(cast.district, name=f"长名商会会员{i}",
                                                                       chamber=chamber))
    context = browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.goto(f"{live_server.url}/accounts/login/?next=/members/statistics/")
    page.get_by_label("用户名").fill("staff")
    page.get_by_label("密码").fill(testing.PASSWORD)
    page.get_by_role("button", name="登 录").click()
    page.wait_for_url("**/members/statistics/")
    chart = page.locator("#chart-chambers")
    chart.locator("canvas").wait_for()
    chart.scroll_into_view_if_needed()
    label, grid_left = chart.evaluate(CHART)
    assert label["overflow"] == "truncate" and label["ellipsis"] == "…"
    assert label["width"] < 12 * len(long_name) and grid_left <= 196  # cut: the bars keep their room
    assert chart.get_attribute("title") is None

    box = chart.bounding_box()
    y = page.evaluate(LABEL_Y, [chart.element_handle(), long_name])
    page.mouse.move(box["x"] + grid_left - label["width"] / 2 - 8, box["y"] + y)
    page.wait_for_timeout(100)
    assert chart.get_attribute("title") == long_name
    chart.screenshot(path=str(artifacts_dir / f"chart-label-{viewport['width']}.png"))
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] - 40)
    page.wait_for_timeout(100)
    assert chart.get_attribute("title") is None
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    context.close()
    assert problems == []
