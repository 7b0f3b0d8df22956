"""Every change of a proposal (议案/提案/建议/社情民意信息): acting user first, role, row lock, state check,
timeline step (`ProposalLog`), audit row — in one transaction.

- `save_proposal` creates a proposal as 草拟 or changes one not yet decided (已采纳/未采纳 are final). A
  proposal names who submitted it: persons of the representative database the actor may see, or the
  federation / a chamber in the actor's scope as a body (`以组织名义提交`), or both; with neither it is
  refused and nothing is written. Its number is `common.numbering.daily_number("TA")` (TA202611220001).
- `delete_proposal`: a draft only (its timeline goes with it).
- The transitions of `workflow.PROPOSAL_FLOW` — 提交, 立案, 交办, 登记答复, 采纳 (with the 实际举措 it became and,
  optionally, the 惠企政策 that carries it), 未采纳 (with the reason) — each guarded by the table under the row
  lock, so of two editors acting on one proposal at once exactly one wins; the other is `Refused`. Each step
  sets its date (提交日期, 立案日期, 答复日期, 采纳结果日期; today when none is given), which may be neither in the
  future nor before the date of the step before it.

The rules a row of the import is checked against as well (`imports.proposals`) are the functions
`submitter_errors`, `text_errors` and `date_order_errors`, so that both refuse the same values in the same words.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from shanglian.accounts.roles import role_of
from shanglian.audit.models import AuditAction
from shanglian.audit.services import record
from shanglian.common.errors import Refused, raise_grouped
from shanglian.common.models import DictItem
from shanglian.common.numbering import daily_number
from shanglian.common.records import changes, delete_or_refuse, record_saved, snapshot
from shanglian.members.selectors import persons_visible_to
from shanglian.orgs.models import Chamber, Department
from shanglian.orgs.selectors import chambers_in_scope, departments_visible_to
from shanglian.policies.models import Policy
from shanglian.policies.selectors import policies_visible_to

from ..models import Proposal, ProposalLog
from ..selectors.proposals import proposals_editable_by
from ..workflow import PROPOSAL_FLOW

S = Proposal.Status
DECIDED = (S.ADOPTED, S.NOT_ADOPTED)
TOPIC = "proposal_topic"
MAX_TITLE = 200
MAX_TEXT = 20000
MAX_SESSION = 60
MAX_RECIPIENT = 60
MAX_NOTE = 500
MAX_REPLY = 5000
MAX_MEASURE = 2000
MAX_REASON = 200
MAX_SUBMITTERS = 10
FIRST_YEAR = 1990
NUMBER_PREFIX = "TA"
NO_SUBMITTER = "请至少选择一位提交人，或选择以工商联、商会名义提交。"

# Each step's date and what it is called, in the order of the proposal's life.
STEP_DATES = (("submitted_on", "提交日期"), ("registered_on", "立案日期"), ("replied_on", "答复日期"),
              ("decided_on", "采纳结果日期"))
DATE_LABELS = dict(STEP_DATES)


# --- the rules (shared with the import) -------------------------------------------------------------
def text_errors(values, limits):
    """[(field, reason)] for texts over their limit: `limits` = {field: (label, limit)}."""
    errors = []
    for name, (label, limit) in limits.items():
        value = values.get(name) or ""
        if len(value) > limit:
            errors.append((name, f"{label}不能超过 {limit} 字（现为 {len(value)} 字）。"))
    return errors


def year_errors(year, *, today):
    if year is None:
        return [("year", "请填写年度。")]
    if year < FIRST_YEAR or year > today.year + 1:
        return [("year", f"年度应在 {FIRST_YEAR} 年至 {today.year + 1} 年之间。")]
    return []


def submitter_errors(*, persons, body, chamber):
    """Who submitted it: at least a person or a body; the chamber exactly when the body is a chamber."""
    errors = []
    if not persons and not body:
        errors.append(("submitters", NO_SUBMITTER))
    if len(persons) > MAX_SUBMITTERS:
        errors.append(("submitters", f"提交人最多 {MAX_SUBMITTERS} 位（现为 {len(persons)} 位）。"))
    if body == Proposal.Body.CHAMBER and chamber is None:
        errors.append(("chamber", "以商会名义提交时请选择商会。"))
    if body != Proposal.Body.CHAMBER and chamber is not None:
        errors.append(("chamber", "只有以商会名义提交时才选择商会。"))
    return errors


def date_order_errors(dates, *, today):
    """[(field, reason)] for step dates in the future or before the step before them (`dates`: field → date
    or None, the fields of STEP_DATES)."""
    errors, previous = [], None
    for name, label in STEP_DATES:
        value = dates.get(name)
        if value is None:
            continue
        if value > today:
            errors.append((name, f"{label}不能晚于今天。"))
        elif previous is not None and value < previous[1]:
            errors.append((name, f"{label}不能早于{DATE_LABELS[previous[0]]}（{previous[1]:%Y-%m-%d}）。"))
        previous = (name, value)
    return errors


# --- helpers ------------------------------------------------------------------------------------------
def _today():
    return timezone.localdate()


def _text(value):
    return (value or "").strip()


def _required(value, label, limit):
    value = _text(value)
    if not value:
        raise ValidationError(f"请填写{label}。")
    if len(value) > limit:
        raise ValidationError(f"{label}不能超过 {limit} 字（现为 {len(value)} 字）。")
    return value


def _optional(value, label, limit):
    value = _text(value)
    if len(value) > limit:
        raise ValidationError(f"{label}不能超过 {limit} 字（现为 {len(value)} 字）。")
    return value


def _pick(visible, value, model, message):
    """`value` (a record or its id) if it is in the `visible` queryset, else ValidationError(message)."""
    if value in (None, ""):
        return None
    pk = value.pk if isinstance(value, model) else value
    found = visible.filter(pk=pk).first() if isinstance(pk, int) and pk > 0 else None
    if found is None:
        raise ValidationError(message)
    return found


def _persons(actor, persons):
    """The submitters, each a person the actor sees (records or ids), in the order given, once each."""
    visible = persons_visible_to(actor)
    wanted = []
    for person in persons or ():
        pk = getattr(person, "pk", person)
        if pk not in wanted:
            wanted.append(pk)
    if not all(isinstance(pk, int) and pk > 0 for pk in wanted):
        raise ValidationError({"submitters": "所选提交人不存在或不在您的管理范围内。"})
    found = {p.pk: p for p in visible.filter(pk__in=wanted)}
    if len(found) != len(wanted):
        raise ValidationError({"submitters": "所选提交人不存在或不在您的管理范围内。"})
    return [found[pk] for pk in wanted]


def _actor_name(actor):
    return (actor.display_name or actor.get_username()) if actor is not None else "系统"


def _log(proposal, actor, action, from_status, *, note="", was=None):
    """One step of the timeline and its audit row (with what the step changed, `was` being the proposal's snapshot
    before it, so that its 变更记录 reads 状态 已立案 → 办理中, 承办部门 …)."""
    entry = ProposalLog.objects.create(
        proposal=proposal, at=timezone.now(), actor=actor, actor_name=_actor_name(actor), action=action,
        action_label=PROPOSAL_FLOW.label(action), from_status=from_status, to_status=proposal.status, note=note)
    if action != "draft_proposal":  # the creation is audited with its fields by record_saved
        detail = {"transition": action, "from": from_status, "to": proposal.status}
        if was is not None:
            detail["changes"] = changes(Proposal, was, snapshot(proposal))
        record(AuditAction.UPDATE, actor=actor, obj=proposal, detail=detail)
    return entry


def _locked(actor, proposal):
    """The proposal re-read under a row lock, if the actor may change it at all (else PermissionDenied)."""
    editable = proposals_editable_by(actor)  # 403 for a role that may not change proposals
    pk = proposal.pk if isinstance(proposal, Proposal) else proposal
    locked = Proposal.objects.select_for_update().filter(pk=pk).first()
    if locked is None or not editable.filter(pk=pk).exists():
        raise PermissionDenied("您无权办理该议案提案。")
    return locked


def _guarded(actor, proposal, action):
    """The table's guards around the row lock: the role may take the action (else PermissionDenied), then the
    proposal re-read under the lock is in a state that allows it (else Refused)."""
    PROPOSAL_FLOW.require_role(action, role_of(actor))
    proposal = _locked(actor, proposal)
    PROPOSAL_FLOW.require_state(action, proposal)
    return proposal


def _step_date(proposal, field, value):
    """The date of a step: `value` or today; neither in the future nor before the date of the step before it."""
    value = value or _today()
    if not isinstance(value, date):
        raise ValidationError(f"{DATE_LABELS[field]}格式应为 2026-11-22。")
    dates = {name: getattr(proposal, name) for name, _ in STEP_DATES}
    dates[field] = value
    errors = [reason for name, reason in date_order_errors(dates, today=_today()) if name == field]
    if errors:
        raise ValidationError(errors[0])
    return value


def next_number():
    """The next proposal number: TA + today + a counter of the day (TA202611220001), as every document number."""
    return daily_number(NUMBER_PREFIX)


# --- create, edit, delete -------------------------------------------------------------------------------
PROPOSAL_FIELDS = ("kind", "title", "text", "topic", "year", "session", "body", "chamber", "recipient")


def save_proposal(*, actor, data, proposal=None):
    """Create (proposal=None, as 草拟) or change a proposal not yet decided. `data`: the fields of
    PROPOSAL_FIELDS (topic a DictItem or its id, chamber a Chamber or its id) and `submitters` (persons or
    ids). Every error is a ValidationError naming its field; nothing is written then."""
    PROPOSAL_FLOW.require_role("draft_proposal", role_of(actor))
    if actor.federation_id is None:
        raise PermissionDenied("您的账号未关联工商联，不能登记议案提案。")
    today = _today()
    with transaction.atomic():
        if proposal is not None:
            proposal = _locked(actor, proposal)
            if proposal.status in DECIDED:
                raise Refused(f"议案提案当前为“{proposal.get_status_display()}”，不能再修改。", code="state")
        values = {name: data.get(name) for name in PROPOSAL_FIELDS}
        for name in ("title", "text", "session", "recipient"):
            values[name] = _text(values[name])
        values["body"] = values["body"] or Proposal.Body.NONE
        errors = []
        if not values["title"]:
            errors.append(("title", "请填写标题。"))
        errors += text_errors(values, {"title": ("标题", MAX_TITLE), "text": ("正文", MAX_TEXT),
                                       "session": ("会议/届次", MAX_SESSION), "recipient": ("提交对象", MAX_RECIPIENT)})
        if values["kind"] not in Proposal.Kind.values:
            errors.append(("kind", "请选择类别（议案、提案、建议或社情民意信息）。"))
        if values["body"] not in Proposal.Body.values:
            errors.append(("body", "请选择以个人或以工商联、商会名义提交。"))
        year = values["year"]
        errors += year_errors(year if isinstance(year, int) else None, today=today)
        refused = set()  # fields named but refused: their absence is not another error
        try:
            values["topic"] = _pick(DictItem.objects.filter(kind=TOPIC), values["topic"], DictItem,
                                    "所选主题不存在，请从列表中选择。")
        except ValidationError as exc:
            errors.append(("topic", exc.messages[0]))
        try:
            values["chamber"] = _pick(chambers_in_scope(actor), values["chamber"], Chamber,
                                      "所选商会不存在或不在您的管理范围内。")
        except ValidationError as exc:
            errors.append(("chamber", exc.messages[0]))
            refused.add("chamber")
            values["chamber"] = None
        try:
            persons = _persons(actor, data.get("submitters"))
        except ValidationError as exc:
            errors.append(("submitters", exc.message_dict["submitters"][0]))
            refused.add("submitters")
            persons = []
        errors += [(name, reason) for name, reason in submitter_errors(
            persons=persons, body=values["body"], chamber=values["chamber"]) if name not in refused]
        raise_grouped(errors)

        creating = proposal is None
        before = None if creating else snapshot(proposal)
        if creating:
            proposal = Proposal(federation_id=actor.federation_id, created_by=actor, status=S.DRAFT,
                                number=next_number())
        for name, value in values.items():
            setattr(proposal, name, value)
        proposal.save()
        proposal.submitters.set(persons)
        record_saved(actor=actor, obj=proposal, before=before)
        if creating:
            _log(proposal, actor, "draft_proposal", "")
    return proposal


def delete_proposal(*, actor, proposal):
    """A draft only; its timeline goes with it."""
    PROPOSAL_FLOW.require_role("draft_proposal", role_of(actor))
    with transaction.atomic():
        proposal = _locked(actor, proposal)
        if proposal.status != S.DRAFT:
            raise Refused(f"议案提案当前为“{proposal.get_status_display()}”，只有草拟状态的议案提案可以删除。", code="state")
        delete_or_refuse(actor=actor, obj=proposal, along=("log",))


# --- the workflow ---------------------------------------------------------------------------------------
@transaction.atomic
def submit_proposal(*, actor, proposal, submitted_on=None, note=""):
    """提交 (草拟 → 已提交), on `submitted_on` (today by default)."""
    proposal = _guarded(actor, proposal, "submit_proposal")
    note = _optional(note, "说明", MAX_NOTE)
    if not proposal.body and not proposal.submitters.exists():  # a draft saved before the rule, or by the admin
        raise ValidationError(NO_SUBMITTER)
    before, was = proposal.status, snapshot(proposal)
    proposal.submitted_on = _step_date(proposal, "submitted_on", submitted_on)
    proposal.status = PROPOSAL_FLOW.target("submit_proposal")
    proposal.save(update_fields=["status", "submitted_on", "updated_at"])
    _log(proposal, actor, "submit_proposal", before, was=was, note=note)
    return proposal


@transaction.atomic
def register_proposal(*, actor, proposal, registered_on=None, note=""):
    """立案 (已提交 → 已立案), on `registered_on`."""
    proposal = _guarded(actor, proposal, "register_proposal")
    note = _optional(note, "说明", MAX_NOTE)
    before, was = proposal.status, snapshot(proposal)
    proposal.registered_on = _step_date(proposal, "registered_on", registered_on)
    proposal.status = PROPOSAL_FLOW.target("register_proposal")
    proposal.save(update_fields=["status", "registered_on", "updated_at"])
    _log(proposal, actor, "register_proposal", before, was=was, note=note)
    return proposal


def _department(actor, department, *, required):
    if department in (None, "") and not required:
        return None
    if department in (None, ""):
        raise ValidationError("请选择承办部门。")
    return _pick(departments_visible_to(actor), department, Department, "所选承办部门不存在或不在您的管理范围内。")


@transaction.atomic
def hand_over_proposal(*, actor, proposal, department, note=""):
    """交办 (已立案 → 办理中) to a handling department of the actor's scope."""
    proposal = _guarded(actor, proposal, "hand_over")
    department = _department(actor, department, required=True)
    note = _optional(note, "说明", MAX_NOTE)
    before, was = proposal.status, snapshot(proposal)
    proposal.department = department
    proposal.status = PROPOSAL_FLOW.target("hand_over")
    proposal.save(update_fields=["status", "department", "updated_at"])
    _log(proposal, actor, "hand_over", before, was=was, note=f"承办部门：{department.name}" + (f"；{note}" if note else ""))
    return proposal


