from django.core.management.base import BaseCommand

from shanglian.common.import_jobs import purge_stale


class Command(BaseCommand):
    help = "删除超过 24 小时的导入上传文件（建议每日定时执行）。"

    def handle(self, *args, **options):
        self.stdout.write(f"已删除过期导入文件 {purge_stale()} 个。")
