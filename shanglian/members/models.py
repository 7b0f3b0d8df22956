from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse

from shanglian.common.fields import BlindIndexField, EncryptedTextField
from shanglian.common.validators import validate_id_number, validate_mobile, validate_uscc

from .pinyin import (
    pinyin_initials,  # Enterprise.save() / Person.save(); import_writes and demo import it from here
)


def incomplete_enterprise_q():
    """An enterprise whose record lacks what the registry needs (联系人, 街道 or 从业人数): the todo and the
    list filter 信息不完整 (`selectors`), and the partial index that counts them."""
    return models.Q(contact_name="") | models.Q(street__isnull=True) | models.Q(employees__isnull=True)


class Enterprise(models.Model):
    class Size(models.TextChoices):
        LARGE = "large", "大型"
        MEDIUM = "medium", "中型"
        SMALL = "small", "小型"
        MICRO = "micro", "微型"

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="enterprises")
    name = models.CharField("企业名称", max_length=200)
    name_initials = models.CharField("拼音首字母", max_length=100, blank=True, db_index=True, editable=False)
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True, validators=[validate_uscc])
    enterprise_type = models.ForeignKey("common.DictItem", verbose_name="企业类型", on_delete=models.PROTECT,
                                        related_name="+", limit_choices_to={"kind": "enterprise_type"})
    industry = models.ForeignKey("common.IndustryCode", verbose_name="行业（GB/T 4754-2017）",
                                 on_delete=models.PROTECT, related_name="enterprises")
    size = models.CharField("企业规模", max_length=8, choices=Size.choices, blank=True)
    is_high_tech = models.BooleanField("高新技术企业", default=False)
    region_code = models.CharField("注册地行政区划代码", max_length=6, blank=True)
    street = models.ForeignKey("orgs.Street", verbose_name="所在街道", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="enterprises")
    is_local = models.BooleanField("本地企业", default=True, help_text="本地或外地（异地）企业")
    founded = models.DateField("成立日期", null=True, blank=True)
    employees = models.PositiveIntegerField("从业人数", null=True, blank=True)
    registered_capital = models.DecimalField("注册资本（万元）", max_digits=14, decimal_places=2, null=True,
                                             blank=True, validators=[MinValueValidator(0)])
    legal_representative = models.CharField("法定代表人", max_length=50, blank=True)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_mobile = EncryptedTextField("联系人手机", blank=True, validators=[validate_mobile])
    contact_mobile_index = BlindIndexField(source="contact_mobile", normalizer="shanglian.common.validators.normalize_mobile")
    address = models.CharField("地址", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"
        ordering = ["id"]
        # The list search's uscc__iexact, read as UPPER(uscc) = UPPER(q) (members/search.py).
        indexes = [
            models.Index(Upper("uscc"), name="enterprise_uscc_upper"),
            # The 工作台 todo 信息不完整的企业 (a few % of a city's 100k firms) counted from this index alone.
            models.Index(fields=["federation"], condition=incomplete_enterprise_q(), name="enterprise_incomplete"),
            # 会员统计's 按街道 and "三多三少" (`figures.street_groups`) read what they group and count of each
            # enterprise member from this index, not from the wide rows (city scale: 50,000 members, ×1.8).
            models.Index(fields=["id", "street", "enterprise_type", "is_local", "is_high_tech"],
                         name="enterprise_member_sides"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_initials = pinyin_initials(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("members:enterprise_detail", args=[self.pk])


class Person(models.Model):
    """非公经济人士. ID number and mobile are encrypted at rest and found through blind indexes."""

    class Gender(models.TextChoices):
        MALE = "M", "男"
        FEMALE = "F", "女"

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="persons")
    name = models.CharField("姓名", max_length=50)
    name_initials = models.CharField("拼音首字母", max_length=100, blank=True, db_index=True, editable=False)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    birth_year = models.PositiveSmallIntegerField("出生年份", null=True, blank=True)
    id_number = EncryptedTextField("身份证号", blank=True, validators=[validate_id_number])
    id_number_index = BlindIndexField(source="id_number", normalizer="shanglian.common.validators.normalize_id_number",
                                      unique=False)
    mobile = EncryptedTextField("手机号", blank=True, validators=[validate_mobile])
    mobile_index = BlindIndexField(source="mobile", normalizer="shanglian.common.validators.normalize_mobile")
    political_affiliation = models.ForeignKey("common.DictItem", verbose_name="政治面貌", null=True, blank=True,
                                              on_delete=models.PROTECT, related_name="+",
                                              limit_choices_to={"kind": "political_affiliation"})
    education = models.ForeignKey("common.DictItem", verbose_name="学历", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+", limit_choices_to={"kind": "education"})
    is_new_generation = models.BooleanField("新生代企业家", default=False)
    enterprises = models.ManyToManyField(Enterprise, through="EnterpriseRole", related_name="persons",
                                         verbose_name="任职企业")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "非公经济人士"
        verbose_name_plural = "非公经济人士"
        ordering = ["id"]
        permissions = [("view_pii", "查看完整个人敏感信息")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_initials = pinyin_initials(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("members:person_detail", args=[self.pk])


class EnterpriseRole(models.Model):
    class Role(models.TextChoices):
        LEGAL_REPRESENTATIVE = "legal_representative", "法定代表人"
        CHAIRMAN = "chairman", "董事长"
        GENERAL_MANAGER = "general_manager", "总经理"
        SHAREHOLDER = "shareholder", "股东"
        OTHER = "other", "其他"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="enterprise_roles", verbose_name="人士")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="person_roles", verbose_name="企业")
    role = models.CharField("职务", max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = "企业任职"
        verbose_name_plural = "企业任职"
        constraints = [models.UniqueConstraint(fields=["person", "enterprise", "role"], name="members_role_unique")]
        # A chamber secretary's persons and memberships: the persons of its members' enterprises, from the index.
        indexes = [models.Index(fields=["enterprise", "person"], name="role_enterprise_person")]

    def __str__(self):
        return f"{self.person} · {self.enterprise} · {self.get_role_display()}"


class ChamberMembership(models.Model):
    """An enterprise's membership of one chamber; the chamber secretary's data scope is built on it."""

    class Status(models.TextChoices):
        ACTIVE = "active", "在册"
        SUSPENDED = "suspended", "暂停"
        LEFT = "left", "退会"

    chamber = models.ForeignKey("orgs.Chamber", verbose_name="商会", on_delete=models.PROTECT,
                                related_name="memberships")
    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.PROTECT,
                                   related_name="chamber_memberships")
    joined = models.DateField("入会日期")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.ACTIVE)
    left = models.DateField("退会日期", null=True, blank=True)
    left_reason = models.CharField("退会原因", max_length=200, blank=True)
    position = models.CharField("商会职务", max_length=30, blank=True)

    class Meta:
        verbose_name = "商会会员"
        verbose_name_plural = "商会会员"
        constraints = [models.UniqueConstraint(fields=["chamber", "enterprise"], name="members_chamber_enterprise")]
        # A chamber secretary's scope (`selectors.chamber_member_ids`): its active members, from the index alone.
        # Counts per chamber read the second alone: 在册会员 of the chamber list (chamber, status) and
        # 会员统计's chamber memberships in force (chamber, status, joined, left → enterprise).
        indexes = [models.Index(fields=["chamber", "status", "enterprise"], name="chambermember_chamber_status"),
                   models.Index(fields=["chamber", "status", "joined", "left", "enterprise"],
                                name="chambermember_chamber_counts")]

    def __str__(self):
        return f"{self.chamber} · {self.enterprise}"


class Membership(models.Model):
    """A membership of the federation (工商联会员): enterprise, group (a chamber or association) or individual.

    In force on a date D when joined <= D, not yet left (left is empty or after D) and not suspended
    on D (suspended_on is empty or after D) — so past figures are computed from dates, not from status.
    """

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", "企业会员"
        GROUP = "group", "团体会员"
        INDIVIDUAL = "individual", "个人会员"

    class Status(models.TextChoices):
        ACTIVE = "active", "在册"
        SUSPENDED = "suspended", "暂停"
        LEFT = "left", "退会"

    class BodyPosition(models.TextChoices):
        MEMBER = "member", "会员"
        EXECUTIVE = "executive", "执委"
        STANDING = "standing", "常委"
        VICE_CHAIRMAN = "vice_chairman", "副主席"
        CHAIRMAN = "chairman", "主席"

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="memberships")
    kind = models.CharField("会员类型", max_length=16, choices=Kind.choices)
    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="memberships")
    person = models.ForeignKey(Person, verbose_name="个人", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="memberships")
    group = models.ForeignKey("orgs.Chamber", verbose_name="团体（商会、协会）", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="federation_memberships")
    number = models.CharField("会员证号", max_length=30, blank=True)
    joined = models.DateField("入会日期")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.ACTIVE)
    suspended_on = models.DateField("暂停日期", null=True, blank=True)
    left = models.DateField("退会日期", null=True, blank=True)
    left_reason = models.CharField("退会原因", max_length=200, blank=True)
    body_position = models.CharField("在工商联的职务", max_length=16, choices=BodyPosition.choices,
                                     default=BodyPosition.MEMBER)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "工商联会员"
        verbose_name_plural = "工商联会员"
        ordering = ["id"]
        # The member list's default sort (latest joined first, id breaking ties) in index order; the list
        # search's number__iexact, read as UPPER(number) = UPPER(q) (members/search.py).
        indexes = [models.Index(fields=["federation", "joined", "id"], name="membership_list_fed_joined"),
                   models.Index(Upper("number"), name="membership_number_upper"),
                   # 会员统计 (members/figures.py) counts memberships by kind and by the dates that decide
                   # "in force" from this index alone, without reading the rows.
                   models.Index(fields=["federation", "joined", "kind", "left", "suspended_on", "enterprise"],
                                name="membership_figures")]
        constraints = [
            models.CheckConstraint(
                name="members_membership_subject_matches_kind",
                condition=(
                    models.Q(kind="enterprise", enterprise__isnull=False, person__isnull=True, group__isnull=True)
                    | models.Q(kind="individual", person__isnull=False, enterprise__isnull=True, group__isnull=True)
                    | models.Q(kind="group", group__isnull=False, enterprise__isnull=True, person__isnull=True)
                ),
            ),
            models.UniqueConstraint(fields=["federation", "enterprise"], name="members_membership_one_per_enterprise",
                                    condition=models.Q(enterprise__isnull=False)),
            models.UniqueConstraint(fields=["federation", "person"], name="members_membership_one_per_person",
                                    condition=models.Q(person__isnull=False)),
            models.UniqueConstraint(fields=["federation", "group"], name="members_membership_one_per_group",
                                    condition=models.Q(group__isnull=False)),
            models.UniqueConstraint(fields=["federation", "number"], name="members_membership_unique_number",
                                    condition=~models.Q(number="")),
            models.CheckConstraint(name="members_membership_left_after_joined",
                                   condition=models.Q(left__isnull=True) | models.Q(left__gte=models.F("joined"))),
        ]

    def __str__(self):
        return f"{self.subject_name}（{self.get_kind_display()}）"

    @classmethod
    def from_db(cls, db, field_names, values):
        """Remember the summary days of the loaded membership, so that a save moving one of its dates (or its
        federation or kind) also recomputes the days it leaves (`summaries.membership_written`)."""
        instance = super().from_db(db, field_names, values)
        instance._loaded_member_days = member_days(instance)
        return instance

    @property
    def subject(self):
        return self.enterprise or self.person or self.group

    @property
    def subject_name(self):
        subject = self.subject
        return subject.name if subject is not None else ""


