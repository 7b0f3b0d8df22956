"""签到表导入 (events.imports.AttendanceImportSpec on the one Excel pipeline, its pages and its command): a good
file adds exactly its rows as check-ins and 签到人次 moves by as many; a bad row is named with its Excel row,
its column and a Chinese reason, and nothing at all is written; an invitee already checked in is skipped,
never doubled; the organisers import, each within its own events."""

import io
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.common.models import ImportJob
from shanglian.common.periods import Period
from shanglian.common.tests.crafted import laughing_xlsx, xlsx_bytes
from shanglian.events import services
from shanglian.events.imports import AttendanceImportSpec, import_attendance
from shanglian.events.models import CheckIn, Event, Invitation
from shanglian.ui.figures import compute

HEADERS = ["活动编号*", "姓名*", "手机号", "单位", "统一社会信用代码", "签到时间"]
Y2025 = Period.year(2025)


def local(*args):
    return timezone.make_aware(datetime(*args))


def row(**cells):
    """One row; keys are the headers without "*"."""
    keys = [h.rstrip("*") for h in HEADERS]
    assert not set(cells) - set(keys), set(cells) - set(keys)
    return [cells.get(key, "") for key in keys]


def xlsx(rows, *, headers=HEADERS):
    return testing.xlsx_of(headers, rows, title="签到表")


@pytest.fixture
def upload(tmp_path):
    def write(rows, name="签到表.xlsx"):
        path = tmp_path / name
        path.write_bytes(xlsx(rows))
        return path
    return write


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def past(cast):
    """Events of 2025: a two-day training of the federation (王建国 of 天津友谊科技 invited), one of each chamber,
    a draft and a cancelled one; and one next month."""
    fed = testing.make_event(cast.district, title="2025年民营企业家培训班", starts_at=local(2025, 6, 10, 9, 0),
                             hours=30, status="finished")
    invitation = testing.make_invitation(fed, cast.person1, status=Invitation.Status.ACCEPTED)
    return type("Past", (), {
        "fed": fed, "invitation": invitation,
        "chamber1": testing.make_event(cast.district, title="友谊路商会早餐会", kind="breakfast",
                                       starts_at=local(2025, 7, 1, 8, 0), status="finished", chamber=cast.chamber1),
        "chamber2": testing.make_event(cast.district, title="浙江商会座谈会", kind="symposium",
                                       starts_at=local(2025, 7, 2, 14, 0), status="finished", chamber=cast.chamber2),
        "draft": testing.make_event(cast.district, title="未发布的活动", starts_at=local(2025, 8, 1, 9, 0), status="draft"),
        "cancelled": testing.make_event(cast.district, title="取消的活动", starts_at=local(2025, 8, 2, 9, 0),
                                        status="cancelled"),
        "coming": testing.make_event(cast.district, title="下月的活动", starts_at=timezone.now() + timedelta(days=30),
                                     status="registration"),
    })


def attendance(user, period=Y2025):
    return compute("events.attendance", user=user, period=period).value


def snapshot():
    fields = [f.attname for f in CheckIn._meta.concrete_fields]
    return sorted(map(repr, CheckIn.objects.values_list(*fields)))


def good_rows(cast, past):
    return [
        row(活动编号=past.fed.number, 姓名="王建国"),  # the invitee: checked in at the event's start
        row(活动编号=past.fed.number, 姓名="陈浙江", 手机号="138 0013 8000", 统一社会信用代码=cast.ent2.uscc,
            签到时间="2025/6/11 13:45"),
        row(活动编号=past.fed.number, 姓名="刘某", 单位="河西区某某律师事务所", 签到时间="2025年6月10日 9时05分"),
        row(活动编号=f" {past.fed.number.lower()} ".upper(), 姓名="赵某", 手机号=13900139000.0, 签到时间="13:30"),
    ]


