"""The staff pages of events in a browser, at 1440×900 and at 375×667, for staff and a chamber secretary: the
list, an event's page, 邀请 and the printed 请柬 fit the screen (no sideways scroll) and raise no script error;
a person picked on 邀请 by typing part of the name is invited. Screenshots go to the test artefacts.
Run with `make test-browser`."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from shanglian import testing
from shanglian.events.models import Invitation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 375, "height": 667}}


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    testing.ensure_reference_data()


@pytest.fixture
def scene(cast):
    """A chamber1 breakfast with answers, a check-in and a programme; a federation training."""
    soon = timezone.now() + datetime.timedelta(days=3)
    breakfast = testing.make_event(
        cast.district, kind="breakfast", chamber=cast.chamber1, starts_at=soon, capacity=60,
        title="友谊路街道商会2026年第四期民营企业家早餐会（金融服务专场）", leaders="区工商联主席张某、区金融局副局长李某",
        programme_text="07:30 签到\n08:00 金融政策解读\n08:40 企业交流发言\n09:30 结束")
    testing.make_invitation(breakfast, cast.person1, status="accepted", responded_at=timezone.now())
    testing.make_invitation(breakfast, cast.ent1, status="substitute", substitute_name="王助理")
    testing.make_event(cast.district, title="2026年民营企业财税培训班", starts_at=soon + datetime.timedelta(days=2))
    return breakfast


@pytest.mark.parametrize("screen", SCREENS, ids=list(SCREENS))
@pytest.mark.parametrize("role", ["staff", "chamber1"])
def test_the_event_pages_fit_the_screen(live_server, cast, scene, browser, artifacts_dir, role, screen):
    invitation = scene.invitations.get(person=cast.person1)
    pages = {
        "list": reverse("events:list"),
        "create": reverse("events:create"),
        "detail": reverse("events:detail", args=[scene.pk]),
        "invite": reverse("events:invite", args=[scene.pk]),
        "invitations": reverse("events:invitations", args=[scene.pk]),
        "print": reverse("events:invitation_print", args=[invitation.pk]),
    }
    context = browser.new_context(viewport=SCREENS[screen], locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    testing.sign_in(page, live_server.url, role)
    too_wide = {}
    for name, url in pages.items():
        response = page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("networkidle")
        assert response.status == 200, (name, response.status)
        page.screenshot(path=str(artifacts_dir / f"events-{name}-{role}-{screen}.png"), full_page=True)
        if testing.overflow(page) > 0:
            too_wide[name] = testing.overflow(page)
    context.close()
    assert too_wide == {}
    assert problems == []


def test_staff_pick_a_person_by_typing_and_invite_them(live_server, cast, scene, browser, artifacts_dir):
    other = testing.make_person(cast.district, name="赵明远", enterprise=cast.ent2)
    context = browser.new_context(viewport=SCREENS["phone"], locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    testing.sign_in(page, live_server.url, "staff")
    page.goto(f"{live_server.url}{reverse('events:invite', args=[scene.pk])}")
    page.get_by_label("人员 1").fill("赵明")
    page.get_by_role("option", name="赵明远").first.click()
    page.get_by_role("button", name="发出邀请").click()
    page.wait_for_url(f"**{reverse('events:invitations', args=[scene.pk])}")
    assert page.get_by_text("已邀请 1 位").is_visible()
    page.screenshot(path=str(artifacts_dir / "events-invited-staff-phone.png"), full_page=True)
    context.close()
    assert Invitation.objects.filter(event=scene, person=other).exists()


def _pdf_pages(pdf):
    """The (width, height) in points of each page of a PDF Chromium printed."""
    import re

    return [(round(float(w)), round(float(h))) for w, h in
            re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)]


@pytest.mark.parametrize(("paper", "size"), [("a5", (420, 595)), ("a4", (595, 842))], ids=["a5", "a4"])
def test_the_invitation_prints_on_one_sheet_of_its_paper(live_server, cast, scene, browser, artifacts_dir, paper,
                                                          size):
    invitation = scene.invitations.get(person=cast.person1)
    context = browser.new_context(viewport=SCREENS["desktop"], locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    testing.sign_in(page, live_server.url, "staff")
    page.goto(f"{live_server.url}{reverse('events:invitation_print', args=[invitation.pk])}?paper={paper}")
    page.wait_for_load_state("networkidle")
    pdf = page.pdf(prefer_css_page_size=True)
    page.emulate_media(media="print")  # how the sheet looks printed (96 px to the inch), for the artefacts
    page.set_viewport_size({"width": round(size[0] * 96 / 72), "height": round(size[1] * 96 / 72)})
    page.screenshot(path=str(artifacts_dir / f"events-invitation-{paper}-printed.png"), full_page=True)
    (artifacts_dir / f"events-invitation-{paper}.pdf").write_bytes(pdf)
    context.close()
    assert _pdf_pages(pdf) == [size]
