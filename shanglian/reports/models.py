"""统计报告: what the reports app keeps of its own. Every figure it shows is computed by the app that owns the
records (`<app>/figures.py`, the registry of `shanglian.ui.figures`); kept here are only what no record of the
platform holds:

- `ExternalIndicator` / `ExternalValue`: 外部指标 — figures that come from outside (统计局: 民营经济增加值;
  市场监管: 市场主体, 注册资本 …), entered or imported by staff per federation and period, each value with its
  source. They are shown as such ("外部数据 · 来源"), never mixed with the computed ones.
- `FigureTarget`: a target for a figure in a year (商会覆盖率 ≥ 60 %, 会员年增长 ≥ 10 %) and its direction.
- `ReportTemplate`: the Word template of the annual work report a federation uses instead of the shipped one.
- `ReportRun`: one generation of the annual work report (docx + xlsx), run in the background with its progress.
- `KeptBoard`: the last computation of a 领导驾驶舱 that takes too long to compute on each visit (a city's, a
  province's), served until the background recomputes it (`reports.boards`). Derived data, never edited.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from shanglian.common.models import StoredFile

FIRST_YEAR, LAST_YEAR = 1950, 2999


class PeriodKind(models.TextChoices):
    YEAR = "year", "年度"
    QUARTER = "quarter", "季度"
    MONTH = "month", "月度"


class ExternalIndicator(models.Model):
    """外部指标: a figure the platform holds no records for. `code` names it in the figure keys
    ("external.<code>"); the shipped ones are created by the data migration, staff may add others."""

    code = models.SlugField("指标代码", max_length=60, unique=True,
                            error_messages={"unique": "该指标代码已被使用。"})
    name = models.CharField("指标名称", max_length=60)
    unit = models.CharField("单位", max_length=12)
    definition = models.CharField("口径", max_length=300)
    source = models.CharField("默认数据来源", max_length=60, help_text="如 区统计局、区市场监管局")
    order = models.PositiveSmallIntegerField("排序", default=100)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "外部指标"
        verbose_name_plural = "外部指标"
        ordering = ["order", "id"]

    def __str__(self):
        return self.name

    @property
    def key(self):
        return f"external.{self.code}"


class ExternalValue(models.Model):
    """One value of an external indicator for a federation and a period (a year, a quarter or a month), with
    where it comes from. `number` is the quarter (1–4) or month (1–12); 0 for a year."""

    indicator = models.ForeignKey(ExternalIndicator, verbose_name="指标", on_delete=models.PROTECT,
                                  related_name="values")
    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="+")
    period_kind = models.CharField("期间类型", max_length=8, choices=PeriodKind.choices, default=PeriodKind.YEAR)
    year = models.PositiveSmallIntegerField("年份", validators=[MinValueValidator(FIRST_YEAR),
                                                                MaxValueValidator(LAST_YEAR)])
    number = models.PositiveSmallIntegerField("季度/月份", default=0, validators=[MaxValueValidator(12)])
    value = models.DecimalField("数值", max_digits=20, decimal_places=4)
    source = models.CharField("数据来源", max_length=60)
    note = models.CharField("备注", max_length=200, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField("录入时间", auto_now=True)

    class Meta:
        verbose_name = "外部指标数值"
        verbose_name_plural = "外部指标数值"
        ordering = ["indicator__order", "indicator_id", "-year", "period_kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "federation", "period_kind", "year", "number"],
                                    name="reports_external_value_period",
                                    violation_error_message="该指标在该期间已有数值，请修改原数值。"),
        ]

    def __str__(self):
        return f"{self.indicator} {self.year}"


class FigureTarget(models.Model):
    """A federation's target for a figure in a year: `key` is a registered figure ("members.growth_rate") or an
    external one ("external.<code>"); at least (≥) or at most (≤) `value`."""

    class Direction(models.TextChoices):
        AT_LEAST = "min", "不低于"
        AT_MOST = "max", "不高于"

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="+")
    key = models.CharField("指标", max_length=80)
    year = models.PositiveSmallIntegerField("年份", validators=[MinValueValidator(FIRST_YEAR),
                                                                MaxValueValidator(LAST_YEAR)])
    direction = models.CharField("方向", max_length=4, choices=Direction.choices, default=Direction.AT_LEAST)
    value = models.DecimalField("目标值", max_digits=20, decimal_places=4)
    note = models.CharField("说明", max_length=200, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="设置人", null=True,
                               on_delete=models.SET_NULL, related_name="+")
    set_at = models.DateTimeField("设置时间", auto_now=True)

    class Meta:
        verbose_name = "指标目标"
        verbose_name_plural = "指标目标"
        ordering = ["-year", "key"]
        constraints = [
            models.UniqueConstraint(fields=["federation", "key", "year"], name="reports_target_key_year",
                                    violation_error_message="该指标在该年度已有目标，请修改原目标。"),
        ]

    def __str__(self):
        return f"{self.key} {self.year} {self.get_direction_display()}{self.value}"


class ReportTemplate(StoredFile):
    """The Word template (docxtpl) a federation's annual work report is written with instead of the shipped one
    (`reports/data/annual_report_template.docx`); the newest uploaded is in use."""

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="+")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta(StoredFile.Meta):
        verbose_name = "年度报告模板"
        verbose_name_plural = "年度报告模板"


class ReportRun(models.Model):
    """One generation of the annual work report of a federation for a year: queued, running with its progress,
    done with its Word and Excel files, or failed with the reason."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    federation = models.ForeignKey("orgs.Federation", verbose_name="所属工商联", on_delete=models.PROTECT,
                                   related_name="+")
    year = models.PositiveSmallIntegerField("年度", validators=[MinValueValidator(FIRST_YEAR),
                                                                MaxValueValidator(LAST_YEAR)])
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0, validators=[MaxValueValidator(100)])
    step = models.CharField("当前步骤", max_length=100, blank=True)
    template = models.ForeignKey(ReportTemplate, verbose_name="模板", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    docx_name = models.CharField("Word 文件", max_length=64, blank=True)  # stored under MEDIA_ROOT/reports/
    xlsx_name = models.CharField("Excel 文件", max_length=64, blank=True)
    error = models.CharField("失败原因", max_length=500, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "年度报告生成记录"
        verbose_name_plural = "年度报告生成记录"
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"{self.federation} {self.year}年度工作报告"


class KeptBoard(models.Model):
    """A 领导驾驶舱 as last computed for everyone of one role and federation looking at one federation in one
    period (`key`): what its page shows (`payload`, `reports.boards.frozen`), when and in how long it was computed,
    and whether a recomputation is queued. Kept only for boards slower to compute than
    `SHANGLIAN_BOARD_LIVE_SECONDS`; the others are computed on each visit."""

    ROLLING = "ytd"  # `period` of the default board: the year to date, moving with the day

    key = models.CharField("键", max_length=120, unique=True)
    federation = models.ForeignKey("orgs.Federation", verbose_name="看板的工商联", on_delete=models.CASCADE,
                                   related_name="+")
    viewer_federation = models.ForeignKey("orgs.Federation", verbose_name="查看者所在工商联",
                                          on_delete=models.CASCADE, related_name="+")
    role = models.CharField("查看者角色", max_length=32)
    period = models.CharField("统计期间", max_length=40)  # ROLLING, or "<kind>:<start>:<end>"
    built_for = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="计算时的查看者", null=True,
                                  on_delete=models.SET_NULL, related_name="+")
    payload = models.JSONField("看板内容", encoder=DjangoJSONEncoder)
    built_at = models.DateTimeField("计算时间")
    build_ms = models.PositiveIntegerField("计算耗时（毫秒）")
    refresh_queued_at = models.DateTimeField("重算排队时间", null=True, blank=True)
    viewed_at = models.DateTimeField("最近查看时间")

    class Meta:
        verbose_name = "驾驶舱计算结果"
        verbose_name_plural = "驾驶舱计算结果"

    def __str__(self):
        return f"{self.key} @ {self.built_at:%Y-%m-%d %H:%M}"