def test_a_good_file_adds_its_rows_and_the_attendance_moves_by_as_many(cast, past, upload):
    staff = cast.users.staff
    before = attendance(staff)
    report = import_attendance(actor=staff, path=upload(good_rows(cast, past)))
    assert report.committed and report.summary == "共 4 条，成功 4 条，失败 0 条"
    assert (report.created, report.updated) == (4, 0)
    assert attendance(staff) == before + 4

    rows = {c.name: c for c in CheckIn.objects.filter(event=past.fed)}
    invitee = rows["王建国"]
    assert invitee.invitation == past.invitation and invitee.person == cast.person1 and invitee.enterprise == cast.ent1
    assert invitee.checked_in_at == past.fed.starts_at and invitee.organisation == cast.ent1.name
    assert invitee.mobile_tail == cast.person1.mobile[-4:]
    chen = rows["陈浙江"]
    assert chen.invitation is None and chen.enterprise == cast.ent2 and chen.organisation == cast.ent2.name
    assert chen.mobile_tail == "8000" and chen.checked_in_at == local(2025, 6, 11, 13, 45)
    liu = rows["刘某"]
    assert liu.enterprise is None and liu.organisation == "河西区某某律师事务所" and liu.mobile_tail == ""
    assert liu.checked_in_at == local(2025, 6, 10, 9, 5)
    assert rows["赵某"].checked_in_at == local(2025, 6, 10, 13, 30)  # a time alone: the event's first day
    assert rows["赵某"].mobile_tail == "9000"
    assert {(c.method, c.checked_in_by_id) for c in rows.values()} == {(CheckIn.Method.MANUAL, staff.pk)}
    # the full mobile is never stored, only its tail
    assert {len(tail) for tail in CheckIn.objects.values_list("mobile_tail", flat=True)} <= {0, 4}

    audit = AuditEvent.objects.filter(action="import", object_type="events.checkin")
    assert audit.count() == 1
    assert audit.get().detail | {} == {"total": 4, "succeeded": 4, "failed": 0, "created": 4, "already": 0,
                                       "events": [past.fed.pk], "valid_only": False}
    # the enterprise named by its 信用代码 now counts as attending
    found = compute("events.enterprises_attending", user=staff, period=Y2025).records
    assert {cast.ent1, cast.ent2} <= set(found)


def test_each_bad_row_gets_a_chinese_reason_and_nothing_is_written(cast, past, upload):
    bad_uscc = cast.ent1.uscc[:-1] + ("0" if cast.ent1.uscc[-1] != "0" else "1")
    rows = [
        *good_rows(cast, past),
        row(活动编号=past.fed.number, 姓名="手机号有误", 手机号="1381234567"),
        row(活动编号=past.fed.number, 姓名="代码有误", 统一社会信用代码=bad_uscc),
        row(活动编号=past.fed.number, 姓名="外区企业", 统一社会信用代码=cast.ent_other.uscc),
        row(活动编号=past.fed.number, 姓名="时间不在活动日", 签到时间="2025-06-12 09:00"),
        row(活动编号="HD209901010001", 姓名="没有的活动"),
        row(活动编号=past.draft.number, 姓名="草稿活动"),
        row(活动编号=past.cancelled.number, 姓名="取消的活动"),
        row(活动编号=past.coming.number, 姓名="还没开的活动"),
        row(活动编号=past.fed.number, 签到时间="明天上午"),
        row(活动编号=past.fed.number, 姓名="刘某", 单位="同一人又签了一次"),
    ]
    before, total = snapshot(), attendance(cast.users.staff)
    report = import_attendance(actor=cast.users.staff, path=upload(rows))
    assert not report.committed and report.summary == "共 14 条，成功 4 条，失败 10 条"
    assert snapshot() == before and attendance(cast.users.staff) == total
    assert not AuditEvent.objects.filter(action="import").exists()
    reasons = {(e.row, e.column): e.reason for e in report.errors}
    assert reasons[(6, "手机号")] == "手机号码应为11位数字，当前为10位"
    assert reasons[(7, "统一社会信用代码")] == "统一社会信用代码校验位错误"
    assert reasons[(8, "统一社会信用代码")] == (f"找不到统一社会信用代码为 {cast.ent_other.uscc} 的企业，"
                                              "或该企业不在您的管理范围内")
    assert reasons[(9, "签到时间")] == "签到时间 2025-06-12 09:00 不在活动日期内（2025年6月10日至11日）"
    assert reasons[(10, "活动编号")] == "找不到编号为“HD209901010001”的活动，或该活动不在您的管理范围内"
    assert reasons[(11, "活动编号")] == "活动《未发布的活动》还是草稿，发布后才能导入签到"
    assert reasons[(12, "活动编号")] == "活动《取消的活动》已取消，不能导入签到"
    assert reasons[(13, "活动编号")].startswith("活动《下月的活动》尚未开始")
    assert reasons[(14, "姓名")] == "不能为空"
    assert reasons[(14, "签到时间")].startswith("签到时间格式不正确")
    assert reasons[(15, "")] == "与第 4 行重复"
    assert str(report.errors[0]) == "第 6 行【手机号】手机号码应为11位数字，当前为10位"


