from django.urls import reverse

from shanglian.accounts.roles import EDITOR_ROLES, role_of
from shanglian.common.models import DictItem
from shanglian.ui.todos import Todo, register

from .views import KIND


@register
def toy_todos(user):
    if role_of(user) in EDITOR_ROLES:
        yield Todo("待整理的示例条目", DictItem.objects.filter(kind=KIND).count(), reverse("toy_module:item_list"))
