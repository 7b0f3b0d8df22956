"""签到表导入: the attendance of events already in the system, from the paper or Excel sign-in sheets a
federation keeps ("22 年培训，2 万余人次"), so that 人次 and the participation rates cover history. On the
project's one Excel pipeline (`shanglian.common.excel`), registered with the import jobs as kind
"event_attendance"; the pages are `import_views.PAGES`, the command `import_event_attendance`.

- One row is one attendance of one event: 活动编号 (an event the importer may edit —
  `selectors.events_editable_by`: the federation's editors every event of their federations, a chamber
  secretary its chamber's), 姓名, and optionally 手机号 (only its last 4 digits are stored), 单位,
  统一社会信用代码 (an enterprise the importer may see: the attendance then counts for that enterprise's
  participation) and 签到时间 (default: the event's start; within the event's days, not in the future).
- The event must have been published and not cancelled. Each row becomes a `CheckIn` (人工签到,
  `checked_in_by` the importer). A row whose 姓名 (and enterprise, and mobile tail, when given) names one
  live invitation of the event is that invitation's check-in: an invitation is checked in once, so a row
  of an invitee already checked in — at the door or by an earlier import — is passed as 已签到 and
  skipped, never doubled; so is a row of someone already checked in under the same 姓名 and 手机尾号.
  Importing the same file twice therefore adds nothing the second time.
- Rows repeated in the file (same event, 姓名 and 手机尾号) are refused as duplicates; as in every import,
  one failed row writes nothing (unless only the valid rows are asked for). One audit record per import.
"""

import datetime
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shanglian.accounts.roles import ORGANISER_ROLES, require_role
from shanglian.audit.models import AuditAction
from shanglian.audit.services import record
from shanglian.common.excel import Column, ImportSpec, insert_rows, run_import, template_xlsx
from shanglian.common.masking import mobile_tail
from shanglian.common.validators import validate_mobile, validate_uscc
from shanglian.imports.registry import import_kind
from shanglian.members.selectors import enterprises_visible_to

from . import selectors
from .models import CheckIn, Event, Invitation

KIND = "event_attendance"
NAME_LENGTH = 50  # as 现场登记 (services.register_walk_in)
TEMPLATE_EVENTS = 2000  # the newest events listed on the template's 可导入的活动 sheet
EVENTS_SHEET = "可导入的活动"

COLUMNS = [
    Column("event_number", "活动编号", required=True, kind="code", max_length=20, example="HD202403050001",
           help="系统中已有活动的编号（见模板“可导入的活动”表，或活动详情页），须为您可管理、已发布且未取消的活动"),
    Column("name", "姓名", required=True, max_length=NAME_LENGTH, aliases=("参会人", "参会人姓名"), example="张某"),
    Column("mobile", "手机号", kind="code", max_length=20, aliases=("手机号码", "联系电话"), example="13800138000",
           help="选填；只保存后 4 位，用于区分同名的人"),
    Column("organisation", "单位", max_length=200, aliases=("工作单位", "单位名称"), example="天津某某科技有限公司",
           help="选填；填写了统一社会信用代码时可留空（取该企业名称）"),
    Column("uscc", "统一社会信用代码", kind="code", max_length=18, aliases=("信用代码",), example="91120103MA05L2XY3K",
           help="选填；须为您管理范围内已登记的企业，签到计入该企业的参与次数"),
    Column("checked_in_at", "签到时间", max_length=40, example="2024-03-05 09:30",
           help="选填，如 2024-03-05 09:30；只填时间（09:30）为活动首日，只填日期为当天活动开始的时刻；"
                "留空为活动开始时间。须在活动日期内"),
]
HEADERS = {column.key: column.header for column in COLUMNS}

# 签到时间 as people type it: a date (2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日, 20240305) with or without a
# time (9:30, 09:30:00, 9时30分), a time alone, or an Excel serial number (45356.375).
_DATE = r"(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?"
_TIME = r"(\d{1,2})\s*[:时]\s*(\d{1,2})\s*分?(?:\s*:?\s*(\d{1,2})(?:\.\d+)?\s*秒?)?"
_DATETIME_RE = re.compile(rf"^{_DATE}(?:\s*T?\s*{_TIME})?$")
_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_TIME_RE = re.compile(rf"^{_TIME}$")
_SERIAL_RE = re.compile(r"^\d{5}(?:\.\d+)?$")
_EXCEL_EPOCH = datetime.datetime(1899, 12, 30)
_SERIALS = (20000, 80000)  # 1954 … 2119: a plain number outside is not a date
BAD_TIME = "签到时间格式不正确，应为 2024-03-05 09:30、2024/3/5 9:30 或 2024年3月5日 9时30分"


