from django.contrib import admin

from shanglian.audit.admin_mixins import AuditedModelAdmin

from .models import DictItem, HolidayDay, HolidayYear, IndustryCode


@admin.register(IndustryCode)
class IndustryCodeAdmin(AuditedModelAdmin):
    """The standard's table: loaded from the data file, never edited by hand."""

    list_display = ["code", "name", "level", "section", "parent"]
    list_filter = ["level", "section"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    ordering = ["section", "code"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DictItem)
class DictItemAdmin(AuditedModelAdmin):
    list_display = ["kind", "code", "label", "order", "is_active"]
    list_editable = ["label", "order", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["kind", "code", "label"]
    ordering = ["kind", "order", "code"]


class HolidayDayInline(admin.TabularInline):
    model = HolidayDay
    extra = 0
    fields = ["date", "name", "is_workday"]
    ordering = ["date"]


@admin.register(HolidayYear)
class HolidayYearAdmin(AuditedModelAdmin):
    list_display = ["year", "note", "updated_at"]
    search_fields = ["note"]
    inlines = [HolidayDayInline]
