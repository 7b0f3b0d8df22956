"""Reference data shared by every app: industry codes, dictionaries, the holiday calendar."""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


class IndustryCode(models.Model):
    """国民经济行业分类 GB/T 4754-2017 (with its 2019 amendment): 门类 → 大类 → 中类 → 小类."""

    class Level(models.TextChoices):
        SECTION = "section", "门类"
        DIVISION = "division", "大类"
        GROUP = "group", "中类"
        CLASS = "class", "小类"

    code = models.CharField("代码", max_length=5, primary_key=True)
    level = models.CharField("层级", max_length=8, choices=Level.choices)
    name = models.CharField("名称", max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    section = models.CharField("门类", max_length=1, db_index=True)

    class Meta:
        verbose_name = "国民经济行业分类"
        verbose_name_plural = "国民经济行业分类"
        ordering = ["section", "code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class DictItem(models.Model):
    """An entry of a dictionary (企业类型, 政治面貌, 学历 …) that staff and the sysadmin may extend."""

    kind = models.SlugField("字典类别", max_length=50)
    code = models.SlugField("编码", max_length=50)
    label = models.CharField("名称", max_length=100)
    order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "数据字典项"
        verbose_name_plural = "数据字典"
        ordering = ["kind", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "code"],
                name="common_dictitem_unique_kind_code",
                violation_error_message="同一字典类别下的编码不能重复。",
            )
        ]

    def __str__(self):
        return self.label


class HolidayYear(models.Model):
    """A year whose 放假调休 arrangement has been entered: the calendar then follows this data."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    note = models.CharField(
        "依据",
        max_length=200,
        blank=True,
        help_text="例如：国务院办公厅关于2027年部分节假日安排的通知",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "节假日安排"
        verbose_name_plural = "节假日安排"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}年"


class HolidayDay(models.Model):
    """An exception to Mon–Fri: a statutory holiday (is_workday=False) or a 调休 make-up workday (True)."""

    holiday_year = models.ForeignKey(
        HolidayYear, verbose_name="年份", on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField(
        "是否上班", default=False, help_text="不勾选：法定节假日放假；勾选：周末调休上班。"
    )
    name = models.CharField("节日", max_length=50, blank=True, help_text="例如：春节")

    class Meta:
        verbose_name = "节假日"
        verbose_name_plural = "节假日"
        ordering = ["date"]

    def __str__(self):
        kind = "上班" if self.is_workday else "放假"
        return f"{self.date:%Y-%m-%d} {self.name}{kind}"

    def clean(self):
        super().clean()
        if self.date and self.holiday_year_id and self.date.year != self.holiday_year.year:
            raise ValidationError({"date": "日期不在所属年份内。"})
        if self.date and self.is_workday and self.date.weekday() < 5:
            raise ValidationError({"is_workday": "调休上班日应为周六或周日；工作日本来就上班，无需录入。"})


class Job(models.Model):
    """What an import job and an export job share: a UUID (the only handle in URLs and file names —
    never the user's file name), who asked (the only user who finds it), progress and result."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT,
                                   related_name="+")
    total = models.PositiveIntegerField("总行数", default=0)
    done = models.PositiveIntegerField("已写入", default=0)
    result = models.JSONField("结果", default=dict, blank=True)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def _file(self, folder, suffix):
        return Path(settings.MEDIA_ROOT) / folder / f"{self.id}{suffix}"


class ImportJob(Job):
    """One uploaded spreadsheet on its way through the import pipeline: checked, then committed (in
    the background for large files, with progress). The file is kept under MEDIA_ROOT/imports/ by its
    UUID only, never by the user's file name, and deleted after the commit or after 24 hours."""

    class Status(models.TextChoices):
        CHECKED = "checked", "已校验"
        RUNNING = "running", "导入中"
        DONE = "done", "已完成"
        REFUSED = "refused", "未导入"
        ERROR = "error", "出错"

    kind = models.CharField("导入类型", max_length=30)
    original_name = models.CharField("原文件名", max_length=200)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.CHECKED)
    valid = models.PositiveIntegerField("校验通过", default=0)
    failed = models.PositiveIntegerField("校验失败", default=0)
    valid_only = models.BooleanField("仅导入校验通过的行", default=False)

    class Meta(Job.Meta):
        verbose_name = "导入任务"
        verbose_name_plural = "导入任务"

    def __str__(self):
        return f"{self.original_name}（{self.get_status_display()}）"

    @property
    def path(self):
        return self._file("imports", ".xlsx")

    @property
    def rows_path(self):
        """The rows the preview checked, signed (`imports.checked`), committed without reading the file again."""
        return self._file("imports", ".rows")

    @property
    def percent(self):
        base = self.valid if self.valid_only or not self.failed else self.total
        return min(100, round(self.done * 100 / base)) if base else 0


class NumberSequence(models.Model):
    """A named counter behind document numbers (诉求编号 SQ202611220001 …); see `common.numbering`."""

    key = models.CharField("序列", max_length=50, unique=True)
    last = models.PositiveIntegerField("当前值", default=0)

    class Meta:
        verbose_name = "编号序列"
        verbose_name_plural = "编号序列"

    def __str__(self):
        return f"{self.key}: {self.last}"


class StoredFile(models.Model):
    """A user's file kept by `common.uploads`: stored as MEDIA_ROOT/<folder>/<uuid> (outside the web
    root, never under the user's file name, which is kept only as data) and served only through a
    permission-checked download view. Appeal and policy attachments are its concrete kinds."""

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    original_name = models.CharField("文件名", max_length=200)
    stored_name = models.CharField("存储名", max_length=64, unique=True)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self):
        return self.original_name
