"""The workflow kit on its own, with a toy table: a door that is opened, closed and locked."""

from types import SimpleNamespace

import pytest
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from rest_framework import serializers, viewsets
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate

from shanglian.common.api import exception_handler, transition_actions
from shanglian.common.errors import Refused
from shanglian.common.workflow import Transition, Workflow, service_kwargs


class DoorState(models.TextChoices):
    CLOSED = "closed", "关闭"
    OPEN = "open", "打开"
    LOCKED = "locked", "上锁"


KEEPER, GUEST = "keeper", "guest"
CALLS = []


def open_door(*, actor, door, note=""):
    CALLS.append(("open", actor, door, note))
    door.state = DOOR_FLOW.target("open")
    return door


def lock_door(*, actor, door, code):
    if code != "1234":
        raise ValidationError("密码不对。")
    if door.state != DoorState.CLOSED:
        DOOR_FLOW.require_state("lock", door)
    door.state = DOOR_FLOW.target("lock")
    return door


class NoteForm(forms.Form):
    note = forms.CharField(required=False)


class CodeForm(forms.Form):
    digits = forms.CharField()

    def service_kwargs(self):
        return {"code": self.cleaned_data["digits"]}


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CodeSerializer(serializers.Serializer):
    code = serializers.CharField()


DOOR_FLOW = Workflow("state", [
    Transition("open", "开门", sources=(DoorState.CLOSED,), target=DoorState.OPEN, roles=frozenset({KEEPER, GUEST}),
               form=NoteForm, serializer=NoteSerializer, service=open_door),
    Transition("close", "关门", sources=(DoorState.OPEN,), target=DoorState.CLOSED, roles=frozenset({KEEPER, GUEST}),
               system=True),
    Transition("lock", "上锁", sources=(DoorState.CLOSED, DoorState.OPEN), sources_by_role={GUEST: ()},
               target=DoorState.LOCKED, roles=frozenset({KEEPER}), form=CodeForm, serializer=CodeSerializer,
               service="shanglian.common.tests.test_workflow.lock_door", slug="lock-up"),
    Transition("paint", "刷漆", sources=tuple(DoorState), roles=frozenset({KEEPER}),
               when=lambda user, door: door.colour != "red"),
], states=DoorState, object_name="door", refusal="门 {obj.name} 当前{state}，不能{label}（仅在“{allowed}”时可以）。")


def door(state=DoorState.CLOSED, colour="white"):
    return SimpleNamespace(name="A1", state=state, colour=colour, pk=1)


def test_a_role_outside_the_transition_is_permission_denied():
    with pytest.raises(PermissionDenied, match="您的角色不能上锁。"):
        DOOR_FLOW.check("lock", door(), role=GUEST)


def test_a_state_outside_the_sources_is_refused_with_the_allowed_states():
    with pytest.raises(Refused) as refused:
        DOOR_FLOW.check("open", door(DoorState.LOCKED), role=KEEPER)
    assert refused.value.message == "门 A1 当前上锁，不能开门（仅在“关闭”时可以）。"
    assert refused.value.code == "state"


def test_the_allowed_states_are_listed_in_table_order():
    with pytest.raises(Refused, match="仅在“关闭、打开”时可以"):
        DOOR_FLOW.require_state("lock", door(DoorState.LOCKED))


def test_sources_by_role_narrow_the_states_for_that_role():
    assert DOOR_FLOW["lock"].allowed_states(GUEST) == ()
    assert DOOR_FLOW["lock"].allowed_states(KEEPER) == (DoorState.CLOSED, DoorState.OPEN)


def test_the_system_may_take_only_system_transitions():
    DOOR_FLOW.check("close", door(DoorState.OPEN), role=None)
    with pytest.raises(PermissionDenied):
        DOOR_FLOW.check("open", door(), role=None)


def test_available_lists_what_role_state_and_condition_allow_in_table_order():
    names = [t.name for t in DOOR_FLOW.available(None, door(), role=KEEPER)]
    assert names == ["open", "lock", "paint"]
    assert [t.name for t in DOOR_FLOW.available(None, door(colour="red"), role=GUEST)] == ["open"]
    assert [t.name for t in DOOR_FLOW.available(None, door(DoorState.OPEN, "red"), role=KEEPER)] == ["close", "lock"]


def test_the_table_knows_labels_targets_roles_and_url_parts():
    assert DOOR_FLOW.label("lock") == "上锁"
    assert DOOR_FLOW.target("paint") is None
    assert DOOR_FLOW.roles == {KEEPER, GUEST}
    assert DOOR_FLOW["lock"].url_part == "lock-up" and DOOR_FLOW["open"].url_part == "open"
    assert "open" in DOOR_FLOW and "fly" not in DOOR_FLOW


def test_a_name_declared_twice_is_an_error():
    with pytest.raises(ValueError, match="declared twice"):
        Workflow("state", [Transition("open", "开门"), Transition("open", "开门")])


def test_run_hands_the_parsed_form_to_the_service_by_object_name():
    form = NoteForm({"note": "送货"})
    assert form.is_valid()
    d = door()
    assert DOOR_FLOW.run("open", actor="alice", obj=d, data=service_kwargs(form)) is d
    assert CALLS[-1] == ("open", "alice", d, "送货") and d.state == DoorState.OPEN


def test_a_form_may_rename_its_fields_for_the_service_and_the_service_may_be_dotted():
    form = CodeForm({"digits": "1234"})
    assert form.is_valid()
    d = DOOR_FLOW.run("lock", actor="keeper", obj=door(), data=service_kwargs(form))
    assert d.state == DoorState.LOCKED


# --- the generated API endpoints and the one exception handler ----------------------------------------
DOORS = {}


@transition_actions(DOOR_FLOW, respond=lambda viewset, d: Response({"state": d.state}))
class DoorViewSet(viewsets.GenericViewSet):
    permission_classes = []

    def get_object(self):
        return DOORS[int(self.kwargs["pk"])]


def _post(url_part, body):
    transition = next(t for t in DOOR_FLOW if t.url_part == url_part)
    request = APIRequestFactory().post(f"/doors/1/{url_part}/", body, format="json")
    force_authenticate(request, user=SimpleNamespace(is_authenticated=True))
    return DoorViewSet.as_view({"post": f"transition_{transition.name}"})(request, pk=1)


def test_one_endpoint_per_transition_with_a_serializer():
    actions = {a.url_path: a.url_name for a in DoorViewSet.get_extra_actions()}
    assert actions == {"open": "open", "lock-up": "lock-up"}


def test_an_endpoint_runs_the_service_and_answers_with_the_object():
    DOORS[1] = door()
    response = _post("open", {"note": "x"})
    assert response.status_code == 200 and response.data == {"state": DoorState.OPEN}


def test_refused_is_409_validation_error_400_and_bad_bodies_400():
    DOORS[1] = door(DoorState.LOCKED)
    response = _post("lock-up", {"code": "1234"})
    assert response.status_code == 409 and "仅在“关闭、打开”时可以" in response.data["detail"]
    DOORS[1] = door()
    response = _post("lock-up", {"code": "0000"})
    assert response.status_code == 400 and response.data["detail"] == "密码不对。"
    response = _post("lock-up", {})
    assert response.status_code == 400 and "code" in response.data


def test_the_handler_leaves_other_exceptions_to_drf():
    assert exception_handler(KeyError("x"), {}) is None
    assert exception_handler(Refused("不行。", code="rule"), {}).status_code == 409
