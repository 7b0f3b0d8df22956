"""议案提案导入: the proposals of past years (a federation keeps them in a spreadsheet: "近三年提交代表、委员议案、
提案307件"), each at the state it reached, on the project's one Excel pipeline (`shanglian.common.excel`),
registered with the import jobs as kind "proposals"; the pages are `proposal_views.IMPORT_PAGES`, the command
`import_proposals`.

- One row is one proposal of the importer's federation: 年度, 类别 (议案/提案/建议/社情民意信息), 标题, and 状态 by its
  Chinese label (草拟 … 已采纳/未采纳). Names, not ids: 提交人 by the names of persons of the representative
  database the importer sees (several separated by 、，; a name two persons share is refused: pick them on the
  page), 以组织名义提交 as 工商联 (or the federation's name) or the name of a chamber of the scope, 承办部门 by a
  department's name or short name, 主题 by its dictionary label. A proposal needs a person or a body.
- The state says what the row must and must not hold, as the workflow would have left it (the services' rules):
  办理中 names its 承办部门; 已答复 and 已采纳 their 答复意见; 已采纳 its 转化的实际举措; 未采纳 its 未采纳原因; a date
  or a text of a step the state has not reached is refused; the step dates are neither in the future nor before
  the step before them (`services.proposals.date_order_errors`, the same words as the pages).
- Natural key: (年度, 标题): a row repeated in the file, or a proposal of the same year and title already in the
  federation, is refused — importing the same file twice adds nothing. As in every import, one failed row writes
  nothing (unless only the valid rows are asked for). Each proposal gets its number (TA + the day + a counter) and one
  timeline step 导入历年记录; one audit record per import.
"""

import re

from django.core.exceptions import PermissionDenied
from django.db.models.functions import Lower
from django.utils import timezone

from shanglian.accounts.roles import EDITOR_ROLES, require_role
from shanglian.audit.models import AuditAction
from shanglian.audit.services import record
from shanglian.common.excel import Column, ImportSpec, run_import, template_xlsx
from shanglian.common.models import DictItem
from shanglian.imports.registry import import_kind
from shanglian.members.selectors import persons_visible_to
from shanglian.orgs.selectors import chambers_in_scope, departments_visible_to

from ..models import Proposal, ProposalLog
from ..services import proposals as rules

KIND = "proposals"
S = Proposal.Status
IMPORT_ACTION = "import"
IMPORT_LABEL = "导入历年记录"
FEDERATION_WORDS = ("工商联", "总商会", "工商联（总商会）")
_SEPARATORS = re.compile(r"[,，、;；/\s]+")

# What each state has reached: the step dates and texts it may hold; those it must hold.
REACHED = {
    S.DRAFT: set(),
    S.SUBMITTED: {"submitted_on"},
    S.REGISTERED: {"submitted_on", "registered_on"},
    S.HANDLING: {"submitted_on", "registered_on"},
    S.REPLIED: {"submitted_on", "registered_on", "replied_on", "reply"},
    S.ADOPTED: {"submitted_on", "registered_on", "replied_on", "reply", "decided_on", "measure"},
    S.NOT_ADOPTED: {"submitted_on", "registered_on", "replied_on", "reply", "decided_on", "decline_reason"},
}
REQUIRED = {
    S.HANDLING: ("department",),
    S.REPLIED: ("reply",),
    S.ADOPTED: ("reply", "measure"),
    S.NOT_ADOPTED: ("decline_reason",),
}
STATE_FIELDS = ("submitted_on", "registered_on", "replied_on", "decided_on", "reply", "measure", "decline_reason")


def _topics():
    return dict(DictItem.objects.filter(kind=rules.TOPIC, is_active=True).order_by("order", "code")
                .values_list("label", "id"))


