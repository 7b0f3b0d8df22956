"""The left navigation is assembled from each app's `navigation.py`; this pins what every role sees."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from shanglian.accounts.roles import ALL_ROLES
from shanglian.ui import navigation
from shanglian.ui.navigation import NavItem, navigation_for

# 政治引领 (engagement/navigation.py): the liaison list for the editors, a leader's own liaisons, no liaison for a
# chamber; the rest for every member reader.
_DATABASE = [("代表人士", "engagement:representatives", "team"), ("政治安排", "engagement:arrangements", "flag"),
             ("议案提案", "engagement:proposals", "file")]
_PARTY = [("党组织", "engagement:party_organisations", "flag"), ("企业党员情况", "engagement:party_census", "team"),
          ("党建指导员", "engagement:party_instructors", "user"), ("两个覆盖", "engagement:party_coverage", "chart"),
          ("政治引领统计", "engagement:statistics", "chart")]
_VISITS = ("走访记录", "engagement:visits", "car")
ENGAGEMENT = ("政治引领", [*_DATABASE, ("包联企业", "engagement:liaisons", "link"), _VISITS, *_PARTY])
LEADER_ENGAGEMENT = ("政治引领", [*_DATABASE, ("我的包联企业", "engagement:my_liaisons", "link"), _VISITS, *_PARTY])
CHAMBER_ENGAGEMENT = ("政治引领", [*_DATABASE, *_PARTY])
# 光彩公益 (welfare/navigation.py): every member-registry reader, each on its own scope.
WELFARE = ("光彩公益", [("捐款捐物", "welfare:donations", "gift"), ("公益项目", "welfare:campaigns", "flag"),
                    ("结对帮扶", "welfare:pairings", "link"), ("帮扶村覆盖", "welfare:village_coverage", "home"),
                    ("光彩公益统计", "welfare:statistics", "chart")])
# 评选表彰 (honours/navigation.py): nominations for the nominators and judges, 我的评审 for a judge's roles (staff,
# leader), the rest for every member-registry reader.
_PROGRAMMES = ("评选活动", "honours:programmes", "trophy")
_NOMINATIONS = ("提名", "honours:nominations", "file")
_SCORING = ("我的评审", "honours:my_scoring", "edit")
_HONOURS_READ = [("发布榜单", "honours:lists", "list"), ("商会评估", "honours:assessments", "check"),
                 ("五有达标情况", "honours:compliance", "chart"), ("表彰评估统计", "honours:statistics", "chart")]
HONOURS = ("评选表彰", [_PROGRAMMES, _NOMINATIONS, _SCORING, *_HONOURS_READ])
ADMIN_HONOURS = ("评选表彰", [_PROGRAMMES, _NOMINATIONS, *_HONOURS_READ])  # the sysadmin nominates, never judges
CHAMBER_HONOURS = ADMIN_HONOURS
# 会员发展与服务 (growth/navigation.py): every member-registry reader; this year's targets for the federation.
_GROWTH_TARGETS = ("发展目标", "growth:targets", "flag")
_GROWTH = [("入会申请", "growth:applications", "file"), ("服务企业", "growth:enrollments", "building"),
           ("会员名录", "growth:directory", "list"), ("供需对接", "growth:posts", "link"),
           ("对接成果", "growth:outcomes", "trophy"), ("专项工作组", "growth:groups", "team"),
           ("会员发展统计", "growth:statistics", "chart")]
GROWTH = ("会员发展与服务", [("发展会员", "growth:prospects", "user"), _GROWTH_TARGETS, *_GROWTH])
CHAMBER_GROWTH = ("会员发展与服务", [("发展会员", "growth:prospects", "user"), *_GROWTH])
# 通知调研与宣传 (communications/navigation.py): notices, surveys, publicity, rules and statistics for every member-registry
# reader; saved filters for those who send; research reports and the friendly organisations for the federation.
_NOTICES = [("通知公告", "communications:notices", "bell"), ("问卷调查", "communications:surveys", "form")]
_FILTERS = ("保存的筛选", "communications:filters", "filter")
_REPORTS = ("调研报告", "communications:reports", "file")
_PUBLICITY = [("宣传报道", "communications:articles", "star"), ("规章制度", "communications:rules", "book")]
_PARTNERS = [("友好商会", "communications:partners", "link"), ("交流互访", "communications:exchanges", "flag")]
_COMMS_STATS = ("通知调研统计", "communications:statistics", "chart")
COMMS = ("通知调研与宣传", [*_NOTICES, _FILTERS, _REPORTS, *_PUBLICITY, *_PARTNERS, _COMMS_STATS])
LEADER_COMMS = ("通知调研与宣传", [*_NOTICES, _REPORTS, *_PUBLICITY, *_PARTNERS, _COMMS_STATS])
CHAMBER_COMMS = ("通知调研与宣传", [*_NOTICES, _FILTERS, *_PUBLICITY, _COMMS_STATS])
# 会员管理: the duplicate queue and the merges for the editors only (members/navigation.py).
_MEMBERS_READ = [("工商联会员", "members:membership_list", "team"), ("会员统计", "members:member_statistics", "chart"),
                 ("会员企业", "members:enterprise_list", "building"), ("非公经济人士", "members:person_list", "user")]
MEMBERS_READ = ("会员管理", _MEMBERS_READ)
FEDERATION = [
    ("首页", [("工作台", "workbench:home", "home")]),
    ("会员管理", [*_MEMBERS_READ, ("疑似重复", "members:duplicates", "check"), ("合并记录", "members:merges", "file")]),
    ("诉求服务", [("诉求办理", "appeals:list", "message"), ("诉求统计", "appeals:statistics", "chart")]),
    ("惠企政策", [("政策库", "policies:list", "file")]),
    ("活动管理", [("活动列表", "events:list", "calendar"), ("轮值主席", "events:roster", "team"),
              ("活动统计", "events:statistics", "chart"), ("议事规则", "events:quorum_rules", "setting")]),
    ENGAGEMENT,
    WELFARE,
    HONOURS,
    GROWTH,
    COMMS,
    ("组织机构", [("商会", "orgs:chamber_list", "flag"), ("届次", "orgs:term_list", "calendar"),
              ("专门委员会", "orgs:committee_list", "team"), ("职能部门", "orgs:department_list", "bank"),
              ("街道（镇）", "orgs:street_list", "location"), ("帮扶村", "orgs:village_list", "home")]),
]
# 统计报告 (reports/navigation.py): the federation's roles only.
REPORTS = ("统计报告", [("领导驾驶舱", "reports:dashboard", "chart"), ("指标库", "reports:catalogue", "book"),
                    ("指标目标", "reports:targets", "flag"), ("外部指标", "reports:externals", "file"),
                    ("各区对比", "reports:districts", "link"), ("报告引用指标", "reports:quoted", "star"),
                    ("年度工作报告", "reports:annual", "file")])
READER_EVENTS = ("活动管理", [("活动列表", "events:list", "calendar"), ("轮值主席", "events:roster", "team"),
                         ("活动统计", "events:statistics", "chart")])
PERSONAL = ("个人中心", [("站内消息", "notifications:inbox", "bell"), ("账户与安全", "accounts:profile", "lock")])

MENUS = {
    "admin": [FEDERATION[0], REPORTS, *FEDERATION[1:6], WELFARE, ADMIN_HONOURS, *FEDERATION[8:], ("系统管理", [("管理后台", "admin:index", "setting")]), PERSONAL],
    "staff": [FEDERATION[0], REPORTS, *FEDERATION[1:], PERSONAL],
    "leader": [FEDERATION[0], REPORTS, MEMBERS_READ, *FEDERATION[2:4], READER_EVENTS, LEADER_ENGAGEMENT, *FEDERATION[6:9],
               LEADER_COMMS, *FEDERATION[10:], PERSONAL],
    "chamber1": [FEDERATION[0], MEMBERS_READ, *FEDERATION[2:4], READER_EVENTS, CHAMBER_ENGAGEMENT, WELFARE,
                 CHAMBER_HONOURS, CHAMBER_GROWTH, CHAMBER_COMMS,
                 ("组织机构", [("本商会", ("orgs:chamber_detail", "chamber1"), "flag")]),
                 PERSONAL],
    "chamber2": [FEDERATION[0], MEMBERS_READ, *FEDERATION[2:4], READER_EVENTS, CHAMBER_ENGAGEMENT, WELFARE,
                 CHAMBER_HONOURS, CHAMBER_GROWTH, CHAMBER_COMMS,
                 ("组织机构", [("本商会", ("orgs:chamber_detail", "chamber2"), "flag")]),
                 PERSONAL],
    "dept1": [
        ("首页", [("工作台", "workbench:home", "home")]),
        ("诉求服务", [("诉求办理", "appeals:list", "message"), ("诉求统计", "appeals:statistics", "chart")]),
        ("惠企政策", [("政策库", "policies:list", "file")]),
        ("活动管理", [("轮值主席", "events:roster", "team")]),
        ("组织机构", [("本部门", ("orgs:department_detail", "dept1"), "bank")]),
        PERSONAL,
    ],
    "ent1": [
        ("首页", [("工作台", "workbench:home", "home")]),
        ("会员管理", [("本企业信息", ("members:enterprise_detail", "ent1"), "building")]),
        ("诉求服务", [("我的诉求", "appeals:h5_home", "message")]),
        ("惠企政策", [("为您推荐", "policies:h5_list", "file")]),
        ("活动管理", [("我的活动", "events:h5_invitations", "calendar"), ("轮值主席", "events:roster", "team")]),
        ("通知调研与宣传", [("通知公告", "communications:h5_inbox", "bell"), ("问卷调查", "communications:h5_surveys", "form")]),
        PERSONAL,
    ],
    "auditor": [
        ("首页", [("工作台", "workbench:home", "home")]),
        ("安全审计", [("审计日志", "audit:event_list", "shield")]),
        PERSONAL,
    ],
}


def _url(cast, target):
    if isinstance(target, tuple):  # a page of the user's own chamber, department or enterprise
        name, obj = target
        return reverse(name, kwargs={"pk": getattr(cast, obj).pk})
    return reverse(target)


@pytest.mark.parametrize("role", sorted(MENUS))
def test_each_role_sees_exactly_its_menu(cast, role):
    expected = [{"label": group, "items": [{"label": label, "url": _url(cast, target), "icon": icon, "active": False}
                                           for label, target, icon in items]}
                for group, items in MENUS[role]]
    assert navigation_for(getattr(cast.users, role)) == expected


@pytest.mark.parametrize(("path", "active"), [
    ("/", "工作台"),
    ("/members/", "工商联会员"),
    ("/members/statistics/", "会员统计"),  # the deepest matching item wins over 工商联会员
    ("/members/enterprises/7/", "会员企业"),
    ("/appeals/12/accept/", "诉求办理"),
    ("/notifications/", "站内消息"),
])
def test_the_deepest_item_the_path_is_under_is_the_only_active_one(cast, path, active):
    groups = navigation_for(cast.users.staff, path)
    assert [i["label"] for g in groups for i in g["items"] if i["active"]] == [active]


def test_no_item_is_active_outside_the_menu(cast):
    groups = navigation_for(cast.users.staff, "/accounts/password/")
    assert not [i for g in groups for i in g["items"] if i["active"]]


def test_a_new_app_adds_its_group_and_items_where_their_order_says(monkeypatch, cast):
    monkeypatch.setattr(navigation, "_groups", {})
    navigation.register("个人中心", order=80, items=[NavItem("账户与安全", "accounts:profile", ALL_ROLES, order=20)])
    navigation.register("首页", order=10, items=[NavItem("工作台", "workbench:home", ALL_ROLES)])
    navigation.register("个人中心", order=80, items=[NavItem("站内消息", "notifications:inbox", ALL_ROLES, order=10)])
    assert [(g["label"], [i["label"] for i in g["items"]]) for g in navigation_for(cast.users.staff)] == [
        ("首页", ["工作台"]), ("个人中心", ["站内消息", "账户与安全"])]


def test_one_group_registered_at_two_positions_is_refused(monkeypatch):
    monkeypatch.setattr(navigation, "_groups", {})
    navigation.register("首页", order=10, items=[])
    with pytest.raises(ImproperlyConfigured):
        navigation.register("首页", order=20, items=[])
