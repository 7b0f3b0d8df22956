"""The REST API of events: the back office's events (scope, filters, attendance, the workflow's actions, the door's
scan endpoint and its three answers) and the invitee's own invitations (scope, the QR token, RSVP with its deadline
and waitlist, the self check-in a mini-program calls). Refusals map to 400/403/404/409 and change nothing."""

import io
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from shanglian import testing
from shanglian.events import services, tokens
from shanglian.events.models import CheckIn, Event, Invitation, Scan

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 10, 10, 0, tzinfo=timezone.get_fixed_timezone(8 * 60))
EVENTS = "/api/v1/events/"
MINE = "/api/v1/my-invitations/"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture(autouse=True)
def reference_data(db):
    testing.ensure_reference_data()


def _post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def later(cast, *, days=3, **fields):
    fields.setdefault("status", Event.Status.REGISTRATION)
    return testing.make_event(cast.district, starts_at=timezone.now() + timedelta(days=days), **fields)


def under_way(cast, **fields):
    fields.setdefault("status", Event.Status.RUNNING)
    return testing.make_event(cast.district, starts_at=timezone.now() - timedelta(minutes=30), **fields)


def _ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# --- events: scope, filters, attendance -----------------------------------------------------------------------------
def test_staff_list_their_federations_events_with_attendance(cast, login):
    event = under_way(cast, title="科技企业培训班", capacity=30)
    testing.make_invitation(event, cast.person1, status=Invitation.Status.ACCEPTED)
    testing.make_invitation(event, cast.ent2, status=Invitation.Status.DECLINED)
    testing.make_invitation(event, cast.person2, status=Invitation.Status.CANCELLED)
    services.register_walk_in(actor=cast.users.staff, event=event, name="路过的企业家")
    elsewhere = testing.make_event(cast.other, title="南开区的活动")
    response = login(cast.users.staff).get(EVENTS)
    rows = {row["id"]: row for row in response.json()["results"]}
    assert set(rows) == {event.pk} and elsewhere.pk not in rows
    row = rows[event.pk]
    assert (row["invited"], row["places"], row["attended"]) == (2, 1, 1)
    assert row["kind"]["label"] == "培训班" and row["status"] == "running" and row["status_display"] == "进行中"
    assert row["organiser_name"] == "河西区工商联"


def test_the_event_list_filters_by_status_kind_and_year(cast, login):
    training = later(cast, title="培训班", kind="training")
    breakfast = later(cast, title="早餐会", kind="breakfast", status=Event.Status.PUBLISHED)
    last_year = testing.make_event(cast.district, title="去年的论坛", kind="forum",
                                   starts_at=timezone.now() - timedelta(days=365), status=Event.Status.FINISHED)
    client = login(cast.users.staff)
    kind_id = training.kind_id
    assert _ids(client.get(EVENTS, {"status": "published"})) == [breakfast.pk]
    assert _ids(client.get(EVENTS, {"kind": kind_id})) == [training.pk]
    assert _ids(client.get(EVENTS, {"year": NOW.year - 1})) == [last_year.pk]
    assert client.get(EVENTS, {"status": "nonsense"}).status_code == 400
    assert client.get(EVENTS, {"year": "99999999999999999999"}).status_code == 400
    assert client.get(EVENTS, {"kind": "99999999999999999999"}).status_code == 400


def test_a_chamber_secretary_sees_only_its_chambers_events(cast, login):
    own = later(cast, chamber=cast.chamber1, title="友谊路商会沙龙")
    federation = later(cast, title="工商联的培训班")
    theirs = later(cast, chamber=cast.chamber2, title="浙江商会年会")
    client = login(cast.users.chamber1)
    assert _ids(client.get(EVENTS)) == [own.pk]
    assert client.get(f"{EVENTS}{own.pk}/").status_code == 200
    for other in (federation, theirs):
        assert client.get(f"{EVENTS}{other.pk}/").status_code == 404


@pytest.mark.parametrize("role", ["dept1", "ent1", "auditor"])
def test_roles_without_events_are_refused_on_the_back_office_endpoints(cast, login, role):
    event = under_way(cast)
    invitation = testing.make_invitation(event, cast.person1, status=Invitation.Status.ACCEPTED)
    client = login(getattr(cast.users, role))
    assert client.get(EVENTS).status_code == 403
    assert client.get(f"{EVENTS}{event.pk}/").status_code in (403, 404)
    response = _post(client, f"{EVENTS}{event.pk}/scan/", {"payload": tokens.for_invitation(invitation)})
    assert response.status_code in (403, 404)
    assert _post(client, f"{EVENTS}{event.pk}/finish/").status_code in (403, 404)
    assert not CheckIn.objects.exists() and not Scan.objects.exists()
    assert Event.objects.get(pk=event.pk).status == Event.Status.RUNNING


