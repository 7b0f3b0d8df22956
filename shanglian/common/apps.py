from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "shanglian.common"
    label = "common"
    verbose_name = "基础数据"
    default_auto_field = "django.db.models.BigAutoField"
