"""Pickers: form widgets and fields for choosing a record by searching instead of typing its exact name.

- `AutocompleteWidget` / `AutocompleteField`: a text box that asks an htmx endpoint for up to 10 matches
  as the user types and keeps the chosen id in a hidden input (the field's value on submit). The field
  validates the id against the queryset it was given — the caller's *scoped* queryset — so a guessed or
  malformed id is refused in Chinese. Apps build their own on it (`members.pickers.EnterpriseField`).
- `IndustryPicker` / `IndustryField` / `IndustryMultipleField`: the GB/T 4754 tree (门类 → 大类 → 中类 →
  小类) with a search box, for one code or several, restricted to the levels a form accepts.
- `ChecklistPicker`: several choices from a short list (the dispatch form's departments) with a search
  box and a 推荐 group shown first.

The behaviour is in `static/shanglian/pickers.js` (no inline script); the endpoints render
`common/picker_options.html` and `common/industry_nodes.html`.
"""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse

from .models import IndustryCode
from .validators import is_id

__all__ = [
    "AutocompleteField",
    "AutocompleteWidget",
    "ChecklistPicker",
    "INDUSTRY_LEVELS",
    "IndustryField",
    "IndustryMultipleField",
    "IndustryPicker",
    "Match",
    "industry_matches",
    "industry_nodes",
    "parse_levels",
    "render_matches",
]

# The most matches an autocomplete endpoint returns.
MATCH_LIMIT = 10
# The most matches an industry search returns.
INDUSTRY_MATCH_LIMIT = 50
INDUSTRY_LEVELS = tuple(IndustryCode.Level.values)  # section, division, group, class — top down


# --- Autocomplete ------------------------------------------------------------------------------------
class AutocompleteWidget(forms.Widget):
    """A search box plus a hidden input holding the chosen record's id; `url` answers `?q=` with
    `common/picker_options.html`. The label shown for a value is looked up in the field's queryset."""

    template_name = "common/widgets/autocomplete.html"

    def __init__(self, *, url="", placeholder="", attrs=None):
        super().__init__(attrs)
        self.url = url
        self.placeholder = placeholder
        self.queryset = None  # set by AutocompleteField

    def label_for(self, value):
        if value in (None, "") or self.queryset is None:
            return ""
        try:
            obj = self.queryset.filter(pk=value).first()
        except (ValueError, TypeError, ValidationError, OverflowError):
            return ""
        return str(obj) if obj is not None else ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["label"] = self.label_for(widget["value"])
        widget["url"] = str(self.url)
        widget["placeholder"] = self.placeholder
        return context

    def format_value(self, value):
        return "" if value is None else str(value)


@dataclass(frozen=True)
class Match:
    """One line of an autocomplete's answer: the id it sets, the words it shows, a detail to tell
    look-alikes apart (a credit code, an enterprise)."""

    value: object
    label: str
    detail: str = ""


def search_text(request, name="q", limit=50):
    """What a picker's box sent, fit for a query: control characters (a NUL, which PostgreSQL refuses in
    a string) dropped, trimmed, at most `limit` characters."""
    text = "".join(ch for ch in (request.GET.get(name) or "") if ch.isprintable())
    return text.strip()[:limit]


def render_matches(request, matches, *, query, noun, hint, limit=MATCH_LIMIT):
    """An autocomplete endpoint's answer: the first `limit` of `matches` (Match rows; one more may be
    passed to say that there are more), or a line saying nothing matched."""
    rows = list(matches)
    return render(request, "common/picker_options.html", {
        "matches": rows[:limit], "more": len(rows) > limit, "query": query, "noun": noun, "hint": hint})


class AutocompleteField(forms.ModelChoiceField):
    """A ModelChoiceField whose widget is an `AutocompleteWidget`. `noun` (企业, 人员) words its errors."""

    widget = AutocompleteWidget

    def __init__(self, queryset, *, url, noun, placeholder="", **kwargs):
        kwargs.setdefault("empty_label", None)
        kwargs.setdefault("widget", AutocompleteWidget(url=url, placeholder=placeholder))
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"] = {
            "required": f"请选择{noun}（输入后从列表中点选）。",
            "invalid_choice": f"所选{noun}不存在或不在您的管理范围内，请重新选择。",
            **kwargs["error_messages"],
        }
        super().__init__(queryset, **kwargs)

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self.widget.queryset = self._queryset

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def to_python(self, value):
        # An id is a positive integer of at most 18 digits; anything else is refused before any query.
        if isinstance(value, str):
            value = value.strip()
        if value not in self.empty_values and not is_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


# --- GB/T 4754 industries ----------------------------------------------------------------------------
def parse_levels(text):
    """The selectable levels named in `text` ("division,group"), in tree order; all of them if none is."""
    wanted = {part.strip() for part in (text or "").split(",")}
    levels = tuple(level for level in INDUSTRY_LEVELS if level in wanted)
    return levels or INDUSTRY_LEVELS


def _deepest(levels):
    return max(INDUSTRY_LEVELS.index(level) for level in levels)


def _node(code, levels, parent=None):
    depth = INDUSTRY_LEVELS.index(code.level)
    return {"code": code.code, "name": code.name, "level": code.get_level_display(),
            "selectable": code.level in levels, "has_children": depth < _deepest(levels), "parent": parent}


def industry_nodes(parent, levels):
    """The children of `parent` (a code, or "" for the 20 门类) as tree nodes."""
    qs = IndustryCode.objects.filter(parent_id=parent) if parent else IndustryCode.objects.filter(level="section")
    return [_node(code, levels) for code in qs.order_by("code")]


