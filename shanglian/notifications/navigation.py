from shanglian.accounts.roles import ALL_ROLES
from shanglian.ui.navigation import NavItem, register, register_h5_tab

from .selectors import unread_count

register("个人中心", order=80, items=[NavItem("站内消息", "notifications:inbox", ALL_ROLES, "bell", order=10)])

register_h5_tab("messages", "消息", "notifications:inbox", icon="✉", order=40, badge=unread_count)
