"""Model fields for personal data at rest.

    class Person(models.Model):
        id_number = EncryptedTextField("身份证号码", blank=True)
        id_number_index = BlindIndexField(
            source="id_number", normalizer="shanglian.common.validators.normalize_id_number"
        )

    Person.objects.filter(id_number_index=Person._meta.get_field("id_number_index").index_for(value))

`EncryptedTextField` stores a `FieldCipher` token and gives plaintext in Python. Its ciphertext is
randomised, so it cannot be filtered, ordered or made unique: use a `BlindIndexField` next to it.
Lookups other than `isnull` (and `exact` with "") raise `FieldError` instead of silently matching
nothing.

`BlindIndexField` recomputes the HMAC of its source on every save. Two ways around that are refused or
documented: `save(update_fields=[...])` naming the source but not the index raises `ValueError`;
`QuerySet.update()` and `bulk_update()` bypass `pre_save`, so pass the index value yourself
(`index_for(value)`).
"""

from django import forms
from django.contrib.admin.widgets import AdminTextareaWidget, AdminTextInputWidget
from django.core import checks
from django.core.exceptions import FieldDoesNotExist, FieldError
from django.db import models
from django.db.models.lookups import Exact
from django.db.models.signals import pre_save

from .crypto import blind_index, blind_indexes, get_cipher

__all__ = ["BlindIndexField", "EncryptedTextField"]


class EncryptedTextField(models.TextField):
    """A text field encrypted at rest (AES-256-GCM token); Python sees the plaintext."""

    description = "加密文本"
    _allowed_lookups = frozenset({"exact", "isnull"})

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return get_cipher().decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return get_cipher().encrypt(value)

    def get_db_prep_save_many(self, values, connection):
        """`[self.get_db_prep_save(v, connection) for v in values]`, the non-empty texts encrypted in one
        batch (`FieldCipher.encrypt_many`: the same tokens, a fresh nonce for each)."""
        prepared, positions = list(values), []
        for i, value in enumerate(prepared):
            if value.__class__ is str:
                if value:
                    positions.append(i)
            elif value is not None:
                prepared[i] = self.get_db_prep_save(value, connection)  # not a plain str: one at a time
        for i, token in zip(positions, get_cipher().encrypt_many([prepared[i] for i in positions]), strict=True):
            prepared[i] = token
        return prepared

    def formfield(self, **kwargs):
        # Every encrypted value is a short one (a mobile, an ID number, a key): one line, not the textarea
        # of a TextField — in any form, and in /admin, which asks for its own textarea widget.
        widget = kwargs.get("widget")
        kind = widget if isinstance(widget, type) else type(widget)
        if widget is None or issubclass(kind, forms.Textarea):
            kwargs["widget"] = AdminTextInputWidget if issubclass(kind, AdminTextareaWidget) else forms.TextInput
        return super().formfield(**kwargs)

    def get_lookup(self, lookup_name):
        if lookup_name not in self._allowed_lookups:
            raise FieldError(
                f"加密字段“{self.name}”不支持“{lookup_name}”查询：密文是随机的，请通过对应的盲索引字段查找。"
            )
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name):
        return None

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if self.unique or self.db_index or self.primary_key:
            errors.append(
                checks.Error(
                    "加密字段不能设置 unique、db_index 或 primary_key：密文是随机的，请改用盲索引字段。",
                    obj=self,
                    id="common.E001",
                )
            )
        return errors


@EncryptedTextField.register_lookup
class EncryptedExact(Exact):
    """`exact` is allowed only against "" (finding empty values); anything else would never match."""

    lookup_name = "exact"

    def get_prep_lookup(self):
        if self.rhs != "":
            raise FieldError("加密字段不能按值查询，请通过对应的盲索引字段查找。")
        return super().get_prep_lookup()


class BlindIndexField(models.CharField):
    """HMAC-SHA256 (hex) of another field's normalised value, computed on save; "" when it is empty."""

    description = "盲索引"
    _defaults = {"max_length": 64, "db_index": True, "editable": False, "blank": True, "default": ""}

    def __init__(self, *args, source=None, normalizer=None, **kwargs):
        for key, value in self._defaults.items():
            kwargs.setdefault(key, value)
        self.source = source
        if normalizer is not None and not isinstance(normalizer, str):
            normalizer = _dotted_path(normalizer)
        self.normalizer = normalizer
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key, value in self._defaults.items():
            if kwargs.get(key, models.NOT_PROVIDED) == value:
                kwargs.pop(key)
        kwargs["source"] = self.source
        if self.normalizer is not None:
            kwargs["normalizer"] = self.normalizer
        return name, path, args, kwargs

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if not self.source:
            errors.append(checks.Error("盲索引字段必须指定 source。", obj=self, id="common.E002"))
        else:
            try:
                self.model._meta.get_field(self.source)
            except FieldDoesNotExist:
                errors.append(
                    checks.Error(
                        f"盲索引字段的 source “{self.source}”不是本模型的字段。", obj=self, id="common.E003"
                    )
                )
        return errors

    def index_for(self, value):
        """The index a value would get: use it to look rows up (`filter(<field>=index_for(v))`)."""
        return blind_index(value, self.normalizer)

    def index_for_many(self, values):
        """`[self.index_for(v) for v in values]`, in one batch."""
        return blind_indexes(values, self.normalizer)

    def pre_save(self, model_instance, add):
        value = self.index_for(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        if not cls._meta.abstract:
            pre_save.connect(self._check_update_fields, sender=cls)

    def _check_update_fields(self, sender, instance, update_fields=None, **kwargs):
        if update_fields and self.source in update_fields and self.name not in update_fields:
            raise ValueError(
                f"save(update_fields=...) includes {self.source!r} but not its blind index {self.name!r}"
            )


def _dotted_path(func):
    module, qualname = getattr(func, "__module__", None), getattr(func, "__qualname__", "")
    if not module or "<" in qualname or "." in qualname:
        raise ValueError("normalizer must be a dotted path string or a module-level function")
    return f"{module}.{qualname}"
