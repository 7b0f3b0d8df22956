"""`manage.py seed_demo [--if-empty] [--enterprises N]`: the fictional demo district (demo mode only).

Runs every demo builder the apps register (`shanglian.demo.registry`), in their order, in one transaction.
"""

import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from shanglian.common.dbstats import refresh_planner_statistics
from shanglian.demo import logins, orgs, registry
from shanglian.orgs.models import Federation


class Command(BaseCommand):
    help = "生成演示数据：依次运行各应用登记的演示数据构建器，生成虚构的河西区工商联的数据和演示账号（仅演示模式）。"

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="已有工商联数据时什么也不做（仍打印演示账号），可重复执行")
        parser.add_argument("--enterprises", type=int, default=registry.DEFAULT_ENTERPRISES,
                            help=f"企业数量，默认 {registry.DEFAULT_ENTERPRISES}")

    def handle(self, *args, if_empty=False, enterprises=registry.DEFAULT_ENTERPRISES, **options):
        if getattr(settings, "DEMO", False) is not True:
            raise CommandError(
                "seed_demo 仅可在演示模式下执行（设置环境变量 SHANGLIAN_DEMO=1）；生产环境不创建演示数据和演示账号。"
            )
        if enterprises < 40:
            raise CommandError("--enterprises 至少为 40。")
        if Federation.objects.exists():
            if not if_empty:
                raise CommandError(
                    "数据库中已有工商联数据，seed_demo 不会覆盖或清空已有数据。"
                    "如需重新生成，请换用一个空数据库；若只想在空库时生成，请加 --if-empty。"
                )
            self.stdout.write("数据库中已有数据，跳过生成演示数据。")
            self._print_logins()
            return
        existing = logins.taken_usernames()
        if existing:
            raise CommandError("以下演示账号的用户名已被占用，未生成任何数据：" + "、".join(existing))

        registry.discover()
        builders = registry.ordered()
        # Builders whose data shows deadlines and "new" items end their story today.
        run = registry.DemoRun(today=timezone.localdate(), enterprises=enterprises)
        started = time.monotonic()
        try:
            with transaction.atomic():
                for builder in builders:
                    run.results[builder.name] = builder.build(run)
        except ValidationError as exc:  # e.g. the password rules were tightened beyond the demo password
            raise CommandError("生成演示数据失败：" + "；".join(exc.messages)) from exc
        refresh_planner_statistics()  # the planner must know the new tables' sizes (issue 19)
        elapsed = time.monotonic() - started

        self.stdout.write(self.style.SUCCESS(f"已生成演示数据：{orgs.DISTRICT['name']}（用时 {elapsed:.1f} 秒）"))
        for builder in builders:
            for label, count in builder.counts() if builder.counts else []:
                self.stdout.write(f"  {label}：{count:,}")
        self._print_logins()

    def _print_logins(self):
        rows = logins.login_rows()
        self.stdout.write("")
        self.stdout.write("演示账号：")
        header = ("账号", "角色", "单位", "初始密码")
        widths = [max(_width(str(r[i])) for r in [header, *rows]) for i in range(4)]
        for row in [header, *rows]:
            self.stdout.write("  " + "  ".join(_pad(str(v), w) for v, w in zip(row, widths, strict=True)).rstrip())
        for hint in logins.sms_login_hints():
            self.stdout.write(hint)
        self.stdout.write("演示模式下 admin 免双因素认证；生产环境不创建演示账号。")


def _width(text):
    # CJK characters take two columns in a terminal.
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _pad(text, width):
    return text + " " * (width - _width(text))
