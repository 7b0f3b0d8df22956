"""Scoped reads of enterprises and persons: every list, page, export and API starts here."""

from django.core.exceptions import PermissionDenied
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    Expression,
    F,
    IntegerField,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Length

from shanglian.accounts.roles import (
    EDITOR_ROLES,
    FEDERATION_ROLES,
    MEMBER_EDITOR_ROLES,
    Role,
    require_role,
    role_of,
)
from shanglian.common.selectors import filtered
from shanglian.orgs.models import Street
from shanglian.orgs.selectors import chambers_in_scope, chambers_visible_to, federation_ids_in_scope

from . import search
from .models import ChamberMembership, Enterprise, EnterpriseRole, Person, incomplete_enterprise_q
from .summaries import mark_scope


# A chamber secretary's scopes are semi-joins on the chamber's active members (`pk IN (…)`, each list read from
# an index), never a join to the chamber memberships made unique again by DISTINCT: a DISTINCT over whole rows
# sorts every row of the scope before the first page can be cut (issue 19; `tests/test_scope_plans.py` compares
# them with the plain definitions).
def chamber_member_ids(chamber_id):
    """The ids of a chamber's active member enterprises (a subquery; index `chambermember_chamber_status`)."""
    return ChamberMembership.objects.filter(
        chamber_id=chamber_id, status=ChamberMembership.Status.ACTIVE).values("enterprise_id")


class ListedIn(Expression):
    """`field IN (ids)` for a short list (a chamber's members): on PostgreSQL `field = ANY(ARRAY(ids))`, the
    same rows, which the planner reads by probing `field`'s index once per listed id. With `IN (ids)` it
    reads the whole other table (100,000 enterprises, every membership by the enterprise index) to hash-join
    it with the few thousand ids: 60 ms a query for chamber1's member list at city scale (issue 19)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, field, ids):
        super().__init__(output_field=BooleanField())
        self.lhs = F(field) if isinstance(field, str) else field
        self.ids = ids if isinstance(ids, Subquery) else Subquery(ids.order_by())

    def get_source_expressions(self):
        return [self.lhs, self.ids]

    def set_source_expressions(self, exprs):
        self.lhs, self.ids = exprs

    def as_sql(self, compiler, connection, template="%s IN %s"):
        lhs, lhs_params = compiler.compile(self.lhs)
        ids, ids_params = compiler.compile(self.ids)  # "(SELECT …)"
        return template % (lhs, ids), [*lhs_params, *ids_params]

    def as_postgresql(self, compiler, connection):
        return self.as_sql(compiler, connection, template="%s = ANY(ARRAY%s)")


def enterprises_visible_to(user):
    role = role_of(user)
    qs = Enterprise.objects.select_related("industry", "enterprise_type", "street")
    if role in FEDERATION_ROLES:
        return qs.filter(federation_id__in=federation_ids_in_scope(user))
    if role == Role.CHAMBER:
        return qs.filter(pk__in=chamber_member_ids(user.chamber_id))
    if role == Role.ENTERPRISE:
        return qs.filter(pk=user.enterprise_id)
    raise PermissionDenied("您没有访问该功能的权限。")


def enterprise_list(user, *, filters=None):
    """The registry list: scope first, then the search form's filters."""
    qs = enterprises_visible_to(user)
    filters = filters or {}
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(search.enterprise_q(connections[qs.db], q))
    qs = filtered(qs, filters, {"industry_division": "industry__code__startswith", "street": "street_id",
                                "enterprise_type": "enterprise_type_id"})
    if filters.get("incomplete"):
        qs = qs.filter(incomplete_enterprise_q())
    return qs


def enterprise_profile(enterprise):
    """The enterprise 360° page's own reads of an enterprise the caller may already see: its federation
    memberships and chamber memberships (latest first) and its people. Other apps add their sections
    through `shanglian.ui.sections` (page "enterprise")."""
    return {
        "memberships": enterprise.memberships.order_by("-joined"),
        "chamber_memberships": enterprise.chamber_memberships.select_related("chamber").order_by("-joined"),
        "persons": enterprise.person_roles.select_related("person"),
    }


def streets_visible_to(user):
    """The streets whose records a user may look at (the street filters of the registry lists).
    Federation roles: every street of their federations. A chamber secretary: the chamber's own street
    and the streets of its member enterprises. Other roles: refused."""
    role = role_of(user)
    if role in FEDERATION_ROLES:
        return Street.objects.filter(federation_id__in=federation_ids_in_scope(user))
    if role == Role.CHAMBER:
        own = user.chamber.street_id if user.chamber_id else None
        members = Enterprise.objects.filter(ListedIn("pk", chamber_member_ids(user.chamber_id)))
        return Street.objects.filter(Q(pk=own) | Q(pk__in=members.values("street_id")))
    raise PermissionDenied("您没有访问该功能的权限。")


