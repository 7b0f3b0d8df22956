"""The lives of the communications app's records, declared once (`common.workflow`):

- a notice (通知公告): 草稿 → 已发送 (its recipients fixed, each told in the inbox and, when asked, by SMS) →
  已撤回 (with a reason; it leaves the recipients' inboxes, its receipts are kept).
- a survey (问卷调查): 设计中 → 收集中 (its recipients fixed and told; questions no longer change) → 已结束, and
  重新开放 back to 收集中 while it has not passed its 截止日期.

Derived from these tables: the services' guards, the buttons of the pages, the API's actions and the demo.
"""

from shanglian.accounts.roles import SENDER_ROLES
from shanglian.common.workflow import Transition, Workflow

from .models import Notice, Survey

N = Notice.Status
S = Survey.Status
NOTICES = "shanglian.communications.services.notices."
SURVEYS = "shanglian.communications.services.surveys."
FORMS = "shanglian.communications.forms."

NOTICE_FLOW = Workflow("status", [
    Transition("send_notice", "发送", sources=(N.DRAFT,), target=N.SENT, roles=SENDER_ROLES, slug="send",
               service=NOTICES + "send_notice",
               meta={"style": "primary", "confirm": "发送后将通知全部接收人，正文不能再修改，确定发送吗？"}),
    Transition("withdraw_notice", "撤回", sources=(N.SENT,), target=N.WITHDRAWN, roles=SENDER_ROLES,
               slug="withdraw", form=FORMS + "notices.WithdrawForm", service=NOTICES + "withdraw_notice",
               meta={"style": "danger"}),
], states=N, object_name="notice", refusal="通知当前状态为“{state}”，不能{label}（仅限：{allowed}）。")

SURVEY_FLOW = Workflow("status", [
    Transition("open_survey", "发布问卷", sources=(S.DRAFT,), target=S.OPEN, roles=SENDER_ROLES, slug="open",
               service=SURVEYS + "open_survey",
               meta={"style": "primary", "confirm": "发布后将通知全部填写对象，题目不能再修改，确定发布吗？"}),
    Transition("close_survey", "结束收集", sources=(S.OPEN,), target=S.CLOSED, roles=SENDER_ROLES, slug="close",
               service=SURVEYS + "close_survey",
               meta={"confirm": "结束后填写对象不能再提交答卷，确定结束吗？"}),
    Transition("reopen_survey", "重新开放", sources=(S.CLOSED,), target=S.OPEN, roles=SENDER_ROLES, slug="reopen",
               service=SURVEYS + "reopen_survey"),
], states=S, object_name="survey", refusal="问卷当前状态为“{state}”，不能{label}（仅限：{allowed}）。")
