"""Scoped reads of party building (非公党建).

Who sees what: the federation (staff, sysadmin, leader) every party organisation, census row and
instructor of its federations; a chamber secretary only its chamber's: the organisations its chamber hosts
and those of its member enterprises, their census rows and instructors; nobody else (403).
Who writes what (`*_editable_by`): organisations, the census and instructors the editors (`EDITOR_ROLES`) of
their federations; activities the keepers (`PARTY_KEEPER_ROLES`): the editors on every organisation of their
federations, a chamber secretary on the organisations of its scope. A reader asking to write gets 403, a
record outside the scope is absent (its page answers 404).

"两个覆盖" (the definitions are `figures/party.py`'s, word for word there):
- an enterprise is **organisation-covered** on a day when an organisation active that day (founded, not
  dissolved: `models.organisation_active_q`) is hosted by it, or lists it among its `covered_enterprises`
  (a 联合党委, a joint branch);
- it is **work-covered** when it is organisation-covered or a 党建指导员 is in force that day for it or for a
  chamber it is an active member of;
- 组织覆盖率 = organisation-covered ÷ enterprises of the census with ≥ 3 party members; 工作覆盖率 =
  work-covered ÷ enterprises of the census with ≥ 1 party member. The census is each enterprise's last survey
  (`EnterpriseParty`, one row an enterprise, no history). The enterprises are the user's (`enterprises_visible_to`:
  the federation's, a chamber's active members); by chamber, a chamber's active members; by street,
  `Enterprise.street`. Whether an enterprise is covered is a fact of every organisation and instructor,
  whatever the reader's scope (a chamber's member covered by a street's 联合党委 is covered for the chamber too).

What a reader is shown in detail is its scope's only: the census through `census_visible_to` (the one
definition of the census scope: the rows of the enterprises the reader sees), enterprises through
`members.selectors.enterprises_visible_to`, instructors through `instructors_visible_to`. An organisation of the
scope may cover enterprises, and its host enterprise may belong to chambers, outside it: the organisation's page
names only those of the scope and counts the others (`InScope`, `organisation_history`).

Cost: the coverage of an enterprise is four EXISTS probes (own organisation, covering organisation, the
enterprise's instructor, an instructor of one of its chambers), each one index range; its census is the joined
row checked against the census scope (one uncorrelated subquery, hashed once); the rates, the rows by chamber
and by street are one grouped query each, whatever the number of enterprises.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.utils import timezone

from shanglian.accounts.roles import (
    EDITOR_ROLES,
    FEDERATION_ROLES,
    MEMBER_READER_ROLES,
    PARTY_KEEPER_ROLES,
    Role,
    role_of,
)
from shanglian.common.records import history
from shanglian.members import search
from shanglian.members.models import ChamberMembership, Enterprise
from shanglian.members.selectors import chamber_member_ids, enterprises_visible_to, streets_visible_to
from shanglian.orgs.models import Chamber, Street
from shanglian.orgs.selectors import chambers_in_scope, count_of, federation_ids_in_scope
from shanglian.ui.figures import remembered, share

from ..models import (
    PARTY_MEMBERS_FOR_OWN_ORGANISATION,
    THREE_MEETINGS_ONE_LECTURE,
    EnterpriseParty,
    PartyActivity,
    PartyInstructor,
    PartyOrganisation,
    organisation_active_q,
)

READ_REFUSAL = "您没有访问党建工作的权限。"
COVERING = PartyOrganisation.covered_enterprises.through  # (partyorganisation, enterprise)


def _require(user, roles, message):
    if role_of(user) not in roles:
        raise PermissionDenied(message)


# --- organisations ------------------------------------------------------------------------------------------
def party_organisations_visible_to(user):
    role = role_of(user)
    qs = PartyOrganisation.objects.select_related("enterprise", "chamber", "street")
    if role in FEDERATION_ROLES:
        return qs.filter(federation_id__in=federation_ids_in_scope(user))
    if role == Role.CHAMBER:
        return qs.filter(Q(chamber_id=user.chamber_id) | Q(enterprise_id__in=chamber_member_ids(user.chamber_id)))
    raise PermissionDenied(READ_REFUSAL)


def party_organisations_editable_by(user):
    """The organisations an editor changes or deletes: every one of its federations."""
    _require(user, EDITOR_ROLES, "您没有修改党组织的权限。")
    return PartyOrganisation.objects.filter(federation_id__in=federation_ids_in_scope(user)).select_related(
        "enterprise", "chamber", "street")


def organisations_for_activities(user):
    """The organisations whose activities the user records (`PARTY_KEEPER_ROLES`): an editor's every one of its
    federations, a chamber secretary's those of its scope (its chamber's and its member enterprises')."""
    _require(user, PARTY_KEEPER_ROLES, "您没有记录党组织活动的权限。")
    return party_organisations_visible_to(user)


