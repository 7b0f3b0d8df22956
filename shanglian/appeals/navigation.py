from shanglian.accounts.roles import READER_ROLES, Role
from shanglian.ui.navigation import NavItem, register

register("诉求服务", order=30, items=[
    NavItem("诉求办理", "appeals:list", READER_ROLES, "message"),
    NavItem("诉求统计", "appeals:statistics", READER_ROLES, "chart"),
    NavItem("我的诉求", "appeals:h5_home", frozenset({Role.ENTERPRISE}), "message"),
])
