"""Forms of the supply–demand board (供需对接): a post (back office, on behalf of an enterprise; and the enterprise's
phone form), closing a post (POST_FLOW's `ClosePostForm`), a contact request, the searches, an outcome. They parse
and refuse what cannot be parsed, in Chinese; the rules are the services' (`services/board.py`,
`services/outcomes.py`), whose `ValidationError`s the pages put back onto these forms."""

from datetime import timedelta

from django import forms
from django.forms.models import model_to_dict
from django.utils import timezone

from shanglian.common.forms import (
    Form,
    ModelChoiceField,
    ModelMultipleChoiceField,
    MoneyField,
    date_field,
    industry_division_field,
)
from shanglian.common.models import IndustryCode
from shanglian.common.pickers import IndustryField
from shanglian.members.pickers import EnterpriseField

from ..models import MONEY, ContactRequest, MatchOutcome, Post
from ..selectors import board as selectors

AMOUNT_LIMIT = 10 ** (MONEY["max_digits"] - MONEY["decimal_places"]) - 1
CATEGORY_REQUIRED = {"required": "请选择供需类别（采购、供应、合作、融资、用工或技术）。",
                     "invalid_choice": "请选择供需类别（采购、供应、合作、融资、用工或技术）。"}
DEFAULT_DAYS = 90


def _default_valid_until():
    return timezone.localdate() + timedelta(days=DEFAULT_DAYS)


class _PostFields(Form):
    category = forms.ChoiceField(label="供需类别", choices=[("", "请选择"), *Post.Category.choices],
                                 error_messages=CATEGORY_REQUIRED)
    title = forms.CharField(label="标题", max_length=100, error_messages={"required": "请填写标题。"})
    body = forms.CharField(label="供需内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 5}),
                           error_messages={"required": "请填写供需内容。"},
                           help_text="产品或服务、数量规格、合作方式、地域等，不要填写联系电话：对方须经您同意后才能看到联系方式。")
    keywords = forms.CharField(label="关键词", max_length=100, required=False,
                               help_text="以空格或逗号分隔，最多10个，用于智能匹配")
    amount = MoneyField(label="金额（元）", limit=AMOUNT_LIMIT, help_text="采购额、融资额等，可不填")
    headcount = forms.IntegerField(label="用工人数", required=False, min_value=1, max_value=100000,
                                   error_messages={"min_value": "用工人数至少为1。", "invalid": "用工人数须为整数。",
                                                   "max_value": "用工人数过大。"})
    valid_until = date_field("有效期至", required=True, error_messages={"required": "请填写有效期至。"})


class PostForm(_PostFields):
    """The back office's form: an editor posts on behalf of an enterprise of its federations and may link the post
    to matchmaking events."""

    enterprise = EnterpriseField(label="发布企业", error_messages={"required": "请选择发布企业。"})
    industry = IndustryField(label="行业", required=False, help_text="不填则取发布企业的行业")
    events = ModelMultipleChoiceField(label="对接活动", queryset=None, required=False,
                                      widget=forms.CheckboxSelectMultiple,
                                      help_text="企业对接洽谈会、融资推介会、推介会、招聘会",
                                      error_messages={"invalid_choice": "所选对接活动不存在或不在您的管理范围内。",
                                                      "invalid_pk_value": "所选对接活动不存在。"})

    field_order = ["enterprise", "category", "title", "body", "industry", "keywords", "amount", "headcount",
                   "valid_until", "events"]

    def __init__(self, *args, user, instance=None, **kwargs):
        self.instance = instance
        if instance is not None:
            initial = model_to_dict(instance, fields=["category", "title", "body", "industry", "keywords", "amount",
                                                      "headcount", "valid_until"])
            initial["events"] = [event.pk for event in instance.events.all()]
            kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        else:
            kwargs["initial"] = {"valid_until": _default_valid_until(), **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        if instance is not None:
            del self.fields["enterprise"]
        else:
            self.fields["enterprise"].queryset = selectors.posting_enterprises(user)
        self.fields["events"].queryset = selectors.matchmaking_events(user).select_related(None)
        self.fields["events"].label_from_instance = lambda e: f"{e.starts_at:%Y-%m-%d} {e.title}"


SECTIONS = [("供需信息", ["enterprise", "category", "title", "body", "industry", "keywords", "amount", "headcount",
                      "valid_until"]),
            ("关联对接活动", ["events"])]


class H5PostForm(_PostFields):
    """The enterprise's phone form: it posts for itself; the industry is a 大类 (its own by default)."""

    industry = ModelChoiceField(label="行业大类", required=False, queryset=None, empty_label="本企业所属行业",
                                error_messages={"invalid_choice": "行业不存在，请重新选择。"})

    field_order = ["category", "title", "body", "industry", "keywords", "amount", "headcount", "valid_until"]

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None:
            kwargs["initial"] = {**model_to_dict(instance, fields=["category", "title", "body", "industry", "keywords",
                                                                   "amount", "headcount", "valid_until"]),
                                 **kwargs.get("initial", {})}
        else:
            kwargs["initial"] = {"valid_until": _default_valid_until(), **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.fields["industry"].queryset = IndustryCode.objects.filter(level=IndustryCode.Level.DIVISION)
        self.fields["category"].widget = forms.RadioSelect(choices=Post.Category.choices)


class ClosePostForm(Form):
    """关闭 (POST_FLOW): why the post is closed (已达成合作, 不再需要 …)."""

    reason = forms.CharField(label="关闭原因", max_length=200, error_messages={"required": "请填写关闭原因。"},
                             widget=forms.TextInput(attrs={"placeholder": "如：已达成合作、需求取消"}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class ContactRequestForm(Form):
    message = forms.CharField(label="留言", max_length=300, widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": "请填写留言，说明对接意向。"},
                              help_text="说明贵企业情况和对接意向；对方同意后，双方可看到彼此的联系方式。")


class PostSearchForm(Form):
    q = forms.CharField(label="关键字", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "编号、标题、内容、关键词或企业"}))
    category = forms.ChoiceField(label="类别", required=False, choices=[("", "全部"), *Post.Category.choices])
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *selectors.STATUS_FILTERS.items()])
    industry_division = industry_division_field(example="39")
    event = ModelChoiceField(label="对接活动", queryset=None, required=False, empty_label="全部")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if selectors.is_editor(user):
            self.fields["event"].queryset = selectors.matchmaking_events(user).select_related(None)
        else:
            del self.fields["event"]


