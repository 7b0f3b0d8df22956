"""REST API of appeals (/api/v1/appeals/): the same selectors (scope) and services (every write) as the
pages. Thin: parse the JSON body, call the service, serialise the appeal.

The action endpoints (`POST <pk>/accept/` …) are generated from `workflow.APPEAL_FLOW`: one per
transition, with its serializer as the body and its service behind it.

Errors: a role that may not act → 403 (PermissionDenied), an appeal outside the caller's scope → 404,
bad input → 400 with the Chinese message in `detail`, an action the appeal's state does not allow →
409 with the service's message (`common.api.exception_handler`). Request bodies are JSON only (415
otherwise, DEFAULT_PARSER_CLASSES).
"""

from django.db.models import Prefetch
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response

from shanglian.accounts.roles import Role, role_of
from shanglian.common.api import AuditedLookupMixin, IdField, TextField, transition_actions
from shanglian.common.masking import mask
from shanglian.members.models import Enterprise

from . import selectors, services
from .models import (
    Appeal,
    AppealCategory,
    Assignment,
    Attachment,
    Channel,
    ExtensionRequest,
    MediationResult,
    Status,
    TimelineEntry,
    Urgency,
)
from .workflow import APPEAL_FLOW, WRITER_ROLES


# Roles that may send any write at all (those of the workflow table); chamber secretaries and
# auditors only read (ASVS 13.1.4: refused at the endpoint before any input is parsed; the services
# check every action again).
class AppealWritePermission(permissions.BasePermission):
    message = "您的角色只能查看诉求，不能办理。"

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or role_of(request.user) in WRITER_ROLES


# --- output ----------------------------------------------------------------------------------------
class CategoryBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = AppealCategory
        fields = ["id", "code", "name", "is_rights_case"]


class EnterpriseBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Enterprise
        fields = ["id", "name"]


class AppealListSerializer(serializers.ModelSerializer):
    enterprise = EnterpriseBriefSerializer(read_only=True)
    category = CategoryBriefSerializer(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True, label="状态名称")
    channel_display = serializers.CharField(source="get_channel_display", read_only=True, label="来源渠道名称")
    is_overdue = serializers.SerializerMethodField(label="已超期")

    class Meta:
        model = Appeal
        fields = ["id", "number", "title", "enterprise", "category", "channel", "channel_display", "urgency",
                  "status", "status_display", "submitted_at", "deadline", "deadline_provisional", "is_overdue",
                  "is_supervised", "rating"]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_overdue(self, obj):
        return obj.overdue_on(selectors.today())


class TimelineEntrySerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.name", default="", read_only=True, label="部门")
    note = serializers.SerializerMethodField(label="说明")
    internal_note = serializers.SerializerMethodField(label="内部意见（仅内部可见）")
    actor_name = serializers.SerializerMethodField(label="操作人")

    class Meta:
        model = TimelineEntry
        fields = ["id", "at", "action", "action_label", "from_status", "to_status", "department", "actor_name",
                  "note", "internal_note"]

    def _for_enterprise(self):
        return self.context.get("role") == Role.ENTERPRISE

    @extend_schema_field(OpenApiTypes.STR)
    def get_note(self, obj):
        # The enterprise sees the notes the H5 page shows; a department not another department's.
        return obj.note if selectors.note_visible(self.context["request"].user, obj) else ""

    @extend_schema_field(OpenApiTypes.STR)
    def get_internal_note(self, obj):
        # Federation staff and departments only: "" for the enterprise and chambers.
        return obj.internal_note if selectors.internal_note_visible(self.context["request"].user, obj) else ""

    @extend_schema_field(OpenApiTypes.STR)
    def get_actor_name(self, obj):
        return "" if self._for_enterprise() else obj.actor_name


class ExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExtensionRequest
        fields = ["id", "requested_at", "days", "reason", "decision", "decided_at", "decision_note",
                  "old_deadline", "new_deadline"]


class AssignmentSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.name", read_only=True, label="承办部门")
    department_id = serializers.IntegerField(read_only=True, label="承办部门ID")
    state_display = serializers.CharField(source="get_state_display", read_only=True, label="办理状态名称")
    extensions = ExtensionSerializer(many=True, read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "department_id", "department", "round", "state", "state_display", "dispatched_at",
                  "sign_deadline", "deadline", "deadline_provisional", "accepted_at", "returned_at", "return_reason",
                  "replied_at", "reply", "replied_on_time", "working_days_to_reply", "extensions"]


class EnterpriseReplySerializer(serializers.ModelSerializer):
    """What the enterprise sees of a department's part: its reply."""

    department = serializers.CharField(source="department.name", read_only=True, label="承办部门")

    class Meta:
        model = Assignment
        fields = ["id", "department", "round", "replied_at", "reply"]


class AttachmentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField(label="下载地址")

    class Meta:
        model = Attachment
        fields = ["id", "original_name", "content_type", "size", "sha256", "uploaded_at", "timeline_entry",
                  "download_url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, obj):
        url = reverse("appeals:attachment", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class AppealDetailSerializer(AppealListSerializer):
    assignments = serializers.SerializerMethodField(label="派单")
    timeline = serializers.SerializerMethodField(label="办理记录")
    attachments = serializers.SerializerMethodField(label="附件")
    contact_mobile = serializers.SerializerMethodField(label="联系电话（脱敏）")

    class Meta(AppealListSerializer.Meta):
        fields = AppealListSerializer.Meta.fields + [
            "content", "contact_name", "contact_mobile", "source_note", "accepted_at", "first_dispatched_at", "replied_at",
            "replied_on_time", "closed_at", "rejected_reason", "supervised_at", "reopen_count", "rated_at",
            "counterpart", "amount_involved", "legal_aid_given", "mediation_result",
            "assignments", "timeline", "attachments",
        ]

    @extend_schema_field(OpenApiTypes.STR)
    def get_contact_mobile(self, obj):
        return mask("mobile", obj.contact_mobile)

    @extend_schema_field(AssignmentSerializer(many=True))
    def get_assignments(self, obj):
        """Federation roles and chambers: every department's part; a department: its own only (as the
        detail page); the enterprise: the replies (as the H5 page), through EnterpriseReplySerializer."""
        assignments = selectors.assignments_visible_to(self.context["request"].user, obj)
        if self.context.get("role") == Role.ENTERPRISE:
            return EnterpriseReplySerializer(assignments, many=True, context=self.context).data
        assignments = assignments.prefetch_related(
            Prefetch("extensions", queryset=ExtensionRequest.objects.order_by("id")))
        return AssignmentSerializer(assignments, many=True, context=self.context).data

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, obj):
        user = self.context["request"].user
        shown = [a for a in obj.attachments.select_related("timeline_entry") if selectors.attachment_visible(user, a)]
        return AttachmentSerializer(shown, many=True, context=self.context).data

    @extend_schema_field(TimelineEntrySerializer(many=True))
    def get_timeline(self, obj):
        return TimelineEntrySerializer(obj.timeline.select_related("department"), many=True,
                                       context=self.context).data


# --- input -----------------------------------------------------------------------------------------
class AppealFilterSerializer(serializers.Serializer):
    queue = serializers.ChoiceField(label="工作队列", choices=list(selectors.QUEUES.items()), required=False)
    status = serializers.ChoiceField(label="状态", choices=Status.choices, required=False)
    category = IdField(label="诉求类别ID", required=False)
    department = IdField(label="承办部门ID", required=False)
    supervised = serializers.BooleanField(label="仅督办", required=False, default=False)
    q = TextField(label="编号、标题或企业名称", required=False, allow_blank=True)


class AppealCreateSerializer(serializers.Serializer):
    enterprise = IdField(
        label="企业ID", required=False, allow_null=True, default=None,
        help_text="工作人员登记时必填；企业用户只能为本企业提交，可不填。")
    channel = serializers.ChoiceField(label="来源渠道", choices=Channel.choices, default=Channel.PHONE,
                                      help_text="企业用户提交时固定为“平台”。")
    category = serializers.PrimaryKeyRelatedField(label="诉求类别", queryset=AppealCategory.objects.filter(
        is_active=True))
    urgency = serializers.ChoiceField(label="紧急程度", choices=Urgency.choices, default=Urgency.NORMAL)
    title = TextField(label="诉求标题", allow_blank=True)
    content = TextField(multiline=True, label="诉求内容", allow_blank=True)
    contact_name = TextField(label="联系人", required=False, allow_blank=True, default="")
    contact_mobile = TextField(label="联系电话", required=False, allow_blank=True, default="",
                                           help_text="11位手机号码；不填则使用企业登记的联系人手机。")
    source_note = TextField(label="来源活动/走访", required=False, allow_blank=True, default="")
    counterpart = TextField(label="对方当事人", required=False, allow_blank=True, default="",
                                        help_text="维权案件必填。")
    amount_involved = serializers.DecimalField(label="涉及金额（元）", max_digits=14, decimal_places=2,
                                               required=False, allow_null=True, default=None)
    legal_aid_given = serializers.BooleanField(label="提供法律援助", required=False, default=False)
    mediation_result = serializers.ChoiceField(label="调解结果", choices=MediationResult.choices, required=False,
                                               default="")


# --- the viewset -----------------------------------------------------------------------------------
ERRORS = {
    400: OpenApiResponse(description="输入有误（detail 为中文说明）"),
    403: OpenApiResponse(description="角色无权办理该操作"),
    404: OpenApiResponse(description="诉求不存在或不在您的数据范围内"),
    409: OpenApiResponse(description="诉求当前状态不允许该操作（detail 为中文说明）"),
    415: OpenApiResponse(description="请求体只接受 application/json"),
}


def _data(request, serializer_class):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


@extend_schema_view(
    list=extend_schema(summary="诉求列表", parameters=[AppealFilterSerializer]),
    retrieve=extend_schema(summary="诉求详情（含办理记录、派单和附件）"),
    create=extend_schema(summary="提交诉求", request=AppealCreateSerializer,
                         responses={201: AppealDetailSerializer, 400: ERRORS[400], 403: ERRORS[403],
                                    415: ERRORS[415]}),
)
@transition_actions(APPEAL_FLOW, respond=lambda viewset, appeal: viewset._detail(appeal),
                    responses={200: AppealDetailSerializer, **ERRORS})
class AppealViewSet(AuditedLookupMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated, AppealWritePermission]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Appeal.objects.none()
        user = self.request.user
        if self.action == "list":
            filters = AppealFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            return selectors.appeal_list(user, filters=filters.validated_data)
        if self.action == "retrieve":
            return selectors.appeals_visible_to(user).prefetch_related("attachments")
        return selectors.appeals_visible_to(user)

    def get_serializer_class(self):
        return AppealListSerializer if self.action == "list" else AppealDetailSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["role"] = role_of(self.request.user)
        return context

    def _detail(self, appeal, status_code=status.HTTP_200_OK):
        appeal = self.get_queryset().prefetch_related("attachments").get(pk=appeal.pk)
        return Response(AppealDetailSerializer(appeal, context=self.get_serializer_context()).data,
                        status=status_code)

    def create(self, request, *args, **kwargs):
        data = _data(request, AppealCreateSerializer)
        user = request.user
        wanted = data["enterprise"]
        if wanted is None and role_of(user) == Role.ENTERPRISE:
            wanted = user.enterprise_id
        # The service decides whether the caller may file for this enterprise (its own; or, for the
        # desk, one in its federation's scope): an unknown id is refused like an out-of-scope one.
        enterprise = Enterprise.objects.filter(pk=wanted).first() if wanted is not None else None
        rights = services.RightsCase(counterpart=data["counterpart"], amount_involved=data["amount_involved"],
                                     legal_aid_given=data["legal_aid_given"],
                                     mediation_result=data["mediation_result"])
        appeal = services.submit_appeal(
            actor=user, enterprise=enterprise, category=data["category"], title=data["title"],
            content=data["content"], channel=data["channel"], urgency=data["urgency"],
            contact_name=data["contact_name"], contact_mobile=data["contact_mobile"], source_note=data["source_note"],
            rights=rights)
        return self._detail(appeal, status.HTTP_201_CREATED)
