"""A proposal's life, declared once: 草拟 → 已提交 → 已立案 → 办理中 → 已答复 → 已采纳, and 未采纳 from any step
after submission.

Derived from this table: the services' guards (`services.proposals`), the buttons of the proposal's page
(`PROPOSAL_FLOW.available`), the API's action endpoints (`api.proposals`) and the demo's replay. A proposal
imported from last year's records comes in at the state it had reached (the import says which).
"""

from shanglian.accounts.roles import EDITOR_ROLES
from shanglian.common.workflow import Transition, Workflow

from .models import Proposal

S = Proposal.Status
D, SUB, REG, H, REP, A, N = (S.DRAFT, S.SUBMITTED, S.REGISTERED, S.HANDLING, S.REPLIED, S.ADOPTED, S.NOT_ADOPTED)
SERVICES = "shanglian.engagement.services.proposals."
FORMS = "shanglian.engagement.forms.proposals."
SERIALIZERS = "shanglian.engagement.api.proposals."
OPEN_STATES = (D, SUB, REG, H, REP)

PROPOSAL_FLOW = Workflow("status", [
    Transition("draft_proposal", "新建议案提案", sources=(), target=D, roles=EDITOR_ROLES, service=SERVICES + "save_proposal"),
    Transition("submit_proposal", "提交", sources=(D,), target=SUB, roles=EDITOR_ROLES, slug="submit",
               form=FORMS + "SubmitForm", serializer=SERIALIZERS + "ProposalSubmitSerializer",
               service=SERVICES + "submit_proposal", meta={"style": "primary"}),
    Transition("register_proposal", "立案", sources=(SUB,), target=REG, roles=EDITOR_ROLES, slug="register",
               form=FORMS + "RegisterForm", serializer=SERIALIZERS + "ProposalRegisterSerializer",
               service=SERVICES + "register_proposal", meta={"style": "primary"}),
    Transition("hand_over", "交办", sources=(REG,), target=H, roles=EDITOR_ROLES,
               form=FORMS + "HandleForm", serializer=SERIALIZERS + "ProposalHandleSerializer",
               service=SERVICES + "hand_over_proposal"),
    Transition("record_reply", "登记答复", sources=(REG, H), target=REP, roles=EDITOR_ROLES, slug="reply",
               form=FORMS + "ReplyForm", serializer=SERIALIZERS + "ProposalReplySerializer",
               service=SERVICES + "record_reply", meta={"style": "primary"}),
    Transition("adopt_proposal", "采纳", sources=(REP,), target=A, roles=EDITOR_ROLES, slug="adopt",
               form=FORMS + "AdoptForm", serializer=SERIALIZERS + "ProposalAdoptSerializer",
               service=SERVICES + "adopt_proposal", meta={"style": "primary"}),
    Transition("decline_proposal", "未采纳", sources=(SUB, REG, H, REP), target=N, roles=EDITOR_ROLES,
               slug="decline",
               form=FORMS + "DeclineForm", serializer=SERIALIZERS + "ProposalDeclineSerializer",
               service=SERVICES + "decline_proposal",
               meta={"style": "danger", "confirm": "确定登记为未采纳吗？"}),
], states=S, object_name="proposal", refusal="议案提案当前状态为“{state}”，不能{label}（仅限：{allowed}）。")
