"""Large imports and large exports run as Huey tasks (immediate in tests) with their progress on the
job row; small ones stay in the request. A background export is downloaded by its owner only."""

import io
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from openpyxl import load_workbook

from shanglian.audit.models import AuditEvent
from shanglian.common.models import DictItem, ImportJob
from shanglian.imports import exports, jobs
from shanglian.imports.models import ExportJob

from .toy import KIND, ToySpec, toy_file


@pytest.fixture
def enqueued(monkeypatch):
    """The names of the Huey tasks enqueued (they still run: immediate mode); no thread is started."""
    names = []
    enqueue = HUEY.enqueue

    def spy(task):
        names.append(task.name)
        return enqueue(task)

    def no_thread(*args, **kwargs):
        raise AssertionError("background work goes through Huey, not threading.Thread")

    monkeypatch.setattr(HUEY, "enqueue", spy)
    monkeypatch.setattr(threading, "Thread", no_thread)
    return names


# --- imports ---------------------------------------------------------------------------------------
def _checked(cast, rows):
    return jobs.check_upload(actor=cast.users.staff, kind=KIND, upload=toy_file(rows))


def test_a_small_import_is_committed_in_the_request(cast, media, toy_kind, enqueued):
    job = jobs.commit(actor=cast.users.staff, job=_checked(cast, [["T1", "甲"], ["T2", "乙"]]), valid_only=False)
    assert enqueued == [] and job.status == ImportJob.Status.DONE


def test_a_large_import_runs_as_a_huey_task_with_progress(cast, media, toy_kind, enqueued, settings):
    settings.IMPORT_BACKGROUND_ROWS = 1
    progress = []
    original = ToySpec.commit

    def commit(self, batch):
        progress.append(ImportJob.objects.get(kind=KIND).status)
        return original(self, batch)

    ToySpec.batch_size = 1
    try:
        ToySpec.commit = commit
        job = jobs.commit(actor=cast.users.staff, job=_checked(cast, [["T1", "甲"], ["T2", "乙"]]), valid_only=False)
    finally:
        ToySpec.commit = original
        del ToySpec.batch_size
    assert [name.rsplit(".", 1)[-1] for name in enqueued] == ["run_import_job"]
    assert progress == [ImportJob.Status.RUNNING, ImportJob.Status.RUNNING]
    assert (job.status, job.done, job.result["created"]) == (ImportJob.Status.DONE, 2, 2)
    assert DictItem.objects.filter(kind=KIND).count() == 2 and not job.path.exists()


def test_a_failed_background_import_says_so_in_chinese_and_writes_nothing(cast, media, toy_kind, enqueued,
                                                                          settings, monkeypatch):
    settings.IMPORT_BACKGROUND_ROWS = 1

    def broken(self, batch):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ToySpec, "commit", broken)
    job = jobs.commit(actor=cast.users.staff, job=_checked(cast, [["T1", "甲"], ["T2", "乙"]]), valid_only=False)
    assert job.status == ImportJob.Status.ERROR and len(enqueued) == 1
    assert job.result["message"] == "导入过程中出错，未写入任何数据。请联系系统管理员。"
    assert not DictItem.objects.filter(kind=KIND).exists()


# --- exports ---------------------------------------------------------------------------------------
def _cells(content):
    return [[cell.value for cell in row] for row in load_workbook(io.BytesIO(content)).active.iter_rows()]


def test_a_small_export_is_downloaded_at_once(cast, login, media, enqueued):
    response = login(cast.users.staff).get(reverse("members:membership_export"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert len(_cells(response.content)) == 5 and enqueued == [] and not ExportJob.objects.exists()
    assert AuditEvent.objects.get(action="export").detail["rows"] == 4


def test_a_large_export_becomes_a_job_with_the_same_workbook(cast, login, media, enqueued, settings):
    client = login(cast.users.staff)
    at_once = _cells(client.get(reverse("members:membership_export")).content)
    settings.EXPORT_BACKGROUND_ROWS = 2
    response = client.get(reverse("members:membership_export"))
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:export_job", args=[job.pk])
    assert [name.rsplit(".", 1)[-1] for name in enqueued] == ["produce_export"]
    assert (job.status, job.total, job.done, job.created_by) == ("done", 4, 4, cast.users.staff)
    assert job.path.exists() and not job.rows_path.exists()
    page = client.get(response["Location"]).content.decode()
    assert "导出完成：共 4 条" in page and reverse("imports:export_download", args=[job.pk]) in page
    download = client.get(reverse("imports:export_download", args=[job.pk]))
    assert download.status_code == 200 and "filename*=UTF-8''" in download["Content-Disposition"]
    assert _cells(download.content) == at_once  # dates, numbers and text as the immediate export writes them
    audit = AuditEvent.objects.filter(action="export").order_by("id").last()
    assert audit.detail["job"] == str(job.pk) and audit.detail["rows"] == 4 and audit.actor == cast.users.staff


def test_while_running_the_page_polls_the_progress(cast, login, media):
    job = ExportJob.objects.create(created_by=cast.users.staff, title="会员名单", object_type="members.membership",
                                   filename="会员名单_20261129.xlsx", total=4000, done=1000)
    client = login(cast.users.staff)
    fragment = client.get(reverse("imports:export_job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in fragment and "25%" in fragment and "<html" not in fragment
    assert client.get(reverse("imports:export_download", args=[job.pk])).status_code == 404


@pytest.mark.parametrize("role", ["admin", "leader", "outsider_staff", "chamber1"])
def test_another_user_cannot_see_or_download_someone_elses_export(cast, login, media, settings, role):
    settings.EXPORT_BACKGROUND_ROWS = 2
    login(cast.users.staff).get(reverse("members:membership_export"))
    job = ExportJob.objects.get()
    other = login(getattr(cast.users, role))
    assert other.get(reverse("imports:export_job", args=[job.pk])).status_code == 404
    assert other.get(reverse("imports:export_download", args=[job.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="denied", object_id=str(job.pk)).count() == 2


def test_a_failed_export_says_so_in_chinese(cast, login, media, settings, monkeypatch):
    settings.EXPORT_BACKGROUND_ROWS = 2

    def broken(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(exports, "export_workbook", broken)
    client = login(cast.users.staff)
    page = client.get(reverse("members:membership_export"), follow=True).content.decode()
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.ERROR and not job.path.exists() and not job.rows_path.exists()
    assert "导出过程中出错，未生成文件。请稍后重试，或联系系统管理员。" in page
    assert client.get(reverse("imports:export_download", args=[job.pk])).status_code == 404


def test_purge_removes_old_export_and_import_files(cast, login, media, settings, toy_kind):
    settings.EXPORT_BACKGROUND_ROWS = 2
    client = login(cast.users.staff)
    client.get(reverse("members:membership_export"))
    job = ExportJob.objects.get()
    upload = _checked(cast, [["T1", "甲"]])
    out = io.StringIO()
    call_command("purge_import_files", stdout=out)
    assert job.path.exists() and upload.path.exists() and "过期导出文件 0 个" in out.getvalue()
    day_ago = timezone.now() - timedelta(hours=25)
    ExportJob.objects.update(created_at=day_ago)
    ImportJob.objects.update(created_at=day_ago)
    call_command("purge_import_files", stdout=out)
    assert not job.path.exists() and not upload.path.exists()
    assert "已删除过期导入文件 1 个，过期导出文件 1 个。" in out.getvalue()
    assert "导出文件已超过保留时间被清理" in client.get(reverse("imports:export_job", args=[job.pk])).content.decode()
    assert client.get(reverse("imports:export_download", args=[job.pk])).status_code == 404
