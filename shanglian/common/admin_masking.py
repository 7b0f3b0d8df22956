"""/admin shows personal values the way every other page does: masked (`common.masking`).

A change form leaves an ID number or mobile input empty and says what is stored, masked; an empty input
keeps the stored value and a typed one replaces it (as the member forms do, members/forms.py
`keep_personal_values`). Lists show the masked value only. Full values are read only through the pages'
reveal, with its purpose, password and audit row.
"""

from django import forms

from .masking import mask


class MaskedPersonalFieldsAdmin:
    """Mix into a ModelAdmin (before admin.ModelAdmin); `personal_fields` maps a field name to its mask kind."""

    personal_fields = {}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.personal_fields:  # a one-line input (an encrypted field is a TextField underneath)
            attrs = {"autocomplete": "off"}
            if self.personal_fields[db_field.name] == "mobile":
                attrs["inputmode"] = "tel"
            kwargs["widget"] = forms.TextInput(attrs=attrs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        return masked_form(super().get_form(request, obj, **kwargs), self.personal_fields)


def masked_form(form_class, personal_fields):
    class MaskedForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._kept = {}
            for name, kind in personal_fields.items():
                if name not in self.fields:
                    continue
                stored = getattr(self.instance, name, "") if self.instance.pk else ""
                field = self.fields[name]
                field.required = False
                self.initial[name] = ""
                if stored:
                    self._kept[name] = stored
                    field.help_text = f"已登记 {mask(kind, stored)}，留空则不修改"
                    field.widget.attrs["placeholder"] = "留空则不修改"

        def clean(self):
            cleaned = super().clean()
            for name, stored in self._kept.items():
                if name in cleaned and not cleaned[name]:
                    cleaned[name] = stored
            return cleaned

    MaskedForm.__name__ = form_class.__name__
    return MaskedForm