@dataclass(frozen=True)
class When:
    """What the 签到时间 cell gave: a whole local date and time, a date, or a time (of the event's first day)."""

    day: datetime.date | None
    time: datetime.time | None


def parse_when(text):
    """The 签到时间 cell → `When`, or ValueError (a Chinese reason)."""
    text = text.strip()
    try:
        if match := _DATETIME_RE.match(text):
            year, month, day, hour, minute, second = match.groups()
            date = datetime.date(int(year), int(month), int(day))
            return When(date, None if hour is None else datetime.time(int(hour), int(minute), int(second or 0)))
        if match := _COMPACT_RE.match(text):
            return When(datetime.date(*map(int, match.groups())), None)
        if match := _TIME_RE.match(text):
            hour, minute, second = match.groups()
            return When(None, datetime.time(int(hour), int(minute), int(second or 0)))
    except ValueError:
        raise ValueError("签到时间不存在，请检查年月日和时分") from None
    if _SERIAL_RE.match(text) and _SERIALS[0] <= float(text) < _SERIALS[1]:
        moment = _EXCEL_EPOCH + datetime.timedelta(days=float(text))
        moment = moment.replace(microsecond=0) + datetime.timedelta(seconds=round(moment.microsecond / 1e6))
        return When(moment.date(), moment.time())
    raise ValueError(BAD_TIME)


def _days(event):
    """The event's days as people say them: 2024年3月5日, or 2024年3月5日至6日 / 至4月2日 / 至2025年1月2日."""
    opens, closes = event.checkin_window()
    first = timezone.localtime(opens).date()
    last = timezone.localtime(closes).date() - datetime.timedelta(days=1)
    text = f"{first.year}年{first.month}月{first.day}日"
    if last <= first:
        return text
    if last.year != first.year:
        return f"{text}至{last.year}年{last.month}月{last.day}日"
    return f"{text}至{last.month}月{last.day}日" if last.month != first.month else f"{text}至{last.day}日"


@dataclass
class _EventState:
    """One event's invitations and check-ins as they stand, loaded once per import."""

    by_name: dict  # name → [Invitation], live invitations under their invitee's and their substitute's name
    checked: set  # ids of the invitations already checked in
    pairs: set  # (name, mobile tail) of the check-ins already recorded
    claimed: dict = field(default_factory=dict)  # invitation id → natural key of the row of this file that took it


