"""Writes of party building (非公党建): party organisations (with the enterprises a 联合党委 covers), their
activities (主题党日, 三会一课), the enterprises' party-member census and the 党建指导员 assignments.

Each takes the acting user first and the values a form parsed, checks the role and the scope (the selectors'
`*_editable_by`, `organisations_for_activities`), checks the rules below, locks the row it changes, saves and
audits in one transaction (`common.records`: the audit row lists the changes; deleting refuses while records
depend on the row). A rule broken is a `ValidationError` keyed by the form's field, in Chinese, and nothing is
written; a role that may not write gets `PermissionDenied`.

Rules:
- an organisation is hosted by exactly one of an enterprise, a chamber, a street of the actor's federations
  and belongs to the host's federation; its name is unique in that federation; its party members are not
  negative; it was founded no later than today and is dissolved no earlier than founded; the enterprises it covers are of the actor's scope and
  not its own host;
- an activity is recorded by a keeper (`PARTY_KEEPER_ROLES`; a chamber secretary on the organisations of its
  scope), dated no later than today, and not before the organisation was founded or after it was dissolved;
- the census of an enterprise (`EnterpriseParty`, one row an enterprise: written again, not added) has a
  non-negative count and a survey date no later than today — the census import (`imports/party.py`) checks
  its rows with `census_errors` too;
- an instructor is assigned to an enterprise or a chamber (one of the two) of the actor's federations, ends no
  earlier than assigned, and belongs to the federation of what it instructs.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from shanglian.common.records import delete_or_refuse, record_saved, snapshot
from shanglian.members.models import Enterprise

from ..models import EnterpriseParty, PartyActivity, PartyInstructor, PartyOrganisation
from ..selectors import party as selectors

NEGATIVE_MEMBERS = "党员人数不能为负数。"
NEGATIVE_ATTENDEES = "参加人数不能为负数。"
ONE_HOST = "党组织须隶属于企业、商会、街道中的一个。"
NAME_TAKEN = "本工商联已有同名党组织。"
HOST_OUT_OF_SCOPE = "所选{noun}不存在或不在您的管理范围内。"
COVERS_ITS_HOST = "联建覆盖企业不能包括党组织所在的企业本身。"
COVERED_OUT_OF_SCOPE = "联建覆盖企业中有不在您管理范围内的企业。"
ONE_TARGET = "请选择指导的企业或商会（二选一）。"
END_BEFORE_START = "结束日期不能早于选派日期。"
DISSOLVED_BEFORE_FOUNDED = "撤销日期不能早于成立日期。"
FUTURE_FOUNDING = "成立日期不能晚于今天。"
FUTURE_SURVEY = "统计日期不能晚于今天。"
NO_SURVEY_DATE = "请填写统计日期。"


def _messages(exc):
    """A model's ValidationError as {field: message}, NON_FIELD_ERRORS kept."""
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


def _in(queryset, obj):
    return obj is not None and queryset.filter(pk=obj.pk).exists()


# --- organisations ------------------------------------------------------------------------------------------
def save_party_organisation(*, actor, organisation=None, name, kind, enterprise=None, chamber=None, street=None,
                            covered_enterprises=(), founded=None, dissolved=None, members_count=0, secretary=""):
    """Create (`organisation` None) or edit an organisation; returns it."""
    editable = selectors.party_organisations_editable_by(actor)
    errors = {}
    if members_count is None or members_count < 0:
        errors["members_count"] = NEGATIVE_MEMBERS
    hosts = [(field, host) for field, host in (("enterprise", enterprise), ("chamber", chamber), ("street", street))
             if host is not None]
    if len(hosts) != 1:
        errors["__all__"] = ONE_HOST
    scopes = {"enterprise": (selectors.host_enterprises, "企业"), "chamber": (selectors.host_chambers, "商会"),
              "street": (selectors.host_streets, "街道")}
    for field, host in hosts:
        scope, noun = scopes[field]
        if not _in(scope(actor), host):
            errors[field] = HOST_OUT_OF_SCOPE.format(noun=noun)
    if founded and founded > timezone.localdate():
        errors["founded"] = FUTURE_FOUNDING
    if founded and dissolved and dissolved < founded:
        errors["dissolved"] = DISSOLVED_BEFORE_FOUNDED
    covered = list(dict.fromkeys(covered_enterprises or ()))
    if enterprise is not None and any(e.pk == enterprise.pk for e in covered):
        errors["covered_enterprises"] = COVERS_ITS_HOST
    elif covered and selectors.host_enterprises(actor).filter(pk__in=[e.pk for e in covered]).count() != len(covered):
        errors["covered_enterprises"] = COVERED_OUT_OF_SCOPE
    if errors:
        raise ValidationError(errors)
    federation_id = hosts[0][1].federation_id
    with transaction.atomic():
        before = None
        if organisation is not None and organisation.pk is not None:
            current = editable.select_for_update(of=("self",)).filter(pk=organisation.pk).first()
            if current is None:
                raise PermissionDenied("您没有修改该党组织的权限。")
            before = snapshot(current)
        else:
            current = PartyOrganisation()
        current.federation_id, current.name, current.kind = federation_id, name, kind
        current.enterprise, current.chamber, current.street = enterprise, chamber, street
        current.founded, current.dissolved = founded, dissolved
        current.members_count, current.secretary = members_count, secretary or ""
        if PartyOrganisation.objects.filter(federation_id=federation_id, name=name).exclude(pk=current.pk).exists():
            raise ValidationError({"name": NAME_TAKEN})
        try:
            current.full_clean(exclude=["federation"], validate_constraints=False)  # the constraints: checked above
        except ValidationError as exc:
            raise ValidationError(_messages(exc)) from None
        try:
            with transaction.atomic():
                current.save()
        except IntegrityError:  # the same name saved meanwhile by someone else
            raise ValidationError({"name": NAME_TAKEN}) from None
        current.covered_enterprises.set(covered)
        record_saved(actor=actor, obj=current, before=before)
    return current


