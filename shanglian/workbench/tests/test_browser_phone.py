"""At 375×667 every role opens the menu, reaches every page of its navigation, and no page scrolls
sideways (wide tables and charts scroll inside their card). Run with `make test-browser`."""

import pytest

from shanglian import testing
from shanglian.ui.navigation import navigation_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 667}
ROLES = ["staff", "leader", "chamber1", "dept1", "ent1", "auditor"]
DRAWER = "document.querySelector('.sidebar').getBoundingClientRect()"


def _wait_for_drawer(page, *, opened):
    """Wait (not sleep) for the slide to end: at the left edge when opened, off the screen when closed. A
    busy machine draws the CSS transition late; the CSP forbids page.wait_for_function's eval."""
    for _ in range(100):
        left, right = page.evaluate(f"[{DRAWER}.left, {DRAWER}.right]")
        if (left == 0) if opened else (right <= 0):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"the drawer is at {left}…{right}, not {'open' if opened else 'closed'}")


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    testing.ensure_reference_data()


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_navigation_fits_a_phone(live_server, cast, browser, role, artifacts_dir):
    user = getattr(cast.users, role)
    if role == "auditor":
        from shanglian.accounts.models import TOTPDevice

        TOTPDevice.objects.create(user=user, name="测试", key=testing.TEST_TOTP_KEY, confirmed=True)
    urls = [item["url"] for group in navigation_for(user) for item in group["items"]]
    context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    testing.sign_in(page, live_server.url, role)
    too_wide = {}
    for url in urls:
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("networkidle")
        menu = page.get_by_role("button", name="导航菜单")
        if menu.count():  # the back-office shell: a drawer, closed when the page opens
            drawer = page.locator(".sidebar")
            assert drawer.bounding_box()["x"] + drawer.bounding_box()["width"] <= 0, url
            menu.click()
            _wait_for_drawer(page, opened=True)
            assert page.locator(".sidebar .nav-item").first.is_visible(), url
            page.locator(".backdrop").click(position={"x": 340, "y": 300})  # a tap beside it closes it
            _wait_for_drawer(page, opened=False)
        if testing.overflow(page) > 0:
            too_wide[url] = testing.overflow(page)
            page.screenshot(path=str(artifacts_dir / f"phone-too-wide-{role}-{len(too_wide)}.png"), full_page=True)
    context.close()
    assert too_wide == {}
    assert problems == []


def test_a_phone_user_reaches_a_page_through_the_drawer(live_server, cast, browser, artifacts_dir):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    testing.sign_in(page, live_server.url, "staff")
    assert page.get_by_role("heading", name="工作台").is_visible()
    page.get_by_role("button", name="导航菜单").click()
    _wait_for_drawer(page, opened=True)
    page.locator(".sidebar .nav-item", has_text="会员企业").click()
    page.wait_for_url("**/members/enterprises/")
    page.screenshot(path=str(artifacts_dir / "phone-enterprise-list-staff.png"), full_page=True)
    assert page.locator(".sidebar").bounding_box()["x"] < 0  # closed again on the new page
    assert testing.overflow(page) <= 0
    context.close()
