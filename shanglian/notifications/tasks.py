"""Background work of notifications (run by `manage.py run_huey`; immediate in tests)."""

import json

from huey.contrib.djhuey import db_task

from shanglian.common.crypto import get_cipher

from .backends import SmsError, sms_backend
from .models import SmsMessage

LOGIN_CODE_TEMPLATE = "login_code"


@db_task()
def deliver_login_code(user_id, sealed, minutes):
    """Text a sign-in code. `sealed` is the field cipher's token of {"mobile", "code"}: the queue never holds
    either in clear, and the SMS record keeps the text with the code starred."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return
    payload = json.loads(get_cipher().decrypt(sealed))
    backend = sms_backend()
    text = "【商联通】您的登录验证码为 {code}，{minutes} 分钟内有效，请勿告诉他人。如非本人操作，请忽略本短信。"
    try:
        backend.send(payload["mobile"], LOGIN_CODE_TEMPLATE, {"code": payload["code"], "minutes": minutes},
                     text.format(code=payload["code"], minutes=minutes))
        status = "sent"
    except SmsError:
        status = "failed"
    SmsMessage.objects.create(recipient=user, template=LOGIN_CODE_TEMPLATE, status=status,
                              text=text.format(code="******", minutes=minutes),
                              backend=f"{type(backend).__module__}.{type(backend).__name__}")
