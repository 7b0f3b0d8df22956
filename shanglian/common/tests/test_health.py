"""/healthz/: 200 without a login while the database answers, 503 naming only the error's class when it does not;
no session is created; GET and HEAD only."""

from unittest import mock

from django.db import OperationalError
from django.urls import reverse


def test_healthz_answers_ok_without_a_login_or_a_session(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "sessionid" not in response.cookies and "no-cache" in response["Cache-Control"]
    assert client.head(reverse("healthz")).status_code == 200


def test_healthz_is_503_when_the_database_does_not_answer(client, db):
    with mock.patch("shanglian.common.health.connection.cursor",
                    side_effect=OperationalError("could not connect to server at 10.0.0.5")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "OperationalError"}
    assert b"10.0.0.5" not in response.content


def test_healthz_refuses_a_post(client, db):
    assert client.post(reverse("healthz")).status_code == 405


def test_healthz_is_not_redirected_to_https_where_every_other_page_is(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("accounts:login")).status_code == 301
