"""Reads of the chamber assessments (五有, 四好商会, 五好工商联自查), every one starting from
`scopes.assessments_visible_to(user)` (the federation's roles: their federations'; a chamber secretary: its own
chamber's; others 403).

- Who may change what: `assessments_editable_by` (the keepers: the editors any in scope, a chamber secretary its
  own chamber's) and `assessments_verifiable_by` (the editors, who verify items and confirm).
- The lists: `assessment_list` (the assessments, with their item counts), `item_list` (the items — the 待核实佐证
  queue and a chamber's 待补充 items are filters of it), `evidence_visible_to`.
- Compliance, one year at a time (`five_have_compliance`, `four_good_levels`, `five_good_checks`): the rules the
  compliance page, its export, the figures and the 工作台 panel all read. Only a verified item counts: a township
  chamber meets an item of the 五有 when its assessment of that year claims it met and staff have verified it.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q

from shanglian.accounts.roles import ASSESSMENT_KEEPER_ROLES, EDITOR_ROLES, role_of
from shanglian.audit.models import AuditAction, AuditEvent
from shanglian.common.selectors import filtered
from shanglian.orgs.models import Chamber
from shanglian.orgs.selectors import chambers_in_scope
from shanglian.ui.figures import share

from ..models import Assessment, AssessmentItem, EvidenceFile
from ..schemes import FIVE_GOOD, FIVE_HAVE, FOUR_GOOD, SCHEMES
from .scopes import assessments_visible_to

A = Assessment.Status
I = AssessmentItem.Status  # noqa: E741 (the items' states, as `A` is the assessments')
KEEPER_REFUSAL = "您没有填报商会评估的权限。"
VERIFIER_REFUSAL = "只有工商联工作人员可以核实佐证、核定评估。"

# Why a township chamber does not meet an item of the 五有 (the compliance page says which).
NO_ASSESSMENT = "无本年度评估"
NOT_FILLED = "未填报"
NOT_MET = "未达标"
NOT_VERIFIED = "未核实（待核实）"
RETURNED = "未核实（已退回补充）"


# --- scopes of change ------------------------------------------------------------------------------------------
def assessments_editable_by(user):
    """The assessments whose items the user may fill in: the editors every one they see, a chamber secretary its
    own chamber's (the scope already); 403 for the other roles."""
    visible = assessments_visible_to(user)  # 403 first for a role without assessments
    if role_of(user) not in ASSESSMENT_KEEPER_ROLES:
        raise PermissionDenied(KEEPER_REFUSAL)
    return visible


def assessments_verifiable_by(user):
    """The assessments whose items the user may verify and which they may confirm or return: the editors'."""
    visible = assessments_visible_to(user)
    if role_of(user) not in EDITOR_ROLES:
        raise PermissionDenied(VERIFIER_REFUSAL)
    return visible


def items_visible_to(user):
    return AssessmentItem.objects.filter(assessment_id__in=assessments_visible_to(user).values("pk"))


def evidence_visible_to(user):
    return EvidenceFile.objects.filter(item__assessment_id__in=assessments_visible_to(user).values("pk"))


def township_chambers(user):
    """The township chambers the 五有 applies to: active chambers of kind 街道（镇）商会 in the user's scope."""
    return chambers_in_scope(user).filter(kind=Chamber.Kind.STREET, status=Chamber.Status.ACTIVE)


def creatable_chambers(user):
    """The chambers the user may open an assessment for (active ones of the scope; a chamber secretary: its own)."""
    return chambers_in_scope(user).filter(status=Chamber.Status.ACTIVE)


# --- the lists -------------------------------------------------------------------------------------------------
def assessment_list(user, *, filters=None):
    """The assessments of the user's scope with `item_count`, `pending_count` (待核实), `returned_count` (退回补充)
    and `verified_count`; filters: `scheme`, `year`, `status`, `chamber` (a Chamber), `q` (the chamber's or the
    federation's name), `item` (assessments holding at least one item in that verification state)."""
    filters = filters or {}
    qs = filtered(assessments_visible_to(user), filters, {"scheme": "scheme", "year": "year", "status": "status"})
    if filters.get("chamber") is not None:
        qs = qs.filter(chamber=filters["chamber"])
    if filters.get("q"):
        word = filters["q"].strip()
        qs = qs.filter(Q(chamber__name__icontains=word) | Q(chamber__isnull=True, federation__name__icontains=word))
    if filters.get("item"):
        qs = qs.filter(pk__in=AssessmentItem.objects.filter(status=filters["item"]).values("assessment_id"))
    return qs.annotate(
        item_count=Count("items"),
        pending_count=Count("items", filter=Q(items__status=I.PENDING)),
        returned_count=Count("items", filter=Q(items__status=I.RETURNED)),
        verified_count=Count("items", filter=Q(items__status=I.VERIFIED)),
    )


