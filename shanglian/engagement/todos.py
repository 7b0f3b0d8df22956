"""政治引领 counts on the 工作台. Each count is what its link's list shows (the list's own filter).

- 超过N天未走访的包联企业: the liaisons in force whose enterprise nobody has visited for more than
  `VISIT_INTERVAL_DAYS` (`selectors.liaison.overdue_q`) — a leader their own (their page 我的包联企业), the
  editors every one of their federations (the list 包联企业).
- 已答复待确定采纳结果的议案提案: proposals 已答复 with no 采纳/未采纳 yet — the editors' (the list 议案提案, 状态 已答复).
"""

from django.urls import reverse
from django.utils import timezone

from shanglian.accounts.roles import EDITOR_ROLES, Role, role_of
from shanglian.ui.todos import Todo, register

from .models import Proposal
from .selectors import liaison as liaison_selectors
from .selectors import proposals as proposal_selectors


@register
def overdue_visits(user):
    role = role_of(user)
    if role not in EDITOR_ROLES and role != Role.LEADER:
        return
    count = liaison_selectors.overdue_liaisons(user, timezone.localdate()).count()
    if count:
        page = "engagement:liaisons" if role in EDITOR_ROLES else "engagement:my_liaisons"
        yield Todo(f"超过{liaison_selectors.VISIT_INTERVAL_DAYS}天未走访的包联企业", count,
                   f"{reverse(page)}?overdue=on", "warning")


@register
def proposals_awaiting_decision(user):
    """已答复、尚未作出采纳决定的议案提案: the editors' (who record 采纳/未采纳); the link is the list's 状态 filter."""
    if role_of(user) not in EDITOR_ROLES:
        return
    status = Proposal.Status.REPLIED
    count = proposal_selectors.proposal_list(user, filters={"status": status}).count()
    if count:
        yield Todo("已答复待确定采纳结果的议案提案", count, f"{reverse('engagement:proposals')}?status={status}", "info")
