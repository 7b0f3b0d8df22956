"""The annual work report's forms: the year to generate, and a replacement Word template."""

from django import forms
from django.utils import timezone

from shanglian.common.forms import Form

from ..models import FIRST_YEAR


class YearForm(Form):
    year = forms.IntegerField(label="报告年度", error_messages={
        "required": "请填写报告年度。", "invalid": "年度应为整数，如 2026。",
        "min_value": f"年度不能早于 {FIRST_YEAR} 年。", "max_value": "不能生成尚未开始年度的工作报告。"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].min_value = FIRST_YEAR
        self.fields["year"].max_value = this_year
        self.fields["year"].validators = []  # the bounds checked in clean_year with today's year
        self.fields["year"].widget.attrs.update({"min": FIRST_YEAR, "max": this_year, "inputmode": "numeric"})
        self.fields["year"].initial = this_year

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year < FIRST_YEAR:
            raise forms.ValidationError(f"年度不能早于 {FIRST_YEAR} 年。")
        if year > timezone.localdate().year:
            raise forms.ValidationError("不能生成尚未开始年度的工作报告。")
        return year


class TemplateForm(Form):
    file = forms.FileField(label="Word 模板（.docx）", help_text="按系统模板的标记（{{ }}、{%p %}、{%tr %}）编写，上传时会用示例数据试填，"
                           "不能填写的模板不会被采用。", error_messages={"required": "请选择要上传的 Word（docx）模板文件。"})
    note = forms.CharField(label="说明", required=False, max_length=200,
                           error_messages={"max_length": "说明不能超过 200 个字。"})
