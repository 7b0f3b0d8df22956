"""合并: one enterprise (or person) absorbed into the record kept, losing nothing.

Every table of every app that points at the model is found, never listed: the model's reverse relations
(`_meta.get_fields(include_hidden=True)` — `_meta.related_objects` and the hidden ones too: `related_name="+"`, the
auto-created through tables of many-to-many fields). Each row pointing at the absorbed record is moved to the kept
one. A row that would then break a unique constraint because the kept record already has an equal one is
*folded*: when it is the same in every other field (a pure link: an 企业任职, a party organisation's covered
enterprise, …) and nothing points at it, it is removed and its values are kept in `MergeRecord.folded`. Anything
else — a federation `Membership` on both, two rows that differ (two invitations to one event answered
differently, two chamber memberships) — refuses the whole merge, naming what to resolve first; nothing is written.

The merge locks both records (`select_for_update`, in id order, so two staff merging the same pair or crossing
pairs wait for each other and the second finds the absorbed record gone: a refusal, not an error), writes a
`MergeRecord` (the absorbed record as it was, masked where personal; every moved row by table; every folded row)
and two audit entries (an update of the kept record, a deletion of the absorbed one), and removes the absorbed
record. A record is never merged into itself, nor across federations.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils import timezone

from shanglian.accounts.roles import EDITOR_ROLES, require_role
from shanglian.audit.models import AuditAction
from shanglian.audit.services import record
from shanglian.common.errors import Refused
from shanglian.common.fields import BlindIndexField, EncryptedTextField
from shanglian.common.masking import mask_id_number, mask_mobile
from shanglian.common.records import changes, snapshot
from shanglian.orgs.selectors import federation_ids_in_scope

from .models import DuplicateCandidate, Enterprise, Membership, MergeRecord, Person
from .signals import chamber_memberships_written

KINDS = {Enterprise: DuplicateCandidate.Kind.ENTERPRISE, Person: DuplicateCandidate.Kind.PERSON}
NEVER_FOLDED = (Membership,)  # a federation membership on both records is resolved by a person, never folded
# Derived rows (a summary another app maintains) that both records may hold for the same key with different values:
# the kept row takes the earliest of the two, the absorbed one is folded. Named by label: members imports no app above.
DERIVED_EARLIEST = {"appeals.appealreach": "first_day"}  # the day of the enterprise's first appeal (服务企业数)


@dataclass(frozen=True)
class Relation:
    """One foreign key (or one-to-one) of some app's table pointing at the merged model."""

    model: type
    field: models.Field

    @property
    def key(self):
        return f"{self.model._meta.label_lower}.{self.field.name}"

    @property
    def label(self):
        return relation_label(self.model, self.field)


def relation_label(model, fk):
    """The table's Chinese name; an auto-created through table is named after its many-to-many field."""
    owner = model._meta.auto_created
    if owner:
        for m2m in owner._meta.many_to_many:
            if m2m.remote_field.through is model:
                return f"{owner._meta.verbose_name}·{m2m.verbose_name}"
    name = str(model._meta.verbose_name)
    others = [f for f in model._meta.concrete_fields if f.is_relation and f.related_model is fk.related_model]
    return f"{name}（{fk.verbose_name}）" if len(others) > 1 else name


def relations(model):
    """Every FK / one-to-one of every installed app pointing at `model`, hidden ones included (many-to-many
    relations are reached through their through table's FK). The duplicate queue's own pairs are not among
    them: `_carry_candidates` moves those."""
    found = []
    for rel in model._meta.get_fields(include_hidden=True):
        if not rel.auto_created or rel.concrete or rel.many_to_many:
            continue
        if rel.related_model is DuplicateCandidate:
            continue
        found.append(Relation(rel.related_model, rel.field))
    return sorted(found, key=lambda r: r.key)


def _unique_sets(model, fk):
    """The unique rules that include `fk`: [(other field attnames, condition or None)]."""
    sets = []
    if fk.unique:
        sets.append(((), None))
    for together in model._meta.unique_together:
        if fk.name in together:
            sets.append((tuple(model._meta.get_field(n).attname for n in together if n != fk.name), None))
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields and fk.name in constraint.fields:
            others = tuple(model._meta.get_field(n).attname for n in constraint.fields if n != fk.name)
            sets.append((others, constraint.condition))
    return sets


