"""Forms of the surveys part (staff): the list's search, 新建/编辑问卷 (its audience through `forms.audience`, shown
only while the survey is 设计中), a question (options one per line; the skip condition chosen among the earlier
choice questions and their options) and the results' cross-tabulation. They parse what was typed;
`services.surveys` checks every rule again and writes."""

from django import forms

from shanglian.common.forms import Form, date_field

from ..models import Question, Survey
from ..selectors.results import CROSS_KINDS, DIMENSIONS
from .audience import AudienceFields

K = Question.Kind
MAX_OPTIONS_TEXT = 4000


class SurveySearchForm(Form):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "标题或编号"}))
    status = forms.ChoiceField(label="状态", required=False,
                               choices=[("", "全部"), *Survey.Status.choices, ("overdue", "已过截止日期仍在收集")],
                               error_messages={"invalid_choice": "请选择有效的状态。"})


class SurveyForm(AudienceFields, Form):
    """新建问卷 / 编辑问卷. The audience and 填写方式 only while the survey is 设计中 (they are fixed when it opens)."""

    title = forms.CharField(label="问卷标题", max_length=100,
                            error_messages={"required": "请填写问卷标题。", "max_length": "问卷标题不能超过 100 字。"})
    intro = forms.CharField(label="说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                            help_text="填写前看到的说明：调查目的、用途和保密承诺等。",
                            error_messages={"max_length": "说明不能超过 2000 字。"})
    respondent = forms.ChoiceField(label="填写方式", choices=Survey.Respondent.choices,
                                   initial=Survey.Respondent.ENTERPRISE,
                                   help_text="每家企业填写一份：同一企业的账号共用一份答卷；每人填写一份：企业的每个账号各填一份。",
                                   error_messages={"required": "请选择填写方式。",
                                                   "invalid_choice": "请选择有效的填写方式。"})
    closes_on = date_field("截止日期", help_text="过了截止日期不能再提交；可留空，由发起人结束收集。")

    def __init__(self, *args, user, instance=None, **kwargs):
        self.instance = instance
        if instance is not None:
            initial = {name: getattr(instance, name) for name in ("title", "intro", "respondent", "closes_on",
                                                                  "audience")}
            initial.update({name: getattr(instance, f"{name}_id") for name in
                            ("chamber_audience", "committee", "working_group", "event", "saved_filter")})
            kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.designing = instance is None or instance.status == Survey.Status.DRAFT
        if self.designing:
            self.scope_audience(user)
        else:
            del self.fields["respondent"]

    @property
    def sections(self):
        basic = [name for name in ("title", "intro", "respondent", "closes_on") if name in self.fields]
        audience = [name for name in ("audience", "chamber_audience", "committee", "working_group", "event",
                                      "saved_filter") if name in self.fields]
        return [("问卷", basic), *([("发送对象", audience)] if audience else [])]

    def service_kwargs(self):
        data = self.cleaned_data
        values = {name: data.get(name) for name in ("title", "intro", "closes_on")}
        if self.designing:
            values["respondent"] = data.get("respondent")
            values.update(self.audience_data())
        return values


