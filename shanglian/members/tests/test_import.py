"""The member import on the Excel pipeline: good files commit exactly, bad files change nothing."""

import io
import random
import zipfile
from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from shanglian.audit.models import AuditEvent
from shanglian.common.codes import make_id_number, make_mobile, make_uscc
from shanglian.common.excel import ExcelError, run_import, template_xlsx
from shanglian.common.models import ImportJob
from shanglian.members.imports import MemberImportSpec
from shanglian.members.models import ChamberMembership, Enterprise, EnterpriseRole, Membership, Person

HEADERS = ["会员类型", "会员证号", "入会日期", "状态", "企业名称", "统一社会信用代码", "企业类型", "行业代码",
           "所在街道", "联系人手机", "姓名", "身份证号", "手机号", "团体名称", "所属商会"]
rng = random.Random(11)
USCC_A, USCC_B = make_uscc(rng), make_uscc(rng)
ID_P = make_id_number(rng, "120103", date(1988, 4, 2), female=True)
MOBILE = make_mobile(rng)


def good_rows():
    return [
        ["企业会员", "HX-2024-0101", "2024-03-05", "在册", "天津导入科技有限公司", USCC_A, "私营企业", "6513",
         "友谊路街道", float(MOBILE), "", "", "", "", "友谊路街道商会"],
        ["企业会员", "HX-2024-0102", "2024年3月6日", "", "天津导入商贸有限公司", USCC_B, "个体工商户", "5212",
         "", "", "", "", "", "", ""],
        ["个人会员", "HX-2024-0103", 45362.0, "在册", "", USCC_A, "", "", "", "", "刘导入", ID_P, MOBILE, "", ""],
        ["团体会员", "", "2024/3/8", "在册", "", "", "", "", "", "", "", "", "", "河西区浙江商会", ""],
    ]


def xlsx(rows, *, title_rows=0, headers=HEADERS, blank_rows=()):
    book = Workbook()
    sheet = book.active
    for i in range(title_rows):
        sheet.append(["河西区工商联会员名单（2024 年）" if i == 0 else ""])
    if title_rows:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.append(headers)
    for index, row in enumerate(rows):
        if index in blank_rows:
            sheet.append([])
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write(tmp_path, content, name="members.xlsx"):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def table_counts():
    return {model.__name__: model.objects.count()
            for model in (Enterprise, Person, Membership, ChamberMembership, EnterpriseRole)}


def importing(cast, path, **kwargs):
    return run_import(MemberImportSpec(actor=cast.users.staff), path, **kwargs)


def test_good_file_commits_exactly(cast, tmp_path):
    before = table_counts()
    report = importing(cast, write(tmp_path, xlsx(good_rows(), title_rows=2, blank_rows=(1, 3))), dry_run=False)
    assert report.summary == "共 4 条，成功 4 条，失败 0 条" and report.committed
    assert (report.created, report.updated) == (4, 0)
    after = table_counts()
    assert after["Enterprise"] - before["Enterprise"] == 2 and after["Person"] - before["Person"] == 1
    assert after["Membership"] - before["Membership"] == 4
    a = Enterprise.objects.get(uscc=USCC_A)
    assert a.name == "天津导入科技有限公司" and a.industry_id == "6513" and a.street == cast.street
    assert a.contact_mobile == MOBILE and a.name_initials == "tjdrkjyxgs"
    assert a.chamber_memberships.get().chamber == cast.chamber1
    m = Membership.objects.get(number="HX-2024-0102")
    assert m.joined == date(2024, 3, 6) and m.status == "active" and m.enterprise.enterprise_type.code == "individual"
    person = Person.objects.get(name="刘导入")
    assert person.gender == "F" and person.birth_year == 1988 and person.mobile == MOBILE
    assert Membership.objects.get(person=person).joined == date(2024, 3, 11)  # Excel serial 45362
    assert EnterpriseRole.objects.filter(person=person, enterprise=a).exists()
    assert Membership.objects.get(group=cast.chamber2).joined == date(2024, 3, 8)
    event = AuditEvent.objects.get(action="import")
    assert event.detail == {"total": 4, "created": 4, "updated": 0, "failed": 0}


def test_reimport_is_idempotent(cast, tmp_path):
    path = write(tmp_path, xlsx(good_rows()))
    importing(cast, path, dry_run=False)
    first = table_counts()
    report = importing(cast, path, dry_run=False)
    assert table_counts() == first
    assert (report.created, report.updated) == (0, 4)


