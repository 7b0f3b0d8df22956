"""Forms of the lists part: the search form of 发布榜单 and the correction form (更正榜单). The service
(`services.lists.correct_list`) checks every rule again; what a form checks is the shape of the input (a rank is
a positive number, an enterprise is of the user's scope, a reason is given)."""

from django import forms
from django.utils import timezone

from shanglian.common.forms import Form, ModelChoiceField
from shanglian.members.pickers import EnterpriseField

from ..models import Category, Programme
from ..selectors.lists import STATES, list_categories, list_programmes
from ..services.lists import MAX_ENTRIES, MAX_REASON, Entry

ADD_ROWS = 5  # empty rows for enterprises to add; `?rows=` asks for more, up to MAX_ADD_ROWS
MAX_ADD_ROWS = 30
FIRST_YEAR = 2000


def _rank_field(label, *, required, initial=None):
    return forms.IntegerField(
        label=label, required=required, min_value=1, max_value=MAX_ENTRIES, initial=initial,
        widget=forms.NumberInput(attrs={"min": 1, "max": MAX_ENTRIES, "inputmode": "numeric"}),
        error_messages={"required": "请填写名次。", "invalid": "名次应为正整数。",
                        "min_value": "名次应为正整数。", "max_value": f"名次不能大于 {MAX_ENTRIES}。"})


def _year_field():
    last = timezone.localdate().year + 1
    between = f"年度应在 {FIRST_YEAR} 年至 {last} 年之间。"
    return forms.IntegerField(
        label="年度", required=False, min_value=FIRST_YEAR, max_value=last,
        widget=forms.NumberInput(attrs={"placeholder": "如：2025", "inputmode": "numeric"}),
        error_messages={"invalid": "年度应为四位数字，如 2025。", "min_value": between, "max_value": between})


class ListSearchForm(Form):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "榜单名称、评选名称或上榜企业"}))
    year = forms.IntegerField(label="年度", required=False)  # bounded in __init__ (next year moves)
    programme = ModelChoiceField(label="评选活动", required=False, empty_label="全部",
                                 queryset=Programme.objects.none(),
                                 error_messages={"invalid_choice": "所选评选活动不存在或不在您的查看范围内。"})
    category = ModelChoiceField(label="榜单类别", required=False, empty_label="全部", queryset=Category.objects.none(),
                                error_messages={"invalid_choice": "所选榜单类别不存在或不在您的查看范围内。"})
    state = forms.ChoiceField(label="版本", required=False,
                              choices=[("", "全部"), *[(key, label) for key, (label, _q) in STATES.items()]])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"] = _year_field()
        self.fields["programme"].queryset = list_programmes(user)
        self.fields["category"].queryset = list_categories(user)
        self.fields["category"].label_from_instance = lambda c: f"{c.programme.year}年 {c.name}"

    def filters(self):
        data = self.cleaned_data
        return {"q": data.get("q") or "", "year": data.get("year"),
                "programme": data["programme"].pk if data.get("programme") else None,
                "category": data["category"].pk if data.get("category") else None,
                "state": data.get("state") or ""}


class CorrectionForm(Form):
    """更正榜单: each entry of the current version with its rank (change it to reorder; equal ranks tie) and a
    移除 box, empty rows to add enterprises, and the reason (required)."""

    reason = forms.CharField(label="更正原因", max_length=MAX_REASON,
                             widget=forms.Textarea(attrs={"rows": 3, "placeholder": "例如：经复核，某企业存在税务违法记录，予以撤销"}),
                             error_messages={"required": "请填写更正原因。",
                                             "max_length": f"更正原因不能超过 {MAX_REASON} 字。"})

    def __init__(self, *args, user, entries, add_rows=ADD_ROWS, **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = list(entries)
        for entry in self.entries:
            self.fields[f"rank_{entry.pk}"] = _rank_field(f"{entry.enterprise_name}的名次", required=False,
                                                          initial=entry.rank)
            self.fields[f"remove_{entry.pk}"] = forms.BooleanField(label=f"移除{entry.enterprise_name}",
                                                                   required=False)
        self.add_rows = max(1, min(add_rows, MAX_ADD_ROWS))
        for n in range(1, self.add_rows + 1):
            self.fields[f"add_enterprise_{n}"] = EnterpriseField(user=user, label=f"新增企业 {n}", required=False)
            self.fields[f"add_rank_{n}"] = _rank_field(f"新增企业 {n} 的名次", required=False)

    # --- what the template walks -------------------------------------------------------------------------------
    def current_rows(self):
        return [{"entry": entry, "rank": self[f"rank_{entry.pk}"], "remove": self[f"remove_{entry.pk}"]}
                for entry in self.entries]

    def added_rows(self):
        return [{"n": n, "enterprise": self[f"add_enterprise_{n}"], "rank": self[f"add_rank_{n}"]}
                for n in range(1, self.add_rows + 1)]

    def clean(self):
        data = super().clean()
        for entry in self.entries:
            if not data.get(f"remove_{entry.pk}") and data.get(f"rank_{entry.pk}") is None \
                    and f"rank_{entry.pk}" not in self.errors:
                self.add_error(f"rank_{entry.pk}", "请填写名次，或勾选移除。")
        for n in range(1, self.add_rows + 1):
            enterprise, rank = data.get(f"add_enterprise_{n}"), data.get(f"add_rank_{n}")
            if enterprise is not None and rank is None and f"add_rank_{n}" not in self.errors:
                self.add_error(f"add_rank_{n}", "请填写新增企业的名次。")
            if enterprise is None and rank is not None and f"add_enterprise_{n}" not in self.errors:
                self.add_error(f"add_enterprise_{n}", "请选择新增的企业，或清空名次。")
        return data

    def corrected_entries(self):
        """The corrected list as `services.lists.Entry` rows: the kept entries, then the added ones, in that order
        (the service ranks them by the rank typed; equal ranks tie)."""
        data = self.cleaned_data
        kept = [Entry(entry.enterprise, data[f"rank_{entry.pk}"]) for entry in self.entries
                if not data.get(f"remove_{entry.pk}")]
        added = [Entry(data[f"add_enterprise_{n}"], data[f"add_rank_{n}"]) for n in range(1, self.add_rows + 1)
                 if data.get(f"add_enterprise_{n}") is not None]
        return kept + added