def test_valid_only_writes_the_good_rows_and_leaves_the_others_out(cast, past, upload):
    rows = [*good_rows(cast, past), row(活动编号=past.draft.number, 姓名="草稿活动")]
    report = import_attendance(actor=cast.users.staff, path=upload(rows), valid_only=True)
    assert report.committed and (report.created, report.failed) == (4, 1)
    assert not CheckIn.objects.filter(event=past.draft).exists()


def test_an_invitee_already_checked_in_is_skipped_and_a_second_import_adds_nothing(cast, past, upload):
    staff = cast.users.staff
    door = CheckIn.objects.create(event=past.fed, invitation=past.invitation, person=cast.person1, name="王建国",
                                  method=CheckIn.Method.SCAN, checked_in_at=local(2025, 6, 10, 8, 50))
    path = upload(good_rows(cast, past))
    report = import_attendance(actor=staff, path=path)
    assert report.committed and report.succeeded == 4 and report.created == 3  # 王建国: 已签到, skipped
    assert list(CheckIn.objects.filter(invitation=past.invitation)) == [door]
    total = attendance(staff)
    again = import_attendance(actor=staff, path=path)
    assert again.committed and again.succeeded == 4 and again.created == 0
    assert attendance(staff) == total
    assert AuditEvent.objects.filter(action="import").order_by("id").last().detail["already"] == 4


def test_a_substitute_is_the_invitations_check_in(cast, past, upload):
    past.invitation.status = Invitation.Status.SUBSTITUTE
    past.invitation.substitute_name = "王小明"
    past.invitation.save()
    import_attendance(actor=cast.users.staff, path=upload([row(活动编号=past.fed.number, 姓名="王小明")]))
    checkin = CheckIn.objects.get()
    assert checkin.invitation == past.invitation and checkin.name == "王小明" and checkin.enterprise == cast.ent1


def test_invitees_of_the_same_name_are_told_apart_by_mobile_or_enterprise(cast, past, upload):
    namesake = testing.make_person(cast.district, name="王建国", enterprise=cast.ent2, mobile="13700137000")
    other = testing.make_invitation(past.fed, namesake)
    report = import_attendance(actor=cast.users.staff, path=upload([row(活动编号=past.fed.number, 姓名="王建国")]))
    assert [(e.column, e.reason) for e in report.errors] == [
        ("姓名", "本活动有 2 位名为“王建国”的受邀人，请填写手机号或统一社会信用代码以区分")]
    rows = [row(活动编号=past.fed.number, 姓名="王建国", 手机号="13700137000"),
            row(活动编号=past.fed.number, 姓名="王建国", 统一社会信用代码=cast.ent1.uscc)]
    report = import_attendance(actor=cast.users.staff, path=upload(rows, name="again.xlsx"))
    assert report.committed and report.created == 2
    assert set(CheckIn.objects.values_list("invitation_id", flat=True)) == {other.pk, past.invitation.pk}


