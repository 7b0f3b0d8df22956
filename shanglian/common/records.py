"""The records kit: what every staff create/edit/delete page of a plain record shares.

A service that saves a record takes a `snapshot(obj)` before changing it and calls
`record_saved(actor=…, obj=…, before=…)` after saving, in its transaction: one audit row of kind
`create` (before is None) or `update` whose `detail["changes"]` lists what changed as
`[{"field": "<the field's Chinese label>", "old": "…", "new": "…"}]` — the format the audit log's
detail view and every record's 变更记录 (`history(obj)`) show. Personal values (the encrypted fields:
ID numbers, mobiles) are never written: their change is recorded as `（已修改）`.

A service that deletes a record calls `delete_or_refuse(actor=…, obj=…)`: when any other record still
points at it (a chamber with members, a street with enterprises, a department with assignments …) it
raises `Refused` naming what depends on it and deletes nothing; `along=` names the reverse relations
that are parts of the record and go with it (a person's 企业任职 links). Otherwise the deletion is
audited and done. `dependents(obj)` gives the same list to a confirmation page before it is asked.
"""

import datetime
import decimal
from collections import Counter

from django.db import transaction
from django.db.models.deletion import ProtectedError, RestrictedError

from shanglian.audit.models import AuditAction, AuditEvent
from shanglian.audit.services import record

from .errors import Refused
from .fields import BlindIndexField, EncryptedTextField

SECRET_OLD = "******"
SECRET_NEW = "（已修改）"
_SECRET = object()


def _tracked_fields(model):
    """The fields a person edits: concrete, editable, not the key, not an index, not a timestamp."""
    for field in model._meta.get_fields():
        if field.auto_created or not getattr(field, "editable", False) or isinstance(field, BlindIndexField):
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        if field.concrete or field.many_to_many:
            yield field


def _display(obj, field):
    if isinstance(field, EncryptedTextField):
        value = getattr(obj, field.attname)
        return (_SECRET, value) if value else ""
    if field.many_to_many:
        if obj.pk is None:
            return ""
        return "、".join(sorted(str(item) for item in getattr(obj, field.name).all()))
    if field.is_relation:
        related = getattr(obj, field.name, None) if getattr(obj, field.attname) is not None else None
        return str(related) if related is not None else ""
    value = getattr(obj, field.attname)
    if value is None or value == "":
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    return str(value)


def snapshot(obj):
    """The record as a person reads it, field by field ({name: text}); take it before a change."""
    return {field.name: _display(obj, field) for field in _tracked_fields(type(obj))}


def changes(model, before, after):
    """What differs between two snapshots, as the audit row keeps it (labels, never a personal value)."""
    rows = []
    for field in _tracked_fields(model):
        old, new = before.get(field.name, ""), after.get(field.name, "")
        if old == new:
            continue
        label = str(field.verbose_name)
        if isinstance(old, tuple) or isinstance(new, tuple):
            rows.append({"field": label, "old": SECRET_OLD if old else "", "new": SECRET_NEW if new else "（已清除）"})
        else:
            rows.append({"field": label, "old": old, "new": new})
    return rows


def record_saved(*, actor, obj, before=None, detail=None):
    """Audit a created (`before` is None) or updated record with its changes; nothing when nothing changed.

    Call it after the save (and after the many-to-many fields are set), inside the service's transaction.
    Returns the audit event, or None."""
    after = snapshot(obj)
    if before is None:
        diff = changes(type(obj), {}, after)
        return record(AuditAction.CREATE, actor=actor, obj=obj, detail={**(detail or {}), "changes": diff})
    diff = changes(type(obj), before, after)
    if not diff:
        return None
    return record(AuditAction.UPDATE, actor=actor, obj=obj, detail={**(detail or {}), "changes": diff})


def dependents(obj, *, along=()):
    """The records that still point at `obj`: [(label, count)], e.g. [("工商联会员", 3)]; `along` names the
    reverse relations (accessor names) that belong to the record and would go with it."""
    found = []
    for relation in obj._meta.related_objects:
        accessor = relation.get_accessor_name()
        if accessor in along or relation.related_model is AuditEvent:
            continue
        if relation.many_to_many:
            count = relation.related_model._base_manager.filter(**{relation.field.name: obj}).count()
        else:
            count = relation.related_model._base_manager.filter(**{relation.field.name: obj.pk}).count()
        if count:
            found.append((str(relation.related_model._meta.verbose_name), count))
    return found


def refusal_text(obj, found):
    listed = "、".join(f"{label} {count} 条" for label, count in found)
    return f"不能删除{obj._meta.verbose_name}“{obj}”：还有{listed}与它关联。请先处理这些记录，或把它标为停用/退会。"


def delete_or_refuse(*, actor, obj, along=(), detail=None):
    """Delete `obj` and audit it, or raise `Refused` naming what depends on it (nothing is deleted)."""
    with transaction.atomic():
        model = type(obj)
        obj = model._base_manager.select_for_update().get(pk=obj.pk)
        found = dependents(obj, along=along)
        if found:
            raise Refused(refusal_text(obj, found), code="has_dependents")
        record(AuditAction.DELETE, actor=actor, obj=obj,
               detail={**(detail or {}), "changes": changes(model, snapshot(obj), {})})
        try:
            with transaction.atomic():
                obj.delete()
        except (ProtectedError, RestrictedError) as exc:
            # A protected row deeper than one hop (a dependent of something `along` takes with it).
            blocking = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", ())
            found = Counter(str(item._meta.verbose_name) for item in blocking)
            raise Refused(refusal_text(obj, sorted(found.items())), code="has_dependents") from None


def history(obj):
    """The record's audit rows (created, changed, deleted), newest first, with their actors."""
    object_type = f"{obj._meta.app_label}.{obj._meta.model_name}"
    return (AuditEvent.objects.filter(object_type=object_type, object_id=str(obj.pk),
                                      action__in=[AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE])
            .select_related("actor").order_by("-id"))
