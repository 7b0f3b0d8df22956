"""/api/v1/communications/: 通知调研与宣传 — what a WeChat mini-program or another system reads, and the enterprise's
two writes (reading a notice, answering a survey). Every read starts from `selectors.scopes`, as the pages do; a
record of another scope is 404 (audited, `common.api.AuditedLookupMixin`), a role without the right 403.

Staff (read only):
- `notices`: the federation's roles their federations' notices, a chamber secretary its chamber's; each with its
  reach (recipients, read, read rate); one notice with its body (sanitised HTML), attachments and recipients.
- `surveys`: the same scope; each with its question and response counts; one survey with its questions (and their
  skip logic).
- `responses`: submitted answer sheets the caller may read (`scopes.responses_visible_to`: a chamber secretary only
  its chamber's active members' to its own chamber's surveys); one sheet with its answers.
- `reports` (调研报告): the federation's roles. `articles` (宣传稿件) and `rules` (规章制度, with their versions): the
  federation's roles and the chambers of the federation. `partners` (友好商会, with agreements and exchanges): the
  federation's roles.

The enterprise's (an enterprise user only; any other role 403):
- `inbox`: the notices sent to its enterprise and not withdrawn, each with whether the enterprise has read it;
  `POST inbox/<id>/read/` marks it read (`services.receipts.mark_notice_read`: the first reader of the enterprise is
  kept as the receipt's reader).
- `my-surveys`: the surveys sent to its enterprise (收集中 or 已结束), each with my status (未填写/草稿/已提交) and
  whether I may still answer; one survey with its questions, their skip logic and the answers I gave;
  `POST my-surveys/<id>/draft/` saves a draft, `POST my-surveys/<id>/submit/` submits
  (`services.responses.save_answers`: a required question left empty, an option or a number out of range is a 400
  with the Chinese message and nothing is written; a survey no longer open, or already submitted, likewise).

Skip logic: a question with `show_if` (an earlier choice question's id) and `show_if_option` (an option position,
0-based) is shown — and answered — only when that question's answer includes that option; an answer given to a
hidden question is dropped when saved.

An answer in a body: `{"question": id, "choices": [positions], "number": "12.5", "text": "…"}` — `choices` for a
single (one position) or multiple choice question, `number` for a scale or a number question, `text` for a text
question; the fields the question's kind does not use are ignored.
"""

from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response as ApiResponse

from shanglian.accounts.roles import FEDERATION_ROLES, MEMBER_READER_ROLES, Role, role_of
from shanglian.common.api import AuditedLookupMixin, IdField, InvalidInput, TextField
from shanglian.ui.figures import share

from .models import (
    Agreement,
    Answer,
    Article,
    Exchange,
    Notice,
    NoticeAttachment,
    NoticeRecipient,
    Partner,
    Question,
    ReportDocument,
    ResearchReport,
    Response,
    Rule,
    RuleVersion,
    Survey,
)
from .selectors.notices import with_reach
from .selectors.responses import inbox, my_response, my_surveys
from .selectors.rules import in_force_q
from .selectors.scopes import (
    REFUSAL,
    articles_visible_to,
    notices_visible_to,
    partners_visible_to,
    reports_visible_to,
    responses_visible_to,
    rules_visible_to,
)
from .selectors.surveys import survey_list

YES_NO = [("yes", "是"), ("no", "否")]
ERRORS = {
    400: OpenApiResponse(description="输入有误（字段名 → 中文说明，或 detail 中的中文说明）"),
    403: OpenApiResponse(description="角色无权访问"),
    404: OpenApiResponse(description="不存在或不在您的数据范围内"),
    409: OpenApiResponse(description="当前不允许该操作（detail 为中文说明）"),
}


# --- permissions --------------------------------------------------------------------------------------------
class _RolePermission(permissions.BasePermission):
    """Refused before any filter is read; the scopes refuse every other role again."""

    message = REFUSAL
    roles = frozenset()

    def has_permission(self, request, view):
        return role_of(request.user) in self.roles


class SenderReaderPermission(_RolePermission):
    """Notices, surveys, their answers, articles and rules: the federation's roles and a chamber secretary."""

    roles = MEMBER_READER_ROLES


class FederationReaderPermission(_RolePermission):
    """Research reports and friendly organisations: the federation's roles."""

    roles = FEDERATION_ROLES


class EnterprisePermission(_RolePermission):
    message = "只有企业用户可以查看本企业收到的通知和问卷。"
    roles = frozenset({Role.ENTERPRISE})

    def has_permission(self, request, view):
        return super().has_permission(request, view) and bool(request.user.enterprise_id)


# --- shared pieces ------------------------------------------------------------------------------------------
def _filters(serializer_class, request):
    filters = serializer_class(data=request.query_params)
    filters.is_valid(raise_exception=True)
    return filters.validated_data


