"""政治安排导入 (imports.representatives.ArrangementImportSpec on the one Excel pipeline, and its pages): a good file
adds its arrangements (a person by 身份证号 or by 姓名 + 工作单位); the form's rules hold — an end before the start
and an overlap of the same seat (with the database or inside the file) are named with their row and column in
Chinese and nothing at all is written; a row of an arrangement already recorded updates it; the editors only,
each into their own scope."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.engagement.imports.representatives import (
    ArrangementImportSpec,
    import_arrangements,
    import_template,
)
from shanglian.engagement.models import Arrangement

HEADERS = ["姓名*", "身份证号", "工作单位", "安排类别*", "层级*", "身份", "届次*", "界别/代表团", "起始日期*", "届满日期", "备注"]


def row(**cells):
    keys = [h.rstrip("*") for h in HEADERS]
    assert not set(cells) - set(keys), set(cells) - set(keys)
    return [cells.get(key, "") for key in keys]


def xlsx(rows):
    return testing.xlsx_of(HEADERS, rows, title="政治安排")


@pytest.fixture
def upload(tmp_path):
    def write(rows, name="政治安排.xlsx"):
        path = tmp_path / name
        path.write_bytes(xlsx(rows))
        return path
    return write


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def good(cast, **changes):
    return row(**{"姓名": "王建国", "身份证号": cast.person1.id_number, "安排类别": "人大代表", "层级": "区（县）",
                  "届次": "第十八届", "界别/代表团": "河西代表团", "起始日期": "2022-01-01", **changes})


def errors_of(report):
    return [(e.row, e.column, e.reason) for e in report.errors]


def test_a_good_file_adds_its_arrangements_finding_persons_both_ways(cast, upload):
    path = upload([
        good(cast),
        row(**{"姓名": "陈浙江", "工作单位": "天津之江贸易有限公司", "安排类别": "政协委员", "层级": "市",
               "身份": "常委", "届次": "第十五届", "界别/代表团": "工商联界", "起始日期": "2023/1/15",
               "届满日期": "2027年12月31日"}),
    ])
    report = import_arrangements(actor=cast.users.staff, path=path)
    assert report.committed and (report.created, report.updated) == (2, 0), errors_of(report)
    first = Arrangement.objects.get(person=cast.person1)
    assert (first.kind, first.level, first.sector, first.role) == ("npc", "district", "河西代表团", "member")
    second = Arrangement.objects.get(person=cast.person2)
    assert (second.kind, second.level, second.role, second.end) == ("cppcc", "city", "standing", date(2027, 12, 31))
    assert second.federation_id == cast.district.pk
    assert AuditEvent.objects.filter(action="create", object_type="engagement.arrangement",
                                     detail__via="import").count() == 2
    assert AuditEvent.objects.get(action="import", object_type="engagement.arrangement").detail["created"] == 2


def test_importing_the_same_arrangement_again_updates_it(cast, upload):
    import_arrangements(actor=cast.users.staff, path=upload([good(cast)]))
    report = import_arrangements(actor=cast.users.staff, path=upload([good(cast, 届满日期="2026-12-31")]))
    assert report.committed and (report.created, report.updated) == (0, 1)
    assert Arrangement.objects.get().end == date(2026, 12, 31)


def test_an_end_before_the_start_is_refused_and_nothing_written(cast, upload):
    path = upload([good(cast, 安排类别="政协委员"), good(cast, 起始日期="2024-01-01", 届满日期="2023-12-31")])
    report = import_arrangements(actor=cast.users.staff, path=path)
    assert not report.committed and errors_of(report) == [(3, "届满日期", "届满日期不能早于起始日期")]
    assert not Arrangement.objects.exists() and not AuditEvent.objects.filter(action="create").exists()


def test_an_overlap_with_an_arrangement_already_recorded_is_refused(cast, upload):
    testing.make_arrangement(cast.person1, start=date(2021, 1, 1), end=date(2025, 12, 31))
    report = import_arrangements(actor=cast.users.staff, path=upload([good(cast, 起始日期="2023-06-01")]))
    assert not report.committed and report.failed == 1
    (_row, column, reason), = errors_of(report)
    assert column == "" and "时间重叠" in reason and "2021-01-01 至 2025-12-31" in reason
    assert Arrangement.objects.count() == 1


def test_an_overlap_inside_the_file_is_refused(cast, upload):
    path = upload([good(cast, 届满日期="2026-12-31"), good(cast, 起始日期="2026-06-01", 届次="第十九届")])
    report = import_arrangements(actor=cast.users.staff, path=path)
    assert not report.committed
    (row_number, _column, reason), = errors_of(report)
    assert row_number == 3 and "本表中前面一行" in reason and "第十八届" in reason
    assert not Arrangement.objects.exists()


@pytest.mark.parametrize(("cells", "column", "reason"), [
    ({"身份证号": "120103198506010012"}, "身份证号", "身份证号码校验位错误"),
    ({"姓名": "王建", "身份证号": None}, "身份证号", "请填写身份证号，或填写工作单位以确定人士"),
    ({"姓名": "王建", "身份证号": None, "工作单位": "天津友谊科技有限公司"}, "姓名", "没有“王建”"),
    ({"姓名": "王二"}, "姓名", "姓名为“王建国”"),
    ({"层级": "乡镇"}, "层级", "应为以下之一：全国、省、市、区（县）"),
    ({"起始日期": "2022-02-30"}, "起始日期", "日期"),
], ids=["bad-id-number", "no-way-to-find", "unknown-name", "wrong-name", "unknown-level", "bad-date"])
def test_bad_rows_are_named_in_chinese(cast, upload, cells, column, reason):
    values = {key: value for key, value in cells.items() if value is not None}
    cells_row = good(cast, **values)
    if cells.get("身份证号", "") is None:
        cells_row[HEADERS.index("身份证号")] = ""
    report = import_arrangements(actor=cast.users.staff, path=upload([cells_row]))
    assert not report.committed and report.failed == 1
    assert any(c == column and reason in r for _, c, r in errors_of(report)), errors_of(report)
    assert not Arrangement.objects.exists()


def test_two_persons_of_one_name_at_one_enterprise_need_the_id_number(cast, upload):
    testing.make_person(cast.district, name="王建国", enterprise=cast.ent1)
    cells = good(cast, 工作单位="天津友谊科技有限公司")
    cells[HEADERS.index("身份证号")] = ""
    report = import_arrangements(actor=cast.users.staff, path=upload([cells]))
    assert "请填写身份证号以区分" in errors_of(report)[0][2]


def test_a_person_of_another_federation_is_not_found(cast, upload):
    report = import_arrangements(actor=cast.users.outsider_staff, path=upload([good(cast)]))
    assert not report.committed and "不在您的管理范围内" in errors_of(report)[0][2]
    assert not Arrangement.objects.exists()


@pytest.mark.parametrize("role", ["leader", "chamber1", "dept1", "ent1"])
def test_only_editors_import(cast, role):
    with pytest.raises(PermissionDenied):
        ArrangementImportSpec(actor=getattr(cast.users, role))


def test_template_has_the_columns_and_dropdowns(cast):
    book = load_workbook(io.BytesIO(import_template(actor=cast.users.staff)))
    sheet = book["政治安排"]
    assert [cell.value for cell in sheet[1]][:5] == ["*姓名", "身份证号", "工作单位", "*安排类别", "*层级"]
    dictionary = [cell.value for column in book["字典"].iter_cols() for cell in column]
    assert {"人大代表", "政协委员", "党代表", "全国", "省", "市", "区（县）"} <= set(dictionary)
    assert sheet.data_validations.dataValidation


def test_import_pages_check_then_commit(cast, login, media):
    client = login(cast.users.staff)
    assert client.get(reverse("engagement:arrangement_import_template")).status_code == 200
    upload = SimpleUploadedFile("政治安排.xlsx", xlsx([good(cast)]))
    response = client.post(reverse("engagement:arrangement_import"), {"file": upload})
    assert response.status_code == 302
    assert not Arrangement.objects.exists()  # checked, not written
    job_url = response["Location"]
    assert "确认导入" in client.get(job_url).content.decode()
    client.post(job_url + "commit/")
    assert Arrangement.objects.get().person_id == cast.person1.pk
    assert login(cast.users.chamber1).get(reverse("engagement:arrangement_import")).status_code == 403


def test_an_import_job_is_its_uploaders_alone(cast, login, media):
    from shanglian.accounts.roles import Role

    response = login(cast.users.staff).post(reverse("engagement:arrangement_import"),
                                            {"file": SimpleUploadedFile("政治安排.xlsx", xlsx([good(cast)]))})
    job_url = response["Location"]
    other_staff = testing.make_user(Role.STAFF, username="staff2", federation=cast.district)
    client = login(other_staff)
    assert client.get(job_url).status_code == 404
    assert client.post(job_url + "commit/").status_code == 404
    assert client.get(job_url + "errors/").status_code == 404
    assert login(cast.users.leader).get(job_url).status_code == 403
    assert login(cast.users.chamber1).post(job_url + "commit/").status_code == 403
    assert not Arrangement.objects.exists()
    assert login(cast.users.staff).get(job_url).status_code == 200


def test_an_overlap_recorded_between_the_check_and_the_commit_is_refused(cast, login, media):
    client = login(cast.users.staff)
    response = client.post(reverse("engagement:arrangement_import"),
                           {"file": SimpleUploadedFile("政治安排.xlsx", xlsx([good(cast)]))})
    job_url = response["Location"]
    testing.make_arrangement(cast.person1, start=date(2020, 1, 1))  # typed in a form meanwhile
    client.post(job_url + "commit/")
    assert Arrangement.objects.count() == 1
    body = client.get(job_url).content.decode()
    assert "时间重叠" in body and "未导入任何数据" in body
