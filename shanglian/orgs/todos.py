from django.urls import reverse

from shanglian.accounts.roles import EDITOR_ROLES, Role, role_of
from shanglian.ui.todos import Todo, register

from . import selectors


@register
def chamber_todos(user):
    role = role_of(user)
    if role in EDITOR_ROLES:
        count = selectors.chambers_missing_secretary(user).count()
        if count:
            yield Todo("未设秘书长的商会", count, reverse("orgs:chamber_list") + "?missing=secretary")
    elif role == Role.CHAMBER and user.chamber_id:
        chamber = user.chamber
        missing = [label for label, value in (("秘书长", chamber.secretary_general), ("联系电话", chamber.phone),
                                              ("办公地址", chamber.address)) if not value]
        if missing:
            yield Todo("本商会信息待完善：" + "、".join(missing), len(missing),
                       reverse("orgs:chamber_detail", args=[chamber.pk]))
