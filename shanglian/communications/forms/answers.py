"""The answer form built from a survey's questions (the phone's 填写问卷), the search of the answers received, and
转为诉求 from an answer.

The answer form only parses: every field is optional here, and `services.responses.save_answers` checks the
values (required questions the skip logic shows, choices, ranges) and names the question at fault; the view puts
its errors back on the fields ("q<question id>")."""

from django import forms

from shanglian.appeals.forms import AppealCreateForm
from shanglian.common.forms import Form

from ..models import Question
from ..selectors.responses import number_text

TITLE_LIMIT = 100


def field_name(question):
    return f"q{question.pk}"


def _scale_choices(question):
    choices = []
    for point in range(question.low, question.high + 1):
        meaning = {question.low: question.low_label, question.high: question.high_label}.get(point, "")
        choices.append((str(point), f"{point} {meaning}".strip()))
    return choices


def _field(question):
    label = question.text
    options = [(str(i), text) for i, text in enumerate(question.options or [])]
    if question.kind == Question.Kind.SINGLE:
        return forms.ChoiceField(label=label, required=False, choices=options, widget=forms.RadioSelect,
                                 error_messages={"invalid_choice": "所选选项不在本题的选项中。"})
    if question.kind == Question.Kind.MULTIPLE:
        return forms.MultipleChoiceField(label=label, required=False, choices=options,
                                         widget=forms.CheckboxSelectMultiple,
                                         error_messages={"invalid_choice": "所选选项不在本题的选项中。"})
    if question.kind == Question.Kind.SCALE:
        return forms.ChoiceField(label=label, required=False, choices=_scale_choices(question),
                                 widget=forms.RadioSelect,
                                 error_messages={"invalid_choice": f"请在 {question.low} 到 {question.high} 之间选择。"})
    if question.kind == Question.Kind.NUMBER:
        return forms.CharField(label=label, required=False, max_length=30,
                               widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
                               error_messages={"max_length": "请填写数字。"})
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}))


def _initial(question, value):
    if value is None:
        return None
    if question.kind == Question.Kind.SINGLE:
        return str(value[0]) if value else None
    if question.kind == Question.Kind.MULTIPLE:
        return [str(p) for p in value]
    if question.kind == Question.Kind.SCALE:
        return str(value)
    if question.kind == Question.Kind.NUMBER:
        return number_text(value)
    return value


class AnswerForm(Form):
    """One field per question ("q<id>"), in the survey's order; `values()` gives `save_answers` its mapping."""

    def __init__(self, *args, questions, saved=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        saved = saved or {}
        for question in self.questions:
            name = field_name(question)
            self.fields[name] = _field(question)
            if question.pk in saved:
                self.initial[name] = _initial(question, saved[question.pk])

    def values(self):
        """{question id: raw value} from the cleaned data: positions for choices, the point of a scale, the text
        of a number (checked by the service), the text."""
        values = {}
        for question in self.questions:
            raw = self.cleaned_data.get(field_name(question))
            if question.kind == Question.Kind.SINGLE:
                values[question.pk] = [int(raw)] if raw not in (None, "") else []
            elif question.kind == Question.Kind.MULTIPLE:
                values[question.pk] = [int(v) for v in raw or []]
            elif question.kind == Question.Kind.SCALE:
                values[question.pk] = int(raw) if raw not in (None, "") else None
            else:
                values[question.pk] = raw or ""
        return values

    def rows(self):
        """What the template lays out: each question with its number, its bound field and its skip condition."""
        rows = []
        for number, question in enumerate(self.questions, start=1):
            condition = None
            if question.show_if_id is not None:
                parent = question.show_if
                options = (parent.options or []) if parent is not None else []
                label = options[question.show_if_option] if 0 <= (question.show_if_option or 0) < len(options) else ""
                condition = {"field": f"q{question.show_if_id}", "option": question.show_if_option,
                             "text": f"（前面“{parent.text}”选择“{label}”时填写）" if parent is not None else ""}
            rows.append({"number": number, "question": question, "field": self[field_name(question)],
                         "condition": condition})
        return rows

    def add_service_errors(self, error):
        """A `ValidationError` of `save_answers`: each "q<id>" on its field, anything else on the form."""
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, error)


class ResponseSearchForm(Form):
    q = forms.CharField(label="企业", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "企业名称或统一社会信用代码"}),
                        error_messages={"max_length": "关键词不能超过100个字。"})

    def filters(self):
        return {"q": self.cleaned_data.get("q") or ""}


class ResponseAppealForm(AppealCreateForm):
    """转为诉求: the desk's registration form with the answering enterprise fixed; the question and its answer as
    the first content."""

    def __init__(self, *args, question=None, answer="", **kwargs):
        if question is not None:
            content = f"{question.text}\n答复：{answer}" if answer else question.text
            first = (answer or question.text).strip().splitlines()[0] if (answer or question.text).strip() else ""
            kwargs.setdefault("initial", {"title": first if len(first) <= TITLE_LIMIT else first[:TITLE_LIMIT - 1]
                                          + "…", "content": content})
        super().__init__(*args, **kwargs)
        del self.fields["channel"]
        del self.fields["enterprise"]
        self.fields["source_note"].label = "补充说明"
        self.fields["source_note"].help_text = "来源问卷（名称、编号、题目）会自动记录。"
