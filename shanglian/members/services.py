"""Writes on the member registry: acting user first, permission, transaction, audit.

The staff forms' saves (`save_enterprise`, `save_person`, `save_membership`, `save_chamber_membership`)
check the values with the import's own rules (`rules.py`) and raise `ValidationError({field: reason})`
with nothing written; the audit row lists the changed fields (`common.records.record_saved`, personal
values never written). Deletions go through `common.records.delete_or_refuse`: refused, naming what
depends on the record, while anything does.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from shanglian.accounts.roles import EDITOR_ROLES, MEMBER_EDITOR_ROLES, Role, require_role, role_of
from shanglian.audit.models import AuditAction
from shanglian.audit.services import record
from shanglian.common.excel import run_import, template_xlsx
from shanglian.common.records import delete_or_refuse, record_saved, snapshot
from shanglian.orgs.selectors import federation_ids_in_scope

from . import rules, selectors
from .imports import MemberImportSpec
from .models import ChamberMembership, Enterprise, EnterpriseRole, Membership, Person


# --- Personal data --------------------------------------------------------------------------------
def reveal_person_pii(*, actor, person, purpose):
    """Record that `actor` viewed a person's full ID number and mobile, and why (PIPL Art. 51, ASVS
    8.3.5: the audit row names the subject and purpose, never the values)."""
    from shanglian.audit.models import AuditAction
    from shanglian.audit.services import record

    from .selectors import can_view_pii, persons_visible_to

    if not can_view_pii(actor) or not persons_visible_to(actor).filter(pk=person.pk).exists():
        raise PermissionDenied("您没有查看完整个人信息的权限。")
    record(AuditAction.PII_VIEW, actor=actor, obj=person,
           detail={"fields": ["id_number", "mobile"], "purpose": purpose[:100]})


# --- Member import --------------------------------------------------------------------------------
def import_members(*, actor, path, dry_run=False, valid_only=False, progress=None):
    """Import the member spreadsheet at `path` into the actor's federation.

    Staff and the sysadmin of a federation only (PermissionDenied otherwise). Every row is checked
    first-to-last; unless `dry_run`, the clean rows are written in batches inside one transaction —
    nothing at all when a row failed, unless `valid_only`. One audit row per committed import, with
    counts only. Returns the `ImportReport`; raises `ExcelError` for a file that cannot be read."""
    spec = MemberImportSpec(actor=actor)
    return run_import(spec, path, dry_run=dry_run, valid_only=valid_only, progress=progress)


def member_import_template(*, actor):
    """The import template (bytes), with the federation's dictionaries, streets and chambers as dropdowns."""
    spec = MemberImportSpec(actor=actor)
    from shanglian.orgs.models import Chamber, Street

    chambers = list(Chamber.objects.filter(federation=spec.federation).order_by("name").values_list("name", flat=True))
    streets = list(Street.objects.filter(federation=spec.federation).order_by("code").values_list("name", flat=True))
    return template_xlsx(spec, {"street": streets, "chamber": chambers, "group_name": chambers})


# --- The staff forms ------------------------------------------------------------------------------
def _raise_if(errors):
    if errors:
        grouped = {}
        for field, reason in errors:
            grouped.setdefault(field, []).append(reason)
        raise ValidationError(grouped)


def _in_scope(queryset, obj):
    """Refuse a record outside the actor's scope (the pages answer 404 before asking)."""
    if not queryset.filter(pk=obj.pk).exists():
        raise PermissionDenied("您无权修改该记录。")


def _locked(queryset, obj):
    """`obj` re-read and locked (inside the caller's transaction), once it is known to be in scope."""
    _in_scope(queryset, obj)
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def _values(data, names):
    """The named values of a form's data, an empty text as None (as the import reads an empty cell)."""
    return {name: None if data.get(name) == "" else data.get(name) for name in names}


def _keep_stored(values, record, fields):
    """On an edit, an empty personal value (ID number, mobile: the forms never show them) keeps the
    stored one, as an empty cell does in the import."""
    if record is not None:
        for name in fields:
            if values.get(name) is None:
                del values[name]


def _write(*, actor, obj, new, values, text=()):
    """Save `values` on `obj` (None: on the record `new()` makes) and audit the changed fields. The
    `text` fields left empty are stored as "" (the columns are not nullable)."""
    before = snapshot(obj) if obj is not None else None
    obj = obj if obj is not None else new()
    for name, value in values.items():
        setattr(obj, name, "" if name in text and value is None else value)
    obj.save()
    record_saved(actor=actor, obj=obj, before=before)
    return obj


ENTERPRISE_FIELDS = ("name", "uscc", "enterprise_type", "industry", "size", "is_high_tech", "street", "is_local",
                     "founded", "employees", "registered_capital", "legal_representative", "contact_name",
                     "contact_mobile", "address")


