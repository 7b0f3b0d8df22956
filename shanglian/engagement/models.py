"""政治引领: the representative-figures database (代表人士数据库: political arrangements, honours and
cultivation plans of persons; their positions are `orgs.Position`), proposals and their adoption
(议案/提案/建议/社情民意信息 → 实际举措), leader–enterprise liaison (包联/帮联 and visit logs; a visit's
problem opens an appeal) and party building (非公党建: party organisations, 党建指导员, activities and the
"两个覆盖" coverage).

Every row carries its federation. A person's seat is (person, kind, level): two arrangements of one seat may
not overlap in time (`Arrangement.clean`, checked again under a lock by the service).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from shanglian.common.periods import span_text


def check_period(start, end, message):
    if start and end and end < start:
        raise ValidationError({"end": message})


# --- the representative-figures database ----------------------------------------------------------------
class Arrangement(models.Model):
    """政治安排: a person is 人大代表, 政协委员 or 党代表 at one level, for one term (届)."""

    class Kind(models.TextChoices):
        NPC = "npc", "人大代表"
        CPPCC = "cppcc", "政协委员"
        PARTY_CONGRESS = "party_congress", "党代表"

    class Level(models.TextChoices):
        NATIONAL = "national", "全国"
        PROVINCE = "province", "省"
        CITY = "city", "市"
        DISTRICT = "district", "区（县）"

    class Role(models.TextChoices):
        MEMBER = "member", "代表/委员"
        STANDING = "standing", "常委"
        VICE_CHAIR = "vice_chair", "副主任/副主席"

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="arrangements")
    person = models.ForeignKey("members.Person", verbose_name="人士", on_delete=models.PROTECT,
                               related_name="arrangements")
    kind = models.CharField("安排类别", max_length=20, choices=Kind.choices)
    level = models.CharField("层级", max_length=20, choices=Level.choices)
    role = models.CharField("身份", max_length=20, choices=Role.choices, default=Role.MEMBER)
    term = models.CharField("届次", max_length=30, help_text="例如：第十七届")
    sector = models.CharField("界别/代表团", max_length=50, blank=True, help_text="政协委员的界别或人大代表所在代表团")
    start = models.DateField("起始日期")
    end = models.DateField("届满日期", null=True, blank=True, help_text="留空表示仍在任")
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "政治安排"
        verbose_name_plural = "政治安排"
        ordering = ["-start", "id"]
        indexes = [models.Index(fields=["person", "kind", "level"], name="engagement_arrangement_seat")]
        constraints = [models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                                              name="engagement_arrangement_end_after_start",
                                              violation_error_message="届满日期不能早于起始日期。")]

    def __str__(self):
        return f"{self.person}：{self.get_level_display()}{self.get_kind_display()}（{self.term}）"

    def get_absolute_url(self):
        return reverse("engagement:profile", args=[self.person_id])

    def in_force_on(self, day):
        return self.start <= day and (self.end is None or self.end >= day)

    def overlapping(self):
        """Other arrangements of the same seat (person, kind, level) whose period meets this one's."""
        if not (self.person_id and self.kind and self.level and self.start):
            return Arrangement.objects.none()
        qs = Arrangement.objects.filter(person_id=self.person_id, kind=self.kind, level=self.level)
        if self.pk:
            qs = qs.exclude(pk=self.pk)
        qs = qs.filter(Q(end__isnull=True) | Q(end__gte=self.start))
        if self.end is not None:
            qs = qs.filter(start__lte=self.end)
        return qs

    def clean(self):
        check_period(self.start, self.end, "届满日期不能早于起始日期。")
        clash = self.overlapping().first()
        if clash is not None:
            raise ValidationError(
                f"与已有的{clash.get_level_display()}{clash.get_kind_display()}（{clash.term}，"
                f"{span_text(clash.start, clash.end)}）时间重叠：同一人同一层级的"
                f"同类安排不能重叠。")


def arrangement_in_force_q(on, prefix=""):
    """The one definition of 'holding the arrangement on a day'."""
    p = prefix
    return Q(**{f"{p}start__lte": on}) & (Q(**{f"{p}end__isnull": True}) | Q(**{f"{p}end__gte": on}))


