"""Exports of a page as a download, audited (who exported what, how many rows, with which filters —
never the values). Up to `EXPORT_BACKGROUND_ROWS` rows the workbook is the response, as it always
was; above it the export becomes an `ExportJob`: the rows are handed to a Huey task that writes the
workbook with progress, and the user is sent to the job's page, which polls it and offers the
download when it is done (to that user only)."""

import json
import logging
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.shortcuts import redirect
from django.utils import timezone
from huey.contrib.djhuey import db_task

from shanglian.audit.models import AuditAction
from shanglian.audit.services import record
from shanglian.common.excel import export_filename, export_workbook, xlsx_response

from .models import ExportJob

logger = logging.getLogger(__name__)

FAILED = "导出过程中出错，未生成文件。请稍后重试，或联系系统管理员。"


def audited_export(*, actor, title, sheets, object_type, detail, text_columns=None):
    """`sheets`: [(title, headers, rows), …]. Returns the xlsx download, or — for more than
    `settings.EXPORT_BACKGROUND_ROWS` rows in all — a redirect to the background job's page. One audit
    row either way, written when the export is asked for (the job's id added to its detail)."""
    sheets = [(name, headers, rows if hasattr(rows, "__len__") else list(rows)) for name, headers, rows in sheets]
    total = sum(len(rows) for _, _, rows in sheets)
    filename = export_filename(title, timezone.localdate())
    if total <= settings.EXPORT_BACKGROUND_ROWS:
        record(AuditAction.EXPORT, actor=actor, object_type=object_type, object_repr=title, detail=detail)
        return xlsx_response(export_workbook(sheets, text_columns=text_columns), filename)
    job = start_export(actor=actor, title=title, filename=filename, object_type=object_type, sheets=sheets,
                       text_columns=text_columns, detail=detail)
    return redirect("imports:export_job", job_id=job.pk)


def start_export(*, actor, title, filename, object_type, sheets, detail, text_columns=None):
    """Store the rows for the task, create the job, audit it and enqueue `produce_export`."""
    job = ExportJob(created_by=actor, title=title[:200], filename=filename[:250], object_type=object_type,
                    total=sum(len(rows) for _, _, rows in sheets))
    job.rows_path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"sheets": [[name, [str(h) for h in headers], [[_encode(v) for v in row] for row in rows]]
                          for name, headers, rows in sheets],
               "text_columns": {name: list(wanted) for name, wanted in (text_columns or {}).items()}}
    job.rows_path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    job.save()
    record(AuditAction.EXPORT, actor=actor, object_type=object_type, object_repr=title,
           detail={**detail, "job": str(job.pk)})
    produce_export(str(job.pk))  # a Huey task: runs at once in immediate mode (tests)
    job.refresh_from_db()
    return job


@db_task()
def produce_export(job_id):
    """The Huey task: write a large export's workbook; its row keeps the progress the export page polls."""
    produce(job_id)


def produce(job_id):
    """Write the job's workbook from its stored rows, updating `done` as rows are written."""
    job = ExportJob.objects.get(pk=job_id)

    def progress(done):
        ExportJob.objects.filter(pk=job.pk).update(done=done, updated_at=timezone.now())

    try:
        payload = json.loads(job.rows_path.read_text(encoding="utf-8"))
        sheets = [(name, headers, [[_decode(v) for v in row] for row in rows])
                  for name, headers, rows in payload["sheets"]]
        content = export_workbook(sheets, text_columns=payload["text_columns"], progress=progress)
        job.path.write_bytes(content)
    except Exception:
        logger.exception("export job %s failed", job.pk)
        job.status = ExportJob.Status.ERROR
        job.result = {"message": FAILED}
        job.save(update_fields=["status", "result", "updated_at"])
    else:
        job.status = ExportJob.Status.DONE
        job.done = job.total
        job.save(update_fields=["status", "done", "updated_at"])
    finally:
        job.rows_path.unlink(missing_ok=True)
    return job


def purge_stale(*, hours=24):
    """Delete the files of export jobs older than `hours` (exports are not kept)."""
    removed = 0
    for job in ExportJob.objects.filter(created_at__lt=timezone.now() - timedelta(hours=hours)):
        for path in (job.path, job.rows_path):
            if path.exists():
                path.unlink()
                removed += 1
    return removed


# Cells as JSON: dates, timestamps and decimals tagged, so the workbook is the one written in the request.
def _encode(value):
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"n": str(value)}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _decode(value):
    if isinstance(value, dict):
        if "t" in value:
            return datetime.fromisoformat(value["t"])
        if "d" in value:
            return date.fromisoformat(value["d"])
        return Decimal(value["n"])
    return value
