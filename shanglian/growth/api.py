"""/api/v1/growth/: 会员发展与服务, read only — prospects (发展对象), membership applications (入会申请), service
enrollments (服务企业), the member directory (会员名录), the supply–demand board's posts (供需信息), matchmaking
outcomes (对接成果) and working groups (专项工作组). Every read starts from `selectors.scopes`, as the pages do: the
federation's roles read their federations' records, a chamber secretary its chamber's share (the prospects it
follows, the applications naming it, its active members' enrollments and outcomes, its federation's directory,
open posts and working groups), an enterprise user its own applications, its federation's directory and board
while a member in force; a department and the auditor get 403, a record of another scope 404 (audited,
`common.api.AuditedLookupMixin`).

A directory entry is `selectors.directory.entry_dict`: its name and the fields the member chose to show — a
hidden field is absent from the answer, never null or masked. Only members in force are in the directory.
A prospect's contact mobile and an application's are never exposed here; amounts are yuan as strings with two
decimals ("1200.00").

Filters (query string; a bad value is a 400 with the Chinese message):
- prospects: `stage`, `source`, `chamber` (id);
- applications: `status`, `year` (submitted in that year);
- enrollments: `programme` (a `service_programme` code), `in_force` (yes/no: enrolled today and not ended);
- directory: `q` (name), `products`, `industry` (a GB/T 4754 code or its prefix), `street` (id) — as the
  directory page searches (`selectors.listings.search`): a hidden field never finds an entry;
- posts: `category`, `status`;
- outcomes: `kind`, `year` (reached in that year);
- groups: `active` (yes/no: not dissolved today).
"""

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.response import Response

from shanglian.accounts.roles import DIRECTORY_READER_ROLES, MEMBER_READER_ROLES, role_of
from shanglian.appeals.models import Status as AppealStatus
from shanglian.common.api import AuditedLookupMixin, IdField, TextField

from .models import (
    DIRECTORY_FIELDS,
    ApplicationAttachment,
    DirectoryListing,
    GroupMember,
    GroupProject,
    MatchOutcome,
    MembershipApplication,
    Milestone,
    Post,
    Prospect,
    ServiceEnrollment,
    WorkingGroup,
)
from .selectors.directory import entry_dict
from .selectors.enrollments import STATUSES, in_force_q, status_of
from .selectors.listings import member_in_force, search
from .selectors.scopes import (
    REFUSAL,
    applications_visible_to,
    enrollments_visible_to,
    groups_visible_to,
    listings_visible_to,
    outcomes_visible_to,
    posts_visible_to,
    prospects_visible_to,
)

YES_NO = [("yes", "是"), ("no", "否")]
AMOUNT = {"max_digits": 14, "decimal_places": 2, "read_only": True}


class _RolePermission(permissions.BasePermission):
    """The scopes' readers, refused before any filter is read; the scopes refuse every other role again."""

    message = REFUSAL
    roles = frozenset()

    def has_permission(self, request, view):
        return role_of(request.user) in self.roles


class GrowthReaderPermission(_RolePermission):
    """The federation's roles and a chamber secretary."""

    roles = MEMBER_READER_ROLES


class GrowthMemberPermission(_RolePermission):
    """… and an enterprise user (its own applications, its federation's directory and board)."""

    roles = DIRECTORY_READER_ROLES


ERRORS = {
    400: OpenApiResponse(description="筛选条件有误（字段名 → 中文说明）"),
    403: OpenApiResponse(description="角色无权访问会员发展与服务"),
    404: OpenApiResponse(description="不存在或不在您的数据范围内"),
}


def _filters(serializer_class, request):
    filters = serializer_class(data=request.query_params)
    filters.is_valid(raise_exception=True)
    return filters.validated_data


def _schema(summary_list, summary_one, filters, list_serializer, detail_serializer=None):
    return extend_schema_view(
        list=extend_schema(summary=summary_list, parameters=[filters],
                           responses={200: list_serializer(many=True), 400: ERRORS[400], 403: ERRORS[403]}),
        retrieve=extend_schema(summary=summary_one, responses={200: detail_serializer or list_serializer,
                                                               403: ERRORS[403], 404: ERRORS[404]}),
    )


