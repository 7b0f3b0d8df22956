"""python manage.py import_proposals FILE.xlsx [--dry-run] [--valid-only] [--error-report OUT.xlsx] [--user NAME]
(see `shanglian.imports.command` for the exit status): the proposals of past years, each at the state it reached."""

from shanglian.engagement.imports.proposals import ProposalImportSpec, import_proposals
from shanglian.imports.command import ImportCommand


class Command(ImportCommand):
    help = ("从 Excel（.xlsx）导入历年议案提案：先逐行校验；有错误时不写入任何数据并以非零状态退出"
            "（--valid-only 只导入校验通过的行）。")
    noun = "议案提案"

    def import_file(self, *, actor, **kwargs):
        return import_proposals(actor=actor, **kwargs)

    def spec(self, actor):
        return ProposalImportSpec(actor=actor)