def host_enterprises(user):
    """The enterprises an editor may attach an organisation to (or list as covered): those of its federations."""
    _require(user, EDITOR_ROLES, "您没有修改党组织的权限。")
    return enterprises_visible_to(user)


def host_chambers(user):
    _require(user, EDITOR_ROLES, "您没有修改党组织的权限。")
    return chambers_in_scope(user).order_by("name", "id")


def host_streets(user):
    _require(user, EDITOR_ROLES, "您没有修改党组织的权限。")
    return streets_visible_to(user).order_by("code", "id")


def organisation_list(user, *, filters=None, on=None):
    """The organisation list: scope first, then the search form's filters — `q` (name), `kind`, `host`
    (enterprise/chamber/street), `street` (hosted by the street, or by an enterprise or chamber in it),
    `chamber` (hosted by the chamber or by one of its active member enterprises), `active` (yes/no on `on`,
    default today). Each row has `covered_count` (its 联建覆盖企业)."""
    filters = filters or {}
    on = on or timezone.localdate()
    qs = party_organisations_visible_to(user).select_related("enterprise__street", "chamber__street").annotate(
        covered_count=count_of(COVERING, "partyorganisation"))
    if filters.get("q"):
        qs = qs.filter(name__icontains=filters["q"].strip())
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    host = filters.get("host")
    if host in ("enterprise", "chamber", "street"):
        qs = qs.filter(**{f"{host}__isnull": False})
    street = filters.get("street")
    if street is not None:
        qs = qs.filter(Q(street=street) | Q(enterprise__street=street) | Q(chamber__street=street))
    chamber = filters.get("chamber")
    if chamber is not None:
        qs = qs.filter(Q(chamber=chamber) | Q(enterprise_id__in=chamber_member_ids(chamber.pk)))
    if filters.get("active") == "yes":
        qs = qs.filter(organisation_active_q(on))
    elif filters.get("active") == "no":
        qs = qs.exclude(organisation_active_q(on))
    return qs


@dataclass(frozen=True)
class ActivityCounts:
    """An organisation's activities of one year by kind: 三会一课 (the four meetings together) and 主题党日."""

    by_kind: dict

    def of(self, kind):
        return self.by_kind.get(kind, 0)

    @property
    def three_meetings(self):
        return sum(self.of(kind) for kind in THREE_MEETINGS_ONE_LECTURE)

    @property
    def theme_days(self):
        return self.of(PartyActivity.Kind.THEME_DAY)

    @property
    def meetings(self):
        """[(label, count)] of the four kinds of 三会一课, in their order."""
        labels = dict(PartyActivity.Kind.choices)
        return [(labels[kind], self.of(kind)) for kind in THREE_MEETINGS_ONE_LECTURE]

    @property
    def total(self):
        return sum(self.by_kind.values())


