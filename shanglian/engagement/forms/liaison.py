"""Forms of liaison (包联/帮联) and visits (走访): they parse; `services.liaison` checks the roles, the scope and the
rules again (overlaps, dates, the leader's own enterprises) and writes. Every row chosen by id is scoped to
the user (`common.forms.ModelChoiceField`, the enterprise picker)."""

from django import forms
from django.utils import timezone

from shanglian.accounts.roles import Role, role_of
from shanglian.appeals.forms import AppealCreateForm
from shanglian.common.forms import Form, ModelChoiceField, date_field
from shanglian.common.periods import span_text
from shanglian.members.pickers import EnterpriseField
from shanglian.members.selectors import streets_visible_to

from ..models import Liaison, liaison_in_force_q
from ..selectors import liaison as selectors

YES_NO = [("", "全部"), ("yes", "是"), ("no", "否")]


def _text(label, *, max_length, required=False, rows=None, help_text=""):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(label=label, max_length=max_length, required=required, widget=widget, help_text=help_text,
                           error_messages={"required": f"请填写{label}。",
                                           "max_length": f"{label}不能超过{max_length}字。"})


class _PersonChoice(forms.ChoiceField):
    """包联人 of a filter: an account or a department among the liaisons in scope ("user:<id>", "department:<id>")."""

    def __init__(self, **kwargs):
        super().__init__(label="包联人", required=False, choices=[("", "全部")], **kwargs)


# --- assignments ---------------------------------------------------------------------------------------------
class LiaisonSearchForm(Form):
    q = forms.CharField(label="企业", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "企业名称"}))
    level = forms.ChoiceField(label="层级", required=False, choices=[("", "全部"), *Liaison.Level.choices])
    street = ModelChoiceField(label="街道", required=False, empty_label="全部", queryset=None)
    person = _PersonChoice()
    in_force = forms.ChoiceField(label="在期", required=False, choices=YES_NO)
    visited = forms.ChoiceField(label="本年已走访", required=False, choices=YES_NO)
    overdue = forms.BooleanField(label=f"超过{selectors.VISIT_INTERVAL_DAYS}天未走访", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = streets_visible_to(user).order_by("code", "id")
        self.fields["person"].choices = [("", "全部"), *selectors.liaison_people(user)]


class MyLiaisonSearchForm(Form):
    q = forms.CharField(label="企业", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "企业名称"}))
    overdue = forms.BooleanField(label=f"超过{selectors.VISIT_INTERVAL_DAYS}天未走访", required=False)


class LiaisonForm(Form):
    """新增/编辑包联关系 (the editors'). Exactly one of 包联人（账号） and 包联部门."""

    enterprise = EnterpriseField(label="企业", help_text="输入名称中的几个字、拼音首字母或统一社会信用代码，从列表中选择。")
    level = forms.ChoiceField(label="层级", choices=Liaison.Level.choices, initial=Liaison.Level.DISTRICT)
    street = ModelChoiceField(label="帮联街道", required=False, empty_label="请选择", queryset=None,
                              help_text="街道帮联必填。", error_messages={"invalid_choice": "请选择本工商联的街道。"})
    user = ModelChoiceField(label="包联人（账号）", required=False, empty_label="请选择", queryset=None,
                            help_text="本工商联的领导或工作人员账号；与包联部门二选一。",
                            error_messages={"invalid_choice": "包联人须为本工商联的领导或工作人员账号。"})
    department = ModelChoiceField(label="包联部门", required=False, empty_label="请选择", queryset=None,
                                  help_text="由部门包联时选择；与包联人账号二选一。",
                                  error_messages={"invalid_choice": "请选择本工商联启用中的部门。"})
    liaison_name = _text("包联人姓名及职务", max_length=60, help_text="部门包联时可填写具体负责的领导，如：张某某（副局长）。")
    start = date_field("起始日期", required=True, error_messages={"required": "请填写起始日期。"})
    end = date_field("结束日期", help_text="留空表示仍在包联。")
    note = _text("备注", max_length=200)

    def __init__(self, *args, user, instance=None, **kwargs):
        self.instance = instance
        if instance is not None:
            kwargs["initial"] = {
                **{name: getattr(instance, name) for name in ("level", "liaison_name", "start", "end", "note")},
                **{name: getattr(instance, f"{name}_id") for name in ("enterprise", "street", "user", "department")}}
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].scope_to(user)
        self.fields["street"].queryset = streets_visible_to(user).order_by("code", "id")
        self.fields["user"].queryset = selectors.liaison_users(user)
        self.fields["user"].label_from_instance = lambda u: f"{u.display_name or u.username}（{u.username}）"
        self.fields["department"].queryset = selectors.liaison_departments(user)

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("user")) == bool(data.get("department")):
            raise forms.ValidationError("请在包联人账号与包联部门中选择其一。")
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "结束日期不能早于起始日期。")
        if data.get("level") == Liaison.Level.STREET and not data.get("street") and "street" not in self.errors:
            self.add_error("street", "街道帮联请选择街道。")
        return data


