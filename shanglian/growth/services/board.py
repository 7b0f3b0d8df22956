"""Writes of the supply–demand board (供需对接): posts, their closing, contact requests and the poster's consent.

Each takes the acting user first, checks the role and the scope, locks the row it changes, writes and audits in one
transaction and tells the people concerned (`notifications.notify`). Bad input is a `ValidationError` keyed by the
form's field (Chinese), a rule of the domain a `Refused`, a role that may not act `PermissionDenied`; in every case
nothing is written.

- 发布 (`save_post`): an enterprise member in force for itself (its phone), an editor on behalf of an enterprise of
  its federations (the back office, which may also link the post to matchmaking events). A post needs a category
  (采购/供应/合作/融资/用工/技术), a title, its content and a 有效期至 not in the past.
- 关闭 (`close_post`, POST_FLOW): the poster's enterprise or an editor, with a reason.
- 对接请求 (`request_contact`): another member enterprise in force of the post's federation, on a live post, one live
  request per post and enterprise; the poster is told. The poster's contact is NOT given: see `accept_contact`.
- 同意/婉拒 (`accept_contact`, `decline_contact`, CONTACT_FLOW): the poster's enterprise only; the requester is told,
  and only after 同意 sees the poster's contact (`selectors.board.poster_contact`). 撤回 (`withdraw_contact`): the
  requester's enterprise, while pending.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from shanglian.accounts.roles import EDITOR_ROLES, Role, role_of
from shanglian.accounts.selectors import users_in_role
from shanglian.audit.models import AuditAction
from shanglian.audit.services import record
from shanglian.common.errors import Refused
from shanglian.common.numbering import daily_number
from shanglian.common.records import changes, record_saved, snapshot
from shanglian.notifications.services import notify

from ..models import ContactRequest, Post
from ..selectors import board as selectors
from ..selectors.scopes import member_federation_ids
from ..workflow import CONTACT_FLOW, POST_FLOW

NO_CATEGORY = "请选择供需类别（采购、供应、合作、融资、用工或技术）。"
NO_TITLE = "请填写标题。"
NO_BODY = "请填写供需内容。"
NO_VALID_UNTIL = "请填写有效期至。"
PAST_VALID_UNTIL = "有效期至不能早于今天。"
TOO_MANY_KEYWORDS = f"关键词最多{selectors.MAX_KEYWORDS}个。"
NOT_A_MEMBER = "仅在册会员企业可以使用供需对接，请先申请入会。"
OUT_OF_SCOPE = "所选企业不存在或不在您的管理范围内。"
EVENT_OUT_OF_SCOPE = "所选对接活动不存在、不在您的管理范围内或不是对接类活动。"
NO_REASON = "请填写关闭原因。"
NO_MESSAGE = "请填写留言，说明对接意向。"
OWN_POST = "不能对本企业发布的供需信息发起对接请求。"
NOT_LIVE = "该供需信息已关闭或已过期，不能再发起对接请求。"
ALREADY_ASKED = "已向该信息发出过对接请求，请等待对方处理。"
NOT_POSTER = "只有发布企业可以同意或婉拒对接请求。"
NOT_REQUESTER = "只有发出请求的企业可以撤回对接请求。"


def _enterprise_users(enterprise_id):
    return list(users_in_role(Role.ENTERPRISE, enterprise_id=enterprise_id))


def _audit_transition(actor, obj, action, before_status, before):
    record(AuditAction.UPDATE, actor=actor, obj=obj, detail={
        "transition": action, "from": before_status, "to": obj.status,
        "changes": changes(type(obj), before, snapshot(obj))})


# --- posts ------------------------------------------------------------------------------------------------------------
def post_errors(*, category, title, body, valid_until, keywords, today=None):
    """The rules of a post's own values as {field: message} (empty when they pass)."""
    today = today or timezone.localdate()
    errors = {}
    if category not in Post.Category.values:
        errors["category"] = NO_CATEGORY
    if not (title or "").strip():
        errors["title"] = NO_TITLE
    if not (body or "").strip():
        errors["body"] = NO_BODY
    if valid_until is None:
        errors["valid_until"] = NO_VALID_UNTIL
    elif valid_until < today:
        errors["valid_until"] = PAST_VALID_UNTIL
    if len(selectors.KEYWORD_SPLIT.split((keywords or "").strip())) > selectors.MAX_KEYWORDS:
        errors["keywords"] = TOO_MANY_KEYWORDS
    return errors


