"""The results of a survey as the user may see them (`scopes.responses_visible_to`: the federation's roles every
submitted answer sheet of their federations' surveys, a chamber secretary its chamber's active members' to its own
chamber's surveys), and the raw answers' table for the export.

- `survey_results`: per question — a choice question's count and share of each option (shares of the answer sheets
  that answered it; a multiple-choice question's shares may add up to more than 100%), a scale's distribution over
  every point and its mean, a number question's sum, mean, minimum and maximum, a text question's answers listed
  (the first `TEXT_LIMIT` on the page; the export holds them all).
- `cross_tab`: a choice or scale question's answers counted by 商会 (active chamber memberships of the answering
  enterprise in the user's scope; an enterprise in two chambers counts in both), 行业门类 (GB/T 4754 门类 of the
  enterprise) or 企业规模.
- `answer_table`: one row per answer sheet, one column per question (the export).

Each reads the visible answers in one pass (a fixed number of queries whatever the number of answers); an answer
that says nothing (no option, no number, empty text) does not count as answered.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from shanglian.common.models import IndustryCode
from shanglian.members.models import ChamberMembership, Enterprise
from shanglian.orgs.selectors import chambers_in_scope

from ..models import Answer, Question
from .responses import questions_of
from .scopes import responses_visible_to

K = Question.Kind
TEXT_LIMIT = 100
DIMENSIONS = {"chamber": "商会", "industry": "行业门类", "size": "企业规模"}
NO_CHAMBER = "未加入商会"
NOT_GIVEN = "未填写"
CROSS_KINDS = (K.SINGLE, K.MULTIPLE, K.SCALE)
TWO_PLACES = Decimal("0.01")


@dataclass
class OptionCount:
    label: str
    count: int
    share: object  # float 0–1, or None over nothing


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    options: list = field(default_factory=list)  # OptionCount: a choice's options, a scale's points
    mean: object = None  # Decimal (scale, number)
    total: object = None  # Decimal (number)
    minimum: object = None
    maximum: object = None
    texts: list = field(default_factory=list)  # (enterprise name, text), at most TEXT_LIMIT
    text_count: int = 0

    @property
    def chartable(self):
        return self.question.kind in CROSS_KINDS and self.answered > 0


def _share(count, whole):
    return count / whole if whole else None


def _two_places(value):
    return None if value is None else value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _chosen(question, choices):
    """The positions of an answer that are options of the question (a single-choice answer keeps its first)."""
    if not isinstance(choices, list):
        return []
    positions = [c for c in choices if isinstance(c, int) and not isinstance(c, bool) and 0 <= c < len(question.options)]
    positions = list(dict.fromkeys(positions))
    return positions[:1] if question.kind == K.SINGLE else positions


def _scale_point(question, number):
    if number is None or number != number.to_integral_value():
        return None
    point = int(number)
    return point if question.low <= point <= question.high else None


def scale_points(question):
    return list(range(question.low, question.high + 1))


def point_label(question, point):
    if point == question.low and question.low_label:
        return f"{point}（{question.low_label}）"
    if point == question.high and question.high_label:
        return f"{point}（{question.high_label}）"
    return str(point)


def visible_answers(user, survey):
    """The answers of the answer sheets the user may see (submitted), with the answering enterprise's id and name."""
    responses = responses_visible_to(user).filter(survey=survey)
    return Answer.objects.filter(response__in=responses.values("pk"), question__survey=survey)


def survey_results(user, survey, *, text_limit=TEXT_LIMIT):
    """{"responses": the answer sheets seen, "questions": [QuestionResult]} (see the module's docstring)."""
    questions = questions_of(survey)
    results = {q.pk: QuestionResult(q) for q in questions}
    by_question = {q.pk: q for q in questions}
    choice_counts = defaultdict(Counter)
    numbers = defaultdict(list)
    rows = (visible_answers(user, survey).order_by("response_id", "id")
            .values_list("question_id", "choices", "number", "text", "response__enterprise__name"))
    for question_id, choices, number, text, enterprise in rows:
        question, result = by_question.get(question_id), results.get(question_id)
        if question is None:
            continue
        if question.kind in Question.CHOICE_KINDS:
            chosen = _chosen(question, choices)
            if chosen:
                result.answered += 1
                choice_counts[question_id].update(chosen)
        elif question.kind == K.SCALE:
            point = _scale_point(question, number)
            if point is not None:
                result.answered += 1
                choice_counts[question_id][point] += 1
                numbers[question_id].append(number)
        elif question.kind == K.NUMBER:
            if number is not None:
                result.answered += 1
                numbers[question_id].append(number)
        elif (text or "").strip():
            result.answered += 1
            result.text_count += 1
            if len(result.texts) < text_limit:
                result.texts.append((enterprise, text.strip()))
    for question in questions:
        result, counts, values = results[question.pk], choice_counts[question.pk], numbers[question.pk]
        if question.kind in Question.CHOICE_KINDS:
            result.options = [OptionCount(label, counts[i], _share(counts[i], result.answered))
                              for i, label in enumerate(question.options)]
        elif question.kind == K.SCALE:
            result.options = [OptionCount(point_label(question, p), counts[p], _share(counts[p], result.answered))
                              for p in scale_points(question)]
        if values:
            total = sum(values, Decimal(0))
            result.mean = _two_places(total / len(values))
            if question.kind == K.NUMBER:
                result.total, result.minimum, result.maximum = total, min(values), max(values)
    responses = responses_visible_to(user).filter(survey=survey).count()
    return {"responses": responses, "questions": [results[q.pk] for q in questions]}


