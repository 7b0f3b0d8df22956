from shanglian.accounts.roles import MEMBER_READER_ROLES
from shanglian.ui.navigation import NavItem, register

# 光彩公益: the federation's records and a chamber secretary its own chamber's (donations it organised, pairings
# of the chamber and its member enterprises); the campaigns of the federation and of the chamber.
register("光彩公益", order=50, items=[
    NavItem("捐款捐物", "welfare:donations", MEMBER_READER_ROLES, "gift", order=10),
    NavItem("公益项目", "welfare:campaigns", MEMBER_READER_ROLES, "flag", order=20),
    NavItem("结对帮扶", "welfare:pairings", MEMBER_READER_ROLES, "link", order=30),
    NavItem("帮扶村覆盖", "welfare:village_coverage", MEMBER_READER_ROLES, "home", order=40),
    NavItem("光彩公益统计", "welfare:statistics", MEMBER_READER_ROLES, "chart", order=50),
])
