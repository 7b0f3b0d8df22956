"""The annual work report's writes: asking for a report (a `ReportRun` generated in the background), replacing the
Word template with one of the federation's own, and going back to the shipped template. The acting user first, the
role checked (the federation's roles generate — a leader too; the editors replace the template), the federation
within the actor's scope, the row locked, one audit row — in one transaction. A refused input raises
`ValidationError` (by field) or `Refused` in Chinese and writes nothing."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from shanglian.accounts.roles import EDITOR_ROLES, FEDERATION_ROLES, require_role
from shanglian.audit.models import AuditAction
from shanglian.audit.services import record
from shanglian.common.errors import Refused
from shanglian.common.records import record_saved
from shanglian.common.uploads import check_uploads, kept_files, remove_stored
from shanglian.orgs.models import Federation
from shanglian.orgs.selectors import federation_ids_in_scope

from ..annual.generate import TEMPLATE_FOLDER, check_template
from ..models import FIRST_YEAR, ReportRun, ReportTemplate
from ..selectors.annual import ACTIVE, template_in_use
from ..tasks import generate_report_task

# A run queued or running longer than this has lost its worker (a restart): it no longer blocks a new one.
STALE_AFTER = timedelta(hours=1)
STALE = "生成超时（后台任务已中断），请重新生成。"
BUSY = "{name}{year}年度工作报告正在生成，请等待完成后再试。"
MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
NOTE_LIMIT = 200


def _in_scope(actor, federation):
    if federation is None or federation.pk not in federation_ids_in_scope(actor):
        raise PermissionDenied("该工商联不在您的管理范围内。")
    return federation


def _year(year):
    this_year = timezone.localdate().year
    if not isinstance(year, int) or isinstance(year, bool) or not FIRST_YEAR <= year <= this_year:
        raise ValidationError({"year": [f"年度应为 {FIRST_YEAR} 至 {this_year} 年之间的整数。"]})
    return year


def request_report(*, actor, federation, year, enqueue=True):
    """Queue the annual work report of `federation` for `year` and hand it to the background task (at once in
    immediate mode). Refused while a run of the same federation and year is queued or running."""
    require_role(actor, *FEDERATION_ROLES)
    _in_scope(actor, federation)
    year = _year(year)
    with transaction.atomic():
        Federation.objects.select_for_update().get(pk=federation.pk)  # one asker at a time per federation
        ReportRun.objects.filter(federation=federation, status__in=ACTIVE,
                                 requested_at__lt=timezone.now() - STALE_AFTER).update(
            status=ReportRun.Status.FAILED, error=STALE, step="生成失败", finished_at=timezone.now())
        if ReportRun.objects.filter(federation=federation, year=year, status__in=ACTIVE).exists():
            raise Refused(BUSY.format(name=federation.name, year=year), code="report_running")
        run = ReportRun.objects.create(federation=federation, year=year, template=template_in_use(federation),
                                       requested_by=actor, step="排队中")
        record(AuditAction.CREATE, actor=actor, obj=run,
               detail={"year": year, "federation": federation.pk,
                       "template": run.template.original_name if run.template else "系统模板"})
    if enqueue:
        generate_report_task(run.pk)  # a Huey task: runs at once in immediate mode (tests)
        run.refresh_from_db()
    return run


def upload_template(*, actor, federation, upload, note=""):
    """Make `upload` the federation's Word template: a real docx (by its content) that renders the report's sample
    context (`annual.generate.check_template`); anything else is refused with the reason and nothing changes."""
    require_role(actor, *EDITOR_ROLES)
    _in_scope(actor, federation)
    note = (note or "").strip()
    if len(note) > NOTE_LIMIT:
        raise ValidationError({"note": [f"说明不能超过 {NOTE_LIMIT} 个字。"]})
    if upload is None:
        raise ValidationError({"file": ["请选择要上传的 Word（docx）模板文件。"]})
    checked = check_uploads([upload], max_files=1, max_bytes=MAX_TEMPLATE_BYTES, field="file")
    if not checked or checked[0].extension != "docx":
        raise ValidationError({"file": ["请上传 Word（docx）格式的模板，文件名后缀不作为依据。"]})
    try:
        check_template(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    with kept_files(TEMPLATE_FOLDER) as keeper, transaction.atomic():
        Federation.objects.select_for_update().get(pk=federation.pk)
        keeper.save(ReportTemplate, checked, federation=federation, uploaded_by=actor, note=note)
        template = ReportTemplate.objects.get(stored_name=keeper.names[-1])
        record_saved(actor=actor, obj=template)
    return template


def reset_template(*, actor, federation):
    """Go back to the shipped template: the federation's uploaded templates are deleted (audited, their files removed
    once the transaction commits); past runs keep their files. Refused when the shipped one is already in use."""
    require_role(actor, *EDITOR_ROLES)
    _in_scope(actor, federation)
    with transaction.atomic():
        Federation.objects.select_for_update().get(pk=federation.pk)
        templates = list(ReportTemplate.objects.select_for_update().filter(federation=federation))
        if not templates:
            raise Refused("当前使用的已是系统模板，无需恢复。", code="template_shipped")
        names = [template.stored_name for template in templates]
        for template in templates:
            record(AuditAction.DELETE, actor=actor, obj=template, detail={"reset": "恢复为系统模板"})
        ReportTemplate.objects.filter(pk__in=[template.pk for template in templates]).delete()
        transaction.on_commit(lambda: [remove_stored(TEMPLATE_FOLDER, name) for name in names])
    return len(templates)


__all__ = ["request_report", "reset_template", "upload_template"]
