"""Reads of the answers: the skip logic (`visible_questions`, the one definition the answer form, the service and
the API use), the surveys an enterprise's user was sent with their status for the user, the inbox of notices with
their read marks, one respondent's answer sheet, the answers of one survey as its sender sees them, and the
answers read back as text.

Every read starts from `selectors.scopes`.
"""

from decimal import Decimal

from django.db.models import OuterRef, Q, Subquery

from shanglian.appeals.selectors import appeals_visible_to

from ..models import NoticeAttachment, NoticeRecipient, Question, Response, ResponseAppeal, Survey
from .scopes import notices_received_by, responses_visible_to, surveys_sent_to


# --- the skip logic ------------------------------------------------------------------------------------------------
def _raw(values, question_id):
    """The raw value given for a question, whether the mapping's keys are ids or their strings (JSON)."""
    if question_id in values:
        return values[question_id]
    return values.get(str(question_id))


def chosen_positions(raw):
    """The option positions a raw choice value names: a list (or tuple/set) of positions, one position, or their
    strings; anything else names none."""
    if raw is None or isinstance(raw, bool):
        return set()
    items = raw if isinstance(raw, (list, tuple, set)) else [raw]
    positions = set()
    for item in items:
        if isinstance(item, bool):
            continue
        if isinstance(item, int):
            positions.add(item)
        elif isinstance(item, str) and item.strip().isdigit():
            positions.add(int(item.strip()))
    return positions


def visible_questions(questions, values):
    """The questions shown for `values` (question id → raw value): in their order, a question with a skip condition
    is shown only when its condition question is shown and was answered with the option `show_if_option`.
    A condition naming a question that is not among `questions`, or a later one, hides the question."""
    shown, shown_ids = [], set()
    for question in questions:
        if question.show_if_id is not None:
            if question.show_if_id not in shown_ids:
                continue
            if question.show_if_option not in chosen_positions(_raw(values, question.show_if_id)):
                continue
        shown.append(question)
        shown_ids.add(question.pk)
    return shown


def questions_of(survey):
    """A survey's questions in their order (with their skip condition's question)."""
    return list(Question.objects.filter(survey=survey).select_related("show_if").order_by("order", "id"))


def numbered(questions):
    """{question id: its number as shown (1-based position in the survey)}."""
    return {q.pk: i for i, q in enumerate(questions, start=1)}


# --- an answer as text ---------------------------------------------------------------------------------------------
def number_text(value):
    """A Decimal as people write it: 12.50 → 12.5, 100.00 → 100."""
    if value is None:
        return ""
    value = Decimal(value)
    text = format(value.quantize(Decimal("0.01")).normalize(), "f")
    return "0" if text in ("-0", "") else text


def answer_text(question, answer):
    """What was answered, as text: the options' labels, the scale's point (with its meaning at an end), the number
    with its unit, the text; "" when unanswered."""
    if answer is None:
        return ""
    if question.kind in Question.CHOICE_KINDS:
        options = question.options or []
        labels = [options[p] if 0 <= p < len(options) else f"选项{p + 1}" for p in sorted(answer.choices or [])]
        return "、".join(labels)
    if question.kind == Question.Kind.SCALE:
        if answer.number is None:
            return ""
        point = int(answer.number)
        meaning = {question.low: question.low_label, question.high: question.high_label}.get(point, "")
        return f"{point}（{meaning}）" if meaning else str(point)
    if question.kind == Question.Kind.NUMBER:
        return f"{number_text(answer.number)}{question.unit}" if answer.number is not None else ""
    return answer.text


def answer_values(response):
    """{question id: raw value} of a response's answers, as `save_answers` takes them (a draft resumed)."""
    if response is None:
        return {}
    values = {}
    for answer in response.answers.select_related("question"):
        kind = answer.question.kind
        if kind in Question.CHOICE_KINDS:
            values[answer.question_id] = list(answer.choices or [])
        elif kind == Question.Kind.SCALE:
            values[answer.question_id] = int(answer.number) if answer.number is not None else None
        elif kind == Question.Kind.NUMBER:
            values[answer.question_id] = answer.number
        else:
            values[answer.question_id] = answer.text
    return values


