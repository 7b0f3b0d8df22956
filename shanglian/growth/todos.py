"""The growth app's 待办: each links to a list of exactly the records it counts
(`workbench/tests/test_todo_links.py`). Sections are owned by the parts that count them."""

from shanglian.ui.todos import Todo, register  # noqa: F401


# --- prospects (发展会员) ---
@register
def prospects_due(user):
    """下一步已到期的发展对象: the keepers' (RECRUITER_ROLES) — prospects of their scope still followed by hand
    (线索/已联系/已走访) whose next step falls on or before today; the link is the list's 下一步已到期 filter."""
    from django.urls import reverse
    from django.utils import timezone

    from .selectors import prospects as prospect_selectors

    if not prospect_selectors.can_keep(user):
        return
    count = prospect_selectors.due_prospects(user, timezone.localdate()).count()
    if count:
        yield Todo("下一步已到期的发展对象", count, f"{reverse('growth:prospects')}?due=on", "warning")


# --- applications (入会申请) ---
@register
def applications_to_review(user):
    """待审核入会申请: the editors' — applications of their federations waiting for 批准入会 / 不予通过; the link is the
    list's 待审核 filter."""
    from django.urls import reverse

    from .models import MembershipApplication
    from .selectors.applications import applications_to_review as to_review

    count = to_review(user).count()
    if count:
        yield Todo("待审核入会申请", count,
                   f"{reverse('growth:applications')}?status={MembershipApplication.Status.SUBMITTED}", "warning")


# --- board (供需对接) ---
@register
def board_todos(user):
    """The desk's (editors): contact requests unanswered for more than a week (the platform routes the contact, so a
    request left pending is a match lost: nudge the poster) and posts past their 有效期至 still open (to close). Each
    link is the list filtered to exactly those rows (对接请求's 超过7天未处理, 供需对接's 已过期未关闭)."""
    from django.urls import reverse

    from shanglian.accounts.roles import EDITOR_ROLES, role_of

    from .selectors import board as board_selectors

    if role_of(user) not in EDITOR_ROLES:
        return
    stale = board_selectors.stale_requests(user).count()
    if stale:
        yield Todo(f"超过{board_selectors.STALE_DAYS}天未处理的对接请求", stale, f"{reverse('growth:contacts')}?stale=on",
                   "warning")
    expired = board_selectors.expired_open_posts(user).count()
    if expired:
        yield Todo("已过期未关闭的供需信息", expired, f"{reverse('growth:posts')}?status=expired", "info")
