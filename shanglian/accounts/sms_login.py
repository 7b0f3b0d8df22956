"""Sign-in with mobile number + SMS code, for enterprise users (password sign-in stays).

- `request_code(mobile=, ip=, send=)`: throttled per IP and per mobile through the cache (whether or not
  the mobile is registered, so the throttle says nothing about it); sends a code only to the mobile of an
  active enterprise user, and answers the same either way. Audited (`sms_code`, masked mobile).
- The code: 6 random digits (`secrets`), stored as a keyed hash bound to the user and that mobile, lives
  `SMS_LOGIN_CODE_TTL` seconds, works once, is void after `SMS_LOGIN_CODE_MAX_ATTEMPTS` wrong tries; a new
  code replaces the user's earlier ones.
- Checking a code is `backends.SmsCodeBackend`, reached through `django.contrib.auth.authenticate()` with
  `sign_in_credentials(mobile, code)`: the axes backend before it refuses a locked user, and a failure fires
  `user_login_failed` with the user's username, so axes counts it toward the same lockout as a wrong
  password and the audit receiver records it.
- Sending: the request enqueues `issue_login_code` (after commit) for registered and unregistered mobiles
  alike; the task stores the code's hash and texts it for a user only. accounts sits below notifications,
  so the SMS channel is handed in — notifications registers its sender with `register_code_sender()` when
  the app is ready; `code_sender()` returns it.
"""

import json
import math
import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from huey.contrib.djhuey import db_task

from shanglian.audit.models import AuditAction, AuditResult
from shanglian.audit.services import record
from shanglian.common.crypto import get_cipher
from shanglian.common.masking import mask
from shanglian.common.validators import validate_mobile

from .models import SmsLoginCode, User
from .roles import Role
from .selectors import users_in_role

_HASH_SALT = "shanglian.accounts.sms_login.code"
_CACHE_PREFIX = "sms-login"
SENT_MESSAGE = "如该手机号已开通企业账号，验证码已通过短信发送，{minutes} 分钟内有效。"
FAILED_MESSAGE = "手机号或验证码不正确，或验证码已失效。请核对后重试，或重新获取验证码。"

_sender = None


class Throttled(Exception):
    """Sending refused by a throttle; `str()` is the Chinese message for the user, `wait` the seconds to wait."""

    def __init__(self, message, wait=0):
        super().__init__(message)
        self.wait = wait


def register_code_sender(sender):
    """Set the channel that texts a code: `sender(*, user, mobile, code, minutes)`. Called by notifications."""
    global _sender
    _sender = sender
    return sender


def code_sender():
    if _sender is None:
        raise ImproperlyConfigured("短信登录需要 notifications 应用提供短信发送通道。")
    return _sender


def mobile_index(mobile):
    return User._meta.get_field("mobile_index").index_for(mobile)


def eligible_user(index):
    """The active enterprise user whose mobile has this blind index, or None (staff never sign in by SMS).
    One query, whether or not there is such a user."""
    if not index:
        return None
    return users_in_role(Role.ENTERPRISE, mobile_index=index).first()


def axes_username(index, user):
    """The username failures are counted under: the user's own (the lockout of password sign-in), or, for a
    mobile of nobody, a stand-in derived from its index, so that it locks after as many failures and the
    answers of a registered and an unregistered mobile stay alike."""
    return user.get_username() if user is not None else f"sms:{index[:16]}"


def sign_in_credentials(mobile, code):
    """The keyword arguments for `authenticate(request, **…)`. The mobile travels as its index only and the
    code under a key Django stars (`…token`), so neither reaches `user_login_failed` receivers in clear."""
    index = mobile_index(mobile)
    return {
        "username": axes_username(index, eligible_user(index)),
        "sms_mobile_index": index,
        "sms_token": code,
        "audit_detail": {"method": "sms", "mobile": mask("mobile", mobile)},
    }


def _code_hash(salt, index, code):
    return salted_hmac(_HASH_SALT, f"{salt}:{index}:{code}", algorithm="sha256").hexdigest()


def _remaining(key, seconds):
    started = cache.get(key)
    if started is None:
        return 0
    return max(1, math.ceil(seconds - (time.time() - started)))


def _interval_key(index):
    return f"{_CACHE_PREFIX}:mobile:{index}:last"


def seconds_until_resend(mobile):
    """How long 获取验证码 must wait for this mobile (0: now); alike for registered and unregistered mobiles."""
    return _remaining(_interval_key(mobile_index(mobile)), settings.SMS_LOGIN_RESEND_SECONDS)


def _count(key, timeout):
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout)
        return 1


