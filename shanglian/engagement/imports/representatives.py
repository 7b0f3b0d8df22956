"""政治安排导入: persons' political arrangements (人大代表/政协委员/党代表) from an xlsx on the project's one
Excel pipeline (`shanglian.common.excel`), registered with the import jobs as kind "arrangements"; the pages are
`representative_views.IMPORT_PAGES`.

- One row is one arrangement of one person already registered (会员管理 → 非公经济人士) in the importer's scope
  (the editors of a federation: its persons). The person is found by 身份证号 (through its blind index; the
  姓名 must match), or, without one, by 姓名 and 工作单位 (an enterprise the person holds a role in) when that
  names exactly one person.
- 安排类别 and 层级 by their Chinese labels (the template's dropdowns), 身份 (default 代表/委员), 届次,
  界别/代表团, 起始日期, 届满日期 (empty: still in office), 备注.
- The rules are the form's (`services.representatives.check_arrangement`, i.e. `Arrangement.clean`): 届满日期
  not before 起始日期, no overlap with another arrangement of the same seat (person, kind, level) — in the
  database or earlier in the file. A row naming an arrangement already recorded (same person, kind, level and
  起始日期) updates it; the others are added. While the rows are written every person they name is locked,
  so a form saving at the same moment cannot slip an overlapping arrangement past the check.
- As in every import, one failed row writes nothing (unless only the valid rows are asked for). Each written
  arrangement is audited like a form's save (its changes, `detail.via` "import"), and the import once more.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from shanglian.accounts.roles import EDITOR_ROLES, require_role
from shanglian.audit.models import AuditAction
from shanglian.audit.services import record
from shanglian.common.excel import Column, ImportSpec, run_import, template_xlsx
from shanglian.common.periods import span_text
from shanglian.common.records import record_saved, snapshot
from shanglian.common.validators import validate_id_number
from shanglian.imports.registry import import_kind
from shanglian.members.models import Person
from shanglian.members.selectors import persons_editable_by

from ..models import Arrangement
from ..services.representatives import check_arrangement

KIND = "arrangements"


def _labels(choices):
    return {label: value for value, label in choices}


COLUMNS = [
    Column("name", "姓名", required=True, max_length=50, example="王某"),
    Column("id_number", "身份证号", kind="code", max_length=18, aliases=("身份证号码", "公民身份号码"),
           example="120103198506010011", help="建议填写；留空时按姓名和工作单位确定人士"),
    Column("enterprise", "工作单位", max_length=200, aliases=("任职企业", "单位"), example="天津某某科技有限公司",
           help="未填身份证号时必填：该人士任职的企业名称（全称）"),
    Column("kind", "安排类别", required=True, kind="choice", choices=_labels(Arrangement.Kind.choices),
           example="政协委员"),
    Column("level", "层级", required=True, kind="choice", choices=_labels(Arrangement.Level.choices),
           example="区（县）"),
    Column("role", "身份", kind="choice", choices=_labels(Arrangement.Role.choices), example="代表/委员",
           help="留空为“代表/委员”"),
    Column("term", "届次", required=True, max_length=30, example="第十七届"),
    Column("sector", "界别/代表团", max_length=50, aliases=("界别", "代表团"), example="工商联界",
           help="政协委员的界别或人大代表所在代表团"),
    Column("start", "起始日期", required=True, kind="date", example="2022-01-01"),
    Column("end", "届满日期", kind="date", example="", help="留空表示仍在任；不能早于起始日期"),
    Column("note", "备注", max_length=200),
]
HEADERS = {column.key: column.header for column in COLUMNS}
FIELDS = ("kind", "level", "role", "term", "sector", "start", "end", "note")


@dataclass
class _Seen:
    """An arrangement earlier in the file, for the overlap check inside the file."""

    start: object
    end: object
    term: str


def _apply(arrangement, v):
    """The row's values on `arrangement` (an empty 身份 is 代表/委员, empty texts are "")."""
    for name in FIELDS:
        value = v[name]
        if name == "role":
            value = value or Arrangement.Role.MEMBER
        elif name in ("sector", "note"):
            value = value or ""
        setattr(arrangement, name, value)
    return arrangement


