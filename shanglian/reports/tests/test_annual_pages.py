"""年度工作报告 pages: generating (a leader too), the runs' progress polled by htmx, the downloads (audited, Chinese
names), the template (download, a replacement checked before it is used, reset); the roles refused and the
federations outside the scope."""

import io
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import Workbook

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.audit.models import AuditAction, AuditEvent
from shanglian.reports.annual import generate
from shanglian.reports.models import ReportRun, ReportTemplate
from shanglian.reports.services.annual import BUSY

from .annual_data import YEAR, build_year

ANNUAL = reverse("reports:annual")
UPLOAD = reverse("reports:template_upload")
RESET = reverse("reports:template_reset")
TEMPLATE = reverse("reports:template_download")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def docx_bytes(*paragraphs, base=None):
    document = Document(str(base)) if base else Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload(content, name="本会模板.docx"):
    return SimpleUploadedFile(name, content)


def run_of(cast, *, status=ReportRun.Status.DONE, federation=None, year=YEAR, **fields):
    return ReportRun.objects.create(federation=federation or cast.district, year=year, status=status,
                                    requested_by=cast.users.staff, **fields)


# --- the page and generating ---------------------------------------------------------------------------------------
def test_staff_sees_the_form_the_runs_and_the_template_in_use(cast, login):
    run_of(cast, status=ReportRun.Status.FAILED, error="生成过程中出错")
    page = login(cast.users.staff).get(ANNUAL).content.decode()
    assert "生成年度工作报告" in page and "生成过程中出错" in page
    assert "系统模板（GB/T 9704 公文格式）" in page and 'id="template-upload"' in page


def test_a_leader_generates_and_downloads_the_report_under_its_chinese_name(cast, login):
    build_year(cast)
    client = login(cast.users.leader)
    response = client.post(ANNUAL, {"year": YEAR})
    assert response.status_code == 302
    run = ReportRun.objects.get()
    assert run.status == ReportRun.Status.DONE and run.requested_by == cast.users.leader
    page = client.get(ANNUAL).content.decode()
    assert 'id="template-upload"' not in page  # a leader does not replace the template
    download = client.get(reverse("reports:annual_download", args=[run.pk, "docx"]))
    assert download.status_code == 200
    assert quote("河西区工商联2025年度工作报告.docx") in download["Content-Disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(download.content)).paragraphs)
    assert "全区有工商联会员6个" in text
    xlsx = client.get(reverse("reports:annual_download", args=[run.pk, "xlsx"]))
    assert xlsx.status_code == 200 and quote("河西区工商联2025年度工作报告指标表.xlsx") in xlsx["Content-Disposition"]
    exports = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="reports.reportrun")
    assert exports.count() == 2
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="reports.reportrun").count() == 1


@pytest.mark.parametrize("role", ["chamber1", "dept1", "ent1", "auditor"])
def test_other_roles_are_refused_the_page_the_run_and_its_download(cast, login, role):
    run = run_of(cast)
    client = login(getattr(cast.users, role))
    assert client.get(ANNUAL).status_code == 403
    assert client.post(ANNUAL, {"year": YEAR}).status_code == 403
    assert client.get(reverse("reports:annual_run", args=[run.pk])).status_code == 403
    assert client.get(reverse("reports:annual_download", args=[run.pk, "docx"])).status_code == 403
    assert ReportRun.objects.count() == 1


def test_another_federations_run_is_not_found(cast, login):
    run = run_of(cast, federation=cast.other, docx_name="x.docx")
    client = login(cast.users.staff)
    assert client.get(reverse("reports:annual_run", args=[run.pk])).status_code == 404
    assert client.get(reverse("reports:annual_download", args=[run.pk, "docx"])).status_code == 404


