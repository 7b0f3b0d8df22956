"""What every REST API of the project shares: the one exception handler and the generated transition
endpoints of a workflow table.

`exception_handler` (settings REST_FRAMEWORK["EXCEPTION_HANDLER"]) answers a service's refusals the
same way in every app: `Refused` → 409, Django's `ValidationError` → 400, each with the Chinese
message in `detail`; `PermissionDenied` → 403 and `Http404` → 404 as DRF does already.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import Refused
from .validators import is_id, strip_control_characters
from .workflow import service_kwargs


class InvalidInput(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "输入有误。"
    default_code = "invalid"


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "当前状态不允许该操作。"
    default_code = "refused"


class IdField(serializers.IntegerField):
    """An id given as a number (a list filter's `department=3`): anything but a positive integer of at
    most 18 digits is a 400 before any query (a 20-digit one overflowed the integer column)."""

    default_error_messages = {"invalid": "请填写有效的 ID（正整数）。"}

    def to_internal_value(self, data):
        if not is_id(data):
            self.fail("invalid")
        return super().to_internal_value(data)


class TextField(serializers.CharField):
    """A CharField of text people type: control and format characters (ESC, NUL, the RTL override...)
    are dropped before validation (`validators.strip_control_characters`); `multiline=True` keeps tabs
    and line breaks."""

    def __init__(self, *, multiline=False, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = strip_control_characters(data, multiline=self.multiline)
        return super().to_internal_value(data)


class AuditedLookupMixin:
    """For every API viewset: an object looked up out of the caller's scope answers 404 as before and
    writes one `denied` audit row, as `ui.shortcuts.get_visible_or_404` does for the pages (an id that
    does not exist at all writes none)."""

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            self._audit_out_of_scope()
            raise

    def _audit_out_of_scope(self):
        from shanglian.audit.models import AuditAction, AuditResult
        from shanglian.audit.services import record

        pk = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
        model = getattr(self.get_queryset(), "model", None)
        if model is None or pk is None or not is_id(pk) or not model._base_manager.filter(pk=pk).exists():
            return
        record(AuditAction.DENIED, actor=self.request.user, result=AuditResult.DENIED,
               object_type=f"{model._meta.app_label}.{model._meta.model_name}", object_id=str(pk),
               object_repr=f"{model._meta.verbose_name} #{pk}", detail={"reason": "out_of_scope", "via": "api"})


def exception_handler(exc, context):
    if isinstance(exc, Refused):
        exc = Conflict(exc.message, code=exc.code)
    elif isinstance(exc, DjangoValidationError):
        exc = InvalidInput(" ".join(exc.messages))
    return drf_exception_handler(exc, context)


def transition_actions(flow, *, respond, responses=None):
    """A class decorator for a DRF ViewSet: one `POST <pk>/<transition.url_part>/` action per
    transition of `flow` that has a serializer (URL name = the URL part). Each looks the object up
    with `self.get_object()` (the caller's scope: 404 otherwise), validates the body with the
    transition's serializer (400), runs the service through `flow.run` and answers
    `respond(viewset, obj)`. `responses` documents the answers in the schema."""
    from drf_spectacular.utils import extend_schema
    from rest_framework.decorators import action

    def endpoint_for(t):
        def endpoint(self, request, pk=None):
            obj = self.get_object()  # the scope first: another scope's record is 404 whatever the body
            serializer = t.serializer_class(data=request.data)
            serializer.is_valid(raise_exception=True)
            obj = flow.run(t.name, actor=request.user, obj=obj, data=service_kwargs(serializer))
            return respond(self, obj)

        endpoint.__name__ = endpoint.__qualname__ = f"transition_{t.name}"
        endpoint.__doc__ = t.summary or t.label
        endpoint = action(detail=True, methods=["post"], url_path=t.url_part, url_name=t.url_part)(endpoint)
        return extend_schema(summary=t.summary or t.label, request=t.serializer_class,
                             responses=responses)(endpoint)

    def decorate(viewset):
        for t in flow:
            if t.serializer is not None and not t.creates:
                setattr(viewset, f"transition_{t.name}", endpoint_for(t))
        return viewset

    return decorate


# The answers every operation can give whatever it documents itself: a request that is not signed in
# (401/403), a role without the right (403), another scope's record or a page past the end (404), a
# body or filter that does not validate (400), a throttle (429). Added to the schema by
# `document_common_errors` where an operation does not document the status itself, so clients and
# the schemathesis run of the suite see every answer the API really gives.
COMMON_ERRORS = {
    "400": "输入有误：字段名 → 错误说明列表，或 detail 中的中文说明",
    "401": "未登录或令牌无效、已过期",
    "403": "角色无权执行该操作，或未通过二次验证",
    "404": "不存在、不在您的数据范围内，或页码超出范围",
    "429": "请求过于频繁，请稍后再试",
}
ERROR_SCHEMA = {
    "type": "object",
    "description": "错误答复：`detail` 为中文说明；输入校验错误时为 字段名 → 错误说明列表。",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}


def document_common_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook (settings SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status_code, description in COMMON_ERRORS.items():
                answer = operation["responses"].setdefault(status_code, {"description": description})
                answer.setdefault("content", reference)
    return result
