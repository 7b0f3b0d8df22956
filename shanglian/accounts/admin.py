from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from shanglian.audit.admin_mixins import AuditedModelAdmin

from .models import TOTPDevice, User


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    list_display = ("username", "display_name", "role_label", "federation", "chamber", "department",
                    "is_active", "last_login")
    list_filter = ("groups", "is_active")
    search_fields = ("username", "display_name")
    fieldsets = DjangoUserAdmin.fieldsets + (
        ("工作单位", {"fields": ("display_name", "mobile", "federation", "chamber", "department", "enterprise",
                              "password_changed_at")}),
    )
    readonly_fields = ("password_changed_at", "last_login", "date_joined")
    autocomplete_fields = ("enterprise",)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "mobile":  # a one-line input (an encrypted field is a TextField underneath)
            kwargs["widget"] = forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description="角色")
    def role_label(self, obj):
        return obj.role_label


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(AuditedModelAdmin):
    list_display = ("user", "name", "confirmed", "last_used_at")
    exclude = ("key",)
    readonly_fields = ("user", "name", "last_used_at", "created_at")

    def has_add_permission(self, request):
        return False