@import_kind(KIND)
class AttendanceImportSpec(ImportSpec):
    title = "签到表"
    columns = COLUMNS

    def __init__(self, *, actor):
        require_role(actor, *ORGANISER_ROLES)
        if actor.federation_id is None and actor.chamber_id is None:
            raise PermissionDenied("您的账号未关联工商联或商会，不能导入签到表。")
        super().__init__(actor=actor)

    # -- lookups, loaded as rows name them ------------------------------------------------------
    def prepare(self):
        self.editable = selectors.events_editable_by(self.actor)
        self.enterprises = enterprises_visible_to(self.actor)
        self.events = {}  # 活动编号 → Event or None
        self.states = {}  # event id → _EventState
        self.firms = {}  # 统一社会信用代码 → (id, name) or None
        self.now = timezone.now()
        self.already = 0  # rows checked and found 已签到 (to be skipped)
        self.skipped = []  # (Excel row, 姓名) of the rows skipped as 已签到 when writing
        self.event_ids = set()  # the events that got check-ins

    def _event(self, number):
        if number not in self.events:
            self.events[number] = self.editable.filter(number=number).first()
        return self.events[number]

    def _firm(self, uscc):
        if uscc not in self.firms:
            self.firms[uscc] = self.enterprises.filter(uscc=uscc).values_list("id", "name").first()
        return self.firms[uscc]

    def _state(self, event):
        state = self.states.get(event.pk)
        if state is None:
            by_name = {}
            live = event.invitations.exclude(status=Invitation.Status.CANCELLED).select_related("enterprise")
            for invitation in live.order_by("id"):
                by_name.setdefault(invitation.name, []).append(invitation)
                if invitation.status == Invitation.Status.SUBSTITUTE and invitation.substitute_name \
                        and invitation.substitute_name != invitation.name:
                    by_name.setdefault(invitation.substitute_name, []).append(invitation)
            rows = list(CheckIn.objects.filter(event=event).values_list("invitation_id", "name", "mobile_tail"))
            state = self.states[event.pk] = _EventState(
                by_name=by_name, checked={invitation for invitation, _, _ in rows if invitation},
                pairs={(name, tail) for _, name, tail in rows})
        return state

    # -- checks of one row ----------------------------------------------------------------------
    def clean_row(self, v, failed):
        """The cells' formats, then what the row names in the database: its event (in scope, held, begun),
        its enterprise (in scope), its time (within the event's days), the invitation it is."""
        errors = []
        if v["mobile"]:
            try:
                v["mobile"] = validate_mobile(v["mobile"])
            except ValidationError as exc:
                errors.append((HEADERS["mobile"], exc.messages[0].rstrip("。")))
                v["mobile"] = None
        if v["uscc"]:
            try:
                v["uscc"] = validate_uscc(v["uscc"])
            except ValidationError as exc:
                errors.append((HEADERS["uscc"], exc.messages[0].rstrip("。")))
                v["uscc"] = None
        when = None
        if v["checked_in_at"]:
            try:
                when = parse_when(v["checked_in_at"])
            except ValueError as exc:
                errors.append((HEADERS["checked_in_at"], str(exc)))
        event = self._event(v["event_number"]) if v["event_number"] else None
        if v["event_number"] and event is None:
            errors.append((HEADERS["event_number"], f"找不到编号为“{v['event_number']}”的活动，或该活动不在您的管理范围内"))
        elif event is not None:
            errors += self._event_errors(event)
        firm = self._firm(v["uscc"]) if v["uscc"] else None
        if v["uscc"] and firm is None:
            errors.append((HEADERS["uscc"], f"找不到统一社会信用代码为 {v['uscc']} 的企业，或该企业不在您的管理范围内"))
        if errors or failed or event is None:
            return errors
        at, errors = self._moment(event, when)
        if errors:
            return errors
        return self._attendance(v, event, firm, at)

    # A row the preview passed is checked again in full before it is committed from the kept rows: what it
    # names in the database (its event's state, the enterprise, the invitations and check-ins) is nearly the
    # whole of it, and the cell formats are cheap to check again.
    def recheck_row(self, v):
        return self.clean_row(v, frozenset())

    def _event_errors(self, event):
        column = HEADERS["event_number"]
        if event.status == Event.Status.DRAFT:
            return [(column, f"活动《{event.title}》还是草稿，发布后才能导入签到")]
        if event.status == Event.Status.CANCELLED:
            return [(column, f"活动《{event.title}》已取消，不能导入签到")]
        if event.checkin_window()[0] > self.now:
            return [(column, f"活动《{event.title}》尚未开始（{_days(event)}），不能导入签到")]
        return []

    def _moment(self, event, when):
        """The check-in's time: the cell read on the event's days (default: the event's start)."""
        column = HEADERS["checked_in_at"]
        tz = timezone.get_current_timezone()
        start = timezone.localtime(event.starts_at, tz)
        if when is None:
            at = event.starts_at
        else:
            day = when.day or start.date()
            at = timezone.make_aware(datetime.datetime.combine(day, when.time or start.time()), tz)
        opens, closes = event.checkin_window()
        if not opens <= at < closes:
            return None, [(column, f"签到时间 {timezone.localtime(at, tz):%Y-%m-%d %H:%M} 不在活动日期内（{_days(event)}）")]
        if at > self.now:
            if when is None:
                return None, [(column, f"活动开始时间 {start:%Y-%m-%d %H:%M} 晚于当前时间，请填写实际签到时间")]
            return None, [(column, f"签到时间 {timezone.localtime(at, tz):%Y-%m-%d %H:%M} 晚于当前时间")]
        return at, []

    def _attendance(self, v, event, firm, at):
        """The invitation the row is (if any) and whether the person is already checked in; sets the row's
        derived values."""
        state = self._state(event)
        name, tail = v["name"], mobile_tail(v["mobile"])
        key = self.natural_key_of(event.pk, name, tail)
        candidates = state.by_name.get(name, [])
        if firm is not None:
            candidates = [i for i in candidates if i.enterprise_id == firm[0]]
        if tail:
            candidates = [i for i in candidates if not i.mobile_tail or i.mobile_tail == tail]
            exact = [i for i in candidates if i.mobile_tail == tail]
            candidates = exact or candidates
        if len(candidates) > 1:
            return [(HEADERS["name"], f"本活动有 {len(candidates)} 位名为“{name}”的受邀人，请填写手机号或统一社会信用代码以区分")]
        invitation = candidates[0] if candidates else None
        if invitation is not None:
            first = state.claimed.setdefault(invitation.pk, key)
            if first != key:
                return [(HEADERS["name"], f"与本表中前面一行为同一位受邀人（{invitation.name}），请删除重复的行")]
        v["_event"], v["_at"], v["_invitation"] = event, at, invitation
        v["_tail"] = tail or (invitation.mobile_tail if invitation else "")
        v["_enterprise"] = firm[0] if firm else (invitation.enterprise_id if invitation else None)
        organisation = v["organisation"] or (firm[1] if firm else "")
        if not organisation and invitation is not None and invitation.enterprise_id:
            organisation = invitation.enterprise.name
        v["_organisation"] = organisation[:200]
        v["_skip"] = (invitation is not None and invitation.pk in state.checked) or (name, v["_tail"]) in state.pairs \
            or (name, tail) in state.pairs
        self.already += v["_skip"]
        return []

    @staticmethod
    def natural_key_of(event_id, name, tail):
        return event_id, name, tail

    def natural_key(self, v):
        return self.natural_key_of(v["_event"].pk, v["name"], mobile_tail(v["mobile"]))

    # -- writes ---------------------------------------------------------------------------------
    FIELDS = ("event", "invitation", "person", "enterprise", "name", "mobile_tail", "organisation", "method",
              "checked_in_at", "checked_in_by")

    def commit(self, batch):
        """Write the batch's check-ins (multi-row INSERTs). The invitations they take are locked first and
        looked up again: one checked in meanwhile (at the door) is skipped as 已签到, as is a row of an
        invitee already checked in when the file was checked."""
        rows = []
        for excel_row, v in batch:
            if v["_skip"]:
                self.skipped.append((excel_row, v["name"]))
            else:
                rows.append((excel_row, v))
        ids = [v["_invitation"].pk for _, v in rows if v["_invitation"] is not None]
        if ids:
            list(Invitation.objects.select_for_update().filter(pk__in=ids).values_list("pk"))
            taken = set(CheckIn.objects.filter(invitation_id__in=ids).values_list("invitation_id", flat=True))
        else:
            taken = set()
        written = []
        for excel_row, v in rows:
            invitation = v["_invitation"]
            if invitation is not None:
                if invitation.pk in taken:
                    self.skipped.append((excel_row, v["name"]))
                    continue
                taken.add(invitation.pk)
            written.append((v["_event"].pk, invitation.pk if invitation else None,
                            invitation.person_id if invitation else None, v["_enterprise"], v["name"], v["_tail"],
                            v["_organisation"], CheckIn.Method.MANUAL, v["_at"], self.actor.pk))
            self.event_ids.add(v["_event"].pk)
        insert_rows(CheckIn, self.FIELDS, written)
        return len(written), 0

    def audit(self, report):
        record(AuditAction.IMPORT, actor=self.actor, object_type="events.checkin", object_repr="签到表导入",
               detail={"total": report.total, "succeeded": report.succeeded, "failed": report.failed,
                       "created": report.created, "already": len(self.skipped), "events": sorted(self.event_ids),
                       "valid_only": report.valid_only})