def member_days(membership):
    """The summary rows (`MemberDayStat`) a membership counts in: (federation, kind, day) of its joined, left
    and suspended dates; empty while a field that decides them is not loaded."""
    values = membership.__dict__
    if any(name not in values for name in ("federation_id", "kind", "joined", "left", "suspended_on")):
        return set()
    return {(values["federation_id"], values["kind"], day)
            for day in (values["joined"], values["left"], values["suspended_on"]) if day is not None}


class MemberDayStat(models.Model):
    """The memberships of one federation and kind by day: how many joined, left and were suspended that day,
    and how many began (`entered`) and ended (`ended`) their time in force that day — a membership is in
    force from `joined` until the earlier of `left` and `suspended_on` (`selectors.membership_in_force_q`),
    and one that ends on or before the day it joined never is. The members in force on D are then
    Σ entered − Σ ended over the days up to D, and the year figures of 会员统计 and 工作台 read a few
    thousand rows (bounded by the calendar: days × kinds) instead of every membership.
    Derived data: `summaries.refresh` recomputes a row from the memberships (never +1/−1),
    `rebuild_member_stats` all of them."""

    federation = models.ForeignKey("orgs.Federation", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Membership.Kind.choices)
    day = models.DateField()
    joined = models.PositiveIntegerField(default=0)
    left = models.PositiveIntegerField(default=0)
    suspended = models.PositiveIntegerField(default=0)
    entered = models.PositiveIntegerField(default=0)
    ended = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "会员日统计"
        verbose_name_plural = "会员日统计"
        constraints = [models.UniqueConstraint(fields=["federation", "kind", "day"], name="members_day_stat_unique")]
        # The figures read a federation's rows up to a day; the counts ride along in the index.
        indexes = [models.Index(fields=["federation", "day", "kind", "entered", "ended", "joined", "left",
                                        "suspended"], name="member_day_stat_figures")]

    def __str__(self):
        return f"{self.day} {self.get_kind_display()}：入会 {self.joined}，退会 {self.left}，暂停 {self.suspended}"


