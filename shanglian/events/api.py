"""REST API of events (/api/v1/events/, /api/v1/my-invitations/): the same selectors (scope) and services (every
write) as the pages. Thin: parse the JSON body, call the service, serialise.

- `events/` (federation roles and chamber secretaries, `selectors.events_visible_to`): the list (filters
  status, kind, year, q) and one event, each with its attendance (invited, places, checked in); the workflow's
  actions (`POST <id>/publish/`, `open-registration/`, `start/`, `finish/`, `cancel/`), generated from
  `workflow.EVENT_FLOW`; and `POST <id>/scan/`, the door's scan of an invitee's personal code (what a
  mini-program's scanner calls): one of three answers — ok 签到成功, already 已签到 (by whom, when), refused 拒绝
  (and why) — and the same `nonce` uploaded again is answered again, not counted again.
- `my-invitations/` (the enterprise user, `selectors.my_invitations`): its invitations, one with the text of its
  personal QR code, `POST <id>/rsvp/` (参加/不参加/代为参加) and `POST check-in/`, the invitee's self check-in with
  the event's posted 签到码.

Errors: a role that may not act → 403, a record outside the caller's scope → 404 (looked up before the body is
read), bad input → 400, a refusal (deadline passed, not open, cancelled, a full event …) → 409, each with the
Chinese message in `detail` (`common.api.exception_handler`).
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shanglian.accounts.roles import ORGANISER_ROLES, Role, role_of
from shanglian.common.api import AuditedLookupMixin, IdField, TextField, transition_actions
from shanglian.common.models import DictItem
from shanglian.ui.shortcuts import get_visible_or_404

from . import invitee, selectors, services, tokens
from .models import Event, EventAttachment, Invitation, Scan
from .serializers import RsvpSerializer, ScanSerializer, SelfCheckInSerializer
from .workflow import EVENT_FLOW


# --- permissions -------------------------------------------------------------------------------------------------
class EventWritePermission(permissions.BasePermission):
    """Leaders read; only the organisers (staff, sysadmin, a chamber secretary) send a write, refused before any
    input is parsed (the services check every action again)."""

    message = "您的角色只能查看活动，不能操作。"

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or role_of(request.user) in ORGANISER_ROLES


class InviteePermission(permissions.BasePermission):
    message = "只有企业用户可以查看和回复本企业的请柬。"

    def has_permission(self, request, view):
        return role_of(request.user) == Role.ENTERPRISE


# --- output ------------------------------------------------------------------------------------------------------
STATUS_HELP = "draft 草稿 / published 已发布 / registration 报名中 / running 进行中 / finished 已结束 / cancelled 已取消"
ANSWER_HELP = ("pending 待回复 / accepted 参加 / substitute 代为参加 / declined 不参加 / waitlisted 候补 / "
               "cancelled 已取消（请柬被撤回）")


def _datetime(value):
    return serializers.DateTimeField().to_representation(value)


class KindSerializer(serializers.ModelSerializer):
    class Meta:
        model = DictItem
        fields = ["id", "code", "label"]


class EventListSerializer(serializers.ModelSerializer):
    kind = KindSerializer(read_only=True)
    # Plain text, not an enum: the states are documented in the help text (one enum per field name in the schema).
    status = serializers.CharField(read_only=True, label="状态", help_text=STATUS_HELP)
    status_display = serializers.CharField(source="get_status_display", read_only=True, label="状态名称")
    organiser_type = serializers.CharField(source="organiser", read_only=True, label="主办方类型",
                                           help_text="federation 工商联 / chamber 商会 / committee 专门委员会 / "
                                                     "working_group 专项工作组")
    organiser_name = serializers.CharField(read_only=True, label="主办方")
    statutory_body = serializers.CharField(source="body", read_only=True, label="会议机构（法定会议）",
                                           help_text="空为非法定会议")
    rsvp_closes_at = serializers.SerializerMethodField(label="报名截止（未设置时为活动开始）")
    invited = serializers.IntegerField(read_only=True, label="受邀（不含已取消）")
    places = serializers.IntegerField(read_only=True, label="参加（含代为参加）")
    attended = serializers.IntegerField(read_only=True, label="签到人次（含现场登记）")

    class Meta:
        model = Event
        fields = ["id", "number", "title", "kind", "statutory_body", "organiser_type", "organiser_name", "chamber",
                  "starts_at", "ends_at", "venue", "capacity", "rsvp_deadline", "rsvp_closes_at", "status",
                  "status_display", "invited", "places", "attended"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_rsvp_closes_at(self, obj):
        return _datetime(obj.rsvp_closes_at())


class AttendanceSerializer(serializers.Serializer):
    invited = serializers.IntegerField(label="受邀（不含已取消）")
    places = serializers.IntegerField(label="参加（含代为参加）")
    capacity = serializers.IntegerField(allow_null=True, label="名额（空为不限）")
    checked_in = serializers.IntegerField(label="签到人次（含现场登记）")
    checked_in_invited = serializers.IntegerField(label="受邀人签到")
    walk_ins = serializers.IntegerField(label="现场登记")
    by_status = serializers.DictField(child=serializers.IntegerField(), label="按回复统计",
                                      help_text="回复（" + ANSWER_HELP + "）→ 请柬数")


class MaterialSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField(label="下载地址")

    class Meta:
        model = EventAttachment
        fields = ["id", "original_name", "content_type", "size", "uploaded_at", "download_url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, obj):
        invitation = self.context.get("invitation")
        url = (reverse("events:h5_material", args=[invitation.pk, obj.pk]) if invitation is not None
               else reverse("events:material", args=[obj.pk]))
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class EventDetailSerializer(EventListSerializer):
    attendance = serializers.SerializerMethodField(label="出席情况")
    materials = serializers.SerializerMethodField(label="活动资料")

    class Meta(EventListSerializer.Meta):
        fields = EventListSerializer.Meta.fields + ["leaders", "programme_text", "description", "cancel_reason",
                                                    "attendance", "materials"]
        read_only_fields = fields

    @extend_schema_field(AttendanceSerializer)
    def get_attendance(self, obj):
        return AttendanceSerializer(selectors.attendance(obj)).data

    @extend_schema_field(MaterialSerializer(many=True))
    def get_materials(self, obj):
        return MaterialSerializer(obj.attachments.all(), many=True, context=self.context).data


class ScanAnswerSerializer(serializers.Serializer):
    """What the scanner's phone shows."""

    result = serializers.ChoiceField(choices=Scan.Result.choices, label="结果",
                                     help_text="ok 签到成功 / already 已签到 / refused 拒绝")
    message = serializers.CharField(label="提示（中文，直接显示）")
    reason = serializers.CharField(label="原因代码", allow_blank=True,
                                   help_text="拒绝的原因：unreadable、forged、unknown、other_event、event_code、"
                                             "personal_code、stale_code、not_invited、invitation_cancelled、"
                                             "waitlisted、event_cancelled、event_state、outside_day；已签到为 already")
    name = serializers.CharField(label="签到人", allow_blank=True)
    organisation = serializers.CharField(label="单位", allow_blank=True)
    checked_in_at = serializers.DateTimeField(label="签到时间", allow_null=True)
    checked_in_by = serializers.CharField(label="签到操作人（自助签到为“本人”）", allow_blank=True)
    repeat = serializers.BooleanField(label="重复上传（同一扫描标识，按第一次结果答复，未重复计数）")
    attended = serializers.IntegerField(label="本活动当前签到人次")


