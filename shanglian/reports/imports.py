"""外部指标数值导入: the values a federation receives from 区统计局, 区市场监管局 … in a spreadsheet, on the project's one
Excel pipeline (`shanglian.common.excel`), registered with the import jobs as kind "external_values"; the pages
are `external_views.IMPORT_PAGES`, the command `import_external_values`.

- Who: the editors (`EDITOR_ROLES`); each row is the importer's federation's (所属工商联 empty) or, for a city's
  editor, one of the federations under it named by 所属工商联.
- One row is one value: 指标代码或名称 (an indicator's code, e.g. private_value_added, or its name, e.g. 民营经济增加值;
  active indicators only), 年份, 季度 or 月份 (both empty: the year's value), 数值, 数据来源 (empty: the indicator's
  default), 备注.
- The rules of a value are the form's (`services.external.value_errors`, the same words): a real period, a plain
  number (no NaN, no Infinity), negative only for a percentage. A row for a period that already has a value
  replaces it (upsert on indicator + federation + period); two rows of one file for the same period are refused.
  As in every import, one failed row writes nothing (unless only the valid rows are asked for); one audit record
  per import.
"""

from django.core.exceptions import PermissionDenied

from shanglian.accounts.roles import EDITOR_ROLES, require_role
from shanglian.audit.models import AuditAction
from shanglian.audit.services import record
from shanglian.common.excel import Column, ImportSpec, run_import, template_xlsx
from shanglian.imports.registry import import_kind

from .models import ExternalIndicator, PeriodKind
from .selectors.external import federations_of
from .services import external as rules

KIND = "external_values"

COLUMNS = [
    Column("indicator", "指标代码或名称", required=True, max_length=60, aliases=("指标代码", "指标名称", "指标"),
           example="private_value_added", help="外部指标的代码（如 private_value_added）或名称（如 民营经济增加值）"),
    Column("year", "年份", kind="int", required=True, aliases=("年度",), example="2025"),
    Column("quarter", "季度", kind="int", help="季度数值填 1–4；年度、月度数值留空"),
    Column("month", "月份", kind="int", help="月度数值填 1–12；年度、季度数值留空"),
    Column("value", "数值", required=True, max_length=40, example="319.95",
           help="按指标的单位填写；百分比指标可为负数，可带 %"),
    Column("source", "数据来源", max_length=60, example="区统计局", help="留空为该指标的默认数据来源"),
    Column("note", "备注", max_length=200),
    Column("federation", "所属工商联", max_length=100, help="留空为本会；市工商联可填所辖区工商联的名称"),
]
HEADERS = {column.key: column.header for column in COLUMNS}
# The service's fields → the columns that carry them.
FIELD_HEADERS = {**HEADERS, "period_kind": "", "number": "", "__all__": ""}


@import_kind(KIND)
class ExternalValueImportSpec(ImportSpec):
    title = "外部指标数值"
    columns = COLUMNS

    def __init__(self, *, actor):
        require_role(actor, *EDITOR_ROLES)
        if actor.federation_id is None:
            raise PermissionDenied("您的账号未关联工商联，不能导入外部指标数值。")
        super().__init__(actor=actor)

    def prepare(self):
        indicators = list(ExternalIndicator.objects.filter(active=True))
        self.indicators = {i.code: i for i in indicators} | {i.name: i for i in indicators}
        self.federations = {f.name: f for f in federations_of(self.actor)}
        self.created = self.updated = 0

    def clean_row(self, v, failed):
        errors = []
        indicator = self.indicators.get(v.get("indicator") or "")
        if v.get("indicator") and indicator is None:
            errors.append((HEADERS["indicator"], f"找不到代码或名称为“{v['indicator']}”的外部指标，或该指标已停用"))
        federation = self.actor.federation
        if v.get("federation"):
            federation = self.federations.get(v["federation"])
            if federation is None:
                errors.append((HEADERS["federation"], f"找不到“{v['federation']}”，或其不在您的管理范围内"))
        quarter, month = v.get("quarter"), v.get("month")
        if quarter is not None and month is not None:
            errors.append((HEADERS["month"], "季度和月份只能填写一项"))
            return errors
        if errors or failed or indicator is None:
            return errors
        kind = PeriodKind.QUARTER if quarter is not None else PeriodKind.MONTH if month is not None else PeriodKind.YEAR
        cleaned, found = rules.value_errors(self.actor, {
            "indicator": indicator, "federation": federation, "period_kind": kind, "year": v.get("year"),
            "number": quarter if quarter is not None else month, "value": v.get("value"), "source": v.get("source"),
            "note": v.get("note")})
        column = HEADERS["quarter"] if kind == PeriodKind.QUARTER else HEADERS["month"]
        for field, reason in found:
            header = column if field == "number" else FIELD_HEADERS.get(field, "")
            errors.append((header, reason.rstrip("。")))
        v["_cleaned"] = cleaned
        return errors

    def natural_key(self, v):
        c = v["_cleaned"]
        return (c["indicator"].pk, c["federation"].pk, c["period_kind"], c["year"], c["number"])

    def commit(self, batch):
        created = 0
        for _row, v in batch:
            created += rules.store_imported_value(actor=self.actor, cleaned=v["_cleaned"])
        self.created += created
        self.updated += len(batch) - created
        return created, len(batch) - created

    def audit(self, report):
        record(AuditAction.IMPORT, actor=self.actor, object_type="reports.externalvalue",
               object_repr="外部指标数值导入",
               detail={"total": report.total, "succeeded": report.succeeded, "failed": report.failed,
                       "created": report.created, "updated": report.updated, "valid_only": report.valid_only})


def import_external_values(*, actor, path, dry_run=False, valid_only=False, progress=None):
    """Import the external values' spreadsheet at `path` for the actor's federation (or those under it). Every row
    is checked first; unless `dry_run`, the clean rows are written inside one transaction — nothing when a row
    failed, unless `valid_only`. Returns the `ImportReport`."""
    return run_import(ExternalValueImportSpec(actor=actor), path, dry_run=dry_run, valid_only=valid_only,
                      progress=progress)


def import_template(*, actor):
    """The template (bytes): the active indicators' names and codes and the federations of the actor's scope as
    dropdowns."""
    spec = ExternalValueImportSpec(actor=actor)
    active = ExternalIndicator.objects.filter(active=True)
    indicators = [*active.values_list("name", flat=True), *active.values_list("code", flat=True)]
    federations = list(federations_of(actor).values_list("name", flat=True))
    return template_xlsx(spec, {"indicator": indicators, "federation": federations})


__all__ = ["COLUMNS", "KIND", "ExternalValueImportSpec", "import_external_values", "import_template"]