def test_a_district_cannot_ask_for_another_district(cast, login):
    client = login(cast.users.staff)
    assert client.get(ANNUAL, {"federation": cast.other.pk}).status_code == 404
    assert client.post(f"{ANNUAL}?federation={cast.other.pk}", {"year": YEAR}).status_code == 404
    assert client.get(ANNUAL, {"federation": "9" * 20}).status_code == 404
    assert ReportRun.objects.count() == 0


def test_a_city_generates_one_of_its_districts_reports(cast, login):
    city_staff = testing.make_user(Role.STAFF, username="citystaff", federation=cast.city)
    client = login(city_staff)
    response = client.post(f"{ANNUAL}?federation={cast.district.pk}", {"year": YEAR})
    assert response.status_code == 302 and response["Location"] == f"{ANNUAL}?federation={cast.district.pk}"
    run = ReportRun.objects.get()
    assert run.federation == cast.district and run.status == ReportRun.Status.DONE


def test_a_second_run_of_the_same_year_is_refused_while_one_is_running(cast, login):
    run_of(cast, status=ReportRun.Status.RUNNING, progress=40)
    response = login(cast.users.staff).post(ANNUAL, {"year": YEAR})
    assert response.status_code == 400
    assert BUSY.format(name=cast.district.name, year=YEAR) in response.content.decode()
    assert ReportRun.objects.count() == 1


def test_a_run_stuck_for_hours_no_longer_blocks_a_new_one(cast, login):
    stuck = run_of(cast, status=ReportRun.Status.RUNNING, progress=40)
    ReportRun.objects.filter(pk=stuck.pk).update(requested_at=timezone.now() - timedelta(hours=3))
    assert login(cast.users.staff).post(ANNUAL, {"year": YEAR}).status_code == 302
    stuck.refresh_from_db()
    assert stuck.status == ReportRun.Status.FAILED and "超时" in stuck.error
    assert ReportRun.objects.filter(status=ReportRun.Status.DONE).count() == 1


@pytest.mark.parametrize(("year", "message"), [
    ("abc", "年度应为整数"), ("2999", "不能生成尚未开始年度的工作报告"), ("9" * 20, "不能生成尚未开始年度的工作报告"),
    ("1900", "年度不能早于 1950 年"), ("", "请填写报告年度"),
])
def test_a_bad_year_is_refused_in_chinese(cast, login, year, message):
    response = login(cast.users.staff).post(ANNUAL, {"year": year})
    assert response.status_code == 400 and message in response.content.decode()
    assert ReportRun.objects.count() == 0


def test_a_running_run_polls_every_two_seconds_until_it_is_done(cast, login):
    run = run_of(cast, status=ReportRun.Status.RUNNING, progress=42, step="计算指标：诉求办理")
    client = login(cast.users.staff)
    url = reverse("reports:annual_run", args=[run.pk])
    row = client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET=f"run-{run.pk}").content.decode()
    assert row.startswith("<tr") and 'hx-trigger="every 2s"' in row and "42%" in row and "计算指标：诉求办理" in row
    status = client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="run-status").content.decode()
    assert status.startswith('<dd id="run-status"') and 'hx-trigger="every 2s"' in status
    ReportRun.objects.filter(pk=run.pk).update(status=ReportRun.Status.DONE, progress=100, docx_name="a.docx",
                                               xlsx_name="a.xlsx")
    row = client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET=f"run-{run.pk}").content.decode()
    assert "hx-trigger" not in row and "已完成" in row
    assert "下载 Word 报告" in client.get(url).content.decode()


def test_a_download_of_an_unfinished_run_or_an_unknown_kind_is_not_found(cast, login):
    client = login(cast.users.staff)
    running = run_of(cast, status=ReportRun.Status.RUNNING)
    assert client.get(reverse("reports:annual_download", args=[running.pk, "docx"])).status_code == 404
    assert client.get(reverse("reports:annual_download", args=[running.pk, "pdf"])).status_code == 404


# --- the template ------------------------------------------------------------------------------------------------
def test_the_shipped_template_is_downloaded_while_none_is_uploaded(cast, login):
    response = login(cast.users.leader).get(TEMPLATE)
    assert response.status_code == 200 and response.content == generate.SHIPPED_TEMPLATE.read_bytes()


