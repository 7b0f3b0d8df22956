"""Scoped reads of 发展会员: prospects (发展对象), this year's recruitment targets and the "三多三少" gaps.

Every read of a prospect starts from `scopes.prospects_visible_to(user)`: the federation's roles every prospect of
their federations, a chamber secretary those its chamber follows, everybody else 403. Who writes
(`prospects_editable_by`, `RECRUITER_ROLES`): the editors every prospect of their federations, a chamber secretary
its own chamber's; a leader reads only.

Targets (`RecruitmentTarget`): the federation's roles read those of their federations, the editors keep them; a
chamber secretary and everybody else 403.

The gaps (`target_progress`): for each target of a year, the new members of the target's federation that joined
in that year and count towards its category (`MEMBER_CATEGORY_Q`: the member kinds, and among enterprise members
the 私营企业 / 外地 / 高新技术 sides of the "三多三少" as `members.figures.PAIR_SIDES` defines them), the gap
(target − joined, never below 0) and the open prospects of the category (`PROSPECT_CATEGORY_Q`, the stages
线索/已联系/已走访/已申请) that could close it. Two queries whatever the number of targets.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q

from shanglian.accounts.models import User
from shanglian.accounts.roles import EDITOR_ROLES, FEDERATION_ROLES, RECRUITER_ROLES, Role, role_of
from shanglian.accounts.selectors import users_in_role
from shanglian.events.selectors import events_visible_to
from shanglian.members.figures import PAIR_SIDES
from shanglian.members.models import Membership
from shanglian.members.selectors import enterprises_visible_to, membership_in_force_q
from shanglian.orgs.selectors import chambers_in_scope, federation_ids_in_scope
from shanglian.ui.figures import share

from ..models import Prospect, RecruitmentTarget, TargetCategory
from .scopes import REFUSAL, prospects_visible_to

S = Prospect.Stage
WRITE_REFUSAL = "您没有维护发展对象的权限。"
TARGET_REFUSAL = "您没有维护发展会员目标的权限。"
# The stages a prospect is still followed in (放弃 and 已入会 are not), and those a person moves it through by hand.
OPEN_STAGES = tuple(Prospect.OPEN_STAGES)
FOLLOWED_STAGES = (S.LEAD, S.CONTACTED, S.VISITED)

_ENTERPRISE = Q(kind=Membership.Kind.ENTERPRISE)
# A new member counted towards a target category (the "三多三少" sides are the members app's own).
MEMBER_CATEGORY_Q = {
    TargetCategory.ENTERPRISE: _ENTERPRISE,
    TargetCategory.GROUP: Q(kind=Membership.Kind.GROUP),
    TargetCategory.INDIVIDUAL: Q(kind=Membership.Kind.INDIVIDUAL),
    TargetCategory.PRIVATE: PAIR_SIDES["business_type"][1],
    TargetCategory.NONLOCAL: PAIR_SIDES["locality"][1],
    TargetCategory.HIGH_TECH: PAIR_SIDES["technology"][1],
}
_ENTERPRISE_PROSPECT = Q(member_kind="enterprise")
# A prospect that would count towards a target category once it joins.
PROSPECT_CATEGORY_Q = {
    TargetCategory.ENTERPRISE: _ENTERPRISE_PROSPECT,
    TargetCategory.GROUP: Q(member_kind="group"),
    TargetCategory.INDIVIDUAL: Q(member_kind="individual"),
    TargetCategory.PRIVATE: _ENTERPRISE_PROSPECT & Q(is_private=True),
    TargetCategory.NONLOCAL: _ENTERPRISE_PROSPECT & Q(is_local=False),
    TargetCategory.HIGH_TECH: _ENTERPRISE_PROSPECT & Q(is_high_tech=True),
}
# The "三多三少" categories the seeds ask to correct (the list's 短板类别 filter).
SHORTFALL_CATEGORIES = (TargetCategory.PRIVATE, TargetCategory.GROUP, TargetCategory.NONLOCAL,
                        TargetCategory.HIGH_TECH)


# --- who writes --------------------------------------------------------------------------------------------------
def can_keep(user):
    return role_of(user) in RECRUITER_ROLES


def is_editor(user):
    return role_of(user) in EDITOR_ROLES


def prospects_editable_by(user):
    """The prospects the user may change, move or delete: an editor's every one of its federations, a chamber
    secretary's its own chamber's; a leader 403."""
    if not can_keep(user):
        raise PermissionDenied(WRITE_REFUSAL)
    return prospects_visible_to(user)


def prospect_chambers(user):
    """The chambers a prospect may be followed by: an editor's of its federations (or none: the federation's
    own), a chamber secretary's its own (always)."""
    if not can_keep(user):
        raise PermissionDenied(WRITE_REFUSAL)
    return chambers_in_scope(user).order_by("name", "id")