class ContactSearchForm(Form):
    q = forms.CharField(label="关键字", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "信息编号、标题或企业"}))
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *ContactRequest.Status.choices])
    stale = forms.BooleanField(label=f"超过{selectors.STALE_DAYS}天未处理", required=False)


class H5BoardSearchForm(Form):
    q = forms.CharField(label="搜索", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "搜索标题、内容、关键词或企业"}))
    category = forms.ChoiceField(label="类别", required=False, choices=[("", "全部"), *Post.Category.choices])


class OutcomeForm(Form):
    kind = forms.ChoiceField(label="成果类型", choices=[("", "请选择"), *MatchOutcome.Kind.choices],
                             error_messages={"required": "请选择成果类型。", "invalid_choice": "请选择成果类型。"})
    enterprise = EnterpriseField(label="企业", error_messages={"required": "请选择企业。"})
    partner = EnterpriseField(label="对接企业（会员）", required=False, help_text="对接方是本会企业时选择")
    partner_name = forms.CharField(label="对接方（非会员）", max_length=200, required=False,
                                   help_text="对接方不是本会企业时填写名称，如银行、高校")
    post = ModelChoiceField(label="供需信息", queryset=None, required=False, empty_label="（无）")
    event = ModelChoiceField(label="对接活动", queryset=None, required=False, empty_label="（无）")
    reached_on = date_field("达成日期", required=True, error_messages={"required": "请填写达成日期。"})
    amount = MoneyField(label="金额（元）", limit=AMOUNT_LIMIT, help_text="达成合作或获得融资的金额，单位元")
    jobs = forms.IntegerField(label="招聘人数", required=False, min_value=1, max_value=100000,
                              error_messages={"min_value": "招聘人数至少为1。", "invalid": "招聘人数须为整数。",
                                              "max_value": "招聘人数过大。"})
    note = forms.CharField(label="说明", max_length=300, required=False)

    def __init__(self, *args, user, instance=None, **kwargs):
        self.instance = instance
        if instance is not None:
            kwargs["initial"] = {**model_to_dict(instance, fields=list(self.base_fields)), **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        enterprises = selectors.posting_enterprises(user)
        self.fields["enterprise"].queryset = enterprises
        self.fields["partner"].queryset = enterprises
        self.fields["post"].queryset = selectors.post_list(user).select_related(None).order_by("-created_at", "-id")
        self.fields["post"].label_from_instance = lambda p: f"{p.number} {p.title}"
        self.fields["event"].queryset = selectors.matchmaking_events(user).select_related(None)
        self.fields["event"].label_from_instance = lambda e: f"{e.starts_at:%Y-%m-%d} {e.title}"


OUTCOME_SECTIONS = [("成果", ["kind", "enterprise", "partner", "partner_name", "reached_on", "amount", "jobs"]),
                    ("来源（至少一项）", ["post", "event"]), ("", ["note"])]


class OutcomeSearchForm(Form):
    q = forms.CharField(label="关键字", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "企业、对接方或说明"}))
    kind = forms.ChoiceField(label="成果类型", required=False, choices=[("", "全部"), *MatchOutcome.Kind.choices])
    start = date_field("达成日期从")
    end = date_field("至")
    event = ModelChoiceField(label="对接活动", queryset=None, required=False, empty_label="全部")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if selectors.is_editor(user):
            self.fields["event"].queryset = selectors.matchmaking_events(user).select_related(None)
        else:
            del self.fields["event"]


__all__ = ["SECTIONS", "ClosePostForm", "ContactRequestForm", "ContactSearchForm", "H5BoardSearchForm", "H5PostForm",
           "OutcomeForm", "OutcomeSearchForm", "PostForm", "PostSearchForm"]
