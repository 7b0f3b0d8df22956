"""python manage.py import_policies FILE.xlsx [--dry-run] [--valid-only] [--error-report OUT.xlsx] [--user NAME]
(see `shanglian.imports.command` for the exit status). An import never pushes a policy."""

from shanglian.imports.command import ImportCommand
from shanglian.policies.imports import PolicyImportSpec, import_policies


class Command(ImportCommand):
    help = ("从 Excel（.xlsx）导入惠企政策：先逐行校验；有错误时不写入任何数据并以非零状态退出"
            "（--valid-only 只导入校验通过的行）。导入不会向企业推送政策。")
    noun = "惠企政策"
    committed_note = "（未推送任何政策）"

    def import_file(self, **kwargs):
        return import_policies(**kwargs)

    def spec(self, actor):
        return PolicyImportSpec(actor=actor)
