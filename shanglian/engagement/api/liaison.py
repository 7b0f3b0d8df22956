"""/api/v1/engagement/visits/: 走访记录 — the list (filters from/to, enterprise, problems, appeals, q), one visit
with the appeals opened from it, and recording one (`POST`). The pages' selectors (scope: the editors their
federations, a leader their own visits; every other role 403) and service (`services.liaison.save_visit`: a
leader only on their own liaison enterprises, no visit dated in the future, the liaison of the same enterprise).

Errors: a role without liaison → 403, a visit outside the caller's scope → 404 (audited), bad input (a date in
the future, an enterprise or liaison outside the scope, a missing field) → 400 with the Chinese `detail`. An
enterprise or liaison id is looked up in the caller's scope only, so an id of another federation and an id that
does not exist get the same answer (which ids exist elsewhere is not revealed).
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from shanglian.accounts.roles import VISITOR_ROLES, role_of
from shanglian.common.api import AuditedLookupMixin, IdField, TextField
from shanglian.members.models import Enterprise
from shanglian.members.selectors import enterprises_visible_to

from ..models import Visit
from ..selectors import liaison as selectors
from ..services import liaison as services


class VisitorPermission(permissions.BasePermission):
    message = "您没有访问包联走访的权限。"

    def has_permission(self, request, view):
        return role_of(request.user) in VISITOR_ROLES


# --- output ----------------------------------------------------------------------------------------------------
class VisitEnterpriseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Enterprise
        fields = ["id", "name", "uscc"]
        read_only_fields = fields


class VisitListSerializer(serializers.ModelSerializer):
    enterprise = VisitEnterpriseSerializer(read_only=True)
    liaison = serializers.IntegerField(source="liaison_id", read_only=True, allow_null=True, label="包联关系ID")
    liaison_name = serializers.SerializerMethodField(label="包联人")
    appeal_count = serializers.IntegerField(read_only=True, label="转为诉求数")

    class Meta:
        model = Visit
        fields = ["id", "enterprise", "liaison", "liaison_name", "visited_on", "visitors", "people_met", "problems",
                  "appeal_count"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_liaison_name(self, obj):
        return obj.liaison.liaison_display if obj.liaison_id else ""


class VisitAppealBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="appeal.id", label="诉求ID")
    number = serializers.CharField(source="appeal.number", label="诉求编号")
    title = serializers.CharField(source="appeal.title", label="诉求标题")
    status = serializers.CharField(source="appeal.status", label="状态")
    status_display = serializers.CharField(source="appeal.get_status_display", label="状态名称")


class VisitDetailSerializer(VisitListSerializer):
    appeals = serializers.SerializerMethodField(label="由本次走访转为的诉求（您可查看的）")
    recorded_by = serializers.SerializerMethodField(label="记录人")

    class Meta(VisitListSerializer.Meta):
        fields = VisitListSerializer.Meta.fields + ["summary", "follow_up", "recorded_by", "created_at", "appeals"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_recorded_by(self, obj):
        return str(obj.recorded_by) if obj.recorded_by_id else ""

    @extend_schema_field(VisitAppealBriefSerializer(many=True))
    def get_appeals(self, obj):
        shown, _hidden = selectors.visit_appeals(self.context["request"].user, obj)
        return VisitAppealBriefSerializer(shown, many=True).data


# --- input -------------------------------------------------------------------------------------------------------
YES_NO = [("yes", "是"), ("no", "否")]


class VisitFilterSerializer(serializers.Serializer):
    visited_from = serializers.DateField(label="走访日期起", required=False)
    visited_to = serializers.DateField(label="走访日期止", required=False)
    enterprise = IdField(label="企业ID", required=False)
    problems = serializers.ChoiceField(label="发现问题", choices=YES_NO, required=False)
    appeals = serializers.ChoiceField(label="已转诉求", choices=YES_NO, required=False)
    q = TextField(label="企业名称或走访人员", max_length=100, required=False, allow_blank=True)


class VisitCreateSerializer(serializers.Serializer):
    enterprise = IdField(label="企业ID", required=False, allow_null=True, default=None,
                         help_text="工作人员必填（或给出包联关系）；领导可只给包联关系。")
    liaison = IdField(label="包联关系ID", required=False, allow_null=True, default=None,
                      help_text="领导必填（本人的包联关系）；工作人员不填时，若企业在走访日只有一条在期包联关系则自动关联。")
    visited_on = serializers.DateField(label="走访日期", help_text="不能晚于今天")
    visitors = TextField(label="走访人员", max_length=200)
    people_met = TextField(label="接待人员", max_length=200, required=False, allow_blank=True, default="")
    summary = TextField(multiline=True, label="走访情况", max_length=5000, required=False, allow_blank=True, default="")
    problems = TextField(multiline=True, label="发现问题", max_length=5000, required=False, allow_blank=True,
                         default="")
    follow_up = TextField(multiline=True, label="后续跟进", max_length=5000, required=False, allow_blank=True,
                          default="")


ERRORS = {
    400: OpenApiResponse(description="输入有误（detail 为中文说明）"),
    403: OpenApiResponse(description="角色无权访问包联走访"),
    404: OpenApiResponse(description="不存在或不在您的数据范围内"),
    415: OpenApiResponse(description="请求体只接受 application/json"),
}


@extend_schema_view(
    list=extend_schema(summary="走访记录列表", parameters=[VisitFilterSerializer],
                       responses={200: VisitListSerializer(many=True), 400: ERRORS[400], 403: ERRORS[403]}),
    retrieve=extend_schema(summary="走访记录详情（含由其转为的诉求）",
                           responses={200: VisitDetailSerializer, 403: ERRORS[403], 404: ERRORS[404]}),
    create=extend_schema(summary="记录走访", request=VisitCreateSerializer,
                         responses={201: VisitDetailSerializer, 400: ERRORS[400], 403: ERRORS[403], 415: ERRORS[415]}),
)
class VisitViewSet(AuditedLookupMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated, VisitorPermission]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Visit.objects.none()
        user = self.request.user
        if self.action == "list":
            filters = VisitFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            data = dict(filters.validated_data)  # `enterprise` an id: the list's lookup takes it as it is
            data["from"], data["to"] = data.pop("visited_from", None), data.pop("visited_to", None)
            return selectors.visit_list(user, filters=data)
        return selectors.visit_list(user)

    def get_serializer_class(self):
        return VisitListSerializer if self.action == "list" else VisitDetailSerializer

    def create(self, request, *args, **kwargs):
        serializer = VisitCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        user = request.user
        enterprise = liaison = None
        if data.pop("enterprise") is not None:
            enterprise = enterprises_visible_to(user).filter(pk=serializer.validated_data["enterprise"]).first()
            if enterprise is None:
                raise ValidationError({"enterprise": ["企业不存在或不在您的范围内。"]})
        if data.pop("liaison") is not None:
            liaison = selectors.liaisons_visible_to(user).filter(pk=serializer.validated_data["liaison"]).first()
            if liaison is None:
                raise ValidationError({"liaison": ["包联关系不存在或不在您的范围内。"]})
        visit = services.save_visit(actor=user, enterprise=enterprise, liaison=liaison, **data)
        visit = selectors.visit_list(user).get(pk=visit.pk)
        return Response(VisitDetailSerializer(visit, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)
