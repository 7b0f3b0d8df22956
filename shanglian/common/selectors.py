"""Reads of the shared reference data."""

from .models import DictItem

__all__ = ["dict_choices", "dict_items", "dict_label"]


def dict_items(kind):
    """The active entries of one dictionary, in display order."""
    return DictItem.objects.filter(kind=kind, is_active=True).order_by("order", "code")


def dict_choices(kind):
    """`[(code, label), …]` of the active entries, for a form field's choices."""
    return list(dict_items(kind).values_list("code", "label"))


def dict_label(kind, code, default=""):
    """The label of one entry, active or not (old records keep showing their value)."""
    label = DictItem.objects.filter(kind=kind, code=code).values_list("label", flat=True).first()
    return default if label is None else label
