"""The door's pages (door_views.py): every scan gets one of three answers — 签到成功; 已签到, naming by whom and
when; 拒绝, and why — a repeated upload of the same scan is recognised and not counted twice, failed scans are
logged; the manual fallback, 现场登记, the posted 签到码, the sign-in sheet and its export, the scan log, who
may open what, and eight simultaneous scans of one code counting once."""

import io
import json
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError, close_old_connections, connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.events import services, tokens
from shanglian.events.models import CheckIn, Event, Invitation, Scan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def reference_data(db):
    testing.ensure_reference_data()


@pytest.fixture
def door(cast):
    """A 早餐会 under way now: ent1's 王建国 invited and answered yes, ent2 invited and not yet answered; the
    staff member at the door has a name."""
    cast.users.staff.display_name = "张干事"
    cast.users.staff.save(update_fields=["display_name"])
    event = testing.make_event(cast.district, kind="breakfast", title="企业家早餐会",
                               starts_at=timezone.now() - timedelta(minutes=30))
    wang = testing.make_invitation(event, cast.person1, status=Invitation.Status.ACCEPTED)
    ent2 = testing.make_invitation(event, cast.ent2)
    return event, wang, ent2


def _scan(client, event, payload, nonce=None, *, as_json=True):
    data = {"payload": payload, "nonce": nonce or uuid.uuid4().hex}
    extra = {"HTTP_ACCEPT": "application/json"} if as_json else {}
    return client.post(reverse("events:door_scan", args=[event.pk]), data, **extra)


def _scan_body(client, event, body):
    """A scan posted as a raw JSON body (what a mini-program or a script would send)."""
    return client.post(reverse("events:door_scan", args=[event.pk]), body, content_type="application/json",
                       HTTP_ACCEPT="application/json")


