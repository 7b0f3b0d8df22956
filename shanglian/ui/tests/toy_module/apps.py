from django.apps import AppConfig


class ToyModuleConfig(AppConfig):
    name = "shanglian.ui.tests.toy_module"
    label = "toy_module"
    verbose_name = "示例模块"
