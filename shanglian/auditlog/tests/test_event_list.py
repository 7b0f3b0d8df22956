from shanglian.audit import services


def test_auditor_reads_the_log_and_sees_the_events(cast, login):
    services.record("login", actor=cast.users.staff)
    page = login(cast.users.auditor).get("/audit/?action=login")
    assert page.status_code == 200 and "staff" in page.content.decode()
