"""Scoped reads of nominations (提名), the judges' scores and the conflict rule (回避).

Who sees what (`scopes.nominations_visible_to`): the federation's roles every nomination of their federations, a
chamber secretary those it made and those of its active member enterprises. Who changes one
(`nominations_editable_by`): the editors every one in their scope, a chamber secretary only those it made.

The conflict rule — a judge may not score a nomination they are linked to — is defined once, here, by
`judge_links(judge)`: the enterprises and chambers the judge is linked to, each with the reason in Chinese.

- an enterprise: the judge's `person` holds a role in it (`members.EnterpriseRole`), or the judge's account
  belongs to it (`user.enterprise_id`);
- a chamber: the judge's `person` holds a position (`orgs.Position`, not ended) in one of its terms, or the judge's
  account belongs to it (`user.chamber_id`).

A nomination is conflicted for the judge when its enterprise is a linked enterprise, or its nominating chamber is
a linked chamber, or its enterprise is an active member of a linked chamber. `conflict_of(judge, nomination)` says
why (or None) for one nomination, `conflicts(judge, nominations)` for many at once, and `conflict_q(judge)` is the
same rule as a filter on nominations (the scoring queue, the 待办); `services.nominations` re-exports
`conflict_of` for the pages and services. (It lives among the reads so that every module — pages, services,
todos, the ranking — can use it without an import cycle.)
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from shanglian.accounts.roles import EDITOR_ROLES, JUDGE_ROLES, NOMINATOR_ROLES, Role, role_of
from shanglian.members.models import ChamberMembership, EnterpriseRole
from shanglian.orgs.models import Position

from ..models import Criterion, Judge, Nomination, Programme, Score
from .scopes import nominations_visible_to, programmes_visible_to

CONFLICT_REFUSAL = "您与被提名企业存在关联（{reason}），须回避，不能评分。"
NOT_A_JUDGE = "您不是该评选的评审委员，不能评分。"


# --- who changes a nomination ----------------------------------------------------------------------------------
def nominations_editable_by(user):
    """Editors: every nomination they see; a chamber secretary: those its chamber made. Others 403."""
    role = role_of(user)
    if role not in NOMINATOR_ROLES:
        raise PermissionDenied("您没有提名的权限。")
    qs = nominations_visible_to(user)
    if role == Role.CHAMBER:
        qs = qs.filter(chamber_id=user.chamber_id)
    return qs


# --- the list --------------------------------------------------------------------------------------------------
def nomination_list(user, *, filters=None):
    """The list page: the scope, then `q` (a word of the enterprise's name), `programme`, `category`, `status`
    and `chamber` (the nominating chamber; ids)."""
    filters = filters or {}
    qs = nominations_visible_to(user).select_related("category__programme", "enterprise", "chamber", "nominated_by")
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(enterprise__name__icontains=q)
    for name, lookup in (("programme", "category__programme_id"), ("category", "category_id"),
                         ("status", "status"), ("chamber", "chamber_id")):
        if filters.get(name) not in (None, ""):
            qs = qs.filter(**{lookup: filters[name]})
    return qs


# --- the conflict rule -----------------------------------------------------------------------------------------
@dataclass
class JudgeLinks:
    """The enterprises and chambers a judge is linked to: {id: reason}."""

    enterprises: dict = field(default_factory=dict)
    chambers: dict = field(default_factory=dict)

    def enterprise_reason(self, enterprise_id):
        return self.enterprises.get(enterprise_id)

    def chamber_reason(self, chamber_id):
        return self.chambers.get(chamber_id)


def _add(reasons, key, reason):
    reasons.setdefault(key, [])
    if reason not in reasons[key]:
        reasons[key].append(reason)


def judge_links(judge, *, on=None):
    """What `judge` is linked to (see the module's docstring); `on`: the day a position must not have ended by
    (today by default)."""
    on = on or timezone.localdate()
    enterprises, chambers = {}, {}
    person = judge.person if judge.person_id else None
    if person is not None:
        for role in EnterpriseRole.objects.filter(person_id=person.pk).select_related("enterprise"):
            _add(enterprises, role.enterprise_id, f"{person.name}任{role.enterprise.name}{role.get_role_display()}")
        positions = (Position.objects.filter(person_id=person.pk, term__chamber__isnull=False)
                     .filter(Q(end__isnull=True) | Q(end__gte=on))
                     .filter(Q(term__end__isnull=True) | Q(term__end__gte=on))
                     .select_related("term__chamber"))
        for position in positions:
            chamber = position.term.chamber
            _add(chambers, chamber.pk,
                 f"{person.name}任{chamber.name}第{position.term.number}届{position.get_title_display()}")
    user = judge.user
    if user.enterprise_id:
        _add(enterprises, user.enterprise_id, f"评审账号属于{user.enterprise.name}")
    if user.chamber_id:
        _add(chambers, user.chamber_id, f"评审账号属于{user.chamber.name}")
    return JudgeLinks(enterprises={k: "；".join(v) for k, v in enterprises.items()},
                      chambers={k: "；".join(v) for k, v in chambers.items()})


def _reason(links, nomination, member_of):
    """Why the nomination is conflicted given the judge's `links` and the chambers its enterprise is an active
    member of (`member_of`), or None."""
    reasons = []
    found = links.enterprise_reason(nomination.enterprise_id)
    if found:
        reasons.append(found)
    if nomination.chamber_id:
        found = links.chamber_reason(nomination.chamber_id)
        if found:
            reasons.append(f"{found}，该商会为推荐商会")
    for chamber_id in sorted(member_of):
        if chamber_id == nomination.chamber_id:
            continue
        found = links.chamber_reason(chamber_id)
        if found:
            reasons.append(f"{found}，被提名企业是该商会会员")
    return "；".join(reasons) or None


def _active_chambers(enterprise_ids):
    """{enterprise_id: {chamber ids of its active chamber memberships}}."""
    found = {}
    rows = ChamberMembership.objects.filter(enterprise_id__in=list(enterprise_ids),
                                            status=ChamberMembership.Status.ACTIVE).values_list("enterprise_id",
                                                                                               "chamber_id")
    for enterprise_id, chamber_id in rows:
        found.setdefault(enterprise_id, set()).add(chamber_id)
    return found


def conflict_of(judge, nomination, *, links=None):
    """Why `judge` must not score `nomination` (Chinese, for the refusal and the 回避 mark), or None."""
    links = links if links is not None else judge_links(judge)
    if not links.enterprises and not links.chambers:
        return None
    return _reason(links, nomination, _active_chambers([nomination.enterprise_id]).get(nomination.enterprise_id, ()))


def conflicts(judge, nominations, *, links=None):
    """{nomination id: reason} for the conflicted ones among `nominations` (records), in a fixed few queries."""
    nominations = list(nominations)
    links = links if links is not None else judge_links(judge)
    if not nominations or (not links.enterprises and not links.chambers):
        return {}
    member_of = _active_chambers({n.enterprise_id for n in nominations})
    found = {}
    for nomination in nominations:
        reason = _reason(links, nomination, member_of.get(nomination.enterprise_id, ()))
        if reason:
            found[nomination.pk] = reason
    return found


def conflict_q(judge, *, links=None):
    """The nominations `judge` is conflicted on, as a filter on `Nomination` (the same rule as `conflict_of`)."""
    links = links if links is not None else judge_links(judge)
    enterprises, chambers = list(links.enterprises), list(links.chambers)
    q = Q(pk__in=[])
    if enterprises:
        q |= Q(enterprise_id__in=enterprises)
    if chambers:
        q |= Q(chamber_id__in=chambers) | Q(enterprise_id__in=ChamberMembership.objects.filter(
            chamber_id__in=chambers, status=ChamberMembership.Status.ACTIVE).values("enterprise_id"))
    return q


# --- a judge's seats and queue ---------------------------------------------------------------------------------
def require_judge_role(user):
    if role_of(user) not in JUDGE_ROLES:
        raise PermissionDenied("只有工商联工作人员和领导可以担任评审委员。")


def seat_of(user, programme):
    """The user's Judge row on the programme's panel, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Judge.objects.select_related("user__enterprise", "user__chamber", "person").filter(
        programme_id=getattr(programme, "pk", programme), user_id=user.pk).first()


def scoring_seats(user):
    """The user's seats on panels of programmes in 评审中 that the user sees."""
    require_judge_role(user)
    return list(Judge.objects.select_related("programme", "user__enterprise", "user__chamber", "person").filter(
        user_id=user.pk, programme__status=Programme.Status.SCORING,
        programme__in=programmes_visible_to(user).values("pk")).order_by("programme_id"))


# The states of a nomination in a judge's queue.
PENDING, DONE, CONFLICTED = "pending", "done", "conflicted"
QUEUE_STATES = {PENDING: "待评分", DONE: "已评分", CONFLICTED: "回避"}


def scoring_queue(user, *, state=None, seats=None):
    """The nominations in force of the programmes in 评审中 on whose panel the user sits, each annotated with
    `criterion_count`, `my_score_count` (the user's scores of it) and `conflicted` (bool). `state` narrows to
    PENDING (not conflicted, not every criterion scored — the 待办), DONE (not conflicted, every criterion scored)
    or CONFLICTED (回避)."""
    seats = scoring_seats(user) if seats is None else seats
    conflicted = Q(pk__in=[])
    for seat in seats:
        conflicted |= Q(category__programme_id=seat.programme_id) & conflict_q(seat)
    criteria = (Criterion.objects.filter(category_id=OuterRef("category_id")).order_by().values("category_id")
                .annotate(n=Count("*")).values("n"))
    mine = (Score.objects.filter(nomination_id=OuterRef("pk"), judge__user_id=user.pk).order_by()
            .values("nomination_id").annotate(n=Count("*")).values("n"))
    qs = (Nomination.objects.filter(status=Nomination.Status.NOMINATED,
                                    category__programme_id__in=[seat.programme_id for seat in seats])
          .select_related("category__programme", "enterprise", "chamber")
          .annotate(criterion_count=Coalesce(Subquery(criteria, output_field=IntegerField()), 0),
                    my_score_count=Coalesce(Subquery(mine, output_field=IntegerField()), 0),
                    conflicted=Case(When(conflicted, then=Value(True)), default=Value(False),
                                    output_field=BooleanField())))
    if state == CONFLICTED:
        qs = qs.filter(conflicted)
    elif state == PENDING:
        qs = qs.exclude(conflicted).filter(my_score_count__lt=F("criterion_count"))
    elif state == DONE:
        qs = qs.exclude(conflicted).filter(my_score_count__gte=F("criterion_count"))
    return qs


def queue_state(nomination):
    """PENDING, DONE or CONFLICTED for a row of `scoring_queue`."""
    if nomination.conflicted:
        return CONFLICTED
    return DONE if nomination.my_score_count >= nomination.criterion_count else PENDING


# --- scores ----------------------------------------------------------------------------------------------------
@dataclass
class SheetRow:
    """One judge's scores of one nomination: {criterion id: Decimal}; `complete` when every criterion is scored;
    `conflict` the reason the judge must abstain (回避), or None."""

    judge: object
    scores: dict
    complete: bool
    conflict: object = None


@dataclass
class ScoreSheet:
    """A nomination's scores: its category's criteria in order and one row per judge of the panel."""

    nomination: object
    criteria: list
    rows: list


def score_sheets(nominations):
    """{nomination id: ScoreSheet} for nominations (records) — the values the ranking weighs (`ranking.py` computes
    the totals; a row that is not `complete` or has a `conflict` is not a judge's full score). A few queries
    however many nominations: the criteria and judges of their categories and programmes, the scores, the links."""
    nominations = list(nominations)
    if not nominations:
        return {}
    category_ids = {n.category_id for n in nominations}
    criteria = {}
    for criterion in Criterion.objects.filter(category_id__in=category_ids).order_by("order", "id"):
        criteria.setdefault(criterion.category_id, []).append(criterion)
    programme_of = {n.category_id: n.category.programme_id for n in nominations}
    judges = {}
    for judge in Judge.objects.filter(programme_id__in=set(programme_of.values())).select_related(
            "user__enterprise", "user__chamber", "person").order_by("id"):
        judges.setdefault(judge.programme_id, []).append(judge)
    values = {}
    for nomination_id, judge_id, criterion_id, value in Score.objects.filter(
            nomination_id__in=[n.pk for n in nominations]).values_list("nomination_id", "judge_id", "criterion_id",
                                                                       "value"):
        values.setdefault((nomination_id, judge_id), {})[criterion_id] = value
    conflicted = {}
    for panel in judges.values():
        for judge in panel:
            mine = [n for n in nominations if programme_of[n.category_id] == judge.programme_id]
            for nomination_id, reason in conflicts(judge, mine).items():
                conflicted[(nomination_id, judge.pk)] = reason
    sheets = {}
    for n in nominations:
        own = criteria.get(n.category_id, [])
        rows = []
        for judge in judges.get(programme_of[n.category_id], []):
            scores = values.get((n.pk, judge.pk), {})
            rows.append(SheetRow(judge=judge, scores=scores, complete=bool(own) and all(c.pk in scores for c in own),
                                 conflict=conflicted.get((n.pk, judge.pk))))
        sheets[n.pk] = ScoreSheet(nomination=n, criteria=own, rows=rows)
    return sheets


def score_sheet(nomination):
    """One nomination's ScoreSheet (see `score_sheets`)."""
    return score_sheets([nomination])[nomination.pk]


def scores_of(judge, nomination):
    """{criterion id: Decimal} the judge gave the nomination."""
    return dict(Score.objects.filter(judge=judge, nomination=nomination).values_list("criterion_id", "value"))


def can_see_all_scores(user):
    """Editors see every judge's scores; a judge only their own."""
    return role_of(user) in EDITOR_ROLES