class _ReadOnly(AuditedLookupMixin, viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = r"\d+"
    queryset = None  # each ViewSet's model (`.none()`): what the API matrix reads; reads go through `visible`
    filter_serializer = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        qs = self.visible(self.request.user)
        if self.action != "list":
            return self.detail_queryset(qs)
        return self.filter_list(qs, _filters(self.filter_serializer, self.request))

    def visible(self, user):
        raise NotImplementedError

    def detail_queryset(self, qs):
        return qs

    def filter_list(self, qs, data):
        return qs


# --- shared output pieces -----------------------------------------------------------------------------------
class GrowthNamedSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True, label="名称")


class GrowthIndustrySerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True, label="行业代码（GB/T 4754）")
    name = serializers.CharField(read_only=True, label="行业名称")


def _named(obj):
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


def _industry(obj):
    return {"code": obj.code, "name": obj.name} if obj is not None else None


# --- prospects ----------------------------------------------------------------------------------------------
class GrowthProspectSerializer(serializers.ModelSerializer):
    chamber = serializers.SerializerMethodField(label="发展商会（空为工商联发展）")
    enterprise = serializers.SerializerMethodField(label="企业库记录")
    industry = serializers.SerializerMethodField(label="行业")
    owner = serializers.SerializerMethodField(label="负责人")
    stage_display = serializers.CharField(source="get_stage_display", read_only=True, label="阶段名称")
    source_display = serializers.CharField(source="get_source_display", read_only=True, label="来源名称")

    class Meta:
        model = Prospect
        fields = ["id", "name", "chamber", "enterprise", "uscc", "member_kind", "is_private", "is_local",
                  "is_high_tech", "industry", "source", "source_display", "stage", "stage_display", "owner",
                  "next_step", "next_step_on", "abandon_reason", "stage_changed_on", "updated_at"]
        read_only_fields = fields

    @extend_schema_field(GrowthNamedSerializer(allow_null=True))
    def get_chamber(self, obj):
        return _named(obj.chamber)

    @extend_schema_field(GrowthNamedSerializer(allow_null=True))
    def get_enterprise(self, obj):
        return _named(obj.enterprise)

    @extend_schema_field(GrowthIndustrySerializer(allow_null=True))
    def get_industry(self, obj):
        return _industry(obj.industry)

    @extend_schema_field(serializers.CharField())
    def get_owner(self, obj):
        return obj.owner.display_name or obj.owner.username


class GrowthProspectFilterSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(label="阶段", choices=Prospect.Stage.choices, required=False)
    source = serializers.ChoiceField(label="来源", choices=Prospect.Source.choices, required=False)
    chamber = IdField(label="发展商会ID", required=False)


@_schema("发展对象列表", "一个发展对象", GrowthProspectFilterSerializer, GrowthProspectSerializer)
class ProspectViewSet(_ReadOnly):
    """发展对象（只读）。"""

    permission_classes = [permissions.IsAuthenticated, GrowthReaderPermission]
    serializer_class = GrowthProspectSerializer
    queryset = Prospect.objects.none()
    filter_serializer = GrowthProspectFilterSerializer

    def visible(self, user):
        return prospects_visible_to(user)

    def filter_list(self, qs, data):
        for key in ("stage", "source"):
            if key in data:
                qs = qs.filter(**{key: data[key]})
        if "chamber" in data:
            qs = qs.filter(chamber_id=data["chamber"])
        return qs


# --- applications -------------------------------------------------------------------------------------------
class GrowthAttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.CharField(read_only=True, label="材料类型")
    original_name = serializers.CharField(read_only=True, label="文件名")
    size = serializers.IntegerField(read_only=True, label="大小（字节）")


