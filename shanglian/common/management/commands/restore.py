from django.core.management.base import BaseCommand, CommandError

from shanglian.common.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "从加密归档恢复数据库与上传文件（替换现有数据；密钥取自环境变量 SHANGLIAN_BACKUP_KEY）。"

    def add_arguments(self, parser):
        parser.add_argument("archive", help="由 manage.py backup 生成的归档文件")
        parser.add_argument("--force", action="store_true",
                            help="目标已有用户或上传文件时仍然恢复（覆盖现有数据）")

    def handle(self, *args, **options):
        try:
            manifest = restore_backup(options["archive"], force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["row_counts"].values())
        files = sum(1 for name in manifest["members"] if name.startswith("media/"))
        self.stdout.write(f"恢复完成：备份时间 {manifest['created_at']}，{len(manifest['row_counts'])} 张表共 "
                          f"{rows} 行与上传文件 {files} 个已恢复，行数校验通过。"
                          "请接着运行 manage.py migrate 与 manage.py verify_audit_chain。")
