from django.contrib import admin

from shanglian.audit.admin_mixins import AuditedModelAdmin

from .models import AppealCategory


@admin.register(AppealCategory)
class AppealCategoryAdmin(AuditedModelAdmin):
    """诉求类别 and their deadlines: the sysadmin adjusts them (appeals themselves change only through
    the service desk's pages, so that every change is a timeline entry)."""

    list_display = ["name", "code", "reply_days", "sign_hours", "is_rights_case", "order", "is_active"]
    list_editable = ["reply_days", "sign_hours", "order", "is_active"]
    search_fields = ["name", "code"]

    def has_delete_permission(self, request, obj=None):
        return False  # appeals point to their category; deactivate instead
