"""The audience part of a notice's and a survey's form (发送对象 and the record it names), once for both: the choices a
sender may take (a chamber secretary: 商会会员 of its own chamber, its chamber's events, its chamber's saved filters;
an editor: every kind, its federation's records). It only parses; `selectors.audience.audience_errors` (called by the
services) checks the audience again and says what is wrong in Chinese."""

from django import forms

from shanglian.accounts.roles import Role, role_of
from shanglian.common.forms import ModelChoiceField
from shanglian.events.models import Event
from shanglian.growth.models import WorkingGroup
from shanglian.orgs.models import Chamber, Committee

from ..models import AUDIENCE_FIELDS, Audience, SavedFilter

CHAMBER_AUDIENCES = (Audience.CHAMBER, Audience.EVENT, Audience.SAVED_FILTER)
NAMED = {Audience.CHAMBER: "chamber_audience", Audience.COMMITTEE: "committee",
         Audience.WORKING_GROUP: "working_group", Audience.EVENT: "event", Audience.SAVED_FILTER: "saved_filter"}


def _choice(label, empty):
    return ModelChoiceField(label=label, required=False, queryset=Chamber.objects.none(), empty_label=empty,
                            error_messages={"invalid_choice": f"所选{label}不存在或不在您的发送范围内。"})


def sender_federation_id(user):
    if role_of(user) == Role.CHAMBER:
        return user.chamber.federation_id if user.chamber_id else None
    return user.federation_id


class AudienceFields:
    """Mixin of a `common.forms.Form`: declares the audience fields; call `self.scope_audience(user)` in
    `__init__`, read `self.audience_data()` after validation (only the record the audience names, the others
    None)."""

    AUDIENCE_HELP = "发送时按当时的名单确定接收人；商会秘书处只能发给本商会会员。"

    def declare_audience(self):
        self.fields["audience"] = forms.ChoiceField(label="发送对象", choices=Audience.choices,
                                                    help_text=self.AUDIENCE_HELP,
                                                    error_messages={"required": "请选择发送对象。",
                                                                    "invalid_choice": "发送对象不在可选范围内。"})
        self.fields["chamber_audience"] = _choice("商会", "请选择商会")
        self.fields["committee"] = _choice("专门委员会", "请选择专门委员会")
        self.fields["working_group"] = _choice("专项工作组", "请选择专项工作组")
        self.fields["event"] = _choice("活动", "请选择活动")
        self.fields["saved_filter"] = _choice("保存的筛选", "请选择保存的筛选")
        for name in AUDIENCE_FIELDS[1:]:
            self.fields[name].help_text = f"发送对象为“{dict(Audience.choices)[_audience_of(name)]}”时选择"

    def scope_audience(self, user):
        self.declare_audience()
        federation_id = sender_federation_id(user)
        chamber_sender = role_of(user) == Role.CHAMBER
        f = self.fields
        if chamber_sender:
            f["audience"].choices = [(v, label) for v, label in Audience.choices if v in CHAMBER_AUDIENCES]
            f["chamber_audience"].queryset = Chamber.objects.filter(pk=user.chamber_id)
            f["event"].queryset = (Event.objects.filter(chamber_id=user.chamber_id)
                                   .exclude(status=Event.Status.CANCELLED).order_by("-starts_at", "-id"))
            f["saved_filter"].queryset = SavedFilter.objects.filter(chamber_id=user.chamber_id).order_by("name")
            del f["committee"], f["working_group"]
            if not self.is_bound and not self.initial.get("audience"):
                self.initial["audience"] = Audience.CHAMBER
                self.initial["chamber_audience"] = user.chamber_id
        else:
            f["chamber_audience"].queryset = (Chamber.objects.filter(federation_id=federation_id,
                                                                     status=Chamber.Status.ACTIVE).order_by("name"))
            f["committee"].queryset = Committee.objects.filter(federation_id=federation_id).order_by("name")
            f["working_group"].queryset = WorkingGroup.objects.filter(federation_id=federation_id).order_by("name")
            f["event"].queryset = (Event.objects.filter(federation_id=federation_id)
                                   .exclude(status=Event.Status.CANCELLED).order_by("-starts_at", "-id"))
            f["saved_filter"].queryset = SavedFilter.objects.filter(federation_id=federation_id).order_by("name")

    def clean(self):
        data = super().clean()
        audience = data.get("audience")
        named = NAMED.get(audience)
        if named and named in self.fields and not data.get(named) and named not in self.errors:
            self.add_error(named, f"发送对象为“{Audience(audience).label}”时，请选择{self.fields[named].label}。")
        return data

    def audience_data(self):
        data = self.cleaned_data
        audience = data.get("audience")
        named = NAMED.get(audience)
        return {"audience": audience, **{name: (data.get(name) if name == named else None)
                                         for name in AUDIENCE_FIELDS[1:]}}


def _audience_of(field_name):
    return next(a for a, name in NAMED.items() if name == field_name)
