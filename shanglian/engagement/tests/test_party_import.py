"""企业党员情况导入 (engagement.imports.party on the one Excel pipeline, and its pages): a good file writes each
enterprise's one census row (created, or replaced); a bad row — an unknown or out-of-scope code, negative members, a
date in the future — is named with its Excel row and a Chinese reason and nothing at all is written; the editors
import, each into its own federation's enterprises; a job is found by its uploader only."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.common.models import ImportJob
from shanglian.engagement.imports.party import import_census
from shanglian.engagement.models import EnterpriseParty

HEADERS = ["统一社会信用代码", "党员人数", "统计日期", "备注"]


def xlsx(rows):
    return testing.xlsx_of(HEADERS, rows)


@pytest.fixture
def upload(tmp_path):
    def write(rows, name="党员情况.xlsx"):
        path = tmp_path / name
        path.write_bytes(xlsx(rows))
        return path
    return write


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_a_good_file_creates_and_replaces_census_rows(cast, upload):
    EnterpriseParty.objects.create(enterprise=cast.ent1, party_members=1, surveyed_on=date(2024, 6, 30))
    e3 = testing.make_enterprise(cast.district, name="丙公司")
    report = import_census(actor=cast.users.staff, path=upload([
        [cast.ent1.uscc, 4, "2026-06-30", "新发展2名"],
        [cast.ent2.uscc.lower(), 0, "2026/6/30", ""],  # a code typed in lower case is the same code
        [e3.uscc, "12", date(2026, 5, 1), ""],
    ]))
    assert (report.total, report.succeeded, report.failed, report.created, report.updated) == (3, 3, 0, 2, 1)
    assert EnterpriseParty.objects.get(enterprise=cast.ent1).party_members == 4
    assert EnterpriseParty.objects.get(enterprise=cast.ent2).party_members == 0
    assert EnterpriseParty.objects.get(enterprise=e3).surveyed_on == date(2026, 5, 1)
    event = AuditEvent.objects.filter(action="import", object_type="engagement.enterpriseparty").get()
    assert (event.detail["created"], event.detail["updated"]) == (2, 1)
    # the same file again changes nothing
    again = import_census(actor=cast.users.staff, path=upload([[cast.ent1.uscc, 4, "2026-06-30", "新发展2名"]],
                                                                  name="again.xlsx"))
    assert (again.created, again.updated) == (0, 0)


def test_each_bad_row_gets_a_chinese_reason_and_nothing_is_written(cast, upload):
    tomorrow = timezone.localdate() + timedelta(days=1)
    report = import_census(actor=cast.users.staff, path=upload([
        [cast.ent1.uscc, 3, "2026-06-30", ""],
        [cast.ent2.uscc, -2, "2026-06-30", ""],
        [cast.ent_other.uscc, 5, "2026-06-30", ""],
        ["91120103MA05L2XY3X", 5, "2026-06-30", ""],
        [cast.ent2.uscc, 5, tomorrow.isoformat(), ""],
        [cast.ent1.uscc, 6, "2026-06-30", ""],
    ]))
    errors = [str(error) for error in report.errors]
    assert report.failed == 5 and not report.committed
    assert "第 3 行【党员人数】不能为负数" in errors
    assert f"第 4 行【统一社会信用代码】找不到统一社会信用代码为 {cast.ent_other.uscc} 的企业，或该企业不在您的管理范围内" in errors
    assert any(e.startswith("第 5 行【统一社会信用代码】") for e in errors)
    assert "第 6 行【统计日期】统计日期不能晚于今天" in errors
    assert "第 7 行与第 2 行重复" in errors
    assert not EnterpriseParty.objects.exists()


def test_valid_only_writes_the_good_rows(cast, upload):
    report = import_census(actor=cast.users.staff, valid_only=True, path=upload([
        [cast.ent1.uscc, 3, "2026-06-30", ""], [cast.ent2.uscc, -1, "2026-06-30", ""]]))
    assert (report.succeeded, report.failed) == (1, 1)
    assert list(EnterpriseParty.objects.values_list("enterprise_id", flat=True)) == [cast.ent1.pk]


@pytest.mark.parametrize("role", ["leader", "chamber1", "dept1", "ent1", "auditor"])
def test_only_editors_import(cast, upload, role):
    with pytest.raises(PermissionDenied):
        import_census(actor=getattr(cast.users, role), path=upload([[cast.ent1.uscc, 3, "2026-06-30", ""]]))
    assert not EnterpriseParty.objects.exists()


def test_another_federations_editor_imports_into_its_own_enterprises_only(cast, upload):
    report = import_census(actor=cast.users.outsider_staff, path=upload([
        [cast.ent_other.uscc, 2, "2026-06-30", ""], [cast.ent1.uscc, 3, "2026-06-30", ""]]))
    assert report.failed == 1 and not EnterpriseParty.objects.exists()


# --- pages ----------------------------------------------------------------------------------------------------------
def _file(rows):
    return SimpleUploadedFile("党员情况.xlsx", xlsx(rows), content_type="application/octet-stream")


def test_template_upload_check_and_commit(cast, login, media):
    client = login(cast.users.staff)
    response = client.get(reverse("engagement:party_census_import_template"))
    book = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book.worksheets[0][1]] == ["*统一社会信用代码", "*党员人数", "*统计日期", "备注"]
    page = client.get(reverse("engagement:party_census_import")).content.decode()
    assert "导入企业党员情况" in page and "每家企业只保存最近一次统计" in page
    response = client.post(reverse("engagement:party_census_import"), {"file": _file([[cast.ent1.uscc, 3, "2026-06-30"]])})
    job = ImportJob.objects.get(kind="party_census")
    assert response["Location"] == reverse("engagement:party_census_import_job", args=[job.pk])
    assert "共 1 条，成功 1 条，失败 0 条" in client.get(response["Location"]).content.decode()
    assert not EnterpriseParty.objects.exists()
    client.post(reverse("engagement:party_census_import_commit", args=[job.pk]))
    assert EnterpriseParty.objects.get().party_members == 3
    # the job is its uploader's: another editor finds nothing
    other = login(cast.users.admin)
    for name in ("party_census_import_job", "party_census_import_errors"):
        assert other.get(reverse(f"engagement:{name}", args=[job.pk])).status_code == 404
    assert other.post(reverse("engagement:party_census_import_commit", args=[job.pk])).status_code == 404


@pytest.mark.parametrize("role", ["leader", "chamber1", "dept1", "ent1", "auditor"])
def test_the_pages_are_refused_to_other_roles(cast, login, role):
    client = login(getattr(cast.users, role))
    assert client.get(reverse("engagement:party_census_import")).status_code == 403
    assert client.get(reverse("engagement:party_census_import_template")).status_code == 403
    assert client.post(reverse("engagement:party_census_import"), {"file": _file([])}).status_code == 403
    assert not ImportJob.objects.exists()


def test_the_command_imports_and_refuses_a_bad_file(cast, upload, tmp_path):
    from django.core.management import CommandError, call_command

    call_command("import_party_census", str(upload([[cast.ent1.uscc, 3, "2026-06-30", ""]])), "--user", "staff")
    assert EnterpriseParty.objects.get().party_members == 3
    report = tmp_path / "errors.xlsx"
    with pytest.raises(CommandError):
        call_command("import_party_census", str(upload([[cast.ent2.uscc, -1, "2026-06-30", ""]], name="bad.xlsx")),
                     "--user", "staff", "--error-report", str(report))
    assert report.exists() and EnterpriseParty.objects.count() == 1
