"""/api/v1/honours/: 评选表彰 and 商会评估, read only — award programmes (with their categories and criteria; the
nominations and scores are not in the API), the published lists (榜单, every version: a corrected list is a new
version and the earlier one stays, marked superseded) and the chamber assessments (五有, 四好商会, 五好工商联, with
their items, evidence and level). Every read starts from `selectors.scopes`: every reader of the member registry
(the federation's roles, a chamber secretary) reads the programmes and published lists of its federation; the
assessments are the federation's for its roles and a chamber secretary's own chamber's. A department, an
enterprise and the auditor get 403, a record of another scope 404 (audited, `common.api.AuditedLookupMixin`).

Filters (query string; a bad value is a 400 with the Chinese message):
- programmes: `year`, `status`;
- lists: `year` (the programme's), `programme` (id), `category` (id), `current` (yes: the lists in force, no:
  the superseded versions);
- assessments: `year`, `scheme` (five_have/four_good/five_good), `status`, `chamber` (id).
"""

from django.db.models import Prefetch
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import permissions, serializers, viewsets

from shanglian.accounts.roles import MEMBER_READER_ROLES, role_of
from shanglian.common.api import AuditedLookupMixin, IdField

from .models import (
    Assessment,
    AssessmentItem,
    Category,
    Criterion,
    EvidenceFile,
    HonourList,
    HonourListEntry,
    Programme,
)
from .schemes import SCHEMES
from .selectors.scopes import (
    ASSESSMENT_REFUSAL,
    REFUSAL,
    assessments_visible_to,
    lists_visible_to,
    programmes_visible_to,
)

YES_NO = [("yes", "是"), ("no", "否")]
YEAR = {"min_value": 1900, "max_value": 2100, "required": False}


class HonoursReaderPermission(permissions.BasePermission):
    """The scopes' readers (the federation's roles and a chamber secretary), refused before any filter is read;
    the scopes refuse every other role again."""

    message = REFUSAL

    def has_permission(self, request, view):
        return role_of(request.user) in MEMBER_READER_ROLES


class AssessmentReaderPermission(HonoursReaderPermission):
    message = ASSESSMENT_REFUSAL


def _filters(serializer_class, request):
    filters = serializer_class(data=request.query_params)
    filters.is_valid(raise_exception=True)
    return filters.validated_data


def _errors(subject):
    return {400: OpenApiResponse(description="筛选条件有误（字段名 → 中文说明）"),
            403: OpenApiResponse(description=f"角色无权访问{subject}"),
            404: OpenApiResponse(description="不存在或不在您的数据范围内")}


ERRORS = _errors("评选表彰")
ASSESSMENT_ERRORS = _errors("商会评估")


# --- programmes -----------------------------------------------------------------------------------------------
class HonourCriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "name", "description", "weight", "max_score", "order"]
        read_only_fields = fields


class HonourCategorySerializer(serializers.ModelSerializer):
    criteria = HonourCriterionSerializer(source="all_criteria", many=True, read_only=True, label="评分指标")
    current_list = serializers.SerializerMethodField(label="现行榜单ID（未发布为空）")

    class Meta:
        model = Category
        fields = ["id", "name", "list_size", "order", "criteria", "current_list"]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_current_list(self, obj):
        return obj.current_lists[0].pk if obj.current_lists else None


class HonourProgrammeSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True, label="状态名称")
    categories = HonourCategorySerializer(source="all_categories", many=True, read_only=True, label="评选类别")

    class Meta:
        model = Programme
        fields = ["id", "name", "year", "status", "status_display", "description", "nomination_deadline",
                  "categories"]
        read_only_fields = fields


class HonourProgrammeFilterSerializer(serializers.Serializer):
    year = serializers.IntegerField(label="年度", **YEAR)
    status = serializers.ChoiceField(label="状态", choices=Programme.Status.choices, required=False)


@extend_schema_view(
    list=extend_schema(summary="评选活动列表（含类别和评分指标）", parameters=[HonourProgrammeFilterSerializer],
                       responses={200: HonourProgrammeSerializer(many=True), 400: ERRORS[400], 403: ERRORS[403]}),
    retrieve=extend_schema(summary="一项评选活动（含类别和评分指标）",
                           responses={200: HonourProgrammeSerializer, 403: ERRORS[403], 404: ERRORS[404]}),
)
class ProgrammeViewSet(AuditedLookupMixin, viewsets.ReadOnlyModelViewSet):
    """评选活动（只读；提名与评分不在接口中）。"""

    permission_classes = [permissions.IsAuthenticated, HonoursReaderPermission]
    serializer_class = HonourProgrammeSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Programme.objects.none()
        categories = Category.objects.order_by("order", "id").prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.order_by("order", "id"), to_attr="all_criteria"),
            Prefetch("lists", queryset=HonourList.objects.filter(superseded_at__isnull=True),
                     to_attr="current_lists"))
        qs = programmes_visible_to(self.request.user).prefetch_related(
            Prefetch("categories", queryset=categories, to_attr="all_categories")).order_by("-year", "id")
        if self.action != "list":
            return qs
        data = _filters(HonourProgrammeFilterSerializer, self.request)
        if "year" in data:
            qs = qs.filter(year=data["year"])
        if "status" in data:
            qs = qs.filter(status=data["status"])
        return qs