# --- cross-tabulation ------------------------------------------------------------------------------------------
@dataclass
class CrossRow:
    label: str
    cells: list  # OptionCount per column
    answered: int


@dataclass
class CrossTab:
    question: Question
    dimension: str
    columns: list  # the options' / points' labels
    rows: list  # CrossRow, then
    total: CrossRow = None
    note: str = ""


def _groups(user, dimension, enterprise_ids):
    """{enterprise id: [group label, …]} and the order of the labels."""
    if dimension == "chamber":
        found = defaultdict(list)
        for enterprise_id, name in (ChamberMembership.objects
                                    .filter(enterprise_id__in=enterprise_ids, status=ChamberMembership.Status.ACTIVE,
                                            chamber__in=chambers_in_scope(user).values("pk"))
                                    .order_by("chamber__name", "chamber_id").values_list("enterprise_id",
                                                                                        "chamber__name")):
            if name not in found[enterprise_id]:
                found[enterprise_id].append(name)
        labels = sorted({n for names in found.values() for n in names})
        return found, labels, NO_CHAMBER
    if dimension == "industry":
        names = dict(IndustryCode.objects.filter(level=IndustryCode.Level.SECTION).values_list("code", "name"))
        found = {pk: [f"{section} {names.get(section, '')}".strip()] if section else []
                 for pk, section in Enterprise.objects.filter(pk__in=enterprise_ids)
                 .values_list("pk", "industry__section")}
        labels = sorted({n for names_ in found.values() for n in names_})
        return found, labels, NOT_GIVEN
    sizes = dict(Enterprise.Size.choices)
    found = {pk: [sizes[size]] if size in sizes else []
             for pk, size in Enterprise.objects.filter(pk__in=enterprise_ids).values_list("pk", "size")}
    return found, [label for value, label in Enterprise.Size.choices], NOT_GIVEN


def cross_tab(user, survey, question, dimension):
    """A choice or scale question's answers (visible to the user) by `dimension` (chamber / industry / size)."""
    if question.kind not in CROSS_KINDS or question.survey_id != survey.pk:
        raise ValueError("only a choice or scale question of the survey is cross-tabulated")
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}")
    if question.kind == K.SCALE:
        keys = scale_points(question)
        columns = [point_label(question, p) for p in keys]
    else:
        keys = list(range(len(question.options)))
        columns = list(question.options)
    answers = []
    for enterprise_id, choices, number in (visible_answers(user, survey).filter(question=question)
                                           .values_list("response__enterprise_id", "choices", "number")):
        if question.kind == K.SCALE:
            point = _scale_point(question, number)
            picked = [point] if point is not None else []
        else:
            picked = _chosen(question, choices)
        if picked:
            answers.append((enterprise_id, picked))
    found, labels, fallback = _groups(user, dimension, {e for e, _ in answers})
    counts, answered = defaultdict(Counter), Counter()
    overall, overall_answered = Counter(), 0
    for enterprise_id, picked in answers:
        overall.update(picked)
        overall_answered += 1
        for label in found.get(enterprise_id) or [fallback]:
            counts[label].update(picked)
            answered[label] += 1
    order = [label for label in labels if answered[label]] + ([fallback] if answered[fallback] else [])

    def row(label, counter, whole):
        return CrossRow(label, [OptionCount(columns[i], counter[k], _share(counter[k], whole))
                                for i, k in enumerate(keys)], whole)

    note = "一家企业加入多个商会时，在每个商会中各计一次；合计按答卷计。" if dimension == "chamber" else ""
    return CrossTab(question=question, dimension=dimension, columns=columns,
                    rows=[row(label, counts[label], answered[label]) for label in order],
                    total=row("合计", overall, overall_answered), note=note)


# --- the raw answers -------------------------------------------------------------------------------------------
def answer_cell(question, answer):
    """One answer as the export writes it: option labels joined by "；", a number, a text."""
    if answer is None:
        return ""
    if question.kind in Question.CHOICE_KINDS:
        return "；".join(question.options[i] for i in _chosen(question, answer["choices"]))
    if question.kind in (K.SCALE, K.NUMBER):
        number = answer["number"]
        return "" if number is None else (int(number) if number == number.to_integral_value() else number)
    return answer["text"] or ""


def answer_table(user, survey):
    """(headers, rows): one row per visible answer sheet — 序号, 企业, 填写人, 提交时间, then one column per question
    (第N题 and its text)."""
    questions = questions_of(survey)
    headers = ["序号", "答卷编号", "填写企业", "填写人", "提交时间",
               *[f"{q.order}. {q.text}" for q in questions]]
    sheets = list(responses_visible_to(user).filter(survey=survey).order_by("submitted_at", "id")
                  .values_list("pk", "enterprise__name", "respondent__display_name", "respondent__username",
                               "submitted_at"))
    answers = defaultdict(dict)
    for response_id, question_id, choices, number, text in (visible_answers(user, survey)
                                                            .values_list("response_id", "question_id", "choices",
                                                                         "number", "text")):
        answers[response_id][question_id] = {"choices": choices, "number": number, "text": text}
    rows = []
    for index, (pk, enterprise, display_name, username, submitted_at) in enumerate(sheets, start=1):
        when = timezone.localtime(submitted_at).strftime("%Y-%m-%d %H:%M") if submitted_at else ""
        rows.append([index, pk, enterprise, display_name or username or "", when,
                     *[answer_cell(q, answers[pk].get(q.pk)) for q in questions]])
    return headers, rows
