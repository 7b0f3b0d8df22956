"""The left navigation, by role. A module adds its entries here when it lands."""

from dataclasses import dataclass, field

from django.urls import reverse

from shanglian.accounts.roles import Role, role_of

ALL = set(Role)
FED = {Role.SYSADMIN, Role.STAFF, Role.LEADER}


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset
    icon: str = "dot"
    kwargs: object = None  # callable(user) -> dict of URL kwargs

    def url_for(self, user):
        return reverse(self.url_name, kwargs=self.kwargs(user) if self.kwargs else None)


@dataclass(frozen=True)
class NavGroup:
    label: str
    items: tuple = field(default_factory=tuple)


NAVIGATION = (
    NavGroup("首页", (NavItem("工作台", "workbench:home", frozenset(ALL), "home"),)),
    NavGroup(
        "会员管理",
        (
            NavItem("工商联会员", "members:membership_list", frozenset(FED | {Role.CHAMBER}), "team"),
            NavItem("会员统计", "members:member_statistics", frozenset(FED | {Role.CHAMBER}), "chart"),
            NavItem("会员企业", "members:enterprise_list", frozenset(FED | {Role.CHAMBER}), "building"),
            NavItem("非公经济人士", "members:person_list", frozenset(FED | {Role.CHAMBER}), "user"),
            NavItem("本企业信息", "members:enterprise_detail", frozenset({Role.ENTERPRISE}), "building",
                    kwargs=lambda u: {"pk": u.enterprise_id}),
        ),
    ),
    NavGroup(
        "诉求服务",
        (
            NavItem("诉求办理", "appeals:list", frozenset(FED | {Role.CHAMBER, Role.DEPARTMENT}), "message"),
            NavItem("诉求统计", "appeals:statistics", frozenset(FED | {Role.CHAMBER, Role.DEPARTMENT}), "chart"),
            NavItem("我的诉求", "appeals:h5_home", frozenset({Role.ENTERPRISE}), "message"),
        ),
    ),
    NavGroup(
        "惠企政策",
        (
            NavItem("政策库", "policies:list", frozenset(FED | {Role.CHAMBER, Role.DEPARTMENT}), "file"),
            NavItem("为您推荐", "policies:h5_list", frozenset({Role.ENTERPRISE}), "file"),
        ),
    ),
    NavGroup(
        "组织机构",
        (
            NavItem("商会", "orgs:chamber_list", frozenset(FED), "flag"),
            NavItem("本商会", "orgs:chamber_detail", frozenset({Role.CHAMBER}), "flag",
                    kwargs=lambda u: {"pk": u.chamber_id}),
            NavItem("专门委员会", "orgs:committee_list", frozenset(FED), "team"),
            NavItem("职能部门", "orgs:department_list", frozenset(FED), "bank"),
            NavItem("本部门", "orgs:department_detail", frozenset({Role.DEPARTMENT}), "bank",
                    kwargs=lambda u: {"pk": u.department_id}),
        ),
    ),
    NavGroup("安全审计", (NavItem("审计日志", "audit:event_list", frozenset({Role.AUDITOR}), "shield"),)),
    NavGroup("系统管理", (NavItem("管理后台", "admin:index", frozenset({Role.SYSADMIN}), "setting"),)),
    NavGroup("个人中心", (
        NavItem("站内消息", "notifications:inbox", frozenset(ALL), "bell"),
        NavItem("账户与安全", "accounts:profile", frozenset(ALL), "lock"),
    )),
)


def navigation_for(user, current_path=""):
    """The groups and items the user's role sees; the active item is the longest URL the path is under."""
    role = role_of(user)
    groups = []
    for group in NAVIGATION:
        items = [{"label": item.label, "url": item.url_for(user), "icon": item.icon, "active": False}
                 for item in group.items if role in item.roles]
        if items:
            groups.append({"label": group.label, "items": items})
    candidates = [i for g in groups for i in g["items"]
                  if current_path == i["url"] or (i["url"] != "/" and current_path.startswith(i["url"]))]
    if candidates:
        max(candidates, key=lambda i: len(i["url"]))["active"] = True
    return groups