@import_kind(KIND)
class ArrangementImportSpec(ImportSpec):
    title = "政治安排"
    columns = COLUMNS

    def __init__(self, *, actor):
        require_role(actor, *EDITOR_ROLES)
        if actor.federation_id is None:
            raise PermissionDenied("您的账号未关联工商联，不能导入政治安排。")
        super().__init__(actor=actor)

    # -- lookups, loaded as rows name them ------------------------------------------------------
    def prepare(self):
        self.persons = persons_editable_by(self.actor).select_related(None)
        self.id_index = Person._meta.get_field("id_number_index").index_for
        self.by_index = {}  # blind index → [(id, name)]
        self.by_name = {}  # (name, enterprise) → [id]
        self.seen = {}  # (person id, kind, level) → [_Seen] of the rows before, in this file
        self.locked = set()  # the persons locked while the rows are written
        self.created = self.updated = 0

    def _persons_with_index(self, index):
        if index not in self.by_index:
            self.by_index[index] = list(self.persons.filter(id_number_index=index).values_list("id", "name"))
        return self.by_index[index]

    def _persons_named(self, name, enterprise):
        key = (name, enterprise)
        if key not in self.by_name:
            self.by_name[key] = list(self.persons.filter(
                name=name, enterprise_roles__enterprise__name=enterprise).values_list("id", flat=True).distinct())
        return self.by_name[key]

    # -- checks of one row ----------------------------------------------------------------------
    def clean_row(self, v, failed):
        """The person the row names, its dates, then the overlaps: with the arrangements of the database (the
        form's rule) and with the rows before it in the file."""
        errors = []
        if v["id_number"]:
            try:
                v["id_number"] = validate_id_number(v["id_number"])
            except ValidationError as exc:
                errors.append((HEADERS["id_number"], exc.messages[0].rstrip("。")))
                v["id_number"] = None
        if errors or failed:
            return errors
        errors = self._person(v)
        if errors:
            return errors
        errors = self._against_database(v)
        if errors:
            return errors
        return self._against_file(v)

    def recheck_row(self, v):
        """A row the preview passed, before it is committed from the kept rows: the person (still in scope),
        the arrangement it updates and the overlaps with the database, which may have changed since."""
        errors = self._person(v)
        return errors or self._against_database(v)

    def _person(self, v):
        if v["id_number"]:
            found = self._persons_with_index(self.id_index(v["id_number"]))
            if not found:
                return [(HEADERS["id_number"], "找不到该身份证号的人士，或该人士不在您的管理范围内"
                                               "（请先在“非公经济人士”中登记）")]
            matching = [pk for pk, name in found if name == v["name"]]
            if not matching:
                return [(HEADERS["name"], f"身份证号对应的人士姓名为“{found[0][1]}”，与本行姓名不一致")]
            v["_person"] = matching[0]
            return []
        if not v["enterprise"]:
            return [(HEADERS["id_number"], "请填写身份证号，或填写工作单位以确定人士")]
        found = self._persons_named(v["name"], v["enterprise"])
        if not found:
            return [(HEADERS["name"], f"在“{v['enterprise']}”任职的人士中没有“{v['name']}”，或不在您的管理范围内")]
        if len(found) > 1:
            return [(HEADERS["name"], f"“{v['enterprise']}”有 {len(found)} 位名为“{v['name']}”的人士，请填写身份证号以区分")]
        v["_person"] = found[0]
        return []

    def _candidate(self, v):
        """The arrangement the row would write: the one already recorded for the same seat and start (an
        update), or a new one."""
        existing = Arrangement.objects.filter(person_id=v["_person"], kind=v["kind"], level=v["level"],
                                              start=v["start"]).first()
        arrangement = existing or Arrangement(person_id=v["_person"], kind=v["kind"], level=v["level"])
        v["_existing"] = existing.pk if existing else None
        return _apply(arrangement, v)

    def _lock(self, person_id):
        """While the rows are written (inside the import's transaction) the person is locked, as the form's
        service locks it, before the overlap is checked."""
        if connection.in_atomic_block and person_id not in self.locked:
            list(Person.objects.select_for_update().filter(pk=person_id).values_list("pk"))
            self.locked.add(person_id)

    def _against_database(self, v):
        self._lock(v["_person"])
        candidate = self._candidate(v)
        try:
            check_arrangement(candidate)
        except ValidationError as exc:
            errors = []
            for field, messages in exc.message_dict.items():
                header = HEADERS.get(field, "")
                errors += [(header, message.rstrip("。")) for message in messages]
            return errors
        return []

    def _against_file(self, v):
        seat = (v["_person"], v["kind"], v["level"])
        for other in self.seen.get(seat, ()):
            if (other.end is None or other.end >= v["start"]) and (v["end"] is None or other.start <= v["end"]):
                return [("", f"与本表中前面一行的同一人同类同层级安排（{other.term}，{span_text(other.start, other.end)}）"
                             "时间重叠")]
        self.seen.setdefault(seat, []).append(_Seen(v["start"], v["end"], v["term"]))
        return []

    def natural_key(self, v):
        return v["_person"], v["kind"], v["level"], v["start"]

    # -- writes ---------------------------------------------------------------------------------
    def commit(self, batch):
        created = updated = 0
        federations = dict(Person.objects.filter(pk__in={v["_person"] for _, v in batch})
                           .values_list("pk", "federation_id"))
        for _, v in batch:
            if v["_existing"]:
                arrangement = Arrangement.objects.get(pk=v["_existing"])
                before = snapshot(arrangement)
            else:
                arrangement = Arrangement(person_id=v["_person"], federation_id=federations[v["_person"]])
                before = None
            _apply(arrangement, v).save()
            record_saved(actor=self.actor, obj=arrangement, before=before, detail={"person": v["_person"], "via": "import"})
            created += before is None
            updated += before is not None
        return created, updated

    def audit(self, report):
        record(AuditAction.IMPORT, actor=self.actor, object_type="engagement.arrangement", object_repr="政治安排导入",
               detail={"total": report.total, "succeeded": report.succeeded, "failed": report.failed,
                       "created": report.created, "updated": report.updated, "valid_only": report.valid_only})


def import_arrangements(*, actor, path, dry_run=False, valid_only=False, progress=None):
    """Import the arrangements at `path` (the editors of a federation, into the persons of their scope). Every
    row is checked first; unless `dry_run`, the clean rows are written inside one transaction — nothing when a
    row failed, unless `valid_only`. Returns the `ImportReport`."""
    return run_import(ArrangementImportSpec(actor=actor), path, dry_run=dry_run, valid_only=valid_only,
                      progress=progress)


def import_template(*, actor):
    """The template (bytes): the 政治安排 sheet with dropdowns for 安排类别, 层级 and 身份, and its 填写说明."""
    return template_xlsx(ArrangementImportSpec(actor=actor))


__all__ = ["COLUMNS", "KIND", "ArrangementImportSpec", "import_arrangements", "import_template"]
