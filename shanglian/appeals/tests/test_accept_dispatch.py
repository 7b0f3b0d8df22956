"""受理并派单, the desk's common path in one step: the service (one transaction, audited, refusals that
change nothing, two desks at once), the queue's link and the detail page's form, the API's endpoint."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.appeals import services
from shanglian.appeals.models import Appeal, Assignment, Status, TimelineEntry
from shanglian.audit.models import AuditEvent
from shanglian.common.errors import Refused
from shanglian.notifications.models import Notification

from .factories import make_appeal, submit
from .test_services import _race, reference_data, snapshot  # noqa: F401 — reference_data is a fixture

NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


def _one_step(cast, appeal, actor=None, **kwargs):
    kwargs.setdefault("departments", [cast.dept1, cast.dept2])
    return services.accept_and_dispatch(actor=actor or cast.users.staff, appeal=appeal, **kwargs)


# --- the service -----------------------------------------------------------------------------------
@time_machine.travel(NOW, tick=False)
def test_accept_and_dispatch_accepts_and_dispatches_in_one_step(cast):
    appeal = submit(cast)
    audits = AuditEvent.objects.count()
    appeal = _one_step(cast, appeal, deadline="2026-11-30", public_note="已转税务、人社部门办理",
                       internal_note="该企业去年同类诉求已办结，注意口径一致")
    appeal.refresh_from_db()
    assert appeal.status == Status.ASSIGNED
    assert appeal.accepted_at is not None and appeal.first_dispatched_at is not None
    assert appeal.deadline == datetime.date(2026, 11, 30)
    assert sorted(appeal.assignments.values_list("department__name", flat=True)) == ["区人社局", "区税务局"]
    steps = list(appeal.timeline.values_list("action", "from_status", "to_status"))
    assert steps == [("submit", "", Status.SUBMITTED), ("accept", Status.SUBMITTED, Status.ACCEPTED),
                     ("dispatch", Status.ACCEPTED, Status.ASSIGNED)]
    dispatch = appeal.timeline.get(action="dispatch")
    assert dispatch.note.endswith("。已转税务、人社部门办理")
    assert dispatch.internal_note == "该企业去年同类诉求已办结，注意口径一致"
    details = [e.detail for e in AuditEvent.objects.order_by("id")[audits:]]
    assert [(d["transition"], d.get("via")) for d in details] == [("accept", "accept_dispatch"),
                                                                 ("dispatch", "accept_dispatch")]


def test_accept_and_dispatch_tells_the_enterprise_once_and_the_departments(cast):
    appeal = submit(cast)
    before = set(Notification.objects.values_list("pk", flat=True))
    _one_step(cast, appeal)
    new = Notification.objects.exclude(pk__in=before)
    assert list(new.filter(recipient=cast.users.ent1).values_list("title", flat=True)) == [
        f"您的诉求{appeal.number}已受理并转交承办部门"]
    assert new.filter(recipient=cast.users.dept1).count() == 1


@pytest.mark.parametrize("status", [Status.ACCEPTED, Status.ASSIGNED, Status.REJECTED, Status.CLOSED])
def test_accept_and_dispatch_is_refused_once_the_appeal_left_submitted_and_changes_nothing(cast, status):
    appeal = make_appeal(cast, status)
    before = snapshot(appeal)
    with pytest.raises(Refused, match="不能受理并派单（仅在“已提交”状态下可以）"):
        _one_step(cast, appeal)
    assert snapshot(appeal) == before


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(("kwargs", "message"), [
    ({"departments": []}, "请至少选择一个承办部门"),
    ({"deadline": "2026-11-20"}, "办理期限 2026-11-20 已经过去"),
    ({"departments": [99999]}, "承办部门不存在或已停用"),
    ({"internal_note": "注" * 501}, "内部意见不能超过 500 字"),
])
def test_bad_input_to_accept_and_dispatch_leaves_the_appeal_submitted(cast, kwargs, message):
    appeal = submit(cast)
    before = snapshot(appeal)
    with pytest.raises(ValidationError, match=message):
        _one_step(cast, appeal, **kwargs)
    assert snapshot(appeal) == before  # the acceptance was rolled back with the dispatch
    assert Appeal.objects.get(pk=appeal.pk).status == Status.SUBMITTED


@pytest.mark.parametrize("role", ["leader", "chamber1", "dept1", "ent1", "auditor", "outsider_staff"])
def test_only_the_desk_of_the_appeals_federation_may_accept_and_dispatch(cast, role):
    appeal = submit(cast)
    before = snapshot(appeal)
    with pytest.raises(PermissionDenied):
        _one_step(cast, appeal, actor=getattr(cast.users, role))
    assert snapshot(appeal) == before


def test_the_system_administrator_may_accept_and_dispatch(cast):
    assert _one_step(cast, submit(cast), actor=cast.users.admin).status == Status.ASSIGNED


@pytest.mark.django_db(transaction=True)
def test_two_desks_accepting_and_dispatching_at_once_exactly_one_wins(reference_data, cast):  # noqa: F811
    appeal = submit(cast)
    other_staff = testing.make_user(Role.STAFF, username="staff2", federation=cast.district)
    outcomes = _race([
        lambda: services.accept_and_dispatch(actor=cast.users.staff, appeal=appeal.pk, departments=[cast.dept1.pk]),
        lambda: services.accept_and_dispatch(actor=other_staff, appeal=appeal.pk, departments=[cast.dept2.pk]),
    ])
    kinds = sorted(kind for kind, _ in outcomes)
    assert "error" not in kinds, outcomes
    assert kinds.count("won") == 1, outcomes
    if connection.vendor == "postgresql":  # the row lock makes the loser wait, re-read and be refused
        assert kinds.count("refused") == 1, outcomes
        refusal = next(exc for kind, exc in outcomes if kind == "refused")
        assert "不能受理并派单" in refusal.message
    assert Appeal.objects.get(pk=appeal.pk).status == Status.ASSIGNED
    assert Assignment.objects.filter(appeal_id=appeal.pk).count() == 1
    assert list(TimelineEntry.objects.filter(appeal_id=appeal.pk).values_list("action", flat=True)) == [
        "submit", "accept", "dispatch"]


@pytest.mark.django_db(transaction=True)
def test_rejecting_while_another_accepts_and_dispatches_exactly_one_wins(reference_data, cast):  # noqa: F811
    appeal = submit(cast)
    other_staff = testing.make_user(Role.STAFF, username="staff2", federation=cast.district)
    outcomes = _race([
        lambda: services.reject_appeal(actor=cast.users.staff, appeal=appeal.pk, reason="不属于受理范围"),
        lambda: services.accept_and_dispatch(actor=other_staff, appeal=appeal.pk, departments=[cast.dept1.pk]),
    ])
    kinds = [kind for kind, _ in outcomes]
    assert "error" not in kinds, outcomes
    assert kinds.count("won") == 1, outcomes
    final = Appeal.objects.get(pk=appeal.pk)
    actions = list(TimelineEntry.objects.filter(appeal_id=appeal.pk).values_list("action", flat=True))
    if kinds[0] == "won":
        assert final.status == Status.REJECTED and actions == ["submit", "reject"]
        assert not Assignment.objects.filter(appeal_id=appeal.pk).exists()
    else:
        assert final.status == Status.ASSIGNED and actions == ["submit", "accept", "dispatch"]


# --- the pages ---------------------------------------------------------------------------------------
def test_the_queue_offers_accept_and_dispatch_on_appeals_awaiting_acceptance(cast, login):
    waiting = submit(cast)
    accepted = make_appeal(cast, Status.ACCEPTED, title="已受理待派单的诉求")
    page = login(cast.users.staff).get(reverse("appeals:list"), {"queue": "pending_accept"}).content.decode()
    link = f'{reverse("appeals:detail", args=[waiting.pk])}?do=accept_dispatch#act-accept_dispatch'
    assert link in page and "受理并派单" in page
    page = login(cast.users.staff).get(reverse("appeals:list")).content.decode()
    assert f'{reverse("appeals:detail", args=[accepted.pk])}?do=accept_dispatch' not in page


def test_the_queue_does_not_offer_accept_and_dispatch_to_a_leader(cast, login):
    submit(cast)
    page = login(cast.users.leader).get(reverse("appeals:list"), {"queue": "pending_accept"}).content.decode()
    assert "受理并派单" not in page


@time_machine.travel(NOW, tick=False)
def test_the_detail_page_opens_the_one_step_form_from_the_queue_link(cast, login):
    appeal = submit(cast)
    page = login(cast.users.staff).get(reverse("appeals:detail", args=[appeal.pk]),
                                       {"do": "accept_dispatch"}).content.decode()
    panel = page.split('id="act-accept_dispatch"')[1].split('id="act-accept"')[0]
    assert 'data-open="1"' in panel
    assert 'value="2026-11-30"' in panel and cast.dept1.name in panel  # the computed deadline, the departments
    assert "给企业的说明（企业可见）" in panel and "内部意见（仅内部可见）" in panel
    assert "确定受理并派单" in panel


@time_machine.travel(NOW, tick=False)
def test_staff_accepts_and_dispatches_from_the_detail_page_in_one_post(cast, login):
    appeal = submit(cast)
    response = login(cast.users.staff).post(reverse("appeals:act", args=[appeal.pk, "accept_dispatch"]), {
        "departments": [cast.dept1.pk], "deadline": "2026-11-30", "public_note": "已转区税务局",
        "internal_note": "请税务局优先办理"})
    assert response.status_code == 302 and response.url == reverse("appeals:detail", args=[appeal.pk])
    appeal.refresh_from_db()
    assert appeal.status == Status.ASSIGNED and appeal.assignments.get().department == cast.dept1


@time_machine.travel(NOW, tick=False)
def test_a_stale_one_step_form_is_refused_with_the_reason_and_changes_nothing(cast, login):
    appeal = submit(cast)
    client = login(cast.users.staff)
    services.accept_appeal(actor=testing.make_user(Role.STAFF, username="staff2", federation=cast.district),
                           appeal=appeal)  # someone else acted first
    before = snapshot(appeal)
    response = client.post(reverse("appeals:act", args=[appeal.pk, "accept_dispatch"]),
                           {"departments": [cast.dept1.pk], "deadline": "2026-11-30"}, follow=True)
    page = response.content.decode()
    assert "当前状态为“已受理”，不能受理并派单" in page
    assert snapshot(appeal) == before


@time_machine.travel(NOW, tick=False)
def test_the_one_step_form_without_a_department_comes_back_with_what_was_typed(cast, login):
    appeal = submit(cast)
    client = login(cast.users.staff)
    before = snapshot(appeal)
    response = client.post(reverse("appeals:act", args=[appeal.pk, "accept_dispatch"]),
                           {"deadline": "2026-11-30", "internal_note": "请优先办理"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "请至少选择一个承办部门" in page and "请优先办理" in page
    assert snapshot(appeal) == before


def test_another_federations_desk_gets_404_on_the_one_step_form(cast, login):
    appeal = submit(cast)
    response = login(cast.users.outsider_staff).post(reverse("appeals:act", args=[appeal.pk, "accept_dispatch"]),
                                                     {"departments": [cast.dept1.pk]})
    assert response.status_code == 404
    assert Appeal.objects.get(pk=appeal.pk).status == Status.SUBMITTED


def test_a_chamber_secretary_posting_the_one_step_form_is_refused(cast, login):
    appeal = submit(cast)
    response = login(cast.users.chamber1).post(reverse("appeals:act", args=[appeal.pk, "accept_dispatch"]),
                                               {"departments": [cast.dept1.pk], "deadline": "2030-01-02"})
    assert response.status_code == 403
    assert Appeal.objects.get(pk=appeal.pk).status == Status.SUBMITTED


# --- the API -------------------------------------------------------------------------------------------
def _api(client, appeal, body):
    return client.post(f"/api/v1/appeals/{appeal.pk}/accept-dispatch/", body, content_type="application/json")


def test_the_api_accepts_and_dispatches_in_one_call(cast, login):
    appeal = submit(cast)
    response = _api(login(cast.users.staff), appeal, {"departments": [cast.dept1.pk], "internal_note": "内部"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.ASSIGNED


def test_the_api_refuses_a_second_accept_and_dispatch_with_409(cast, login):
    appeal = make_appeal(cast, Status.ASSIGNED)
    response = _api(login(cast.users.staff), appeal, {"departments": [cast.dept1.pk]})
    assert response.status_code == 409
    assert "不能受理并派单" in response.json()["detail"]


@pytest.mark.parametrize(("role", "status"), [("chamber1", 403), ("leader", 403), ("ent1", 403),
                                              ("outsider_staff", 404)])
def test_the_api_refuses_accept_and_dispatch_to_others(cast, login, role, status):
    appeal = submit(cast)
    assert _api(login(getattr(cast.users, role)), appeal, {"departments": [cast.dept1.pk]}).status_code == status
    assert Appeal.objects.get(pk=appeal.pk).status == Status.SUBMITTED
