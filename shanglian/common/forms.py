"""Form fields and widgets shared by the apps' forms (they only parse; services check and write)."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from .excel import parse_money
from .pickers import IndustryField
from .validators import is_id, strip_control_characters

# What the attachment inputs accept (`common.uploads.check_uploads` enforces it).
FILES_HELP = "最多 5 个，每个不超过 10 MB；PDF、JPG、PNG、Word（docx）、Excel（xlsx）。"


class CleanTextMixin:
    """Drops control and format characters (ESC, NUL, the RTL override U+202E, zero-width spaces...)
    from what was typed into a form's text fields before any validation, so neither a stored value nor
    the form shown again carries them (`validators.strip_control_characters`); a textarea keeps its
    tabs and line breaks; a password is left as typed. Every form of the project derives from `Form` or `ModelForm` below."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            return
        data = self.data.copy()
        for name, field in self.fields.items():
            key = self.add_prefix(name)
            if not isinstance(field, forms.CharField) or isinstance(field.widget, forms.PasswordInput):
                continue  # a password is compared as typed, never shown
            if key not in data:
                continue
            multiline = isinstance(field.widget, forms.Textarea)
            if hasattr(data, "setlist"):
                data.setlist(key, [strip_control_characters(v, multiline=multiline) for v in data.getlist(key)])
            else:
                data[key] = strip_control_characters(data[key], multiline=multiline)
        self.data = data


class Form(CleanTextMixin, forms.Form):
    """The project's form base: text fields lose control characters (`CleanTextMixin`)."""


class ModelForm(CleanTextMixin, forms.ModelForm):
    """The project's model-form base: text fields lose control characters (`CleanTextMixin`)."""


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the services check count, size and type."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [f for f in data if f]
        return [data] if data else []


def _by_integer_id(field):
    """Whether `field` chooses rows by an integer primary key (not by a code such as an industry's)."""
    return field.to_field_name is None and isinstance(field.queryset.model._meta.pk, models.IntegerField)


class ModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that refuses anything but an id before the query (`validators.is_id`): a
    20-digit number overflowed the integer column, a server error on SQLite and on PostgreSQL."""

    def to_python(self, value):
        if value not in self.empty_values and _by_integer_id(self) and not is_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several rows by id; anything but an id is refused before the query, as in `ModelChoiceField`."""

    def _check_values(self, value):
        if _by_integer_id(self):
            for pk in value if isinstance(value, (list, tuple, set, frozenset)) else [value]:
                if pk not in self.empty_values and not is_id(pk):
                    raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                          params={"pk": pk})
        return super()._check_values(value)


class DateInput(forms.DateInput):
    """The browser's date picker, with the value as 2026-11-22."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(attrs=attrs, format=format)


def date_field(label, *, required=False, error_messages=None, **kwargs):
    """An optional date typed with the browser's date picker; a wrong value is refused in Chinese
    (`error_messages` replaces the default wording)."""
    return forms.DateField(label=label, required=required, widget=DateInput(),
                           error_messages={"invalid": f"{label}格式应为 2026-11-22。", **(error_messages or {})},
                           **kwargs)


class MoneyField(forms.CharField):
    """An amount of money in yuan typed as people type it — "1,234.50", "１２３４", "¥12", "1.5万元" — cleaned to a
    Decimal to the fen by the Excel import's one rule (`excel.parse_money`), so a form and an import accept and
    refuse the same amounts; a refusal reads "<label>：<reason>。" (不能为负数, 最多精确到分, 金额过大 …). `limit`:
    the largest amount (`excel.MONEY_LIMIT` by default). Empty is None."""

    def __init__(self, *, limit=None, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "0.00",
                                                           "maxlength": self.LONGEST}))
        self.limit = limit
        super().__init__(**kwargs)

    LONGEST = 40  # characters typed (checked here: the cleaned value is a Decimal, which a length validator cannot take)

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        if len(text) > self.LONGEST:
            raise ValidationError(f"{self.label}：不能超过 {self.LONGEST} 个字符。", code="invalid")
        try:
            return parse_money(text, limit=self.limit)
        except ValueError as exc:
            raise ValidationError(f"{self.label}：{exc}。", code="invalid") from None


class IndustryDivisionField(IndustryField):
    """A GB/T 4754 大类 chosen in the industry tree; cleans to its two-digit code (a list filter's value)."""

    def clean(self, value):
        industry = super().clean(value)
        return industry.code if industry else None


def industry_division_field(*, example):
    """A GB/T 4754 大类 (two digits) to filter by, e.g. `example="26"`."""
    return IndustryDivisionField(label="行业大类", required=False, levels=("division",), empty_text="全部",
                                 placeholder=f"搜索代码或名称，如 {example}",
                                 error_messages={"invalid_choice": "行业大类为 2 位数字代码，请从行业分类中选择。"})


def split_numbers(text):
    """Record numbers typed in one box (诉求编号, 活动编号 …) separated by spaces, commas, 、 or semicolons: the
    distinct ones, in the order typed."""
    return list(dict.fromkeys(n for n in re.split(r"[\s,，、;；]+", text or "") if n))
