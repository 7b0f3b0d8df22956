"""`manage.py rebuild_appeal_stats`: recompute the KPI summaries (`appeals.summaries`) from the appeals —
after writes that bypass the models' save (bulk loads, raw SQL), or to check nothing drifted."""

import time

from django.core.management.base import BaseCommand

from shanglian.appeals.summaries import rebuild


class Command(BaseCommand):
    help = "从诉求数据重新计算诉求统计的汇总表（批量导入或直接写库之后执行）。"

    def handle(self, *args, **options):
        started = time.monotonic()
        stats, reach = rebuild()
        self.stdout.write(f"已重建诉求统计汇总：{stats:,} 行日统计，{reach:,} 行企业首次诉求日期，"
                          f"用时 {time.monotonic() - started:.1f} 秒。")
