"""The event's forms: the event itself, its transitions' bodies, invitations, RSVP, check-in, meetings, roster.
They only parse; the services check and write."""

import datetime
import re

from django import forms
from django.utils import timezone

from shanglian.accounts.roles import Role, role_of
from shanglian.appeals.forms import AppealCreateForm
from shanglian.common.forms import (
    FILES_HELP,
    Form,
    ModelChoiceField,
    ModelForm,
    MultipleFileField,
    date_field,
    split_numbers,
)
from shanglian.common.models import DictItem
from shanglian.common.periods import MONTH, Period
from shanglian.common.pickers import IndustryField
from shanglian.common.validators import validate_mobile
from shanglian.members.models import Membership
from shanglian.members.pickers import EnterpriseField, PersonField
from shanglian.orgs.models import Chamber, Committee

from .models import CheckIn, Event, Invitation, Programme

LIKE_EVENT_CHOICES = 300


class CancelForm(Form):
    reason = forms.CharField(label="取消原因", max_length=200, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "请填写取消原因。",
                                             "max_length": "取消原因不能超过200字。"})


# --- the list's search form ------------------------------------------------------------------------------
def _year_choices():
    this_year = timezone.localdate().year
    return [("", "全部")] + [(str(y), f"{y}年") for y in range(this_year + 1, this_year - 10, -1)]


