"""Reads of the in-app inbox: a user only ever reads their own messages."""

from .models import Notification


def inbox(user):
    """The user's own messages (newest first where the page does not sort)."""
    return Notification.objects.filter(recipient=user)


def unread_count(user):
    return inbox(user).filter(read_at__isnull=True).count()