def item_list(user, *, filters=None):
    """The items of the user's scope, with their assessment and its subject; filters: `status` (the item's
    verification state), `assessment_status`, `scheme`, `year`, `chamber` (a Chamber). The 待核实佐证 queue is
    status=pending of assessment_status=submitted; a chamber's 待补充 items are status=returned of its drafts."""
    filters = filters or {}
    qs = filtered(items_visible_to(user), filters, {
        "status": "status", "assessment_status": "assessment__status", "scheme": "assessment__scheme",
        "year": "assessment__year"})
    if filters.get("chamber") is not None:
        qs = qs.filter(assessment__chamber=filters["chamber"])
    return qs.select_related("assessment__chamber", "assessment__federation", "verified_by").annotate(
        file_count=Count("files"))


def pending_evidence(user):
    """待核实佐证: the items waiting for staff's check — 待核实 items of submitted assessments."""
    return item_list(user, filters={"status": I.PENDING, "assessment_status": A.SUBMITTED})


def returned_items(user, scheme):
    """材料待补充: items staff returned (退回补充) in the assessments of `scheme` now back in 填报中 — what the
    keeper must supplement before submitting again."""
    return item_list(user, filters={"status": I.RETURNED, "assessment_status": A.DRAFT, "scheme": scheme})


# --- one assessment ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ItemView:
    """One item of an assessment's page: the scheme's item (label, guide, maximum) with the stored row."""

    spec: object
    row: AssessmentItem
    files: list

    @property
    def claim(self):
        return claim_text(self.spec, self.row)

    @property
    def has_claim(self):
        return self.row.met is not None or self.row.score is not None


def claim_text(spec, row):
    """What the keeper claims: 达标 / 未达标 for a met-or-not item, "23.50 / 25" for a scored one; "" when not yet."""
    if spec is None:
        return ""
    if spec.max_score:
        return "" if row.score is None else f"{row.score} / {spec.max_score}"
    if row.met is None:
        return ""
    return "达标" if row.met else "未达标"


def assessment_items(assessment):
    """The assessment's items in the scheme's order, each with its files (two queries)."""
    scheme = SCHEMES[assessment.scheme]
    rows = {row.code: row for row in assessment.items.prefetch_related("files").select_related("verified_by")}
    order = {item.code: n for n, item in enumerate(scheme.items)}
    return [ItemView(scheme.item(code), row, list(row.files.all()))
            for code, row in sorted(rows.items(), key=lambda pair: order.get(pair[0], len(order)))]


def claimed_total(assessment, items=None):
    """The total of the scores claimed so far (scored schemes; None when no item is scored yet)."""
    if not SCHEMES[assessment.scheme].scored:
        return None
    rows = [view.row for view in items] if items is not None else list(assessment.items.all())
    scores = [row.score for row in rows if row.score is not None]
    return sum(scores) if scores else None


def last_return(assessment):
    """The latest 退回 of the assessment (its audit row: who, when, the reason), or None."""
    return (AuditEvent.objects.filter(object_type="honours.assessment", object_id=str(assessment.pk),
                                      action=AuditAction.UPDATE, detail__transition="return_assessment")
            .order_by("-id").first())


def assessment_history(assessment, limit=50):
    """The assessment's 变更记录: its own audit rows and those of its items and evidence files (each names the
    assessment in `detail["assessment"]`, so a deleted file's row is still found)."""
    return (AuditEvent.objects.filter(Q(object_type="honours.assessment", object_id=str(assessment.pk))
                                      | Q(object_type__in=("honours.assessmentitem", "honours.evidencefile"),
                                          detail__assessment=assessment.pk),
                                      action__in=[AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE])
            .select_related("actor").order_by("-id")[:limit])


# --- compliance: 五有 ---------------------------------------------------------------------------------------------
def item_shortfall(row):
    """Why an item row does not count as met for the 五有 (None when it is met and verified)."""
    if row is None or row.met is None:
        return NOT_FILLED
    if row.met is False:
        return NOT_MET
    if row.status == I.VERIFIED:
        return None
    return RETURNED if row.status == I.RETURNED else NOT_VERIFIED


@dataclass
class ChamberCheck:
    """One township chamber's 五有 in a year: its assessment (or None) and, per item code, why it is not met
    (None: met and verified)."""

    chamber: Chamber
    assessment: Assessment | None
    shortfalls: dict

    @property
    def complete(self):
        return self.assessment is not None and all(reason is None for reason in self.shortfalls.values())

    @property
    def met_count(self):
        return sum(reason is None for reason in self.shortfalls.values()) if self.assessment else 0


@dataclass
class ItemCompliance:
    """One item of the 五有 over the township chambers: those meeting it and those missing it (with the reason)."""

    item: object
    met: list = field(default_factory=list)
    missing: list = field(default_factory=list)  # [(chamber, reason)]


