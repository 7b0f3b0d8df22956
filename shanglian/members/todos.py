from django.urls import reverse

from shanglian.accounts.roles import EDITOR_ROLES, MEMBER_KEEPER_ROLES, role_of
from shanglian.ui.todos import Todo, register

from . import duplicates, selectors


@register
def incomplete_enterprises(user):
    if role_of(user) in MEMBER_KEEPER_ROLES:
        count = selectors.enterprises_visible_to(user).filter(selectors.incomplete_enterprise_q()).count()
        if count:
            yield Todo("信息不完整的企业", count, reverse("members:enterprise_list") + "?incomplete=on", "info")


@register
def duplicates_to_review(user):
    """疑似重复 waiting for an editor's decision (merge or 非重复); the queue opens on exactly these."""
    if role_of(user) in EDITOR_ROLES:
        count = duplicates.open_candidates_of(user).count()
        if count:
            yield Todo("待处理的疑似重复记录", count, reverse("members:duplicates"), "info")
