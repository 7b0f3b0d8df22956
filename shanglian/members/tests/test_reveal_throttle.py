from django.contrib.auth.models import Permission
from django.urls import reverse

from shanglian import testing
from shanglian.audit.models import AuditEvent


def test_wrong_reveal_passwords_are_audited_and_throttled(cast, login):
    staff = cast.users.staff
    staff.user_permissions.add(Permission.objects.get(codename="view_pii"))
    client = login(staff)
    url = reverse("members:person_detail", args=[cast.person1.pk])
    for _ in range(5):
        response = client.post(url, {"purpose": "核对身份", "password": "Wrong@Pass1"})
        assert response.status_code == 200 and "密码错误" in response.content.decode()
    failures = AuditEvent.objects.filter(action="pii_view", result="failure", actor=staff)
    assert failures.count() == 5 and failures.first().object_id == str(cast.person1.pk)
    response = client.post(url, {"purpose": "核对身份", "password": testing.PASSWORD})
    body = response.content.decode()
    assert "次数过多" in body and cast.person1.id_number not in body
    assert not AuditEvent.objects.filter(action="pii_view", result="success").exists()
