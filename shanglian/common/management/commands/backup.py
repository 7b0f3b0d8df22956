from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from shanglian.common.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "备份数据库与上传文件到一个加密归档（密钥取自环境变量 SHANGLIAN_BACKUP_KEY）。"

    def add_arguments(self, parser):
        parser.add_argument("output", nargs="?",
                            help="归档文件路径；默认为当前目录下的 shanglian-backup-<时间>.slbak")

    def handle(self, *args, **options):
        output = options["output"] or f"shanglian-backup-{timezone.now():%Y%m%d-%H%M%S}.slbak"
        try:
            manifest = create_backup(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["row_counts"].values())
        files = sum(1 for name in manifest["members"] if name.startswith("media/"))
        self.stdout.write(f"备份完成：{Path(output).resolve()}（{manifest['vendor']}，"
                          f"{len(manifest['row_counts'])} 张表共 {rows} 行，上传文件 {files} 个）。")