# --- the page ------------------------------------------------------------------------------------------------------
def test_the_door_shows_the_scanner_the_count_and_the_fallbacks(cast, login, door):
    event, _, _ = door
    page = login(cast.users.staff).get(reverse("events:door", args=[event.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "data-qr-scanner" in html and 'capture="environment"' in html
    assert "vendor/jsqr/jsQR.js" in html and "shanglian/qrscan.js" in html
    assert page.context["counts"]["checked_in"] == 0 and page.context["counts"]["expected"] == 2
    assert "人工签到" in html and "现场登记" in html
    assert "<script>" not in html  # no inline script: the CSP allows only our own files


def test_the_expected_count_leaves_out_declined_and_waitlisted_invitees(cast, login, door):
    event, _, ent2 = door
    ent2.status = Invitation.Status.DECLINED
    ent2.save(update_fields=["status"])
    testing.make_invitation(event, cast.ent1, status=Invitation.Status.WAITLISTED)
    page = login(cast.users.staff).get(reverse("events:door", args=[event.pk]))
    assert page.context["counts"]["expected"] == 1


# --- the three answers ------------------------------------------------------------------------------------------------
def test_a_scan_checks_in_and_a_double_scan_says_by_whom_and_when(cast, login, door):
    event, wang, _ = door
    client = login(cast.users.staff)
    code = tokens.for_invitation(wang)
    first = _scan(client, event, code)
    assert first.status_code == 200 and first["Content-Type"].startswith("application/json")
    data = first.json()
    assert (data["result"], data["title"], data["name"], data["attended"]) == ("ok", "签到成功", "王建国", 1)
    assert data["organisation"] == cast.ent1.name and data["bind"] == {"attended": 1}
    assert "签到成功" in data["html"] and "王建国" in data["html"] and "scan-result-ok" in data["html"]

    second = _scan(client, event, code).json()
    when = timezone.localtime(CheckIn.objects.get().checked_in_at)
    assert second["result"] == "already" and second["title"] == "已签到"
    assert second["checked_in_at"] == f"{when:%H:%M}" and second["checked_in_by"] == "张干事"
    assert f"已于 {when:%H:%M} 由 张干事 签到" in second["html"] and "scan-result-already" in second["html"]
    assert second["attended"] == 1
    assert CheckIn.objects.filter(event=event).count() == 1
    assert list(Scan.objects.order_by("id").values_list("result", flat=True)) == ["ok", "already"]


@pytest.mark.parametrize(("case", "reason", "words"), [
    ("forged", "forged", "签名校验未通过"),
    ("bare_code", "forged", "签名校验未通过"),
    ("other_event", "other_event", "另一场培训班"),
    ("cancelled", "invitation_cancelled", "请柬已取消"),
    ("event_code", "event_code", "活动的签到码"),
], ids=["forged", "bare_code", "other_event", "cancelled", "event_code"])
def test_a_refused_scan_says_why_and_is_logged(cast, login, door, case, reason, words):
    event, wang, _ = door
    if case == "forged":
        payload = tokens.for_invitation(wang)[:-4] + "AAAA"
    elif case == "bare_code":
        payload = f"SLQ1:{wang.code}"
    elif case == "other_event":
        other = testing.make_event(cast.district, title="另一场培训班", starts_at=timezone.now())
        payload = tokens.for_invitation(testing.make_invitation(other, cast.ent2, status=Invitation.Status.ACCEPTED))
    elif case == "cancelled":
        Invitation.objects.filter(pk=wang.pk).update(status=Invitation.Status.CANCELLED)  # withdrawn before the start
        payload = tokens.for_invitation(wang)
    else:  # the event's own posted 签到码, scanned by staff instead of an invitee
        payload = tokens.for_event(event)
    data = _scan(login(cast.users.staff), event, payload).json()
    assert data["result"] == "refused" and data["title"] == "拒绝" and data["reason"] == reason
    assert words in data["message"] and words in data["html"] and "scan-result-refused" in data["html"]
    assert not CheckIn.objects.filter(event=event).exists()
    logged = Scan.objects.get(event=event)
    assert (logged.result, logged.reason, logged.scanned_by) == ("refused", reason, cast.users.staff)


def test_a_scan_outside_the_events_day_is_refused_and_the_page_says_so(cast, login):
    event = testing.make_event(cast.district, starts_at=timezone.now() + timedelta(days=3))
    invitation = testing.make_invitation(event, cast.ent1, status=Invitation.Status.ACCEPTED)
    client = login(cast.users.staff)
    assert "尚未开始签到" in client.get(reverse("events:door", args=[event.pk])).content.decode()
    data = _scan(client, event, tokens.for_invitation(invitation)).json()
    assert data["result"] == "refused" and data["reason"] == "outside_day" and "签到时间" in data["message"]
    assert not CheckIn.objects.exists() and Scan.objects.filter(reason="outside_day").count() == 1


def test_the_same_scan_uploaded_twice_is_answered_again_and_counted_once(cast, login, door):
    event, wang, _ = door
    client = login(cast.users.staff)
    code, nonce = tokens.for_invitation(wang), str(uuid.uuid4())
    first = _scan(client, event, code, nonce).json()
    again = _scan(client, event, code, nonce).json()
    assert first["result"] == again["result"] == "ok"
    assert not first["repeat"] and again["repeat"] and again["scan"] == first["scan"]
    assert "重复上传" in again["html"]
    assert CheckIn.objects.count() == 1 and Scan.objects.count() == 1


def test_a_plain_form_post_lands_on_the_door_showing_its_answer(cast, login, door):
    event, wang, _ = door
    client = login(cast.users.staff)
    response = _scan(client, event, tokens.for_invitation(wang), as_json=False)
    scan = Scan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("events:door", args=[event.pk]) + f"?scan={scan.pk}"
    page = client.get(response["Location"]).content.decode()
    assert "签到成功" in page and "王建国" in page and "操作人 张干事" in page


def test_another_events_scan_id_shows_no_answer(cast, login, door):
    event, wang, _ = door
    other = testing.make_event(cast.district, starts_at=timezone.now())
    scan = services.scan(actor=cast.users.staff, event=other, payload="nonsense")
    page = login(cast.users.staff).get(reverse("events:door", args=[event.pk]) + f"?scan={scan.scan_id}")
    assert page.status_code == 200 and page.context["shown"] is None


# --- bad input never 500s -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("body", [
    json.dumps({"payload": 12345678901234567890}),        # a 20-digit number
    json.dumps({"payload": "12345678901234567890"}),
    json.dumps({"payload": "x" * 10_000}),                # 10 kB
    '{"payload": NaN}',                                    # NaN (Python's json reads it)
    json.dumps({"payload": {"a": {"b": [1, {"c": None}]}}}),  # nested JSON
    "[" * 100_000 + "]" * 100_000,                         # nested past the parser's recursion limit
    "not json at all",
    json.dumps([1, 2, 3]),
    json.dumps({"payload": "SLQ1:" + "\x00" * 50}),         # NUL: PostgreSQL stores no such text
    '{"payload": "SLQ1:\\ud800:abc"}',                    # a lone surrogate: no such UTF-8
    "\x00" * 20,
], ids=["number20", "digits20", "10kB", "NaN", "nested", "deep", "not_json", "list", "nul", "surrogate", "nul_body"])
def test_a_bad_payload_is_a_refused_answer_logged_never_a_500(cast, login, door, body):
    event, _, _ = door
    response = _scan_body(login(cast.users.staff), event, body)
    assert response.status_code == 200
    data = response.json()
    assert data["result"] == "refused" and data["message"]
    assert not CheckIn.objects.exists()
    logged = Scan.objects.get()
    assert logged.result == "refused" and len(logged.payload) <= 120


@pytest.mark.parametrize("nonce", ["x" * 65, "a b", "<script>", {"a": [1]}, 1.5],
                         ids=["long", "space", "markup", "object", "float"])
def test_a_malformed_nonce_is_a_400_in_chinese_and_logs_nothing(cast, login, door, nonce):
    event, wang, _ = door
    response = _scan_body(login(cast.users.staff), event,
                          json.dumps({"payload": tokens.for_invitation(wang), "nonce": nonce}))
    assert response.status_code == 400 and response.json()["message"].startswith("扫描标识无效")
    assert not Scan.objects.exists() and not CheckIn.objects.exists()


def test_a_scan_must_be_posted(cast, login, door):
    event, _, _ = door
    assert login(cast.users.staff).get(reverse("events:door_scan", args=[event.pk])).status_code == 405


# --- the manual fallback and 现场登记 -----------------------------------------------------------------------------------------
def test_manual_search_by_name_and_by_the_mobiles_last_four_digits(cast, login, door):
    event, wang, _ = door
    client = login(cast.users.staff)
    url = reverse("events:door_search", args=[event.pk])
    by_name = client.get(url, {"q": "王建"})
    assert by_name.status_code == 200
    assert [i.pk for i, _ in by_name.context["results"]] == [wang.pk]
    assert reverse("events:door_manual", args=[event.pk, wang.pk]) in by_name.content.decode()
    by_tail = client.get(url, {"q": wang.mobile_tail})
    assert [i.pk for i, _ in by_tail.context["results"]] == [wang.pk]
    by_firm = client.get(url, {"q": "之江"}, HTTP_HX_REQUEST="true")  # htmx: the list alone
    html = by_firm.content.decode()
    assert "<html" not in html and cast.ent2.name in html and 'id="door-search-results"' in html
    nobody = client.get(url, {"q": "查无此人"})
    assert nobody.context["results"] == [] and "没有找到" in nobody.content.decode()
    too_long = client.get(url, {"q": "长" * 51})
    assert too_long.status_code == 400 and "不能超过50个字" in too_long.content.decode()


def test_manual_check_in_counts_once_and_shows_its_answer(cast, login, door):
    event, wang, _ = door
    client = login(cast.users.staff)
    url = reverse("events:door_manual", args=[event.pk, wang.pk])
    nonce = uuid.uuid4().hex
    response = client.post(url, {"nonce": nonce, "q": "王建"})
    assert response.status_code == 302 and "q=" in response["Location"]
    checkin = CheckIn.objects.get()
    assert checkin.method == CheckIn.Method.MANUAL and checkin.checked_in_by == cast.users.staff
    client.post(url, {"nonce": nonce, "q": "王建"})  # the same form sent again
    assert CheckIn.objects.count() == 1 and Scan.objects.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "签到成功" in page and "人工签到" in page
    assert "已签到" in page  # the search list marks him checked in
    again = client.post(url, {"nonce": uuid.uuid4().hex}, HTTP_ACCEPT="application/json").json()
    assert again["result"] == "already" and "由 张干事 签到" in again["html"]


def test_manual_check_in_of_another_events_invitation_is_404(cast, login, door):
    event, _, _ = door
    other = testing.make_event(cast.district, starts_at=timezone.now())
    theirs = testing.make_invitation(other, cast.ent1, status=Invitation.Status.ACCEPTED)
    response = login(cast.users.staff).post(reverse("events:door_manual", args=[event.pk, theirs.pk]))
    assert response.status_code == 404
    assert not CheckIn.objects.exists() and not Scan.objects.exists()


def test_walk_in_with_a_bad_mobile_is_refused_in_chinese_and_nothing_is_written(cast, login, door):
    event, _, _ = door
    client = login(cast.users.staff)
    url = reverse("events:door_walk_in", args=[event.pk])
    response = client.post(url, {"name": "临时来宾", "mobile": "1380013", "organisation": "河西某公司"})
    assert response.status_code == 400
    assert "手机号码应为11位数字" in response.content.decode()
    assert not CheckIn.objects.exists() and not Scan.objects.exists()
    assert "请填写姓名" in client.post(url, {"name": "  "}).content.decode()
    ok = client.post(url, {"name": "临时来宾", "mobile": "13912345678", "organisation": "河西某公司"})
    assert ok.status_code == 302
    walk_in = CheckIn.objects.get()
    assert (walk_in.method, walk_in.mobile_tail, walk_in.organisation) == ("walk_in", "5678", "河西某公司")
    page = client.get(ok["Location"]).content.decode()
    assert "签到成功" in page and "临时来宾" in page and "现场登记" in page
    assert client.get(reverse("events:door", args=[event.pk])).context["counts"]["checked_in"] == 1


def test_walk_in_outside_the_events_day_is_refused(cast, login):
    event = testing.make_event(cast.district, starts_at=timezone.now() - timedelta(days=3))
    response = login(cast.users.staff).post(reverse("events:door_walk_in", args=[event.pk]), {"name": "临时来宾"})
    assert response.status_code == 409 and "不在签到时间内" in response.content.decode()
    assert not CheckIn.objects.exists()


# --- the posted 签到码 -------------------------------------------------------------------------------------------------------
def test_the_poster_prints_the_events_code_with_its_title_time_and_venue(cast, login, door):
    event, _, _ = door
    page = login(cast.users.staff).get(reverse("events:poster", args=[event.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html
    assert event.title in html and event.venue in html and "请使用商联通手机端扫码签到" in html
    assert event.checkin_code not in html  # only inside the signed code, never as text


def test_renewing_the_code_needs_a_confirmation_and_voids_the_printed_one(cast, login, door):
    event, _, _ = door
    client = login(cast.users.staff)
    url = reverse("events:poster_renew", args=[event.pk])
    old = tokens.for_event(event)
    confirm = client.get(url)
    assert confirm.status_code == 200 and "全部失效" in confirm.content.decode()
    assert Event.objects.get(pk=event.pk).checkin_code == event.checkin_code  # a GET changes nothing
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("events:poster", args=[event.pk])
    assert Event.objects.get(pk=event.pk).checkin_code != event.checkin_code
    stale = services.self_check_in(actor=cast.users.ent1, payload=old)
    assert stale.result == "refused" and stale.reason == "stale_code"
    assert AuditEvent.objects.filter(object_type="events.event", object_id=str(event.pk), action="update").exists()


# --- the sign-in sheet, its export, the scan log -------------------------------------------------------------------------------
def test_the_sign_in_sheet_lists_every_check_in_with_method_time_and_operator(cast, login, door):
    event, wang, _ = door
    services.scan(actor=cast.users.staff, event=event, payload=tokens.for_invitation(wang))
    services.register_walk_in(actor=cast.users.staff, event=event, name="临时来宾", mobile="13912345678",
                              organisation="河西某公司")
    page = login(cast.users.leader).get(reverse("events:checkins", args=[event.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "王建国" in html and "临时来宾" in html and "5678" in html and "河西某公司" in html
    assert "扫码签到" in html and "现场登记" in html and "张干事" in html
    assert "共 2 条" in html or "共 <strong>2</strong> 条" in html or page.context["paginator"].count == 2
    walk_ins = login(cast.users.leader).get(reverse("events:checkins", args=[event.pk]), {"method": "walk_in"})
    assert walk_ins.context["paginator"].count == 1


def test_the_sign_in_sheet_export_is_an_audited_xlsx(cast, login, door):
    event, wang, _ = door
    services.scan(actor=cast.users.staff, event=event, payload=tokens.for_invitation(wang))
    response = login(cast.users.staff).get(reverse("events:checkins_export", args=[event.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming
                                      else response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:7] == ("序号", "姓名", "单位", "手机尾号", "签到方式", "签到时间", "操作人")
    assert rows[1][1:5] == ("王建国", cast.ent1.name, wang.mobile_tail, "扫码签到") and rows[1][6] == "张干事"
    assert len(rows) == 2
    audit = AuditEvent.objects.filter(action="export", object_type="events.checkin").get()
    assert audit.detail["rows"] == 1 and audit.detail["event"] == event.pk


def test_the_scan_log_keeps_every_attempt_with_its_result(cast, login, door):
    event, wang, _ = door
    code = tokens.for_invitation(wang)
    services.scan(actor=cast.users.staff, event=event, payload=code)
    services.scan(actor=cast.users.staff, event=event, payload=code)
    services.scan(actor=cast.users.staff, event=event, payload="https://example.com/not-ours")
    client = login(cast.users.staff)
    page = client.get(reverse("events:scans", args=[event.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and page.context["paginator"].count == 3
    assert "签到成功" in html and "已签到" in html and "拒绝" in html and "无法识别" in html
    assert "https://example.com/not-ours" in html and code not in html  # a valid code is never shown
    refused = client.get(reverse("events:scans", args=[event.pk]), {"result": "refused"})
    assert refused.context["paginator"].count == 1


# --- who may open what --------------------------------------------------------------------------------------------------------
DOOR_PAGES = ["events:door", "events:poster", "events:poster_renew"]
READ_PAGES = ["events:checkins", "events:checkins_export", "events:scans"]


@pytest.fixture
def two_events(cast):
    """The federation's event and chamber1's own, both under way."""
    now = timezone.now() - timedelta(minutes=10)
    federation = testing.make_event(cast.district, starts_at=now)
    chambers = testing.make_event(cast.district, starts_at=now, chamber=cast.chamber1)
    return {"federation": federation, "chamber1": chambers}


# (user, event) → status of the door's pages; the sign-in sheet's readers add the leader.
DOOR_ACCESS = [
    ("staff", "federation", 200), ("staff", "chamber1", 200), ("admin", "chamber1", 200),
    ("chamber1", "chamber1", 200), ("chamber1", "federation", 404), ("chamber2", "chamber1", 404),
    ("leader", "federation", 403), ("dept1", "federation", 403), ("ent1", "federation", 403),
    ("auditor", "federation", 403), ("outsider_staff", "federation", 404), ("outsider_staff", "chamber1", 404),
]
READ_ACCESS = [(user, target, 200 if user == "leader" else status) for user, target, status in DOOR_ACCESS]


@pytest.mark.parametrize("page", DOOR_PAGES)
@pytest.mark.parametrize(("user", "target", "status"), DOOR_ACCESS,
                         ids=[f"{u}-{t}-{s}" for u, t, s in DOOR_ACCESS])
def test_the_door_is_the_organisers_of_the_event(cast, login, two_events, page, user, target, status):
    client = login(getattr(cast.users, user))
    assert client.get(reverse(page, args=[two_events[target].pk])).status_code == status


@pytest.mark.parametrize("page", READ_PAGES)
@pytest.mark.parametrize(("user", "target", "status"), READ_ACCESS,
                         ids=[f"{u}-{t}-{s}" for u, t, s in READ_ACCESS])
def test_the_sign_in_sheet_and_the_log_are_the_events_readers(cast, login, two_events, page, user, target, status):
    client = login(getattr(cast.users, user))
    assert client.get(reverse(page, args=[two_events[target].pk])).status_code == status


@pytest.mark.parametrize(("user", "status"), [("leader", 403), ("dept1", 403), ("ent1", 403),
                                              ("outsider_staff", 404), ("chamber2", 404)])
def test_a_refused_user_changes_nothing_at_the_door(cast, login, two_events, user, status):
    event = two_events["chamber1"]
    invitation = testing.make_invitation(event, cast.ent1, status=Invitation.Status.ACCEPTED)
    client = login(getattr(cast.users, user))
    code = event.checkin_code
    assert _scan(client, event, tokens.for_invitation(invitation)).status_code == status
    assert client.post(reverse("events:door_manual", args=[event.pk, invitation.pk])).status_code == status
    assert client.post(reverse("events:door_walk_in", args=[event.pk]), {"name": "某人"}).status_code == status
    assert client.post(reverse("events:poster_renew", args=[event.pk])).status_code == status
    assert client.get(reverse("events:door_search", args=[event.pk]), {"q": "友谊"}).status_code == status
    assert not CheckIn.objects.exists() and not Scan.objects.exists()
    assert Event.objects.get(pk=event.pk).checkin_code == code
    if status == 404:  # a guessed URL of another scope is audited as a denial
        assert AuditEvent.objects.filter(action="denied", object_type="events.event",
                                         object_id=str(event.pk)).exists()


def test_the_door_pages_need_a_login(client, cast, two_events):
    event = two_events["federation"]
    for page in [*DOOR_PAGES, *READ_PAGES, "events:door_search"]:
        response = client.get(reverse(page, args=[event.pk]))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], page


def test_the_decoder_is_vendored_with_its_licence_and_version():
    vendor = Path(django_settings.BASE_DIR) / "static" / "vendor"
    assert (vendor / "jsqr" / "jsQR.js").stat().st_size > 100_000
    assert "Apache License" in (vendor / "jsqr" / "LICENSE").read_text()
    assert any(line.startswith("jsqr\t") and "\tApache-2.0\t" in line
               for line in (vendor / "VERSIONS.txt").read_text().splitlines())


# --- eight simultaneous scans of one code ----------------------------------------------------------------------------------
@pytest.fixture
def transactional_door(transactional_db):
    testing.ensure_reference_data()
    cast = testing.make_cast()
    event = testing.make_event(cast.district, kind="breakfast", starts_at=timezone.now() - timedelta(minutes=30))
    invitation = testing.make_invitation(event, cast.person1, status=Invitation.Status.ACCEPTED)
    return cast, event, invitation


@pytest.mark.django_db(transaction=True)
def test_eight_simultaneous_scans_of_one_code_count_once(transactional_door):
    """Eight phones scan the same invitation at once, each its own scan (nonce). PostgreSQL: the invitation's
    row lock serialises them. SQLite: its IMMEDIATE transactions serialise writers; the shared-cache test
    database refuses a second writer at once ("database table is locked") instead of waiting — before the scan,
    or after it, when the session is saved — and a phone left without an answer sends the same scan again with
    the same nonce, as qrscan.js's 重试 does: a scan that did arrive is answered again, never counted twice."""
    cast, event, invitation = transactional_door
    code = tokens.for_invitation(invitation)
    clients = []
    for _ in range(8):
        client = Client()
        client.force_login(cast.users.staff)
        clients.append(client)
    close_old_connections()
    barrier = threading.Barrier(len(clients))
    answers, errors, retries = [None] * len(clients), [], []

    def phone(i, client):
        nonce = str(uuid.uuid4())
        try:
            barrier.wait(timeout=10)
            for _attempt in range(200):
                try:
                    response = _scan(client, event, code, nonce)
                except OperationalError as exc:  # refused before or inside the scan's transaction
                    if "locked" not in str(exc):
                        raise
                    retries.append(i)
                    time.sleep(0.02)
                    continue
                if response.status_code == 400 and not response["Content-Type"].startswith("application/json"):
                    # the scan was committed, then the session's save was refused (SessionInterrupted): no answer
                    retries.append(i)
                    time.sleep(0.02)
                    continue
                answers[i] = (nonce, response.status_code, response.json())
                return
            errors.append(f"phone {i}: still locked after 200 attempts")
        except Exception as exc:  # noqa: BLE001 — reported by the assertion below
            errors.append(f"phone {i}: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=phone, args=(i, c)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    close_old_connections()
    assert errors == []
    if connection.vendor == "postgresql":  # the row lock makes the others wait: nobody needs to send again
        assert retries == []
    assert all(status == 200 for _, status, _ in answers), answers
    results = sorted(data["result"] for _, _, data in answers)
    assert results == ["already"] * 7 + ["ok"]
    assert CheckIn.objects.filter(event=event).count() == 1
    scans = Scan.objects.filter(event=event)
    # every phone's scan logged once, under its own nonce (kept per user: "<user id>:<nonce>")
    assert sorted(s.nonce for s in scans) == sorted(f"{cast.users.staff.pk}:{nonce}" for nonce, _, _ in answers)
    assert scans.filter(result=Scan.Result.OK).count() == 1
    assert scans.filter(result=Scan.Result.ALREADY).count() == 7
    assert all(data["attended"] == 1 for _, _, data in answers if data["result"] == "already")
