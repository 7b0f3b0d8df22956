from shanglian.accounts.roles import FEDERATION_ROLES, MEMBER_READER_ROLES
from shanglian.ui.navigation import NavItem, register, register_h5_tab

from .selectors.board import pending_received_count

# 会员发展与服务: the federation's records and a chamber secretary its own chamber's (prospects it follows,
# applications to join it, its members' enrollments and outcomes); the directory, the board and the working groups
# of its federation. An enterprise works on its phone: the 供需 tab, and from 我的 its application and its listing.
register("会员发展与服务", order=54, items=[
    NavItem("发展会员", "growth:prospects", MEMBER_READER_ROLES, "user", order=10),
    NavItem("发展目标", "growth:targets", FEDERATION_ROLES, "flag", order=15),
    NavItem("入会申请", "growth:applications", MEMBER_READER_ROLES, "file", order=20),
    NavItem("服务企业", "growth:enrollments", MEMBER_READER_ROLES, "building", order=30),
    NavItem("会员名录", "growth:directory", MEMBER_READER_ROLES, "list", order=40),
    NavItem("供需对接", "growth:posts", MEMBER_READER_ROLES, "link", order=50),
    NavItem("对接成果", "growth:outcomes", MEMBER_READER_ROLES, "trophy", order=55),
    NavItem("专项工作组", "growth:groups", MEMBER_READER_ROLES, "team", order=60),
    NavItem("会员发展统计", "growth:statistics", MEMBER_READER_ROLES, "chart", order=70),
])
# The 供需 tab counts the contact requests waiting for the poster's consent.
register_h5_tab("board", "供需", "growth:h5_board", icon="⇄", order=35, badge=pending_received_count)
