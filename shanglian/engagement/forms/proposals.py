"""Forms of the proposals part: the search form of the list, the proposal's own form (新增/编辑) and one form per
transition of `workflow.PROPOSAL_FLOW` (their field names are the services' keywords). The services check every
rule again; what a form checks is the shape of the input (a date, a row of the user's scope)."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone

from shanglian.common.forms import Form, ModelChoiceField, date_field
from shanglian.common.models import DictItem
from shanglian.members.pickers import PersonField
from shanglian.orgs.models import Chamber, Department
from shanglian.orgs.selectors import chambers_in_scope, departments_visible_to
from shanglian.policies.models import Policy
from shanglian.policies.selectors import policies_visible_to

from ..models import Proposal
from ..selectors.proposals import BODIES, FILED, FILED_LABEL, OUTCOMES
from ..services.proposals import (
    FIRST_YEAR,
    MAX_MEASURE,
    MAX_NOTE,
    MAX_REASON,
    MAX_REPLY,
    MAX_SUBMITTERS,
    TOPIC,
)

SUBMITTER_ROWS = 5  # picker rows on the form (an imported proposal may name up to MAX_SUBMITTERS)


def year_field(*, required):
    """A proposal's year as a number from `services.proposals.FIRST_YEAR` to next year (the bounds the service
    holds every proposal to; any past year a statistic links to is valid, not only a recent few)."""
    last = timezone.localdate().year + 1
    between = f"年度应在 {FIRST_YEAR} 年至 {last} 年之间。"
    return forms.IntegerField(
        label="年度", required=required, min_value=FIRST_YEAR, max_value=last,
        widget=forms.NumberInput(attrs={"placeholder": "如：2024", "min": FIRST_YEAR, "max": last}),
        error_messages={"required": "请填写年度。", "invalid": "年度应为四位数字，如 2024。",
                        "min_value": between, "max_value": between})


def _textarea(rows=4, placeholder=""):
    attrs = {"rows": rows}
    if placeholder:
        attrs["placeholder"] = placeholder
    return forms.Textarea(attrs=attrs)


# --- the list's search form -----------------------------------------------------------------------------
class ProposalSearchForm(Form):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "标题、编号或提交人姓名"}))
    year = forms.IntegerField(label="年度", required=False)  # bounded in __init__ (next year moves)
    kind = forms.ChoiceField(label="类别", required=False, choices=[("", "全部"), *Proposal.Kind.choices])
    status = forms.ChoiceField(label="状态", required=False,
                               choices=[("", "全部"), (FILED, FILED_LABEL), *Proposal.Status.choices])
    outcome = forms.ChoiceField(label="采纳情况", required=False,
                                choices=[("", "全部"), *[(key, label) for key, (label, _q) in OUTCOMES.items()]])
    topic = ModelChoiceField(label="主题", required=False, empty_label="全部", queryset=DictItem.objects.none(),
                             error_messages={"invalid_choice": "所选主题不存在，请重新选择。"})
    submitter = PersonField(label="提交人", required=False)
    body = forms.ChoiceField(label="提交方式", required=False,
                             choices=[("", "全部"), *[(key, label) for key, (label, _q) in BODIES.items()]])
    chamber = ModelChoiceField(label="提交商会", required=False, empty_label="全部", queryset=Chamber.objects.none(),
                               error_messages={"invalid_choice": "所选商会不存在或不在您的查看范围内。"})
    department = ModelChoiceField(label="承办部门", required=False, empty_label="全部",
                                  queryset=Department.objects.none(),
                                  error_messages={"invalid_choice": "所选承办部门不存在或不在您的查看范围内。"})

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"] = year_field(required=False)
        self.fields["topic"].queryset = DictItem.objects.filter(kind=TOPIC).order_by("order", "code")
        self.fields["submitter"].scope_to(user)
        self.fields["chamber"].queryset = chambers_in_scope(user).order_by("name")
        self.fields["department"].queryset = _departments(user)

    def filters(self):
        """The cleaned values in the shape `selectors.proposal_list` takes (ids, not records)."""
        data = self.cleaned_data

        def pk(name):
            return data[name].pk if data.get(name) else None

        return {"q": data.get("q") or "", "year": data.get("year"), "kind": data.get("kind") or "",
                "status": data.get("status") or "", "outcome": data.get("outcome") or "", "topic": pk("topic"),
                "submitter": pk("submitter"), "body": data.get("body") or "", "chamber": pk("chamber"),
                "department": pk("department")}


def _departments(user):
    """The handling departments a user may name: those of the scope (none for a chamber secretary, who has no
    departments: the filter then lists none)."""
    try:
        return departments_visible_to(user).order_by("name")
    except PermissionDenied:
        return Department.objects.none()


# --- the proposal -----------------------------------------------------------------------------------------
class ProposalForm(Form):
    """新增/编辑: what the proposal is and who submitted it (persons picked one by one, and/or a body)."""

    kind = forms.ChoiceField(label="类别", choices=Proposal.Kind.choices, initial=Proposal.Kind.PROPOSAL,
                             error_messages={"required": "请选择类别。", "invalid_choice": "请选择类别。"})
    title = forms.CharField(label="标题", max_length=200, error_messages={"required": "请填写标题。"})
    year = forms.IntegerField(label="年度")  # bounded in __init__ (next year moves)
    session = forms.CharField(label="会议/届次", required=False, max_length=60,
                              widget=forms.TextInput(attrs={"placeholder": "例如：区政协十六届三次会议"}))
    topic = ModelChoiceField(label="主题", required=False, empty_label="请选择", queryset=DictItem.objects.none(),
                             error_messages={"invalid_choice": "所选主题不存在，请重新选择。"})
    recipient = forms.CharField(label="提交对象", required=False, max_length=60,
                                widget=forms.TextInput(attrs={"placeholder": "例如：区人大、区政协、区政府"}))
    text = forms.CharField(label="正文", required=False, widget=_textarea(8))
    body = forms.ChoiceField(label="以组织名义提交", required=False, choices=Proposal.Body.choices,
                             help_text="以工商联或商会名义提交时选择；个人提交的在下方选择提交人。")
    chamber = ModelChoiceField(label="提交商会", required=False, empty_label="请选择", queryset=Chamber.objects.none(),
                               help_text="以商会名义提交时选择。",
                               error_messages={"invalid_choice": "所选商会不存在或不在您的管理范围内。"})

    def __init__(self, *args, user, instance=None, **kwargs):
        self.instance = instance
        if instance is not None and not kwargs.get("initial"):
            kwargs["initial"] = _initial(instance)
        super().__init__(*args, **kwargs)
        self.fields["year"] = year_field(required=True)
        self.fields["year"].initial = timezone.localdate().year
        active = Q(is_active=True) | Q(pk=instance.topic_id) if instance is not None else Q(is_active=True)
        self.fields["topic"].queryset = DictItem.objects.filter(active, kind=TOPIC).order_by("order", "code")
        self.fields["chamber"].queryset = chambers_in_scope(user).order_by("name")
        chosen = list(self.initial.get("submitters") or [])
        rows = min(MAX_SUBMITTERS, max(SUBMITTER_ROWS, len(chosen) + 1))
        for n in range(1, rows + 1):
            self.fields[f"submitter_{n}"] = PersonField(user=user, label=f"提交人 {n}", required=False,
                                                        initial=chosen[n - 1] if n <= len(chosen) else None)
        self.fields["submitter_1"].help_text = "代表人士数据库中的人员；联名提交的依次选择，第一位为领衔人。"

    def submitter_names(self):
        return [name for name in self.fields if name.startswith("submitter_")]

    def proposal_data(self):
        """What `services.save_proposal` takes as `data`."""
        data = {name: self.cleaned_data.get(name) for name in
                ("kind", "title", "text", "topic", "year", "session", "body", "chamber", "recipient")}
        data["submitters"] = [self.cleaned_data[name] for name in self.submitter_names() if self.cleaned_data.get(name)]
        return data

    def onto_fields(self, error):
        """The service's ValidationError with its field names as this form's (submitters → the first picker)."""
        if not hasattr(error, "error_dict"):
            return error
        mapped = {}
        for name, errors in error.error_dict.items():
            target = "submitter_1" if name == "submitters" else name if name in self.fields else NON_FIELD_ERRORS
            mapped.setdefault(target, []).extend(errors)
        return ValidationError(mapped)


def _initial(proposal):
    return {
        "kind": proposal.kind, "title": proposal.title, "year": proposal.year, "session": proposal.session,
        "topic": proposal.topic_id, "recipient": proposal.recipient, "text": proposal.text, "body": proposal.body,
        "chamber": proposal.chamber_id, "submitters": [p.pk for p in proposal.submitters.order_by("id")],
    }


# --- the transitions --------------------------------------------------------------------------------------
def _step_date(label):
    return date_field(label, help_text="不填为今天；不能晚于今天，也不能早于上一步的日期。")


def _note():
    return forms.CharField(label="说明", required=False, max_length=MAX_NOTE, widget=_textarea(2))


class SubmitForm(Form):
    submitted_on = _step_date("提交日期")
    note = _note()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class RegisterForm(Form):
    registered_on = _step_date("立案日期")
    note = _note()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class HandleForm(Form):
    department = ModelChoiceField(label="承办部门", queryset=Department.objects.none(), empty_label="请选择",
                                  error_messages={"required": "请选择承办部门。",
                                                  "invalid_choice": "所选承办部门不存在或不在您的管理范围内。"})
    note = _note()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["department"].queryset = _departments(user).filter(is_active=True)


class ReplyForm(Form):
    reply = forms.CharField(label="答复意见", max_length=MAX_REPLY, widget=_textarea(5),
                            error_messages={"required": "请填写答复意见。"})
    replied_on = _step_date("答复日期")
    department = ModelChoiceField(label="承办部门", required=False, queryset=Department.objects.none(),
                                  empty_label="不变", help_text="未交办、直接登记答复时可选择作出答复的部门。",
                                  error_messages={"invalid_choice": "所选承办部门不存在或不在您的管理范围内。"})

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["department"].queryset = _departments(user).filter(is_active=True)


class AdoptForm(Form):
    measure = forms.CharField(label="转化的实际举措", max_length=MAX_MEASURE,
                              widget=_textarea(4, "例如：区政府出台《关于支持民营企业融资的若干措施》，设立应急转贷资金"),
                              error_messages={"required": "请填写该意见建议转化成的实际举措。"})
    policy = ModelChoiceField(label="对应惠企政策", required=False, queryset=Policy.objects.none(),
                              empty_label="无", help_text="该举措已形成惠企政策时选择，政策页面将可追溯到本议案提案。",
                              error_messages={"invalid_choice": "所选惠企政策不存在或不在您的查看范围内。"})
    decided_on = _step_date("采纳结果日期")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["policy"].queryset = policies_visible_to(user).order_by("-published_on", "-id")


class DeclineForm(Form):
    reason = forms.CharField(label="未采纳原因", max_length=MAX_REASON, widget=_textarea(2),
                             error_messages={"required": "请填写未采纳原因。"})
    decided_on = _step_date("采纳结果日期")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
