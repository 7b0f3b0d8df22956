from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "shanglian.notifications"
    label = "notifications"
    verbose_name = "消息通知"

    def ready(self):
        # accounts sits below notifications: hand it the SMS channel for sign-in codes.
        from shanglian.accounts.sms_login import register_code_sender

        from .services import send_login_code

        register_code_sender(send_login_code)
