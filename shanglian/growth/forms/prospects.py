"""Forms of 发展会员: a prospect (新增/编辑), the list's search, the stages' forms (`NextStepForm` for 已联系 /
已走访, `AbandonForm` for 放弃 — named by `workflow.PROSPECT_FLOW`), a target and the targets page's year. They
parse (and refuse what cannot be parsed, in Chinese); the rules are the services' (`services/prospects.py`,
`services/targets.py`), whose `ValidationError`s the record pages put back onto these forms. Every row offered
comes from the user's scope (`selectors/prospects.py`)."""

from django import forms
from django.forms.models import model_to_dict
from django.utils import timezone

from shanglian.accounts.roles import Role, role_of
from shanglian.common.forms import Form, ModelChoiceField, date_field
from shanglian.common.pickers import IndustryField
from shanglian.members.pickers import EnterpriseField
from shanglian.orgs.models import Federation
from shanglian.orgs.selectors import chambers_in_scope, federation_ids_in_scope

from ..models import Prospect, TargetCategory
from ..selectors import prospects as selectors

MAX_TEXT = 5000
MEMBER_KINDS = [("enterprise", "企业会员"), ("group", "团体会员"), ("individual", "个人会员")]


class UserChoiceField(ModelChoiceField):
    def label_from_instance(self, user):
        where = user.chamber.name if user.chamber_id else "工商联"
        return f"{user}（{where}）"


class ProspectForm(Form):
    name = forms.CharField(label="名称", max_length=200, error_messages={"required": "请填写名称。"})
    enterprise = EnterpriseField(label="企业库记录", required=False,
                                 help_text="企业库中已有该企业时选择，名称和统一社会信用代码以企业库为准。")
    uscc = forms.CharField(label="统一社会信用代码", required=False, max_length=40,
                           widget=forms.TextInput(attrs={"placeholder": "18 位，可留空"}))
    member_kind = forms.ChoiceField(label="拟入会类型", choices=MEMBER_KINDS, initial="enterprise")
    is_private = forms.BooleanField(label="私营企业", required=False)
    is_local = forms.BooleanField(label="本地", required=False, initial=True, help_text="不勾选表示外地企业。")
    is_high_tech = forms.BooleanField(label="高新技术企业", required=False)
    industry = IndustryField(label="行业", required=False, placeholder="输入行业名称或代码，如 软件开发、6513")
    source = forms.ChoiceField(label="来源", choices=Prospect.Source.choices, initial=Prospect.Source.REGISTRY)
    referred_by = EnterpriseField(label="推荐会员企业", required=False,
                                  help_text="来源为“会员推荐”或“会员上下游”时必填。")
    source_event = ModelChoiceField(label="来源活动", queryset=None, required=False, empty_label="（无）",
                                    help_text="来源为“参加活动”时必填。",
                                    error_messages={"invalid_choice": "所选活动不存在或不在您的管理范围内。"})
    contact_name = forms.CharField(label="联系人", required=False, max_length=50)
    contact_mobile = forms.CharField(label="联系电话", required=False, max_length=20,
                                     widget=forms.TextInput(attrs={"placeholder": "11 位手机号"}))
    chamber = ModelChoiceField(label="发展商会", queryset=None, required=False, empty_label="（工商联发展）",
                               error_messages={"invalid_choice": "所选商会不存在或不在您的管理范围内。"})
    owner = UserChoiceField(label="负责人", queryset=None, required=False, empty_label="（本人）",
                            error_messages={"invalid_choice": "所选负责人不存在或不在您的管理范围内。"})
    next_step = forms.CharField(label="下一步", required=False, max_length=200)
    next_step_on = date_field("下一步日期")
    note = forms.CharField(label="备注", required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3}))

    SECTIONS = [("发展对象", ["name", "enterprise", "uscc", "member_kind", "is_private", "is_local", "is_high_tech",
                          "industry"]),
                ("来源", ["source", "referred_by", "source_event"]),
                ("跟进", ["contact_name", "contact_mobile", "chamber", "owner", "next_step", "next_step_on", "note"])]

    def __init__(self, *args, user, instance=None, **kwargs):
        self.instance = instance
        if instance is not None and instance.pk is not None:
            initial = model_to_dict(instance, fields=[n for n in self.base_fields if n != "contact_mobile"])
            initial["contact_mobile"] = instance.contact_mobile
            kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        enterprises = selectors.prospect_enterprises(user)
        self.fields["enterprise"].queryset = enterprises
        self.fields["referred_by"].queryset = enterprises
        self.fields["source_event"].queryset = selectors.prospect_events(user)
        self.fields["owner"].queryset = selectors.prospect_owners(user).select_related("chamber")
        if selectors.is_editor(user):
            self.fields["chamber"].queryset = selectors.prospect_chambers(user)
        else:  # a chamber secretary's prospects are its own chamber's
            del self.fields["chamber"]
            self.SECTIONS = [(h, [n for n in names if n != "chamber"]) for h, names in self.SECTIONS]

    def service_kwargs(self):
        return dict(self.cleaned_data)