def _schema(summary_list, summary_one, filters, list_serializer, detail_serializer=None):
    return extend_schema_view(
        list=extend_schema(summary=summary_list, parameters=[filters] if filters else None,
                           responses={200: list_serializer(many=True), 400: ERRORS[400], 403: ERRORS[403]}),
        retrieve=extend_schema(summary=summary_one, responses={200: detail_serializer or list_serializer,
                                                               403: ERRORS[403], 404: ERRORS[404]}),
    )


class _ReadOnly(AuditedLookupMixin, viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = r"\d+"
    queryset = None  # each ViewSet's model (`.none()`): what the API matrix reads; reads go through `visible`
    filter_serializer = None
    list_serializer = detail_serializer = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        qs = self.visible(self.request.user)
        if self.action != "list":
            return self.detail_queryset(qs)
        data = _filters(self.filter_serializer, self.request) if self.filter_serializer else {}
        return self.filter_list(qs, data)

    def visible(self, user):
        raise NotImplementedError

    def detail_queryset(self, qs):
        return qs

    def filter_list(self, qs, data):
        return qs

    def get_serializer_class(self):
        return self.list_serializer if self.action == "list" else (self.detail_serializer or self.list_serializer)


class CommNamedSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True, label="名称")


class CommFileSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    original_name = serializers.CharField(read_only=True, label="文件名")
    content_type = serializers.CharField(read_only=True, label="类型")
    size = serializers.IntegerField(read_only=True, label="大小（字节）")


def _named(obj, name=None):
    return {"id": obj.pk, "name": name or str(obj)} if obj is not None else None


def _display(label):
    """A choice field's code (as a string, documented by its label) — no enum component, so the schema's enum
    names stay the other modules'."""
    return serializers.CharField(read_only=True, label=label)


def _label(field, label):
    return serializers.CharField(source=f"get_{field}_display", read_only=True, label=label)


def _rate(part, whole):
    rate = share(part, whole)
    return None if rate is None else float(rate)


class _TargetedSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True, label="编号")
    title = serializers.CharField(read_only=True, label="标题")
    chamber = serializers.SerializerMethodField(label="发送商会（空为工商联发送）")
    audience = _display("发送对象（all/chamber/committee/group/event/filter）")
    audience_display = serializers.CharField(source="audience_label", read_only=True, label="发送对象说明")
    status = _display("状态")
    status_display = _label("status", "状态名称")

    @extend_schema_field(CommNamedSerializer(allow_null=True))
    def get_chamber(self, obj):
        return _named(obj.chamber)


# --- notices ------------------------------------------------------------------------------------------------
class CommNoticeSerializer(_TargetedSerializer):
    sms_copy = serializers.BooleanField(read_only=True, label="同时发送短信")
    sent_at = serializers.DateTimeField(read_only=True, allow_null=True, label="发送时间")
    created_at = serializers.DateTimeField(read_only=True, label="起草时间")
    recipients = serializers.IntegerField(source="reached", read_only=True, label="接收人数（企业和仅短信的人士）")
    enterprises = serializers.IntegerField(source="reached_enterprises", read_only=True, label="接收企业数")
    read = serializers.IntegerField(read_only=True, label="已读企业数")
    read_rate = serializers.SerializerMethodField(label="阅读率（已读企业 ÷ 接收企业，%；无接收企业时为空）")

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_read_rate(self, obj):
        return _rate(obj.read, obj.reached_enterprises)


class CommNoticeRecipientSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    enterprise = serializers.IntegerField(source="enterprise_id", read_only=True, allow_null=True, label="企业ID")
    person = serializers.IntegerField(source="person_id", read_only=True, allow_null=True,
                                      label="人士ID（无企业的人士，仅短信）")
    name = serializers.CharField(read_only=True, label="名称")
    read_at = serializers.DateTimeField(read_only=True, allow_null=True, label="阅读时间")
    reminders = serializers.IntegerField(read_only=True, label="提醒次数")


class CommNoticeDetailSerializer(CommNoticeSerializer):
    body = serializers.CharField(read_only=True, label="正文（已净化的 HTML）")
    withdrawn_reason = serializers.CharField(read_only=True, label="撤回原因")
    attachments = CommFileSerializer(source="all_attachments", many=True, read_only=True, label="附件")
    recipient_list = CommNoticeRecipientSerializer(source="all_recipients", many=True, read_only=True,
                                                   label="接收人及阅读回执")


class CommNoticeFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(label="状态", choices=Notice.Status.choices, required=False)
    year = serializers.IntegerField(label="发送年度", min_value=1900, max_value=2100, required=False)
    q = TextField(label="标题包含", max_length=100, required=False)


@_schema("通知公告列表（含送达和阅读情况）", "一条通知（含正文、附件和阅读回执）", CommNoticeFilterSerializer,
         CommNoticeSerializer, CommNoticeDetailSerializer)
