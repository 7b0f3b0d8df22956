"""Reads of the shared reference data."""

from .models import DictItem

__all__ = ["dict_choices", "dict_items", "dict_label", "filtered"]


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


def filtered(queryset, filters, lookups):
    """`queryset` narrowed by each of `filters` that has a value (a search form's cleaned data); `lookups`
    maps a filter's name to the field lookup it sets: `{"kind": "kind", "q": "name__icontains"}`.
    Filters that are not a plain lookup stay with the caller."""
    filters = filters or {}
    return queryset.filter(**{lookup: filters[name] for name, lookup in lookups.items() if filters.get(name)})