def activity_counts(activities, year):
    """`activities` held in `year`, counted by kind (one grouped query)."""
    rows = (activities.filter(held_on__gte=date(year, 1, 1), held_on__lte=date(year, 12, 31)).order_by()
            .values("kind").annotate(n=Count("pk")))
    return ActivityCounts({row["kind"]: row["n"] for row in rows})


@dataclass(frozen=True)
class InScope:
    """What an organisation's page lists of something the reader's scope may not wholly hold: `rows` the reader
    sees in detail, `hidden` how many more there are outside its scope (shown only as a count)."""

    rows: list
    hidden: int = 0

    @property
    def total(self):
        return len(self.rows) + self.hidden


def _host_instructors_q(organisation):
    """The 党建指导员 of an organisation's host: assigned to its enterprise or to a chamber that enterprise is an
    active member of, or to its chamber; None for a street's organisation (it has none of its own)."""
    if organisation.enterprise_id:
        chambers = ChamberMembership.objects.filter(enterprise_id=organisation.enterprise_id,
                                                    status=ChamberMembership.Status.ACTIVE).values("chamber_id")
        return Q(enterprise_id=organisation.enterprise_id) | Q(chamber_id__in=chambers)
    if organisation.chamber_id:
        return Q(chamber_id=organisation.chamber_id)
    return None


def organisation_instructors(organisation, *, user):
    """`InScope` of the instructors of an organisation's host (`_host_instructors_q`), latest first: those the
    reader sees (`instructors_visible_to`: a chamber secretary not those of the host enterprise's other
    chambers), and how many others. Two queries."""
    condition = _host_instructors_q(organisation)
    if condition is None:
        return InScope([])
    rows = list(instructors_visible_to(user).filter(condition).order_by("-start", "-id"))
    return InScope(rows, PartyInstructor.objects.filter(condition).count() - len(rows))


def covered_enterprises_of(organisation, *, user):
    """`InScope` of the enterprises an organisation covers: those the reader sees (`enterprises_visible_to`),
    by name, with their census (`with_census`: `party_members` None when not surveyed), and how many others it
    covers. Two queries."""
    rows = list(with_census(enterprises_visible_to(user).filter(covering_party_organisations=organisation), user)
                .select_related("street").order_by("name", "id"))
    return InScope(rows, organisation.covered_enterprises.count() - len(rows))


HIDDEN_ENTERPRISE = "（不在您查看范围内的企业）"
LIST_SEPARATOR = "、"  # how `common.records` joins a many-to-many field's values


def hidden_text(n):
    return f"另有{n}家不在您的查看范围内"


def _enterprise_fields():
    """{label: many} of the organisation's fields naming enterprises (所在企业, 联建覆盖企业), as its audit rows
    label them."""
    return {str(field.verbose_name): field.many_to_many for field in PartyOrganisation._meta.get_fields()
            if not field.auto_created and field.related_model is Enterprise}


def _names(value, many):
    if not value:
        return []
    return value.split(LIST_SEPARATOR) if many else [value]


def _redacted(value, many, seen):
    """An audit value naming enterprises with those outside `seen` (the reader's) left unnamed."""
    names = _names(value, many)
    shown = [name for name in names if name in seen]
    if len(shown) == len(names):
        return value
    if not many:
        return HIDDEN_ENTERPRISE
    left = hidden_text(len(names) - len(shown))
    return f"{LIST_SEPARATOR.join(shown)}（{left}）" if shown else left


def organisation_history(organisation, *, user, limit):
    """The organisation's 变更记录 (`common.records.history`, the latest `limit` rows) as the reader may read it:
    in the changes of 所在企业 and 联建覆盖企业, an enterprise the reader does not see (`enterprises_visible_to`) is
    not named — a covered one is counted ("另有N家不在您的查看范围内"). A name that cannot be told apart (one
    holding the separator) stays hidden. Two queries."""
    events = list(history(organisation)[:limit])
    fields = _enterprise_fields()
    names = {name for event in events for change in (event.detail or {}).get("changes", ())
             if change.get("field") in fields
             for key in ("old", "new") for name in _names(change.get(key), fields[change["field"]])}
    seen = set(enterprises_visible_to(user).filter(name__in=names).values_list("name", flat=True)) if names else set()
    for event in events:
        changes = (event.detail or {}).get("changes")
        if not changes:
            continue
        event.detail = {**event.detail, "changes": [
            {**change, **{key: _redacted(change.get(key), fields[change["field"]], seen) for key in ("old", "new")}}
            if change.get("field") in fields else change for change in changes]}
    return events


