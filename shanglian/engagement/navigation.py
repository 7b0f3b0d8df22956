from shanglian.accounts.roles import EDITOR_ROLES, MEMBER_READER_ROLES, VISITOR_ROLES, Role
from shanglian.ui.navigation import NavItem, register

LEADER = frozenset({Role.LEADER})

# 政治引领: the representative database and proposals (the federation; a chamber its own), liaison (the editors
# keep the assignments; a leader has a page of their own enterprises), party building (the federation; a
# chamber its own organisations) and the statistics of all four.
register("政治引领", order=48, items=[
    NavItem("代表人士", "engagement:representatives", MEMBER_READER_ROLES, "team", order=10),
    NavItem("政治安排", "engagement:arrangements", MEMBER_READER_ROLES, "flag", order=15),
    NavItem("议案提案", "engagement:proposals", MEMBER_READER_ROLES, "file", order=20),
    NavItem("包联企业", "engagement:liaisons", EDITOR_ROLES, "link", order=30),
    NavItem("我的包联企业", "engagement:my_liaisons", LEADER, "link", order=30),
    NavItem("走访记录", "engagement:visits", VISITOR_ROLES, "car", order=35),
    NavItem("党组织", "engagement:party_organisations", MEMBER_READER_ROLES, "flag", order=40),
    NavItem("企业党员情况", "engagement:party_census", MEMBER_READER_ROLES, "team", order=45),
    NavItem("党建指导员", "engagement:party_instructors", MEMBER_READER_ROLES, "user", order=50),
    NavItem("两个覆盖", "engagement:party_coverage", MEMBER_READER_ROLES, "chart", order=55),
    NavItem("政治引领统计", "engagement:statistics", MEMBER_READER_ROLES, "chart", order=60),
])
