"""At 375×667 the pages of 评选活动 and 提名与评分 with their records — a programme, a category and its form with the
criteria, the panel, a nomination with its scores, the nominating form, the scoring form and the queue — do not
scroll sideways (their tables scroll inside their card). Run with `make test-browser`."""

import pytest
from django.urls import reverse

from shanglian import testing
from shanglian.honours.models import Programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 667}


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    testing.ensure_reference_data()


def _pages(cast):
    scoring = testing.make_programme(cast.district, name="和谐劳动关系与社会责任优秀民营企业10强评选", status=Programme.Status.SCORING,
                                     criteria=(("劳动合同签订率", "30"), ("社会保险参保率", "30"), ("工资按时足额支付", "40")))
    category = scoring.categories.get()
    judge = testing.make_judge(scoring, cast.users.staff)
    testing.make_judge(scoring, cast.users.leader, person=cast.person1)
    nomination = testing.make_nomination(category, cast.ent1, chamber=cast.chamber1, reason="连续五年无劳动争议。" * 20)
    testing.make_scores(nomination, judge, [88.5, 92, 95])
    open_programme = testing.make_programme(cast.district, name="依法纳税10强评选", status=Programme.Status.NOMINATING)
    open_category = open_programme.categories.get()
    return {
        "staff": [reverse("honours:programme", args=[scoring.pk]), reverse("honours:category", args=[category.pk]),
                  reverse("honours:category_edit", args=[open_category.pk]),
                  reverse("honours:judges", args=[scoring.pk]), reverse("honours:nomination", args=[nomination.pk]),
                  reverse("honours:nomination_score", args=[nomination.pk]), reverse("honours:my_scoring"),
                  reverse("honours:nomination_create", args=[open_category.pk])],
        "chamber1": [reverse("honours:nomination", args=[nomination.pk]),
                     reverse("honours:nomination_create", args=[open_category.pk]),
                     reverse("honours:category", args=[open_category.pk])],
    }


@pytest.mark.parametrize("role", ["staff", "chamber1"])
def test_the_honours_pages_with_their_records_fit_a_phone(live_server, cast, browser, role, artifacts_dir):
    urls = _pages(cast)[role]
    context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    testing.sign_in(page, live_server.url, role)
    too_wide = {}
    for n, url in enumerate(urls):
        response = page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("networkidle")
        assert response.status == 200, url
        if testing.overflow(page) > 0:
            too_wide[url] = testing.overflow(page)
            page.screenshot(path=str(artifacts_dir / f"honours-phone-too-wide-{role}-{n}.png"), full_page=True)
    context.close()
    assert too_wide == {}
    assert problems == []