# --- activities ------------------------------------------------------------------------------------------------
def party_activities_visible_to(user):
    return PartyActivity.objects.filter(
        organisation__in=party_organisations_visible_to(user).values("pk")).select_related("organisation")


def party_activities_editable_by(user):
    """The activities a keeper may delete: those of the organisations it records activities of."""
    return PartyActivity.objects.filter(
        organisation__in=organisations_for_activities(user).values("pk")).select_related("organisation")


def activity_month_counts(user, period):
    """The activities of the user's scope held in `period`, by month and kind: {(month's first day, kind): n}.
    One grouped query; the month is a CASE over the months' first days (no date function per row)."""
    months = period.months()
    whens = [When(held_on__gte=first, held_on__lt=_next_month(first), then=Value(i)) for i, first in enumerate(months)]
    rows = (party_activities_visible_to(user).select_related(None)
            .filter(held_on__gte=period.start, held_on__lte=period.end).order_by()
            .annotate(month=Case(*whens, default=Value(-1), output_field=IntegerField()))
            .values("month", "kind").annotate(n=Count("pk")))
    return {(months[row["month"]], row["kind"]): row["n"] for row in rows if row["month"] >= 0}


def _next_month(first):
    return (first + timedelta(days=32)).replace(day=1)


# --- instructors -----------------------------------------------------------------------------------------------
def instructors_visible_to(user):
    role = role_of(user)
    qs = PartyInstructor.objects.select_related("enterprise", "chamber")
    if role in FEDERATION_ROLES:
        return qs.filter(federation_id__in=federation_ids_in_scope(user))
    if role == Role.CHAMBER:
        return qs.filter(Q(chamber_id=user.chamber_id) | Q(enterprise_id__in=chamber_member_ids(user.chamber_id)))
    raise PermissionDenied(READ_REFUSAL)


def instructors_editable_by(user):
    _require(user, EDITOR_ROLES, "您没有修改党建指导员的权限。")
    return PartyInstructor.objects.filter(federation_id__in=federation_ids_in_scope(user)).select_related(
        "enterprise", "chamber")


def instructor_in_force_q(on, prefix=""):
    """A 党建指导员 in force on `on`: sent on or before it, not ended before it."""
    p = prefix
    return Q(**{f"{p}start__lte": on}) & (Q(**{f"{p}end__isnull": True}) | Q(**{f"{p}end__gte": on}))


def instructor_list(user, *, filters=None, on=None):
    """The instructor list: `q` (name or unit), `target` (enterprise/chamber), `chamber` (assigned to the chamber
    or to one of its active member enterprises), `in_force` (yes/no on `on`, default today)."""
    filters = filters or {}
    on = on or timezone.localdate()
    qs = instructors_visible_to(user)
    if filters.get("q"):
        text = filters["q"].strip()
        qs = qs.filter(Q(name__icontains=text) | Q(unit__icontains=text))
    target = filters.get("target")
    if target in ("enterprise", "chamber"):
        qs = qs.filter(**{f"{target}__isnull": False})
    chamber = filters.get("chamber")
    if chamber is not None:
        qs = qs.filter(Q(chamber=chamber) | Q(enterprise_id__in=chamber_member_ids(chamber.pk)))
    if filters.get("in_force") == "yes":
        qs = qs.filter(instructor_in_force_q(on))
    elif filters.get("in_force") == "no":
        qs = qs.exclude(instructor_in_force_q(on))
    return qs


