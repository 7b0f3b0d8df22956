"""Staff, department and chamber pages of appeals: scope, the action forms, attachments, export."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shanglian.appeals import services
from shanglian.appeals.models import Appeal, AppealCategory, Assignment, Attachment, Status, TimelineEntry
from shanglian.audit.models import AuditEvent

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x03\x00\x08\xfc\x02\xfe\xa7\x9a\xa0\xa0\x00\x00\x00\x00IEND\xaeB`\x82")
NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _category(code="finance"):
    return AppealCategory.objects.get(code=code)


def _submitted(cast, enterprise=None, **kwargs):
    return services.submit_appeal(actor=cast.users.staff, enterprise=enterprise or cast.ent1,
                                  category=kwargs.pop("category", _category()), title="申请贷款贴息",
                                  content="企业申请科技型中小企业贷款贴息，需要了解办理流程。", channel="phone", **kwargs)


def _dispatched(cast, department=None, enterprise=None):
    appeal = _submitted(cast, enterprise)
    services.accept_appeal(actor=cast.users.staff, appeal=appeal)
    return services.dispatch_appeal(actor=cast.users.staff, appeal=appeal, departments=[department or cast.dept1])


def _act(client, appeal, action, data=None):
    return client.post(reverse("appeals:act", args=[appeal.pk, action]), data or {})


@time_machine.travel(NOW, tick=False)
def test_staff_walks_an_appeal_from_registration_to_dispatch(cast, login):
    client = login(cast.users.staff)
    response = client.post(reverse("appeals:create"), {
        "enterprise": cast.ent1.pk, "channel": "phone", "category": _category().pk, "urgency": "normal",
        "title": "申请贷款贴息", "content": "需要了解贴息政策。",
    })
    appeal = Appeal.objects.get()
    assert response.status_code == 302 and response.url == reverse("appeals:detail", args=[appeal.pk])
    assert appeal.number == "SQ202611230001" and appeal.channel == "phone"

    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert "受理" in page and "不予受理" in page and "确定受理并派单" in page and "确定派单" not in page
    assert _act(client, appeal, "accept").status_code == 302

    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    # 融资贷款: 5 working days from Mon 2026-11-23 → Mon 2026-11-30, offered as the default.
    assert 'value="2026-11-30"' in page and "确定派单" in page and cast.dept1.name in page
    response = _act(client, appeal, "dispatch", {"departments": [cast.dept1.pk, cast.dept2.pk],
                                                 "deadline": "2026-11-30"})
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Status.ASSIGNED and appeal.deadline == datetime.date(2026, 11, 30)
    assert appeal.assignments.count() == 2


@time_machine.travel(NOW, tick=False)
def test_dispatch_with_a_past_deadline_is_refused_and_nothing_is_written(cast, login):
    appeal = _submitted(cast)
    services.accept_appeal(actor=cast.users.staff, appeal=appeal)
    client = login(cast.users.staff)
    entries = TimelineEntry.objects.count()
    response = _act(client, appeal, "dispatch", {"departments": [cast.dept1.pk], "deadline": "2026-11-20",
                                                 "internal_note": "请尽快办理"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "办理期限 2026-11-20 已经过去" in page
    assert "请尽快办理" in page  # what was typed comes back
    assert Assignment.objects.count() == 0 and TimelineEntry.objects.count() == entries
    appeal.refresh_from_db()
    assert appeal.status == Status.ACCEPTED


@time_machine.travel(NOW, tick=False)
def test_dispatch_to_an_unknown_department_is_refused(cast, login):
    appeal = _submitted(cast)
    services.accept_appeal(actor=cast.users.staff, appeal=appeal)
    response = _act(login(cast.users.staff), appeal, "dispatch", {"departments": [99999], "deadline": "2026-11-30"})
    assert response.status_code == 400
    assert "承办部门不存在" in response.content.decode()
    assert Assignment.objects.count() == 0


@time_machine.travel(NOW, tick=False)
def test_an_action_not_allowed_in_the_state_is_refused_with_a_message(cast, login):
    appeal = _submitted(cast)
    client = login(cast.users.staff)
    response = _act(client, appeal, "close", {"reason": "已解决"})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "不能办结" in page
    appeal.refresh_from_db()
    assert appeal.status == Status.SUBMITTED


@time_machine.travel(NOW, tick=False)
def test_department_signs_for_and_replies_with_an_attachment(cast, login, media):
    appeal = _dispatched(cast)
    client = login(cast.users.dept1)
    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert "签收" in page and "退回" in page
    assert _act(client, appeal, "department_accept").status_code == 302
    response = client.post(reverse("appeals:act", args=[appeal.pk, "reply"]), {
        "reply": "已联系企业，贴息申请材料清单见附件。",
        "files": [SimpleUploadedFile("清单.png", PNG, content_type="image/png")],
    })
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Status.REPLIED and appeal.replied_on_time is True
    attachment = Attachment.objects.get()
    assert attachment.original_name == "清单.png" and attachment.content_type == "image/png"
    assert (media / "appeals" / attachment.stored_name).read_bytes() == PNG
    assert "清单" not in attachment.stored_name


@time_machine.travel(NOW, tick=False)
def test_a_forbidden_file_type_in_a_reply_is_refused_and_nothing_is_written(cast, login, media):
    appeal = _dispatched(cast)
    services.department_accept(actor=cast.users.dept1, appeal=appeal)
    response = login(cast.users.dept1).post(reverse("appeals:act", args=[appeal.pk, "reply"]), {
        "reply": "答复内容",
        "files": [SimpleUploadedFile("答复.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")],
    })
    assert response.status_code == 400
    assert "不是允许的类型" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == Status.HANDLING
    assert not Attachment.objects.exists()
    assert not (media / "appeals").exists() or not any((media / "appeals").iterdir())


@time_machine.travel(NOW, tick=False)
def test_attachment_is_served_only_to_users_who_may_see_the_appeal(cast, login, media):
    appeal = services.submit_appeal(actor=cast.users.ent1, enterprise=cast.ent1, category=_category(),
                                    title="厂房用电", content="申请电力增容。",
                                    files=[SimpleUploadedFile("a.png", PNG, content_type="image/png")])
    attachment = Attachment.objects.get()
    url = reverse("appeals:attachment", args=[attachment.pk])
    response = login(cast.users.staff).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PNG
    assert login(cast.users.chamber2).get(url).status_code == 404  # ent1 is not a member of chamber 2
    assert login(cast.users.dept1).get(url).status_code == 404  # not dispatched to dept1
    assert login(cast.users.outsider_staff).get(url).status_code == 404
    assert AuditEvent.objects.filter(action="denied", object_id=str(appeal.pk)).count() == 3


@time_machine.travel(NOW, tick=False)
def test_department_cannot_see_or_act_on_another_departments_appeal(cast, login):
    appeal = _dispatched(cast, department=cast.dept2)
    client = login(cast.users.dept1)
    assert client.get(reverse("appeals:detail", args=[appeal.pk])).status_code == 404
    assert _act(client, appeal, "department_accept").status_code == 404
    assert appeal.number not in client.get(reverse("appeals:list")).content.decode()
    appeal.refresh_from_db()
    assert appeal.status == Status.ASSIGNED


@time_machine.travel(NOW, tick=False)
def test_department_sees_the_appeal_dispatched_to_it_in_its_queue(cast, login):
    appeal = _dispatched(cast)
    page = login(cast.users.dept1).get(reverse("appeals:list") + "?queue=to_sign").content.decode()
    assert appeal.number in page and "待签收" in page


@time_machine.travel(NOW, tick=False)
def test_chamber_sees_its_members_appeals_read_only(cast, login):
    mine = _submitted(cast, cast.ent1)
    other = _submitted(cast, cast.ent2)
    client = login(cast.users.chamber1)
    page = client.get(reverse("appeals:list")).content.decode()
    assert mine.number in page and other.number not in page
    detail = client.get(reverse("appeals:detail", args=[mine.pk])).content.decode()
    assert "办理操作" not in detail
    assert _act(client, mine, "accept").status_code == 403
    assert client.get(reverse("appeals:detail", args=[other.pk])).status_code == 404
    mine.refresh_from_db()
    assert mine.status == Status.SUBMITTED


def test_enterprise_user_is_sent_to_its_mobile_pages(cast, login):
    assert login(cast.users.ent1).get(reverse("appeals:list")).url == reverse("appeals:h5_home")


@pytest.mark.parametrize("who", ["auditor", "ent1"])
def test_desk_only_pages_are_refused_to_other_roles(cast, login, who):
    assert login(getattr(cast.users, who)).get(reverse("appeals:create")).status_code == 403


@time_machine.travel(NOW, tick=False)
def test_staff_queues_count_and_filter(cast, login):
    _submitted(cast)
    accepted = _submitted(cast)
    services.accept_appeal(actor=cast.users.staff, appeal=accepted)
    client = login(cast.users.staff)
    page = client.get(reverse("appeals:list") + "?queue=pending_dispatch").content.decode()
    assert accepted.number in page and "共 1 条" in page


@time_machine.travel(NOW, tick=False)
def test_overdue_appeal_shows_in_the_overdue_queue_after_the_sweep(cast, login):
    appeal = _dispatched(cast)
    with time_machine.travel(datetime.datetime(2026, 12, 8, 9, 0, tzinfo=NOW.tzinfo), tick=False):
        services.sweep_deadlines()
        page = login(cast.users.staff).get(reverse("appeals:list") + "?queue=overdue").content.decode()
    assert appeal.number in page and "督办" in page


@time_machine.travel(NOW, tick=False)
def test_export_is_scoped_and_audited(cast, login):
    _submitted(cast, cast.ent1)
    _submitted(cast, cast.ent2)
    response = login(cast.users.chamber1).get(reverse("appeals:export"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    event = AuditEvent.objects.filter(action="export").latest("id")
    assert event.detail["rows"] == 1


@time_machine.travel(NOW, tick=False)
def test_workbench_shows_appeal_todos(cast, login):
    _submitted(cast)
    page = login(cast.users.staff).get(reverse("workbench:home")).content.decode()
    assert "待受理的诉求" in page


@time_machine.travel(NOW, tick=False)
def test_notifications_reach_the_inbox_and_are_marked_read_when_opened(cast, login):
    appeal = _dispatched(cast)
    client = login(cast.users.dept1)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert f"诉求{appeal.number}已派至贵部门" in page
    from shanglian.notifications.models import Notification

    note = Notification.objects.get(recipient=cast.users.dept1)
    response = client.get(reverse("notifications:open", args=[note.pk]))
    assert response.url == reverse("appeals:detail", args=[appeal.pk])
    note.refresh_from_db()
    assert note.read_at is not None
    # Another user's message is not theirs to open.
    other = Notification.objects.filter(recipient=cast.users.staff).first()
    if other is None:
        other = Notification.objects.create(recipient=cast.users.staff, kind="x", title="t")
    assert client.get(reverse("notifications:open", args=[other.pk])).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_list_page_query_count_does_not_grow_with_rows(cast, login, django_assert_max_num_queries):
    for _ in range(25):
        _dispatched(cast)
    client = login(cast.users.staff)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("appeals:list"))
    assert "共 25 条" in response.content.decode()
    dept = login(cast.users.dept1)
    with django_assert_max_num_queries(30):
        page = dept.get(reverse("appeals:list")).content.decode()
    assert ">办理<" in page