class NoticeViewSet(_ReadOnly):
    """通知公告（只读）。"""

    permission_classes = [permissions.IsAuthenticated, SenderReaderPermission]
    queryset = Notice.objects.none()
    filter_serializer = CommNoticeFilterSerializer
    list_serializer, detail_serializer = CommNoticeSerializer, CommNoticeDetailSerializer

    def visible(self, user):
        return with_reach(notices_visible_to(user)).select_related(
            "chamber_audience", "committee", "working_group", "event", "saved_filter").order_by("-id")

    def detail_queryset(self, qs):
        return qs.prefetch_related(
            Prefetch("attachments", queryset=NoticeAttachment.objects.order_by("id"), to_attr="all_attachments"),
            Prefetch("recipients", queryset=NoticeRecipient.objects.order_by("id"), to_attr="all_recipients"))

    def filter_list(self, qs, data):
        if "status" in data:
            qs = qs.filter(status=data["status"])
        if "year" in data:
            qs = qs.filter(sent_at__year=data["year"])
        if data.get("q"):
            qs = qs.filter(title__contains=data["q"])
        return qs


# --- surveys ------------------------------------------------------------------------------------------------
class CommQuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    order = serializers.IntegerField(read_only=True, label="序号")
    kind = _display("题型（single 单选/multiple 多选/scale 量表/text 填空/number 数值）")
    kind_display = _label("kind", "题型名称")
    text = serializers.CharField(read_only=True, label="题目")
    required = serializers.BooleanField(read_only=True, label="必答")
    options = serializers.ListField(child=serializers.CharField(), read_only=True,
                                    label="选项（选择题；作答时以位置表示，从0起）")
    low = serializers.IntegerField(read_only=True, label="量表最小值")
    high = serializers.IntegerField(read_only=True, label="量表最大值")
    low_label = serializers.CharField(read_only=True, label="最小值含义")
    high_label = serializers.CharField(read_only=True, label="最大值含义")
    minimum = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True, allow_null=True,
                                       label="数值下限")
    maximum = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True, allow_null=True,
                                       label="数值上限")
    unit = serializers.CharField(read_only=True, label="单位")
    show_if = serializers.IntegerField(source="show_if_id", read_only=True, allow_null=True,
                                       label="显示条件：前面选择题的ID（空为总是显示）")
    show_if_option = serializers.IntegerField(read_only=True, allow_null=True,
                                              label="显示条件：该题须选中的选项位置（从0起）")


class CommSurveySerializer(_TargetedSerializer):
    intro = serializers.CharField(read_only=True, label="说明")
    respondent = _display("填写方式（enterprise 每家企业一份/person 每人一份）")
    closes_on = serializers.DateField(read_only=True, allow_null=True, label="截止日期")
    opened_at = serializers.DateTimeField(read_only=True, allow_null=True, label="发布时间")
    closed_at = serializers.DateTimeField(read_only=True, allow_null=True, label="结束时间")
    questions = serializers.IntegerField(source="question_count", read_only=True, label="题目数")
    recipients = serializers.IntegerField(source="recipient_count", read_only=True, label="发送对象数")
    responses = serializers.IntegerField(source="response_count", read_only=True,
                                         label="已提交答卷数（您可查看的）")


class CommSurveyDetailSerializer(CommSurveySerializer):
    question_list = CommQuestionSerializer(source="all_questions", many=True, read_only=True, label="题目")


class CommSurveyFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(label="状态", choices=Survey.Status.choices, required=False)
    year = serializers.IntegerField(label="发布年度", min_value=1900, max_value=2100, required=False)
    q = TextField(label="标题包含", max_length=100, required=False)


def _ordered_questions():
    return Prefetch("questions", queryset=Question.objects.order_by("order", "id"), to_attr="all_questions")


@_schema("问卷调查列表", "一份问卷（含题目和跳题逻辑）", CommSurveyFilterSerializer, CommSurveySerializer,
         CommSurveyDetailSerializer)
class SurveyViewSet(_ReadOnly):
    """问卷调查（只读）。"""

    permission_classes = [permissions.IsAuthenticated, SenderReaderPermission]
    queryset = Survey.objects.none()
    filter_serializer = CommSurveyFilterSerializer
    list_serializer, detail_serializer = CommSurveySerializer, CommSurveyDetailSerializer

    def visible(self, user):
        return survey_list(user, today=timezone.localdate()).order_by("-id")

    def detail_queryset(self, qs):
        return qs.prefetch_related(_ordered_questions())

    def filter_list(self, qs, data):
        if "status" in data:
            qs = qs.filter(status=data["status"])
        if "year" in data:
            qs = qs.filter(opened_at__year=data["year"])
        if data.get("q"):
            qs = qs.filter(Q(title__icontains=data["q"]) | Q(number__iexact=data["q"]))
        return qs


# --- answers ------------------------------------------------------------------------------------------------
class CommAnswerSerializer(serializers.Serializer):
    question = serializers.IntegerField(source="question_id", read_only=True, label="题目ID")
    question_text = serializers.CharField(source="question.text", read_only=True, label="题目")
    kind = serializers.CharField(source="question.kind", read_only=True, label="题型")
    choices = serializers.ListField(child=serializers.IntegerField(), read_only=True, label="所选选项位置（从0起）")
    choice_labels = serializers.SerializerMethodField(label="所选选项文字")
    number = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True, allow_null=True,
                                      label="数值（量表题、数值题）")
    text = serializers.CharField(read_only=True, label="文字回答")

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_choice_labels(self, obj):
        options = obj.question.options or []
        return [options[i] for i in obj.choices or [] if isinstance(i, int) and 0 <= i < len(options)]


class CommResponseSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    survey = serializers.SerializerMethodField(label="问卷")
    enterprise = serializers.SerializerMethodField(label="填写企业")
    respondent = serializers.SerializerMethodField(label="填写人")
    status = _display("状态（draft 草稿/submitted 已提交）")
    submitted_at = serializers.DateTimeField(read_only=True, allow_null=True, label="提交时间")

    @extend_schema_field(CommNamedSerializer)
    def get_survey(self, obj):
        return _named(obj.survey, obj.survey.title)

    @extend_schema_field(CommNamedSerializer)
    def get_enterprise(self, obj):
        return _named(obj.enterprise, obj.enterprise.name)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_respondent(self, obj):
        user = obj.respondent
        return (user.display_name or user.username) if user is not None else None


class CommResponseDetailSerializer(CommResponseSerializer):
    answers = CommAnswerSerializer(source="all_answers", many=True, read_only=True, label="答案")


class CommResponseFilterSerializer(serializers.Serializer):
    survey = IdField(label="问卷ID", required=False)
    enterprise = IdField(label="企业ID", required=False)


def _ordered_answers():
    return Prefetch("answers", queryset=Answer.objects.select_related("question").order_by("question__order",
                                                                                            "question_id"),
                    to_attr="all_answers")


@_schema("问卷答卷列表（已提交）", "一份答卷（含答案）", CommResponseFilterSerializer, CommResponseSerializer,
         CommResponseDetailSerializer)
class ResponseViewSet(_ReadOnly):
    """问卷答卷（只读）：商会秘书处只见本商会问卷中本商会在册会员的答卷。"""

    permission_classes = [permissions.IsAuthenticated, SenderReaderPermission]
    queryset = Response.objects.none()
    filter_serializer = CommResponseFilterSerializer
    list_serializer, detail_serializer = CommResponseSerializer, CommResponseDetailSerializer

    def visible(self, user):
        return responses_visible_to(user).order_by("-submitted_at", "-id")

    def detail_queryset(self, qs):
        return qs.prefetch_related(_ordered_answers())

    def filter_list(self, qs, data):
        if "survey" in data:
            qs = qs.filter(survey_id=data["survey"])
        if "enterprise" in data:
            qs = qs.filter(enterprise_id=data["enterprise"])
        return qs


# --- research reports ---------------------------------------------------------------------------------------
class CommVisitSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    enterprise = serializers.CharField(source="enterprise.name", read_only=True, label="走访企业")
    visited_on = serializers.DateField(read_only=True, label="走访日期")


class CommReportSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True, label="报告标题")
    topic = serializers.CharField(read_only=True, label="调研主题")
    period_start = serializers.DateField(read_only=True, label="调研开始")
    period_end = serializers.DateField(read_only=True, label="调研结束")
    method = _display("调研方式")
    method_display = _label("method", "调研方式名称")
    submitted_to = _display("报送对象（空为未报送）")
    submitted_to_display = _label("submitted_to", "报送对象名称")
    submitted_on = serializers.DateField(read_only=True, allow_null=True, label="报送日期")
    instructed = serializers.BooleanField(read_only=True, label="获得批示")
    instructed_by = serializers.CharField(read_only=True, label="批示领导")
    instructed_on = serializers.DateField(read_only=True, allow_null=True, label="批示日期")


class CommReportDetailSerializer(CommReportSerializer):
    summary = serializers.CharField(read_only=True, label="主要内容")
    instruction = serializers.CharField(read_only=True, label="批示内容")
    surveys = serializers.SerializerMethodField(label="依据问卷")
    visits = CommVisitSerializer(source="all_visits", many=True, read_only=True, label="依据走访")
    documents = CommFileSerializer(source="all_documents", many=True, read_only=True, label="报告文件")

    @extend_schema_field(CommNamedSerializer(many=True))
    def get_surveys(self, obj):
        return [_named(s, s.title) for s in obj.all_surveys]


class CommReportFilterSerializer(serializers.Serializer):
    method = serializers.ChoiceField(label="调研方式", choices=ResearchReport.Method.choices, required=False)
    year = serializers.IntegerField(label="调研结束年度", min_value=1900, max_value=2100, required=False)
    instructed = serializers.ChoiceField(label="获得批示", choices=YES_NO, required=False)


@_schema("调研报告列表", "一份调研报告（含依据的问卷、走访和报告文件）", CommReportFilterSerializer, CommReportSerializer,
         CommReportDetailSerializer)
