"""Finding 9 of issue 18: no reuse of the last passwords; the old-password field of 修改密码 is throttled and
its failures audited (the PII reveal's password: members/tests/test_reveal_throttle.py)."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from shanglian import testing
from shanglian.accounts import services
from shanglian.audit.models import AuditEvent

URL = "/accounts/password/"


def change(client, old, new):
    return client.post(URL, {"old_password": old, "new_password1": new, "new_password2": new})


def test_the_current_password_cannot_be_set_again(login, cast):
    client = login(cast.users.staff)
    response = change(client, testing.PASSWORD, testing.PASSWORD)
    assert response.status_code == 200 and "最近" in response.content.decode()
    cast.users.staff.refresh_from_db()
    assert cast.users.staff.check_password(testing.PASSWORD)


def test_the_last_five_passwords_cannot_be_reused_but_an_older_one_can(cast):
    staff = cast.users.staff
    passwords = [f"Rotate@{n}Pass" for n in range(6)]
    for password in passwords:
        services.change_password(actor=staff, user=staff, new_password=password)
    for recent in passwords[-5:]:
        with pytest.raises(ValidationError, match="最近 5 次"):
            validate_password(recent, staff)
    validate_password(passwords[0], staff)  # the sixth back is allowed again
    validate_password(testing.PASSWORD, staff)


def test_wrong_old_passwords_are_audited_and_throttled(login, cast):
    client = login(cast.users.staff)
    for _ in range(5):
        response = change(client, "Wrong@Pass1", "Brand@New2026")
        assert response.status_code == 200
    assert AuditEvent.objects.filter(action="password_change", result="failure",
                                     actor=cast.users.staff).count() == 5
    response = change(client, testing.PASSWORD, "Brand@New2026")  # even the right one, for a while
    assert response.status_code == 200 and "次数过多" in response.content.decode()
    cast.users.staff.refresh_from_db()
    assert cast.users.staff.check_password(testing.PASSWORD)
