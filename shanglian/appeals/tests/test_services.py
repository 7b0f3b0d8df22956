"""The appeal services (DESIGN §3): every transition from every state, refusals that change nothing,
concurrent transitions, bad input, the immutable timeline, reopen/return/multi-department rounds,
the deadline sweep and who gets told."""

import re
import threading
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, close_old_connections, connection

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.appeals import services
from shanglian.appeals.models import (
    Appeal,
    Assignment,
    Attachment,
    ExtensionRequest,
    Rating,
    RatingRecord,
    Status,
    TimelineEntry,
)
from shanglian.audit.models import AuditEvent
from shanglian.common.errors import Refused
from shanglian.notifications.models import Notification

from .factories import (
    current_assignment,
    department_user,
    ensure_categories,
    make_appeal,
    pdf_file,
    reply_all,
    submit,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
CHINESE = re.compile(r"[\u4e00-\u9fff]")

S, A, RJ, AS, H, RP, RO, C = (Status.SUBMITTED, Status.ACCEPTED, Status.REJECTED, Status.ASSIGNED,
                              Status.HANDLING, Status.REPLIED, Status.REOPENED, Status.CLOSED)
ALL_STATES = [S, A, RJ, AS, H, RP, RO, C]
TR, PD = Refused, PermissionDenied


def message_of(exc):
    if isinstance(exc, Refused):
        return exc.message
    if isinstance(exc, ValidationError):
        return "".join(exc.messages)
    return str(exc)


def snapshot(appeal):
    """Everything a refused action must leave untouched."""
    return {
        "appeal": Appeal.objects.filter(pk=appeal.pk).values().get(),
        "assignments": list(Assignment.objects.filter(appeal=appeal).order_by("pk").values()),
        "extensions": list(ExtensionRequest.objects.filter(assignment__appeal=appeal).order_by("pk").values()),
        "timeline": TimelineEntry.objects.count(),
        "assignment_count": Assignment.objects.count(),
        "ratings": RatingRecord.objects.count(),
        "audit": AuditEvent.objects.count(),
        "notifications": Notification.objects.count(),
        "attachments": Attachment.objects.count(),
    }


def stored_files(media_root):
    folder = Path(media_root) / services.ATTACHMENT_FOLDER
    return sorted(folder.iterdir()) if folder.exists() else []


# --- the transition table ----------------------------------------------------------------------------
# Each action with the user who would normally do it.
ACTIONS = {
    "accept": lambda cast, a: services.accept_appeal(actor=cast.users.staff, appeal=a, public_note="属于受理范围"),
    "reject": lambda cast, a: services.reject_appeal(actor=cast.users.staff, appeal=a, reason="不属于受理范围"),
    "dispatch": lambda cast, a: services.dispatch_appeal(actor=cast.users.staff, appeal=a,
                                                         departments=[cast.dept1]),
    "department_accept": lambda cast, a: services.department_accept(actor=cast.users.dept1, appeal=a),
    "return": lambda cast, a: services.return_appeal(actor=cast.users.dept1, appeal=a, reason="不属于本部门职责"),
    "request_extension": lambda cast, a: services.request_extension(actor=cast.users.dept1, appeal=a, days=2,
                                                                    reason="需现场核查"),
    "decide_extension": lambda cast, a: services.decide_extension(actor=cast.users.staff, appeal=a, approve=True),
    "reply": lambda cast, a: services.reply_appeal(actor=cast.users.dept1, appeal=a, reply="已按政策办理完毕"),
    "rate": lambda cast, a: services.rate_appeal(actor=cast.users.ent1, appeal=a, rating=Rating.SATISFIED),
    "reopen": lambda cast, a: services.reopen_appeal(actor=cast.users.staff, appeal=a, reason="企业反映未解决"),
    "close": lambda cast, a: services.close_appeal(actor=cast.users.staff, appeal=a, note="经回访问题已解决"),
    "supervise": lambda cast, a: services.supervise_appeal(actor=cast.users.leader, appeal=a, note="请加快办理"),
}

# state → action → the state it moves to, or the exception that refuses it. A department cannot even
# see an appeal that was never dispatched to it, so its actions there are PermissionDenied.
TABLE = {
    S: {"accept": A, "reject": RJ, "dispatch": TR, "department_accept": PD, "return": PD,
        "request_extension": PD, "decide_extension": TR, "reply": PD, "rate": TR, "reopen": TR, "close": TR,
        "supervise": S},
    A: {"accept": TR, "reject": TR, "dispatch": AS, "department_accept": PD, "return": PD,
        "request_extension": PD, "decide_extension": TR, "reply": PD, "rate": TR, "reopen": TR, "close": TR,
        "supervise": A},
    RJ: {"accept": TR, "reject": TR, "dispatch": TR, "department_accept": PD, "return": PD,
         "request_extension": PD, "decide_extension": TR, "reply": PD, "rate": TR, "reopen": TR, "close": TR,
         "supervise": TR},
    AS: {"accept": TR, "reject": TR, "dispatch": TR, "department_accept": H, "return": A,
         "request_extension": AS, "decide_extension": AS, "reply": TR, "rate": TR, "reopen": TR, "close": TR,
         "supervise": AS},
    H: {"accept": TR, "reject": TR, "dispatch": TR, "department_accept": TR, "return": A,
        "request_extension": H, "decide_extension": H, "reply": RP, "rate": TR, "reopen": TR, "close": TR,
        "supervise": H},
    RP: {"accept": TR, "reject": TR, "dispatch": TR, "department_accept": TR, "return": TR,
         "request_extension": TR, "decide_extension": TR, "reply": TR, "rate": C, "reopen": RO, "close": C,
         "supervise": TR},
    RO: {"accept": TR, "reject": TR, "dispatch": TR, "department_accept": TR, "return": A,
         "request_extension": RO, "decide_extension": RO, "reply": RP, "rate": TR, "reopen": TR, "close": TR,
         "supervise": RO},
    C: {"accept": TR, "reject": TR, "dispatch": TR, "department_accept": TR, "return": TR,
        "request_extension": TR, "decide_extension": TR, "reply": TR, "rate": TR, "reopen": RO, "close": TR,
        "supervise": TR},
}
CASES = [(state, action, TABLE[state][action]) for state in ALL_STATES for action in ACTIONS]


def test_the_table_covers_every_state_and_action():
    assert set(TABLE) == set(Status.values)
    assert all(set(row) == set(ACTIONS) for row in TABLE.values())


@pytest.mark.parametrize(("state", "action", "outcome"), CASES,
                         ids=[f"{s}-{a}" for s, a, _ in CASES])
def test_every_action_from_every_state(cast, state, action, outcome):
    # decide_extension needs a pending request wherever the state allows one.
    pending = action == "decide_extension" and state in (AS, H, RO)
    appeal = make_appeal(cast, state, pending_extension=pending)
    assert appeal.status == state
    before = snapshot(appeal)

    if isinstance(outcome, type):
        with pytest.raises(outcome) as refused:
            ACTIONS[action](cast, appeal)
        assert CHINESE.search(message_of(refused.value)), message_of(refused.value)
        assert snapshot(appeal) == before
        return

    result = ACTIONS[action](cast, appeal)
    assert result.status == outcome
    assert Appeal.objects.get(pk=appeal.pk).status == outcome
    entries = TimelineEntry.objects.filter(appeal=appeal).order_by("-id")
    assert TimelineEntry.objects.count() == before["timeline"] + 1
    last = entries.first()
    assert (last.action, last.from_status, last.to_status) == (action, state, outcome)
    assert AuditEvent.objects.count() > before["audit"]


def test_allowed_actions_that_keep_the_state_leave_their_mark(cast):
    appeal = make_appeal(cast, H)
    services.request_extension(actor=cast.users.dept1, appeal=appeal, days=2, reason="需现场核查")
    request = ExtensionRequest.objects.get(assignment__appeal=appeal)
    assert request.decision == ExtensionRequest.Decision.PENDING
    services.decide_extension(actor=cast.users.staff, appeal=appeal, approve=False, note="期限内可以办结")
    request.refresh_from_db()
    assert request.decision == ExtensionRequest.Decision.DENIED
    assert request.decided_by == cast.users.staff
    services.supervise_appeal(actor=cast.users.leader, appeal=appeal, note="请加快办理")
    appeal.refresh_from_db()
    assert appeal.is_supervised and appeal.supervised_at is not None
    assert list(appeal.timeline.values_list("action", flat=True))[-3:] == [
        "request_extension", "decide_extension", "supervise"]


def test_denying_an_extension_needs_a_reason(cast):
    appeal = make_appeal(cast, H, pending_extension=True)
    before = snapshot(appeal)
    with pytest.raises(ValidationError, match="请填写审批意见"):
        services.decide_extension(actor=cast.users.staff, appeal=appeal, approve=False)
    assert snapshot(appeal) == before


def test_a_second_extension_request_waits_for_the_first(cast):
    appeal = make_appeal(cast, AS, pending_extension=True)
    before = snapshot(appeal)
    with pytest.raises(Refused, match="已有一条延期申请在审批中"):
        ACTIONS["request_extension"](cast, appeal)
    assert snapshot(appeal) == before


# --- wrong roles and other people's appeals ------------------------------------------------------------
def _other_enterprise_user(cast):
    return testing.make_user(Role.ENTERPRISE, username="ent2", enterprise=cast.ent2)


WRONG_ROLE = [
    # (state, action, who, call)
    (S, "accept", "ent1", lambda u, c, a: services.accept_appeal(actor=u, appeal=a)),
    (S, "accept", "dept1", lambda u, c, a: services.accept_appeal(actor=u, appeal=a)),
    (S, "accept", "leader", lambda u, c, a: services.accept_appeal(actor=u, appeal=a)),
    (S, "accept", "chamber1", lambda u, c, a: services.accept_appeal(actor=u, appeal=a)),
    (S, "accept", "auditor", lambda u, c, a: services.accept_appeal(actor=u, appeal=a)),
    (S, "accept", "outsider_staff", lambda u, c, a: services.accept_appeal(actor=u, appeal=a)),
    (S, "reject", "ent1", lambda u, c, a: services.reject_appeal(actor=u, appeal=a, reason="无")),
    (A, "dispatch", "leader", lambda u, c, a: services.dispatch_appeal(actor=u, appeal=a, departments=[c.dept1])),
    (A, "dispatch", "dept1", lambda u, c, a: services.dispatch_appeal(actor=u, appeal=a, departments=[c.dept1])),
    (AS, "department_accept", "staff", lambda u, c, a: services.department_accept(actor=u, appeal=a)),
    (AS, "department_accept", "dept2", lambda u, c, a: services.department_accept(actor=u, appeal=a)),
    (H, "return", "staff", lambda u, c, a: services.return_appeal(actor=u, appeal=a, reason="无")),
    (H, "request_extension", "ent1",
     lambda u, c, a: services.request_extension(actor=u, appeal=a, days=1, reason="无")),
    (H, "reply", "staff", lambda u, c, a: services.reply_appeal(actor=u, appeal=a, reply="已办理")),
    (H, "reply", "dept2", lambda u, c, a: services.reply_appeal(actor=u, appeal=a, reply="已办理")),
    (H, "decide_extension", "dept1", lambda u, c, a: services.decide_extension(actor=u, appeal=a, approve=True)),
    (H, "supervise", "ent1", lambda u, c, a: services.supervise_appeal(actor=u, appeal=a)),
    (H, "supervise", "dept1", lambda u, c, a: services.supervise_appeal(actor=u, appeal=a)),
    (H, "supervise", "chamber1", lambda u, c, a: services.supervise_appeal(actor=u, appeal=a)),
    (RP, "rate", "dept1", lambda u, c, a: services.rate_appeal(actor=u, appeal=a, rating=Rating.SATISFIED)),
    (RP, "rate", "leader", lambda u, c, a: services.rate_appeal(actor=u, appeal=a, rating=Rating.SATISFIED)),
    (RP, "rate", "ent2", lambda u, c, a: services.rate_appeal(actor=u, appeal=a, rating=Rating.SATISFIED)),
    (RP, "reopen", "dept1", lambda u, c, a: services.reopen_appeal(actor=u, appeal=a, reason="无")),
    (RP, "close", "ent1", lambda u, c, a: services.close_appeal(actor=u, appeal=a, note="无")),
    (RP, "close", "outsider_staff", lambda u, c, a: services.close_appeal(actor=u, appeal=a, note="无")),
]


@pytest.mark.parametrize(("state", "action", "who", "call"), WRONG_ROLE,
                         ids=[f"{s}-{a}-by-{w}" for s, a, w, _ in WRONG_ROLE])
def test_a_wrong_role_or_an_outsider_is_refused_and_nothing_changes(cast, state, action, who, call):
    appeal = make_appeal(cast, state, pending_extension=action == "decide_extension")
    if who == "ent2":
        user = _other_enterprise_user(cast)
    elif who == "dept2":
        user = department_user(cast, cast.dept2)
    else:
        user = getattr(cast.users, who)
    before = snapshot(appeal)
    with pytest.raises(PermissionDenied) as refused:
        call(user, cast, appeal)
    assert CHINESE.search(str(refused.value))
    assert snapshot(appeal) == before


def test_the_enterprise_may_reopen_only_after_rating_unsatisfied(cast):
    appeal = make_appeal(cast, RP)
    before = snapshot(appeal)
    with pytest.raises(Refused, match="请先评价为“不满意”"):
        services.reopen_appeal(actor=cast.users.ent1, appeal=appeal, reason="还没解决")
    assert snapshot(appeal) == before
    closed = make_appeal(cast, C)
    before = snapshot(closed)
    with pytest.raises(Refused, match="已办结"):
        services.reopen_appeal(actor=cast.users.ent1, appeal=closed, reason="还没解决")
    assert snapshot(closed) == before


def test_an_unsatisfied_rating_keeps_the_appeal_replied_and_cannot_be_given_twice(cast):
    appeal = make_appeal(cast, RP)
    appeal = services.rate_appeal(actor=cast.users.ent1, appeal=appeal, rating=Rating.UNSATISFIED,
                                  comment="未解决实际问题")
    assert appeal.status == RP and appeal.rating == Rating.UNSATISFIED
    before = snapshot(appeal)
    with pytest.raises(Refused, match="已经评价过了"):
        services.rate_appeal(actor=cast.users.ent1, appeal=appeal, rating=Rating.SATISFIED)
    assert snapshot(appeal) == before
    appeal = services.close_appeal(actor=cast.users.staff, appeal=appeal, note="已向企业解释政策口径")
    assert appeal.status == C


# --- two people at once ---------------------------------------------------------------------------------
def test_a_stale_object_is_refused_because_the_service_rereads_under_lock(cast):
    appeal = make_appeal(cast, S)
    first, second = Appeal.objects.get(pk=appeal.pk), Appeal.objects.get(pk=appeal.pk)
    other_staff = testing.make_user(Role.STAFF, username="staff2", federation=cast.district)
    services.accept_appeal(actor=cast.users.staff, appeal=first)
    assert second.status == S  # what the second person still sees
    before = snapshot(appeal)
    with pytest.raises(Refused, match="已受理"):
        services.reject_appeal(actor=other_staff, appeal=second, reason="重复诉求")
    with pytest.raises(Refused, match="已受理"):
        services.accept_appeal(actor=other_staff, appeal=second)
    assert snapshot(appeal) == before
    assert TimelineEntry.objects.filter(appeal=appeal, action="accept").count() == 1


def test_a_stale_reply_after_a_return_is_refused(cast):
    appeal = make_appeal(cast, H)
    stale = Appeal.objects.get(pk=appeal.pk)
    services.return_appeal(actor=cast.users.dept1, appeal=appeal, reason="不属于本部门职责")
    before = snapshot(appeal)
    with pytest.raises(Refused):
        services.reply_appeal(actor=cast.users.dept1, appeal=stale, reply="已办理")
    assert snapshot(appeal) == before


@pytest.fixture
def reference_data(transactional_db):
    testing.ensure_reference_data()
    ensure_categories()


def _race(calls):
    """Run the calls in threads released together by a barrier; return each one's outcome."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            outcomes[i] = ("won", call())
        except (Refused, PermissionDenied) as exc:
            outcomes[i] = ("refused", exc)
        except OperationalError as exc:  # SQLite shared-cache test DB: "database table is locked"
            if "locked" not in str(exc):
                outcomes[i] = ("error", exc)
            else:
                outcomes[i] = ("locked", exc)
        except Exception as exc:  # noqa: BLE001 — reported by the assertion below
            outcomes[i] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    close_old_connections()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_staff_accepting_at_once_exactly_one_wins(reference_data, cast):
    appeal = submit(cast)
    other_staff = testing.make_user(Role.STAFF, username="staff2", federation=cast.district)
    outcomes = _race([
        lambda: services.accept_appeal(actor=cast.users.staff, appeal=appeal.pk),
        lambda: services.accept_appeal(actor=other_staff, appeal=appeal.pk),
    ])
    kinds = sorted(kind for kind, _ in outcomes)
    assert "error" not in kinds, outcomes
    assert kinds.count("won") == 1, outcomes
    if connection.vendor == "postgresql":  # the row lock makes the loser wait, re-read and be refused
        assert kinds.count("refused") == 1, outcomes
    assert Appeal.objects.get(pk=appeal.pk).status == A
    assert TimelineEntry.objects.filter(appeal_id=appeal.pk, action="accept").count() == 1


@pytest.mark.django_db(transaction=True)
def test_rejecting_while_another_accepts_exactly_one_wins(reference_data, cast):
    appeal = submit(cast)
    other_staff = testing.make_user(Role.STAFF, username="staff2", federation=cast.district)
    outcomes = _race([
        lambda: services.reject_appeal(actor=cast.users.staff, appeal=appeal.pk, reason="不属于受理范围"),
        lambda: services.accept_appeal(actor=other_staff, appeal=appeal.pk),
    ])
    kinds = [kind for kind, _ in outcomes]
    assert "error" not in kinds, outcomes
    assert kinds.count("won") == 1, outcomes
    if connection.vendor == "postgresql":
        assert kinds.count("refused") == 1, outcomes
    winner = "reject" if kinds[0] == "won" else "accept"
    final = Appeal.objects.get(pk=appeal.pk)
    assert final.status == (RJ if winner == "reject" else A)
    actions = list(TimelineEntry.objects.filter(appeal_id=appeal.pk).values_list("action", flat=True))
    assert actions == ["submit", winner]


# --- bad input ----------------------------------------------------------------------------------------
@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _counts():
    return (Appeal.objects.count(), TimelineEntry.objects.count(), Attachment.objects.count(),
            AuditEvent.objects.count(), Notification.objects.count())


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
HTML = "<!DOCTYPE html><html><head><title>合同</title></head><body><script>alert(1)</script></body></html>"

BAD_SUBMISSIONS = {
    "empty content": ({"content": ""}, "请填写诉求内容"),
    "blank content": ({"content": " \n\t "}, "请填写诉求内容"),
    "oversized content": ({"content": "诉" * 5001}, "诉求内容不能超过 5000 字"),
    "empty title": ({"title": ""}, "请填写诉求标题"),
    "exe renamed pdf": ({"files": [SimpleUploadedFile("营业执照.pdf", EXE, content_type="application/pdf")]},
                        "文件内容不是允许的类型"),
    "html renamed pdf": ({"files": [SimpleUploadedFile("合同.pdf", HTML.encode(), content_type="application/pdf")]},
                         "文件内容不是允许的类型"),
    "oversized file": ({"files": [None]}, "超过 10 MB 的上限"),
    "good file with a bad one": ({"files": ["good", SimpleUploadedFile("x.pdf", EXE)]}, "文件内容不是允许的类型"),
    "rights case without counterpart": ({"category_code": "rights",
                                         "rights": services.RightsCase(counterpart="")}, "请填写对方当事人"),
    "negative amount": ({"category_code": "rights",
                         "rights": services.RightsCase(counterpart="某公司", amount_involved="-5")}, "涉及金额"),
}


@pytest.mark.parametrize("case", list(BAD_SUBMISSIONS))
def test_a_bad_submission_is_refused_in_chinese_and_writes_nothing(cast, media, case):
    fields, message = BAD_SUBMISSIONS[case]
    fields = dict(fields)
    if "files" in fields:  # uploads are built fresh (a file object is read once)
        fields["files"] = [pdf_file(size=10 * 1024 * 1024 + 1) if f is None else pdf_file() if f == "good" else f
                           for f in fields["files"]]
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        submit(cast, **fields)
    assert message in message_of(refused.value)
    assert _counts() == before
    assert stored_files(media) == []


def test_the_desk_cannot_register_an_appeal_for_another_districts_enterprise(cast, media):
    before = _counts()
    with pytest.raises(ValidationError, match="请选择本工商联范围内的企业"):
        submit(cast, actor=cast.users.staff, enterprise=cast.ent_other, channel="phone", files=[pdf_file()])
    assert _counts() == before
    assert stored_files(media) == []


def test_an_enterprise_cannot_submit_for_another_enterprise(cast, media):
    before = _counts()
    with pytest.raises(PermissionDenied, match="只能为本企业提交诉求"):
        submit(cast, enterprise=cast.ent2, files=[pdf_file()])
    assert _counts() == before
    assert stored_files(media) == []


def test_the_desk_registers_a_phone_appeal_for_its_enterprise(cast):
    appeal = submit(cast, actor=cast.users.staff, enterprise=cast.ent2, channel="phone")
    assert (appeal.status, appeal.channel, appeal.enterprise, appeal.federation) == (
        S, "phone", cast.ent2, cast.district)
    assert re.fullmatch(r"SQ\d{8}\d{4}", appeal.number)


def test_an_appeal_registered_from_a_visit_says_where_it_came_from_on_its_first_step(cast):
    appeal = submit(cast, actor=cast.users.staff, enterprise=cast.ent2, channel="visit",
                    source_note="2026-11-02 区领导走访")
    first = appeal.timeline.get()
    assert first.note == "来源：走访（2026-11-02 区领导走访）"
    own = submit(cast, enterprise=cast.ent1)
    assert own.timeline.get().note == ""


def test_a_good_submission_stores_its_file_outside_the_web_root(cast, media):
    appeal = submit(cast, files=[pdf_file("营业执照.pdf")])
    attachment = appeal.attachments.get()
    assert attachment.original_name == "营业执照.pdf"
    assert attachment.content_type == "application/pdf"
    assert stored_files(media) == [Path(media) / "appeals" / attachment.stored_name]
    assert attachment.stored_name != "营业执照.pdf"


def test_a_reply_with_a_forbidden_file_is_refused_and_writes_nothing(cast, media):
    appeal = make_appeal(cast, H)
    before = snapshot(appeal)
    with pytest.raises(ValidationError, match="文件内容不是允许的类型"):
        services.reply_appeal(actor=cast.users.dept1, appeal=appeal, reply="已办理",
                              files=[SimpleUploadedFile("答复.pdf", EXE)])
    assert snapshot(appeal) == before
    assert stored_files(media) == []


@pytest.mark.parametrize(("reply", "message"), [("", "请填写答复内容"), ("答" * 5001, "答复内容不能超过 5000 字")])
def test_an_empty_or_oversized_reply_is_refused(cast, reply, message):
    appeal = make_appeal(cast, H)
    before = snapshot(appeal)
    with pytest.raises(ValidationError, match=message):
        services.reply_appeal(actor=cast.users.dept1, appeal=appeal, reply=reply)
    assert snapshot(appeal) == before


@pytest.mark.parametrize("state", [S, A, AS, H, RO, RJ])
def test_rating_an_unreplied_appeal_is_refused(cast, state):
    appeal = make_appeal(cast, state)
    before = snapshot(appeal)
    with pytest.raises(Refused) as refused:
        services.rate_appeal(actor=cast.users.ent1, appeal=appeal, rating=Rating.SATISFIED)
    assert CHINESE.search(refused.value.message)
    assert snapshot(appeal) == before


def test_an_unknown_rating_is_refused(cast):
    appeal = make_appeal(cast, RP)
    before = snapshot(appeal)
    with pytest.raises(ValidationError, match="请选择评价"):
        services.rate_appeal(actor=cast.users.ent1, appeal=appeal, rating="great")
    assert snapshot(appeal) == before


def test_an_unsatisfied_rating_needs_a_reason(cast):
    appeal = make_appeal(cast, RP)
    before = snapshot(appeal)
    with pytest.raises(ValidationError, match="请填写不满意的原因"):
        services.rate_appeal(actor=cast.users.ent1, appeal=appeal, rating=Rating.UNSATISFIED)
    assert snapshot(appeal) == before


def _other_federations_department(cast):
    return testing.make_department(cast.other, name="南开区税务局")


def _inactive_department(cast):
    department = testing.make_department(cast.district, name="已撤并的区商务委")
    department.is_active = False
    department.save()
    return department


BAD_DISPATCHES = {
    "deadline in the past": (lambda c: {"departments": [c.dept1], "deadline": date(2025, 11, 17)}, "已经过去"),
    "deadline not a date": (lambda c: {"departments": [c.dept1], "deadline": "下周五"}, "办理期限格式"),
    "no department": (lambda c: {"departments": []}, "请至少选择一个承办部门"),
    "unknown department": (lambda c: {"departments": [999999]}, "承办部门不存在"),
    "department id not a number": (lambda c: {"departments": ["税务局"]}, "承办部门不存在"),
    "another federation's department": (lambda c: {"departments": [c.dept1, _other_federations_department(c)]},
                                        "承办部门不存在"),
    "inactive department": (lambda c: {"departments": [_inactive_department(c)]}, "已停用"),
}


@pytest.mark.parametrize("case", list(BAD_DISPATCHES))
def test_a_bad_dispatch_is_refused_in_chinese_and_writes_nothing(cast, case):
    build, message = BAD_DISPATCHES[case]
    with time_machine.travel(datetime(2025, 11, 18, 10, 0, tzinfo=SHANGHAI), tick=False):
        appeal = make_appeal(cast, A)
        kwargs = build(cast)
        before = snapshot(appeal)
        with pytest.raises(ValidationError) as refused:
            services.dispatch_appeal(actor=cast.users.staff, appeal=appeal, **kwargs)
    assert message in message_of(refused.value)
    assert snapshot(appeal) == before


def test_a_deadline_of_today_is_accepted(cast):
    with time_machine.travel(datetime(2025, 11, 18, 10, 0, tzinfo=SHANGHAI), tick=False):
        appeal = make_appeal(cast, AS, deadline=date(2025, 11, 18))
    assert appeal.deadline == date(2025, 11, 18)


@pytest.mark.parametrize(("days", "message"), [(0, "1 到 30"), (31, "1 到 30"), ("三", "必须是整数")])
def test_a_bad_extension_request_is_refused(cast, days, message):
    appeal = make_appeal(cast, H)
    before = snapshot(appeal)
    with pytest.raises(ValidationError, match=message):
        services.request_extension(actor=cast.users.dept1, appeal=appeal, days=days, reason="需核查")
    assert snapshot(appeal) == before


# --- the timeline ----------------------------------------------------------------------------------------
def test_the_timeline_cannot_be_changed_or_deleted(cast):
    appeal = make_appeal(cast, AS)
    entry = appeal.timeline.first()
    entry.note = "改写历史"
    with pytest.raises(PermissionError, match="办理记录不可修改"):
        entry.save()
    with pytest.raises(PermissionError, match="办理记录不可删除"):
        entry.delete()
    with pytest.raises(PermissionError, match="办理记录不可修改"):
        TimelineEntry.objects.filter(appeal=appeal).update(note="改写历史")
    with pytest.raises(PermissionError, match="办理记录不可删除"):
        TimelineEntry.objects.filter(appeal=appeal).delete()
    assert list(appeal.timeline.values_list("action", "note")) == [
        ("submit", ""), ("accept", ""), ("dispatch", f"承办部门：区税务局；办理期限：{appeal.deadline:%Y-%m-%d}")]


def test_the_timeline_records_every_step_with_who_and_states(cast):
    appeal = make_appeal(cast, C)
    rows = list(appeal.timeline.values_list("action", "from_status", "to_status", "actor_name"))
    assert rows == [
        ("submit", "", S, "企业 ent1"),
        ("accept", S, A, "staff"),
        ("dispatch", A, AS, "staff"),
        ("department_accept", AS, H, "区税务局 dept1"),
        ("reply", H, RP, "区税务局 dept1"),
        ("rate", RP, C, "企业 ent1"),
    ]


# --- rounds: reopen, return, several departments -------------------------------------------------------
def test_reopen_creates_round_one_assignments_and_keeps_the_first_reply(cast):
    appeal = make_appeal(cast, RO)
    first = Assignment.objects.get(appeal=appeal, round=0)
    assert first.state == Assignment.State.REPLIED
    assert first.reply == "经核实，贵公司符合稳岗补贴条件，已于本周完成拨付。"
    second = Assignment.objects.get(appeal=appeal, round=1)
    assert (second.department, second.state) == (cast.dept1, Assignment.State.HANDLING)
    assert appeal.reopen_count == 1 and appeal.rating == "" and appeal.replied_at is None

    appeal = services.reply_appeal(actor=cast.users.dept1, appeal=appeal, reply="已重新核算并补发差额。")
    assert appeal.status == RP
    first.refresh_from_db()
    assert first.reply == "经核实，贵公司符合稳岗补贴条件，已于本周完成拨付。"
    appeal = services.rate_appeal(actor=cast.users.ent1, appeal=appeal, rating=Rating.BASICALLY)
    assert appeal.status == C
    assert list(appeal.ratings.values_list("round", "rating")) == [(0, Rating.UNSATISFIED), (1, Rating.BASICALLY)]


def test_the_desk_reopens_a_closed_appeal(cast):
    appeal = make_appeal(cast, C)
    appeal = services.reopen_appeal(actor=cast.users.staff, appeal=appeal, reason="回访发现问题未解决")
    assert appeal.status == RO and appeal.closed_at is None and appeal.rating == ""
    assert Assignment.objects.filter(appeal=appeal, round=1, state=Assignment.State.HANDLING).count() == 1


def test_return_by_the_only_department_sends_the_appeal_back_to_accepted(cast):
    appeal = make_appeal(cast, AS)
    appeal = services.return_appeal(actor=cast.users.dept1, appeal=appeal, reason="不属于本部门职责")
    assert appeal.status == A
    assignment = Assignment.objects.get(appeal=appeal)
    assert assignment.state == Assignment.State.RETURNED and assignment.return_reason == "不属于本部门职责"
    # the desk dispatches again, to the right department this time
    appeal = services.dispatch_appeal(actor=cast.users.staff, appeal=appeal, departments=[cast.dept2])
    assert appeal.status == AS
    assert current_assignment(appeal, cast.dept2).state == Assignment.State.ASSIGNED
    # dept1 still sees the appeal it returned but can no longer act on it
    with pytest.raises(Refused, match="没有派给贵部门"):
        services.department_accept(actor=cast.users.dept1, appeal=appeal)


def test_return_cancels_a_pending_extension(cast):
    appeal = make_appeal(cast, H, pending_extension=True)
    services.return_appeal(actor=cast.users.dept1, appeal=appeal, reason="不属于本部门职责")
    assert ExtensionRequest.objects.get(assignment__appeal=appeal).decision == ExtensionRequest.Decision.DENIED


def test_return_by_one_of_two_departments_keeps_the_appeal_with_the_other(cast):
    appeal = make_appeal(cast, AS, departments=[cast.dept1, cast.dept2])
    appeal = services.return_appeal(actor=cast.users.dept1, appeal=appeal, reason="由人社局办理即可")
    assert appeal.status == AS
    assert [a.department for a in Assignment.objects.filter(appeal=appeal).exclude(state="returned")] == [
        cast.dept2]


def test_return_after_the_other_department_replied_makes_the_appeal_replied(cast):
    dept2_user = department_user(cast, cast.dept2)
    appeal = make_appeal(cast, AS, departments=[cast.dept1, cast.dept2])
    appeal = services.department_accept(actor=dept2_user, appeal=appeal)
    appeal = services.reply_appeal(actor=dept2_user, appeal=appeal, reply="社保补贴已发放。")
    assert appeal.status == H
    appeal = services.return_appeal(actor=cast.users.dept1, appeal=appeal, reason="由人社局办理即可")
    assert appeal.status == RP and appeal.replied_at is not None and appeal.replied_on_time is True


def test_two_departments_the_appeal_is_replied_only_when_both_replied(cast):
    dept2_user = department_user(cast, cast.dept2)
    appeal = make_appeal(cast, AS, departments=[cast.dept1, cast.dept2])
    assert Assignment.objects.filter(appeal=appeal, round=0).count() == 2
    appeal = services.department_accept(actor=cast.users.dept1, appeal=appeal)
    assert appeal.status == H
    appeal = services.reply_appeal(actor=cast.users.dept1, appeal=appeal, reply="税务部分已办理。")
    assert appeal.status == H and appeal.replied_at is None
    # dept2 can sign for it although the appeal is already 办理中
    appeal = services.department_accept(actor=dept2_user, appeal=appeal)
    appeal = services.reply_appeal(actor=dept2_user, appeal=appeal, reply="社保部分已办理。")
    assert appeal.status == RP
    assert set(Assignment.objects.filter(appeal=appeal).values_list("state", flat=True)) == {"replied"}
    # a second reply by the same department is refused
    with pytest.raises(Refused):
        services.reply_appeal(actor=dept2_user, appeal=appeal, reply="补充答复")


def test_an_unrated_reopen_goes_back_to_every_department_that_replied(cast):
    appeal = make_appeal(cast, RP, departments=[cast.dept1, cast.dept2])
    appeal = services.reopen_appeal(actor=cast.users.staff, appeal=appeal, reason="两部门答复口径不一致")
    assert sorted(Assignment.objects.filter(appeal=appeal, round=1).values_list("department__name", flat=True)) == [
        "区人社局", "区税务局"]
    appeal = services.reply_appeal(actor=cast.users.dept1, appeal=appeal, reply="已统一口径")
    assert appeal.status == RO
    appeal = reply_all(cast, appeal, [cast.dept2])
    assert appeal.status == RP


def test_a_reply_clears_the_departments_pending_extension(cast):
    appeal = make_appeal(cast, H, pending_extension=True)
    services.reply_appeal(actor=cast.users.dept1, appeal=appeal, reply="已按期办理完毕")
    request = ExtensionRequest.objects.get(assignment__appeal=appeal)
    assert request.decision != ExtensionRequest.Decision.PENDING
    assert not services.selectors.pending_extensions(cast.users.staff).exists()


# --- the deadline sweep ------------------------------------------------------------------------------------
def test_sweep_supervises_overdue_appeals_once(cast):
    with time_machine.travel(datetime(2025, 11, 17, 10, 0, tzinfo=SHANGHAI), tick=False):
        late = make_appeal(cast, H)  # suggestion: 5 working days → 2025-11-24
        in_time = make_appeal(cast, H, category_code="complaint")  # 10 working days → 2025-12-01
        done = make_appeal(cast, RP)
    assert late.deadline == date(2025, 11, 24)
    with time_machine.travel(datetime(2025, 11, 24, 23, 0, tzinfo=SHANGHAI), tick=False):
        assert services.sweep_deadlines().supervised == 0  # the deadline day itself is still in time
    with time_machine.travel(datetime(2025, 11, 25, 9, 0, tzinfo=SHANGHAI), tick=False):
        first = services.sweep_deadlines()
        second = services.sweep_deadlines()
    assert (first.supervised, second.supervised) == (1, 0)
    late.refresh_from_db()
    assert late.is_supervised and late.status == H
    entry = late.timeline.get(action="supervise")
    assert entry.actor is None and entry.actor_name == "系统" and "超过办理期限" in entry.note
    assert not Appeal.objects.get(pk=in_time.pk).is_supervised
    assert not Appeal.objects.get(pk=done.pk).is_supervised
    assert Notification.objects.filter(recipient=cast.users.dept1, title__contains="被督办").count() == 1
    assert Notification.objects.filter(recipient=cast.users.staff, title__contains="已督办").count() == 1


def test_sweep_reminds_a_department_late_to_sign_for_once(cast):
    with time_machine.travel(datetime(2025, 11, 18, 10, 0, tzinfo=SHANGHAI), tick=False):
        unsigned = make_appeal(cast, AS)
        make_appeal(cast, H)  # signed for in time: no reminder
    assignment = current_assignment(unsigned, cast.dept1)
    assert assignment.sign_deadline == datetime(2025, 11, 18, 12, 0, tzinfo=SHANGHAI)
    with time_machine.travel(datetime(2025, 11, 18, 11, 59, tzinfo=SHANGHAI), tick=False):
        assert services.sweep_deadlines().sign_reminders == 0
    with time_machine.travel(datetime(2025, 11, 18, 12, 1, tzinfo=SHANGHAI), tick=False):
        assert services.sweep_deadlines().sign_reminders == 1
        assert services.sweep_deadlines().sign_reminders == 0
    assignment.refresh_from_db()
    assert assignment.sign_overdue_notified_at == datetime(2025, 11, 18, 12, 1, tzinfo=SHANGHAI)
    reminders = Notification.objects.filter(title__contains="超过签收时限")
    assert [n.recipient for n in reminders] == [cast.users.dept1]


# --- who gets told -----------------------------------------------------------------------------------------
def _titles(user):
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("title", flat=True))


def test_notifications_reach_the_right_people(cast):
    dept2_user = department_user(cast, cast.dept2)
    appeal = submit(cast)
    n = appeal.number
    assert _titles(cast.users.staff) == [f"诉求{n}待受理"]
    assert _titles(cast.users.outsider_staff) == []  # another district's desk
    services.accept_appeal(actor=cast.users.staff, appeal=appeal)
    assert _titles(cast.users.ent1) == [f"您的诉求{n}已受理"]
    services.dispatch_appeal(actor=cast.users.staff, appeal=appeal, departments=[cast.dept1])
    assert len(_titles(cast.users.dept1)) == 1 and _titles(cast.users.dept1)[0].startswith(f"诉求{n}已派至贵部门")
    assert _titles(dept2_user) == []
    services.department_accept(actor=cast.users.dept1, appeal=appeal)
    services.reply_appeal(actor=cast.users.dept1, appeal=appeal, reply="已办理")
    assert _titles(cast.users.ent1)[-1] == f"您的诉求{n}已答复，请评价"
    services.rate_appeal(actor=cast.users.ent1, appeal=appeal, rating=Rating.UNSATISFIED, comment="未解决")
    assert _titles(cast.users.staff)[-1] == f"诉求{n}评价为不满意"
    services.reopen_appeal(actor=cast.users.ent1, appeal=appeal, reason="请重新办理")
    assert _titles(cast.users.dept1)[-1] == f"诉求{n}被要求重办"
    assert _titles(cast.users.staff)[-1] == f"诉求{n}企业申请重办"
    for user in (cast.users.chamber1, cast.users.leader, cast.users.auditor, dept2_user):
        assert _titles(user) == []


def test_an_extension_request_and_its_decision_are_notified(cast):
    appeal = make_appeal(cast, H, pending_extension=True)
    assert _titles(cast.users.staff)[-1] == f"诉求{appeal.number}：区税务局申请延期 3 个工作日"
    services.decide_extension(actor=cast.users.staff, appeal=appeal, approve=True)
    assert _titles(cast.users.dept1)[-1].startswith(f"诉求{appeal.number}延期申请结果：同意延期至")


def test_a_rejection_tells_the_enterprise(cast):
    appeal = make_appeal(cast, RJ)
    assert _titles(cast.users.ent1)[-1] == f"您的诉求{appeal.number}不予受理"
    assert appeal.rejected_reason and appeal.closed_at is not None


def test_a_reply_on_the_deadline_day_is_on_time_and_the_day_after_is_late(cast):
    # Replied on the deadline day counts as on time; the day after does not.
    with time_machine.travel(datetime(2025, 11, 17, 10, 0, tzinfo=SHANGHAI), tick=False):
        on_time = make_appeal(cast, H, category_code="consult")  # 1 working day → 2025-11-18
        late = make_appeal(cast, H, category_code="consult")
    with time_machine.travel(datetime(2025, 11, 18, 16, 59, tzinfo=SHANGHAI), tick=False):
        on_time = services.reply_appeal(actor=cast.users.dept1, appeal=on_time, reply="已解答")
    with time_machine.travel(datetime(2025, 11, 18, 16, 59, tzinfo=SHANGHAI) + timedelta(days=1), tick=False):
        late = services.reply_appeal(actor=cast.users.dept1, appeal=late, reply="已解答")
    assert on_time.replied_on_time is True
    assert late.replied_on_time is False
    assert current_assignment(on_time, cast.dept1).working_days_to_reply == 1
    assert current_assignment(late, cast.dept1).working_days_to_reply == 2
