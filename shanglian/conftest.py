"""The test cast mirrors the demo logins: staff, leader, chamber1 (owns chamber 1), chamber2 (the
outsider), dept1, ent1, auditor, admin — plus outsider_staff from another district federation."""

import os
from types import SimpleNamespace

import pytest

from shanglian import testing
from shanglian.accounts.roles import Role


@pytest.fixture(autouse=True)
def test_settings(settings, tmp_path):
    # The audit chain's signed checkpoint goes to the test's own directory, never var/.
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoint.json"
    # Argon2 is the production hasher (tested in test_passwords); tests use a fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # No collectstatic in unit tests: serve from the finders, without the manifest.
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends with a flush that also removes what the data migrations loaded
    (industry codes, dictionaries, appeal categories); put it back once that teardown is done."""
    yield
    if nextitem is None:  # the last test: the test database is already gone, nothing needs the data
        return
    marker = item.get_closest_marker("django_db")
    names = set(getattr(item, "fixturenames", ()))
    if (marker and marker.kwargs.get("transaction")) or names & {"transactional_db", "live_server"}:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            testing.ensure_reference_data()


@pytest.fixture
def cast(db):
    city = testing.make_federation(name="天津市工商联", level="city", region_code="120100")
    district = testing.make_federation(name="河西区工商联", level="county", region_code="120103", parent=city)
    other = testing.make_federation(name="南开区工商联", level="county", region_code="120104", parent=city)
    street = testing.make_street(district, name="友谊路街道")
    chamber1 = testing.make_chamber(district, name="友谊路街道商会", street=street, secretary_general="李秘书")
    chamber2 = testing.make_chamber(district, name="河西区浙江商会", kind="nonlocal")
    dept1 = testing.make_department(district, name="区税务局")
    dept2 = testing.make_department(district, name="区人社局")
    ent1 = testing.make_enterprise(district, name="天津友谊科技有限公司", chamber=chamber1, street=street)
    ent2 = testing.make_enterprise(district, name="天津之江贸易有限公司", chamber=chamber2)
    ent_other = testing.make_enterprise(other, name="南开某某餐饮有限公司")
    person1 = testing.make_person(district, name="王建国", enterprise=ent1)
    person2 = testing.make_person(district, name="陈浙江", enterprise=ent2)
    memberships = SimpleNamespace(
        ent1=testing.make_membership(district, ent1, number="HX-2020-0001"),
        ent2=testing.make_membership(district, ent2, number="HX-2020-0002"),
        person1=testing.make_membership(district, person1, number="HX-2020-0003"),
        chamber1=testing.make_membership(district, chamber1, number="HX-2020-0004"),
        ent_other=testing.make_membership(other, ent_other, number="NK-2020-0001"),
    )
    users = SimpleNamespace(
        admin=testing.make_user(Role.SYSADMIN, username="admin", federation=district),
        staff=testing.make_user(Role.STAFF, username="staff", federation=district),
        leader=testing.make_user(Role.LEADER, username="leader", federation=district),
        chamber1=testing.make_user(Role.CHAMBER, username="chamber1", chamber=chamber1),
        chamber2=testing.make_user(Role.CHAMBER, username="chamber2", chamber=chamber2),
        dept1=testing.make_user(Role.DEPARTMENT, username="dept1", department=dept1),
        ent1=testing.make_user(Role.ENTERPRISE, username="ent1", enterprise=ent1),
        auditor=testing.make_user(Role.AUDITOR, username="auditor", federation=district),
        outsider_staff=testing.make_user(Role.STAFF, username="outsider", federation=other),
    )
    return SimpleNamespace(
        city=city, district=district, other=other, street=street, chamber1=chamber1, chamber2=chamber2,
        dept1=dept1, dept2=dept2, ent1=ent1, ent2=ent2, ent_other=ent_other, person1=person1, person2=person2,
        users=users, memberships=memberships,
    )


@pytest.fixture
def login(client):
    """login(user) → the test client logged in as that user (second factor verified where required)."""

    def _login(user):
        client.force_login(user)
        if user.role in (Role.SYSADMIN, Role.AUDITOR):
            testing.verify_second_factor(client, user)
        return client

    return _login


# --- Browser tests (pytest-playwright, Debian's Chromium; never `playwright install`) -------------
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Chromium takes its own interface language (date and file inputs: 年/月/日, 选择文件) from LANGUAGE, with
    # Debian's chromium-l10n; the context's locale only sets navigator.language and Accept-Language.
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium",
            "env": {**os.environ, "LANG": "zh_CN.UTF-8", "LANGUAGE": "zh_CN"},
            "args": ["--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", "--disable-gpu"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai",
            "viewport": {"width": 1366, "height": 800}}


@pytest.fixture
def artifacts_dir():
    import os
    from pathlib import Path

    path = Path(os.environ.get("SHANGLIAN_TEST_ARTIFACTS", "test-artifacts"))
    path.mkdir(parents=True, exist_ok=True)
    return path