# --- published lists ------------------------------------------------------------------------------------------
class HonourListEntrySerializer(serializers.ModelSerializer):
    enterprise = serializers.IntegerField(source="enterprise_id", read_only=True, label="企业ID")

    class Meta:
        model = HonourListEntry
        fields = ["rank", "tied", "enterprise", "enterprise_name", "score"]
        read_only_fields = fields


class HonourListProgrammeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True, label="评选名称")
    year = serializers.IntegerField(read_only=True, label="年度")


class HonourListCategorySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True, label="榜单名称")
    list_size = serializers.IntegerField(read_only=True, label="上榜名额")


class HonourListSerializer(serializers.ModelSerializer):
    programme = HonourListProgrammeSerializer(source="category.programme", read_only=True, label="评选活动")
    category = HonourListCategorySerializer(read_only=True, label="评选类别")
    year = serializers.IntegerField(source="category.programme.year", read_only=True, label="年度")
    current = serializers.BooleanField(source="is_current", read_only=True, label="现行版本")
    entries = HonourListEntrySerializer(source="all_entries", many=True, read_only=True,
                                        label="上榜企业（并列者名次相同）")

    class Meta:
        model = HonourList
        fields = ["id", "programme", "category", "year", "version", "current", "reason", "published_at",
                  "superseded_at", "entries"]
        read_only_fields = fields


class HonourListFilterSerializer(serializers.Serializer):
    year = serializers.IntegerField(label="年度", **YEAR)
    programme = IdField(label="评选活动ID", required=False)
    category = IdField(label="评选类别ID", required=False)
    current = serializers.ChoiceField(label="现行版本", choices=YES_NO, required=False,
                                      help_text="yes：现行榜单；no：已被更正的旧版本；不填：全部版本")


@extend_schema_view(
    list=extend_schema(summary="发布榜单列表（含上榜企业）", parameters=[HonourListFilterSerializer],
                       responses={200: HonourListSerializer(many=True), 400: ERRORS[400], 403: ERRORS[403]}),
    retrieve=extend_schema(summary="一份发布榜单（含上榜企业）",
                           responses={200: HonourListSerializer, 403: ERRORS[403], 404: ERRORS[404]}),
)
class HonourListViewSet(AuditedLookupMixin, viewsets.ReadOnlyModelViewSet):
    """发布榜单（只读；已发布的榜单不可修改，更正为新版本）。"""

    permission_classes = [permissions.IsAuthenticated, HonoursReaderPermission]
    serializer_class = HonourListSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return HonourList.objects.none()
        qs = lists_visible_to(self.request.user).prefetch_related(
            Prefetch("entries", queryset=HonourListEntry.objects.order_by("rank", "id"), to_attr="all_entries"),
        ).order_by("-category__programme__year", "category__programme_id", "category__order", "category_id",
                   "-version")
        if self.action != "list":
            return qs
        data = _filters(HonourListFilterSerializer, self.request)
        if "year" in data:
            qs = qs.filter(category__programme__year=data["year"])
        if "programme" in data:
            qs = qs.filter(category__programme_id=data["programme"])
        if "category" in data:
            qs = qs.filter(category_id=data["category"])
        if "current" in data:
            qs = qs.filter(superseded_at__isnull=data["current"] == "yes")
        return qs


