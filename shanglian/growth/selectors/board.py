"""Reads of the supply–demand board (供需对接): the lists, the matching, what a reader may see of a poster's contact,
the contact requests of a post, the outcomes, the events a post may be linked to and the board's 待办.

Every read starts from the scopes (`selectors.scopes`: `posts_visible_to`, `contact_requests_visible_to`,
`outcomes_visible_to`).

Matching (`matches`): open, unexpired posts of the same federation, of another enterprise, whose category is
complementary — 采购需求 ↔ 产品供应; 项目合作/融资需求/用工需求/技术需求 with a post of the same category or with an offer
(产品供应), and so 产品供应 with each of them (the relation is symmetric) — and that share the GB/T 4754 大类
(`common.industry.industry_division`: the 2-digit division of either post's industry code) or a keyword. Ranked by
the shared 大类 first, then by the number of shared keywords, then the newest.

Consent (`poster_contact`): the poster's contact name and mobile (the enterprise's registered contact) are shown to
another enterprise only once the poster accepted a request of that enterprise on that post; never on a list, never
to a chamber, never before acceptance.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.utils import timezone

from shanglian.accounts.roles import EDITOR_ROLES, FEDERATION_ROLES, Role, require_role, role_of
from shanglian.common.industry import industry_division
from shanglian.common.selectors import filtered
from shanglian.events.selectors import events_visible_to
from shanglian.members.selectors import enterprises_visible_to
from shanglian.orgs.selectors import count_of, federation_ids_in_scope

from ..models import ContactRequest, MatchOutcome, Post
from .scopes import contact_requests_visible_to, member_federation_ids, outcomes_visible_to, posts_visible_to

C = Post.Category
R = ContactRequest.Status

# The event kinds a post or an outcome may be linked to: 企业对接洽谈会, 融资推介会 (this app's migration 0002), 推介会 and
# 招聘会 (the events app's).
MATCHMAKING_KINDS = ("matchmaking", "financing", "promotion", "job_fair")
MAX_KEYWORDS = 10
KEYWORD_SPLIT = re.compile(r"[\s,，、;；/|]+")
MATCH_LIMIT = 20
CANDIDATE_LIMIT = 500
STALE_DAYS = 7  # a contact request unanswered this long is the desk's 待办

OFFER = {C.SUPPLY}
COMPLEMENTS = {
    C.PURCHASE: {C.SUPPLY},
    C.SUPPLY: {C.PURCHASE, C.COOPERATION, C.FINANCING, C.HIRING, C.TECHNOLOGY},
    C.COOPERATION: {C.COOPERATION, C.SUPPLY},
    C.FINANCING: {C.FINANCING, C.SUPPLY},
    C.HIRING: {C.HIRING, C.SUPPLY},
    C.TECHNOLOGY: {C.TECHNOLOGY, C.SUPPLY},
}

STATUS_FILTERS = {"open": "对接中", "expired": "已过期未关闭", "closed": "已关闭"}


def split_keywords(text):
    """The keywords of a post as typed (spaces, commas, 顿号 …), lower-cased, without repeats, at most ten."""
    seen = []
    for word in KEYWORD_SPLIT.split((text or "").strip()):
        word = word.strip().lower()
        if word and word not in seen:
            seen.append(word)
    return seen[:MAX_KEYWORDS]


def is_editor(user):
    return role_of(user) in EDITOR_ROLES


def live_q(on=None, prefix=""):
    """An open post not past its 有效期至."""
    on = on or timezone.localdate()
    return Q(**{f"{prefix}status": Post.Status.OPEN, f"{prefix}valid_until__gte": on})


def is_live(post, on=None):
    return post.status == Post.Status.OPEN and post.valid_until >= (on or timezone.localdate())


def posting_federation_id(enterprise):
    """The federation an enterprise posts to: its own federation while a member in force there, else the first
    federation it is a member in force of; None for a non-member (who may not post)."""
    federations = member_federation_ids(enterprise.pk)
    if enterprise.federation_id in federations:
        return enterprise.federation_id
    return federations[0] if federations else None


def can_post(user):
    """An enterprise member in force posts for itself; an editor on behalf of an enterprise of its federations."""
    role = role_of(user)
    if role in EDITOR_ROLES:
        return True
    return role == Role.ENTERPRISE and bool(user.enterprise_id) and posting_federation_id(user.enterprise) is not None


# --- lists -----------------------------------------------------------------------------------------------------------
def post_list(user, *, filters=None):
    """The board as a list: the scope, then the search form's filters (q: number, title, content, keywords or the
    enterprise's name; category; status 对接中/已过期未关闭/已关闭; the 大类 of the industry; the enterprise)."""
    filters = filters or {}
    qs = filtered(posts_visible_to(user), filters, {"category": "category", "enterprise": "enterprise_id",
                                                    "industry_division": "industry__code__startswith"})
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(number__iexact=q) | Q(title__icontains=q) | Q(body__icontains=q)
                       | Q(keywords__icontains=q) | Q(enterprise__name__icontains=q))
    today = timezone.localdate()
    status = filters.get("status")
    if status == "open":
        qs = qs.filter(live_q(today))
    elif status == "expired":
        qs = qs.filter(status=Post.Status.OPEN, valid_until__lt=today)
    elif status == "closed":
        qs = qs.filter(status=Post.Status.CLOSED)
    if filters.get("event"):
        qs = qs.filter(events=filters["event"])
    return qs.annotate(requests=count_of(ContactRequest, "post"))


