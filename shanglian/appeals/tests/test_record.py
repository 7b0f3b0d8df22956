"""打印/导出 one appeal with its full timeline: scoped like the detail page (out of scope → 404), the
same content on the print page and in the xlsx, the export audited."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.appeals.models import Status
from shanglian.audit.models import AuditAction, AuditEvent

from .factories import make_appeal

PAGES = ["appeals:print", "appeals:export_one"]


@pytest.fixture
def closed(cast):
    return make_appeal(cast, Status.CLOSED, contact_mobile="13912345678")


def _book(response):
    return load_workbook(io.BytesIO(response.content))


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ["staff", "leader", "admin", "chamber1", "dept1", "ent1"])
def test_who_may_see_the_appeal_may_print_and_export_it(cast, login, closed, page, role):
    response = login(getattr(cast.users, role)).get(reverse(page, args=[closed.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(("role", "status"), [("outsider_staff", 404), ("chamber2", 404), ("auditor", 403)])
def test_others_get_404_or_403_and_no_export_is_recorded(cast, login, closed, page, role, status):
    client = login(getattr(cast.users, role))
    response = client.get(reverse(page, args=[closed.pk]))
    assert response.status_code == status
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.parametrize("page", PAGES)
def test_another_enterprise_guessing_the_id_gets_404(cast, login, closed, page):
    ent2 = testing.make_user(Role.ENTERPRISE, username="ent2", enterprise=cast.ent2)
    assert login(ent2).get(reverse(page, args=[closed.pk])).status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_a_department_the_appeal_was_not_dispatched_to_gets_404(cast, login, closed, page):
    other = testing.make_user(Role.DEPARTMENT, username="dept2", department=cast.dept2)
    assert login(other).get(reverse(page, args=[closed.pk])).status_code == 404


def test_the_export_is_audited_with_the_appeal(cast, login, closed):
    response = login(cast.users.staff).get(reverse("appeals:export_one", args=[closed.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.actor == cast.users.staff and event.object_type == "appeals.appeal"
    assert event.detail["number"] == closed.number and event.detail["pii"] is False


def test_the_print_page_and_the_export_hold_the_same_full_timeline(cast, login, closed):
    client = login(cast.users.staff)
    page = client.get(reverse("appeals:print", args=[closed.pk])).content.decode()
    book = _book(client.get(reverse("appeals:export_one", args=[closed.pk])))
    assert book.sheetnames == ["诉求信息", "承办情况", "延期申请", "评价", "办理记录"]
    timeline = list(book["办理记录"].iter_rows(values_only=True))
    assert timeline[0][:3] == ("时间", "操作", "操作人")
    assert [row[1] for row in timeline[1:]] == ["提交诉求", "受理", "派单", "签收", "答复", "评价"]
    for label in ("提交诉求", "签收", "答复", "评价"):
        assert label in page
    info = dict(book["诉求信息"].iter_rows(values_only=True))
    assert info["诉求编号"] == closed.number and info["诉求内容"] == closed.content
    assert closed.number in page and closed.content in page
    assert "经核实，贵公司符合稳岗补贴条件" in page  # the department's reply
    assert book["承办情况"].cell(2, 1).value == cast.dept1.name


def test_the_print_page_prints_from_a_static_script_without_inline_handlers(cast, login, closed):
    page = login(cast.users.staff).get(reverse("appeals:print", args=[closed.pk])).content.decode()
    assert "data-print" in page and "shanglian/print.js" in page and "shanglian/print.css" in page
    assert "onclick" not in page


def test_the_detail_page_opens_the_print_page_and_the_export(cast, login, closed):
    page = login(cast.users.staff).get(reverse("appeals:detail", args=[closed.pk])).content.decode()
    assert reverse("appeals:print", args=[closed.pk]) in page
    assert reverse("appeals:export_one", args=[closed.pk]) in page


def test_the_enterprise_record_shows_what_its_own_pages_show(cast, login, closed):
    client = login(cast.users.ent1)
    book = _book(client.get(reverse("appeals:export_one", args=[closed.pk])))
    assert book.sheetnames == ["诉求信息", "部门答复", "评价", "办理记录"]  # no extension requests
    timeline = list(book["办理记录"].iter_rows(values_only=True))
    assert "操作人" not in timeline[0] and "内部意见（仅内部可见）" not in timeline[0]
    assert "staff" not in str(timeline)  # no staff login names
    page = client.get(reverse("appeals:h5_detail", args=[closed.pk])).content.decode()
    assert reverse("appeals:print", args=[closed.pk]) in page


def test_the_record_shows_the_contact_mobile_masked(cast, login, closed):
    client = login(cast.users.staff)
    page = client.get(reverse("appeals:print", args=[closed.pk])).content.decode()
    assert "139****5678" in page and "13912345678" not in page
    info = dict(_book(client.get(reverse("appeals:export_one", args=[closed.pk])))["诉求信息"].iter_rows(
        values_only=True))
    assert info["联系电话"] == "139****5678"
