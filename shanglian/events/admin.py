"""活动 in /admin: for looking records up and for the sysadmin's reference data (活动项目, 议事规则).
Events, invitations, check-ins, resolutions and the roster change only through the pages and services,
where each step is checked and audited; here they are read-only."""

from django.contrib import admin

from shanglian.audit.admin_mixins import AuditedModelAdmin, ReadOnlyAdmin, ReadOnlyInline

from .models import (
    ChairDuty,
    CheckIn,
    DutyLogEntry,
    Event,
    EventAppeal,
    EventAttachment,
    Feedback,
    Invitation,
    Programme,
    QuorumRule,
    Resolution,
    ResolutionAttachment,
    Scan,
)


@admin.register(Programme)
class ProgrammeAdmin(AuditedModelAdmin):
    """活动项目 (a yearly training programme, 杰青领航 …): events are counted together per programme."""

    list_display = ["name", "year", "federation"]
    list_filter = ["federation", "year"]
    search_fields = ["name"]

    def has_delete_permission(self, request, obj=None):
        return False  # events point to their programme


@admin.register(QuorumRule)
class QuorumRuleAdmin(AuditedModelAdmin):
    list_display = ["body", "federation", "quorum_numerator", "quorum_denominator", "pass_numerator",
                    "pass_denominator"]
    list_filter = ["federation", "body"]


class AttachmentInline(ReadOnlyInline):
    model = EventAttachment
    fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "kind", "organiser", "starts_at", "venue", "status", "federation"]
    list_filter = ["status", "kind", "organiser", "federation"]
    search_fields = ["number", "title", "venue"]
    list_select_related = ["kind", "federation"]
    date_hierarchy = "starts_at"
    exclude = ["checkin_code"]
    inlines = [AttachmentInline]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["name", "event", "enterprise", "mobile_tail", "channel", "status", "responded_at"]
    list_filter = ["status", "channel"]
    search_fields = ["name", "event__title", "event__number"]
    list_select_related = ["event", "enterprise"]
    exclude = ["code"]  # the check-in credential is never shown


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdmin):
    list_display = ["name", "event", "method", "organisation", "checked_in_at", "checked_in_by"]
    list_filter = ["method"]
    search_fields = ["name", "event__title", "event__number"]
    list_select_related = ["event", "checked_in_by"]
    date_hierarchy = "checked_in_at"


@admin.register(Scan)
class ScanAdmin(ReadOnlyAdmin):
    list_display = ["scanned_at", "event", "result", "reason", "message", "scanned_by"]
    list_filter = ["result", "reason"]
    search_fields = ["message", "event__title"]
    list_select_related = ["event", "scanned_by"]
    date_hierarchy = "scanned_at"


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ["checkin", "score", "submitted_at"]
    list_filter = ["score"]
    list_select_related = ["checkin"]


@admin.register(EventAppeal)
class EventAppealAdmin(ReadOnlyAdmin):
    list_display = ["event", "appeal"]
    list_select_related = ["event", "appeal"]
    search_fields = ["event__title", "appeal__number"]


class ResolutionAttachmentInline(AttachmentInline):
    model = ResolutionAttachment


@admin.register(Resolution)
class ResolutionAdmin(ReadOnlyAdmin):
    list_display = ["title", "event", "present", "eligible", "votes_for", "votes_against", "abstentions", "passed"]
    list_filter = ["passed"]
    search_fields = ["title", "event__title"]
    list_select_related = ["event"]
    inlines = [ResolutionAttachmentInline]


class DutyLogInline(ReadOnlyInline):
    model = DutyLogEntry
    fields = ["day", "content", "written_by", "written_at"]
    readonly_fields = fields


@admin.register(ChairDuty)
class ChairDutyAdmin(ReadOnlyAdmin):
    list_display = ["month", "position", "chamber", "federation", "seconded_staff"]
    list_filter = ["federation", "chamber"]
    list_select_related = ["position", "position__person", "chamber", "federation"]
    inlines = [DutyLogInline]
