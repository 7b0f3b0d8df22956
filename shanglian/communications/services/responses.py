"""答卷: an enterprise's user answers a survey sent to its enterprise; the sender reminds the silent and turns a
problem an answer reveals into an appeal.

- `save_answers(*, actor, survey, values, submit=False)`: only a user of a recipient enterprise, only while the
  survey is 收集中 and not past its 截止日期. `values` maps a question id (or its string) to the raw value: a list
  of 0-based option positions for a choice question (one for 单选), a whole number for a scale, a number, a text.
  Every value is checked (choices within the options, a scale within low–high, a number within its bounds), and on
  `submit` every required question the skip logic shows must be answered; answers to questions it hides are
  dropped. Anything wrong: one `ValidationError` naming every question at fault ("第3题：…", keyed "q<id>"),
  nothing written. One answer sheet per respondent (`Response.respondent_key`: the enterprise's "e<id>", or the
  user's "u<id>" for a survey answered per person), unique in the database: the existing sheet is locked and
  re-read; two first saves at once leave one sheet, the other refused in Chinese. A draft may be saved and resumed
  (by any of the enterprise's users for a survey answered per enterprise); a submitted sheet no longer changes.
- `remind_silent(*, actor, survey)`: 提醒未填 — the recipient enterprises without a submitted answer, told again
  through `services.reminders.remind_recipients` (once a day each).
- `raise_appeal_from_response(*, actor, response, question=None, **appeal_fields)`: 转为诉求 — an appeal of the
  answering enterprise (channel 问卷调查) whose source names the survey and the question, linked both ways
  (`ResponseAppeal`); the desk's own rule applies: only the editors register an appeal for an enterprise.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from shanglian.accounts.roles import EDITOR_ROLES, SENDER_ROLES, Role, role_of
from shanglian.appeals.models import Channel
from shanglian.appeals.services import submit_appeal
from shanglian.audit.models import AuditAction
from shanglian.audit.services import record
from shanglian.common.errors import Refused
from shanglian.common.validators import strip_control_characters

from ..models import Answer, Question, Response, ResponseAppeal, Survey, SurveyRecipient
from ..selectors.responses import numbered, questions_of, respondent_key, silent_recipients, visible_questions
from ..selectors.scopes import responses_visible_to, surveys_visible_to
from .reminders import remind_recipients

SURVEY_NOTIFICATION_KIND = "survey"
MAX_TEXT = 2000
NUMBER_LIMIT = Decimal("100000000000000")  # 16 digits, 2 of them decimals (Answer.number)
SOURCE_NOTE_LIMIT = 200
Q = Question.Kind


# --- answering -----------------------------------------------------------------------------------------------------
class _Unanswered(Exception):
    pass


def _positions(question, raw):
    """The chosen positions of a choice question, sorted; ValueError with the reason."""
    if raw is None or raw == "" or raw == []:
        raise _Unanswered
    items = raw if isinstance(raw, (list, tuple)) else [raw]
    positions = []
    for item in items:
        if isinstance(item, bool):
            raise ValueError("选项无效。")
        if isinstance(item, str) and item.strip().isdigit():
            item = int(item.strip())
        if not isinstance(item, int):
            raise ValueError("选项无效。")
        if not 0 <= item < len(question.options or []):
            raise ValueError("所选选项不在本题的选项中。")
        positions.append(item)
    positions = sorted(set(positions))
    if not positions:
        raise _Unanswered
    if question.kind == Q.SINGLE and len(positions) > 1:
        raise ValueError("单选题只能选择一个选项。")
    return positions


def _decimal(raw):
    if isinstance(raw, bool):
        raise ValueError("请填写数字。")
    if isinstance(raw, str):
        raw = raw.strip().replace(",", "")
        if raw == "":
            raise _Unanswered
    if raw is None:
        raise _Unanswered
    try:
        value = Decimal(str(raw)) if not isinstance(raw, Decimal) else raw
    except (InvalidOperation, ValueError):
        raise ValueError("请填写数字。") from None
    if not value.is_finite():
        raise ValueError("请填写数字。")
    return value


def _scale(question, raw):
    value = _decimal(raw)
    if value != value.to_integral_value() or not question.low <= value <= question.high:
        raise ValueError(f"请在 {question.low} 到 {question.high} 之间选择。")
    return Decimal(int(value))


def _number(question, raw):
    value = _decimal(raw)
    if value != value.quantize(Decimal("0.01")):
        raise ValueError("最多保留两位小数。")
    if abs(value) >= NUMBER_LIMIT:
        raise ValueError("数值过大。")
    if question.minimum is not None and value < question.minimum:
        raise ValueError(f"不能小于 {_plain(question.minimum)}{question.unit}。")
    if question.maximum is not None and value > question.maximum:
        raise ValueError(f"不能大于 {_plain(question.maximum)}{question.unit}。")
    return value


def _plain(value):
    return format(Decimal(value).normalize(), "f")


def _text(raw):
    if raw is None:
        raise _Unanswered
    if not isinstance(raw, str):
        raise ValueError("请填写文字。")
    text = strip_control_characters(raw, multiline=True).strip()
    if not text:
        raise _Unanswered
    if len(text) > MAX_TEXT:
        raise ValueError(f"不能超过 {MAX_TEXT} 字（现为 {len(text)} 字）。")
    return text


def _answer(question, raw):
    """An unsaved `Answer` of `question` from its raw value; None when unanswered; ValueError with the reason."""
    if question.kind in Question.CHOICE_KINDS:
        return Answer(question=question, choices=_positions(question, raw))
    if question.kind == Q.SCALE:
        return Answer(question=question, number=_scale(question, raw))
    if question.kind == Q.NUMBER:
        return Answer(question=question, number=_number(question, raw))
    return Answer(question=question, text=_text(raw))


def _question_ids(values):
    """{question id: raw value}; ValidationError when a key is not an id."""
    if not isinstance(values, dict):
        raise ValidationError("答案格式有误。")
    by_id = {}
    for key, raw in values.items():
        if isinstance(key, bool) or not (isinstance(key, int) or (isinstance(key, str) and key.strip().isdigit())):
            raise ValidationError("答案格式有误：题目编号无效。")
        by_id[int(key)] = raw
    return by_id


def checked_answers(questions, values, *, submit):
    """The answers `values` give to the questions the skip logic shows, checked; ValidationError naming every
    question at fault (keyed "q<id>"). Unknown question ids are refused; hidden questions' answers dropped."""
    by_id = _question_ids(values)
    known = {q.pk for q in questions}
    if set(by_id) - known:
        raise ValidationError("答案中有不属于本问卷的题目，请刷新页面后重新填写。")
    numbers = numbered(questions)
    answers, errors = [], {}
    for question in visible_questions(questions, by_id):
        try:
            answer = _answer(question, by_id.get(question.pk))
        except _Unanswered:
            if submit and question.required:
                errors[f"q{question.pk}"] = [f"第{numbers[question.pk]}题：此题为必答题，请作答。"]
            continue
        except ValueError as exc:
            errors[f"q{question.pk}"] = [f"第{numbers[question.pk]}题：{exc}"]
            continue
        answers.append(answer)
    if errors:
        raise ValidationError(errors)
    return answers


