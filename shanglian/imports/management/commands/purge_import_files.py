from django.core.management.base import BaseCommand

from shanglian.imports import exports, jobs


class Command(BaseCommand):
    help = "删除超过 24 小时的导入上传文件和导出文件（建议每日定时执行）。"

    def handle(self, *args, **options):
        self.stdout.write(f"已删除过期导入文件 {jobs.purge_stale()} 个，过期导出文件 {exports.purge_stale()} 个。")
