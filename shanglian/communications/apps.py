from django.apps import AppConfig


class CommunicationsConfig(AppConfig):
    name = "shanglian.communications"
    label = "communications"
    verbose_name = "通知调研与宣传"
