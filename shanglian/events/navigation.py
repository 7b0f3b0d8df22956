from shanglian.accounts.roles import EDITOR_ROLES, EVENT_READER_ROLES, READER_ROLES, Role
from shanglian.ui.navigation import NavItem, register, register_h5_tab

from . import selectors

ENTERPRISE = frozenset({Role.ENTERPRISE})

# 轮值主席 is read by every role with business pages (the federation, chambers, departments, enterprises; the
# enterprise's page is laid out for the phone).
register("活动管理", order=45, items=[
    NavItem("活动列表", "events:list", EVENT_READER_ROLES, "calendar", order=10),
    NavItem("我的活动", "events:h5_invitations", ENTERPRISE, "calendar", order=15),
    NavItem("轮值主席", "events:roster", READER_ROLES | ENTERPRISE, "team", order=20),
    NavItem("活动统计", "events:statistics", EVENT_READER_ROLES, "chart", order=30),
    NavItem("议事规则", "events:quorum_rules", EDITOR_ROLES, "setting", order=40),
])


def pending_count(user):
    """The enterprise's invitations still waiting for its answer while registration is open."""
    return selectors.pending_invitations(user).count()


register_h5_tab("events", "活动", "events:h5_invitations", icon="◷", order=35, badge=pending_count)
