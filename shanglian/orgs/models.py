from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import connection, models
from django.db.models import Q
from django.urls import reverse

from shanglian.common.validators import validate_uscc

region_code_validator = RegexValidator(r"^\d{6}$", "行政区划代码应为 6 位数字（GB/T 2260）。")
street_code_validator = RegexValidator(r"^\d{9}(\d{3})?$", "街道代码应为 9 位或 12 位数字。")
village_code_validator = RegexValidator(r"^\d{12}$", "村的行政区划代码应为 12 位数字（统计用区划代码）。")


def check_dates(start, end, *, field="end", message="结束日期不能早于开始日期。"):
    """The one date rule of the organisation's records: an end, when given, is not before the start."""
    if start and end and end < start:
        raise ValidationError({field: message})


class Federation(models.Model):
    class Level(models.TextChoices):
        NATIONAL = "national", "全国"
        PROVINCE = "province", "省级"
        CITY = "city", "市级"
        COUNTY = "county", "区县级"

    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=50, blank=True)
    level = models.CharField("层级", max_length=16, choices=Level.choices)
    region_code = models.CharField("行政区划代码", max_length=6, validators=[region_code_validator])
    parent = models.ForeignKey("self", verbose_name="上级工商联", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    # 商会覆盖率's measure (DESIGN §4): an industry (GB/T 4754 大类) counts once at least this many private
    # enterprises of the federation are in it; staff set it with the report targets.
    chamber_coverage_threshold = models.PositiveSmallIntegerField(
        "商会覆盖率口径：行业内民营企业不少于（家）", default=10,
        validators=[MinValueValidator(1), MaxValueValidator(10000)])

    class Meta:
        verbose_name = "工商联"
        verbose_name_plural = "工商联"
        constraints = [models.UniqueConstraint(fields=["region_code", "level"], name="orgs_federation_region_level")]

    def __str__(self):
        return self.name

    def subtree_ids(self):
        """This federation and every federation under it (a city aggregates its districts), level by level: one
        query whatever the depth (a province: its cities and their districts)."""
        table = connection.ops.quote_name(self._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH RECURSIVE tree(id, depth) AS (SELECT id, 0 FROM {table} WHERE id = %s "  # noqa: S608
                f"UNION ALL SELECT f.id, t.depth + 1 FROM {table} f JOIN tree t ON f.parent_id = t.id) "
                "SELECT id FROM tree ORDER BY depth, id", [self.pk])
            return [row[0] for row in cursor.fetchall()]


class Street(models.Model):
    federation = models.ForeignKey(Federation, verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="streets")
    name = models.CharField("名称", max_length=50)
    code = models.CharField("街道代码", max_length=12, validators=[street_code_validator], unique=True,
                            error_messages={"unique": "该街道代码已被其他街道（镇）使用。"})
    is_town = models.BooleanField("镇", default=False, help_text="镇或街道")

    class Meta:
        verbose_name = "街道（镇）"
        verbose_name_plural = "街道（镇）"
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["federation", "name"], name="orgs_street_unique_name",
                                               violation_error_message="本工商联已有同名的街道（镇）。")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("orgs:street_detail", args=[self.pk])


class Chamber(models.Model):
    class Kind(models.TextChoices):
        STREET = "street", "街道（镇）商会"
        INDUSTRY = "industry", "行业商会"
        NONLOCAL = "nonlocal", "异地商会"
        BUILDING = "building", "楼宇商会"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        ACTIVE = "active", "正常"
        SUSPENDED = "suspended", "暂停活动"
        DISSOLVED = "dissolved", "已注销"

    federation = models.ForeignKey(Federation, verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="chambers")
    name = models.CharField("商会名称", max_length=100)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    industries = models.ManyToManyField("common.IndustryCode", verbose_name="覆盖行业（大类）", blank=True,
                                        related_name="chambers")
    street = models.ForeignKey(Street, verbose_name="所在街道", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="chambers")
    registration_number = models.CharField("登记证号（统一社会信用代码）", max_length=18, blank=True,
                                           validators=[validate_uscc])
    president = models.CharField("会长", max_length=50, blank=True)
    secretary_general = models.CharField("秘书长", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    address = models.CharField("办公地址", max_length=200, blank=True)
    founded = models.DateField("成立日期", null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        verbose_name = "商会"
        verbose_name_plural = "商会"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["federation", "name"], name="orgs_chamber_unique_name",
                                               violation_error_message="本工商联已有同名的商会。")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("orgs:chamber_detail", args=[self.pk])


class Committee(models.Model):
    federation = models.ForeignKey(Federation, verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="committees")
    name = models.CharField("名称", max_length=100)
    duties = models.TextField("职责", blank=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "专门委员会"
        verbose_name_plural = "专门委员会"
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["federation", "name"], name="orgs_committee_unique_name",
                                               violation_error_message="本工商联已有同名的专门委员会。")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("orgs:committee_detail", args=[self.pk])


class Department(models.Model):
    """A government department that handles appeals (职能部门)."""

    federation = models.ForeignKey(Federation, verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="departments")
    name = models.CharField("部门名称", max_length=100)
    short_name = models.CharField("简称", max_length=30, blank=True)
    contact = models.CharField("联络人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "职能部门"
        verbose_name_plural = "职能部门"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["federation", "name"], name="orgs_department_unique_name",
                                               violation_error_message="本工商联已有同名的职能部门。")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("orgs:department_detail", args=[self.pk])


class Term(models.Model):
    """届次 of the federation (or of one chamber)."""

    federation = models.ForeignKey(Federation, verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="terms")
    chamber = models.ForeignKey(Chamber, verbose_name="商会", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="terms", help_text="留空表示工商联本级届次")
    number = models.PositiveSmallIntegerField("届次")
    start = models.DateField("起始日期")
    end = models.DateField("届满日期", null=True, blank=True)

    class Meta:
        verbose_name = "届次"
        verbose_name_plural = "届次"
        ordering = ["-start"]
        constraints = [
            models.UniqueConstraint(fields=["federation", "number"], condition=Q(chamber__isnull=True),
                                    name="orgs_term_unique_federation_number",
                                    violation_error_message="工商联本级已有这一届。"),
            models.UniqueConstraint(fields=["chamber", "number"], condition=Q(chamber__isnull=False),
                                    name="orgs_term_unique_chamber_number",
                                    violation_error_message="该商会已有这一届。"),
        ]

    def __str__(self):
        owner = self.chamber.name if self.chamber_id else self.federation.name
        return f"{owner}第{self.number}届"

    def get_absolute_url(self):
        return reverse("orgs:term_detail", args=[self.pk])

    def clean(self):
        check_dates(self.start, self.end, message="届满日期不能早于起始日期。")
        if self.chamber_id and self.federation_id and self.chamber.federation_id != self.federation_id:
            raise ValidationError({"chamber": "商会不属于该届次的工商联。"})


class Position(models.Model):
    class Title(models.TextChoices):
        CHAIRMAN = "chairman", "主席"
        VICE_CHAIRMAN = "vice_chairman", "副主席"
        STANDING = "standing", "常委"
        EXECUTIVE = "executive", "执委"
        PRESIDENT = "president", "会长"
        VICE_PRESIDENT = "vice_president", "副会长"
        SECRETARY_GENERAL = "secretary_general", "秘书长"
        DIRECTOR = "director", "理事"
        COMMITTEE_DIRECTOR = "committee_director", "专委会主任"
        COMMITTEE_MEMBER = "committee_member", "专委会委员"

    term = models.ForeignKey(Term, verbose_name="届次", on_delete=models.CASCADE, related_name="positions")
    person = models.ForeignKey("members.Person", verbose_name="人员", on_delete=models.PROTECT,
                               related_name="positions")
    title = models.CharField("职务", max_length=32, choices=Title.choices)
    committee = models.ForeignKey(Committee, verbose_name="专门委员会", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="positions")
    start = models.DateField("任职日期", null=True, blank=True)
    end = models.DateField("离任日期", null=True, blank=True)

    class Meta:
        verbose_name = "职务"
        verbose_name_plural = "职务"
        ordering = ["id"]

    def __str__(self):
        return f"{self.person}（{self.term}{self.get_title_display()}）"

    def get_absolute_url(self):
        return reverse("orgs:term_detail", args=[self.term_id])

    def clean(self):
        check_dates(self.start, self.end, message="离任日期不能早于任职日期。")
        if self.term_id and self.start and self.term.end and self.start > self.term.end:
            raise ValidationError({"start": "任职日期不能晚于届满日期。"})
        if self.committee_id and self.term_id and self.committee.federation_id != self.term.federation_id:
            raise ValidationError({"committee": "专门委员会不属于该届次的工商联。"})


class Village(models.Model):
    """帮扶村: a village the federation pairs enterprises and chambers with."""

    federation = models.ForeignKey(Federation, verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="villages")
    name = models.CharField("村名", max_length=100)
    county = models.CharField("所在县（区）", max_length=50, blank=True)
    region_code = models.CharField("行政区划代码", max_length=12, blank=True, validators=[village_code_validator])
    is_target = models.BooleanField("帮扶对象", default=True, help_text="是否纳入结对帮扶目标")

    class Meta:
        verbose_name = "帮扶村"
        verbose_name_plural = "帮扶村"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["federation", "county", "name"], name="orgs_village_unique_name",
                                               violation_error_message="本工商联在该县（区）已有同名的帮扶村。")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("orgs:village_detail", args=[self.pk])
