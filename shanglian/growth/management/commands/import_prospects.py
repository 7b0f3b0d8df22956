"""python manage.py import_prospects FILE.xlsx [--dry-run] [--valid-only] [--error-report OUT.xlsx] [--user NAME]
(see `shanglian.imports.command` for the exit status): prospects (发展对象) in the importing user's scope."""

from shanglian.growth.imports import ProspectImportSpec, import_prospects
from shanglian.imports.command import ImportCommand


class Command(ImportCommand):
    help = ("从 Excel（.xlsx）导入发展对象：先逐行校验；有错误时不写入任何数据并以非零状态退出"
            "（--valid-only 只导入校验通过的行）。")
    noun = "发展对象"

    def import_file(self, *, actor, **kwargs):
        return import_prospects(actor=actor, **kwargs)

    def spec(self, actor):
        return ProspectImportSpec(actor=actor)
