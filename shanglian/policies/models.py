"""惠企政策: the policy library, its structured eligibility, pushes to matched enterprises and their reads.

Eligibility is stored so that matching runs in the database both ways (see `matching.py`):
industries as `PolicyIndustry` rows (a GB/T 4754 prefix: section letter, or 2/3/4 digits), the
enumerations (sizes, enterprise types, streets) as delimited text `,a,b,` (empty = any), ranges as
nullable bounds.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from shanglian.common.models import StoredFile


def delimited(values):
    """[a, b] → ",a,b," (the stored form of an enumeration; "" means any)."""
    values = [str(v).strip() for v in values if str(v).strip()]
    return f",{','.join(values)}," if values else ""


def undelimited(text):
    return [v for v in (text or "").split(",") if v]


# --- The one definition of a policy's status on a day ---------------------------------------------
# A policy is live on a day when it is published and its expiry date has not passed: a policy expiring
# on that day still applies that day; one without an expiry date never expires. A published policy past
# its expiry date reads 已失效 at once, before the nightly sweep (`services.expire_policies`) marks it.
def live_q(on=None):
    """A filter on Policy: live on `on` (today by default)."""
    on = on or timezone.localdate()
    return Q(status=Policy.Status.PUBLISHED) & (Q(expires_on__isnull=True) | Q(expires_on__gte=on))


def past_expiry_q(on=None):
    """A filter on Policy: its expiry date is before `on` (whatever its status)."""
    return Q(expires_on__lt=on or timezone.localdate())


def expired_q(on=None):
    """A filter on Policy: reads 已失效 on `on` — marked expired, or published and past its expiry date."""
    return Q(status=Policy.Status.EXPIRED) | (Q(status=Policy.Status.PUBLISHED) & past_expiry_q(on))


class PolicyQuerySet(models.QuerySet):
    def live(self, on=None):
        """Published and not past the expiry date on `on` (what enterprises are shown and sent)."""
        return self.filter(live_q(on))

    def expired(self, on=None):
        """已失效 on `on`, whether or not the nightly sweep has marked them yet."""
        return self.filter(expired_q(on))

    def past_expiry(self, on=None):
        """Their expiry date is before `on`, whatever their status."""
        return self.filter(past_expiry_q(on))


class Policy(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"
        EXPIRED = "expired", "已失效"

    federation = models.ForeignKey("orgs.Federation", verbose_name="工商联", on_delete=models.PROTECT,
                                   related_name="policies")
    title = models.CharField("政策名称", max_length=200)
    department = models.ForeignKey("orgs.Department", verbose_name="发布部门", on_delete=models.PROTECT,
                                   related_name="policies")
    document_number = models.CharField("文号", max_length=100, blank=True, db_index=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    effective_from = models.DateField("生效日期", null=True, blank=True)
    expires_on = models.DateField("失效日期", null=True, blank=True, db_index=True)
    summary = models.TextField("政策摘要", max_length=2000, blank=True)
    full_text = models.TextField("政策全文", blank=True)
    benefit_type = models.ForeignKey("common.DictItem", verbose_name="惠企类型", on_delete=models.PROTECT,
                                     related_name="+", limit_choices_to={"kind": "benefit_type"})
    application_method = models.TextField("申报方式", max_length=2000, blank=True)
    contact = models.CharField("咨询电话/联系人", max_length=200, blank=True)
    is_automatic = models.BooleanField("免申即享", default=False)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)

    # Eligibility (empty = no condition).
    sizes = models.CharField("企业规模", max_length=60, blank=True)
    enterprise_types = models.CharField("企业类型", max_length=200, blank=True)
    streets = models.CharField("所在街道", max_length=500, blank=True)
    high_tech_required = models.BooleanField("限高新技术企业", default=False)
    min_employees = models.PositiveIntegerField("从业人数下限", null=True, blank=True)
    max_employees = models.PositiveIntegerField("从业人数上限", null=True, blank=True)
    min_registered_years = models.PositiveSmallIntegerField("成立年限下限（年）", null=True, blank=True)
    max_registered_years = models.PositiveSmallIntegerField("成立年限上限（年）", null=True, blank=True)
    members_only = models.BooleanField("限工商联会员", default=False)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    pushed_at = models.DateTimeField("推送时间", null=True, blank=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        verbose_name = "惠企政策"
        verbose_name_plural = "惠企政策"
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["federation", "status", "expires_on"], name="policy_fed_status_expiry")]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_employees__isnull=True) | Q(max_employees__isnull=True)
                | Q(min_employees__lte=models.F("max_employees")), name="policies_employee_range"),
            models.CheckConstraint(
                condition=Q(min_registered_years__isnull=True) | Q(max_registered_years__isnull=True)
                | Q(min_registered_years__lte=models.F("max_registered_years")), name="policies_years_range"),
            models.CheckConstraint(
                condition=Q(effective_from__isnull=True) | Q(expires_on__isnull=True)
                | Q(effective_from__lte=models.F("expires_on")), name="policies_dates_order"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("policies:detail", args=[self.pk])

    def is_past_expiry(self, on=None):
        """Its expiry date is before `on` (today by default), whatever its status."""
        return self.expires_on is not None and self.expires_on < (on or timezone.localdate())

    def is_live(self, on=None):
        """Published and not past its expiry date on `on` (the row-level twin of `live_q`)."""
        return self.status == self.Status.PUBLISHED and not self.is_past_expiry(on)

    def status_on(self, on=None):
        """The status as people read it on `on`: a published policy past its expiry date is 已失效 even
        before the nightly sweep has marked it (the row-level twin of `expired_q`)."""
        if self.status == self.Status.PUBLISHED and self.is_past_expiry(on):
            return self.Status.EXPIRED
        return self.Status(self.status)

    @property
    def size_list(self):
        return undelimited(self.sizes)

    @property
    def enterprise_type_list(self):
        return undelimited(self.enterprise_types)

    @property
    def street_ids(self):
        return [int(v) for v in undelimited(self.streets)]


class PolicyIndustry(models.Model):
    """One industry condition: enterprises whose GB/T 4754 class starts with `prefix` (2–4 digits),
    or lies in the section `prefix` (one letter A–T)."""

    policy = models.ForeignKey(Policy, verbose_name="政策", on_delete=models.CASCADE, related_name="industries")
    prefix = models.CharField("行业代码", max_length=4)

    class Meta:
        verbose_name = "适用行业"
        verbose_name_plural = "适用行业"
        constraints = [models.UniqueConstraint(fields=["policy", "prefix"], name="policies_industry_unique")]
        indexes = [models.Index(fields=["prefix", "policy"], name="policy_industry_prefix")]

    def __str__(self):
        return self.prefix


class PolicyPackage(models.Model):
    """服务包: policies grouped for one kind of enterprise or one theme (e.g. 专精特新服务包)."""

    federation = models.ForeignKey("orgs.Federation", verbose_name="工商联", on_delete=models.PROTECT,
                                   related_name="policy_packages")
    name = models.CharField("服务包名称", max_length=100)
    description = models.TextField("说明", blank=True)
    policies = models.ManyToManyField(Policy, verbose_name="政策", related_name="packages", blank=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "政策服务包"
        verbose_name_plural = "政策服务包"
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["federation", "name"], name="policies_package_unique")]

    def __str__(self):
        return self.name


class PolicyAttachment(StoredFile):
    policy = models.ForeignKey(Policy, verbose_name="政策", on_delete=models.CASCADE, related_name="attachments")

    class Meta(StoredFile.Meta):
        verbose_name = "政策附件"
        verbose_name_plural = "政策附件"


class PolicyDelivery(models.Model):
    """A policy pushed to one enterprise (推送), and when someone of that enterprise read it."""

    policy = models.ForeignKey(Policy, verbose_name="政策", on_delete=models.CASCADE, related_name="deliveries")
    enterprise = models.ForeignKey("members.Enterprise", verbose_name="企业", on_delete=models.CASCADE,
                                   related_name="policy_deliveries")
    pushed_at = models.DateTimeField("推送时间")
    pushed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="推送人", null=True,
                                  on_delete=models.SET_NULL, related_name="+")
    read_at = models.DateTimeField("首次阅读时间", null=True, blank=True)
    read_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="阅读人", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "政策推送"
        verbose_name_plural = "政策推送"
        constraints = [models.UniqueConstraint(fields=["policy", "enterprise"], name="policies_delivery_unique")]
        indexes = [
            models.Index(fields=["enterprise", "policy"], name="delivery_enterprise"),
            # The push figures (figures.py) of a federation's policies in a period, from the index alone.
            models.Index(fields=["policy", "pushed_at", "read_at"], name="delivery_policy_pushed"),
        ]

    def __str__(self):
        return f"{self.policy} → {self.enterprise}"

    @classmethod
    def from_db(cls, db, field_names, values):
        """Remember the push-day bucket of the loaded delivery, so that a save moving it (another policy or
        push time) also recomputes the bucket it leaves (`summaries.delivery_written`)."""
        instance = super().from_db(db, field_names, values)
        instance._loaded_push_key = push_key(instance)
        return instance


def push_key(delivery):
    """What places a delivery in the push-day summary (`PolicyPushDay`): (policy, pushed_at), None for a
    field not loaded."""
    values = delivery.__dict__
    return values.get("policy_id"), values.get("pushed_at")


class PolicyPushDay(models.Model):
    """The pushes of one policy on one local day (Asia/Shanghai) and how many of them have been read:
    the 政策推送 and 推送已读率 figures (`figures.py`) summed over a period without walking the deliveries.
    Derived data: `summaries.refresh` recomputes a row from the deliveries (never +1/−1),
    `rebuild_policy_stats` all of them."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    pushed = models.PositiveIntegerField(default=0)
    read = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "政策推送日统计"
        verbose_name_plural = "政策推送日统计"
        constraints = [models.UniqueConstraint(fields=["policy", "day"], name="policies_push_day_unique")]

    def __str__(self):
        return f"{self.policy_id} {self.day}: {self.pushed}/{self.read}"