def save_enterprise(*, actor, data, enterprise=None, joined=None):
    """Create or change an enterprise. Editors, in their federations; a chamber secretary, its member
    enterprises — and a new enterprise of a secretary joins its chamber on `joined` (required then).
    `data`: the fields of ENTERPRISE_FIELDS, `industry` as its 4-digit code."""
    require_role(actor, *MEMBER_EDITOR_ROLES)
    chamber = actor.chamber if role_of(actor) == Role.CHAMBER else None
    with transaction.atomic():
        if enterprise is not None:
            enterprise = _locked(selectors.enterprises_editable_by(actor), enterprise)
        federation = enterprise.federation if enterprise else selectors.home_federation(actor)
        values = _values(data, ENTERPRISE_FIELDS)
        _keep_stored(values, enterprise, ["contact_mobile"])
        today = timezone.localdate()
        errors, failed = rules.code_errors(values, required={"uscc"})
        errors += rules.not_after_today(values, ["founded"], today=today)
        errors += rules.industry_errors(values["industry"], rules.industry_classes())
        if chamber is not None and enterprise is None:
            if joined is None:
                errors.append(("joined", "请填写入会日期。"))
            errors += rules.not_after_today({"joined": joined}, ["joined"], today=today)
        if values["uscc"]:
            found = (Enterprise.objects.filter(uscc=values["uscc"]).exclude(pk=getattr(enterprise, "pk", None))
                     .values_list("pk", "federation_id").first())
            subtree = set(federation_ids_in_scope(actor)) if chamber is None else {federation.pk}
            where = "请在会员企业中查找该企业" if chamber is None else "请联系工商联把该企业加入本商会"
            errors += rules.registered_elsewhere("uscc", "企业", found, subtree=subtree, action="登记") or (
                [("uscc", f"该统一社会信用代码已登记，{where}。")] if found else [])
        _raise_if(errors)
        values["industry_id"] = values.pop("industry")
        creating = enterprise is None
        enterprise = _write(actor=actor, obj=enterprise, new=lambda: Enterprise(federation=federation), values=values,
                            text={"size", "legal_representative", "contact_name", "contact_mobile", "address"})
        if chamber is not None and creating:
            membership = ChamberMembership.objects.create(chamber=chamber, enterprise=enterprise, joined=joined)
            record_saved(actor=actor, obj=membership)
    return enterprise


def delete_enterprise(*, actor, enterprise):
    """Editors only; refused while memberships, appeals, people or accounts depend on the enterprise."""
    require_role(actor, *EDITOR_ROLES)
    _in_scope(selectors.enterprises_editable_by(actor), enterprise)
    delete_or_refuse(actor=actor, obj=enterprise)


PERSON_FIELDS = ("name", "gender", "id_number", "mobile", "political_affiliation", "education", "is_new_generation")


def save_person(*, actor, data, person=None):
    """Create or change a 非公经济人士 (editors only). The ID number is required (it is how the import
    finds the person again) and gives the birth year and, when none is chosen, the gender."""
    require_role(actor, *EDITOR_ROLES)
    with transaction.atomic():
        if person is not None:
            person = _locked(selectors.persons_editable_by(actor), person)
        federation = person.federation if person else selectors.home_federation(actor)
        values = _values(data, PERSON_FIELDS)
        _keep_stored(values, person, ["id_number", "mobile"])
        errors, failed = rules.code_errors(values, required={"id_number"})
        ident = values["id_number"] if "id_number" in values else person.id_number
        checked = {"id_number": ident, "gender": values["gender"]}
        errors += rules.gender_errors(checked)
        values["gender"] = checked["gender"]
        if values.get("id_number"):
            index = Person._meta.get_field("id_number_index").index_for(values["id_number"])
            found = (Person.objects.filter(id_number_index=index).exclude(pk=getattr(person, "pk", None))
                     .order_by("pk").values_list("pk", "federation_id").first())
            errors += rules.registered_elsewhere("id_number", "人员", found, subtree=set(federation_ids_in_scope(actor)),
                                                 action="登记") or (
                [("id_number", "该身份证号已登记，请在非公经济人士中查找此人。")] if found else [])
        _raise_if(errors)
        values["birth_year"] = rules.birth_year_of(ident)
        return _write(actor=actor, obj=person, new=lambda: Person(federation=federation), values=values,
                      text={"mobile"})


def delete_person(*, actor, person):
    """Editors only; the person's 企业任职 links go with it; refused while memberships, positions or
    appeals depend on the person."""
    require_role(actor, *EDITOR_ROLES)
    _in_scope(selectors.persons_editable_by(actor), person)
    delete_or_refuse(actor=actor, obj=person, along=("enterprise_roles",))


def _role_change(actor, person, *, old="", new=""):
    record(AuditAction.UPDATE, actor=actor, obj=person,
           detail={"changes": [{"field": str(EnterpriseRole._meta.verbose_name), "old": old, "new": new}]})


