from django.apps import AppConfig


class HonoursConfig(AppConfig):
    name = "shanglian.honours"
    label = "honours"
    verbose_name = "评选表彰与商会评估"
