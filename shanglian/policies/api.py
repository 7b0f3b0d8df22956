"""REST API of the policy library (/api/v1/policies/, /api/v1/enterprises/{id}/policies/): the same
selectors (scope, search, matching) as the pages. Read only.

- `GET /policies/`: the library in the caller's scope (federation roles: their federation's policies,
  drafts included; chambers, departments and enterprises: the live ones), with the list page's
  filters and `q` (ranked full-text search over title, 文号 and full text).
- `GET /policies/{id}/`: one policy, with its full text (404 outside the scope).
- `GET /policies/{id}/match-count/`: how many enterprises the policy matches today, and its reach
  (federation roles only: 403 for the others).
- `GET /enterprises/{id}/policies/`: the live policies an enterprise is eligible for (为您推荐): an
  enterprise user its own enterprise only, staff any enterprise in their scope; 404 for an enterprise
  outside the scope, 403 for a role that sees no enterprises (departments, auditors).
"""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shanglian.common.api import AuditedLookupMixin, IdField, TextField
from shanglian.members.selectors import enterprises_visible_to

from . import selectors
from .eligibility import street_names
from .models import Policy


# --- output ----------------------------------------------------------------------------------------
class PolicyListSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.name", read_only=True, label="发布部门")
    department_id = serializers.IntegerField(read_only=True, label="发布部门ID")
    benefit_type = serializers.CharField(source="benefit_type.label", read_only=True, label="惠企类型")
    benefit_type_code = serializers.CharField(source="benefit_type.code", read_only=True, label="惠企类型代码")
    status = serializers.SerializerMethodField(label="状态", help_text="draft 草稿 / published 已发布 / expired 已失效")
    status_display = serializers.SerializerMethodField(label="状态名称")

    class Meta:
        model = Policy
        fields = ["id", "title", "document_number", "department_id", "department", "benefit_type",
                  "benefit_type_code", "published_on", "effective_from", "expires_on", "summary", "is_automatic",
                  "status", "status_display"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_status(self, obj):
        return obj.status_on(self.context.get("today")).value

    @extend_schema_field(OpenApiTypes.STR)
    def get_status_display(self, obj):
        return obj.status_on(self.context.get("today")).label


class EligibilitySerializer(serializers.Serializer):
    industries = serializers.ListField(child=serializers.CharField(), label="适用行业（GB/T 4754 代码前缀）")
    sizes = serializers.ListField(child=serializers.CharField(), label="企业规模（large/medium/small/micro）")
    enterprise_types = serializers.ListField(child=serializers.CharField(), label="企业类型代码")
    streets = serializers.ListField(child=serializers.CharField(), label="街道")
    high_tech_required = serializers.BooleanField(label="限高新技术企业")
    min_employees = serializers.IntegerField(allow_null=True, label="从业人数下限")
    max_employees = serializers.IntegerField(allow_null=True, label="从业人数上限")
    min_registered_years = serializers.IntegerField(allow_null=True, label="成立年限下限（年）")
    max_registered_years = serializers.IntegerField(allow_null=True, label="成立年限上限（年）")
    members_only = serializers.BooleanField(label="限工商联会员")


class PolicyDetailSerializer(PolicyListSerializer):
    eligibility = serializers.SerializerMethodField(label="适用条件（空为不限）")
    packages = serializers.SerializerMethodField(label="服务包")

    class Meta(PolicyListSerializer.Meta):
        fields = PolicyListSerializer.Meta.fields + ["full_text", "application_method", "contact", "eligibility",
                                                     "packages"]

    @extend_schema_field(EligibilitySerializer)
    def get_eligibility(self, obj):
        return {
            "industries": sorted(obj.industries.values_list("prefix", flat=True)), "sizes": obj.size_list,
            "enterprise_types": obj.enterprise_type_list,
            "streets": street_names(obj),
            "high_tech_required": obj.high_tech_required, "min_employees": obj.min_employees,
            "max_employees": obj.max_employees, "min_registered_years": obj.min_registered_years,
            "max_registered_years": obj.max_registered_years, "members_only": obj.members_only,
        }

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_packages(self, obj):
        return list(obj.packages.values_list("name", flat=True))


class MatchCountSerializer(serializers.Serializer):
    policy = serializers.IntegerField(label="政策ID")
    matched = serializers.IntegerField(label="符合条件的企业数（今天）")
    pushed = serializers.IntegerField(label="已推送企业数")
    read = serializers.IntegerField(label="已阅读企业数")
    read_rate = serializers.FloatField(allow_null=True, label="阅读率（%）")


# --- input -----------------------------------------------------------------------------------------
class PolicyFilterSerializer(serializers.Serializer):
    q = TextField(label="搜索（政策名称、文号、全文）", required=False, allow_blank=True)
    department = IdField(label="发布部门ID", required=False)
    benefit_type = IdField(label="惠企类型ID", required=False)
    status = serializers.ChoiceField(label="状态（draft/published/expired）", required=False,
                                     choices=[(value, label) for value, label in Policy.Status.choices])
    published_from = serializers.DateField(label="发布日期起", required=False)
    published_to = serializers.DateField(label="发布日期止", required=False)
    automatic = serializers.BooleanField(label="仅免申即享", required=False, default=False)
    package = IdField(label="服务包ID", required=False)


ERRORS = {403: OpenApiResponse(description="角色无权查看"),
          404: OpenApiResponse(description="不存在或不在您的数据范围内")}


class _Context:
    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}


@extend_schema_view(
    list=extend_schema(summary="政策列表与搜索", parameters=[PolicyFilterSerializer],
                       responses={200: PolicyListSerializer(many=True), 403: ERRORS[403]}),
    retrieve=extend_schema(summary="政策详情（含全文和适用条件）", responses={200: PolicyDetailSerializer, **ERRORS}),
)
class PolicyViewSet(AuditedLookupMixin, _Context, viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Policy.objects.none()
        user = self.request.user
        if self.action == "list":
            filters = PolicyFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            qs = selectors.policy_list(user, filters=filters.validated_data)
            return qs if filters.validated_data.get("q") else qs.order_by("-published_on", "-id")
        return selectors.policies_visible_to(user)

    def get_serializer_class(self):
        return PolicyListSerializer if self.action == "list" else PolicyDetailSerializer

    @extend_schema(summary="政策匹配企业数与推送触达（工商联工作人员）",
                   responses={200: MatchCountSerializer, **ERRORS})
    @action(detail=True, methods=["get"], url_path="match-count", url_name="match-count")
    def match_count(self, request, pk=None):
        policy = self.get_object()
        matched = selectors.matched_enterprises(request.user, policy).count()
        reach = selectors.reach(policy)
        return Response(MatchCountSerializer({"policy": policy.pk, "matched": matched, **reach}).data)


@extend_schema_view(
    list=extend_schema(
        summary="企业符合条件的政策（为您推荐）",
        parameters=[OpenApiParameter("enterprise_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="企业ID")],
        responses={200: PolicyListSerializer(many=True), **ERRORS}),
)
# Registered at enterprises/{enterprise_id}/policies/ (a nested route beside members' EnterpriseViewSet).
class EnterprisePolicyViewSet(AuditedLookupMixin, _Context, mixins.ListModelMixin, viewsets.GenericViewSet):

    serializer_class = PolicyListSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Policy.objects.none()
        user = self.request.user
        # enterprises_visible_to refuses a role that sees no enterprise (403); an enterprise outside the
        # caller's scope is not found (404).
        enterprise = get_object_or_404(enterprises_visible_to(user), pk=self.kwargs["enterprise_id"])
        return selectors.newest_matched_policies(user, enterprise)
