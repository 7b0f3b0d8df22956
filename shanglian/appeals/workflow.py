"""The appeal state machine, declared once: every action with the states it may start from, the roles
that may take it, its label, its page form, its API body and its service.

Two tables, because a department's actions move two things: `APPEAL_FLOW` on `Appeal.status`, and
`ASSIGNMENT_FLOW` on the acting department's own `Assignment.state` in the current round (签收,
退回, 申请延期, 答复 need both to allow them). Where the appeal's next state depends on more than the
action (the last department replying, a rating, a return), `target` is None and the service decides.

Derived from these tables: the services' guards (under the row lock), the actions a page offers
(`selectors.available_actions`), the API's action endpoints (`api.py`) and the demo's replay
(`demo._Life`). Pages' presentation of a row is in `meta`: button text, style, a confirmation, and
`waits` — the appeal waits for whoever may take this action (the list row then says 办理).
"""

from shanglian.accounts.roles import (
    EDITOR_AND_ENTERPRISE_ROLES,
    EDITOR_ROLES,
    SUPERVISOR_ROLES,
    Role,
    role_of,
)
from shanglian.common.workflow import Transition, Workflow

from . import forms, serializers
from .models import OPEN_STATES, Assignment, ExtensionRequest, Rating, Status

S, A, RJ, AS, H, RP, RO, C = (Status.SUBMITTED, Status.ACCEPTED, Status.REJECTED, Status.ASSIGNED,
                              Status.HANDLING, Status.REPLIED, Status.REOPENED, Status.CLOSED)
DEPARTMENT = frozenset({Role.DEPARTMENT})
SERVICES = "shanglian.appeals.services."


def _pending_extension(user, appeal):
    return appeal.pending_extensions().exists()


def _not_rated_this_round(user, appeal):
    # Every rating sets `appeal.rating` and a reopen clears it: no query (the service checks the records).
    return not appeal.rating


def _enterprise_rated_unsatisfied(user, appeal):
    """The enterprise asks to reopen only after rating 不满意; the desk may reopen any replied or closed appeal."""
    return role_of(user) != Role.ENTERPRISE or appeal.rating == Rating.UNSATISFIED


def _rights_case(user, appeal):
    return appeal.category.is_rights_case


def _not_supervised(user, appeal):
    return not appeal.is_supervised


def _mine_allows(name, *, no_pending_extension=False):
    """A department's action is offered when its own assignment's state allows it too."""

    def when(user, appeal):
        mine = appeal.current_assignments().filter(department_id=user.department_id).first()
        if mine is None or not ASSIGNMENT_FLOW.allows(name, mine, role=Role.DEPARTMENT):
            return False
        return not (no_pending_extension and mine.extensions.filter(
            decision=ExtensionRequest.Decision.PENDING).exists())

    return when