class QuestionForm(Form):
    """A question: its kind, text, 必答, what its kind needs, and its skip condition (显示条件)."""

    kind = forms.ChoiceField(label="题型", choices=K.choices, initial=K.SINGLE,
                             error_messages={"required": "请选择题型。", "invalid_choice": "请选择有效的题型。"})
    text = forms.CharField(label="题目", max_length=300,
                           error_messages={"required": "请填写题目。", "max_length": "题目不能超过 300 字。"})
    required = forms.BooleanField(label="必答", required=False, initial=True)
    options = forms.CharField(label="选项", required=False, max_length=MAX_OPTIONS_TEXT,
                              widget=forms.Textarea(attrs={"rows": 5, "placeholder": "每行一个选项"}),
                              help_text="单选题、多选题填写，每行一个，至少两个。",
                              error_messages={"max_length": "选项内容过长。"})
    low = forms.IntegerField(label="量表最小值", required=False, initial=1, min_value=0, max_value=10,
                             help_text="量表题填写，0–10 之间的整数。",
                             error_messages={"invalid": "量表最小值须为整数。", "min_value": "量表最小值不能小于 0。",
                                             "max_value": "量表最小值不能大于 10。"})
    high = forms.IntegerField(label="量表最大值", required=False, initial=5, min_value=0, max_value=10,
                              error_messages={"invalid": "量表最大值须为整数。", "min_value": "量表最大值不能小于 0。",
                                              "max_value": "量表最大值不能大于 10。"})
    low_label = forms.CharField(label="最小值含义", required=False, max_length=20,
                                widget=forms.TextInput(attrs={"placeholder": "如：很不满意"}),
                                error_messages={"max_length": "最小值含义不能超过 20 字。"})
    high_label = forms.CharField(label="最大值含义", required=False, max_length=20,
                                 widget=forms.TextInput(attrs={"placeholder": "如：非常满意"}),
                                 error_messages={"max_length": "最大值含义不能超过 20 字。"})
    minimum = forms.DecimalField(label="数值下限", required=False, max_digits=16, decimal_places=2,
                                 help_text="数值题可填，留空表示不限。",
                                 error_messages={"invalid": "数值下限须为数字。",
                                                 "max_decimal_places": "数值下限最多两位小数。",
                                                 "max_digits": "数值下限过大。", "max_whole_digits": "数值下限过大。"})
    maximum = forms.DecimalField(label="数值上限", required=False, max_digits=16, decimal_places=2,
                                 error_messages={"invalid": "数值上限须为数字。",
                                                 "max_decimal_places": "数值上限最多两位小数。",
                                                 "max_digits": "数值上限过大。", "max_whole_digits": "数值上限过大。"})
    unit = forms.CharField(label="单位", required=False, max_length=10,
                           widget=forms.TextInput(attrs={"placeholder": "如：万元、人"}),
                           error_messages={"max_length": "单位不能超过 10 字。"})
    condition = forms.ChoiceField(label="显示条件", required=False,
                                  help_text="仅当前面的某道选择题选了某个选项时才显示本题；不选则总是显示。",
                                  error_messages={"invalid_choice": "显示条件只能选择排在本题之前的选择题的选项。"})

    SECTIONS = [("题目", ["kind", "text", "required"]), ("选择题", ["options"]),
                ("量表题", ["low", "high", "low_label", "high_label"]), ("数值题", ["minimum", "maximum", "unit"]),
                ("跳题逻辑", ["condition"])]

    def __init__(self, *args, survey, instance=None, **kwargs):
        self.instance = instance
        if instance is not None:
            initial = {name: getattr(instance, name) for name in ("kind", "text", "required", "low", "high",
                                                                  "low_label", "high_label", "minimum", "maximum",
                                                                  "unit")}
            initial["options"] = "\n".join(instance.options or [])
            if instance.show_if_id is not None and instance.show_if_option is not None:
                initial["condition"] = f"{instance.show_if_id}:{instance.show_if_option}"
            kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        earlier = survey.questions.filter(kind__in=Question.CHOICE_KINDS).order_by("order", "id")
        if instance is not None:
            earlier = earlier.filter(order__lt=instance.order).exclude(pk=instance.pk)
        self.conditions = {}
        choices = [("", "（总是显示）")]
        for question in earlier:
            for position, option in enumerate(question.options or []):
                key = f"{question.pk}:{position}"
                self.conditions[key] = (question, position)
                choices.append((key, f"第{question.order}题“{question.text[:20]}”选“{option}”"))
        self.fields["condition"].choices = choices

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        show_if, position = self.conditions.get(data.pop("condition") or "", (None, None))
        data["show_if"], data["show_if_option"] = show_if, position
        return data


class CrossTabForm(Form):
    """交叉分析: one choice or scale question of the survey by 商会 / 行业门类 / 企业规模."""

    question = forms.ChoiceField(label="题目", required=False,
                                 error_messages={"invalid_choice": "只能选择本问卷的选择题或量表题。"})
    by = forms.ChoiceField(label="分组", required=False, choices=list(DIMENSIONS.items()), initial="chamber",
                           error_messages={"invalid_choice": "分组只能是商会、行业门类或企业规模。"})

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = {str(q.pk): q for q in questions if q.kind in CROSS_KINDS}
        self.fields["question"].choices = [("", "请选择题目"), *[(pk, f"{q.order}. {q.text[:30]}")
                                                            for pk, q in self.questions.items()]]

    def chosen(self):
        """(question, dimension) when the form is valid and names a question, else None."""
        if not self.is_bound or not self.is_valid() or not self.cleaned_data.get("question"):
            return None
        return self.questions[self.cleaned_data["question"]], self.cleaned_data.get("by") or "chamber"
