"""REST API of appeals (/api/v1/appeals/): the same selectors (scope) and services (every write) as the
pages. Thin: parse the JSON body, call the service, serialise the appeal.

Errors: a role that may not act → 403 (PermissionDenied), an appeal outside the caller's scope → 404,
bad input → 400 with the Chinese message in `detail`, an action the appeal's state does not allow →
409 with the service's message. Request bodies are JSON only (415 otherwise, DEFAULT_PARSER_CLASSES).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from shanglian.accounts.roles import Role, role_of
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
    Rating,
    Status,
    TimelineEntry,
    Urgency,
)


# --- errors ----------------------------------------------------------------------------------------
class InvalidInput(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "输入有误。"
    default_code = "invalid"


class TransitionConflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "诉求当前状态不允许该操作。"
    default_code = "transition_refused"


def _run(service, **kwargs):
    """Call a service, turning its refusals into API errors (PermissionDenied → 403 by DRF itself)."""
    try:
        return service(**kwargs)
    except DjangoValidationError as exc:
        raise InvalidInput(" ".join(exc.messages)) from None
    except services.TransitionRefused as exc:
        raise TransitionConflict(exc.message) from None


# Roles that may send any write at all; chamber secretaries and auditors only read (ASVS 13.1.4:
# refused at the endpoint before any input is parsed; the services check every action again).
WRITER_ROLES = selectors.DESK_ROLES | selectors.SUPERVISOR_ROLES | {Role.DEPARTMENT, Role.ENTERPRISE}


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
        return obj.is_open and obj.deadline is not None and obj.deadline < selectors.today()


class TimelineEntrySerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.name", default="", read_only=True, label="部门")
    note = serializers.SerializerMethodField(label="说明")
    actor_name = serializers.SerializerMethodField(label="操作人")

    class Meta:
        model = TimelineEntry
        fields = ["id", "at", "action", "action_label", "from_status", "to_status", "department", "actor_name",
                  "note"]

    def _for_enterprise(self):
        return self.context.get("role") == Role.ENTERPRISE

    @extend_schema_field(OpenApiTypes.STR)
    def get_note(self, obj):
        # The enterprise sees the notes the H5 page shows; a department not another department's.
        return obj.note if selectors.note_visible(self.context["request"].user, obj) else ""

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

    class Meta(AppealListSerializer.Meta):
        fields = AppealListSerializer.Meta.fields + [
            "content", "contact_name", "source_note", "accepted_at", "first_dispatched_at", "replied_at",
            "replied_on_time", "closed_at", "rejected_reason", "supervised_at", "reopen_count", "rated_at",
            "counterpart", "amount_involved", "legal_aid_given", "mediation_result",
            "assignments", "timeline", "attachments",
        ]

    @extend_schema_field(AssignmentSerializer(many=True))
    def get_assignments(self, obj):
        """Federation roles and chambers: every department's part; a department: its own only (as the
        detail page); the enterprise: the replies (as the H5 page), through EnterpriseReplySerializer."""
        user = self.context["request"].user
        role = self.context.get("role")
        assignments = obj.assignments.select_related("department").order_by("round", "id")
        if role == Role.ENTERPRISE:
            replied = assignments.filter(state=Assignment.State.REPLIED)
            return EnterpriseReplySerializer(replied, many=True, context=self.context).data
        if role == Role.DEPARTMENT:
            assignments = assignments.filter(department_id=user.department_id)
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
    category = serializers.IntegerField(label="诉求类别ID", required=False)
    department = serializers.IntegerField(label="承办部门ID", required=False)
    supervised = serializers.BooleanField(label="仅督办", required=False, default=False)
    q = serializers.CharField(label="编号、标题或企业名称", required=False, allow_blank=True)


class AppealCreateSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(
        label="企业ID", required=False, allow_null=True, default=None,
        help_text="工作人员登记时必填；企业用户只能为本企业提交，可不填。")
    channel = serializers.ChoiceField(label="来源渠道", choices=Channel.choices, default=Channel.PHONE,
                                      help_text="企业用户提交时固定为“平台”。")
    category = serializers.PrimaryKeyRelatedField(label="诉求类别", queryset=AppealCategory.objects.filter(
        is_active=True))
    urgency = serializers.ChoiceField(label="紧急程度", choices=Urgency.choices, default=Urgency.NORMAL)
    title = serializers.CharField(label="诉求标题", allow_blank=True)
    content = serializers.CharField(label="诉求内容", allow_blank=True)
    contact_name = serializers.CharField(label="联系人", required=False, allow_blank=True, default="")
    source_note = serializers.CharField(label="来源活动/走访", required=False, allow_blank=True, default="")
    counterpart = serializers.CharField(label="对方当事人", required=False, allow_blank=True, default="",
                                        help_text="维权案件必填。")
    amount_involved = serializers.DecimalField(label="涉及金额（元）", max_digits=14, decimal_places=2,
                                               required=False, allow_null=True, default=None)
    legal_aid_given = serializers.BooleanField(label="提供法律援助", required=False, default=False)
    mediation_result = serializers.ChoiceField(label="调解结果", choices=MediationResult.choices, required=False,
                                               default="")


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(label="意见", required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(label="理由", allow_blank=True)


class DispatchSerializer(serializers.Serializer):
    departments = serializers.ListField(label="承办部门ID", child=serializers.IntegerField(), allow_empty=True)
    deadline = serializers.DateField(label="办理期限", required=False, allow_null=True, default=None,
                                     help_text="不填则按诉求类别的答复时限（工作日）自动计算；不能早于今天。")
    note = serializers.CharField(label="派单意见", required=False, allow_blank=True, default="")


class ExtensionRequestSerializer(serializers.Serializer):
    days = serializers.IntegerField(label="延期（工作日）")
    reason = serializers.CharField(label="延期理由", allow_blank=True)


class ExtensionDecisionSerializer(serializers.Serializer):
    request = serializers.IntegerField(label="延期申请ID", required=False, allow_null=True, default=None,
                                       help_text="同时有多个部门申请延期时必填。")
    approve = serializers.BooleanField(label="同意延期")
    note = serializers.CharField(label="审批意见", required=False, allow_blank=True, default="",
                                 help_text="不同意时必填。")


class ReplySerializer(serializers.Serializer):
    reply = serializers.CharField(label="答复内容", allow_blank=True)


class RateSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(label="评价", choices=Rating.choices)
    comment = serializers.CharField(label="评价意见", required=False, allow_blank=True, default="",
                                    help_text="不满意时必填。")


class CloseSerializer(serializers.Serializer):
    note = serializers.CharField(label="办结说明", allow_blank=True)


class RightsCaseSerializer(serializers.Serializer):
    counterpart = serializers.CharField(label="对方当事人", allow_blank=True)
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


def _transition(summary, request_serializer):
    return extend_schema(summary=summary, request=request_serializer,
                         responses={200: AppealDetailSerializer, **ERRORS})


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
class AppealViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
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
        appeal = _run(services.submit_appeal, actor=user, enterprise=enterprise, category=data["category"],
                      title=data["title"], content=data["content"], channel=data["channel"],
                      urgency=data["urgency"], contact_name=data["contact_name"], source_note=data["source_note"],
                      rights=rights)
        return self._detail(appeal, status.HTTP_201_CREATED)

    # One POST per transition. Each method looks the appeal up in the caller's scope (404 otherwise)
    # and hands the parsed body to the service.
    @_transition("受理", NoteSerializer)
    @action(detail=True, methods=["post"], url_path="accept", url_name="accept")
    def accept(self, request, pk=None):
        data = _data(request, NoteSerializer)
        return self._detail(_run(services.accept_appeal, actor=request.user, appeal=self.get_object(),
                                 note=data["note"]))

    @_transition("不予受理", ReasonSerializer)
    @action(detail=True, methods=["post"], url_path="reject", url_name="reject")
    def reject(self, request, pk=None):
        data = _data(request, ReasonSerializer)
        return self._detail(_run(services.reject_appeal, actor=request.user, appeal=self.get_object(),
                                 reason=data["reason"]))

    # Not named `dispatch`: that would replace APIView.dispatch and break every request (STACK.md).
    @_transition("派单", DispatchSerializer)
    @action(detail=True, methods=["post"], url_path="dispatch", url_name="dispatch")
    def dispatch_to_departments(self, request, pk=None):
        data = _data(request, DispatchSerializer)
        return self._detail(_run(services.dispatch_appeal, actor=request.user, appeal=self.get_object(),
                                 departments=data["departments"], deadline=data["deadline"], note=data["note"]))

    @_transition("部门签收", NoteSerializer)
    @action(detail=True, methods=["post"], url_path="department-accept", url_name="department-accept")
    def department_accept(self, request, pk=None):
        data = _data(request, NoteSerializer)
        return self._detail(_run(services.department_accept, actor=request.user, appeal=self.get_object(),
                                 note=data["note"]))

    @_transition("部门退回", ReasonSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_to_desk(self, request, pk=None):
        data = _data(request, ReasonSerializer)
        return self._detail(_run(services.return_appeal, actor=request.user, appeal=self.get_object(),
                                 reason=data["reason"]))

    @_transition("申请延期", ExtensionRequestSerializer)
    @action(detail=True, methods=["post"], url_path="request-extension", url_name="request-extension")
    def request_extension(self, request, pk=None):
        data = _data(request, ExtensionRequestSerializer)
        return self._detail(_run(services.request_extension, actor=request.user, appeal=self.get_object(),
                                 days=data["days"], reason=data["reason"]))

    @_transition("审批延期", ExtensionDecisionSerializer)
    @action(detail=True, methods=["post"], url_path="decide-extension", url_name="decide-extension")
    def decide_extension(self, request, pk=None):
        data = _data(request, ExtensionDecisionSerializer)
        return self._detail(_run(services.decide_extension, actor=request.user, appeal=self.get_object(),
                                 approve=data["approve"], note=data["note"], request_id=data["request"]))

    @_transition("答复", ReplySerializer)
    @action(detail=True, methods=["post"], url_path="reply", url_name="reply")
    def reply(self, request, pk=None):
        data = _data(request, ReplySerializer)
        return self._detail(_run(services.reply_appeal, actor=request.user, appeal=self.get_object(),
                                 reply=data["reply"]))

    @_transition("评价（企业评价或工作人员回访）", RateSerializer)
    @action(detail=True, methods=["post"], url_path="rate", url_name="rate")
    def rate(self, request, pk=None):
        data = _data(request, RateSerializer)
        return self._detail(_run(services.rate_appeal, actor=request.user, appeal=self.get_object(),
                                 rating=data["rating"], comment=data["comment"]))

    @_transition("重办", ReasonSerializer)
    @action(detail=True, methods=["post"], url_path="reopen", url_name="reopen")
    def reopen(self, request, pk=None):
        data = _data(request, ReasonSerializer)
        return self._detail(_run(services.reopen_appeal, actor=request.user, appeal=self.get_object(),
                                 reason=data["reason"]))

    @_transition("办结", CloseSerializer)
    @action(detail=True, methods=["post"], url_path="close", url_name="close")
    def close(self, request, pk=None):
        data = _data(request, CloseSerializer)
        return self._detail(_run(services.close_appeal, actor=request.user, appeal=self.get_object(),
                                 note=data["note"]))

    @_transition("更新维权信息", RightsCaseSerializer)
    @action(detail=True, methods=["post"], url_path="rights-case", url_name="rights-case")
    def rights_case(self, request, pk=None):
        data = _data(request, RightsCaseSerializer)
        return self._detail(_run(services.update_rights_case, actor=request.user, appeal=self.get_object(), **data))

    @_transition("督办", NoteSerializer)
    @action(detail=True, methods=["post"], url_path="supervise", url_name="supervise")
    def supervise(self, request, pk=None):
        data = _data(request, NoteSerializer)
        return self._detail(_run(services.supervise_appeal, actor=request.user, appeal=self.get_object(),
                                 note=data["note"]))