class EndLiaisonForm(Form):
    end = date_field("结束日期", required=True, error_messages={"required": "请填写结束日期。"})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"end": timezone.localdate()})
        super().__init__(*args, **kwargs)


# --- visits ----------------------------------------------------------------------------------------------------
class VisitSearchForm(Form):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "企业名称或走访人员"}))
    enterprise = EnterpriseField(label="企业", required=False)
    person = _PersonChoice()
    visited_from = date_field("走访日期起")
    visited_to = date_field("走访日期止")
    problems = forms.ChoiceField(label="发现问题", required=False, choices=YES_NO)
    appeals = forms.ChoiceField(label="已转诉求", required=False, choices=YES_NO)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].scope_to(user)
        self.fields["person"].choices = [("", "全部"), *selectors.liaison_people(user)]

    def clean(self):
        data = super().clean()
        start, end = data.get("visited_from"), data.get("visited_to")
        if start and end and start > end:
            self.add_error("visited_to", "走访日期止不能早于走访日期起。")
        return data

    def filters(self):
        """The cleaned values in the shape `selectors.visit_list` takes."""
        data = self.cleaned_data
        return {"q": data.get("q") or "", "enterprise": data.get("enterprise"), "person": data.get("person") or "",
                "from": data.get("visited_from"), "to": data.get("visited_to"),
                "problems": data.get("problems") or "", "appeals": data.get("appeals") or ""}


def _liaison_label(liaison):
    return f"{liaison.enterprise.name} · {liaison.liaison_display}（{span_text(liaison.start, liaison.end)}）"


def _own_liaison_label(liaison):
    return f"{liaison.enterprise.name}（{liaison.get_level_display()}，{span_text(liaison.start, liaison.end)}）"