class EventSearchForm(Form):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "活动名称、编号或地点"}))
    kind = ModelChoiceField(label="活动类型", required=False, empty_label="全部",
                            queryset=DictItem.objects.filter(kind="event_kind"))
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部")] + list(Event.Status.choices))
    organiser = forms.ChoiceField(label="主办方", required=False,
                                  choices=[("", "全部")] + list(Event.Organiser.choices))
    year = forms.TypedChoiceField(label="年度", required=False, coerce=int, empty_value=None, choices=())
    starts_from = date_field("开始日期起")
    starts_to = date_field("开始日期止")

    def __init__(self, *args, chamber_view=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices()
        if chamber_view:  # a chamber secretary's events are all its chamber's
            del self.fields["organiser"]

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_from"), data.get("starts_to")
        if start and end and start > end:
            self.add_error("starts_to", "开始日期止不能早于开始日期起。")
        return data

    def filters(self):
        """The cleaned values in the shape `selectors.event_list` takes (ids, not objects)."""
        data = self.cleaned_data
        return {"q": data.get("q") or "", "kind": data["kind"].pk if data.get("kind") else None,
                "status": data.get("status") or "", "organiser": data.get("organiser") or "",
                "year": data.get("year"), "from": data.get("starts_from"), "to": data.get("starts_to")}


# --- the event itself --------------------------------------------------------------------------------------
class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's date and time picker (2026-11-22T09:30)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def _datetime_errors(label):
    return {"required": f"请填写{label}。", "invalid": f"{label}格式应为 2026-11-22 09:30。"}


class EventForm(ModelForm):
    """新增/编辑活动. A chamber secretary's event is its chamber's: the organiser fields are not shown."""

    materials = MultipleFileField(label="活动资料", help_text=FILES_HELP)

    class Meta:
        model = Event
        fields = ["title", "kind", "organiser", "chamber", "committee", "working_group", "programme",
                  "starts_at", "ends_at", "venue", "capacity", "rsvp_deadline", "leaders", "programme_text",
                  "description"]
        field_classes = {"kind": ModelChoiceField, "chamber": ModelChoiceField, "committee": ModelChoiceField,
                         "programme": ModelChoiceField}
        widgets = {
            "starts_at": DateTimeLocalInput(), "ends_at": DateTimeLocalInput(), "rsvp_deadline": DateTimeLocalInput(),
            "programme_text": forms.Textarea(attrs={"rows": 5}), "description": forms.Textarea(attrs={"rows": 4}),
            "capacity": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
        }
        help_texts = {
            "capacity": "留空表示不限名额；报满后的报名进入候补。",
            "rsvp_deadline": "留空则截至活动开始；不能晚于活动结束。",
            "leaders": "如：区工商联主席张某、区委统战部副部长李某",
            "programme_text": "每行一项，如：09:00 开班仪式",
            "chamber": "主办方为商会时选择。",
            "committee": "主办方为专门委员会时选择。",
            "working_group": "主办方为专项工作组时填写。",
        }
        error_messages = {
            "title": {"required": "请填写活动名称。", "max_length": "活动名称不能超过200字。"},
            "kind": {"required": "请选择活动类型。", "invalid_choice": "活动类型不存在，请重新选择。"},
            "venue": {"required": "请填写活动地点。", "max_length": "地点不能超过200字。"},
            "starts_at": _datetime_errors("开始时间"),
            "ends_at": _datetime_errors("结束时间"),
            "rsvp_deadline": _datetime_errors("报名截止时间"),
            "capacity": {"invalid": "名额须为整数。", "min_value": "名额不能为负数。",
                         "max_value": "名额过大，请填写实际可容纳的人数。"},
            "chamber": {"invalid_choice": "所选商会不存在或不在您的管理范围内。"},
            "committee": {"invalid_choice": "所选专门委员会不存在或不在您的管理范围内。"},
            "programme": {"invalid_choice": "所选项目不存在或不在您的管理范围内。"},
        }

    def __init__(self, *args, user, **kwargs):
        from shanglian.members.selectors import home_federation
        from shanglian.orgs.selectors import chambers_in_scope, federation_ids_in_scope

        super().__init__(*args, **kwargs)
        self.user = user
        self.chamber_view = role_of(user) == Role.CHAMBER
        kinds = DictItem.objects.filter(kind="event_kind", is_active=True)
        if self.instance.pk is not None:  # a kind switched off later still reads on the events that have it
            kinds = DictItem.objects.filter(kind="event_kind").filter(
                pk__in=[*kinds.values_list("pk", flat=True), self.instance.kind_id])
        self.fields["kind"].queryset = kinds.order_by("order", "code")
        self.fields["kind"].empty_label = "请选择"
        if self.instance.pk is None:
            self.instance.federation = home_federation(user)
        federations = ([self.instance.federation_id] if self.chamber_view else federation_ids_in_scope(user))
        self.fields["programme"].queryset = Programme.objects.filter(federation_id__in=federations)
        self.fields["programme"].empty_label = "不属于任何项目"
        if self.chamber_view:
            for name in ("organiser", "chamber", "committee", "working_group"):
                del self.fields[name]
            self.instance.organiser, self.instance.chamber_id = Event.Organiser.CHAMBER, user.chamber_id
            self.instance.committee, self.instance.working_group = None, ""
        else:
            self.fields["chamber"].queryset = chambers_in_scope(user).order_by("name")
            self.fields["committee"].queryset = Committee.objects.filter(
                federation_id__in=federations).order_by("order", "id")
            self.fields["chamber"].empty_label = self.fields["committee"].empty_label = "请选择"

    def save_m2m(self):
        """What `services.save_event` calls after saving the instance itself (Django sets it only on
        `save(commit=False)`, which the service does not use)."""
        self._save_m2m()

    def clean(self):
        data = super().clean()
        organiser = data.get("organiser")
        if not self.chamber_view and organiser:  # the fields of the other kinds of organiser are dropped
            if organiser != Event.Organiser.CHAMBER:
                data["chamber"] = None
            if organiser != Event.Organiser.COMMITTEE:
                data["committee"] = None
            if organiser != Event.Organiser.WORKING_GROUP:
                data["working_group"] = ""
        return data


# --- materials ---------------------------------------------------------------------------------------------
class MaterialsForm(Form):
    files = MultipleFileField(label="上传资料", help_text=FILES_HELP)


# --- invitations -------------------------------------------------------------------------------------------
PICK_ROWS = 5  # persons and enterprises picked one by one, each up to this many per submission

MEMBER_KINDS = [("", "不按会员类型"), (Membership.Kind.ENTERPRISE, Membership.Kind.ENTERPRISE.label),
                (Membership.Kind.INDIVIDUAL, Membership.Kind.INDIVIDUAL.label)]


class InviteForm(Form):
    """邀请: persons and enterprises picked one by one (up to PICK_ROWS each), or by a filter — a chamber's
    member enterprises, a committee's members, the members of a kind, an industry's enterprises, an earlier
    event's invitees (optionally only those who attended). The services resolve and scope them."""

    chamber = ModelChoiceField(label="商会会员企业", required=False, queryset=Chamber.objects.none(),
                               empty_label="不按商会",
                               error_messages={"invalid_choice": "所选商会不存在或不在您的管理范围内。"})
    committee = ModelChoiceField(label="专门委员会委员", required=False, queryset=Committee.objects.none(),
                                 empty_label="不按专门委员会",
                                 error_messages={"invalid_choice": "所选专门委员会不存在或不在您的管理范围内。"})
    member_kind = forms.ChoiceField(label="会员类型", required=False, choices=MEMBER_KINDS,
                                    help_text="在册的企业会员（邀请企业）或个人会员（邀请个人）。")
    industry = IndustryField(label="行业大类", required=False, levels=("division",), empty_text="不按行业",
                             placeholder="搜索代码或名称，如 52、零售",
                             error_messages={"invalid_choice": "行业大类为 2 位数字代码，请从行业分类中选择。"})
    like_event = ModelChoiceField(label="沿用往期活动名单", required=False, queryset=Event.objects.none(),
                                  empty_label="不沿用",
                                  error_messages={"invalid_choice": "所选活动不存在或不在您的管理范围内。"})
    attended_only = forms.BooleanField(label="仅限该活动的实际签到者", required=False)
    channel = forms.ChoiceField(label="通知方式", choices=Invitation.Channel.choices, initial=Invitation.Channel.SITE,
                                widget=forms.RadioSelect,
                                help_text="站内+短信：受邀人须登记有手机号，否则不发出任何邀请。",
                                error_messages={"required": "请选择通知方式。",
                                                "invalid_choice": "请选择站内或站内+短信。"})

    def __init__(self, *args, user, event, **kwargs):
        from shanglian.orgs.selectors import chambers_in_scope, committees_visible_to

        from . import selectors

        super().__init__(*args, **kwargs)
        self.user = user
        for n in range(1, PICK_ROWS + 1):
            self.fields[f"person_{n}"] = PersonField(user=user, label=f"人员 {n}", required=False)
            self.fields[f"enterprise_{n}"] = EnterpriseField(user=user, label=f"企业 {n}", required=False)
        self.fields["chamber"].queryset = chambers_in_scope(user).order_by("name")
        if role_of(user) == Role.CHAMBER:  # committees are the federation's
            del self.fields["committee"]
        else:
            self.fields["committee"].queryset = committees_visible_to(user).order_by("order", "id")
        # the latest LIKE_EVENT_CHOICES events of the last two years (a city holds ~2,000 a year)
        recent = (selectors.events_visible_to(user).exclude(pk=event.pk).exclude(status=Event.Status.DRAFT)
                  .filter(starts_at__gte=timezone.now() - datetime.timedelta(days=731)).order_by("-starts_at", "-id"))
        self.fields["like_event"].queryset = Event.objects.filter(
            pk__in=list(recent.values_list("pk", flat=True)[:LIKE_EVENT_CHOICES])).order_by("-starts_at", "-id")
        self.fields["like_event"].label_from_instance = lambda e: (
            f"{timezone.localtime(e.starts_at):%Y-%m-%d} {e.title}")

    def person_fields(self):
        return [self[f"person_{n}"] for n in range(1, PICK_ROWS + 1)]

    def enterprise_fields(self):
        return [self[f"enterprise_{n}"] for n in range(1, PICK_ROWS + 1)]

    def clean(self):
        data = super().clean()
        if data.get("attended_only") and not data.get("like_event"):
            self.add_error("attended_only", "请先选择要沿用名单的往期活动。")
        return data

    def invitees(self):
        """The cleaned choices as `services.Invitees` (the same person or enterprise twice counts once)."""
        from .services import Invitees

        data = self.cleaned_data
        persons = list({p.pk: p for n in range(1, PICK_ROWS + 1) if (p := data.get(f"person_{n}"))}.values())
        firms = list({e.pk: e for n in range(1, PICK_ROWS + 1) if (e := data.get(f"enterprise_{n}"))}.values())
        industry = data.get("industry")
        return Invitees(persons=persons, enterprises=firms, chamber=data.get("chamber"),
                        committee=data.get("committee"), member_kind=data.get("member_kind") or "",
                        industry=industry.code if industry else "", like_event=data.get("like_event"),
                        attended_only=bool(data.get("attended_only")))


class InvitationSearchForm(Form):
    q = forms.CharField(label="受邀人", required=False, max_length=50,
                        widget=forms.TextInput(attrs={"placeholder": "姓名、企业或手机尾号"}))
    status = forms.ChoiceField(label="回复", required=False, choices=[("", "全部")] + list(Invitation.Status.choices))


RSVP_CHOICES = [(Invitation.Status.ACCEPTED, "参加"), (Invitation.Status.DECLINED, "不参加"),
                (Invitation.Status.SUBSTITUTE, "代为参加")]


class PhoneRsvpForm(Form):
    """An invitee's answer taken by phone by the organiser."""

    answer = forms.ChoiceField(label="回复", choices=RSVP_CHOICES, widget=forms.RadioSelect,
                               error_messages={"required": "请选择参加、不参加或代为参加。",
                                               "invalid_choice": "请选择参加、不参加或代为参加。"})
    substitute_name = forms.CharField(label="代参加人姓名", max_length=50, required=False,
                                      help_text="选择“代为参加”时必填。",
                                      error_messages={"max_length": "代参加人姓名不能超过50个字。"})

    def clean(self):
        data = super().clean()
        if data.get("answer") == Invitation.Status.SUBSTITUTE and not (data.get("substitute_name") or "").strip():
            self.add_error("substitute_name", "代为参加请填写代参加人姓名。")
        return data


# --- an appeal raised at the event --------------------------------------------------------------------------
class EventAppealForm(AppealCreateForm):
    """登记诉求 at a 恳谈会/早餐会/座谈会: the desk's registration form; the channel is the event's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["channel"]
        self.fields["source_note"].label = "补充说明"
        self.fields["source_note"].help_text = "如：第3桌发言；来源活动会自动记录。"


# --- statutory meetings: resolutions, minutes, the charter's rules (meeting_views.py) ----------------------------
def _count_field(label):
    return forms.IntegerField(label=label, min_value=0, max_value=100000, initial=0,
                              error_messages={"required": f"请填写{label}票数。",
                                              "invalid": f"{label}票数须为非负整数。",
                                              "min_value": f"{label}票数须为非负整数。",
                                              "max_value": f"{label}票数过大。"})


class ResolutionForm(Form):
    title = forms.CharField(label="决议事项", max_length=200,
                            error_messages={"required": "请填写决议事项。", "max_length": "决议事项不能超过200字。"})
    text = forms.CharField(label="决议内容", required=False, max_length=20000,
                           widget=forms.Textarea(attrs={"rows": 6}),
                           error_messages={"max_length": "决议内容不能超过20000字。"})
    votes_for = _count_field("赞成")
    votes_against = _count_field("反对")
    abstentions = _count_field("弃权")
    files = MultipleFileField(label="附件", help_text=FILES_HELP)

    def service_kwargs(self):
        return {name: self.cleaned_data[name] for name in
                ("title", "text", "votes_for", "votes_against", "abstentions")} | {"files": self.cleaned_data["files"]}


class MinutesForm(Form):
    minutes = forms.CharField(label="会议纪要", required=False, max_length=50000,
                              widget=forms.Textarea(attrs={"rows": 16}),
                              error_messages={"max_length": "会议纪要不能超过50000字。"})


def _share_field(label):
    return forms.IntegerField(label=label, min_value=1, max_value=100,
                              error_messages={"required": f"请填写{label}。", "invalid": f"{label}须为整数。",
                                              "min_value": f"{label}须为1至100之间的整数。",
                                              "max_value": f"{label}须为1至100之间的整数。"})


class QuorumRuleForm(Form):
    """One body's rule: present ≥ quorum_numerator/quorum_denominator of the members; a resolution passes with
    more than pass_numerator/pass_denominator of those present."""

    body = forms.ChoiceField(label="会议机构", error_messages={"required": "请选择会议机构。",
                                                          "invalid_choice": "请选择会议机构。"})
    quorum_numerator = _share_field("出席比例分子")
    quorum_denominator = _share_field("出席比例分母")
    pass_numerator = _share_field("通过比例分子")
    pass_denominator = _share_field("通过比例分母")

    def __init__(self, *args, **kwargs):
        from .models import Body

        super().__init__(*args, **kwargs)
        self.fields["body"].choices = Body.choices
        self.fields["body"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        qn, qd = data.get("quorum_numerator"), data.get("quorum_denominator")
        pn, pd = data.get("pass_numerator"), data.get("pass_denominator")
        if qn and qd and qn > qd:
            self.add_error("quorum_numerator", "出席比例不能大于1（分子不能大于分母）。")
        if pn and pd and pn >= pd:
            self.add_error("pass_numerator", "通过比例须小于1（分子须小于分母）。")
        return data


# --- the rotating chair (meeting_views.py) --------------------------------------------------------------------
class MonthInput(forms.TextInput):
    input_type = "month"


class MonthField(forms.CharField):
    """A month typed with the browser's month picker (2027-01); cleans to the month's first day."""

    def __init__(self, *, label, **kwargs):
        kwargs.setdefault("error_messages", {"required": f"请选择{label}。"})
        super().__init__(label=label, max_length=7, widget=MonthInput(), **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", value.strip())
        if not match or not 1 <= int(match[2]) <= 12 or not 2000 <= int(match[1]) <= 2100:
            raise forms.ValidationError(f"{self.label}格式应为 2027-01。")
        return datetime.date(int(match[1]), int(match[2]), 1)


MAX_PLAN_MONTHS = 24


class RosterRangeForm(Form):
    """Which months the plan's table holds: from a month, so many consecutive months."""

    start = MonthField(label="起始月份")
    months = forms.IntegerField(label="连续月数", min_value=1, max_value=MAX_PLAN_MONTHS, initial=12,
                                error_messages={"required": "请填写连续月数。", "invalid": "连续月数须为整数。",
                                                "min_value": f"连续月数须为1至{MAX_PLAN_MONTHS}。",
                                                "max_value": f"连续月数须为1至{MAX_PLAN_MONTHS}。"})


class ChairChoiceField(ModelChoiceField):
    def label_from_instance(self, position):
        return f"{position.get_title_display()} {position.person.name}（第{position.term.number}届）"


class RosterPlanForm(Form):
    """The chair and the seconded staff of each month of `months` (first days, consecutive); the chair is one
    of `candidates` (the positions that may hold it in one of those months — the service checks each month)."""

    def __init__(self, *args, months, candidates, title, **kwargs):
        super().__init__(*args, **kwargs)
        self.months = months
        for i, month in enumerate(months):
            label = Period.of(MONTH, month).label
            self.fields[f"chair_{i}"] = ChairChoiceField(
                label=f"{label}{title}", queryset=candidates, empty_label="请选择",
                error_messages={"required": f"请选择{label}的{title}。",
                                "invalid_choice": f"{label}的{title}不在可选人员之中。"})
            self.fields[f"staff_{i}"] = forms.CharField(
                label=f"{label}借调工作人员", required=False, max_length=300,
                widget=forms.TextInput(attrs={"placeholder": "多人以顿号分隔"}),
                error_messages={"max_length": "借调工作人员不能超过300字。"})

    def rows(self):
        """Each month as the table shows it: (month, chair field, staff field)."""
        return [(month, self[f"chair_{i}"], self[f"staff_{i}"]) for i, month in enumerate(self.months)]

    def plan(self):
        """(month, position, seconded_staff) for `services.plan_roster`."""
        return [(month, self.cleaned_data[f"chair_{i}"], self.cleaned_data[f"staff_{i}"])
                for i, month in enumerate(self.months)]


class DutyLogForm(Form):
    """值班日志: a day of the month, what was done, the appeals and events concerned named by their numbers
    (looked up within what the writer sees)."""

    day = date_field("日期", required=True, error_messages={"required": "请选择日期。"})
    content = forms.CharField(label="工作内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                              error_messages={"required": "请填写工作内容。",
                                              "max_length": "工作内容不能超过2000字。"})
    appeal_numbers = forms.CharField(label="涉及诉求", required=False, max_length=500,
                                     help_text="填写诉求编号，多个以逗号或空格分隔。",
                                     error_messages={"max_length": "涉及诉求填写过长。"})
    event_numbers = forms.CharField(label="涉及活动", required=False, max_length=500,
                                    help_text="填写活动编号，多个以逗号或空格分隔。",
                                    error_messages={"max_length": "涉及活动填写过长。"})

    def __init__(self, *args, appeals, events, **kwargs):
        """`appeals`, `events`: the writer's scoped querysets to look the numbers up in."""
        super().__init__(*args, **kwargs)
        self.appeal_scope, self.event_scope = appeals, events

    def _lookup(self, name, scope, noun):
        numbers = split_numbers(self.cleaned_data.get(name))
        if len(numbers) > 20:
            raise forms.ValidationError(f"一条日志最多关联20个{noun}。")
        found = {row.number: row for row in scope.filter(number__in=numbers)} if numbers else {}
        missing = [n for n in numbers if n not in found]
        if missing:
            raise forms.ValidationError(f"未找到{noun}编号：{'、'.join(missing)}（或不在您的管理范围内）。")
        return [found[n] for n in numbers]

    def clean_appeal_numbers(self):
        return self._lookup("appeal_numbers", self.appeal_scope, "诉求")

    def clean_event_numbers(self):
        return self._lookup("event_numbers", self.event_scope, "活动")