# --- the census and the coverage -------------------------------------------------------------------------------
def census_visible_to(user):
    """The census rows (`EnterpriseParty`) the user reads — the one definition of the census scope, every read
    of a party-member count goes through it (`with_census`): the rows of the enterprises the user sees
    (`members.selectors.enterprises_visible_to`: the federation's, a chamber's active members), for the party
    readers (`MEMBER_READER_ROLES`; 403 for anyone else)."""
    _require(user, MEMBER_READER_ROLES, READ_REFUSAL)
    return EnterpriseParty.objects.select_related("enterprise").filter(
        enterprise__in=enterprises_visible_to(user).select_related(None).order_by().values("pk"))


def with_census(rows, user, field=""):
    """`rows` (enterprises, or rows naming one by the relation `field`) with their census as the user reads it
    (`census_visible_to`): `party_members` and `surveyed_on`, None when the enterprise was never surveyed or its
    census is not the user's."""
    p = f"{field}__" if field else ""
    # A correlated EXISTS on the census row (an index probe per row the query keeps), not `IN (the census scope)`:
    # the scope's hash is built again for every place the annotation appears (5 in the coverage counts), each a
    # read of every enterprise of the scope — seconds at a province.
    readable = Exists(census_visible_to(user).select_related(None).order_by().filter(pk=OuterRef(f"{p}party_census")))
    return rows.annotate(
        party_members=Case(When(readable, then=F(f"{p}party_census__party_members")), default=None,
                           output_field=IntegerField()),
        surveyed_on=Case(When(readable, then=F(f"{p}party_census__surveyed_on")), default=None,
                         output_field=DateField()))


def census_enterprises_editable_by(user):
    """The enterprises whose census an editor keeps: those of its federations."""
    _require(user, EDITOR_ROLES, "您没有修改企业党员情况的权限。")
    return enterprises_visible_to(user)


def organisation_covered(on, field="pk"):
    """Whether the enterprise `OuterRef(field)` is organisation-covered on `on` (a condition)."""
    own = Exists(PartyOrganisation.objects.filter(organisation_active_q(on), enterprise_id=OuterRef(field)))
    joint = Exists(COVERING.objects.filter(organisation_active_q(on, "partyorganisation__"),
                                           enterprise_id=OuterRef(field)))
    return Q(own) | Q(joint)


def instructed(on, field="pk"):
    """Whether a 党建指导员 is in force on `on` for the enterprise `OuterRef(field)` or one of its chambers."""
    own = Exists(PartyInstructor.objects.filter(instructor_in_force_q(on), enterprise_id=OuterRef(field)))
    by_chamber = Exists(PartyInstructor.objects.filter(
        instructor_in_force_q(on), chamber__memberships__enterprise_id=OuterRef(field),
        chamber__memberships__status=ChamberMembership.Status.ACTIVE))
    return Q(own) | Q(by_chamber)


def with_coverage(rows, on, field="pk"):
    """`rows` (enterprises, or rows naming one by `field`) with `org_covered` and `work_covered` on `on`."""
    covered = organisation_covered(on, field)
    return rows.annotate(org_covered=ExpressionWrapper(covered, output_field=BooleanField()),
                         work_covered=ExpressionWrapper(covered | instructed(on, field), output_field=BooleanField()))


def census_enterprises(user, *, on=None):
    """The enterprises of the user's scope with their census (`party_members`, `surveyed_on`: None when never
    surveyed; `with_census`) and their coverage on `on` (default today): `org_covered`, `work_covered`."""
    _require(user, MEMBER_READER_ROLES, READ_REFUSAL)
    return with_coverage(with_census(enterprises_visible_to(user), user), on or timezone.localdate())


