"""Reads of 问卷调查 for the back office: the list (with its search), who may keep a survey, a survey's questions
and its reach (sent to, answered, response rate), and the open surveys past their 截止日期 (the 待办). Every read
starts from `scopes.surveys_visible_to` / `scopes.responses_visible_to`.

- The sender roles (`SENDER_ROLES`: the editors and a chamber secretary) keep surveys: the editors those of their
  federations, a chamber secretary its own chamber's. A leader reads (403 on every write); the others 403.
- A survey's reach: its recipients (fixed when it was opened), how many of them answered (an enterprise recipient
  with at least one submitted answer sheet the user may see), and the answer sheets themselves.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from shanglian.accounts.roles import SENDER_ROLES, role_of
from shanglian.orgs.selectors import count_of

from ..models import Question, Response, Survey, SurveyRecipient
from .scopes import responses_visible_to, surveys_visible_to

S = Survey.Status
KEEPER_REFUSAL = "您的角色只能查看问卷，不能修改。"
AUDIENCE_RELATED = ("chamber", "chamber_audience", "committee", "working_group", "event", "saved_filter", "created_by")


def can_keep(user):
    """Whether the user's role writes surveys (the editors, a chamber secretary)."""
    return role_of(user) in SENDER_ROLES


def surveys_editable_by(user):
    """The surveys the user may change (its scope's); 403 for a reader (leader) or a role without surveys."""
    visible = surveys_visible_to(user)  # 403 first for a role without surveys
    if not can_keep(user):
        raise PermissionDenied(KEEPER_REFUSAL)
    return visible


def questions_editable_by(user):
    """The questions of the surveys the user may change."""
    return Question.objects.filter(survey__in=surveys_editable_by(user).values("pk")).select_related("survey")


def questions_visible_to(user):
    return Question.objects.filter(survey__in=surveys_visible_to(user).values("pk")).select_related("survey")


def overdue_q(today):
    """收集中 past its 截止日期: still open although nobody may answer any more."""
    return Q(status=S.OPEN, closes_on__lt=today)


def survey_list(user, *, filters=None, today):
    """The list page's rows: the user's surveys with `question_count`, `recipient_count`, `response_count` (its
    submitted answer sheets the user may see) as correlated subqueries (the page's rows only)."""
    filters = filters or {}
    qs = surveys_visible_to(user).select_related(*AUDIENCE_RELATED)
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(number__iexact=q))
    status = filters.get("status")
    if status == "overdue":
        qs = qs.filter(overdue_q(today))
    elif status:
        qs = qs.filter(status=status)
    visible = responses_visible_to(user).filter(survey_id=OuterRef("pk")).order_by().values("survey_id")
    return qs.annotate(
        question_count=count_of(Question, "survey"),
        recipient_count=count_of(SurveyRecipient, "survey"),
        response_count=Coalesce(Subquery(visible.annotate(n=Count("*")).values("n")), 0,
                                output_field=IntegerField()),
    )


def open_surveys_overdue(user, today):
    """The 待办: the keeper's surveys still 收集中 past their 截止日期 (to close, or to reopen with a later date)."""
    return surveys_editable_by(user).filter(overdue_q(today))


def survey_reach(user, survey):
    """{recipients, answered, rate, responses, drafts}: how far the survey reached. `answered` counts
    the recipients with a submitted answer sheet the user may see; `rate` is answered ÷ recipients (None when it
    was sent to nobody yet)."""
    recipients = SurveyRecipient.objects.filter(survey=survey)
    visible = responses_visible_to(user).filter(survey=survey)
    counts = recipients.aggregate(
        total=Count("pk"),
        answered=Count("pk", filter=Exists(visible.filter(enterprise_id=OuterRef("enterprise_id")))),
    )
    total, answered = counts["total"], counts["answered"]
    return {
        "recipients": total,
        "answered": answered,
        "rate": (answered / total) if total else None,
        "responses": visible.count(),
        "drafts": Response.objects.filter(survey=survey, status=Response.Status.DRAFT).count(),
    }
