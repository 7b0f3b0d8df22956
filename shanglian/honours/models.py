"""评选表彰 and 商会评估.

Award programmes (评选: e.g. the yearly 优秀民营企业10强 in 依法纳税/和谐劳动关系/社会责任/促进就业/科技创新):
a programme of one year has categories (each its own list of `list_size`), each category its criteria with
weights; enterprises are nominated (by staff or a chamber, with attachments), the programme's judges score each
nomination on each criterion (a judge linked to the nominee's enterprise or chamber may not score it — see
`selectors.nominations.conflict_of`), the ranking follows `ranking.rank` (its docstring is the tie rule), and a
category's list is published: a published list (`HonourList`) is frozen; a correction is a new version with a
reason, and the earlier version stays readable, marked superseded.

Chamber assessments (`Assessment`): the township chambers' 五有 checklist, the 四好商会 criteria with scores and a
level, and the federation's 五好工商联 self-check, each item with its evidence (a note and files) verified by
staff. The schemes (items, maximum scores, levels) are code: `schemes.py`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from shanglian.common.models import StoredFile

SCORE = {"max_digits": 6, "decimal_places": 2}


# --- award programmes ----------------------------------------------------------------------------------------
class Programme(models.Model):
    """评选活动: one year's award programme of a federation. Its life is `workflow.PROGRAMME_FLOW`: 筹备中 →
    提名中 → 评审中 → 已结束."""

    class Status(models.TextChoices):
        DRAFT = "draft", "筹备中"
        NOMINATING = "nominating", "提名中"
        SCORING = "scoring", "评审中"
        CLOSED = "closed", "已结束"

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="honour_programmes")
    name = models.CharField("评选名称", max_length=100)
    year = models.PositiveSmallIntegerField("年度")
    description = models.TextField("评选说明", blank=True)
    nomination_deadline = models.DateField("提名截止日期", null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "评选活动"
        verbose_name_plural = "评选活动"
        ordering = ["-year", "id"]

    def __str__(self):
        return f"{self.year}年{self.name}"

    def get_absolute_url(self):
        return reverse("honours:programme", args=[self.pk])


class Category(models.Model):
    """一个榜单: e.g. 依法纳税10强 — `list_size` places (ties at the last place may make it longer)."""

    programme = models.ForeignKey(Programme, verbose_name="评选活动", on_delete=models.CASCADE,
                                  related_name="categories")
    name = models.CharField("榜单名称", max_length=60)
    list_size = models.PositiveSmallIntegerField("上榜名额", default=10)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "评选类别"
        verbose_name_plural = "评选类别"
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["programme", "name"], name="honours_category_unique_name",
                                               violation_error_message="同一评选活动中类别名称不能重复。"),
                       models.CheckConstraint(condition=Q(list_size__gte=1), name="honours_category_list_size",
                                              violation_error_message="上榜名额至少为1。")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("honours:category", args=[self.pk])


class Criterion(models.Model):
    """评分指标 of a category: scored 0..`max_score` by each judge; `weight` its share (the weights of a category
    are normalised when the total is computed, so 30/30/40 and 3/3/4 rank alike)."""

    category = models.ForeignKey(Category, verbose_name="评选类别", on_delete=models.CASCADE,
                                 related_name="criteria")
    name = models.CharField("指标", max_length=60)
    description = models.CharField("评分说明", max_length=200, blank=True)
    weight = models.DecimalField("权重", max_digits=5, decimal_places=2)
    max_score = models.PositiveSmallIntegerField("满分", default=100)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "评分指标"
        verbose_name_plural = "评分指标"
        ordering = ["order", "id"]
        constraints = [models.CheckConstraint(condition=Q(weight__gt=0), name="honours_criterion_weight_positive",
                                              violation_error_message="权重必须大于0。"),
                       models.CheckConstraint(condition=Q(max_score__gte=1), name="honours_criterion_max_score",
                                              violation_error_message="满分至少为1。")]

    def __str__(self):
        return f"{self.name}（权重{self.weight}）"


class Judge(models.Model):
    """A member of a programme's panel (评审委员): a user who scores. `person` is the judge in the registry, when
    they are in it: their roles in enterprises and positions in chambers are what makes them conflicted."""

    programme = models.ForeignKey(Programme, verbose_name="评选活动", on_delete=models.CASCADE, related_name="judges")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="评审账号", on_delete=models.PROTECT,
                             related_name="honour_judgeships")
    person = models.ForeignKey("members.Person", verbose_name="对应人士", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="honour_judgeships")
    note = models.CharField("备注", max_length=100, blank=True)

    class Meta:
        verbose_name = "评审委员"
        verbose_name_plural = "评审委员"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["programme", "user"], name="honours_judge_unique_user",
                                               violation_error_message="该账号已是本评选的评审委员。")]

    def __str__(self):
        return self.user.display_name or self.user.get_username()


class Nomination(models.Model):
    """提名: an enterprise put forward for a category, by staff or by a chamber (`chamber`: the nominating
    chamber, a chamber secretary's scope)."""

    class Status(models.TextChoices):
        NOMINATED = "nominated", "已提名"
        WITHDRAWN = "withdrawn", "已撤回"

    category = models.ForeignKey(Category, verbose_name="评选类别", on_delete=models.PROTECT,
                                 related_name="nominations")
    enterprise = models.ForeignKey("members.Enterprise", verbose_name="被提名企业", on_delete=models.PROTECT,
                                   related_name="honour_nominations")
    chamber = models.ForeignKey("orgs.Chamber", verbose_name="推荐商会", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="honour_nominations")
    reason = models.TextField("推荐理由")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.NOMINATED)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提名人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    nominated_at = models.DateTimeField("提名时间", auto_now_add=True)

    class Meta:
        verbose_name = "提名"
        verbose_name_plural = "提名"
        ordering = ["category", "id"]
        constraints = [models.UniqueConstraint(fields=["category", "enterprise"],
                                               name="honours_nomination_once_per_category",
                                               violation_error_message="该企业已被提名到此类别。")]

    def __str__(self):
        return f"{self.enterprise}（{self.category}）"

    def get_absolute_url(self):
        return reverse("honours:nomination", args=[self.pk])


