"""政策 counts on the 工作台 of those who keep the library."""

from django.urls import reverse

from shanglian.accounts.roles import EDITOR_ROLES, role_of
from shanglian.ui.todos import Todo, register

from . import selectors
from .models import Policy


@register
def policy_todos(user):
    if role_of(user) not in EDITOR_ROLES:
        return
    drafts = selectors.policies_visible_to(user).filter(status=Policy.Status.DRAFT).count()
    if drafts:
        yield Todo("待发布的政策草稿", drafts, f"{reverse('policies:list')}?status=draft", "info")
