from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "shanglian.engagement"
    label = "engagement"
    verbose_name = "政治引领与党建"
