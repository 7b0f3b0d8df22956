"""Scoped reads of the representative-figures database (代表人士数据库).

Who sees what: the federation (staff, sysadmin, leader) every person of its federations; a chamber
secretary the persons holding a role in its member enterprises (`members.selectors.persons_visible_to`);
nobody else (403). The editors (`EDITOR_ROLES`) change arrangements, honours and cultivation plans
(`*_editable_by`: readers 403, another scope's record absent, so 404). ID numbers and mobiles are shown
masked unless `members.selectors.can_view_pii`.

A person is *in the database* when they hold (or held) a political arrangement, a position in the
federation's or a chamber's bodies (`orgs.Position`), a cultivation plan or an honour: `in_database_ids`, the
one definition, which `representatives_visible_to` (the list, its export and the API) intersects with the scope —
read from those four small tables' person indexes, never a probe per person of the federation
(`tests/test_representatives_plans.py`). The list reads its page's rows first, then their current arrangements,
positions and enterprises in one query each (`with_summary`): its queries do not grow with the rows.
"""

from django.db import connections
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Prefetch, Q
from django.utils import timezone

from shanglian.accounts.roles import EDITOR_ROLES, require_role
from shanglian.audit.models import AuditAction, AuditEvent
from shanglian.members import search
from shanglian.members.models import Enterprise, EnterpriseRole
from shanglian.members.selectors import enterprises_visible_to, persons_visible_to
from shanglian.orgs.models import Position

from ..models import Arrangement, Cultivation, PersonHonour, arrangement_in_force_q
from .proposals import proposals_visible_to


def in_database_ids():
    """The ids of the persons in the database: those holding (or having held) a political arrangement, a position
    in the federation's or a chamber's bodies, a cultivation plan or an honour — a UNION of the four small tables'
    person ids, each read from its person index (never a probe per person of the federation)."""
    return (Arrangement.objects.order_by().values("person_id")
            .union(Position.objects.order_by().values("person_id"),
                   Cultivation.objects.order_by().values("person_id"),
                   PersonHonour.objects.order_by().values("person_id")))


def position_in_force_q(on, prefix=""):
    """A position held on `on`: its term is in force then (started, not past its end) and so is the position
    itself (its own dates, when given)."""
    p = prefix
    return (Q(**{f"{p}term__start__lte": on}) & (Q(**{f"{p}term__end__isnull": True}) | Q(**{f"{p}term__end__gte": on}))
            & (Q(**{f"{p}start__isnull": True}) | Q(**{f"{p}start__lte": on}))
            & (Q(**{f"{p}end__isnull": True}) | Q(**{f"{p}end__gte": on})))


def representatives_visible_to(user):
    """The persons of the database (`in_database_ids`) the user may see (403 for a role that sees no persons)."""
    return persons_visible_to(user).filter(pk__in=in_database_ids())


def arrangements_visible_to(user):
    return Arrangement.objects.filter(person__in=persons_visible_to(user).values("pk")).select_related("person")


def cultivations_visible_to(user):
    return Cultivation.objects.filter(person__in=persons_visible_to(user).values("pk")).select_related("person", "plan")


def honours_visible_to(user):
    return PersonHonour.objects.filter(person__in=persons_visible_to(user).values("pk")).select_related("person")


# --- what the editors change ---------------------------------------------------------------------------------
# The persons whose arrangements, honours and cultivation plans a user may change are the member registry's
# `members.selectors.persons_editable_by`: the editors', every person of their federations (others 403).
def arrangements_editable_by(user):
    require_role(user, *EDITOR_ROLES)
    return arrangements_visible_to(user)


def honours_editable_by(user):
    require_role(user, *EDITOR_ROLES)
    return honours_visible_to(user)


def cultivations_editable_by(user):
    require_role(user, *EDITOR_ROLES)
    return cultivations_visible_to(user)


# --- the lists -----------------------------------------------------------------------------------------------
def _matching_persons(q, *, using, person="pk"):
    """Persons found by a search word, as the member registry finds them: the name or its pinyin initials contain it
    (the person list's `members.selectors.person_list`), or they hold a role in an enterprise the enterprise list's
    search finds (`members.search.enterprise_q`: name, initials or credit code, through its index). `person` is
    the path to the person's id (the arrangements: "person_id")."""
    path = "" if person == "pk" else person.removesuffix("_id") + "__"
    enterprises = Enterprise.objects.order_by().filter(search.enterprise_q(connections[using], q)).values("pk")
    roles = EnterpriseRole.objects.order_by().filter(enterprise_id__in=enterprises).values("person_id")
    return (Q(**{f"{path}name__icontains": q}) | Q(**{f"{path}name_initials__icontains": q.lower()})
            | Q(**{f"{person}__in": roles}))


