"""The shell's own menu entries: 首页, 系统管理, and 账户与安全 (accounts sits below the UI kit, so the
shell registers its page); on the enterprise's phone pages, the 我的 tab."""

from shanglian.accounts.roles import ALL_ROLES, Role
from shanglian.ui.navigation import NavItem, register, register_h5_tab

register("首页", order=10, items=[NavItem("工作台", "workbench:home", ALL_ROLES, "home")])
register("系统管理", order=70, items=[NavItem("管理后台", "admin:index", frozenset({Role.SYSADMIN}), "setting")])
register("个人中心", order=80, items=[NavItem("账户与安全", "accounts:profile", ALL_ROLES, "lock", order=20)])
register_h5_tab("me", "我的", "workbench:h5_me", icon="☺", order=50)
