"""Scoped reads of proposals (议案/提案/建议/社情民意信息).

Who sees what: the federation (staff, sysadmin, leader) every proposal of its federations; a chamber
secretary those its chamber submitted and those of persons it sees; nobody else (403). Editors change the
proposals of their federations (`proposals_editable_by`).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from shanglian.accounts.roles import EDITOR_ROLES, FEDERATION_ROLES, Role, role_of
from shanglian.members.selectors import persons_visible_to
from shanglian.orgs.selectors import federation_ids_in_scope

from ..models import Proposal


def proposals_visible_to(user):
    role = role_of(user)
    qs = Proposal.objects.select_related("topic", "chamber", "department")
    if role in FEDERATION_ROLES:
        return qs.filter(federation_id__in=federation_ids_in_scope(user))
    if role == Role.CHAMBER:
        persons = persons_visible_to(user).values("pk")
        return qs.filter(Q(chamber_id=user.chamber_id) | Q(pk__in=Proposal.submitters.through.objects.filter(
            person_id__in=persons).values("proposal_id")))
    raise PermissionDenied("您没有访问议案提案的权限。")


def proposals_editable_by(user):
    if role_of(user) not in EDITOR_ROLES:
        raise PermissionDenied("只有工商联工作人员可以维护议案提案。")
    return proposals_visible_to(user)


# What the list's 状态 filter offers besides the states: every proposal that was submitted (not a draft).
FILED = "filed"
FILED_LABEL = "已提交（不含草拟）"
# The list's 采纳情况 filter.
OUTCOMES = {
    "adopted": ("已采纳", Q(status=Proposal.Status.ADOPTED)),
    "declined": ("未采纳", Q(status=Proposal.Status.NOT_ADOPTED)),
    "decided": ("已有采纳结果", Q(status__in=(Proposal.Status.ADOPTED, Proposal.Status.NOT_ADOPTED))),
    "measure": ("已转化为实际举措", Q(status=Proposal.Status.ADOPTED) & ~Q(measure="")),
}
BODIES = {
    "person": ("个人提交", Q(body=Proposal.Body.NONE)),
    "federation": ("以工商联名义", Q(body=Proposal.Body.FEDERATION)),
    "chamber": ("以商会名义", Q(body=Proposal.Body.CHAMBER)),
}


def submitted_by(person_id):
    """Proposals one of whose submitters is the person (a semi-join on the link table)."""
    return Q(pk__in=Proposal.submitters.through.objects.filter(person_id=person_id).values("proposal_id"))


def proposal_list(user, *, filters=None):
    """The list page, its export and the API's list: the scope, then the search form's filters — `q` (a word of
    the title, the number, or a submitter's name), `year`, `year_from`/`year_to`, `kind`, `status` (or FILED),
    `topic`, `submitter` (a person's id), `body` (BODIES), `chamber`, `department` (ids) and `outcome`
    (OUTCOMES)."""
    filters = filters or {}
    qs = proposals_visible_to(user).prefetch_related("submitters")
    q = (filters.get("q") or "").strip()
    if q:
        by_name = Proposal.submitters.through.objects.filter(person__name__icontains=q).values("proposal_id")
        qs = qs.filter(Q(title__icontains=q) | Q(number__iexact=q) | Q(pk__in=by_name))
    for name, lookup in (("year", "year"), ("year_from", "year__gte"), ("year_to", "year__lte"), ("kind", "kind"),
                         ("topic", "topic_id"), ("chamber", "chamber_id"), ("department", "department_id")):
        if filters.get(name) not in (None, ""):
            qs = qs.filter(**{lookup: filters[name]})
    status = filters.get("status")
    if status == FILED:
        qs = qs.exclude(status=Proposal.Status.DRAFT)
    elif status:
        qs = qs.filter(status=status)
    if filters.get("submitter"):
        qs = qs.filter(submitted_by(filters["submitter"]))
    if filters.get("body") in BODIES:
        qs = qs.filter(BODIES[filters["body"]][1])
    if filters.get("outcome") in OUTCOMES:
        qs = qs.filter(OUTCOMES[filters["outcome"]][1])
    return qs


def proposal_timeline(proposal):
    """The proposal's steps, oldest first (the timeline of its page and of the API's detail)."""
    return proposal.log.select_related("actor").order_by("at", "id")
