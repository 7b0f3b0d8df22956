"""The policy import spec: one spreadsheet, one row per policy of the federation, on the project's one
Excel pipeline (`shanglian.common.excel`), registered with the import jobs as kind "policies".

- Names, not ids: 发布部门 by the department's name (or short name) in the federation, 惠企类型 and
  企业类型 by their dictionary labels, 街道 by name, 企业规模 as 大型/中型/小型/微型; lists (适用行业,
  企业规模, 企业类型, 街道, 服务包) separated by commas (，、；and spaces also work).
- Natural key (upsert): (federation, 文号) when 文号 is given, else (federation, 政策名称, 发布部门).
  Importing the same file twice changes nothing (unchanged rows are not written at all).
- An empty optional cell keeps what is stored (or the default of a new policy): a condition is removed
  on the policy's edit page, not by an import. A non-empty list replaces the stored list.
- The checks are save_policy's own (`services.clean_industries`, `services.apply_policy`), run on
  every row before anything is written; the reasons name the Excel row and the column.
- 状态: 草稿 (default for a new policy) or 已发布. An import never pushes a policy to enterprises —
  that stays an explicit 推送 on the policy's page — and a published policy is not turned back into a
  draft. One audit record per committed import.
"""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.utils import timezone

from shanglian.accounts.roles import EDITOR_ROLES, require_role
from shanglian.audit.models import AuditAction
from shanglian.audit.services import record
from shanglian.common.excel import Column, ImportSpec, clean_text, run_import, template_xlsx
from shanglian.common.models import DictItem
from shanglian.imports.registry import import_kind
from shanglian.members.models import Enterprise
from shanglian.orgs.models import Department, Street

from . import services
from .models import Policy, PolicyIndustry, PolicyPackage

STATUS_LABELS = {"草稿": Policy.Status.DRAFT, "已发布": Policy.Status.PUBLISHED}
SIZE_LABELS = {label: value for value, label in Enterprise.Size.choices}
_SEPARATORS = re.compile(r"[,，、;；\s]+")


def _benefit_types():
    return dict(DictItem.objects.filter(kind="benefit_type", is_active=True).order_by("order", "code")
                .values_list("label", "id"))


COLUMNS = [
    Column("title", "政策名称", required=True, max_length=200, example="河西区支持科技型中小企业发展若干措施"),
    Column("department", "发布部门", required=True, max_length=100, example="天津市河西区科学技术局",
           help="本工商联已登记的职能部门名称（全称或简称）"),
    Column("document_number", "文号", max_length=100, example="河西科发〔2026〕8号",
           help="同一工商联内按文号识别政策；没有文号时按“政策名称 + 发布部门”识别"),
    Column("published_on", "发布日期", kind="date", example="2026-03-05"),
    Column("effective_from", "生效日期", kind="date", example="2026-04-01"),
    Column("expires_on", "失效日期", kind="date", example="2028-03-31", help="不能早于生效日期；留空为长期有效"),
    Column("benefit_type", "惠企类型", required=True, kind="choice", choices=_benefit_types, example="资金补贴"),
    Column("summary", "政策摘要", kind="prose", max_length=2000),
    Column("full_text", "政策全文", kind="prose"),
    Column("application_method", "申报方式", kind="prose", max_length=2000, example="登录河西区政务服务网在线申报"),
    Column("contact", "咨询电话", max_length=200, aliases=("咨询电话/联系人", "联系方式"), example="022-28011234"),
    Column("is_automatic", "免申即享", kind="bool", example="否"),
    Column("industries", "适用行业", kind="code", max_length=300, aliases=("行业代码",), example="C,6513",
           help="GB/T 4754-2017 门类字母或 2～4 位代码，多个用逗号分隔；留空为不限"),
    Column("sizes", "企业规模", max_length=60, example="小型,微型", help="大型、中型、小型、微型，多个用逗号分隔；留空为不限"),
    Column("enterprise_types", "企业类型", max_length=200, example="私营企业",
           help="数据字典中的企业类型名称，多个用逗号分隔；留空为不限"),
    Column("streets", "街道", max_length=500, aliases=("所在街道",), example="友谊路街道",
           help="本工商联已登记的街道（镇）名称，多个用逗号分隔；留空为不限"),
    Column("high_tech_required", "限高新技术企业", kind="bool", example="否"),
    Column("min_employees", "从业人数下限", kind="int", max_value=2_147_483_647),
    Column("max_employees", "从业人数上限", kind="int", max_value=2_147_483_647),
    Column("min_registered_years", "成立年限下限", kind="int", max_value=32767, aliases=("成立年限下限（年）",)),
    Column("max_registered_years", "成立年限上限", kind="int", max_value=32767, aliases=("成立年限上限（年）",)),
    Column("members_only", "限会员", kind="bool", aliases=("限工商联会员",), example="否"),
    Column("packages", "服务包", max_length=500, example="专精特新服务包",
           help="服务包名称，多个用逗号分隔；不存在的服务包会自动创建"),
    Column("status", "状态", kind="choice", choices=STATUS_LABELS, example="草稿",
           help="草稿或已发布；留空时新政策为草稿，已有政策保持原状态。导入不会推送政策"),
]
HEADERS = {column.key: column.header for column in COLUMNS}
# Where a message of the services' checks belongs (they start with the field's label).
_MESSAGE_COLUMNS = [("所选街道", "街道"), ("行业代码", "适用行业"), *((c.header, c.header) for c in COLUMNS)]

