"""企业党员情况导入: the party-member census of many enterprises at once (the survey the organisation department
sends round every year), on the project's one Excel pipeline (`shanglian.common.excel`), registered with the
import jobs as kind "party_census"; the pages are `party_views.IMPORT_PAGES`.

- One row is one enterprise's census: 统一社会信用代码 (an enterprise of the importer's federations —
  `selectors.census_enterprises_editable_by`), 党员人数 (a whole number, not negative) and 统计日期 (not after
  today); 备注 optional. The rules are the form's (`services.census_errors`), in the same words.
- Natural key (upsert): the enterprise. A row writes the enterprise's one census row: created the first time,
  replaced afterwards; a row equal to what is stored writes nothing. Two rows of one enterprise in the file are
  refused as duplicates. As in every import, one failed row writes nothing (unless only the valid rows are
  asked for). One audit record per committed import.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone

from shanglian.audit.models import AuditAction
from shanglian.audit.services import record
from shanglian.common.excel import Column, ImportSpec, run_import, template_xlsx
from shanglian.common.validators import validate_uscc
from shanglian.imports.registry import import_kind

from ..models import EnterpriseParty
from ..selectors import party as selectors
from ..services.party import census_errors

KIND = "party_census"
MAX_MEMBERS = 99_999

COLUMNS = [
    Column("uscc", "统一社会信用代码", required=True, kind="code", max_length=18, aliases=("信用代码", "企业信用代码"),
           example="91120103MA05L2XY3K", help="须为您管理范围内已登记的企业"),
    Column("party_members", "党员人数", required=True, kind="int", max_value=MAX_MEMBERS, aliases=("党员数",),
           example="5", help="企业中的中共党员人数，整数，不能为负数"),
    Column("surveyed_on", "统计日期", required=True, kind="date", aliases=("调查日期",), example="2026-06-30",
           help="如 2026-06-30，不能晚于今天"),
    Column("note", "备注", max_length=200),
]
HEADERS = {column.key: column.header for column in COLUMNS}


@import_kind(KIND)
class CensusImportSpec(ImportSpec):
    title = "企业党员情况"
    columns = COLUMNS

    def __init__(self, *, actor):
        selectors.census_enterprises_editable_by(actor)  # the editors only (403 for any other role)
        super().__init__(actor=actor)

    def prepare(self):
        self.enterprises = selectors.census_enterprises_editable_by(self.actor).select_related(None)
        self.firms = {}  # 统一社会信用代码 → enterprise id or None
        self.today = timezone.localdate()

    def _firm(self, uscc):
        if uscc not in self.firms:
            self.firms[uscc] = self.enterprises.filter(uscc=uscc).values_list("pk", flat=True).first()
        return self.firms[uscc]

    def clean_row(self, v, failed):
        errors = []
        if v["uscc"]:
            try:
                v["uscc"] = validate_uscc(v["uscc"])
            except ValidationError as exc:
                errors.append((HEADERS["uscc"], exc.messages[0].rstrip("。")))
                v["uscc"] = None
        if v["uscc"]:
            v["_enterprise"] = self._firm(v["uscc"])
            if v["_enterprise"] is None:
                errors.append((HEADERS["uscc"], f"找不到统一社会信用代码为 {v['uscc']} 的企业，或该企业不在您的管理范围内"))
        rules = census_errors(party_members=v["party_members"] if v["party_members"] is not None else 0,
                              surveyed_on=v["surveyed_on"], today=self.today)
        errors += [(HEADERS[name], message.rstrip("。")) for name, message in rules.items()
                   if v[name] is not None and HEADERS[name] not in failed]
        return errors

    # What a checked row names in the database is its enterprise: looked up again before it is committed.
    def recheck_row(self, v):
        return self.clean_row(v, frozenset())

    def natural_key(self, v):
        return v["_enterprise"]

    def commit(self, batch):
        rows = {v["_enterprise"]: v for _, v in batch}
        stored = {census.enterprise_id: census for census in
                  EnterpriseParty.objects.select_for_update().filter(enterprise_id__in=list(rows))}
        new, changed = [], []
        for enterprise_id, v in rows.items():
            values = (v["party_members"], v["surveyed_on"], v["note"] or "")
            census = stored.get(enterprise_id)
            if census is None:
                new.append(EnterpriseParty(enterprise_id=enterprise_id, party_members=values[0], surveyed_on=values[1],
                                           note=values[2]))
            elif (census.party_members, census.surveyed_on, census.note) != values:
                census.party_members, census.surveyed_on, census.note = values
                changed.append(census)
        EnterpriseParty.objects.bulk_create(new)
        EnterpriseParty.objects.bulk_update(changed, ["party_members", "surveyed_on", "note"])
        return len(new), len(changed)

    def audit(self, report):
        record(AuditAction.IMPORT, actor=self.actor, object_type="engagement.enterpriseparty",
               object_repr="企业党员情况导入",
               detail={"total": report.total, "succeeded": report.succeeded, "failed": report.failed,
                       "created": report.created, "updated": report.updated, "valid_only": report.valid_only})


def import_census(*, actor, path, dry_run=False, valid_only=False, progress=None):
    """Import the census sheet at `path` (the editors only, into their federations' enterprises). Every row is
    checked first; unless `dry_run`, the clean rows are written inside one transaction — nothing when a row
    failed, unless `valid_only`. Returns the `ImportReport`."""
    return run_import(CensusImportSpec(actor=actor), path, dry_run=dry_run, valid_only=valid_only, progress=progress)


def import_template(*, actor):
    """The import template (bytes): the 企业党员情况 sheet and its 填写说明."""
    return template_xlsx(CensusImportSpec(actor=actor))


__all__ = ["COLUMNS", "KIND", "CensusImportSpec", "import_census", "import_template"]
