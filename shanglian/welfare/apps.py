from django.apps import AppConfig


class WelfareConfig(AppConfig):
    name = "shanglian.welfare"
    label = "welfare"
    verbose_name = "光彩公益"
