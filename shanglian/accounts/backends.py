"""Authentication backends of our own (the password one is Django's ModelBackend)."""

from django.contrib.auth.backends import ModelBackend

from . import sms_login


class SmsCodeBackend(ModelBackend):
    """Mobile number + SMS code, for enterprise users (`accounts.sms_login`).

    Acts only on `sms_mobile_index` + `sms_token` (see `sms_login.sign_in_credentials`); the password form's
    credentials pass it by. Listed after `AxesStandaloneBackend`, so a locked user never reaches it."""

    def authenticate(self, request, sms_mobile_index=None, sms_token=None, audit_detail=None, **kwargs):
        if not sms_mobile_index or sms_token is None:
            return None
        user = sms_login.check_code(index=sms_mobile_index, code=sms_token)
        if user is None or not self.user_can_authenticate(user):
            return None
        user.login_audit_detail = dict(audit_detail or {}, method="sms")
        return user


def axes_username(request, credentials):
    """The name django-axes counts failures under (AXES_USERNAME_CALLABLE): lower-cased, since usernames
    are case-insensitive — `LoCkMe` and `lockme` share one lockout."""
    from django.conf import settings

    field = settings.AXES_USERNAME_FORM_FIELD
    username = (credentials or {}).get(field)
    if username is None and request is not None:
        username = request.POST.get(field)
    return username.strip().lower() if isinstance(username, str) else username
