from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Import pages, command and jobs; the import-kind registry; audited exports, large ones as jobs."""

    name = "shanglian.imports"
    label = "imports"
    verbose_name = "导入导出"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # each app's imports.py registers its kinds (registry.register / @import_kind)
        autodiscover_modules("imports")
