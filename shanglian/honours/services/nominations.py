"""Every change of a nomination (提名) and of the judges' scores: acting user first, role, scope, row lock, state
check, audit row — in one transaction (files through `common.uploads.kept_files`, removed again when it fails).

- `nominate`: while the programme is 提名中 (and its 提名截止日期, when set, has not passed). The editors nominate
  any enterprise of the programme's federation they see, with an optional recommending chamber of their scope; a
  chamber secretary only an active member enterprise of its own chamber, and the nomination's chamber is its
  chamber. An enterprise is nominated once per category (a withdrawn nomination is put forward again).
- `edit_nomination` (the reason, files added or removed) while 提名中; `withdraw_nomination` while 提名中 or
  评审中. A chamber secretary changes only the nominations its chamber made.
- `record_scores`: a judge of the programme scores a nomination in force, in 评审中, one value per criterion of its
  category (0..满分, at most two decimals), all or nothing; scoring again updates the judge's scores. A judge
  linked to the nominee (`conflict_of`, the rule of `selectors.nominations`) is refused (403) with the reason;
  somebody who is not on the panel too. One judge submitting twice at once writes one score per criterion (the
  judge's row is locked, and the unique constraint backs it); two judges never wait for each other's rows.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from shanglian.accounts.roles import NOMINATOR_ROLES, Role, role_of
from shanglian.audit.models import AuditAction
from shanglian.audit.services import record
from shanglian.common.errors import Refused, raise_grouped
from shanglian.common.records import changes, record_saved, snapshot
from shanglian.common.uploads import check_uploads, kept_files, remove_stored
from shanglian.members.models import Enterprise
from shanglian.members.selectors import enterprises_visible_to
from shanglian.orgs.models import Chamber
from shanglian.orgs.selectors import chambers_in_scope

from ..models import Criterion, Judge, Nomination, NominationAttachment, Programme, Score
from ..selectors.nominations import (
    CONFLICT_REFUSAL,
    NOT_A_JUDGE,
    conflict_of,
    nominations_editable_by,
    require_judge_role,
)
from ..selectors.programmes import categories_visible_to
from ..selectors.scopes import nominations_visible_to

ATTACHMENT_FOLDER = "honours"
MAX_REASON = 2000
SCORE_PLACES = 2
N = Nomination.Status
P = Programme.Status
WITHDRAWABLE = (P.NOMINATING, P.SCORING)


def _text(value):
    return (value or "").strip()


def _require_nominator(actor):
    if role_of(actor) not in NOMINATOR_ROLES:
        raise PermissionDenied("您没有提名的权限。")


def _locked_programme(pk):
    return Programme.objects.select_for_update().get(pk=pk)


def _require_nominating(programme, doing):
    """Refused unless the programme is 提名中 and its deadline, when set, has not passed."""
    if programme.status != P.NOMINATING:
        raise Refused(f"评选当前为“{programme.get_status_display()}”，不在提名阶段，不能{doing}。", code="state")
    deadline = programme.nomination_deadline
    if deadline is not None and timezone.localdate() > deadline:
        raise Refused(f"提名已于 {deadline:%Y-%m-%d} 截止，不能{doing}。", code="state")


def nomination_refusal(programme):
    """Why nominations cannot be made now, or "" (the pages hide the 提名 button then)."""
    try:
        _require_nominating(programme, "提名")
    except Refused as exc:
        return exc.message
    return ""


def _reason_errors(reason):
    if not reason:
        return [("reason", "请填写推荐理由。")]
    if len(reason) > MAX_REASON:
        return [("reason", f"推荐理由不能超过 {MAX_REASON} 字（现为 {len(reason)} 字）。")]
    return []


def _nominee(actor, programme, enterprise):
    """The enterprise if the actor may nominate it for the programme, else None: one the actor sees (a chamber
    secretary: its active members) of the programme's federation or one under it."""
    if enterprise in (None, ""):
        return None
    pk = enterprise.pk if isinstance(enterprise, Enterprise) else enterprise
    if not isinstance(pk, int) or pk <= 0:
        return None
    return enterprises_visible_to(actor).filter(pk=pk, federation_id__in=programme.federation.subtree_ids()).first()


def _recommending_chamber(actor, chamber):
    """A chamber secretary's nominations are its chamber's; an editor may name a chamber of its scope."""
    if role_of(actor) == Role.CHAMBER:
        own = actor.chamber
        if chamber not in (None, "") and getattr(chamber, "pk", chamber) != own.pk:
            raise ValidationError({"chamber": "商会只能以本商会名义提名。"})
        return own
    if chamber in (None, ""):
        return None
    pk = chamber.pk if isinstance(chamber, Chamber) else chamber
    found = chambers_in_scope(actor).filter(pk=pk).first() if isinstance(pk, int) and pk > 0 else None
    if found is None:
        raise ValidationError({"chamber": "所选推荐商会不存在或不在您的管理范围内。"})
    return found