class InvitationEventSerializer(serializers.ModelSerializer):
    kind = KindSerializer(read_only=True)
    status = serializers.CharField(read_only=True, label="活动状态", help_text=STATUS_HELP)
    status_display = serializers.CharField(source="get_status_display", read_only=True, label="活动状态名称")
    organiser_name = serializers.CharField(read_only=True, label="主办方")
    rsvp_closes_at = serializers.SerializerMethodField(label="报名截止")

    class Meta:
        model = Event
        fields = ["id", "number", "title", "kind", "organiser_name", "starts_at", "ends_at", "venue", "status",
                  "status_display", "rsvp_closes_at"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_rsvp_closes_at(self, obj):
        return _datetime(obj.rsvp_closes_at())


class InvitationEventDetailSerializer(InvitationEventSerializer):
    class Meta(InvitationEventSerializer.Meta):
        fields = InvitationEventSerializer.Meta.fields + ["leaders", "capacity", "programme_text", "description",
                                                          "cancel_reason"]
        read_only_fields = fields


class MyInvitationListSerializer(serializers.ModelSerializer):
    event = InvitationEventSerializer(read_only=True)
    status = serializers.CharField(read_only=True, label="回复", help_text=ANSWER_HELP)
    status_display = serializers.CharField(source="get_status_display", read_only=True, label="回复名称")
    checked_in_at = serializers.DateTimeField(read_only=True, allow_null=True, label="签到时间（未签到为空）")
    rsvp_open = serializers.SerializerMethodField(label="现在可以回复")

    class Meta:
        model = Invitation
        fields = ["id", "event", "name", "status", "status_display", "substitute_name", "responded_at",
                  "checked_in_at", "rsvp_open"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_rsvp_open(self, obj):
        return not invitee.rsvp_refusal(obj)


class MyInvitationDetailSerializer(MyInvitationListSerializer):
    event = InvitationEventDetailSerializer(read_only=True)
    rsvp_refusal = serializers.SerializerMethodField(label="不能回复的原因（可以回复时为空）")
    waitlist_position = serializers.SerializerMethodField(label="候补位次（不在候补名单时为空）")
    qr_token = serializers.SerializerMethodField(
        label="签到二维码内容", help_text="把这段文字画成二维码，供签到人员扫描；不能签到时（已签到、不参加、候补、请柬或活动已取消、"
                                  "活动已结束）为空。")
    checks_in_today = serializers.SerializerMethodField(label="今天可以扫码签到")
    materials = serializers.SerializerMethodField(label="活动资料")

    class Meta(MyInvitationListSerializer.Meta):
        fields = MyInvitationListSerializer.Meta.fields + ["rsvp_refusal", "waitlist_position", "qr_token",
                                                           "checks_in_today", "materials"]
        read_only_fields = fields

    def _shows_code(self, obj):
        return invitee.shows_code(obj, checked_in=obj.checked_in_at is not None)

    @extend_schema_field(OpenApiTypes.STR)
    def get_rsvp_refusal(self, obj):
        return invitee.rsvp_refusal(obj)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_waitlist_position(self, obj):
        return invitee.waitlist_position(obj)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_qr_token(self, obj):
        return tokens.for_invitation(obj) if self._shows_code(obj) else None

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_checks_in_today(self, obj):
        return self._shows_code(obj) and invitee.checks_in_today(obj.event)

    @extend_schema_field(MaterialSerializer(many=True))
    def get_materials(self, obj):
        return MaterialSerializer(obj.event.attachments.all(), many=True,
                                  context={**self.context, "invitation": obj}).data


# --- input -------------------------------------------------------------------------------------------------------
class EventFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(label="状态", choices=Event.Status.choices, required=False)
    kind = IdField(label="活动类型ID", required=False)
    year = serializers.IntegerField(label="年度（按开始时间）", min_value=2000, max_value=2100, required=False)
    q = TextField(label="活动名称、编号或地点", max_length=100, required=False, allow_blank=True)


class MyInvitationFilterSerializer(serializers.Serializer):
    event = IdField(label="活动ID", required=False,
                    help_text="只列出该活动的请柬（自助签到需选择签到人时用）")
    status = serializers.ChoiceField(label="回复", choices=Invitation.Status.choices, required=False)


def _data(request, serializer_class):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


ERRORS = {
    400: OpenApiResponse(description="输入有误（detail 为中文说明）"),
    403: OpenApiResponse(description="角色无权执行该操作"),
    404: OpenApiResponse(description="不存在或不在您的数据范围内"),
    409: OpenApiResponse(description="当前不允许该操作（detail 为中文说明）"),
    415: OpenApiResponse(description="请求体只接受 application/json"),
}
READ_ERRORS = {403: ERRORS[403], 404: ERRORS[404]}


# --- the back office's events ------------------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(summary="活动列表（含出席统计）", parameters=[EventFilterSerializer],
                       responses={200: EventListSerializer(many=True), 400: ERRORS[400], 403: ERRORS[403]}),
    retrieve=extend_schema(summary="活动详情（含出席情况和活动资料）",
                           responses={200: EventDetailSerializer, **READ_ERRORS}),
)
@transition_actions(EVENT_FLOW, respond=lambda viewset, event: viewset._detail(event),
                    responses={200: EventDetailSerializer, **ERRORS})
