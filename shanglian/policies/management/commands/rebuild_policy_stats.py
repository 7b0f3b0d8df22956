"""`manage.py rebuild_policy_stats`: recompute the push-day summary (`policies.summaries`) from the
deliveries — after writes that bypass the services and the models' save (bulk loads, raw SQL), or to
check nothing drifted."""

import time

from django.core.management.base import BaseCommand

from shanglian.policies.summaries import rebuild


class Command(BaseCommand):
    help = "从政策推送记录重新计算推送日统计汇总表（批量导入或直接写库之后执行）。"

    def handle(self, *args, **options):
        started = time.monotonic()
        rows = rebuild()
        self.stdout.write(f"已重建政策推送日统计：{rows:,} 行，用时 {time.monotonic() - started:.1f} 秒。")