COLUMNS = [
    Column("year", "年度", required=True, kind="int", max_value=2100, example="2024"),
    Column("kind", "类别", required=True, kind="choice", choices={label: value for value, label in Proposal.Kind.choices},
           example="提案"),
    Column("title", "标题", required=True, max_length=rules.MAX_TITLE, aliases=("题目", "案由"),
           example="关于进一步优化民营企业融资环境的提案"),
    Column("session", "会议/届次", max_length=rules.MAX_SESSION, aliases=("会议", "届次"), example="区政协十六届三次会议"),
    Column("topic", "主题", kind="choice", choices=_topics, example="融资与金融服务"),
    Column("submitters", "提交人", max_length=200, aliases=("提案人", "提出人"), example="王建国、陈浙江",
           help="代表人士数据库中的人员姓名，多人用顿号分隔；以组织名义提交的可不填"),
    Column("body", "以组织名义提交", max_length=100, aliases=("提交单位",), example="工商联",
           help="以组织名义提交时填写：“工商联”或商会名称；个人提交的留空"),
    Column("recipient", "提交对象", max_length=rules.MAX_RECIPIENT, example="区政协"),
    Column("status", "状态", required=True, kind="choice",
           choices={label: value for value, label in Proposal.Status.choices}, example="已采纳",
           help="办理到的状态；办理中须填承办部门，已答复、已采纳须填答复意见，已采纳须填转化的实际举措，未采纳须填未采纳原因"),
    Column("department", "承办部门", max_length=100, example="区金融工作局", help="已登记的职能部门名称或简称"),
    Column("submitted_on", "提交日期", kind="date", example="2024-01-10"),
    Column("registered_on", "立案日期", kind="date", example="2024-01-20"),
    Column("replied_on", "答复日期", kind="date", example="2024-06-30"),
    Column("decided_on", "采纳结果日期", kind="date", example="2024-09-15"),
    Column("reply", "答复意见", kind="prose", max_length=rules.MAX_REPLY),
    Column("measure", "转化的实际举措", kind="prose", max_length=rules.MAX_MEASURE, aliases=("实际举措",),
           example="区政府设立民营企业应急转贷资金"),
    Column("decline_reason", "未采纳原因", max_length=rules.MAX_REASON),
    Column("text", "正文", kind="prose", max_length=rules.MAX_TEXT),
]
HEADERS = {column.key: column.header for column in COLUMNS}


def _split(text):
    return [item for item in _SEPARATORS.split(text or "") if item]


def _plain(reason):
    return reason.rstrip("。")