def test_the_detail_has_the_attendance_and_materials(cast, login):
    event = under_way(cast, capacity=10, programme_text="09:00 开班")
    testing.make_invitation(event, cast.person1, status=Invitation.Status.ACCEPTED)
    body = login(cast.users.staff).get(f"{EVENTS}{event.pk}/").json()
    assert body["programme_text"] == "09:00 开班"
    assert body["attendance"]["invited"] == 1 and body["attendance"]["capacity"] == 10
    assert body["attendance"]["by_status"]["accepted"] == 1 and body["materials"] == []


# --- the workflow's actions ------------------------------------------------------------------------------------------
def test_the_workflow_actions_move_the_event(cast, login):
    event = testing.make_event(cast.district, status=Event.Status.DRAFT,
                               starts_at=timezone.now() + timedelta(days=5))
    client = login(cast.users.staff)
    for action, status in (("publish", "published"), ("open-registration", "registration"), ("start", "running"),
                           ("finish", "finished")):
        response = _post(client, f"{EVENTS}{event.pk}/{action}/")
        assert response.status_code == 200, response.content
        assert response.json()["status"] == status
    refused = _post(client, f"{EVENTS}{event.pk}/cancel/", {"reason": "天气原因"})
    assert refused.status_code == 409 and "已结束" in refused.json()["detail"]
    assert Event.objects.get(pk=event.pk).status == Event.Status.FINISHED


def test_cancel_needs_a_reason_and_keeps_it(cast, login):
    event = later(cast)
    client = login(cast.users.staff)
    assert _post(client, f"{EVENTS}{event.pk}/cancel/", {"reason": ""}).status_code == 400
    assert Event.objects.get(pk=event.pk).status == Event.Status.REGISTRATION
    response = _post(client, f"{EVENTS}{event.pk}/cancel/", {"reason": "场地调整"})
    assert response.status_code == 200 and response.json()["cancel_reason"] == "场地调整"


def test_a_leader_reads_events_but_sends_no_write(cast, login):
    event = under_way(cast)
    invitation = testing.make_invitation(event, cast.person1, status=Invitation.Status.ACCEPTED)
    client = login(cast.users.leader)
    assert client.get(f"{EVENTS}{event.pk}/").status_code == 200
    assert _post(client, f"{EVENTS}{event.pk}/scan/", {"payload": tokens.for_invitation(invitation)}).status_code == 403
    assert not Scan.objects.exists()


# --- the door's scan endpoint ----------------------------------------------------------------------------------------
def test_a_scan_checks_in_and_the_second_says_by_whom_and_when(cast, login):
    event = under_way(cast)
    invitation = testing.make_invitation(event, cast.person1, status=Invitation.Status.ACCEPTED)
    code = tokens.for_invitation(invitation)
    first = _post(login(cast.users.staff), f"{EVENTS}{event.pk}/scan/", {"payload": code, "nonce": "door-1"})
    body = first.json()
    assert first.status_code == 200
    assert (body["result"], body["name"], body["organisation"], body["attended"], body["repeat"]) == \
        ("ok", "王建国", "天津友谊科技有限公司", 1, False)
    second = _post(login(cast.users.admin), f"{EVENTS}{event.pk}/scan/", {"payload": code, "nonce": "door-2"}).json()
    when = timezone.localtime(CheckIn.objects.get().checked_in_at)
    assert second["result"] == "already" and second["checked_in_by"] == "staff" and second["attended"] == 1
    assert second["message"] == f"王建国 已于 {when:%H:%M} 由 staff 签到，不重复计数。"
    assert second["checked_in_at"] is not None


def test_the_same_nonce_uploaded_twice_is_counted_once(cast, login):
    event = under_way(cast)
    invitation = testing.make_invitation(event, cast.person1, status=Invitation.Status.ACCEPTED)
    client = login(cast.users.staff)
    body = {"payload": tokens.for_invitation(invitation), "nonce": "0f8c2a5e-5b1e-4f55-9c3e-2d6f1f3a9b7c"}
    first = _post(client, f"{EVENTS}{event.pk}/scan/", body).json()
    again = _post(client, f"{EVENTS}{event.pk}/scan/", body).json()
    assert first["result"] == again["result"] == "ok"
    assert again["repeat"] is True and again["attended"] == 1
    assert CheckIn.objects.count() == 1 and Scan.objects.count() == 1


