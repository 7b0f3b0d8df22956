"""政治引领 in /admin: for the sysadmin to look records up. Arrangements (a seat's terms never overlap), proposals
(their life is the workflow table's, each step logged), liaisons and visits (an appeal raised from a visit is
linked both ways) and party building (organisations, the census, instructors, activities) change only through
the pages and services, where each write is checked, scoped and audited; here they are read-only. No personal
number is shown: a person appears by name (ID numbers and mobiles stay on the person, masked in its admin)."""

from django.contrib import admin

from shanglian.audit.admin_mixins import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    Arrangement,
    Cultivation,
    EnterpriseParty,
    Liaison,
    PartyActivity,
    PartyInstructor,
    PartyOrganisation,
    PersonHonour,
    Proposal,
    ProposalLog,
    Visit,
    VisitAppeal,
)


# --- 代表人士数据库 -------------------------------------------------------------------------------------
@admin.register(Arrangement)
class ArrangementAdmin(ReadOnlyAdmin):
    list_display = ["person", "kind", "level", "role", "term", "sector", "start", "end", "federation"]
    list_filter = ["kind", "level", "role", "federation"]
    search_fields = ["person__name", "term", "sector"]
    list_select_related = ["person", "federation"]
    date_hierarchy = "start"


@admin.register(PersonHonour)
class PersonHonourAdmin(ReadOnlyAdmin):
    list_display = ["person", "title", "conferred_by", "year", "federation"]
    list_filter = ["year", "federation"]
    search_fields = ["person__name", "title"]
    list_select_related = ["person", "federation"]


@admin.register(Cultivation)
class CultivationAdmin(ReadOnlyAdmin):
    list_display = ["person", "plan", "start", "end", "status", "federation"]
    list_filter = ["status", "plan", "federation"]
    search_fields = ["person__name"]
    list_select_related = ["person", "plan", "federation"]


# --- 议案提案 ----------------------------------------------------------------------------------------------
class ProposalLogInline(ReadOnlyInline):
    model = ProposalLog
    fields = ["at", "action_label", "from_status", "to_status", "actor_name", "note"]
    readonly_fields = fields


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "kind", "year", "status", "topic", "department", "federation"]
    list_filter = ["status", "kind", "year", "topic", "federation"]
    search_fields = ["number", "title", "submitters__name"]
    list_select_related = ["topic", "department", "federation"]
    inlines = [ProposalLogInline]


# --- 包联走访 ------------------------------------------------------------------------------------------------
@admin.register(Liaison)
class LiaisonAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "level", "liaison_person", "street", "start", "end", "federation"]
    list_filter = ["level", "federation"]
    search_fields = ["enterprise__name", "liaison_name", "user__display_name", "department__name"]
    list_select_related = ["enterprise", "user", "department", "street", "federation"]

    @admin.display(description="包联人")
    def liaison_person(self, obj):
        return obj.liaison_display


class VisitAppealInline(ReadOnlyInline):
    model = VisitAppeal
    fields = ["appeal"]
    readonly_fields = fields


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ["visited_on", "enterprise", "visitors", "has_problems", "recorded_by", "federation"]
    list_filter = ["federation"]
    search_fields = ["enterprise__name", "visitors", "problems"]
    list_select_related = ["enterprise", "recorded_by", "federation"]
    date_hierarchy = "visited_on"
    inlines = [VisitAppealInline]

    @admin.display(description="发现问题", boolean=True)
    def has_problems(self, obj):
        return bool(obj.problems)


@admin.register(VisitAppeal)
class VisitAppealAdmin(ReadOnlyAdmin):
    list_display = ["visit", "appeal"]
    search_fields = ["visit__enterprise__name", "appeal__number"]
    list_select_related = ["visit", "visit__enterprise", "appeal"]


# --- 非公党建 ------------------------------------------------------------------------------------------------
@admin.register(PartyOrganisation)
class PartyOrganisationAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "host_name", "members_count", "secretary", "founded", "dissolved", "federation"]
    list_filter = ["kind", "federation"]
    search_fields = ["name", "secretary", "enterprise__name", "chamber__name", "street__name"]
    list_select_related = ["enterprise", "chamber", "street", "federation"]

    @admin.display(description="隶属")
    def host_name(self, obj):
        return str(obj.host or "")


@admin.register(EnterpriseParty)
class EnterprisePartyAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "party_members", "surveyed_on"]
    search_fields = ["enterprise__name"]
    list_select_related = ["enterprise"]


@admin.register(PartyInstructor)
class PartyInstructorAdmin(ReadOnlyAdmin):
    list_display = ["name", "unit", "enterprise", "chamber", "start", "end", "federation"]
    list_filter = ["federation"]
    search_fields = ["name", "unit", "enterprise__name", "chamber__name"]
    list_select_related = ["enterprise", "chamber", "federation"]


@admin.register(PartyActivity)
class PartyActivityAdmin(ReadOnlyAdmin):
    list_display = ["held_on", "organisation", "kind", "title", "attendees", "recorded_by"]
    list_filter = ["kind"]
    search_fields = ["title", "organisation__name"]
    list_select_related = ["organisation", "recorded_by"]
    date_hierarchy = "held_on"
