"""Forms of the donations part: the list's search form and a donation's own form (新增/编辑). They parse; the service
(`services.donations.save_donation`) checks every rule again and its field errors come back onto the form."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from shanglian.accounts.roles import Role, role_of
from shanglian.common.forms import (
    FILES_HELP,
    Form,
    ModelChoiceField,
    MoneyField,
    MultipleFileField,
    date_field,
)
from shanglian.members.pickers import EnterpriseField, PersonField
from shanglian.orgs.models import Chamber, Village

from ..models import Campaign, Donation
from ..selectors import donations as selectors
from ..selectors.campaigns import campaigns_to_choose
from ..services.donations import AMOUNT_LIMIT, FIRST_DAY

D = Donation.DonorKind
DONOR_FIELDS = {D.ENTERPRISE: "donor_enterprise", D.PERSON: "donor_person", D.CHAMBER: "donor_chamber"}


def amount_field(label, **kwargs):
    """An amount in yuan to the fen, typed as people type it (1,234.50, 1.5万元 — the import's rule); the service
    checks it again."""
    return MoneyField(label=label, limit=AMOUNT_LIMIT, **kwargs)


def year_field():
    last = timezone.localdate().year
    between = f"年度应在 {FIRST_DAY.year} 年至 {last} 年之间。"
    return forms.IntegerField(label="年度", required=False, min_value=FIRST_DAY.year, max_value=last,
                              widget=forms.NumberInput(attrs={"placeholder": "如：2024"}),
                              error_messages={"invalid": "年度应为四位数字，如 2024。", "min_value": between,
                                              "max_value": between})


class DonationSearchForm(Form):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "捐赠方名称或证书编号"}))
    campaign = ModelChoiceField(label="公益项目", required=False, empty_label="全部", queryset=Campaign.objects.none(),
                                error_messages={"invalid_choice": "所选公益项目不存在或不在您的查看范围内。"})
    donor_kind = forms.ChoiceField(label="捐赠方类型", required=False, choices=[("", "全部"), *D.choices])
    gift = forms.ChoiceField(label="捐赠内容", required=False,
                             choices=[("", "全部"), *[(key, label) for key, (label, _q) in selectors.GIFTS.items()]])
    year = forms.IntegerField(label="年度", required=False)  # bounded in __init__ (the year moves)
    start = date_field("捐赠日期自")
    end = date_field("捐赠日期至")
    chamber = ModelChoiceField(label="组织商会", required=False, empty_label="全部", queryset=Chamber.objects.none(),
                               error_messages={"invalid_choice": "所选商会不存在或不在您的查看范围内。"})

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"] = year_field()
        self.fields["campaign"].queryset = campaigns_to_choose(user).order_by("-start", "id")
        if role_of(user) == Role.CHAMBER:
            del self.fields["chamber"]  # its own chamber's donations only: nothing to choose
        else:
            self.fields["chamber"].queryset = selectors.organising_chambers(user).order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "结束日期不能早于开始日期。")
        return data

    def filters(self):
        """The cleaned values in the shape `selectors.donation_list` takes (ids, not records)."""
        data = self.cleaned_data

        def pk(name):
            return data[name].pk if data.get(name) else None

        return {"q": data.get("q") or "", "campaign": pk("campaign"), "chamber": pk("chamber"),
                "donor_kind": data.get("donor_kind") or "", "gift": data.get("gift") or "", "year": data.get("year"),
                "start": data.get("start"), "end": data.get("end")}


class DonationForm(Form):
    """新增/编辑: the donor (its kind, then the one record of that kind), what was given, to whom, and proofs."""

    donor_kind = forms.ChoiceField(label="捐赠方类型", choices=D.choices, initial=D.ENTERPRISE,
                                   widget=forms.RadioSelect,
                                   error_messages={"required": "请选择捐赠方类型。", "invalid_choice": "请选择捐赠方类型。"})
    donor_enterprise = EnterpriseField(label="捐赠企业", required=False, help_text="捐赠方类型为“企业”时选择。")
    donor_person = PersonField(label="捐赠人", required=False, help_text="捐赠方类型为“个人”时选择。")
    donor_chamber = ModelChoiceField(label="捐赠商会", required=False, empty_label="请选择", queryset=Chamber.objects.none(),
                                     help_text="捐赠方类型为“商会”时选择。",
                                     error_messages={"invalid_choice": "所选商会不存在或不在您的管理范围内。"})
    chamber = ModelChoiceField(label="组织商会", required=False, empty_label="无（工商联组织）",
                               queryset=Chamber.objects.none(), help_text="经由哪个商会组织；该商会秘书处可查看这条捐赠。",
                               error_messages={"invalid_choice": "所选商会不存在或不在您的管理范围内。"})
    campaign = ModelChoiceField(label="公益项目", required=False, empty_label="不属于公益项目",
                                queryset=Campaign.objects.none(),
                                error_messages={"invalid_choice": "所选公益项目不存在或不在您的查看范围内。"})
    donated_on = date_field("捐赠日期", required=True, error_messages={"required": "请填写捐赠日期。"})
    cash = amount_field("捐款金额（元）")
    goods_description = forms.CharField(label="捐赠物资", required=False, max_length=200,
                                        widget=forms.TextInput(attrs={"placeholder": "例如：口罩2万只、防护服500套"}))
    goods_value = amount_field("物资折价（元）", help_text="捐赠物资时填写折价金额；捐款、物资至少填一项。")
    recipient_village = ModelChoiceField(label="受赠村", required=False, empty_label="无", queryset=Village.objects.none(),
                                         error_messages={"invalid_choice": "所选受赠村不存在或不在您的管理范围内。"})
    recipient = forms.CharField(label="受赠方", required=False, max_length=100,
                                help_text="受赠单位或对象（受赠村以外），如：区慈善协会、某某小学。")
    receipt_number = forms.CharField(label="捐赠票据号", required=False, max_length=40,
                                     help_text="受赠方开具的公益事业捐赠票据号码。")
    note = forms.CharField(label="备注", required=False, max_length=200)
    proofs = MultipleFileField(label="捐赠凭证", help_text=f"转账凭证、捐赠票据、接收证明或照片。{FILES_HELP}")

    def __init__(self, *args, user, instance=None, **kwargs):
        self.instance = instance
        if instance is not None and not kwargs.get("initial"):
            kwargs["initial"] = _initial(instance)
        super().__init__(*args, **kwargs)
        keep = instance or Donation()
        for field in ("donor_enterprise", "donor_person"):
            self.fields[field].scope_to(user)
            current = getattr(keep, f"{field}_id")
            if current:  # an edited donation keeps its donor even if it has left the scope since
                model = self.fields[field].queryset.model
                self.fields[field].queryset = model.objects.filter(
                    Q(pk__in=self.fields[field].queryset.values("pk")) | Q(pk=current))
        self.fields["donor_chamber"].queryset = _with(selectors.donor_chambers(user), keep.donor_chamber_id)
        self.fields["campaign"].queryset = campaigns_to_choose(user, include=keep.campaign_id).order_by("-start", "id")
        self.fields["recipient_village"].queryset = _with(selectors.recipient_villages(user),
                                                          keep.recipient_village_id)
        if role_of(user) == Role.CHAMBER:
            del self.fields["chamber"]  # fixed: its own chamber
        else:
            self.fields["chamber"].queryset = _with(selectors.organising_chambers(user), keep.chamber_id)

    def clean(self):
        data = super().clean()
        kind = data.get("donor_kind")
        if kind in DONOR_FIELDS and not data.get(DONOR_FIELDS[kind]) and DONOR_FIELDS[kind] not in self.errors:
            self.add_error(DONOR_FIELDS[kind], "请选择捐赠方。")
        return data

    def donation_data(self):
        """What `services.donations.save_donation` takes as `data`."""
        data = self.cleaned_data
        kind = data["donor_kind"]
        values = {name: data.get(name) for name in (
            "donor_kind", "campaign", "recipient_village", "donated_on", "cash", "goods_description", "goods_value",
            "recipient", "receipt_number", "note")}
        values["donor"] = data.get(DONOR_FIELDS[kind])
        values["chamber"] = data.get("chamber")
        return values

    def onto_fields(self, exc):
        """The service's ValidationError with its messages on the form's fields ("donor" on the chosen kind's
        picker; a field the form does not show on the whole form)."""
        if not hasattr(exc, "error_dict"):
            return exc
        kind = self.cleaned_data.get("donor_kind") if hasattr(self, "cleaned_data") else None
        moved = {}
        for name, errors in exc.error_dict.items():
            target = DONOR_FIELDS.get(kind, "donor_kind") if name == "donor" else name
            target = target if target in self.fields else "__all__"
            moved.setdefault(target, []).extend(errors)
        return ValidationError(moved)


def _with(queryset, current):
    if not current:
        return queryset
    return queryset.model.objects.filter(Q(pk__in=queryset.values("pk")) | Q(pk=current))


def _initial(donation):
    initial = {name: getattr(donation, name) for name in (
        "donor_kind", "donated_on", "cash", "goods_description", "goods_value", "recipient", "receipt_number", "note")}
    for name in ("donor_enterprise", "donor_person", "donor_chamber", "chamber", "campaign", "recipient_village"):
        initial[name] = getattr(donation, f"{name}_id")
    return initial


SECTIONS = [
    ("捐赠方", ["donor_kind", "donor_enterprise", "donor_person", "donor_chamber", "chamber"]),
    ("捐赠内容", ["donated_on", "campaign", "cash", "goods_description", "goods_value"]),
    ("受赠与凭证", ["recipient_village", "recipient", "receipt_number", "note", "proofs"]),
]


def sections(form):
    return [(heading, [name for name in names if name in form.fields]) for heading, names in SECTIONS]
