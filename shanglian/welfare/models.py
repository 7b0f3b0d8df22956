"""光彩公益: pairings (结对帮扶: an enterprise or a chamber ↔ a village, 万企帮万村), campaigns (春芽基金, 疫情防控,
助学 … with targets) and donations (捐款捐物: cash in yuan and goods with their valuation, a donor, a recipient, a
proof and a certificate).

Money is `Decimal` yuan to the fen (`MONEY`: 14 digits, 2 places), never a float; the statistics show 万元. A
donation is cash, goods or both: it has a positive cash amount or a positive goods valuation, and goods have a
description and a valuation together (checked in `Donation.clean` and again by the database).

Every row carries its federation; `chamber` is the chamber a record belongs to (a chamber secretary's scope): a
donation organised by or through the chamber, a pairing made by the chamber or one of its member enterprises.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from shanglian.common.models import StoredFile

MONEY = {"max_digits": 14, "decimal_places": 2}
ZERO = Decimal("0.00")


def check_period(start, end, message="结束日期不能早于开始日期。"):
    if start and end and end < start:
        raise ValidationError({"end": message})


class Campaign(models.Model):
    """A giving campaign or fund (春芽基金, 抗疫捐款, 助学 …): its kind is the dictionary `welfare_campaign_kind`;
    a campaign of the federation (chamber empty) or of one chamber."""

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="welfare_campaigns")
    chamber = models.ForeignKey("orgs.Chamber", verbose_name="发起商会", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="welfare_campaigns",
                                help_text="留空表示工商联发起")
    name = models.CharField("项目名称", max_length=100)
    kind = models.ForeignKey("common.DictItem", verbose_name="项目类别", on_delete=models.PROTECT, related_name="+",
                             limit_choices_to={"kind": "welfare_campaign_kind"})
    start = models.DateField("开始日期")
    end = models.DateField("结束日期", null=True, blank=True, help_text="留空表示长期")
    target_amount = models.DecimalField("目标金额（元）", null=True, blank=True, **MONEY)
    target_note = models.CharField("目标说明", max_length=200, blank=True, help_text="例如：资助困难学生200名")
    description = models.TextField("项目说明", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "公益项目"
        verbose_name_plural = "公益项目"
        ordering = ["-start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                                   name="welfare_campaign_end_after_start",
                                   violation_error_message="结束日期不能早于开始日期。"),
            models.CheckConstraint(condition=Q(target_amount__isnull=True) | Q(target_amount__gt=0),
                                   name="welfare_campaign_target_positive",
                                   violation_error_message="目标金额必须大于0。"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("welfare:campaign", args=[self.pk])

    def clean(self):
        check_period(self.start, self.end)


class Pairing(models.Model):
    """结对帮扶: an enterprise or a chamber (exactly one) paired with a village for a period, of one kind, with
    what it committed and what it delivered."""

    class Kind(models.TextChoices):
        INDUSTRY = "industry", "产业帮扶"
        EMPLOYMENT = "employment", "就业帮扶"
        CONSUMPTION = "consumption", "消费帮扶"
        EDUCATION = "education", "助学帮扶"
        CHARITY = "charity", "公益帮扶"

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="pairings")
    village = models.ForeignKey("orgs.Village", verbose_name="结对村", on_delete=models.PROTECT,
                                related_name="pairings")
    enterprise = models.ForeignKey("members.Enterprise", verbose_name="帮扶企业", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="pairings")
    chamber = models.ForeignKey("orgs.Chamber", verbose_name="帮扶商会", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="pairings")
    kind = models.CharField("帮扶类型", max_length=16, choices=Kind.choices)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期", null=True, blank=True, help_text="留空表示仍在帮扶")
    commitment = models.TextField("帮扶承诺", blank=True)
    committed_amount = models.DecimalField("承诺投入（元）", null=True, blank=True, **MONEY)
    delivered = models.TextField("落实情况", blank=True)
    delivered_amount = models.DecimalField("已投入（元）", null=True, blank=True, **MONEY)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "结对帮扶"
        verbose_name_plural = "结对帮扶"
        ordering = ["-start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                                   name="welfare_pairing_end_after_start",
                                   violation_error_message="结束日期不能早于开始日期。"),
            models.CheckConstraint(condition=Q(enterprise__isnull=True, chamber__isnull=False)
                                   | Q(enterprise__isnull=False, chamber__isnull=True),
                                   name="welfare_pairing_one_partner",
                                   violation_error_message="请在帮扶企业与帮扶商会中选择其一。"),
            models.CheckConstraint(condition=(Q(committed_amount__isnull=True) | Q(committed_amount__gte=0))
                                   & (Q(delivered_amount__isnull=True) | Q(delivered_amount__gte=0)),
                                   name="welfare_pairing_amounts_not_negative",
                                   violation_error_message="金额不能为负数。"),
        ]

    def __str__(self):
        return f"{self.partner}↔{self.village}（{self.get_kind_display()}）"

    def get_absolute_url(self):
        return reverse("welfare:pairing", args=[self.pk])

    @property
    def partner(self):
        return self.enterprise if self.enterprise_id else self.chamber

    def in_force_on(self, day):
        return self.start <= day and (self.end is None or self.end >= day)

    def clean(self):
        check_period(self.start, self.end)
        if bool(self.enterprise_id) == bool(self.chamber_id):
            raise ValidationError("请在帮扶企业与帮扶商会中选择其一。")


def pairing_in_force_q(on, prefix=""):
    """The one definition of 'a pairing in force on a day'."""
    p = prefix
    return Q(**{f"{p}start__lte": on}) & (Q(**{f"{p}end__isnull": True}) | Q(**{f"{p}end__gte": on}))


class Donation(models.Model):
    """捐款捐物: one gift of a donor (an enterprise, a person or a chamber — exactly one) of cash, goods or both,
    on a day, to a recipient (a village, or named in text), perhaps for a campaign. `number` is the
    certificate's number (common.numbering, JZ + date + sequence); `receipt_number` the recipient's
    公益事业捐赠票据 number when one was issued."""

    class DonorKind(models.TextChoices):
        ENTERPRISE = "enterprise", "企业"
        PERSON = "person", "个人"
        CHAMBER = "chamber", "商会"

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="donations")
    number = models.CharField("证书编号", max_length=20, unique=True)
    donor_kind = models.CharField("捐赠方类型", max_length=16, choices=DonorKind.choices)
    donor_enterprise = models.ForeignKey("members.Enterprise", verbose_name="捐赠企业", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="donations")
    donor_person = models.ForeignKey("members.Person", verbose_name="捐赠人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="donations")
    donor_chamber = models.ForeignKey("orgs.Chamber", verbose_name="捐赠商会", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="donations_given")
    chamber = models.ForeignKey("orgs.Chamber", verbose_name="组织商会", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="donations",
                                help_text="经由哪个商会组织（商会秘书处可见、可录入本商会的捐赠）")
    campaign = models.ForeignKey(Campaign, verbose_name="公益项目", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="donations")
    donated_on = models.DateField("捐赠日期")
    cash = models.DecimalField("捐款金额（元）", default=ZERO, **MONEY)
    goods_description = models.CharField("捐赠物资", max_length=200, blank=True)
    goods_value = models.DecimalField("物资折价（元）", default=ZERO, **MONEY)
    recipient_village = models.ForeignKey("orgs.Village", verbose_name="受赠村", null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="donations")
    recipient = models.CharField("受赠方", max_length=100, blank=True, help_text="受赠单位或对象（受赠村以外）")
    receipt_number = models.CharField("捐赠票据号", max_length=40, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "捐赠"
        verbose_name_plural = "捐赠"
        ordering = ["-donated_on", "-id"]
        indexes = [models.Index(fields=["federation", "donated_on"], name="welfare_donation_fed_day")]
        constraints = [
            models.CheckConstraint(condition=Q(cash__gte=0) & Q(goods_value__gte=0),
                                   name="welfare_donation_not_negative",
                                   violation_error_message="金额不能为负数。"),
            models.CheckConstraint(condition=Q(cash__gt=0) | Q(goods_value__gt=0),
                                   name="welfare_donation_something_given",
                                   violation_error_message="请填写捐款金额或物资折价（至少一项大于0）。"),
            models.CheckConstraint(condition=(Q(goods_value=0) & Q(goods_description=""))
                                   | (Q(goods_value__gt=0) & ~Q(goods_description="")),
                                   name="welfare_donation_goods_described_and_valued",
                                   violation_error_message="捐赠物资须同时填写物资名称和折价金额。"),
            models.CheckConstraint(
                condition=Q(donor_kind="enterprise", donor_enterprise__isnull=False, donor_person__isnull=True,
                            donor_chamber__isnull=True)
                | Q(donor_kind="person", donor_enterprise__isnull=True, donor_person__isnull=False,
                    donor_chamber__isnull=True)
                | Q(donor_kind="chamber", donor_enterprise__isnull=True, donor_person__isnull=True,
                    donor_chamber__isnull=False),
                name="welfare_donation_one_donor", violation_error_message="请选择一个与捐赠方类型一致的捐赠方。"),
        ]

    def __str__(self):
        return f"{self.number} {self.donor}"

    def get_absolute_url(self):
        return reverse("welfare:donation", args=[self.pk])

    @property
    def donor(self):
        return {self.DonorKind.ENTERPRISE: self.donor_enterprise, self.DonorKind.PERSON: self.donor_person,
                self.DonorKind.CHAMBER: self.donor_chamber}.get(self.donor_kind)

    @property
    def total(self):
        return (self.cash or ZERO) + (self.goods_value or ZERO)

    @property
    def recipient_display(self):
        return str(self.recipient_village) if self.recipient_village_id else self.recipient

    def clean(self):
        errors = {}
        cash, goods = self.cash or ZERO, self.goods_value or ZERO
        if cash < 0:
            errors["cash"] = "捐款金额不能为负数。"
        if goods < 0:
            errors["goods_value"] = "物资折价不能为负数。"
        if goods > 0 and not self.goods_description.strip():
            errors["goods_description"] = "填写了物资折价，请写明捐赠的物资。"
        if self.goods_description.strip() and goods <= 0:
            errors["goods_value"] = "填写了捐赠物资，请填写物资折价金额。"
        if not errors and cash <= 0 and goods <= 0:
            errors["cash"] = "请填写捐款金额或物资折价（至少一项大于0）。"
        if errors:
            raise ValidationError(errors)


class DonationProof(StoredFile):
    """A donation's proof (转账凭证, 捐赠票据, 接收证明, 照片), kept by `common.uploads` under "welfare"."""

    donation = models.ForeignKey(Donation, verbose_name="捐赠", on_delete=models.CASCADE, related_name="proofs")

    class Meta(StoredFile.Meta):
        verbose_name = "捐赠凭证"
        verbose_name_plural = "捐赠凭证"
