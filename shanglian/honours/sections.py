"""What the honours app contributes to other apps' pages (discovered at startup, see `ui.sections`)."""

from django.core.exceptions import PermissionDenied

from shanglian.accounts.roles import EDITOR_ROLES, role_of
from shanglian.ui.sections import Section, register

from .selectors import lists as selectors


@register("enterprise")
def enterprise_honours(user, enterprise):
    """荣誉记录 on the enterprise 360° page: every current published list the enterprise is on (year, category,
    rank), for whoever reads the federation's lists; and, for the editors, its nominations still to be decided.
    Nothing for a role that reads no lists (the enterprise's own user, whose pages are its phone pages)."""
    try:
        honours = list(selectors.enterprise_honours(user, enterprise))
    except PermissionDenied:
        return None
    editor = role_of(user) in EDITOR_ROLES
    return Section("honours/lists/_enterprise_section.html", {
        "enterprise": enterprise, "honours": honours,
        "nominations": list(selectors.open_nominations(user, enterprise)) if editor else [],
        "show_nominations": editor,
    })
