"""The demo logins (`data/logins.toml`): one per role, bound to a unit of the demo district, demo mode only."""

from django.db.models.functions import Lower

from shanglian.accounts.models import User
from shanglian.accounts.roles import Role

from .files import load_toml

DEMO_PASSWORD = "Shanglian@2026"
# (username, role, display name or None — then derived from the data, the unit it is bound to), in creation order.
DEMO_LOGINS = [(row["username"], Role(row["role"]), row.get("display_name"), row["unit"])
               for row in load_toml("logins.toml")["logins"]]
# {username: mobile} of the demo logins that may also sign in with mobile + SMS code.
DEMO_MOBILES = {row["username"]: row["mobile"] for row in load_toml("logins.toml")["logins"] if row.get("mobile")}


def taken_usernames():
    """The demo usernames already in use (usernames are unique case-insensitively), sorted."""
    return sorted(User.objects.annotate(lower_name=Lower("username"))
                  .filter(lower_name__in=[row[0] for row in DEMO_LOGINS])
                  .values_list("username", flat=True))


def create_logins(*, units, display):
    """Create the demo logins of the units given through `accounts.services.create_user` (the password rules
    apply): the members demo creates those of the district's units, the reports demo the city's (`city`).

    `units` maps unit names of `DEMO_LOGINS` to the scope keywords of `create_user` (federation, chamber,
    department, enterprise); `display` gives the display name of each login that has none of its own.
    Returns {username: User}.
    """
    from shanglian.accounts.services import create_user

    return {
        username: create_user(actor=None, username=username, password=DEMO_PASSWORD, role=role,
                              display_name=name or display[username], mobile=DEMO_MOBILES.get(username, ""),
                              audit=False, **units[unit])
        for username, role, name, unit in DEMO_LOGINS if unit in units
    }


def counts():
    return [("用户", User.objects.count())]


def sms_login_hints():
    """One line per demo login that may sign in by SMS code (its mobile is demo data, printed in full)."""
    return [f"{username} 也可用手机号 {mobile} + 短信验证码登录（演示环境不发真实短信，验证码见服务器日志）"
            for username, mobile in DEMO_MOBILES.items()]


def login_rows():
    """(username, role label, unit, password) of each demo login, as it is in the database now."""
    users = {u.username: u for u in User.objects.filter(username__in=[row[0] for row in DEMO_LOGINS])
             .select_related("federation", "chamber", "department", "enterprise")}
    rows = []
    for username, role, _display, _unit in DEMO_LOGINS:
        user = users.get(username)
        if user is None:
            unit = "（未创建）"
        elif user.chamber_id:
            unit = user.chamber.name
        elif user.department_id:
            unit = user.department.short_name or user.department.name
        elif user.enterprise_id:
            unit = user.enterprise.name
        elif user.federation_id:
            unit = user.federation.short_name or user.federation.name
        else:
            unit = ""
        rows.append((username, role.label, unit, DEMO_PASSWORD))
    return rows


def create_province_login(province, username):
    """The leader's login of the province federation `gen_scale --scale province` puts above the demo city (not one
    of the demo's own logins: a plain demo has no province)."""
    from shanglian.accounts.services import create_user

    return create_user(actor=None, username=username, password=DEMO_PASSWORD, role=Role.LEADER,
                       display_name="省工商联领导", federation=province, audit=False)