@dataclass
class FiveHaveCompliance:
    year: int
    checks: list  # [ChamberCheck], by chamber name
    items: list  # [ItemCompliance], in the scheme's order

    @property
    def total(self):
        return len(self.checks)

    @property
    def complete(self):
        return [check.chamber for check in self.checks if check.complete]

    @property
    def rate(self):
        """全部达标的镇街商会 ÷ 镇街商会 (a percentage, one decimal), None when there is no township chamber."""
        return share(len(self.complete), self.total)

    @property
    def without_assessment(self):
        return [check.chamber for check in self.checks if check.assessment is None]

    def item(self, code):
        return next((found for found in self.items if found.item.code == code), None)


def five_have_compliance(user, *, year):
    """The 五有 of the township chambers of the user's scope in `year` (three queries whatever their number)."""
    chambers = list(township_chambers(user).select_related("street").order_by("name", "id"))
    assessments = {a.chamber_id: a for a in assessments_visible_to(user).filter(
        scheme=FIVE_HAVE.key, year=year, chamber_id__in=[c.pk for c in chambers]).prefetch_related("items")}
    checks, items = [], [ItemCompliance(item) for item in FIVE_HAVE.items]
    for chamber in chambers:
        assessment = assessments.get(chamber.pk)
        rows = {row.code: row for row in assessment.items.all()} if assessment else {}
        shortfalls = {item.code: (item_shortfall(rows.get(item.code)) if assessment else NO_ASSESSMENT)
                      for item in FIVE_HAVE.items}
        checks.append(ChamberCheck(chamber, assessment, shortfalls))
        for found in items:
            reason = shortfalls[found.item.code]
            if reason is None:
                found.met.append(chamber)
            else:
                found.missing.append((chamber, reason))
    return FiveHaveCompliance(year, checks, items)


# --- compliance: 四好商会 ------------------------------------------------------------------------------------------
@dataclass
class FourGoodLevels:
    year: int
    levels: list  # [(label, [confirmed assessments at that level])], from the highest, then 不达标
    unconfirmed: list  # assessments of the year not yet confirmed
    not_assessed: list  # active chambers with no 四好 assessment that year

    @property
    def confirmed(self):
        return [a for _label, found in self.levels for a in found]

    @property
    def good(self):
        """The confirmed chambers reaching “四好”商会 or above (the levels before 合格)."""
        return [a for label, found in self.levels if label in good_levels() for a in found]


def level_labels(scheme=FOUR_GOOD):
    """The levels of a scored scheme, from the highest, then its 不达标."""
    return [label for _floor, label in scheme.levels] + [scheme.below]


# The floor of the level “四好”商会: a chamber at it or above (示范商会) is a “四好”商会.
FOUR_GOOD_FLOOR = next(floor for floor, label in FOUR_GOOD.levels if label == "“四好”商会")


def good_levels():
    """The 四好 levels counted as “四好”商会: 示范商会 and “四好”商会 (not 合格, not 不达标)."""
    return [label for floor, label in FOUR_GOOD.levels if floor >= FOUR_GOOD_FLOOR]


def four_good_levels(user, *, year):
    """The 四好商会 of the user's scope in `year`: confirmed assessments by level, those in progress, and the active
    chambers not assessed (three queries)."""
    assessments = list(assessments_visible_to(user).filter(scheme=FOUR_GOOD.key, year=year)
                       .select_related("chamber").order_by("-total_score", "chamber__name", "id"))
    by_level = {label: [] for label in level_labels()}
    unconfirmed = []
    for assessment in assessments:
        if assessment.status == A.CONFIRMED and assessment.level in by_level:
            by_level[assessment.level].append(assessment)
        else:
            unconfirmed.append(assessment)
    assessed = {a.chamber_id for a in assessments}
    not_assessed = [c for c in creatable_chambers(user).order_by("name", "id") if c.pk not in assessed]
    return FourGoodLevels(year, list(by_level.items()), unconfirmed, not_assessed)


# --- compliance: 五好工商联 -----------------------------------------------------------------------------------------
def five_good_checks(user, *, year):
    """The 五好 self-checks of the user's federations in `year`, each with its items (none for a chamber
    secretary, whose scope holds no federation's self-check)."""
    return list(assessments_visible_to(user).filter(scheme=FIVE_GOOD.key, year=year)
                .select_related("federation").prefetch_related("items").order_by("federation__name", "id"))


def own_five_good(user, *, year):
    """The self-check of the user's own federation in `year`, or None."""
    if getattr(user, "federation_id", None) is None:
        return None
    return assessments_visible_to(user).filter(scheme=FIVE_GOOD.key, year=year,
                                               federation_id=user.federation_id).first()

