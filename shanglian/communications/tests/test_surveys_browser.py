"""At 375×667 a survey's page (questions with their skip logic) and its results (a chart per question, the
cross-tabulation) fit the phone's width — wide tables scroll inside their card — and the charts are drawn. Run with
`make test-browser`."""

import pytest
from django.urls import reverse

from shanglian import testing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 667}


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    testing.ensure_reference_data()


def test_a_surveys_page_and_its_results_fit_a_phone_with_their_charts(live_server, cast, browser, artifacts_dir):
    survey = testing.make_survey(cast.district, by=cast.users.staff, status="open", title="营商环境问卷", questions=[
        {"kind": "single", "text": "融资是否困难", "options": ["困难", "一般", "不困难"]},
        {"kind": "multiple", "text": "企业当前面临的主要困难（可多选）",
         "options": ["融资难融资贵", "招工难留人难", "市场需求不足", "原材料价格上涨", "应收账款回款慢"]},
        {"kind": "scale", "text": "对区营商环境的总体满意度", "low": 1, "high": 10, "low_label": "很不满意",
         "high_label": "非常满意"},
        {"kind": "number", "text": "2025年末从业人数", "unit": "人"},
        {"kind": "text", "text": "意见建议", "required": False}])
    first, second, scale, number, text = survey.questions.order_by("order")
    text.show_if, text.show_if_option = first, 0
    text.save()
    for enterprise, picked in ((cast.ent1, 0), (cast.ent2, 1)):
        testing.make_survey_recipient(survey, enterprise)
        testing.make_response(survey, enterprise, answers={first: [picked], second: [0, 2, 4], scale: 7 + picked,
                                                           number: 120, text: "希望多组织银企对接活动，帮助企业解决融资难题"})
    context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    testing.sign_in(page, live_server.url, "staff")
    too_wide = {}
    for name, url in (("detail", reverse("communications:survey", args=[survey.pk])),
                      ("results", reverse("communications:survey_results", args=[survey.pk])
                       + f"?question={second.pk}&by=chamber")):
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(artifacts_dir / f"survey-{name}-phone.png"), full_page=True)
        if testing.overflow(page) > 0:
            too_wide[name] = testing.overflow(page)
        if name == "results":
            assert page.locator(".chart canvas").count() == 3  # the single, multiple and scale questions
            assert page.locator("#cross-table").is_visible()
    context.close()
    assert too_wide == {}
    assert problems == []
