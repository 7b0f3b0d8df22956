"""SMS backends: one interface, chosen by `SHANGLIAN_SMS_BACKEND` (dotted path).

A provider backend (阿里云/腾讯云短信) implements `send(mobile, template, params, text)` and raises
`SmsError` on failure; providers accept only pre-approved templates, hence the template code.
The defaults never leave the machine: the console backend logs, the file backend appends a line.
"""

import json
import logging
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from shanglian.common.masking import mask

logger = logging.getLogger("shanglian.sms")


class SmsError(Exception):
    pass


class BaseSmsBackend:
    def send(self, mobile, template, params, text):
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    """Logs the message with the mobile masked (the default in development)."""

    def send(self, mobile, template, params, text):
        logger.warning("SMS to %s [%s]: %s", mask("mobile", mobile), template, text)


class FileSmsBackend(BaseSmsBackend):
    """Appends one JSON line per message to `SHANGLIAN_SMS_FILE` (default var/sms.log)."""

    def send(self, mobile, template, params, text):
        path = Path(getattr(settings, "SHANGLIAN_SMS_FILE", "") or settings.VAR_DIR / "sms.log")
        path.parent.mkdir(parents=True, exist_ok=True)
        line = {"at": timezone.now().isoformat(), "mobile": mask("mobile", mobile), "template": template,
                "params": params, "text": text}
        with path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")


def sms_backend():
    return import_string(settings.SHANGLIAN_SMS_BACKEND)()
