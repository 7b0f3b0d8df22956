from shanglian.accounts.roles import FEDERATION_ROLES, Role
from shanglian.ui.navigation import NavItem, register

register("组织机构", order=60, items=[
    NavItem("商会", "orgs:chamber_list", FEDERATION_ROLES, "flag"),
    NavItem("本商会", "orgs:chamber_detail", frozenset({Role.CHAMBER}), "flag", kwargs=lambda u: {"pk": u.chamber_id}),
    NavItem("届次", "orgs:term_list", FEDERATION_ROLES, "calendar"),
    NavItem("专门委员会", "orgs:committee_list", FEDERATION_ROLES, "team"),
    NavItem("职能部门", "orgs:department_list", FEDERATION_ROLES, "bank"),
    NavItem("本部门", "orgs:department_detail", frozenset({Role.DEPARTMENT}), "bank",
            kwargs=lambda u: {"pk": u.department_id}),
    NavItem("街道（镇）", "orgs:street_list", FEDERATION_ROLES, "location"),
    NavItem("帮扶村", "orgs:village_list", FEDERATION_ROLES, "home"),
])
