"""What appeals contribute to other apps' pages (discovered at startup, see `ui.sections`)."""

from django.db.models import Exists, OuterRef
from django.urls import reverse

from shanglian.accounts.roles import FEDERATION_ROLES, Role, role_of
from shanglian.ui.sections import Section, register

from . import selectors
from .models import OPEN_STATES, Assignment


@register("department")
def department_appeals(user, department):
    """承办诉求 on a department's page: the appeals dispatched to it that the user may read, how many are
    still open and how many of its assignments are late, with a link to the appeal list of exactly those."""
    # a department's own page: its scope is exactly the appeals dispatched to it
    own = role_of(user) == Role.DEPARTMENT and user.department_id == department.pk
    appeals = selectors.appeal_list(user, filters={} if own else {"department": department.pk})
    url = reverse("appeals:list")
    if role_of(user) in FEDERATION_ROLES:  # a department's own list is already its appeals only
        url += f"?department={department.pk}"
    return Section("appeals/_department_section.html", {
        "total": appeals.count(),
        "open": appeals.filter(status__in=OPEN_STATES).count(),
        # the department's late assignments (few: work in progress), each checked against the user's scope
        "late": Assignment.objects.overdue().filter(
            Exists(appeals.filter(pk=OuterRef("appeal_id"))), department=department).count(),
        "url": url,
    })
