from django.apps import AppConfig

# The modules each app may contribute to the UI kit, found at startup (an app without one is skipped).
CONTRIBUTIONS = ("todos", "notices", "panels", "navigation", "figures", "sections")


class UIConfig(AppConfig):
    name = "shanglian.ui"
    label = "ui"
    verbose_name = "界面组件"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        for module in CONTRIBUTIONS:
            autodiscover_modules(module)