# Optional policy fields and their value on a new policy when the cell is empty.
OPTIONAL_DEFAULTS = {"document_number": "", "published_on": None, "effective_from": None, "expires_on": None,
                     "summary": "", "full_text": "", "application_method": "", "contact": "", "is_automatic": False}
# What an import may change, compared before and after a row is applied (unchanged rows are skipped).
COMPARED = [*services.FIELDS, "sizes", "enterprise_types", "streets", "high_tech_required", "min_employees",
            "max_employees", "min_registered_years", "max_registered_years", "members_only", "status"]
WRITTEN = [name for name in COMPARED if name not in ("department", "benefit_type")] + [
    "department", "benefit_type", "updated_at"]


def _split(text):
    return [item for item in _SEPARATORS.split(text or "") if item]


def _column_of(message):
    return next((header for prefix, header in _MESSAGE_COLUMNS if message.startswith(prefix)), "")


def _state(policy):
    return tuple(getattr(policy, name) for name in COMPARED) + (policy.published_on,)


@import_kind("policies")
class PolicyImportSpec(ImportSpec):
    title = "惠企政策"
    columns = COLUMNS

    def __init__(self, *, actor):
        require_role(actor, *EDITOR_ROLES)
        if actor.federation_id is None:
            raise PermissionDenied("您的账号未关联工商联，不能导入政策。")
        super().__init__(actor=actor)
        self.federation = actor.federation

    # -- lookups, loaded once -------------------------------------------------------------------
    def prepare(self):
        fed = self.federation
        departments = list(Department.objects.filter(federation=fed))
        self.departments = {}
        short_names = {}
        for department in departments:
            if department.short_name:
                short_names.setdefault(clean_text(department.short_name), []).append(department)
        for short, found in short_names.items():
            if len(found) == 1:
                self.departments[short] = found[0]
        for department in departments:  # a full name wins over someone's short name
            self.departments[clean_text(department.name)] = department
        self.benefit_types = {item.pk: item for item in DictItem.objects.filter(kind="benefit_type")}
        self.enterprise_types = {clean_text(label): code for label, code in DictItem.objects.filter(
            kind="enterprise_type", is_active=True).values_list("label", "code")}
        self.streets = {clean_text(name): pk for name, pk in Street.objects.filter(federation=fed)
                        .values_list("name", "id")}
        self.by_number, self.by_title = {}, {}
        for pk, number, title, department_id in Policy.objects.filter(federation=fed).values_list(
                "id", "document_number", "title", "department_id").iterator(chunk_size=5000):
            if number:
                self.by_number.setdefault(number, []).append(pk)
            self.by_title.setdefault((title, department_id), []).append(pk)
        self.packages = dict(PolicyPackage.objects.filter(federation=fed).values_list("name", "id"))
        self.today = timezone.localdate()
        self.published = 0

    # -- checks of one row ----------------------------------------------------------------------
    def _names(self, v, key, lookup, reason, errors):
        """A comma-separated list of names → their stored values, or an error naming the unknown ones."""
        names = _split(v[key])
        unknown = [name for name in names if name not in lookup]
        if unknown:
            errors.append((HEADERS[key], reason("、".join(unknown))))
            return None
        return list(dict.fromkeys(lookup[name] for name in names))

    def clean_row(self, v, failed):
        errors = []
        department = None
        if v["department"]:
            department = self.departments.get(v["department"])
            if department is None:
                errors.append(("发布部门", f"本工商联没有名为“{v['department']}”的职能部门"))
        sizes = self._names(v, "sizes", SIZE_LABELS,
                            lambda bad: f"“{bad}”不是企业规模，应为大型、中型、小型、微型", errors)
        types = self._names(v, "enterprise_types", self.enterprise_types,
                            lambda bad: f"数据字典中没有企业类型“{bad}”，可选：{'、'.join(self.enterprise_types)}", errors)
        streets = self._names(v, "streets", self.streets,
                              lambda bad: f"本工商联没有名为“{bad}”的街道（镇）", errors)
        industries = None
        if v["industries"]:
            try:
                industries = services.clean_industries(_split(v["industries"]))
            except ValidationError as exc:
                errors.append(("适用行业", exc.messages[0]))
        packages = list(dict.fromkeys(_split(v["packages"])))
        if any(len(name) > 100 for name in packages):
            errors.append(("服务包", "服务包名称不能超过 100 个字符"))
        if errors or failed:
            return errors

        # The policy this row is: an existing one by its natural key, or a new one.
        number = v["document_number"]
        if number:
            found, column = self.by_number.get(number, []), "文号"
        else:
            found, column = self.by_title.get((v["title"], department.pk), []), "政策名称"
        if len(found) > 1:
            return [(column, "本工商联已有多条政策与之相同，无法确定更新哪一条，请在页面上处理")]
        policy = Policy.objects.get(pk=found[0]) if found else Policy(federation=self.federation,
                                                                      created_by=self.actor)
        before = _state(policy) if found else None
        stored_industries = sorted(policy.industries.values_list("prefix", flat=True)) if found else []
        stored_packages = set(policy.packages.values_list("name", flat=True)) if found else set()

        data = {"title": v["title"], "department": department, "benefit_type": self.benefit_types[v["benefit_type"]]}
        for key, default in OPTIONAL_DEFAULTS.items():
            if v[key] is not None:
                data[key] = v[key]
            elif not found:
                data[key] = default

        def given(key, stored):
            return stored if v[key] is None else v[key]

        eligibility = services.Eligibility(
            industries=industries if industries is not None else stored_industries,
            sizes=sizes or policy.size_list, enterprise_types=types or policy.enterprise_type_list,
            streets=streets or policy.street_ids,
            high_tech_required=given("high_tech_required", policy.high_tech_required),
            min_employees=given("min_employees", policy.min_employees),
            max_employees=given("max_employees", policy.max_employees),
            min_registered_years=given("min_registered_years", policy.min_registered_years),
            max_registered_years=given("max_registered_years", policy.max_registered_years),
            members_only=given("members_only", policy.members_only))
        try:
            services.apply_policy(policy, data=data, eligibility=eligibility, federation=self.federation)
        except ValidationError as exc:
            message = exc.messages[0].rstrip("。")
            return [(_column_of(message), message)]

        wanted = v["status"]
        publish = False
        if not found:
            publish = wanted == Policy.Status.PUBLISHED
        elif wanted == Policy.Status.DRAFT and policy.status != Policy.Status.DRAFT:
            return [("状态", f"该政策{policy.get_status_display()}，不能通过导入改回草稿")]
        elif wanted == Policy.Status.PUBLISHED and policy.status == Policy.Status.DRAFT:
            publish = True
        if publish:
            if policy.is_past_expiry(self.today):
                return [("状态", f"失效日期 {policy.expires_on:%Y-%m-%d} 已过，不能导入为已发布（可导入为草稿）")]
            policy.status = Policy.Status.PUBLISHED
            policy.published_on = policy.published_on or self.today

        v["policy"], v["publish"] = policy, publish
        v["industry_list"] = list(eligibility.industries) if industries is not None else None
        v["package_list"] = packages
        v["changed"] = (not found or _state(policy) != before
                        or (industries is not None and industries != stored_industries)
                        or bool(packages and set(packages) != stored_packages))
        return []

    def natural_key(self, v):
        if v["document_number"]:
            return "文号", v["document_number"]
        return "名称", v["title"], v["policy"].department_id

    # -- writes ---------------------------------------------------------------------------------
    def commit(self, batch):
        rows = [v for _, v in batch if v["changed"]]
        new = [v for v in rows if v["policy"].pk is None]
        old = [v for v in rows if v["policy"].pk is not None]
        old_ids = [v["policy"].pk for v in old]
        Policy.objects.bulk_create([v["policy"] for v in new])
        if old:
            list(Policy.objects.select_for_update().filter(pk__in=old_ids).values_list("pk"))
            now = timezone.now()
            for v in old:
                v["policy"].updated_at = now
            Policy.objects.bulk_update([v["policy"] for v in old], [*WRITTEN, "published_on"])
        self.published += sum(v["publish"] for v in rows)

        industries = [v for v in rows if v["industry_list"] is not None]
        replaced = {v["policy"].pk for v in industries} & set(old_ids)
        PolicyIndustry.objects.filter(policy_id__in=replaced).delete()
        PolicyIndustry.objects.bulk_create([PolicyIndustry(policy_id=v["policy"].pk, prefix=prefix)
                                            for v in industries for prefix in v["industry_list"]])

        packaged = [v for v in rows if v["package_list"]]
        missing = list(dict.fromkeys(name for v in packaged for name in v["package_list"]
                                     if name not in self.packages))
        if missing:
            order = PolicyPackage.objects.filter(federation=self.federation).aggregate(m=Max("order"))["m"] or 0
            for i, name in enumerate(missing, start=1):
                package = PolicyPackage.objects.create(federation=self.federation, name=name, order=order + i)
                self.packages[name] = package.pk
        through = PolicyPackage.policies.through
        through.objects.filter(policy_id__in=[v["policy"].pk for v in packaged]).delete()
        through.objects.bulk_create([through(policy_id=v["policy"].pk, policypackage_id=self.packages[name])
                                     for v in packaged for name in v["package_list"]])
        for v in new:  # a later row of the same file with the same key finds this one
            policy = v["policy"]
            if policy.document_number:
                self.by_number.setdefault(policy.document_number, []).append(policy.pk)
            self.by_title.setdefault((policy.title, policy.department_id), []).append(policy.pk)
        return len(new), len(old)

    def audit(self, report):
        record(AuditAction.IMPORT, actor=self.actor, object_type="policies.policy", object_repr="惠企政策导入",
               detail={"total": report.total, "succeeded": report.succeeded, "failed": report.failed,
                       "created": report.created, "updated": report.updated, "published": self.published,
                       "valid_only": report.valid_only, "pushed": 0})


def import_policies(*, actor, path, dry_run=False, valid_only=False, progress=None):
    """Import the policy spreadsheet at `path` into the actor's federation (staff and sysadmin only).
    Every row is checked first; unless `dry_run`, the clean rows are written inside one transaction —
    nothing when a row failed, unless `valid_only`. Never pushes. Returns the `ImportReport`."""
    return run_import(PolicyImportSpec(actor=actor), path, dry_run=dry_run, valid_only=valid_only,
                      progress=progress)


def import_template(*, actor):
    """The import template (bytes): the federation's departments as a dropdown, dictionaries listed."""
    spec = PolicyImportSpec(actor=actor)
    departments = list(Department.objects.filter(federation=spec.federation, is_active=True).order_by("id")
                       .values_list("name", flat=True))
    return template_xlsx(spec, {"department": departments})


__all__ = ["COLUMNS", "PolicyImportSpec", "import_policies", "import_template"]
