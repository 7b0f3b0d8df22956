from django.apps import AppConfig


class GrowthConfig(AppConfig):
    name = "shanglian.growth"
    label = "growth"
    verbose_name = "会员发展与服务"
