"""诉求 counts on the 工作台."""

from django.urls import reverse

from shanglian.accounts.roles import FEDERATION_AND_DEPARTMENT_ROLES, Role, role_of
from shanglian.ui.todos import Todo, register

from . import selectors


@register
def appeal_todos(user):
    role = role_of(user)
    if role not in FEDERATION_AND_DEPARTMENT_ROLES:
        return
    counts = selectors.queue_counts(user)
    url = reverse("appeals:list")
    if role == Role.DEPARTMENT:
        items = [("to_sign", "待签收的诉求", "warning"), ("handling", "办理中的诉求", "info"),
                 ("due_soon", "即将超期的诉求", "warning"), ("overdue", "已超期的诉求", "danger")]
    elif role == Role.LEADER:
        items = [("overdue", "已超期的诉求", "danger")]
    else:
        items = [("pending_accept", "待受理的诉求", "warning"), ("pending_dispatch", "待派单的诉求", "warning"),
                 ("due_soon", "即将超期的诉求", "warning"), ("overdue", "已超期的诉求", "danger"),
                 ("extension", "待审批延期的诉求", "warning"), ("callback", "待回访的诉求", "info")]
    # each count is the queue its link opens: the list shows exactly the records counted
    for key, label, level in items:
        if counts.get(key):
            yield Todo(label, counts[key], f"{url}?queue={key}", level)
