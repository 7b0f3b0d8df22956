"""Forms of the enterprise H5 pages. They only parse; `services` checks and writes."""

from django import forms

from shanglian.common.forms import Form, ModelChoiceField, MultipleFileField

from . import selectors
from .forms import clean_mobile
from .models import Rating, Urgency
from .services import MAX_CONTENT

H5_FILES_HELP = "最多5个，每个不超过10MB，PDF/JPG/PNG/docx/xlsx"
ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx,application/pdf,image/jpeg,image/png"


class CategorySelect(forms.Select):
    """Marks the options of rights-case categories (data-rights) so h5.js can show the 维权 fields."""

    def __init__(self, *args, rights_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rights_ids = {str(pk) for pk in rights_ids}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if str(getattr(value, "value", value)) in self.rights_ids:
            option["attrs"]["data-rights"] = "1"
        return option


class H5AppealForm(Form):
    category = ModelChoiceField(label="诉求类别", queryset=selectors.categories(), empty_label="请选择",
                                      error_messages={"required": "请选择诉求类别。",
                                                      "invalid_choice": "请选择诉求类别。"})
    title = forms.CharField(label="诉求标题", strip=True, error_messages={"required": "请填写诉求标题。"},
                            widget=forms.TextInput(attrs={"maxlength": 100, "placeholder": "一句话说明您的诉求"}))
    content = forms.CharField(
        label="诉求内容", strip=True, error_messages={"required": "请填写诉求内容。"},
        widget=forms.Textarea(attrs={"rows": 7, "maxlength": MAX_CONTENT, "x-ref": "content", "@input": "countContent",
                                     "placeholder": "请写明遇到的问题、经过和希望得到的帮助"}),
    )
    urgency = forms.ChoiceField(label="紧急程度", choices=Urgency.choices, initial=Urgency.NORMAL,
                                widget=forms.RadioSelect, error_messages={"required": "请选择紧急程度。"})
    contact_name = forms.CharField(label="联系人", required=False,
                                   widget=forms.TextInput(attrs={"maxlength": 50}))
    contact_mobile = forms.CharField(label="联系电话", required=False,
                                     widget=forms.TextInput(attrs={"maxlength": 20, "inputmode": "tel",
                                                                   "autocomplete": "tel"}))
    counterpart = forms.CharField(label="对方当事人", required=False,
                                  widget=forms.TextInput(attrs={"maxlength": 200}))
    amount_involved = forms.CharField(label="涉及金额（元）", required=False,
                                      widget=forms.TextInput(attrs={"inputmode": "decimal",
                                                                    "placeholder": "如 150000"}))
    files = MultipleFileField(label="附件", help_text=H5_FILES_HELP)

    def __init__(self, *args, known_mobile="", **kwargs):
        """`known_mobile`: the enterprise's registered contact mobile, masked: an empty field uses it."""
        super().__init__(*args, **kwargs)
        self.fields["contact_mobile"].widget.attrs["placeholder"] = (
            f"默认 {known_mobile}" if known_mobile else "11位手机号码")
        categories = self.fields["category"].queryset
        # h5.js (Alpine, CSP build) shows the 维权 fields for a rights-case category and counts characters.
        self.fields["category"].widget = CategorySelect(
            attrs={"x-ref": "category", "@change": "pickCategory"},
            rights_ids=categories.filter(is_rights_case=True).values_list("pk", flat=True))
        self.fields["category"].widget.choices = self.fields["category"].choices
        self.fields["files"].widget.attrs["accept"] = ACCEPT


    def clean_contact_mobile(self):
        return clean_mobile(self.cleaned_data["contact_mobile"])


class H5RatingForm(Form):
    rating = forms.ChoiceField(label="评价", choices=Rating.choices, widget=forms.RadioSelect,
                               error_messages={"required": "请选择评价：满意、基本满意或不满意。",
                                               "invalid_choice": "请选择评价：满意、基本满意或不满意。"})
    comment = forms.CharField(label="评价意见", required=False,
                              widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500,
                                                           "placeholder": "选择“不满意”时请写明原因"}))


class H5ReopenForm(Form):
    reason = forms.CharField(label="重办理由", required=False,
                             widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500,
                                                          "placeholder": "请说明还有哪些问题没有解决"}))
