"""python manage.py import_donations FILE.xlsx [--dry-run] [--valid-only] [--error-report OUT.xlsx] [--user NAME]
(see `shanglian.imports.command` for the exit status): donations (捐款捐物) in the importing user's scope."""

from shanglian.imports.command import ImportCommand
from shanglian.welfare.imports import DonationImportSpec, import_donations


class Command(ImportCommand):
    help = ("从 Excel（.xlsx）导入捐赠记录（捐款捐物）：先逐行校验；有错误时不写入任何数据并以非零状态退出"
            "（--valid-only 只导入校验通过的行）。")
    noun = "捐赠记录"

    def import_file(self, *, actor, **kwargs):
        return import_donations(actor=actor, **kwargs)

    def spec(self, actor):
        return DonationImportSpec(actor=actor)