class EventViewSet(AuditedLookupMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated, EventWritePermission]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Event.objects.none()
        user = self.request.user
        if self.action == "list":
            filters = EventFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            return selectors.with_attendance(selectors.event_list(user, filters=filters.validated_data))
        if self.action == "retrieve":
            return selectors.with_attendance(selectors.events_visible_to(user)).prefetch_related("attachments")
        return selectors.events_visible_to(user)

    def get_serializer_class(self):
        return EventListSerializer if self.action == "list" else EventDetailSerializer

    def _detail(self, event):
        event = (selectors.with_attendance(selectors.events_visible_to(self.request.user))
                 .prefetch_related("attachments").get(pk=event.pk))
        return Response(EventDetailSerializer(event, context=self.get_serializer_context()).data)

    @extend_schema(summary="门口扫码签到（扫描参会人的请柬二维码）", request=ScanSerializer,
                   responses={200: ScanAnswerSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="scan", url_name="scan")
    def scan(self, request, pk=None):
        """A bad, forged or other event's code is an answer (200, result refused), not an error."""
        event = self.get_object()  # the scope first: another scope's event is 404 whatever the body
        data = _data(request, ScanSerializer)
        answer = services.scan(actor=request.user, event=event, payload=data["payload"], nonce=data["nonce"])
        return Response(ScanAnswerSerializer(answer).data)


# --- the invitee's own -------------------------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(summary="我的活动（本企业的请柬）", parameters=[MyInvitationFilterSerializer],
                       responses={200: MyInvitationListSerializer(many=True), 400: ERRORS[400], 403: ERRORS[403]}),
    retrieve=extend_schema(summary="请柬详情（含签到二维码内容和活动资料）",
                           responses={200: MyInvitationDetailSerializer, **READ_ERRORS}),
)
class MyInvitationViewSet(AuditedLookupMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated, InviteePermission]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Invitation.objects.none()
        qs = invitee.mine(self.request.user)
        if self.action == "list":
            filters = MyInvitationFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            if "event" in filters.validated_data:
                qs = qs.filter(event_id=filters.validated_data["event"])
            if "status" in filters.validated_data:
                qs = qs.filter(status=filters.validated_data["status"])
            return qs
        return qs.prefetch_related("event__attachments")

    def get_serializer_class(self):
        return MyInvitationListSerializer if self.action == "list" else MyInvitationDetailSerializer

    def _detail(self, invitation):
        invitation = self.get_queryset().get(pk=invitation.pk)
        return Response(MyInvitationDetailSerializer(invitation, context=self.get_serializer_context()).data)

    @extend_schema(summary="回复请柬（参加/不参加/代为参加）", request=RsvpSerializer,
                   responses={200: MyInvitationDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="rsvp", url_name="rsvp")
    def rsvp(self, request, pk=None):
        invitation = self.get_object()  # the scope first: another enterprise's invitation is 404 whatever the body
        data = _data(request, RsvpSerializer)
        services.rsvp(actor=request.user, invitation=invitation, answer=data["answer"],
                      substitute_name=data["substitute_name"])
        return self._detail(invitation)

    @extend_schema(summary="自助签到（扫描会场张贴的活动签到码）", request=SelfCheckInSerializer,
                   responses={200: ScanAnswerSerializer, **ERRORS})
    @action(detail=False, methods=["post"], url_path="check-in", url_name="check-in")
    def check_in(self, request):
        """A bad, forged, stale or other event's code is an answer (200, result refused); several invitees of the
        enterprise at the event and none named is 409 (list them with `?event=`, then name one in `invitation`)."""
        data = _data(request, SelfCheckInSerializer)
        chosen = None
        if data["invitation"] is not None:
            chosen = get_visible_or_404(invitee.mine(request.user), data["invitation"])
        answer = services.self_check_in(actor=request.user, payload=data["payload"], invitation=chosen,
                                        nonce=data["nonce"])
        return Response(ScanAnswerSerializer(answer).data)
