"""宣传报道导入: the articles a federation kept in a spreadsheet ("成功宣传企业家近百人"), on the project's one Excel
pipeline (`shanglian.common.excel`), registered with the import jobs as kind "articles"; the pages are
`article_views.IMPORT_PAGES`, the command `import_articles`.

- Who: the editors (sysadmin, staff) of a federation; every row becomes an article of the importer's federation, and
  the persons and enterprises it names must be of the importer's scope.
- One row is one article: 刊发日期 (not in the future), 标题, 媒体, 媒体级别 (中央级/省级/市级/区级/工商联系统/本会媒体),
  类型 (新闻报道 when empty), 链接 (a web address), 宣传企业 and 宣传人物 — several separated by 、，；or line breaks;
  an enterprise by its name or 统一社会信用代码, a person by name, or as 姓名（企业名称或信用代码） when two persons share
  the name. Rules shared with the pages: `services.articles.article_errors`, `link_error`.
- A row equal to an article already recorded (same title, outlet and day) or to an earlier row of the file is
  refused, so importing a file twice adds nothing. As in every import, one failed row writes nothing (unless only the
  valid rows are asked for); one audit record per import.
"""

import re

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from shanglian.accounts.roles import EDITOR_ROLES, require_role
from shanglian.audit.models import AuditAction
from shanglian.audit.services import record
from shanglian.common.excel import Column, ImportSpec, run_import, template_xlsx
from shanglian.common.validators import normalize_uscc
from shanglian.imports.registry import import_kind
from shanglian.members.selectors import enterprises_visible_to, persons_visible_to

from .models import Article, OutletLevel
from .services import articles as rules
from .services.articles import MAX_FEATURED

KIND = "articles"
LEVELS = {label: value for value, label in OutletLevel.choices}
KINDS = {label: value for value, label in Article.Kind.choices}
SEPARATORS = re.compile(r"[、,，;；\n]+")
WITH_ENTERPRISE = re.compile(r"^(?P<name>[^()（）]+)[(（](?P<enterprise>[^()（）]+)[)）]$")

COLUMNS = [
    Column("published_on", "刊发日期", required=True, kind="date", aliases=("日期", "发布日期"), example="2025-06-01"),
    Column("title", "标题", required=True, max_length=150, aliases=("稿件标题",), example="民营企业家王建国：扎根河西二十年"),
    Column("outlet", "媒体", required=True, max_length=100, aliases=("媒体名称", "刊发媒体"), example="天津日报"),
    Column("level", "媒体级别", required=True, kind="choice", choices=LEVELS, example="市级"),
    Column("kind", "类型", kind="choice", choices=KINDS, aliases=("稿件类型",), example="人物专访",
           help="留空为“新闻报道”"),
    Column("link", "链接", max_length=500, aliases=("网址",), example="https://www.example.com/news/1.html",
           help="以 http:// 或 https:// 开头的网址"),
    Column("enterprises", "宣传企业", max_length=2000, example="天津友谊科技有限公司",
           help="多个用顿号分隔；填企业名称或统一社会信用代码"),
    Column("persons", "宣传人物", max_length=1000, example="王建国",
           help="多个用顿号分隔；同名时写成“姓名（企业名称或统一社会信用代码）”"),
    Column("note", "备注", max_length=300),
]
HEADERS = {column.key: column.header for column in COLUMNS}


def split_names(text):
    """The names of one cell: separated by 、，；or line breaks, trimmed, each once, in their order."""
    names = []
    for part in SEPARATORS.split(text or ""):
        part = part.strip()
        if part and part not in names:
            names.append(part)
    return names


def _looks_like_code(text):
    code = normalize_uscc(text)
    return len(code) == 18 and code.isascii() and code.isalnum()


