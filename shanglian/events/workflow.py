"""The event's life, declared once: 草稿 → 已发布 → 报名中 → 进行中 → 已结束, and 已取消 from any open state.

Derived from this table: the services' guards (`services._guarded`), the buttons of the event's page
(`EVENT_FLOW.available`), the API's action endpoints (`api.py`) and the demo's replay (`demo.py`).
Invitations are sent from 草稿 on (the invitees see them once the event is published); RSVP is taken while
报名中; the door checks in on the event's days while 已发布, 报名中 or 进行中.
"""

from shanglian.accounts.roles import ORGANISER_ROLES
from shanglian.common.workflow import Transition, Workflow

from .models import Event

D, P, R, RUN, F, C = (Event.Status.DRAFT, Event.Status.PUBLISHED, Event.Status.REGISTRATION,
                      Event.Status.RUNNING, Event.Status.FINISHED, Event.Status.CANCELLED)
SERVICES = "shanglian.events.services."
# The API body of a transition that takes nothing but the event (its endpoint exists only with a serializer).
NO_BODY = "shanglian.events.serializers.NoBodySerializer"
OPEN_STATES = (D, P, R, RUN)
CHECKIN_STATES = (P, R, RUN)
EDITABLE_STATES = (D, P, R)

EVENT_FLOW = Workflow("status", [
    Transition("create", "新建活动", sources=(), target=D, roles=ORGANISER_ROLES, service=SERVICES + "save_event"),
    Transition("publish", "发布", sources=(D,), target=P, roles=ORGANISER_ROLES,
               serializer=NO_BODY, service=SERVICES + "publish_event", meta={"style": "primary"}),
    Transition("open_registration", "开放报名", sources=(P,), target=R, roles=ORGANISER_ROLES,
               serializer=NO_BODY, service=SERVICES + "open_registration", slug="open-registration",
               meta={"style": "primary"}),
    Transition("start", "开始活动", sources=(P, R), target=RUN, roles=ORGANISER_ROLES,
               serializer=NO_BODY, service=SERVICES + "start_event"),
    Transition("finish", "结束活动", sources=(RUN,), target=F, roles=ORGANISER_ROLES,
               serializer=NO_BODY, service=SERVICES + "finish_event",
               meta={"confirm": "结束后不能再签到，确定结束活动吗？"}),
    Transition("cancel", "取消活动", sources=OPEN_STATES, target=C, roles=ORGANISER_ROLES,
               form="shanglian.events.forms.CancelForm", serializer="shanglian.events.serializers.CancelSerializer",
               service=SERVICES + "cancel_event",
               meta={"style": "danger", "confirm": "取消后将通知全部受邀人，且不能恢复。确定取消吗？"}),
], states=Event.Status, object_name="event", refusal="活动当前状态为“{state}”，不能{label}（仅限：{allowed}）。")
