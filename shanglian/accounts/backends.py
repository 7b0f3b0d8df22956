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
