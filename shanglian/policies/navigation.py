from shanglian.accounts.roles import READER_ROLES, Role
from shanglian.ui.navigation import NavItem, register, register_h5_tab

register("惠企政策", order=40, items=[
    NavItem("政策库", "policies:list", READER_ROLES, "file"),
    NavItem("为您推荐", "policies:h5_list", frozenset({Role.ENTERPRISE}), "file"),
])

register_h5_tab("policies", "政策", "policies:h5_list", icon="★", order=30)
