"""年度工作报告 pages: the form (a year) and the federation's runs with their status and progress (a queued or running
run polls `annual_run` every 2 s through htmx), one run's page, the downloads (Word and Excel, audited, under the
report's Chinese name), and the Word template — the one in use to download, a replacement to upload (checked: a real
docx that renders a sample context), a reset to the shipped one.

The federation's roles (sysadmin, staff, leader) generate and download — a leader too; the editors (sysadmin, staff)
replace the template; a chamber secretary, a department, an enterprise and the auditor are refused (403).
`?federation=<id>` reads one federation of the user's scope (a city's district); another id is 404. Thin: parse,
call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from shanglian.accounts.roles import EDITOR_ROLES, FEDERATION_ROLES, require_role
from shanglian.audit.models import AuditAction
from shanglian.audit.services import record
from shanglian.common.errors import Refused
from shanglian.common.excel.writer import XLSX_CONTENT_TYPE, attachment_response
from shanglian.common.uploads import ALLOWED_TYPES, download_response
from shanglian.ui.records import form_page
from shanglian.ui.shortcuts import get_visible_or_404

from . import values
from .annual.generate import SHIPPED_TEMPLATE, TEMPLATE_FOLDER, download_name, stored_path
from .forms.annual import TemplateForm, YearForm
from .models import ReportRun
from .selectors import annual as selectors
from .services import annual as services

GROUP = ("统计报告", None)
TITLE = "年度工作报告"
DOCX_CONTENT_TYPE = ALLOWED_TYPES["docx"]
SHIPPED_NAME = "年度工作报告模板（系统）.docx"
KINDS = {"docx": DOCX_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}


def _home(request, roles=FEDERATION_ROLES):
    """(the federation the page is about, the `?federation=` query that keeps it in links)."""
    require_role(request.user, *roles)
    asked = values.federation_asked(request.user, request.GET.get("federation"))
    home = asked or request.user.federation
    return home, ({"federation": asked.pk} if asked is not None else {})


def _url(name, query, *args):
    url = reverse(name, args=args)
    return f"{url}?{urlencode(query)}" if query else url


def _crumbs(*more):
    return [GROUP, (TITLE, "reports:annual"), *more] if more else [GROUP, (TITLE, None)]


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def annual(request):
    home, query = _home(request)
    form = YearForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                run = services.request_report(actor=request.user, federation=home, year=form.cleaned_data["year"])
            except Refused as exc:
                form.add_error(None, exc.message)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if run.status == ReportRun.Status.FAILED:
                    messages.error(request, f"{run}生成失败：{run.error}")
                else:
                    messages.success(request, f"已开始生成{run}，完成后可在下方下载。")
                return redirect(_url("reports:annual", query))
        status = 400
    template = selectors.template_in_use(home)
    return render(request, "reports/annual/index.html", {
        "title": TITLE, "breadcrumbs": _crumbs(), "form": form, "home": home, "query": query,
        "runs": selectors.runs_of(request.user, home), "template": template,
        "can_keep_template": selectors.can_keep_template(request.user),
        "template_download_url": _url("reports:template_download", query),
        "template_upload_url": _url("reports:template_upload", query),
        "template_reset_url": _url("reports:template_reset", query),
    }, status=status)


@never_cache
@login_required
def run_detail(request, pk):
    run = get_visible_or_404(selectors.runs_visible_to(request.user), pk)
    htmx = getattr(request, "htmx", None)
    if htmx:  # the polling of a row of the list, or of the status on this page
        fragment = "_run_status_dd.html" if htmx.target == "run-status" else "_run_row.html"
        return render(request, f"reports/annual/{fragment}", {"run": run})
    return render(request, "reports/annual/run.html", {
        "run": run, "title": str(run), "breadcrumbs": _crumbs((str(run), None)),
        "back_url": _url("reports:annual", {"federation": run.federation_id}
                         if run.federation_id != request.user.federation_id else {}),
    })


@login_required
def run_download(request, pk, kind):
    if kind not in KINDS:
        raise Http404("没有该文件。")
    run = get_visible_or_404(selectors.runs_visible_to(request.user), pk)
    name = run.docx_name if kind == "docx" else run.xlsx_name
    if run.status != ReportRun.Status.DONE or not name or not stored_path(name).exists():
        raise Http404("报告文件不存在或尚未生成完成。")
    filename = download_name(run, kind)
    record(AuditAction.EXPORT, actor=request.user, obj=run, object_repr=filename,
           detail={"kind": kind, "year": run.year, "federation": run.federation_id})
    return attachment_response(stored_path(name).read_bytes(), filename, KINDS[kind])


@never_cache
@login_required
def template_download(request):
    home, _ = _home(request)
    template = selectors.template_in_use(home)
    if template is not None:
        return download_response(TEMPLATE_FOLDER, template)
    return attachment_response(SHIPPED_TEMPLATE.read_bytes(), SHIPPED_NAME, DOCX_CONTENT_TYPE)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def template_upload(request):
    home, query = _home(request, EDITOR_ROLES)
    form = TemplateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            template = services.upload_template(actor=request.user, federation=home,
                                                upload=form.cleaned_data["file"], note=form.cleaned_data["note"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已启用新模板“{template.original_name}”，此后生成的报告按该模板排版。")
            return redirect(_url("reports:annual", query))
    return form_page(request, form=form, title="上传报告模板", breadcrumbs=_crumbs(("上传报告模板", None)),
                     cancel_url=_url("reports:annual", query), submit_label="上传并启用", multipart=True,
                     subject=home.name,
                     intro="先下载当前模板，在 Word 中修改版式或文字后另存为 .docx 上传；模板中的标记须保留原样。")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def template_reset(request):
    home, query = _home(request, EDITOR_ROLES)
    back = _url("reports:annual", query)
    if request.method == "POST":
        try:
            services.reset_template(actor=request.user, federation=home)
        except Refused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已恢复为系统模板。")
        return redirect(back)
    return render(request, "reports/annual/reset.html", {
        "title": "恢复系统模板", "breadcrumbs": _crumbs(("恢复系统模板", None)), "home": home, "back_url": back,
        "template": selectors.template_in_use(home),
    })