def test_a_chamber_secretary_imports_into_its_chambers_events_only(cast, past, upload):
    chamber1 = cast.users.chamber1
    report = import_attendance(actor=chamber1, path=upload([row(活动编号=past.chamber1.number, 姓名="李某")]))
    assert report.committed and CheckIn.objects.get().event == past.chamber1
    rows = [row(活动编号=past.chamber1.number, 姓名="张某"),
            row(活动编号=past.chamber2.number, 姓名="别的商会"),
            row(活动编号=past.fed.number, 姓名="工商联的活动"),
            row(活动编号=past.chamber1.number, 姓名="外会企业", 统一社会信用代码=cast.ent2.uscc)]
    before = snapshot()
    report = import_attendance(actor=chamber1, path=upload(rows, name="more.xlsx"))
    assert not report.committed and snapshot() == before
    assert [(e.row, e.column) for e in report.errors] == [(3, "活动编号"), (4, "活动编号"), (5, "统一社会信用代码")]
    assert report.errors[0].reason == f"找不到编号为“{past.chamber2.number}”的活动，或该活动不在您的管理范围内"
    # the other federation's staff does not reach this federation's events either
    report = import_attendance(actor=cast.users.outsider_staff, path=upload([row(活动编号=past.fed.number, 姓名="某")],
                                                                             name="outsider.xlsx"))
    assert [e.column for e in report.errors] == ["活动编号"] and snapshot() == before


@pytest.mark.parametrize("role", ["leader", "dept1", "ent1", "auditor"])
def test_only_organisers_may_import(cast, past, upload, role):
    with pytest.raises(PermissionDenied):
        import_attendance(actor=getattr(cast.users, role), path=upload(good_rows(cast, past)))


def test_an_event_window_uses_the_local_days(cast, past, upload):
    """签到时间 before the first day's 00:00 or on the day after the last is refused; the last day's evening is in."""
    rows = [row(活动编号=past.fed.number, 姓名="深夜", 签到时间="2025-06-11 23:59"),
            row(活动编号=past.fed.number, 姓名="前一天", 签到时间="2025-06-09 23:59"),
            row(活动编号=past.fed.number, 姓名="只有日期", 签到时间="2025-06-11")]
    report = import_attendance(actor=cast.users.staff, path=upload(rows), valid_only=True)
    assert [(e.row, e.column) for e in report.errors] == [(3, "签到时间")]
    assert CheckIn.objects.get(name="只有日期").checked_in_at == local(2025, 6, 11, 9, 0)  # at the start's hour


def test_date_and_time_cells_are_read_as_excel_keeps_them(cast, past, upload):
    from datetime import time

    rows = [row(活动编号=past.fed.number, 姓名="日期时间格", 签到时间=datetime(2025, 6, 10, 15, 20)),
            row(活动编号=past.fed.number, 姓名="时间格", 签到时间=time(10, 0)),
            row(活动编号=past.fed.number, 姓名="日期格", 签到时间=datetime(2025, 6, 11))]
    report = import_attendance(actor=cast.users.staff, path=upload(rows))
    assert report.committed, report.errors
    assert dict(CheckIn.objects.values_list("name", "checked_in_at")) == {
        "日期时间格": local(2025, 6, 10, 15, 20), "时间格": local(2025, 6, 10, 10, 0), "日期格": local(2025, 6, 11, 9, 0)}


# --- pages ---------------------------------------------------------------------------------------
def _file(rows, name="签到表.xlsx"):
    return SimpleUploadedFile(name, xlsx(rows), content_type="application/octet-stream")


