"""The one import command: `manage.py import_<kind> FILE.xlsx [--dry-run] [--valid-only]
[--error-report OUT.xlsx] [--user NAME]`. An app's command subclasses `ImportCommand` and names its
noun and its import service.

Exit status:
  0  every row was valid and the file was imported (with --dry-run: checked, nothing written); or, with
     --valid-only, the valid rows were imported — the failed rows are still listed, and written to
     --error-report when given, because asking for the valid rows only means accepting the others' loss
  1  a row is invalid and nothing was written (or, with --valid-only, not a single row was valid); the
     file cannot be read; the user may not import
"""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from shanglian.accounts.models import User
from shanglian.accounts.roles import Role
from shanglian.accounts.selectors import users_in_role

from .excel import ExcelError, error_report_xlsx

SHOWN_ERRORS = 50


class ImportCommand(BaseCommand):
    noun = ""  # 会员名单 / 惠企政策
    committed_note = ""  # appended to the success line, e.g. （未推送任何政策）

    def import_file(self, *, actor, path, dry_run, valid_only, progress):
        """Run the app's import service; returns the ImportReport."""
        raise NotImplementedError

    def spec(self, actor):
        """The app's ImportSpec (for the error report's columns)."""
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("file", help=f"{self.noun} .xlsx 文件（按“下载模板”的表头填写）")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")
        parser.add_argument("--valid-only", action="store_true", help="只导入校验通过的行（此时退出状态为 0）")
        parser.add_argument("--error-report", metavar="OUT.xlsx", help="把失败的行及错误原因写入此文件")
        parser.add_argument("--user", help="以该工作人员的身份导入，数据归入其所属工商联（默认：第一个启用的工作人员账号）")

    def handle(self, *args, file, dry_run, valid_only, error_report, user, **options):
        actor = self._actor(user)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")

        def progress(done, total):
            if options["verbosity"] >= 2:
                self.stderr.write(f"  已写入 {done} 条")

        try:
            report = self.import_file(actor=actor, path=path, dry_run=dry_run, valid_only=valid_only,
                                      progress=progress)
        except ExcelError as exc:
            raise CommandError(str(exc)) from exc
        except PermissionDenied as exc:
            raise CommandError(f"用户“{actor.get_username()}”不能导入{self.noun}：{exc}") from exc

        self.stdout.write(report.summary)
        if report.committed:
            self.stdout.write(self.style.SUCCESS(
                f"已导入：新增 {report.created} 条，更新 {report.updated} 条{self.committed_note}。"))
        elif dry_run:
            self.stdout.write("仅校验（--dry-run），未写入任何数据。")
        else:
            self.stdout.write(self.style.WARNING("存在校验失败的行，未写入任何数据。" if report.failed
                                                 else "没有可导入的数据。"))
        for error in report.errors[:SHOWN_ERRORS]:
            self.stdout.write(f"  {error}")
        if len(report.errors) > SHOWN_ERRORS:
            self.stdout.write(f"  ……另有 {len(report.errors) - SHOWN_ERRORS} 处错误，见错误报告。")
        if error_report and report.failed:
            Path(error_report).write_bytes(error_report_xlsx(report, self.spec(actor)))
            self.stdout.write(f"错误报告已写入：{error_report}")
        if report.failed and not (valid_only and report.committed):
            raise CommandError(f"{report.failed} 行校验失败" + ("。" if dry_run or valid_only else "，未写入任何数据。"))

    def _actor(self, username):
        users = User.objects.filter(is_active=True)
        if username:
            actor = users.filter(username=username).first()
            if actor is None:
                raise CommandError(f"找不到启用的用户“{username}”。")
            return actor
        actor = users_in_role(Role.STAFF, federation__isnull=False).order_by("id").first()
        if actor is None:
            raise CommandError("找不到可用于导入的工作人员账号，请用 --user 指定。")
        return actor
