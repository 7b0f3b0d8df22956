"""Forms of the 会员名录 pages: the search (back office, phone and public page alike), a member's own listing
settings (H5) and the federation's public switch. They parse; the rules are `services/directory.py`'s."""

from django import forms

from shanglian.common.forms import Form, ModelChoiceField
from shanglian.common.models import IndustryCode
from shanglian.orgs.models import Street

from ..models import DIRECTORY_FIELDS


class DivisionChoiceField(ModelChoiceField):
    LONGEST = 10  # characters of the name: a select is as wide as its longest option, and must fit a 375 px phone

    def label_from_instance(self, industry):
        name = industry.name if len(industry.name) <= self.LONGEST else f"{industry.name[:self.LONGEST]}…"
        return f"{industry.code} {name}"


class DirectorySearchForm(Form):
    q = forms.CharField(label="企业名称", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "输入企业名称"}))
    industry_division = DivisionChoiceField(label="行业", required=False, empty_label="全部",
                                            queryset=IndustryCode.objects.filter(level=IndustryCode.Level.DIVISION),
                                            error_messages={"invalid_choice": "请从列表中选择行业大类。"})
    products = forms.CharField(label="主营产品", required=False, max_length=100,
                               widget=forms.TextInput(attrs={"placeholder": "产品关键词，多个用空格分隔"}))
    street = ModelChoiceField(label="街道", queryset=Street.objects.none(), required=False, empty_label="全部",
                              error_messages={"invalid_choice": "请从列表中选择街道。"})

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = streets
        self.fields["industry_division"].queryset = (IndustryCode.objects.filter(level=IndustryCode.Level.DIVISION)
                                                     .order_by("code"))

    def clean_industry_division(self):
        industry = self.cleaned_data.get("industry_division")
        return industry.code if industry else None


class ListingForm(Form):
    listed = forms.BooleanField(label="在会员名录中展示本企业", required=False,
                                help_text="不勾选时，只有工商联工作人员能看到本企业的名录条目。")
    shown_fields = forms.MultipleChoiceField(
        label="展示的信息", required=False, choices=DIRECTORY_FIELDS, widget=forms.CheckboxSelectMultiple,
        help_text="企业名称总是展示；未勾选的信息不会出现在名录页面、公开页面和导出文件中。",
        error_messages={"invalid_choice": "展示的字段无效，请从列表中选择。"})
    products = forms.CharField(label="主营产品", required=False, max_length=300,
                               widget=forms.TextInput(attrs={"placeholder": "如 电子元器件、工业软件"}))
    intro = forms.CharField(label="企业简介", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 4}))
    website = forms.URLField(label="网址", required=False, max_length=200, assume_scheme="https",
                             error_messages={"invalid": "请填写正确的网址，如 https://www.example.com。"})

    @staticmethod
    def initial_for(listing):
        if listing is None:
            from ..services.directory import DEFAULT_SHOWN

            return {"listed": True, "shown_fields": list(DEFAULT_SHOWN)}
        return {"listed": listing.listed, "shown_fields": list(listing.shown_fields or []),
                "products": listing.products, "intro": listing.intro, "website": listing.website}


class PublicSwitchForm(Form):
    federation = forms.IntegerField(min_value=1, error_messages={"invalid": "请选择工商联。",
                                                                  "required": "请选择工商联。"})
    enabled = forms.ChoiceField(choices=[("on", "开启"), ("off", "关闭")],
                                error_messages={"invalid_choice": "请选择开启或关闭。", "required": "请选择开启或关闭。"})


__all__ = ["DirectorySearchForm", "ListingForm", "PublicSwitchForm"]
