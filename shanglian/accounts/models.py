import time
from base64 import b32encode
from binascii import unhexlify
from urllib.parse import quote, urlencode

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP
from django_otp.util import random_hex

from shanglian.common.fields import BlindIndexField, EncryptedTextField
from shanglian.common.validators import validate_mobile


class ShanglianUserManager(UserManager):
    def get_by_natural_key(self, username):
        # Usernames are unique case-insensitively; log in with any case.
        return self.get(username__iexact=username)

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # `createsuperuser --noinput` (DJANGO_SUPERUSER_PASSWORD) does not run the password rules: apply them here.
        if password is not None:
            from django.contrib.auth.password_validation import validate_password

            validate_password(password, self.model(username=username, email=email or ""))
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    display_name = models.CharField("姓名", max_length=50, blank=True)
    federation = models.ForeignKey(
        "orgs.Federation", verbose_name="所属工商联", null=True, blank=True, on_delete=models.PROTECT,
        related_name="users",
    )
    chamber = models.ForeignKey(
        "orgs.Chamber", verbose_name="所属商会", null=True, blank=True, on_delete=models.PROTECT,
        related_name="users",
    )
    department = models.ForeignKey(
        "orgs.Department", verbose_name="所属部门", null=True, blank=True, on_delete=models.PROTECT,
        related_name="users",
    )
    enterprise = models.ForeignKey(
        "members.Enterprise", verbose_name="所属企业", null=True, blank=True, on_delete=models.PROTECT,
        related_name="users",
    )
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    # SMS notices (办理提醒) and, for enterprise users, SMS sign-in; encrypted at rest like every mobile,
    # found through its blind index, unique among active users (one mobile signs in one account).
    mobile = EncryptedTextField("手机号", blank=True, validators=[validate_mobile])
    mobile_index = BlindIndexField(source="mobile", normalizer="shanglian.common.validators.normalize_mobile")
    # An account made for a system that calls the API (the mini-program, the 12345 hotline), by
    # `manage.py api_token create-account` only: it has no password (no web login) and is the only kind
    # of account that may hold an API token (accounts/tokens.py). Not editable in /admin.
    is_integration = models.BooleanField("接口集成账号", default=False, editable=False)

    objects = ShanglianUserManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
            models.UniqueConstraint(
                fields=["mobile_index"], condition=Q(is_active=True) & ~Q(mobile_index=""),
                name="accounts_user_active_mobile_unique",
                violation_error_message="该手机号已被另一个在用账号使用。",
            ),
        ]

    def __str__(self):
        return self.display_name or self.username

    def has_audit_history(self):
        from shanglian.audit.models import AuditEvent

        return self.pk is not None and AuditEvent.objects.filter(actor_id=self.pk).exists()

    def delete(self, *args, **kwargs):
        """An account named by audit rows is never deleted: it is disabled instead (audited), so the rows
        keep pointing at it. Without history it is deleted as usual. Queryset and cascade deletes are
        refused by the pre_delete guard in `signals.py`."""
        if self.has_audit_history():
            self.disable_instead_of_delete(actor=None)
            return 0, {}
        return super().delete(*args, **kwargs)

    def disable_instead_of_delete(self, *, actor, via=""):
        """Disable this account (audited as account_disable) where a delete was asked for."""
        from django.db import transaction

        from shanglian.audit.models import AuditAction
        from shanglian.audit.services import record

        with transaction.atomic():
            self.is_active = False
            self.save(update_fields=["is_active"])
            detail = {"instead_of": "delete", **({"via": via} if via else {})}
            record(AuditAction.ACCOUNT_DISABLE, actor=actor, obj=self, detail=detail)

    def clean(self):
        super().clean()
        index = type(self)._meta.get_field("mobile_index").index_for(self.mobile)
        if index and self.is_active and (
            User.objects.filter(mobile_index=index, is_active=True).exclude(pk=self.pk).exists()
        ):
            raise ValidationError({"mobile": "该手机号已被另一个在用账号使用。"})

    def set_password(self, raw_password):
        if self.is_integration and raw_password is not None:  # no web login, whoever tries to give one
            raise ValidationError("接口集成账号没有密码，不能登录网页。")
        # The hash being replaced joins the password history (`passwords.PasswordHistoryValidator`) at save.
        if self.pk is not None and self.password:
            self._retired_password = self.password
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        retired = self.__dict__.pop("_retired_password", None)
        # update_fields == ["password"] alone is Django re-hashing the same password (a hasher upgrade).
        if retired and list(kwargs.get("update_fields") or []) != ["password"]:
            PasswordHistory.remember(self, retired)

    @property
    def role(self):
        from .roles import role_of

        return role_of(self)

    @property
    def role_label(self):
        return self.role.label if self.role else "未分配角色"