@import_kind(KIND)
class ProposalImportSpec(ImportSpec):
    title = "议案提案"
    columns = COLUMNS

    def __init__(self, *, actor):
        require_role(actor, *EDITOR_ROLES)
        if actor.federation_id is None:
            raise PermissionDenied("您的账号未关联工商联，不能导入议案提案。")
        super().__init__(actor=actor)

    # -- lookups, loaded once or as rows name them -----------------------------------------------------
    def prepare(self):
        self.today = timezone.localdate()
        self.persons = persons_visible_to(self.actor).select_related(None)
        self.person_ids = {}  # name → [ids]
        self.federation_names = {*FEDERATION_WORDS, self.actor.federation.name}
        self.chambers = {}  # name → id
        for pk, name in chambers_in_scope(self.actor).values_list("pk", "name"):
            self.chambers[name] = pk
        self.departments = {}  # name or short name → id (a name two departments share is left out)
        taken = set()
        for pk, name, short in departments_visible_to(self.actor).values_list("pk", "name", "short_name"):
            for word in {name, short} - {""}:
                if word in self.departments and self.departments[word] != pk:
                    taken.add(word)
                self.departments[word] = pk
        for word in taken:
            del self.departments[word]
        self.existing = {}  # (year, title lowered) → number
        self.created_numbers = []

    def _persons_named(self, name):
        if name not in self.person_ids:
            self.person_ids[name] = list(self.persons.filter(name=name).values_list("pk", flat=True)[:3])
        return self.person_ids[name]

    def _existing(self, year, title):
        key = (year, title.lower())
        if key not in self.existing:
            self.existing[key] = (Proposal.objects.filter(federation_id=self.actor.federation_id, year=year)
                                  .annotate(lowered=Lower("title")).filter(lowered=title.lower())
                                  .values_list("number", flat=True).first())
        return self.existing[key]

    # -- checks of one row -------------------------------------------------------------------------------
    def clean_row(self, v, failed):
        errors = []
        persons = []
        for name in _split(v["submitters"]):
            found = self._persons_named(name)
            if not found:
                errors.append((HEADERS["submitters"], f"找不到名为“{name}”的人员，或其不在您的管理范围内"))
            elif len(found) > 1:
                errors.append((HEADERS["submitters"], f"有多位名为“{name}”的人员，请导入后在议案提案页面选择提交人"))
            elif found[0] not in persons:
                persons.append(found[0])
        body, chamber = self._body(v["body"], errors)
        if HEADERS["submitters"] not in failed and not any(h in (HEADERS["submitters"], HEADERS["body"])
                                                           for h, _ in errors):
            errors += [(HEADERS["submitters"] if name == "submitters" else HEADERS["body"], _plain(reason))
                       for name, reason in rules.submitter_errors(persons=persons, body=body, chamber=chamber)]
        department = None
        if v["department"]:
            department = self.departments.get(v["department"])
            if department is None:
                errors.append((HEADERS["department"], f"找不到名为“{v['department']}”的承办部门，或其不在您的管理范围内"))
        if v["year"] is not None:
            errors += [(HEADERS["year"], _plain(reason))
                       for _, reason in rules.year_errors(v["year"], today=self.today)]
        status = v["status"]
        if status is not None:
            errors += self._state_errors(v, status)
        dates = {name: v[name] for name, _ in rules.STEP_DATES}
        errors += [(HEADERS[name], _plain(reason)) for name, reason in rules.date_order_errors(dates, today=self.today)]
        if v["year"] is not None and v["title"] and (number := self._existing(v["year"], v["title"])):
            errors.append((HEADERS["title"], f"本工商联已有 {v['year']} 年度同标题的议案提案（编号 {number}）"))
        v["_persons"], v["_body"], v["_chamber"], v["_department"] = persons, body, chamber, department
        return errors

    def _body(self, text, errors):
        if not text:
            return Proposal.Body.NONE, None
        if text in self.federation_names:
            return Proposal.Body.FEDERATION, None
        if text in self.chambers:
            return Proposal.Body.CHAMBER, self.chambers[text]
        errors.append((HEADERS["body"], f"应为“工商联”或商会名称；找不到名为“{text}”的商会，或其不在您的管理范围内"))
        return Proposal.Body.NONE, None

    def _state_errors(self, v, status):
        label = S(status).label
        errors = []
        for name in REQUIRED.get(status, ()):
            if not v[name]:
                errors.append((HEADERS[name], f"状态为“{label}”时须填写{HEADERS[name]}"))
        for name in STATE_FIELDS:
            if v[name] and name not in REACHED[status]:
                errors.append((HEADERS[name], f"状态为“{label}”时不应填写{HEADERS[name]}"))
        return errors

    def natural_key(self, v):
        return v["year"], (v["title"] or "").lower()

    # -- writes ------------------------------------------------------------------------------------------
    def commit(self, batch):
        now = timezone.now()
        actor = self.actor
        for _row, v in batch:
            proposal = Proposal.objects.create(
                federation_id=actor.federation_id, number=rules.next_number(), kind=v["kind"],
                title=v["title"],
                text=v["text"] or "", topic_id=v["topic"], year=v["year"], session=v["session"] or "",
                body=v["_body"], chamber_id=v["_chamber"], recipient=v["recipient"] or "",
                department_id=v["_department"], status=v["status"], submitted_on=v["submitted_on"],
                registered_on=v["registered_on"], reply=v["reply"] or "", replied_on=v["replied_on"],
                decided_on=v["decided_on"], measure=v["measure"] or "", decline_reason=v["decline_reason"] or "",
                created_by=actor)
            proposal.submitters.set(v["_persons"])
            ProposalLog.objects.create(
                proposal=proposal, at=now, actor=actor, actor_name=actor.display_name or actor.get_username(),
                action=IMPORT_ACTION, action_label=IMPORT_LABEL, from_status="", to_status=proposal.status,
                note=f"从 Excel 导入，导入时状态为“{proposal.get_status_display()}”")
            self.created_numbers.append(proposal.number)
        return len(batch), 0

    def audit(self, report):
        numbers = self.created_numbers
        record(AuditAction.IMPORT, actor=self.actor, object_type="engagement.proposal", object_repr="议案提案导入",
               detail={"total": report.total, "succeeded": report.succeeded, "failed": report.failed,
                       "created": report.created, "valid_only": report.valid_only,
                       "numbers": [numbers[0], numbers[-1]] if numbers else []})


def import_proposals(*, actor, path, dry_run=False, valid_only=False, progress=None):
    """Import the proposal spreadsheet at `path` into the actor's federation (the editors only). Every row is
    checked first; unless `dry_run`, the clean rows are written inside one transaction — nothing when a row
    failed, unless `valid_only`. Returns the `ImportReport`."""
    return run_import(ProposalImportSpec(actor=actor), path, dry_run=dry_run, valid_only=valid_only,
                      progress=progress)


def import_template(*, actor):
    """The template (bytes): the dictionaries as dropdowns, the scope's departments listed."""
    spec = ProposalImportSpec(actor=actor)
    departments = list(departments_visible_to(actor).filter(is_active=True).order_by("name")
                       .values_list("name", flat=True))
    return template_xlsx(spec, {"department": departments})


__all__ = ["COLUMNS", "KIND", "ProposalImportSpec", "import_proposals", "import_template"]
