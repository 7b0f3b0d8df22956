from django.core.management.base import BaseCommand, CommandError

from shanglian.audit.models import AuditEvent
from shanglian.audit.services import CheckpointError, read_checkpoint, verify_chain, write_checkpoint


class Command(BaseCommand):
    help = "校验审计日志哈希链（带密钥）与已签名的检查点，发现被篡改或被删除的记录；通过后更新检查点。"

    def handle(self, *args, **options):
        try:
            checkpoint = read_checkpoint()
            broken = verify_chain()
        except CheckpointError as exc:
            raise CommandError(str(exc)) from exc
        total = AuditEvent.objects.count()
        if checkpoint and checkpoint["last_id"] in broken:
            raise CommandError(
                f"审计日志被篡改：检查点（{checkpoint['at']}）记录的第 {checkpoint['last_id']} 条及其后的记录缺失或被改动；"
                f"共 {total} 条，{len(broken)} 处校验失败，编号 {broken[:20]}")
        if broken:
            raise CommandError(f"审计日志被篡改：共 {total} 条，{len(broken)} 条校验失败，编号 {broken[:20]}")
        write_checkpoint()
        self.stdout.write(f"审计日志完整：共 {total} 条，哈希链与检查点校验通过，检查点已更新。")