@transaction.atomic
def record_reply(*, actor, proposal, reply, replied_on=None, department=None):
    """登记答复 (已立案/办理中 → 已答复): the handling department's reply, on `replied_on`; a department named here
    (when it was not handed over) becomes the handling department."""
    proposal = _guarded(actor, proposal, "record_reply")
    reply = _required(reply, "答复意见", MAX_REPLY)
    department = _department(actor, department, required=False)
    before, was = proposal.status, snapshot(proposal)
    proposal.replied_on = _step_date(proposal, "replied_on", replied_on)
    proposal.reply = reply
    if department is not None:
        proposal.department = department
    proposal.status = PROPOSAL_FLOW.target("record_reply")
    proposal.save(update_fields=["status", "reply", "replied_on", "department", "updated_at"])
    _log(proposal, actor, "record_reply", before, was=was, note=reply)
    return proposal


@transaction.atomic
def adopt_proposal(*, actor, proposal, measure, policy=None, decided_on=None):
    """采纳 (已答复 → 已采纳): the 实际举措 it became (required) and, optionally, the 惠企政策 that carries it (one the
    actor sees)."""
    proposal = _guarded(actor, proposal, "adopt_proposal")
    measure = _required(measure, "转化的实际举措", MAX_MEASURE)
    policy = _pick(policies_visible_to(actor), policy, Policy, "所选惠企政策不存在或不在您的查看范围内。")
    before, was = proposal.status, snapshot(proposal)
    proposal.decided_on = _step_date(proposal, "decided_on", decided_on)
    proposal.measure, proposal.policy, proposal.decline_reason = measure, policy, ""
    proposal.status = PROPOSAL_FLOW.target("adopt_proposal")
    proposal.save(update_fields=["status", "measure", "policy", "decline_reason", "decided_on", "updated_at"])
    _log(proposal, actor, "adopt_proposal", before, was=was,
         note=f"实际举措：{measure}" + (f"；对应政策：{policy.title}" if policy else ""))
    return proposal


@transaction.atomic
def decline_proposal(*, actor, proposal, reason, decided_on=None):
    """未采纳 (已提交/已立案/办理中/已答复 → 未采纳), with the reason."""
    proposal = _guarded(actor, proposal, "decline_proposal")
    reason = _required(reason, "未采纳原因", MAX_REASON)
    before, was = proposal.status, snapshot(proposal)
    proposal.decided_on = _step_date(proposal, "decided_on", decided_on)
    proposal.decline_reason = reason
    proposal.status = PROPOSAL_FLOW.target("decline_proposal")
    proposal.save(update_fields=["status", "decline_reason", "decided_on", "updated_at"])
    _log(proposal, actor, "decline_proposal", before, was=was, note=reason)
    return proposal
