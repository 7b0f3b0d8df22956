"""What the policy library contributes to other apps' pages (discovered at startup, see `ui.sections`)."""

from shanglian.accounts.roles import Role, role_of
from shanglian.ui.sections import Section, register

from . import selectors

ENTERPRISE_PREVIEW = 10


@register("enterprise")
def enterprise_matched_policies(user, enterprise):
    """匹配政策 on the enterprise 360° page: the newest live policies the enterprise is eligible for, with
    their count; an enterprise user's links go to its phone pages."""
    policies = selectors.newest_matched_policies(user, enterprise)
    return Section("policies/_enterprise_section.html", {
        "policies": policies[:ENTERPRISE_PREVIEW],
        "count": policies.count(),
        "url_name": "policies:h5_detail" if role_of(user) == Role.ENTERPRISE else "policies:detail",
    })
