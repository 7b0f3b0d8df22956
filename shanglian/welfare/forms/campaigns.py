"""Forms of the campaigns part: the list's search form and a campaign's own form (新增/编辑). They parse; the service
(`services.campaigns.save_campaign`) checks every rule again."""

from django import forms
from django.db.models import Q

from shanglian.accounts.roles import Role, role_of
from shanglian.common.forms import Form, ModelChoiceField, date_field
from shanglian.common.models import DictItem
from shanglian.orgs.models import Chamber

from ..selectors.campaigns import STATES, campaign_kinds
from ..selectors.donations import organising_chambers
from .donations import amount_field, year_field

OWNERS = {"federation": "工商联发起", "chamber": "商会发起"}


class CampaignSearchForm(Form):
    q = forms.CharField(label="项目名称", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "项目名称中的字词"}))
    kind = ModelChoiceField(label="项目类别", required=False, empty_label="全部", queryset=DictItem.objects.none(),
                            error_messages={"invalid_choice": "所选项目类别不存在，请重新选择。"})
    year = forms.IntegerField(label="年度", required=False)  # bounded in __init__
    state = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *STATES.items()])
    owner = forms.ChoiceField(label="发起方", required=False, choices=[("", "全部"), *OWNERS.items()])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"] = year_field()
        self.fields["year"].help_text = "该年度内进行过的项目"
        self.fields["kind"].queryset = DictItem.objects.filter(kind="welfare_campaign_kind").order_by("order", "code")

    def filters(self):
        data = self.cleaned_data
        return {"q": data.get("q") or "", "kind": data["kind"].pk if data.get("kind") else None,
                "year": data.get("year"), "state": data.get("state") or "", "owner": data.get("owner") or ""}


class CampaignForm(Form):
    name = forms.CharField(label="项目名称", max_length=100, error_messages={"required": "请填写项目名称。"},
                           widget=forms.TextInput(attrs={"placeholder": "例如：春芽基金、抗疫捐款"}))
    kind = ModelChoiceField(label="项目类别", queryset=DictItem.objects.none(), empty_label="请选择",
                            error_messages={"required": "请选择项目类别。", "invalid_choice": "所选项目类别不存在或已停用。"})
    chamber = ModelChoiceField(label="发起商会", required=False, empty_label="工商联发起", queryset=Chamber.objects.none(),
                               help_text="由商会发起的项目选择该商会；留空表示工商联发起。",
                               error_messages={"invalid_choice": "所选商会不存在或不在您的管理范围内。"})
    start = date_field("开始日期", required=True, error_messages={"required": "请填写开始日期。"})
    end = date_field("结束日期", help_text="留空表示长期。")
    target_amount = amount_field("目标金额（元）", help_text="选填；捐款与物资折价合计计入完成进度。")
    target_note = forms.CharField(label="目标说明", required=False, max_length=200,
                                  widget=forms.TextInput(attrs={"placeholder": "例如：资助困难学生200名"}))
    description = forms.CharField(label="项目说明", required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, user, instance=None, **kwargs):
        self.instance = instance
        if instance is not None and not kwargs.get("initial"):
            kwargs["initial"] = {name: getattr(instance, name) for name in (
                "name", "start", "end", "target_amount", "target_note", "description")} | {
                "kind": instance.kind_id, "chamber": instance.chamber_id}
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = campaign_kinds(include=instance.kind_id if instance else None)
        if role_of(user) == Role.CHAMBER:
            del self.fields["chamber"]  # its own chamber's campaign
        else:
            chambers = organising_chambers(user)
            if instance is not None and instance.chamber_id:
                chambers = Chamber.objects.filter(Q(pk__in=chambers.values("pk")) | Q(pk=instance.chamber_id))
            self.fields["chamber"].queryset = chambers.order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "结束日期不能早于开始日期。")
        return data

    def campaign_data(self):
        data = dict(self.cleaned_data)
        data.setdefault("chamber", None)
        return data


SECTIONS = [("基本信息", ["name", "kind", "chamber", "start", "end"]),
            ("目标与说明", ["target_amount", "target_note", "description"])]


def sections(form):
    return [(heading, [name for name in names if name in form.fields]) for heading, names in SECTIONS]
