"""通知调研与宣传: how the federation reaches its members and learns from them — notices (通知公告) with their read
receipts, questionnaires (问卷调查) and their answers, research reports (调研报告), publicity (宣传: articles and the
persons and enterprises they feature), the rules library (规章制度 and their versions) and friendly organisations in
other regions (友好商会/对外交流: agreements and visits exchanged).

A notice and a survey go to an audience (`Audience`): all members in force, one chamber's members, one committee's
members, one working group, one event's invitees, or a saved filter of the member registry. `selectors.audience`
turns an audience into its recipients (enterprises, and persons without an enterprise) when the notice is sent or
the survey opened; those rows are then the record of who was reached, whatever the registry becomes afterwards.

Every row carries its federation; a notice, a survey or a saved filter made by a chamber secretary carries the
chamber too (the chamber's scope).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from shanglian.common.models import StoredFile
from shanglian.events.models import Body

AUDIENCE_FIELDS = ("audience", "chamber_audience", "committee", "working_group", "event", "saved_filter")


class Audience(models.TextChoices):
    ALL_MEMBERS = "all", "全体会员"
    CHAMBER = "chamber", "商会会员"
    COMMITTEE = "committee", "专门委员会委员"
    WORKING_GROUP = "group", "专项工作组成员"
    EVENT = "event", "活动受邀人"
    SAVED_FILTER = "filter", "保存的筛选"


class SavedFilter(models.Model):
    """保存的筛选: a named set of the member registry's filters (the keys of `members.views.MembershipSearchForm`:
    kind, street, industry_division, enterprise_type, chamber, q), resolved against the registry when a notice
    is sent or a survey opened — only memberships in force count."""

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="saved_filters")
    chamber = models.ForeignKey("orgs.Chamber", verbose_name="所属商会", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="saved_filters",
                                help_text="商会秘书处保存的筛选只在本商会会员中筛选")
    name = models.CharField("名称", max_length=50)
    criteria = models.JSONField("筛选条件", default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "保存的筛选"
        verbose_name_plural = "保存的筛选"
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["federation", "name"], condition=Q(chamber__isnull=True),
                                    name="communications_filter_federation_name",
                                    violation_error_message="已有同名的筛选。"),
            models.UniqueConstraint(fields=["chamber", "name"], condition=Q(chamber__isnull=False),
                                    name="communications_filter_chamber_name",
                                    violation_error_message="本商会已有同名的筛选。"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("communications:filter_edit", args=[self.pk])


class Targeted(models.Model):
    """Who a notice or a survey goes to: one audience and the record that names it."""

    audience = models.CharField("发送对象", max_length=16, choices=Audience.choices, default=Audience.ALL_MEMBERS)
    chamber_audience = models.ForeignKey("orgs.Chamber", verbose_name="商会", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    committee = models.ForeignKey("orgs.Committee", verbose_name="专门委员会", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    working_group = models.ForeignKey("growth.WorkingGroup", verbose_name="专项工作组", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    event = models.ForeignKey("events.Event", verbose_name="活动", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    saved_filter = models.ForeignKey(SavedFilter, verbose_name="保存的筛选", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True

    @property
    def audience_label(self):
        """发送对象, as a sentence: 全体会员, 商会会员：区建筑商会, 活动受邀人：2026年民营经济论坛 …"""
        named = {Audience.CHAMBER: self.chamber_audience, Audience.COMMITTEE: self.committee,
                 Audience.WORKING_GROUP: self.working_group, Audience.EVENT: self.event,
                 Audience.SAVED_FILTER: self.saved_filter}.get(self.audience)
        label = self.get_audience_display()
        return f"{label}：{named}" if named is not None else label


class Recipient(models.Model):
    """One recipient of a notice or a survey, fixed when it was sent: an enterprise (read on its phone by its
    users), or a person without an enterprise (reached by SMS only)."""

    enterprise = models.ForeignKey("members.Enterprise", verbose_name="企业", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("members.Person", verbose_name="人士", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=200, help_text="发送时的企业名称或人士姓名")
    reminded_at = models.DateTimeField("最近提醒", null=True, blank=True)
    reminders = models.PositiveSmallIntegerField("提醒次数", default=0)

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self):
        return self.name


# --- 通知公告 ----------------------------------------------------------------------------------------------------
class Notice(Targeted):
    """通知公告: rich text (sanitised by `common.richtext`) with attachments, sent to an audience; each recipient's
    receipt says when it was read."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SENT = "sent", "已发送"
        WITHDRAWN = "withdrawn", "已撤回"

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="notices")
    chamber = models.ForeignKey("orgs.Chamber", verbose_name="发送商会", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="notices",
                                help_text="商会秘书处发出的通知，只发给本商会会员")
    number = models.CharField("编号", max_length=20, unique=True)
    title = models.CharField("标题", max_length=100)
    body = models.TextField("正文", max_length=20000, help_text="可使用段落、加粗、列表、链接和表格")
    sms_copy = models.BooleanField("同时发送短信", default=False,
                                   help_text="短信只含标题，提示收件人登录查看")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    withdrawn_reason = models.CharField("撤回原因", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="起草人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("起草时间", auto_now_add=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发送人", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField("发送时间", null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = "通知公告"
        verbose_name_plural = "通知公告"
        ordering = ["-id"]
        indexes = [models.Index(fields=["federation", "status", "sent_at"], name="notice_federation_sent")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("communications:notice", args=[self.pk])


class NoticeAttachment(StoredFile):
    """A notice's attachment, kept by `common.uploads` under "communications"."""

    notice = models.ForeignKey(Notice, verbose_name="通知公告", on_delete=models.CASCADE, related_name="attachments")

    class Meta(StoredFile.Meta):
        verbose_name = "通知附件"
        verbose_name_plural = "通知附件"


class NoticeRecipient(Recipient):
    """阅读回执: one recipient of a sent notice; `read_at` is set the first time one of the enterprise's users opens
    it (`read_by` is that user)."""

    notice = models.ForeignKey(Notice, verbose_name="通知公告", on_delete=models.CASCADE, related_name="recipients")
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    read_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="阅读人", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")

    class Meta(Recipient.Meta):
        verbose_name = "通知接收人"
        verbose_name_plural = "通知接收人"
        constraints = [
            models.UniqueConstraint(fields=["notice", "enterprise"], condition=Q(enterprise__isnull=False),
                                    name="communications_notice_recipient_enterprise",
                                    violation_error_message="该企业已在接收名单中。"),
            models.UniqueConstraint(fields=["notice", "person"], condition=Q(enterprise__isnull=True),
                                    name="communications_notice_recipient_person",
                                    violation_error_message="该人士已在接收名单中。"),
            models.CheckConstraint(condition=Q(enterprise__isnull=False) | Q(person__isnull=False),
                                   name="communications_notice_recipient_who"),
        ]
        indexes = [models.Index(fields=["enterprise", "notice"], name="notice_recipient_enterprise"),
                   models.Index(fields=["notice", "read_at"], name="notice_recipient_read")]


# --- 问卷调查 ----------------------------------------------------------------------------------------------------
class Survey(Targeted):
    """问卷调查: built from questions, opened to an audience, answered on the phone once per enterprise or once per
    user (as `respondent` says), with drafts; closed by staff or when `closes_on` has passed."""

    class Status(models.TextChoices):
        DRAFT = "draft", "设计中"
        OPEN = "open", "收集中"
        CLOSED = "closed", "已结束"

    class Respondent(models.TextChoices):
        ENTERPRISE = "enterprise", "每家企业填写一份"
        PERSON = "person", "每人填写一份"

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="surveys")
    chamber = models.ForeignKey("orgs.Chamber", verbose_name="发起商会", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="surveys",
                                help_text="商会秘书处发起的问卷，只发给本商会会员")
    number = models.CharField("编号", max_length=20, unique=True)
    title = models.CharField("标题", max_length=100)
    intro = models.TextField("说明", max_length=2000, blank=True)
    respondent = models.CharField("填写方式", max_length=16, choices=Respondent.choices,
                                  default=Respondent.ENTERPRISE)
    closes_on = models.DateField("截止日期", null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    opened_at = models.DateTimeField("发布时间", null=True, blank=True)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "问卷调查"
        verbose_name_plural = "问卷调查"
        ordering = ["-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("communications:survey", args=[self.pk])


class Question(models.Model):
    """One question. Choices (单选/多选) are `options`, a list of labels, answered by their positions; a scale runs
    from `low` to `high` (1–5 by default); a number may have bounds. Skip logic: shown only when the earlier choice
    question `show_if` was answered with the option at position `show_if_option` (0-based, like `Answer.choices`)."""

    class Kind(models.TextChoices):
        SINGLE = "single", "单选题"
        MULTIPLE = "multiple", "多选题"
        SCALE = "scale", "量表题"
        TEXT = "text", "填空题"
        NUMBER = "number", "数值题"

    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE)

    survey = models.ForeignKey(Survey, verbose_name="问卷", on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField("序号", default=0)
    kind = models.CharField("题型", max_length=16, choices=Kind.choices)
    text = models.CharField("题目", max_length=300)
    required = models.BooleanField("必答", default=True)
    options = models.JSONField("选项", default=list, blank=True, help_text="单选题、多选题的选项，每行一个")
    low = models.SmallIntegerField("量表最小值", default=1)
    high = models.SmallIntegerField("量表最大值", default=5)
    low_label = models.CharField("最小值含义", max_length=20, blank=True, help_text="如：很不满意")
    high_label = models.CharField("最大值含义", max_length=20, blank=True, help_text="如：非常满意")
    minimum = models.DecimalField("数值下限", max_digits=16, decimal_places=2, null=True, blank=True)
    maximum = models.DecimalField("数值上限", max_digits=16, decimal_places=2, null=True, blank=True)
    unit = models.CharField("单位", max_length=10, blank=True, help_text="如：万元、人")
    show_if = models.ForeignKey("self", verbose_name="显示条件：题目", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+",
                                help_text="仅当前面的这道选择题选了下面的选项时才显示本题")
    show_if_option = models.PositiveSmallIntegerField("显示条件：选项序号", null=True, blank=True,
                                                      help_text="前面那道选择题的选项位置（从0起，页面上以选项文字选择）")

    class Meta:
        verbose_name = "问卷题目"
        verbose_name_plural = "问卷题目"
        ordering = ["survey", "order", "id"]

    def __str__(self):
        return self.text

    def clean(self):
        if self.kind in self.CHOICE_KINDS and len(self.options or []) < 2:
            raise ValidationError({"options": "选择题至少需要两个选项。"})
        if self.kind == self.Kind.SCALE and self.low >= self.high:
            raise ValidationError({"high": "量表最大值必须大于最小值。"})
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValidationError({"maximum": "数值上限不能小于下限。"})
        if (self.show_if_id is None) != (self.show_if_option is None):
            raise ValidationError({"show_if_option": "显示条件需要同时选择题目和选项。"})


class SurveyRecipient(Recipient):
    """One recipient of an opened survey (for the response rate and the reminders)."""

    survey = models.ForeignKey(Survey, verbose_name="问卷", on_delete=models.CASCADE, related_name="recipients")

    class Meta(Recipient.Meta):
        verbose_name = "问卷发送对象"
        verbose_name_plural = "问卷发送对象"
        constraints = [
            models.UniqueConstraint(fields=["survey", "enterprise"], condition=Q(enterprise__isnull=False),
                                    name="communications_survey_recipient_enterprise",
                                    violation_error_message="该企业已在发送名单中。"),
            models.UniqueConstraint(fields=["survey", "person"], condition=Q(enterprise__isnull=True),
                                    name="communications_survey_recipient_person",
                                    violation_error_message="该人士已在发送名单中。"),
            models.CheckConstraint(condition=Q(enterprise__isnull=False) | Q(person__isnull=False),
                                   name="communications_survey_recipient_who"),
        ]
        indexes = [models.Index(fields=["enterprise", "survey"], name="survey_recipient_enterprise")]


class Response(models.Model):
    """One respondent's answers: a draft until submitted. `respondent_key` is "e<enterprise id>" for a survey
    answered once per enterprise, "u<user id>" for one answered once per person — unique per survey, so two
    simultaneous submissions leave one response."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已提交"

    survey = models.ForeignKey(Survey, verbose_name="问卷", on_delete=models.CASCADE, related_name="responses")
    enterprise = models.ForeignKey("members.Enterprise", verbose_name="填写企业", on_delete=models.PROTECT,
                                   related_name="survey_responses")
    respondent = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填写人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    respondent_key = models.CharField("填写人标识", max_length=24, editable=False)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    saved_at = models.DateTimeField("保存时间", auto_now=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)

    class Meta:
        verbose_name = "问卷答卷"
        verbose_name_plural = "问卷答卷"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["survey", "respondent_key"],
                                               name="communications_response_once",
                                               violation_error_message="已经填写过这份问卷。")]
        indexes = [models.Index(fields=["survey", "status"], name="response_survey_status")]

    def __str__(self):
        return f"{self.survey}：{self.enterprise}"

    def get_absolute_url(self):
        return reverse("communications:response", args=[self.pk])


class Answer(models.Model):
    """The answer to one question: `choices` (positions, 0-based) for single/multiple, `number` for a scale or a
    number, `text` for a text question (and a choice's 其他 remark)."""

    response = models.ForeignKey(Response, verbose_name="答卷", on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, verbose_name="题目", on_delete=models.CASCADE, related_name="answers")
    choices = models.JSONField("所选选项", default=list, blank=True)
    number = models.DecimalField("数值", max_digits=16, decimal_places=2, null=True, blank=True)
    text = models.TextField("文字回答", max_length=2000, blank=True)

    class Meta:
        verbose_name = "答案"
        verbose_name_plural = "答案"
        ordering = ["response", "question__order", "question_id"]
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="communications_answer_once")]

    def __str__(self):
        return f"{self.question}：{self.text or self.number or self.choices}"


class ResponseAppeal(models.Model):
    """An appeal opened from a problem a survey answer revealed: the link both ways."""

    response = models.ForeignKey(Response, verbose_name="答卷", on_delete=models.PROTECT,
                                 related_name="raised_appeals")
    question = models.ForeignKey(Question, verbose_name="题目", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    appeal = models.OneToOneField("appeals.Appeal", verbose_name="诉求", on_delete=models.CASCADE,
                                  related_name="raised_by_survey")

    class Meta:
        verbose_name = "问卷发现问题转诉求"
        verbose_name_plural = "问卷发现问题转诉求"
        ordering = ["id"]

    def __str__(self):
        return f"{self.response} → {self.appeal}"


# --- 调研报告 ----------------------------------------------------------------------------------------------------
class ResearchReport(models.Model):
    """调研报告: a topic studied over a period by a method, drawing on surveys and liaison visits, the document, and
    where it went (区委/区政府 …) with the 批示 it received."""

    class Method(models.TextChoices):
        SURVEY = "survey", "问卷调查"
        FORUM = "forum", "座谈会"
        VISIT = "visit", "走访调研"
        FIELD = "field", "实地考察"
        MIXED = "mixed", "综合调研"

    class Destination(models.TextChoices):
        NONE = "", "未报送"
        COMMITTEE = "committee", "区委"
        GOVERNMENT = "government", "区政府"
        BOTH = "both", "区委、区政府"
        UPPER = "upper", "上级工商联"
        OTHER = "other", "其他"

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="research_reports")
    title = models.CharField("报告标题", max_length=150)
    topic = models.CharField("调研主题", max_length=100)
    period_start = models.DateField("调研开始")
    period_end = models.DateField("调研结束")
    method = models.CharField("调研方式", max_length=16, choices=Method.choices)
    surveys = models.ManyToManyField(Survey, verbose_name="依据问卷", blank=True, related_name="reports")
    visits = models.ManyToManyField("engagement.Visit", verbose_name="依据走访", blank=True,
                                    related_name="research_reports")
    summary = models.TextField("主要内容", max_length=5000, blank=True)
    submitted_to = models.CharField("报送对象", max_length=16, choices=Destination.choices, blank=True)
    submitted_on = models.DateField("报送日期", null=True, blank=True)
    instructed = models.BooleanField("获得批示", default=False)
    instructed_by = models.CharField("批示领导", max_length=50, blank=True)
    instructed_on = models.DateField("批示日期", null=True, blank=True)
    instruction = models.TextField("批示内容", max_length=2000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "调研报告"
        verbose_name_plural = "调研报告"
        ordering = ["-period_end", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("communications:report", args=[self.pk])

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": "调研结束日期不能早于开始日期。"})
        if self.submitted_on and not self.submitted_to:
            raise ValidationError({"submitted_to": "填写了报送日期，请选择报送对象。"})
        if self.instructed and not (self.instructed_by and self.instructed_on):
            raise ValidationError({"instructed_by": "获得批示的报告请填写批示领导和批示日期。"})


class ReportDocument(StoredFile):
    """The report's document (and its annexes), kept under "communications"."""

    report = models.ForeignKey(ResearchReport, verbose_name="调研报告", on_delete=models.CASCADE,
                               related_name="documents")

    class Meta(StoredFile.Meta):
        verbose_name = "调研报告文件"
        verbose_name_plural = "调研报告文件"


# --- 宣传 --------------------------------------------------------------------------------------------------------
class OutletLevel(models.TextChoices):
    NATIONAL = "national", "中央级"
    PROVINCIAL = "provincial", "省级"
    MUNICIPAL = "municipal", "市级"
    DISTRICT = "district", "区级"
    SYSTEM = "system", "工商联系统"
    OWN = "own", "本会媒体"


class Article(models.Model):
    """宣传稿件: an article or report about the federation and its members — where (outlet and its level), when, a
    link or a scan, and the persons and enterprises it features ("成功宣传企业家近百人")."""

    class Kind(models.TextChoices):
        NEWS = "news", "新闻报道"
        FEATURE = "feature", "人物专访"
        SERIES = "series", "专题专栏"
        VIDEO = "video", "电视/视频"
        OTHER = "other", "其他"

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="articles")
    title = models.CharField("标题", max_length=150)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices, default=Kind.NEWS)
    outlet = models.CharField("媒体", max_length=100, help_text="如：人民日报、天津日报、区融媒体中心")
    level = models.CharField("媒体级别", max_length=16, choices=OutletLevel.choices)
    published_on = models.DateField("刊发日期")
    link = models.URLField("链接", max_length=500, blank=True)
    persons = models.ManyToManyField("members.Person", verbose_name="宣传人物", blank=True, related_name="articles")
    enterprises = models.ManyToManyField("members.Enterprise", verbose_name="宣传企业", blank=True,
                                         related_name="articles")
    note = models.CharField("备注", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "宣传稿件"
        verbose_name_plural = "宣传稿件"
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["federation", "published_on"], name="article_federation_date")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("communications:article", args=[self.pk])


class ArticleScan(StoredFile):
    """A scan or screenshot of the article, kept under "communications"."""

    article = models.ForeignKey(Article, verbose_name="宣传稿件", on_delete=models.CASCADE, related_name="scans")

    class Meta(StoredFile.Meta):
        verbose_name = "稿件扫描件"
        verbose_name_plural = "稿件扫描件"


# --- 规章制度 ----------------------------------------------------------------------------------------------------
class Rule(models.Model):
    """规章制度: one of the federation's own rules ("共38项制度"); its text lives in versions, the newest adopted one
    in force from its effective date; 废止 ends it."""

    class Category(models.TextChoices):
        CHARTER = "charter", "章程"
        MEETING = "meeting", "会议制度"
        WORK = "work", "工作规则"
        FINANCE = "finance", "财务管理"
        PERSONNEL = "personnel", "人事管理"
        PARTY = "party", "党建工作"
        OTHER = "other", "其他"

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="rules")
    title = models.CharField("制度名称", max_length=100)
    category = models.CharField("类别", max_length=16, choices=Category.choices)
    repealed_on = models.DateField("废止日期", null=True, blank=True)
    repeal_reason = models.CharField("废止原因", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "规章制度"
        verbose_name_plural = "规章制度"
        ordering = ["category", "title", "id"]
        constraints = [models.UniqueConstraint(fields=["federation", "title"], name="communications_rule_title",
                                               violation_error_message="本工商联已有同名的制度。")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("communications:rule", args=[self.pk])


class RuleVersion(models.Model):
    """One version of a rule: its text, adopted by a body (会员代表大会/执委会/常委会/主席办公会 …) on a day — linked to
    the meeting's resolution when the events app recorded it — and in force from its effective date."""

    rule = models.ForeignKey(Rule, verbose_name="制度", on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveSmallIntegerField("版本")
    text = models.TextField("条文", max_length=50000)
    adopted_by = models.CharField("审议通过机构", max_length=24, choices=Body.choices)
    adopted_on = models.DateField("通过日期")
    effective_from = models.DateField("施行日期")
    resolution = models.ForeignKey("events.Resolution", verbose_name="会议决议", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="rule_versions")
    note = models.CharField("修订说明", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "制度版本"
        verbose_name_plural = "制度版本"
        ordering = ["rule", "-version"]
        constraints = [models.UniqueConstraint(fields=["rule", "version"], name="communications_rule_version",
                                               violation_error_message="该制度已有这一版本。")]

    def __str__(self):
        return f"{self.rule}（第{self.version}版）"

    def clean(self):
        if self.adopted_on and self.effective_from and self.effective_from < self.adopted_on:
            raise ValidationError({"effective_from": "施行日期不能早于通过日期。"})


# --- 友好商会与对外交流 --------------------------------------------------------------------------------------------
class Partner(models.Model):
    """友好工商联/商会: an organisation in another region the federation is twinned with ("与雄安新区、张家口市…工商联
    缔结友好商会")."""

    class Kind(models.TextChoices):
        FEDERATION = "federation", "工商联"
        CHAMBER = "chamber", "商会"
        ASSOCIATION = "association", "行业协会"
        OTHER = "other", "其他组织"

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="partners")
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    region = models.CharField("所在地区", max_length=100)
    contact = models.CharField("联系人", max_length=50, blank=True)
    since = models.DateField("结好日期")
    ended_on = models.DateField("终止日期", null=True, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "友好商会"
        verbose_name_plural = "友好商会"
        ordering = ["-since", "id"]
        constraints = [models.UniqueConstraint(fields=["federation", "name"], name="communications_partner_name",
                                               violation_error_message="已登记该友好组织。")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("communications:partner", args=[self.pk])

    def clean(self):
        if self.since and self.ended_on and self.ended_on < self.since:
            raise ValidationError({"ended_on": "终止日期不能早于结好日期。"})


class Agreement(models.Model):
    """An agreement signed with a partner (友好合作协议, 战略合作框架协议 …)."""

    partner = models.ForeignKey(Partner, verbose_name="友好组织", on_delete=models.CASCADE, related_name="agreements")
    title = models.CharField("协议名称", max_length=150)
    signed_on = models.DateField("签署日期")
    ends_on = models.DateField("到期日期", null=True, blank=True)
    summary = models.TextField("主要内容", max_length=2000, blank=True)

    class Meta:
        verbose_name = "合作协议"
        verbose_name_plural = "合作协议"
        ordering = ["-signed_on", "id"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.signed_on and self.ends_on and self.ends_on < self.signed_on:
            raise ValidationError({"ends_on": "到期日期不能早于签署日期。"})


class Exchange(models.Model):
    """A visit exchanged with a partner (来访 or 出访): when, who led it, how many, what for and what came of it."""

    class Direction(models.TextChoices):
        INCOMING = "incoming", "来访"
        OUTGOING = "outgoing", "出访"

    partner = models.ForeignKey(Partner, verbose_name="友好组织", on_delete=models.PROTECT, related_name="exchanges")
    direction = models.CharField("方向", max_length=16, choices=Direction.choices)
    date = models.DateField("日期")
    leader = models.CharField("带队领导", max_length=50)
    delegates = models.PositiveSmallIntegerField("人数", validators=[MinValueValidator(1), MaxValueValidator(999)])
    purpose = models.CharField("交流内容", max_length=200)
    outcome = models.TextField("成果", max_length=2000, blank=True)
    event = models.ForeignKey("events.Event", verbose_name="关联活动", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "交流互访"
        verbose_name_plural = "交流互访"
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.get_direction_display()}：{self.partner}（{self.date:%Y-%m-%d}）"
