"""What the growth app contributes to other apps' pages (discovered at startup, see `ui.sections`): 会员发展与服务 on
the enterprise 360° page — its 发展对象 stage (while it is followed as a prospect), its 入会申请, its 服务企业
enrollments (in force or ended, with the liaison), its 供需信息 and 对接成果 (counts, the amounts in 元, the latest few)
and the 专项工作组 its people sit on — as the reader's scope holds them (`selectors.scopes`: the federation's roles all
of them; a chamber secretary its own chamber's prospects and applications, its active members' enrollments and
outcomes, its federation's open posts and working groups). Nothing for the roles that do not read the registry (a
department, the enterprise itself, the auditor), nothing for a leader or a chamber secretary when there is nothing;
the editors always see it."""

from django.db.models import Count, Q, Sum
from django.utils import timezone

from shanglian.accounts.roles import EDITOR_ROLES, MEMBER_READER_ROLES, role_of
from shanglian.common.money import fen, yuan_text
from shanglian.ui.sections import Section, register

from .models import GroupMember, MatchOutcome, Post
from .selectors.enrollments import STATUSES, status_of
from .selectors.scopes import (
    applications_visible_to,
    enrollments_visible_to,
    groups_visible_to,
    outcomes_visible_to,
    posts_visible_to,
    prospects_visible_to,
)

SHOWN = 5  # the latest applications, posts and outcomes shown


@register("enterprise")
def enterprise_growth(user, enterprise):
    role = role_of(user)
    if role not in MEMBER_READER_ROLES:
        return None
    today = timezone.localdate()
    prospects = list(prospects_visible_to(user).filter(enterprise=enterprise).order_by("-stage_changed_on", "-id"))
    applications = list(applications_visible_to(user).filter(enterprise=enterprise)
                        .order_by("-submitted_at", "-id")[:SHOWN])
    enrollments = list(enrollments_visible_to(user).filter(enterprise=enterprise).order_by("-enrolled_on", "-id"))
    for enrollment in enrollments:
        enrollment.in_force = status_of(enrollment, today) == STATUSES["in_force"]
    posts = posts_visible_to(user).filter(enterprise=enterprise)
    post_counts = posts.select_related(None).order_by().aggregate(
        total=Count("pk"), open=Count("pk", filter=Q(status=Post.Status.OPEN)))
    latest_posts = list(posts.order_by("-created_at", "-id")[:SHOWN]) if post_counts["total"] else []
    outcomes = outcomes_visible_to(user).filter(Q(enterprise=enterprise) | Q(partner=enterprise))
    outcome_totals = outcomes.select_related(None).order_by().aggregate(
        total=Count("pk"),
        deal=Sum("amount", filter=Q(kind=MatchOutcome.Kind.DEAL)),
        financing=Sum("amount", filter=Q(kind=MatchOutcome.Kind.FINANCING)),
        jobs=Sum("jobs", filter=Q(kind=MatchOutcome.Kind.HIRING)))
    latest_outcomes = list(outcomes.order_by("-reached_on", "-id")[:SHOWN]) if outcome_totals["total"] else []
    for outcome in latest_outcomes:
        outcome.amount_text = yuan_text(outcome.amount)
    seats = list(GroupMember.objects.filter(enterprise=enterprise,
                                            group__in=groups_visible_to(user).select_related(None).values("pk"))
                 .select_related("group", "person").order_by("group__established", "group_id", "id"))
    found = prospects or applications or enrollments or post_counts["total"] or outcome_totals["total"] or seats
    if role not in EDITOR_ROLES and not found:
        return None
    return Section("growth/_enterprise_section.html", {
        "enterprise": enterprise, "prospects": prospects, "applications": applications, "enrollments": enrollments,
        "posts": latest_posts, "post_counts": post_counts, "outcomes": latest_outcomes,
        "outcome_count": outcome_totals["total"], "deal_amount": yuan_text(fen(outcome_totals["deal"])),
        "financing_amount": yuan_text(fen(outcome_totals["financing"])), "jobs": outcome_totals["jobs"] or 0,
        "seats": seats,
    })
