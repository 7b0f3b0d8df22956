"""Every change of a survey (问卷调查) made by the back office: acting user first, role (`SENDER_ROLES`: the editors
their federations' surveys, a chamber secretary its own chamber's; a leader reads only — 403), the survey's row lock,
the rules, an audit row (`common.records`) — in one transaction. Bad input is a `ValidationError` by field (Chinese),
a step the survey's state does not allow a `Refused` (`workflow.SURVEY_FLOW`); nothing is written then.

- `save_survey` / `delete_survey` / `copy_survey`: a survey is created 设计中 in the actor's federation (a chamber
  secretary's carries its chamber); its 发送对象 and 填写方式 change only while 设计中 (the recipients are fixed when it
  is opened); 标题, 说明 and 截止日期 may change later (a later 截止日期 lets a closed survey be reopened). Only a
  survey 设计中 is deleted (its questions go with it). A copy is a new survey 设计中 with the same questions and
  skip logic, whatever the state of the original.
- `save_question` / `delete_question` / `move_question`: only while the survey is 设计中. A choice question has 2–30
  distinct options; a scale runs between 0 and 10 (最小值 < 最大值); a number's 下限 ≤ 上限. Skip logic: a question
  is shown only when an *earlier* choice question of the same survey was answered with one of its options — so a
  question others depend on cannot lose the option they name, stop being a choice question, be deleted, or move
  below them, and a question cannot move above the one it depends on.
- `open_survey` (发布问卷): refused without questions ("问卷还没有题目，不能发布。"), past its 截止日期, with an invalid
  audience (`selectors.audience.audience_errors`) or one that reaches no enterprise (a person without an enterprise
  cannot answer on the phone); writes one `SurveyRecipient` per enterprise reached and tells their users
  (`notifications.notify`, kind "survey", a link to the phone page). `close_survey` (结束收集) and `reopen_survey`
  (重新开放, refused once past its 截止日期) move the state.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from shanglian.accounts.roles import Role, role_of
from shanglian.common.errors import Refused, raise_grouped
from shanglian.common.numbering import daily_number
from shanglian.common.records import delete_or_refuse, record_saved, snapshot
from shanglian.notifications.services import notify

from ..models import AUDIENCE_FIELDS, Audience, Question, Survey, SurveyRecipient
from ..selectors.audience import audience_errors, recipients_of, users_reached
from ..selectors.surveys import surveys_editable_by
from ..workflow import SURVEY_FLOW

S = Survey.Status
K = Question.Kind
NUMBER_PREFIX = "WJ"
MAX_TITLE = 100
MAX_INTRO = 2000
MAX_QUESTION = 300
MAX_OPTIONS = 30
MAX_OPTION = 100
MAX_LABEL = 20
MAX_UNIT = 10
SCALE_BOUNDS = (0, 10)
NUMBER_LIMIT = Decimal("99999999999999")
OUT_OF_SCOPE = "问卷不存在或不在您的管理范围内。"
NOT_DESIGNING = "问卷当前状态为“{state}”，题目不能再修改（仅设计中的问卷可以修改题目）。"
AUDIENCE_LOCKED = "问卷已发布，发送对象和填写方式不能再修改。"
SURVEY_FIELDS = ("title", "intro", "respondent", "closes_on", *AUDIENCE_FIELDS)
QUESTION_FIELDS = ("kind", "text", "required", "options", "low", "high", "low_label", "high_label", "minimum",
                   "maximum", "unit", "show_if", "show_if_option")
AUDIENCE_TARGETS = {Audience.CHAMBER: "chamber_audience", Audience.COMMITTEE: "committee",
                    Audience.WORKING_GROUP: "working_group", Audience.EVENT: "event",
                    Audience.SAVED_FILTER: "saved_filter"}


def _text(value):
    return value.strip() if isinstance(value, str) else ("" if value is None else value)


def _today():
    return timezone.localdate()


def _locked(actor, survey, transition=None):
    """The survey re-read under its row lock, if the actor may change it (403 for a reader, out of scope 403 — the
    pages answer 404 before they get here); with `transition`, its role and state checked too."""
    editable = surveys_editable_by(actor)  # 403 for a reader or a role without surveys
    role = role_of(actor)
    if transition is not None:
        SURVEY_FLOW.require_role(transition, role)
    pk = getattr(survey, "pk", survey)
    if not editable.filter(pk=pk).exists():
        raise PermissionDenied(OUT_OF_SCOPE)
    locked = Survey.objects.select_for_update(of=("self",)).get(pk=pk)
    if transition is not None:
        SURVEY_FLOW.require_state(transition, locked, role=role)
    return locked


def _require_designing(survey):
    if survey.status != S.DRAFT:
        raise Refused(NOT_DESIGNING.format(state=survey.get_status_display()), code="state")


# --- the survey ----------------------------------------------------------------------------------------------
def _federation_of(actor):
    if role_of(actor) == Role.CHAMBER:
        if actor.chamber_id is None:
            raise PermissionDenied("您的账号未关联商会，不能发起问卷。")
        return actor.chamber.federation_id, actor.chamber_id
    if actor.federation_id is None:
        raise PermissionDenied("您的账号未关联工商联，不能发起问卷。")
    return actor.federation_id, None


def survey_errors(actor, values, *, survey):
    """The rules of a survey's own fields as [(field, message)]; normalises `values` in place (the audience fields
    it does not use are cleared)."""
    errors = []
    title = values["title"] = _text(values.get("title"))
    if not title:
        errors.append(("title", "请填写问卷标题。"))
    elif len(title) > MAX_TITLE:
        errors.append(("title", f"问卷标题不能超过 {MAX_TITLE} 字。"))
    intro = values["intro"] = _text(values.get("intro"))
    if len(intro) > MAX_INTRO:
        errors.append(("intro", f"说明不能超过 {MAX_INTRO} 字。"))
    if values.get("respondent") not in Survey.Respondent.values:
        errors.append(("respondent", "请选择填写方式。"))
    closes_on = values.get("closes_on")
    if closes_on is not None:
        if not isinstance(closes_on, date):
            errors.append(("closes_on", "截止日期格式应为 2026-12-31。"))
        elif closes_on < _today() and closes_on != survey.closes_on:
            errors.append(("closes_on", "截止日期不能早于今天。"))
    audience = values.get("audience")
    used = AUDIENCE_TARGETS.get(audience)
    for name in AUDIENCE_TARGETS.values():
        if name != used:
            values[name] = None
    if audience not in Audience.values:
        errors.append(("audience", "请选择发送对象。"))
        return errors
    if survey.pk is not None and survey.status != S.DRAFT:
        changed = [name for name in ("audience", "respondent") if getattr(survey, name) != values.get(name)]
        changed += [name for name in AUDIENCE_TARGETS.values()
                    if getattr(survey, f"{name}_id") != getattr(values.get(name), "pk", None)]
        if changed:
            errors.append(("__all__", AUDIENCE_LOCKED))
        return errors
    target = Survey(federation_id=survey.federation_id, chamber_id=survey.chamber_id,
                    **{name: values.get(name) for name in AUDIENCE_FIELDS})
    errors += list(audience_errors(target, sender=actor, federation_id=survey.federation_id).items())
    return errors


def save_survey(*, actor, survey=None, **data):
    """Create (`survey` None: 设计中, numbered "WJ…") or edit a survey; returns it. `data`: SURVEY_FIELDS."""
    surveys_editable_by(actor)  # 403 first for a reader
    values = {name: data.get(name) for name in SURVEY_FIELDS}
    with transaction.atomic():
        before = None
        if survey is None:
            federation_id, chamber_id = _federation_of(actor)
            survey = Survey(federation_id=federation_id, chamber_id=chamber_id, created_by=actor)
        else:
            survey = _locked(actor, survey)
            before = snapshot(survey)
            for name in SURVEY_FIELDS:  # a field not given keeps its value (an open survey's form has no audience)
                if name not in data:
                    values[name] = getattr(survey, name)
        raise_grouped(survey_errors(actor, values, survey=survey))
        if survey.pk is not None and survey.status != S.DRAFT:
            values = {name: values[name] for name in ("title", "intro", "closes_on")}
        for name, value in values.items():
            setattr(survey, name, value)
        if survey.pk is None:
            survey.number = daily_number(NUMBER_PREFIX)
        survey.save()
        record_saved(actor=actor, obj=survey, before=before)
    return survey


def delete_survey(*, actor, survey):
    """Delete a survey 设计中 with its questions; a survey once opened stays (结束收集 instead)."""
    with transaction.atomic():
        survey = _locked(actor, survey)
        if survey.status != S.DRAFT:
            raise Refused(f"问卷当前状态为“{survey.get_status_display()}”，不能删除（仅设计中的问卷可以删除；"
                          "已发布的问卷请结束收集）。", code="state")
        delete_or_refuse(actor=actor, obj=survey, along=("questions",))


def copy_survey(*, actor, survey):
    """A new survey 设计中 of the same sender with the original's title (（副本）), 说明, 填写方式, 发送对象 and questions
    (skip logic pointing at the copied questions); its 截止日期 is left empty. Returns the copy."""
    with transaction.atomic():
        original = _locked(actor, survey)
        suffix = "（副本）"
        copy = Survey(federation_id=original.federation_id, chamber_id=original.chamber_id, created_by=actor,
                      number=daily_number(NUMBER_PREFIX),
                      title=(original.title[:MAX_TITLE - len(suffix)] + suffix), intro=original.intro,
                      respondent=original.respondent,
                      **{name: getattr(original, name) for name in AUDIENCE_FIELDS})
        copy.save()
        mapping = {}
        for question in original.questions.order_by("order", "id"):
            old_pk = question.pk
            show_if = mapping.get(question.show_if_id)
            question.pk = None
            question.survey = copy
            question.show_if = show_if
            question.show_if_option = question.show_if_option if show_if is not None else None
            question.save()
            mapping[old_pk] = question
        record_saved(actor=actor, obj=copy, before=None, detail={"copied_from": original.number})
    return copy


# --- the questions -------------------------------------------------------------------------------------------
def _options(value):
    if isinstance(value, str):
        value = value.splitlines()
    return [_text(option) for option in (value or []) if _text(option)]


def _decimal(value):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return "bad"


def _integer(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _label(question):
    return f"第{question.order}题“{question.text[:20]}”"


def question_errors(values, *, survey, question=None):
    """The rules of one question as [(field, message)]; normalises `values` in place (what its kind does not use is
    cleared)."""
    errors = []
    kind = values.get("kind")
    if kind not in K.values:
        return [("kind", "请选择题型。")]
    text = values["text"] = _text(values.get("text"))
    if not text:
        errors.append(("text", "请填写题目。"))
    elif len(text) > MAX_QUESTION:
        errors.append(("text", f"题目不能超过 {MAX_QUESTION} 字。"))
    values["required"] = bool(values.get("required"))
    options = _options(values.get("options"))
    values["options"] = options if kind in Question.CHOICE_KINDS else []
    if kind in Question.CHOICE_KINDS:
        if len(options) < 2:
            errors.append(("options", "选择题至少需要两个选项（每行一个）。"))
        elif len(options) > MAX_OPTIONS:
            errors.append(("options", f"选项不能超过 {MAX_OPTIONS} 个。"))
        elif any(len(option) > MAX_OPTION for option in options):
            errors.append(("options", f"每个选项不能超过 {MAX_OPTION} 字。"))
        elif len(set(options)) != len(options):
            errors.append(("options", "选项不能重复。"))
    if kind == K.SCALE:
        low, high = _integer(values.get("low")), _integer(values.get("high"))
        if low is None or high is None:
            errors.append(("low", "请填写量表的最小值和最大值（整数）。"))
        elif not (SCALE_BOUNDS[0] <= low < high <= SCALE_BOUNDS[1]):
            errors.append(("high", f"量表的取值在 {SCALE_BOUNDS[0]}–{SCALE_BOUNDS[1]} 之间，且最大值必须大于最小值。"))
        values["low"], values["high"] = low, high
        for name in ("low_label", "high_label"):
            values[name] = _text(values.get(name))
            if len(values[name]) > MAX_LABEL:
                errors.append((name, f"量表两端的含义不能超过 {MAX_LABEL} 字。"))
    else:
        values.update(low=1, high=5, low_label="", high_label="")
    if kind == K.NUMBER:
        minimum, maximum = _decimal(values.get("minimum")), _decimal(values.get("maximum"))
        for name, value in (("minimum", minimum), ("maximum", maximum)):
            if value == "bad" or (value is not None and (abs(value) > NUMBER_LIMIT or -value.as_tuple().exponent > 2)):
                errors.append((name, "请填写数字（最多两位小数）。"))
        if minimum not in (None, "bad") and maximum not in (None, "bad") and minimum > maximum:
            errors.append(("maximum", "数值上限不能小于下限。"))
        values["minimum"], values["maximum"] = minimum, maximum
        values["unit"] = _text(values.get("unit"))
        if len(values["unit"]) > MAX_UNIT:
            errors.append(("unit", f"单位不能超过 {MAX_UNIT} 字。"))
    else:
        values.update(minimum=None, maximum=None, unit="")
    errors += _skip_errors(values, survey=survey, question=question)
    if question is not None:
        errors += _dependents_errors(values, question)
    return errors


def _skip_errors(values, *, survey, question):
    show_if, option = values.get("show_if"), values.get("show_if_option")
    if show_if is None and option is None:
        values["show_if"] = values["show_if_option"] = None
        return []
    if show_if is None or option is None:
        return [("show_if", "显示条件需要同时选择题目和选项。")]
    earlier = Question.objects.filter(survey=survey)
    if question is not None:
        earlier = earlier.filter(order__lt=question.order).exclude(pk=question.pk)
    condition = earlier.filter(pk=show_if.pk).first()
    if condition is None:
        return [("show_if", "显示条件只能选择本问卷中排在本题之前的题目。")]
    if condition.kind not in Question.CHOICE_KINDS:
        return [("show_if", "显示条件只能选择单选题或多选题。")]
    option = _integer(option)
    if option is None or not 0 <= option < len(condition.options):
        return [("show_if_option", "所选选项不在该题的选项中。")]
    values["show_if"], values["show_if_option"] = condition, option
    return []


def _dependents_errors(values, question):
    """A question others depend on keeps being a choice question with the options they name."""
    errors = []
    for dependent in Question.objects.filter(show_if=question).order_by("order", "id"):
        if values["kind"] not in Question.CHOICE_KINDS:
            errors.append(("kind", f"{_label(dependent)}的显示条件依赖本题，本题只能是选择题；请先修改该题的显示条件。"))
        elif dependent.show_if_option >= len(values["options"]):
            errors.append(("options", f"{_label(dependent)}的显示条件依赖本题的第{dependent.show_if_option + 1}个选项，"
                                      "请先修改该题的显示条件。"))
        elif question.options and dependent.show_if_option < len(question.options) \
                and values["options"][dependent.show_if_option] != question.options[dependent.show_if_option]:
            errors.append(("options", f"{_label(dependent)}的显示条件依赖本题的选项"
                                      f"“{question.options[dependent.show_if_option]}”，请不要修改或调换它的位置；"
                                      "如需修改，请先修改该题的显示条件。"))
    return errors


def _renumber(survey):
    """Orders 1…n in the present order (a gap left by a deletion closed)."""
    for position, question in enumerate(Question.objects.filter(survey=survey).order_by("order", "id"), start=1):
        if question.order != position:
            Question.objects.filter(pk=question.pk).update(order=position)


def save_question(*, actor, survey, question=None, **data):
    """Add (`question` None: last) or edit a question of a survey 设计中; returns it. `data`: QUESTION_FIELDS."""
    values = {name: data.get(name) for name in QUESTION_FIELDS}
    with transaction.atomic():
        survey = _locked(actor, survey)
        _require_designing(survey)
        before = None
        if question is None:
            _renumber(survey)
            question = Question(survey=survey, order=Question.objects.filter(survey=survey).count() + 1)
        else:
            question = Question.objects.select_for_update(of=("self",)).get(pk=question.pk, survey=survey)
            before = snapshot(question)
        raise_grouped(question_errors(values, survey=survey, question=question if question.pk else None))
        for name, value in values.items():
            setattr(question, name, value)
        question.save()
        record_saved(actor=actor, obj=question, before=before, detail={"survey": survey.number})
    return question


def delete_question(*, actor, question):
    """Delete a question of a survey 设计中 that no other question's skip logic names; the rest move up."""
    with transaction.atomic():
        survey = _locked(actor, question.survey_id)
        _require_designing(survey)
        question = Question.objects.select_for_update(of=("self",)).get(pk=question.pk)
        dependents = list(Question.objects.filter(show_if=question).order_by("order", "id"))
        if dependents:
            names = "、".join(_label(d) for d in dependents)
            raise Refused(f"{names}的显示条件依赖本题，请先修改或删除这些题目的显示条件。", code="has_dependents")
        delete_or_refuse(actor=actor, obj=question, detail={"survey": survey.number})
        _renumber(survey)


