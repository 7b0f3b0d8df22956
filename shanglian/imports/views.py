"""The page of a background export (progress, polled by htmx; then the download) and the download.
Only the user who asked for the export finds it: anyone else gets 404."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from shanglian.common.excel import xlsx_response
from shanglian.ui.shortcuts import get_visible_or_404

from .models import ExportJob
from .selectors import export_jobs_visible_to


@never_cache
@login_required
def export_job(request, job_id):
    job = get_visible_or_404(export_jobs_visible_to(request.user), job_id)
    template = "imports/export_progress.html" if getattr(request, "htmx", False) else "imports/export_job.html"
    return render(request, template, {"job": job, "file_kept": job.path.exists(),
                                      "breadcrumbs": [("导出", None), (job.title, None)]})


@login_required
def export_download(request, job_id):
    job = get_visible_or_404(export_jobs_visible_to(request.user), job_id)
    if job.status != ExportJob.Status.DONE or not job.path.exists():
        raise Http404("导出文件不存在或已清理，请重新导出。")
    return xlsx_response(job.path.read_bytes(), job.filename)