def _compared_fields(model, fk):
    """The fields two rows must share to be one: every concrete field but the key, the merged FK and timestamps."""
    return [f for f in model._meta.concrete_fields
            if not f.primary_key and f is not fk and not isinstance(f, BlindIndexField)
            and not getattr(f, "auto_now", False) and not getattr(f, "auto_now_add", False)]


def _same(row, other, model, fk):
    return all(getattr(row, f.attname) == getattr(other, f.attname) for f in _compared_fields(model, fk))


def _dependants(row):
    """[(label, count)] of the rows of any table that point at `row`."""
    found = []
    for relation in relations(type(row)):
        count = relation.model._base_manager.filter(**{relation.field.attname: row.pk}).count()
        if count:
            found.append((relation.label, count))
    return found


def _values(row):
    """A folded row's values as text for the merge record (never a personal value)."""
    values = {}
    for f in type(row)._meta.concrete_fields:
        if isinstance(f, BlindIndexField):
            continue
        value = getattr(row, f.attname)
        if isinstance(f, EncryptedTextField):
            value = "（已填写）" if value else ""
        values[f.attname] = "" if value is None else str(value)
    return values


@dataclass
class Step:
    relation: Relation
    move: list = field(default_factory=list)  # ids moved to the kept record
    fold: list = field(default_factory=list)  # (row, the kept record's equal row)


@dataclass
class MergePlan:
    steps: list
    blockers: list

    @property
    def moved_count(self):
        return sum(len(step.move) for step in self.steps)

    @property
    def folded_count(self):
        return sum(len(step.fold) for step in self.steps)

    def rows(self):
        """[(table, moved, folded)] of the tables with anything to do, for the confirmation page."""
        return [(step.relation.label, len(step.move), len(step.fold)) for step in self.steps if step.move or step.fold]


def _conflict(relation, row, kept, sets):
    """The kept record's row that `row` would duplicate under a unique rule, or None."""
    model, fk = relation.model, relation.field
    for others, condition in sets:
        values = {name: getattr(row, name) for name in others}
        if any(value is None for value in values.values()):
            continue  # NULL never equals NULL in a unique index
        if condition is not None and not model._base_manager.filter(pk=row.pk).filter(condition).exists():
            continue
        qs = model._base_manager.filter(**{fk.attname: kept.pk}, **values)
        if condition is not None:
            qs = qs.filter(condition)
        existing = qs.exclude(pk=row.pk).first()
        if existing is not None:
            return existing
    return None


def _blocker(relation, row, existing, found):
    model = relation.model
    noun = relation.label
    if model in NEVER_FOLDED:
        return (f"两条记录都有{noun}（“{existing}”与“{row}”），请先将被合并记录的{noun}办理退会或删除，再合并")
    if found:
        listed = "、".join(f"{label} {count} 条" for label, count in found)
        return f"{noun}“{row}”与保留记录的“{existing}”重复，且还有{listed}与它关联，请先处理"
    return f"{noun}“{row}”与保留记录的“{existing}”重复但内容不同，请先删除或修改其中一条"


def plan(kept, absorbed):
    """What a merge of `absorbed` into `kept` would do, and what refuses it (read-only)."""
    steps, blockers = [], []
    for relation in relations(type(kept)):
        model, fk = relation.model, relation.field
        rows = list(model._base_manager.filter(**{fk.attname: absorbed.pk}).order_by("pk"))
        if not rows:
            continue
        step = Step(relation)
        sets = _unique_sets(model, fk)
        check = bool(sets) and model._base_manager.filter(**{fk.attname: kept.pk}).exists()
        for row in rows:
            existing = _conflict(relation, row, kept, sets) if check else None
            if existing is None:
                step.move.append(row.pk)
                continue
            found = _dependants(row)
            derived = model._meta.label_lower in DERIVED_EARLIEST
            if model in NEVER_FOLDED or found or not (derived or _same(row, existing, model, fk)):
                blockers.append(_blocker(relation, row, existing, found))
            else:
                step.fold.append((row, existing))
        steps.append(step)
    return MergePlan(steps=steps, blockers=blockers)


def related_counts(obj):
    """[(table, rows)] of every table pointing at `obj` (the compare page: what each record carries)."""
    return _dependants(obj)


def masked_snapshot(obj):
    """The record as a person read it ({field label: text}); personal values masked, never stored whole."""
    model = type(obj)
    shown = {}
    for name, value in snapshot(obj).items():
        f = model._meta.get_field(name)
        if isinstance(value, tuple):
            plain = value[1]
            value = mask_mobile(plain) if "mobile" in name else mask_id_number(plain) if "id_number" in name \
                else "（已填写）"
        shown[str(f.verbose_name)] = value
    return shown


