"""Background work of accounts (run by `manage.py run_huey`; immediate in tests): the module the Huey
consumer discovers, so it names the tasks defined beside their work."""

from .sms_login import issue_login_code

__all__ = ["issue_login_code"]
