"""Reads of the notices part, all starting from `scopes.notices_visible_to`: the staff list with its filters and the
reach of each row counted in SQL (a correlated count per shown row, so the page's queries do not grow with the
rows), one notice's reach, its recipients with their receipts.

Reach and read rate: a notice reaches its recipients — enterprises (read on the phone by their users) and persons
without an enterprise (an SMS copy only, they cannot open it). The read rate is the enterprises that opened it ÷ the
enterprises it was sent to (the persons reached by SMS alone cannot read it and are not counted in it).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from shanglian.accounts.roles import SENDER_ROLES, Role, role_of
from shanglian.common.selectors import filtered
from shanglian.ui.figures import share

from ..models import NoticeRecipient
from .audience import users_reached
from .scopes import notices_visible_to


def _count(**filters):
    rows = (NoticeRecipient.objects.filter(notice=OuterRef("pk"), **filters).order_by()
            .values("notice").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def with_reach(qs):
    """Each notice with `reached` (recipients), `reached_enterprises` and `read` (enterprises that opened it)."""
    return qs.annotate(reached=_count(), reached_enterprises=_count(enterprise__isnull=False),
                       read=_count(read_at__isnull=False))


def notice_list(user, *, filters=None):
    """The staff list: the user's scope, then the search form's filters (关键词: title or number; 状态; 发送对象;
    发送方: 工商联 or one chamber; 发送日期)."""
    filters = filters or {}
    qs = notices_visible_to(user)
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(number__iexact=q))
    qs = filtered(qs, filters, {"status": "status", "audience": "audience", "sent_from": "sent_at__date__gte",
                                "sent_to": "sent_at__date__lte"})
    sender = filters.get("sender")
    if sender == "federation":
        qs = qs.filter(chamber__isnull=True)
    elif sender:
        qs = qs.filter(chamber_id=sender)
    return with_reach(qs)


def notices_kept_by(user):
    """The notices `user` may change: an editor its federations' own (sent by the federation, no chamber), a chamber
    secretary its chamber's. 403 for a role that only reads (a leader) or has no notices."""
    if role_of(user) not in SENDER_ROLES:
        raise PermissionDenied("您没有发送通知的权限。")
    visible = notices_visible_to(user)
    return visible if role_of(user) == Role.CHAMBER else visible.filter(chamber__isnull=True)


def can_keep(user, notice=None):
    """Whether `user` may write notices (and this one): an editor its federation's own, a chamber its chamber's."""
    role = role_of(user)
    if role not in SENDER_ROLES:
        return False
    if notice is None:
        return True
    return notice.chamber_id == user.chamber_id if role == Role.CHAMBER else notice.chamber_id is None


def receipt_counts():
    """The aggregates of a set of receipts: all of them (`n`), the enterprises among them, those read — the notice's
    page, the API and the figures count them so."""
    return {"n": Count("pk"), "enterprises": Count("pk", filter=Q(enterprise__isnull=False)),
            "read": Count("pk", filter=Q(read_at__isnull=False))}


@dataclass(frozen=True)
class Reach:
    """One sent notice's reach and reading."""

    recipients: int
    enterprises: int
    sms_only: int
    accounts: int
    read: int

    @property
    def unread(self):
        return self.enterprises - self.read

    @property
    def read_rate(self):
        """Enterprises that opened it ÷ enterprises it was sent to, as a percentage (None when none)."""
        return share(self.read, self.enterprises)


def notice_reach(notice):
    """The reach of one notice (zeros for a draft): recipients, enterprises, persons reached by SMS only, the active
    accounts of the recipient enterprises today, enterprises that read it."""
    counts = NoticeRecipient.objects.filter(notice=notice).aggregate(**receipt_counts())
    enterprise_ids = (NoticeRecipient.objects.filter(notice=notice, enterprise__isnull=False)
                      .values_list("enterprise_id", flat=True))
    accounts = users_reached(enterprise_ids).count() if counts["enterprises"] else 0
    return Reach(recipients=counts["n"], enterprises=counts["enterprises"],
                 sms_only=counts["n"] - counts["enterprises"], accounts=accounts, read=counts["read"])


RECIPIENT_STATES = {"read": "已读", "unread": "未读", "sms": "仅短信"}


def recipients_of_notice(notice, *, state=""):
    """A notice's recipients with their receipts (`state`: read / unread / sms — persons reached by SMS only)."""
    qs = NoticeRecipient.objects.filter(notice=notice).select_related("read_by", "enterprise", "person")
    if state == "read":
        qs = qs.filter(read_at__isnull=False)
    elif state == "unread":
        qs = qs.filter(read_at__isnull=True, enterprise__isnull=False)
    elif state == "sms":
        qs = qs.filter(enterprise__isnull=True)
    return qs


def attachments_of(notice):
    return list(notice.attachments.order_by("id"))
