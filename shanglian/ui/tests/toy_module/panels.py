from shanglian.accounts.roles import FEDERATION_ROLES, role_of
from shanglian.common.models import DictItem
from shanglian.ui.panels import Panel, register

from .views import KIND


@register
def toy_panel(user):
    if role_of(user) not in FEDERATION_ROLES:
        return None
    return Panel("toy_module/panel.html", {"count": DictItem.objects.filter(kind=KIND).count()})