class PasswordHistory(models.Model):
    """The hashes of a user's previous passwords (never a password), the newest
    PASSWORD_HISTORY_COUNT - 1 kept: with the current one, the last passwords that may not be set again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE,
                             related_name="+")
    encoded = models.CharField("密码摘要", max_length=256)
    created_at = models.DateTimeField("停用时间", default=timezone.now)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        indexes = [models.Index(fields=["user", "-id"], name="passwordhistory_user_id")]

    def __str__(self):
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"

    @classmethod
    def remember(cls, user, encoded):
        cls.objects.create(user=user, encoded=encoded)
        keep = max(settings.PASSWORD_HISTORY_COUNT - 1, 0)
        stale = cls.objects.filter(user=user).order_by("-id").values_list("pk", flat=True)[keep:]
        cls.objects.filter(pk__in=list(stale)).delete()

    @classmethod
    def recent_hashes(cls, user):
        keep = max(settings.PASSWORD_HISTORY_COUNT - 1, 0)
        return list(cls.objects.filter(user=user).order_by("-id").values_list("encoded", flat=True)[:keep])


class LoginLockout(AccessAttempt):
    """django-axes's count of failed logins for one login name and address, as /admin shows it: deleting
    the record unlocks that login (audited)."""

    class Meta:
        proxy = True
        verbose_name = "登录失败与锁定"
        verbose_name_plural = "登录失败与锁定"

    def __str__(self):
        return f"{self.username or '—'}（{self.ip_address or '未知地址'}）"


class TOTPDevice(TimestampMixin, ThrottlingMixin, Device):
    """A TOTP authenticator whose secret is encrypted at rest (django-otp's own stores it in plaintext)."""

    key = EncryptedTextField("密钥")
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(default=-1)

    class Meta:
        verbose_name = "动态口令设备"
        verbose_name_plural = "动态口令设备"

    @classmethod
    def create_for(cls, user):
        return cls.objects.create(user=user, name="身份验证器", key=random_hex(20), confirmed=False)

    @property
    def bin_key(self):
        return unhexlify(self.key.encode())

    def verify_token(self, token):
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        try:
            token = int(str(token).strip())
        except ValueError:
            verified = False
        else:
            totp = TOTP(self.bin_key, self.step, self.t0, self.digits, self.drift)
            totp.time = time.time()
            # last_t + 1: a code is accepted once only (replay refused).
            verified = totp.verify(token, self.tolerance, self.last_t + 1)
            if verified:
                self.last_t = totp.t()
                self.throttle_reset(commit=False)
                self.set_last_used_timestamp(commit=False)
                self.save()
        if not verified:
            self.throttle_increment(commit=True)
        return verified

    def get_throttle_factor(self):
        return getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1)

    @property
    def config_url(self):
        issuer = settings.OTP_TOTP_ISSUER
        label = f"{issuer}:{self.user.get_username()}"
        params = urlencode(
            {"secret": b32encode(self.bin_key).decode(), "algorithm": "SHA1", "digits": self.digits,
             "period": self.step}
        )
        return f"otpauth://totp/{quote(label)}?{params}&issuer={quote(issuer)}"


class SmsLoginCode(models.Model):
    """A sign-in code sent by SMS: only its keyed hash is stored; bound to the user and that mobile,
    it lives `SMS_LOGIN_CODE_TTL` seconds, works once, and is void after `SMS_LOGIN_CODE_MAX_ATTEMPTS`
    wrong tries. Written and checked only by `accounts.sms_login`."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE,
                             related_name="+")
    mobile_index = models.CharField("手机号索引", max_length=64)
    salt = models.CharField(max_length=32)
    code_hash = models.CharField("验证码摘要", max_length=64)
    created_at = models.DateTimeField("发送时间")
    expires_at = models.DateTimeField("失效时间")
    used_at = models.DateTimeField("使用时间", null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField("错误次数", default=0)

    class Meta:
        verbose_name = "短信登录验证码"
        verbose_name_plural = "短信登录验证码"
        indexes = [models.Index(fields=["user", "used_at"], name="smscode_user_used")]

    def __str__(self):
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """An integration account's API token: only its SHA-256 is stored (the value is shown once, when it is
    issued); it expires (at most `tokens.MAX_DAYS` after issue) and can be revoked. Rows are kept after
    revocation and expiry, so the audit rows that name a token still find it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="集成账号", on_delete=models.PROTECT,
                             related_name="api_tokens")
    name = models.CharField("用途", max_length=100)
    prefix = models.CharField("令牌前缀", max_length=12, unique=True)
    key_hash = models.CharField("令牌摘要", max_length=64, unique=True)
    created_at = models.DateTimeField("签发时间", auto_now_add=True)
    expires_at = models.DateTimeField("到期时间")
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    last_used_on = models.DateField("最近使用日期", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"

    def __str__(self):
        return f"{self.prefix}…（{self.name}）"

    @property
    def is_valid(self):
        return self.revoked_at is None and self.expires_at > timezone.now()