class PersonHonour(models.Model):
    """A person's honour (优秀中国特色社会主义事业建设者, 劳动模范 …)."""

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="person_honours")
    person = models.ForeignKey("members.Person", verbose_name="人士", on_delete=models.PROTECT,
                               related_name="honours")
    title = models.CharField("荣誉名称", max_length=100)
    conferred_by = models.CharField("授予单位", max_length=100, blank=True)
    year = models.PositiveSmallIntegerField("年度")

    class Meta:
        verbose_name = "个人荣誉"
        verbose_name_plural = "个人荣誉"
        ordering = ["-year", "id"]

    def __str__(self):
        return f"{self.person}：{self.title}（{self.year}）"

    def get_absolute_url(self):
        return reverse("engagement:profile", args=[self.person_id])


class Cultivation(models.Model):
    """A person in a cultivation plan (培养计划: 杰青领航, 新生代企业家培养 …; the plans are the dictionary
    `cultivation_plan`)."""

    class Status(models.TextChoices):
        ACTIVE = "active", "培养中"
        COMPLETED = "completed", "已结业"
        WITHDRAWN = "withdrawn", "已退出"

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="cultivations")
    person = models.ForeignKey("members.Person", verbose_name="人士", on_delete=models.PROTECT,
                               related_name="cultivations")
    plan = models.ForeignKey("common.DictItem", verbose_name="培养计划", on_delete=models.PROTECT, related_name="+",
                             limit_choices_to={"kind": "cultivation_plan"})
    start = models.DateField("入选日期")
    end = models.DateField("结束日期", null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.ACTIVE)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "培养计划人选"
        verbose_name_plural = "培养计划人选"
        ordering = ["-start", "id"]
        constraints = [models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                                              name="engagement_cultivation_end_after_start",
                                              violation_error_message="结束日期不能早于入选日期。")]

    def __str__(self):
        return f"{self.person}：{self.plan}"

    def get_absolute_url(self):
        return reverse("engagement:profile", args=[self.person_id])

    def clean(self):
        check_period(self.start, self.end, "结束日期不能早于入选日期。")