def delete_party_organisation(*, actor, organisation):
    """Refused (naming them) while activities are recorded on it: mark it dissolved instead."""
    if not selectors.party_organisations_editable_by(actor).filter(pk=organisation.pk).exists():
        raise PermissionDenied("您没有删除该党组织的权限。")
    delete_or_refuse(actor=actor, obj=organisation)


# --- activities ------------------------------------------------------------------------------------------------
def record_party_activity(*, actor, organisation, kind, held_on, title, attendees=0, note=""):
    """Record an activity of `organisation` (a keeper's, in its scope); returns it."""
    keepable = selectors.organisations_for_activities(actor)
    errors = {}
    if attendees is None or attendees < 0:
        errors["attendees"] = NEGATIVE_ATTENDEES
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = keepable.select_for_update(of=("self",)).filter(pk=organisation.pk).first()
        if current is None:
            raise PermissionDenied("该党组织不在您的管理范围内。")
        if held_on is not None and current.founded and held_on < current.founded:
            raise ValidationError({"held_on": f"活动日期不能早于党组织成立日期（{current.founded:%Y-%m-%d}）。"})
        if held_on is not None and current.dissolved and held_on >= current.dissolved:
            raise ValidationError({"held_on": f"党组织已于 {current.dissolved:%Y-%m-%d} 撤销，不能登记此后的活动。"})
        activity = PartyActivity(organisation=current, kind=kind, held_on=held_on, title=title,
                                 attendees=attendees, note=note or "", recorded_by=actor)
        try:
            activity.full_clean(exclude=["recorded_by"])
        except ValidationError as exc:
            raise ValidationError(_messages(exc)) from None
        activity.save()
        record_saved(actor=actor, obj=activity)
    return activity


def delete_party_activity(*, actor, activity):
    if not selectors.party_activities_editable_by(actor).filter(pk=activity.pk).exists():
        raise PermissionDenied("您没有删除该活动记录的权限。")
    delete_or_refuse(actor=actor, obj=activity)


# --- the census --------------------------------------------------------------------------------------------------
def census_errors(*, party_members, surveyed_on, today):
    """The census rules of one enterprise's row, {field: message} (empty when it passes): the form's and the
    import's."""
    errors = {}
    if party_members is None or party_members < 0:
        errors["party_members"] = NEGATIVE_MEMBERS
    if surveyed_on is None:
        errors["surveyed_on"] = NO_SURVEY_DATE
    elif surveyed_on > today:
        errors["surveyed_on"] = FUTURE_SURVEY
    return errors


def save_census(*, actor, enterprise, party_members, surveyed_on, note=""):
    """Write the party-member census of one enterprise of the actor's federations (its one row, created the
    first time); returns the row."""
    if not _in(selectors.census_enterprises_editable_by(actor), enterprise):
        raise PermissionDenied("该企业不在您的管理范围内。")
    errors = census_errors(party_members=party_members, surveyed_on=surveyed_on, today=timezone.localdate())
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Enterprise.objects.select_for_update().filter(pk=enterprise.pk).values_list("pk").first()  # one writer
        census = EnterpriseParty.objects.filter(enterprise_id=enterprise.pk).first()
        before = snapshot(census) if census is not None else None
        if census is None:
            census = EnterpriseParty(enterprise=enterprise)
        census.party_members, census.surveyed_on, census.note = party_members, surveyed_on, note or ""
        try:
            census.full_clean(exclude=["enterprise"])
        except ValidationError as exc:
            raise ValidationError(_messages(exc)) from None
        census.save()
        record_saved(actor=actor, obj=census, before=before)
    return census


# --- instructors -----------------------------------------------------------------------------------------------
def save_party_instructor(*, actor, instructor=None, name, unit="", enterprise=None, chamber=None, start, end=None):
    """Create (`instructor` None) or edit a 党建指导员 assignment; returns it."""
    editable = selectors.instructors_editable_by(actor)
    errors = {}
    if (enterprise is None) == (chamber is None):
        errors["__all__"] = ONE_TARGET
    elif enterprise is not None and not _in(selectors.host_enterprises(actor), enterprise):
        errors["enterprise"] = HOST_OUT_OF_SCOPE.format(noun="企业")
    elif chamber is not None and not _in(selectors.host_chambers(actor), chamber):
        errors["chamber"] = HOST_OUT_OF_SCOPE.format(noun="商会")
    if start and end and end < start:
        errors["end"] = END_BEFORE_START
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = None
        if instructor is not None and instructor.pk is not None:
            current = editable.select_for_update(of=("self",)).filter(pk=instructor.pk).first()
            if current is None:
                raise PermissionDenied("您没有修改该党建指导员的权限。")
            before = snapshot(current)
        else:
            current = PartyInstructor()
        current.federation_id = (enterprise or chamber).federation_id
        current.name, current.unit, current.enterprise, current.chamber = name, unit or "", enterprise, chamber
        current.start, current.end = start, end
        try:
            current.full_clean(exclude=["federation"], validate_constraints=False)  # the constraints: checked above
        except ValidationError as exc:
            raise ValidationError(_messages(exc)) from None
        current.save()
        record_saved(actor=actor, obj=current, before=before)
    return current


def delete_party_instructor(*, actor, instructor):
    if not selectors.instructors_editable_by(actor).filter(pk=instructor.pk).exists():
        raise PermissionDenied("您没有删除该党建指导员的权限。")
    delete_or_refuse(actor=actor, obj=instructor)
