from django.urls import reverse

from shanglian.accounts.roles import MEMBER_KEEPER_ROLES, role_of
from shanglian.ui.todos import Todo, register

from . import selectors


@register
def incomplete_enterprises(user):
    if role_of(user) in MEMBER_KEEPER_ROLES:
        count = selectors.enterprises_visible_to(user).filter(selectors.incomplete_enterprise_q()).count()
        if count:
            yield Todo("信息不完整的企业", count, reverse("members:enterprise_list") + "?incomplete=on", "info")
