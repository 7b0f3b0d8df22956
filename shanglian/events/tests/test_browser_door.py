"""The door in a real browser at 375×667: ent1 opens its invitation on the phone and shows its QR code; staff,
on the door's page, feed a picture of that code to the decoder (the photo input: jsQR in the page) and the
page answers 签到成功 with the count moving from 0 to 1; the same picture again answers 已签到, naming the
staff member. Then the camera: Chromium's fake camera films a code, which is checked in once however long it
stays in view. Run with `make test-browser`; the screenshots are left in the artefacts directory."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from shanglian import testing
from shanglian.events import tokens
from shanglian.events.models import CheckIn, Invitation, Scan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 667}
DESK = {"width": 1440, "height": 900}


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    testing.ensure_reference_data()


def _context(browser, viewport):
    return browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai")


def test_staff_scan_the_qr_of_ent1s_invitation_page_and_the_count_moves(live_server, cast, browser, artifacts_dir):
    cast.users.staff.display_name = "张干事"
    cast.users.staff.save(update_fields=["display_name"])
    event = testing.make_event(cast.district, kind="breakfast", title="企业家早餐会",
                               starts_at=timezone.now() - timedelta(minutes=20))
    invitation = testing.make_invitation(event, cast.person1, status=Invitation.Status.ACCEPTED)
    problems = []

    # ent1, on its phone: the invitation's page shows the personal QR code.
    invitee = _context(browser, PHONE)
    page = invitee.new_page()
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    testing.sign_in(page, live_server.url, "ent1")
    page.goto(f"{live_server.url}{reverse('events:h5_invitation', args=[invitation.pk])}")
    page.wait_for_load_state("networkidle")
    code = page.get_by_role("img", name="王建国的签到二维码")
    code.evaluate("el => el.scrollIntoView({block: 'center'})")  # clear of the fixed top bar and tab bar
    page.screenshot(path=str(artifacts_dir / "door-1-invitation-375.png"), full_page=True)
    picture = artifacts_dir / "door-invitation-qr.png"
    code.screenshot(path=str(picture))
    invitee.close()

    # Staff, on the door's page at 375×667: nothing checked in yet.
    door = _context(browser, PHONE)
    page = door.new_page()
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    testing.sign_in(page, live_server.url, "staff")
    page.goto(f"{live_server.url}{reverse('events:door', args=[event.pk])}")
    page.wait_for_load_state("networkidle")
    attended = page.get_by_test_id("attended")
    assert attended.inner_text() == "0" and page.get_by_test_id("expected").inner_text() == "1"
    assert testing.overflow(page) <= 0
    page.screenshot(path=str(artifacts_dir / "door-2-empty-375.png"), full_page=True)

    # The picture of the code through the photo input: decoded in the page, posted, answered in place.
    photo = page.locator("[data-qr-file]")
    photo.set_input_files(str(picture))
    answer = page.locator("#scan-result .scan-result-ok")
    answer.wait_for(timeout=15_000)
    assert "签到成功" in answer.inner_text() and "王建国" in answer.inner_text()
    assert cast.ent1.name in answer.inner_text()
    assert attended.inner_text() == "1"
    page.screenshot(path=str(artifacts_dir / "door-3-ok-375.png"))

    # The same picture again: 已签到, by whom and when; the count stays.
    photo.set_input_files(str(picture))
    again = page.locator("#scan-result .scan-result-already")
    again.wait_for(timeout=15_000)
    when = timezone.localtime(CheckIn.objects.get().checked_in_at)
    assert "已签到" in again.inner_text() and f"已于 {when:%H:%M} 由 张干事 签到" in again.inner_text()
    assert attended.inner_text() == "1"
    assert testing.overflow(page) <= 0
    page.screenshot(path=str(artifacts_dir / "door-4-already-375.png"))

    # The manual fallback on the phone: found by the mobile's last four digits, marked 已签到.
    page.get_by_label("姓名或手机尾号").fill(invitation.mobile_tail)
    page.get_by_role("button", name="查找").click()
    match = page.locator("#door-search-results .door-match")
    match.first.wait_for(timeout=10_000)
    assert "王建国" in match.first.inner_text() and "已签到" in match.first.inner_text()
    assert testing.overflow(page) <= 0

    # The sign-in sheet and the scan log fit the phone (their tables scroll inside the card).
    for name, url in (("checkins", reverse("events:checkins", args=[event.pk])),
                      ("scans", reverse("events:scans", args=[event.pk]))):
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("networkidle")
        assert "王建国" in page.content() and testing.overflow(page) <= 0, name
        page.screenshot(path=str(artifacts_dir / f"door-{name}-375.png"), full_page=True)
    door.close()

    assert CheckIn.objects.filter(event=event).count() == 1
    assert list(Scan.objects.filter(event=event).order_by("id").values_list("result", flat=True)) == ["ok", "already"]
    assert problems == []

    # The same page on a desk, and the poster, for the record (looked at by hand).
    desk = _context(browser, DESK)
    page = desk.new_page()
    testing.sign_in(page, live_server.url, "staff")
    page.goto(f"{live_server.url}{reverse('events:door', args=[event.pk])}?scan="
              f"{Scan.objects.filter(event=event).latest('id').pk}")
    page.wait_for_load_state("networkidle")
    assert testing.overflow(page) <= 0
    page.screenshot(path=str(artifacts_dir / "door-5-desk-1440.png"), full_page=True)
    page.goto(f"{live_server.url}{reverse('events:poster', args=[event.pk])}")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(artifacts_dir / "door-6-poster-1440.png"), full_page=True)
    pdf = page.pdf(format="A4", print_background=True)  # the poster prints on one A4 page
    (artifacts_dir / "door-poster.pdf").write_bytes(pdf)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1
    page.emulate_media(media="print")  # how the printed page looks: A4 at 96 dpi
    page.set_viewport_size({"width": 794, "height": 1123})
    page.screenshot(path=str(artifacts_dir / "door-poster-print.png"))
    page.emulate_media(media="screen")
    page.goto(f"{live_server.url}{reverse('events:checkins', args=[event.pk])}")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(artifacts_dir / "door-checkins-1440.png"), full_page=True)
    desk.close()


def _y4m_of(text, path, *, width=640, height=480, module=8):
    """A video file of the QR code of `text` (black on white, centred) for Chromium's fake camera: Y4M, 4:2:0,
    a few identical frames (Chromium loops the file)."""
    import qrcode

    code = qrcode.QRCode(border=4, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    matrix = code.get_matrix()
    size = len(matrix) * module
    left, top = (width - size) // 2, (height - size) // 2
    luma = bytearray(b"\xeb" * (width * height))  # white (video range)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                for y in range(top + r * module, top + (r + 1) * module):
                    start = y * width + left + c * module
                    luma[start:start + module] = b"\x10" * module  # black
    chroma = b"\x80" * (width // 2 * height // 2)
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(5):
            out.write(b"FRAME\n" + bytes(luma) + chroma + chroma)


def test_the_camera_checks_a_code_in_once_however_long_it_stays_in_view(live_server, cast, browser_type,
                                                                        browser_type_launch_args, artifacts_dir,
                                                                        tmp_path):
    event = testing.make_event(cast.district, kind="breakfast", starts_at=timezone.now() - timedelta(minutes=20))
    invitation = testing.make_invitation(event, cast.person1, status=Invitation.Status.ACCEPTED)
    video = tmp_path / "door-camera.y4m"
    _y4m_of(tokens.for_invitation(invitation), video)
    args = [*browser_type_launch_args.get("args", []), "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream", f"--use-file-for-fake-video-capture={video}"]
    camera_browser = browser_type.launch(**{**browser_type_launch_args, "args": args})
    try:
        context = camera_browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai",
                                             permissions=["camera"])
        page = context.new_page()
        problems = []
        page.on("pageerror", lambda exc: problems.append(str(exc)))
        testing.sign_in(page, live_server.url, "staff")
        page.goto(f"{live_server.url}{reverse('events:door', args=[event.pk])}")
        page.wait_for_load_state("networkidle")
        page.get_by_role("button", name="打开摄像头扫码").click()
        page.locator("#scan-result .scan-result-ok").wait_for(timeout=15_000)
        assert page.get_by_test_id("attended").inner_text() == "1"
        assert page.get_by_role("button", name="关闭摄像头").is_visible()
        page.screenshot(path=str(artifacts_dir / "door-7-camera-375.png"))
        page.wait_for_timeout(2500)  # the code stays in front of the camera: about twenty more frames decoded
        assert Scan.objects.filter(event=event).count() == 1  # sent once, not once per frame
        page.get_by_role("button", name="关闭摄像头").click()
        assert page.locator("[data-qr-video]").is_hidden()
        assert page.get_by_role("button", name="打开摄像头扫码").is_visible()
        assert CheckIn.objects.filter(event=event).count() == 1 and problems == []
        context.close()
    finally:
        camera_browser.close()
