"""/admin masks personal data like every other page, and unlocking a login there is audited (issue 18, 6)."""

import pytest
from django.urls import reverse

from shanglian.accounts.models import LoginLockout
from shanglian.audit.models import AuditAction, AuditEvent
from shanglian.members.models import Enterprise, Person

from .test_admin_in_chinese import admin_pages

STAFF_MOBILE = "13912345678"


def _full_values(cast):
    cast.users.staff.mobile = STAFF_MOBILE
    cast.users.staff.save(update_fields=["mobile", "mobile_index"])
    values = [STAFF_MOBILE]
    for person in Person.objects.all():
        values += [person.id_number, person.mobile]
    for enterprise in Enterprise.objects.exclude(contact_mobile=""):
        values.append(enterprise.contact_mobile)
    return [v for v in values if v]


def test_no_admin_page_shows_a_full_id_number_or_mobile(cast, login):
    values = _full_values(cast)
    assert len(values) >= 5
    client = login(cast.users.admin)
    urls = list(admin_pages(cast))
    urls += [reverse("admin:members_person_change", args=[p.pk]) for p in Person.objects.all()]
    urls += [reverse("admin:accounts_user_change", args=[cast.users.staff.pk])]
    for url in urls:
        response = client.get(url)
        if response.status_code == 403:
            continue
        page = response.content.decode()
        shown = [v for v in values if v in page]
        assert not shown, f"{url} shows {len(shown)} full personal value(s)"


def test_the_change_page_says_what_is_stored_masked(cast, login):
    person = Person.objects.first()
    page = login(cast.users.admin).get(reverse("admin:members_person_change", args=[person.pk])).content.decode()
    assert f"已登记 {person.id_number[:4]}" in page and "留空则不修改" in page


def _person_form(person, **changes):
    form = {"federation": person.federation_id, "name": person.name, "gender": person.gender,
            "birth_year": person.birth_year, "id_number": "", "mobile": "",
            "enterprise_roles-TOTAL_FORMS": "0", "enterprise_roles-INITIAL_FORMS": "0"}
    form.update(changes)
    return form


def test_saving_with_the_inputs_left_empty_keeps_the_stored_values(cast, login):
    person = Person.objects.first()
    person.enterprise_roles.all().delete()
    id_number, mobile = person.id_number, person.mobile
    client = login(cast.users.admin)
    response = client.post(reverse("admin:members_person_change", args=[person.pk]),
                           _person_form(person, name="王建业"))
    assert response.status_code == 302, response.content.decode()[:3000]
    person.refresh_from_db()
    assert (person.name, person.id_number, person.mobile) == ("王建业", id_number, mobile)
    row = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="members.person").latest("pk")
    assert row.detail["changed"] == ["姓名"]  # the ID number and mobile inputs left empty are not changes


def test_a_typed_value_replaces_the_stored_one(cast, login):
    user = cast.users.staff
    user.mobile = STAFF_MOBILE
    user.save(update_fields=["mobile", "mobile_index"])
    client = login(cast.users.admin)
    form = {"username": user.username, "is_active": "on", "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00", "mobile": "13700001111", "federation": user.federation_id}
    response = client.post(reverse("admin:accounts_user_change", args=[user.pk]), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    user.refresh_from_db()
    assert user.mobile == "13700001111"


@pytest.mark.parametrize("how", ["delete_view", "bulk_action"])
def test_deleting_a_lockout_record_in_admin_is_audited(cast, login, how):
    lockout = LoginLockout.objects.create(username="lockme", ip_address="10.0.0.9", user_agent="x", http_accept="*/*",
                                          path_info="/accounts/login/", get_data="", post_data="",
                                          failures_since_start=5)
    client = login(cast.users.admin)
    if how == "delete_view":
        response = client.post(reverse("admin:accounts_loginlockout_delete", args=[lockout.pk]), {"post": "yes"})
    else:
        response = client.post(reverse("admin:accounts_loginlockout_changelist"),
                               {"action": "delete_selected", "_selected_action": [lockout.pk], "post": "yes"})
    assert response.status_code == 302
    assert not LoginLockout.objects.filter(pk=lockout.pk).exists()
    row = AuditEvent.objects.get(action=AuditAction.DELETE, object_id=str(lockout.pk),
                                 object_type="accounts.loginlockout")
    assert row.actor_id == cast.users.admin.pk
