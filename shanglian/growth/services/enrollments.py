"""Writes of 服务企业（双万双服）: enroll (create or edit), end (退出) and delete a service enrollment.

Each takes the acting user first and the values a form (or the import) parsed, checks the role and the scope
(`selectors.enrollments`: only the editors write, within their federations), checks the rules below, locks the rows
it depends on, saves and audits in one transaction (`common.records`). A rule broken is a `ValidationError` keyed
by the form's field, in Chinese, and nothing is written; a role that may not write gets `PermissionDenied`.

Rules:
- the enterprise is of the actor's federations; the enrollment belongs to the enterprise's federation;
- the programme is an active entry of the dictionary `service_programme`;
- 纳入日期 is not after today; 退出日期 (when given) is not before 纳入日期 nor after today;
- the liaison (when named) is a staff, leader or sysadmin user of the actor's federations;
- an enterprise is enrolled in a programme once at a time: a second open enrollment (no 退出日期) of the same
  enterprise and programme is refused (the enterprise's row is locked first, so two clicks record one; the
  database's constraint `growth_enrollment_one_open` backs it).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from shanglian.common.records import delete_or_refuse, record_saved, snapshot
from shanglian.members.models import Enterprise

from ..models import ServiceEnrollment
from ..selectors import enrollments as selectors

OUT_OF_SCOPE = "所选企业不存在或不在您的管理范围内。"
UNKNOWN_PROGRAMME = "请选择服务项目。"
NO_DATE = "请填写纳入日期。"
FUTURE_START = "纳入日期不能晚于今天。"
END_BEFORE_START = "退出日期不能早于纳入日期。"
FUTURE_END = "退出日期不能晚于今天。"
BAD_LIAISON = "所选联络员不存在或不在您的管理范围内。"
ALREADY_ENROLLED = "该企业已纳入“{programme}”（{day:%Y-%m-%d} 起），请勿重复纳入；如需重新纳入，请先办理退出。"
ALREADY_ENDED = "该企业已于 {day:%Y-%m-%d} 退出该服务项目。"


def _in(queryset, obj):
    return obj is not None and queryset.filter(pk=obj.pk).exists()


def enrollment_errors(*, actor, enterprise, programme, enrolled_on, ended_on=None, liaison=None, today=None):
    """The rules of one enrollment as {field: message} (empty when it passes); the open-enrollment rule is checked
    inside the transaction (`_refuse_open`)."""
    today = today or timezone.localdate()
    errors = {}
    if not _in(selectors.enrollable_enterprises(actor), enterprise):
        errors["enterprise"] = OUT_OF_SCOPE
    if not _in(selectors.programmes(), programme):
        errors["programme"] = UNKNOWN_PROGRAMME
    if enrolled_on is None:
        errors["enrolled_on"] = NO_DATE
    elif enrolled_on > today:
        errors["enrolled_on"] = FUTURE_START
    if ended_on is not None:
        if enrolled_on is not None and ended_on < enrolled_on:
            errors["ended_on"] = END_BEFORE_START
        elif ended_on > today:
            errors["ended_on"] = FUTURE_END
    if liaison is not None and not _in(selectors.liaisons_for(actor), liaison):
        errors["liaison"] = BAD_LIAISON
    return errors


def _refuse_open(*, enterprise, programme, ended_on, exclude=None):
    """Refuse a second open enrollment of the enterprise in the programme. Called inside the transaction after the
    enterprise's row is locked, so two posts of one form are checked one after the other."""
    if ended_on is not None:
        return
    Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
    same = ServiceEnrollment.objects.filter(enterprise=enterprise, programme=programme, ended_on__isnull=True)
    if exclude is not None:
        same = same.exclude(pk=exclude)
    found = same.order_by("pk").first()
    if found is not None:
        raise ValidationError({"__all__": ALREADY_ENROLLED.format(programme=programme.label, day=found.enrolled_on)})


def save_enrollment(*, actor, enrollment=None, enterprise, programme, enrolled_on, ended_on=None, liaison=None,
                    note=""):
    """Create (`enrollment` None) or edit an enrollment; returns it."""
    editable = selectors.enrollments_editable_by(actor)  # 403 first for a role that does not write
    errors = enrollment_errors(actor=actor, enterprise=enterprise, programme=programme, enrolled_on=enrolled_on,
                               ended_on=ended_on, liaison=liaison)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = None
        if enrollment is not None and enrollment.pk is not None:
            current = editable.select_related(None).select_for_update(of=("self",)).filter(pk=enrollment.pk).first()
            if current is None:
                raise PermissionDenied("您没有修改该服务企业记录的权限。")
            before = snapshot(current)
        else:
            current = ServiceEnrollment(enrolled_by=actor)
        _refuse_open(enterprise=enterprise, programme=programme, ended_on=ended_on, exclude=current.pk)
        current.federation_id, current.enterprise, current.programme = enterprise.federation_id, enterprise, programme
        current.enrolled_on, current.ended_on, current.liaison = enrolled_on, ended_on, liaison
        current.note = note or ""
        current.save()
        record_saved(actor=actor, obj=current, before=before)
    return current


def end_enrollment(*, actor, enrollment, ended_on):
    """退出: end an open enrollment on `ended_on` (not before it started, not after today)."""
    editable = selectors.enrollments_editable_by(actor)
    today = timezone.localdate()
    with transaction.atomic():
        current = editable.select_related(None).select_for_update(of=("self",)).filter(pk=enrollment.pk).first()
        if current is None:
            raise PermissionDenied("您没有修改该服务企业记录的权限。")
        if current.ended_on is not None:
            raise ValidationError({"__all__": ALREADY_ENDED.format(day=current.ended_on)})
        if ended_on is None:
            raise ValidationError({"ended_on": "请填写退出日期。"})
        if ended_on < current.enrolled_on:
            raise ValidationError({"ended_on": END_BEFORE_START})
        if ended_on > today:
            raise ValidationError({"ended_on": FUTURE_END})
        before = snapshot(current)
        current.ended_on = ended_on
        current.save(update_fields=["ended_on"])
        record_saved(actor=actor, obj=current, before=before, detail={"action": "end"})
    return current


def delete_enrollment(*, actor, enrollment):
    """Delete an enrollment recorded by mistake (an enterprise that leaves the programme is ended, not deleted)."""
    if not selectors.enrollments_editable_by(actor).filter(pk=enrollment.pk).exists():
        raise PermissionDenied("您没有删除该服务企业记录的权限。")
    delete_or_refuse(actor=actor, obj=enrollment)


__all__ = ["delete_enrollment", "end_enrollment", "enrollment_errors", "save_enrollment"]
