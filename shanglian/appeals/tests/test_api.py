"""The REST API of appeals (/api/v1/appeals/): the same scope as the pages, one POST per transition,
refusals mapped to 400/403/404/409, JSON only, token or session auth, a schema without warnings."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shanglian import testing
from shanglian.accounts import tokens
from shanglian.accounts.models import ApiToken
from shanglian.accounts.roles import Role
from shanglian.appeals.models import Appeal, Assignment, ExtensionRequest, Rating, Status, TimelineEntry

from .factories import category, department_user, make_appeal, pdf_file

API = "/api/v1/appeals/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _url(appeal, action=None):
    return f"{API}{appeal.pk}/" + (f"{action}/" if action else "")


def _post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def _snapshot(appeal):
    """What a refused call must leave untouched: the row, its timeline and its assignments."""
    appeal = Appeal.objects.get(pk=appeal.pk)
    return (appeal.status, appeal.deadline, appeal.rating, appeal.is_supervised, appeal.reopen_count,
            TimelineEntry.objects.filter(appeal=appeal).count(),
            list(Assignment.objects.filter(appeal=appeal).values_list("state", "deadline").order_by("id")),
            list(ExtensionRequest.objects.filter(assignment__appeal=appeal).values_list("decision", flat=True)))


# Helpers named after the state they build (all through the services, see factories.make_appeal).
def _submitted(cast, **fields):
    return make_appeal(cast, Status.SUBMITTED, **fields)


def _accepted(cast, **fields):
    return make_appeal(cast, Status.ACCEPTED, **fields)


def _dispatched(cast, **fields):
    return make_appeal(cast, Status.ASSIGNED, **fields)


def _handling(cast, **fields):
    return make_appeal(cast, Status.HANDLING, **fields)


def _extension_pending(cast, **fields):
    return make_appeal(cast, Status.HANDLING, pending_extension=True, **fields)


def _replied(cast, **fields):
    return make_appeal(cast, Status.REPLIED, **fields)


def _rated_unsatisfied(cast, **fields):
    from shanglian.appeals import services

    appeal = _replied(cast, **fields)
    return services.rate_appeal(actor=cast.users.ent1, appeal=appeal, rating=Rating.UNSATISFIED,
                                comment="补贴金额与政策规定不符")


def _closed(cast, **fields):
    return make_appeal(cast, Status.CLOSED, **fields)


# --- scope -----------------------------------------------------------------------------------------
def _ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_list_is_scoped_like_the_pages(cast, login):
    mine = _submitted(cast)
    theirs = _submitted(cast, actor=cast.users.staff, enterprise=cast.ent2, channel="phone")
    assert _ids(login(cast.users.staff).get(API)) == {mine.pk, theirs.pk}
    assert _ids(login(cast.users.ent1).get(API)) == {mine.pk}
    assert _ids(login(cast.users.chamber1).get(API)) == {mine.pk}
    assert _ids(login(cast.users.chamber2).get(API)) == {theirs.pk}
    assert _ids(login(cast.users.outsider_staff).get(API)) == set()
    assert _ids(login(cast.users.dept1).get(API)) == set()


def test_auditor_may_not_read_appeals(cast, login):
    _submitted(cast)
    assert login(cast.users.auditor).get(API).status_code == 403


def test_list_filters_by_queue_status_and_category(cast, login):
    submitted = _submitted(cast, category_code="consult")
    accepted = _accepted(cast, category_code="suggestion")
    client = login(cast.users.staff)
    assert _ids(client.get(API, {"queue": "pending_accept"})) == {submitted.pk}
    assert _ids(client.get(API, {"queue": "pending_dispatch"})) == {accepted.pk}
    assert _ids(client.get(API, {"status": "accepted"})) == {accepted.pk}
    assert _ids(client.get(API, {"category": category("consult").pk})) == {submitted.pk}
    assert _ids(client.get(API, {"q": submitted.number})) == {submitted.pk}


def test_list_refuses_an_unknown_filter_value_in_chinese(cast, login):
    response = login(cast.users.staff).get(API, {"queue": "nonsense", "category": "abc"})
    assert response.status_code == 400
    body = response.json()
    assert "不是合法选项" in body["queue"][0]
    assert "整数" in body["category"][0]


def test_department_cannot_see_or_act_on_another_departments_appeal(cast, login):
    appeal = _dispatched(cast, departments=[cast.dept2])
    before = _snapshot(appeal)
    client = login(cast.users.dept1)
    assert client.get(_url(appeal)).status_code == 404
    assert _post(client, _url(appeal, "department-accept")).status_code == 404
    assert _post(client, _url(appeal, "return"), {"reason": "不属于本部门职责"}).status_code == 404
    assert _snapshot(appeal) == before


def test_department_sees_only_its_own_part_of_a_joint_appeal(cast, login):
    appeal = _dispatched(cast, departments=[cast.dept1, cast.dept2])
    body = login(cast.users.dept1).get(_url(appeal)).json()
    assert [a["department"] for a in body["assignments"]] == [cast.dept1.name]
    staff_view = login(cast.users.staff).get(_url(appeal)).json()
    assert {a["department"] for a in staff_view["assignments"]} == {cast.dept1.name, cast.dept2.name}


def test_enterprise_sees_only_its_own_enterprises_appeals(cast, login):
    other = _submitted(cast, actor=cast.users.staff, enterprise=cast.ent2, channel="phone")
    client = login(cast.users.ent1)
    assert client.get(_url(other)).status_code == 404
    assert _post(client, _url(other, "rate"), {"rating": "satisfied"}).status_code == 404


def test_detail_has_timeline_replies_and_attachments_with_download_url(cast, login):
    appeal = make_appeal(cast, Status.REPLIED, files=[pdf_file("营业执照.pdf")])
    body = login(cast.users.ent1).get(_url(appeal)).json()
    assert body["number"] == appeal.number and body["status"] == "replied"
    assert [e["action"] for e in body["timeline"]] == ["submit", "accept", "dispatch", "department_accept",
                                                       "reply"]
    (attachment,) = body["attachments"]
    assert attachment["original_name"] == "营业执照.pdf"
    assert attachment["download_url"].endswith(reverse("appeals:attachment", args=[attachment["id"]]))
    (reply,) = body["assignments"]
    assert reply["department"] == cast.dept1.name and "稳岗补贴" in reply["reply"]
    # The enterprise gets the replies, not the departments' internal handling data.
    assert "return_reason" not in reply and "extensions" not in reply


def test_enterprise_does_not_see_internal_notes_of_the_timeline(cast, login):
    appeal = _extension_pending(cast)
    entries = login(cast.users.ent1).get(_url(appeal)).json()["timeline"]
    extension = next(e for e in entries if e["action"] == "request_extension")
    assert extension["note"] == "" and extension["actor_name"] == ""
    staff_entries = login(cast.users.staff).get(_url(appeal)).json()["timeline"]
    assert "核实补贴资金来源" in next(e for e in staff_entries if e["action"] == "request_extension")["note"]


CHAMBER_ACTIONS = {
    "accept": {}, "reject": {"reason": "不属于受理范围"}, "dispatch": {"departments": []},
    "department-accept": {}, "return": {"reason": "不属于本部门"},
    "request-extension": {"days": 3, "reason": "需要核实"}, "decide-extension": {"approve": True},
    "reply": {"reply": "已办理"}, "rate": {"rating": "satisfied"}, "reopen": {"reason": "未解决"},
    "close": {"note": "已电话回访"}, "supervise": {"note": "请尽快办理"},
}


@pytest.mark.parametrize("action", sorted(CHAMBER_ACTIONS))
def test_chamber_secretary_reads_its_members_appeals_but_every_transition_is_refused(cast, login, action):
    appeal = _submitted(cast)
    before = _snapshot(appeal)
    client = login(cast.users.chamber1)
    assert client.get(_url(appeal)).status_code == 200
    response = _post(client, _url(appeal, action), CHAMBER_ACTIONS[action])
    assert response.status_code == 403
    assert "只能查看" in response.json()["detail"]
    assert _snapshot(appeal) == before


def test_an_unknown_action_is_not_found(cast, login):
    appeal = _submitted(cast)
    assert _post(login(cast.users.staff), _url(appeal, "approve")).status_code == 404


# --- authentication and content types ----------------------------------------------------------------
def test_a_token_authenticated_call_works_and_an_anonymous_one_is_refused(cast):
    appeal = _submitted(cast)
    hotline = tokens.create_integration_account(username="hotline", display_name="12345 热线", role=Role.STAFF,
                                                federation=cast.district)
    _, key = tokens.issue(user=hotline, name="12345 热线对接", days=30)
    client = Client()
    assert client.get(API).status_code == 401
    assert _post(client, _url(appeal, "accept")).status_code == 401
    response = client.post(_url(appeal, "accept"), {"public_note": "已受理"}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"
    assert client.get(API, HTTP_AUTHORIZATION="Token wrong").status_code == 401


@pytest.mark.parametrize("who", ["admin", "auditor"])
def test_sysadmin_and_auditor_cannot_use_a_token(cast, who):
    """A token skips the second factor: the roles that must always pass it cannot have one."""
    key = f"sl_{who}-key-of-forty-characters-or-so-000"
    ApiToken.objects.create(user=getattr(cast.users, who), name="旧令牌", prefix=key[:12], key_hash=tokens.digest(key),
                            expires_at=timezone.now() + timedelta(days=30))
    response = Client().get(API, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401
    assert "不能使用令牌" in response.json()["detail"]


def test_a_session_call_without_csrf_token_is_refused(cast):
    appeal = _submitted(cast)
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.users.staff)
    response = _post(client, _url(appeal, "accept"))
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert Appeal.objects.get(pk=appeal.pk).status == Status.SUBMITTED


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_a_body_that_is_not_json_gets_415(cast, login, content_type):
    appeal = _submitted(cast)
    client = login(cast.users.staff)
    response = client.post(_url(appeal, "accept"), "note=ok", content_type=content_type)
    assert response.status_code == 415
    assert client.post(API, "title=x", content_type=content_type).status_code == 415
    assert Appeal.objects.get(pk=appeal.pk).status == Status.SUBMITTED


# --- create ----------------------------------------------------------------------------------------
def _new(**fields):
    return {"category": category("suggestion").pk, "title": "用电增容审批慢",
            "content": "我公司新上生产线需增容至 800 千伏安，申请两个月未有答复。", **fields}


def test_enterprise_user_submits_for_its_own_enterprise_on_the_platform(cast, login):
    response = _post(login(cast.users.ent1), API, _new(channel="phone", enterprise=None))
    assert response.status_code == 201, response.content
    body = response.json()
    appeal = Appeal.objects.get(pk=body["id"])
    assert (appeal.enterprise, appeal.channel, appeal.status) == (cast.ent1, "platform", Status.SUBMITTED)
    assert body["number"].startswith("SQ") and body["timeline"][0]["action"] == "submit"


def test_enterprise_user_cannot_submit_for_another_enterprise(cast, login):
    response = _post(login(cast.users.ent1), API, _new(enterprise=cast.ent2.pk))
    assert response.status_code == 403
    assert not Appeal.objects.exists()


def test_staff_registers_an_appeal_of_an_enterprise_in_scope_with_its_channel(cast, login):
    response = _post(login(cast.users.staff), API, _new(enterprise=cast.ent2.pk, channel="visit",
                                                        source_note="2026年11月走访"))
    assert response.status_code == 201, response.content
    appeal = Appeal.objects.get(pk=response.json()["id"])
    assert (appeal.enterprise, appeal.channel, appeal.submitted_by) == (cast.ent2, "visit", cast.users.staff)


@pytest.mark.parametrize("enterprise", ["ent_other", "missing", None])
def test_staff_cannot_register_an_appeal_outside_its_federation(cast, login, enterprise):
    pk = {"ent_other": cast.ent_other.pk, "missing": 999999, None: None}[enterprise]
    response = _post(login(cast.users.staff), API, _new(enterprise=pk))
    assert response.status_code == 400
    assert response.json()["detail"] == "请选择本工商联范围内的企业。"
    assert not Appeal.objects.exists()


def test_department_and_leader_cannot_submit(cast, login):
    assert _post(login(cast.users.dept1), API, _new(enterprise=cast.ent1.pk)).status_code == 403
    assert _post(login(cast.users.leader), API, _new(enterprise=cast.ent1.pk)).status_code == 403
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("fields, message", [
    ({"content": "   "}, "请填写诉求内容。"),
    ({"title": ""}, "请填写诉求标题。"),
    ({"content": "长" * 5001}, "诉求内容不能超过 5000 字"),
])
def test_create_with_bad_content_is_refused_in_chinese_and_writes_nothing(cast, login, fields, message):
    response = _post(login(cast.users.ent1), API, _new(**fields))
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert not Appeal.objects.exists() and not TimelineEntry.objects.exists()


def test_rights_case_without_counterpart_is_refused(cast, login):
    response = _post(login(cast.users.ent1), API, _new(category=category("rights").pk))
    assert response.status_code == 400
    assert response.json()["detail"] == "维权案件请填写对方当事人。"
    ok = _post(login(cast.users.ent1), API, _new(category=category("rights").pk, counterpart="某建设公司",
                                                 amount_involved="128000.00"))
    assert ok.status_code == 201 and ok.json()["amount_involved"] == "128000.00"


# --- every transition: allowed state → 200, wrong state → 409 and nothing changed --------------------
def _dept1(cast):
    return cast.users.dept1


def _staff(cast):
    return cast.users.staff


def _ent1(cast):
    return cast.users.ent1


def _leader(cast):
    return cast.users.leader


TRANSITIONS = [
    # action, builder of an allowed state, actor, body, status after, builder of a wrong state
    ("accept", _submitted, _staff, {"public_note": "属于受理范围"}, Status.ACCEPTED, _accepted),
    ("reject", _submitted, _staff, {"reason": "属于司法程序"}, Status.REJECTED, _dispatched),
    ("dispatch", _accepted, _staff, {"departments": []}, Status.ASSIGNED, _submitted),
    ("department-accept", _dispatched, _dept1, {"note": "已签收"}, Status.HANDLING, _replied),
    ("return", _dispatched, _dept1, {"reason": "不属于本部门职责"}, Status.ACCEPTED, _replied),
    ("request-extension", _handling, _dept1, {"days": 3, "reason": "需现场核查"}, Status.HANDLING, _replied),
    ("decide-extension", _extension_pending, _staff, {"approve": True}, Status.HANDLING, _handling),
    ("reply", _handling, _dept1, {"reply": "已协调供电公司于下周完成增容。"}, Status.REPLIED, _dispatched),
    ("rate", _replied, _ent1, {"rating": "satisfied", "comment": "办理及时"}, Status.CLOSED, _handling),
    ("reopen", _rated_unsatisfied, _ent1, {"reason": "问题没有解决"}, Status.REOPENED, _handling),
    ("close", _replied, _staff, {"note": "已电话回访，企业认可"}, Status.CLOSED, _handling),
    ("supervise", _handling, _leader, {"note": "请加快办理"}, Status.HANDLING, _closed),
]


def _body(cast, action, body):
    if action == "dispatch":
        return {"departments": [cast.dept1.pk, cast.dept2.pk],
                "deadline": (timezone.localdate() + timedelta(days=10)).isoformat()}
    return body


@pytest.mark.parametrize("action, allowed, actor, body, after, wrong", TRANSITIONS, ids=[t[0] for t in TRANSITIONS])
def test_transition_succeeds_from_an_allowed_state(cast, login, action, allowed, actor, body, after, wrong):
    appeal = allowed(cast)
    entries = TimelineEntry.objects.filter(appeal=appeal).count()
    response = _post(login(actor(cast)), _url(appeal, action), _body(cast, action, body))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == after
    appeal.refresh_from_db()
    assert appeal.status == after
    assert TimelineEntry.objects.filter(appeal=appeal).count() == entries + 1
    assert response.json()["timeline"][-1]["action"] == action.replace("-", "_")


@pytest.mark.parametrize("action, allowed, actor, body, after, wrong", TRANSITIONS, ids=[t[0] for t in TRANSITIONS])
def test_transition_from_a_wrong_state_is_409_and_changes_nothing(cast, login, action, allowed, actor, body, after,
                                                                  wrong):
    appeal = wrong(cast)
    before = _snapshot(appeal)
    response = _post(login(actor(cast)), _url(appeal, action), _body(cast, action, body))
    assert response.status_code == 409, response.content
    assert appeal.number in response.json()["detail"]
    assert _snapshot(appeal) == before


def test_dispatch_creates_one_assignment_per_department_with_the_deadline(cast, login):
    appeal = _accepted(cast)
    deadline = timezone.localdate() + timedelta(days=10)
    response = _post(login(cast.users.staff), _url(appeal, "dispatch"),
                     {"departments": [cast.dept1.pk, cast.dept2.pk], "deadline": deadline.isoformat()})
    assert response.status_code == 200, response.content
    assert response.json()["deadline"] == deadline.isoformat()
    assert sorted(a["department"] for a in response.json()["assignments"]) == sorted(
        [cast.dept1.name, cast.dept2.name])


def test_dispatch_without_deadline_takes_the_category_default(cast, login):
    appeal = _accepted(cast)
    response = _post(login(cast.users.staff), _url(appeal, "dispatch"), {"departments": [cast.dept1.pk]})
    assert response.status_code == 200, response.content
    assert Appeal.objects.get(pk=appeal.pk).deadline is not None


def test_approved_extension_moves_the_deadline(cast, login):
    appeal = _extension_pending(cast)
    old = appeal.deadline
    response = _post(login(cast.users.staff), _url(appeal, "decide-extension"), {"approve": True})
    assert response.status_code == 200
    assert Appeal.objects.get(pk=appeal.pk).deadline > old
    (assignment,) = response.json()["assignments"]
    assert assignment["extensions"][0]["decision"] == "approved"


def test_a_department_cannot_act_as_the_desk_on_its_own_appeal(cast, login):
    appeal = _dispatched(cast)
    before = _snapshot(appeal)
    client = login(cast.users.dept1)
    response = _post(client, _url(appeal, "dispatch"), {"departments": [cast.dept1.pk]})
    assert response.status_code == 403
    assert response.json()["detail"] == "您的角色不能派单。"
    assert _post(client, _url(appeal, "close"), {"note": "已办结"}).status_code == 403
    assert _snapshot(appeal) == before


def test_enterprise_cannot_accept_its_own_appeal(cast, login):
    appeal = _submitted(cast)
    before = _snapshot(appeal)
    response = _post(login(cast.users.ent1), _url(appeal, "accept"))
    assert response.status_code == 403
    assert response.json()["detail"] == "您的角色不能受理。"
    assert _snapshot(appeal) == before


# --- bad input: 400 (or 409) with a Chinese message, nothing written ---------------------------------
@pytest.mark.parametrize("action, builder, actor, body, status_code, message", [
    ("reject", _submitted, _staff, {"reason": "  "}, 400, "请填写不予受理理由。"),
    ("dispatch", _accepted, _staff, {"departments": [], "deadline": None}, 400, "请至少选择一个承办部门。"),
    ("dispatch", _accepted, _staff, {"departments": [999999]}, 400, "承办部门不存在或已停用"),
    ("dispatch", _accepted, _staff, {"departments": "dept1"}, 400, None),
    ("reply", _handling, _dept1, {"reply": ""}, 400, "请填写答复内容。"),
    ("request-extension", _handling, _dept1, {"days": 99, "reason": "需要核实"}, 400, "1 到 30 个工作日"),
    ("decide-extension", _extension_pending, _staff, {"approve": False, "note": ""}, 400, "请填写审批意见。"),
    ("rate", _handling, _ent1, {"rating": "satisfied"}, 409, "尚未答复"),
    ("rate", _replied, _ent1, {"rating": "great"}, 400, None),
    ("rate", _replied, _ent1, {"rating": "unsatisfied", "comment": ""}, 400, "请填写不满意的原因。"),
    ("reopen", _replied, _ent1, {"reason": "问题没有解决"}, 409, "请先评价为“不满意”"),
    ("close", _replied, _staff, {"note": ""}, 400, "请填写办结说明。"),
])
def test_bad_input_is_refused_in_chinese_and_writes_nothing(cast, login, action, builder, actor, body, status_code,
                                                            message):
    appeal = builder(cast)
    before = _snapshot(appeal)
    response = _post(login(actor(cast)), _url(appeal, action), body)
    assert response.status_code == status_code, response.content
    text = response.content.decode()
    if message is not None:
        assert message in response.json()["detail"]
    else:  # a field error of the input serializer, in Chinese too
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text)
    assert _snapshot(appeal) == before


def test_dispatch_with_a_deadline_in_the_past_is_refused(cast, login):
    appeal = _accepted(cast)
    before = _snapshot(appeal)
    yesterday = timezone.localdate() - timedelta(days=1)
    response = _post(login(cast.users.staff), _url(appeal, "dispatch"),
                     {"departments": [cast.dept1.pk], "deadline": yesterday.isoformat()})
    assert response.status_code == 400
    assert response.json()["detail"] == f"办理期限 {yesterday:%Y-%m-%d} 已经过去，请选择今天或以后的日期。"
    assert _snapshot(appeal) == before
    assert not Assignment.objects.filter(appeal=appeal).exists()


def test_dispatch_to_a_department_of_another_federation_is_refused(cast, login):
    appeal = _accepted(cast)
    foreign = testing.make_department(cast.other, name="南开区税务局")
    response = _post(login(cast.users.staff), _url(appeal, "dispatch"), {"departments": [foreign.pk]})
    assert response.status_code == 400
    assert "承办部门不存在" in response.json()["detail"]
    assert not Assignment.objects.filter(appeal=appeal).exists()


def test_a_second_rating_of_the_same_reply_is_refused(cast, login):
    appeal = _rated_unsatisfied(cast)
    before = _snapshot(appeal)
    response = _post(login(cast.users.staff), _url(appeal, "rate"), {"rating": "satisfied"})
    assert response.status_code == 409
    assert "已经评价过了" in response.json()["detail"]
    assert _snapshot(appeal) == before


def test_a_returned_appeal_can_be_seen_by_the_department_but_not_acted_on_again(cast, login):
    appeal = _dispatched(cast)
    client = login(department_user(cast, cast.dept1))
    assert _post(client, _url(appeal, "return"), {"reason": "不属于本部门职责"}).status_code == 200
    assert client.get(_url(appeal)).status_code == 200
    before = _snapshot(appeal)
    response = _post(client, _url(appeal, "department-accept"))
    assert response.status_code == 409
    assert "已受理" in response.json()["detail"]
    assert _snapshot(appeal) == before


# --- schema and docs -------------------------------------------------------------------------------
def test_schema_generates_without_warnings(db):
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out, stderr=io.StringIO())
    schema = out.getvalue()
    for path in ["/api/v1/appeals/{id}/dispatch/", "/api/v1/appeals/{id}/department-accept/",
                 "/api/v1/appeals/{id}/decide-extension/", "/api/v1/appeals/{id}/request-extension/"]:
        assert path in schema
    assert "诉求内容" in schema  # the Chinese labels reach the docs


def test_schema_and_docs_need_login(cast, client, login):
    assert client.get("/api/schema/").status_code == 401
    assert client.get("/api/docs/").status_code == 401
    staff = login(cast.users.staff)
    response = staff.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert "/api/v1/appeals/{id}/reopen/" in response.json()["paths"]


def test_docs_page_loads_its_assets_locally_and_its_script_from_a_file(cast, login):
    client = login(cast.users.staff)
    page = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "//cdn" not in page and "https://" not in page
    assert '<script src="/api/docs/?script=' in page
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")


def test_api_root_lists_the_appeals_endpoint(cast, login):
    assert "appeals" in login(cast.users.staff).get("/api/v1/").json()


def test_api_docs_page_uses_no_inline_style(cast, login):
    page = login(cast.users.staff).get("/api/docs/").content.decode()
    assert "<style" not in page and "swagger-ui" in page


def test_the_desk_updates_a_rights_case_through_the_api(cast, login):
    appeal = _submitted(cast, category_code="rights")
    response = _post(login(cast.users.staff), _url(appeal, "rights-case"), {
        "counterpart": "天津某建设工程有限公司", "amount_involved": "128000.00", "legal_aid_given": True,
        "mediation_result": "settled"})
    assert response.status_code == 200, response.content
    assert response.json()["mediation_result"] == "settled" and response.json()["legal_aid_given"] is True


def test_rights_case_fields_are_refused_on_other_appeals_and_to_other_roles(cast, login):
    ordinary = _submitted(cast)
    response = _post(login(cast.users.staff), _url(ordinary, "rights-case"), {"counterpart": "某公司"})
    assert response.status_code == 409 and "不是维权案件" in response.json()["detail"]
    rights = _submitted(cast, category_code="rights")
    before = _snapshot(rights)
    assert _post(login(cast.users.chamber1), _url(rights, "rights-case"), {"counterpart": "x"}).status_code == 403
    assert _post(login(cast.users.ent1), _url(rights, "rights-case"), {"counterpart": "x"}).status_code == 403
    assert _snapshot(rights) == before
