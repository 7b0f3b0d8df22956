from shanglian.accounts.roles import Role
from shanglian.ui.navigation import NavItem, register

register("安全审计", order=60, items=[NavItem("审计日志", "audit:event_list", frozenset({Role.AUDITOR}), "shield")])
