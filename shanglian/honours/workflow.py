"""The two lives of the honours app, declared once (`common.workflow`):

- an award programme: 筹备中 → 提名中 (nominations open) → 评审中 (judges score; categories' lists are published)
  → 已结束 (every category published). Publishing a list and correcting it are the category's own actions
  (`services.lists.publish_list` / `correct_list`), allowed in 评审中 and, for a correction, 已结束.
- a chamber assessment: 填报中 → 已提交 (the chamber, or staff for it) → 已核定 (staff, once every item is verified);
  退回 sends it back to 填报中 with a reason.

Derived from these tables: the services' guards, the buttons of the programme's and the assessment's pages and
the demo's replay.
"""

from shanglian.accounts.roles import ASSESSMENT_KEEPER_ROLES, EDITOR_ROLES
from shanglian.common.workflow import Transition, Workflow

from .models import Assessment, Programme

P = Programme.Status
A = Assessment.Status
PROGRAMMES = "shanglian.honours.services.programmes."
ASSESSMENTS = "shanglian.honours.services.assessments."
ASSESSMENT_FORMS = "shanglian.honours.forms.assessments."

PROGRAMME_FLOW = Workflow("status", [
    Transition("open_nominations", "开始提名", sources=(P.DRAFT,), target=P.NOMINATING, roles=EDITOR_ROLES,
               slug="open", service=PROGRAMMES + "open_nominations", meta={"style": "primary"}),
    Transition("start_scoring", "截止提名并开始评审", sources=(P.NOMINATING,), target=P.SCORING, roles=EDITOR_ROLES,
               slug="score", service=PROGRAMMES + "start_scoring",
               meta={"style": "primary", "confirm": "截止提名后不能再新增提名，确定开始评审吗？"}),
    Transition("close_programme", "结束评选", sources=(P.SCORING,), target=P.CLOSED, roles=EDITOR_ROLES,
               slug="close", service=PROGRAMMES + "close_programme",
               meta={"confirm": "结束后不能再评分，确定结束本次评选吗？"}),
], states=P, object_name="programme", refusal="评选当前状态为“{state}”，不能{label}（仅限：{allowed}）。")

# The subject's keeper fills in and submits (a chamber secretary its own chamber's 五有/四好; staff any, and the
# federation's 五好 self-check); staff confirm or return.
ASSESSMENT_FLOW = Workflow("status", [
    Transition("submit_assessment", "提交核定", sources=(A.DRAFT,), target=A.SUBMITTED, roles=ASSESSMENT_KEEPER_ROLES,
               slug="submit", service=ASSESSMENTS + "submit_assessment", meta={"style": "primary"}),
    Transition("confirm_assessment", "核定", sources=(A.SUBMITTED,), target=A.CONFIRMED, roles=EDITOR_ROLES,
               slug="confirm", service=ASSESSMENTS + "confirm_assessment",
               meta={"style": "primary", "confirm": "核定后评估结果不能再修改，确定核定吗？"}),
    Transition("return_assessment", "退回", sources=(A.SUBMITTED,), target=A.DRAFT, roles=EDITOR_ROLES,
               slug="return", form=ASSESSMENT_FORMS + "ReturnForm", service=ASSESSMENTS + "return_assessment",
               meta={"style": "danger"}),
], states=A, object_name="assessment", refusal="评估当前状态为“{state}”，不能{label}（仅限：{allowed}）。")
