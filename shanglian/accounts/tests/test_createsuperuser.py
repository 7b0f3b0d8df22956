import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from shanglian.accounts.models import User


@pytest.mark.django_db
def test_createsuperuser_noinput_refuses_a_weak_password(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "123")
    with pytest.raises((CommandError, ValidationError)):
        call_command("createsuperuser", "--noinput", "--username", "root1", "--email", "r@example.com")
    assert not User.objects.filter(username="root1").exists()


@pytest.mark.django_db
def test_createsuperuser_noinput_accepts_a_strong_password(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Strong@Pass2026")
    call_command("createsuperuser", "--noinput", "--username", "root2", "--email", "r@example.com")
    assert User.objects.get(username="root2").check_password("Strong@Pass2026")
