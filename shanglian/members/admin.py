from django.contrib import admin

from shanglian.audit.admin_mixins import AuditedModelAdmin
from shanglian.common.admin_masking import MaskedPersonalFieldsAdmin

from .models import ChamberMembership, DuesRecord, Enterprise, EnterpriseRole, Membership, Person


@admin.register(Enterprise)
class EnterpriseAdmin(MaskedPersonalFieldsAdmin, AuditedModelAdmin):
    list_display = ("name", "uscc", "enterprise_type", "industry", "size", "street")
    search_fields = ("name", "uscc", "name_initials")
    list_filter = ("size", "is_high_tech", "is_local")
    autocomplete_fields = ("industry",)
    exclude = ("contact_mobile_index",)
    personal_fields = {"contact_mobile": "mobile"}


class EnterpriseRoleInline(admin.TabularInline):
    model = EnterpriseRole
    extra = 0
    autocomplete_fields = ("enterprise",)


@admin.register(Person)
class PersonAdmin(MaskedPersonalFieldsAdmin, AuditedModelAdmin):
    list_display = ("name", "gender", "birth_year", "is_new_generation")
    search_fields = ("name", "name_initials")
    exclude = ("id_number_index", "mobile_index")
    personal_fields = {"id_number": "id_number", "mobile": "mobile"}
    inlines = [EnterpriseRoleInline]


@admin.register(ChamberMembership)
class ChamberMembershipAdmin(AuditedModelAdmin):
    list_display = ("chamber", "enterprise", "joined", "status")
    list_filter = ("status", "chamber")
    autocomplete_fields = ("enterprise",)


class DuesRecordInline(admin.TabularInline):
    model = DuesRecord
    extra = 0


@admin.register(Membership)
class MembershipAdmin(AuditedModelAdmin):
    list_display = ("number", "__str__", "kind", "joined", "status", "left", "body_position")
    list_filter = ("kind", "status", "body_position")
    search_fields = ("number", "enterprise__name", "person__name", "group__name")
    autocomplete_fields = ("enterprise", "person", "group")
    inlines = [DuesRecordInline]