def move_question(*, actor, question, direction):
    """Move a question one place up ("up") or down ("down"), keeping every skip condition before the question it
    governs. Returns the question."""
    if direction not in ("up", "down"):
        raise ValidationError({"direction": "只能上移或下移。"})
    with transaction.atomic():
        survey = _locked(actor, question.survey_id)
        _require_designing(survey)
        _renumber(survey)
        questions = list(Question.objects.select_for_update(of=("self",)).filter(survey=survey)
                         .order_by("order", "id"))
        index = next((i for i, q in enumerate(questions) if q.pk == question.pk), None)
        if index is None:
            raise PermissionDenied(OUT_OF_SCOPE)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(questions):
            raise Refused("已经是第一题，不能再上移。" if direction == "up" else "已经是最后一题，不能再下移。", code="edge")
        moved, neighbour = questions[index], questions[other]
        upper, lower = (neighbour, moved) if direction == "up" else (moved, neighbour)
        if lower.show_if_id == upper.pk:
            raise Refused(f"{_label(lower)}的显示条件依赖{_label(upper)}，它必须排在后面。", code="skip_order")
        before = snapshot(moved)
        Question.objects.filter(pk=moved.pk).update(order=neighbour.order)
        Question.objects.filter(pk=neighbour.pk).update(order=moved.order)
        moved.refresh_from_db()
        record_saved(actor=actor, obj=moved, before=before, detail={"survey": survey.number})
    return moved


