"""Forms of 调研报告: the list's search form and a report's own form (新增/编辑). They parse; the service
(`services.reports.save_report`) checks every rule again and its field errors come back onto the form."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from shanglian.common.forms import FILES_HELP, Form, ModelMultipleChoiceField, MultipleFileField, date_field
from shanglian.common.pickers import ChecklistPicker
from shanglian.engagement.models import Visit

from ..models import ReportDocument, ResearchReport, Survey
from ..selectors import reports as selectors

R = ResearchReport
FIRST_YEAR = 1990


def year_field():
    last = timezone.localdate().year + 1
    between = f"年度应在 {FIRST_YEAR} 年至 {last} 年之间。"
    return forms.IntegerField(label="年度", required=False, min_value=FIRST_YEAR, max_value=last,
                              widget=forms.NumberInput(attrs={"placeholder": "如：2025"}),
                              error_messages={"invalid": "年度应为四位数字，如 2025。", "min_value": between,
                                              "max_value": between})


class ReportSearchForm(Form):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "报告标题或调研主题"}))
    method = forms.ChoiceField(label="调研方式", required=False, choices=[("", "全部"), *R.Method.choices])
    submitted_to = forms.ChoiceField(label="报送对象", required=False, choices=[
        ("", "全部"), ("none", "未报送"), *[(v, label) for v, label in R.Destination.choices if v]])
    instructed = forms.ChoiceField(label="批示", required=False,
                                   choices=[("", "全部"), ("yes", "获得批示"), ("no", "未获批示")])
    year = forms.IntegerField(label="年度", required=False)  # bounded in __init__ (the year moves)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"] = year_field()


def _describe_survey(survey):
    opened = f"{timezone.localtime(survey.opened_at):%Y-%m-%d} 发布" if survey.opened_at else ""
    return survey.title, f"{survey.number} {opened}".strip(), survey.number


def _describe_visit(visit):
    return str(visit.enterprise), f"{visit.visited_on:%Y-%m-%d} 走访 · {visit.visitors}", visit.visitors


class ReportForm(Form):
    title = forms.CharField(label="报告标题", max_length=150, error_messages={"required": "请填写报告标题。"})
    topic = forms.CharField(label="调研主题", max_length=100, error_messages={"required": "请填写调研主题。"},
                            widget=forms.TextInput(attrs={"placeholder": "如：民营企业融资难题、营商环境"}))
    method = forms.ChoiceField(label="调研方式", choices=R.Method.choices,
                               error_messages={"required": "请选择调研方式。", "invalid_choice": "请选择调研方式。"})
    period_start = date_field("调研开始", required=True, error_messages={"required": "请填写调研开始日期。"})
    period_end = date_field("调研结束", required=True, error_messages={"required": "请填写调研结束日期。"})
    surveys = ModelMultipleChoiceField(
        label="依据问卷", required=False, queryset=Survey.objects.none(),
        widget=ChecklistPicker(describe=_describe_survey, placeholder="搜索问卷标题或编号"),
        help_text="本次调研使用的问卷（已发布的问卷）。",
        error_messages={"invalid_choice": "所选问卷不存在或不在您的管理范围内。",
                        "invalid_pk_value": "所选问卷不存在或不在您的管理范围内。"})
    visits = ModelMultipleChoiceField(
        label="依据走访", required=False, queryset=Visit.objects.none(),
        widget=ChecklistPicker(describe=_describe_visit, placeholder="搜索企业名称或走访人员"),
        help_text="本次调研依据的包联走访记录。",
        error_messages={"invalid_choice": "所选走访记录不存在或不在您的管理范围内。",
                        "invalid_pk_value": "所选走访记录不存在或不在您的管理范围内。"})
    summary = forms.CharField(label="主要内容", required=False, max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 5, "placeholder": "调研发现的主要问题和建议"}))
    submitted_to = forms.ChoiceField(label="报送对象", required=False, choices=R.Destination.choices)
    submitted_on = date_field("报送日期")
    instructed = forms.BooleanField(label="获得批示", required=False)
    instructed_by = forms.CharField(label="批示领导", required=False, max_length=50,
                                    widget=forms.TextInput(attrs={"placeholder": "如：区委书记"}))
    instructed_on = date_field("批示日期")
    instruction = forms.CharField(label="批示内容", required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    documents = MultipleFileField(label="报告文件", help_text=f"报告正文及附件。{FILES_HELP}")
    remove_documents = ModelMultipleChoiceField(label="删除已上传的文件", required=False,
                                                queryset=ReportDocument.objects.none(),
                                                widget=forms.CheckboxSelectMultiple,
                                                error_messages={"invalid_choice": "所选文件不属于该报告。"})

    def __init__(self, *args, user, instance=None, **kwargs):
        self.instance = instance
        if instance is not None and not kwargs.get("initial"):
            kwargs["initial"] = {name: getattr(instance, name) for name in (
                "title", "topic", "method", "period_start", "period_end", "summary", "submitted_to", "submitted_on",
                "instructed", "instructed_by", "instructed_on", "instruction")}
            kwargs["initial"]["surveys"] = [s.pk for s in instance.surveys.all()]
            kwargs["initial"]["visits"] = [v.pk for v in instance.visits.all()]
        super().__init__(*args, **kwargs)
        current_surveys = self.initial.get("surveys", []) if instance is not None else []
        current_visits = self.initial.get("visits", []) if instance is not None else []
        self.fields["surveys"].queryset = selectors.source_surveys(user, current=current_surveys)
        self.fields["visits"].queryset = selectors.source_visits(user, current=current_visits)
        if instance is not None and instance.documents.exists():
            self.fields["remove_documents"].queryset = instance.documents.order_by("id")
        else:
            del self.fields["remove_documents"]

    def report_data(self):
        """What `services.reports.save_report` takes as `data`."""
        data = self.cleaned_data
        values = {name: data.get(name) for name in (
            "title", "topic", "method", "period_start", "period_end", "summary", "submitted_to", "submitted_on",
            "instructed", "instructed_by", "instructed_on", "instruction")}
        values["surveys"] = list(data.get("surveys") or [])
        values["visits"] = list(data.get("visits") or [])
        return values

    def onto_fields(self, exc):
        """The service's ValidationError with a field the form does not show moved onto the whole form."""
        if not hasattr(exc, "error_dict"):
            return exc
        moved = {}
        for name, errors in exc.error_dict.items():
            moved.setdefault(name if name in self.fields else "__all__", []).extend(errors)
        return ValidationError(moved)


SECTIONS = [
    ("调研", ["title", "topic", "method", "period_start", "period_end", "summary"]),
    ("依据", ["surveys", "visits"]),
    ("报送与批示", ["submitted_to", "submitted_on", "instructed", "instructed_by", "instructed_on", "instruction"]),
    ("报告文件", ["documents", "remove_documents"]),
]


def sections(form):
    return [(heading, [name for name in names if name in form.fields]) for heading, names in SECTIONS]