def bad_rows():
    rows = good_rows()
    wrong_check = USCC_B[:-1] + ("0" if USCC_B[-1] != "0" else "1")
    return rows + [
        ["企业会员", "", "2024-03-09", "", "天津错误校验位有限公司", wrong_check, "私营企业", "6513",
         "", "", "", "", "", "", ""],                                                       # row: bad check digit
        ["企业会员", "", "2024-03-09", "", "天津导入科技有限公司", USCC_A, "私营企业", "6513",
         "", "", "", "", "", "", ""],                                                       # duplicate of row 1
        ["企业会员", "", "2024-03-09", "", "天津科学计数有限公司", 9.11201030000001e17, "私营企业", "6513",
         "", "", "", "", "", "", ""],                                                       # Excel-mangled code
        ["企业会员", "", "2024-13-40", "", "天津坏数据有限公司", make_uscc(rng), "国企", "9999",
         "不存在街道", "1234", "", "", "", "", ""],                                         # many reasons
        ["个人会员", "", "2024-03-09", "退会", "", "", "", "", "", "", "张三", "120103199001011234", "", "", ""],
    ]


def test_bad_file_gives_rows_and_reasons_and_changes_nothing(cast, tmp_path):
    before = table_counts()
    audit_before = AuditEvent.objects.count()
    report = importing(cast, write(tmp_path, xlsx(bad_rows(), title_rows=1, blank_rows=(4,))), dry_run=False)
    assert not report.committed and table_counts() == before and AuditEvent.objects.count() == audit_before
    assert report.total == 9 and report.failed == 5
    errors = {(e.row, e.column): e.reason for e in report.errors}
    # 1 title row, header on row 2, data from row 3; a blank row before the 5th data row
    assert "校验位" in errors[(8, "统一社会信用代码")]
    assert errors[(9, "")] == "与第 3 行重复"
    assert "科学计数法" in errors[(10, "统一社会信用代码")]
    assert "日期格式不正确" in errors[(11, "入会日期")]
    assert "应为以下之一" in errors[(11, "企业类型")]
    assert "手机" in errors[(11, "联系人手机")] or "位" in errors[(11, "联系人手机")]
    assert errors[(12, "退会日期")] == "状态为“退会”时必填"
    assert (12, "身份证号") in errors


def test_valid_only_commits_only_the_valid_rows(cast, tmp_path):
    before = table_counts()
    report = importing(cast, write(tmp_path, xlsx(bad_rows())), dry_run=False, valid_only=True)
    assert report.committed and report.succeeded == 4 and report.failed == 5
    assert table_counts()["Membership"] - before["Membership"] == 4
    assert not Enterprise.objects.filter(name="天津坏数据有限公司").exists()


def test_dry_run_writes_nothing(cast, tmp_path):
    before = table_counts()
    report = importing(cast, write(tmp_path, xlsx(good_rows())), dry_run=True)
    assert report.succeeded == 4 and not report.committed and table_counts() == before


def test_missing_required_column_is_refused_with_its_name(cast, tmp_path):
    headers = [h for h in HEADERS if h != "入会日期"]
    with pytest.raises(ExcelError, match="缺少必需的列：入会日期"):
        importing(cast, write(tmp_path, xlsx([], headers=headers)))


def test_non_xlsx_and_zip_bomb_are_refused_before_parsing(cast, tmp_path, monkeypatch):
    with pytest.raises(ExcelError, match="不是有效的 Excel"):
        importing(cast, write(tmp_path, b"MZ\x90\x00 this is an exe", "virus.xlsx"))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<x/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (8 * 1024 * 1024))
    monkeypatch.setattr("shanglian.common.excel.MAX_UNCOMPRESSED_BYTES", 4 * 1024 * 1024)
    with pytest.raises(ExcelError, match="解压后过大"):
        importing(cast, write(tmp_path, bomb.getvalue(), "bomb.xlsx"))


def test_person_id_numbers_are_not_stored_in_plaintext(cast, tmp_path):
    importing(cast, write(tmp_path, xlsx(good_rows())), dry_run=False)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, mobile FROM members_person WHERE name = %s", ["刘导入"])
        raw_id, raw_mobile = cursor.fetchone()
    assert ID_P not in raw_id and MOBILE not in raw_mobile and raw_id.startswith("v1:")


def test_only_staff_of_a_federation_may_import(cast):
    for user in (cast.users.chamber1, cast.users.leader, cast.users.dept1):
        with pytest.raises(Exception) as excinfo:
            MemberImportSpec(actor=user)
        assert excinfo.type.__name__ == "PermissionDenied"


def test_template_has_required_marks_dropdowns_and_text_columns(cast):
    book = load_workbook(io.BytesIO(template_xlsx(MemberImportSpec(actor=cast.users.staff))))
    sheet = book["会员名单"]
    headers = [c.value for c in sheet[1]]
    assert "*会员类型" in headers and "*入会日期" in headers and "企业名称" in headers
    assert book["字典"].sheet_state == "hidden"
    kinds = [c.value for c in book["字典"]["A"] if c.value][1:]
    assert kinds == ["企业会员", "团体会员", "个人会员"]
    assert any("字典!" in v.formula1 for v in sheet.data_validations.dataValidation)
    uscc_col = headers.index("统一社会信用代码") + 1
    assert sheet.cell(row=2, column=uscc_col).number_format == "@"