def prospect_enterprises(user):
    """The registry records a prospect may name (and the member enterprises that may refer one): the
    enterprises the user sees."""
    if not can_keep(user):
        raise PermissionDenied(WRITE_REFUSAL)
    return enterprises_visible_to(user)


def prospect_events(user):
    """The events a prospect may have come from: those the user sees (an editor's federations', a chamber's own)."""
    if not can_keep(user):
        raise PermissionDenied(WRITE_REFUSAL)
    return events_visible_to(user).order_by("-starts_at", "-id")


def prospect_owners(user):
    """Who may follow a prospect: an editor chooses among the editors of its federations and the chamber
    secretaries of their chambers; a chamber secretary among its own chamber's accounts."""
    role = role_of(user)
    if role in EDITOR_ROLES:
        federations = federation_ids_in_scope(user)
        ids = (Q(pk__in=users_in_role(Role.STAFF, federation_id__in=federations).values("pk"))
               | Q(pk__in=users_in_role(Role.SYSADMIN, federation_id__in=federations).values("pk"))
               | Q(pk__in=users_in_role(Role.CHAMBER, chamber__federation_id__in=federations).values("pk")))
        return User.objects.filter(ids).order_by("username", "id")
    if role == Role.CHAMBER:
        return users_in_role(Role.CHAMBER, chamber_id=user.chamber_id).order_by("username", "id")
    raise PermissionDenied(WRITE_REFUSAL)


# --- lists -------------------------------------------------------------------------------------------------------
def due_q(on):
    """A prospect still followed by hand whose next step falls on or before `on` (the 待办's count)."""
    return Q(stage__in=FOLLOWED_STAGES, next_step_on__isnull=False, next_step_on__lte=on)


def prospect_list(user, *, filters=None, today=None):
    """The prospect list: scope first, then the search form's filters — `q` (name, 统一社会信用代码 or 联系人),
    `stage` (a stage, or "open": still followed), `source`, `category` (a target category the prospect would
    count towards), `owner` ("mine": the user's own), `chamber` (a Chamber), `due` (the next step on or before
    today)."""
    filters = filters or {}
    qs = prospects_visible_to(user)
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(uscc__iexact=q) | Q(contact_name__icontains=q))
    stage = filters.get("stage")
    if stage == "open":
        qs = qs.filter(stage__in=OPEN_STAGES)
    elif stage in S.values:
        qs = qs.filter(stage=stage)
    if filters.get("source") in Prospect.Source.values:
        qs = qs.filter(source=filters["source"])
    category = filters.get("category")
    if category in PROSPECT_CATEGORY_Q:
        qs = qs.filter(PROSPECT_CATEGORY_Q[category])
    if filters.get("owner") == "mine":
        qs = qs.filter(owner=user)
    if filters.get("chamber") is not None:
        qs = qs.filter(chamber=filters["chamber"])
    if filters.get("due"):
        qs = qs.filter(due_q(today or date.today()))
    return qs


def due_prospects(user, on):
    """The prospects of the user's scope whose next step is due (the 待办): a keeper's only."""
    return prospects_editable_by(user).filter(due_q(on))


def open_prospect_for(federation_id, *, enterprise=None, uscc="", stages=OPEN_STAGES, lock=False):
    """The federation's prospect (the oldest) of a registry enterprise or a 统一社会信用代码 in one of `stages` (the
    open ones by default), or None; `lock` reads it under its row lock (a service about to move it)."""
    keys = Q()
    if enterprise is not None:
        keys |= Q(enterprise=enterprise)
    if uscc:
        keys |= Q(uscc=uscc)
    if not keys:
        return None
    prospects = Prospect.objects.select_for_update() if lock else Prospect.objects
    return prospects.filter(keys, federation_id=federation_id, stage__in=stages).order_by("id").first()