class VisitForm(Form):
    """记录/编辑走访. An editor picks the enterprise (and, when it has several liaisons, the one visited under); a
    leader picks one of their own liaison enterprises."""

    enterprise = EnterpriseField(label="企业", help_text="输入名称中的几个字、拼音首字母或统一社会信用代码，从列表中选择。")
    liaison = ModelChoiceField(label="包联关系", required=False, queryset=None, empty_label="自动关联",
                               error_messages={"invalid_choice": "包联关系不存在或不在您的范围内。"})
    visited_on = date_field("走访日期", required=True, error_messages={"required": "请填写走访日期。"})
    visitors = _text("走访人员", max_length=200, required=True)
    people_met = _text("接待人员", max_length=200)
    summary = _text("走访情况", max_length=5000, rows=4)
    problems = _text("发现问题", max_length=5000, rows=4, help_text="企业反映的困难和问题；可在保存后“转为诉求”进入诉求办理。")
    follow_up = _text("后续跟进", max_length=5000, rows=3)

    def __init__(self, *args, user, instance=None, enterprise=None, liaison=None, **kwargs):
        """`enterprise`, `liaison`: what a new visit starts from (?enterprise= / ?liaison=)."""
        self.instance = instance
        initial = kwargs.pop("initial", {})
        if instance is not None:
            initial = {name: getattr(instance, name) for name in
                       ("visited_on", "visitors", "people_met", "summary", "problems", "follow_up")}
            enterprise, liaison = instance.enterprise, instance.liaison
        else:
            initial.setdefault("visited_on", timezone.localdate())
        if liaison is not None:
            enterprise = liaison.enterprise
            initial["liaison"] = liaison.pk
        if enterprise is not None:
            initial["enterprise"] = enterprise.pk
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["visited_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.leader_form = role_of(user) == Role.LEADER
        field = self.fields["liaison"]
        if self.leader_form:
            del self.fields["enterprise"]
            field.required, field.empty_label, field.label = True, "请选择", "包联企业"
            field.queryset = selectors.visit_liaisons(user).select_related("enterprise", "user", "department")
            field.label_from_instance = _own_liaison_label
            field.error_messages["required"] = "请选择您包联的企业。"
            self.fields["problems"].help_text = "企业反映的困难和问题；工商联工作人员会将其转为诉求办理。"
            if enterprise is not None and liaison is None and not self.is_bound:  # from the enterprise's page
                own = field.queryset.filter(liaison_in_force_q(timezone.localdate()), enterprise=enterprise).first()
                self.initial["liaison"] = own.pk if own else None
            return
        self.fields["enterprise"].scope_to(user)
        field.queryset = selectors.visit_liaisons(user)
        shown = self._enterprise_id(enterprise)
        choices = (selectors.visit_liaisons(user, enterprise_id=shown).select_related("enterprise", "user",
                                                                                     "department")
                   if shown else [])
        field.widget.choices = [("", "自动关联"), *[(item.pk, _liaison_label(item)) for item in choices]]
        field.help_text = ("不选时，若该企业在走访日只有一条在期的包联关系则自动关联。"
                           if shown else "先选择企业并保存；从包联关系页面“记录走访”进入可直接关联。")

    def _enterprise_id(self, enterprise):
        if self.is_bound:
            value = (self.data.get(self.add_prefix("enterprise")) or "").strip()
            return int(value) if value.isdigit() and len(value) <= 18 else None
        return enterprise.pk if enterprise is not None else None

    def clean_visited_on(self):
        day = self.cleaned_data["visited_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError("走访日期不能晚于今天。")
        return day

    def clean(self):
        data = super().clean()
        liaison, enterprise = data.get("liaison"), data.get("enterprise")
        if liaison is not None and enterprise is not None and liaison.enterprise_id != enterprise.pk:
            self.add_error("liaison", "包联关系不属于该企业。")
        return data

    def service_kwargs(self):
        data = self.cleaned_data
        return {"enterprise": data.get("enterprise"), "liaison": data.get("liaison"),
                **{name: data[name] for name in ("visited_on", "visitors", "people_met", "summary", "problems",
                                                 "follow_up")}}


class VisitAppealForm(AppealCreateForm):
    """转为诉求: the desk's registration form with the visit's enterprise fixed and its problems as the content."""

    def __init__(self, *args, visit, **kwargs):
        kwargs.setdefault("initial", {"title": _title(visit.problems), "content": visit.problems})
        super().__init__(*args, **kwargs)
        del self.fields["channel"]
        del self.fields["enterprise"]
        self.fields["source_note"].label = "补充说明"
        self.fields["source_note"].help_text = "来源走访（日期、企业、走访人员）会自动记录。"


TITLE_LIMIT = 100


def _title(problems):
    """A first title from the problems found: their first line, cut to the title's length."""
    first = next((line.strip() for line in (problems or "").splitlines() if line.strip()), "")
    return first if len(first) <= TITLE_LIMIT else first[:TITLE_LIMIT - 1] + "…"
