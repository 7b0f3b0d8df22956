"""The writes of party building: each rule refused in Chinese with nothing written, each write audited, and for
every write the user allowed and the users refused (a reader 403, another scope refused)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.common.errors import Refused
from shanglian.engagement.models import EnterpriseParty, PartyActivity, PartyInstructor, PartyOrganisation
from shanglian.engagement.services import party as services


def organisation_values(**values):
    return {"name": "天津友谊科技有限公司党支部", "kind": "branch", "members_count": 5, "secretary": "王书记",
            "founded": date(2021, 7, 1), **values}


def messages_of(exc):
    return exc.value.message_dict


# --- organisations ------------------------------------------------------------------------------------------
def test_editor_creates_an_organisation_audited_with_its_changes(cast):
    organisation = services.save_party_organisation(actor=cast.users.staff, enterprise=cast.ent1,
                                                    **organisation_values())
    assert organisation.federation == cast.district and organisation.enterprise == cast.ent1
    event = AuditEvent.objects.filter(object_type="engagement.partyorganisation").latest("id")
    assert event.action == "create" and event.username == "staff"
    assert {"field": "党员人数", "old": "", "new": "5"} in event.detail["changes"]


def test_negative_members_are_refused_and_nothing_is_written(cast):
    with pytest.raises(ValidationError) as exc:
        services.save_party_organisation(actor=cast.users.staff, enterprise=cast.ent1,
                                         **organisation_values(members_count=-3))
    assert messages_of(exc)["members_count"] == ["党员人数不能为负数。"]
    assert not PartyOrganisation.objects.exists()
    assert not AuditEvent.objects.filter(object_type="engagement.partyorganisation").exists()


def test_negative_members_on_edit_leave_the_organisation_as_it_was(cast):
    organisation = testing.make_party_organisation(cast.district, enterprise=cast.ent1, members_count=5)
    with pytest.raises(ValidationError):
        services.save_party_organisation(actor=cast.users.staff, organisation=organisation, enterprise=cast.ent1,
                                         **organisation_values(name=organisation.name, members_count=-1))
    organisation.refresh_from_db()
    assert organisation.members_count == 5


@pytest.mark.parametrize("hosts", [{}, {"enterprise": "ent1", "chamber": "chamber1"},
                                   {"enterprise": "ent1", "street": "street"}], ids=["none", "two", "two-street"])
def test_an_organisation_has_exactly_one_host(cast, hosts):
    with pytest.raises(ValidationError) as exc:
        services.save_party_organisation(actor=cast.users.staff, **{k: getattr(cast, v) for k, v in hosts.items()},
                                         **organisation_values())
    assert messages_of(exc)["__all__"] == ["党组织须隶属于企业、商会、街道中的一个。"]
    assert not PartyOrganisation.objects.exists()


def test_a_host_of_another_federation_is_refused(cast):
    with pytest.raises(ValidationError) as exc:
        services.save_party_organisation(actor=cast.users.staff, enterprise=cast.ent_other, **organisation_values())
    assert messages_of(exc)["enterprise"] == ["所选企业不存在或不在您的管理范围内。"]
    other_street = testing.make_street(cast.other, name="南开街道")
    with pytest.raises(ValidationError) as exc:
        services.save_party_organisation(actor=cast.users.staff, street=other_street, **organisation_values())
    assert messages_of(exc)["street"] == ["所选街道不存在或不在您的管理范围内。"]
    assert not PartyOrganisation.objects.exists()


def test_names_are_unique_in_a_federation(cast):
    testing.make_party_organisation(cast.district, name="友谊路街道商会联合党委", chamber=cast.chamber1)
    with pytest.raises(ValidationError) as exc:
        services.save_party_organisation(actor=cast.users.staff, street=cast.street,
                                         **organisation_values(name="友谊路街道商会联合党委", kind="joint_committee"))
    assert messages_of(exc)["name"] == ["本工商联已有同名党组织。"]
    # another federation may use the name
    services.save_party_organisation(actor=cast.users.outsider_staff, enterprise=cast.ent_other,
                                     **organisation_values(name="友谊路街道商会联合党委"))
    assert PartyOrganisation.objects.count() == 2


def test_covered_enterprises_are_in_scope_and_not_the_host(cast):
    with pytest.raises(ValidationError) as exc:
        services.save_party_organisation(actor=cast.users.staff, enterprise=cast.ent1, covered_enterprises=[cast.ent1],
                                         **organisation_values())
    assert messages_of(exc)["covered_enterprises"] == ["联建覆盖企业不能包括党组织所在的企业本身。"]
    with pytest.raises(ValidationError) as exc:
        services.save_party_organisation(actor=cast.users.staff, chamber=cast.chamber1,
                                         covered_enterprises=[cast.ent2, cast.ent_other],
                                         **organisation_values(kind="joint_committee"))
    assert messages_of(exc)["covered_enterprises"] == ["联建覆盖企业中有不在您管理范围内的企业。"]
    joint = services.save_party_organisation(actor=cast.users.staff, chamber=cast.chamber1,
                                             covered_enterprises=[cast.ent1, cast.ent2],
                                             **organisation_values(name="联合党委", kind="joint_committee"))
    assert set(joint.covered_enterprises.all()) == {cast.ent1, cast.ent2}
    changes = AuditEvent.objects.filter(object_type="engagement.partyorganisation").latest("id").detail["changes"]
    assert {"field": "联建覆盖企业", "old": "", "new": "天津之江贸易有限公司、天津友谊科技有限公司"} in changes


def test_dissolved_before_founded_or_founded_in_the_future_is_refused(cast):
    with pytest.raises(ValidationError) as exc:
        services.save_party_organisation(actor=cast.users.staff, enterprise=cast.ent1,
                                         **organisation_values(dissolved=date(2020, 1, 1)))
    assert messages_of(exc)["dissolved"] == ["撤销日期不能早于成立日期。"]
    with pytest.raises(ValidationError) as exc:
        services.save_party_organisation(actor=cast.users.staff, enterprise=cast.ent1,
                                         **organisation_values(founded=timezone.localdate() + timedelta(days=1)))
    assert messages_of(exc)["founded"] == ["成立日期不能晚于今天。"]
    assert not PartyOrganisation.objects.exists()


@pytest.mark.parametrize("role", ["leader", "chamber1", "dept1", "ent1", "auditor"])
def test_only_editors_save_organisations(cast, role):
    with pytest.raises(PermissionDenied):
        services.save_party_organisation(actor=getattr(cast.users, role), enterprise=cast.ent1, **organisation_values())
    assert not PartyOrganisation.objects.exists()


def test_an_editor_of_another_federation_cannot_edit_or_delete(cast):
    organisation = testing.make_party_organisation(cast.district, enterprise=cast.ent1)
    with pytest.raises(ValidationError):  # the host is not its to choose
        services.save_party_organisation(actor=cast.users.outsider_staff, organisation=organisation,
                                         enterprise=cast.ent1, **organisation_values())
    with pytest.raises(PermissionDenied):
        services.save_party_organisation(actor=cast.users.outsider_staff, organisation=organisation,
                                         enterprise=cast.ent_other, **organisation_values())
    with pytest.raises(PermissionDenied):
        services.delete_party_organisation(actor=cast.users.outsider_staff, organisation=organisation)
    organisation.refresh_from_db()
    assert organisation.enterprise == cast.ent1


def test_edit_is_audited_with_what_changed(cast):
    organisation = testing.make_party_organisation(cast.district, name="甲党支部", enterprise=cast.ent1, members_count=5)
    services.save_party_organisation(actor=cast.users.admin, organisation=organisation, enterprise=cast.ent1,
                                     **organisation_values(name="甲党支部", members_count=7, founded=None, secretary=""))
    event = AuditEvent.objects.filter(object_type="engagement.partyorganisation", action="update").get()
    assert {"field": "党员人数", "old": "5", "new": "7"} in event.detail["changes"]


def test_an_organisation_with_activities_is_not_deleted(cast):
    organisation = testing.make_party_organisation(cast.district, enterprise=cast.ent1)
    PartyActivity.objects.create(organisation=organisation, kind="theme_day", held_on=date(2025, 7, 1), title="学习")
    with pytest.raises(Refused) as exc:
        services.delete_party_organisation(actor=cast.users.staff, organisation=organisation)
    assert "党组织活动 1 条" in exc.value.message
    assert PartyOrganisation.objects.filter(pk=organisation.pk).exists()


def test_an_organisation_without_activities_is_deleted_and_audited(cast):
    organisation = testing.make_party_organisation(cast.district, kind="joint_committee", chamber=cast.chamber1,
                                                   covered=[cast.ent1])
    services.delete_party_organisation(actor=cast.users.staff, organisation=organisation)
    assert not PartyOrganisation.objects.exists()
    assert AuditEvent.objects.filter(object_type="engagement.partyorganisation", action="delete").exists()


@pytest.mark.parametrize("role", ["leader", "chamber1"])
def test_readers_cannot_delete_organisations(cast, role):
    organisation = testing.make_party_organisation(cast.district, enterprise=cast.ent1)
    with pytest.raises(PermissionDenied):
        services.delete_party_organisation(actor=getattr(cast.users, role), organisation=organisation)
    assert PartyOrganisation.objects.filter(pk=organisation.pk).exists()


# --- activities ------------------------------------------------------------------------------------------------
def activity_values(**values):
    return {"kind": "branch_assembly", "held_on": timezone.localdate() - timedelta(days=3), "title": "学习党的二十届四中全会精神",
            "attendees": 8, **values}


@pytest.mark.parametrize("role", ["staff", "admin", "chamber1"])
def test_keepers_record_activities_in_their_scope(cast, role):
    organisation = testing.make_party_organisation(cast.district, enterprise=cast.ent1)  # ent1: chamber1's member
    activity = services.record_party_activity(actor=getattr(cast.users, role), organisation=organisation,
                                              **activity_values())
    assert activity.recorded_by == getattr(cast.users, role)
    assert AuditEvent.objects.filter(object_type="engagement.partyactivity", action="create").count() == 1


@pytest.mark.parametrize("role", ["chamber2", "outsider_staff"])
def test_an_organisation_out_of_scope_is_refused_for_activities(cast, role):
    organisation = testing.make_party_organisation(cast.district, enterprise=cast.ent1)
    with pytest.raises(PermissionDenied):
        services.record_party_activity(actor=getattr(cast.users, role), organisation=organisation, **activity_values())
    assert not PartyActivity.objects.exists()


@pytest.mark.parametrize("role", ["leader", "dept1", "ent1", "auditor"])
def test_other_roles_cannot_record_activities(cast, role):
    organisation = testing.make_party_organisation(cast.district, enterprise=cast.ent1)
    with pytest.raises(PermissionDenied):
        services.record_party_activity(actor=getattr(cast.users, role), organisation=organisation, **activity_values())
    assert not PartyActivity.objects.exists()


def test_an_activity_in_the_future_is_refused(cast):
    organisation = testing.make_party_organisation(cast.district, enterprise=cast.ent1)
    with pytest.raises(ValidationError) as exc:
        services.record_party_activity(actor=cast.users.staff, organisation=organisation,
                                       **activity_values(held_on=timezone.localdate() + timedelta(days=1)))
    assert messages_of(exc)["held_on"] == ["活动日期不能晚于今天。"]
    assert not PartyActivity.objects.exists()
    assert not AuditEvent.objects.filter(object_type="engagement.partyactivity").exists()


def test_an_activity_outside_the_organisations_life_is_refused(cast):
    organisation = testing.make_party_organisation(cast.district, enterprise=cast.ent1, founded=date(2024, 1, 1),
                                                   dissolved=date(2025, 1, 1))
    for held_on in (date(2023, 12, 31), date(2025, 1, 1)):
        with pytest.raises(ValidationError) as exc:
            services.record_party_activity(actor=cast.users.staff, organisation=organisation,
                                           **activity_values(held_on=held_on))
        assert "held_on" in messages_of(exc)
    assert not PartyActivity.objects.exists()


def test_negative_attendees_are_refused(cast):
    organisation = testing.make_party_organisation(cast.district, enterprise=cast.ent1)
    with pytest.raises(ValidationError) as exc:
        services.record_party_activity(actor=cast.users.staff, organisation=organisation,
                                       **activity_values(attendees=-1))
    assert messages_of(exc)["attendees"] == ["参加人数不能为负数。"]


def test_activities_are_deleted_by_keepers_of_their_scope(cast):
    organisation = testing.make_party_organisation(cast.district, enterprise=cast.ent1)
    activity = services.record_party_activity(actor=cast.users.staff, organisation=organisation, **activity_values())
    for role in ("chamber2", "leader", "outsider_staff"):
        with pytest.raises(PermissionDenied):
            services.delete_party_activity(actor=getattr(cast.users, role), activity=activity)
    services.delete_party_activity(actor=cast.users.chamber1, activity=activity)
    assert not PartyActivity.objects.exists()
    assert AuditEvent.objects.filter(object_type="engagement.partyactivity", action="delete", username="chamber1").exists()


# --- the census ------------------------------------------------------------------------------------------------
def test_the_census_is_one_row_an_enterprise_written_again(cast):
    first = services.save_census(actor=cast.users.staff, enterprise=cast.ent1, party_members=2,
                                 surveyed_on=date(2025, 6, 30))
    second = services.save_census(actor=cast.users.staff, enterprise=cast.ent1, party_members=4,
                                  surveyed_on=date(2026, 6, 30), note="新发展党员2名")
    assert first.pk == second.pk and EnterpriseParty.objects.count() == 1
    assert EnterpriseParty.objects.get().party_members == 4
    actions = list(AuditEvent.objects.filter(object_type="engagement.enterpriseparty").values_list("action", flat=True))
    assert sorted(actions) == ["create", "update"]


@pytest.mark.parametrize(("members", "day", "field", "message"), [
    (-1, date(2026, 1, 1), "party_members", "党员人数不能为负数。"),
    (3, None, "surveyed_on", "请填写统计日期。"),
    (3, "tomorrow", "surveyed_on", "统计日期不能晚于今天。"),
], ids=["negative", "no-date", "future"])
def test_bad_census_values_are_refused(cast, members, day, field, message):
    if day == "tomorrow":
        day = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.save_census(actor=cast.users.staff, enterprise=cast.ent1, party_members=members, surveyed_on=day)
    assert messages_of(exc)[field] == [message]
    assert not EnterpriseParty.objects.exists()


@pytest.mark.parametrize("role", ["leader", "chamber1", "dept1", "ent1", "auditor", "outsider_staff"])
def test_only_editors_of_its_federation_write_an_enterprises_census(cast, role):
    with pytest.raises(PermissionDenied):
        services.save_census(actor=getattr(cast.users, role), enterprise=cast.ent1, party_members=3,
                             surveyed_on=date(2026, 1, 1))
    assert not EnterpriseParty.objects.exists()


# --- instructors -----------------------------------------------------------------------------------------------
def test_an_instructor_is_assigned_to_an_enterprise_or_a_chamber(cast):
    instructor = services.save_party_instructor(actor=cast.users.staff, name="刘指导", unit="区委组织部",
                                                chamber=cast.chamber1, start=date(2025, 1, 1))
    assert instructor.federation == cast.district
    for targets in ({}, {"enterprise": cast.ent1, "chamber": cast.chamber1}):
        with pytest.raises(ValidationError) as exc:
            services.save_party_instructor(actor=cast.users.staff, name="李指导", start=date(2025, 1, 1), **targets)
        assert messages_of(exc)["__all__"] == ["请选择指导的企业或商会（二选一）。"]
    assert PartyInstructor.objects.count() == 1


def test_an_instructor_ending_before_being_sent_is_refused(cast):
    with pytest.raises(ValidationError) as exc:
        services.save_party_instructor(actor=cast.users.staff, name="刘指导", enterprise=cast.ent1,
                                       start=date(2025, 6, 1), end=date(2025, 5, 31))
    assert messages_of(exc)["end"] == ["结束日期不能早于选派日期。"]
    assert not PartyInstructor.objects.exists()


def test_instructors_are_edited_and_deleted_by_editors_of_their_federation(cast):
    instructor = services.save_party_instructor(actor=cast.users.staff, name="刘指导", enterprise=cast.ent1,
                                                start=date(2025, 1, 1))
    for role in ("leader", "chamber1"):
        with pytest.raises(PermissionDenied):
            services.save_party_instructor(actor=getattr(cast.users, role), instructor=instructor, name="改名",
                                           enterprise=cast.ent1, start=date(2025, 1, 1))
        with pytest.raises(PermissionDenied):
            services.delete_party_instructor(actor=getattr(cast.users, role), instructor=instructor)
    with pytest.raises(ValidationError):  # ent1 is not the outsider's
        services.save_party_instructor(actor=cast.users.outsider_staff, instructor=instructor, name="改名",
                                       enterprise=cast.ent1, start=date(2025, 1, 1))
    with pytest.raises(PermissionDenied):
        services.delete_party_instructor(actor=cast.users.outsider_staff, instructor=instructor)
    services.save_party_instructor(actor=cast.users.staff, instructor=instructor, name="刘指导", enterprise=cast.ent1,
                                   start=date(2025, 1, 1), end=date(2026, 1, 1))
    instructor.refresh_from_db()
    assert instructor.end == date(2026, 1, 1)
    services.delete_party_instructor(actor=cast.users.staff, instructor=instructor)
    assert not PartyInstructor.objects.exists()
    assert sorted(AuditEvent.objects.filter(object_type="engagement.partyinstructor")
                  .values_list("action", flat=True)) == ["create", "delete", "update"]
