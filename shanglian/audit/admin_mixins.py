"""Admin edits are business changes too: they go through the same audit call. Records whose every write is a
service's (checked, scoped, audited there) are shown read-only: `ReadOnlyAdmin`, `ReadOnlyInline`."""

from django.contrib import admin

from . import services
from .models import AuditAction


class AuditedModelAdmin(admin.ModelAdmin):
    def log_addition(self, request, obj, message):
        services.record(AuditAction.CREATE, actor=request.user, obj=obj, detail={"via": "admin"})
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        services.record(
            AuditAction.UPDATE, actor=request.user, obj=obj,
            detail={"via": "admin", "changed": _changed_fields(message)},
        )
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            services.record(AuditAction.DELETE, actor=request.user, obj=obj, detail={"via": "admin"})
        return super().log_deletions(request, queryset)


class NoWrites:
    """Neither add, change nor delete in the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NoWrites, AuditedModelAdmin):
    """Shown, never changed here (the services own every write)."""

    show_full_result_count = False


class ReadOnlyInline(NoWrites, admin.TabularInline):
    """A record's parts, shown and never changed here."""

    extra = 0


def _changed_fields(message):
    fields = []
    for entry in message or []:
        fields.extend(entry.get("changed", {}).get("fields", []))
    return fields
