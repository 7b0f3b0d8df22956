"""/api/v1/welfare/: 光彩公益, read only — donations (捐款捐物), campaigns (公益项目, with what they raised) and
pairings (结对帮扶). Every read starts from `selectors.scopes`: the federation's roles read their federations'
records, a chamber secretary its own chamber's (the donations it organised, the pairings of the chamber and of its
active member enterprises, the federation's campaigns and its own); a department, an enterprise and the auditor
get 403, a record of another scope 404 (audited, `common.api.AuditedLookupMixin`).

Amounts are yuan as strings with two decimals ("1200.00"), never numbers. A donor is `{kind, id, name}`: a person
donor is named (a donation certificate names them too) but no ID number or mobile is ever exposed.

Filters (query string; a bad value is a 400 with the Chinese message):
- donations: `year` (the donation's year), `campaign` (id), `donor_kind` (enterprise/person/chamber);
- campaigns: `year` (running in that year), `kind` (a `welfare_campaign_kind` code);
- pairings: `kind`, `in_force` (yes/no: in force today), `village` (id).
"""

from django.db.models import Count, DecimalField, OuterRef, Prefetch, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import permissions, serializers, viewsets

from shanglian.accounts.roles import MEMBER_READER_ROLES, role_of
from shanglian.common.api import AuditedLookupMixin, IdField, TextField

from .models import MONEY, ZERO, Campaign, Donation, DonationProof, Pairing, pairing_in_force_q
from .selectors.scopes import REFUSAL, campaigns_visible_to, donations_visible_to, pairings_visible_to

YES_NO = [("yes", "是"), ("no", "否")]
AMOUNT = {"max_digits": 16, "decimal_places": 2, "read_only": True}
RAISED_HELP = "您数据范围内的捐赠之和（商会秘书处：本商会组织的捐赠）"


class WelfareReaderPermission(permissions.BasePermission):
    """The scopes' readers (the federation's roles and a chamber secretary), refused before any filter is read;
    the scopes refuse every other role again."""

    message = REFUSAL

    def has_permission(self, request, view):
        return role_of(request.user) in MEMBER_READER_ROLES


def _absolute(request, url):
    return request.build_absolute_uri(url) if request is not None else url


# --- output: shared pieces ----------------------------------------------------------------------------------
class WelfareNamedSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True, label="名称")


class WelfareDonorSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Donation.DonorKind.choices, read_only=True, label="捐赠方类型")
    kind_display = serializers.CharField(read_only=True, label="捐赠方类型名称")
    id = serializers.IntegerField(read_only=True, label="企业、人士或商会的ID")
    name = serializers.CharField(read_only=True, label="名称或姓名")


class WelfareRecipientSerializer(serializers.Serializer):
    village = WelfareNamedSerializer(read_only=True, allow_null=True, label="受赠村")
    name = serializers.CharField(read_only=True, label="受赠方")


class WelfareCampaignKindSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True, label="编码")
    label = serializers.CharField(read_only=True, label="名称")


def _named(obj):
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


# --- donations ------------------------------------------------------------------------------------------------
class WelfareDonationListSerializer(serializers.ModelSerializer):
    donor = serializers.SerializerMethodField(label="捐赠方")
    chamber = serializers.SerializerMethodField(label="组织商会")
    campaign = serializers.SerializerMethodField(label="公益项目")
    recipient = serializers.SerializerMethodField(label="受赠方")
    total = serializers.DecimalField(label="合计（元）", **AMOUNT)

    class Meta:
        model = Donation
        fields = ["id", "number", "donor", "chamber", "campaign", "donated_on", "cash", "goods_description",
                  "goods_value", "total", "recipient", "receipt_number"]
        read_only_fields = fields

    @extend_schema_field(WelfareDonorSerializer)
    def get_donor(self, obj):
        donor = obj.donor
        return {"kind": obj.donor_kind, "kind_display": obj.get_donor_kind_display(), "id": donor.pk,
                "name": donor.name}

    @extend_schema_field(WelfareNamedSerializer(allow_null=True))
    def get_chamber(self, obj):
        return _named(obj.chamber)

    @extend_schema_field(WelfareNamedSerializer(allow_null=True))
    def get_campaign(self, obj):
        return _named(obj.campaign)

    @extend_schema_field(WelfareRecipientSerializer)
    def get_recipient(self, obj):
        return {"village": _named(obj.recipient_village), "name": obj.recipient_display}


class WelfareProofSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField(label="下载地址")

    class Meta:
        model = DonationProof
        fields = ["id", "original_name", "content_type", "size", "uploaded_at", "download_url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, obj):
        return _absolute(self.context.get("request"), reverse("welfare:proof_download", args=[obj.pk]))


class WelfareDonationDetailSerializer(WelfareDonationListSerializer):
    proofs = WelfareProofSerializer(source="all_proofs", many=True, read_only=True, label="捐赠凭证")
    certificate_url = serializers.SerializerMethodField(label="捐赠证书地址")

    class Meta(WelfareDonationListSerializer.Meta):
        fields = WelfareDonationListSerializer.Meta.fields + ["note", "created_at", "proofs", "certificate_url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_certificate_url(self, obj):
        return _absolute(self.context.get("request"), reverse("welfare:donation_certificate", args=[obj.pk]))


class WelfareDonationFilterSerializer(serializers.Serializer):
    year = serializers.IntegerField(label="捐赠年度", min_value=1900, max_value=2100, required=False)
    campaign = IdField(label="公益项目ID", required=False)
    donor_kind = serializers.ChoiceField(label="捐赠方类型", choices=Donation.DonorKind.choices, required=False)


ERRORS = {
    400: OpenApiResponse(description="筛选条件有误（字段名 → 中文说明）"),
    403: OpenApiResponse(description="角色无权访问光彩公益"),
    404: OpenApiResponse(description="不存在或不在您的数据范围内"),
}


def _filters(serializer_class, request):
    filters = serializer_class(data=request.query_params)
    filters.is_valid(raise_exception=True)
    return filters.validated_data


@extend_schema_view(
    list=extend_schema(summary="捐款捐物列表", parameters=[WelfareDonationFilterSerializer],
                       responses={200: WelfareDonationListSerializer(many=True), 400: ERRORS[400],
                                  403: ERRORS[403]}),
    retrieve=extend_schema(summary="一笔捐赠（含凭证和捐赠证书地址）",
                           responses={200: WelfareDonationDetailSerializer, 403: ERRORS[403], 404: ERRORS[404]}),
)
class DonationViewSet(AuditedLookupMixin, viewsets.ReadOnlyModelViewSet):
    """捐款捐物（只读）。"""

    permission_classes = [permissions.IsAuthenticated, WelfareReaderPermission]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Donation.objects.none()
        qs = donations_visible_to(self.request.user)
        if self.action != "list":
            return qs.prefetch_related(Prefetch("proofs", queryset=DonationProof.objects.order_by("id"),
                                                to_attr="all_proofs"))
        data = _filters(WelfareDonationFilterSerializer, self.request)
        if "year" in data:
            qs = qs.filter(donated_on__year=data["year"])
        if "campaign" in data:
            qs = qs.filter(campaign_id=data["campaign"])
        if "donor_kind" in data:
            qs = qs.filter(donor_kind=data["donor_kind"])
        return qs

    def get_serializer_class(self):
        return WelfareDonationListSerializer if self.action == "list" else WelfareDonationDetailSerializer


# --- campaigns ------------------------------------------------------------------------------------------------
class WelfareCampaignSerializer(serializers.ModelSerializer):
    kind = WelfareCampaignKindSerializer(read_only=True, label="项目类别")
    chamber = serializers.SerializerMethodField(label="发起商会（空为工商联发起）")
    raised_cash = serializers.DecimalField(label="已筹捐款（元）", help_text=RAISED_HELP, **AMOUNT)
    raised_goods = serializers.DecimalField(label="已筹物资折价（元）", help_text=RAISED_HELP, **AMOUNT)
    raised_total = serializers.SerializerMethodField(label="已筹合计（元）")
    donation_count = serializers.IntegerField(read_only=True, label="捐赠笔数")

    class Meta:
        model = Campaign
        fields = ["id", "name", "kind", "chamber", "start", "end", "target_amount", "target_note", "description",
                  "raised_cash", "raised_goods", "raised_total", "donation_count"]
        read_only_fields = fields

    @extend_schema_field(WelfareNamedSerializer(allow_null=True))
    def get_chamber(self, obj):
        return _named(obj.chamber)

    @extend_schema_field(serializers.DecimalField(max_digits=16, decimal_places=2))
    def get_raised_total(self, obj):
        return f"{obj.raised_cash + obj.raised_goods:.2f}"


class WelfareCampaignFilterSerializer(serializers.Serializer):
    year = serializers.IntegerField(label="开展年度", min_value=1900, max_value=2100, required=False)
    kind = TextField(label="项目类别编码", max_length=50, required=False)


def campaigns_with_raised(user):
    """The campaigns the user sees, each annotated with what the donations the user sees gave to it (SQL
    subqueries: one query for a page of campaigns, whatever their donations)."""
    given = donations_visible_to(user).filter(campaign_id=OuterRef("pk")).order_by().values("campaign_id")
    money = DecimalField(**MONEY)

    def raised(field):
        return Coalesce(Subquery(given.annotate(amount=Sum(field)).values("amount")[:1], output_field=money),
                        Value(ZERO), output_field=money)

    count = Subquery(given.annotate(n=Count("id")).values("n")[:1])
    return campaigns_visible_to(user).annotate(raised_cash=raised("cash"), raised_goods=raised("goods_value"),
                                               donation_count=Coalesce(count, 0))


@extend_schema_view(
    list=extend_schema(summary="公益项目列表（含已筹金额）", parameters=[WelfareCampaignFilterSerializer],
                       description="已筹金额为您数据范围内的捐赠之和（商会秘书处：本商会组织的捐赠）。",
                       responses={200: WelfareCampaignSerializer(many=True), 400: ERRORS[400], 403: ERRORS[403]}),
    retrieve=extend_schema(summary="一个公益项目（含已筹金额）",
                           responses={200: WelfareCampaignSerializer, 403: ERRORS[403], 404: ERRORS[404]}),
)
class CampaignViewSet(AuditedLookupMixin, viewsets.ReadOnlyModelViewSet):
    """公益项目（只读）。"""

    permission_classes = [permissions.IsAuthenticated, WelfareReaderPermission]
    serializer_class = WelfareCampaignSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Campaign.objects.none()
        qs = campaigns_with_raised(self.request.user)
        if self.action != "list":
            return qs
        data = _filters(WelfareCampaignFilterSerializer, self.request)
        if "year" in data:
            year = data["year"]
            qs = qs.filter(start__year__lte=year).exclude(end__year__lt=year)
        if data.get("kind"):
            qs = qs.filter(kind__code=data["kind"])
        return qs


# --- pairings -------------------------------------------------------------------------------------------------
class WelfarePartnerSerializer(serializers.Serializer):
    kind = serializers.CharField(read_only=True, label="帮扶方类型", help_text="enterprise 企业 / chamber 商会")
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True, label="名称")


class WelfareVillageSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True, label="村名")
    county = serializers.CharField(read_only=True, label="所在县（区）")
    is_target = serializers.BooleanField(read_only=True, label="帮扶对象")


