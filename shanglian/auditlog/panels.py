"""The auditor's 工作台: the latest refusals (越权访问, 登录失败, 账户锁定) and the latest exports, each
opening its audit record."""

from django.urls import reverse

from shanglian.accounts.roles import Role, role_of
from shanglian.audit.models import AuditAction
from shanglian.ui.panels import Panel, register

from .objects import describe
from .people import actor_name
from .selectors import DENIAL_ACTIONS, EXPORT_ACTIONS, recent_events
from .views import detail_url, local_time


def _items(events):
    return [{"time": local_time(e), "who": actor_name(e), "action": e.get_action_display(),
             "object": describe(e, current=False).name, "url": detail_url(e), "level": e.action} for e in events]


@register
def auditor_activity(user):
    if role_of(user) != Role.AUDITOR:
        return None
    listing = reverse("audit:event_list")
    return Panel("auditlog/_home_panel.html", {
        "denials": _items(recent_events(user, DENIAL_ACTIONS)),
        "exports": _items(recent_events(user, EXPORT_ACTIONS)),
        "denial_links": [(AuditAction(a).label, f"{listing}?action={a.value}") for a in DENIAL_ACTIONS],
        "exports_url": f"{listing}?action={AuditAction.EXPORT.value}",
    })
