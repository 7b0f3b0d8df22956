from django.contrib import admin

from shanglian.audit.admin_mixins import AuditedModelAdmin

from .models import Policy, PolicyIndustry, PolicyPackage


class PolicyIndustryInline(admin.TabularInline):
    model = PolicyIndustry
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Policy)
class PolicyAdmin(AuditedModelAdmin):
    """For looking policies up (and picking them into 服务包). Policies are entered, published and
    pushed on the 政策库 pages, where their eligibility is checked and every step is audited."""

    list_display = ["title", "document_number", "department", "benefit_type", "published_on", "expires_on",
                    "is_automatic", "status", "federation"]
    list_filter = ["status", "is_automatic", "benefit_type", "federation"]
    search_fields = ["title", "document_number"]
    list_select_related = ["department", "benefit_type", "federation"]
    date_hierarchy = "published_on"
    show_full_result_count = False
    inlines = [PolicyIndustryInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PolicyPackage)
class PolicyPackageAdmin(AuditedModelAdmin):
    """服务包: the sysadmin groups policies for one kind of enterprise or one theme."""

    list_display = ["name", "federation", "policy_count", "order"]
    list_editable = ["order"]
    list_filter = ["federation"]
    search_fields = ["name"]
    autocomplete_fields = ["policies"]

    @admin.display(description="政策数")
    def policy_count(self, obj):
        return obj.policies.count()
