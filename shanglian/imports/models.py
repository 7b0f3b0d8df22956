import uuid
from pathlib import Path

from django.conf import settings
from django.db import models


class ExportJob(models.Model):
    """A large export produced in the background (a Huey task) with progress, then downloaded by the
    user who asked for it, and by no one else. The workbook is kept under MEDIA_ROOT/exports/ by its
    UUID only (outside the web root, served only through the download view) and deleted after 24
    hours by `purge_import_files`. (`ImportJob`, the import's counterpart, stays in `common`.)"""

    class Status(models.TextChoices):
        RUNNING = "running", "导出中"
        DONE = "done", "已完成"
        ERROR = "error", "出错"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT,
                                   related_name="+")
    title = models.CharField("导出内容", max_length=200)
    object_type = models.CharField("对象类型", max_length=100)
    filename = models.CharField("文件名", max_length=250)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.RUNNING)
    total = models.PositiveIntegerField("总行数", default=0)
    done = models.PositiveIntegerField("已写出", default=0)
    result = models.JSONField("结果", default=dict, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "导出任务"
        verbose_name_plural = "导出任务"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.title}（{self.get_status_display()}）"

    @property
    def path(self):
        """The finished workbook."""
        return Path(settings.MEDIA_ROOT) / "exports" / f"{self.id}.xlsx"

    @property
    def rows_path(self):
        """The rows handed from the request to the task (deleted once the workbook is written)."""
        return Path(settings.MEDIA_ROOT) / "exports" / f"{self.id}.rows.json"

    @property
    def percent(self):
        return min(100, round(self.done * 100 / self.total)) if self.total else 0