def persons_visible_to(user):
    role = role_of(user)
    qs = Person.objects.select_related("political_affiliation", "education")
    if role in FEDERATION_ROLES:
        return qs.filter(federation_id__in=federation_ids_in_scope(user))
    if role == Role.CHAMBER:
        return qs.filter(pk__in=EnterpriseRole.objects.filter(
            enterprise_id__in=chamber_member_ids(user.chamber_id)).values("person_id"))
    raise PermissionDenied("您没有访问该功能的权限。")


def person_profile(person):
    """The person page's own reads of a person the caller may already see: the enterprise roles and the
    federation memberships (latest first)."""
    return {
        "roles": person.enterprise_roles.select_related("enterprise"),
        "memberships": person.memberships.order_by("-joined"),
    }


def person_list(user, *, filters=None):
    qs = persons_visible_to(user)
    q = ((filters or {}).get("q") or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(name_initials__icontains=q.lower()))
    return qs


# --- The pickers' searches (members.pickers): a fragment of the name, pinyin initials, a credit code ----
PICKER_LIMIT = 10


def _is_code(query):
    return query.isascii() and query.isalnum()


def _closest_first(qs, query, *, exact=None):
    """Order matches: an exact code, then names starting with the query, then initials starting with
    it, then the rest; shorter names first."""
    whens = [When(**{exact: query.upper()}, then=Value(0))] if exact and _is_code(query) else []
    whens.append(When(name__startswith=query, then=Value(1)))
    if _is_code(query):
        whens.append(When(name_initials__startswith=query.lower(), then=Value(2)))
    rank = Case(*whens, default=Value(3), output_field=IntegerField())
    return qs.annotate(match_rank=rank, name_length=Length("name")).order_by("match_rank", "name_length", "name", "pk")


def enterprise_matches(user, query, *, limit=PICKER_LIMIT):
    """The enterprise picker's answer: enterprises the user may see (a refused role gets PermissionDenied)
    whose name contains `query`, whose pinyin initials contain it, or whose credit code starts with it
    (4 characters or more); the closest first, `limit` + 1 rows so that the caller can say there are more."""
    qs = enterprises_visible_to(user)
    query = (query or "").strip()
    if not query:
        return qs.none()
    match = Q(name__icontains=query)
    if _is_code(query):
        match |= Q(name_initials__contains=query.lower())
        if len(query) >= 4:
            match |= Q(uscc__startswith=query.upper())
    return _closest_first(qs.filter(match), query, exact="uscc")[: limit + 1]


def person_matches(user, query, *, limit=PICKER_LIMIT):
    """The person picker's answer: persons the user may see whose name contains `query` or whose pinyin
    initials contain it; each with its roles in enterprises the user may see (`picker_roles`)."""
    qs = persons_visible_to(user)
    query = (query or "").strip()
    if not query:
        return qs.none()
    match = Q(name__icontains=query)
    if _is_code(query):
        match |= Q(name_initials__contains=query.lower())
    roles = EnterpriseRole.objects.filter(enterprise__in=enterprises_visible_to(user)).select_related("enterprise")
    qs = qs.filter(match).prefetch_related(Prefetch("enterprise_roles", queryset=roles, to_attr="picker_roles"))
    return _closest_first(qs, query)[: limit + 1]


def can_view_pii(user):
    return role_of(user) in FEDERATION_ROLES and user.has_perm("members.view_pii")


def membership_in_force_q(on, prefix=""):
    """The one definition of 'in force on a date': joined, not yet left, not suspended on that day."""
    p = prefix
    return (
        Q(**{f"{p}joined__lte": on})
        & (Q(**{f"{p}left__isnull": True}) | Q(**{f"{p}left__gt": on}))
        & (Q(**{f"{p}suspended_on__isnull": True}) | Q(**{f"{p}suspended_on__gt": on}))
    )


def memberships_visible_to(user):
    """Federation memberships in the user's scope. A chamber secretary sees the memberships of its own
    member enterprises, of persons holding a role in them, and the chamber's own group membership."""
    from .models import Membership

    role = role_of(user)
    qs = Membership.objects.select_related("enterprise", "person", "group", "enterprise__enterprise_type")
    if role in FEDERATION_ROLES:
        federation_ids = federation_ids_in_scope(user)
        # a federation's whole scope: the member figures may read the day summary for it (summaries.py)
        return mark_scope(qs.filter(federation_id__in=federation_ids), federation_ids)
    if role == Role.CHAMBER:
        return qs.filter(pk__in=chamber_membership_ids(user.chamber_id))
    raise PermissionDenied("您没有访问该功能的权限。")