@pytest.mark.parametrize("case", ["forged", "other_event", "event_code", "invitation_cancelled", "unreadable"])
def test_a_bad_code_is_refused_with_its_reason_and_logged(cast, login, case):
    event = under_way(cast)
    mine = testing.make_invitation(event, cast.person1, status=Invitation.Status.ACCEPTED)
    elsewhere = testing.make_invitation(under_way(cast, title="另一场活动"), cast.person2,
                                        status=Invitation.Status.ACCEPTED)
    cancelled = testing.make_invitation(event, cast.ent2, status=Invitation.Status.CANCELLED)
    payload, words = {
        "forged": (tokens.for_invitation(mine)[:-2] + "zz", "签名校验未通过"),
        "other_event": (tokens.for_invitation(elsewhere), "属于其他活动《另一场活动》"),
        "event_code": (tokens.for_event(event), "这是活动的签到码"),
        "invitation_cancelled": (tokens.for_invitation(cancelled), "请柬已取消"),
        "unreadable": ("https://example.com/", "无法识别的二维码"),
    }[case]
    response = _post(login(cast.users.staff), f"{EVENTS}{event.pk}/scan/", {"payload": payload, "nonce": case})
    body = response.json()
    assert response.status_code == 200 and body["result"] == "refused" and words in body["message"]
    assert body["reason"] and body["attended"] == 0
    assert not CheckIn.objects.exists() and Scan.objects.get().reason == body["reason"]


def test_another_chambers_event_is_not_found_before_the_body_is_read(cast, login):
    event = under_way(cast, chamber=cast.chamber1)
    invitation = testing.make_invitation(event, cast.person1, status=Invitation.Status.ACCEPTED)
    client = login(cast.users.chamber2)
    for body in ({"payload": tokens.for_invitation(invitation), "nonce": "x1"}, {}, {"payload": ["not", "text"]}):
        assert _post(client, f"{EVENTS}{event.pk}/scan/", body).status_code == 404
    assert not CheckIn.objects.exists() and not Scan.objects.exists()
    own = login(cast.users.chamber1)
    assert _post(own, f"{EVENTS}{event.pk}/scan/", {"payload": tokens.for_invitation(invitation)}).json()["result"] == "ok"


def test_a_malformed_scan_body_is_a_400(cast, login):
    event = under_way(cast)
    client = login(cast.users.staff)
    assert _post(client, f"{EVENTS}{event.pk}/scan/", {}).status_code == 400
    response = _post(client, f"{EVENTS}{event.pk}/scan/", {"payload": "SLQ1:x", "nonce": "空格 不行"})
    assert response.status_code == 400 and response.json()["detail"].startswith("扫描标识无效")
    assert not Scan.objects.exists()


# --- my invitations ----------------------------------------------------------------------------------------------------
def test_ent1_lists_and_reads_only_its_own_invitations(cast, login):
    event = later(cast)
    mine = testing.make_invitation(event, cast.ent1)
    theirs = testing.make_invitation(event, cast.ent2)
    draft = testing.make_invitation(later(cast, status=Event.Status.DRAFT), cast.ent1)
    client = login(cast.users.ent1)
    assert _ids(client.get(MINE)) == [mine.pk]
    assert client.get(f"{MINE}{theirs.pk}/").status_code == 404
    assert client.get(f"{MINE}{draft.pk}/").status_code == 404
    body = client.get(f"{MINE}{mine.pk}/").json()
    assert body["qr_token"] == tokens.for_invitation(mine) and body["rsvp_open"] is True
    assert body["event"]["title"] == event.title and body["status"] == "pending"
    assert body["waitlist_position"] is None and body["checks_in_today"] is False


@pytest.mark.parametrize("role", ["staff", "chamber1", "dept1", "leader"])
def test_my_invitations_are_the_enterprise_users_only(cast, login, role):
    invitation = testing.make_invitation(later(cast), cast.ent1)
    client = login(getattr(cast.users, role))
    assert client.get(MINE).status_code == 403
    assert client.get(f"{MINE}{invitation.pk}/").status_code == 403
    assert _post(client, f"{MINE}{invitation.pk}/rsvp/", {"answer": "accepted"}).status_code == 403
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING


def test_rsvp_through_the_api(cast, login):
    invitation = testing.make_invitation(later(cast), cast.ent1)
    client = login(cast.users.ent1)
    response = _post(client, f"{MINE}{invitation.pk}/rsvp/", {"answer": "substitute", "substitute_name": "李副总"})
    assert response.status_code == 200
    assert response.json()["status"] == "substitute" and response.json()["substitute_name"] == "李副总"
    missing = _post(client, f"{MINE}{invitation.pk}/rsvp/", {"answer": "substitute"})
    assert missing.status_code == 400 and "代参加人姓名" in missing.json()["detail"]
    assert _post(client, f"{MINE}{invitation.pk}/rsvp/", {"answer": "maybe"}).status_code == 400


