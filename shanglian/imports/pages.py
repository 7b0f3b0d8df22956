"""The import pages, once for every kind: template download → upload and check (dry run, nothing
written) → report → 确认导入 (as a Huey task with a polled progress bar for large files) → result;
error report download. An app declares its pages with `ImportPages(...)` and adds `.urlpatterns()`.

Staff and the sysadmin of a federation only. The upload is kept under MEDIA_ROOT/imports/<uuid>.xlsx
(never under the user's file name) until it is committed, or for 24 hours; a job is found only by the
user who uploaded it and only through the pages of its own kind."""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from shanglian.accounts.roles import EDITOR_ROLES, require_role
from shanglian.common.excel import MAX_UPLOAD_BYTES, ExcelError, export_filename, xlsx_response
from shanglian.common.forms import Form

from . import jobs


class UploadForm(Form):
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


@dataclass(frozen=True)
class ImportPages:
    kind: str  # the ImportJob kind, registered by its app (registry.register)
    namespace: str  # URL namespace of the app ("members")
    name: str  # URL name of the upload page; the others add _template, _job, _commit, _errors
    noun: str  # in file names: 会员 → 会员导入模板_20261122.xlsx, 会员导入错误报告_….xlsx
    breadcrumbs: tuple
    make_template: object  # callable(actor) -> xlsx bytes
    title: str  # 导入会员
    back_url: str  # the list the import fills, e.g. "members:membership_list"
    back_label: str  # 会员名单
    notes_template: str  # the app's own instructions on the upload page (what a row is, how rows are matched)
    commit_note: str = ""  # a line under 确认导入
    done_note: str = ""  # appended to 导入成功：新增 N 条，更新 M 条
    roles: frozenset = EDITOR_ROLES  # who may import (the spec still scopes every row to the importer)

    def _url(self, suffix=""):
        return f"{self.namespace}:{self.name}{suffix}"

    def _staff(self, request):
        require_role(request.user, *self.roles)

    def _job(self, request, job_id):
        self._staff(request)
        try:
            return jobs.job_for(request.user, job_id, self.kind)
        except PermissionDenied:
            raise Http404("找不到该导入任务。") from None

    @property
    def names(self):
        """The URL names of the five pages, for the shared templates (templates/imports/)."""
        return {key: self._url(suffix) for key, suffix in (
            ("upload", ""), ("template", "_template"), ("job", "_job"), ("commit", "_commit"), ("errors", "_errors"))}

    def _context(self, **extra):
        return {"breadcrumbs": list(self.breadcrumbs), "pages": self, **extra}

    def template_view(self, request):
        self._staff(request)
        return xlsx_response(self.make_template(actor=request.user),
                             export_filename(f"{self.noun}导入模板", timezone.localdate()))

    def upload_view(self, request):
        self._staff(request)
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            jobs.purge_stale()  # uploads are kept 24 hours at most
            try:
                job = jobs.check_upload(actor=request.user, kind=self.kind, upload=form.cleaned_data["file"])
            except ExcelError as exc:
                form.add_error("file", str(exc))
            else:
                if form.cleaned_data["valid_only"]:
                    job.valid_only = True
                    job.save(update_fields=["valid_only", "updated_at"])
                return redirect(self._url("_job"), job_id=job.pk)
        return render(request, "imports/upload.html", self._context(form=form))

    def job_view(self, request, job_id):
        """The check report and the 确认导入 form; while a background import runs, htmx polls the
        progress fragment (this same URL) every second."""
        job = self._job(request, job_id)
        template = "imports/progress.html" if getattr(request, "htmx", False) else "imports/job.html"
        return render(request, template, self._context(job=job, file_kept=job.path.exists()))

    def commit_view(self, request, job_id):
        job = self._job(request, job_id)
        try:
            jobs.commit(actor=request.user, job=job, valid_only=request.POST.get("valid_only") == "on")
        except ExcelError as exc:
            messages.error(request, str(exc))
        return redirect(self._url("_job"), job_id=job.pk)

    def errors_view(self, request, job_id):
        job = self._job(request, job_id)
        try:
            content = jobs.error_report(job)
        except ExcelError as exc:
            messages.error(request, str(exc))
            return redirect(self._url("_job"), job_id=job.pk)
        return xlsx_response(content, export_filename(f"{self.noun}导入错误报告", timezone.localdate()))

    def urlpatterns(self, prefix="import/"):
        return [
            path(prefix, login_required(require_http_methods(["GET", "POST"])(self.upload_view)), name=self.name),
            path(f"{prefix}template/", login_required(self.template_view), name=f"{self.name}_template"),
            path(f"{prefix}<uuid:job_id>/", login_required(self.job_view), name=f"{self.name}_job"),
            path(f"{prefix}<uuid:job_id>/commit/", login_required(require_POST(self.commit_view)),
                 name=f"{self.name}_commit"),
            path(f"{prefix}<uuid:job_id>/errors/", login_required(self.errors_view), name=f"{self.name}_errors"),
        ]
