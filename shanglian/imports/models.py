from django.db import models

from shanglian.common.models import Job


class ExportJob(Job):
    """A large export produced in the background (a Huey task) with progress, then downloaded by the
    user who asked for it, and by no one else. The workbook is kept under MEDIA_ROOT/exports/ by its
    UUID only (outside the web root, served only through the download view) and deleted after 24
    hours by `purge_import_files`. (`ImportJob`, the import's counterpart, stays in `common`.)"""

    class Status(models.TextChoices):
        RUNNING = "running", "导出中"
        DONE = "done", "已完成"
        ERROR = "error", "出错"

    title = models.CharField("导出内容", max_length=200)
    object_type = models.CharField("对象类型", max_length=100)
    filename = models.CharField("文件名", max_length=250)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.RUNNING)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta(Job.Meta):
        verbose_name = "导出任务"
        verbose_name_plural = "导出任务"

    def __str__(self):
        return f"{self.title}（{self.get_status_display()}）"

    @property
    def path(self):
        """The finished workbook."""
        return self._file("exports", ".xlsx")

    @property
    def rows_path(self):
        """The rows handed from the request to the task (deleted once the workbook is written)."""
        return self._file("exports", ".rows.json")

    @property
    def percent(self):
        return min(100, round(self.done * 100 / self.total)) if self.total else 0
