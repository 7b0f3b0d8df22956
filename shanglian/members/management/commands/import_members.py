from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shanglian.accounts.models import User
from shanglian.common.excel import ExcelError, error_report_xlsx, run_import
from shanglian.members.imports import MemberImportSpec


class Command(BaseCommand):
    help = "从 Excel（.xlsx）导入会员名单：先校验全部行；有错误时不写入任何数据（--valid-only 只导入校验通过的行）。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="会员名单 .xlsx 文件")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")
        parser.add_argument("--valid-only", action="store_true", help="只导入校验通过的行")
        parser.add_argument("--error-report", metavar="OUT.xlsx", help="把失败的行及原因写入此文件")
        parser.add_argument("--user", help="以该工作人员的身份导入（默认：第一个启用的工作人员账号）")

    def handle(self, *args, file, dry_run, valid_only, error_report, user, **options):
        actor = self._actor(user)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        spec = MemberImportSpec(actor=actor)

        def progress(done, total):
            if total:
                self.stderr.write(f"  已写入 {done}/{total} 条")

        try:
            report = run_import(spec, path, dry_run=dry_run, valid_only=valid_only, progress=progress)
        except ExcelError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(report.summary)
        if report.committed:
            self.stdout.write(f"已导入：新增 {report.created} 条，更新 {report.updated} 条。")
        elif not dry_run:
            self.stdout.write("存在校验失败的行，未写入任何数据。" if report.failed else "没有可导入的数据。")
        for error in report.errors[:50]:
            column = f"【{error.column}】" if error.column else ""
            self.stdout.write(f"  第 {error.row} 行 {column}{error.reason}")
        if len(report.errors) > 50:
            self.stdout.write(f"  ……另有 {len(report.errors) - 50} 处错误，见错误报告。")
        if error_report and report.failed:
            Path(error_report).write_bytes(error_report_xlsx(report, spec))
            self.stdout.write(f"错误报告已写入：{error_report}")
        if report.failed and not (valid_only and report.committed):
            raise CommandError(f"{report.failed} 行校验失败。")

    def _actor(self, username):
        users = User.objects.filter(is_active=True, groups__name__in=["staff", "sysadmin"])
        actor = users.filter(username__iexact=username).first() if username else users.filter(
            groups__name="staff").order_by("id").first()
        if actor is None:
            raise CommandError("找不到可用于导入的工作人员账号，请用 --user 指定。")
        return actor
