"""会员发展与服务 in /admin: for the sysadmin to look records up. Targets, prospects, applications, enrollments, the
directory, the board and the working groups change only through the pages and services (scoped, checked, audited);
here they are read-only. Contact mobiles (a prospect's, an application's) are not shown; an application's files
are listed by name, never served from here (the application's page downloads them after the scope check)."""

from django.contrib import admin

from shanglian.audit.admin_mixins import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    ApplicationAttachment,
    ContactRequest,
    DirectoryListing,
    DirectorySetting,
    GroupMember,
    GroupProject,
    MatchOutcome,
    MembershipApplication,
    Milestone,
    Post,
    Prospect,
    RecruitmentTarget,
    ServiceEnrollment,
    WorkingGroup,
)


@admin.register(RecruitmentTarget)
class RecruitmentTargetAdmin(ReadOnlyAdmin):
    list_display = ["year", "category", "target", "federation"]
    list_filter = ["year", "category", "federation"]
    list_select_related = ["federation"]


@admin.register(Prospect)
class ProspectAdmin(ReadOnlyAdmin):
    list_display = ["name", "stage", "source", "chamber", "owner", "next_step_on", "federation"]
    list_filter = ["stage", "source", "member_kind", "federation"]
    search_fields = ["name", "uscc", "chamber__name"]
    list_select_related = ["chamber", "owner", "federation"]
    exclude = ["contact_mobile", "contact_mobile_index"]


class ApplicationAttachmentInline(ReadOnlyInline):
    model = ApplicationAttachment
    fields = ["kind", "original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


@admin.register(MembershipApplication)
class MembershipApplicationAdmin(ReadOnlyAdmin):
    list_display = ["number", "enterprise_name", "status", "chamber", "submitted_at", "decided_at", "federation"]
    list_filter = ["status", "federation"]
    search_fields = ["number", "enterprise_name", "uscc"]
    list_select_related = ["chamber", "federation"]
    date_hierarchy = "submitted_at"
    exclude = ["contact_mobile"]
    inlines = [ApplicationAttachmentInline]


@admin.register(ServiceEnrollment)
class ServiceEnrollmentAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "programme", "enrolled_on", "ended_on", "liaison", "federation"]
    list_filter = ["programme", "federation"]
    search_fields = ["enterprise__name"]
    list_select_related = ["enterprise", "programme", "liaison", "federation"]
    date_hierarchy = "enrolled_on"


@admin.register(DirectoryListing)
class DirectoryListingAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "listed", "updated_at", "federation"]
    list_filter = ["listed", "federation"]
    search_fields = ["enterprise__name", "products"]
    list_select_related = ["enterprise", "federation"]


@admin.register(DirectorySetting)
class DirectorySettingAdmin(ReadOnlyAdmin):
    list_display = ["federation", "public_enabled", "updated_by", "updated_at"]
    list_select_related = ["federation", "updated_by"]


class ContactRequestInline(ReadOnlyInline):
    model = ContactRequest
    fields = ["requester", "requested_by", "message", "status", "created_at", "decided_at"]
    readonly_fields = fields


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "category", "enterprise", "status", "valid_until", "federation"]
    list_filter = ["category", "status", "federation"]
    search_fields = ["number", "title", "keywords", "enterprise__name"]
    list_select_related = ["enterprise", "federation"]
    date_hierarchy = "created_at"
    inlines = [ContactRequestInline]


@admin.register(MatchOutcome)
class MatchOutcomeAdmin(ReadOnlyAdmin):
    list_display = ["kind", "enterprise", "partner_display", "reached_on", "amount", "jobs", "event", "federation"]
    list_filter = ["kind", "federation"]
    search_fields = ["enterprise__name", "partner__name", "partner_name"]
    list_select_related = ["enterprise", "partner", "event", "federation"]
    date_hierarchy = "reached_on"

    @admin.display(description="对接方")
    def partner_display(self, obj):
        return str(obj.partner) if obj.partner_id else obj.partner_name


class GroupMemberInline(ReadOnlyInline):
    model = GroupMember
    fields = ["person", "enterprise", "is_lead", "joined"]
    readonly_fields = fields


class GroupProjectInline(ReadOnlyInline):
    model = GroupProject
    fields = ["name", "goal", "start", "due", "status", "finished_on"]
    readonly_fields = fields


@admin.register(WorkingGroup)
class WorkingGroupAdmin(ReadOnlyAdmin):
    list_display = ["name", "focus", "established", "dissolved", "federation"]
    list_filter = ["federation"]
    search_fields = ["name", "focus"]
    list_select_related = ["federation"]
    inlines = [GroupMemberInline, GroupProjectInline]


class MilestoneInline(ReadOnlyInline):
    model = Milestone
    fields = ["title", "due", "done_on", "note"]
    readonly_fields = fields


@admin.register(GroupProject)
class GroupProjectAdmin(ReadOnlyAdmin):
    list_display = ["name", "group", "status", "start", "due", "finished_on"]
    list_filter = ["status"]
    search_fields = ["name", "group__name"]
    list_select_related = ["group"]
    inlines = [MilestoneInline]