def test_command_exits_non_zero_on_invalid_rows_and_writes_error_report(cast, tmp_path):
    source = write(tmp_path, xlsx(bad_rows()))
    out = tmp_path / "errors.xlsx"
    before = table_counts()
    with pytest.raises(CommandError, match="5 行校验失败"):
        call_command("import_members", str(source), "--error-report", str(out), "--user", "staff")
    assert table_counts() == before
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][0] == "Excel 行号" and rows[0][-1] == "错误原因" and len(rows) == 6
    assert rows[1][0] == 6 and "校验位" in rows[1][-1]  # header on row 1: the 5th data row is row 6


def test_command_valid_only_commits_and_succeeds(cast, tmp_path, capsys):
    call_command("import_members", str(write(tmp_path, xlsx(bad_rows()))), "--valid-only", "--user", "staff")
    assert "共 9 条，成功 4 条，失败 5 条" in capsys.readouterr().out
    assert Membership.objects.filter(number="HX-2024-0101").exists()


def test_import_pages_check_then_commit(cast, login, tmp_path):
    client = login(cast.users.staff)
    upload = io.BytesIO(xlsx(good_rows()))
    upload.name = "会员名单.xlsx"
    response = client.post(reverse("members:member_import"), {"file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/import/{job.pk}/")
    assert job.path.exists() and job.path.name == f"{job.pk}.xlsx"
    page = client.get(response["Location"]).content.decode()
    assert "共 4 条，成功 4 条，失败 0 条" in page and "确认导入" in page
    assert not Membership.objects.filter(number="HX-2024-0101").exists()
    client.post(reverse("members:member_import_commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done" and not job.path.exists()
    assert Membership.objects.filter(number="HX-2024-0101").exists()
    assert "导入成功：新增 4 条" in client.get(response["Location"]).content.decode()


def test_import_page_refuses_commit_of_a_file_with_errors_unless_valid_only(cast, login):
    client = login(cast.users.staff)
    upload = io.BytesIO(xlsx(bad_rows()))
    upload.name = "bad.xlsx"
    client.post(reverse("members:member_import"), {"file": upload})
    job = ImportJob.objects.get()
    page = client.get(reverse("members:member_import_job", args=[job.pk])).content.decode()
    assert "与第 2 行重复" in page and "下载错误报告" in page
    client.post(reverse("members:member_import_commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "checked" and not Membership.objects.filter(number="HX-2024-0101").exists()
    report = client.get(reverse("members:member_import_errors", args=[job.pk]))
    assert report["Content-Type"].startswith("application/vnd.openxmlformats")
    client.post(reverse("members:member_import_commit", args=[job.pk]), {"valid_only": "on"})
    job.refresh_from_db()
    assert job.status == "done" and Membership.objects.filter(number="HX-2024-0101").exists()


@pytest.mark.parametrize(("content", "name", "message"), [
    (b"", "empty.xlsx", "上传的文件是空的"),
    (b"<html></html>", "page.xls", "只支持 .xlsx"),
    (b"not a zip", "fake.xlsx", "不是有效的 Excel"),
])
def test_bad_uploads_get_a_chinese_message_and_nothing_is_kept(cast, login, content, name, message):
    upload = io.BytesIO(content)
    upload.name = name
    response = login(cast.users.staff).post(reverse("members:member_import"), {"file": upload})
    assert response.status_code == 200 and message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_another_users_import_job_is_not_found(cast, login):
    upload = io.BytesIO(xlsx(good_rows()))
    upload.name = "a.xlsx"
    login(cast.users.staff).post(reverse("members:member_import"), {"file": upload})
    job = ImportJob.objects.get()
    other = login(cast.users.outsider_staff)
    assert other.get(reverse("members:member_import_job", args=[job.pk])).status_code == 404
    assert other.post(reverse("members:member_import_commit", args=[job.pk])).status_code == 404
    assert other.get(reverse("members:member_import_errors", args=[job.pk])).status_code == 404
    assert login(cast.users.chamber1).get(reverse("members:member_import_job", args=[job.pk])).status_code == 403


def test_progress_fragment_polls_while_running(cast, login):
    job = ImportJob.objects.create(kind="members", created_by=cast.users.staff, original_name="big.xlsx",
                                   status="running", total=20000, valid=20000, done=5000,
                                   result={"summary": "共 20000 条，成功 20000 条，失败 0 条"})
    body = login(cast.users.staff).get(reverse("members:member_import_job", args=[job.pk]),
                                       HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in body and "25%" in body and "<html" not in body


def test_excel_dates_in_all_formats(db):
    from shanglian.common.excel import parse_date

    expected = date(2021, 3, 5)
    for value in ("2021-03-05", "2021/3/5", "2021年3月5日", "2021.3.5", 44260.0, datetime(2021, 3, 5, 0, 0)):
        assert parse_date(value) == expected, value