@import_kind(KIND)
class ArticleImportSpec(ImportSpec):
    title = "宣传报道"
    columns = COLUMNS

    def __init__(self, *, actor):
        require_role(actor, *EDITOR_ROLES)
        if actor.federation_id is None:
            raise PermissionDenied("您的账号未关联工商联，不能导入宣传报道。")
        super().__init__(actor=actor)

    def prepare(self):
        self.today = timezone.localdate()
        self.enterprises = enterprises_visible_to(self.actor).select_related(None)
        self.persons = persons_visible_to(self.actor).select_related(None)
        self.recorded = Article.objects.filter(federation_id=self.actor.federation_id)
        self.found = {}
        self.created = 0

    # -- lookups (each name looked up once per import) ------------------------------------------------------
    def _enterprise(self, text):
        key = ("enterprise", text)
        if key not in self.found:
            if _looks_like_code(text):
                found = list(self.enterprises.filter(uscc=normalize_uscc(text)).only("id", "name")[:1])
                reason = "" if found else f"找不到统一社会信用代码为“{text}”的企业，或其不在您的管理范围内"
            else:
                found = list(self.enterprises.filter(name=text).only("id", "name")[:2])
                reason = ("" if len(found) == 1 else f"有多家名为“{text}”的企业，请改填统一社会信用代码" if found
                          else f"找不到名为“{text}”的企业，或其不在您的管理范围内")
            self.found[key] = (found[0] if len(found) == 1 else None, reason)
        return self.found[key]

    def _person(self, text):
        key = ("person", text)
        if key not in self.found:
            match = WITH_ENTERPRISE.match(text)
            name, where = (match["name"].strip(), match["enterprise"].strip()) if match else (text, "")
            persons = self.persons.filter(name=name)
            if where:
                enterprise, reason = self._enterprise(where)
                if enterprise is None:
                    self.found[key] = (None, reason)
                    return self.found[key]
                persons = persons.filter(enterprise_roles__enterprise=enterprise).distinct()
            found = list(persons.only("id", "name")[:2])
            if len(found) == 1:
                self.found[key] = (found[0], "")
            elif found:
                self.found[key] = (None, f"有多位名为“{name}”的人员，请写成“{name}（企业名称）”")
            else:
                at = f"在“{where}”任职的" if where else ""
                self.found[key] = (None, f"找不到{at}名为“{name}”的人员，或其不在您的管理范围内")
        return self.found[key]

    def _many(self, v, key, find, noun, errors):
        records = []
        names = split_names(v[key])
        if len(names) > MAX_FEATURED:
            errors.append((HEADERS[key], f"一篇稿件最多关联 {MAX_FEATURED} 个{noun}"))
            return []
        for text in names:
            found, reason = find(text)
            if reason:
                errors.append((HEADERS[key], reason))
            elif found.pk not in {r.pk for r in records}:
                records.append(found)
        return records

    # -- checks of one row ----------------------------------------------------------------------------------
    def clean_row(self, v, failed):
        errors = []
        v["_enterprises"] = self._many(v, "enterprises", self._enterprise, "企业", errors)
        v["_persons"] = self._many(v, "persons", self._person, "人物", errors)
        values = {name: (v[name] or "") if name in ("title", "outlet", "link", "note") else v[name]
                  for name in ("title", "outlet", "link", "note", "published_on", "level")}
        values["kind"] = v["kind"] or Article.Kind.NEWS
        for name, reason in rules.article_errors(values, today=self.today):
            if HEADERS.get(name) not in failed:
                errors.append((HEADERS.get(name, ""), reason.rstrip("。")))
        if not errors and not failed and rules.same_article(
                self.recorded, title=v["title"], outlet=v["outlet"], published_on=v["published_on"]) is not None:
            errors.append(("", "已登记过这篇稿件（同一媒体、同一日期、同一标题），不再重复导入"))
        return errors

    def natural_key(self, v):
        if not (v["title"] and v["outlet"] and v["published_on"]):
            return None
        return (v["title"], v["outlet"], v["published_on"])

    # -- writes ---------------------------------------------------------------------------------------------
    def commit(self, batch):
        actor = self.actor
        for _row, v in batch:
            article = Article.objects.create(
                federation_id=actor.federation_id, title=v["title"], kind=v["kind"] or Article.Kind.NEWS,
                outlet=v["outlet"], level=v["level"], published_on=v["published_on"], link=v["link"] or "",
                note=v["note"] or "", created_by=actor)
            article.enterprises.set(v["_enterprises"])
            article.persons.set(v["_persons"])
            self.created += 1
        return len(batch), 0

    def audit(self, report):
        record(AuditAction.IMPORT, actor=self.actor, object_type="communications.article", object_repr="宣传报道导入",
               detail={"total": report.total, "succeeded": report.succeeded, "failed": report.failed,
                       "created": report.created, "valid_only": report.valid_only})


def import_articles(*, actor, path, dry_run=False, valid_only=False, progress=None):
    """Import the articles spreadsheet at `path` as the actor's federation's. Every row is checked first; unless
    `dry_run`, the clean rows are written inside one transaction — nothing when a row failed, unless `valid_only`.
    Returns the `ImportReport`."""
    return run_import(ArticleImportSpec(actor=actor), path, dry_run=dry_run, valid_only=valid_only,
                      progress=progress)


def import_template(*, actor):
    """The template (bytes): 媒体级别 and 类型 as dropdowns."""
    return template_xlsx(ArticleImportSpec(actor=actor))


__all__ = ["COLUMNS", "KIND", "ArticleImportSpec", "import_articles", "import_template", "split_names"]