class GrowthApplicationSerializer(serializers.ModelSerializer):
    enterprise = serializers.SerializerMethodField(label="申请企业")
    chamber = serializers.SerializerMethodField(label="同时申请加入商会")
    industry = serializers.SerializerMethodField(label="所属行业")
    status_display = serializers.CharField(source="get_status_display", read_only=True, label="状态名称")
    membership_number = serializers.SerializerMethodField(label="会员编号（批准后）")

    class Meta:
        model = MembershipApplication
        fields = ["id", "number", "enterprise", "chamber", "status", "status_display", "enterprise_name", "uscc",
                  "legal_representative", "industry", "address", "founded", "employees", "registered_capital",
                  "annual_revenue", "main_products", "recommender", "submitted_at", "decided_at",
                  "refusal_reason", "membership_number"]
        read_only_fields = fields

    @extend_schema_field(GrowthNamedSerializer)
    def get_enterprise(self, obj):
        return _named(obj.enterprise)

    @extend_schema_field(GrowthNamedSerializer(allow_null=True))
    def get_chamber(self, obj):
        return _named(obj.chamber)

    @extend_schema_field(GrowthIndustrySerializer(allow_null=True))
    def get_industry(self, obj):
        return _industry(obj.industry)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_membership_number(self, obj):
        return obj.membership.number if obj.membership_id else None


class GrowthApplicationDetailSerializer(GrowthApplicationSerializer):
    attachments = GrowthAttachmentSerializer(source="all_attachments", many=True, read_only=True,
                                             label="申请材料")

    class Meta(GrowthApplicationSerializer.Meta):
        fields = GrowthApplicationSerializer.Meta.fields + ["statement", "attachments"]
        read_only_fields = fields


class GrowthApplicationFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(label="状态", choices=MembershipApplication.Status.choices, required=False)
    year = serializers.IntegerField(label="提交年度", min_value=1900, max_value=2100, required=False)


@_schema("入会申请列表", "一份入会申请（含申请材料）", GrowthApplicationFilterSerializer, GrowthApplicationSerializer,
         GrowthApplicationDetailSerializer)
class ApplicationViewSet(_ReadOnly):
    """入会申请（只读）：企业用户只见本企业的申请。"""

    permission_classes = [permissions.IsAuthenticated, GrowthMemberPermission]
    queryset = MembershipApplication.objects.none()
    filter_serializer = GrowthApplicationFilterSerializer

    def visible(self, user):
        return applications_visible_to(user).select_related("membership")

    def detail_queryset(self, qs):
        return qs.prefetch_related(Prefetch("attachments", queryset=ApplicationAttachment.objects.order_by("id"),
                                            to_attr="all_attachments"))

    def filter_list(self, qs, data):
        if "status" in data:
            qs = qs.filter(status=data["status"])
        if "year" in data:
            qs = qs.filter(submitted_at__year=data["year"])
        return qs

    def get_serializer_class(self):
        return GrowthApplicationSerializer if self.action == "list" else GrowthApplicationDetailSerializer


# --- enrollments --------------------------------------------------------------------------------------------
class GrowthEnrollmentSerializer(serializers.ModelSerializer):
    enterprise = serializers.SerializerMethodField(label="企业")
    programme = serializers.SerializerMethodField(label="服务项目")
    enrolled_by = serializers.SerializerMethodField(label="纳入人")
    liaison = serializers.SerializerMethodField(label="联络员")
    in_force = serializers.SerializerMethodField(label="今日在服务中")

    class Meta:
        model = ServiceEnrollment
        fields = ["id", "enterprise", "programme", "enrolled_on", "ended_on", "in_force", "enrolled_by", "liaison",
                  "note"]
        read_only_fields = fields

    @extend_schema_field(GrowthNamedSerializer)
    def get_enterprise(self, obj):
        return _named(obj.enterprise)

    @extend_schema_field(GrowthIndustrySerializer)
    def get_programme(self, obj):
        return {"code": obj.programme.code, "name": obj.programme.label}

    @extend_schema_field(serializers.CharField())
    def get_enrolled_by(self, obj):
        return obj.enrolled_by.display_name or obj.enrolled_by.username

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_liaison(self, obj):
        return (obj.liaison.display_name or obj.liaison.username) if obj.liaison_id else None

    @extend_schema_field(serializers.BooleanField())
    def get_in_force(self, obj):
        return status_of(obj, timezone.localdate()) == STATUSES["in_force"]


class GrowthEnrollmentFilterSerializer(serializers.Serializer):
    programme = TextField(label="服务项目编码", max_length=50, required=False)
    in_force = serializers.ChoiceField(label="今日在服务中", choices=YES_NO, required=False)


