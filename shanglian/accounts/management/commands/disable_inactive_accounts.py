from django.core.management.base import BaseCommand

from shanglian.accounts.services import disable_inactive_accounts


class Command(BaseCommand):
    help = "停用超过指定天数未登录的账户（等保：及时清理多余、过期账户）。"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=90, help="未登录天数，默认 90")

    def handle(self, *args, days, **options):
        disabled = disable_inactive_accounts(days=days)
        self.stdout.write(f"已停用 {len(disabled)} 个超过 {days} 天未登录的账户。")
