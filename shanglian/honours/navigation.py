from shanglian.accounts.roles import JUDGE_ROLES, MEMBER_READER_ROLES, NOMINATOR_ROLES
from shanglian.ui.navigation import NavItem, register

# 评选表彰: the programmes (the federation runs them; a chamber reads them and nominates its members), a judge's own
# scoring queue, the published lists (every reader); 商会评估: a chamber its own, the federation all.
register("评选表彰", order=52, items=[
    NavItem("评选活动", "honours:programmes", MEMBER_READER_ROLES, "trophy", order=10),
    NavItem("提名", "honours:nominations", NOMINATOR_ROLES | JUDGE_ROLES, "file", order=20),
    NavItem("我的评审", "honours:my_scoring", JUDGE_ROLES, "edit", order=30),
    NavItem("发布榜单", "honours:lists", MEMBER_READER_ROLES, "list", order=40),
    NavItem("商会评估", "honours:assessments", MEMBER_READER_ROLES, "check", order=50),
    NavItem("五有达标情况", "honours:compliance", MEMBER_READER_ROLES, "chart", order=55),
    NavItem("表彰评估统计", "honours:statistics", MEMBER_READER_ROLES, "chart", order=60),
])
