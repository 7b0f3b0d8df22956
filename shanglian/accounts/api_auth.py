"""API token authentication for integrations (WeChat mini-program, the 12345 hotline).

A token skips the login page, and with it the second factor, the idle timeout and the password
expiry; so 三员分立's roles — the system administrator (who must pass the second factor) and the
auditor — act only through the login page and cannot use one."""

from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from .roles import SEPARATED_ROLES, role_of

TOKENLESS_ROLES = SEPARATED_ROLES


class IntegrationTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if role_of(user) in TOKENLESS_ROLES:
            raise AuthenticationFailed("系统管理员和审计员不能使用令牌访问接口，请登录后操作。")
        return user, token
