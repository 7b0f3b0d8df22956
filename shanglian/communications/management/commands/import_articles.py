"""python manage.py import_articles FILE.xlsx [--dry-run] [--valid-only] [--error-report OUT.xlsx] [--user NAME]
(see `shanglian.imports.command` for the exit status): publicity articles (宣传报道) of the importing user's
federation."""

from shanglian.communications.imports import ArticleImportSpec, import_articles
from shanglian.imports.command import ImportCommand


class Command(ImportCommand):
    help = ("从 Excel（.xlsx）导入宣传报道：先逐行校验；有错误时不写入任何数据并以非零状态退出"
            "（--valid-only 只导入校验通过的行）。")
    noun = "宣传报道"

    def import_file(self, *, actor, **kwargs):
        return import_articles(actor=actor, **kwargs)

    def spec(self, actor):
        return ArticleImportSpec(actor=actor)
