"""The communications app's 待办: each links to a list of exactly the records it counts
(`workbench/tests/test_todo_links.py`). Sections are owned by the parts that count them."""

from shanglian.ui.todos import Todo, register  # noqa: F401


# --- notices (通知公告) ---
@register
def notice_drafts(user):
    """待发送的通知: the drafts the sender keeps (an editor its federation's, a chamber secretary its chamber's)."""
    from django.urls import reverse

    from shanglian.accounts.roles import SENDER_ROLES, Role, role_of

    from .models import Notice
    from .selectors.notices import notices_kept_by

    if role_of(user) not in SENDER_ROLES:
        return
    count = notices_kept_by(user).filter(status=Notice.Status.DRAFT).count()
    if count:
        own = "" if role_of(user) == Role.CHAMBER else "&sender=federation"  # the federation's own, not its chambers'
        yield Todo("待发送的通知草稿", count, f"{reverse('communications:notices')}?status=draft{own}", "info")


# --- surveys (问卷调查) ---
@register
def surveys_overdue(user):
    """已过截止日期仍在收集的问卷: the keeper's surveys (an editor its federations', a chamber secretary its chamber's)
    still 收集中 after their 截止日期 — to close (结束收集) or to give a later date; the link is the list's filter of
    exactly those."""
    from django.urls import reverse
    from django.utils import timezone

    from .selectors import surveys as survey_selectors

    if not survey_selectors.can_keep(user):
        return
    count = survey_selectors.open_surveys_overdue(user, timezone.localdate()).count()
    if count:
        yield Todo("已过截止日期仍在收集的问卷", count, f"{reverse('communications:surveys')}?status=overdue", "warning")