def _throttle(index, ip):
    """Consume the throttles of one sending, or raise `Throttled` (nothing is then sent)."""
    ip_limit = settings.SMS_LOGIN_IP_HOURLY_LIMIT
    if _count(f"{_CACHE_PREFIX}:ip:{ip}:{int(time.time() // 3600)}", 3600) > ip_limit:
        raise Throttled("当前网络获取验证码过于频繁，请 1 小时后再试，或使用账号密码登录。")
    interval = settings.SMS_LOGIN_RESEND_SECONDS
    interval_key = _interval_key(index)
    if not cache.add(interval_key, time.time(), interval):
        wait = _remaining(interval_key, interval) or interval
        raise Throttled(f"获取验证码过于频繁，请 {wait} 秒后再试。", wait=wait)
    day = timezone.localdate().isoformat()
    if _count(f"{_CACHE_PREFIX}:mobile:{index}:{day}", 86400 + 3600) > settings.SMS_LOGIN_DAILY_LIMIT:
        raise Throttled("该手机号今日获取验证码次数已达上限，请明天再试，或使用账号密码登录。")


def request_code(*, mobile, ip, is_locked=None):
    """Have a sign-in code texted to `mobile` if it is an active enterprise user's; answer the same either way.

    Returns the message for the user; raises `ValidationError` for a malformed number (nothing consumed)
    and `Throttled` when a throttle refuses (nothing sent). `is_locked(username)` (from the view: axes)
    lets a locked account receive nothing, silently. The request does the same work whether or not the
    mobile is registered — the same queries, a code drawn and sealed, one audit row, one background task —
    and the task stores and texts the code only for a user, so neither the answer nor its timing tells."""
    number = validate_mobile(mobile)
    index = mobile_index(number)
    try:
        _throttle(index, ip)
    except Throttled:
        record(AuditAction.SMS_CODE, result=AuditResult.DENIED,
               detail={"mobile": mask("mobile", number), "reason": "throttled"})
        raise
    user = eligible_user(index)
    # Asked for a mobile of nobody too (under its stand-in name), so both take the same queries.
    if is_locked is not None and is_locked(axes_username(index, user)):
        user = None
    code = f"{secrets.randbelow(10**6):06d}"
    sealed = get_cipher().encrypt(json.dumps({"mobile": number, "code": code}))
    user_id = user.pk if user is not None else None
    record(AuditAction.SMS_CODE, username=user.get_username() if user else "",
           detail={"mobile": mask("mobile", number), "sent": user is not None})
    transaction.on_commit(lambda: issue_login_code(user_id, index, sealed))
    return SENT_MESSAGE.format(minutes=settings.SMS_LOGIN_CODE_TTL // 60)


@db_task()
def issue_login_code(user_id, index, sealed):
    """Store a code's hash and text the code (background; `None` for a mobile of nobody: nothing to do).
    `sealed` is the field cipher's token of {"mobile", "code"}: the queue never holds either in clear."""
    if user_id is None:
        return
    user = eligible_user(index)
    if user is None or user.pk != user_id:  # changed since the request: send nothing
        return
    payload = json.loads(get_cipher().decrypt(sealed))
    salt = secrets.token_hex(16)
    now = timezone.now()
    with transaction.atomic():
        SmsLoginCode.objects.filter(user=user).delete()
        SmsLoginCode.objects.create(
            user=user, mobile_index=index, salt=salt, code_hash=_code_hash(salt, index, payload["code"]),
            created_at=now, expires_at=now + timezone.timedelta(seconds=settings.SMS_LOGIN_CODE_TTL))
    code_sender()(user=user, mobile=payload["mobile"], code=payload["code"],
                  minutes=settings.SMS_LOGIN_CODE_TTL // 60)


def check_code(*, index, code):
    """The user whose current code for this mobile `code` is, consuming it; else None (a wrong try counts
    against the code). Called by `SmsCodeBackend` only."""
    user = eligible_user(index)
    if user is None or not code or not str(code).isdigit():
        return None
    with transaction.atomic():
        row = (SmsLoginCode.objects.select_for_update()
               .filter(user=user, used_at__isnull=True).order_by("-id").first())
        now = timezone.now()
        if (row is None or row.mobile_index != index or row.expires_at <= now
                or row.failed_attempts >= settings.SMS_LOGIN_CODE_MAX_ATTEMPTS):
            return None
        if not constant_time_compare(_code_hash(row.salt, index, str(code)), row.code_hash):
            row.failed_attempts += 1
            row.save(update_fields=["failed_attempts"])
            return None
        row.used_at = now
        row.save(update_fields=["used_at"])
    return user


def validate_code_format(code):
    code = (code or "").strip()
    if len(code) != 6 or not code.isdigit():
        raise ValidationError("验证码为 6 位数字。")
    return code