def industry_matches(query, levels, *, limit=INDUSTRY_MATCH_LIMIT):
    """Codes of the selectable levels whose code starts with `query` or whose name contains it,
    broadest level first; each with its parent for context."""
    query = (query or "").strip()
    if not query:
        return []
    by_code = IndustryCode.objects.filter(level__in=levels, code__startswith=query.upper())
    by_name = IndustryCode.objects.filter(level__in=levels, name__icontains=query)
    found = list((by_code | by_name).select_related("parent"))
    found.sort(key=lambda c: (INDUSTRY_LEVELS.index(c.level), not c.code.startswith(query.upper()), c.code))
    return [_node(code, levels, code.parent) for code in found[:limit]]


class IndustryPicker(forms.Widget):
    """The GB/T 4754 tree with a search box. `multiple`: several codes (one hidden input each);
    `levels`: the levels that may be chosen (the tree goes down to the deepest of them)."""

    template_name = "common/widgets/industry_picker.html"

    def __init__(self, *, multiple=False, levels=INDUSTRY_LEVELS, empty_text="未选择", placeholder="",
                 attrs=None):
        super().__init__(attrs)
        self.multiple = multiple
        self.levels = tuple(levels)
        self.empty_text = empty_text
        self.placeholder = placeholder

    def format_value(self, value):
        if value in (None, ""):
            return []
        values = value if isinstance(value, (list, tuple)) else [value]
        return [str(getattr(v, "pk", v)) for v in values if v not in (None, "")]

    def value_from_datadict(self, data, files, name):
        if self.multiple:
            getter = getattr(data, "getlist", None)
            return getter(name) if getter else data.get(name)
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return False if self.multiple else super().value_omitted_from_data(data, files, name)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        codes = context["widget"]["value"]
        names = dict(IndustryCode.objects.filter(code__in=codes).values_list("code", "name"))
        levels = ",".join(self.levels)
        context["widget"].update({
            "chosen": [{"code": code, "label": f"{code} {names[code]}" if code in names else code}
                       for code in codes],
            "multiple": self.multiple,
            "levels": levels,
            "url": reverse("common:industries"),
            "roots": industry_nodes("", self.levels),
            "empty_text": self.empty_text,
            "placeholder": self.placeholder or "搜索代码或名称，如 26、软件",
        })
        return context


def _industry_queryset(levels):
    return IndustryCode.objects.filter(level__in=levels)


class IndustryField(forms.ModelChoiceField):
    """One GB/T 4754 code of the given levels, chosen in the tree; cleans to the `IndustryCode`."""

    def __init__(self, *, levels=INDUSTRY_LEVELS, empty_text="未选择", placeholder="", error_messages=None,
                 **kwargs):
        kwargs.setdefault("widget", IndustryPicker(levels=levels, empty_text=empty_text, placeholder=placeholder))
        super().__init__(_industry_queryset(levels), empty_label=None, error_messages={
            "required": "请选择行业。",
            "invalid_choice": "行业代码不存在，请从行业分类中选择。",
            **(error_messages or {})}, **kwargs)

    def to_python(self, value):
        return super().to_python(value.strip().upper() if isinstance(value, str) else value)


class IndustryMultipleField(forms.ModelMultipleChoiceField):
    """Several GB/T 4754 codes of the given levels; cleans to a list of codes (strings), in tree order."""

    def __init__(self, *, levels=INDUSTRY_LEVELS, empty_text="不限", error_messages=None, **kwargs):
        kwargs.setdefault("widget", IndustryPicker(multiple=True, levels=levels, empty_text=empty_text))
        super().__init__(_industry_queryset(levels), error_messages={
            "required": "请至少选择一个行业。",
            "invalid_choice": "行业代码不存在：%(value)s，请从行业分类中选择。",
            "invalid_pk_value": "行业代码不存在：%(pk)s，请从行业分类中选择。",
            **(error_messages or {})}, **kwargs)

    def clean(self, value):
        if isinstance(value, (list, tuple)):
            value = [str(v).strip().upper() for v in value]
        chosen = super().clean(value)
        codes = {c.code for c in chosen} if chosen else set()
        return sorted(codes, key=lambda code: (code.isdigit(), code))


# --- A checklist with search and suggestions ---------------------------------------------------------
class ChecklistPicker(forms.CheckboxSelectMultiple):
    """Checkboxes with a search box that filters them, the `suggested` values (in their order) shown
    first under `suggested_label`, the rest under `others_label`. `describe(instance)` gives an
    option's (main words, detail, extra search words) — e.g. a department's short name, full name."""

    template_name = "common/widgets/checklist_picker.html"

    def __init__(self, *, describe=None, suggested=(), suggested_label="推荐", others_label="全部",
                 placeholder="搜索", attrs=None):
        super().__init__(attrs)
        self.describe = describe
        self.suggested = list(suggested)
        self.suggested_label = suggested_label
        self.others_label = others_label
        self.placeholder = placeholder

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        main, detail, words = (self.describe(instance) if self.describe and instance is not None
                               else (str(label), "", ""))
        option.update({"main": main, "detail": detail,
                       "search": " ".join(w for w in (main, detail, words, str(label)) if w).lower()})
        return option

    def optgroups(self, name, value, attrs=None):
        options = [group[1][0] for group in super().optgroups(name, value, attrs)]
        suggested = [str(pk) for pk in self.suggested]
        keyed = {str(option["value"]): option for option in options}
        first = [keyed[pk] for pk in suggested if pk in keyed]
        rest = [option for option in options if str(option["value"]) not in suggested]
        groups = []
        if first:
            groups.append((self.suggested_label, first, 0))
        if rest:
            groups.append((self.others_label if first else None, rest, len(groups)))
        return groups

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["placeholder"] = self.placeholder
        return context
