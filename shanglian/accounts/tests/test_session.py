from datetime import timedelta

import time_machine
from django.contrib.sessions.models import Session
from django.utils import timezone

from shanglian import testing
from shanglian.audit.models import AuditEvent


def _login(client):
    client.post("/accounts/login/", {"username": "staff", "password": testing.PASSWORD})
    return client.session.session_key


def test_session_idle_for_31_minutes_is_ended_and_its_row_deleted(client, cast):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        key = _login(client)
        assert client.get("/").status_code == 200
        traveller.move_to(start + timedelta(minutes=31))
        response = client.get("/members/enterprises/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert not Session.objects.filter(session_key=key).exists()
    assert AuditEvent.objects.filter(action="session_timeout", username="staff").exists()


def test_activity_within_30_minutes_keeps_the_session(client, cast):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        _login(client)
        for minutes in (20, 40, 60):
            traveller.move_to(start + timedelta(minutes=minutes))
            assert client.get("/").status_code == 200


def test_session_older_than_12_hours_ends_even_when_active(client, cast):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        _login(client)
        for minutes in range(25, 12 * 60 + 25, 25):
            traveller.move_to(start + timedelta(minutes=minutes))
            response = client.get("/")
            if response.status_code == 302:
                break
    assert response.status_code == 302 and minutes > 12 * 60


def test_password_change_ends_other_sessions(client, cast):
    from django.test import Client

    other = Client()
    other.post("/accounts/login/", {"username": "staff", "password": testing.PASSWORD})
    _login(client)
    response = client.post("/accounts/password/", {
        "old_password": testing.PASSWORD, "new_password1": "Another@Pass77", "new_password2": "Another@Pass77"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 302
    assert AuditEvent.objects.filter(action="password_change", username="staff").exists()
