"""会员导入 pages: template download → upload and check (dry run, nothing written) → report → 确认导入
(in the background with a polled progress bar for large files) → result; error report download.

Staff and the sysadmin of a federation only. The upload is kept under MEDIA_ROOT/imports/<uuid>.xlsx
(never under the user's file name) until it is committed, or for 24 hours."""

import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from shanglian.accounts.roles import Role, require_role
from shanglian.common import import_jobs
from shanglian.common.excel import MAX_UPLOAD_BYTES, ExcelError, export_filename, xlsx_response

from . import services

BREADCRUMBS = [("会员管理", None), ("工商联会员", "members:membership_list"), ("导入会员", None)]
UPLOAD_TTL_SECONDS = 24 * 3600


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Excel 文件",
        error_messages={"required": "请选择要上传的 Excel 文件。", "empty": "上传的文件是空的，请检查后重新选择。",
                        "invalid": "请选择要上传的 Excel 文件。"},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument"
                                                         ".spreadsheetml.sheet"}))
    valid_only = forms.BooleanField(label="仅导入校验通过的行", required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"文件超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB，请拆分后分批导入。")
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("只支持 .xlsx 格式的 Excel 文件（旧版 .xls 请先另存为 .xlsx）。")
        return upload


def _staff(request):
    require_role(request.user, Role.STAFF, Role.SYSADMIN)


def _purge_stale_uploads():
    """Uploads older than 24 hours are deleted (also done by `manage.py purge_import_files`)."""
    folder = Path(settings.MEDIA_ROOT) / "imports"
    if not folder.is_dir():
        return
    cutoff = time.time() - UPLOAD_TTL_SECONDS
    for path in folder.glob("*.xlsx"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass  # removed meanwhile by another worker


@login_required
def member_import_template(request):
    _staff(request)
    content = services.member_import_template(actor=request.user)
    return xlsx_response(content, export_filename("会员导入模板", timezone.localdate()))


@login_required
@require_http_methods(["GET", "POST"])
def member_import(request):
    _staff(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        _purge_stale_uploads()
        try:
            job = import_jobs.check_upload(actor=request.user, kind="members", upload=form.cleaned_data["file"])
        except ExcelError as exc:
            form.add_error("file", str(exc))
        else:
            if form.cleaned_data["valid_only"]:
                job.valid_only = True
                job.save(update_fields=["valid_only", "updated_at"])
            return redirect("members:member_import_job", job_id=job.pk)
    return render(request, "members/import.html", {"form": form, "breadcrumbs": BREADCRUMBS})


def _job(request, job_id):
    _staff(request)
    try:
        return import_jobs.job_for(request.user, job_id, "members")
    except PermissionDenied:
        raise Http404("找不到该导入任务。") from None


@login_required
def member_import_job(request, job_id):
    """The check report and the 确认导入 form; while a background import runs, htmx polls the progress
    fragment (this same URL) every second."""
    job = _job(request, job_id)
    template = "members/import_progress.html" if getattr(request, "htmx", False) else "members/import_job.html"
    return render(request, template, {"job": job, "breadcrumbs": BREADCRUMBS,
                                      "file_kept": job.path.exists()})


@login_required
@require_POST
def member_import_commit(request, job_id):
    job = _job(request, job_id)
    try:
        import_jobs.commit(actor=request.user, job=job, valid_only=request.POST.get("valid_only") == "on")
    except ExcelError as exc:
        messages.error(request, str(exc))
    return redirect("members:member_import_job", job_id=job.pk)


@login_required
def member_import_errors(request, job_id):
    job = _job(request, job_id)
    try:
        content = import_jobs.error_report(job)
    except ExcelError as exc:
        messages.error(request, str(exc))
        return redirect("members:member_import_job", job_id=job.pk)
    return xlsx_response(content, export_filename("会员导入错误报告", timezone.localdate()))