# --- the states (SURVEY_FLOW) --------------------------------------------------------------------------------
def _move(actor, survey, transition, **fields):
    before = snapshot(survey)
    survey.status = SURVEY_FLOW.target(transition)
    for name, value in fields.items():
        setattr(survey, name, value)
    survey.save()
    record_saved(actor=actor, obj=survey, before=before, detail={"transition": transition})


def open_survey(*, actor, survey):
    """发布问卷: fix its recipients (the enterprises its audience reaches today) and tell their users."""
    today = _today()
    with transaction.atomic():
        survey = _locked(actor, survey, "open_survey")
        if not survey.questions.exists():
            raise Refused("问卷还没有题目，不能发布。", code="no_questions")
        if survey.closes_on is not None and survey.closes_on < today:
            raise Refused(f"截止日期（{survey.closes_on:%Y-%m-%d}）已过，请修改截止日期后再发布。", code="closed")
        errors = audience_errors(survey, sender=actor, federation_id=survey.federation_id)
        if errors:
            raise Refused("发送对象有误：" + "；".join(errors.values()), code="audience")
        reached = [r for r in recipients_of(survey, sender=actor, on=today) if r.enterprise_id]
        if not reached:
            raise Refused("发送对象中没有可以在线填写问卷的企业（没有所属企业的人士无法在手机上填写），不能发布。",
                          code="nobody")
        SurveyRecipient.objects.bulk_create([SurveyRecipient(survey=survey, enterprise_id=r.enterprise_id,
                                                             name=r.name[:200]) for r in reached])
        _move(actor, survey, "open_survey", opened_at=timezone.now(), closed_at=None)
        closes = f"，请于{survey.closes_on:%Y年%m月%d日}前填写" if survey.closes_on else ""
        notify(users_reached([r.enterprise_id for r in reached]), kind="survey", title=f"问卷调查：{survey.title}",
               body=f"{survey.intro[:200] or '请抽空填写这份问卷。'}{closes}。",
               url=reverse("communications:h5_survey", args=[survey.pk]))
    return survey


def close_survey(*, actor, survey):
    """结束收集: nobody may submit any more."""
    with transaction.atomic():
        survey = _locked(actor, survey, "close_survey")
        _move(actor, survey, "close_survey", closed_at=timezone.now())
    return survey


def reopen_survey(*, actor, survey):
    """重新开放 a closed survey (its recipients unchanged) while it has not passed its 截止日期."""
    with transaction.atomic():
        survey = _locked(actor, survey, "reopen_survey")
        if survey.closes_on is not None and survey.closes_on < _today():
            raise Refused(f"问卷已过截止日期（{survey.closes_on:%Y-%m-%d}），请先把截止日期改到今天或以后，再重新开放。",
                          code="closed")
        _move(actor, survey, "reopen_survey", closed_at=None)
    return survey
