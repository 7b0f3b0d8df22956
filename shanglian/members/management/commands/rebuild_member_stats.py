"""`manage.py rebuild_member_stats`: recompute the member day summary (`members.summaries`) from the
memberships — after writes that bypass the services and the models' save (bulk loads, raw SQL), or to
check nothing drifted."""

import time

from django.core.management.base import BaseCommand

from shanglian.members.summaries import rebuild


class Command(BaseCommand):
    help = "从工商联会员记录重新计算会员日统计汇总表（批量导入或直接写库之后执行）。"

    def handle(self, *args, **options):
        started = time.monotonic()
        rows = rebuild()
        self.stdout.write(f"已重建会员日统计：{rows:,} 行，用时 {time.monotonic() - started:.1f} 秒。")
