from shanglian.accounts.roles import READER_ROLES
from shanglian.ui.navigation import NavItem, register

register("示例模块", order=47, items=[NavItem("示例条目", "toy_module:item_list", READER_ROLES, "file")])