class ProspectSearchForm(Form):
    q = forms.CharField(label="名称", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "名称、统一社会信用代码或联系人"}))
    stage = forms.ChoiceField(label="阶段", required=False,
                              choices=[("", "全部"), ("open", "跟进中（未入会、未放弃）"), *Prospect.Stage.choices])
    source = forms.ChoiceField(label="来源", required=False, choices=[("", "全部"), *Prospect.Source.choices])
    category = forms.ChoiceField(label="类别", required=False, choices=[("", "全部"), *TargetCategory.choices],
                                 help_text="入会后计入的发展目标类别（私营、团体、外地、高新即“三多三少”的短板）。")
    owner = forms.ChoiceField(label="负责人", required=False, choices=[("", "全部"), ("mine", "我负责的")])
    chamber = ModelChoiceField(label="发展商会", queryset=None, required=False, empty_label="全部")
    due = forms.BooleanField(label="下一步已到期", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if role_of(user) == Role.CHAMBER:  # its own chamber's prospects only
            del self.fields["chamber"]
        else:
            self.fields["chamber"].queryset = chambers_in_scope(user).order_by("name", "id")


class NextStepForm(Form):
    """已联系 / 已走访: what comes next and when."""

    next_step = forms.CharField(label="下一步", max_length=200, error_messages={"required": "请填写下一步工作。"})
    next_step_on = date_field("下一步日期")
    note = forms.CharField(label="情况记录", required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class AbandonForm(Form):
    """放弃: why."""

    reason = forms.CharField(label="放弃原因", max_length=200, error_messages={"required": "请填写放弃原因。"})

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


def _year_choices():
    this = timezone.localdate().year
    return [(year, f"{year}年") for year in range(this + 1, 1999, -1)]


class TargetForm(Form):
    federation = ModelChoiceField(label="工商联", queryset=None, empty_label=None,
                                  error_messages={"invalid_choice": "所选工商联不存在或不在您的管理范围内。"})
    year = forms.TypedChoiceField(label="年度", coerce=int, choices=_year_choices,
                                  error_messages={"invalid_choice": "请选择年度。", "required": "请选择年度。"})
    category = forms.ChoiceField(label="类别", choices=[("", "请选择"), *TargetCategory.choices],
                                 error_messages={"required": "请选择类别。", "invalid_choice": "请选择类别。"})
    target_count = forms.IntegerField(label="目标（家/人）", min_value=1, max_value=100000,
                                      error_messages={"required": "请填写目标数。", "invalid": "目标应为整数。",
                                                      "min_value": "目标必须大于0。",
                                                      "max_value": "目标不能超过 100000。"})
    note = forms.CharField(label="说明", required=False, max_length=200)

    def __init__(self, *args, user, instance=None, **kwargs):
        self.instance = instance
        initial = kwargs.pop("initial", {})
        if instance is not None and instance.pk is not None:
            initial = {"federation": instance.federation_id, "year": instance.year, "category": instance.category,
                       "target_count": instance.target, "note": instance.note, **initial}
        else:
            initial = {"year": timezone.localdate().year, "federation": user.federation_id, **initial}
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["federation"].queryset = Federation.objects.filter(
            pk__in=federation_ids_in_scope(user)).order_by("id")


class TargetYearForm(Form):
    year = forms.TypedChoiceField(label="年度", coerce=int, required=False, choices=_year_choices,
                                  error_messages={"invalid_choice": "请选择年度。"})

    def chosen(self):
        if self.is_bound and self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return timezone.localdate().year


__all__ = ["AbandonForm", "NextStepForm", "ProspectForm", "ProspectSearchForm", "TargetForm", "TargetYearForm"]
