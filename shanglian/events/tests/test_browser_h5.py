"""The invitee's phone pages in a real browser at 375×667 (and the list at 1440×900): ent1 sees 我的活动 with its
待回复 first, opens the 请柬, answers 参加 and gets its QR code; on the day, from the invitation, 扫码签到 takes a
photo of the posted 签到码 (decoded in the page by the vendored jsQR), answers 签到成功, then 已签到 for the same
code again, and 拒绝签到 for a personal code. No page scrolls sideways. Run with `make test-browser`; the
screenshots are left in the artefacts directory."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from shanglian import testing
from shanglian.events import qr
from shanglian.events.models import CheckIn, Event, Invitation, Scan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 667}
DESK = {"width": 1440, "height": 900}


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    testing.ensure_reference_data()


def _picture_of(browser, svg, path):
    """A photo of a QR code: the SVG drawn on a white page and screenshot as a PNG."""
    context = browser.new_context(viewport={"width": 420, "height": 420})
    page = context.new_page()
    page.set_content(f"<body style='margin:0;background:#fff'><div style='width:400px;padding:10px'>{svg}</div>")
    page.locator("svg").evaluate("el => { el.style.width = '380px'; el.style.height = '380px'; }")
    page.locator("div").screenshot(path=str(path))
    context.close()
    return path


def test_ent1_answers_its_invitation_and_checks_itself_in_on_a_phone(live_server, cast, browser, artifacts_dir):
    now = timezone.now()
    breakfast = testing.make_event(cast.district, kind="breakfast", title="河西区民营企业家早餐会",
                                   starts_at=now + timedelta(days=5), status=Event.Status.REGISTRATION,
                                   rsvp_deadline=now + timedelta(days=3), capacity=40, leaders="区委副书记 王某",
                                   programme_text="07:30 签到\n07:45 早餐交流\n08:30 政策解读：2026年稳岗返还")
    training = testing.make_event(cast.district, kind="training", title="民营企业财税合规培训班",
                                  starts_at=now - timedelta(minutes=20), hours=4, status=Event.Status.RUNNING)
    finished = testing.make_event(cast.district, kind="forum", title="跨境电商发展论坛",
                                  starts_at=now - timedelta(days=40), status=Event.Status.FINISHED)
    pending = testing.make_invitation(breakfast, cast.ent1)
    today = testing.make_invitation(training, cast.person1, status=Invitation.Status.ACCEPTED)
    testing.make_invitation(finished, cast.ent1, status=Invitation.Status.ACCEPTED)
    poster = _picture_of(browser, qr.event_svg(training), artifacts_dir / "h5-poster-code.png")
    personal = _picture_of(browser, qr.invitation_svg(today), artifacts_dir / "h5-personal-code.png")
    problems = []

    context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    testing.sign_in(page, live_server.url, "ent1")

    # 我的活动: the pending invitation first, then the one under way, then the past one.
    page.goto(f"{live_server.url}{reverse('events:h5_invitations')}")
    page.wait_for_load_state("networkidle")
    cards = page.locator(".h5-card-title").all_inner_texts()
    assert cards == ["河西区民营企业家早餐会", "民营企业财税合规培训班", "跨境电商发展论坛"]
    assert "活动" in page.locator(".h5-tab.active").inner_text()
    assert page.locator(".h5-tab.active .h5-badge").inner_text() == "1"  # one invitation waits for an answer
    assert testing.overflow(page) <= 0
    page.screenshot(path=str(artifacts_dir / "h5-events-1-list-375.png"), full_page=True)

    # The 请柬: answer 参加; the QR code appears, large enough to scan off the screen.
    page.get_by_text("河西区民营企业家早餐会").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("尊敬的天津友谊科技有限公司：").is_visible()
    assert testing.overflow(page) <= 0
    page.screenshot(path=str(artifacts_dir / "h5-events-2-invitation-375.png"), full_page=True)
    page.locator("label.h5-choice", has_text="参加").first.click()
    page.get_by_role("button", name="提交回复").click()
    page.wait_for_load_state("networkidle")
    assert "已回复：参加" in page.locator(".h5-alert-success").inner_text()
    code = page.get_by_role("img", name="天津友谊科技有限公司的签到二维码")
    assert code.bounding_box()["width"] >= 240
    assert Invitation.objects.get(pk=pending.pk).status == Invitation.Status.ACCEPTED
    page.screenshot(path=str(artifacts_dir / "h5-events-3-answered-375.png"), full_page=True)

    # On the day: 扫码签到 from the invitation, a photo of the posted code.
    page.goto(f"{live_server.url}{reverse('events:h5_invitation', args=[today.pk])}")
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="扫码签到").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("签到人：王建国").is_visible()
    assert testing.overflow(page) <= 0
    page.screenshot(path=str(artifacts_dir / "h5-events-4-checkin-375.png"), full_page=True)
    page.locator("[data-qr-file]").set_input_files(str(poster))
    page.locator(".scan-result-ok").wait_for(timeout=15_000)
    assert "签到成功" in page.locator("#scan-result").inner_text()
    assert CheckIn.objects.get().invitation_id == today.pk
    page.screenshot(path=str(artifacts_dir / "h5-events-5-ok-375.png"), full_page=True)

    # The same code again: 已签到, by whom and when; a personal code instead of the event's: refused.
    page.locator("[data-qr-file]").set_input_files(str(poster))
    page.locator(".scan-result-already").wait_for(timeout=15_000)
    when = timezone.localtime(CheckIn.objects.get().checked_in_at)
    assert f"已于 {when:%H:%M} 本人自助 签到" in page.locator("#scan-result").inner_text()
    page.screenshot(path=str(artifacts_dir / "h5-events-6-already-375.png"), full_page=True)
    page.locator("[data-qr-file]").set_input_files(str(personal))
    page.locator(".scan-result-refused").wait_for(timeout=15_000)
    assert "这是参会人的请柬二维码" in page.locator("#scan-result").inner_text()
    assert testing.overflow(page) <= 0
    page.screenshot(path=str(artifacts_dir / "h5-events-7-refused-375.png"), full_page=True)
    assert CheckIn.objects.count() == 1
    assert list(Scan.objects.order_by("id").values_list("result", flat=True)) == ["ok", "already", "refused"]

    # The invitation now says 已签到 with the time, and offers the feedback form.
    page.goto(f"{live_server.url}{reverse('events:h5_invitation', args=[today.pk])}")
    page.wait_for_load_state("networkidle")
    assert page.get_by_text(f"已签到 {when:%H:%M}").is_visible() and page.get_by_text("提交反馈").is_visible()
    page.screenshot(path=str(artifacts_dir / "h5-events-8-checked-in-375.png"), full_page=True)
    context.close()
    assert problems == []

    # The list on a desk, for the record.
    desk = browser.new_context(viewport=DESK, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = desk.new_page()
    testing.sign_in(page, live_server.url, "ent1")
    page.goto(f"{live_server.url}{reverse('events:h5_invitations')}")
    page.wait_for_load_state("networkidle")
    assert testing.overflow(page) <= 0
    page.screenshot(path=str(artifacts_dir / "h5-events-9-list-1440.png"), full_page=True)
    page.goto(f"{live_server.url}{reverse('events:h5_invitation', args=[pending.pk])}")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(artifacts_dir / "h5-events-10-invitation-1440.png"), full_page=True)
    desk.close()
