from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CommonConfig(AppConfig):
    name = "shanglian.common"
    label = "common"
    verbose_name = "基础数据"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .dbstats import refresh_after_migrate

        # Sent once per app after every migration has run: one sender, so one ANALYZE per `migrate`.
        post_migrate.connect(refresh_after_migrate, sender=self, dispatch_uid="common_planner_statistics")
