"""Admin edits are business changes too: they go through the same audit call."""

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


def _changed_fields(message):
    fields = []
    for entry in message or []:
        fields.extend(entry.get("changed", {}).get("fields", []))
    return fields
