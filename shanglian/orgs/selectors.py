"""Scoped reads of the organisation data. Scope is applied here and nowhere else.

Two kinds of querysets per record: `*_visible_to(user)` (what a user may read; a role without access
gets `PermissionDenied`) and `*_editable_by(user)` (what a user may change; readers get
`PermissionDenied`, a record outside the editable scope is simply absent, so its page answers 404).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from shanglian.accounts.roles import EDITOR_ROLES, FEDERATION_ROLES, Role, require_role, role_of
from shanglian.accounts.selectors import users_in_role
from shanglian.audit.models import AuditAction, AuditEvent
from shanglian.common.selectors import filtered

from .models import Chamber, Committee, Department, Federation, Position, Street, Term, Village


def federation_ids_in_scope(user):
    """Federations whose records a federation-wide role sees: its own and those under it."""
    if role_of(user) not in FEDERATION_ROLES or user.federation_id is None:
        return []
    return user.federation.subtree_ids()


def federations_editable_by(user):
    """The federations an editor may add records to (its own and those under it)."""
    require_role(user, *EDITOR_ROLES)
    return Federation.objects.filter(pk__in=federation_ids_in_scope(user)).order_by("id")


def _federation_scoped(model, user, roles=FEDERATION_ROLES):
    require_role(user, *roles)
    return model.objects.filter(federation_id__in=federation_ids_in_scope(user))


# --- chambers ----------------------------------------------------------------------------------------
def chambers_in_scope(user):
    """The chambers a user sees, without their member counts (a choice list, a scope subquery)."""
    role = role_of(user)
    if role in FEDERATION_ROLES:
        return Chamber.objects.filter(federation_id__in=federation_ids_in_scope(user))
    if role == Role.CHAMBER:
        return Chamber.objects.filter(pk=user.chamber_id)
    raise PermissionDenied("您没有访问该功能的权限。")


def count_of(model, field, **filters):
    """The number of `model` rows whose `field` is the outer row, as a correlated subquery: computed for
    the rows a query reads (a list page's 20 rows, not every chamber of the federation then paginated),
    each one range of the index that starts with `field`, and dropped by `count()` (the paginator)."""
    rows = model.objects.filter(**{field: OuterRef("pk")}, **filters).order_by().values(field)
    return Coalesce(Subquery(rows.annotate(n=Count("*")).values("n")), 0, output_field=IntegerField())


def _chamber_memberships():
    return Chamber._meta.get_field("memberships").related_model  # members.ChamberMembership (a higher floor)


def chambers_visible_to(user):
    """The chambers a user sees, with `member_count` (active chamber members)."""
    return chambers_in_scope(user).select_related("street", "federation").annotate(
        member_count=count_of(_chamber_memberships(), "chamber", status="active"))


def chambers_editable_by(user):
    """Editors: every chamber of their federations. A chamber secretary: its own chamber (its profile
    only, see `services.CHAMBER_PROFILE_FIELDS`). Others: refused."""
    role = role_of(user)
    if role in EDITOR_ROLES:
        return Chamber.objects.filter(federation_id__in=federation_ids_in_scope(user))
    if role == Role.CHAMBER:
        return Chamber.objects.filter(pk=user.chamber_id)
    raise PermissionDenied("您没有修改该信息的权限。")


def chamber_list(user, *, filters=None):
    """The chamber list page: scope first, then the search form's filters (`q` in the name, `kind`,
    `status`, `missing="secretary"` for chambers without a 秘书长)."""
    filters = filters or {}
    qs = filtered(chambers_visible_to(user), filters, {"q": "name__icontains", "kind": "kind", "status": "status"})
    if filters.get("missing") == "secretary":
        qs = qs.filter(secretary_general="")
    return qs


def chamber_members(chamber, limit=20):
    """The chamber page's preview of its members: the latest `limit` active memberships (the whole list,
    every status, with its 新增/编辑, is `members:chamber_members`)."""
    return chamber.memberships.filter(status="active").select_related("enterprise").order_by("-joined", "-id")[:limit]


def chambers_missing_secretary(user):
    return chambers_visible_to(user).filter(secretary_general="", status=Chamber.Status.ACTIVE)


# --- committees, departments, streets, villages --------------------------------------------------------
def committees_visible_to(user):
    return _federation_scoped(Committee, user).select_related("federation")


def committees_editable_by(user):
    return _federation_scoped(Committee, user, EDITOR_ROLES)


def committee_positions(committee):
    """A committee's members: the positions that name it, current terms first."""
    return (committee.positions.select_related("person", "term", "term__chamber", "term__federation")
            .order_by("-term__start", title_rank(), "id"))