class NominationAttachment(StoredFile):
    """A nomination's supporting file (纳税证明, 获奖证书 …), kept by `common.uploads` under "honours"."""

    nomination = models.ForeignKey(Nomination, verbose_name="提名", on_delete=models.CASCADE,
                                   related_name="attachments")

    class Meta(StoredFile.Meta):
        verbose_name = "提名材料"
        verbose_name_plural = "提名材料"


class Score(models.Model):
    """One judge's score of one nomination on one criterion (0..criterion.max_score)."""

    nomination = models.ForeignKey(Nomination, verbose_name="提名", on_delete=models.CASCADE, related_name="scores")
    judge = models.ForeignKey(Judge, verbose_name="评审委员", on_delete=models.PROTECT, related_name="scores")
    criterion = models.ForeignKey(Criterion, verbose_name="指标", on_delete=models.PROTECT, related_name="scores")
    value = models.DecimalField("得分", **SCORE)
    scored_at = models.DateTimeField("评分时间", auto_now=True)

    class Meta:
        verbose_name = "评分"
        verbose_name_plural = "评分"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["nomination", "judge", "criterion"],
                                               name="honours_score_once",
                                               violation_error_message="该评审委员已为此指标评分。"),
                       models.CheckConstraint(condition=Q(value__gte=0), name="honours_score_not_negative",
                                              violation_error_message="得分不能为负数。")]

    def __str__(self):
        return f"{self.judge}：{self.criterion.name} {self.value}"


class HonourList(models.Model):
    """A category's published list (榜单), one version: frozen once written (the services never change it;
    `save` refuses an update). A correction is the next version with a `reason`; the earlier one gets
    `superseded_at`."""

    category = models.ForeignKey(Category, verbose_name="评选类别", on_delete=models.PROTECT, related_name="lists")
    version = models.PositiveSmallIntegerField("版本", default=1)
    reason = models.TextField("更正原因", blank=True)
    published_at = models.DateTimeField("发布时间")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发布人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    superseded_at = models.DateTimeField("被更正时间", null=True, blank=True)

    class Meta:
        verbose_name = "发布榜单"
        verbose_name_plural = "发布榜单"
        ordering = ["category", "-version"]
        constraints = [models.UniqueConstraint(fields=["category", "version"], name="honours_list_unique_version"),
                       models.UniqueConstraint(fields=["category"], condition=Q(superseded_at__isnull=True),
                                               name="honours_list_one_current",
                                               violation_error_message="该类别已有现行榜单。"),
                       models.CheckConstraint(condition=Q(version=1) | ~Q(reason=""),
                                              name="honours_list_correction_has_reason",
                                              violation_error_message="更正榜单须填写更正原因。")]

    def __str__(self):
        return f"{self.category.programme.year}年{self.category}（第{self.version}版）"

    def save(self, *args, **kwargs):
        """Written once: afterwards only `superseded_at` may be set (by the correction that replaces it)."""
        if self.pk and set(kwargs.get("update_fields") or ()) != {"superseded_at"}:
            raise FrozenList("榜单已发布，不能修改；如需更正，请发布新版本并说明原因。")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("honours:list", args=[self.pk])

    @property
    def is_current(self):
        return self.superseded_at is None


class FrozenList(Exception):
    """A write to a published list or its entries."""


