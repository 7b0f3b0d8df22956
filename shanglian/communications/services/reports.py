"""Every change of a 调研报告 and of its documents: acting user first, role, scope, row lock, audit row — in one
transaction; a refused input raises `ValidationError` with Chinese messages by field and writes nothing.

- `save_report` records a report (the editors', in their own federation) or changes one, with the surveys and liaison
  visits it drew on (`selectors.reports.source_surveys` / `source_visits`: the user's scope), where it went (报送对象,
  日期) and the 批示 it received, and new documents (`common.uploads`: checked before anything is written, stored under
  "communications" by `kept_files`, removed again if the transaction fails); `remove_documents` drops some of its
  documents (their files go once the change is committed).
- `delete_report`: the report and its documents (audited by `common.records.delete_or_refuse`).

Rules: title, topic, method and the period (end not before start); 报送日期 needs 报送对象 and is not in the future; a
批示 needs the report submitted, the leader and the day (not before the submission, not in the future); the same title
twice in one federation is refused (a form posted twice records it once).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from shanglian.accounts.roles import EDITOR_ROLES, require_role
from shanglian.audit.models import AuditAction
from shanglian.audit.services import record
from shanglian.common.errors import raise_grouped
from shanglian.common.records import delete_or_refuse, record_saved, snapshot
from shanglian.common.uploads import check_with_uploads, kept_files, remove_stored

from ..models import ReportDocument, ResearchReport
from ..selectors import reports as selectors

FOLDER = "communications"
DOCUMENTS = "报告文件"
FIELDS = ("title", "topic", "period_start", "period_end", "method", "summary", "submitted_to", "submitted_on",
          "instructed", "instructed_by", "instructed_on", "instruction")
TEXTS = ("title", "topic", "summary", "instructed_by", "instruction")
SAME_TITLE = "已有同名的调研报告，请勿重复登记。"


def _text(value):
    return (value or "").strip()


def _ids(values):
    return {getattr(v, "pk", v) for v in values or ()}


def check_report(actor, data, *, report=None, today=None):
    """Every rule of a report's fields, before anything is written: returns the cleaned values with the chosen
    `surveys` and `visits` (records), or raises ValidationError (Chinese, by field)."""
    today = today or timezone.localdate()
    values = {name: data.get(name) for name in FIELDS}
    for name in TEXTS:
        values[name] = _text(values[name])
    values["submitted_to"] = values["submitted_to"] or ""
    values["instructed"] = bool(values["instructed"])
    errors = []
    for name, label in (("title", "报告标题"), ("topic", "调研主题")):
        if not values[name]:
            errors.append((name, f"请填写{label}。"))
    if values["method"] not in ResearchReport.Method.values:
        errors.append(("method", "请选择调研方式。"))
    if values["submitted_to"] not in ResearchReport.Destination.values:
        errors.append(("submitted_to", "请选择报送对象。"))
    start, end = values["period_start"], values["period_end"]
    if start is None:
        errors.append(("period_start", "请填写调研开始日期。"))
    if end is None:
        errors.append(("period_end", "请填写调研结束日期。"))
    if start and end and end < start:
        errors.append(("period_end", "调研结束日期不能早于开始日期。"))
    submitted_on = values["submitted_on"]
    if submitted_on and not values["submitted_to"]:
        errors.append(("submitted_to", "填写了报送日期，请选择报送对象。"))
    if submitted_on and submitted_on > today:
        errors.append(("submitted_on", "报送日期不能晚于今天。"))
    if submitted_on and start and submitted_on < start:
        errors.append(("submitted_on", "报送日期不能早于调研开始日期。"))
    if values["instructed"]:
        if not values["submitted_to"]:
            errors.append(("instructed", "报告尚未报送，不能登记批示；请先选择报送对象。"))
        if not values["instructed_by"]:
            errors.append(("instructed_by", "获得批示的报告请填写批示领导。"))
        day = values["instructed_on"]
        if day is None:
            errors.append(("instructed_on", "获得批示的报告请填写批示日期。"))
        elif day > today:
            errors.append(("instructed_on", "批示日期不能晚于今天。"))
        elif submitted_on and day < submitted_on:
            errors.append(("instructed_on", "批示日期不能早于报送日期。"))
    else:  # no 批示: nothing of it is kept
        values.update(instructed_by="", instructed_on=None, instruction="")
    current_surveys = _ids(report.surveys.all()) if report is not None else set()
    current_visits = _ids(report.visits.all()) if report is not None else set()
    wanted = _ids(data.get("surveys"))
    surveys = list(selectors.source_surveys(actor, current=current_surveys).filter(pk__in=wanted))
    if len(surveys) != len(wanted):
        errors.append(("surveys", "所选问卷不存在或不在您的管理范围内。"))
    wanted = _ids(data.get("visits"))
    visits = list(selectors.source_visits(actor, current=current_visits).filter(pk__in=wanted))
    if len(visits) != len(wanted):
        errors.append(("visits", "所选走访记录不存在或不在您的管理范围内。"))
    for name in TEXTS:
        limit = ResearchReport._meta.get_field(name).max_length
        if limit and len(values[name]) > limit:
            label = ResearchReport._meta.get_field(name).verbose_name
            errors.append((name, f"{label}不能超过 {limit} 字（现为 {len(values[name])} 字）。"))
    raise_grouped(errors)
    values["surveys"], values["visits"] = surveys, visits
    return values


def _federation_id(actor, report):
    if report is not None:
        return report.federation_id
    if actor.federation_id is None:
        raise ValidationError({"__all__": ["您的账号未关联工商联，不能登记调研报告。"]})
    return actor.federation_id


def _locked(actor, report):
    editable = selectors.reports_editable_by(actor)  # 403 for a reader
    pk = getattr(report, "pk", report)
    locked = ResearchReport.objects.select_for_update().filter(pk=pk).first()
    if locked is None or not editable.filter(pk=pk).exists():
        raise PermissionDenied("您没有修改该调研报告的权限。")
    return locked


def save_report(*, actor, data, report=None, files=(), remove_documents=()):
    """Record a report (`report` None) or change one; `data` = FIELDS + surveys, visits (records or ids); `files`
    are new documents, `remove_documents` documents of this report to drop. Returns the report."""
    require_role(actor, *EDITOR_ROLES)
    if report is not None:
        report = selectors.reports_editable_by(actor).filter(pk=getattr(report, "pk", report)).first()
        if report is None:
            raise PermissionDenied("您没有修改该调研报告的权限。")
    values, checked = check_with_uploads(lambda: check_report(actor, data, report=report), files, field="documents")
    federation_id = _federation_id(actor, report)
    removed_ids = _ids(remove_documents)
    with kept_files(FOLDER) as keeper, transaction.atomic():
        before = None
        if report is not None:
            obj = _locked(actor, report)
            before = snapshot(obj)
        else:
            obj = ResearchReport(created_by=actor, federation_id=federation_id)
        same = ResearchReport.objects.filter(federation_id=federation_id, title=values["title"])
        if obj.pk is not None:
            same = same.exclude(pk=obj.pk)
        if same.exists():
            raise ValidationError({"title": [SAME_TITLE]})
        for name in FIELDS:
            setattr(obj, name, values[name])
        obj.full_clean(exclude=["created_by", "surveys", "visits"])
        obj.save()
        obj.surveys.set(values["surveys"])
        obj.visits.set(values["visits"])
        gone = list(obj.documents.filter(pk__in=removed_ids))
        if len(gone) != len(removed_ids):
            raise ValidationError({"remove_documents": ["所选文件不属于该报告或已被删除。"]})
        keeper.save(ReportDocument, checked, report=obj, uploaded_by=actor)
        added = [item.name for item in checked]
        if before is None:
            record_saved(actor=actor, obj=obj, detail={"documents": added} if added else None)
        else:
            record_saved(actor=actor, obj=obj, before=before)
        if before is not None and (added or gone):
            record(AuditAction.UPDATE, actor=actor, obj=obj, detail={"changes": [
                *({"field": DOCUMENTS, "old": "", "new": name} for name in added),
                *({"field": DOCUMENTS, "old": doc.original_name, "new": ""} for doc in gone)]})
        stored = [doc.stored_name for doc in gone]
        for doc in gone:
            doc.delete()
        transaction.on_commit(lambda: [remove_stored(FOLDER, name) for name in stored])
    return obj


def delete_report(*, actor, report):
    """Delete a report with its documents (audited); their files go once the deletion is committed."""
    with transaction.atomic():
        locked = _locked(actor, report)
        stored = list(locked.documents.values_list("stored_name", flat=True))
        delete_or_refuse(actor=actor, obj=locked, along=("documents",))
        transaction.on_commit(lambda: [remove_stored(FOLDER, name) for name in stored])


__all__ = ["FIELDS", "FOLDER", "check_report", "delete_report", "save_report"]
