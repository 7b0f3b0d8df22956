"""服务企业导入: the enterprises a federation enrolled in a service programme (双万双服 "纳入民营企业1515家") kept in a
spreadsheet, on the project's one Excel pipeline (`shanglian.common.excel`), registered with the import jobs as kind
"enrollments" (from `growth/imports.py`); the pages are `enrollment_views.IMPORT_PAGES`, the command
`import_enrollments`.

- Who: the editors (sysadmin, staff), each row scoped to the importer's federations.
- One row is one enrollment: 企业 by its 统一社会信用代码 or its name (one enterprise of that name in the scope),
  服务项目 by its name (empty: 双万双服), 纳入日期 (not in the future), 联络员 by user name or display name (a staff,
  leader or sysadmin of the importer's federations), 备注.
- The rules are the service's (`services.enrollments.enrollment_errors`), in the same words as the pages. A row
  naming an enterprise already enrolled in that programme (open) or the same enterprise and programme twice in the
  file is refused, so importing a file twice adds nothing. As in every import, one failed row writes nothing
  (unless only the valid rows are asked for); one audit record per import.
"""

from django.utils import timezone

from shanglian.accounts.roles import EDITOR_ROLES, require_role
from shanglian.audit.models import AuditAction
from shanglian.audit.services import record
from shanglian.common.excel import Column, ImportSpec, run_import, template_xlsx
from shanglian.common.validators import normalize_uscc
from shanglian.imports.registry import import_kind

from .models import ServiceEnrollment
from .selectors import enrollments as selectors
from .services import enrollments as rules

KIND = "enrollments"
DEFAULT_PROGRAMME = "shuangwan"

COLUMNS = [
    Column("enterprise", "企业", required=True, max_length=200, aliases=("企业名称", "统一社会信用代码"),
           example="91120103MA05L2XY3K", help="统一社会信用代码或企业名称"),
    Column("programme", "服务项目", max_length=100, example="双万双服", help="留空为“双万双服”"),
    Column("enrolled_on", "纳入日期", required=True, kind="date", example="2025-03-01"),
    Column("liaison", "联络员", max_length=150, example="staff", help="工商联干部的用户名或姓名，可不填"),
    Column("note", "备注", max_length=200),
]
HEADERS = {column.key: column.header for column in COLUMNS}


def _plain(reason):
    return reason.rstrip("。")


def _looks_like_code(text):
    code = normalize_uscc(text)
    return len(code) == 18 and code.isascii() and code.isalnum()


@import_kind(KIND)
class EnrollmentImportSpec(ImportSpec):
    title = "服务企业"
    columns = COLUMNS

    def __init__(self, *, actor):
        require_role(actor, *EDITOR_ROLES)
        super().__init__(actor=actor)

    def prepare(self):
        self.today = timezone.localdate()
        self.enterprises = selectors.enrollable_enterprises(self.actor).select_related(None)
        self.programmes = {p.label: p for p in selectors.programmes()}
        self.default = next((p for p in self.programmes.values() if p.code == DEFAULT_PROGRAMME), None)
        self.liaisons = {}
        for user in selectors.liaisons_for(self.actor):
            self.liaisons.setdefault(user.username, []).append(user)
            if user.display_name and user.display_name != user.username:
                self.liaisons.setdefault(user.display_name, []).append(user)
        self.found = {}
        self.created = 0

    def _enterprise(self, text):
        if text not in self.found:
            if _looks_like_code(text):
                found = list(self.enterprises.filter(uscc=normalize_uscc(text))[:1])
                reason = "" if found else f"找不到统一社会信用代码为“{text}”的企业，或其不在您的管理范围内"
            else:
                found = list(self.enterprises.filter(name=text)[:2])
                reason = ("" if len(found) == 1 else f"有多家名为“{text}”的企业，请改填统一社会信用代码" if found
                          else f"找不到名为“{text}”的企业，或其不在您的管理范围内")
            self.found[text] = (found[0] if len(found) == 1 else None, reason)
        return self.found[text]

    def clean_row(self, v, failed):
        errors = []
        enterprise = programme = liaison = None
        if v["enterprise"]:
            enterprise, reason = self._enterprise(v["enterprise"])
            if reason:
                errors.append((HEADERS["enterprise"], reason))
        if v["programme"]:
            programme = self.programmes.get(v["programme"])
            if programme is None:
                errors.append((HEADERS["programme"], f"找不到名为“{v['programme']}”的服务项目"))
        else:
            programme = self.default
        if v["liaison"]:
            found = self.liaisons.get(v["liaison"], [])
            if len(found) == 1:
                liaison = found[0]
            else:
                errors.append((HEADERS["liaison"], f"有多位名为“{v['liaison']}”的用户，请改填用户名" if found
                               else f"找不到用户“{v['liaison']}”，或其不是本工商联的干部"))
        if not errors and v["enrolled_on"] is not None:
            found = rules.enrollment_errors(actor=self.actor, enterprise=enterprise, programme=programme,
                                            enrolled_on=v["enrolled_on"], liaison=liaison, today=self.today)
            errors += [(HEADERS.get(name, ""), _plain(reason)) for name, reason in found.items()]
        if not errors and not failed:
            open_one = ServiceEnrollment.objects.filter(enterprise=enterprise, programme=programme,
                                                        ended_on__isnull=True).order_by("pk").first()
            if open_one is not None:
                errors.append(("", f"该企业已纳入“{programme.label}”（{open_one.enrolled_on:%Y-%m-%d} 起），不再重复导入"))
        v["_enterprise"], v["_programme"], v["_liaison"] = enterprise, programme, liaison
        return errors

    def natural_key(self, v):
        enterprise, programme = v.get("_enterprise"), v.get("_programme")
        if enterprise is None or programme is None:
            return None
        return (enterprise.pk, programme.pk)

    def commit(self, batch):
        for _row, v in batch:
            enterprise = v["_enterprise"]
            ServiceEnrollment.objects.create(
                federation_id=enterprise.federation_id, enterprise=enterprise, programme=v["_programme"],
                enrolled_on=v["enrolled_on"], liaison=v["_liaison"], enrolled_by=self.actor, note=v["note"] or "")
            self.created += 1
        return len(batch), 0

    def audit(self, report):
        record(AuditAction.IMPORT, actor=self.actor, object_type="growth.serviceenrollment", object_repr="服务企业导入",
               detail={"total": report.total, "succeeded": report.succeeded, "failed": report.failed,
                       "created": report.created, "valid_only": report.valid_only})


def import_enrollments(*, actor, path, dry_run=False, valid_only=False, progress=None):
    """Import the enrollments spreadsheet at `path` in the actor's scope (see the module's rules). Returns the
    `ImportReport`."""
    return run_import(EnrollmentImportSpec(actor=actor), path, dry_run=dry_run, valid_only=valid_only,
                      progress=progress)


def import_template(*, actor):
    """The template (bytes): the service programmes as a dropdown."""
    spec = EnrollmentImportSpec(actor=actor)
    return template_xlsx(spec, {"programme": list(selectors.programmes().values_list("label", flat=True))})


__all__ = ["COLUMNS", "KIND", "EnrollmentImportSpec", "import_enrollments", "import_template"]
