from django.core.management.base import BaseCommand

from shanglian.audit.services import purge_expired


class Command(BaseCommand):
    help = "清理超过保存期限的审计日志（不少于 183 天；个人信息访问记录默认保存 3 年）。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只统计，不删除")

    def handle(self, *args, dry_run=False, **options):
        count = purge_expired(dry_run=dry_run)
        verb = "将清理" if dry_run else "已清理"
        self.stdout.write(f"{verb}过期审计记录 {count} 条。")