def _check_scope(actor, kept, absorbed):
    """Both records in the editor's scope (403 before anything of them is named), then in one federation."""
    if not {kept.federation_id, absorbed.federation_id} <= set(federation_ids_in_scope(actor)):
        raise PermissionDenied("您没有访问该功能的权限。")
    if kept.federation_id != absorbed.federation_id:
        raise Refused(f"不能跨工商联合并：“{kept}”属于{kept.federation}，“{absorbed}”属于{absorbed.federation}。",
                      code="merge_across_federations")


def _keep_earliest(relation, folds):
    """A derived row folded: the kept record's row takes the earlier value of the two."""
    name = DERIVED_EARLIEST.get(relation.model._meta.label_lower)
    if name is None:
        return
    for row, existing in folds:
        if getattr(row, name) < getattr(existing, name):
            relation.model._base_manager.filter(pk=existing.pk).update(**{name: getattr(row, name)})


def _announce(model, kept):
    """Chamber memberships were repointed without save(): the apps that follow them recompute the kept
    enterprise's rows (`members.signals.chamber_memberships_written`, as after the member import)."""
    if model is not Enterprise:
        return
    from .models import ChamberMembership

    pairs = sorted((chamber_id, kept.pk) for chamber_id in ChamberMembership.objects.filter(enterprise=kept)
                   .values_list("chamber_id", flat=True))
    if pairs:
        chamber_memberships_written.send(sender=ChamberMembership, pairs=pairs)


def _carry_candidates(model, kept, absorbed, candidate):
    """The queue's other pairs with the absorbed record now name the kept one (older first); a pair that would
    name the kept record twice, or repeat a pair already queued, goes. The merged pair itself goes with the
    absorbed record (its reasons are in the merge record)."""
    kind = KINDS[model]
    first, second = f"first_{kind}_id", f"second_{kind}_id"
    pairs = DuplicateCandidate.objects.select_for_update().filter(
        models.Q(**{first: absorbed.pk}) | models.Q(**{second: absorbed.pk}))
    if candidate is not None:
        pairs = pairs.exclude(pk=candidate.pk)
    for pair in pairs.order_by("pk"):
        ids = [getattr(pair, first), getattr(pair, second)]
        ids = sorted(kept.pk if pk == absorbed.pk else pk for pk in ids)
        taken = DuplicateCandidate.objects.filter(kind=kind, **{first: ids[0], second: ids[1]}).exclude(pk=pair.pk)
        if ids[0] == ids[1] or taken.exists():
            pair.delete()
        else:
            DuplicateCandidate.objects.filter(pk=pair.pk).update(**{first: ids[0], second: ids[1]})