class WelfarePairingSerializer(serializers.ModelSerializer):
    partner = serializers.SerializerMethodField(label="帮扶方")
    village = WelfareVillageSerializer(read_only=True, label="结对村")
    kind_display = serializers.CharField(source="get_kind_display", read_only=True, label="帮扶类型名称")
    in_force = serializers.SerializerMethodField(label="今日在帮扶期内")

    class Meta:
        model = Pairing
        fields = ["id", "partner", "village", "kind", "kind_display", "start", "end", "in_force", "commitment",
                  "committed_amount", "delivered", "delivered_amount", "note"]
        read_only_fields = fields

    @extend_schema_field(WelfarePartnerSerializer)
    def get_partner(self, obj):
        kind = "enterprise" if obj.enterprise_id else "chamber"
        return {"kind": kind, "id": obj.partner.pk, "name": obj.partner.name}

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_in_force(self, obj):
        return obj.in_force_on(timezone.localdate())


class WelfarePairingFilterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(label="帮扶类型", choices=Pairing.Kind.choices, required=False)
    in_force = serializers.ChoiceField(label="今日在帮扶期内", choices=YES_NO, required=False)
    village = IdField(label="结对村ID", required=False)


@extend_schema_view(
    list=extend_schema(summary="结对帮扶列表", parameters=[WelfarePairingFilterSerializer],
                       responses={200: WelfarePairingSerializer(many=True), 400: ERRORS[400], 403: ERRORS[403]}),
    retrieve=extend_schema(summary="一项结对帮扶",
                           responses={200: WelfarePairingSerializer, 403: ERRORS[403], 404: ERRORS[404]}),
)
class PairingViewSet(AuditedLookupMixin, viewsets.ReadOnlyModelViewSet):
    """结对帮扶（只读）。"""

    permission_classes = [permissions.IsAuthenticated, WelfareReaderPermission]
    serializer_class = WelfarePairingSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Pairing.objects.none()
        qs = pairings_visible_to(self.request.user)
        if self.action != "list":
            return qs
        data = _filters(WelfarePairingFilterSerializer, self.request)
        if "kind" in data:
            qs = qs.filter(kind=data["kind"])
        if "in_force" in data:
            in_force = pairing_in_force_q(timezone.localdate())
            qs = qs.filter(in_force) if data["in_force"] == "yes" else qs.exclude(in_force)
        if "village" in data:
            qs = qs.filter(village_id=data["village"])
        return qs
