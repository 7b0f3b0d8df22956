"""Per-request context (user, IP, request id) for audit records written anywhere in the request."""

import contextvars
import uuid
from dataclasses import dataclass, field


@dataclass
class RequestContext:
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    remote_addr: str = ""
    path: str = ""
    user: object = None


_current = contextvars.ContextVar("shanglian_request_context", default=None)


def current():
    return _current.get()


def activate(ctx):
    return _current.set(ctx)


def deactivate(token):
    _current.reset(token)
