from shanglian.accounts.roles import FEDERATION_ROLES, MEMBER_READER_ROLES, SENDER_ROLES, Role
from shanglian.ui.navigation import NavItem, register

# 通知调研与宣传: the federation's notices and surveys (a chamber secretary its own chamber's), the saved filters they
# are sent to, research reports, publicity, the rules library and the friendly organisations. An enterprise reads its
# notices and answers its surveys on the phone: the 消息 tab (every notice arrives there through
# `notifications.notify`) and 我的 link to them.
ENTERPRISE = frozenset({Role.ENTERPRISE})
register("通知调研与宣传", order=56, items=[
    NavItem("通知公告", "communications:notices", MEMBER_READER_ROLES, "bell", order=10),
    NavItem("问卷调查", "communications:surveys", MEMBER_READER_ROLES, "form", order=20),
    NavItem("保存的筛选", "communications:filters", SENDER_ROLES, "filter", order=25),
    NavItem("调研报告", "communications:reports", FEDERATION_ROLES, "file", order=30),
    NavItem("宣传报道", "communications:articles", MEMBER_READER_ROLES, "star", order=40),
    NavItem("规章制度", "communications:rules", MEMBER_READER_ROLES, "book", order=50),
    NavItem("友好商会", "communications:partners", FEDERATION_ROLES, "link", order=60),
    NavItem("交流互访", "communications:exchanges", FEDERATION_ROLES, "flag", order=65),
    NavItem("通知调研统计", "communications:statistics", MEMBER_READER_ROLES, "chart", order=70),
    # the enterprise's phone pages (also linked from 我的), like 我的诉求 and 我的活动
    NavItem("通知公告", "communications:h5_inbox", ENTERPRISE, "bell", order=80),
    NavItem("问卷调查", "communications:h5_surveys", ENTERPRISE, "form", order=85),
])
