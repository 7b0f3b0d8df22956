"""The test cast mirrors the demo logins: staff, leader, chamber1 (owns chamber 1), chamber2 (the
outsider), dept1, ent1, auditor, admin — plus outsider_staff from another district federation."""

import os

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
    return testing.make_cast()


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
