"""The member import spec: one spreadsheet, one row per member of the federation (企业会员 / 团体会员 /
个人会员), on the project's one Excel pipeline (`shanglian.common.excel`).

- What is required depends on 会员类型: 企业会员 needs 企业名称, 统一社会信用代码, 企业类型 and 行业代码;
  个人会员 needs 姓名 and 身份证号 (a 统一社会信用代码 on the row links the person to that enterprise);
  团体会员 needs 团体名称 (a chamber or association already registered with the federation).
- Natural keys (upsert): an enterprise by its 统一社会信用代码, a person by the blind index of the ID
  number, a membership by (federation, member). Importing the same file twice changes nothing.
- An empty optional cell never wipes what is stored: it keeps the stored value (or the default of a
  new record). Enterprise columns on a 个人会员/团体会员 row are not used.
- The writes are `import_writes.MemberRowWriter`; the entry point is `services.import_members()`.
- Registered with the import jobs as kind "members".
"""

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from shanglian.accounts.roles import EDITOR_ROLES, require_role
from shanglian.audit.models import AuditAction
from shanglian.audit.services import record
from shanglian.common.excel import Column, ImportSpec
from shanglian.imports.registry import import_kind

from . import rules, summaries
from .import_writes import MemberRowWriter
from .models import Enterprise, Membership, Person

KIND = rules.KIND
STATUS = rules.STATUS
GENDERS = {"男": Person.Gender.MALE, "女": Person.Gender.FEMALE}


def _dictionary(kind):
    """Active items of one dictionary, label → id (resolved once per import and per template)."""
    return lambda: dict(rules.dictionary(kind).values_list("label", "id"))


def _labels(choices):
    return {label: value for value, label in choices}


COLUMNS = [
    Column("kind", "会员类型", required=True, kind="choice", choices=_labels(KIND.choices), example="企业会员",
           help="企业会员、团体会员或个人会员；决定下面哪些列必填"),
    Column("number", "会员证号", kind="code", max_length=30, aliases=("会员编号",), example="HX-2024-0101",
           help="同一工商联内不能重复；留空则保留已有证号"),
    Column("joined", "入会日期", required=True, kind="date", example="2024-03-05",
           help="如 2024-03-05、2024/3/5、2024.3.5 或 2024年3月5日"),
    Column("status", "状态", kind="choice", choices=_labels(STATUS.choices), example="在册", help="在册、暂停或退会；留空为“在册”"),
    Column("suspended_on", "暂停日期", kind="date", help="状态为“暂停”时必填"),
    Column("left", "退会日期", kind="date", help="状态为“退会”时必填"),
    Column("left_reason", "退会原因", max_length=200, help="状态为“退会”时填写"),
    Column("body_position", "在工商联的职务", kind="choice", choices=_labels(Membership.BodyPosition.choices),
           aliases=("工商联职务",), example="执委", help="会员、执委、常委、副主席、主席；留空为“会员”"),
    # enterprise (企业会员)
    Column("enterprise_name", "企业名称", max_length=200, example="天津某某科技有限公司", help="企业会员必填"),
    Column("uscc", "统一社会信用代码", kind="code", max_length=18, example="91120103MA05L2XY3K",
           help="企业会员必填（18 位）；个人会员填写则关联其任职企业"),
    Column("enterprise_type", "企业类型", kind="choice", choices=_dictionary("enterprise_type"), example="私营企业",
           help="企业会员必填，从下拉列表选择"),
    Column("industry", "行业代码", kind="code", max_length=4, zero_pad=4, aliases=("国民经济行业代码",), example="6513",
           help="企业会员必填：GB/T 4754-2017 小类代码（4 位数字）"),
    Column("size", "企业规模", kind="choice", choices=_labels(Enterprise.Size.choices), aliases=("规模",), example="小型"),
    Column("is_high_tech", "高新技术企业", kind="bool", aliases=("高新技术",), example="否"),
    Column("street", "所在街道", max_length=50, aliases=("街道",), example="友谊路街道", help="本工商联已登记的街道（镇）名称"),
    Column("is_local", "本地企业", kind="bool", example="是", help="留空为“是”"),
    Column("founded", "成立日期", kind="date", example="2015-06-01"),
    Column("employees", "从业人数", kind="int", max_value=2_147_483_647, example="35"),
    Column("registered_capital", "注册资本（万元）", kind="decimal", decimal_places=2,
           max_value=999_999_999_999, aliases=("注册资本",), example="500"),
    Column("contact_name", "联系人", max_length=50, example="王某"),
    Column("contact_mobile", "联系人手机", kind="code", max_length=20, aliases=("联系电话",), example="13800138000"),
    # person (个人会员)
    Column("person_name", "姓名", max_length=50, example="张某", help="个人会员必填"),
    Column("gender", "性别", kind="choice", choices=GENDERS, help="留空时按身份证号确定"),
    Column("id_number", "身份证号", kind="code", max_length=18, aliases=("身份证号码", "公民身份号码"),
           help="个人会员必填（18 位）"),
    Column("mobile", "手机号", kind="code", max_length=20, aliases=("手机号码",)),
    Column("political_affiliation", "政治面貌", kind="choice", choices=_dictionary("political_affiliation")),
    Column("education", "学历", kind="choice", choices=_dictionary("education")),
    Column("is_new_generation", "新生代企业家", kind="bool", aliases=("新生代",)),
    # group (团体会员)
    Column("group_name", "团体名称", max_length=100, example="河西区浙江商会", help="团体会员必填：本工商联已登记的商会或协会名称"),
    # chamber of an enterprise member
    Column("chamber", "所属商会", max_length=100, help="企业会员可填：同时登记为该商会会员"),
    Column("chamber_position", "商会职务", max_length=30, example="副会长", help="填写时须同时填写所属商会"),
]

