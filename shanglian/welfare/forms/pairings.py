"""Forms of the pairing pages (结对帮扶) and of the coverage page. They parse (and refuse what cannot be parsed, in
Chinese); the rules are the services' (`services/pairings.py`), whose `ValidationError`s the record pages put back
onto these forms. Every row chosen comes from the user's scope (`selectors/pairings.py`); an enterprise is chosen
with the search picker."""

from django import forms
from django.forms.models import model_to_dict

from shanglian.common.forms import Form, ModelChoiceField, MoneyField, date_field
from shanglian.members.pickers import EnterpriseField
from shanglian.orgs.selectors import chambers_in_scope

from ..models import Pairing
from ..selectors import pairings as selectors
from ..services.donations import AMOUNT_LIMIT

MAX_TEXT = 5000


def money_field(label, **kwargs):
    """An amount in yuan to the fen, typed as people type it (1,234.50, １２３, 1.5万元 — the donations' and the
    import's rule, `common.forms.MoneyField`), not negative, within what the column holds (the service checks
    again)."""
    return MoneyField(label=label, limit=AMOUNT_LIMIT, **kwargs)


class VillageChoiceField(ModelChoiceField):
    def label_from_instance(self, village):
        where = f"{village.county} " if village.county else ""
        return f"{where}{village.name}{'' if village.is_target else '（非帮扶目标村）'}"


class PairingForm(Form):
    village = VillageChoiceField(label="结对村", queryset=None, empty_label="请选择",
                                 error_messages={"required": "请选择结对村。",
                                                 "invalid_choice": "所选村不存在或不在您的管理范围内。"})
    enterprise = EnterpriseField(label="帮扶企业", required=False, help_text="帮扶企业、帮扶商会二选一。")
    chamber = ModelChoiceField(label="帮扶商会", queryset=None, required=False, empty_label="（无）",
                               error_messages={"invalid_choice": "所选商会不存在或不在您的管理范围内。"})
    kind = forms.ChoiceField(label="帮扶类型", choices=[("", "请选择"), *Pairing.Kind.choices],
                             error_messages={"required": "请选择帮扶类型。", "invalid_choice": "请选择帮扶类型。"})
    start = date_field("开始日期", required=True, error_messages={"required": "请填写开始日期。"})
    end = date_field("结束日期", help_text="留空表示仍在帮扶。")
    commitment = forms.CharField(label="帮扶承诺", required=False, max_length=MAX_TEXT,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    committed_amount = money_field("承诺投入（元）")
    delivered = forms.CharField(label="落实情况", required=False, max_length=MAX_TEXT,
                                widget=forms.Textarea(attrs={"rows": 3}))
    delivered_amount = money_field("已投入（元）")
    note = forms.CharField(label="备注", required=False, max_length=200)

    def __init__(self, *args, user, instance=None, **kwargs):
        self.instance = instance
        if instance is not None and instance.pk is not None:
            kwargs["initial"] = {**model_to_dict(instance, fields=list(self.base_fields)), **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = selectors.villages_for_pairings(user)
        self.fields["enterprise"].queryset = selectors.partner_enterprises(user)
        self.fields["chamber"].queryset = selectors.partner_chambers(user)


SECTIONS = [("结对双方（帮扶企业、帮扶商会二选一）", ["village", "enterprise", "chamber"]),
            ("帮扶内容", ["kind", "start", "end", "commitment", "committed_amount", "delivered", "delivered_amount",
                      "note"])]


class PairingSearchForm(Form):
    q = forms.CharField(label="帮扶方或村名", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "企业、商会或村名"}))
    kind = forms.ChoiceField(label="帮扶类型", required=False, choices=[("", "全部"), *Pairing.Kind.choices])
    partner = forms.ChoiceField(label="帮扶方", required=False,
                                choices=[("", "全部"), ("enterprise", "企业"), ("chamber", "商会")])
    status = forms.ChoiceField(label="状态", required=False,
                               choices=[("", "全部"), *selectors.STATUSES.items()])
    on = date_field("状态日期", help_text="按该日判断在期、未开始、已结束；默认今天。")
    county = forms.CharField(label="所在县（区）", required=False, max_length=50)
    target = forms.ChoiceField(label="帮扶目标村", required=False, choices=[("", "全部"), ("yes", "是"), ("no", "否")])
    chamber = ModelChoiceField(label="商会", queryset=None, required=False, empty_label="全部",
                               help_text="商会本身及其在册会员企业的结对。")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chamber"].queryset = chambers_in_scope(user).order_by("name", "id")

    def clean_on(self):
        on = self.cleaned_data.get("on")
        if on and not 2000 <= on.year <= 2100:
            raise forms.ValidationError("日期不正确。")
        return on


__all__ = ["SECTIONS", "PairingForm", "PairingSearchForm", "money_field"]