# the census list's 党员人数 choices ("" is every surveyed enterprise), over `with_census` rows
BASES = {
    "": Q(surveyed_on__isnull=False),
    "org": Q(party_members__gte=PARTY_MEMBERS_FOR_OWN_ORGANISATION),
    "work": Q(party_members__gte=1),
    "small": Q(party_members__gte=1, party_members__lt=PARTY_MEMBERS_FOR_OWN_ORGANISATION),
    "none": Q(party_members=0),
    "missing": Q(surveyed_on__isnull=True),
    "all": Q(),
}


def narrowed(enterprises, *, chamber=None, street=None):
    """Enterprises of one chamber (its active members) or one street (`Enterprise.street`; "none": no street)."""
    if chamber is not None:
        enterprises = enterprises.filter(pk__in=chamber_member_ids(getattr(chamber, "pk", chamber)))
    if street == "none":
        enterprises = enterprises.filter(street__isnull=True)
    elif street is not None:
        enterprises = enterprises.filter(street_id=getattr(street, "pk", street))
    return enterprises


def census_list(user, *, filters=None, on=None):
    """The census list: the scope's enterprises, by default those surveyed; `base` (BASES), `org_covered` and
    `work_covered` (yes/no), `chamber`, `street` (a Street or "none") and `q` (name, initials or USCC)."""
    filters = filters or {}
    qs = census_enterprises(user, on=on).filter(BASES.get(filters.get("base") or "", BASES[""]))
    for name in ("org_covered", "work_covered"):
        if filters.get(name) in ("yes", "no"):
            qs = qs.filter(**{name: filters[name] == "yes"})
    qs = narrowed(qs, chamber=filters.get("chamber"), street=filters.get("street") or None)
    text = (filters.get("q") or "").strip()
    if text:
        qs = qs.filter(search.enterprise_q(connections[qs.db], text))
    return qs


@dataclass(frozen=True)
class Coverage:
    """The counts behind the two rates: `large` enterprises with ≥ 3 party members, `large_covered` of them
    organisation-covered; `with_members` enterprises with ≥ 1, `worked` of them work-covered."""

    large: int = 0
    large_covered: int = 0
    with_members: int = 0
    worked: int = 0

    @property
    def organisation_rate(self):
        return share(self.large_covered, self.large)

    @property
    def work_rate(self):
        return share(self.worked, self.with_members)

    @property
    def large_uncovered(self):
        return self.large - self.large_covered

    @property
    def not_worked(self):
        return self.with_members - self.worked


def _counts():
    """The aggregates of `Coverage` over rows annotated by `with_census` and `with_coverage`."""
    large = Q(party_members__gte=PARTY_MEMBERS_FOR_OWN_ORGANISATION)
    some = Q(party_members__gte=1)
    return {"large": Count("pk", filter=large), "large_covered": Count("pk", filter=large & Q(org_covered=True)),
            "with_members": Count("pk", filter=some), "worked": Count("pk", filter=some & Q(work_covered=True))}


def _with_members(enterprises):
    """BASES["work"] (党员 ≥ 1 in the census the user reads), with the same condition on the census row itself: it
    implies nothing more (a census the user reads is the enterprise's census), but the database can start from the
    census rows it names instead of reading every enterprise of the scope (12 s → 1.5 s at a million firms)."""
    return enterprises.filter(BASES["work"], party_census__party_members__gte=1)


def _coverage_of(row):
    return Coverage(row["large"], row["large_covered"], row["with_members"], row["worked"])


def coverage(user, *, on, chamber=None, street=None):
    """The user's `Coverage` on `on` (of one chamber or street when given): one query — once for both rates on a
    page that computes them together (`ui.figures.remembering`)."""
    def compute():
        rows = narrowed(_with_members(census_enterprises(user, on=on)), chamber=chamber, street=street)
        return _coverage_of(rows.order_by().aggregate(**_counts()))

    key = ("engagement.coverage", user.pk, user.federation_id, user.chamber_id, role_of(user), on,
           getattr(chamber, "pk", chamber), getattr(street, "pk", street))
    return remembered(key, compute)


