"""A small declarative workflow kit: one table of transitions per state machine.

A module declares its state machine once, as a `Workflow` of `Transition` rows, in its own
`workflow.py`; everything else is derived from that table:

- its services guard with `flow.require_role(...)` / `flow.require_state(...)` (or `flow.check(...)`)
  under their row lock, and read the target state from `flow.target(name)`;
- its pages offer `flow.available(user, obj, role=...)` and run the chosen one with `flow.run(...)`;
- its API gets one POST endpoint per row with a serializer (`common.api.transition_actions`);
- its demo replays its steps through the same checks.

    # events/workflow.py
    MEETING_FLOW = Workflow("status", [
        Transition("convene", "召开", sources=(State.PLANNED,), target=State.CONVENED, roles=EDITOR_ROLES,
                   form=ConveneForm, serializer=ConveneSerializer, service="shanglian.events.services.convene"),
        ...
    ], states=State, object_name="meeting")

Two refusals, as everywhere in the project: a role that may not act → `PermissionDenied` (403);
a state that does not allow the action → `common.errors.Refused` (409), both with a Chinese message.
The table does not replace the services' own domain rules (a pending request, a missing rating …):
a service raises `Refused` for those itself.

`form`, `serializer` and `service` may be given as dotted paths, resolved on first use, so that a
`workflow.py` need not import the modules that import it.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.utils.module_loading import import_string

from .errors import Refused


def _resolved(value):
    return import_string(value) if isinstance(value, str) else value


@dataclass(frozen=True, eq=False)
class Transition:
    """One action of a state machine.

    `sources`: the states it may start from (in the order the refusal message lists them; empty for
    an action that creates the object). `target`: the state it moves to, or None when it stays or
    the service decides (several departments, a rating …). `roles`: who may take it.
    `sources_by_role`: narrower (or other) sources for some roles. `when(user, obj)`: a further
    condition for offering it on a page (the service checks its own rules again). `system`: may run
    with no actor (a periodic sweep). `slug`: its URL part (default: the name with "-"); `summary`:
    the API's summary (default: the label); `meta`: anything the module's pages need. `refusals`: for
    some states a refusal message of their own (a format string as the workflow's `refusal`).
    """

    name: str
    label: str
    sources: tuple = ()
    target: object = None
    roles: frozenset = frozenset()
    form: object = None
    serializer: object = None
    service: object = None
    sources_by_role: Mapping = field(default_factory=dict)
    when: object = None
    system: bool = False
    slug: str = ""
    summary: str = ""
    meta: Mapping = field(default_factory=dict)
    refusals: Mapping = field(default_factory=dict)

    @property
    def url_part(self):
        return self.slug or self.name.replace("_", "-")

    @property
    def creates(self):
        return not self.sources

    @property
    def form_class(self):
        return _resolved(self.form)

    @property
    def serializer_class(self):
        return _resolved(self.serializer)

    @property
    def service_function(self):
        return _resolved(self.service)

    def allowed_states(self, role=None):
        return tuple(self.sources_by_role.get(role, self.sources))


def service_kwargs(parsed):
    """What a valid form or serializer hands to its service: its `service_kwargs()` if it defines
    one (to rename or convert fields), else its cleaned / validated data."""
    own = getattr(parsed, "service_kwargs", None)
    if own is not None:
        return own()
    data = parsed.cleaned_data if hasattr(parsed, "cleaned_data") else parsed.validated_data
    return dict(data)


# Every Workflow built, so that a transition recorded by name (an audit row's detail) reads back as its label.
_declared = []


def transition_label(name):
    """The label of the transition called `name` in any declared workflow, else None."""
    return next((flow.label(name) for flow in _declared if name in flow), None)


DEFAULT_REFUSAL = "当前状态为“{state}”，不能{label}（仅在“{allowed}”状态下可以）。"


class Workflow:
    """The transitions of one state field, by name.

    `states`: the field's choices class (for the labels in messages). `object_name`: the keyword the
    services take the object by (`appeal=`). `refusal`: the message of a refused state, a format
    string with `{obj}`, `{state}` (its label), `{label}` (the action's) and `{allowed}`.
    """

    def __init__(self, state_field, transitions, *, states=None, object_name="obj", refusal=DEFAULT_REFUSAL):
        self.state_field, self.states, self.object_name, self.refusal = state_field, states, object_name, refusal
        self.transitions = {}
        for t in transitions:
            if t.name in self.transitions:
                raise ValueError(f"transition {t.name!r} declared twice")
            self.transitions[t.name] = t
        _declared.append(self)

    def __iter__(self):
        return iter(self.transitions.values())

    def __contains__(self, name):
        return name in self.transitions

    def __getitem__(self, name):
        return self.transitions[name]

    @property
    def roles(self):
        """Every role that may take at least one of the actions."""
        return frozenset().union(*(t.roles for t in self))

    def label(self, name):
        return self[name].label

    def target(self, name):
        return self[name].target

    def state_of(self, obj):
        return getattr(obj, self.state_field)

    def _state_label(self, state):
        return self.states(state).label if self.states is not None else str(state)

    # --- the guards ---------------------------------------------------------------------------------
    def require_role(self, name, role):
        """PermissionDenied unless `role` may take the action."""
        t = self[name]
        if role not in t.roles:
            raise PermissionDenied(f"您的角色不能{t.label}。")

    def require_state(self, name, obj, *, role=None):
        """Refused unless the object's state allows the action (for `role`, if the table narrows it)."""
        t = self[name]
        allowed = t.allowed_states(role)
        state = self.state_of(obj)
        if state not in allowed:
            raise Refused(t.refusals.get(state, self.refusal).format(
                obj=obj, state=self._state_label(state), label=t.label,
                allowed="、".join(self._state_label(s) for s in allowed)), code="state")

    def check(self, name, obj, *, role):
        """Both guards; `role=None` is the system (a sweep), allowed only on `system` transitions."""
        if role is None and self[name].system:
            self.require_state(name, obj)
            return
        self.require_role(name, role)
        self.require_state(name, obj, role=role)

    def allows(self, name, obj, *, role):
        t = self[name]
        return role in t.roles and self.state_of(obj) in t.allowed_states(role)

    def available(self, user, obj, *, role):
        """The transitions `user` (holding `role`) may take on `obj` now, in table order."""
        return [t for t in self if not t.creates and self.allows(t.name, obj, role=role)
                and (t.when is None or t.when(user, obj))]

    # --- running --------------------------------------------------------------------------------------
    def run(self, name, *, actor, obj, data):
        """Call the transition's service: `service(actor=actor, <object_name>=obj, **data)`."""
        return self[name].service_function(actor=actor, **{self.object_name: obj}, **data)
