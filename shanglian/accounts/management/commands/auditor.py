"""三员分立: the auditor's account is created and its password reset only here, on the server, by the security
officer (never through /admin or the web; docs/security.md). The password comes from
SHANGLIAN_AUDITOR_PASSWORD or is asked twice on the terminal; the password rules apply; each step is audited."""

import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from shanglian.accounts import services
from shanglian.accounts.models import User


def read_password():
    password = os.environ.get("SHANGLIAN_AUDITOR_PASSWORD")
    if password:
        return password
    first = getpass.getpass("新密码：")
    if first != getpass.getpass("再次输入新密码："):
        raise CommandError("两次输入的密码不一致。")
    return first


def message(error):
    return "；".join(error.messages) if isinstance(error, ValidationError) else str(error)


class Command(BaseCommand):
    help = "创建审计员账号或重置审计员密码（仅限服务器上由安全保密管理员执行）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="创建审计员账号")
        create.add_argument("username")
        create.add_argument("--display-name", default="")
        create.add_argument("--federation", type=int, default=None, help="所属工商联编号")
        reset = sub.add_parser("reset-password", help="重置审计员密码")
        reset.add_argument("username")

    def handle(self, *args, action, username, **options):
        password = read_password()
        try:
            if action == "create":
                self.create(username, password, options)
            else:
                self.reset(username, password)
        except ValidationError as error:
            raise CommandError(message(error)) from error
        self.stdout.write(self.style.SUCCESS("已完成，操作已记入审计日志。"))

    def create(self, username, password, options):
        federation_model = User._meta.get_field("federation").related_model  # orgs is on a higher floor
        federation = None
        if options["federation"] is not None:
            federation = federation_model.objects.filter(pk=options["federation"]).first()
            if federation is None:
                raise CommandError("找不到该工商联。")
        services.create_user(actor=None, username=username, password=password, role="auditor",
                             display_name=options["display_name"], federation=federation)

    @transaction.atomic
    def reset(self, username, password):
        from django.contrib.auth.password_validation import validate_password

        user = User.objects.filter(username__iexact=username).first()
        if user is None or not services.is_auditor_account(user):
            raise CommandError("该用户不是审计员；其他账号的密码由系统管理员在管理后台重置。")
        validate_password(password, user)
        services.change_password(actor=None, user=user, new_password=password)
