from shanglian.accounts.roles import EDITOR_ROLES, MEMBER_READER_ROLES, Role
from shanglian.ui.navigation import NavItem, register

register("会员管理", order=20, items=[
    NavItem("工商联会员", "members:membership_list", MEMBER_READER_ROLES, "team"),
    NavItem("会员统计", "members:member_statistics", MEMBER_READER_ROLES, "chart"),
    NavItem("会员企业", "members:enterprise_list", MEMBER_READER_ROLES, "building"),
    NavItem("非公经济人士", "members:person_list", MEMBER_READER_ROLES, "user"),
    NavItem("疑似重复", "members:duplicates", EDITOR_ROLES, "check"),
    NavItem("合并记录", "members:merges", EDITOR_ROLES, "file"),
    NavItem("本企业信息", "members:enterprise_detail", frozenset({Role.ENTERPRISE}), "building",
            kwargs=lambda u: {"pk": u.enterprise_id}),
])
