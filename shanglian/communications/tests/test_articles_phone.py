"""At 375×667 the pages of 宣传报道 and 调研报告 that the navigation's phone test does not reach — one record's page,
its form, the import page — and the enterprise's and person's pages with the sections communications adds, do not
scroll sideways (a long title, a long link, many featured enterprises). Run with `make test-browser`."""

from datetime import date

import pytest
from django.urls import reverse

from shanglian import testing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 667}


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    testing.ensure_reference_data()


def test_the_publicity_and_report_pages_fit_a_phone(live_server, cast, browser, artifacts_dir):
    article = testing.make_article(cast.district, title="扎根河西二十年的科技企业家" * 4, persons=[cast.person1],
                                   enterprises=[cast.ent1, cast.ent2], link="https://www.example.com/" + "x" * 120)
    report = testing.make_report(cast.district, title="关于民营企业融资难题的调研报告" * 3, submitted_to="both",
                                 submitted_on=date(2025, 6, 1), instructed=True, instructed_by="区委书记",
                                 instructed_on=date(2025, 6, 5), instruction="请相关部门研究落实。" * 10)
    urls = [reverse("communications:report", args=[report.pk]), reverse("communications:report_create"),
            reverse("communications:report_edit", args=[report.pk]),
            reverse("communications:article", args=[article.pk]), reverse("communications:article_create"),
            reverse("communications:article_edit", args=[article.pk]), reverse("communications:article_import"),
            reverse("members:enterprise_detail", args=[cast.ent1.pk]),
            reverse("members:person_detail", args=[cast.person1.pk])]
    context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    testing.sign_in(page, live_server.url, "staff")
    too_wide = {}
    for n, url in enumerate(urls):
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("networkidle")
        if testing.overflow(page) > 0:
            too_wide[url] = testing.overflow(page)
            page.screenshot(path=str(artifacts_dir / f"publicity-too-wide-{n}.png"), full_page=True)
    context.close()
    assert too_wide == {}
    assert problems == []