class ReportViewSet(_ReadOnly):
    """调研报告（只读）。"""

    permission_classes = [permissions.IsAuthenticated, FederationReaderPermission]
    queryset = ResearchReport.objects.none()
    filter_serializer = CommReportFilterSerializer
    list_serializer, detail_serializer = CommReportSerializer, CommReportDetailSerializer

    def visible(self, user):
        return reports_visible_to(user).order_by("-period_end", "-id")

    def detail_queryset(self, qs):
        from shanglian.engagement.models import Visit

        return qs.prefetch_related(
            Prefetch("surveys", queryset=Survey.objects.order_by("id"), to_attr="all_surveys"),
            Prefetch("visits", queryset=Visit.objects.select_related("enterprise").order_by("visited_on", "id"),
                     to_attr="all_visits"),
            Prefetch("documents", queryset=ReportDocument.objects.order_by("id"), to_attr="all_documents"))

    def filter_list(self, qs, data):
        if "method" in data:
            qs = qs.filter(method=data["method"])
        if "year" in data:
            qs = qs.filter(period_end__year=data["year"])
        if "instructed" in data:
            qs = qs.filter(instructed=data["instructed"] == "yes")
        return qs


# --- articles -----------------------------------------------------------------------------------------------
class CommArticleSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True, label="标题")
    kind = _display("类型")
    kind_display = _label("kind", "类型名称")
    outlet = serializers.CharField(read_only=True, label="媒体")
    level = _display("媒体级别（national/provincial/municipal/district/system/own）")
    level_display = _label("level", "媒体级别名称")
    published_on = serializers.DateField(read_only=True, label="刊发日期")
    link = serializers.CharField(read_only=True, label="链接")
    note = serializers.CharField(read_only=True, label="备注")
    persons = serializers.SerializerMethodField(label="宣传人物")
    enterprises = serializers.SerializerMethodField(label="宣传企业")

    @extend_schema_field(CommNamedSerializer(many=True))
    def get_persons(self, obj):
        return [_named(p, p.name) for p in obj.all_persons]

    @extend_schema_field(CommNamedSerializer(many=True))
    def get_enterprises(self, obj):
        return [_named(e, e.name) for e in obj.all_enterprises]


class CommArticleFilterSerializer(serializers.Serializer):
    level = serializers.ChoiceField(label="媒体级别", choices=Article._meta.get_field("level").choices,
                                    required=False)
    kind = serializers.ChoiceField(label="类型", choices=Article.Kind.choices, required=False)
    year = serializers.IntegerField(label="刊发年度", min_value=1900, max_value=2100, required=False)
    person = IdField(label="宣传人物ID", required=False)
    enterprise = IdField(label="宣传企业ID", required=False)


@_schema("宣传稿件列表", "一篇宣传稿件", CommArticleFilterSerializer, CommArticleSerializer)
class ArticleViewSet(_ReadOnly):
    """宣传稿件（只读）。"""

    permission_classes = [permissions.IsAuthenticated, SenderReaderPermission]
    queryset = Article.objects.none()
    filter_serializer = CommArticleFilterSerializer
    list_serializer = CommArticleSerializer

    def visible(self, user):
        from shanglian.members.models import Enterprise, Person

        return articles_visible_to(user).prefetch_related(
            Prefetch("persons", queryset=Person.objects.order_by("id").only("id", "name"), to_attr="all_persons"),
            Prefetch("enterprises", queryset=Enterprise.objects.order_by("id").only("id", "name"),
                     to_attr="all_enterprises")).order_by("-published_on", "-id")

    def filter_list(self, qs, data):
        for key in ("level", "kind"):
            if key in data:
                qs = qs.filter(**{key: data[key]})
        if "year" in data:
            qs = qs.filter(published_on__year=data["year"])
        if "person" in data:
            qs = qs.filter(pk__in=Article.persons.through.objects.filter(person_id=data["person"])
                           .values("article_id"))
        if "enterprise" in data:
            qs = qs.filter(pk__in=Article.enterprises.through.objects.filter(enterprise_id=data["enterprise"])
                           .values("article_id"))
        return qs


# --- rules --------------------------------------------------------------------------------------------------
class CommRuleVersionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    version = serializers.IntegerField(read_only=True, label="版本")
    adopted_by = _display("审议通过机构")
    adopted_by_display = _label("adopted_by", "审议通过机构名称")
    adopted_on = serializers.DateField(read_only=True, label="通过日期")
    effective_from = serializers.DateField(read_only=True, label="施行日期")
    resolution = serializers.IntegerField(source="resolution_id", read_only=True, allow_null=True,
                                          label="会议决议ID")
    note = serializers.CharField(read_only=True, label="修订说明")


class CommRuleVersionTextSerializer(CommRuleVersionSerializer):
    text = serializers.CharField(read_only=True, label="条文")


class CommRuleSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True, label="制度名称")
    category = _display("类别")
    category_display = _label("category", "类别名称")
    repealed_on = serializers.DateField(read_only=True, allow_null=True, label="废止日期")
    repeal_reason = serializers.CharField(read_only=True, label="废止原因")
    in_force = serializers.BooleanField(read_only=True, label="今日有效（未废止且已有版本施行）")
    latest = serializers.SerializerMethodField(label="最新版本")

    @extend_schema_field(CommRuleVersionSerializer(allow_null=True))
    def get_latest(self, obj):
        return CommRuleVersionSerializer(obj.all_versions[0]).data if obj.all_versions else None


class CommRuleDetailSerializer(CommRuleSerializer):
    versions = CommRuleVersionTextSerializer(source="all_versions", many=True, read_only=True,
                                             label="版本历史（新版本在前，含条文）")


class CommRuleFilterSerializer(serializers.Serializer):
    category = serializers.ChoiceField(label="类别", choices=Rule.Category.choices, required=False)
    in_force = serializers.ChoiceField(label="今日有效", choices=YES_NO, required=False)


@_schema("规章制度列表（含最新版本）", "一项制度（含版本历史和条文）", CommRuleFilterSerializer, CommRuleSerializer,
         CommRuleDetailSerializer)
class RuleViewSet(_ReadOnly):
    """规章制度（只读）。"""

    permission_classes = [permissions.IsAuthenticated, SenderReaderPermission]
    queryset = Rule.objects.none()
    filter_serializer = CommRuleFilterSerializer
    list_serializer, detail_serializer = CommRuleSerializer, CommRuleDetailSerializer

    def visible(self, user):
        versions = RuleVersion.objects.order_by("-version").defer("text")
        if self.action != "list":
            versions = RuleVersion.objects.order_by("-version")
        in_force = ExpressionWrapper(in_force_q(timezone.localdate()), output_field=BooleanField())
        return rules_visible_to(user).annotate(in_force=in_force).prefetch_related(
            Prefetch("versions", queryset=versions, to_attr="all_versions")).order_by("category", "title", "id")

    def filter_list(self, qs, data):
        if "category" in data:
            qs = qs.filter(category=data["category"])
        if "in_force" in data:
            qs = qs.filter(in_force=data["in_force"] == "yes")
        return qs


# --- partners -----------------------------------------------------------------------------------------------
class CommAgreementSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True, label="协议名称")
    signed_on = serializers.DateField(read_only=True, label="签署日期")
    ends_on = serializers.DateField(read_only=True, allow_null=True, label="到期日期")
    summary = serializers.CharField(read_only=True, label="主要内容")


class CommExchangeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    direction = _display("方向（incoming 来访/outgoing 出访）")
    direction_display = _label("direction", "方向名称")
    date = serializers.DateField(read_only=True, label="日期")
    leader = serializers.CharField(read_only=True, label="带队领导")
    delegates = serializers.IntegerField(read_only=True, label="人数")
    purpose = serializers.CharField(read_only=True, label="交流内容")
    outcome = serializers.CharField(read_only=True, label="成果")
    event = serializers.IntegerField(source="event_id", read_only=True, allow_null=True, label="关联活动ID")


class CommPartnerSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True, label="名称")
    kind = _display("类型")
    kind_display = _label("kind", "类型名称")
    region = serializers.CharField(read_only=True, label="所在地区")
    contact = serializers.CharField(read_only=True, label="联系人")
    since = serializers.DateField(read_only=True, label="结好日期")
    ended_on = serializers.DateField(read_only=True, allow_null=True, label="终止日期")
    note = serializers.CharField(read_only=True, label="备注")
    agreements = serializers.IntegerField(source="agreement_count", read_only=True, label="协议数")
    exchanges = serializers.IntegerField(source="exchange_count", read_only=True, label="互访次数")


class CommPartnerDetailSerializer(CommPartnerSerializer):
    agreement_list = CommAgreementSerializer(source="all_agreements", many=True, read_only=True, label="合作协议")
    exchange_list = CommExchangeSerializer(source="all_exchanges", many=True, read_only=True, label="交流互访")


class CommPartnerFilterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(label="类型", choices=Partner.Kind.choices, required=False)
    active = serializers.ChoiceField(label="今日友好关系存续（未终止）", choices=YES_NO, required=False)


@_schema("友好商会列表", "一个友好组织（含合作协议和交流互访）", CommPartnerFilterSerializer, CommPartnerSerializer,
         CommPartnerDetailSerializer)
class PartnerViewSet(_ReadOnly):
    """友好商会与对外交流（只读）。"""

    permission_classes = [permissions.IsAuthenticated, FederationReaderPermission]
    queryset = Partner.objects.none()
    filter_serializer = CommPartnerFilterSerializer
    list_serializer, detail_serializer = CommPartnerSerializer, CommPartnerDetailSerializer

    def visible(self, user):
        return (partners_visible_to(user)
                .annotate(agreement_count=Count("agreements", distinct=True),
                          exchange_count=Count("exchanges", distinct=True))
                .order_by("-since", "id"))

    def detail_queryset(self, qs):
        return qs.prefetch_related(
            Prefetch("agreements", queryset=Agreement.objects.order_by("-signed_on", "id"), to_attr="all_agreements"),
            Prefetch("exchanges", queryset=Exchange.objects.order_by("-date", "-id"), to_attr="all_exchanges"))

    def filter_list(self, qs, data):
        if "kind" in data:
            qs = qs.filter(kind=data["kind"])
        if "active" in data:
            active = Q(ended_on__isnull=True) | Q(ended_on__gt=timezone.localdate())
            qs = qs.filter(active) if data["active"] == "yes" else qs.exclude(active)
        return qs