# --- proposals ----------------------------------------------------------------------------------------------
class Proposal(models.Model):
    """议案/提案/建议/社情民意信息, submitted by persons of the database or by the federation or a chamber as a
    body; its life is `workflow.PROPOSAL_FLOW`; adopted, it names the 实际举措 it became."""

    class Kind(models.TextChoices):
        MOTION = "motion", "议案"
        PROPOSAL = "proposal", "提案"
        SUGGESTION = "suggestion", "建议"
        OPINION = "opinion", "社情民意信息"

    class Status(models.TextChoices):
        DRAFT = "draft", "草拟"
        SUBMITTED = "submitted", "已提交"
        REGISTERED = "registered", "已立案"
        HANDLING = "handling", "办理中"
        REPLIED = "replied", "已答复"
        ADOPTED = "adopted", "已采纳"
        NOT_ADOPTED = "not_adopted", "未采纳"

    class Body(models.TextChoices):
        NONE = "", "个人提交"
        FEDERATION = "federation", "工商联"
        CHAMBER = "chamber", "商会"

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="proposals")
    number = models.CharField("编号", max_length=20, unique=True)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    title = models.CharField("标题", max_length=200)
    text = models.TextField("正文", blank=True)
    topic = models.ForeignKey("common.DictItem", verbose_name="主题", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", limit_choices_to={"kind": "proposal_topic"})
    year = models.PositiveSmallIntegerField("年度")
    session = models.CharField("会议/届次", max_length=60, blank=True, help_text="例如：区政协十六届三次会议")
    body = models.CharField("以组织名义提交", max_length=20, choices=Body.choices, blank=True, default=Body.NONE)
    chamber = models.ForeignKey("orgs.Chamber", verbose_name="提交商会", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="proposals")
    submitters = models.ManyToManyField("members.Person", verbose_name="提交人", blank=True,
                                        related_name="proposals")
    recipient = models.CharField("提交对象", max_length=60, blank=True, help_text="例如：区人大、区政协、区政府")
    department = models.ForeignKey("orgs.Department", verbose_name="承办部门", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="proposals")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    submitted_on = models.DateField("提交日期", null=True, blank=True)
    registered_on = models.DateField("立案日期", null=True, blank=True)
    reply = models.TextField("答复意见", blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    decided_on = models.DateField("采纳结果日期", null=True, blank=True)
    measure = models.TextField("转化的实际举措", blank=True)
    policy = models.ForeignKey("policies.Policy", verbose_name="对应惠企政策", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="proposals")
    decline_reason = models.CharField("未采纳原因", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "议案提案"
        verbose_name_plural = "议案提案"
        ordering = ["-year", "-id"]
        indexes = [models.Index(fields=["federation", "year", "id"], name="engagement_proposal_fed_year")]

    def __str__(self):
        return f"{self.title}（{self.number}）"

    def get_absolute_url(self):
        return reverse("engagement:proposal", args=[self.pk])

    def clean(self):
        if self.body == Proposal.Body.CHAMBER and not self.chamber_id:
            raise ValidationError({"chamber": "以商会名义提交时请选择商会。"})
        if self.body != Proposal.Body.CHAMBER and self.chamber_id:
            raise ValidationError({"chamber": "只有以商会名义提交时才填写商会。"})


class ProposalLog(models.Model):
    """One step of a proposal's life (immutable): who, when, from, to, what was said."""

    proposal = models.ForeignKey(Proposal, verbose_name="议案提案", on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField("操作人", max_length=100, blank=True)
    action = models.SlugField("操作", max_length=30)
    action_label = models.CharField("操作名称", max_length=30)
    from_status = models.CharField("原状态", max_length=20, choices=Proposal.Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=20, choices=Proposal.Status.choices, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "议案提案办理记录"
        verbose_name_plural = "议案提案办理记录"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.proposal.number} {self.action_label}"


# --- liaison (包联/帮联) -----------------------------------------------------------------------------------
class Liaison(models.Model):
    """包联 (district level) or 帮联 (street level): a leader, a department or a staff member assigned to an
    enterprise for a period. Exactly one of `user` (a leader or staff member with an account) and
    `department`; `liaison_name` names a district leader who has no account, beside a department."""

    class Level(models.TextChoices):
        DISTRICT = "district", "区级包联"
        STREET = "street", "街道帮联"

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="liaisons")
    enterprise = models.ForeignKey("members.Enterprise", verbose_name="企业", on_delete=models.PROTECT,
                                   related_name="liaisons")
    level = models.CharField("层级", max_length=16, choices=Level.choices, default=Level.DISTRICT)
    street = models.ForeignKey("orgs.Street", verbose_name="帮联街道", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="liaisons")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="包联人（账号）", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="liaisons")
    department = models.ForeignKey("orgs.Department", verbose_name="包联部门", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="liaisons")
    liaison_name = models.CharField("包联人姓名及职务", max_length=60, blank=True)
    start = models.DateField("起始日期")
    end = models.DateField("结束日期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "包联关系"
        verbose_name_plural = "包联关系"
        ordering = ["-start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                                   name="engagement_liaison_end_after_start",
                                   violation_error_message="结束日期不能早于起始日期。"),
            models.CheckConstraint(condition=Q(user__isnull=True, department__isnull=False) | Q(user__isnull=False, department__isnull=True),
                                   name="engagement_liaison_one_liaison",
                                   violation_error_message="请在包联人账号与包联部门中选择其一。"),
        ]

    def __str__(self):
        return f"{self.liaison_display}→{self.enterprise}"

    def get_absolute_url(self):
        return reverse("engagement:liaison", args=[self.pk])

    @property
    def liaison_display(self):
        if self.user_id:
            return self.user.display_name or self.user.get_username()
        name = (self.department.short_name or self.department.name) if self.department_id else ""
        return f"{name}（{self.liaison_name}）" if self.liaison_name else name

    def in_force_on(self, day):
        return self.start <= day and (self.end is None or self.end >= day)

    def clean(self):
        check_period(self.start, self.end, "结束日期不能早于起始日期。")
        if bool(self.user_id) == bool(self.department_id):
            raise ValidationError("请在包联人账号与包联部门中选择其一。")
        if self.level == Liaison.Level.STREET and not self.street_id:
            raise ValidationError({"street": "街道帮联请选择街道。"})


def liaison_in_force_q(on, prefix=""):
    p = prefix
    return Q(**{f"{p}start__lte": on}) & (Q(**{f"{p}end__isnull": True}) | Q(**{f"{p}end__gte": on}))


class Visit(models.Model):
    """走访: a visit to an enterprise (usually under a liaison), what was found and what follows."""

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="visits")
    enterprise = models.ForeignKey("members.Enterprise", verbose_name="企业", on_delete=models.PROTECT,
                                   related_name="visits")
    liaison = models.ForeignKey(Liaison, verbose_name="包联关系", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="visits")
    visited_on = models.DateField("走访日期")
    visitors = models.CharField("走访人员", max_length=200)
    people_met = models.CharField("接待人员", max_length=200, blank=True)
    summary = models.TextField("走访情况", blank=True)
    problems = models.TextField("发现问题", blank=True)
    follow_up = models.TextField("后续跟进", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "走访记录"
        verbose_name_plural = "走访记录"
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["federation", "visited_on", "id"], name="engagement_visit_fed_day"),
                   models.Index(fields=["enterprise", "visited_on"], name="engagement_visit_ent_day")]

    def __str__(self):
        return f"{self.visited_on:%Y-%m-%d} 走访{self.enterprise}"

    def get_absolute_url(self):
        return reverse("engagement:visit", args=[self.pk])

    def clean(self):
        if self.visited_on and self.visited_on > timezone.localdate():
            raise ValidationError({"visited_on": "走访日期不能晚于今天。"})
        if self.liaison_id and self.enterprise_id and self.liaison.enterprise_id != self.enterprise_id:
            raise ValidationError({"liaison": "包联关系不属于该企业。"})