# --- nominate, edit, withdraw ------------------------------------------------------------------------------------
def nominate(*, actor, category, enterprise, reason, chamber=None, files=()):
    """Put `enterprise` forward for `category` (see the module's docstring); returns the nomination."""
    _require_nominator(actor)
    pk = getattr(category, "pk", category)
    category = categories_visible_to(actor).filter(pk=pk).first()
    if category is None:
        raise PermissionDenied("您无权在该评选类别中提名。")
    checked = check_uploads(files)
    reason = _text(reason)
    with kept_files(ATTACHMENT_FOLDER) as keeper, transaction.atomic():
        programme = _locked_programme(category.programme_id)
        _require_nominating(programme, "提名")
        errors = _reason_errors(reason)
        nominee = _nominee(actor, programme, enterprise)
        if nominee is None:
            errors.append(("enterprise", "请选择本商会在册的会员企业。" if role_of(actor) == Role.CHAMBER
                           else "请选择本工商联范围内的企业。"))
        try:
            chamber = _recommending_chamber(actor, chamber)
        except ValidationError as exc:
            errors += [(name, message) for name, messages in exc.message_dict.items() for message in messages]
        raise_grouped(errors)
        existing = Nomination.objects.select_for_update().filter(category=category, enterprise=nominee).first()
        before = None
        if existing is not None:
            if existing.status == N.NOMINATED:
                raise ValidationError({"enterprise": f"“{nominee.name}”已被提名到“{category.name}”。"})
            before = snapshot(existing)  # withdrawn earlier: put forward again
            nomination = existing
            nomination.status, nomination.reason, nomination.chamber = N.NOMINATED, reason, chamber
            nomination.nominated_by = actor
            nomination.save(update_fields=["status", "reason", "chamber", "nominated_by"])
        else:
            try:
                with transaction.atomic():
                    nomination = Nomination.objects.create(category=category, enterprise=nominee, chamber=chamber,
                                                           reason=reason, nominated_by=actor)
            except IntegrityError:  # nominated at the same moment by somebody else
                raise ValidationError({"enterprise": f"“{nominee.name}”已被提名到“{category.name}”。"}) from None
        keeper.save(NominationAttachment, checked, nomination=nomination, uploaded_by=actor)
        record_saved(actor=actor, obj=nomination, before=before, detail={"attachments": len(checked)})
    return nomination


def _locked_nomination(actor, nomination):
    """The nomination re-read under its row lock, if the actor may change it (else PermissionDenied)."""
    editable = nominations_editable_by(actor)
    pk = getattr(nomination, "pk", nomination)
    locked = Nomination.objects.select_for_update().select_related("category").filter(pk=pk).first()
    if locked is None or not editable.filter(pk=pk).exists():
        raise PermissionDenied("您无权修改该提名。")
    return locked


def edit_nomination(*, actor, nomination, reason, files=(), remove=()):
    """Change the reason, add files and remove attachments (`remove`: ids of its attachments) while 提名中."""
    checked = check_uploads(files)
    reason = _text(reason)
    with kept_files(ATTACHMENT_FOLDER) as keeper, transaction.atomic():
        nomination = _locked_nomination(actor, nomination)
        _require_nominating(_locked_programme(nomination.category.programme_id), "修改提名")
        if nomination.status != N.NOMINATED:
            raise Refused("该提名已撤回，不能修改。", code="state")
        raise_grouped(_reason_errors(reason))
        removed = list(nomination.attachments.filter(pk__in=[pk for pk in remove if isinstance(pk, int)]))
        if len(removed) != len(set(remove)):
            raise ValidationError({"remove": "所选材料不属于该提名。"})
        kept = nomination.attachments.count() - len(removed) + len(checked)
        if kept > 10:
            raise ValidationError({"files": f"每个提名的材料最多 10 个（现为 {kept} 个）。"})
        before, files_before = snapshot(nomination), _file_names(nomination)
        nomination.reason = reason
        nomination.save(update_fields=["reason"])
        keeper.save(NominationAttachment, checked, nomination=nomination, uploaded_by=actor)
        _drop(removed)
        diff = changes(Nomination, before, snapshot(nomination))
        files_after = _file_names(nomination)
        if files_after != files_before:
            diff.append({"field": "证明材料", "old": files_before, "new": files_after})
        if diff:
            record(AuditAction.UPDATE, actor=actor, obj=nomination, detail={"changes": diff})
    return nomination


def _file_names(nomination):
    return "、".join(nomination.attachments.order_by("id").values_list("original_name", flat=True))


