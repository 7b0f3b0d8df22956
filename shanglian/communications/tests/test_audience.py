"""Targeting (`selectors.audience`): every audience kind picks exactly its intended recipients — the members in
force, one chamber's active members, a committee's sitting members, a working group, an event's invitees (not the
cancelled), a saved filter of the registry — each enterprise and person once, a person as the enterprise they hold
a role in and only a person without one as themselves (SMS only); a chamber secretary's audience narrowed to its
chamber and refused when it names another chamber's records; the preview's counts."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.communications.models import Audience, Notice
from shanglian.communications.selectors.audience import Reach, audience_errors, recipients_of, summarise
from shanglian.growth.models import GroupMember
from shanglian.members.models import ChamberMembership, Membership
from shanglian.orgs.models import Committee, Position, Term


def target(cast, audience, **named):
    return Notice(federation=cast.district, audience=audience, **named)


def reached(cast, audience, *, sender=None, **named):
    return set(recipients_of(target(cast, audience, **named), sender=sender or cast.users.staff))


@pytest.fixture
def loner(cast):
    """An individual member with no enterprise: reached by SMS alone."""
    person = testing.make_person(cast.district, name="赵个人")
    testing.make_membership(cast.district, person, number="HX-2020-0009")
    return person


def test_all_members_are_the_enterprise_members_in_force_and_individuals_as_their_enterprise(cast, loner):
    left = testing.make_enterprise(cast.district, name="已退会企业")
    testing.make_membership(cast.district, left, status=Membership.Status.LEFT, left=date(2024, 1, 1))
    found = reached(cast, Audience.ALL_MEMBERS)
    # person1 (individual member) holds a role in ent1, which is already there: once
    assert found == {Reach(cast.ent1.pk, None, cast.ent1.name), Reach(cast.ent2.pk, None, cast.ent2.name),
                     Reach(None, loner.pk, loner.name)}


def test_all_members_of_another_federation_are_not_reached(cast):
    found = reached(cast, Audience.ALL_MEMBERS)
    assert cast.ent_other.pk not in {r.enterprise_id for r in found}


def test_a_chamber_audience_is_its_active_members_only(cast):
    gone = testing.make_enterprise(cast.district, name="退出商会的企业", chamber=cast.chamber1)
    ChamberMembership.objects.filter(enterprise=gone).update(status=ChamberMembership.Status.LEFT)
    found = reached(cast, Audience.CHAMBER, chamber_audience=cast.chamber1)
    assert found == {Reach(cast.ent1.pk, None, cast.ent1.name)}


def test_a_committee_reaches_its_sitting_members_through_their_enterprise_or_alone(cast, loner):
    committee = Committee.objects.create(federation=cast.district, name="女企业家委员会")
    term = Term.objects.create(federation=cast.district, number=1, start=date(2022, 1, 1))
    old_term = Term.objects.create(federation=cast.district, number=0, start=date(2016, 1, 1), end=date(2021, 12, 31))
    Position.objects.create(term=term, person=cast.person1, title="executive", committee=committee)
    Position.objects.create(term=term, person=loner, title="executive", committee=committee)
    former = testing.make_person(cast.district, name="离任委员", enterprise=cast.ent2)
    Position.objects.create(term=term, person=former, title="executive", committee=committee,
                            end=timezone.localdate() - timedelta(days=1))
    future = testing.make_person(cast.district, name="未到任委员", enterprise=cast.ent2)
    Position.objects.create(term=term, person=future, title="executive", committee=committee,
                            start=timezone.localdate() + timedelta(days=10))
    past = testing.make_person(cast.district, name="上届委员", enterprise=cast.ent2)
    Position.objects.create(term=old_term, person=past, title="executive", committee=committee)
    found = reached(cast, Audience.COMMITTEE, committee=committee)
    assert found == {Reach(cast.ent1.pk, None, cast.ent1.name), Reach(None, loner.pk, loner.name)}


def test_a_working_group_reaches_its_members_enterprise_else_the_person(cast, loner):
    group = testing.make_working_group(cast.district, lead=cast.person1)
    GroupMember.objects.create(group=group, person=loner, joined=date(2025, 1, 1))
    GroupMember.objects.create(group=group, person=cast.person2, enterprise=cast.ent2, joined=date(2025, 1, 1))
    found = reached(cast, Audience.WORKING_GROUP, working_group=group)
    # the lead's row names no enterprise: person1 becomes ent1, the enterprise of their role
    assert found == {Reach(cast.ent1.pk, None, cast.ent1.name), Reach(cast.ent2.pk, None, cast.ent2.name),
                     Reach(None, loner.pk, loner.name)}


def test_an_event_reaches_its_invitees_not_the_cancelled_and_each_once(cast, loner):
    event = testing.make_event(cast.district)
    testing.make_invitation(event, cast.person1)  # person1 for ent1
    testing.make_invitation(event, cast.ent1)  # and ent1 itself: once
    testing.make_invitation(event, loner)
    testing.make_invitation(event, cast.ent2, status="cancelled")
    found = recipients_of(target(cast, Audience.EVENT, event=event), sender=cast.users.staff)
    assert found == [Reach(cast.ent1.pk, None, cast.ent1.name), Reach(None, loner.pk, loner.name)]


def test_a_saved_filter_reaches_the_registry_rows_it_finds_in_force(cast, loner):
    chosen = testing.make_saved_filter(cast.district, criteria={"kind": "enterprise", "chamber": cast.chamber2.pk})
    assert reached(cast, Audience.SAVED_FILTER, saved_filter=chosen) == {Reach(cast.ent2.pk, None, cast.ent2.name)}
    individuals = testing.make_saved_filter(cast.district, criteria={"kind": "individual"})
    assert reached(cast, Audience.SAVED_FILTER, saved_filter=individuals) == {
        Reach(cast.ent1.pk, None, cast.ent1.name), Reach(None, loner.pk, loner.name)}


def test_a_chambers_saved_filter_looks_only_among_its_members_whoever_sends(cast):
    own = testing.make_saved_filter(cast.district, chamber=cast.chamber1, criteria={"kind": "enterprise"})
    assert reached(cast, Audience.SAVED_FILTER, saved_filter=own) == {Reach(cast.ent1.pk, None, cast.ent1.name)}


def test_a_chamber_secretary_reaches_only_its_chambers_active_members(cast, loner):
    event = testing.make_event(cast.district, chamber=cast.chamber1)
    for invitee in (cast.ent1, cast.ent2, loner):
        testing.make_invitation(event, invitee)
    found = reached(cast, Audience.EVENT, sender=cast.users.chamber1, event=event)
    assert found == {Reach(cast.ent1.pk, None, cast.ent1.name)}


def test_a_chamber_secretary_may_not_name_another_chambers_records(cast):
    chamber1 = cast.users.chamber1
    fed = cast.district.pk
    assert audience_errors(target(cast, Audience.CHAMBER, chamber_audience=cast.chamber1), sender=chamber1,
                           federation_id=fed) == {}
    assert "chamber_audience" in audience_errors(target(cast, Audience.CHAMBER, chamber_audience=cast.chamber2),
                                                 sender=chamber1, federation_id=fed)
    assert "audience" in audience_errors(target(cast, Audience.ALL_MEMBERS), sender=chamber1, federation_id=fed)
    other_event = testing.make_event(cast.district, chamber=cast.chamber2)
    assert "event" in audience_errors(target(cast, Audience.EVENT, event=other_event), sender=chamber1,
                                      federation_id=fed)
    federation_filter = testing.make_saved_filter(cast.district)
    assert "saved_filter" in audience_errors(target(cast, Audience.SAVED_FILTER, saved_filter=federation_filter),
                                             sender=chamber1, federation_id=fed)
    committee = Committee.objects.create(federation=cast.district, name="法律委员会")
    assert "committee" in audience_errors(target(cast, Audience.COMMITTEE, committee=committee), sender=chamber1,
                                          federation_id=fed)


def test_an_audience_naming_nothing_or_another_federations_record_is_refused_in_chinese(cast):
    staff = cast.users.staff
    fed = cast.district.pk
    errors = audience_errors(target(cast, Audience.CHAMBER), sender=staff, federation_id=fed)
    assert errors == {"chamber_audience": "发送对象为“商会会员”时，请选择具体的商会。"}
    foreign = testing.make_chamber(cast.other, name="南开区某商会")
    errors = audience_errors(target(cast, Audience.CHAMBER, chamber_audience=foreign), sender=staff, federation_id=fed)
    assert errors == {"chamber_audience": "所选商会不属于本工商联。"}
    assert audience_errors(target(cast, "nobody"), sender=staff, federation_id=fed) == {"audience": "请选择发送对象。"}


def test_the_preview_counts_enterprises_their_accounts_and_the_persons_by_sms(cast, loner):
    testing.make_user(Role.ENTERPRISE, username="ent1b", enterprise=cast.ent1)
    no_mobile = testing.make_person(cast.district, name="无手机", mobile="")
    summary = summarise([Reach(cast.ent1.pk, None, ""), Reach(cast.ent2.pk, None, ""), Reach(None, loner.pk, ""),
                         Reach(None, no_mobile.pk, "")])
    assert (summary.enterprises, summary.accounts, summary.persons, summary.persons_with_mobile) == (2, 2, 2, 1)
    assert summary.text == "将发送给2家企业（2个账号）、2名人士（仅短信，其中1人有手机号）。"
    assert summarise([]).text == "没有符合条件的接收人。"
