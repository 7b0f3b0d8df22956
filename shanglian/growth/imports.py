"""发展对象导入: the prospects a federation or a chamber kept in a spreadsheet (a list of enterprises to recruit),
on the project's one Excel pipeline (`shanglian.common.excel`), registered with the import jobs as kind
"prospects"; the pages are `prospect_views.IMPORT_PAGES`, the command `import_prospects`.

- Who: the `RECRUITER_ROLES`, each row scoped to the importer — an editor's rows are its federation's (or, naming
  发展商会, one of its chambers'); a chamber secretary's are its own chamber's (发展商会 empty or its own).
- One row is one prospect, recorded at 线索 with today as the day it entered the stage: 名称 (required), 统一社会
  信用代码 (when the registry holds it within the importer's scope, the prospect is linked to that record), 拟入会
  类型, the "三多三少" attributes (私营企业, 外地企业, 高新技术企业: 是/否), 行业代码 (GB/T 4754), 来源 by its label,
  推荐会员企业 by name or code (会员推荐 / 会员上下游), 来源活动 by its title (参加活动), 联系人, 联系电话, 负责人 by
  user name (empty: the importer), 下一步 and its date.
- The rules are the pages' (`services.prospects.prospect_errors`, the same words): a valid code; not a member in
  force of the federation; no open prospect of the same enterprise or code (importing a file twice adds nothing);
  a row repeating an earlier row's code or name is refused. As in every import, one failed row writes nothing
  (unless only the valid rows are asked for); one audit record per import.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone

from shanglian.accounts.roles import RECRUITER_ROLES, Role, require_role, role_of
from shanglian.audit.models import AuditAction
from shanglian.audit.services import record
from shanglian.common.excel import Column, ImportSpec, run_import, template_xlsx
from shanglian.common.models import IndustryCode
from shanglian.common.validators import normalize_uscc
from shanglian.imports.registry import import_kind

from . import enrollment_imports  # noqa: F401 (registers the import kind "enrollments", 服务企业导入)
from .models import Prospect
from .selectors import prospects as selectors
from .services import prospects as rules

KIND = "prospects"
SOURCES = {label: value for value, label in Prospect.Source.choices}
MEMBER_KINDS = {"企业会员": "enterprise", "团体会员": "group", "个人会员": "individual"}

COLUMNS = [
    Column("name", "名称", required=True, max_length=200, aliases=("企业名称", "单位名称"), example="天津某某科技有限公司"),
    Column("uscc", "统一社会信用代码", kind="code", max_length=40, example="91120103MA05L2XY3K",
           help="企业库中已有该企业时自动关联"),
    Column("member_kind", "拟入会类型", kind="choice", choices=MEMBER_KINDS, example="企业会员", help="留空为企业会员"),
    Column("is_private", "私营企业", kind="bool", example="是"),
    Column("is_nonlocal", "外地企业", kind="bool", example="否"),
    Column("is_high_tech", "高新技术企业", kind="bool", example="否"),
    Column("industry", "行业代码", kind="code", max_length=5, example="6513", help="GB/T 4754-2017 行业代码"),
    Column("source", "来源", kind="choice", choices=SOURCES, example="企业库", help="留空为企业库"),
    Column("referred_by", "推荐会员企业", max_length=200,
           help="来源为会员推荐或会员上下游时必填：会员企业名称或统一社会信用代码"),
    Column("source_event", "来源活动", max_length=200, help="来源为参加活动时必填：活动名称"),
    Column("contact_name", "联系人", max_length=50),
    Column("contact_mobile", "联系电话", kind="code", max_length=20),
    Column("chamber", "发展商会", max_length=100, help="留空为工商联发展；商会秘书处导入时只能留空或填本商会"),
    Column("owner", "负责人账号", kind="code", max_length=150, help="负责人的登录用户名，留空为导入人"),
    Column("next_step", "下一步", max_length=200),
    Column("next_step_on", "下一步日期", kind="date", example="2026-12-15"),
    Column("note", "备注", max_length=2000),
]
HEADERS = {column.key: column.header for column in COLUMNS}
# The service's fields → the columns that carry them.
FIELD_HEADERS = {**HEADERS, "is_local": HEADERS["is_nonlocal"], "enterprise": HEADERS["uscc"], "__all__": ""}


@import_kind(KIND)
class ProspectImportSpec(ImportSpec):
    title = "发展对象"
    columns = COLUMNS

    def __init__(self, *, actor):
        require_role(actor, *RECRUITER_ROLES)
        if role_of(actor) != Role.CHAMBER and actor.federation_id is None:
            raise PermissionDenied("您的账号未关联工商联，不能导入发展对象。")
        super().__init__(actor=actor)

    def prepare(self):
        actor = self.actor
        self.chamber_role = role_of(actor) == Role.CHAMBER
        self.enterprises = selectors.prospect_enterprises(actor).select_related(None)
        self.chambers = {c.name: c for c in selectors.prospect_chambers(actor)}
        self.owners = {u.username: u for u in selectors.prospect_owners(actor)}
        self.events = {}
        for event in selectors.prospect_events(actor).select_related(None).order_by("id"):
            self.events.setdefault(event.title, []).append(event)
        self.created = []

    def _enterprise(self, text):
        code = normalize_uscc(text)
        found = list(self.enterprises.filter(Q(uscc=code) | Q(name=text))[:2])
        if len(found) == 1:
            return found[0], ""
        if found:
            return None, f"有多家名为“{text}”的企业，请改填统一社会信用代码"
        return None, f"找不到“{text}”，或其不在您的管理范围内"

    def clean_row(self, v, failed):
        errors = []
        values = {name: v.get(name) for name in rules.PROSPECT_FIELDS if name in v}
        values["is_local"] = not v.get("is_nonlocal")
        values["member_kind"] = v.get("member_kind") or "enterprise"
        values["source"] = v.get("source") or Prospect.Source.REGISTRY
        values["enterprise"] = None
        if v.get("uscc"):
            values["enterprise"] = self.enterprises.filter(uscc=normalize_uscc(v["uscc"])).first()
        if v.get("industry"):
            values["industry"] = IndustryCode.objects.filter(code=v["industry"]).first()
            if values["industry"] is None:
                errors.append((HEADERS["industry"], f"行业代码“{v['industry']}”不存在"))
        else:
            values["industry"] = None
        values["referred_by"] = None
        if v.get("referred_by"):
            values["referred_by"], reason = self._enterprise(v["referred_by"])
            if reason:
                errors.append((HEADERS["referred_by"], reason))
        values["source_event"] = None
        if v.get("source_event"):
            found = self.events.get(v["source_event"], [])
            if len(found) == 1:
                values["source_event"] = found[0]
            else:
                errors.append((HEADERS["source_event"], "有多个同名活动，请导入后在页面上选择" if found
                               else f"找不到名为“{v['source_event']}”的活动，或其不在您的管理范围内"))
        values["chamber"] = None
        if v.get("chamber"):
            if self.chamber_role and v["chamber"] != self.actor.chamber.name:
                errors.append((HEADERS["chamber"], f"只能导入本商会（{self.actor.chamber.name}）发展的对象"))
            values["chamber"] = self.chambers.get(v["chamber"])
            if values["chamber"] is None and not self.chamber_role:
                errors.append((HEADERS["chamber"], f"找不到名为“{v['chamber']}”的商会，或其不在您的管理范围内"))
        values["owner"] = self.actor
        if v.get("owner"):
            values["owner"] = self.owners.get(v["owner"])
            if values["owner"] is None:
                errors.append((HEADERS["owner"], f"找不到账号“{v['owner']}”，或其不能负责发展对象"))
        if v.get("next_step_on") and v["next_step_on"] < timezone.localdate():
            errors.append((HEADERS["next_step_on"], rules.PAST_DATE.rstrip("。")))
        if errors or failed:
            return errors
        service_errors = rules.prospect_errors(self.actor, values)
        for field, reason in service_errors.items():
            errors.append((FIELD_HEADERS.get(field, ""), str(reason).rstrip("。")))
        v["_values"] = values
        return errors

    def natural_key(self, v):
        code = normalize_uscc(v.get("uscc") or "")
        return ("uscc", code) if code else ("name", v.get("name"))

    def commit(self, batch):
        today = timezone.localdate()
        for _row, v in batch:
            values = v["_values"]
            prospect = Prospect(stage=Prospect.Stage.LEAD, stage_changed_on=today,
                                federation_id=values["federation_id"])
            for name in rules.PROSPECT_FIELDS:
                value = values.get(name)
                if value is None and name in ("uscc", "contact_name", "contact_mobile", "next_step", "note"):
                    value = ""
                setattr(prospect, name, value)
            prospect.is_private, prospect.is_high_tech = bool(values.get("is_private")), bool(values.get("is_high_tech"))
            prospect.save()
            self.created.append(prospect.pk)
        return len(batch), 0

    def audit(self, report):
        record(AuditAction.IMPORT, actor=self.actor, object_type="growth.prospect", object_repr="发展对象导入",
               detail={"total": report.total, "succeeded": report.succeeded, "failed": report.failed,
                       "created": report.created, "valid_only": report.valid_only,
                       "ids": [self.created[0], self.created[-1]] if self.created else []})


def import_prospects(*, actor, path, dry_run=False, valid_only=False, progress=None):
    """Import the prospects spreadsheet at `path` in the actor's scope. Every row is checked first; unless
    `dry_run`, the clean rows are written inside one transaction — nothing when a row failed, unless `valid_only`.
    Returns the `ImportReport`."""
    return run_import(ProspectImportSpec(actor=actor), path, dry_run=dry_run, valid_only=valid_only,
                      progress=progress)


def import_template(*, actor):
    """The template (bytes): the chambers of the actor's scope as a dropdown."""
    spec = ProspectImportSpec(actor=actor)
    return template_xlsx(spec, {"chamber": list(selectors.prospect_chambers(actor).values_list("name", flat=True))})


__all__ = ["COLUMNS", "KIND", "ProspectImportSpec", "import_prospects", "import_template"]
