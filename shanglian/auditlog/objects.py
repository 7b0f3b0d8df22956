"""What an audit row is about, in words an auditor reads: the kind of object (the model's Chinese name),
the record's name today (or the name it had, if it is gone), and for a refused request the page it asked
for — never the raw path. Models are found by their "app.model" label at run time (`apps.get_model`), so
this module imports no app above its floor."""

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.urls import Resolver404, resolve

from shanglian.ui.navigation import registered_groups

PAGE = "path"  # the object_type of a refused request (`workbench.views.permission_denied`)

# Object types that name a report rather than a model ("appeals.statistics"): the part after the app.
REPORT_KINDS = {"statistics": "统计"}


@dataclass(frozen=True)
class ObjectRef:
    kind: str  # 企业, 惠企政策, 页面 …
    name: str  # the record's current name, else the name recorded with the event
    exists: object = None  # True / False for a record; None when the object is not one record (a page, an export)


def model_for(object_type):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def type_label(object_type):
    """The Chinese name of an object type: the model's verbose name, 页面, or the app's name for a report."""
    if not object_type:
        return ""
    if object_type == PAGE:
        return "页面"
    model = model_for(object_type)
    if model is not None:
        return str(model._meta.verbose_name)
    app_label, _, rest = object_type.partition(".")
    try:
        app_name = str(apps.get_app_config(app_label).verbose_name)
    except LookupError:
        return object_type
    return f"{app_name}{REPORT_KINDS.get(rest, '')}"


def type_choices():
    """The object types the filter offers: every model of the project's apps, and 页面."""
    choices = {PAGE: "页面（越权访问）"}
    for model in apps.get_models():
        if model.__module__.startswith("shanglian.") and model._meta.label_lower != "audit.auditevent":
            app_name = model._meta.app_config.verbose_name
            choices[model._meta.label_lower] = f"{app_name} · {model._meta.verbose_name}"
    return sorted(choices.items(), key=lambda item: item[1])


def _nav_labels():
    return {item.url_name: item.label for group in registered_groups() for item in group.items}


def page_name(path):
    """The page a request asked for: its menu label, else the module it belongs to (会员管理的页面)."""
    try:
        match = resolve(path)
    except Resolver404:
        return "不存在的页面"
    label = _nav_labels().get(match.view_name)
    if label:
        return f"{label}页面"
    if match.namespace == "admin":
        return "管理后台"
    app = apps.get_containing_app_config(getattr(match.func, "__module__", ""))
    return f"{app.verbose_name}的页面" if app is not None else "系统页面"


def describe(event, *, current=True):
    """The event's object for people. `current=False` skips the database (the list shows the recorded name)."""
    if event.object_type == PAGE:
        return ObjectRef("页面", page_name(event.object_repr or event.path))
    kind = type_label(event.object_type)
    if not event.object_id:
        return ObjectRef(kind, event.object_repr)
    if not current:
        return ObjectRef(kind, event.object_repr or f"#{event.object_id}")
    record = find(event.object_type, event.object_id)
    if record is None:
        return ObjectRef(kind, event.object_repr or f"#{event.object_id}", exists=False)
    return ObjectRef(kind, str(record), exists=True)


def find(object_type, object_id):
    """The record an event names, if it still exists (deleted or never a model: None)."""
    model = model_for(object_type)
    if model is None:
        return None
    try:
        return model._base_manager.filter(pk=object_id).first()
    except (ValueError, TypeError, ValidationError):
        return None


def field_label(object_type, name):
    """A field's Chinese label on the event's model (the admin records field names), else the name."""
    model = model_for(object_type)
    if model is not None:
        try:
            return str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            return name
    return name
