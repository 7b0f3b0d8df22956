from django.contrib import admin

from shanglian.audit.admin_mixins import AuditedModelAdmin

from .models import Chamber, Committee, Department, Federation, Position, Street, Term, Village


@admin.register(Federation)
class FederationAdmin(AuditedModelAdmin):
    list_display = ("name", "level", "region_code", "parent")
    search_fields = ("name", "region_code")


@admin.register(Street)
class StreetAdmin(AuditedModelAdmin):
    list_display = ("name", "code", "is_town", "federation")
    search_fields = ("name", "code")


@admin.register(Chamber)
class ChamberAdmin(AuditedModelAdmin):
    list_display = ("name", "kind", "street", "president", "secretary_general", "status")
    list_filter = ("kind", "status")
    search_fields = ("name",)
    filter_horizontal = ("industries",)


@admin.register(Committee)
class CommitteeAdmin(AuditedModelAdmin):
    list_display = ("name", "order", "federation")


@admin.register(Department)
class DepartmentAdmin(AuditedModelAdmin):
    list_display = ("name", "short_name", "contact", "is_active")
    search_fields = ("name",)


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0
    autocomplete_fields = ("person",)


@admin.register(Term)
class TermAdmin(AuditedModelAdmin):
    list_display = ("__str__", "start", "end")
    inlines = [PositionInline]


@admin.register(Village)
class VillageAdmin(AuditedModelAdmin):
    list_display = ("name", "county", "is_target")
    list_filter = ("is_target",)