class DuesRecord(models.Model):
    """会费: one payment of one membership for one year."""

    membership = models.ForeignKey(Membership, verbose_name="会员", on_delete=models.CASCADE, related_name="dues")
    year = models.PositiveSmallIntegerField("年度")
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    paid_on = models.DateField("缴纳日期")
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "会费记录"
        verbose_name_plural = "会费记录"
        ordering = ["-year", "-paid_on"]
        constraints = [models.UniqueConstraint(fields=["membership", "year"], name="members_dues_one_per_year")]

    def __str__(self):
        return f"{self.membership} {self.year}年 {self.amount}元"


class DuplicateCandidate(models.Model):
    """A pair of registry records that look like one body twice (查重): the same credit code after
    normalisation, similar names, the same mobile. Found by `members.duplicates`, reviewed by staff: merged
    (`members.merging`: the pair stays, 已合并, linked from its MergeRecord; its absorbed side is empty, that record
    being gone) or dismissed (not the same; never proposed again). `first` is the older record."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", "企业"
        PERSON = "person", "人士"

    class Status(models.TextChoices):
        OPEN = "open", "待处理"
        MERGED = "merged", "已合并"
        DISMISSED = "dismissed", "非重复"

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.CASCADE,
                                   related_name="duplicate_candidates")
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    first_enterprise = models.ForeignKey(Enterprise, null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="+", verbose_name="企业一")
    second_enterprise = models.ForeignKey(Enterprise, null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="+", verbose_name="企业二")
    first_person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                     verbose_name="人士一")
    second_person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                      verbose_name="人士二")
    reasons = models.JSONField("疑似原因", default=list)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.OPEN)
    found_at = models.DateTimeField("发现时间", auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="处理人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "疑似重复"
        verbose_name_plural = "疑似重复"
        ordering = ["-found_at", "-id"]
        constraints = [
            # an open or dismissed pair names its two records; a merged pair keeps the one kept (the absorbed
            # record is gone: its id and name are in the pair's MergeRecord)
            models.CheckConstraint(
                name="members_duplicate_pair_matches_kind",
                condition=(models.Q(kind="enterprise", first_person__isnull=True, second_person__isnull=True)
                           & (models.Q(status="merged")
                              | models.Q(first_enterprise__isnull=False, second_enterprise__isnull=False))
                           | models.Q(kind="person", first_enterprise__isnull=True, second_enterprise__isnull=True)
                           & (models.Q(status="merged")
                              | models.Q(first_person__isnull=False, second_person__isnull=False)))),
            models.UniqueConstraint(fields=["first_enterprise", "second_enterprise"], name="members_duplicate_ent_pair",
                                    condition=models.Q(kind="enterprise")),
            models.UniqueConstraint(fields=["first_person", "second_person"], name="members_duplicate_person_pair",
                                    condition=models.Q(kind="person")),
        ]

    def __str__(self):
        return f"{self.first} ≈ {self.second}"

    @property
    def first(self):
        return self.first_enterprise if self.kind == self.Kind.ENTERPRISE else self.first_person

    @property
    def second(self):
        return self.second_enterprise if self.kind == self.Kind.ENTERPRISE else self.second_person


class MergeRecord(models.Model):
    """One merge of a duplicate into the record kept, explained afterwards: the absorbed record as it was, every
    related row moved (table → ids) and every row folded into an equal one the kept record already had. The
    absorbed record's id is kept here; its row is gone."""

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="merge_records")
    kind = models.CharField("类型", max_length=16, choices=DuplicateCandidate.Kind.choices)
    kept_enterprise = models.ForeignKey(Enterprise, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="merges_absorbed", verbose_name="保留企业")
    kept_person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="merges_absorbed", verbose_name="保留人士")
    absorbed_id = models.PositiveBigIntegerField("被合并记录编号")
    absorbed_name = models.CharField("被合并记录名称", max_length=200)
    absorbed_snapshot = models.JSONField("被合并记录原始内容")
    moved = models.JSONField("迁移的关联记录", default=dict)
    folded = models.JSONField("合并的重复关联记录", default=dict)
    reason = models.CharField("合并理由", max_length=300)
    candidate = models.ForeignKey(DuplicateCandidate, verbose_name="疑似重复", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="merges")
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="合并人", on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField("合并时间", auto_now_add=True)

    class Meta:
        verbose_name = "合并记录"
        verbose_name_plural = "合并记录"
        ordering = ["-merged_at", "-id"]

    def __str__(self):
        return f"{self.absorbed_name} → {self.kept_enterprise or self.kept_person}"
