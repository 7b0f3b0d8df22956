"""会员发展与服务: recruitment (发展会员: prospects, this year's targets, online membership applications), service
enrollment (双万双服 / 服务企业), the member directory (会员名录), the supply–demand board (供需对接: posts, contact
requests with the poster's consent, matchmaking outcomes) and working groups (专项工作组: members, projects,
milestones, the appeals they address).

Every row carries its federation. A prospect and an application may name a chamber: the chamber secretary's
scope (a chamber recruits for itself). The duplicate queue and the merge of enterprises and persons belong to
the registry (`members.merging`), not here.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from shanglian.common.fields import BlindIndexField, EncryptedTextField
from shanglian.common.models import StoredFile
from shanglian.common.validators import validate_mobile, validate_uscc

MONEY = {"max_digits": 14, "decimal_places": 2}


# --- 发展会员 ---------------------------------------------------------------------------------------------------
class TargetCategory(models.TextChoices):
    """What a year's recruitment target counts: the three member kinds, and the "三多三少" categories the
    seeds ask to correct (私营企业, 团体, 外地, 高新技术 — "三多三少" 的短板)."""

    ENTERPRISE = "enterprise", "企业会员"
    GROUP = "group", "团体会员"
    INDIVIDUAL = "individual", "个人会员"
    PRIVATE = "private", "私营企业"
    NONLOCAL = "nonlocal", "外地企业"
    HIGH_TECH = "high_tech", "高新技术企业"


class RecruitmentTarget(models.Model):
    """This year's target of new members of one category (e.g. 2026 企业会员 120, 高新技术企业 30)."""

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="recruitment_targets")
    year = models.PositiveSmallIntegerField("年度")
    category = models.CharField("类别", max_length=16, choices=TargetCategory.choices)
    target = models.PositiveIntegerField("目标（家/人）", validators=[MinValueValidator(1)])
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "发展会员目标"
        verbose_name_plural = "发展会员目标"
        ordering = ["-year", "category"]
        constraints = [
            models.UniqueConstraint(fields=["federation", "year", "category"], name="growth_target_unique",
                                    violation_error_message="该年度该类别的目标已存在。"),
            models.CheckConstraint(condition=Q(target__gte=1), name="growth_target_positive",
                                   violation_error_message="目标必须大于0。"),
        ]

    def __str__(self):
        return f"{self.year}年{self.get_category_display()}目标{self.target}"


