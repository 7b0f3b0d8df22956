from shanglian.accounts.roles import ALL_ROLES
from shanglian.ui.navigation import NavItem, register

register("个人中心", order=80, items=[NavItem("站内消息", "notifications:inbox", ALL_ROLES, "bell", order=10)])
