"""`manage.py seed_demo [--if-empty] [--enterprises N] [--years Y] [--appeals-per-enterprise R] [--batch B]`:
the fictional demo district (demo mode only).

Runs every demo builder the apps register (`shanglian.demo.registry`), in their order, in one transaction,
then refreshes the planner statistics (`ANALYZE`). Past the default size each builder streams its rows in
batches and prints its progress (rows, rows/s, peak memory).
"""

import contextlib
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from shanglian.common.dbstats import refresh_planner_statistics
from shanglian.demo import logins, orgs, registry, saving
from shanglian.orgs.models import Federation

MAX_ENTERPRISES = 1_000_000


class Command(BaseCommand):
    help = "生成演示数据：依次运行各应用登记的演示数据构建器，生成虚构的河西区工商联的数据和演示账号（仅演示模式）。"

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="已有工商联数据时什么也不做（仍打印演示账号），可重复执行")
        parser.add_argument("--enterprises", type=int, default=registry.DEFAULT_ENTERPRISES,
                            help=f"企业数量，默认 {registry.DEFAULT_ENTERPRISES}，最多 {MAX_ENTERPRISES:,}")
        parser.add_argument("--years", type=int, default=None,
                            help="诉求覆盖的年数；默认：默认规模 1 年，更大规模 3 年")
        parser.add_argument("--appeals-per-enterprise", type=float, default=None,
                            help=f"每家企业每年的诉求数；默认：默认规模 {registry.DEFAULT_APPEALS_PER_ENTERPRISE}，"
                                 f"更大规模 {registry.LARGE_APPEALS_PER_ENTERPRISE}")
        parser.add_argument("--batch", type=int, default=5000, help="分批写入时每批的企业数，默认 5000")

    def handle(self, *args, if_empty=False, enterprises=registry.DEFAULT_ENTERPRISES, years=None,
               appeals_per_enterprise=None, batch=5000, **options):
        if getattr(settings, "DEMO", False) is not True:
            raise CommandError(
                "seed_demo 仅可在演示模式下执行（设置环境变量 SHANGLIAN_DEMO=1）；生产环境不创建演示数据和演示账号。"
            )
        if not 40 <= enterprises <= MAX_ENTERPRISES:
            raise CommandError(f"--enterprises 须在 40 到 {MAX_ENTERPRISES:,} 之间。")
        if years is not None and not 1 <= years <= 10:
            raise CommandError("--years 须在 1 到 10 之间。")
        if appeals_per_enterprise is not None and not 0 < appeals_per_enterprise <= 20:
            raise CommandError("--appeals-per-enterprise 须大于 0、不超过 20。")
        if not 100 <= batch <= 100_000:
            raise CommandError("--batch 须在 100 到 100,000 之间。")
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
        large = enterprises > registry.CORE_ENTERPRISES  # streamed past the core district: progress printed
        run = registry.DemoRun(today=timezone.localdate(), enterprises=enterprises, years=years,
                               appeals_per_enterprise=appeals_per_enterprise, batch=batch,
                               report=self.stdout.write if large else None)
        started = time.monotonic()
        try:
            with _bulk_journal(large), transaction.atomic():
                for builder in builders:
                    step = time.monotonic()
                    run.results[builder.name] = builder.build(run)
                    if large:
                        self.stdout.write(f"  步骤 {builder.name}：{time.monotonic() - step:.1f} 秒，"
                                          f"内存峰值 {saving.peak_rss_mb():,.0f} MB")
        except ValidationError as exc:  # e.g. the password rules were tightened beyond the demo password
            raise CommandError("生成演示数据失败：" + "；".join(exc.messages)) from exc
        refresh_planner_statistics()  # the planner must know the new tables' sizes (issue 19)
        elapsed = time.monotonic() - started

        self.stdout.write(self.style.SUCCESS(f"已生成演示数据：{orgs.DISTRICT['name']}（用时 {elapsed:.1f} 秒）"))
        for builder in builders:
            for label, count in builder.counts() if builder.counts else []:
                self.stdout.write(f"  {label}：{count:,}")
        self.stdout.write(f"  内存峰值：{saving.peak_rss_mb():,.0f} MB")
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


@contextlib.contextmanager
def _bulk_journal(large):
    """On SQLite, a large build runs with a rollback journal instead of the write-ahead log: its one
    transaction of gigabytes would otherwise go through a WAL that grows to the database's size and
    slows every later read and write of the build (measured: rows/s fell by two thirds). The pages a
    new database appends need no journal. The write-ahead log is back when the build ends."""
    if not large or connection.vendor != "sqlite" or connection.in_atomic_block:  # (a test's transaction)
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=DELETE")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")


def _width(text):
    # CJK characters take two columns in a terminal.
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _pad(text, width):
    return text + " " * (width - _width(text))