def _drop(attachments):
    for attachment in attachments:
        stored = attachment.stored_name
        attachment.delete()
        transaction.on_commit(lambda stored=stored: remove_stored(ATTACHMENT_FOLDER, stored))


@transaction.atomic
def withdraw_nomination(*, actor, nomination):
    """撤回 (已提名 → 已撤回) while the programme is 提名中 or 评审中; the scores given stay but no longer count."""
    nomination = _locked_nomination(actor, nomination)
    programme = _locked_programme(nomination.category.programme_id)
    if programme.status not in WITHDRAWABLE:
        raise Refused(f"评选当前为“{programme.get_status_display()}”，不能撤回提名。", code="state")
    if nomination.status != N.NOMINATED:
        raise Refused("该提名已撤回。", code="state")
    before = snapshot(nomination)
    nomination.status = N.WITHDRAWN
    nomination.save(update_fields=["status"])
    record_saved(actor=actor, obj=nomination, before=before)
    return nomination


# --- scores ------------------------------------------------------------------------------------------------------
def score_errors(criteria, values):
    """[(field, reason)] of the values given for `criteria` ({criterion id: value}); the fields are named
    `score_<criterion id>` as on the scoring form. Returns (errors, {criterion id: Decimal})."""
    errors, parsed = [], {}
    known = {c.pk for c in criteria}
    if set(values) - known:
        errors.append(("__all__", "所填评分指标不属于该类别，请刷新页面后重新评分。"))
    for criterion in criteria:
        name = f"score_{criterion.pk}"
        raw = values.get(criterion.pk)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            errors.append((name, f"请为“{criterion.name}”打分。"))
            continue
        try:
            value = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip())
        except (InvalidOperation, ValueError):
            errors.append((name, f"“{criterion.name}”的得分应为数字。"))
            continue
        if not value.is_finite():
            errors.append((name, f"“{criterion.name}”的得分应为数字。"))
        elif value < 0 or value > criterion.max_score:
            errors.append((name, f"“{criterion.name}”的得分应在 0 至 {criterion.max_score} 之间。"))
        elif value.as_tuple().exponent < -SCORE_PLACES:
            errors.append((name, f"“{criterion.name}”的得分最多保留两位小数。"))
        else:
            parsed[criterion.pk] = value
    return errors, parsed


def _text_of(value):
    return "" if value is None else format(value.normalize(), "f")


def record_scores(*, actor, nomination, values):
    """The acting judge's scores of `nomination`: `values` = {criterion id: value} for every criterion of its
    category. All or nothing; returns the judge's scores."""
    require_judge_role(actor)
    pk = getattr(nomination, "pk", nomination)
    if not nominations_visible_to(actor).filter(pk=pk).exists():
        raise PermissionDenied(NOT_A_JUDGE)
    with transaction.atomic():
        nomination = Nomination.objects.select_related("category__programme", "enterprise").get(pk=pk)
        programme = nomination.category.programme
        # The judge's own row is the lock: one judge's two submissions run one after the other, two judges never
        # wait for each other.
        seat = (Judge.objects.select_for_update().filter(programme_id=programme.pk, user_id=actor.pk).first())
        if seat is None:
            raise PermissionDenied(NOT_A_JUDGE)
        seat = Judge.objects.select_related("user__enterprise", "user__chamber", "person").get(pk=seat.pk)
        programme.refresh_from_db(fields=["status"])
        if programme.status != P.SCORING:
            raise Refused(f"评选当前为“{programme.get_status_display()}”，只有评审中的评选可以评分。", code="state")
        nomination.refresh_from_db(fields=["status"])
        if nomination.status != N.NOMINATED:
            raise Refused("该提名已撤回，不能评分。", code="state")
        reason = conflict_of(seat, nomination)
        if reason:
            raise PermissionDenied(CONFLICT_REFUSAL.format(reason=reason))
        criteria = list(Criterion.objects.filter(category_id=nomination.category_id).order_by("order", "id"))
        errors, parsed = score_errors(criteria, dict(values))
        raise_grouped(errors)
        old = dict(Score.objects.filter(nomination=nomination, judge=seat).values_list("criterion_id", "value"))
        diff = []
        for criterion in criteria:
            value = parsed[criterion.pk]
            Score.objects.update_or_create(nomination=nomination, judge=seat, criterion=criterion,
                                           defaults={"value": value})
            if old.get(criterion.pk) != value:
                diff.append({"field": f"评分：{criterion.name}", "old": _text_of(old.get(criterion.pk)),
                             "new": _text_of(value)})
        if diff:
            record(AuditAction.UPDATE, actor=actor, obj=nomination, detail={"changes": diff})
    return list(Score.objects.filter(nomination=nomination, judge=seat).order_by("criterion__order", "criterion_id"))
