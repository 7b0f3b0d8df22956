"""python manage.py import_members FILE.xlsx [--dry-run] [--valid-only] [--error-report OUT.xlsx] [--user NAME]
(see `shanglian.imports.command` for the exit status)."""

from shanglian.imports.command import ImportCommand
from shanglian.members.imports import MemberImportSpec
from shanglian.members.services import import_members


class Command(ImportCommand):
    help = ("从 Excel（.xlsx）导入工商联会员名单：先逐行校验；有错误时不写入任何数据并以非零状态退出"
            "（--valid-only 只导入校验通过的行）。")
    noun = "会员名单"

    def import_file(self, **kwargs):
        return import_members(**kwargs)

    def spec(self, actor):
        return MemberImportSpec(actor=actor)
