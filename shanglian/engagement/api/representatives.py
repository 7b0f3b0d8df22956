"""/api/v1/engagement/representatives/: the representative-figures database, read only, through the pages'
selector (`selectors.representatives.representative_list`: the federation its persons, a chamber secretary
the persons of its member enterprises, other roles 403; another scope's person 404 and an audit row). Each
person with their political arrangements and their positions in the federation's and chambers' bodies; the
ID number and the mobile are always masked (`common.masking.mask`), whoever asks.

Filters (query string, as the list page's): `q` (name, pinyin initials or an enterprise's name), `kind`
(npc/cppcc/party_congress), `level` (national/province/city/district), `in_force` (yes/no: an arrangement in
force today), `new_generation` (yes/no)."""

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets

from shanglian.common.api import AuditedLookupMixin
from shanglian.common.masking import mask
from shanglian.members.models import Person
from shanglian.orgs.models import Position

from ..forms.representatives import RepresentativeSearchForm
from ..models import Arrangement
from ..selectors.representatives import representative_list


class ArrangementSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True, label="安排类别名称")
    level_display = serializers.CharField(source="get_level_display", read_only=True, label="层级名称")
    role_display = serializers.CharField(source="get_role_display", read_only=True, label="身份名称")
    in_force = serializers.SerializerMethodField(label="今日在任")

    class Meta:
        model = Arrangement
        ref_name = "EngagementArrangement"
        fields = ["id", "kind", "kind_display", "level", "level_display", "role", "role_display", "term", "sector",
                  "start", "end", "in_force"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_in_force(self, obj):
        return obj.in_force_on(timezone.localdate())


class PositionSerializer(serializers.ModelSerializer):
    title_display = serializers.CharField(source="get_title_display", read_only=True, label="职务名称")
    body = serializers.SerializerMethodField(label="组织（工商联或商会）")
    term_number = serializers.IntegerField(source="term.number", read_only=True, label="届次")
    term_start = serializers.DateField(source="term.start", read_only=True, label="本届起始日期")
    term_end = serializers.DateField(source="term.end", read_only=True, allow_null=True, label="本届届满日期")

    class Meta:
        model = Position
        ref_name = "EngagementPosition"
        fields = ["id", "body", "term_number", "term_start", "term_end", "title", "title_display", "start", "end"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_body(self, obj):
        return obj.term.chamber.name if obj.term.chamber_id else obj.term.federation.name


class EnterpriseRoleSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(source="enterprise_id", label="企业ID")
    enterprise_name = serializers.CharField(source="enterprise.name", label="企业名称")
    role = serializers.CharField(label="职务")
    role_display = serializers.CharField(source="get_role_display", label="职务名称")


class RepresentativeSerializer(serializers.ModelSerializer):
    id_number = serializers.SerializerMethodField(label="身份证号（脱敏）")
    mobile = serializers.SerializerMethodField(label="手机号（脱敏）")
    political_affiliation = serializers.CharField(source="political_affiliation.label", default="", read_only=True,
                                                  label="政治面貌")
    education = serializers.CharField(source="education.label", default="", read_only=True, label="学历")
    enterprises = EnterpriseRoleSerializer(source="roles", many=True, read_only=True, label="任职企业")
    arrangements = ArrangementSerializer(source="all_arrangements", many=True, read_only=True, label="政治安排")
    positions = PositionSerializer(source="all_positions", many=True, read_only=True, label="工商联、商会职务")

    class Meta:
        model = Person
        ref_name = "EngagementRepresentative"
        fields = ["id", "name", "gender", "birth_year", "id_number", "mobile", "political_affiliation", "education",
                  "is_new_generation", "enterprises", "arrangements", "positions"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_id_number(self, obj):
        return mask("id_number", obj.id_number)

    @extend_schema_field(OpenApiTypes.STR)
    def get_mobile(self, obj):
        return mask("mobile", obj.mobile)


FILTER_NAMES = ("q", "kind", "level", "in_force", "new_generation")
FILTERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="姓名、拼音首字母或任职企业名称"),
    OpenApiParameter("kind", OpenApiTypes.STR, enum=Arrangement.Kind.values, description="安排类别"),
    OpenApiParameter("level", OpenApiTypes.STR, enum=Arrangement.Level.values, description="层级"),
    OpenApiParameter("in_force", OpenApiTypes.STR, enum=["yes", "no"], description="今日是否有在任的政治安排"),
    OpenApiParameter("new_generation", OpenApiTypes.STR, enum=["yes", "no"], description="新生代企业家"),
]


@extend_schema_view(list=extend_schema(summary="代表人士列表", parameters=FILTERS),
                    retrieve=extend_schema(summary="代表人士详情"))
class RepresentativeViewSet(AuditedLookupMixin, viewsets.ReadOnlyModelViewSet):
    """代表人士数据库（只读，身份证号、手机号始终脱敏）。"""

    serializer_class = RepresentativeSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        filters = None
        if self.action == "list":
            form = RepresentativeSearchForm({key: self.request.query_params.get(key, "") for key in FILTER_NAMES})
            if not form.is_valid():
                raise serializers.ValidationError({name: errors for name, errors in form.errors.items()})
            filters = form.cleaned_data
        return representative_list(self.request.user, filters=filters).prefetch_related(
            Prefetch("arrangements", queryset=Arrangement.objects.order_by("-start", "-id"),
                     to_attr="all_arrangements"),
            Prefetch("positions", to_attr="all_positions",
                     queryset=Position.objects.select_related("term__federation", "term__chamber")
                     .order_by("-term__start", "id")),
        ).order_by("id")
