"""Form fields and widgets shared by the apps' forms (they only parse; services check and write)."""

from django import forms

from .pickers import IndustryField

# What the attachment inputs accept (`common.uploads.check_uploads` enforces it).
FILES_HELP = "最多 5 个，每个不超过 10 MB；PDF、JPG、PNG、Word（docx）、Excel（xlsx）。"


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
