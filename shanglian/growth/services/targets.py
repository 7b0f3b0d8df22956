"""Writes of this year's recruitment targets (发展会员目标): save (create or edit) and delete, by the editors of the
target's federation (`selectors.prospects.targets_editable_by`), audited (`common.records`).

Rules: a federation of the editor's scope; a year between 2000 and next year; a category of `TargetCategory`; a
target of at least 1; one target per federation, year and category (a second one is refused in Chinese, nothing
written).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from shanglian.common.records import delete_or_refuse, record_saved, snapshot
from shanglian.orgs.models import Federation
from shanglian.orgs.selectors import federation_ids_in_scope

from ..models import RecruitmentTarget, TargetCategory
from ..selectors import prospects as selectors

FIRST_YEAR = 2000
MAX_TARGET = 100000
DUPLICATE = "{federation}{year}年“{category}”的目标已存在，请编辑原目标。"


def target_errors(actor, *, federation, year, category, target):
    errors = {}
    if federation is None or federation.pk not in federation_ids_in_scope(actor):
        errors["federation"] = "所选工商联不存在或不在您的管理范围内。"
    last = timezone.localdate().year + 1
    if not isinstance(year, int) or not FIRST_YEAR <= year <= last:
        errors["year"] = f"年度应在 {FIRST_YEAR} 年至 {last} 年之间。"
    if category not in TargetCategory.values:
        errors["category"] = "请选择类别。"
    if not isinstance(target, int) or not 1 <= target <= MAX_TARGET:
        errors["target"] = f"目标应为 1 至 {MAX_TARGET} 之间的整数。"
    return errors


def save_target(*, actor, target=None, federation=None, year, category, target_count, note=""):
    """Create (`target` None) or edit a target; returns it."""
    editable = selectors.targets_editable_by(actor)  # 403 first
    if federation is None and actor.federation_id is not None:
        federation = Federation.objects.filter(pk=actor.federation_id).first()
    errors = target_errors(actor, federation=federation, year=year, category=category, target=target_count)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = None
        if target is not None and target.pk is not None:
            current = editable.select_related(None).select_for_update().filter(pk=target.pk).first()
            if current is None:
                raise PermissionDenied("您没有修改该目标的权限。")
            before = snapshot(current)
        else:
            current = RecruitmentTarget()
        same = (RecruitmentTarget.objects.select_for_update().filter(federation=federation, year=year,
                                                                     category=category)
                .exclude(pk=current.pk).first())
        if same is not None:
            raise ValidationError({"__all__": DUPLICATE.format(federation=federation, year=year,
                                                               category=TargetCategory(category).label)})
        current.federation, current.year, current.category = federation, year, category
        current.target, current.note = target_count, (note or "").strip()
        current.save()
        record_saved(actor=actor, obj=current, before=before)
    return current


def delete_target(*, actor, target):
    if not selectors.targets_editable_by(actor).filter(pk=target.pk).exists():
        raise PermissionDenied("您没有删除该目标的权限。")
    delete_or_refuse(actor=actor, obj=target)


__all__ = ["delete_target", "save_target", "target_errors"]