def test_rsvp_after_the_deadline_is_409_and_changes_nothing(cast, login):
    event = later(cast, rsvp_deadline=timezone.now() + timedelta(minutes=5))
    invitation = testing.make_invitation(event, cast.ent1)
    client = login(cast.users.ent1)
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        response = _post(client, f"{MINE}{invitation.pk}/rsvp/", {"answer": "accepted"})
        detail = client.get(f"{MINE}{invitation.pk}/").json()
    assert response.status_code == 409 and "截止" in response.json()["detail"]
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING and invitation.responded_at is None
    assert detail["rsvp_open"] is False and "截止" in detail["rsvp_refusal"]


def test_rsvp_past_the_capacity_goes_on_the_waitlist(cast, login):
    event = later(cast, capacity=1)
    testing.make_invitation(event, cast.person2, status=Invitation.Status.ACCEPTED)
    invitation = testing.make_invitation(event, cast.ent1)
    body = _post(login(cast.users.ent1), f"{MINE}{invitation.pk}/rsvp/", {"answer": "accepted"}).json()
    assert body["status"] == "waitlisted" and body["waitlist_position"] == 1 and body["qr_token"] is None


def test_another_enterprises_invitation_cannot_be_answered(cast, login):
    theirs = testing.make_invitation(later(cast), cast.ent2)
    response = _post(login(cast.users.ent1), f"{MINE}{theirs.pk}/rsvp/", {"answer": "accepted"})
    assert response.status_code == 404
    assert Invitation.objects.get(pk=theirs.pk).status == Invitation.Status.PENDING


# --- the mini-program's self check-in ---------------------------------------------------------------------------------
def test_self_check_in_through_the_api(cast, login):
    event = under_way(cast)
    testing.make_invitation(event, cast.person1, status=Invitation.Status.ACCEPTED)
    client = login(cast.users.ent1)
    body = {"payload": tokens.for_event(event), "nonce": "self-1"}
    first = _post(client, f"{MINE}check-in/", body).json()
    assert first["result"] == "ok" and first["checked_in_by"] == "本人" and first["attended"] == 1
    again = _post(client, f"{MINE}check-in/", {**body, "nonce": "self-2"}).json()
    assert again["result"] == "already" and "本人自助" in again["message"]
    assert CheckIn.objects.count() == 1


def test_self_check_in_with_a_regenerated_code_is_refused(cast, login):
    event = under_way(cast)
    testing.make_invitation(event, cast.person1, status=Invitation.Status.ACCEPTED)
    stale = tokens.for_event(event)
    services.regenerate_checkin_code(actor=cast.users.staff, event=event)
    body = _post(login(cast.users.ent1), f"{MINE}check-in/", {"payload": stale}).json()
    assert body["result"] == "refused" and body["reason"] == "stale_code" and not CheckIn.objects.exists()


def test_several_invitees_name_the_one_checking_in(cast, login):
    event = under_way(cast)
    other_person = testing.make_person(cast.district, name="赵副总", enterprise=cast.ent1)
    testing.make_invitation(event, cast.person1, status=Invitation.Status.ACCEPTED)
    second = testing.make_invitation(event, other_person, status=Invitation.Status.ACCEPTED)
    theirs = testing.make_invitation(event, cast.person2, status=Invitation.Status.ACCEPTED)
    client = login(cast.users.ent1)
    payload = tokens.for_event(event)
    choose = _post(client, f"{MINE}check-in/", {"payload": payload})
    assert choose.status_code == 409 and "请选择签到人" in choose.json()["detail"]
    assert len(_ids(client.get(MINE, {"event": event.pk}))) == 2
    assert _post(client, f"{MINE}check-in/", {"payload": payload, "invitation": theirs.pk}).status_code == 404
    assert not CheckIn.objects.exists()
    body = _post(client, f"{MINE}check-in/", {"payload": payload, "invitation": second.pk}).json()
    assert body["result"] == "ok" and body["name"] == "赵副总"


def test_staff_cannot_self_check_in(cast, login):
    event = under_way(cast)
    response = _post(login(cast.users.staff), f"{MINE}check-in/", {"payload": tokens.for_event(event)})
    assert response.status_code == 403 and not Scan.objects.exists()


# --- the schema -----------------------------------------------------------------------------------------------------
def test_the_schema_documents_the_event_endpoints_without_warnings(db):
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out, stderr=io.StringIO())
    schema = out.getvalue()
    for path in ("/api/v1/events/{id}/scan/", "/api/v1/events/{id}/open-registration/", "/api/v1/events/{id}/cancel/",
                 "/api/v1/my-invitations/{id}/rsvp/", "/api/v1/my-invitations/check-in/"):
        assert path in schema
    assert "签到二维码内容" in schema and "'409':" in schema
