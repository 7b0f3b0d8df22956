"""评选表彰 and 商会评估 counts on the 工作台. Each count is what its link's list shows (the list's own filter).

- 待核实佐证: the editors' — items 待核实 of submitted assessments (the list 评估条目 filtered to them).
- 五有材料待补充 (四好材料待补充): a chamber secretary's — items staff returned (退回补充) in its assessments of that
  scheme now back in 填报中, to supplement before submitting again.
- 待评审提名: a judge's — nominations of programmes in 评审中 on whose panel they sit, not yet scored on every
  criterion and not conflicted (回避); the link is 我的评审's 待评分 (`selectors.nominations.scoring_queue`).
"""

from django.urls import reverse
from django.utils.http import urlencode

from shanglian.accounts.roles import EDITOR_ROLES, JUDGE_ROLES, Role, role_of
from shanglian.ui.todos import Todo, register

from .models import Assessment, AssessmentItem
from .selectors import assessments as assessment_selectors
from .selectors import nominations as nomination_selectors

SUPPLEMENT_LABELS = {Assessment.Scheme.FIVE_HAVE: "五有材料待补充", Assessment.Scheme.FOUR_GOOD: "四好材料待补充"}


def _items_url(**params):
    return f"{reverse('honours:assessment_items')}?{urlencode(params)}"


@register
def evidence_to_verify(user):
    """待核实佐证: the editors' (who verify); the link is the item list's 待核实 of 已提交 filter."""
    if role_of(user) not in EDITOR_ROLES:
        return
    count = assessment_selectors.pending_evidence(user).count()
    if count:
        yield Todo("待核实佐证", count, _items_url(status=AssessmentItem.Status.PENDING,
                                               assessment_status=Assessment.Status.SUBMITTED), "warning")


@register
def evidence_to_supplement(user):
    """五有材料待补充 (and 四好's): a chamber secretary's items returned by staff, in its drafts."""
    if role_of(user) != Role.CHAMBER or not user.chamber_id:
        return
    for scheme, label in SUPPLEMENT_LABELS.items():
        count = assessment_selectors.returned_items(user, scheme).count()
        if count:
            yield Todo(label, count, _items_url(status=AssessmentItem.Status.RETURNED,
                                                assessment_status=Assessment.Status.DRAFT, scheme=scheme), "danger")


@register
def nominations_to_score(user):
    """待评审提名: a judge's nominations still to score (every criterion), not those they must stand aside from."""
    if role_of(user) not in JUDGE_ROLES:
        return
    pending = nomination_selectors.PENDING
    count = nomination_selectors.scoring_queue(user, state=pending).count()
    if count:
        yield Todo("待评审提名", count, f"{reverse('honours:my_scoring')}?state={pending}", "warning")