def representative_list(user, *, filters=None, on=None):
    """The database list: the persons in the database (or every person of the scope with `scope="all"`, to
    find someone to add), narrowed by the search form's filters. `on` (default today) is the day of 在任."""
    filters = filters or {}
    on = on or timezone.localdate()
    qs = persons_visible_to(user) if filters.get("scope") == "all" else representatives_visible_to(user)
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(_matching_persons(q, using=qs.db))
    seats = Arrangement.objects.filter(person=OuterRef("pk"))
    if filters.get("kind"):
        seats = seats.filter(kind=filters["kind"])
    if filters.get("level"):
        seats = seats.filter(level=filters["level"])
    in_force = filters.get("in_force")
    if in_force == "yes":
        seats = seats.filter(arrangement_in_force_q(on))
    if filters.get("kind") or filters.get("level") or in_force == "yes":
        qs = qs.filter(Exists(seats))
    elif in_force == "no":  # in the database without any arrangement in force on the day
        qs = qs.exclude(Exists(Arrangement.objects.filter(arrangement_in_force_q(on), person=OuterRef("pk"))))
    if filters.get("new_generation") in ("yes", "no"):
        qs = qs.filter(is_new_generation=filters["new_generation"] == "yes")
    if filters.get("political_affiliation"):
        qs = qs.filter(political_affiliation=filters["political_affiliation"])
    if filters.get("education"):
        qs = qs.filter(education=filters["education"])
    if filters.get("position"):
        held = Position.objects.filter(position_in_force_q(on), person=OuterRef("pk"), title=filters["position"])
        qs = qs.filter(Exists(held))
    return with_summary(qs, on=on)


def with_summary(persons, *, on=None):
    """`persons` with what a list row shows, read for the page's rows only (one query each): the arrangements in
    force on `on` (`current_arrangements`), the positions held then (`current_positions`) and the enterprise
    roles (`roles`)."""
    on = on or timezone.localdate()
    return persons.prefetch_related(
        Prefetch("arrangements", to_attr="current_arrangements",
                 queryset=Arrangement.objects.filter(arrangement_in_force_q(on)).order_by("kind", "level", "id")),
        Prefetch("positions", to_attr="current_positions",
                 queryset=Position.objects.filter(position_in_force_q(on))
                 .select_related("term__federation", "term__chamber").order_by("term__chamber_id", "id")),
        Prefetch("enterprise_roles", to_attr="roles",
                 queryset=EnterpriseRole.objects.select_related("enterprise").order_by("id")),
    )


def arrangement_list(user, *, filters=None, on=None):
    """Every arrangement of the scope, narrowed by the search form: the person (name, initials, enterprise),
    kind, level, 在任 on `on` (default today), term and 界别."""
    filters = filters or {}
    on = on or timezone.localdate()
    qs = arrangements_visible_to(user)
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(_matching_persons(q, using=qs.db, person="person_id"))
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("level"):
        qs = qs.filter(level=filters["level"])
    if filters.get("in_force") == "yes":
        qs = qs.filter(arrangement_in_force_q(on))
    elif filters.get("in_force") == "no":
        qs = qs.exclude(arrangement_in_force_q(on))
    term = (filters.get("term") or "").strip()
    if term:
        qs = qs.filter(term__icontains=term)
    sector = (filters.get("sector") or "").strip()
    if sector:
        qs = qs.filter(sector__icontains=sector)
    return qs


# --- one person's profile ------------------------------------------------------------------------------------
PROFILE_ROWS = 50  # the proposals and history rows a profile shows


def profile(user, person):
    """The profile page's read model of a person the user may already see: arrangements (latest first, each
    with `in_force`), positions in the federation's and chambers' bodies per term, honours, cultivation plans,
    the proposals the user may see that the person submitted, and the enterprises (each with `visible`: whether
    the user may open it)."""
    today = timezone.localdate()
    arrangements = list(person.arrangements.order_by("-start", "-id"))
    for arrangement in arrangements:
        arrangement.in_force = arrangement.in_force_on(today)
    positions = list(person.positions.select_related("term__federation", "term__chamber", "committee")
                     .annotate(in_force=ExpressionWrapper(position_in_force_q(today), output_field=BooleanField()))
                     .order_by("-term__start", "id"))
    roles = list(person.enterprise_roles.select_related("enterprise").order_by("id"))
    visible = set(enterprises_visible_to(user).filter(pk__in=[r.enterprise_id for r in roles])
                  .values_list("pk", flat=True)) if roles else set()
    for role in roles:
        role.visible = role.enterprise_id in visible
    return {
        "arrangements": arrangements,
        "positions": positions,
        "honours": list(person.honours.order_by("-year", "-id")),
        "cultivations": list(person.cultivations.select_related("plan").order_by("-start", "-id")),
        "proposals": list(proposals_visible_to(user).filter(submitters=person).order_by("-year", "-id")[:PROFILE_ROWS]),
        "roles": roles,
    }


def profile_history(person, limit=PROFILE_ROWS):
    """The profile's 变更记录: the audit rows of the person's arrangements, honours and cultivation plans (each
    names the person in `detail["person"]`, so a deleted record's rows are still found)."""
    return (AuditEvent.objects.filter(object_type__in=("engagement.arrangement", "engagement.personhonour",
                                                       "engagement.cultivation"),
                                      detail__person=person.pk,
                                      action__in=[AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE])
            .select_related("actor").order_by("-id")[:limit])
