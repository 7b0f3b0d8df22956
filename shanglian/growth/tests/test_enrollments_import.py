"""服务企业导入 (growth/enrollment_imports.py on the one Excel pipeline): enterprises found by credit code or name in the
importer's scope, 服务项目 defaulting to 双万双服, liaisons by user name; an enterprise already enrolled, twice in the file,
outside the scope or a future date refused with its row; a failed row writes nothing; importing twice adds nothing;
only the editors import."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.growth.enrollment_imports import (
    KIND,
    EnrollmentImportSpec,
    import_enrollments,
    import_template,
)
from shanglian.growth.models import ServiceEnrollment
from shanglian.imports.registry import is_registered

HEADERS = ["企业", "服务项目", "纳入日期", "联络员", "备注"]


@pytest.fixture
def upload(tmp_path):
    def write(rows, name="服务企业.xlsx"):
        book = Workbook()
        sheet = book.active
        sheet.append(HEADERS)
        for cells in rows:
            sheet.append(cells)
        path = tmp_path / name
        buffer = io.BytesIO()
        book.save(buffer)
        path.write_bytes(buffer.getvalue())
        return path
    return write


def test_the_kind_is_registered():
    assert is_registered(KIND)


def test_staff_imports_by_code_and_name_with_the_default_programme_and_a_liaison(cast, upload):
    path = upload([[cast.ent1.uscc, "", "2025-03-01", "staff", "首批"],
                   [cast.ent2.name, "重点企业服务", "2025-04-01", "", ""]])
    report = import_enrollments(actor=cast.users.staff, path=path)
    assert report.failed == 0 and report.created == 2
    first = ServiceEnrollment.objects.get(enterprise=cast.ent1)
    assert (first.programme.code, first.liaison, first.note, first.enrolled_by) == (
        "shuangwan", cast.users.staff, "首批", cast.users.staff)
    assert ServiceEnrollment.objects.get(enterprise=cast.ent2).programme.code == "key_enterprise"
    assert AuditEvent.objects.filter(action="import", object_type="growth.serviceenrollment").exists()


def test_a_failed_row_writes_nothing_and_names_its_row(cast, upload):
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    path = upload([[cast.ent1.uscc, "", "2025-03-01", "", ""],
                   [cast.ent_other.name, "", "2025-03-01", "", ""],
                   [cast.ent2.name, "", future, "", ""],
                   [cast.ent2.name, "不存在的项目", "2025-03-01", "nobody", ""]])
    report = import_enrollments(actor=cast.users.staff, path=path)
    errors = {(e.row, e.reason) for e in report.errors}
    assert report.failed == 3 and not ServiceEnrollment.objects.exists()
    assert (3, f"找不到名为“{cast.ent_other.name}”的企业，或其不在您的管理范围内") in errors
    assert (4, "纳入日期不能晚于今天") in errors
    assert (5, "找不到名为“不存在的项目”的服务项目") in errors


def test_importing_twice_adds_nothing_and_a_repeat_in_the_file_is_refused(cast, upload):
    path = upload([[cast.ent1.uscc, "", "2025-03-01", "", ""], [cast.ent1.name, "双万双服", "2025-05-01", "", ""]])
    report = import_enrollments(actor=cast.users.staff, path=path, valid_only=True)
    assert report.created == 1 and report.failed == 1
    again = import_enrollments(actor=cast.users.staff, path=upload([[cast.ent1.uscc, "", "2025-03-01", "", ""]]))
    assert again.created == 0 and "不再重复导入" in again.errors[0].reason
    assert ServiceEnrollment.objects.filter(enterprise=cast.ent1).count() == 1


@pytest.mark.parametrize("role", ["leader", "chamber1", "ent1", "dept1"])
def test_only_editors_import(cast, role):
    with pytest.raises(PermissionDenied):
        EnrollmentImportSpec(actor=getattr(cast.users, role))


def test_the_template_offers_the_programmes(cast):
    book = load_workbook(io.BytesIO(import_template(actor=cast.users.staff)))
    assert [cell.value for cell in book.worksheets[0][1]][:3] == ["*企业", "服务项目", "*纳入日期"]
    listed = [cell.value for sheet in book.worksheets[1:] for row in sheet.iter_rows() for cell in row]
    formulas = [v.formula1 for v in book.worksheets[0].data_validations.dataValidation]
    assert "双万双服" in listed or any("双万双服" in (f or "") for f in formulas)


def test_the_import_pages_answer_editors_and_refuse_readers(cast, login):
    assert login(cast.users.staff).get(reverse("growth:enrollment_import")).status_code == 200
    assert login(cast.users.staff).get(reverse("growth:enrollment_import_template")).status_code == 200
    assert login(cast.users.leader).get(reverse("growth:enrollment_import")).status_code == 403


def test_an_enrollment_made_by_factory_is_seen_as_already_enrolled(cast, upload):
    testing.make_enrollment(cast.ent2, by=cast.users.staff, enrolled_on=date(2025, 1, 1))
    report = import_enrollments(actor=cast.users.staff, path=upload([[cast.ent2.name, "", "2025-03-01", "", ""]]))
    assert report.failed == 1 and "已纳入“双万双服”（2025-01-01 起）" in report.errors[0].reason