class Prospect(models.Model):
    """发展对象: a body not yet a member, followed from 线索 to 已入会 (or 放弃) by an owner with a next step.

    From the registry (`enterprise` set), a member's referral (`referred_by`), an event attended (`source_event`)
    or a member's supply-chain partner; its attributes (kind, 私营, 外地, 高新) decide which "三多三少" gap it fills.
    """

    class Stage(models.TextChoices):
        LEAD = "lead", "线索"
        CONTACTED = "contacted", "已联系"
        VISITED = "visited", "已走访"
        APPLIED = "applied", "已申请"
        JOINED = "joined", "已入会"
        ABANDONED = "abandoned", "放弃"

    class Source(models.TextChoices):
        REGISTRY = "registry", "企业库"
        REFERRAL = "referral", "会员推荐"
        EVENT = "event", "参加活动"
        SUPPLY_CHAIN = "supply_chain", "会员上下游"
        OTHER = "other", "其他"

    OPEN_STAGES = (Stage.LEAD, Stage.CONTACTED, Stage.VISITED, Stage.APPLIED)

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="prospects")
    chamber = models.ForeignKey("orgs.Chamber", verbose_name="发展商会", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="prospects", help_text="留空表示工商联发展")
    name = models.CharField("名称", max_length=200)
    enterprise = models.ForeignKey("members.Enterprise", verbose_name="企业库记录", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="prospects")
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True, validators=[validate_uscc])
    member_kind = models.CharField("拟入会类型", max_length=16, default="enterprise",
                                   choices=[("enterprise", "企业会员"), ("group", "团体会员"),
                                            ("individual", "个人会员")])
    is_private = models.BooleanField("私营企业", default=False)
    is_local = models.BooleanField("本地", default=True)
    is_high_tech = models.BooleanField("高新技术企业", default=False)
    industry = models.ForeignKey("common.IndustryCode", verbose_name="行业", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    source = models.CharField("来源", max_length=16, choices=Source.choices, default=Source.REGISTRY)
    referred_by = models.ForeignKey("members.Enterprise", verbose_name="推荐会员企业", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="referred_prospects")
    source_event = models.ForeignKey("events.Event", verbose_name="来源活动", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="prospects")
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_mobile = EncryptedTextField("联系电话", blank=True, validators=[validate_mobile])
    contact_mobile_index = BlindIndexField(source="contact_mobile",
                                           normalizer="shanglian.common.validators.normalize_mobile")
    stage = models.CharField("阶段", max_length=16, choices=Stage.choices, default=Stage.LEAD)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="负责人", on_delete=models.PROTECT,
                              related_name="owned_prospects")
    next_step = models.CharField("下一步", max_length=200, blank=True)
    next_step_on = models.DateField("下一步日期", null=True, blank=True)
    abandon_reason = models.CharField("放弃原因", max_length=200, blank=True)
    note = models.TextField("备注", blank=True)
    stage_changed_on = models.DateField("进入当前阶段日期")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "发展对象"
        verbose_name_plural = "发展对象"
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["federation", "stage"], name="growth_prospect_stage"),
                   models.Index(fields=["chamber", "stage"], name="growth_prospect_chamber")]
        constraints = [
            models.CheckConstraint(condition=~Q(stage="abandoned") | ~Q(abandon_reason=""),
                                   name="growth_prospect_abandon_reason",
                                   violation_error_message="放弃须填写原因。"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("growth:prospect", args=[self.pk])


class MembershipApplication(models.Model):
    """入会申请: an enterprise's online application (the 入会申请表 it fills in on the phone), reviewed by staff.

    Approval creates the federation membership (and the chamber membership asked for) and tells the applicant;
    refusal keeps the reason. The declared fields are the applicant's words at the time; approving copies the
    registry's empty fields from them, never overwriting what the registry holds.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待审核"
        APPROVED = "approved", "已批准"
        REFUSED = "refused", "未通过"
        WITHDRAWN = "withdrawn", "已撤回"

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="membership_applications")
    number = models.CharField("申请编号", max_length=20, unique=True)
    enterprise = models.ForeignKey("members.Enterprise", verbose_name="申请企业", on_delete=models.PROTECT,
                                   related_name="membership_applications")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人账号", on_delete=models.PROTECT,
                                  related_name="membership_applications")
    chamber = models.ForeignKey("orgs.Chamber", verbose_name="同时申请加入商会", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="membership_applications")
    prospect = models.ForeignKey(Prospect, verbose_name="发展对象", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="applications")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    # 入会申请表
    enterprise_name = models.CharField("企业名称", max_length=200)
    uscc = models.CharField("统一社会信用代码", max_length=18, validators=[validate_uscc])
    legal_representative = models.CharField("法定代表人", max_length=50)
    industry = models.ForeignKey("common.IndustryCode", verbose_name="所属行业", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    address = models.CharField("企业地址", max_length=200)
    founded = models.DateField("成立日期", null=True, blank=True)
    employees = models.PositiveIntegerField("从业人数", null=True, blank=True)
    registered_capital = models.DecimalField("注册资本（万元）", max_digits=14, decimal_places=2, null=True,
                                             blank=True, validators=[MinValueValidator(0)])
    annual_revenue = models.DecimalField("上年营业收入（万元）", max_digits=14, decimal_places=2, null=True,
                                         blank=True, validators=[MinValueValidator(0)])
    main_products = models.CharField("主营产品（服务）", max_length=300)
    contact_name = models.CharField("联系人", max_length=50)
    contact_mobile = EncryptedTextField("联系电话", validators=[validate_mobile])
    recommender = models.CharField("推荐单位或推荐人", max_length=100, blank=True)
    statement = models.TextField("入会意愿及对工商联的建议", blank=True)
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    refusal_reason = models.CharField("未通过原因", max_length=300, blank=True)
    membership = models.ForeignKey("members.Membership", verbose_name="入会记录", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "入会申请"
        verbose_name_plural = "入会申请"
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["federation", "enterprise"], condition=Q(status="submitted"),
                                    name="growth_application_one_open",
                                    violation_error_message="该企业已有待审核的入会申请，请勿重复提交。"),
            models.CheckConstraint(condition=~Q(status="refused") | ~Q(refusal_reason=""),
                                   name="growth_application_refusal_reason",
                                   violation_error_message="不予通过须填写原因。"),
        ]

    def __str__(self):
        return f"{self.number} {self.enterprise_name}"

    def get_absolute_url(self):
        return reverse("growth:application", args=[self.pk])


class ApplicationAttachment(StoredFile):
    """A file of the application (营业执照复印件, 法定代表人身份证明 …), kept by `common.uploads` under "growth"."""

    class Kind(models.TextChoices):
        LICENCE = "licence", "营业执照"
        IDENTITY = "identity", "法定代表人身份证明"
        OTHER = "other", "其他材料"

    application = models.ForeignKey(MembershipApplication, verbose_name="入会申请", on_delete=models.CASCADE,
                                    related_name="attachments")
    kind = models.CharField("材料类型", max_length=16, choices=Kind.choices, default=Kind.OTHER)

    class Meta(StoredFile.Meta):
        verbose_name = "入会申请材料"
        verbose_name_plural = "入会申请材料"


# --- 服务企业（双万双服） -----------------------------------------------------------------------------------------
class ServiceEnrollment(models.Model):
    """An enterprise enrolled in a service programme (dictionary `service_programme`: 双万双服 …): by whom, since
    when, its liaison. "纳入民营企业N家" counts these, enrolled on the day and not yet ended."""

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="service_enrollments")
    enterprise = models.ForeignKey("members.Enterprise", verbose_name="企业", on_delete=models.PROTECT,
                                   related_name="service_enrollments")
    programme = models.ForeignKey("common.DictItem", verbose_name="服务项目", on_delete=models.PROTECT,
                                  related_name="+", limit_choices_to={"kind": "service_programme"})
    enrolled_on = models.DateField("纳入日期")
    ended_on = models.DateField("退出日期", null=True, blank=True)
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="纳入人", on_delete=models.PROTECT,
                                    related_name="+")
    liaison = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="联络员", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="service_enrollments")
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "服务企业"
        verbose_name_plural = "服务企业"
        ordering = ["-enrolled_on", "-id"]
        indexes = [models.Index(fields=["federation", "enrolled_on", "ended_on", "enterprise"],
                                name="growth_enrollment_figures")]
        constraints = [
            models.UniqueConstraint(fields=["federation", "enterprise", "programme"], condition=Q(ended_on__isnull=True),
                                    name="growth_enrollment_one_open",
                                    violation_error_message="该企业已纳入该服务项目。"),
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("enrolled_on")),
                                   name="growth_enrollment_end_after_start",
                                   violation_error_message="退出日期不能早于纳入日期。"),
        ]

    def __str__(self):
        return f"{self.enterprise}（{self.programme}）"

    def get_absolute_url(self):
        return reverse("growth:enrollment", args=[self.pk])

    def clean(self):
        if self.enrolled_on and self.ended_on and self.ended_on < self.enrolled_on:
            raise ValidationError({"ended_on": "退出日期不能早于纳入日期。"})


# --- 会员名录 ---------------------------------------------------------------------------------------------------
# The fields a member may show in the directory, in the order shown; the name is always shown. A field left out
# of `DirectoryListing.shown_fields` never leaves the server: `selectors.directory` projects every entry.
DIRECTORY_FIELDS = [
    ("industry", "所属行业"),
    ("products", "主营产品"),
    ("street", "所在街道"),
    ("address", "地址"),
    ("contact_name", "联系人"),
    ("contact_mobile", "联系电话"),
    ("website", "网址"),
    ("intro", "企业简介"),
]
DIRECTORY_FIELD_KEYS = [key for key, _ in DIRECTORY_FIELDS]


class DirectoryListing(models.Model):
    """A member enterprise's entry in the 会员名录: whether it is listed, which fields it shows, and what it says
    of itself (products, introduction, website)."""

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="directory_listings")
    enterprise = models.ForeignKey("members.Enterprise", verbose_name="企业", on_delete=models.CASCADE,
                                   related_name="directory_listings")
    listed = models.BooleanField("在名录中展示", default=True)
    shown_fields = models.JSONField("展示的字段", default=list, blank=True)
    products = models.CharField("主营产品", max_length=300, blank=True)
    intro = models.TextField("企业简介", max_length=1000, blank=True)
    website = models.URLField("网址", blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="更新人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "会员名录条目"
        verbose_name_plural = "会员名录条目"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["federation", "enterprise"], name="growth_listing_unique")]

    def __str__(self):
        return str(self.enterprise)

    def clean(self):
        unknown = [key for key in (self.shown_fields or []) if key not in DIRECTORY_FIELD_KEYS]
        if not isinstance(self.shown_fields, list) or unknown:
            raise ValidationError({"shown_fields": "展示的字段无效。"})


class DirectorySetting(models.Model):
    """A federation's directory switch: the public page (no login) exists only while it is on."""

    federation = models.OneToOneField("orgs.Federation", verbose_name="所属工商联", on_delete=models.CASCADE,
                                      related_name="directory_setting")
    public_enabled = models.BooleanField("对外公开会员名录", default=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="更新人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "会员名录设置"
        verbose_name_plural = "会员名录设置"

    def __str__(self):
        return f"{self.federation} 会员名录"


# --- 供需对接 ---------------------------------------------------------------------------------------------------
class Post(models.Model):
    """A member's need or offer on the 供需对接 board (采购/供应/合作/融资/用工/技术), matched by industry code and
    keywords; its contact details go to another member only through a contact request the poster accepts."""

    class Category(models.TextChoices):
        PURCHASE = "purchase", "采购需求"
        SUPPLY = "supply", "产品供应"
        COOPERATION = "cooperation", "项目合作"
        FINANCING = "financing", "融资需求"
        HIRING = "hiring", "用工需求"
        TECHNOLOGY = "technology", "技术需求"

    class Status(models.TextChoices):
        OPEN = "open", "对接中"
        CLOSED = "closed", "已关闭"

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="board_posts")
    number = models.CharField("编号", max_length=20, unique=True)
    enterprise = models.ForeignKey("members.Enterprise", verbose_name="发布企业", on_delete=models.PROTECT,
                                   related_name="board_posts")
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT,
                                  related_name="+")
    category = models.CharField("类别", max_length=16, choices=Category.choices)
    title = models.CharField("标题", max_length=100)
    body = models.TextField("内容", max_length=2000)
    industry = models.ForeignKey("common.IndustryCode", verbose_name="行业", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    keywords = models.CharField("关键词", max_length=100, blank=True, help_text="以空格或逗号分隔，最多10个")
    amount = models.DecimalField("金额（元）", null=True, blank=True, validators=[MinValueValidator(0)], **MONEY,
                                 help_text="采购额、融资额等，可留空")
    headcount = models.PositiveIntegerField("用工人数", null=True, blank=True)
    valid_until = models.DateField("有效期至")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.OPEN)
    closed_reason = models.CharField("关闭原因", max_length=200, blank=True)
    events = models.ManyToManyField("events.Event", verbose_name="对接活动", blank=True, related_name="board_posts")
    created_at = models.DateTimeField("发布时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "供需信息"
        verbose_name_plural = "供需信息"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["federation", "status", "category"], name="growth_post_board")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("growth:post", args=[self.pk])


class ContactRequest(models.Model):
    """A member asking for a post's contact: routed through the platform; the poster's contact is shown to the
    requester only once the poster accepts (consent), and the poster may decline."""

    class Status(models.TextChoices):
        PENDING = "pending", "待同意"
        ACCEPTED = "accepted", "已同意"
        DECLINED = "declined", "已婉拒"
        WITHDRAWN = "withdrawn", "已撤回"

    post = models.ForeignKey(Post, verbose_name="供需信息", on_delete=models.CASCADE, related_name="contact_requests")
    requester = models.ForeignKey("members.Enterprise", verbose_name="请求企业", on_delete=models.PROTECT,
                                  related_name="contact_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="请求人", on_delete=models.PROTECT,
                                     related_name="+")
    message = models.CharField("留言", max_length=300)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField("请求时间", auto_now_add=True)
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        verbose_name = "对接请求"
        verbose_name_plural = "对接请求"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["post", "requester"], condition=Q(status__in=["pending", "accepted"]),
                                    name="growth_contact_one_live",
                                    violation_error_message="已向该信息发出过对接请求。"),
        ]

    def __str__(self):
        return f"{self.requester} → {self.post}"