@_schema("服务企业列表", "一条服务企业记录", GrowthEnrollmentFilterSerializer, GrowthEnrollmentSerializer)
class EnrollmentViewSet(_ReadOnly):
    """服务企业（双万双服等，只读）。"""

    permission_classes = [permissions.IsAuthenticated, GrowthReaderPermission]
    serializer_class = GrowthEnrollmentSerializer
    queryset = ServiceEnrollment.objects.none()
    filter_serializer = GrowthEnrollmentFilterSerializer

    def visible(self, user):
        return enrollments_visible_to(user)

    def filter_list(self, qs, data):
        if data.get("programme"):
            qs = qs.filter(programme__code=data["programme"])
        if "in_force" in data:
            in_force = in_force_q(timezone.localdate())
            qs = qs.filter(in_force) if data["in_force"] == "yes" else qs.exclude(in_force)
        return qs


# --- directory ----------------------------------------------------------------------------------------------
class GrowthDirectoryEntrySerializer(serializers.Serializer):
    """An entry as `selectors.directory.entry_dict` gives it: a field the member hides is absent (not required in
    the schema), never null."""

    id = serializers.IntegerField(read_only=True, label="名录条目ID")
    name = serializers.CharField(read_only=True, label="企业名称")
    listed = serializers.BooleanField(read_only=True, label="在名录中展示",
                                      help_text="工商联角色可见未展示的条目（false）")

    def get_fields(self):
        fields = super().get_fields()
        for key, label in DIRECTORY_FIELDS:  # present only when the member shows it
            fields[key] = serializers.CharField(required=False, label=label, help_text="会员选择展示时才出现")
        return fields


class GrowthDirectoryFilterSerializer(serializers.Serializer):
    q = TextField(label="企业名称", max_length=50, required=False)
    products = TextField(label="主营产品（只查展示主营产品的条目）", max_length=50, required=False)
    industry = TextField(label="行业代码或其前缀（只查展示所属行业的条目）", max_length=10, required=False)
    street = IdField(label="街道ID（只查展示所在街道的条目）", required=False)


def _entry(listing):
    return {**entry_dict(listing), "listed": listing.listed}


@extend_schema_view(
    list=extend_schema(summary="会员名录", parameters=[GrowthDirectoryFilterSerializer],
                       description="在册会员的名录条目；会员未选择展示的字段不出现在答复中。",
                       responses={200: GrowthDirectoryEntrySerializer(many=True), 400: ERRORS[400],
                                  403: ERRORS[403]}),
    retrieve=extend_schema(summary="一个名录条目", responses={200: GrowthDirectoryEntrySerializer,
                                                         403: ERRORS[403], 404: ERRORS[404]}),
)
class DirectoryViewSet(_ReadOnly):
    """会员名录（只读）：只含会员选择展示的字段。"""

    permission_classes = [permissions.IsAuthenticated, GrowthMemberPermission]
    serializer_class = GrowthDirectoryEntrySerializer
    filter_serializer = GrowthDirectoryFilterSerializer
    queryset = DirectoryListing.objects.none()

    def visible(self, user):
        return listings_visible_to(user).filter(member_in_force()).order_by("enterprise__name", "id")

    def filter_list(self, qs, data):
        return search(qs, {"q": data.get("q"), "products": data.get("products"),
                           "industry_division": data.get("industry"), "street": data.get("street")})

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        data = self.get_serializer([_entry(listing) for listing in page], many=True).data
        return self.get_paginated_response(data)

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(_entry(self.get_object())).data)


# --- posts --------------------------------------------------------------------------------------------------
class GrowthEventSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True, label="活动名称")
    starts_at = serializers.DateTimeField(read_only=True, label="开始时间")


class GrowthPostSerializer(serializers.ModelSerializer):
    enterprise = serializers.SerializerMethodField(label="发布企业")
    industry = serializers.SerializerMethodField(label="行业")
    category_display = serializers.CharField(source="get_category_display", read_only=True, label="类别名称")
    status_display = serializers.CharField(source="get_status_display", read_only=True, label="状态名称")
    amount = serializers.DecimalField(label="金额（元）", allow_null=True, **AMOUNT)
    events = GrowthEventSerializer(source="linked_events", many=True, read_only=True, label="对接活动")

    class Meta:
        model = Post
        fields = ["id", "number", "enterprise", "category", "category_display", "title", "body", "industry",
                  "keywords", "amount", "headcount", "valid_until", "status", "status_display", "events",
                  "created_at"]
        read_only_fields = fields

    @extend_schema_field(GrowthNamedSerializer)
    def get_enterprise(self, obj):
        return _named(obj.enterprise)

    @extend_schema_field(GrowthIndustrySerializer(allow_null=True))
    def get_industry(self, obj):
        return _industry(obj.industry)