def _poster(actor, enterprise):
    """(enterprise, federation id) the actor posts for, or PermissionDenied / ValidationError."""
    role = role_of(actor)
    if role == Role.ENTERPRISE:
        if not actor.enterprise_id:
            raise PermissionDenied(NOT_A_MEMBER)
        own = actor.enterprise
        federation_id = selectors.posting_federation_id(own)
        if federation_id is None:
            raise Refused(NOT_A_MEMBER, code="not_a_member")
        return own, federation_id
    if role in EDITOR_ROLES:
        if enterprise is None or not selectors.posting_enterprises(actor).filter(pk=enterprise.pk).exists():
            raise ValidationError({"enterprise": OUT_OF_SCOPE if enterprise is not None else "请选择发布企业。"})
        return enterprise, enterprise.federation_id
    raise PermissionDenied("您没有发布供需信息的权限。")


def _checked_events(actor, federation_id, events):
    if events is None:
        return None
    events = list(events)
    allowed = set(selectors.matchmaking_events(actor).filter(federation_id=federation_id)
                  .values_list("pk", flat=True))
    if any(event.pk not in allowed for event in events):
        raise ValidationError({"events": EVENT_OUT_OF_SCOPE})
    return events


def save_post(*, actor, post=None, category, title, body, valid_until, enterprise=None, industry=None, keywords="",
              amount=None, headcount=None, events=None):
    """发布 (`post` None) or edit a post; returns it. An enterprise posts for itself (`enterprise` is ignored);
    `events` (editors only) replaces the matchmaking events the post is linked to."""
    role = role_of(actor)
    if post is not None:
        editable = selectors.posts_editable_by(actor)  # 403 for a reader
        if not editable.filter(pk=post.pk).exists():
            raise PermissionDenied("您没有修改该供需信息的权限。")
        enterprise, federation_id = post.enterprise, post.federation_id
    else:
        enterprise, federation_id = _poster(actor, enterprise)
    errors = post_errors(category=category, title=title, body=body, valid_until=valid_until, keywords=keywords)
    if errors:
        raise ValidationError(errors)
    events = _checked_events(actor, federation_id, events) if role in EDITOR_ROLES else None
    with transaction.atomic():
        before = None
        if post is not None:
            current = Post.objects.select_for_update().get(pk=post.pk)
            if current.status != Post.Status.OPEN:
                raise Refused("已关闭的供需信息不能再修改。", code="closed")
            before = snapshot(current)
        else:
            current = Post(federation_id=federation_id, enterprise=enterprise, posted_by=actor,
                           number=daily_number("GX"))
        current.category, current.title, current.body = category, title.strip(), body.strip()
        current.industry = industry if industry is not None else (current.industry if post else enterprise.industry)
        current.keywords = " ".join(selectors.split_keywords(keywords))
        current.amount, current.headcount, current.valid_until = amount, headcount, valid_until
        current.save()
        if events is not None:
            current.events.set(events)
        record_saved(actor=actor, obj=current, before=before,
                     detail={"on_behalf": role in EDITOR_ROLES, "enterprise": enterprise.name})
    return current


def close_post(*, actor, post, reason):
    """关闭 a post (its enterprise or an editor of its federation), with a reason."""
    role = role_of(actor)
    POST_FLOW.require_role("close_post", role)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": NO_REASON})
    with transaction.atomic():
        scope = selectors.posts_editable_by(actor) if role in EDITOR_ROLES else \
            Post.objects.filter(enterprise_id=actor.enterprise_id or 0)
        current = scope.select_related(None).select_for_update(of=("self",)).filter(pk=post.pk).first()
        if current is None:
            raise PermissionDenied("您没有关闭该供需信息的权限。")
        POST_FLOW.require_state("close_post", current, role=role)
        before, status = snapshot(current), current.status
        current.status, current.closed_reason = POST_FLOW.target("close_post"), reason[:200]
        current.save(update_fields=["status", "closed_reason", "updated_at"])
        _audit_transition(actor, current, "close_post", status, before)
        pending = list(current.contact_requests.filter(status=ContactRequest.Status.PENDING)
                       .values_list("requester_id", flat=True))
        for requester_id in pending:
            notify(_enterprise_users(requester_id), kind="growth_post_closed",
                   title=f"您请求对接的供需信息“{current.title}”已关闭",
                   body=f"关闭原因：{current.closed_reason}", url=reverse("growth:h5_contacts"))
    return current


