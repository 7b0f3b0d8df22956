"""会员导入 pages: template download, upload and check, report, commit (with progress), error report."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from shanglian.accounts.roles import Role, require_role
from shanglian.common import import_jobs
from shanglian.common.excel import ExcelError, export_filename, template_xlsx, xlsx_response

from .imports import MemberImportSpec

BREADCRUMBS = [("会员管理", None), ("工商联会员", "members:membership_list"), ("导入会员", None)]


class UploadForm(forms.Form):
    file = forms.FileField(label="Excel 文件", error_messages={"required": "请选择要上传的 Excel 文件。",
                                           "empty": "上传的文件是空的，请检查后重新选择。"},
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))


def _staff(request):
    require_role(request.user, Role.STAFF, Role.SYSADMIN)


@login_required
def member_import_template(request):
    _staff(request)
    content = template_xlsx(MemberImportSpec(actor=request.user))
    return xlsx_response(content, export_filename("会员导入模板", timezone.localdate()))


@login_required
@require_http_methods(["GET", "POST"])
def member_import(request):
    _staff(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_jobs.check_upload(actor=request.user, kind="members", upload=form.cleaned_data["file"])
        except ExcelError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("members:member_import_job", job_id=job.pk)
    return render(request, "members/import.html", {"form": form, "breadcrumbs": BREADCRUMBS})


def _job(request, job_id):
    _staff(request)
    try:
        return import_jobs.job_for(request.user, job_id)
    except PermissionDenied:
        from django.http import Http404

        raise Http404("找不到该导入任务。") from None


@login_required
def member_import_job(request, job_id):
    job = _job(request, job_id)
    template = "members/import_progress.html" if getattr(request, "htmx", False) else "members/import_job.html"
    return render(request, template, {"job": job, "breadcrumbs": BREADCRUMBS})


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