def answer_refusal(survey, *, today=None):
    """Why the survey cannot be answered now, or "" (收集中 and not past its 截止日期)."""
    today = today or timezone.localdate()
    if survey.status == Survey.Status.DRAFT:
        return "问卷尚未发布，不能填写。"
    if survey.status == Survey.Status.CLOSED:
        return "问卷已结束收集，不能再填写。"
    if survey.closes_on and today > survey.closes_on:
        return f"问卷已于 {survey.closes_on:%Y-%m-%d} 截止，不能再填写。"
    return ""


def _require_respondent(actor, survey):
    if role_of(actor) != Role.ENTERPRISE or not actor.enterprise_id:
        raise PermissionDenied("只有收到问卷的企业用户可以填写问卷。")
    if not SurveyRecipient.objects.filter(survey_id=survey.pk, enterprise_id=actor.enterprise_id).exists():
        raise PermissionDenied("该问卷没有发给贵企业。")


def save_answers(*, actor, survey, values, submit=False):
    """保存草稿 (`submit=False`) or 提交 the actor's answer sheet of `survey`; see the module's docstring. Returns the
    response."""
    survey = Survey.objects.get(pk=getattr(survey, "pk", survey))
    _require_respondent(actor, survey)
    refusal = answer_refusal(survey)
    if refusal:
        raise Refused(refusal, code="closed")
    questions = questions_of(survey)
    answers = checked_answers(questions, values, submit=submit)
    key = respondent_key(actor, survey)
    with transaction.atomic():
        existing = Response.objects.select_for_update(of=("self",)).filter(survey=survey, respondent_key=key)
        response = existing.first()
        created = response is None
        if created:
            try:
                with transaction.atomic():
                    response = Response.objects.create(survey=survey, enterprise_id=actor.enterprise_id,
                                                       respondent=actor, respondent_key=key)
            except IntegrityError:
                raise Refused("这份问卷刚刚已由他人保存或提交，请刷新页面后查看。", code="simultaneous") from None
        if response.status == Response.Status.SUBMITTED:
            raise Refused("这份问卷已经提交，不能再修改。", code="submitted")
        survey = Survey.objects.get(pk=survey.pk)  # closed meanwhile?
        refusal = answer_refusal(survey)
        if refusal:
            raise Refused(refusal, code="closed")
        response.answers.all().delete()
        for answer in answers:
            answer.response = response
        Answer.objects.bulk_create(answers)
        response.respondent = actor
        if submit:
            response.status = Response.Status.SUBMITTED
            response.submitted_at = timezone.now()
        response.save(update_fields=["respondent", "status", "submitted_at", "saved_at"])
        record(AuditAction.CREATE if created else AuditAction.UPDATE, actor=actor, obj=response, detail={
            "survey": survey.number, "status": response.status, "answers": len(answers),
            "action": "submit" if submit else "draft"})
    return response


