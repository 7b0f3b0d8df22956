"""Scoped reads of the published lists (榜单) and of the rankings behind them.

Who sees what (`scopes`): every published list of its federations to the federation's roles and to a chamber
secretary (a published list is public); the ranking before publication to the federation's roles only (editors
publish, leaders read); nobody else (403). Every read starts from `scopes.lists_visible_to` /
`scopes.programmes_visible_to`.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from shanglian.accounts.roles import EDITOR_ROLES, FEDERATION_ROLES, role_of
from shanglian.common.selectors import filtered
from shanglian.orgs.selectors import count_of

from ..models import HonourList, HonourListEntry, Nomination, Programme
from .programmes import categories_visible_to
from .scopes import lists_visible_to, nominations_visible_to, programmes_visible_to

CURRENT, SUPERSEDED = "current", "superseded"
STATES = {CURRENT: ("现行版本", Q(superseded_at__isnull=True)), SUPERSEDED: ("已被更正", Q(superseded_at__isnull=False))}
RANKING_REFUSAL = "只有工商联工作人员和领导可以查看评审排名。"


def lists_with_counts(user):
    """The lists the user reads, with their programme and `entry_count`."""
    return (lists_visible_to(user).select_related("category__programme", "published_by")
            .annotate(entry_count=count_of(HonourListEntry, "honour_list")))


def list_search(user, *, filters=None):
    """The list page, its export and the figures' links: the scope, then the search form's filters — `q` (a word
    of the list's name or of an enterprise on it), `year`, `programme`, `category` (ids) and `state` (STATES)."""
    filters = filters or {}
    qs = lists_with_counts(user)
    q = (filters.get("q") or "").strip()
    if q:
        on_list = HonourListEntry.objects.filter(enterprise_name__icontains=q).values("honour_list_id")
        qs = qs.filter(Q(category__name__icontains=q) | Q(category__programme__name__icontains=q) | Q(pk__in=on_list))
    qs = filtered(qs, filters, {"year": "category__programme__year", "programme": "category__programme_id",
                                "category": "category_id"})
    if filters.get("state") in STATES:
        qs = qs.filter(STATES[filters["state"]][1])
    return qs


def list_programmes(user):
    """The programmes the list's filter offers: those of the scope that published a list."""
    published = HonourList.objects.values("category__programme_id")
    return programmes_visible_to(user).filter(pk__in=published).order_by("-year", "name", "id")


def list_categories(user):
    """The categories the list's filter offers: those of the scope with a published list."""
    return (categories_visible_to(user).filter(pk__in=HonourList.objects.values("category_id"))
            .order_by("-programme__year", "programme__name", "order", "id"))


def entries_of(honour_list):
    return honour_list.entries.select_related("enterprise").order_by("rank", "id")


def entries_of_lists(list_ids):
    """The entries of several lists (the export), list by list as the export orders them, then by rank."""
    return (HonourListEntry.objects.filter(honour_list_id__in=list_ids)
            .select_related("honour_list__category__programme", "enterprise")
            .order_by("-honour_list__category__programme__year", "honour_list__category__programme_id",
                      "honour_list__category__order", "honour_list__category_id", "-honour_list__version",
                      "rank", "id"))


def versions_of(honour_list):
    """Every version of the list's category, the first first (each with its reason and who published it)."""
    return (HonourList.objects.filter(category_id=honour_list.category_id).select_related("published_by")
            .annotate(entry_count=count_of(HonourListEntry, "honour_list")).order_by("version"))


def current_version(honour_list):
    """The category's current version (the list itself when it is current)."""
    if honour_list.is_current:
        return honour_list
    return HonourList.objects.filter(category_id=honour_list.category_id, superseded_at__isnull=True).first()


# --- the ranking before publication --------------------------------------------------------------------------
def ranking_categories(user):
    """The categories whose ranking the user may read: the federation's roles, within their programmes."""
    if role_of(user) not in FEDERATION_ROLES:
        raise PermissionDenied(RANKING_REFUSAL)
    return categories_visible_to(user)


def publishable_by(user):
    """The categories whose list the user may publish (the editors'); the service checks the state again."""
    if role_of(user) not in EDITOR_ROLES:
        raise PermissionDenied("只有工商联工作人员可以发布榜单。")
    return ranking_categories(user)


def lists_correctable_by(user):
    if role_of(user) not in EDITOR_ROLES:
        raise PermissionDenied("只有工商联工作人员可以更正榜单。")
    return lists_visible_to(user).select_related("category__programme")


# --- an enterprise's honours (its 360° page) ------------------------------------------------------------------
def enterprise_honours(user, enterprise):
    """The entries of the enterprise on every current published list the user reads, the latest year first."""
    current = lists_visible_to(user).filter(superseded_at__isnull=True).values("pk")
    return (HonourListEntry.objects.filter(enterprise=enterprise, honour_list__in=current)
            .select_related("honour_list__category__programme")
            .order_by("-honour_list__category__programme__year", "honour_list__category__order", "id"))


OPEN_PROGRAMMES = (Programme.Status.NOMINATING, Programme.Status.SCORING)


def open_nominations(user, enterprise):
    """The enterprise's nominations still to be decided: not withdrawn, in a programme taking nominations or being
    judged, in a category without a current list."""
    published = HonourList.objects.filter(superseded_at__isnull=True).values("category_id")
    return (nominations_visible_to(user)
            .filter(enterprise=enterprise, category__programme__status__in=OPEN_PROGRAMMES)
            .exclude(status=Nomination.Status.WITHDRAWN).exclude(category_id__in=published)
            .order_by("-category__programme__year", "category__order", "id"))
