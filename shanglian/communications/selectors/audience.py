"""A notice's or a survey's audience turned into its recipients — the one definition the sending, the preview
("将发送给N家企业、M名人士") and the tests use.

An audience names enterprises and persons; a person reaches the platform through an enterprise they hold a role in
(its users read on the phone), so a person with a role becomes that enterprise (the first role they hold), and only
a person with none stays a person (reached by SMS alone, when they have a mobile). Each enterprise and each person
appears once.

- 全体会员: the members in force of the federation (enterprise members; individual members as persons).
- 商会会员: the chamber's active member enterprises.
- 专门委员会委员: the persons holding a position on the committee on the day: its term begun and not over, the
  position begun (when its start is known) and not left.
- 专项工作组成员: the group's members (the enterprise they come from, else the person).
- 活动受邀人: the event's invitations not cancelled (the enterprise, else the person).
- 保存的筛选: the member registry's list (`members.selectors.membership_list`) with the filter's criteria, as the
  sender sees it, in force; a chamber's saved filter looks only among that chamber's active members.

A chamber secretary sends only to its chamber: whatever the audience, only its chamber's active member enterprises
stay (`audience_errors` also refuses an audience naming another chamber's records).
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from shanglian.accounts.roles import Role, role_of
from shanglian.events.models import Invitation
from shanglian.growth.models import GroupMember
from shanglian.members.models import ChamberMembership, EnterpriseRole, Membership, Person
from shanglian.members.selectors import chamber_member_ids, membership_in_force_q, membership_list
from shanglian.orgs.models import Position

from ..models import Audience

# The member registry list's filters a saved filter keeps (`SavedFilter.criteria`), read by `membership_list`.
FILTER_CRITERIA = ("q", "kind", "street", "industry_division", "enterprise_type", "chamber")


@dataclass(frozen=True)
class Reach:
    """One recipient: an enterprise (`enterprise_id`) or a person without one (`person_id`)."""

    enterprise_id: int | None
    person_id: int | None
    name: str


def _persons_reach(person_ids):
    """Each person as the first enterprise they hold a role in, else as themselves."""
    person_ids = list(dict.fromkeys(p for p in person_ids if p))
    if not person_ids:
        return []
    firsts = {}
    for person_id, enterprise_id, name in (EnterpriseRole.objects.filter(person_id__in=person_ids)
                                           .order_by("person_id", "id")
                                           .values_list("person_id", "enterprise_id", "enterprise__name")):
        firsts.setdefault(person_id, Reach(enterprise_id, None, name))
    names = dict(Person.objects.filter(pk__in=person_ids).values_list("pk", "name"))
    return [firsts.get(p) or Reach(None, p, names.get(p, "")) for p in person_ids if p in names]


def _enterprises_reach(qs_of_enterprise_id_name):
    return [Reach(e, None, name) for e, name in qs_of_enterprise_id_name]


def _members_in_force(federation_id, on):
    rows = (Membership.objects.filter(membership_in_force_q(on), federation_id=federation_id)
            .values_list("kind", "enterprise_id", "enterprise__name", "person_id"))
    return _from_memberships(rows)


def _from_memberships(rows):
    enterprises, persons = [], []
    for kind, enterprise_id, enterprise_name, person_id in rows:
        if kind == Membership.Kind.ENTERPRISE and enterprise_id:
            enterprises.append(Reach(enterprise_id, None, enterprise_name))
        elif kind == Membership.Kind.INDIVIDUAL and person_id:
            persons.append(person_id)
    return enterprises + _persons_reach(persons)


def _committee_persons(committee_id, on):
    current = ((Q(term__end__isnull=True) | Q(term__end__gte=on)) & (Q(end__isnull=True) | Q(end__gte=on))
               & (Q(start__isnull=True) | Q(start__lte=on)))
    return (Position.objects.filter(current, committee_id=committee_id, term__start__lte=on).order_by("id")
            .values_list("person_id", flat=True))


def _mixed(rows):
    """(enterprise_id, enterprise name, person_id) rows: the enterprise when there is one, else the person."""
    enterprises, persons = [], []
    for enterprise_id, name, person_id in rows:
        if enterprise_id:
            enterprises.append(Reach(enterprise_id, None, name))
        else:
            persons.append(person_id)
    return enterprises + _persons_reach(persons)


def _resolve(target, federation_id, sender, on):
    audience = target.audience
    if audience == Audience.ALL_MEMBERS:
        return _members_in_force(federation_id, on)
    if audience == Audience.CHAMBER:
        return _enterprises_reach(ChamberMembership.objects.filter(
            chamber_id=target.chamber_audience_id, status=ChamberMembership.Status.ACTIVE)
            .values_list("enterprise_id", "enterprise__name"))
    if audience == Audience.COMMITTEE:
        return _persons_reach(_committee_persons(target.committee_id, on))
    if audience == Audience.WORKING_GROUP:
        return _mixed(GroupMember.objects.filter(group_id=target.working_group_id).order_by("id")
                      .values_list("enterprise_id", "enterprise__name", "person_id"))
    if audience == Audience.EVENT:
        return _mixed(Invitation.objects.filter(event_id=target.event_id).exclude(
            status=Invitation.Status.CANCELLED).order_by("id")
            .values_list("enterprise_id", "enterprise__name", "person_id"))
    if audience == Audience.SAVED_FILTER:
        saved = target.saved_filter
        rows = (membership_list(sender, filters=dict(saved.criteria or {}))
                .filter(membership_in_force_q(on), federation_id=federation_id))
        if saved.chamber_id:
            rows = rows.filter(enterprise_id__in=chamber_member_ids(saved.chamber_id))
        return _from_memberships(rows.order_by("id").values_list("kind", "enterprise_id", "enterprise__name",
                                                                 "person_id"))
    return []


def recipients_of(target, *, sender, federation_id=None, on=None):
    """The recipients of `target` (a Notice or a Survey, saved or not) as sent by `sender` on `on` (today): a list
    of `Reach`, each enterprise and person once, in the order found."""
    on = on or timezone.localdate()
    federation_id = federation_id or target.federation_id
    reached = _resolve(target, federation_id, sender, on)
    if role_of(sender) == Role.CHAMBER:
        members = set(chamber_member_ids(sender.chamber_id).values_list("enterprise_id", flat=True))
        reached = [r for r in reached if r.enterprise_id in members]
    seen, unique = set(), []
    for reach in reached:
        key = ("e", reach.enterprise_id) if reach.enterprise_id else ("p", reach.person_id)
        if key not in seen:
            seen.add(key)
            unique.append(reach)
    return unique


def audience_errors(target, *, sender, federation_id):
    """What is wrong with an audience, as {field: Chinese message}: the record it names is missing, of another
    federation, or (for a chamber secretary) not its chamber's. Empty when it may be sent."""
    audience = target.audience
    needed = {Audience.CHAMBER: "chamber_audience", Audience.COMMITTEE: "committee",
              Audience.WORKING_GROUP: "working_group", Audience.EVENT: "event",
              Audience.SAVED_FILTER: "saved_filter"}
    field = needed.get(audience)
    if audience not in Audience.values:
        return {"audience": "请选择发送对象。"}
    chamber_sender = role_of(sender) == Role.CHAMBER
    if field is None:  # all members
        return {"audience": "商会秘书处只能发给本商会会员，请选择“商会会员”。"} if chamber_sender else {}
    named = getattr(target, field)
    label = Audience(audience).label
    if named is None:
        return {field: f"发送对象为“{label}”时，请选择具体的{target._meta.get_field(field).verbose_name}。"}
    named_federation = (named.federation_id if hasattr(named, "federation_id") else None)
    if named_federation is not None and named_federation != federation_id:
        return {field: f"所选{target._meta.get_field(field).verbose_name}不属于本工商联。"}
    if chamber_sender:
        own = {"chamber_audience": lambda c: c.pk == sender.chamber_id,
               "event": lambda e: e.chamber_id == sender.chamber_id,
               "saved_filter": lambda f: f.chamber_id == sender.chamber_id}.get(field)
        if own is None or not own(named):
            return {field: "商会秘书处只能发给本商会会员：请选择本商会、本商会的活动或本商会保存的筛选。"}
    return {}


