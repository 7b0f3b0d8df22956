import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from shanglian.accounts.roles import Role
from shanglian.accounts.services import create_user
from shanglian.demo.logins import DEMO_LOGINS, DEMO_PASSWORD


@pytest.mark.django_db
def test_production_refuses_to_start_with_demo_accounts(settings):
    username, role, _name, _unit = next(row for row in DEMO_LOGINS if row[1] == Role.STAFF)
    create_user(actor=None, username=username, password=DEMO_PASSWORD, role=Role.STAFF, audit=False)
    settings.PRODUCTION = True
    with pytest.raises(SystemCheckError, match="演示账号"):
        call_command("check")
    settings.PRODUCTION = False
    call_command("check")


@pytest.mark.django_db
def test_production_starts_without_demo_accounts(settings):
    settings.PRODUCTION = True
    call_command("check")
