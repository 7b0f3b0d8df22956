"""The member import: one spreadsheet, one row per member (企业会员 / 团体会员 / 个人会员), on the
project's one Excel pipeline (shanglian.common.excel). Upserts on natural keys: an enterprise by its
统一社会信用代码, a person by the blind index of the ID number, a membership by (federation, member)."""

from django.core.exceptions import PermissionDenied, ValidationError

from shanglian.accounts.roles import Role, require_role
from shanglian.audit.models import AuditAction
from shanglian.audit.services import record
from shanglian.common.excel import Column, ImportSpec
from shanglian.common.models import DictItem, IndustryCode
from shanglian.common.validators import (
    normalize_id_number,
    normalize_mobile,
    normalize_uscc,
    validate_id_number,
    validate_mobile,
    validate_uscc,
)
from shanglian.orgs.models import Chamber, Street

from .models import ChamberMembership, Enterprise, EnterpriseRole, Membership, Person, pinyin_initials

KIND_BY_LABEL = {label: value for value, label in Membership.Kind.choices}
STATUS_BY_LABEL = {label: value for value, label in Membership.Status.choices}
POSITION_BY_LABEL = {label: value for value, label in Membership.BodyPosition.choices}
SIZE_BY_LABEL = {label: value for value, label in Enterprise.Size.choices}
GENDER_BY_LABEL = {"男": "M", "女": "F"}

ENTERPRISE_FIELDS = ["name", "name_initials", "enterprise_type", "industry", "size", "is_high_tech", "street",
                     "is_local", "founded", "employees", "registered_capital", "contact_name", "contact_mobile",
                     "contact_mobile_index"]
PERSON_FIELDS = ["name", "name_initials", "gender", "birth_year", "mobile", "mobile_index",
                 "political_affiliation", "education", "is_new_generation"]
MEMBERSHIP_FIELDS = ["number", "joined", "status", "suspended_on", "left", "left_reason", "body_position"]


def _labels(kind):
    return lambda: list(DictItem.objects.filter(kind=kind, is_active=True).order_by("order")
                        .values_list("label", flat=True))


