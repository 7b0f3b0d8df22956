"""QR codes of check-in tokens, drawn on the server as inline SVG (no script, no CDN)."""

import qrcode
import qrcode.image.svg
from django.utils.safestring import mark_safe

from . import tokens


def svg(text, *, box_size=10):
    """The QR code of `text` as an <svg> element (error correction M: a phone reads it off a screen or paper)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=box_size,
                        error_correction=qrcode.constants.ERROR_CORRECT_M)
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308 - drawn by qrcode from our own token


def invitation_svg(invitation):
    """The invitee's personal code (staff scan it at the door)."""
    return svg(tokens.for_invitation(invitation))


def event_svg(event):
    """The event's posted 签到码 (invitees scan it with their phone)."""
    return svg(tokens.for_event(event), box_size=14)
