"""Every change of a chamber assessment (五有, 四好商会, 五好工商联自查): acting user first, role, scope, row lock,
state check, audit row — in one transaction.

- `create_assessment`: one assessment per (scheme, chamber or federation, year) with one empty item per item of
  its scheme. The editors open any chamber's of their scope and their federation's 五好 self-check; a chamber
  secretary its own chamber's 五有 (only a township chamber, 街道（镇）商会, has one) and 四好. A second one of the
  same subject, scheme and year is refused in words (also when two are made at once: the unique constraint).
- `save_item` (the keeper, while 填报中): the claim (达标/未达标, or a score 0..the item's maximum), the evidence
  note and new files (`common.uploads`). A claim needs evidence: a note or at least one file. A changed item is
  待核实 again, whatever staff said of it before.
- `delete_evidence` (the keeper, while 填报中): the file goes (from disk once the transaction commits); a verified
  item losing evidence is 待核实 again.
- `verify_item` (the editors, while 已提交): 已核实, or 退回补充 with a remark saying what is missing.
- The transitions of `workflow.ASSESSMENT_FLOW`: `submit_assessment` (every item claimed, with evidence, none
  退回补充 left unchanged), `confirm_assessment` (every item verified; the total and its level for a scored
  scheme, 达标/未达标 for the 五有), `return_assessment` (with the reason, audited).
- `delete_assessment`: a draft never submitted.

The assessment row is the lock every change takes first (an item's change locks its assessment, then the item),
so a verification and a confirmation, or an edit and a submission, never interleave: the second sees the first's
result under the lock and is refused if it no longer fits.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from shanglian.accounts.roles import ASSESSMENT_KEEPER_ROLES, EDITOR_ROLES, role_of
from shanglian.audit.models import AuditAction
from shanglian.audit.services import record
from shanglian.common.errors import Refused
from shanglian.common.records import changes, delete_or_refuse, record_saved, snapshot
from shanglian.common.uploads import check_uploads, kept_files, remove_stored
from shanglian.orgs.models import Chamber

from ..models import Assessment, AssessmentItem, EvidenceFile
from ..schemes import FIVE_GOOD, FIVE_HAVE, SCHEMES
from ..selectors.assessments import assessments_editable_by, assessments_verifiable_by, creatable_chambers
from ..workflow import ASSESSMENT_FLOW

A = Assessment.Status
I = AssessmentItem.Status  # noqa: E741
FOLDER = "honours"  # common.uploads keeps the evidence under MEDIA_ROOT/honours/
FIRST_YEAR = 2000
MAX_NOTE = 2000
MAX_REMARK = 200  # AssessmentItem.review_note
MAX_REASON = 200
EVIDENCE_REQUIRED = "请填写佐证说明或上传佐证材料。"
MET_LEVEL, NOT_MET_LEVEL = "达标", "未达标"  # a confirmed 五有: all five met, or not


def _text(value):
    return (value or "").strip()


def _limited(value, label, limit, *, required=False, missing=None):
    value = _text(value)
    if required and not value:
        raise ValidationError(missing or f"请填写{label}。")
    if len(value) > limit:
        raise ValidationError(f"{label}不能超过 {limit} 字（现为 {len(value)} 字）。")
    return value


def subject_name(assessment):
    return assessment.chamber.name if assessment.chamber_id else assessment.federation.name


def _labels(rows, scheme):
    return "、".join(f"“{scheme.item(row.code).label if scheme.item(row.code) else row.code}”" for row in rows)


# --- the locks ---------------------------------------------------------------------------------------------------
def _locked(scope, assessment):
    """The assessment re-read under its row lock, if it is in `scope` (a queryset of what the actor may change;
    else PermissionDenied — the pages have already answered 404 for another scope's)."""
    pk = assessment.pk if isinstance(assessment, Assessment) else assessment
    # of=("self",): the chamber is the nullable side of an outer join (五好 has none), which PostgreSQL cannot lock
    locked = (Assessment.objects.select_for_update(of=("self",)).select_related("chamber", "federation")
              .filter(pk=pk).first())
    if locked is None or not scope.filter(pk=pk).exists():
        raise PermissionDenied("您无权办理该评估。")
    return locked


def _state(assessment, allowed, doing):
    if assessment.status not in allowed:
        labels = "、".join(A(state).label for state in allowed)
        raise Refused(f"评估当前状态为“{assessment.get_status_display()}”，不能{doing}（仅限：{labels}）。",
                      code="state")


def _guarded(actor, assessment, action, scope):
    """The table's guards around the row lock: the role may take the action (else 403), then the assessment
    re-read under the lock is in a state that allows it (else Refused)."""
    ASSESSMENT_FLOW.require_role(action, role_of(actor))
    assessment = _locked(scope, assessment)
    ASSESSMENT_FLOW.require_state(action, assessment)
    return assessment


# --- create, delete ------------------------------------------------------------------------------------------------
def _year(year):
    today = timezone.localdate()
    if not isinstance(year, int) or year < FIRST_YEAR or year > today.year + 1:
        raise ValidationError({"year": f"年度应在 {FIRST_YEAR} 年至 {today.year + 1} 年之间。"})
    return year


def _chamber(actor, chamber, scheme):
    if chamber in (None, ""):
        raise ValidationError({"chamber": "请选择商会。"})
    pk = chamber.pk if isinstance(chamber, Chamber) else chamber
    found = creatable_chambers(actor).filter(pk=pk).first() if isinstance(pk, int) else None
    if found is None:
        raise ValidationError({"chamber": "所选商会不存在、已非正常状态或不在您的管理范围内。"})
    if scheme == FIVE_HAVE.key and found.kind != Chamber.Kind.STREET:
        raise ValidationError({"chamber": f"“五有”评估只适用于街道（镇）商会，“{found.name}”是{found.get_kind_display()}。"})
    return found


def duplicate_message(*, scheme, year, subject):
    return f"{subject}{year}年度已有{Assessment.Scheme(scheme).label}评估，不能重复创建；请在评估列表中打开它继续填报。"


def create_assessment(*, actor, scheme, year, chamber=None, note=""):
    """Open an assessment of `scheme` for `year`: of `chamber` (五有 — a township chamber —, 四好), or the actor's
    federation's own 五好 self-check (editors only). Its items are those of the scheme, empty."""
    role = role_of(actor)
    if role not in ASSESSMENT_KEEPER_ROLES:
        raise PermissionDenied("您没有填报商会评估的权限。")
    if scheme not in SCHEMES:
        raise ValidationError({"scheme": "请选择评估类别。"})
    year = _year(year)
    note = _limited(note, "说明", MAX_NOTE)
    if scheme == FIVE_GOOD.key:
        if role not in EDITOR_ROLES:
            raise PermissionDenied("“五好”工商联自查由工商联工作人员填报。")
        if chamber not in (None, ""):
            raise ValidationError({"chamber": "“五好”工商联自查属于工商联本身，不选择商会。"})
        if actor.federation_id is None:
            raise PermissionDenied("您的账号未关联工商联，不能填报自查。")
        federation, chamber, subject = actor.federation, None, actor.federation.name
        duplicate = Assessment.objects.filter(scheme=scheme, year=year, federation=federation, chamber__isnull=True)
    else:
        chamber = _chamber(actor, chamber, scheme)
        federation, subject = chamber.federation, chamber.name
        duplicate = Assessment.objects.filter(scheme=scheme, year=year, chamber=chamber)
    message = duplicate_message(scheme=scheme, year=year, subject=subject)
    with transaction.atomic():
        if duplicate.exists():
            raise ValidationError(message)
        try:
            with transaction.atomic():  # two made at once: the constraint refuses the second
                assessment = Assessment.objects.create(federation=federation, chamber=chamber, scheme=scheme,
                                                       year=year, note=note)
        except IntegrityError:
            raise ValidationError(message) from None
        AssessmentItem.objects.bulk_create(AssessmentItem(assessment=assessment, code=item.code)
                                           for item in SCHEMES[scheme].items)
        record_saved(actor=actor, obj=assessment)
    return assessment


def delete_assessment(*, actor, assessment):
    """A draft never submitted (its items and their files go with it; the files from disk after the commit)."""
    with transaction.atomic():
        assessment = _locked(assessments_editable_by(actor), assessment)
        if assessment.status != A.DRAFT or assessment.submitted_at is not None:
            raise Refused("只有尚未提交过的评估可以删除；已提交过的评估请退回后修改。", code="state")
        stored = list(EvidenceFile.objects.filter(item__assessment=assessment).values_list("stored_name", flat=True))
        delete_or_refuse(actor=actor, obj=assessment, along=("items",))
        transaction.on_commit(lambda: [remove_stored(FOLDER, name) for name in stored])


# --- the items ------------------------------------------------------------------------------------------------------
def _score(value, spec):
    if value in (None, ""):
        raise ValidationError({"score": f"请填写“{spec.label}”的得分（0 至 {spec.max_score} 分）。"})
    try:
        score = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({"score": "得分应为数字。"}) from None
    if not score.is_finite() or score < 0 or score > spec.max_score:
        raise ValidationError({"score": f"“{spec.label}”的得分应在 0 至 {spec.max_score} 分之间。"})
    if score != score.quantize(Decimal("0.01")):
        raise ValidationError({"score": "得分最多保留两位小数。"})
    return score.quantize(Decimal("0.01"))


def item_label(assessment, item):
    """An item as people name it: the assessment and the scheme's label of the item (never its code)."""
    spec = SCHEMES[assessment.scheme].item(item.code)
    return f"{assessment} {spec.label if spec else item.code}"


def _audit_item(actor, assessment, item, before, *, added=()):
    """The item's audit row — what changed (`common.records.changes`), the files added — named by its label and
    carrying its assessment (`detail["assessment"]`: the assessment's 变更记录 gathers it); none when nothing did."""
    diff = changes(AssessmentItem, before, snapshot(item))
    if added:
        diff.append({"field": "佐证材料", "old": "", "new": "、".join(added)})
    if not diff:
        return None
    return record(AuditAction.UPDATE, actor=actor, obj=item, object_repr=item_label(assessment, item),
                  detail={"assessment": assessment.pk, "item": item.code, "changes": diff})


def _item_of(assessment, item):
    pk = item.pk if isinstance(item, AssessmentItem) else item
    found = AssessmentItem.objects.select_for_update().filter(pk=pk, assessment=assessment).first()
    if found is None:
        raise PermissionDenied("您无权办理该评估。")
    return found


def save_item(*, actor, item, met=None, score=None, note="", files=()):
    """The keeper's claim of one item while 填报中: `met` (True/False) for a 五有 item, `score` for a scored one,
    the evidence `note` and new `files`. A claim with neither a note nor a file (kept or new) is refused."""
    checked = check_uploads(files)
    assessment_pk = item.assessment_id if isinstance(item, AssessmentItem) else None
    with kept_files(FOLDER) as keeper, transaction.atomic():
        scope = assessments_editable_by(actor)
        if assessment_pk is None:
            assessment_pk = AssessmentItem.objects.filter(pk=item).values_list("assessment_id", flat=True).first()
        assessment = _locked(scope, assessment_pk)
        _state(assessment, (A.DRAFT,), "修改条目")
        item = _item_of(assessment, item)
        scheme = SCHEMES[assessment.scheme]
        spec = scheme.item(item.code)
        if spec is None:
            raise Refused("该条目不属于本评估的评估标准。", code="unknown_item")
        before = snapshot(item)
        if spec.max_score:
            item.score, item.met = _score(score, spec), None
        else:
            if met not in (True, False):
                raise ValidationError({"met": f"请选择“{spec.label}”是否达标。"})
            item.met, item.score = met, None
        item.note = _limited(note, "佐证说明", MAX_NOTE)
        if not item.note and not checked and not item.files.exists():
            raise ValidationError(EVIDENCE_REQUIRED)
        item.status = I.PENDING
        item.save()
        keeper.save(EvidenceFile, checked, item=item, uploaded_by=actor)
        added = [upload.name for upload in checked]
        _audit_item(actor, assessment, item, before, added=added)
    return item


def delete_evidence(*, actor, evidence):
    """Remove one evidence file while 填报中; a verified item losing evidence is 待核实 again."""
    pk = evidence.pk if isinstance(evidence, EvidenceFile) else evidence
    with transaction.atomic():
        scope = assessments_editable_by(actor)
        assessment_pk = EvidenceFile.objects.filter(pk=pk).values_list("item__assessment_id", flat=True).first()
        assessment = _locked(scope, assessment_pk)
        _state(assessment, (A.DRAFT,), "删除佐证材料")
        evidence = EvidenceFile.objects.select_related("item").get(pk=pk)
        item, stored = _item_of(assessment, evidence.item_id), evidence.stored_name
        delete_or_refuse(actor=actor, obj=evidence, detail={"assessment": assessment.pk, "item": item.code})
        if item.status == I.VERIFIED:
            before = snapshot(item)
            item.status = I.PENDING
            item.save(update_fields=["status", "updated_at"])
            _audit_item(actor, assessment, item, before)
        transaction.on_commit(lambda: remove_stored(FOLDER, stored))


VERIFY_RESULTS = (I.VERIFIED, I.RETURNED)


def verify_item(*, actor, item, result, remark=""):
    """Staff's check of one item while 已提交: 已核实, or 退回补充 with a remark (required) saying what is missing."""
    pk = item.pk if isinstance(item, AssessmentItem) else item
    with transaction.atomic():
        scope = assessments_verifiable_by(actor)
        assessment = _locked(scope, AssessmentItem.objects.filter(pk=pk).values_list("assessment_id", flat=True)
                             .first())
        _state(assessment, (A.SUBMITTED,), "核实佐证")
        item = _item_of(assessment, pk)
        if item.met is None and item.score is None:
            raise Refused("该条目尚未填报，不能核实。", code="not_claimed")
        if result not in VERIFY_RESULTS:
            raise ValidationError({"result": "请选择核实结果（已核实或退回补充）。"})
        remark = _limited(remark, "核实意见", MAX_REMARK, required=result == I.RETURNED,
                          missing="退回补充时请填写核实意见，说明需要补充的佐证。")
        before = snapshot(item)
        item.status, item.review_note = result, remark
        item.verified_by, item.verified_at = actor, timezone.now()
        item.save()
        _audit_item(actor, assessment, item, before)
    return item


# --- the workflow ---------------------------------------------------------------------------------------------------
def _audit_transition(actor, assessment, action, from_status, was, *, reason=""):
    """The transition's audit row: its name, the states, what changed (the reason of a 退回 too, so that the
    assessment's 变更记录 shows it)."""
    detail = {"transition": action, "from": from_status, "to": assessment.status,
              "changes": changes(Assessment, was, snapshot(assessment))}
    if reason:
        detail["reason"] = reason
        detail["changes"].append({"field": "退回原因", "old": "", "new": reason})
    record(AuditAction.UPDATE, actor=actor, obj=assessment, detail=detail)


@transaction.atomic
def submit_assessment(*, actor, assessment):
    """提交核定 (填报中 → 已提交): every item claimed, each claim with evidence, no item left 退回补充 unchanged."""
    assessment = _guarded(actor, assessment, "submit_assessment", assessments_editable_by(actor))
    scheme = SCHEMES[assessment.scheme]
    rows = list(assessment.items.order_by("id"))
    unclaimed = [row for row in rows if row.met is None and row.score is None]
    if unclaimed:
        raise Refused(f"以下条目尚未填报：{_labels(unclaimed, scheme)}。请逐项填报后再提交。", code="incomplete")
    with_files = set(EvidenceFile.objects.filter(item__in=rows).values_list("item_id", flat=True))
    bare = [row for row in rows if not row.note.strip() and row.pk not in with_files]
    if bare:
        raise Refused(f"以下条目缺少佐证：{_labels(bare, scheme)}。{EVIDENCE_REQUIRED}", code="no_evidence")
    returned = [row for row in rows if row.status == I.RETURNED]
    if returned:
        raise Refused(f"以下条目已退回补充：{_labels(returned, scheme)}。请按核实意见补充佐证后再提交。", code="returned")
    from_status, was = assessment.status, snapshot(assessment)
    assessment.status = ASSESSMENT_FLOW.target("submit_assessment")
    assessment.submitted_at = timezone.now()
    assessment.save(update_fields=["status", "submitted_at"])
    _audit_transition(actor, assessment, "submit_assessment", from_status, was)
    return assessment


@transaction.atomic
def confirm_assessment(*, actor, assessment):
    """核定 (已提交 → 已核定): every item verified. A scored scheme gets its total and level (`Scheme.level_of`);
    the 五有 达标 when all five are met, else 未达标."""
    assessment = _guarded(actor, assessment, "confirm_assessment", assessments_verifiable_by(actor))
    scheme = SCHEMES[assessment.scheme]
    rows = list(assessment.items.order_by("id"))
    returned = [row for row in rows if row.status == I.RETURNED]
    if returned:
        raise Refused(f"以下条目已退回补充：{_labels(returned, scheme)}。须重新核实（或退回评估由商会补充）后才能核定。",
                      code="returned")
    unverified = [row for row in rows if row.status != I.VERIFIED]
    if unverified:
        raise Refused(f"以下条目尚未核实：{_labels(unverified, scheme)}。全部核实后才能核定。", code="unverified")
    from_status, was = assessment.status, snapshot(assessment)
    if scheme.scored:
        assessment.total_score = sum((row.score or Decimal(0) for row in rows), Decimal(0))
        assessment.level = scheme.level_of(assessment.total_score)
    else:
        assessment.total_score = None
        assessment.level = MET_LEVEL if all(row.met for row in rows) else NOT_MET_LEVEL
    assessment.status = ASSESSMENT_FLOW.target("confirm_assessment")
    assessment.confirmed_by, assessment.confirmed_at = actor, timezone.now()
    assessment.save(update_fields=["status", "total_score", "level", "confirmed_by", "confirmed_at"])
    _audit_transition(actor, assessment, "confirm_assessment", from_status, was)
    return assessment


@transaction.atomic
def return_assessment(*, actor, assessment, reason):
    """退回 (已提交 → 填报中) with the reason: the keeper supplements the items staff returned and submits again."""
    assessment = _guarded(actor, assessment, "return_assessment", assessments_verifiable_by(actor))
    reason = _limited(reason, "退回原因", MAX_REASON, required=True)
    from_status, was = assessment.status, snapshot(assessment)
    assessment.status = ASSESSMENT_FLOW.target("return_assessment")
    assessment.save(update_fields=["status"])
    _audit_transition(actor, assessment, "return_assessment", from_status, was, reason=reason)
    return assessment
