from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    name = "shanglian.workbench"
    label = "workbench"
    verbose_name = "工作台"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("todos")
        autodiscover_modules("panels")
        autodiscover_modules("figures")