def test_staff_replace_the_template_and_the_next_report_uses_it(cast, login):
    content = docx_bytes("本会自定义段落：{{ federation_name }}", base=generate.SHIPPED_TEMPLATE)
    client = login(cast.users.staff)
    response = client.post(UPLOAD, {"file": upload(content), "note": "加了本会的段落"})
    assert response.status_code == 302
    template = ReportTemplate.objects.get()
    assert template.federation == cast.district and template.uploaded_by == cast.users.staff
    assert b"".join(client.get(TEMPLATE).streaming_content) == content
    assert client.post(ANNUAL, {"year": YEAR}).status_code == 302
    run = ReportRun.objects.get()
    assert run.template == template and run.status == ReportRun.Status.DONE
    text = "\n".join(p.text for p in Document(str(generate.stored_path(run.docx_name))).paragraphs)
    assert "本会自定义段落：河西区工商联" in text
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="reports.reporttemplate").exists()


def _xlsx():
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


@pytest.mark.parametrize(("content", "name", "message"), [
    (b"\x89PNG\r\n\x1a\n" + b"0" * 64, "模板.docx", "请上传 Word（docx）格式的模板"),
    (b"plain text pretending", "模板.docx", "不是允许的类型"),
    (None, "模板.xlsx", "请上传 Word（docx）格式的模板"),
    ("{{ unknown_field }}", "模板.docx", "模板使用了报告不提供的字段"),
    ("{% for x in %}", "模板.docx", "模板标记书写有误"),
    ("{{ title.__class__.__mro__ }}", "模板.docx", "该模板不能用于生成报告"),
])
def test_a_bad_template_is_refused_with_the_reason_and_nothing_changes(cast, login, media, content, name, message):
    if content is None:
        content = _xlsx()
    elif isinstance(content, str):
        content = docx_bytes(content)
    response = login(cast.users.staff).post(UPLOAD, {"file": upload(content, name)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ReportTemplate.objects.count() == 0
    assert not (media / "reports" / "templates").exists() or not list((media / "reports" / "templates").iterdir())


def test_a_leader_cannot_replace_or_reset_the_template(cast, login):
    client = login(cast.users.leader)
    assert client.post(UPLOAD, {"file": upload(generate.SHIPPED_TEMPLATE.read_bytes())}).status_code == 403
    assert client.post(RESET).status_code == 403
    assert ReportTemplate.objects.count() == 0


def test_reset_goes_back_to_the_shipped_template(cast, login, django_capture_on_commit_callbacks, media):
    client = login(cast.users.staff)
    client.post(UPLOAD, {"file": upload(generate.SHIPPED_TEMPLATE.read_bytes())})
    stored = generate.stored_path(ReportTemplate.objects.get().stored_name, generate.TEMPLATE_FOLDER)
    assert stored.exists()
    assert "恢复系统模板" in client.get(RESET).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(RESET).status_code == 302
    assert ReportTemplate.objects.count() == 0 and not stored.exists()
    assert client.get(TEMPLATE).content == generate.SHIPPED_TEMPLATE.read_bytes()
    response = client.post(RESET, follow=True)
    assert "当前使用的已是系统模板，无需恢复。" in response.content.decode()


def test_the_page_runs_as_many_queries_with_many_runs_as_with_one(cast, login):
    client = login(cast.users.staff)
    run_of(cast)
    client.get(ANNUAL)
    with CaptureQueriesContext(connection) as one:
        client.get(ANNUAL)
    for n in range(30):
        run_of(cast, status=ReportRun.Status.FAILED if n % 2 else ReportRun.Status.DONE, year=2000 + n)
    with CaptureQueriesContext(connection) as many:
        page = client.get(ANNUAL).content.decode()
    assert len(many) == len(one)
    assert page.count('id="run-') == 20  # the newest runs only
