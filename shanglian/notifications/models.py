from django.conf import settings
from django.db import models


class Notification(models.Model):
    """One message in a user's in-app inbox (站内信). Every notification is one; SMS is extra."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE,
                                  related_name="notifications")
    kind = models.SlugField("类型", max_length=40)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内消息"
        verbose_name_plural = "站内消息"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notif_recipient_read")]

    def __str__(self):
        return self.title


class SmsMessage(models.Model):
    """What the SMS backend was asked to send, whatever the backend did with it (for 留痕 and tests)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE,
                                  null=True, blank=True, related_name="+",
                                  help_text="留空表示发给没有账号的人员（如活动受邀人）")
    to_name = models.CharField("接收人姓名", max_length=100, blank=True)
    template = models.SlugField("短信模板", max_length=40)
    text = models.CharField("内容", max_length=300)
    backend = models.CharField("发送通道", max_length=100)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    status = models.CharField("结果", max_length=20, default="sent")

    class Meta:
        verbose_name = "短信记录"
        verbose_name_plural = "短信记录"
        ordering = ["-id"]

    def __str__(self):
        return self.text
