"""Forms of the nominations part: the list's search form, 提名 (an enterprise, the recommending chamber, the reason,
files), 修改提名 (the reason, files added or removed), the judges' queue filter and 评分 (one score per criterion). They
parse what was typed; `services.nominations` checks every rule again and writes."""

from decimal import Decimal

from django import forms

from shanglian.accounts.roles import Role, role_of
from shanglian.common.forms import (
    FILES_HELP,
    Form,
    ModelChoiceField,
    ModelMultipleChoiceField,
    MultipleFileField,
)
from shanglian.members.pickers import EnterpriseField
from shanglian.orgs.models import Chamber
from shanglian.orgs.selectors import chambers_in_scope

from ..models import Category, Nomination, NominationAttachment, Programme
from ..selectors.nominations import QUEUE_STATES
from ..selectors.programmes import categories_visible_to
from ..selectors.scopes import programmes_visible_to
from ..services.nominations import MAX_REASON, SCORE_PLACES


def _reason_field():
    return forms.CharField(label="推荐理由", max_length=MAX_REASON,
                           widget=forms.Textarea(attrs={"rows": 6, "placeholder": "企业在该类别方面的主要事迹和数据"}),
                           error_messages={"required": "请填写推荐理由。",
                                           "max_length": f"推荐理由不能超过 {MAX_REASON} 字。"})


class NominationSearchForm(Form):
    q = forms.CharField(label="企业名称", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "被提名企业名称"}))
    programme = ModelChoiceField(label="评选活动", required=False, empty_label="全部", queryset=Programme.objects.none(),
                                 error_messages={"invalid_choice": "所选评选活动不存在或不在您的查看范围内。"})
    category = ModelChoiceField(label="评选类别", required=False, empty_label="全部", queryset=Category.objects.none(),
                                error_messages={"invalid_choice": "所选评选类别不存在或不在您的查看范围内。"})
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *Nomination.Status.choices])
    chamber = ModelChoiceField(label="推荐商会", required=False, empty_label="全部", queryset=Chamber.objects.none(),
                               error_messages={"invalid_choice": "所选商会不存在或不在您的查看范围内。"})

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes_visible_to(user).order_by("-year", "id")
        self.fields["category"].queryset = categories_visible_to(user).order_by("-programme__year", "programme_id",
                                                                                "order", "id")
        self.fields["category"].label_from_instance = lambda c: f"{c.programme} · {c.name}"
        self.fields["chamber"].queryset = chambers_in_scope(user).order_by("name")

    def filters(self):
        data = self.cleaned_data

        def pk(name):
            return data[name].pk if data.get(name) else None

        return {"q": data.get("q") or "", "programme": pk("programme"), "category": pk("category"),
                "status": data.get("status") or "", "chamber": pk("chamber")}


class NominationForm(Form):
    """提名 from a category's page: the enterprise (an editor: any of the federation; a chamber secretary: its active
    members), the recommending chamber (editors; a chamber secretary's is its own), the reason and files."""

    enterprise = EnterpriseField(label="被提名企业")
    chamber = ModelChoiceField(label="推荐商会", required=False, empty_label="无（工商联直接提名）",
                               queryset=Chamber.objects.none(),
                               error_messages={"invalid_choice": "所选推荐商会不存在或不在您的管理范围内。"})
    reason = _reason_field()
    files = MultipleFileField(label="证明材料", help_text=FILES_HELP)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].scope_to(user)
        if role_of(user) == Role.CHAMBER:
            del self.fields["chamber"]
            self.fields["enterprise"].help_text = "只能提名本商会在册的会员企业。"
        else:
            self.fields["chamber"].queryset = chambers_in_scope(user).filter(status=Chamber.Status.ACTIVE).order_by("name")

    def nomination_data(self):
        return {"enterprise": self.cleaned_data["enterprise"], "chamber": self.cleaned_data.get("chamber"),
                "reason": self.cleaned_data["reason"], "files": self.cleaned_data.get("files") or []}


class NominationEditForm(Form):
    reason = _reason_field()
    files = MultipleFileField(label="增加材料", help_text=FILES_HELP)
    remove = ModelMultipleChoiceField(label="删除材料", required=False,
                                      queryset=NominationAttachment.objects.none(),
                                      widget=forms.CheckboxSelectMultiple,
                                      error_messages={"invalid_choice": "所选材料不属于该提名。",
                                                      "invalid_pk_value": "所选材料不属于该提名。"})

    def __init__(self, *args, nomination, **kwargs):
        kwargs.setdefault("initial", {"reason": nomination.reason})
        super().__init__(*args, **kwargs)
        attachments = nomination.attachments.order_by("id")
        self.fields["remove"].queryset = attachments
        if not attachments.exists():
            del self.fields["remove"]

    def edit_data(self):
        return {"reason": self.cleaned_data["reason"], "files": self.cleaned_data.get("files") or [],
                "remove": [a.pk for a in self.cleaned_data.get("remove") or []]}


class QueueForm(Form):
    state = forms.ChoiceField(label="评分情况", required=False, choices=[("", "全部"), *QUEUE_STATES.items()])


def _score_field(criterion):
    maximum = Decimal(criterion.max_score)
    between = f"“{criterion.name}”的得分应在 0 至 {criterion.max_score} 之间。"
    weight = format(Decimal(criterion.weight).normalize(), "f")
    return forms.DecimalField(
        label=f"{criterion.name}（满分 {criterion.max_score}，权重 {weight}）", min_value=0, max_value=maximum,
        max_digits=6, decimal_places=SCORE_PLACES, help_text=criterion.description,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": 0, "max": criterion.max_score, "inputmode": "decimal"}),
        error_messages={"required": f"请为“{criterion.name}”打分。", "invalid": f"“{criterion.name}”的得分应为数字。",
                        "min_value": between, "max_value": between,
                        "max_decimal_places": f"“{criterion.name}”的得分最多保留两位小数。",
                        "max_digits": between, "max_whole_digits": between})


class ScoreForm(Form):
    """One score per criterion of the nomination's category, named `score_<criterion id>`."""

    def __init__(self, *args, criteria, scores=None, **kwargs):
        scores = scores or {}
        kwargs.setdefault("initial", {f"score_{pk}": value for pk, value in scores.items()})
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = _score_field(criterion)

    def score_values(self):
        return {c.pk: self.cleaned_data[f"score_{c.pk}"] for c in self.criteria}
