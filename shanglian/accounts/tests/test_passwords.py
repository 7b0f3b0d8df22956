from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from shanglian.accounts.models import User


@pytest.mark.parametrize("password", ["Shanglian@2026", "abcdefg1!", "ABCDEFG1a", "x" * 40 + "A1"])
def test_passwords_meeting_the_policy_are_accepted(db, password):
    validate_password(password)


@pytest.mark.parametrize(("password", "rule"), [
    ("abc12345", "至少 3 类"),
    ("Ab1!", "8"),
    ("abcdefghij", "至少 3 类"),
    ("Aa1!" * 33, "128"),
    ("Password123", "太常见"),
])
def test_passwords_breaking_the_policy_are_refused_naming_the_rule(db, password, rule):
    with pytest.raises(ValidationError) as excinfo:
        validate_password(password)
    assert any(rule in message for message in excinfo.value.messages), excinfo.value.messages


def test_passwords_are_stored_with_argon2id(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = User.objects.create_user("hashcheck", password="Shanglian@2026")
    assert user.password.startswith("argon2$argon2id$")


def test_second_user_with_case_folded_duplicate_username_is_refused(db):
    User.objects.create_user("Wang", password="Shanglian@2026")
    with pytest.raises(IntegrityError):
        User.objects.create_user("wang", password="Shanglian@2026")


def test_user_without_usable_password_cannot_log_in(client, db):
    user = User.objects.create_user("nopass")
    user.set_unusable_password()
    user.save()
    client.post("/accounts/login/", {"username": "nopass", "password": ""})
    assert "_auth_user_id" not in client.session


def test_expired_password_forces_change_before_anything_else(cast, login):
    user = cast.users.staff
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    user.refresh_from_db()
    client = login(user)
    response = client.get("/members/enterprises/")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"
    assert client.get("/accounts/password/").status_code == 200
