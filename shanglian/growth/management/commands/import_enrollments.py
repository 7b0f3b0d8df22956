"""python manage.py import_enrollments FILE.xlsx [--dry-run] [--valid-only] [--error-report OUT.xlsx] [--user NAME]
(see `shanglian.imports.command` for the exit status): service enrollments (服务企业，双万双服) in the importing user's
scope."""

from shanglian.growth.enrollment_imports import EnrollmentImportSpec, import_enrollments
from shanglian.imports.command import ImportCommand


class Command(ImportCommand):
    help = ("从 Excel（.xlsx）导入服务企业（双万双服）名单：先逐行校验；有错误时不写入任何数据并以非零状态退出"
            "（--valid-only 只导入校验通过的行）。")
    noun = "服务企业"

    def import_file(self, *, actor, **kwargs):
        return import_enrollments(actor=actor, **kwargs)

    def spec(self, actor):
        return EnrollmentImportSpec(actor=actor)
