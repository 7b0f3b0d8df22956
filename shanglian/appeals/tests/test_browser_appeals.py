"""The whole appeal, in a browser: `ent1` submits on a phone, `staff` accepts and dispatches, `dept1`
signs for and replies, `ent1` rates it — and the KPIs move. Run with `make test-browser`."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shanglian import testing
from shanglian.appeals import figures
from shanglian.appeals.models import Appeal, Rating, Status
from shanglian.common.periods import Period

from .factories import ensure_categories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A 1×1 PNG: the attachment the enterprise uploads from its phone.
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x03\x00\x08\xfc\x02\xfe\xa7\x9a\xa0\xa0\x00\x00\x00\x00IEND\xaeB`\x82")
WECHAT_UA = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
             "Mobile/15E148 MicroMessenger/8.0.50(0x1800323a) NetType/WIFI Language/zh_CN")


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    testing.ensure_reference_data()
    ensure_categories()


@pytest.fixture
def open_session(browser, browser_context_args, live_server):
    """open_session(username, mobile=False) → a page of a new browser context, logged in through the
    login form; every context records console errors, page errors and failed responses."""
    contexts, problems = [], []

    def _open(username, *, mobile=False, next_url="/"):
        args = dict(browser_context_args)
        if mobile:
            args.update(viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True,
                        device_scale_factor=2, user_agent=WECHAT_UA)
        context = browser.new_context(**args)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda msg: problems.append(f"{username}: {msg.text}") if msg.type == "error" else None)
        page.on("pageerror", lambda exc: problems.append(f"{username}: {exc}"))
        page.on("response", lambda r: problems.append(f"{username}: {r.status} {r.url}") if r.status >= 400 else None)
        page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(testing.PASSWORD)
        page.get_by_role("button", name="登 录").click()
        page.wait_for_url(f"{live_server.url}{next_url}")
        return page

    _open.problems = problems
    yield _open
    for context in contexts:
        context.close()


def _panel(page, label):
    """Open an action panel of the desk/department detail page by its button; return the panel."""
    panel = page.locator(".action-panel").filter(has=page.get_by_role("button", name=label, exact=True))
    panel.get_by_role("button", name=label, exact=True).click()
    return panel


def _kpi(page, name):
    return page.locator(f'[data-kpi="{name}"]').inner_text().strip()


def test_enterprise_submits_on_a_phone_departments_reply_and_the_rating_moves_the_kpis(
        live_server, cast, open_session, artifacts_dir):
    year = Period.year(timezone.localdate().year)
    before = figures.kpi_report(cast.users.staff, year).overall
    assert (before.received, before.closed, before.rated) == (0, 0, 0)

    staff = open_session("staff", next_url="/appeals/statistics/")
    assert _kpi(staff, "诉求总量") == "0" and _kpi(staff, "满意度") == "无数据"

    # 1. ent1 on a phone: the empty list, the form, submit with a photo.
    ent = open_session("ent1", mobile=True, next_url="/appeals/h5/")
    assert ent.viewport_size == {"width": 375, "height": 667}
    assert ent.get_by_text("您还没有提交过诉求").is_visible()
    assert ent.get_by_role("navigation", name="底部导航").is_visible()
    ent.screenshot(path=str(artifacts_dir / "h5-list-empty.png"), full_page=True)
    ent.locator("main").get_by_role("link", name="提交诉求").click()  # the big button (the tab bar has one too)
    ent.wait_for_url("**/appeals/h5/new/")
    expect(ent.get_by_text("维权类诉求必填")).to_be_hidden()  # shown only for a rights case (h5.js)
    ent.get_by_label("诉求类别").select_option(label="维权服务")
    expect(ent.get_by_label("对方当事人")).to_be_visible()
    ent.get_by_label("诉求类别").select_option(label="融资贷款")
    expect(ent.get_by_label("对方当事人")).to_be_hidden()
    ent.get_by_label("诉求标题").fill("申请科技型中小企业贷款贴息")
    content = "我公司今年获得银行贷款300万元，想了解贴息政策的申请条件和所需材料。"
    ent.get_by_label("诉求内容").fill(content)
    expect(ent.locator(".h5-counter")).to_have_text(f"{len(content)} / 5000 字")  # counted by h5.js
    ent.get_by_label("附件").set_input_files([{"name": "营业执照.png", "mimeType": "image/png", "buffer": PNG}])
    ent.screenshot(path=str(artifacts_dir / "h5-form.png"), full_page=True)
    ent.get_by_role("button", name="提交诉求").click()
    ent.wait_for_url(re.compile(r".*/appeals/h5/\d+/$"))
    appeal = Appeal.objects.get()
    assert ent.get_by_text(f"提交成功，诉求编号 {appeal.number}").is_visible()
    assert ent.get_by_role("link", name="营业执照.png").is_visible()
    assert appeal.status == Status.SUBMITTED and appeal.channel == "platform"

    # 2. staff accepts and dispatches to 区税务局 in one step from the queue, with the pre-filled deadline.
    staff.goto(f"{live_server.url}/appeals/?queue=pending_accept")
    staff.get_by_role("link", name="受理并派单").click()
    staff.wait_for_url(re.compile(rf".*/appeals/{appeal.pk}/\?do=accept_dispatch.*"))
    one_step = staff.locator("#act-accept_dispatch")
    expect(one_step.get_by_role("button", name="确定受理并派单")).to_be_visible()  # opened, no further click
    one_step.get_by_label("区税务局").check()
    prefilled = one_step.get_by_label("办理期限").input_value()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", prefilled)
    one_step.get_by_label("给企业的说明（企业可见）").fill("已转区税务局办理")
    one_step.get_by_label("内部意见（仅内部可见）").fill("请税务局优先办理，企业反映强烈")
    one_step.get_by_role("button", name="确定受理并派单").click()
    staff.wait_for_load_state()
    assert staff.get_by_text("受理并派单成功").is_visible()
    appeal.refresh_from_db()
    assert appeal.status == Status.ASSIGNED and appeal.deadline.isoformat() == prefilled

    # 3. dept1 signs for it and replies.
    dept = open_session("dept1", next_url=f"/appeals/{appeal.pk}/")
    _panel(dept, "签收").get_by_role("button", name="确定").click()
    dept.wait_for_load_state()
    assert dept.get_by_text("签收成功").is_visible()
    reply = _panel(dept, "答复")
    reply.get_by_label("答复内容").fill("经核实，贵公司符合贴息条件，请于12月10日前向区财政局提交贷款合同和付息凭证。")
    reply.get_by_role("button", name="提交答复").click()
    dept.wait_for_load_state()
    assert dept.get_by_text("答复成功").is_visible()
    appeal.refresh_from_db()
    assert appeal.status == Status.REPLIED

    # 4. ent1 sees the reply and rates it on the phone.
    ent.goto(f"{live_server.url}/appeals/h5/")
    card = ent.locator(".h5-card", has_text=appeal.number)
    assert card.locator(".h5-tag-rate").inner_text() == "待评价"
    assert "区税务局" in card.inner_text()
    ent.screenshot(path=str(artifacts_dir / "h5-list.png"), full_page=True)
    card.click()
    ent.wait_for_url(f"**/appeals/h5/{appeal.pk}/")
    assert ent.get_by_text("请于12月10日前向区财政局提交贷款合同和付息凭证").first.is_visible()
    assert ent.locator(".h5-step").count() == 5  # 提交诉求, 受理, 派单, 签收, 答复
    assert ent.get_by_text("已转区税务局办理").is_visible()  # the desk's words for the enterprise …
    assert "企业反映强烈" not in ent.content()  # … and never its internal note
    replies, rating = ent.locator("#replies").bounding_box(), ent.locator("#rate").bounding_box()
    assert replies["y"] < rating["y"]  # on the phone the reply comes before the rating
    ent.get_by_label("满意", exact=True).check()
    ent.get_by_label("评价意见").fill("答复清楚，办理及时")
    ent.screenshot(path=str(artifacts_dir / "h5-detail-rating.png"), full_page=True)
    ent.get_by_role("button", name="提交评价").click()
    ent.wait_for_url(f"**/appeals/h5/{appeal.pk}/")
    assert ent.get_by_text("评价成功，感谢您的反馈。").is_visible()
    ent.screenshot(path=str(artifacts_dir / "h5-detail-closed.png"), full_page=True)
    appeal.refresh_from_db()
    assert appeal.status == Status.CLOSED and appeal.rating == Rating.SATISFIED

    # 5. The KPIs moved: in the selector and on the statistics page.
    after = figures.kpi_report(cast.users.staff, year).overall
    assert (after.received, after.accepted, after.closed, after.replied) == (1, 1, 1, 1)
    assert after.satisfied == 1 and after.satisfaction_score == 100 and after.closure_rate == 100
    staff.goto(f"{live_server.url}/appeals/statistics/")
    assert _kpi(staff, "诉求总量") == "1"
    assert _kpi(staff, "满意度") == "100.0分"
    assert _kpi(staff, "办结率") == "100.0%"
    staff.screenshot(path=str(artifacts_dir / "appeal-statistics-after.png"), full_page=True)
    assert open_session.problems == []  # no CSP violation, no script error, no failed request

