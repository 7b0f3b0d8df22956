"""The one way to tell users something: `notify()` writes the in-app inbox and, when asked, an SMS."""

from django.db import transaction
from django.utils import timezone

from .backends import SmsError, sms_backend
from .models import Notification, SmsMessage

LOGIN_CODE_TEMPLATE = "login_code"
SMS_SIGNATURE = "【商联通】"


def notify(recipients, *, kind, title, body="", url="", sms=False, texted=(), sms_text=""):
    """Put a message in each recipient's inbox; with `sms=True` also text those with a mobile.
    `texted`: (name, mobile) pairs of people without an account (an event's invitees) who get the
    SMS only, whatever `sms` says. `sms_text`: what the SMS says instead of the title (a notice's
    "…请登录商联通查看"); the 【商联通】 signature is put in front when it lacks it.

    The inbox rows are written in the caller's transaction; the SMS go out only after it commits
    (a rolled-back action sends nothing). Returns the number of inbox messages written."""
    users = [u for u in {u.pk: u for u in recipients if u is not None and u.is_active}.values()]
    Notification.objects.bulk_create(
        [Notification(recipient=u, kind=kind, title=title[:200], body=body, url=url[:300]) for u in users]
    )
    texts = []
    if sms:
        texts = [(u, getattr(u, "mobile", "") or "") for u in users]
        texts = [(u, m) for u, m in texts if m]
    texts += [(name, mobile) for name, mobile in texted if mobile]
    if texts:
        transaction.on_commit(lambda: _send_sms(texts, kind, title, sms_text))
    return len(users)


def _backend_name(backend):
    return f"{type(backend).__module__}.{type(backend).__name__}"


def sms_wording(title, sms_text=""):
    """The text of a notification's SMS: `sms_text` when given, else the title, signed 【商联通】 (300 at most)."""
    text = (sms_text or "").strip() or title
    return (text if text.startswith(SMS_SIGNATURE) else f"{SMS_SIGNATURE}{text}")[:300]


def _send_sms(texts, template, title, sms_text=""):
    backend = sms_backend()
    name = _backend_name(backend)
    text = sms_wording(title, sms_text)
    for user, mobile in texts:  # user: a User, or the name of a person without an account
        try:
            backend.send(mobile, template, {"title": title}, text)
            status = "sent"
        except SmsError:
            status = "failed"
        to_user = user if not isinstance(user, str) else None
        SmsMessage.objects.create(recipient=to_user, to_name="" if to_user else user[:100], template=template,
                                  text=text, backend=name, status=status)


def send_login_code(*, user, mobile, code, minutes):
    """The SMS channel of `accounts.sms_login` (registered in `apps.py`; called from its background task).
    The SMS record keeps the text with the code starred."""
    backend = sms_backend()
    text = "【商联通】您的登录验证码为 {code}，{minutes} 分钟内有效，请勿告诉他人。如非本人操作，请忽略本短信。"
    try:
        backend.send(mobile, LOGIN_CODE_TEMPLATE, {"code": code, "minutes": minutes},
                     text.format(code=code, minutes=minutes))
        status = "sent"
    except SmsError:
        status = "failed"
    SmsMessage.objects.create(recipient=user, template=LOGIN_CODE_TEMPLATE, status=status,
                              text=text.format(code="******", minutes=minutes), backend=_backend_name(backend))


def mark_read(*, actor, notification_ids=None):
    """Mark the actor's own messages read (all unread ones when no ids are given)."""
    qs = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())
