"""Forms of the friendly organisations: the two lists' search forms, a partner, an agreement and an exchange (the
event it was named by its number, looked up among the events the editor sees). They parse what was typed;
`services.partners` checks every rule again and writes."""

from django import forms

from shanglian.common.forms import Form, ModelChoiceField, date_field

from ..models import Exchange, Partner
from ..selectors.partners import event_candidates, partners_visible_to
from ..services.partners import (
    MAX_CONTACT,
    MAX_DELEGATES,
    MAX_LEADER,
    MAX_NAME,
    MAX_NOTE,
    MAX_OUTCOME,
    MAX_PURPOSE,
    MAX_REGION,
    MAX_SUMMARY,
    MAX_TITLE,
)


def _text(label, max_length, *, required=True, textarea=False, placeholder="", **kwargs):
    attrs = {"placeholder": placeholder} if placeholder else {}
    widget = forms.Textarea(attrs={"rows": 4, **attrs}) if textarea else forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, max_length=max_length, required=required, widget=widget,
                           error_messages={"required": f"请填写{label}。",
                                           "max_length": f"{label}不能超过 {max_length} 字。"}, **kwargs)


def _initial(instance, names):
    return {name: getattr(instance, name) for name in names}


class PartnerSearchForm(Form):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "名称或地区"}),
                        error_messages={"max_length": "关键词不能超过100个字。"})
    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部"), *Partner.Kind.choices],
                             error_messages={"invalid_choice": "请选择有效的组织类型。"})
    status = forms.ChoiceField(label="状态", required=False,
                               choices=[("", "全部"), ("active", "友好关系存续"), ("ended", "已终止")],
                               error_messages={"invalid_choice": "请选择有效的状态。"})

    def filters(self):
        return {name: self.cleaned_data.get(name) or "" for name in ("q", "kind", "status")}


class ExchangeSearchForm(Form):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "友好组织、交流内容或带队领导"}),
                        error_messages={"max_length": "关键词不能超过100个字。"})
    direction = forms.ChoiceField(label="方向", required=False, choices=[("", "全部"), *Exchange.Direction.choices],
                                  error_messages={"invalid_choice": "请选择来访或出访。"})
    partner = ModelChoiceField(label="友好组织", queryset=None, required=False, empty_label="全部",
                               error_messages={"invalid_choice": "请选择有效的友好组织。"})
    start = date_field("起始日期")
    end = date_field("截止日期")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners_visible_to(user).order_by("name", "id")

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError("截止日期不能早于起始日期。")
        return data

    def filters(self):
        return {name: self.cleaned_data.get(name) for name in ("q", "direction", "partner", "start", "end")}


PARTNER_FIELDS = ("name", "kind", "region", "contact", "since", "ended_on", "note")


class PartnerForm(Form):
    name = _text("名称", MAX_NAME, placeholder="如：河北雄安新区工商联")
    kind = forms.ChoiceField(label="类型", choices=[("", "请选择"), *Partner.Kind.choices],
                             error_messages={"required": "请选择组织类型。", "invalid_choice": "请选择有效的组织类型。"})
    region = _text("所在地区", MAX_REGION, placeholder="如：河北省雄安新区")
    contact = _text("联系人", MAX_CONTACT, required=False)
    since = date_field("结好日期", required=True, error_messages={"required": "请填写结好日期。"})
    ended_on = date_field("终止日期", help_text="友好关系终止后填写；终止后不再计入现有友好组织。")
    note = _text("备注", MAX_NOTE, required=False)

    def __init__(self, *args, user=None, instance=None, **kwargs):
        if instance is not None and not kwargs.get("initial"):
            kwargs["initial"] = _initial(instance, PARTNER_FIELDS)
        super().__init__(*args, **kwargs)

    def partner_data(self):
        return {name: self.cleaned_data.get(name) for name in PARTNER_FIELDS}


AGREEMENT_FIELDS = ("title", "signed_on", "ends_on", "summary")


class AgreementForm(Form):
    title = _text("协议名称", MAX_TITLE, placeholder="如：友好合作框架协议")
    signed_on = date_field("签署日期", required=True, error_messages={"required": "请填写签署日期。"})
    ends_on = date_field("到期日期", help_text="长期有效的协议不填。")
    summary = _text("主要内容", MAX_SUMMARY, required=False, textarea=True)

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None and not kwargs.get("initial"):
            kwargs["initial"] = _initial(instance, AGREEMENT_FIELDS)
        super().__init__(*args, **kwargs)

    def agreement_data(self):
        return {name: self.cleaned_data.get(name) for name in AGREEMENT_FIELDS}


class ExchangeForm(Form):
    direction = forms.ChoiceField(label="方向", choices=[("", "请选择"), *Exchange.Direction.choices],
                                  error_messages={"required": "请选择来访或出访。", "invalid_choice": "请选择来访或出访。"})
    date = date_field("日期", required=True, error_messages={"required": "请填写交流日期。"})
    leader = _text("带队领导", MAX_LEADER, placeholder="如：张主席")
    delegates = forms.IntegerField(label="人数", min_value=1, max_value=MAX_DELEGATES,
                                   error_messages={"required": "请填写人数。", "invalid": "人数应为整数。",
                                                   "min_value": f"人数应在 1 到 {MAX_DELEGATES} 之间。",
                                                   "max_value": f"人数应在 1 到 {MAX_DELEGATES} 之间。"})
    purpose = _text("交流内容", MAX_PURPOSE, placeholder="如：考察数字经济产业园，洽谈产业合作")
    outcome = _text("成果", MAX_OUTCOME, required=False, textarea=True)
    event_number = forms.CharField(label="关联活动编号", required=False, max_length=20,
                                   widget=forms.TextInput(attrs={"placeholder": "如：HD2025040100001"}),
                                   help_text="该次交流在活动管理中登记过的，填写活动编号。",
                                   error_messages={"max_length": "活动编号不能超过20个字符。"})

    def __init__(self, *args, user, partner, instance=None, **kwargs):
        if instance is not None and not kwargs.get("initial"):
            kwargs["initial"] = {**_initial(instance, ("direction", "date", "leader", "delegates", "purpose",
                                                       "outcome")),
                                 "event_number": instance.event.number if instance.event_id else ""}
        super().__init__(*args, **kwargs)
        self.user, self.partner = user, partner

    def clean_event_number(self):
        number = (self.cleaned_data.get("event_number") or "").strip()
        if not number:
            return None
        event = event_candidates(self.user, self.partner.federation_id).filter(number__iexact=number).first()
        if event is None:
            raise forms.ValidationError(f"未找到活动编号：{number}（或不在您的管理范围内）。")
        return event

    def exchange_data(self):
        data = {name: self.cleaned_data.get(name) for name in
                ("direction", "date", "leader", "delegates", "purpose", "outcome")}
        data["event"] = self.cleaned_data.get("event_number")
        return data