# --- the enterprise's inbox ---------------------------------------------------------------------------------
class CommInboxSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True, label="编号")
    title = serializers.CharField(read_only=True, label="标题")
    sender = serializers.SerializerMethodField(label="发送单位")
    sent_at = serializers.DateTimeField(read_only=True, allow_null=True, label="发送时间")
    read_at = serializers.DateTimeField(read_only=True, allow_null=True, label="本企业阅读时间（空为未读）")

    @extend_schema_field(serializers.CharField())
    def get_sender(self, obj):
        return obj.chamber.name if obj.chamber_id else obj.federation.name


class CommInboxAttachmentSerializer(CommFileSerializer):
    url = serializers.SerializerMethodField(label="下载地址")

    @extend_schema_field(serializers.CharField())
    def get_url(self, obj):
        from django.urls import reverse

        return reverse("communications:h5_notice_attachment", args=[obj.pk])


class CommInboxDetailSerializer(CommInboxSerializer):
    body = serializers.CharField(read_only=True, label="正文（已净化的 HTML）")
    attachments = CommInboxAttachmentSerializer(source="all_attachments", many=True, read_only=True, label="附件")


class CommInboxFilterSerializer(serializers.Serializer):
    unread = serializers.ChoiceField(label="只看未读", choices=YES_NO, required=False)


@extend_schema_view(
    list=extend_schema(summary="本企业收到的通知", parameters=[CommInboxFilterSerializer],
                       responses={200: CommInboxSerializer(many=True), 400: ERRORS[400], 403: ERRORS[403]}),
    retrieve=extend_schema(summary="一条通知（含正文和附件；查看不等于已读，已读请调用 read）",
                           responses={200: CommInboxDetailSerializer, 403: ERRORS[403], 404: ERRORS[404]}),
)
class InboxViewSet(AuditedLookupMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """企业收到的通知公告（企业用户）。"""

    permission_classes = [permissions.IsAuthenticated, EnterprisePermission]
    lookup_value_regex = r"\d+"
    queryset = Notice.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        qs = inbox(self.request.user)
        if self.action == "list":
            data = _filters(CommInboxFilterSerializer, self.request)
            if "unread" in data:
                qs = qs.filter(read_at__isnull=data["unread"] == "yes")
            return qs
        return qs.prefetch_related(Prefetch("attachments", queryset=NoticeAttachment.objects.order_by("id"),
                                            to_attr="all_attachments"))

    def get_serializer_class(self):
        return CommInboxSerializer if self.action == "list" else CommInboxDetailSerializer

    @extend_schema(summary="标记为已读（本企业的阅读回执）", request=None,
                   responses={200: CommInboxDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="read", url_name="read")
    def read(self, request, pk=None):
        from .services.receipts import mark_notice_read

        notice = self.get_object()  # the scope first: a notice not sent to this enterprise is 404
        mark_notice_read(user=request.user, notice=notice)
        return ApiResponse(CommInboxDetailSerializer(self.get_queryset().get(pk=notice.pk),
                                                     context=self.get_serializer_context()).data)


# --- the enterprise's surveys -------------------------------------------------------------------------------
class CommMySurveySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True, label="编号")
    title = serializers.CharField(read_only=True, label="标题")
    intro = serializers.CharField(read_only=True, label="说明")
    sender = serializers.SerializerMethodField(label="发起单位")
    respondent = _display("填写方式（enterprise 每家企业一份/person 每人一份）")
    closes_on = serializers.DateField(read_only=True, allow_null=True, label="截止日期")
    status = _display("问卷状态（open 收集中/closed 已结束）")
    my_status = serializers.SerializerMethodField(label="我的填写状态（none 未填写/draft 草稿/submitted 已提交）")
    can_answer = serializers.SerializerMethodField(label="现在可以填写或修改草稿")

    @extend_schema_field(serializers.CharField())
    def get_sender(self, obj):
        return obj.chamber.name if obj.chamber_id else obj.federation.name

    @extend_schema_field(serializers.CharField())
    def get_my_status(self, obj):
        return obj.my_status or "none"

    @extend_schema_field(serializers.BooleanField())
    def get_can_answer(self, obj):
        open_ = obj.status == Survey.Status.OPEN and (obj.closes_on is None
                                                      or obj.closes_on >= timezone.localdate())
        return open_ and obj.my_status != Response.Status.SUBMITTED


class CommMySurveyDetailSerializer(CommMySurveySerializer):
    questions = CommQuestionSerializer(source="all_questions", many=True, read_only=True,
                                       label="题目（含跳题逻辑 show_if/show_if_option）")
    submitted_at = serializers.SerializerMethodField(label="提交时间")
    answers = serializers.SerializerMethodField(label="我的答案（草稿或已提交）")

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_submitted_at(self, obj):
        return obj.my_response.submitted_at if obj.my_response is not None else None

    @extend_schema_field(CommAnswerSerializer(many=True))
    def get_answers(self, obj):
        if obj.my_response is None:
            return []
        return CommAnswerSerializer(obj.my_response.all_answers, many=True).data


class CommMySurveyFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(label="问卷状态", choices=[("open", "收集中"), ("closed", "已结束")],
                                     required=False)
    mine = serializers.ChoiceField(label="我的填写状态", required=False,
                                   choices=[("none", "未填写"), ("draft", "草稿"), ("submitted", "已提交")])


class CommAnswerInputSerializer(serializers.Serializer):
    question = IdField(label="题目ID")
    choices = serializers.ListField(child=serializers.IntegerField(min_value=0, max_value=999), required=False,
                                    max_length=100, label="所选选项位置（从0起；选择题）")
    number = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, allow_null=True,
                                      label="数值（量表题、数值题）")
    text = TextField(multiline=True, required=False, allow_blank=True, max_length=2000, label="文字回答（填空题）")


