"""/api/v1/engagement/proposals/: proposals (议案/提案/建议/社情民意信息) through the same selectors (scope) and
services (every write) as the pages. The federation reads its proposals, a chamber secretary those of its chamber
and of the persons it sees (`selectors.proposals_visible_to`); the editors (staff, sysadmin) create them (as 草拟)
and take the workflow's steps — `POST <id>/submit/`, `register/`, `hand-over/`, `reply/`, `adopt/`, `decline/`,
generated from `workflow.PROPOSAL_FLOW` with the serializers below as their bodies.

Errors: a role that may not act → 403, a proposal outside the caller's scope → 404 (looked up before the body is
read), bad input → 400, a step the proposal's state does not allow → 409, each with the Chinese message in
`detail` (`common.api.exception_handler`).
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response

from shanglian.accounts.roles import EDITOR_ROLES, role_of
from shanglian.common.api import AuditedLookupMixin, IdField, TextField, transition_actions
from shanglian.policies.selectors import policies_visible_to

from ..models import Proposal, ProposalLog
from ..selectors.proposals import (
    BODIES,
    FILED,
    OUTCOMES,
    proposal_list,
    proposal_timeline,
    proposals_visible_to,
)
from ..services import proposals as services
from ..workflow import PROPOSAL_FLOW

STATUS_HELP = ("draft 草拟 / submitted 已提交 / registered 已立案 / handling 办理中 / replied 已答复 / "
               "adopted 已采纳 / not_adopted 未采纳")
KIND_HELP = "motion 议案 / proposal 提案 / suggestion 建议 / opinion 社情民意信息"
BODY_HELP = "空为个人提交 / federation 以工商联名义 / chamber 以商会名义（须填 chamber）"


class ProposalWritePermission(permissions.BasePermission):
    """Leaders and chamber secretaries read; only the editors send a write, refused before any input is parsed
    (the services check every action again)."""

    message = "您的角色只能查看议案提案，不能办理。"

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or role_of(request.user) in EDITOR_ROLES


# --- output ---------------------------------------------------------------------------------------------------
class ProposalBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True, label="名称")


class ProposalTopicSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True, label="代码")
    label = serializers.CharField(read_only=True, label="名称")


class ProposalListSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, label="类别", help_text=KIND_HELP)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True, label="类别名称")
    status = serializers.CharField(read_only=True, label="状态", help_text=STATUS_HELP)
    status_display = serializers.CharField(source="get_status_display", read_only=True, label="状态名称")
    body = serializers.CharField(read_only=True, label="以组织名义提交", help_text=BODY_HELP)
    topic = ProposalTopicSerializer(read_only=True, allow_null=True)
    chamber = ProposalBriefSerializer(read_only=True, allow_null=True, label="提交商会")
    department = ProposalBriefSerializer(read_only=True, allow_null=True, label="承办部门")
    submitters = ProposalBriefSerializer(many=True, read_only=True, label="提交人")

    class Meta:
        model = Proposal
        fields = ["id", "number", "kind", "kind_display", "title", "year", "session", "topic", "body", "chamber",
                  "submitters", "recipient", "department", "status", "status_display", "submitted_on",
                  "registered_on", "replied_on", "decided_on"]
        read_only_fields = fields


class ProposalTimelineSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProposalLog
        fields = ["id", "at", "action", "action_label", "from_status", "to_status", "actor_name", "note"]
        read_only_fields = fields


class PolicyBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True, label="政策名称")


class ProposalDetailSerializer(ProposalListSerializer):
    policy = serializers.SerializerMethodField(label="对应惠企政策（您可查看的）")
    timeline = serializers.SerializerMethodField(label="办理记录")

    class Meta(ProposalListSerializer.Meta):
        fields = ProposalListSerializer.Meta.fields + ["text", "reply", "measure", "policy", "decline_reason",
                                                       "timeline"]
        read_only_fields = fields

    @extend_schema_field(PolicyBriefSerializer(allow_null=True))
    def get_policy(self, obj):
        if not obj.policy_id or not policies_visible_to(self.context["request"].user).filter(pk=obj.policy_id).exists():
            return None
        return PolicyBriefSerializer(obj.policy).data

    @extend_schema_field(ProposalTimelineSerializer(many=True))
    def get_timeline(self, obj):
        return ProposalTimelineSerializer(proposal_timeline(obj), many=True).data


# --- input ----------------------------------------------------------------------------------------------------
class ProposalFilterSerializer(serializers.Serializer):
    q = TextField(label="标题、编号或提交人姓名", max_length=100, required=False, allow_blank=True)
    year = serializers.IntegerField(label="年度", min_value=1900, max_value=2100, required=False)
    kind = serializers.ChoiceField(label="类别", choices=Proposal.Kind.choices, required=False)
    status = serializers.ChoiceField(label="状态", choices=[(FILED, "已提交（不含草拟）"), *Proposal.Status.choices],
                                     required=False)
    outcome = serializers.ChoiceField(label="采纳情况", choices=[(k, label) for k, (label, _q) in OUTCOMES.items()],
                                      required=False)
    body = serializers.ChoiceField(label="提交方式", choices=[(k, label) for k, (label, _q) in BODIES.items()],
                                   required=False)
    topic = IdField(label="主题ID", required=False)
    submitter = IdField(label="提交人ID", required=False)
    chamber = IdField(label="提交商会ID", required=False)
    department = IdField(label="承办部门ID", required=False)


class ProposalCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(label="类别", choices=Proposal.Kind.choices, help_text=KIND_HELP)
    title = TextField(label="标题", max_length=services.MAX_TITLE)
    text = TextField(multiline=True, label="正文", required=False, allow_blank=True, default="",
                     max_length=services.MAX_TEXT)
    year = serializers.IntegerField(label="年度", min_value=services.FIRST_YEAR, max_value=2100)
    session = TextField(label="会议/届次", required=False, allow_blank=True, default="", max_length=services.MAX_SESSION)
    topic = IdField(label="主题ID", required=False, allow_null=True, default=None,
                    help_text="数据字典“议案提案主题”的条目")
    body = serializers.ChoiceField(label="以组织名义提交", choices=Proposal.Body.choices, required=False,
                                   allow_blank=True, default="", help_text=BODY_HELP)
    chamber = IdField(label="提交商会ID", required=False, allow_null=True, default=None)
    submitters = serializers.ListField(child=IdField(label="人员ID"), label="提交人ID", required=False, default=list,
                                       max_length=services.MAX_SUBMITTERS,
                                       help_text="代表人士数据库中的人员；与以组织名义提交至少填一项")
    recipient = TextField(label="提交对象", required=False, allow_blank=True, default="",
                          max_length=services.MAX_RECIPIENT)


def _day(label):
    return serializers.DateField(label=label, required=False, allow_null=True, default=None,
                                 help_text="不填为今天；不能晚于今天，也不能早于上一步的日期。")


def _note():
    return TextField(multiline=True, label="说明", required=False, allow_blank=True, default="",
                     max_length=services.MAX_NOTE)


class ProposalSubmitSerializer(serializers.Serializer):
    submitted_on = _day("提交日期")
    note = _note()


class ProposalRegisterSerializer(serializers.Serializer):
    registered_on = _day("立案日期")
    note = _note()


class ProposalHandleSerializer(serializers.Serializer):
    department = IdField(label="承办部门ID")
    note = _note()


class ProposalReplySerializer(serializers.Serializer):
    reply = TextField(multiline=True, label="答复意见", max_length=services.MAX_REPLY)
    replied_on = _day("答复日期")
    department = IdField(label="承办部门ID", required=False, allow_null=True, default=None,
                         help_text="未交办、直接登记答复时可填作出答复的部门")


class ProposalAdoptSerializer(serializers.Serializer):
    measure = TextField(multiline=True, label="转化的实际举措", max_length=services.MAX_MEASURE)
    policy = IdField(label="对应惠企政策ID", required=False, allow_null=True, default=None)
    decided_on = _day("采纳结果日期")


class ProposalDeclineSerializer(serializers.Serializer):
    reason = TextField(multiline=True, label="未采纳原因", max_length=services.MAX_REASON)
    decided_on = _day("采纳结果日期")


# --- the viewset ----------------------------------------------------------------------------------------------
ERRORS = {
    400: OpenApiResponse(description="输入有误（detail 为中文说明）"),
    403: OpenApiResponse(description="角色无权执行该操作"),
    404: OpenApiResponse(description="议案提案不存在或不在您的数据范围内"),
    409: OpenApiResponse(description="议案提案当前状态不允许该操作（detail 为中文说明）"),
    415: OpenApiResponse(description="请求体只接受 application/json"),
}


@extend_schema_view(
    list=extend_schema(summary="议案提案列表", parameters=[ProposalFilterSerializer],
                       responses={200: ProposalListSerializer(many=True), 400: ERRORS[400], 403: ERRORS[403]}),
    retrieve=extend_schema(summary="议案提案详情（含办理记录、答复和转化的实际举措）",
                           responses={200: ProposalDetailSerializer, 403: ERRORS[403], 404: ERRORS[404]}),
    create=extend_schema(summary="新建议案提案（草拟）", request=ProposalCreateSerializer,
                         responses={201: ProposalDetailSerializer, 400: ERRORS[400], 403: ERRORS[403],
                                    415: ERRORS[415]}),
)
@transition_actions(PROPOSAL_FLOW, respond=lambda viewset, proposal: viewset._detail(proposal),
                    responses={200: ProposalDetailSerializer, **ERRORS})
class ProposalViewSet(AuditedLookupMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated, ProposalWritePermission]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Proposal.objects.none()
        user = self.request.user
        if self.action == "list":
            filters = ProposalFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            return proposal_list(user, filters=filters.validated_data).select_related("policy")
        return proposals_visible_to(user).prefetch_related("submitters").select_related("policy")

    def get_serializer_class(self):
        return ProposalListSerializer if self.action == "list" else ProposalDetailSerializer

    def _detail(self, proposal, status_code=status.HTTP_200_OK):
        proposal = (proposals_visible_to(self.request.user).prefetch_related("submitters").select_related("policy")
                    .get(pk=proposal.pk))
        return Response(ProposalDetailSerializer(proposal, context=self.get_serializer_context()).data,
                        status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = ProposalCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        proposal = services.save_proposal(actor=request.user, data=serializer.validated_data)
        return self._detail(proposal, status.HTTP_201_CREATED)