def board_posts(user, *, category="", q=""):
    """The enterprise's phone board: the live posts of others in its federations (newest first)."""
    qs = posts_visible_to(user).filter(live_q()).exclude(enterprise_id=user.enterprise_id)
    if category:
        qs = qs.filter(category=category)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(body__icontains=q) | Q(keywords__icontains=q)
                       | Q(enterprise__name__icontains=q))
    return qs.order_by("-created_at", "-id")


def own_posts(user):
    """The posts of the user's enterprise (every status), newest first, with their pending requests counted."""
    if role_of(user) != Role.ENTERPRISE or not user.enterprise_id:
        raise PermissionDenied("仅企业用户可以查看本企业发布的供需信息。")
    return (posts_visible_to(user).filter(enterprise_id=user.enterprise_id)
            .annotate(pending=count_of(ContactRequest, "post", status=R.PENDING))
            .order_by("-created_at", "-id"))


def posts_editable_by(user):
    """编辑 a post: the editors every post of their federations; an enterprise its own open posts. 403 otherwise."""
    role = role_of(user)
    if role in EDITOR_ROLES:
        return posts_visible_to(user)
    if role == Role.ENTERPRISE and user.enterprise_id:
        return posts_visible_to(user).filter(enterprise_id=user.enterprise_id, status=Post.Status.OPEN)
    raise PermissionDenied("您没有修改供需信息的权限。")


def posting_enterprises(user):
    """The enterprises an editor may post for: those of its federations (the registry's scope)."""
    require_role(user, *EDITOR_ROLES)
    return enterprises_visible_to(user).filter(federation_id__in=federation_ids_in_scope(user))


def matchmaking_events(user):
    """The events a post or an outcome may be linked to: the matchmaking kinds, of the editor's federations."""
    require_role(user, *EDITOR_ROLES)
    return (events_visible_to(user).filter(kind__code__in=MATCHMAKING_KINDS)
            .exclude(status="cancelled").order_by("-starts_at", "-id"))


# --- matching --------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Match:
    post: Post
    same_division: bool
    keywords: tuple

    @property
    def reasons(self):
        found = ["同属行业大类"] if self.same_division else []
        if self.keywords:
            found.append("共同关键词：" + "、".join(self.keywords))
        return "；".join(found)


def matches(user, post, *, limit=MATCH_LIMIT):
    """The posts that match `post` (see the module's docstring), of what `user` may see, best first."""
    categories = COMPLEMENTS.get(post.category, set())
    division = industry_division(post.industry_id)
    words = split_keywords(post.keywords)
    if not categories or (division is None and not words):
        return []
    near = Q()
    if division:
        near |= Q(industry__code__startswith=division)
    for word in words:
        near |= Q(keywords__icontains=word)
    candidates = (posts_visible_to(user).filter(live_q(), near, federation_id=post.federation_id,
                                                category__in=categories)
                  .exclude(enterprise_id=post.enterprise_id).order_by("-created_at", "-id")[:CANDIDATE_LIMIT])
    found = []
    for other in candidates:
        same = division is not None and industry_division(other.industry_id) == division
        shared = tuple(word for word in split_keywords(other.keywords) if word in words)
        if same or shared:
            found.append(Match(other, same, shared))
    found.sort(key=lambda m: (not m.same_division, -len(m.keywords), -m.post.created_at.timestamp(), -m.post.pk))
    return found[:limit]


# --- contact requests and consent -----------------------------------------------------------------------------------
def _contact_of(enterprise):
    return {"name": enterprise.contact_name or "—", "mobile": enterprise.contact_mobile or "—",
            "enterprise": enterprise.name}


def poster_contact(user, post):
    """The poster's contact (name, mobile) as `user` may see it: the poster itself, or an enterprise whose request
    on this post the poster accepted. None for everybody else — a pending, declined or withdrawn request shows
    nothing, nor does a list."""
    if role_of(user) != Role.ENTERPRISE or not user.enterprise_id:
        return None
    if post.enterprise_id != user.enterprise_id and not ContactRequest.objects.filter(
            post_id=post.pk, requester_id=user.enterprise_id, status=R.ACCEPTED).exists():
        return None
    return _contact_of(post.enterprise)