def import_attendance(*, actor, path, dry_run=False, valid_only=False, progress=None, spec=None):
    """Import the sign-in sheet at `path` (the organisers only: the federation's editors, a chamber secretary
    for its chamber's events). Every row is checked first; unless `dry_run`, the clean rows are written inside
    one transaction — nothing when a row failed, unless `valid_only`. Returns the `ImportReport`; `spec` (an
    `AttendanceImportSpec` of `actor`) keeps the rows skipped as 已签到 for the caller (`already`, `skipped`)."""
    spec = spec or AttendanceImportSpec(actor=actor)
    return run_import(spec, path, dry_run=dry_run, valid_only=valid_only, progress=progress)


def import_template(*, actor):
    """The template (bytes): the 签到表 sheet, its 填写说明, and the events the actor may import into
    (the newest `TEMPLATE_EVENTS` held ones, already begun) on a sheet of their own."""
    from openpyxl import load_workbook
    from openpyxl.styles import Font, PatternFill

    spec = AttendanceImportSpec(actor=actor)
    book = load_workbook(io.BytesIO(template_xlsx(spec)))
    sheet = book.create_sheet(EVENTS_SHEET, 1)
    sheet.append(["活动编号", "活动名称", "活动类型", "主办方", "开始时间", "结束时间", "状态"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
    events = (selectors.events_editable_by(actor).held().filter(starts_at__lte=timezone.now())
              .order_by("-starts_at", "-id")[:TEMPLATE_EVENTS])
    for event in events:
        sheet.append([event.number, event.title, event.kind.label, event.organiser_name,
                      f"{timezone.localtime(event.starts_at):%Y-%m-%d %H:%M}",
                      f"{timezone.localtime(event.ends_at):%Y-%m-%d %H:%M}", event.get_status_display()])
    for letter, width in zip("ABCDEFG", (20, 40, 12, 24, 18, 18, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


__all__ = ["COLUMNS", "KIND", "AttendanceImportSpec", "import_attendance", "import_template", "parse_when"]
