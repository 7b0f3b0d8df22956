"""At 375×667 a chamber secretary opens its donations, one donation, the form, the 捐赠证书 and a campaign without any
page scrolling sideways; printed, the certificate is the sheet alone (no toolbar, no navigation). Run with
`make test-browser`."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from shanglian import testing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 667}


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    testing.ensure_reference_data()


def test_the_donation_pages_and_the_certificate_fit_a_phone_and_print_alone(live_server, cast, browser,
                                                                           artifacts_dir):
    spring = testing.make_campaign(cast.district, name="春芽基金助学项目（2025年度第二期）", kind="education",
                                   target_amount=Decimal("100000"))
    donation = testing.make_donation(cast.ent1, cash="1234567.89", goods_value="5000",
                                     goods_description="口罩2万只、防护服500套、消毒液200箱", chamber=cast.chamber1,
                                     campaign=spring, donated_on=date(2025, 3, 1), recipient="区慈善协会",
                                     receipt_number="PJ-2025-000123")
    urls = [reverse("welfare:donations"), donation.get_absolute_url(), reverse("welfare:donation_create"),
            reverse("welfare:donation_certificate", args=[donation.pk]), spring.get_absolute_url(),
            reverse("welfare:campaigns")]
    context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    testing.sign_in(page, live_server.url, "chamber1")
    too_wide = {}
    for url in urls:
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("networkidle")
        if testing.overflow(page) > 0:
            too_wide[url] = testing.overflow(page)
            page.screenshot(path=str(artifacts_dir / f"welfare-phone-too-wide-{len(too_wide)}.png"), full_page=True)
    assert too_wide == {}

    page.goto(f"{live_server.url}{reverse('welfare:donation_certificate', args=[donation.pk])}")
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("button", name="打印").is_visible()
    assert page.locator(".sidebar").count() == 0  # no navigation on the sheet
    page.emulate_media(media="print")
    assert not page.locator(".print-toolbar").is_visible()
    assert page.get_by_role("heading", name="捐赠证书").is_visible()
    assert "壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分" in page.locator(".certificate").inner_text()
    context.close()
    assert problems == []