def test_the_template_lists_the_importers_own_events_and_imports_as_it_is(cast, past, login, media):
    client = login(cast.users.chamber1)
    response = client.get(reverse("events:attendance_import_template"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''%E7%AD%BE%E5%88%B0%E8%A1%A8" in response["Content-Disposition"]  # 签到表导入模板_…
    book = load_workbook(io.BytesIO(response.content))
    assert [cell.value for cell in book["签到表"][1]] == ["*活动编号", "*姓名", "手机号", "单位", "统一社会信用代码", "签到时间"]
    listed = [r[0] for r in book["可导入的活动"].iter_rows(min_row=2, values_only=True)]
    assert listed == [past.chamber1.number]  # its chamber's held events only: not another's, no draft
    staff_book = load_workbook(io.BytesIO(login(cast.users.staff).get(
        reverse("events:attendance_import_template")).content))
    listed = [r[0] for r in staff_book["可导入的活动"].iter_rows(min_row=2, values_only=True)]
    assert listed == [past.chamber2.number, past.chamber1.number, past.fed.number]  # newest first, begun only
    # the template, filled in, uploads as it is (the events sheet is not mistaken for the data)
    sheet = staff_book["签到表"]
    sheet.append([past.fed.number, "模板填写的人"])
    filled = io.BytesIO()
    staff_book.save(filled)
    client = login(cast.users.staff)
    response = client.post(reverse("events:attendance_import"), {"file": SimpleUploadedFile("t.xlsx", filled.getvalue())})
    job = ImportJob.objects.get(kind="event_attendance")
    assert response.status_code == 302 and (job.total, job.valid, job.failed) == (1, 1, 0)


@pytest.mark.parametrize("role", ["leader", "dept1", "ent1", "auditor"])
def test_the_pages_are_refused_to_roles_that_do_not_organise(cast, login, role):
    client = login(getattr(cast.users, role))
    assert client.get(reverse("events:attendance_import")).status_code == 403
    assert client.get(reverse("events:attendance_import_template")).status_code == 403
    assert client.post(reverse("events:attendance_import"), {"file": _file([])}).status_code == 403
    assert not ImportJob.objects.exists()


def test_upload_check_and_commit(cast, past, login, media):
    client = login(cast.users.staff)
    page = client.get(reverse("events:attendance_import")).content.decode()
    assert "导入签到表" in page and "可导入的活动" in page and "手机号只保存后 4 位" in page
    response = client.post(reverse("events:attendance_import"), {"file": _file(good_rows(cast, past))})
    job = ImportJob.objects.get(kind="event_attendance")
    assert response["Location"] == reverse("events:attendance_import_job", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "共 4 条，成功 4 条，失败 0 条" in page and not CheckIn.objects.exists()
    response = client.post(reverse("events:attendance_import_commit", args=[job.pk]))
    assert response.status_code == 302 and CheckIn.objects.count() == 4
    page = client.get(reverse("events:attendance_import_job", args=[job.pk])).content.decode()
    assert "新增 4 条" in page and "不重复计数" in page


def test_what_changed_after_the_check_is_checked_again_at_commit(cast, past, login, media):
    """The preview keeps its rows; 确认导入 checks again what they name: an invitee checked in at the door
    meanwhile is skipped (not doubled), an event cancelled meanwhile refuses the whole file."""
    client = login(cast.users.staff)
    client.post(reverse("events:attendance_import"), {"file": _file(good_rows(cast, past))})
    job = ImportJob.objects.get(kind="event_attendance")
    CheckIn.objects.create(event=past.fed, invitation=past.invitation, name="王建国", method=CheckIn.Method.SCAN,
                           checked_in_at=local(2025, 6, 10, 9, 1))
    client.post(reverse("events:attendance_import_commit", args=[job.pk]))
    assert CheckIn.objects.filter(invitation=past.invitation).count() == 1 and CheckIn.objects.count() == 4

    client.post(reverse("events:attendance_import"), {"file": _file([row(活动编号=past.chamber1.number, 姓名="某")])})
    job = ImportJob.objects.filter(kind="event_attendance").latest("created_at")
    Event.objects.filter(pk=past.chamber1.pk).update(status=Event.Status.CANCELLED)
    client.post(reverse("events:attendance_import_commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.REFUSED and not CheckIn.objects.filter(event=past.chamber1).exists()
    page = client.get(reverse("events:attendance_import_job", args=[job.pk])).content.decode()
    assert "活动《友谊路商会早餐会》已取消，不能导入签到" in page


def test_failed_rows_can_be_downloaded_and_only_the_owner_finds_the_job(cast, past, login, media):
    client = login(cast.users.chamber1)
    rows = [row(活动编号=past.chamber1.number, 姓名="李某"), row(活动编号=past.chamber2.number, 姓名="别的商会")]
    client.post(reverse("events:attendance_import"), {"file": _file(rows)})
    job = ImportJob.objects.get(kind="event_attendance")
    page = client.get(reverse("events:attendance_import_job", args=[job.pk])).content.decode()
    assert "第 3 行" in page and "不在您的管理范围内" in page
    response = client.get(reverse("events:attendance_import_errors", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]][-2:] == [
        f"活动编号：找不到编号为“{past.chamber2.number}”的活动，或该活动不在您的管理范围内", 3]
    client.post(reverse("events:attendance_import_commit", args=[job.pk]))  # all-or-nothing: refused
    assert not CheckIn.objects.exists()
    other = login(cast.users.chamber2)
    for name in ("attendance_import_job", "attendance_import_errors"):
        assert other.get(reverse(f"events:{name}", args=[job.pk])).status_code == 404
    assert other.post(reverse("events:attendance_import_commit", args=[job.pk]), {"valid_only": "on"}).status_code == 404
    assert not CheckIn.objects.exists()
    client = login(cast.users.chamber1)
    client.post(reverse("events:attendance_import_commit", args=[job.pk]), {"valid_only": "on"})
    assert list(CheckIn.objects.values_list("name", flat=True)) == ["李某"]


@pytest.mark.parametrize(("build", "reason"), [
    (lambda: xlsx_bytes([("A1", "活动编号*"), ("B1", "姓名*"), ("XFD1048576", "远")]), "数据区域异常"),
    (laughing_xlsx, "DTD/实体"),
    (lambda: b"PK\x03\x04 not really a zip", ""),
])
def test_a_crafted_file_is_refused_and_nothing_is_kept(cast, login, media, build, reason):
    response = login(cast.users.chamber1).post(reverse("events:attendance_import"),
                                               {"file": SimpleUploadedFile("签到表.xlsx", build())})
    page = response.content.decode()
    assert response.status_code == 200 and reason in page and 'class="field-error"' in page
    assert not ImportJob.objects.exists() and not CheckIn.objects.exists()
    folder = media / "imports"
    assert not folder.exists() or list(folder.iterdir()) == []


# --- management command ----------------------------------------------------------------------------
def test_the_command_imports_lists_the_skipped_and_refuses_a_bad_file(cast, past, upload):
    CheckIn.objects.create(event=past.fed, invitation=past.invitation, name="王建国", method=CheckIn.Method.SCAN,
                           checked_in_at=local(2025, 6, 10, 9, 1))
    out = io.StringIO()
    call_command("import_event_attendance", str(upload(good_rows(cast, past))), "--user", "staff", stdout=out)
    assert "新增 3 条" in out.getvalue() and "第 2 行 王建国：已签到，不重复计数" in out.getvalue()
    assert CheckIn.objects.count() == 4
    out = io.StringIO()
    call_command("import_event_attendance", str(upload(good_rows(cast, past))), "--user", "staff", "--dry-run",
                 stdout=out)
    assert "其中 4 行的人员已签到，导入时将跳过" in out.getvalue()
    bad = upload([row(活动编号=past.draft.number, 姓名="草稿活动")], name="bad.xlsx")
    report = io.StringIO()
    with pytest.raises(CommandError, match="1 行校验失败"):
        call_command("import_event_attendance", str(bad), "--user", "staff", "--error-report",
                     str(bad.with_name("errors.xlsx")), stdout=report)
    assert "活动《未发布的活动》还是草稿" in report.getvalue() and bad.with_name("errors.xlsx").exists()
    assert CheckIn.objects.count() == 4


def test_the_command_refuses_a_user_who_does_not_organise_and_a_crafted_file(cast, past, upload, tmp_path):
    with pytest.raises(CommandError, match="不能导入签到表"):
        call_command("import_event_attendance", str(upload(good_rows(cast, past))), "--user", "leader",
                     stdout=io.StringIO())
    crafted = tmp_path / "crafted.xlsx"
    crafted.write_bytes(laughing_xlsx())
    with pytest.raises(CommandError, match="DTD/实体"):
        call_command("import_event_attendance", str(crafted), "--user", "staff", stdout=io.StringIO())
    assert not CheckIn.objects.exists()


def test_imported_attendance_reads_as_the_doors_own(cast, past, upload):
    """An imported check-in is an ordinary one: the event's page figures and the door's 已签到 count it."""
    import_attendance(actor=cast.users.staff, path=upload(good_rows(cast, past)))
    from shanglian.events import selectors

    figures = selectors.attendance(past.fed)
    assert (figures["checked_in"], figures["checked_in_invited"], figures["walk_ins"]) == (4, 1, 3)
    past.fed.status = Event.Status.RUNNING
    past.fed.save()
    with pytest.MonkeyPatch.context() as patch:  # at the door, during the event: 已签到, not counted again
        patch.setattr(services, "_now", lambda: local(2025, 6, 10, 10, 0))
        answer = services.check_in_manually(actor=cast.users.staff, invitation=past.invitation)
    assert not answer.ok and CheckIn.objects.filter(invitation=past.invitation).count() == 1


def test_the_spec_is_registered_for_the_jobs(cast):
    from shanglian.imports.registry import spec_for

    assert isinstance(spec_for("event_attendance", cast.users.chamber1), AttendanceImportSpec)
    with pytest.raises(PermissionDenied):
        spec_for("event_attendance", cast.users.dept1)


# --- in a browser (make test-browser) ------------------------------------------------------------------
SCREENS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 375, "height": 667}}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("screen", SCREENS, ids=list(SCREENS))
@pytest.mark.parametrize("role", ["staff", "chamber1"])
def test_the_import_pages_fit_the_screen(live_server, cast, past, browser, artifacts_dir, tmp_path, settings, role,
                                         screen):
    """Upload a sheet with one bad row on the import page, read the report, import the valid rows only."""
    settings.MEDIA_ROOT = tmp_path / "media"
    event = past.fed if role == "staff" else past.chamber1
    content = xlsx([row(活动编号=event.number, 姓名="王建国", 手机号="13800138000"),
                    row(活动编号=event.number, 姓名="李某", 签到时间="2025-01-01 09:00")])
    context = browser.new_context(viewport=SCREENS[screen], locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    testing.sign_in(page, live_server.url, role)
    too_wide = {}
    page.goto(f"{live_server.url}{reverse('events:attendance_import')}")
    page.screenshot(path=str(artifacts_dir / f"events-import-upload-{role}-{screen}.png"), full_page=True)
    too_wide["upload"] = testing.overflow(page)
    page.set_input_files("input[type=file]", [{"name": "签到表.xlsx", "buffer": content,
                                                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    page.get_by_role("button", name="上传并校验").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("共 2 条，成功 1 条，失败 1 条").is_visible()
    assert page.get_by_text("不在活动日期内").is_visible()
    page.screenshot(path=str(artifacts_dir / f"events-import-report-{role}-{screen}.png"), full_page=True)
    too_wide["report"] = testing.overflow(page)
    page.get_by_label("仅导入校验通过的行", exact=False).check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("导入成功：新增 1 条").is_visible()
    page.screenshot(path=str(artifacts_dir / f"events-import-done-{role}-{screen}.png"), full_page=True)
    too_wide["done"] = testing.overflow(page)
    context.close()
    assert {name: px for name, px in too_wide.items() if px > 0} == {}
    assert problems == []
    assert list(CheckIn.objects.values_list("event_id", "name")) == [(event.pk, "王建国")]
