from shanglian.accounts.roles import READER_ROLES, Role
from shanglian.ui.navigation import NavItem, register, register_h5_tab

register("诉求服务", order=30, items=[
    NavItem("诉求办理", "appeals:list", READER_ROLES, "message"),
    NavItem("诉求统计", "appeals:statistics", READER_ROLES, "chart"),
    NavItem("我的诉求", "appeals:h5_home", frozenset({Role.ENTERPRISE}), "message"),
])

# The enterprise's phone pages: its appeals (the H5 home) and the form to submit one.
register_h5_tab("appeals", "我的诉求", "appeals:h5_home", icon="☰", order=10)
register_h5_tab("create", "提交诉求", "appeals:h5_create", icon="＋", order=20)