class GrowthPostFilterSerializer(serializers.Serializer):
    category = serializers.ChoiceField(label="类别", choices=Post.Category.choices, required=False)
    status = serializers.ChoiceField(label="状态", choices=Post.Status.choices, required=False)


@_schema("供需信息列表", "一条供需信息", GrowthPostFilterSerializer, GrowthPostSerializer)
class PostViewSet(_ReadOnly):
    """供需信息（只读）：联系方式只经对接请求、发布方同意后在页面上提供，不在此返回。"""

    permission_classes = [permissions.IsAuthenticated, GrowthMemberPermission]
    serializer_class = GrowthPostSerializer
    queryset = Post.objects.none()
    filter_serializer = GrowthPostFilterSerializer

    def visible(self, user):
        from shanglian.events.models import Event

        return posts_visible_to(user).prefetch_related(
            Prefetch("events", queryset=Event.objects.order_by("starts_at", "id"), to_attr="linked_events"))

    def filter_list(self, qs, data):
        for key in ("category", "status"):
            if key in data:
                qs = qs.filter(**{key: data[key]})
        return qs


# --- outcomes -----------------------------------------------------------------------------------------------
class GrowthOutcomeSerializer(serializers.ModelSerializer):
    enterprise = serializers.SerializerMethodField(label="企业")
    partner = serializers.SerializerMethodField(label="对接方")
    post = serializers.SerializerMethodField(label="供需信息")
    event = serializers.SerializerMethodField(label="对接活动")
    kind_display = serializers.CharField(source="get_kind_display", read_only=True, label="成果类型名称")
    amount = serializers.DecimalField(label="金额（元）", allow_null=True, **AMOUNT)

    class Meta:
        model = MatchOutcome
        fields = ["id", "kind", "kind_display", "enterprise", "partner", "post", "event", "reached_on", "amount",
                  "jobs", "note"]
        read_only_fields = fields

    @extend_schema_field(GrowthNamedSerializer)
    def get_enterprise(self, obj):
        return _named(obj.enterprise)

    @extend_schema_field(GrowthNamedSerializer(allow_null=True))
    def get_partner(self, obj):
        if obj.partner_id:
            return _named(obj.partner)
        return {"id": None, "name": obj.partner_name} if obj.partner_name else None

    @extend_schema_field(GrowthNamedSerializer(allow_null=True))
    def get_post(self, obj):
        return {"id": obj.post.pk, "name": obj.post.title} if obj.post_id else None

    @extend_schema_field(GrowthNamedSerializer(allow_null=True))
    def get_event(self, obj):
        return {"id": obj.event.pk, "name": obj.event.title} if obj.event_id else None


class GrowthOutcomeFilterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(label="成果类型", choices=MatchOutcome.Kind.choices, required=False)
    year = serializers.IntegerField(label="达成年度", min_value=1900, max_value=2100, required=False)


@_schema("对接成果列表", "一项对接成果", GrowthOutcomeFilterSerializer, GrowthOutcomeSerializer)
class OutcomeViewSet(_ReadOnly):
    """对接成果（只读）。"""

    permission_classes = [permissions.IsAuthenticated, GrowthReaderPermission]
    serializer_class = GrowthOutcomeSerializer
    queryset = MatchOutcome.objects.none()
    filter_serializer = GrowthOutcomeFilterSerializer

    def visible(self, user):
        return outcomes_visible_to(user)

    def filter_list(self, qs, data):
        if "kind" in data:
            qs = qs.filter(kind=data["kind"])
        if "year" in data:
            qs = qs.filter(reached_on__year=data["year"])
        return qs