REQUIRED_BY_KIND = {
    KIND.ENTERPRISE: ["enterprise_name", "uscc", "enterprise_type", "industry"],
    KIND.INDIVIDUAL: ["person_name", "id_number"],
    KIND.GROUP: ["group_name"],
}
DICTIONARY_COLUMNS = ("enterprise_type", "political_affiliation", "education")  # choices from the 数据字典
DICTIONARY_CHANGED = "所选的值已在数据字典中停用或删除，请重新选择"
HEADER_OF = {column.key: column.header for column in COLUMNS}  # the rules name fields, the report headers
KEY_OF = {column.header: column.key for column in COLUMNS}


@import_kind("members")
class MemberImportSpec(ImportSpec):
    title = "会员名单"
    columns = COLUMNS
    unique = ("number",)

    def __init__(self, *, actor):
        require_role(actor, *EDITOR_ROLES)
        if actor.federation_id is None:
            raise PermissionDenied("您的账号未关联工商联，不能导入会员。")
        super().__init__(actor=actor)
        self.federation = actor.federation

    # -- lookups, loaded once -------------------------------------------------------------------
    def prepare(self):
        fed = self.federation
        self.subtree = set(fed.subtree_ids())
        self.industries = rules.industry_classes()
        self.streets = dict(rules.streets_of(fed).values_list("name", "id"))
        self.chambers = dict(rules.chambers_of(fed).values_list("name", "id"))
        # every enterprise and person by natural key (the key is global): uscc / ID index → (id, federation)
        self.enterprises = {uscc: (pk, fed_id) for uscc, pk, fed_id
                            in Enterprise.objects.values_list("uscc", "id", "federation_id").iterator(chunk_size=5000)}
        self.persons = {}
        for index, pk, fed_id in Person.objects.exclude(id_number_index="").order_by("id") \
                .values_list("id_number_index", "id", "federation_id").iterator(chunk_size=5000):
            self.persons.setdefault(index, (pk, fed_id))
        # this federation's memberships: (kind, subject id) → membership id; 会员证号 → (kind, subject id)
        self.memberships, self.numbers = {}, {}
        for pk, kind, ent, person, group, number in Membership.objects.filter(federation=fed).values_list(
                "id", "kind", "enterprise_id", "person_id", "group_id", "number").iterator(chunk_size=5000):
            subject = (kind, ent or person or group)
            self.memberships[subject] = pk
            if number:
                self.numbers[number] = subject
        self.file_usccs = set()  # enterprises checked earlier in this file (individuals may link to them)
        self.dictionary_ids = None  # loaded by the first recheck_row
        self.id_index = Person._meta.get_field("id_number_index").index_for
        self.today = timezone.localdate()
        self.writer = None

    # -- checks of one row (the rules are `rules.py`'s, shared with the staff forms) -------------------
    def clean_row(self, v, failed):
        kind = v["kind"]
        if kind is None:
            return []
        failed = {KEY_OF[header] for header in failed if header in KEY_OF}
        errors, failed = rules.code_errors(v, failed)
        errors += rules.required_errors(kind, v, REQUIRED_BY_KIND[kind], failed)
        v["status"] = v["status"] or STATUS.ACTIVE
        errors += rules.status_errors(v, today=self.today, failed=failed)
        if kind == KIND.ENTERPRISE:
            errors += rules.not_after_today(v, ["founded"], today=self.today)
            errors += self._named(kind, v)
            if not v["chamber"] and v["chamber_position"]:
                errors.append(("chamber_position", "填写商会职务时须同时填写所属商会"))
        elif v["chamber"] or v["chamber_position"]:
            errors.append(("chamber" if v["chamber"] else "chamber_position", rules.only_for_kind(KIND.ENTERPRISE)))
        if kind == KIND.INDIVIDUAL:
            errors += rules.gender_errors(v)
        if kind == KIND.GROUP:
            errors += self._named(kind, v)
        if not (errors or failed):
            errors = self._against_database(kind, v)
        return [(HEADER_OF[field], reason) for field, reason in errors]

    def _named(self, kind, v):
        """The records of this federation a row names by name or code (its industry class, street,
        chamber, group): their ids, set in `v`, or the errors."""
        errors = []
        if kind == KIND.ENTERPRISE:
            errors += rules.industry_errors(v["industry"], self.industries)
            if v["street"]:
                v["street_id"] = self.streets.get(v["street"])
                if v["street_id"] is None:
                    errors.append(("street", f"本工商联没有名为“{v['street']}”的街道（镇）"))
            if v["chamber"]:
                v["chamber_id"] = self.chambers.get(v["chamber"])
                if v["chamber_id"] is None:
                    errors.append(("chamber", f"本工商联没有名为“{v['chamber']}”的商会"))
        elif kind == KIND.GROUP and v["group_name"]:
            v["group_id"] = self.chambers.get(v["group_name"])
            if v["group_id"] is None:
                errors.append(("group_name", f"本工商联没有登记名为“{v['group_name']}”的商会或协会"))
        return errors

    def recheck_row(self, v):
        """A row the preview passed, before it is committed from the kept rows (`commit_checked`): what
        can have changed since is checked again against what `prepare()` loaded now — the dictionary
        items it chose (still active), the streets, chambers and groups it names, the owners of its
        信用代码 / 身份证号 and its 会员证号 (taken by another member meanwhile?). The rest (codes,
        dates, required columns, duplicates inside the file) depends on the file alone."""
        kind = v["kind"]
        if self.dictionary_ids is None:
            self.dictionary_ids = {column.key: set(column.choice_map().values()) for column in COLUMNS
                                   if column.key in DICTIONARY_COLUMNS}
        errors = [(field, DICTIONARY_CHANGED) for field, ids in self.dictionary_ids.items()
                  if v[field] is not None and v[field] not in ids]
        errors += self._named(kind, v)
        if not errors:
            errors = self._against_database(kind, v)
        return [(HEADER_OF[field], reason) for field, reason in errors]

    def _against_database(self, kind, v):
        """The checks against what is stored (only for rows that are otherwise clean)."""
        errors = []
        if kind == KIND.ENTERPRISE:
            found = self.enterprises.get(v["uscc"])
            errors += rules.registered_elsewhere("uscc", "企业", found, subtree=self.subtree, action="导入")
            v["subject"] = (KIND.ENTERPRISE, found[0] if found else None)
        elif kind == KIND.INDIVIDUAL:
            v["id_index"] = index = self.id_index(v["id_number"])
            found = self.persons.get(index)
            errors += rules.registered_elsewhere("id_number", "人员", found, subtree=self.subtree, action="导入")
            if v["uscc"]:
                linked = self.enterprises.get(v["uscc"])
                if (linked is None or linked[1] not in self.subtree) and v["uscc"] not in self.file_usccs:
                    errors.append(("uscc", "关联的企业尚未登记（请先导入该企业，或在本表中把企业会员行放在前面）"))
            v["subject"] = (KIND.INDIVIDUAL, found[0] if found else None)
        else:
            v["subject"] = (KIND.GROUP, v["group_id"])
        if v["number"]:
            errors += rules.number_errors(self.numbers.get(v["number"]), v["subject"])
        if not errors and kind == KIND.ENTERPRISE:
            self.file_usccs.add(v["uscc"])
        return errors

    def natural_key(self, v):
        kind = v["kind"]
        if kind == KIND.ENTERPRISE:
            return kind, v["uscc"]
        if kind == KIND.INDIVIDUAL:
            return kind, v["id_index"]
        return kind, v["group_id"]

    # -- writes (import_writes.py) ---------------------------------------------------------------
    def commit(self, batch):
        if self.writer is None:
            self.writer = MemberRowWriter(self)
        return self.writer.write([values for _, values in batch])

    def finish(self):
        if self.writer is not None:  # the memberships went in as multi-row writes, past the summary's signals
            summaries.rebuild(self.federation.pk)
            self.writer.announce()

    def audit(self, report):
        record(AuditAction.IMPORT, actor=self.actor, object_type="members.membership", object_repr="会员导入",
               detail={"total": report.total, "succeeded": report.succeeded, "failed": report.failed,
                       "created": report.created, "updated": report.updated, "valid_only": report.valid_only})


__all__ = ["COLUMNS", "MemberImportSpec"]