def consented_contacts(request):
    """What each side of one request sees of the other: None until the poster accepted; then the poster's contact
    for the requester and the requester's (the person who asked, the enterprise's mobile) for the poster."""
    if request.status != R.ACCEPTED:
        return None
    requester = request.requester
    return {"poster": _contact_of(request.post.enterprise),
            "requester": {"name": request.requested_by.display_name or requester.contact_name or "—",
                          "mobile": requester.contact_mobile or "—", "enterprise": requester.name}}


def my_request(user, post):
    """The user's enterprise's latest request on the post (any status), or None."""
    if role_of(user) != Role.ENTERPRISE or not user.enterprise_id:
        return None
    return (ContactRequest.objects.filter(post_id=post.pk, requester_id=user.enterprise_id)
            .order_by("-created_at", "-id").first())


def requests_of_post(user, post):
    """The requests on a post: every one for the federation's roles and the poster; the requester's own for the
    requesting enterprise; none for a chamber."""
    role = role_of(user)
    if role not in FEDERATION_ROLES and role != Role.ENTERPRISE:
        return ContactRequest.objects.none()
    return (contact_requests_visible_to(user).filter(post_id=post.pk)
            .select_related("requester", "requested_by").order_by("-created_at", "-id"))


def contact_list(user, *, filters=None):
    """The desk's list of contact requests (the federation's roles): status, 超过7天未处理, a word."""
    if role_of(user) not in FEDERATION_ROLES:
        raise PermissionDenied("您没有查看对接请求的权限。")
    filters = filters or {}
    qs = filtered(contact_requests_visible_to(user), filters, {"status": "status"})
    if filters.get("stale"):
        qs = qs.filter(stale_q())
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(post__number__iexact=q) | Q(post__title__icontains=q) | Q(requester__name__icontains=q)
                       | Q(post__enterprise__name__icontains=q))
    return qs


def stale_q(now=None):
    now = now or timezone.now()
    return Q(status=R.PENDING, created_at__lt=now - timedelta(days=STALE_DAYS))


def received_requests(user):
    """Requests made on the posts of the user's enterprise (pending first), for its phone."""
    return (contact_requests_visible_to(user).filter(post__enterprise_id=user.enterprise_id)
            .order_by("-created_at", "-id"))


def sent_requests(user):
    return (contact_requests_visible_to(user).filter(requester_id=user.enterprise_id)
            .order_by("-created_at", "-id"))


def pending_received_count(user):
    if role_of(user) != Role.ENTERPRISE or not user.enterprise_id:
        return 0
    return ContactRequest.objects.filter(post__enterprise_id=user.enterprise_id, status=R.PENDING).count()


# --- 待办 -------------------------------------------------------------------------------------------------------------
def stale_requests(user):
    """The desk's: requests unanswered for more than STALE_DAYS days on its federations' posts."""
    return contact_list(user, filters={"stale": True})


def expired_open_posts(user):
    """The desk's: posts past 有效期至 and not yet closed."""
    return post_list(user, filters={"status": "expired"})


# --- outcomes --------------------------------------------------------------------------------------------------------
def outcome_list(user, *, filters=None):
    filters = filters or {}
    qs = filtered(outcomes_visible_to(user), filters, {"kind": "kind", "event": "event_id", "post": "post_id"})
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(enterprise__name__icontains=q) | Q(partner__name__icontains=q)
                       | Q(partner_name__icontains=q) | Q(note__icontains=q) | Q(post__number__iexact=q))
    if filters.get("start"):
        qs = qs.filter(reached_on__gte=filters["start"])
    if filters.get("end"):
        qs = qs.filter(reached_on__lte=filters["end"])
    return qs


def outcomes_editable_by(user):
    require_role(user, *EDITOR_ROLES)
    return outcomes_visible_to(user)


def outcome_totals(queryset):
    """The outcomes counted: deals and financing (number, amount in yuan), hirings and the jobs filled."""
    sums = queryset.order_by().aggregate(
        deals=Count("id", filter=Q(kind=MatchOutcome.Kind.DEAL)),
        deal_amount=Sum("amount", filter=Q(kind=MatchOutcome.Kind.DEAL)),
        financings=Count("id", filter=Q(kind=MatchOutcome.Kind.FINANCING)),
        financing_amount=Sum("amount", filter=Q(kind=MatchOutcome.Kind.FINANCING)),
        hirings=Count("id", filter=Q(kind=MatchOutcome.Kind.HIRING)),
        jobs=Sum("jobs", filter=Q(kind=MatchOutcome.Kind.HIRING)))
    return sums


def post_outcomes(user, post):
    """The outcomes recorded on a post, of what the user may see (a chamber: its members'; an enterprise: none)."""
    if role_of(user) not in FEDERATION_ROLES and role_of(user) != Role.CHAMBER:
        return MatchOutcome.objects.none()
    return outcomes_visible_to(user).filter(post_id=post.pk).order_by("-reached_on", "-id")
