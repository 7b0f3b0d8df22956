"""Every change of an award programme (评选活动), its categories with their criteria and its panel: acting user
first, role (the editors: sysadmin, staff), row lock, state check, audit row — in one transaction.

- `save_programme` / `delete_programme`: a programme is created 筹备中 in the actor's federation; it may be edited
  until it is 已结束, and deleted only while 筹备中 and without nominations (its categories, criteria and judges go
  with it).
- The steps of `workflow.PROGRAMME_FLOW`: `open_nominations` (筹备中 → 提名中: every category needs a criterion),
  `start_scoring` (提名中 → 评审中: the panel needs a judge), `close_programme` (评审中 → 已结束: every category must
  have a published list in force — publishing and correcting lists are `services.lists`'). Each runs under the
  programme's row lock, so of two editors acting at once one wins and the other is refused.
- `save_category` / `delete_category`: a category with its criteria (name, weight > 0, 满分 ≥ 1, description),
  saved all or nothing, only before 评审中 (nobody has scored yet); a category with nominations is not deleted.
- `add_judge` / `remove_judge`: a judge is a staff member or leader of the programme's federation (optionally the
  person in the registry who they are — what makes them conflicted, `selectors.nominations.judge_links`); a
  judge who has scored stays on the panel.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from shanglian.accounts.roles import role_of
from shanglian.audit.models import AuditAction
from shanglian.audit.services import record
from shanglian.common.errors import Refused, raise_grouped
from shanglian.common.records import changes, delete_or_refuse, record_saved, snapshot
from shanglian.members.models import Person
from shanglian.members.selectors import persons_visible_to

from ..models import Category, Criterion, Judge, Nomination, Programme
from ..selectors.programmes import (
    CATEGORY_EDITABLE_STATES,
    categories_editable_by,
    categories_without_current_list,
    judge_candidates,
    judges_editable_by,
    programmes_editable_by,
    require_programme_editor,
)
from ..workflow import PROGRAMME_FLOW

P = Programme.Status
FIRST_YEAR = 2000
MAX_NAME = 100
MAX_CATEGORY_NAME = 60
MAX_CRITERION_NAME = 60
MAX_CRITERION_DESCRIPTION = 200
MAX_DESCRIPTION = 5000
MAX_LIST_SIZE = 500
MAX_WEIGHT = Decimal("999.99")
MAX_MAX_SCORE = 1000
MAX_CRITERIA = 20
MAX_JUDGE_NOTE = 100


def last_year():
    return timezone.localdate().year + 1


# --- helpers -----------------------------------------------------------------------------------------------------
def _text(value):
    return (value or "").strip()


def _locked_programme(actor, programme):
    """The programme re-read under its row lock, if the actor may change it (403 for a reader; out of scope:
    PermissionDenied too — the pages answer 404 before they get here)."""
    editable = programmes_editable_by(actor)
    pk = getattr(programme, "pk", programme)
    locked = Programme.objects.select_for_update().filter(pk=pk).first()
    if locked is None or not editable.filter(pk=pk).exists():
        raise PermissionDenied("您无权维护该评选活动。")
    return locked


def _guarded(actor, programme, action):
    PROGRAMME_FLOW.require_role(action, role_of(actor))
    programme = _locked_programme(actor, programme)
    PROGRAMME_FLOW.require_state(action, programme)
    return programme


def _not_closed(programme, doing):
    if programme.status == P.CLOSED:
        raise Refused(f"评选已结束，不能{doing}。", code="state")


# --- the programme -----------------------------------------------------------------------------------------------
PROGRAMME_FIELDS = ("name", "year", "description", "nomination_deadline")


def programme_errors(values):
    errors = []
    if not values["name"]:
        errors.append(("name", "请填写评选名称。"))
    elif len(values["name"]) > MAX_NAME:
        errors.append(("name", f"评选名称不能超过 {MAX_NAME} 字。"))
    year = values["year"]
    if not isinstance(year, int) or not FIRST_YEAR <= year <= last_year():
        errors.append(("year", f"年度应在 {FIRST_YEAR} 年至 {last_year()} 年之间。"))
    if len(values["description"]) > MAX_DESCRIPTION:
        errors.append(("description", f"评选说明不能超过 {MAX_DESCRIPTION} 字。"))
    return errors


def save_programme(*, actor, data, programme=None):
    """Create (programme=None: 筹备中, in the actor's federation) or change a programme not yet 已结束. `data`:
    PROGRAMME_FIELDS. Errors are a ValidationError by field; nothing is written then."""
    require_programme_editor(actor)
    if actor.federation_id is None:
        raise PermissionDenied("您的账号未关联工商联，不能创建评选活动。")
    values = {name: data.get(name) for name in PROGRAMME_FIELDS}
    values["name"], values["description"] = _text(values["name"]), _text(values["description"])
    raise_grouped(programme_errors(values))
    with transaction.atomic():
        before = None
        if programme is None:
            programme = Programme(federation_id=actor.federation_id, status=P.DRAFT)
        else:
            programme = _locked_programme(actor, programme)
            _not_closed(programme, "修改")
            before = snapshot(programme)
        for name, value in values.items():
            setattr(programme, name, value)
        programme.save()
        record_saved(actor=actor, obj=programme, before=before)
    return programme


def delete_programme(*, actor, programme):
    """Only while 筹备中 and without nominations; its categories, criteria and judges go with it."""
    with transaction.atomic():
        programme = _locked_programme(actor, programme)
        if programme.status != P.DRAFT:
            raise Refused(f"评选当前为“{programme.get_status_display()}”，只有筹备中的评选可以删除。", code="state")
        if Nomination.objects.filter(category__programme=programme).exists():
            raise Refused("该评选已有提名，不能删除。", code="has_dependents")
        delete_or_refuse(actor=actor, obj=programme, along=("categories", "judges"))


# --- the workflow ------------------------------------------------------------------------------------------------
def _step(actor, programme, action):
    before, was = programme.status, snapshot(programme)
    programme.status = PROGRAMME_FLOW.target(action)
    programme.save(update_fields=["status"])
    record(AuditAction.UPDATE, actor=actor, obj=programme,
           detail={"transition": action, "from": before, "to": programme.status,
                   "changes": changes(Programme, was, snapshot(programme))})
    return programme


@transaction.atomic
def open_nominations(*, actor, programme):
    """开始提名 (筹备中 → 提名中): the programme needs a category, and every category a criterion."""
    programme = _guarded(actor, programme, "open_nominations")
    categories = list(programme.categories.order_by("order", "id"))
    if not categories:
        raise Refused("请先添加评选类别及其评分指标，再开始提名。", code="incomplete")
    empty = [c.name for c in categories if not c.criteria.exists()]
    if empty:
        raise Refused(f"以下类别尚未设置评分指标：{'、'.join(empty)}。", code="incomplete")
    return _step(actor, programme, "open_nominations")


@transaction.atomic
def start_scoring(*, actor, programme):
    """截止提名并开始评审 (提名中 → 评审中): the panel needs at least one judge."""
    programme = _guarded(actor, programme, "start_scoring")
    if not programme.judges.exists():
        raise Refused("请先在“评审委员”中添加至少一位评审委员，再开始评审。", code="incomplete")
    return _step(actor, programme, "start_scoring")


@transaction.atomic
def close_programme(*, actor, programme):
    """结束评选 (评审中 → 已结束): refused while a category has no published list in force."""
    programme = _guarded(actor, programme, "close_programme")
    missing = [c.name for c in categories_without_current_list(programme)]
    if missing:
        raise Refused(f"以下类别尚未发布榜单：{'、'.join(missing)}，不能结束评选。", code="incomplete")
    return _step(actor, programme, "close_programme")


# --- categories and their criteria -------------------------------------------------------------------------------
def _decimal(value):
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        return None


def criterion_errors(row, n):
    """[(field, reason)] of one criterion row (`n`: its place, for the message)."""
    errors = []
    label = f"第{n}项指标"
    if not row["name"]:
        errors.append(("criteria", f"{label}：请填写指标名称。"))
    elif len(row["name"]) > MAX_CRITERION_NAME:
        errors.append(("criteria", f"{label}：指标名称不能超过 {MAX_CRITERION_NAME} 字。"))
    weight = row["weight"]
    if weight is None or not weight.is_finite():
        errors.append(("criteria", f"{label}：请填写权重（大于 0 的数）。"))
    elif weight <= 0:
        errors.append(("criteria", f"{label}：权重必须大于 0。"))
    elif weight > MAX_WEIGHT or weight.as_tuple().exponent < -2:
        errors.append(("criteria", f"{label}：权重不超过 {MAX_WEIGHT}，最多两位小数。"))
    max_score = row["max_score"]
    if not isinstance(max_score, int) or isinstance(max_score, bool):
        errors.append(("criteria", f"{label}：请填写满分（整数）。"))
    elif not 1 <= max_score <= MAX_MAX_SCORE:
        errors.append(("criteria", f"{label}：满分应在 1 至 {MAX_MAX_SCORE} 之间。"))
    if len(row["description"]) > MAX_CRITERION_DESCRIPTION:
        errors.append(("criteria", f"{label}：评分说明不能超过 {MAX_CRITERION_DESCRIPTION} 字。"))
    return errors


def _criteria_text(criteria):
    return "；".join(f"{c.name}（权重{format(Decimal(c.weight).normalize(), 'f')}，满分{c.max_score}）"
                    for c in criteria)


def _require_category_editable(programme):
    if programme.status not in CATEGORY_EDITABLE_STATES:
        raise Refused(f"评选当前为“{programme.get_status_display()}”，评审开始后不能再修改类别和评分指标。",
                      code="state")


def save_category(*, actor, programme=None, category=None, data, criteria):
    """Create a category of `programme` (category=None) or change `category`, with its criteria, all or nothing,
    before 评审中. `data`: name, list_size, order. `criteria`: the rows in order, each {"pk" (an existing criterion of
    the category, or None), "name", "weight", "max_score", "description", "delete"}; rows marked `delete` (or
    existing criteria not listed) are removed; at least one criterion must stay."""
    require_programme_editor(actor)
    if category is not None:
        category = categories_editable_by(actor).filter(pk=category.pk).first()
        if category is None:
            raise PermissionDenied("您无权维护该评选类别。")
        programme = category.programme
    with transaction.atomic():
        programme = _locked_programme(actor, programme)
        _require_category_editable(programme)
        name = _text(data.get("name"))
        list_size = data.get("list_size")
        order = data.get("order") or 0
        errors = []
        if not name:
            errors.append(("name", "请填写类别名称。"))
        elif len(name) > MAX_CATEGORY_NAME:
            errors.append(("name", f"类别名称不能超过 {MAX_CATEGORY_NAME} 字。"))
        elif programme.categories.filter(name=name).exclude(pk=getattr(category, "pk", None)).exists():
            errors.append(("name", "同一评选活动中类别名称不能重复。"))
        if not isinstance(list_size, int) or not 1 <= list_size <= MAX_LIST_SIZE:
            errors.append(("list_size", f"上榜名额应在 1 至 {MAX_LIST_SIZE} 之间。"))
        if not isinstance(order, int) or not 0 <= order <= 32767:
            errors.append(("order", "排序应为 0 至 32767 的整数。"))
        existing = {c.pk: c for c in category.criteria.all()} if category is not None else {}
        kept, names = [], set()
        for n, raw in enumerate(criteria, start=1):
            row = {"pk": raw.get("pk"), "name": _text(raw.get("name")), "weight": _decimal(raw.get("weight")),
                   "max_score": raw.get("max_score"), "description": _text(raw.get("description"))}
            if row["pk"] is not None and row["pk"] not in existing:
                errors.append(("criteria", f"第{n}项指标不属于该类别。"))
                continue
            if raw.get("delete"):
                continue
            errors += criterion_errors(row, n)
            if row["name"] in names:
                errors.append(("criteria", f"第{n}项指标：指标名称“{row['name']}”重复。"))
            names.add(row["name"])
            kept.append(row)
        if not kept:
            errors.append(("criteria", "请至少设置一项评分指标。"))
        elif len(kept) > MAX_CRITERIA:
            errors.append(("criteria", f"评分指标最多 {MAX_CRITERIA} 项。"))
        raise_grouped(errors)

        creating = category is None
        before = {} if creating else snapshot(category)
        criteria_before = "" if creating else _criteria_text(category.criteria.order_by("order", "id"))
        if creating:
            category = Category(programme=programme)
        category.name, category.list_size, category.order = name, list_size, order
        category.save()
        keep_ids = {row["pk"] for row in kept if row["pk"] is not None}
        Criterion.objects.filter(category=category).exclude(pk__in=keep_ids).delete()
        for position, row in enumerate(kept):
            criterion = existing.get(row["pk"]) or Criterion(category=category)
            criterion.name, criterion.weight = row["name"], row["weight"]
            criterion.max_score, criterion.description, criterion.order = row["max_score"], row["description"], position
            criterion.save()
        diff = changes(Category, before, snapshot(category))
        criteria_after = _criteria_text(category.criteria.order_by("order", "id"))
        if criteria_after != criteria_before:
            diff.append({"field": "评分指标", "old": criteria_before, "new": criteria_after})
        if diff:
            record(AuditAction.CREATE if creating else AuditAction.UPDATE, actor=actor, obj=category,
                   detail={"programme": programme.pk, "changes": diff})
    return category


def delete_category(*, actor, category):
    """Before 评审中 and without nominations; its criteria go with it."""
    with transaction.atomic():
        category = categories_editable_by(actor).filter(pk=category.pk).first()
        if category is None:
            raise PermissionDenied("您无权维护该评选类别。")
        programme = _locked_programme(actor, category.programme)
        _require_category_editable(programme)
        delete_or_refuse(actor=actor, obj=category, along=("criteria",), detail={"programme": programme.pk})


# --- the panel ---------------------------------------------------------------------------------------------------
def add_judge(*, actor, programme, user, person=None, note=""):
    """Seat `user` (an active staff member or leader of the programme's federation) on the panel, optionally as
    `person` of the registry (one the actor sees). Refused once the programme is 已结束."""
    note = _text(note)
    with transaction.atomic():
        programme = _locked_programme(actor, programme)
        _not_closed(programme, "调整评审委员")
        errors = []
        user_pk = getattr(user, "pk", user)
        chosen = judge_candidates(programme).filter(pk=user_pk).first() if user_pk else None
        if chosen is None:
            if programme.judges.filter(user_id=user_pk).exists():
                errors.append(("user", "该账号已是本评选的评审委员。"))
            else:
                errors.append(("user", "请选择本工商联的工作人员或领导账号。"))
        if person not in (None, ""):
            person_pk = person.pk if isinstance(person, Person) else person
            person = persons_visible_to(actor).filter(pk=person_pk).first()
            if person is None:
                errors.append(("person", "所选人士不存在或不在您的管理范围内。"))
        else:
            person = None
        if len(note) > MAX_JUDGE_NOTE:
            errors.append(("note", f"备注不能超过 {MAX_JUDGE_NOTE} 字。"))
        raise_grouped(errors)
        try:
            with transaction.atomic():
                judge = Judge.objects.create(programme=programme, user=chosen, person=person, note=note)
        except IntegrityError:  # seated at the same moment by another editor
            raise ValidationError({"user": "该账号已是本评选的评审委员。"}) from None
        record_saved(actor=actor, obj=judge, detail={"programme": programme.pk})
    return judge


def remove_judge(*, actor, judge):
    """Take a judge off the panel — only one who has not scored (their scores stay with the nominations)."""
    with transaction.atomic():
        judge = judges_editable_by(actor).filter(pk=judge.pk).first()
        if judge is None:
            raise PermissionDenied("您无权维护该评审委员。")
        programme = _locked_programme(actor, judge.programme)
        _not_closed(programme, "调整评审委员")
        if judge.scores.exists():
            raise Refused(f"评审委员“{judge}”已评分，不能移除。", code="has_dependents")
        delete_or_refuse(actor=actor, obj=judge, detail={"programme": programme.pk})