class HonourListEntry(models.Model):
    """A place on a published list: rank (tied places share a rank), the enterprise as named on the day."""

    honour_list = models.ForeignKey(HonourList, verbose_name="榜单", on_delete=models.PROTECT, related_name="entries")
    rank = models.PositiveSmallIntegerField("名次")
    enterprise = models.ForeignKey("members.Enterprise", verbose_name="企业", on_delete=models.PROTECT,
                                   related_name="honour_entries")
    enterprise_name = models.CharField("上榜名称", max_length=200)
    score = models.DecimalField("综合得分", null=True, blank=True, max_digits=7, decimal_places=3)
    tied = models.BooleanField("并列", default=False)

    class Meta:
        verbose_name = "上榜企业"
        verbose_name_plural = "上榜企业"
        ordering = ["honour_list", "rank", "id"]
        constraints = [models.UniqueConstraint(fields=["honour_list", "enterprise"],
                                               name="honours_entry_once_per_list")]

    def __str__(self):
        return f"{self.rank}. {self.enterprise_name}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise FrozenList("榜单已发布，不能修改；如需更正，请发布新版本并说明原因。")
        super().save(*args, **kwargs)


# --- chamber assessments -------------------------------------------------------------------------------------
class Assessment(models.Model):
    """One year's assessment of a chamber (五有, 四好商会) or the federation's own self-check (五好工商联, chamber
    empty). Its life is `workflow.ASSESSMENT_FLOW`: 填报中 → 已提交 → 已核定 (or 退回 to 填报中). Items: one per
    item of its scheme (`schemes.SCHEMES[scheme]`)."""

    class Scheme(models.TextChoices):
        FIVE_HAVE = "five_have", "镇街商会“五有”"
        FOUR_GOOD = "four_good", "“四好”商会"
        FIVE_GOOD = "five_good", "“五好”工商联自查"

    class Status(models.TextChoices):
        DRAFT = "draft", "填报中"
        SUBMITTED = "submitted", "已提交"
        CONFIRMED = "confirmed", "已核定"

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="assessments")
    chamber = models.ForeignKey("orgs.Chamber", verbose_name="商会", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="assessments")
    scheme = models.CharField("评估类别", max_length=16, choices=Scheme.choices)
    year = models.PositiveSmallIntegerField("年度")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    total_score = models.DecimalField("总分", null=True, blank=True, **SCORE)
    level = models.CharField("评定等次", max_length=20, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="核定人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField("核定时间", null=True, blank=True)
    note = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "商会评估"
        verbose_name_plural = "商会评估"
        ordering = ["-year", "scheme", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "chamber", "year"], condition=Q(chamber__isnull=False),
                                    name="honours_assessment_once_per_chamber_year",
                                    violation_error_message="该商会本年度已有此类评估。"),
            models.UniqueConstraint(fields=["scheme", "federation", "year"], condition=Q(chamber__isnull=True),
                                    name="honours_assessment_once_per_federation_year",
                                    violation_error_message="本工商联本年度已有此项自查。"),
            models.CheckConstraint(condition=Q(scheme="five_good", chamber__isnull=True)
                                   | (~Q(scheme="five_good") & Q(chamber__isnull=False)),
                                   name="honours_assessment_subject_fits_scheme",
                                   violation_error_message="“五好”自查属于工商联，“五有”“四好”属于商会。"),
        ]

    def __str__(self):
        subject = self.chamber if self.chamber_id else self.federation
        return f"{subject} {self.year}年{self.get_scheme_display()}"

    def get_absolute_url(self):
        return reverse("honours:assessment", args=[self.pk])


class AssessmentItem(models.Model):
    """One item of an assessment (e.g. 五有's 办公场所): what the chamber claims (`met`, or `score` for a scored
    scheme), its evidence (`note` and files), and staff's check (`status`: 待核实/已核实/退回 with a remark).
    Only a verified item counts in the compliance figures."""

    class Status(models.TextChoices):
        EMPTY = "empty", "未填报"
        PENDING = "pending", "待核实"
        VERIFIED = "verified", "已核实"
        RETURNED = "returned", "退回补充"

    assessment = models.ForeignKey(Assessment, verbose_name="评估", on_delete=models.CASCADE, related_name="items")
    code = models.SlugField("条目", max_length=40)
    met = models.BooleanField("达标", null=True, blank=True)
    score = models.DecimalField("得分", null=True, blank=True, **SCORE)
    note = models.TextField("佐证说明", blank=True)
    status = models.CharField("核实状态", max_length=16, choices=Status.choices, default=Status.EMPTY)
    review_note = models.CharField("核实意见", max_length=200, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="核实人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    verified_at = models.DateTimeField("核实时间", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "评估条目"
        verbose_name_plural = "评估条目"
        ordering = ["assessment", "id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "code"], name="honours_item_once"),
                       models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__gte=0),
                                              name="honours_item_score_not_negative",
                                              violation_error_message="得分不能为负数。")]

    def __str__(self):
        from .schemes import SCHEMES

        item = SCHEMES[self.assessment.scheme].item(self.code)
        return f"{self.assessment} {item.label if item else self.code}"


class EvidenceFile(StoredFile):
    """An assessment item's evidence (牌子的照片, 经费凭证 …), kept by `common.uploads` under "honours"."""

    item = models.ForeignKey(AssessmentItem, verbose_name="评估条目", on_delete=models.CASCADE,
                             related_name="files")

    class Meta(StoredFile.Meta):
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
