"""Import jobs: upload → check every row (dry run) → commit, as a Huey task with progress when large.

The check keeps the rows that passed, signed, with the job (`checked`) when the kind's spec can check
them again (`recheck_row`): the commit then writes them without reading the file again, after checking
once more only what can have changed meanwhile (what a row names in the database, e.g. a 会员证号 taken
by someone else since). Otherwise, or when the kept rows are missing or do not match their signature,
the commit reads and checks the file again, as a direct import does.

Entity-agnostic: each app registers its ImportSpec under a kind (`registry`)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from huey.contrib.djhuey import db_task

from shanglian.common.dbstats import refresh_planner_statistics
from shanglian.common.excel import ExcelError, commit_checked, error_report_xlsx, run_import
from shanglian.common.models import ImportJob

from . import checked
from .registry import is_registered, spec_for

logger = logging.getLogger(__name__)

SHOWN_ERRORS = 200


def check_upload(*, actor, kind, upload):
    """Store the upload under a UUID, check every row, keep the report. Raises ExcelError for a bad file."""
    spec = spec_for(kind, actor)  # permission check first: nothing is stored for a refused user
    if upload is None:
        raise ExcelError("请选择要上传的 Excel 文件。")
    if not upload.name.lower().endswith(".xlsx"):
        raise ExcelError("只支持 .xlsx 格式的 Excel 文件（旧版 .xls 请先另存为 .xlsx）。")
    job = ImportJob(kind=kind, created_by=actor, original_name=upload.name[-200:])
    job.path.parent.mkdir(parents=True, exist_ok=True)
    with open(job.path, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    try:
        if checked.can_keep(spec):
            with checked.keeping(job, spec) as keep:
                report = run_import(spec, job.path, dry_run=True, checked=keep)
        else:
            report = run_import(spec, job.path, dry_run=True)
    except BaseException:  # a refused file, or any failure: the upload is not kept without its job
        job.path.unlink(missing_ok=True)
        raise
    job.total, job.valid, job.failed = report.total, report.succeeded, report.failed
    job.result = {**job.result, "summary": report.summary,
                  "errors": [[e.row, e.column, e.reason] for e in report.errors[:SHOWN_ERRORS]],
                  "error_count": len(report.errors)}
    job.save()
    return job


def job_for(actor, job_id, kind):
    """A job is visible to the user who uploaded it only, and only through the pages of its own
    (registered) kind."""
    job = None if not is_registered(kind) else ImportJob.objects.filter(pk=job_id, created_by=actor, kind=kind).first()
    if job is None:
        raise PermissionDenied("找不到该导入任务。")
    return job


def error_report(job):
    spec = spec_for(job.kind, job.created_by)
    if not job.path.exists():
        raise ExcelError("导入文件已清理，请重新上传。")
    return error_report_xlsx(run_import(spec, job.path, dry_run=True), spec)


def commit(*, actor, job, valid_only):
    """Commit a checked job: synchronously, or as a Huey task for large files (progress in the job row,
    which the htmx page polls; the task runs at once in immediate mode, as in tests)."""
    if job.created_by_id != actor.pk:
        raise PermissionDenied("找不到该导入任务。")
    if job.status != ImportJob.Status.CHECKED:
        raise ExcelError("该文件已经处理过，请重新上传。")
    if not job.path.exists():
        raise ExcelError("导入文件已清理，请重新上传。")
    if job.failed and not valid_only:
        raise ExcelError("存在校验失败的行。请修改后重新上传，或勾选“仅导入校验通过的行”。")
    if not job.valid:
        raise ExcelError("没有校验通过的行可以导入。")
    job.valid_only = valid_only
    job.status = ImportJob.Status.RUNNING
    job.save(update_fields=["valid_only", "status", "updated_at"])
    if job.valid > settings.IMPORT_BACKGROUND_ROWS:
        run_import_job(str(job.pk))
        job.refresh_from_db()
    else:
        run(job)
    return job


@db_task()
def run_import_job(job_id):
    """The Huey task: commit a large import job; its row keeps the progress the import page polls."""
    run(ImportJob.objects.get(pk=job_id))


def run(job):
    """Write a committed job's rows (in the request, or in the Huey task `run_import_job`)."""
    spec = spec_for(job.kind, job.created_by)

    def progress(done, total):
        if total:
            ImportJob.objects.filter(pk=job.pk).update(done=done, updated_at=timezone.now())

    try:
        if checked.available(job):  # the rows the preview checked: only what can have changed is checked again
            report = commit_checked(spec, checked.rows(job, spec), total=job.total, failed=job.failed,
                                    valid_only=job.valid_only, progress=progress)
            if report.errors:  # rows that passed the preview and fail now, after those that failed then
                errors = job.result.get("errors", []) + [[e.row, e.column, e.reason] for e in report.errors]
                job.result = {**job.result, "errors": errors[:SHOWN_ERRORS],
                              "error_count": job.result.get("error_count", 0) + len(report.errors)}
                if not report.committed:
                    job.result["message"] = (f"确认导入前，有 {len(report.errors)} 处所依据的数据已被修改（见下表），"
                                             "未导入任何数据。请修改后重新上传。")
        else:
            report = run_import(spec, job.path, dry_run=False, valid_only=job.valid_only, progress=progress)
    except Exception:
        logger.exception("import job %s failed", job.pk)
        job.status = ImportJob.Status.ERROR
        job.result = {**job.result, "message": "导入过程中出错，未写入任何数据。请联系系统管理员。"}
    else:
        job.status = ImportJob.Status.DONE if report.committed else ImportJob.Status.REFUSED
        job.done = report.created + report.updated
        job.result = {**job.result, "summary": report.summary, "created": report.created,
                      "updated": report.updated}
    job.save()
    if job.status == ImportJob.Status.DONE:
        job.path.unlink(missing_ok=True)
        refresh_planner_statistics()  # the rows just written change the tables' sizes (issue 19)
    checked.discard(job)  # used once: a refused job is uploaded again
    return job


def purge_stale(*, hours=24):
    """Delete the upload files of import jobs older than `hours` (uploads are not kept)."""
    stale = ImportJob.objects.filter(created_at__lt=timezone.now() - timedelta(hours=hours))
    removed = 0
    for job in stale:
        checked.discard(job)
        if job.path.exists():
            job.path.unlink()
            removed += 1
    return removed
