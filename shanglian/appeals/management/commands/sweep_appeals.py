from django.core.management.base import BaseCommand

from shanglian.appeals.services import sweep_deadlines


class Command(BaseCommand):
    help = "超期诉求自动督办、签收超时提醒（与后台定时任务相同，可手工或由 cron 执行）。"

    def handle(self, *args, **options):
        result = sweep_deadlines()
        self.stdout.write(f"自动督办 {result.supervised} 件，签收超时提醒 {result.sign_reminders} 次。")
