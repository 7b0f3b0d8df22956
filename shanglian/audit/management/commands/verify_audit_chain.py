from django.core.management.base import BaseCommand, CommandError

from shanglian.audit.models import AuditEvent
from shanglian.audit.services import verify_chain


class Command(BaseCommand):
    help = "校验审计日志哈希链，发现被篡改的记录。"

    def handle(self, *args, **options):
        broken = verify_chain()
        total = AuditEvent.objects.count()
        if broken:
            raise CommandError(f"审计日志被篡改：共 {total} 条，{len(broken)} 条校验失败，编号 {broken[:20]}")
        self.stdout.write(f"审计日志完整：共 {total} 条，哈希链校验通过。")