class VisitAppeal(models.Model):
    """An appeal opened from a problem found on a visit: the link both ways."""

    visit = models.ForeignKey(Visit, verbose_name="走访记录", on_delete=models.PROTECT, related_name="raised_appeals")
    appeal = models.OneToOneField("appeals.Appeal", verbose_name="诉求", on_delete=models.CASCADE,
                                  related_name="raised_on_visit")

    class Meta:
        verbose_name = "走访发现问题转诉求"
        verbose_name_plural = "走访发现问题转诉求"
        ordering = ["id"]

    def __str__(self):
        return f"{self.visit} → {self.appeal}"


# --- party building (非公党建) --------------------------------------------------------------------------------
class PartyOrganisation(models.Model):
    """A party organisation in the non-public economy: attached to exactly one of an enterprise, a chamber or
    a street. A 联合党委 (or a joint branch) covers further enterprises (`covered_enterprises`) that have
    none of their own."""

    class Kind(models.TextChoices):
        COMMITTEE = "committee", "党委"
        GENERAL_BRANCH = "general_branch", "党总支"
        BRANCH = "branch", "党支部"
        JOINT_COMMITTEE = "joint_committee", "联合党委"
        FUNCTIONAL_BRANCH = "functional_branch", "功能型党支部"

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="party_organisations")
    name = models.CharField("党组织名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    enterprise = models.ForeignKey("members.Enterprise", verbose_name="所在企业", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="party_organisations")
    chamber = models.ForeignKey("orgs.Chamber", verbose_name="所在商会", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="party_organisations")
    street = models.ForeignKey("orgs.Street", verbose_name="所在街道", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="party_organisations")
    covered_enterprises = models.ManyToManyField("members.Enterprise", verbose_name="联建覆盖企业", blank=True,
                                                 related_name="covering_party_organisations")
    founded = models.DateField("成立日期", null=True, blank=True)
    dissolved = models.DateField("撤销日期", null=True, blank=True)
    members_count = models.PositiveIntegerField("党员人数", default=0)
    secretary = models.CharField("书记", max_length=50, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "党组织"
        verbose_name_plural = "党组织"
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["federation", "name"], name="engagement_party_org_unique_name",
                                    violation_error_message="本工商联已有同名党组织。"),
            models.CheckConstraint(
                condition=(Q(enterprise__isnull=False, chamber__isnull=True, street__isnull=True)
                           | Q(enterprise__isnull=True, chamber__isnull=False, street__isnull=True)
                           | Q(enterprise__isnull=True, chamber__isnull=True, street__isnull=False)),
                name="engagement_party_org_one_host",
                violation_error_message="党组织须隶属于企业、商会、街道中的一个。"),
            models.CheckConstraint(condition=Q(dissolved__isnull=True) | Q(founded__isnull=True)
                                   | Q(dissolved__gte=models.F("founded")),
                                   name="engagement_party_org_dissolved_after_founded",
                                   violation_error_message="撤销日期不能早于成立日期。"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("engagement:party_organisation", args=[self.pk])

    @property
    def host(self):
        return self.enterprise or self.chamber or self.street

    def clean(self):
        hosts = [h for h in (self.enterprise_id, self.chamber_id, self.street_id) if h]
        if len(hosts) != 1:
            raise ValidationError("党组织须隶属于企业、商会、街道中的一个。")
        if self.founded and self.dissolved and self.dissolved < self.founded:
            raise ValidationError({"dissolved": "撤销日期不能早于成立日期。"})


def organisation_active_q(on, prefix=""):
    p = prefix
    return ((Q(**{f"{p}founded__isnull": True}) | Q(**{f"{p}founded__lte": on}))
            & (Q(**{f"{p}dissolved__isnull": True}) | Q(**{f"{p}dissolved__gt": on})))


class EnterpriseParty(models.Model):
    """党员情况: how many party members an enterprise employs, as last surveyed (the base of 组织覆盖: an
    enterprise with three or more should have an organisation of its own or be covered by a 联合党委)."""

    enterprise = models.OneToOneField("members.Enterprise", verbose_name="企业", on_delete=models.CASCADE,
                                      related_name="party_census")
    party_members = models.PositiveIntegerField("党员人数")
    surveyed_on = models.DateField("统计日期")
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "企业党员情况"
        verbose_name_plural = "企业党员情况"
        ordering = ["id"]

    def __str__(self):
        return f"{self.enterprise}：党员{self.party_members}人"


class PartyInstructor(models.Model):
    """党建指导员 assigned to an enterprise or a chamber for a period (工作覆盖 without an organisation)."""

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="party_instructors")
    name = models.CharField("指导员姓名", max_length=50)
    unit = models.CharField("工作单位及职务", max_length=100, blank=True)
    enterprise = models.ForeignKey("members.Enterprise", verbose_name="指导企业", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="party_instructors")
    chamber = models.ForeignKey("orgs.Chamber", verbose_name="指导商会", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="party_instructors")
    start = models.DateField("选派日期")
    end = models.DateField("结束日期", null=True, blank=True)

    class Meta:
        verbose_name = "党建指导员"
        verbose_name_plural = "党建指导员"
        ordering = ["-start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(enterprise__isnull=True, chamber__isnull=False) | Q(enterprise__isnull=False, chamber__isnull=True),
                                   name="engagement_instructor_one_target",
                                   violation_error_message="请选择指导的企业或商会（二选一）。"),
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                                   name="engagement_instructor_end_after_start",
                                   violation_error_message="结束日期不能早于选派日期。"),
        ]

    def __str__(self):
        return f"{self.name}（{self.enterprise or self.chamber}）"

    def clean(self):
        check_period(self.start, self.end, "结束日期不能早于选派日期。")
        if bool(self.enterprise_id) == bool(self.chamber_id):
            raise ValidationError("请选择指导的企业或商会（二选一）。")