def chamber_membership_ids(chamber_id):
    """The ids of the federation memberships a chamber's secretary sees (a subquery): those of its active
    member enterprises, of the persons holding a role in them, and the chamber's own group membership — a
    UNION of three index lookups (`enterprise_id`, `person_id`, `group_id`), not an OR of the three tested on
    every membership of the city, which SQLite's planner chose for the figures' aggregates (issue 19)."""
    from .models import Membership

    member_enterprises = chamber_member_ids(chamber_id)
    persons = EnterpriseRole.objects.filter(ListedIn("enterprise_id", member_enterprises)).values("person_id")
    ids = Membership.objects.order_by().values("pk")
    return ids.filter(ListedIn("enterprise_id", member_enterprises)).union(
        ids.filter(ListedIn("person_id", persons)), ids.filter(group_id=chamber_id))


def members_in_force(user, *, on):
    return memberships_visible_to(user).filter(membership_in_force_q(on))


MEMBERSHIP_RELATED = ("enterprise__enterprise_type", "enterprise__industry", "enterprise__street", "person", "group")


def membership_list(user, *, filters=None):
    """The member registry list: scope, then the search form's filters. A chamber's rows (a few thousand)
    are sorted before their enterprises, persons and groups are read — by the page's ids (prefetched): joined,
    PostgreSQL joins all of them first and sorts after (issue 19)."""
    qs = memberships_visible_to(user)
    if role_of(user) == Role.CHAMBER:
        qs = qs.select_related(None).prefetch_related(*MEMBERSHIP_RELATED)
    else:
        qs = qs.select_related("enterprise__industry", "enterprise__street", "group")
    filters = filters or {}
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(search.membership_q(connections[qs.db], q))
    qs = filtered(qs, filters, {"kind": "kind", "status": "status", "street": "enterprise__street",
                                "industry_division": "enterprise__industry__code__startswith",
                                "enterprise_type": "enterprise__enterprise_type"})
    if filters.get("chamber"):
        qs = qs.filter(
            Q(enterprise__chamber_memberships__chamber=filters["chamber"],
              enterprise__chamber_memberships__status=ChamberMembership.Status.ACTIVE)
            | Q(group=filters["chamber"])
        )
    return qs.distinct() if filters.get("chamber") else qs


# --- What a user may change (the staff forms) ------------------------------------------------------
# A role that may not change member records at all is refused (403); a record outside the user's
# scope is not in the queryset (404 through `get_visible_or_404`).
def home_federation(user):
    """Where a record the user creates belongs: its federation, or its chamber's."""
    if role_of(user) == Role.CHAMBER:
        return user.chamber.federation
    if user.federation_id is None:
        raise PermissionDenied("您的账号未关联工商联，不能登记会员信息。")
    return user.federation


def enterprises_editable_by(user):
    """Editors: every enterprise of their federations. A chamber secretary: the chamber's member enterprises."""
    require_role(user, *MEMBER_EDITOR_ROLES)
    return enterprises_visible_to(user)


def persons_editable_by(user):
    require_role(user, *EDITOR_ROLES)
    return persons_visible_to(user)


def memberships_editable_by(user):
    require_role(user, *EDITOR_ROLES)
    return memberships_visible_to(user)


def chamber_memberships_visible_to(user):
    """The chamber memberships (any status) of the chambers a user sees: a federation role, every chamber
    of its federations; a chamber secretary, its own chamber."""
    return (ChamberMembership.objects.filter(chamber__in=chambers_in_scope(user).values("pk"))
            .select_related("chamber", "enterprise"))


def chamber_memberships_editable_by(user):
    require_role(user, *MEMBER_EDITOR_ROLES)
    return chamber_memberships_visible_to(user)


def chambers_editable_by(user):
    """The chambers whose members a user may add: an editor's federations' chambers, a secretary's own."""
    require_role(user, *MEMBER_EDITOR_ROLES)
    return chambers_visible_to(user)


def chamber_member_list(user, chamber, *, filters=None):
    """One chamber's member list (all statuses): scope through `chamber_memberships_visible_to`."""
    qs = chamber_memberships_visible_to(user).filter(chamber=chamber).select_related("enterprise__street")
    q = ((filters or {}).get("q") or "").strip()
    if q:
        qs = qs.filter(Q(enterprise__name__icontains=q) | Q(enterprise__name_initials__icontains=q.lower())
                       | Q(enterprise__uscc__iexact=q))
    return filtered(qs, filters or {}, {"status": "status"})