APPEAL_FLOW = Workflow("status", [
    Transition("submit", "提交诉求", sources=(), target=S, roles=EDITOR_AND_ENTERPRISE_ROLES,
               service=SERVICES + "submit_appeal"),
    # The common path, one step: accept and dispatch in one transaction (`services.accept_and_dispatch`
    # runs the two transitions below under one lock). 受理 and 派单 stay for the uncommon paths.
    Transition("accept_dispatch", "受理并派单", sources=(S,), target=AS, roles=EDITOR_ROLES,
               form=forms.AcceptDispatchForm, serializer=serializers.AcceptDispatchSerializer,
               service=SERVICES + "accept_and_dispatch", meta={"style": "primary", "waits": True}),
    Transition("accept", "受理", sources=(S,), target=A, roles=EDITOR_ROLES,
               form=forms.DeskNoteForm, serializer=serializers.DeskNoteSerializer, service=SERVICES + "accept_appeal",
               meta={"waits": True}),
    Transition("reject", "不予受理", sources=(S,), target=RJ, roles=EDITOR_ROLES,
               form=forms.RejectForm, serializer=serializers.ReasonSerializer, service=SERVICES + "reject_appeal",
               meta={"confirm": "确认不予受理该诉求？", "waits": True}),
    Transition("dispatch", "派单", sources=(A,), target=AS, roles=EDITOR_ROLES,
               form=forms.DispatchForm, serializer=serializers.DispatchSerializer,
               service=SERVICES + "dispatch_appeal", meta={"style": "primary", "waits": True}),
    Transition("department_accept", "签收", sources=(AS, H), target=H, roles=DEPARTMENT,
               form=forms.SignForm, serializer=serializers.NoteSerializer, service=SERVICES + "department_accept",
               when=_mine_allows("department_accept"), summary="部门签收", meta={"style": "primary", "waits": True}),
    Transition("reply", "答复", sources=(H, RO), roles=DEPARTMENT,
               form=forms.ReplyForm, serializer=serializers.ReplySerializer, service=SERVICES + "reply_appeal",
               when=_mine_allows("reply"), meta={"style": "primary", "waits": True}),
    Transition("request_extension", "申请延期", sources=(AS, H, RO), roles=DEPARTMENT,
               form=forms.ExtensionRequestForm, serializer=serializers.ExtensionRequestSerializer,
               service=SERVICES + "request_extension",
               when=_mine_allows("request_extension", no_pending_extension=True)),
    Transition("return", "退回", sources=(AS, H, RO), roles=DEPARTMENT,
               form=forms.ReturnForm, serializer=serializers.ReasonSerializer, service=SERVICES + "return_appeal",
               when=_mine_allows("return"), summary="部门退回",
               meta={"confirm": "确认退回该诉求？退回后由工商联重新派单。"}),
    Transition("decide_extension", "审批延期", sources=(AS, H, RO), roles=EDITOR_ROLES,
               form=forms.ExtensionDecisionForm, serializer=serializers.ExtensionDecisionSerializer,
               service=SERVICES + "decide_extension", when=_pending_extension, meta={"style": "primary"}),
    Transition("rate", "评价", sources=(RP,), roles=EDITOR_AND_ENTERPRISE_ROLES,
               form=forms.CallbackRatingForm, serializer=serializers.RateSerializer, service=SERVICES + "rate_appeal",
               when=_not_rated_this_round, summary="评价（企业评价或工作人员回访）",
               meta={"button": "回访评价", "style": "primary"},
               refusals=dict.fromkeys(OPEN_STATES, "诉求 {obj.number} 尚未答复（当前状态“{state}”），答复后才能评价。")),
    Transition("reopen", "重办", sources=(RP, C), sources_by_role={Role.ENTERPRISE: (RP,)}, target=RO,
               roles=EDITOR_AND_ENTERPRISE_ROLES, form=forms.ReopenForm, serializer=serializers.ReasonSerializer,
               service=SERVICES + "reopen_appeal", when=_enterprise_rated_unsatisfied,
               meta={"confirm": "确认要求承办部门重办？"}),
    Transition("close", "办结", sources=(RP,), target=C, roles=EDITOR_ROLES,
               form=forms.CloseForm, serializer=serializers.CloseSerializer, service=SERVICES + "close_appeal",
               meta={"confirm": "确认办结该诉求？", "waits": True}),
    Transition("update_rights_case", "更新维权信息", sources=tuple(Status), roles=EDITOR_ROLES,
               form=forms.RightsCaseForm, serializer=serializers.RightsCaseSerializer,
               service=SERVICES + "update_rights_case", when=_rights_case, slug="rights-case"),
    Transition("supervise", "督办", sources=OPEN_STATES, roles=SUPERVISOR_ROLES, system=True,
               form=forms.SuperviseForm, serializer=serializers.NoteSerializer, service=SERVICES + "supervise_appeal",
               when=_not_supervised, meta={"confirm": "确认督办该诉求？将通知承办部门。"}),
], states=Status, object_name="appeal",
    refusal="诉求 {obj.number} 当前状态为“{state}”，不能{label}（仅在“{allowed}”状态下可以）。")


# The department's own part: its assignment in the current round.
ASSIGNMENT_FLOW = Workflow("state", [
    Transition("department_accept", "签收", sources=(Assignment.State.ASSIGNED,),
               target=Assignment.State.HANDLING, roles=DEPARTMENT),
    Transition("reply", "答复", sources=(Assignment.State.HANDLING,), target=Assignment.State.REPLIED,
               roles=DEPARTMENT),
    Transition("request_extension", "申请延期", sources=Assignment.HELD_STATES,
               roles=DEPARTMENT),
    Transition("return", "退回", sources=Assignment.HELD_STATES,
               target=Assignment.State.RETURNED, roles=DEPARTMENT),
], states=Assignment.State, object_name="appeal",
    refusal="贵部门对诉求 {obj.appeal.number} 的办理状态为“{state}”，不能{label}。")

# Where the next state depends on more than the action (`target` None): the decisions, pure, for the
# services and the demo's replay alike. None: the appeal's status stays.
def status_after_return(remaining):
    """After a department returned it, from the current round's other assignments (`remaining`): none
    left → 已受理 (the desk dispatches again); all of them replied → 已答复."""
    if not remaining:
        return Status.ACCEPTED
    if all(a.state == Assignment.State.REPLIED for a in remaining):
        return Status.REPLIED
    return None


def status_after_reply(current):
    """After a department replied: 已答复 once every assignment of the current round (`current`) has."""
    return Status.REPLIED if all(a.state == Assignment.State.REPLIED for a in current) else None


def status_after_rating(rating):
    """满意 and 基本满意 close the appeal; 不满意 keeps it 已答复 (to reopen it or close it with a note)."""
    return None if rating == Rating.UNSATISFIED else Status.CLOSED


# Every role that may send a write at all (the API refuses the others before parsing a body).
WRITER_ROLES = APPEAL_FLOW.roles
