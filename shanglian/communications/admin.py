"""通知调研与宣传 in /admin: for the sysadmin to look records up. Notices, surveys and their answers, research reports,
articles, rules and friendly organisations change only through the pages and services (scoped, checked, audited);
here they are read-only. Attachments, report documents and scans are listed by name, never served from here (the
record's page downloads them after the scope check)."""

from django.contrib import admin

from shanglian.audit.admin_mixins import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    Agreement,
    Answer,
    Article,
    ArticleScan,
    Exchange,
    Notice,
    NoticeAttachment,
    NoticeRecipient,
    Partner,
    Question,
    ReportDocument,
    ResearchReport,
    Response,
    ResponseAppeal,
    Rule,
    RuleVersion,
    SavedFilter,
    Survey,
    SurveyRecipient,
)

FILE_FIELDS = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]


@admin.register(SavedFilter)
class SavedFilterAdmin(ReadOnlyAdmin):
    list_display = ["name", "chamber", "created_by", "created_at", "federation"]
    list_filter = ["federation"]
    search_fields = ["name"]
    list_select_related = ["chamber", "created_by", "federation"]


class NoticeAttachmentInline(ReadOnlyInline):
    model = NoticeAttachment
    fields = FILE_FIELDS
    readonly_fields = fields


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "status", "audience", "chamber", "sms_copy", "sent_at", "federation"]
    list_filter = ["status", "audience", "sms_copy", "federation"]
    search_fields = ["number", "title"]
    list_select_related = ["chamber", "federation"]
    date_hierarchy = "sent_at"
    inlines = [NoticeAttachmentInline]


@admin.register(NoticeRecipient)
class NoticeRecipientAdmin(ReadOnlyAdmin):
    list_display = ["notice", "name", "enterprise", "person", "read_at", "read_by", "reminders"]
    list_filter = ["notice__federation"]
    search_fields = ["name", "notice__number", "notice__title"]
    list_select_related = ["notice", "enterprise", "person", "read_by"]


class QuestionInline(ReadOnlyInline):
    model = Question
    fk_name = "survey"
    fields = ["order", "kind", "text", "required", "options", "low", "high", "minimum", "maximum", "unit", "show_if",
              "show_if_option"]
    readonly_fields = fields


@admin.register(Survey)
class SurveyAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "status", "respondent", "audience", "chamber", "closes_on", "federation"]
    list_filter = ["status", "respondent", "audience", "federation"]
    search_fields = ["number", "title"]
    list_select_related = ["chamber", "federation"]
    date_hierarchy = "opened_at"
    inlines = [QuestionInline]


@admin.register(SurveyRecipient)
class SurveyRecipientAdmin(ReadOnlyAdmin):
    list_display = ["survey", "name", "enterprise", "person", "reminded_at", "reminders"]
    list_filter = ["survey__federation"]
    search_fields = ["name", "survey__number", "survey__title"]
    list_select_related = ["survey", "enterprise", "person"]


class AnswerInline(ReadOnlyInline):
    model = Answer
    fields = ["question", "choices", "number", "text"]
    readonly_fields = fields


class ResponseAppealInline(ReadOnlyInline):
    model = ResponseAppeal
    fields = ["question", "appeal"]
    readonly_fields = fields


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    list_display = ["survey", "enterprise", "respondent", "status", "submitted_at"]
    list_filter = ["status", "survey__federation"]
    search_fields = ["survey__number", "survey__title", "enterprise__name"]
    list_select_related = ["survey", "enterprise", "respondent"]
    date_hierarchy = "submitted_at"
    inlines = [AnswerInline, ResponseAppealInline]


class ReportDocumentInline(ReadOnlyInline):
    model = ReportDocument
    fields = FILE_FIELDS
    readonly_fields = fields


@admin.register(ResearchReport)
class ResearchReportAdmin(ReadOnlyAdmin):
    list_display = ["title", "topic", "method", "period_end", "submitted_to", "instructed", "federation"]
    list_filter = ["method", "submitted_to", "instructed", "federation"]
    search_fields = ["title", "topic", "instructed_by"]
    list_select_related = ["federation"]
    date_hierarchy = "period_end"
    inlines = [ReportDocumentInline]


class ArticleScanInline(ReadOnlyInline):
    model = ArticleScan
    fields = FILE_FIELDS
    readonly_fields = fields


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ["title", "outlet", "level", "kind", "published_on", "federation"]
    list_filter = ["level", "kind", "federation"]
    search_fields = ["title", "outlet"]
    list_select_related = ["federation"]
    date_hierarchy = "published_on"
    inlines = [ArticleScanInline]


class RuleVersionInline(ReadOnlyInline):
    model = RuleVersion
    fields = ["version", "adopted_by", "adopted_on", "effective_from", "resolution", "note"]
    readonly_fields = fields


@admin.register(Rule)
class RuleAdmin(ReadOnlyAdmin):
    list_display = ["title", "category", "repealed_on", "federation"]
    list_filter = ["category", "federation"]
    search_fields = ["title"]
    list_select_related = ["federation"]
    inlines = [RuleVersionInline]


class AgreementInline(ReadOnlyInline):
    model = Agreement
    fields = ["title", "signed_on", "ends_on"]
    readonly_fields = fields


class ExchangeInline(ReadOnlyInline):
    model = Exchange
    fields = ["direction", "date", "leader", "delegates", "purpose", "event"]
    readonly_fields = fields


@admin.register(Partner)
class PartnerAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "region", "since", "ended_on", "federation"]
    list_filter = ["kind", "federation"]
    search_fields = ["name", "region"]
    list_select_related = ["federation"]
    inlines = [AgreementInline, ExchangeInline]


@admin.register(Exchange)
class ExchangeAdmin(ReadOnlyAdmin):
    list_display = ["partner", "direction", "date", "leader", "delegates", "purpose"]
    list_filter = ["direction", "partner__federation"]
    search_fields = ["partner__name", "purpose", "leader"]
    list_select_related = ["partner"]
    date_hierarchy = "date"
