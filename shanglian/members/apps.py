from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "shanglian.members"
    label = "members"
    verbose_name = "会员管理"
