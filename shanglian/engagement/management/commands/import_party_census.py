"""python manage.py import_party_census FILE.xlsx [--dry-run] [--valid-only] [--error-report OUT.xlsx] [--user NAME]
(see `shanglian.imports.command` for the exit status): the enterprises' party-member census, one row an enterprise
(its census is created the first time, replaced afterwards)."""

from shanglian.engagement.imports.party import CensusImportSpec, import_census
from shanglian.imports.command import ImportCommand


class Command(ImportCommand):
    help = ("从 Excel（.xlsx）导入企业党员情况：先逐行校验；有错误时不写入任何数据并以非零状态退出"
            "（--valid-only 只导入校验通过的行）。每家企业保存最近一次统计。")
    noun = "企业党员情况"

    def import_file(self, *, actor, **kwargs):
        return import_census(actor=actor, **kwargs)

    def spec(self, actor):
        return CensusImportSpec(actor=actor)