def is_member_in_force(federation_id, enterprise, on=None):
    return Membership.objects.filter(membership_in_force_q(on or date.today()), federation_id=federation_id,
                                     enterprise=enterprise).exists()


# --- targets and the gaps ----------------------------------------------------------------------------------------
def targets_visible_to(user):
    if role_of(user) not in FEDERATION_ROLES:
        raise PermissionDenied(REFUSAL)
    return RecruitmentTarget.objects.select_related("federation").filter(
        federation_id__in=federation_ids_in_scope(user))


def targets_editable_by(user):
    if role_of(user) not in EDITOR_ROLES:
        raise PermissionDenied(TARGET_REFUSAL)
    return targets_visible_to(user)


def can_keep_targets(user):
    return role_of(user) in EDITOR_ROLES


@dataclass(frozen=True)
class TargetRow:
    """One target of a year against what the year brought: `joined` (new members of the category that joined in
    the year), `gap` (what is still missing, 0 once reached), `pipeline` (open prospects of the category)."""

    target: RecruitmentTarget
    joined: int
    pipeline: int

    @property
    def category(self):
        return self.target.category

    @property
    def gap(self):
        return max(self.target.target - self.joined, 0)

    @property
    def rate(self):
        return share(self.joined, self.target.target)

    @property
    def reached(self):
        return self.joined >= self.target.target

    @property
    def covered(self):
        """Whether the open prospects would close the gap if they all joined."""
        return self.pipeline >= self.gap


def joined_in_year(federation_ids, year):
    """{federation id: {category: new members joined in `year`}} (one query)."""
    counts = {f"n_{category}": Count("pk", filter=q) for category, q in MEMBER_CATEGORY_Q.items()}
    rows = (Membership.objects.filter(federation_id__in=federation_ids, joined__gte=date(year, 1, 1),
                                      joined__lte=date(year, 12, 31))
            .values("federation_id").annotate(**counts).order_by())
    return {row["federation_id"]: _by_category(row) for row in rows}


def _by_category(row):
    return {category: row[f"n_{category}"] for category in TargetCategory.values}


def open_prospects_by_category(prospects):
    """{federation id: {category: open prospects}} of a prospect queryset (one query)."""
    counts = {f"n_{category}": Count("pk", filter=q) for category, q in PROSPECT_CATEGORY_Q.items()}
    rows = (prospects.select_related(None).filter(stage__in=OPEN_STAGES).values("federation_id")
            .annotate(**counts).order_by())
    return {row["federation_id"]: _by_category(row) for row in rows}


def target_progress(user, year):
    """The targets of `year` the user reads, each as a `TargetRow`, by federation then category (three queries)."""
    targets = list(targets_visible_to(user).filter(year=year).order_by("federation_id", "category", "id"))
    federation_ids = sorted({t.federation_id for t in targets})
    if not federation_ids:
        return []
    joined = joined_in_year(federation_ids, year)
    pipeline = open_prospects_by_category(Prospect.objects.filter(federation_id__in=federation_ids))
    return [TargetRow(t, joined.get(t.federation_id, {}).get(t.category, 0),
                      pipeline.get(t.federation_id, {}).get(t.category, 0)) for t in targets]


__all__ = ["FOLLOWED_STAGES", "MEMBER_CATEGORY_Q", "OPEN_STAGES", "PROSPECT_CATEGORY_Q", "SHORTFALL_CATEGORIES",
           "TargetRow", "can_keep", "can_keep_targets", "due_prospects", "due_q", "is_editor", "is_member_in_force",
           "joined_in_year", "open_prospect_for", "open_prospects_by_category", "prospect_chambers",
           "prospect_enterprises", "prospect_events", "prospect_list", "prospect_owners", "prospects_editable_by",
           "target_progress", "targets_editable_by", "targets_visible_to"]