# --- the door (door_views.py) ---------------------------------------------------------------------------------
class DoorSearchForm(Form):
    q = forms.CharField(label="姓名或手机尾号", max_length=50, required=False,
                        widget=forms.TextInput(attrs={"placeholder": "输入姓名、企业或手机后4位", "autocomplete": "off",
                                                      "enterkeyhint": "search"}),
                        error_messages={"max_length": "搜索内容不能超过50个字。"})


class WalkInForm(Form):
    name = forms.CharField(label="姓名", max_length=50,
                           error_messages={"required": "请填写姓名。", "max_length": "姓名不能超过50个字。"})
    mobile = forms.CharField(label="手机号码", max_length=20, required=False,
                             widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
                             help_text="选填；只保存后4位用于签到表。",
                             error_messages={"max_length": "手机号码应为11位数字。"})
    organisation = forms.CharField(label="单位", max_length=200, required=False,
                                   error_messages={"max_length": "单位名称不能超过200个字。"})

    def clean_mobile(self):
        mobile = (self.cleaned_data.get("mobile") or "").strip()
        return validate_mobile(mobile) if mobile else ""


class CheckInSearchForm(Form):
    q = forms.CharField(label="关键词", max_length=50, required=False,
                        widget=forms.TextInput(attrs={"placeholder": "姓名、单位或手机尾号"}),
                        error_messages={"max_length": "关键词不能超过50个字。"})
    method = forms.ChoiceField(label="签到方式", required=False, choices=[("", "全部")] + list(CheckIn.Method.choices))
