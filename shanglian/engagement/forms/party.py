"""Forms of party building's pages. They parse (and refuse what cannot be parsed, in Chinese); the rules are the
services' (`services/party.py`), whose `ValidationError`s the record pages put back onto these forms. Every row
chosen comes from the user's scope (`selectors/party.py`); an enterprise is chosen with the search picker."""

from django import forms
from django.db.models import Q
from django.forms.models import model_to_dict
from django.utils import timezone

from shanglian.common.forms import Form, ModelChoiceField, ModelMultipleChoiceField, date_field
from shanglian.common.pickers import ChecklistPicker
from shanglian.members.pickers import EnterpriseField
from shanglian.members.selectors import streets_visible_to
from shanglian.orgs.selectors import chambers_in_scope

from ..models import PARTY_MEMBERS_FOR_OWN_ORGANISATION, PartyActivity, PartyOrganisation
from ..selectors import party as selectors
from ..services.party import NEGATIVE_ATTENDEES, NEGATIVE_MEMBERS

MAX_MEMBERS = 99_999  # more party members than any organisation or enterprise has: a typing error
YES_NO = [("", "全部"), ("yes", "是"), ("no", "否")]


def _count_field(label, negative, *, initial=0):
    return forms.IntegerField(label=label, min_value=0, max_value=MAX_MEMBERS, initial=initial,
                              error_messages={"required": f"请填写{label}。", "invalid": f"{label}应为整数。",
                                              "min_value": negative,
                                              "max_value": f"{label}不能超过 {MAX_MEMBERS}。"})


def _required_date(label, **kwargs):
    return date_field(label, required=True, error_messages={"required": f"请填写{label}。"}, **kwargs)


class _RecordForm(Form):
    """A form of one record: `instance` (when editing) gives the initial values of the fields it shares. The
    date pickers of `not_after_today` offer no day after today (the services refuse one anyway)."""

    not_after_today = ()

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        if instance is not None and instance.pk is not None:
            kwargs["initial"] = {**model_to_dict(instance, fields=list(self.base_fields)), **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        for name in self.not_after_today:
            self.fields[name].widget.attrs["max"] = timezone.localdate().isoformat()


# --- organisations ------------------------------------------------------------------------------------------
def _covered_words(enterprise):
    members = getattr(enterprise, "party_members", None)
    return enterprise.name, f"党员 {members} 人" if members is not None else "未统计党员", enterprise.uscc


class OrganisationForm(_RecordForm):
    name = forms.CharField(label="党组织名称", max_length=100, error_messages={"required": "请填写党组织名称。"})
    kind = forms.ChoiceField(label="类型", choices=[("", "请选择"), *PartyOrganisation.Kind.choices],
                             error_messages={"required": "请选择党组织类型。"})
    enterprise = EnterpriseField(label="所在企业", required=False,
                                 help_text="党组织建在企业的，选择该企业；企业、商会、街道三者选填一项。")
    chamber = ModelChoiceField(label="所在商会", queryset=None, required=False, empty_label="（无）",
                               error_messages={"invalid_choice": "所选商会不存在或不在您的管理范围内。"})
    street = ModelChoiceField(label="所在街道", queryset=None, required=False, empty_label="（无）",
                              help_text="街道（商会）联合党委建在街道的，选择该街道。",
                              error_messages={"invalid_choice": "所选街道不存在或不在您的管理范围内。"})
    founded = date_field("成立日期")
    dissolved = date_field("撤销日期", help_text="已撤销的党组织填写撤销日期；留空表示在册。")
    members_count = _count_field("党员人数", NEGATIVE_MEMBERS)
    secretary = forms.CharField(label="书记", max_length=50, required=False)
    covered_enterprises = ModelMultipleChoiceField(
        label="联建覆盖企业", queryset=None, required=False,
        widget=ChecklistPicker(describe=_covered_words, suggested_label="推荐（党员 3 人及以上、尚未组织覆盖）",
                               others_label="其他已统计党员的企业", placeholder="搜索企业名称或统一社会信用代码"),
        help_text="联合党委、联合党支部覆盖的、没有单独建立党组织的企业；可选企业为已登记党员情况的企业。",
        error_messages={"invalid_choice": "所选企业不可选：须为您管理范围内、已登记党员情况的企业。",
                        "invalid_pk_value": "所选企业不可选：须为您管理范围内、已登记党员情况的企业。"})

    not_after_today = ("founded",)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = selectors.host_enterprises(user)
        self.fields["chamber"].queryset = selectors.host_chambers(user)
        self.fields["street"].queryset = selectors.host_streets(user)
        current = list(self.instance.covered_enterprises.values_list("pk", flat=True)) if (
            self.instance is not None and self.instance.pk) else []
        choices = (selectors.with_census(selectors.host_enterprises(user).select_related(None), user)
                   .filter(Q(surveyed_on__isnull=False) | Q(pk__in=current)).order_by("name", "id"))
        self.fields["covered_enterprises"].queryset = choices
        uncovered = selectors.with_coverage(choices.filter(party_members__gte=PARTY_MEMBERS_FOR_OWN_ORGANISATION),
                                            timezone.localdate()).filter(org_covered=False)
        self.fields["covered_enterprises"].widget.suggested = list(uncovered.values_list("pk", flat=True))


SECTIONS = [("基本信息", ["name", "kind", "founded", "dissolved", "members_count", "secretary"]),
            ("隶属关系（企业、商会、街道三选一）", ["enterprise", "chamber", "street"]),
            ("联建覆盖", ["covered_enterprises"])]


class OrganisationSearchForm(Form):
    q = forms.CharField(label="党组织名称", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "请输入名称"}))
    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部"), *PartyOrganisation.Kind.choices])
    host = forms.ChoiceField(label="隶属", required=False,
                             choices=[("", "全部"), ("enterprise", "企业"), ("chamber", "商会"), ("street", "街道")])
    street = ModelChoiceField(label="所在街道", queryset=None, required=False, empty_label="全部")
    chamber = ModelChoiceField(label="商会", queryset=None, required=False, empty_label="全部")
    active = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), ("yes", "在册"), ("no", "已撤销")])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = streets_visible_to(user).order_by("code", "id")
        self.fields["chamber"].queryset = chambers_in_scope(user).order_by("name", "id")