# --- assessments ----------------------------------------------------------------------------------------------
class HonourEvidenceSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField(label="下载地址")

    class Meta:
        model = EvidenceFile
        fields = ["id", "original_name", "content_type", "size", "uploaded_at", "download_url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, obj):
        url = reverse("honours:evidence_download", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class HonourAssessmentItemSerializer(serializers.ModelSerializer):
    label = serializers.SerializerMethodField(label="条目名称")
    max_score = serializers.SerializerMethodField(label="满分（达标制条目为空）")
    status_display = serializers.CharField(source="get_status_display", read_only=True, label="核实状态名称")
    evidence = HonourEvidenceSerializer(source="all_files", many=True, read_only=True, label="佐证材料")

    class Meta:
        model = AssessmentItem
        fields = ["id", "code", "label", "max_score", "met", "score", "note", "status", "status_display",
                  "review_note", "verified_at", "evidence"]
        read_only_fields = fields

    def _item(self, obj):
        return SCHEMES[obj.assessment.scheme].item(obj.code)

    @extend_schema_field(OpenApiTypes.STR)
    def get_label(self, obj):
        item = self._item(obj)
        return item.label if item else obj.code

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_max_score(self, obj):
        item = self._item(obj)
        return item.max_score if item else None


class HonourLevelSerializer(serializers.Serializer):
    floor = serializers.DecimalField(max_digits=6, decimal_places=2, read_only=True, label="最低分")
    label = serializers.CharField(read_only=True, label="等次")


class HonourSubjectSerializer(serializers.Serializer):
    kind = serializers.CharField(read_only=True, label="评估对象类型", help_text="chamber 商会 / federation 工商联")
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True, label="名称")


class HonourAssessmentSerializer(serializers.ModelSerializer):
    scheme_display = serializers.CharField(source="get_scheme_display", read_only=True, label="评估类别名称")
    subject = serializers.SerializerMethodField(label="评估对象")
    status_display = serializers.CharField(source="get_status_display", read_only=True, label="状态名称")
    max_total = serializers.SerializerMethodField(label="满分（达标制为空）")
    levels = serializers.SerializerMethodField(label="等次标准（从高到低；达标制为空）")
    items = serializers.SerializerMethodField(label="评估条目")

    class Meta:
        model = Assessment
        fields = ["id", "scheme", "scheme_display", "year", "subject", "status", "status_display", "total_score",
                  "max_total", "level", "levels", "submitted_at", "confirmed_at", "note", "items"]
        read_only_fields = fields

    @extend_schema_field(HonourSubjectSerializer)
    def get_subject(self, obj):
        if obj.chamber_id:
            return {"kind": "chamber", "id": obj.chamber_id, "name": obj.chamber.name}
        return {"kind": "federation", "id": obj.federation_id, "name": obj.federation.name}

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_max_total(self, obj):
        scheme = SCHEMES[obj.scheme]
        return scheme.max_total if scheme.scored else None

    @extend_schema_field(HonourLevelSerializer(many=True))
    def get_levels(self, obj):
        return HonourLevelSerializer([{"floor": floor, "label": label} for floor, label in SCHEMES[obj.scheme].levels],
                                     many=True).data

    @extend_schema_field(HonourAssessmentItemSerializer(many=True))
    def get_items(self, obj):
        """In the scheme's order (an item the scheme no longer names last)."""
        order = [item.code for item in SCHEMES[obj.scheme].items]
        items = sorted(obj.all_items, key=lambda i: (order.index(i.code) if i.code in order else len(order), i.pk))
        for item in items:
            item.assessment = obj  # the label's scheme, without a query per item
        return HonourAssessmentItemSerializer(items, many=True, context=self.context).data


class HonourAssessmentFilterSerializer(serializers.Serializer):
    year = serializers.IntegerField(label="年度", **YEAR)
    scheme = serializers.ChoiceField(label="评估类别", choices=Assessment.Scheme.choices, required=False)
    status = serializers.ChoiceField(label="状态", choices=Assessment.Status.choices, required=False)
    chamber = IdField(label="商会ID", required=False)


@extend_schema_view(
    list=extend_schema(summary="商会评估列表（含条目、核实状态和等次）", parameters=[HonourAssessmentFilterSerializer],
                       responses={200: HonourAssessmentSerializer(many=True), 400: ASSESSMENT_ERRORS[400],
                                  403: ASSESSMENT_ERRORS[403]}),
    retrieve=extend_schema(summary="一项商会评估（含条目、佐证材料和等次）",
                           responses={200: HonourAssessmentSerializer, 403: ASSESSMENT_ERRORS[403],
                                      404: ASSESSMENT_ERRORS[404]}),
)
class AssessmentViewSet(AuditedLookupMixin, viewsets.ReadOnlyModelViewSet):
    """商会评估（只读）：镇街商会“五有”、“四好”商会、“五好”工商联自查。"""

    permission_classes = [permissions.IsAuthenticated, AssessmentReaderPermission]
    serializer_class = HonourAssessmentSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Assessment.objects.none()
        items = AssessmentItem.objects.order_by("id").prefetch_related(
            Prefetch("files", queryset=EvidenceFile.objects.order_by("id"), to_attr="all_files"))
        qs = assessments_visible_to(self.request.user).prefetch_related(
            Prefetch("items", queryset=items, to_attr="all_items"))
        if self.action != "list":
            return qs
        data = _filters(HonourAssessmentFilterSerializer, self.request)
        for name in ("year", "scheme", "status"):
            if name in data:
                qs = qs.filter(**{name: data[name]})
        if "chamber" in data:
            qs = qs.filter(chamber_id=data["chamber"])
        return qs
