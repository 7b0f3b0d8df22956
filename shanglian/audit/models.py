import hashlib
import hmac
import json

from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    LOGIN = "login", "登录"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOGOUT = "logout", "退出"
    LOCKOUT = "lockout", "账户锁定"
    OTP_VERIFY = "otp_verify", "双因素验证"
    OTP_SETUP = "otp_setup", "绑定双因素"
    PASSWORD_CHANGE = "password_change", "修改密码"
    SESSION_TIMEOUT = "session_timeout", "会话超时"
    CREATE = "create", "新增"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"
    EXPORT = "export", "导出"
    IMPORT = "import", "导入"
    PII_VIEW = "pii_view", "查看个人信息"
    DENIED = "denied", "越权访问"
    ACCOUNT_DISABLE = "account_disable", "停用账户"
    SMS_CODE = "sms_code", "获取短信验证码"
    BACKUP = "backup", "备份"
    RESTORE = "restore", "恢复备份"


class AuditResult(models.TextChoices):
    SUCCESS = "success", "成功"
    FAILURE = "failure", "失败"
    DENIED = "denied", "拒绝"


LEGACY_EPOCH = 0
KEYED_EPOCH = 1


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("审计记录不可修改。")

    def delete(self):
        raise PermissionError("审计记录不可删除。")


class AuditEvent(models.Model):
    """One append-only audit record; rows are chained by hash so an edit made in SQL is detected."""

    timestamp = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", null=True, blank=True,
        on_delete=models.DO_NOTHING, related_name="+", db_constraint=False,
    )
    username = models.CharField("用户名", max_length=150, blank=True)
    # Who acted, as they were at the time: the row never depends on the account still existing.
    actor_display = models.CharField("姓名", max_length=50, blank=True)
    actor_role = models.CharField("角色", max_length=32, blank=True)
    action = models.CharField("事件", max_length=32, choices=AuditAction.choices, db_index=True)
    result = models.CharField("结果", max_length=16, choices=AuditResult.choices)
    remote_addr = models.CharField("IP 地址", max_length=64, blank=True)
    object_type = models.CharField("对象类型", max_length=100, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=255, blank=True)
    detail = models.JSONField("详情", default=dict, blank=True)
    request_id = models.CharField("请求编号", max_length=32, blank=True)
    path = models.CharField("请求路径", max_length=255, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, unique=True)
    # 0: a row written before the chain had a key (plain SHA-256, verified the old way); 1: HMAC-SHA256
    # under SHANGLIAN_AUDIT_CHAIN_KEY over `chain_payload()`. Existing rows got 0 from the migration.
    chain_epoch = models.PositiveSmallIntegerField(default=KEYED_EPOCH, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        # A record's 变更记录 (`common.records.history`) reads its own rows, not the whole log (issue 19).
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_history")]
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        permissions = [("view_audit_log", "查看审计日志")]

    def __str__(self):
        return f"{self.timestamp:%Y-%m-%d %H:%M:%S} {self.username} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("审计记录不可修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计记录不可删除。")

    def compute_hash(self):
        if self.chain_epoch == LEGACY_EPOCH:
            return self._legacy_hash()
        return hmac.new(settings.SHANGLIAN_AUDIT_CHAIN_KEY, self.chain_payload(), hashlib.sha256).hexdigest()

    def chain_payload(self):
        """The bytes the keyed hash covers: every field of the row, the link to the previous row and the epoch."""
        return json.dumps(
            [
                self.chain_epoch,
                self.prev_hash,
                self.timestamp.isoformat(timespec="microseconds"),
                self.actor_id,
                self.username,
                self.actor_display,
                self.actor_role,
                self.action,
                self.result,
                self.remote_addr,
                self.object_type,
                self.object_id,
                self.object_repr,
                self.detail,
                self.request_id,
                self.path,
            ],
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
            default=str,
        ).encode("utf-8")

    def _legacy_hash(self):
        payload = json.dumps(
            [
                self.prev_hash,
                self.timestamp.isoformat(timespec="microseconds"),
                self.actor_id,
                self.username,
                self.action,
                self.result,
                self.remote_addr,
                self.object_type,
                self.object_id,
                self.object_repr,
                self.detail,
                self.request_id,
                self.path,
            ],
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
            default=str,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()