def merge(*, actor, kept, absorbed, reason, candidate=None):
    """Merge `absorbed` into `kept` (two enterprises or two persons of one federation); returns the MergeRecord.
    Raises `Refused` (nothing written) for a record merged into itself, across federations, already gone, or
    when a related row cannot be moved or folded."""
    require_role(actor, *EDITOR_ROLES)
    model = type(kept)
    if model not in KINDS or type(absorbed) is not model:
        raise Refused("只能合并两家企业或两位人士。", code="merge_kind")
    if kept.pk == absorbed.pk:
        raise Refused(f"不能把“{kept}”合并到它自己：请选择另一条记录。", code="merge_into_itself")
    reason = (reason or "").strip()
    if not reason:
        raise Refused("请填写合并理由。", code="merge_reason")
    with transaction.atomic():
        locked = {obj.pk: obj for obj in model._base_manager.select_for_update()
                  .filter(pk__in=[kept.pk, absorbed.pk]).order_by("pk")}
        if len(locked) < 2:
            raise Refused("其中一条记录已被合并或删除，请刷新页面后再处理。", code="merge_gone")
        kept, absorbed = locked[kept.pk], locked[absorbed.pk]
        _check_scope(actor, kept, absorbed)
        if candidate is not None:
            candidate = DuplicateCandidate.objects.select_for_update().filter(pk=candidate.pk).first()
            kind = KINDS[model]
            pair = {getattr(candidate, f"first_{kind}_id"), getattr(candidate, f"second_{kind}_id")} \
                if candidate is not None and candidate.kind == kind else set()
            if candidate is None or candidate.status != DuplicateCandidate.Status.OPEN:
                raise Refused("这组疑似重复已被处理（合并或标为非重复），请刷新页面。", code="candidate_decided")
            if pair != {kept.pk, absorbed.pk}:
                raise Refused("所选记录不属于这组疑似重复。", code="candidate_mismatch")
        result = plan(kept, absorbed)
        if result.blockers:
            raise Refused("不能合并：" + "；".join(result.blockers) + "。", code="merge_blocked")

        moved, folded = {}, {}
        for step in result.steps:
            relation = step.relation
            if step.fold:
                folded[relation.key] = {"label": relation.label, "rows": [
                    {"id": row.pk, "into": existing.pk, "values": _values(row)} for row, existing in step.fold]}
                relation.model._base_manager.filter(pk__in=[row.pk for row, _ in step.fold]).delete()
                _keep_earliest(relation, step.fold)
            if step.move:
                relation.model._base_manager.filter(pk__in=step.move).update(**{relation.field.attname: kept.pk})
                moved[relation.key] = {"label": relation.label, "ids": step.move}
        _carry_candidates(model, kept, absorbed, candidate)
        _announce(model, kept)

        if candidate is not None:  # the pair stays in the queue as 已合并 (its absorbed side emptied by the delete)
            DuplicateCandidate.objects.filter(pk=candidate.pk).update(
                status=DuplicateCandidate.Status.MERGED, decided_by=actor, decided_at=timezone.now(),
                note=reason[:200])
        before = snapshot(absorbed)
        shown = masked_snapshot(absorbed)
        absorbed_id, absorbed_name = absorbed.pk, str(absorbed)
        try:
            with transaction.atomic():
                absorbed.delete()
        except (ProtectedError, RestrictedError) as exc:  # a table added while we worked: refuse, write nothing
            blocking = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", ())
            labels = sorted({str(item._meta.verbose_name) for item in blocking})
            raise Refused(f"不能合并：还有{'、'.join(labels)}与被合并记录关联，请刷新后重试。", code="merge_blocked") from None

        kind = KINDS[model]
        merge_record = MergeRecord.objects.create(
            federation_id=kept.federation_id, kind=kind, **{f"kept_{kind}": kept},
            absorbed_id=absorbed_id, absorbed_name=absorbed_name[:200],
            absorbed_snapshot={
                "fields": shown,
                "candidate": None if candidate is None else {
                    "id": candidate.pk, "reasons": candidate.reasons,
                    "found_at": timezone.localtime(candidate.found_at).isoformat()},
            },
            moved=moved, folded=folded, reason=reason[:300], merged_by=actor, candidate=candidate)
        summary = {"merge_record": merge_record.pk, "absorbed_id": absorbed_id, "absorbed_name": absorbed_name,
                   "moved": {item["label"]: len(item["ids"]) for item in moved.values()},
                   "folded": {item["label"]: len(item["rows"]) for item in folded.values()}, "reason": reason}
        record(AuditAction.UPDATE, actor=actor, obj=kept, detail={**summary, "changes": [
            {"field": "合并", "old": "", "new": f"并入“{absorbed_name}”（编号 {absorbed_id}）"}]})
        record(AuditAction.DELETE, actor=actor, object_type=model._meta.label_lower, object_id=str(absorbed_id),
               object_repr=absorbed_name, detail={**summary, "merged_into": kept.pk,
                                                  "changes": changes(model, before, {})})
    return merge_record


def decide_dismiss(*, actor, candidate, note=""):
    """非重复: the pair is two bodies; it is never proposed again. Audited; refused when already decided."""
    require_role(actor, *EDITOR_ROLES)
    with transaction.atomic():
        candidate = DuplicateCandidate.objects.select_for_update().filter(pk=candidate.pk).first()
        if candidate is None or candidate.status != DuplicateCandidate.Status.OPEN:
            raise Refused("这组疑似重复已被处理（合并或标为非重复），请刷新页面。", code="candidate_decided")
        if candidate.federation_id not in set(federation_ids_in_scope(actor)):
            raise PermissionDenied("您没有访问该功能的权限。")
        candidate.status = DuplicateCandidate.Status.DISMISSED
        candidate.decided_by = actor
        candidate.decided_at = timezone.now()
        candidate.note = (note or "").strip()[:200]
        candidate.save(update_fields=["status", "decided_by", "decided_at", "note"])
        record(AuditAction.UPDATE, actor=actor, obj=candidate, detail={"changes": [
            {"field": "状态", "old": "待处理", "new": "非重复"}], "note": candidate.note})
    return candidate

