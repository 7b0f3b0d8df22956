"""Forms of the working groups part: the list's search form, a group, a member, a project (with the appeals it
addresses, named by their numbers and looked up in what the editor sees) and a milestone. They parse what was
typed; `services.groups` checks every rule again and writes."""

from django import forms

from shanglian.common.forms import Form, ModelChoiceField, date_field, split_numbers
from shanglian.members.pickers import EnterpriseField, PersonField

from ..models import GroupProject
from ..selectors.groups import appeal_candidates, contact_candidates
from ..services.groups import (
    MAX_APPEALS,
    MAX_DESCRIPTION,
    MAX_FOCUS,
    MAX_GOAL,
    MAX_NAME,
    MAX_NOTE,
    MAX_OUTCOME,
    MAX_TITLE,
)


def _text(label, max_length, *, required=True, textarea=False, placeholder="", **kwargs):
    attrs = {"placeholder": placeholder} if placeholder else {}
    widget = forms.Textarea(attrs={"rows": 4, **attrs}) if textarea else forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, max_length=max_length, required=required, widget=widget,
                           error_messages={"required": f"请填写{label}。",
                                           "max_length": f"{label}不能超过 {max_length} 字。"}, **kwargs)


class GroupSearchForm(Form):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "工作组名称或聚焦问题"}),
                        error_messages={"max_length": "关键词不能超过100个字。"})
    status = forms.ChoiceField(label="状态", required=False,
                               choices=[("", "全部"), ("active", "运行中"), ("dissolved", "已撤销")],
                               error_messages={"invalid_choice": "请选择有效的状态。"})

    def filters(self):
        return {"q": self.cleaned_data.get("q") or "", "status": self.cleaned_data.get("status") or ""}


class GroupForm(Form):
    name = _text("工作组名称", MAX_NAME, placeholder="如：融资服务专项工作组")
    focus = _text("聚焦的共性问题", MAX_FOCUS, placeholder="如：中小企业融资难、融资贵")
    established = date_field("成立日期", required=True, error_messages={"required": "请填写成立日期。"})
    dissolved = date_field("撤销日期", help_text="工作组撤销后不再添加成员和项目。")
    contact = ModelChoiceField(label="工商联联络人", queryset=None, required=False, empty_label="请选择",
                               error_messages={"invalid_choice": "联络人须为本工商联的工作人员或领导。"})
    description = _text("工作职责", MAX_DESCRIPTION, required=False, textarea=True)

    def __init__(self, *args, user, instance=None, **kwargs):
        if instance is not None and not kwargs.get("initial"):
            kwargs["initial"] = {"name": instance.name, "focus": instance.focus, "established": instance.established,
                                 "dissolved": instance.dissolved, "contact": instance.contact_id,
                                 "description": instance.description}
        super().__init__(*args, **kwargs)
        self.instance = instance
        federation_id = instance.federation_id if instance is not None else user.federation_id
        self.fields["contact"].queryset = contact_candidates(federation_id)
        self.fields["contact"].label_from_instance = lambda u: (
            f"{u.display_name}（{u.get_username()}）" if u.display_name else u.get_username())

    def group_data(self):
        return {name: self.cleaned_data.get(name) for name in
                ("name", "focus", "established", "dissolved", "contact", "description")}


class MemberForm(Form):
    person = PersonField(label="人士", error_messages={"required": "请选择人士。"})
    enterprise = EnterpriseField(label="所在企业", required=False,
                                 help_text="不填则取该人士在会员库中任职的企业。")
    is_lead = forms.BooleanField(label="担任组长", required=False,
                                 help_text="每个工作组只有一名组长：指定新组长后，原组长转为成员。")
    joined = date_field("加入日期", required=True, error_messages={"required": "请填写加入日期。"})

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].scope_to(user)
        self.fields["enterprise"].scope_to(user)

    def member_data(self):
        return {name: self.cleaned_data.get(name) for name in ("person", "enterprise", "is_lead", "joined")}


class ProjectForm(Form):
    name = _text("项目名称", MAX_NAME, placeholder="如：“银企对接”专项行动")
    goal = _text("目标", MAX_GOAL, placeholder="如：年内帮助50家会员企业获得贷款")
    start = date_field("开始日期", required=True, error_messages={"required": "请填写开始日期。"})
    due = date_field("计划完成日期", required=True, error_messages={"required": "请填写计划完成日期。"})
    status = forms.ChoiceField(label="状态", choices=GroupProject.Status.choices, initial=GroupProject.Status.PLANNED,
                               error_messages={"required": "请选择项目状态。", "invalid_choice": "请选择有效的项目状态。"})
    appeal_numbers = forms.CharField(label="关联诉求", required=False, max_length=2000,
                                     widget=forms.Textarea(attrs={"rows": 2, "placeholder": "如：SQ20260001，SQ20260002"}),
                                     help_text="项目要解决的共性问题：填写诉求编号，多个以逗号或空格分隔。",
                                     error_messages={"max_length": "关联诉求填写过长。"})
    outcome = _text("成效", MAX_OUTCOME, required=False, textarea=True)
    finished_on = date_field("完成日期", help_text="已完成（或已终止）的项目填写。")

    def __init__(self, *args, user, group, instance=None, **kwargs):
        if instance is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "name": instance.name, "goal": instance.goal, "start": instance.start, "due": instance.due,
                "status": instance.status, "outcome": instance.outcome, "finished_on": instance.finished_on,
                "appeal_numbers": "，".join(appeal_candidates(user, group).filter(group_projects=instance)
                                           .order_by("number").values_list("number", flat=True)),
            }
        super().__init__(*args, **kwargs)
        self.user, self.group, self.instance = user, group, instance

    def clean_appeal_numbers(self):
        numbers = split_numbers(self.cleaned_data.get("appeal_numbers"))
        if len(numbers) > MAX_APPEALS:
            raise forms.ValidationError(f"一个项目最多关联 {MAX_APPEALS} 件诉求。")
        found = ({a.number: a for a in appeal_candidates(self.user, self.group).filter(number__in=numbers)}
                 if numbers else {})
        missing = [n for n in numbers if n not in found]
        if missing:
            raise forms.ValidationError(f"未找到诉求编号：{'、'.join(missing)}（或不在您的管理范围内）。")
        return [found[n] for n in numbers]

    def project_data(self):
        return {name: self.cleaned_data.get(name) for name in
                ("name", "goal", "start", "due", "status", "outcome", "finished_on")}

    def appeals(self):
        return self.cleaned_data.get("appeal_numbers") or []


class MilestoneForm(Form):
    title = _text("节点名称", MAX_TITLE, placeholder="如：完成首批企业摸底")
    due = date_field("计划日期", required=True, error_messages={"required": "请填写计划日期。"})
    done_on = date_field("完成日期", help_text="节点完成后填写。")
    note = _text("说明", MAX_NOTE, required=False)

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None and not kwargs.get("initial"):
            kwargs["initial"] = {"title": instance.title, "due": instance.due, "done_on": instance.done_on,
                                 "note": instance.note}
        super().__init__(*args, **kwargs)

    def milestone_data(self):
        return {name: self.cleaned_data.get(name) for name in ("title", "due", "done_on", "note")}