def add_person_role(*, actor, person, enterprise, role):
    """Link a person to an enterprise with a 职务 (editors; both in their scope). Audited on the person."""
    require_role(actor, *EDITOR_ROLES)
    with transaction.atomic():
        person = _locked(selectors.persons_editable_by(actor), person)
        if not selectors.enterprises_editable_by(actor).filter(pk=enterprise.pk).exists():
            raise PermissionDenied("您无权修改该企业。")
        if EnterpriseRole.objects.filter(person=person, enterprise=enterprise, role=role).exists():
            raise ValidationError({"role": "该任职已登记。"})
        link = EnterpriseRole.objects.create(person=person, enterprise=enterprise, role=role)
        _role_change(actor, person, new=f"{enterprise.name} · {link.get_role_display()}")
    return link


def remove_person_role(*, actor, link):
    require_role(actor, *EDITOR_ROLES)
    with transaction.atomic():
        person = _locked(selectors.persons_editable_by(actor), link.person)
        shown = f"{link.enterprise.name} · {link.get_role_display()}"
        EnterpriseRole.objects.filter(pk=link.pk, person=person).delete()
        _role_change(actor, person, old=shown)


MEMBERSHIP_FIELDS = ("number", "joined", "status", "suspended_on", "left", "left_reason", "body_position")


def save_membership(*, actor, data, membership=None):
    """Create or change a federation membership (editors only). On creation `data` names the kind and
    its member (`enterprise`, `person` or `group`, already scoped by the form); the member of a
    membership is not changed afterwards."""
    require_role(actor, *EDITOR_ROLES)
    with transaction.atomic():
        if membership is not None:
            membership = _locked(selectors.memberships_editable_by(actor), membership)
            kind, federation = membership.kind, membership.federation
            subject = {field: getattr(membership, field) for field in rules.SUBJECT_FIELDS.values()}
        else:
            kind, federation = data.get("kind"), selectors.home_federation(actor)
            subject = {field: data.get(field) for field in rules.SUBJECT_FIELDS.values()}
        values = _values(data, MEMBERSHIP_FIELDS)
        values["status"] = values["status"] or rules.STATUS.ACTIVE
        errors = rules.subject_errors(kind, subject) if kind else [("kind", "请选择会员类型。")]
        errors += rules.status_errors(values, today=timezone.localdate())
        others = Membership.objects.filter(federation=federation).exclude(pk=getattr(membership, "pk", None))
        member = subject.get(rules.SUBJECT_FIELDS.get(kind))
        if membership is None and member is not None and others.filter(**{rules.SUBJECT_FIELDS[kind]: member}).exists():
            errors.append((rules.SUBJECT_FIELDS[kind], "已是本工商联会员，请在工商联会员中查找并编辑。"))
        if values["number"]:
            owner = others.filter(number=values["number"]).values_list("kind", "enterprise", "person", "group").first()
            errors += rules.number_errors(owner and (owner[0], owner[1] or owner[2] or owner[3]),
                                          (kind, getattr(member, "pk", None)))
        _raise_if(errors)
        values["body_position"] = values["body_position"] or Membership.BodyPosition.MEMBER
        return _write(actor=actor, obj=membership, new=lambda: Membership(federation=federation, kind=kind, **subject),
                      values=values, text={"number", "left_reason"})


def delete_membership(*, actor, membership):
    """Editors only; refused while dues records depend on it (mark it 退会 instead)."""
    require_role(actor, *EDITOR_ROLES)
    _in_scope(selectors.memberships_editable_by(actor), membership)
    delete_or_refuse(actor=actor, obj=membership)


CHAMBER_MEMBERSHIP_FIELDS = ("joined", "status", "left", "left_reason", "position")


def save_chamber_membership(*, actor, data, membership=None):
    """Create or change a chamber membership: editors for their federations' chambers, a chamber
    secretary for its own chamber. On creation `data` names `chamber` and `enterprise` (scoped by the form)."""
    require_role(actor, *MEMBER_EDITOR_ROLES)
    with transaction.atomic():
        if membership is not None:
            membership = _locked(selectors.chamber_memberships_editable_by(actor), membership)
            chamber, enterprise = membership.chamber, membership.enterprise
        else:
            chamber, enterprise = data.get("chamber"), data.get("enterprise")
            if chamber is None or not selectors.chambers_editable_by(actor).filter(pk=chamber.pk).exists():
                raise PermissionDenied("您无权维护该商会的会员。")
        values = _values(data, CHAMBER_MEMBERSHIP_FIELDS)
        values["status"] = values["status"] or rules.STATUS.ACTIVE
        errors = rules.status_errors(values, today=timezone.localdate())
        if membership is None:
            if enterprise is None:
                errors.append(("enterprise", "请选择企业。"))
            elif ChamberMembership.objects.filter(chamber=chamber, enterprise=enterprise).exists():
                errors.append(("enterprise", "该企业已是本商会会员，请在商会会员中查找并编辑。"))
        _raise_if(errors)
        return _write(actor=actor, obj=membership, new=lambda: ChamberMembership(chamber=chamber, enterprise=enterprise),
                      values=values, text={"left_reason", "position"})


def delete_chamber_membership(*, actor, membership):
    require_role(actor, *MEMBER_EDITOR_ROLES)
    _in_scope(selectors.chamber_memberships_editable_by(actor), membership)
    delete_or_refuse(actor=actor, obj=membership)
