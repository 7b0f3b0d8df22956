from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "shanglian.reports"
    label = "reports"
    verbose_name = "统计报告"