class MatchOutcome(models.Model):
    """What matchmaking achieved: a deal (达成合作, amount), financing (融资, amount) or hiring (招聘, jobs filled),
    from a post, a matchmaking event (洽谈会, 融资推介会, 招聘会) or both."""

    class Kind(models.TextChoices):
        DEAL = "deal", "达成合作"
        FINANCING = "financing", "获得融资"
        HIRING = "hiring", "招聘用工"

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="match_outcomes")
    kind = models.CharField("成果类型", max_length=16, choices=Kind.choices)
    enterprise = models.ForeignKey("members.Enterprise", verbose_name="企业", on_delete=models.PROTECT,
                                   related_name="match_outcomes")
    partner = models.ForeignKey("members.Enterprise", verbose_name="对接企业", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="partner_outcomes")
    partner_name = models.CharField("对接方（非会员）", max_length=200, blank=True)
    post = models.ForeignKey(Post, verbose_name="供需信息", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="outcomes")
    event = models.ForeignKey("events.Event", verbose_name="对接活动", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="match_outcomes")
    reached_on = models.DateField("达成日期")
    amount = models.DecimalField("金额（元）", null=True, blank=True, validators=[MinValueValidator(0)], **MONEY)
    jobs = models.PositiveIntegerField("招聘人数", null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "对接成果"
        verbose_name_plural = "对接成果"
        ordering = ["-reached_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gte=0),
                                   name="growth_outcome_amount_not_negative",
                                   violation_error_message="金额不能为负数。"),
            models.CheckConstraint(condition=~Q(kind="hiring") | Q(jobs__gte=1), name="growth_outcome_jobs",
                                   violation_error_message="招聘用工须填写招聘人数。"),
            models.CheckConstraint(condition=Q(kind="hiring") | Q(amount__gt=0), name="growth_outcome_amount",
                                   violation_error_message="达成合作或获得融资须填写金额。"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.enterprise}"


# --- 专项工作组 -------------------------------------------------------------------------------------------------
class WorkingGroup(models.Model):
    """A 专项工作组 (e.g. 融资服务组, 人才服务组): its members and lead, the common problem it works on, its projects."""

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="working_groups")
    name = models.CharField("工作组名称", max_length=100)
    focus = models.CharField("聚焦的共性问题", max_length=300)
    established = models.DateField("成立日期")
    dissolved = models.DateField("撤销日期", null=True, blank=True)
    contact = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="工商联联络人", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    description = models.TextField("工作职责", blank=True)

    class Meta:
        verbose_name = "专项工作组"
        verbose_name_plural = "专项工作组"
        ordering = ["established", "id"]
        constraints = [
            models.UniqueConstraint(fields=["federation", "name"], name="growth_group_name_unique",
                                    violation_error_message="同名工作组已存在。"),
            models.CheckConstraint(condition=Q(dissolved__isnull=True) | Q(dissolved__gte=F("established")),
                                   name="growth_group_dissolved_after", violation_error_message="撤销日期不能早于成立日期。"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("growth:group", args=[self.pk])


class GroupMember(models.Model):
    """A person on a working group (组长 or 成员), with the enterprise they come from."""

    group = models.ForeignKey(WorkingGroup, verbose_name="工作组", on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey("members.Person", verbose_name="人士", on_delete=models.PROTECT,
                               related_name="working_groups")
    enterprise = models.ForeignKey("members.Enterprise", verbose_name="所在企业", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    is_lead = models.BooleanField("组长", default=False)
    joined = models.DateField("加入日期")

    class Meta:
        verbose_name = "工作组成员"
        verbose_name_plural = "工作组成员"
        ordering = ["-is_lead", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "person"], name="growth_group_member_unique",
                                    violation_error_message="该人士已是本工作组成员。"),
            models.UniqueConstraint(fields=["group"], condition=Q(is_lead=True), name="growth_group_one_lead",
                                    violation_error_message="每个工作组只有一名组长。"),
        ]

    def __str__(self):
        return f"{self.group}：{self.person}"


class GroupProject(models.Model):
    """A working group's project (项目化运作): a goal, a period, milestones, the appeals it addresses, its outcome."""

    class Status(models.TextChoices):
        PLANNED = "planned", "未启动"
        ACTIVE = "active", "推进中"
        DONE = "done", "已完成"
        DROPPED = "dropped", "已终止"

    group = models.ForeignKey(WorkingGroup, verbose_name="工作组", on_delete=models.CASCADE, related_name="projects")
    name = models.CharField("项目名称", max_length=100)
    goal = models.CharField("目标", max_length=300)
    start = models.DateField("开始日期")
    due = models.DateField("计划完成日期")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PLANNED)
    outcome = models.TextField("成效", blank=True)
    finished_on = models.DateField("完成日期", null=True, blank=True)
    appeals = models.ManyToManyField("appeals.Appeal", verbose_name="关联诉求", blank=True,
                                     related_name="group_projects")

    class Meta:
        verbose_name = "工作组项目"
        verbose_name_plural = "工作组项目"
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(due__gte=F("start")), name="growth_project_due_after_start",
                                   violation_error_message="计划完成日期不能早于开始日期。"),
            models.CheckConstraint(condition=~Q(status="done") | (Q(finished_on__isnull=False) & ~Q(outcome="")),
                                   name="growth_project_done_has_outcome",
                                   violation_error_message="完成的项目须填写完成日期和成效。"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("growth:project", args=[self.pk])


class Milestone(models.Model):
    project = models.ForeignKey(GroupProject, verbose_name="项目", on_delete=models.CASCADE,
                                related_name="milestones")
    title = models.CharField("节点", max_length=100)
    due = models.DateField("计划日期")
    done_on = models.DateField("完成日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "项目节点"
        verbose_name_plural = "项目节点"
        ordering = ["due", "id"]

    def __str__(self):
        return self.title