def coverage_by_street(user, *, on):
    """[(street or None for enterprises without one, Coverage)]: every street of the scope (the federation's; a
    chamber's own and its members'), then the enterprises without a street when there are any. One grouped query."""
    rows = (_with_members(census_enterprises(user, on=on)).order_by().values("street_id")
            .annotate(**_counts()))
    found = {row["street_id"]: _coverage_of(row) for row in rows}
    result = [(street, found.get(street.pk, Coverage())) for street in streets_visible_to(user).order_by("code", "id")]
    if None in found:
        result.append((None, found[None]))
    return result


def coverage_by_chamber(user, *, on):
    """[(chamber, Coverage)] for every active chamber of the scope, over its active member enterprises of the
    scope. One grouped query."""
    _require(user, MEMBER_READER_ROLES, READ_REFUSAL)
    chambers = list(chambers_in_scope(user).filter(status=Chamber.Status.ACTIVE).order_by("name", "id"))
    enterprises = census_enterprises(user, on=on).filter(BASES["work"]).order_by().values("pk")
    memberships = ChamberMembership.objects.filter(status=ChamberMembership.Status.ACTIVE,
                                                   chamber__in=[c.pk for c in chambers], enterprise_id__in=enterprises)
    rows = (with_census(with_coverage(memberships, on, "enterprise_id"), user, "enterprise").order_by()
            .values("chamber_id").annotate(**_counts()))
    found = {row["chamber_id"]: _coverage_of(row) for row in rows}
    return [(chamber, found.get(chamber.pk, Coverage())) for chamber in chambers]


# --- streets covered by 联合党委 ------------------------------------------------------------------------------
@dataclass(frozen=True)
class StreetJointCoverage:
    """A street's active chambers and how many of them a 联合党委 covers (hosted by the chamber or the street)."""

    street: Street
    chambers: int
    covered: int
    street_committee: bool  # the street hosts an active 联合党委 itself

    @property
    def fully_covered(self):
        return self.chambers > 0 and self.covered == self.chambers


def _joint_committees(on):
    return PartyOrganisation.objects.filter(organisation_active_q(on), kind=PartyOrganisation.Kind.JOINT_COMMITTEE)


def street_joint_coverage(user, *, on):
    """[StreetJointCoverage] of every street of the scope whose active chambers the user sees (the federation:
    its streets; a chamber secretary: its own chamber's street, over its own chamber). One grouped query for the
    chambers and one for the streets' own 联合党委."""
    chambers = chambers_in_scope(user).filter(status=Chamber.Status.ACTIVE)
    joint = _joint_committees(on)
    rows = (chambers.filter(street__isnull=False).order_by()
            .annotate(own=Exists(joint.filter(chamber_id=OuterRef("pk"))),
                      by_street=Exists(joint.filter(street_id=OuterRef("street_id"))))
            .values("street_id").annotate(n=Count("pk"), covered=Count("pk", filter=Q(own=True) | Q(by_street=True))))
    found = {row["street_id"]: (row["n"], row["covered"]) for row in rows}
    if role_of(user) in FEDERATION_ROLES:
        streets = Street.objects.filter(federation_id__in=federation_ids_in_scope(user))
    else:
        streets = Street.objects.filter(pk__in=chambers.values("street_id"))
    streets = list(streets.order_by("code", "id"))
    hosting = set(joint.filter(street_id__in=[s.pk for s in streets]).values_list("street_id", flat=True))
    return [StreetJointCoverage(street, *found.get(street.pk, (0, 0)), street_committee=street.pk in hosting)
            for street in streets]


# --- the organisations' counts ----------------------------------------------------------------------------------
def organisations_by_kind(user, *, on):
    """{kind: n} of the organisations of the scope active on `on` (one grouped query)."""
    rows = (party_organisations_visible_to(user).select_related(None).filter(organisation_active_q(on)).order_by()
            .values("kind").annotate(n=Count("pk")))
    return {row["kind"]: row["n"] for row in rows}
