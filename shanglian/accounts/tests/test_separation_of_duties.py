"""三员分立 (SECURITY.md): nobody holds two of sysadmin / auditor / business roles, the sysadmin cannot
create an auditor, reset the auditor's password or move a user to or from the auditor's role (only
`manage.py auditor` on the server does), and the auditor passes the second factor like the sysadmin."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from shanglian import testing
from shanglian.accounts import services
from shanglian.accounts.models import User
from shanglian.accounts.roles import Role
from shanglian.audit.models import AuditEvent

NEW_PASSWORD = "Another@Pass9"


def group(role):
    services.ensure_role_groups()
    return Group.objects.get(name=role.value)


def test_admin_cannot_create_a_user_in_the_auditor_role(login, cast):
    client = login(cast.users.admin)
    response = client.post("/admin/accounts/user/add/", {
        "username": "sneaky", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true",
        "groups": [group(Role.AUDITOR).pk],
    })
    created = User.objects.get(username="sneaky")  # Django's add page asks the name and password only
    assert response.status_code == 302 and not created.groups.exists()
    client.post(f"/admin/accounts/user/{created.pk}/change/", {
        "username": "sneaky", "is_active": "on", "groups": [group(Role.AUDITOR).pk], "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    })
    assert not created.groups.filter(name=Role.AUDITOR.value).exists()


def test_admin_role_and_active_changes_are_audited_with_old_and_new_values(login, cast):
    client = login(cast.users.admin)
    staff = cast.users.staff
    response = client.post(f"/admin/accounts/user/{staff.pk}/change/", {
        "username": "staff", "groups": [group(Role.LEADER).pk], "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    })
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="update", object_id=str(staff.pk), detail__has_key="role").latest("id")
    assert event.detail["role"] == {"old": "staff", "new": "leader"}
    assert event.detail["is_active"] == {"old": True, "new": False}
    assert "password" not in event.detail


def test_admin_cannot_reset_the_auditor_password(login, cast):
    client = login(cast.users.admin)
    auditor = cast.users.auditor
    response = client.post(f"/admin/accounts/user/{auditor.pk}/password/",
                           {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"})
    assert response.status_code == 403
    auditor.refresh_from_db()
    assert auditor.check_password(testing.PASSWORD)


def test_admin_may_still_reset_a_business_user_password(login, cast):
    client = login(cast.users.admin)
    staff = cast.users.staff
    response = client.post(f"/admin/accounts/user/{staff.pk}/password/",
                           {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"})
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password(NEW_PASSWORD)


def test_sysadmin_service_cannot_change_the_auditor_password(cast):
    with pytest.raises(PermissionDenied):
        services.change_password(actor=cast.users.admin, user=cast.users.auditor, new_password=NEW_PASSWORD)


def test_sysadmin_service_cannot_create_an_auditor(cast):
    with pytest.raises(PermissionDenied):
        services.create_user(actor=cast.users.admin, username="aud2", password=NEW_PASSWORD, role=Role.AUDITOR)


def test_admin_cannot_move_a_user_into_or_out_of_the_auditor_role(login, cast):
    client = login(cast.users.admin)
    staff = cast.users.staff
    page = client.get(f"/admin/accounts/user/{staff.pk}/change/")
    assert page.status_code == 200
    assert f'value="{group(Role.AUDITOR).pk}"' not in page.content.decode()
    response = client.post(f"/admin/accounts/user/{staff.pk}/change/", {
        "username": "staff", "is_active": "on", "groups": [group(Role.AUDITOR).pk], "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    })
    assert set(staff.groups.values_list("name", flat=True)) == {Role.STAFF.value}
    auditor = cast.users.auditor
    response = client.post(f"/admin/accounts/user/{auditor.pk}/change/", {
        "username": "auditor", "is_active": "on", "groups": [group(Role.STAFF).pk], "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    })
    assert response.status_code == 403
    assert set(auditor.groups.values_list("name", flat=True)) == {Role.AUDITOR.value}


def test_one_user_cannot_hold_two_roles_at_save_level(cast):
    with pytest.raises(ValidationError), transaction.atomic():
        cast.users.staff.groups.add(group(Role.AUDITOR))
    assert set(cast.users.staff.groups.values_list("name", flat=True)) == {Role.STAFF.value}
    with pytest.raises(ValidationError), transaction.atomic():
        group(Role.SYSADMIN).user_set.add(cast.users.auditor)
    assert set(cast.users.auditor.groups.values_list("name", flat=True)) == {Role.AUDITOR.value}


def test_auditor_must_pass_the_second_factor(client, cast):
    client.force_login(cast.users.auditor)
    response = client.get("/")
    assert response.status_code == 302 and "/otp/" in response["Location"]


def test_auditor_command_creates_and_resets_with_audit(cast, monkeypatch):
    monkeypatch.setenv("SHANGLIAN_AUDITOR_PASSWORD", NEW_PASSWORD)
    call_command("auditor", "create", "aud9", "--display-name", "审计二", "--federation", str(cast.users.auditor.federation_id))
    user = User.objects.get(username="aud9")
    assert user.role == Role.AUDITOR and user.check_password(NEW_PASSWORD)
    created = AuditEvent.objects.filter(action="create", object_id=str(user.pk)).latest("id")
    assert created.detail["role"] == {"old": None, "new": "auditor"}
    monkeypatch.setenv("SHANGLIAN_AUDITOR_PASSWORD", "Third@Pass77")
    call_command("auditor", "reset-password", "AUD9")
    user.refresh_from_db()
    assert user.check_password("Third@Pass77")
    event = AuditEvent.objects.filter(action="password_change", object_id=str(user.pk)).latest("id")
    assert "Third@Pass77" not in str(event.detail)


def test_auditor_command_refuses_weak_password_and_non_auditors(cast, monkeypatch):
    monkeypatch.setenv("SHANGLIAN_AUDITOR_PASSWORD", "123")
    with pytest.raises(CommandError):
        call_command("auditor", "create", "aud8")
    assert not User.objects.filter(username="aud8").exists()
    monkeypatch.setenv("SHANGLIAN_AUDITOR_PASSWORD", NEW_PASSWORD)
    with pytest.raises(CommandError):
        call_command("auditor", "reset-password", "staff")


def test_admin_superuser_flag_follows_the_role_and_cannot_be_ticked(login, cast):
    client = login(cast.users.admin)
    staff = cast.users.staff
    client.post(f"/admin/accounts/user/{staff.pk}/change/", {
        "username": "staff", "is_active": "on", "is_staff": "on", "is_superuser": "on",
        "groups": [group(Role.STAFF).pk], "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00",
    })
    staff.refresh_from_db()
    assert not staff.is_superuser and not staff.is_staff
    leader = cast.users.leader
    client.post(f"/admin/accounts/user/{leader.pk}/change/", {
        "username": "leader", "is_active": "on", "groups": [group(Role.SYSADMIN).pk],
        "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00",
    })
    leader.refresh_from_db()
    assert leader.is_superuser and leader.is_staff and leader.role == Role.SYSADMIN