# --- working groups -----------------------------------------------------------------------------------------
class GrowthGroupMemberSerializer(serializers.Serializer):
    person = serializers.CharField(read_only=True, label="姓名")
    enterprise = serializers.CharField(read_only=True, allow_null=True, label="所在企业")
    is_lead = serializers.BooleanField(read_only=True, label="组长")
    joined = serializers.DateField(read_only=True, label="加入日期")


class GrowthMilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "title", "due", "done_on", "note"]
        read_only_fields = fields


class GrowthProjectSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True, label="状态名称")
    milestones = GrowthMilestoneSerializer(source="all_milestones", many=True, read_only=True, label="项目节点")
    appeals = serializers.IntegerField(source="appeal_count", read_only=True, label="关联诉求数")
    appeals_resolved = serializers.IntegerField(source="resolved_count", read_only=True, label="其中已办结")

    class Meta:
        model = GroupProject
        fields = ["id", "name", "goal", "start", "due", "status", "status_display", "outcome", "finished_on",
                  "milestones", "appeals", "appeals_resolved"]
        read_only_fields = fields


class GrowthGroupSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True, label="工作组名称")
    focus = serializers.CharField(read_only=True, label="聚焦的共性问题")
    established = serializers.DateField(read_only=True, label="成立日期")
    dissolved = serializers.DateField(read_only=True, allow_null=True, label="撤销日期")
    lead = serializers.SerializerMethodField(label="组长")
    members = serializers.IntegerField(source="member_count", read_only=True, label="成员数")
    projects = serializers.IntegerField(source="project_count", read_only=True, label="项目数")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_lead(self, obj):
        return obj.leads[0].person.name if obj.leads else None


class GrowthGroupDetailSerializer(GrowthGroupSerializer):
    description = serializers.CharField(read_only=True, label="工作职责")
    member_list = GrowthGroupMemberSerializer(source="all_members", many=True, read_only=True, label="成员")
    project_list = GrowthProjectSerializer(source="all_projects", many=True, read_only=True, label="项目")


class GrowthGroupFilterSerializer(serializers.Serializer):
    active = serializers.ChoiceField(label="今日在运作（未撤销）", choices=YES_NO, required=False)


class _MemberRow:
    def __init__(self, member):
        self.person = member.person.name
        self.enterprise = member.enterprise.name if member.enterprise_id else None
        self.is_lead, self.joined = member.is_lead, member.joined


@_schema("专项工作组列表", "一个专项工作组（含成员、项目和节点）", GrowthGroupFilterSerializer, GrowthGroupSerializer,
         GrowthGroupDetailSerializer)
class GroupViewSet(_ReadOnly):
    """专项工作组（只读）。"""

    permission_classes = [permissions.IsAuthenticated, GrowthReaderPermission]
    queryset = WorkingGroup.objects.none()
    filter_serializer = GrowthGroupFilterSerializer

    def visible(self, user):
        leads = GroupMember.objects.filter(is_lead=True).select_related("person")
        return (groups_visible_to(user)
                .annotate(member_count=Count("members", distinct=True), project_count=Count("projects", distinct=True))
                .prefetch_related(Prefetch("members", queryset=leads, to_attr="leads"))
                .order_by("established", "id"))

    def detail_queryset(self, qs):
        projects = GroupProject.objects.annotate(
            appeal_count=Count("appeals", distinct=True),
            resolved_count=Count("appeals", filter=Q(appeals__status=AppealStatus.CLOSED), distinct=True),
        ).prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("due", "id"),
                                    to_attr="all_milestones")).order_by("start", "id")
        members = GroupMember.objects.select_related("person", "enterprise").order_by("-is_lead", "id")
        return qs.prefetch_related(Prefetch("members", queryset=members, to_attr="member_rows"),
                                   Prefetch("projects", queryset=projects, to_attr="all_projects"))

    def filter_list(self, qs, data):
        if "active" in data:
            today = timezone.localdate()
            active = Q(dissolved__isnull=True) | Q(dissolved__gt=today)
            qs = qs.filter(active) if data["active"] == "yes" else qs.exclude(active)
        return qs

    def get_object(self):
        group = super().get_object()
        group.all_members = [_MemberRow(m) for m in group.member_rows]
        return group

    def get_serializer_class(self):
        return GrowthGroupSerializer if self.action == "list" else GrowthGroupDetailSerializer


