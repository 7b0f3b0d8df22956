"""API token authentication for integrations (WeChat mini-program, the 12345 hotline).

A token skips the login page, and with it the second factor, the idle timeout and the password
expiry; so only integration accounts hold one (accounts/tokens.py: hashed, expiring, revocable,
audited), never a person's account, and 三员分立's roles — the system administrator and the
auditor — act only through the login page."""

from django.core.exceptions import ValidationError
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from . import tokens
from .roles import SEPARATED_ROLES

TOKENLESS_ROLES = SEPARATED_ROLES


class IntegrationTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, checked against accounts.ApiToken (never DRF's authtoken table)."""

    def authenticate_credentials(self, key):
        try:
            return tokens.authenticate(key)
        except ValidationError as error:
            raise AuthenticationFailed(error.messages[0]) from None