def departments_visible_to(user):
    role = role_of(user)
    if role in FEDERATION_ROLES:
        return Department.objects.filter(federation_id__in=federation_ids_in_scope(user))
    if role == Role.DEPARTMENT:
        return Department.objects.filter(pk=user.department_id)
    raise PermissionDenied("您没有访问该功能的权限。")


def departments_editable_by(user):
    return _federation_scoped(Department, user, EDITOR_ROLES)


def department_handlers(department):
    """The department's handlers (承办人): the active users of the department role in it."""
    return users_in_role(Role.DEPARTMENT, department_id=department.pk).order_by("display_name", "username")


def streets_in_scope(user):
    """The streets of the user's federations (the organisation's own street pages: federation roles)."""
    return _federation_scoped(Street, user).select_related("federation").annotate(
        chamber_count=count_of(Chamber, "street"),
        enterprise_count=count_of(Street._meta.get_field("enterprises").related_model, "street"))


def streets_editable_by(user):
    return _federation_scoped(Street, user, EDITOR_ROLES)


def street_list(user, *, filters=None):
    filters = filters or {}
    qs = streets_in_scope(user)
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__startswith=q))
    return qs


def villages_visible_to(user):
    return _federation_scoped(Village, user).select_related("federation")


def villages_editable_by(user):
    return _federation_scoped(Village, user, EDITOR_ROLES)


def village_list(user, *, filters=None):
    filters = filters or {}
    qs = filtered(villages_visible_to(user), filters, {"q": "name__icontains", "county": "county__icontains"})
    if filters.get("target") in ("yes", "no"):
        qs = qs.filter(is_target=filters["target"] == "yes")
    return qs


# --- terms and positions -------------------------------------------------------------------------------
def terms_visible_to(user):
    """Federation roles: the terms of their federations and of the chambers in them. A chamber
    secretary: its own chamber's terms."""
    role = role_of(user)
    if role in FEDERATION_ROLES:
        qs = Term.objects.filter(federation_id__in=federation_ids_in_scope(user))
    elif role == Role.CHAMBER:
        qs = Term.objects.filter(chamber_id=user.chamber_id)
    else:
        raise PermissionDenied("您没有访问该功能的权限。")
    return qs.select_related("federation", "chamber").annotate(position_count=Count("positions"))


def terms_editable_by(user):
    return _federation_scoped(Term, user, EDITOR_ROLES).select_related("federation", "chamber")


def term_list(user, *, filters=None):
    filters = filters or {}
    qs = terms_visible_to(user)
    if filters.get("owner") == "federation":
        qs = qs.filter(chamber__isnull=True)
    elif filters.get("owner") == "chamber":
        qs = qs.filter(chamber__isnull=False)
    return filtered(qs, filters, {"chamber": "chamber"})


def title_rank():
    """Positions by rank (主席, 副主席, 常委 … as `Position.Title` lists them), not by the code's spelling."""
    return Case(*[When(title=value, then=Value(i)) for i, value in enumerate(Position.Title.values)],
                default=Value(len(Position.Title.values)))


def term_positions(term):
    return term.positions.select_related("person", "committee").order_by(title_rank(), "committee__order", "start",
                                                                         "id")


def positions_editable_by(user):
    require_role(user, *EDITOR_ROLES)
    return Position.objects.filter(term__federation_id__in=federation_ids_in_scope(user)).select_related(
        "term", "term__federation", "term__chamber", "person", "committee")


def persons_for_positions(user, federation):
    """The persons a position may name: those of the term's federation, for an editor of it (the
    position form's person picker validates against it)."""
    require_role(user, *EDITOR_ROLES)
    if federation.pk not in federation_ids_in_scope(user):
        return Position.person.field.related_model.objects.none()
    return Position.person.field.related_model.objects.filter(federation=federation).order_by("name", "id")


def term_history(term, limit=50):
    """The term page's 变更记录: the term's own audit rows and those of its positions (each audit row of
    a position names its term in `detail["term"]`, so a deleted position's row is still found)."""
    return (AuditEvent.objects.filter(Q(object_type="orgs.term", object_id=str(term.pk))
                                      | Q(object_type="orgs.position", detail__term=term.pk),
                                      action__in=[AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE])
            .select_related("actor").order_by("-id")[:limit])