def answer_rows(questions, response):
    """The response read back: one row per question shown by its answers — number, question, text of the answer
    ("" when not answered)."""
    answers = {a.question_id: a for a in response.answers.all()} if response is not None else {}
    values = answer_values(response) if response is not None else {}
    numbers = numbered(questions)
    return [{"number": numbers[q.pk], "question": q, "text": answer_text(q, answers.get(q.pk)),
             "answered": q.pk in answers}
            for q in visible_questions(questions, values)]


# --- the enterprise's phone ----------------------------------------------------------------------------------------
def respondent_key(user, survey):
    """Whose answer sheet a user fills in: the enterprise's ("e<id>") or the user's own ("u<id>")."""
    if survey.respondent == Survey.Respondent.PERSON:
        return f"u{user.pk}"
    return f"e{user.enterprise_id}"


def my_response(user, survey):
    """The answer sheet `user` fills in for `survey` (a draft or submitted), or None."""
    return (responses_visible_to(user).filter(survey=survey, respondent_key=respondent_key(user, survey))
            .select_related("respondent").first())


def my_surveys(user):
    """The surveys sent to the user's enterprise, newest first, each with `my_status` (the status of the user's
    answer sheet: None, draft, submitted)."""
    keys = Q(respondent_key=f"e{user.enterprise_id}") | Q(respondent_key=f"u{user.pk}")
    mine = Response.objects.filter(keys, survey=OuterRef("pk"), enterprise_id=user.enterprise_id)
    return (surveys_sent_to(user).annotate(my_status=Subquery(mine.values("status")[:1]))
            .order_by("-opened_at", "-id"))


def inbox(user):
    """The notices sent to the user's enterprise (not withdrawn), newest first, each with `read_at` (the
    enterprise's receipt: None while unread)."""
    receipt = NoticeRecipient.objects.filter(notice=OuterRef("pk"), enterprise_id=user.enterprise_id)
    return (notices_received_by(user).select_related("chamber", "federation")
            .annotate(read_at=Subquery(receipt.values("read_at")[:1])).order_by("-sent_at", "-id"))


def unread_count(user):
    return inbox(user).filter(read_at__isnull=True).count()


def received_attachments(user):
    """The attachments of the notices in the user's inbox."""
    return NoticeAttachment.objects.filter(notice__in=notices_received_by(user))


# --- the sender's side ---------------------------------------------------------------------------------------------
def survey_responses(user, survey, *, filters=None):
    """The submitted answers to `survey` that `user` may read (`scopes.responses_visible_to`), searched by the
    enterprise's name or credit code."""
    qs = responses_visible_to(user).filter(survey=survey).select_related("enterprise", "respondent")
    q = ((filters or {}).get("q") or "").strip()
    if q:
        qs = qs.filter(Q(enterprise__name__icontains=q) | Q(enterprise__uscc__iexact=q))
    return qs


def silent_recipients(survey):
    """The survey's recipient enterprises that have not submitted an answer: who 提醒未填 reminds. A person without
    an enterprise has no account to answer with, so only enterprises are counted."""
    answered = Response.objects.filter(survey=survey, status=Response.Status.SUBMITTED).values("enterprise_id")
    return survey.recipients.filter(enterprise__isnull=False).exclude(enterprise_id__in=answered)


def response_appeals(user, response):
    """The appeals opened from `response` that `user` may read (newest first), and how many others there are."""
    links = ResponseAppeal.objects.filter(response=response)
    shown = list(links.filter(appeal__in=appeals_visible_to(user)).select_related(
        "appeal", "appeal__category", "question").order_by("-id"))
    return shown, links.count() - len(shown)