class PartyActivity(models.Model):
    """An activity of a party organisation: 主题党日, and 三会一课 (支部党员大会, 支委会, 党小组会, 党课)."""

    class Kind(models.TextChoices):
        THEME_DAY = "theme_day", "主题党日"
        BRANCH_ASSEMBLY = "branch_assembly", "支部党员大会"
        BRANCH_COMMITTEE = "branch_committee", "支委会"
        GROUP_MEETING = "group_meeting", "党小组会"
        PARTY_LECTURE = "party_lecture", "党课"
        OTHER = "other", "其他"

    organisation = models.ForeignKey(PartyOrganisation, verbose_name="党组织", on_delete=models.PROTECT,
                                     related_name="activities")
    kind = models.CharField("活动类型", max_length=20, choices=Kind.choices)
    held_on = models.DateField("活动日期")
    title = models.CharField("主题", max_length=200)
    attendees = models.PositiveIntegerField("参加人数", default=0)
    note = models.TextField("内容摘要", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "党组织活动"
        verbose_name_plural = "党组织活动"
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.get_kind_display()}：{self.title}"

    def clean(self):
        if self.held_on and self.held_on > timezone.localdate():
            raise ValidationError({"held_on": "活动日期不能晚于今天。"})


# 三会一课: the four kinds counted together.
THREE_MEETINGS_ONE_LECTURE = (PartyActivity.Kind.BRANCH_ASSEMBLY, PartyActivity.Kind.BRANCH_COMMITTEE,
                              PartyActivity.Kind.GROUP_MEETING, PartyActivity.Kind.PARTY_LECTURE)
# 组织覆盖's base: an enterprise employing at least this many party members should have an organisation.
PARTY_MEMBERS_FOR_OWN_ORGANISATION = 3
