from shanglian.accounts.roles import FEDERATION_ROLES
from shanglian.ui.navigation import NavItem, register

# 统计报告: the federation's figures in one place — the leaders' dashboard and its full-screen variant, every figure
# with its records, targets and external indicators, a city's districts side by side, the figures the work reports
# quote, and the annual work report. The federation's roles only: a chamber secretary and a department read their
# own figures on the statistics pages of the apps.
register("统计报告", order=15, items=[
    NavItem("领导驾驶舱", "reports:dashboard", FEDERATION_ROLES, "chart", order=10),
    NavItem("指标库", "reports:catalogue", FEDERATION_ROLES, "book", order=20),
    NavItem("指标目标", "reports:targets", FEDERATION_ROLES, "flag", order=30),
    NavItem("外部指标", "reports:externals", FEDERATION_ROLES, "file", order=40),
    NavItem("各区对比", "reports:districts", FEDERATION_ROLES, "link", order=50),
    NavItem("报告引用指标", "reports:quoted", FEDERATION_ROLES, "star", order=60),
    NavItem("年度工作报告", "reports:annual", FEDERATION_ROLES, "file", order=70),
])