# --- contact requests -------------------------------------------------------------------------------------------------
def request_contact(*, actor, post, message):
    """对接请求: another member enterprise asks for a live post's contact; the poster is told. Returns the request."""
    if role_of(actor) != Role.ENTERPRISE or not actor.enterprise_id:
        raise PermissionDenied("仅企业用户可以发起对接请求。")
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": NO_MESSAGE})
    if post.enterprise_id == actor.enterprise_id:
        raise Refused(OWN_POST, code="own_post")
    if post.federation_id not in member_federation_ids(actor.enterprise_id):
        raise Refused(NOT_A_MEMBER, code="not_a_member")
    with transaction.atomic():
        current = Post.objects.select_for_update().filter(pk=post.pk).first()
        if current is None or not selectors.is_live(current):
            raise Refused(NOT_LIVE, code="not_live")
        if ContactRequest.objects.filter(post=current, requester_id=actor.enterprise_id,
                                         status__in=[ContactRequest.Status.PENDING,
                                                     ContactRequest.Status.ACCEPTED]).exists():
            raise Refused(ALREADY_ASKED, code="already_asked")
        try:
            with transaction.atomic():
                request = ContactRequest.objects.create(post=current, requester_id=actor.enterprise_id,
                                                        requested_by=actor, message=message[:300])
        except IntegrityError:
            raise Refused(ALREADY_ASKED, code="already_asked") from None
        record_saved(actor=actor, obj=request)
        notify(_enterprise_users(current.enterprise_id), kind="growth_contact_request",
               title=f"{actor.enterprise.name}希望与您对接“{current.title}”",
               body=f"留言：{request.message}。同意后对方才能看到您的联系人和联系电话。",
               url=reverse("growth:h5_post", args=[current.pk]))
    return request


def _locked_request(contact_request):
    current = (ContactRequest.objects.select_for_update().select_related("post", "requester")
               .filter(pk=contact_request.pk).first())
    if current is None:
        raise PermissionDenied("对接请求不存在。")
    return current


def _decide(actor, contact_request, action):
    role = role_of(actor)
    CONTACT_FLOW.require_role(action, role)
    with transaction.atomic():
        current = _locked_request(contact_request)
        if not actor.enterprise_id or current.post.enterprise_id != actor.enterprise_id:
            raise PermissionDenied(NOT_POSTER)
        CONTACT_FLOW.require_state(action, current, role=role)
        before, status = snapshot(current), current.status
        current.status, current.decided_at = CONTACT_FLOW.target(action), timezone.now()
        current.save(update_fields=["status", "decided_at"])
        _audit_transition(actor, current, action, status, before)
        post = current.post
        if action == "accept_contact":
            title = f"{post.enterprise.name}已同意与您对接“{post.title}”"
            body = "您现在可以查看对方的联系人和联系电话。"
        else:
            title = f"{post.enterprise.name}婉拒了您对“{post.title}”的对接请求"
            body = "您可以继续浏览其他供需信息。"
        notify(_enterprise_users(current.requester_id), kind="growth_contact_decided", title=title, body=body,
               url=reverse("growth:h5_post", args=[post.pk]))
    return current


def accept_contact(*, actor, contact_request):
    """同意对接: the poster consents; from now on the requester sees the poster's contact."""
    return _decide(actor, contact_request, "accept_contact")


def decline_contact(*, actor, contact_request):
    """婉拒: the poster declines; the requester never sees the contact."""
    return _decide(actor, contact_request, "decline_contact")


def withdraw_contact(*, actor, contact_request):
    """撤回: the requester takes back its pending request; the poster is told."""
    role = role_of(actor)
    CONTACT_FLOW.require_role("withdraw_contact", role)
    with transaction.atomic():
        current = _locked_request(contact_request)
        if not actor.enterprise_id or current.requester_id != actor.enterprise_id:
            raise PermissionDenied(NOT_REQUESTER)
        CONTACT_FLOW.require_state("withdraw_contact", current, role=role)
        before, status = snapshot(current), current.status
        current.status, current.decided_at = CONTACT_FLOW.target("withdraw_contact"), timezone.now()
        current.save(update_fields=["status", "decided_at"])
        _audit_transition(actor, current, "withdraw_contact", status, before)
        notify(_enterprise_users(current.post.enterprise_id), kind="growth_contact_withdrawn",
               title=f"{current.requester.name}撤回了对“{current.post.title}”的对接请求",
               url=reverse("growth:h5_post", args=[current.post_id]))
    return current


__all__ = ["accept_contact", "close_post", "decline_contact", "post_errors", "request_contact", "save_post",
           "withdraw_contact"]
