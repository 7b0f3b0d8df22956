"""The lives of the growth app's records, declared once (`common.workflow`):

- a prospect (发展对象): 线索 → 已联系 → 已走访 → 已申请 → 已入会, or 放弃 (with a reason) from any open stage and
  重新跟进 back to 线索. 已申请 and 已入会 are never chosen by hand: an application names its prospect
  (`services.applications.submit_application`) and its approval makes the member (`approve_application`).
- a membership application (入会申请): 待审核 → 已批准 (the membership is made) / 未通过 (with a reason), or
  已撤回 by the applicant.
- a post (供需信息): 对接中 → 已关闭 (by its poster or staff, with a reason).
- a contact request (对接请求): 待同意 → 已同意 / 已婉拒 (the poster) or 已撤回 (the requester).

Derived from these tables: the services' guards, the buttons of the pages, the API's actions and the demo.
"""

from shanglian.accounts.roles import EDITOR_AND_ENTERPRISE_ROLES, EDITOR_ROLES, RECRUITER_ROLES, Role
from shanglian.common.workflow import Transition, Workflow

from .models import ContactRequest, MembershipApplication, Post, Prospect

S = Prospect.Stage
A = MembershipApplication.Status
P = Post.Status
C = ContactRequest.Status
PROSPECTS = "shanglian.growth.services.prospects."
APPLICATIONS = "shanglian.growth.services.applications."
BOARD = "shanglian.growth.services.board."
FORMS = "shanglian.growth.forms."

PROSPECT_FLOW = Workflow("stage", [
    Transition("mark_contacted", "已联系", sources=(S.LEAD,), target=S.CONTACTED, roles=RECRUITER_ROLES,
               slug="contacted", form=FORMS + "prospects.NextStepForm", service=PROSPECTS + "mark_contacted",
               meta={"style": "primary"}),
    Transition("mark_visited", "已走访", sources=(S.LEAD, S.CONTACTED), target=S.VISITED, roles=RECRUITER_ROLES,
               slug="visited", form=FORMS + "prospects.NextStepForm", service=PROSPECTS + "mark_visited",
               meta={"style": "primary"}),
    Transition("abandon_prospect", "放弃", sources=(S.LEAD, S.CONTACTED, S.VISITED), target=S.ABANDONED,
               roles=RECRUITER_ROLES, slug="abandon", form=FORMS + "prospects.AbandonForm",
               service=PROSPECTS + "abandon_prospect", meta={"style": "danger"}),
    Transition("reopen_prospect", "重新跟进", sources=(S.ABANDONED,), target=S.LEAD, roles=RECRUITER_ROLES,
               slug="reopen", service=PROSPECTS + "reopen_prospect"),
], states=S, object_name="prospect", refusal="发展对象当前阶段为“{state}”，不能{label}（仅限：{allowed}）。")

APPLICATION_FLOW = Workflow("status", [
    Transition("approve_application", "批准入会", sources=(A.SUBMITTED,), target=A.APPROVED, roles=EDITOR_ROLES,
               slug="approve", service=APPLICATIONS + "approve_application",
               meta={"style": "primary", "confirm": "批准后将建立会员记录并通知申请企业，确定批准吗？"}),
    Transition("refuse_application", "不予通过", sources=(A.SUBMITTED,), target=A.REFUSED, roles=EDITOR_ROLES,
               slug="refuse", form=FORMS + "applications.RefuseForm", service=APPLICATIONS + "refuse_application",
               meta={"style": "danger"}),
    Transition("withdraw_application", "撤回申请", sources=(A.SUBMITTED,), target=A.WITHDRAWN,
               roles=frozenset({Role.ENTERPRISE}), slug="withdraw", service=APPLICATIONS + "withdraw_application",
               meta={"confirm": "撤回后可重新提交申请，确定撤回吗？"}),
], states=A, object_name="application", refusal="入会申请当前状态为“{state}”，不能{label}（仅限：{allowed}）。")

POST_FLOW = Workflow("status", [
    Transition("close_post", "关闭", sources=(P.OPEN,), target=P.CLOSED, roles=EDITOR_AND_ENTERPRISE_ROLES,
               slug="close", form=FORMS + "board.ClosePostForm", service=BOARD + "close_post"),
], states=P, object_name="post", refusal="供需信息当前状态为“{state}”，不能{label}（仅限：{allowed}）。")

CONTACT_FLOW = Workflow("status", [
    Transition("accept_contact", "同意对接", sources=(C.PENDING,), target=C.ACCEPTED,
               roles=frozenset({Role.ENTERPRISE}), slug="accept", service=BOARD + "accept_contact",
               meta={"style": "primary", "confirm": "同意后对方将看到您的联系人和联系电话，确定同意吗？"}),
    Transition("decline_contact", "婉拒", sources=(C.PENDING,), target=C.DECLINED,
               roles=frozenset({Role.ENTERPRISE}), slug="decline", service=BOARD + "decline_contact"),
    Transition("withdraw_contact", "撤回", sources=(C.PENDING,), target=C.WITHDRAWN,
               roles=frozenset({Role.ENTERPRISE}), slug="withdraw", service=BOARD + "withdraw_contact"),
], states=C, object_name="contact_request", refusal="对接请求当前状态为“{state}”，不能{label}（仅限：{allowed}）。")
