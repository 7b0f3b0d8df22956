"""Scoped reads of award programmes (评选活动), their categories (榜单 with criteria) and their panels (评审委员).

Every read starts from `scopes.programmes_visible_to(user)`: the federation's roles read every programme of their
federations, a chamber secretary those of its federation; other roles are refused (403). The editors (sysadmin,
staff) keep programmes, categories, criteria and judges (`*_editable_by`: 403 for a reader, the same scope).
"""

from django.core.exceptions import PermissionDenied

from shanglian.accounts.roles import EDITOR_ROLES, JUDGE_ROLES, role_of
from shanglian.accounts.selectors import users_in_role
from shanglian.orgs.selectors import count_of

from ..models import Category, Criterion, HonourList, Judge, Nomination, Programme, Score
from .scopes import programmes_visible_to

EDITOR_REFUSAL = "只有工商联工作人员可以维护评选活动。"
# Before 评审中 a category and its criteria may change (nobody has scored yet).
CATEGORY_EDITABLE_STATES = (Programme.Status.DRAFT, Programme.Status.NOMINATING)


def require_programme_editor(user):
    if role_of(user) not in EDITOR_ROLES:
        raise PermissionDenied(EDITOR_REFUSAL)


def programmes_editable_by(user):
    require_programme_editor(user)
    return programmes_visible_to(user)


def programme_list(user, *, filters=None):
    """The list page: the scope, then `q` (a word of the name), `year` and `status`; each row with its number of
    categories and of nominations (correlated counts, computed for the rows shown)."""
    filters = filters or {}
    qs = programmes_visible_to(user).select_related("federation").annotate(
        category_count=count_of(Category, "programme"),
        nomination_count=count_of(Nomination, "category__programme", status=Nomination.Status.NOMINATED))
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(name__icontains=q)
    if filters.get("year"):
        qs = qs.filter(year=filters["year"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    return qs


def categories_visible_to(user):
    return Category.objects.select_related("programme__federation").filter(
        programme__in=programmes_visible_to(user).values("pk"))


def categories_editable_by(user):
    require_programme_editor(user)
    return categories_visible_to(user)


def judges_editable_by(user):
    require_programme_editor(user)
    return Judge.objects.select_related("programme", "user", "person").filter(
        programme__in=programmes_visible_to(user).values("pk"))


def programme_categories(programme):
    """The programme's categories in order, each with its criteria prefetched and its number of nominations in
    force (`nomination_count`)."""
    return (programme.categories.order_by("order", "id").prefetch_related("criteria")
            .annotate(nomination_count=count_of(Nomination, "category", status=Nomination.Status.NOMINATED)))


def category_criteria(category):
    return list(Criterion.objects.filter(category=category).order_by("order", "id"))


def programme_judges(programme):
    """The panel, each judge with the number of scores given (`score_count`: a judge who has scored stays)."""
    return (programme.judges.select_related("user", "person").order_by("id")
            .annotate(score_count=count_of(Score, "judge")))


def judge_candidates(programme):
    """The users who may join the panel: active staff and leaders of the programme's federation, not on it yet."""
    users = None
    for role in sorted(JUDGE_ROLES):
        found = users_in_role(role, federation_id=programme.federation_id)
        users = found if users is None else users | found
    return users.exclude(pk__in=programme.judges.values("user_id")).distinct().order_by("display_name", "username")


def has_current_list(category):
    """Whether the category has a published list in force (not superseded)."""
    return category.lists.filter(superseded_at__isnull=True).exists()


def categories_without_current_list(programme):
    """The categories of the programme with no published list in force (a programme cannot close with any)."""
    current = HonourList.objects.filter(category__programme=programme, superseded_at__isnull=True)
    return programme.categories.exclude(pk__in=current.values("category_id")).order_by("order", "id")