class MemberImportSpec(ImportSpec):
    title = "会员名单"
    columns = [
        Column("kind", "会员类型", required=True, kind="choice", choices=list(KIND_BY_LABEL),
               help="企业会员、团体会员或个人会员"),
        Column("number", "会员证号", kind="code", max_length=30),
        Column("joined", "入会日期", required=True, kind="date", help="如 2021-03-05、2021/3/5 或 2021年3月5日"),
        Column("status", "状态", kind="choice", choices=list(STATUS_BY_LABEL), help="留空为“在册”"),
        Column("suspended_on", "暂停日期", kind="date", help="状态为“暂停”时必填"),
        Column("left", "退会日期", kind="date", help="状态为“退会”时必填"),
        Column("left_reason", "退会原因", max_length=200),
        Column("body_position", "在工商联的职务", kind="choice", choices=list(POSITION_BY_LABEL)),
        Column("enterprise_name", "企业名称", max_length=200, help="企业会员必填"),
        Column("uscc", "统一社会信用代码", kind="code", help="企业会员必填；个人会员填写则关联其任职企业"),
        Column("enterprise_type", "企业类型", kind="choice", choices=_labels("enterprise_type")),
        Column("industry", "行业代码", kind="code", help="GB/T 4754-2017 小类，4 位数字，如 5212"),
        Column("size", "企业规模", kind="choice", choices=list(SIZE_BY_LABEL)),
        Column("is_high_tech", "高新技术企业", kind="bool"),
        Column("street", "所在街道", max_length=50),
        Column("is_local", "本地企业", kind="bool", help="留空为“是”"),
        Column("founded", "成立日期", kind="date"),
        Column("employees", "从业人数", kind="int"),
        Column("registered_capital", "注册资本（万元）", kind="decimal"),
        Column("contact_name", "联系人", max_length=50),
        Column("contact_mobile", "联系人手机", kind="code"),
        Column("person_name", "姓名", max_length=50, help="个人会员必填"),
        Column("gender", "性别", kind="choice", choices=list(GENDER_BY_LABEL), help="留空时按身份证号确定"),
        Column("id_number", "身份证号", kind="code", help="个人会员必填"),
        Column("mobile", "手机号", kind="code"),
        Column("political_affiliation", "政治面貌", kind="choice", choices=_labels("political_affiliation")),
        Column("education", "学历", kind="choice", choices=_labels("education")),
        Column("is_new_generation", "新生代企业家", kind="bool"),
        Column("group_name", "团体名称", max_length=100, help="团体会员必填：已登记的商会或协会名称"),
        Column("chamber", "所属商会", max_length=100, help="填写则同时登记为该商会会员"),
        Column("chamber_position", "商会职务", max_length=30),
    ]

    def __init__(self, *, actor):
        require_role(actor, Role.STAFF, Role.SYSADMIN)
        if actor.federation_id is None:
            raise PermissionDenied("您的账号未关联工商联，不能导入会员。")
        super().__init__(actor=actor)
        self.federation = actor.federation

    # -- lookups, loaded once -------------------------------------------------------------------
    def prepare(self):
        fed_ids = self.federation.subtree_ids()
        self.dicts = {kind: {i.label: i for i in DictItem.objects.filter(kind=kind, is_active=True)}
                      for kind in ("enterprise_type", "political_affiliation", "education")}
        self.industries = set(IndustryCode.objects.filter(level="class").values_list("code", flat=True))
        self.streets = {s.name: s for s in Street.objects.filter(federation_id__in=fed_ids)}
        self.chambers = {c.name: c for c in Chamber.objects.filter(federation_id__in=fed_ids)}
        self.enterprise_federation = dict(Enterprise.objects.values_list("uscc", "federation_id"))
        self.person_federation = dict(Person.objects.exclude(id_number_index="")
                                      .values_list("id_number_index", "federation_id"))
        self.numbers = {}
        for number, uscc, index, group in Membership.objects.filter(federation=self.federation).exclude(number="") \
                .values_list("number", "enterprise__uscc", "person__id_number_index", "group__name"):
            self.numbers[number] = uscc or index or group
        self.file_usccs = set()
        self.id_index = Person._meta.get_field("id_number_index").index_for
        self.mobile_index = Person._meta.get_field("mobile_index").index_for

    # -- checks of one row ----------------------------------------------------------------------
    def clean_row(self, v, failed_headers):
        errors = []
        if v.get("kind") is None:
            return errors

        def check(header, validator, key, normaliser):
            if v.get(key):
                try:
                    validator(v[key])
                except ValidationError as exc:
                    errors.append((header, exc.messages[0]))
                else:
                    v[key] = normaliser(v[key])

        kind = KIND_BY_LABEL[v["kind"]]
        check("统一社会信用代码", validate_uscc, "uscc", normalize_uscc)
        check("身份证号", validate_id_number, "id_number", normalize_id_number)
        check("手机号", validate_mobile, "mobile", normalize_mobile)
        check("联系人手机", validate_mobile, "contact_mobile", normalize_mobile)
        required = {Membership.Kind.ENTERPRISE: [("enterprise_name", "企业名称"), ("uscc", "统一社会信用代码"),
                                                 ("enterprise_type", "企业类型"), ("industry", "行业代码")],
                    Membership.Kind.INDIVIDUAL: [("person_name", "姓名"), ("id_number", "身份证号")],
                    Membership.Kind.GROUP: [("group_name", "团体名称")]}[kind]
        errors += [(header, f"{v['kind']}必填") for key, header in required if not v.get(key)
                   and header not in failed_headers and not any(h == header for h, _ in errors)]
        if v.get("industry") and v["industry"] not in self.industries:
            errors.append(("行业代码", "不是 GB/T 4754-2017 的小类代码（4 位数字）"))
        if v.get("street") and v["street"] not in self.streets:
            errors.append(("所在街道", "本工商联没有这个街道"))
        if v.get("chamber") and v["chamber"] not in self.chambers:
            errors.append(("所属商会", "本工商联没有这个商会"))
        if kind == Membership.Kind.GROUP and v.get("group_name") and v["group_name"] not in self.chambers:
            errors.append(("团体名称", "本工商联没有登记这个商会或协会"))
        if v.get("chamber") and not v.get("uscc"):
            errors.append(("所属商会", "登记商会会员须填写统一社会信用代码"))
        status = STATUS_BY_LABEL.get(v.get("status") or "在册")
        if status == Membership.Status.LEFT and not v.get("left"):
            errors.append(("退会日期", "状态为“退会”时必填"))
        if status == Membership.Status.SUSPENDED and not v.get("suspended_on"):
            errors.append(("暂停日期", "状态为“暂停”时必填"))
        if v.get("left") and v.get("joined") and v["left"] < v["joined"]:
            errors.append(("退会日期", "不能早于入会日期"))
        if errors or failed_headers:
            return errors
        if kind == Membership.Kind.ENTERPRISE and self.enterprise_federation.get(v["uscc"], self.federation.pk) \
                != self.federation.pk:
            errors.append(("统一社会信用代码", "该企业已登记在其他工商联"))
        if kind == Membership.Kind.INDIVIDUAL:
            index = self.id_index(v["id_number"])
            if self.person_federation.get(index, self.federation.pk) != self.federation.pk:
                errors.append(("身份证号", "该人员已登记在其他工商联"))
        if kind == Membership.Kind.ENTERPRISE:
            self.file_usccs.add(v["uscc"])
        elif v.get("uscc") and v["uscc"] not in self.enterprise_federation and v["uscc"] not in self.file_usccs:
            errors.append(("统一社会信用代码", "关联的企业尚未登记（请先导入该企业，或在本表中把企业行放在前面）"))
        if v.get("number") and self.numbers.get(v["number"], self._subject_key(v)) != self._subject_key(v):
            errors.append(("会员证号", "已被其他会员使用"))
        return errors

    def _subject_key(self, v):
        kind = KIND_BY_LABEL[v["kind"]]
        if kind == Membership.Kind.ENTERPRISE:
            return v["uscc"]
        if kind == Membership.Kind.INDIVIDUAL:
            return self.id_index(v["id_number"])
        return v["group_name"]

    def natural_key(self, v):
        return (KIND_BY_LABEL[v["kind"]], self._subject_key(v))

    # -- writes ---------------------------------------------------------------------------------
    def _fill_enterprise(self, e, v):
        e.name = v["enterprise_name"]
        e.name_initials = pinyin_initials(e.name)
        e.enterprise_type = self.dicts["enterprise_type"][v["enterprise_type"]]
        e.industry_id = v["industry"]
        e.size = SIZE_BY_LABEL.get(v.get("size") or "", e.size or "")
        if v.get("is_high_tech") is not None:
            e.is_high_tech = v["is_high_tech"]
        if v.get("street"):
            e.street = self.streets[v["street"]]
        if v.get("is_local") is not None:
            e.is_local = v["is_local"]
        for key in ("founded", "employees", "registered_capital", "contact_name"):
            if v.get(key) is not None:
                setattr(e, key, v[key])
        if v.get("contact_mobile"):
            e.contact_mobile = v["contact_mobile"]
            e.contact_mobile_index = self.mobile_index(v["contact_mobile"])

    def _fill_person(self, p, v):
        p.name = v["person_name"]
        p.name_initials = pinyin_initials(p.name)
        ident = v["id_number"]
        p.gender = GENDER_BY_LABEL.get(v.get("gender") or "") or ("F" if int(ident[16]) % 2 == 0 else "M")
        p.birth_year = int(ident[6:10])
        if v.get("mobile"):
            p.mobile = v["mobile"]
            p.mobile_index = self.mobile_index(v["mobile"])
        for key in ("political_affiliation", "education"):
            if v.get(key):
                setattr(p, key, self.dicts[key][v[key]])
        if v.get("is_new_generation") is not None:
            p.is_new_generation = v["is_new_generation"]

    def commit(self, batch):
        rows = [v for _, v in batch]
        ent_rows = [v for v in rows if KIND_BY_LABEL[v["kind"]] == Membership.Kind.ENTERPRISE]
        person_rows = [v for v in rows if KIND_BY_LABEL[v["kind"]] == Membership.Kind.INDIVIDUAL]

        enterprises = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=[v["uscc"] for v in rows if v.get("uscc")])}
        new, changed = [], []
        for v in ent_rows:
            e = enterprises.get(v["uscc"])
            if e is None:
                e = enterprises[v["uscc"]] = Enterprise(federation=self.federation, uscc=v["uscc"])
                new.append(e)
            else:
                changed.append(e)
            self._fill_enterprise(e, v)
        Enterprise.objects.bulk_create(new)
        Enterprise.objects.bulk_update(changed, ENTERPRISE_FIELDS)

        persons = {p.id_number_index: p for p in Person.objects.filter(
            id_number_index__in=[self.id_index(v["id_number"]) for v in person_rows])}
        new, changed = [], []
        for v in person_rows:
            index = self.id_index(v["id_number"])
            p = persons.get(index)
            if p is None:
                p = persons[index] = Person(federation=self.federation, id_number=v["id_number"],
                                            id_number_index=index)
                new.append(p)
            else:
                changed.append(p)
            self._fill_person(p, v)
        Person.objects.bulk_create(new)
        Person.objects.bulk_update(changed, PERSON_FIELDS)
        links = [EnterpriseRole(person=persons[self.id_index(v["id_number"])], enterprise=enterprises[v["uscc"]],
                                role=EnterpriseRole.Role.OTHER)
                 for v in person_rows if v.get("uscc") and v["uscc"] in enterprises]
        EnterpriseRole.objects.bulk_create(links, ignore_conflicts=True)

        def subject_of(v):
            kind = KIND_BY_LABEL[v["kind"]]
            if kind == Membership.Kind.ENTERPRISE:
                return "enterprise", enterprises[v["uscc"]]
            if kind == Membership.Kind.INDIVIDUAL:
                return "person", persons[self.id_index(v["id_number"])]
            return "group", self.chambers[v["group_name"]]

        existing = {}
        mine = Membership.objects.filter(federation=self.federation)
        for m in mine.filter(enterprise__in=[enterprises[v["uscc"]] for v in ent_rows]) \
                | mine.filter(person__in=[persons[self.id_index(v["id_number"])] for v in person_rows]) \
                | mine.filter(group__in=[self.chambers[v["group_name"]] for v in rows if v.get("group_name")
                                         and KIND_BY_LABEL[v["kind"]] == Membership.Kind.GROUP]):
            existing[(m.enterprise_id, m.person_id, m.group_id)] = m
        new, changed = [], []
        for v in rows:
            field_name, subject = subject_of(v)
            key = (subject.pk if field_name == "enterprise" else None, subject.pk if field_name == "person" else None,
                   subject.pk if field_name == "group" else None)
            m = existing.get(key)
            if m is None:
                m = Membership(federation=self.federation, kind=KIND_BY_LABEL[v["kind"]], **{field_name: subject})
                new.append(m)
            else:
                changed.append(m)
            m.number = v.get("number") or m.number or ""
            m.joined = v["joined"]
            m.status = STATUS_BY_LABEL.get(v.get("status") or "在册")
            m.suspended_on = v.get("suspended_on") if m.status == Membership.Status.SUSPENDED else None
            m.left = v.get("left") if m.status == Membership.Status.LEFT else None
            m.left_reason = v.get("left_reason") or ""
            m.body_position = POSITION_BY_LABEL.get(v.get("body_position") or "", m.body_position or "member")
        Membership.objects.bulk_create(new)
        Membership.objects.bulk_update(changed, MEMBERSHIP_FIELDS)

        chamber_rows = [v for v in rows if v.get("chamber") and v.get("uscc") in enterprises]
        current = {(c.chamber_id, c.enterprise_id): c for c in ChamberMembership.objects.filter(
            enterprise__in=[enterprises[v["uscc"]] for v in chamber_rows])}
        new_cm, changed_cm = [], []
        for v in chamber_rows:
            chamber, enterprise = self.chambers[v["chamber"]], enterprises[v["uscc"]]
            cm = current.get((chamber.pk, enterprise.pk))
            if cm is None:
                cm = current[(chamber.pk, enterprise.pk)] = ChamberMembership(chamber=chamber, enterprise=enterprise,
                                                                            joined=v["joined"])
                new_cm.append(cm)
            elif cm not in changed_cm:
                changed_cm.append(cm)
            cm.position = v.get("chamber_position") or cm.position
        ChamberMembership.objects.bulk_create(new_cm)
        ChamberMembership.objects.bulk_update(changed_cm, ["position"])
        return len(new), len(changed)

    def audit(self, report):
        record(AuditAction.IMPORT, actor=self.actor, object_type="members.membership", object_repr="会员导入",
               detail={"total": report.total, "created": report.created, "updated": report.updated,
                       "failed": report.failed})