# --- the sender: reminders and appeals -----------------------------------------------------------------------------
def remind_silent(*, actor, survey):
    """提醒未填: the recipient enterprises of an open survey without a submitted answer, told again (once a day
    each). Returns how many were reminded (0 when all of them were reminded today)."""
    if role_of(actor) not in SENDER_ROLES:
        raise PermissionDenied("您没有提醒填写问卷的权限。")
    survey = surveys_visible_to(actor).filter(pk=getattr(survey, "pk", survey)).first()
    if survey is None:
        raise PermissionDenied("您无权处理该问卷。")
    if survey.status != Survey.Status.OPEN:
        raise Refused(f"问卷{survey.get_status_display()}，不能提醒填写。", code="state")
    silent = silent_recipients(survey)
    if not silent.exists():
        raise Refused("全部填写对象都已提交，无需提醒。", code="all_answered")
    closes = f"，截止日期 {survey.closes_on:%Y-%m-%d}" if survey.closes_on else ""
    with transaction.atomic():
        count = remind_recipients(silent, kind=SURVEY_NOTIFICATION_KIND, title=f"请填写问卷：{survey.title}",
                                  body=f"您还没有提交问卷《{survey.title}》{closes}，请登录商联通填写。",
                                  url=reverse("communications:h5_survey", args=[survey.pk]))
        if count:
            record(AuditAction.UPDATE, actor=actor, obj=survey, detail={"action": "remind_silent", "reminded": count})
    return count


def may_raise_appeals(user):
    """Whether `user` may turn an answer into an appeal: the desk registers appeals for an enterprise
    (`appeals.services.submit_appeal` takes EDITOR_ROLES)."""
    return role_of(user) in EDITOR_ROLES


def source_note(response, question=None, number=None):
    """What the appeal says of where it came from: the survey, and the question when one is named."""
    survey = response.survey
    note = f"问卷《{survey.title}》（{survey.number}）"
    if question is not None:
        note += f"第{number}题：{question.text}" if number else f"：{question.text}"
    return note if len(note) <= SOURCE_NOTE_LIMIT else note[:SOURCE_NOTE_LIMIT - 1] + "…"


def raise_appeal_from_response(*, actor, response, question=None, **appeal_fields):
    """转为诉求: see the module's docstring. `appeal_fields` are `submit_appeal`'s (category, title, content,
    urgency, contact_name, contact_mobile, files, rights); a `source_note` given is added after the survey's."""
    if not may_raise_appeals(actor):
        raise PermissionDenied("只有工商联工作人员可以将问卷反映的问题登记为诉求。")
    appeal_fields.pop("enterprise", None)
    appeal_fields.pop("channel", None)
    extra = (appeal_fields.pop("source_note", "") or "").strip()
    with transaction.atomic():
        response = (responses_visible_to(actor).select_for_update(of=("self",))
                    .filter(pk=getattr(response, "pk", response)).first())
        if response is None:
            raise PermissionDenied("您没有处理该答卷的权限。")
        number = None
        if question is not None:
            questions = questions_of(response.survey)
            numbers = numbered(questions)
            question_id = getattr(question, "pk", question)
            if question_id not in numbers:
                raise ValidationError("所选题目不属于这份问卷。")
            question = next(q for q in questions if q.pk == question_id)
            number = numbers[question_id]
        note = source_note(response, question, number)
        if extra:
            note = f"{note}；{extra}"[:SOURCE_NOTE_LIMIT]
        appeal = submit_appeal(actor=actor, enterprise=response.enterprise, channel=Channel.SURVEY,
                               source_note=note, **appeal_fields)
        ResponseAppeal.objects.create(response=response, question=question, appeal=appeal)
        record(AuditAction.UPDATE, actor=actor, obj=response, detail={
            "appeal_raised": appeal.number, "changes": [{"field": "转为诉求", "old": "", "new": appeal.number}]})
    return appeal
