"""python manage.py import_external_values FILE.xlsx [--dry-run] [--valid-only] [--error-report OUT.xlsx] [--user NAME]
(see `shanglian.imports.command` for the exit status): values of external indicators (外部指标数值: 区统计局、区市场监管局
…) for the importing user's federation, a row replacing the value its period already has."""

from shanglian.imports.command import ImportCommand
from shanglian.reports.imports import ExternalValueImportSpec, import_external_values


class Command(ImportCommand):
    help = ("从 Excel（.xlsx）导入外部指标数值（民营经济增加值、市场主体户数等）：先逐行校验；有错误时不写入任何数据并以非零状态"
            "退出（--valid-only 只导入校验通过的行）；某期间已有数值的指标以导入的数值替换。")
    noun = "外部指标数值"

    def import_file(self, *, actor, **kwargs):
        return import_external_values(actor=actor, **kwargs)

    def spec(self, actor):
        return ExternalValueImportSpec(actor=actor)
