"""Writes of the representative-figures database: a person's political arrangements (政治安排), honours and
cultivation plans. The editors (`EDITOR_ROLES`) of the person's federation only; each write locks the person's
row, so two arrangements of one seat cannot be saved at once past each other's overlap check, runs in one
transaction and is audited through the records kit (`common.records`: the changes; `detail["person"]` names
the person, whose profile shows the rows as its 变更记录).

The rules are the models' (`Arrangement.clean`: 届满日期 not before 起始日期, no overlap with another
arrangement of the same seat — person, kind, level), checked again here under the lock; the import
(`imports/representatives.py`) checks its rows with the same `check_arrangement`. A refused value raises
`ValidationError` with the Chinese reason and nothing is written.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from shanglian.accounts.roles import EDITOR_ROLES, require_role
from shanglian.common.records import delete_or_refuse, record_saved, snapshot
from shanglian.members.models import Person
from shanglian.members.selectors import persons_editable_by

from ..models import Arrangement, Cultivation, PersonHonour
from ..selectors.representatives import (
    arrangements_editable_by,
    cultivations_editable_by,
    honours_editable_by,
)

ARRANGEMENT_FIELDS = ("kind", "level", "role", "term", "sector", "start", "end", "note")
CULTIVATION_FIELDS = ("plan", "start", "end", "status", "note")


def check_arrangement(arrangement):
    """The rules of one arrangement (unsaved or changed): its values (choices, lengths), 届满日期 not before
    起始日期 and no overlap with another arrangement of its seat. Raises `ValidationError` in Chinese."""
    arrangement.full_clean(exclude=("federation", "person"), validate_constraints=False)


def _locked_person(actor, person):
    """`person` locked for the write (inside the caller's transaction), once it is known to be the actor's to
    change: PermissionDenied for a reader, 404-worthy absence → PermissionDenied for another scope."""
    editable = persons_editable_by(actor)
    locked = Person.objects.select_for_update().filter(pk=person.pk, pk__in=editable.values("pk")).first()
    if locked is None:
        raise PermissionDenied("您无权修改该人士的信息。")
    return locked


def _locked_record(editable, obj, person):
    current = editable.select_related(None).select_for_update(of=("self",)).filter(pk=obj.pk).first()
    if current is None or current.person_id != person.pk:
        raise PermissionDenied("您无权修改该记录。")
    return current


# --- arrangements ------------------------------------------------------------------------------------------
def save_arrangement(*, actor, person, arrangement=None, **fields):
    """Add an arrangement to `person` (`arrangement` None) or change one of theirs; `fields` are
    `ARRANGEMENT_FIELDS`. Refused (ValidationError, nothing written): an end before the start, a period
    meeting another arrangement of the same seat."""
    require_role(actor, *EDITOR_ROLES)
    unknown = set(fields) - set(ARRANGEMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown arrangement fields: {sorted(unknown)}")
    with transaction.atomic():
        person = _locked_person(actor, person)
        if arrangement is None:
            obj, before = Arrangement(federation_id=person.federation_id, person=person), None
        else:
            obj = _locked_record(arrangements_editable_by(actor), arrangement, person)
            before = snapshot(obj)
        for name, value in fields.items():
            setattr(obj, name, "" if value is None and name in ("sector", "note", "role") else value)
        if not obj.role:
            obj.role = Arrangement.Role.MEMBER
        check_arrangement(obj)
        obj.save()
        record_saved(actor=actor, obj=obj, before=before, detail={"person": person.pk})
    return obj


def delete_arrangement(*, actor, arrangement):
    require_role(actor, *EDITOR_ROLES)
    if not arrangements_editable_by(actor).filter(pk=arrangement.pk).exists():
        raise PermissionDenied("您无权删除该记录。")
    delete_or_refuse(actor=actor, obj=arrangement, detail={"person": arrangement.person_id})


# --- honours -------------------------------------------------------------------------------------------------
def save_honour(*, actor, person, title, year, conferred_by=""):
    """Record an honour of `person` (荣誉名称, 授予单位, 年度)."""
    require_role(actor, *EDITOR_ROLES)
    if year is not None and year > timezone.localdate().year:
        raise ValidationError({"year": "年度不能晚于今年。"})
    with transaction.atomic():
        person = _locked_person(actor, person)
        honour = PersonHonour(federation_id=person.federation_id, person=person, title=title,
                              conferred_by=conferred_by or "", year=year)
        honour.full_clean(exclude=("federation", "person"))
        honour.save()
        record_saved(actor=actor, obj=honour, detail={"person": person.pk})
    return honour


def delete_honour(*, actor, honour):
    require_role(actor, *EDITOR_ROLES)
    if not honours_editable_by(actor).filter(pk=honour.pk).exists():
        raise PermissionDenied("您无权删除该记录。")
    delete_or_refuse(actor=actor, obj=honour, detail={"person": honour.person_id})


# --- cultivation plans ---------------------------------------------------------------------------------------
def save_cultivation(*, actor, person, cultivation=None, **fields):
    """Put `person` in a cultivation plan (`cultivation` None) or change an entry; `fields` are
    `CULTIVATION_FIELDS` (the plan is a `cultivation_plan` dictionary item). An end before the start is
    refused."""
    require_role(actor, *EDITOR_ROLES)
    unknown = set(fields) - set(CULTIVATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown cultivation fields: {sorted(unknown)}")
    with transaction.atomic():
        person = _locked_person(actor, person)
        if cultivation is None:
            obj, before = Cultivation(federation_id=person.federation_id, person=person), None
        else:
            obj = _locked_record(cultivations_editable_by(actor), cultivation, person)
            before = snapshot(obj)
        plan = fields.get("plan")
        if plan is not None and (plan.kind != "cultivation_plan" or (plan.pk != obj.plan_id and not plan.is_active)):
            raise ValidationError({"plan": "请选择有效的培养计划。"})
        for name, value in fields.items():
            setattr(obj, name, "" if value is None and name == "note" else value)
        if not obj.status:
            obj.status = Cultivation.Status.ACTIVE
        obj.full_clean(exclude=("federation", "person"), validate_constraints=False)
        obj.save()
        record_saved(actor=actor, obj=obj, before=before, detail={"person": person.pk})
    return obj


def delete_cultivation(*, actor, cultivation):
    require_role(actor, *EDITOR_ROLES)
    if not cultivations_editable_by(actor).filter(pk=cultivation.pk).exists():
        raise PermissionDenied("您无权删除该记录。")
    delete_or_refuse(actor=actor, obj=cultivation, detail={"person": cultivation.person_id})