def users_reached(enterprise_ids):
    """The active enterprise users of these enterprises: who gets a notice or a survey in their phone's inbox."""
    from shanglian.accounts.selectors import users_in_role

    return users_in_role(Role.ENTERPRISE, enterprise_id__in=list(enterprise_ids))


@dataclass(frozen=True)
class ReachSummary:
    """What an audience reaches, as the form's preview and the notice's page say it."""

    enterprises: int
    accounts: int
    persons: int
    persons_with_mobile: int

    @property
    def empty(self):
        return not self.enterprises and not self.persons

    @property
    def text(self):
        """将发送给N家企业（M个账号）、K名人士（仅短信）."""
        if self.empty:
            return "没有符合条件的接收人。"
        parts = []
        if self.enterprises:
            parts.append(f"{self.enterprises}家企业（{self.accounts}个账号）")
        if self.persons:
            parts.append(f"{self.persons}名人士（仅短信，其中{self.persons_with_mobile}人有手机号）")
        return "将发送给" + "、".join(parts) + "。"


def summarise(reached):
    """The counts of a list of `Reach`: enterprises and their active users, persons without an enterprise and how
    many of them have a mobile (the only way to reach them)."""
    enterprise_ids = [r.enterprise_id for r in reached if r.enterprise_id]
    person_ids = [r.person_id for r in reached if not r.enterprise_id and r.person_id]
    accounts = users_reached(enterprise_ids).count() if enterprise_ids else 0
    with_mobile = len(texted_persons(person_ids))
    return ReachSummary(len(enterprise_ids), accounts, len(person_ids), with_mobile)


def texted_persons(person_ids):
    """(name, mobile) of the persons among `person_ids` who have a mobile: those reached by SMS alone (`notify`'s
    `texted`). The mobiles are decrypted here, row by row, never filtered in SQL."""
    if not person_ids:
        return []
    return [(p.name, p.mobile) for p in Person.objects.filter(pk__in=person_ids) if p.mobile]
