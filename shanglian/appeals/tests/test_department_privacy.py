"""What one department may not learn about another's handling, and the fixes that came with it:
the enterprise told when a return leaves every other department replied, several pending extensions,
a department's KPI cards counting only what it holds."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shanglian.appeals import figures, services
from shanglian.appeals.models import Attachment, ExtensionRequest, Status
from shanglian.appeals.tests.factories import PNG_BYTES, department_user, make_appeal
from shanglian.common.errors import Refused
from shanglian.common.periods import Period
from shanglian.notifications.models import Notification

SECRET = "经核实，该企业社保缴纳基数有误，建议税务部门暂缓处理（内部意见）。"


def _handled_by_both(cast):
    appeal = make_appeal(cast, Status.HANDLING, departments=[cast.dept1, cast.dept2])
    dept2 = department_user(cast, cast.dept2)
    return services.reply_appeal(actor=dept2, appeal=appeal, reply=SECRET,
                                 files=[SimpleUploadedFile("意见.png", PNG_BYTES, content_type="image/png")])


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_department_does_not_read_another_departments_reply_on_the_page(cast, login):
    appeal = _handled_by_both(cast)
    page = login(cast.users.dept1).get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert SECRET not in page and "意见.png" not in page
    assert "答复" in page  # the step itself is on the timeline
    assert SECRET in login(cast.users.staff).get(reverse("appeals:detail", args=[appeal.pk])).content.decode()


def test_a_department_does_not_download_another_departments_attachment(cast, login):
    appeal = _handled_by_both(cast)
    attachment = Attachment.objects.get(appeal=appeal)
    url = reverse("appeals:attachment", args=[attachment.pk])
    assert login(cast.users.dept1).get(url).status_code == 404
    assert login(cast.users.staff).get(url).status_code == 200


def test_a_department_does_not_read_another_departments_reply_through_the_api(cast, login):
    appeal = _handled_by_both(cast)
    data = login(cast.users.dept1).get(f"/api/v1/appeals/{appeal.pk}/").json()
    assert all(SECRET not in (entry["note"] or "") for entry in data["timeline"])
    assert data["attachments"] == []


def test_a_return_that_leaves_every_other_department_replied_asks_the_enterprise_to_rate(cast):
    appeal = _handled_by_both(cast)
    appeal = services.return_appeal(actor=cast.users.dept1, appeal=appeal, reason="不属于本部门职责")
    assert appeal.status == Status.REPLIED
    assert Notification.objects.filter(recipient=cast.users.ent1, title__contains="已答复，请评价").exists()


def test_with_two_pending_extensions_the_desk_says_which_one_it_decides(cast):
    appeal = make_appeal(cast, Status.HANDLING, departments=[cast.dept1, cast.dept2])
    for department in (cast.dept1, cast.dept2):
        appeal = services.request_extension(actor=department_user(cast, department), appeal=appeal, days=2,
                                            reason="需现场核查")
    with pytest.raises(Refused, match="有 2 条待审批的延期申请"):
        services.decide_extension(actor=cast.users.staff, appeal=appeal, approve=True)
    second = ExtensionRequest.objects.get(assignment__department=cast.dept2)
    services.decide_extension(actor=cast.users.staff, appeal=appeal, approve=True, request_id=second.pk)
    second.refresh_from_db()
    assert second.decision == ExtensionRequest.Decision.APPROVED
    assert ExtensionRequest.objects.get(assignment__department=cast.dept1).decision == "pending"


def test_the_decision_form_lists_the_pending_requests(cast, login):
    appeal = make_appeal(cast, Status.HANDLING, departments=[cast.dept1, cast.dept2])
    for department in (cast.dept1, cast.dept2):
        appeal = services.request_extension(actor=department_user(cast, department), appeal=appeal, days=2,
                                            reason="需现场核查")
    client = login(cast.users.staff)
    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert f"{cast.dept1.name}：延期 2 个工作日" in page and f"{cast.dept2.name}：延期 2 个工作日" in page
    first = ExtensionRequest.objects.get(assignment__department=cast.dept1)
    response = client.post(reverse("appeals:act", args=[appeal.pk, "decide_extension"]),
                           {"request": first.pk, "decision": "deny", "note": "期限内可以办结"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.decision == ExtensionRequest.Decision.DENIED


def test_a_departments_cards_count_only_the_appeals_it_holds(cast):
    appeal = make_appeal(cast, Status.ASSIGNED, departments=[cast.dept1, cast.dept2])
    services.return_appeal(actor=cast.users.dept1, appeal=appeal, reason="不属于本部门职责")
    period = Period.year(appeal.submitted_at.year)
    report = figures.kpi_report(cast.users.dept1, period)
    assert report.overall.received == 0 and report.by_department == []
    assert figures.kpi_report(department_user(cast, cast.dept2), period).overall.received == 1
