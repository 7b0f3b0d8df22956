"""The enterprise's notices and surveys in a real browser at 375×667: from 我的, ent1 opens 通知公告 (one unread),
reads the notice (its receipt written), then 问卷调查: the amount question stays hidden until 是 is chosen (the skip
logic in the page), a draft is saved and comes back, the sheet is submitted and read back. No page scrolls
sideways. Run with `make test-browser`; the screenshots are left in the artefacts directory."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from shanglian import testing
from shanglian.communications.models import Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 667}


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    testing.ensure_reference_data()


def test_ent1_reads_a_notice_and_answers_a_survey_on_a_phone(live_server, cast, browser, artifacts_dir):
    notice = testing.make_notice(cast.district, by=cast.users.staff, status="sent", sent_at=timezone.now(),
                                 title="关于报送2026年度经营数据的通知",
                                 body="<p>请于<strong>12月20日前</strong>报送。</p><ul><li>营业收入</li><li>用工人数</li></ul>")
    testing.make_notice_recipient(notice, cast.ent1)
    survey = testing.make_survey(cast.district, by=cast.users.staff, status="open", title="2026年企业融资需求调查",
                                 closes_on=date.today() + timedelta(days=10), questions=[
                                     {"kind": "single", "text": "是否有融资需求", "options": ["是", "否"]},
                                     {"kind": "number", "text": "融资需求金额", "maximum": Decimal("10000"),
                                      "unit": "万元"},
                                     {"kind": "scale", "text": "对营商环境的满意度", "low": 1, "high": 5,
                                      "low_label": "很不满意", "high_label": "非常满意"},
                                 ])
    q = list(survey.questions.order_by("order"))
    q[1].show_if, q[1].show_if_option = q[0], 0
    q[1].save()
    testing.make_survey_recipient(survey, cast.ent1)
    problems = []

    context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    testing.sign_in(page, live_server.url, "ent1")

    # 我的 → 通知公告: one unread; opening it writes the receipt.
    page.goto(f"{live_server.url}{reverse('workbench:h5_me')}")
    page.get_by_role("link", name="通知公告").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".h5-card [data-unread], .h5-card[data-unread]").count() == 1
    assert testing.overflow(page) <= 0
    page.screenshot(path=str(artifacts_dir / "h5-notices-1-inbox-375.png"), full_page=True)
    page.get_by_text("关于报送2026年度经营数据的通知").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("strong", has_text="12月20日前").is_visible()
    assert notice.recipients.get().read_at is not None
    assert testing.overflow(page) <= 0
    page.screenshot(path=str(artifacts_dir / "h5-notices-2-notice-375.png"), full_page=True)

    # 问卷调查: the amount shows only once 是 is chosen.
    page.goto(f"{live_server.url}{reverse('communications:h5_surveys')}")
    page.get_by_text("2026年企业融资需求调查").click()
    page.wait_for_load_state("networkidle")
    amount = page.locator(f'[data-question="q{q[1].pk}"]')
    assert amount.is_hidden()
    page.locator("label.h5-choice", has_text="是").first.click()
    assert amount.is_visible()
    page.locator("label.h5-choice", has_text="否").first.click()
    assert amount.is_hidden()
    page.locator("label.h5-choice", has_text="是").first.click()
    page.get_by_label("2. 融资需求金额").fill("300")
    assert testing.overflow(page) <= 0
    page.screenshot(path=str(artifacts_dir / "h5-surveys-1-form-375.png"), full_page=True)
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_load_state("networkidle")
    assert "草稿已保存" in page.locator(".h5-alert-success").inner_text()
    assert page.get_by_label("2. 融资需求金额").input_value() == "300" and amount.is_visible()

    # 提交 without the required scale: a 400 naming it on its question; then answered and submitted.
    assert problems == []
    page.get_by_role("button", name="提交问卷").click()
    page.wait_for_load_state("networkidle")
    assert "第3题：此题为必答题，请作答。" in page.locator(".h5-field-error").inner_text()
    assert problems == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]
    problems.clear()
    page.locator("label.h5-choice", has_text="4").click()
    page.get_by_role("button", name="提交问卷").click()
    page.wait_for_load_state("networkidle")
    assert "问卷已提交" in page.locator(".h5-alert-success").inner_text()
    assert page.get_by_text("300万元").is_visible() and page.get_by_text("已提交的答卷").is_visible()
    assert Response.objects.get().status == "submitted"
    assert testing.overflow(page) <= 0
    page.screenshot(path=str(artifacts_dir / "h5-surveys-2-submitted-375.png"), full_page=True)
    assert problems == []
    context.close()