# --- activities ------------------------------------------------------------------------------------------------
class ActivityForm(_RecordForm):
    kind = forms.ChoiceField(label="活动类型", choices=[("", "请选择"), *PartyActivity.Kind.choices],
                             help_text="支部党员大会、支委会、党小组会、党课计入“三会一课”。",
                             error_messages={"required": "请选择活动类型。"})
    held_on = _required_date("活动日期")
    title = forms.CharField(label="主题", max_length=200, error_messages={"required": "请填写活动主题。"})
    attendees = _count_field("参加人数", NEGATIVE_ATTENDEES)
    note = forms.CharField(label="内容摘要", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))

    not_after_today = ("held_on",)


# --- the census ------------------------------------------------------------------------------------------------
class CensusForm(_RecordForm):
    party_members = _count_field("党员人数", NEGATIVE_MEMBERS, initial=None)
    surveyed_on = _required_date("统计日期")
    note = forms.CharField(label="备注", required=False, max_length=200)

    not_after_today = ("surveyed_on",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is None:
            self.fields["surveyed_on"].initial = timezone.localdate()


BASE_CHOICES = [("", "已统计的企业"), ("org", f"党员 {PARTY_MEMBERS_FOR_OWN_ORGANISATION} 人及以上"),
                ("work", "党员 1 人及以上"), ("small", f"党员 1～{PARTY_MEMBERS_FOR_OWN_ORGANISATION - 1} 人"),
                ("none", "无党员"), ("missing", "未统计"), ("all", "全部企业")]


class CensusSearchForm(Form):
    q = forms.CharField(label="企业", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "名称、拼音首字母或信用代码"}))
    base = forms.ChoiceField(label="党员人数", required=False, choices=BASE_CHOICES)
    org_covered = forms.ChoiceField(label="组织覆盖", required=False, choices=YES_NO)
    work_covered = forms.ChoiceField(label="工作覆盖", required=False, choices=YES_NO)
    chamber = ModelChoiceField(label="商会", queryset=None, required=False, empty_label="全部")
    street = forms.ChoiceField(label="所在街道", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chamber"].queryset = chambers_in_scope(user).order_by("name", "id")
        self.streets = {str(s.pk): s for s in streets_visible_to(user).order_by("code", "id")}
        self.fields["street"].choices = [("", "全部"), ("none", "未填写街道"),
                                         *((pk, street.name) for pk, street in self.streets.items())]

    def filters(self):
        """The cleaned filters, the street as a Street (or "none")."""
        data = dict(self.cleaned_data)
        street = data.get("street")
        data["street"] = self.streets[street] if street in self.streets else (street or None)
        return data


# --- instructors -----------------------------------------------------------------------------------------------
class InstructorForm(_RecordForm):
    name = forms.CharField(label="指导员姓名", max_length=50, error_messages={"required": "请填写指导员姓名。"})
    unit = forms.CharField(label="工作单位及职务", max_length=100, required=False)
    enterprise = EnterpriseField(label="指导企业", required=False, help_text="指导企业、指导商会二选一。")
    chamber = ModelChoiceField(label="指导商会", queryset=None, required=False, empty_label="（无）",
                               help_text="选派到商会的指导员覆盖该商会的全部在册会员企业。",
                               error_messages={"invalid_choice": "所选商会不存在或不在您的管理范围内。"})
    start = _required_date("选派日期")
    end = date_field("结束日期", help_text="留空表示仍在任。")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = selectors.host_enterprises(user)
        self.fields["chamber"].queryset = selectors.host_chambers(user)


class InstructorSearchForm(Form):
    q = forms.CharField(label="姓名或单位", required=False, max_length=100)
    target = forms.ChoiceField(label="指导对象", required=False,
                               choices=[("", "全部"), ("enterprise", "企业"), ("chamber", "商会")])
    chamber = ModelChoiceField(label="商会", queryset=None, required=False, empty_label="全部")
    in_force = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), ("yes", "在任"), ("no", "已结束")])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chamber"].queryset = chambers_in_scope(user).order_by("name", "id")


__all__ = ["SECTIONS", "ActivityForm", "CensusForm", "CensusSearchForm", "InstructorForm", "InstructorSearchForm",
           "OrganisationForm", "OrganisationSearchForm"]