class CommAnswersInputSerializer(serializers.Serializer):
    answers = CommAnswerInputSerializer(many=True, label="答案（每题一条；未作答的题不必列出）")

    def validate_answers(self, answers):
        seen = set()
        for answer in answers:
            if answer["question"] in seen:
                raise serializers.ValidationError("同一题目只能作答一次。")
            seen.add(answer["question"])
        return answers


def _values(survey, answers):
    """The body's answers as `save_answers` takes them: question id → a list of positions, a number or a text."""
    kinds = {q.pk: q.kind for q in survey.all_questions}
    values = {}
    for answer in answers:
        kind = kinds.get(answer["question"])
        if kind is None:
            raise InvalidInput(f"题目 {answer['question']} 不属于这份问卷。")
        if kind in Question.CHOICE_KINDS:
            values[answer["question"]] = list(answer.get("choices") or [])
        elif kind == Question.Kind.TEXT:
            values[answer["question"]] = answer.get("text") or ""
        else:
            values[answer["question"]] = answer.get("number")
    return values


@extend_schema_view(
    list=extend_schema(summary="发给本企业的问卷（含我的填写状态）", parameters=[CommMySurveyFilterSerializer],
                       responses={200: CommMySurveySerializer(many=True), 400: ERRORS[400], 403: ERRORS[403]}),
    retrieve=extend_schema(summary="一份问卷（题目、跳题逻辑和我的答案）",
                           responses={200: CommMySurveyDetailSerializer, 403: ERRORS[403], 404: ERRORS[404]}),
)
class MySurveyViewSet(AuditedLookupMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      viewsets.GenericViewSet):
    """发给本企业的问卷（企业用户）：查看、保存草稿、提交。"""

    permission_classes = [permissions.IsAuthenticated, EnterprisePermission]
    lookup_value_regex = r"\d+"
    queryset = Survey.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        qs = my_surveys(self.request.user).select_related("federation", "chamber")
        if self.action == "list":
            data = _filters(CommMySurveyFilterSerializer, self.request)
            if "status" in data:
                qs = qs.filter(status=data["status"])
            if data.get("mine") == "none":
                qs = qs.filter(my_status__isnull=True)
            elif "mine" in data:
                qs = qs.filter(my_status=data["mine"])
            return qs
        return qs.prefetch_related(_ordered_questions())

    def get_serializer_class(self):
        return CommMySurveySerializer if self.action == "list" else CommMySurveyDetailSerializer

    def get_object(self):
        survey = super().get_object()
        survey.my_response = my_response(self.request.user, survey)
        if survey.my_response is not None:
            survey.my_response.all_answers = list(survey.my_response.answers.select_related("question")
                                                  .order_by("question__order", "question_id"))
        return survey

    def _answer(self, request, *, submit):
        survey = self.get_object()  # the scope first: a survey not sent to this enterprise is 404 whatever the body
        serializer = CommAnswersInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        from .services.responses import save_answers

        save_answers(actor=request.user, survey=survey, values=_values(survey, serializer.validated_data["answers"]),
                     submit=submit)
        self.action = "retrieve"
        return ApiResponse(CommMySurveyDetailSerializer(self.get_object(), context=self.get_serializer_context()).data)

    @extend_schema(summary="保存草稿（可稍后继续填写）", request=CommAnswersInputSerializer,
                   responses={200: CommMySurveyDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="draft", url_name="draft")
    def draft(self, request, pk=None):
        return self._answer(request, submit=False)

    @extend_schema(summary="提交答卷（提交后不能修改）", request=CommAnswersInputSerializer,
                   responses={200: CommMySurveyDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="submit", url_name="submit")
    def submit(self, request, pk=None):
        return self._answer(request, submit=True)
