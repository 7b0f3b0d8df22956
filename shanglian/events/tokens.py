"""What a check-in QR code carries: a signed token, never a bare id.

Two kinds, told apart by their prefix:

- an invitee's personal code, `SLQ1:<invitation code>:<signature>`: the invitation's random code
  (`Invitation.code`) signed with the project's secret, shown on the invitee's page and printed on the
  invitation; staff scan it at the door;
- an event's posted 签到码, `SLE1:<event id>.<event secret>:<signature>`: the event's own random
  secret (`Event.checkin_code`), printed at the venue; an invitee logged in on the phone scans it and
  checks themself in. A new secret invalidates every copy printed before.

`read(text)` returns a `Token` or raises `BadToken` with the reason a person at the door can act on.
"""

from dataclasses import dataclass

from django.core import signing

from shanglian.common.validators import strip_control_characters

INVITATION_PREFIX = "SLQ1"
EVENT_PREFIX = "SLE1"
_SALTS = {INVITATION_PREFIX: "shanglian.events.invitation", EVENT_PREFIX: "shanglian.events.event"}
MAX_LENGTH = 200


class BadToken(Exception):
    def __init__(self, message, *, reason):
        super().__init__(message)
        self.message, self.reason = message, reason


@dataclass(frozen=True)
class Token:
    kind: str  # INVITATION_PREFIX or EVENT_PREFIX
    value: str  # the invitation's code, or "<event id>.<event secret>"

    @property
    def event_id(self):
        return int(self.value.split(".", 1)[0]) if self.kind == EVENT_PREFIX else None

    @property
    def event_secret(self):
        return self.value.split(".", 1)[1] if self.kind == EVENT_PREFIX else None


def _signer(prefix):
    return signing.Signer(salt=_SALTS[prefix], sep=":")


def for_invitation(invitation):
    return f"{INVITATION_PREFIX}:{_signer(INVITATION_PREFIX).sign(invitation.code)}"


def for_event(event):
    return f"{EVENT_PREFIX}:{_signer(EVENT_PREFIX).sign(f'{event.pk}.{event.checkin_code}')}"


def _encodable(text):
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (JSON "\ud800"): no code has one
        return False
    return True


def read(text):
    """The token in a scanned text, or BadToken (无法识别 / 签名不符)."""
    text = strip_control_characters(text or "").strip()  # a hand-held scanner's CR, GS … are not the code
    if not text or len(text) > MAX_LENGTH or ":" not in text or not _encodable(text):
        raise BadToken("无法识别的二维码，请扫描商联通请柬或签到码。", reason="unreadable")
    prefix, signed = text.split(":", 1)
    if prefix not in _SALTS:
        raise BadToken("无法识别的二维码，请扫描商联通请柬或签到码。", reason="unreadable")
    try:
        value = _signer(prefix).unsign(signed)
    except signing.BadSignature:
        raise BadToken("二维码无效：签名校验未通过（可能是伪造或已作废的二维码）。", reason="forged") from None
    if prefix == EVENT_PREFIX:
        event_id, _, secret = value.partition(".")
        if not (event_id.isascii() and event_id.isdigit()) or len(event_id) > 12 or not secret:
            raise BadToken("二维码无效：签名校验未通过（可能是伪造或已作废的二维码）。", reason="forged")
    return Token(prefix, value)
