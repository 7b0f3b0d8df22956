"""Under SHANGLIAN_ENV=production the server refuses to start while a demo login with the published demo
password can still sign in (a database seeded by `seed_demo` and then deployed). `shanglian/wsgi.py` runs
this check at start-up in production; `manage.py check` and `migrate` run it too."""

from django.conf import settings
from django.core.checks import Error, register
from django.db import DatabaseError
from django.db.models.functions import Lower


@register("shanglian_production")
def demo_logins_in_production(app_configs=None, **kwargs):
    if not getattr(settings, "PRODUCTION", False):
        return []
    from shanglian.accounts.models import User

    from .logins import DEMO_LOGINS, DEMO_PASSWORD

    names = {row[0].lower() for row in DEMO_LOGINS}
    try:
        candidates = list(User.objects.annotate(lower_name=Lower("username")).filter(lower_name__in=names, is_active=True))
    except DatabaseError:  # no tables yet (before the first migrate)
        return []
    open_logins = sorted(u.username for u in candidates if u.check_password(DEMO_PASSWORD))
    if not open_logins:
        return []
    return [Error(
        f"生产环境中存在仍使用演示密码的演示账号：{', '.join(open_logins)}。",
        hint="请停用这些账号或修改其密码（或使用未导入演示数据的数据库）后再启动。",
        id="shanglian.E001",
    )]
