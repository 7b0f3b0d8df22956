"""The door: check-in on a phone (pretix's check-in, in Chinese).

Every scan gets one of three answers — 签到成功; 已签到 (by whom and when); 拒绝 (and why) — from
`services.scan`, which logs every attempt as a `Scan` and answers a nonce it has seen with its first answer.
The pages:

- `door` (现场签到): the scanner (`static/shanglian/qrscan.js`: camera or photo, decoded with jsQR), the last
  answer, 已签到 N / 应到 M, the manual fallback (search by name or the mobile's last 4 digits) and 现场登记.
  `?scan=<id>` shows the answer of one logged scan of the event (what a form post without script lands on).
- `door_scan`: POST payload + nonce. Asked for JSON (the scanner's fetch, or a JSON body), it answers JSON
  with the rendered answer; a plain form post is redirected to the door showing its answer.
- `door_search`, `door_manual`, `door_walk_in`: the fallback and 现场登记.
- `poster` / `poster_renew`: the event's printable 签到码 (A4), and a new code that voids every printed copy.
- `checkin_list` / `checkin_export`: the sign-in sheet (签到表), `scan_list`: the scan log.

The door's pages and the poster are the organisers' (`ORGANISER_ROLES`, events of their editable scope: a
leader 403, another scope 404); the sign-in sheet, its export and the scan log are every event reader's.
"""

import json
import uuid
from dataclasses import dataclass
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shanglian.accounts.roles import EVENT_READER_ROLES, ORGANISER_ROLES, require_role, role_of
from shanglian.common.errors import Refused
from shanglian.common.validators import is_id
from shanglian.imports.exports import audited_export
from shanglian.ui.listing import Action, Column, ListPage, Tab, render_list
from shanglian.ui.shortcuts import get_visible_or_404

from . import qr, selectors, services
from .forms import CheckInSearchForm, DoorSearchForm, WalkInForm
from .models import CheckIn, Invitation, Scan
from .workflow import CHECKIN_STATES

RESULT_TITLES = {Scan.Result.OK: "签到成功", Scan.Result.ALREADY: "已签到", Scan.Result.REFUSED: "拒绝"}
RESULT_TAGS = {Scan.Result.OK: "tag-success", Scan.Result.ALREADY: "tag-warning", Scan.Result.REFUSED: "tag-danger"}
# Why a scan was refused (`Scan.reason`), in the words of the scan log.
REASONS = {
    "unreadable": "无法识别", "forged": "签名无效", "event_code": "活动签到码", "unknown": "请柬不存在",
    "other_event": "其他活动", "event_cancelled": "活动已取消", "event_state": "活动状态不符",
    "outside_day": "不在签到时间", "invitation_cancelled": "请柬已取消", "waitlisted": "候补未转正",
    "already": "重复签到", "personal_code": "请柬二维码", "stale_code": "签到码已作废", "not_invited": "未受邀",
}
SHOWN_PAYLOAD = 40  # characters of a refused scan's text shown in the log (a valid code's never is)
# How much of a request's text is handed on as the payload: the token reader refuses anything longer than its
# limit (tokens.MAX_LENGTH) as unreadable, and the log keeps the first 120 characters.
MAX_PAYLOAD = 1000


# --- an answer, as the door shows it ----------------------------------------------------------------------------
def _who(user):
    return (user.display_name or user.username) if user is not None else ""


@dataclass(frozen=True)
class Shown:
    """One scan's answer for the result panel: from a fresh `ScanAnswer` or from a logged `Scan`."""

    result: str
    message: str
    reason: str = ""
    name: str = ""
    organisation: str = ""
    at: str = ""  # HH:MM of the check-in
    by: str = ""  # who checked them in ("本人" for a self check-in)
    method: str = ""
    repeat: bool = False
    scan_id: int = None

    @property
    def title(self):
        return RESULT_TITLES.get(self.result, "")

    @property
    def reason_label(self):
        return REASONS.get(self.reason, self.reason)

    @property
    def when_and_who(self):
        """已签到's line: 已于 HH:MM 由 某某 签到."""
        if not self.at:
            return ""
        if self.by == "本人":
            return f"已于 {self.at} 本人自助签到"
        return f"已于 {self.at} 由 {self.by} 签到" if self.by else f"已于 {self.at} 签到"

    @classmethod
    def of_answer(cls, answer):
        at = timezone.localtime(answer.checked_in_at).strftime("%H:%M") if answer.checked_in_at else ""
        return cls(result=answer.result, message=answer.message, reason=answer.reason, name=answer.name,
                   organisation=answer.organisation, at=at, by=answer.checked_in_by, repeat=answer.repeat,
                   scan_id=answer.scan_id)

    @classmethod
    def of_scan(cls, scan):
        checkin = scan.checkin
        if checkin is None:
            return cls(result=scan.result, message=scan.message, reason=scan.reason, scan_id=scan.pk)
        by = "本人" if checkin.method == CheckIn.Method.SELF else _who(checkin.checked_in_by)
        return cls(result=scan.result, message=scan.message, reason=scan.reason, name=checkin.name,
                   organisation=checkin.organisation, at=timezone.localtime(checkin.checked_in_at).strftime("%H:%M"),
                   by=by, method=checkin.get_method_display(), scan_id=scan.pk)


# --- scope ---------------------------------------------------------------------------------------------------
def _door_event(request, pk, *, plain=False):
    """The event of the door's pages: organisers only (403), from their editable scope (404 otherwise).
    `plain`: without its kind, organiser and programme joined (a scan needs none of them: each one is posted
    by the door's phones, so the lookup is kept short)."""
    require_role(request.user, *ORGANISER_ROLES)
    events = selectors.events_editable_by(request.user)
    return get_visible_or_404(events.select_related(None) if plain else events, pk)


def _read_event(request, pk):
    """The event of the sign-in sheet and the scan log: every event reader (403 others), in scope (404)."""
    require_role(request.user, *EVENT_READER_ROLES)
    return get_visible_or_404(selectors.events_visible_to(request.user), pk)


def _counts(event):
    """已签到 N / 应到 M: M counts the invitations not cancelled, not declined and not waitlisted."""
    figures = selectors.attendance(event)
    by_status = figures["by_status"]
    expected = figures["invited"] - by_status[Invitation.Status.DECLINED] - by_status[Invitation.Status.WAITLISTED]
    return {**figures, "expected": expected}


def _closed_reason(event):
    """Why the door does not check in now (shown above the scanner; the service refuses the same scans)."""
    if event.status not in CHECKIN_STATES:
        return f"活动当前状态为“{event.get_status_display()}”，不能签到。"
    opens, closes = event.checkin_window()
    now = timezone.now()
    if now < opens:
        return f"尚未开始签到：签到自 {timezone.localtime(opens):%Y年%m月%d日} 起。"
    if now >= closes:
        return "签到已结束：已过活动当天。"
    return ""


def _new_nonce():
    return uuid.uuid4().hex


def _door_url(event, *, scan=None, q=""):
    url = reverse("events:door", args=[event.pk])
    params = []
    if scan:
        params.append(f"scan={scan}")
    if q:
        params.append(f"q={quote(q)}")
    return url + ("?" + "&".join(params) if params else "")


def _render_door(request, event, *, shown=None, search_form=None, results=None, walk_in_form=None, status=200):
    counts = _counts(event)
    return render(request, "events/door.html", {
        "event": event,
        "shown": shown,
        "counts": counts,
        "closed_reason": _closed_reason(event),
        "nonce": _new_nonce(),
        "search_form": search_form or DoorSearchForm(),
        "results": results,
        "walk_in_form": walk_in_form or WalkInForm(),
        "breadcrumbs": [("活动", None), ("活动列表", "events:list"), (event.title, None), ("现场签到", None)],
    }, status=status)


def _search(event, form):
    """The fallback's matches (each with a fresh nonce for its 签到 button), or None without a query."""
    if not form.is_valid() or not form.cleaned_data["q"].strip():
        return None
    return [(invitation, _new_nonce()) for invitation in selectors.door_search(event, form.cleaned_data["q"])]


# --- the door -----------------------------------------------------------------------------------------------
@never_cache
@login_required
@require_GET
def door(request, pk):
    event = _door_event(request, pk)
    shown = None
    scan_id = request.GET.get("scan", "")
    if is_id(scan_id):
        scan = (Scan.objects.filter(event=event, pk=scan_id)
                .select_related("checkin", "checkin__checked_in_by").first())
        shown = Shown.of_scan(scan) if scan else None
    search_form = DoorSearchForm(request.GET if "q" in request.GET else None)
    results = _search(event, search_form) if search_form.is_bound else None
    return _render_door(request, event, shown=shown, search_form=search_form, results=results,
                        status=400 if search_form.is_bound and not search_form.is_valid() else 200)


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "") or request.content_type == "application/json"


def _scan_input(request):
    """(payload, nonce) from a form post or a JSON body. A payload that is not text (a number, NaN, a list, an
    object) is kept as its JSON text, which no token matches: the scan is refused and logged like any other."""
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body.decode("utf-8", errors="replace") or "{}")
        except (ValueError, RecursionError):  # not JSON, or nested too deep to parse: the text is the payload
            return request.body.decode("utf-8", errors="replace")[:MAX_PAYLOAD], None
        if not isinstance(body, dict):
            return _as_text(body), None
        payload, nonce = body.get("payload", ""), body.get("nonce")
    else:
        payload, nonce = request.POST.get("payload", ""), request.POST.get("nonce")
    if nonce is not None and not isinstance(nonce, str):  # the service judges its JSON text like any other
        nonce = _as_text(nonce)
    # the services read and log the text safely (tokens.read, services._loggable): control characters and lone
    # surrogates are theirs to drop
    return (payload if isinstance(payload, str) else _as_text(payload))[:MAX_PAYLOAD], nonce


def _as_text(value):
    try:
        return json.dumps(value, ensure_ascii=False)[:MAX_PAYLOAD]
    except (ValueError, RecursionError):
        return "<无法识别的内容>"


def _answer_json(event, shown, *, attended):
    # Rendered without the request: the panel needs no context processor (the shell's menu and counts).
    html = render_to_string("events/door_result.html", {"shown": shown, "event": event})
    return JsonResponse({
        "result": shown.result, "title": shown.title, "message": shown.message, "reason": shown.reason,
        "name": shown.name, "organisation": shown.organisation, "checked_in_at": shown.at or None,
        "checked_in_by": shown.by, "repeat": shown.repeat, "attended": attended, "scan": shown.scan_id,
        "html": html, "bind": {"attended": attended},
    }, json_dumps_params={"ensure_ascii": False})


@never_cache
@login_required
@require_POST
def door_scan(request, pk):
    event = _door_event(request, pk, plain=True)
    try:
        payload, nonce = _scan_input(request)
        answer = services.scan(actor=request.user, event=event, payload=payload, nonce=nonce)
    except ValidationError as exc:  # a malformed nonce: nothing was logged
        message = "；".join(exc.messages)
        if _wants_json(request):
            return JsonResponse({"result": "", "message": message}, status=400, json_dumps_params={"ensure_ascii": False})
        messages.error(request, message)
        return redirect("events:door", pk=event.pk)
    shown = Shown.of_answer(answer)
    if _wants_json(request):
        return _answer_json(event, shown, attended=answer.attended)
    return redirect(_door_url(event, scan=answer.scan_id))


@never_cache
@login_required
@require_GET
def door_search(request, pk):
    """The manual fallback's matches: the list alone for htmx, else the door page with it."""
    event = _door_event(request, pk)
    form = DoorSearchForm(request.GET)
    results = _search(event, form)
    status = 200 if form.is_valid() else 400
    if getattr(request, "htmx", False):
        return render(request, "events/door_search_results.html",
                      {"event": event, "search_form": form, "results": results}, status=status)
    return _render_door(request, event, search_form=form, results=results, status=status)


@never_cache
@login_required
@require_POST
def door_manual(request, pk, invitation_pk):
    """人工签到 of one invitation of the event (found by the search)."""
    event = _door_event(request, pk)
    invitation = get_object_or_404(Invitation.objects.select_related("event"), pk=invitation_pk, event=event)
    nonce = request.POST.get("nonce") or None
    try:
        answer = services.check_in_manually(actor=request.user, invitation=invitation, nonce=nonce)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("events:door", pk=event.pk)
    if _wants_json(request):
        return _answer_json(event, Shown.of_answer(answer), attended=answer.attended)
    q = (request.POST.get("q") or "").strip()[:50]
    return redirect(_door_url(event, scan=answer.scan_id, q=q))


@never_cache
@login_required
@require_POST
def door_walk_in(request, pk):
    """现场登记: someone at the door without an invitation (or its code) is registered and counted."""
    event = _door_event(request, pk)
    form = WalkInForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            checkin = services.register_walk_in(actor=request.user, event=event, name=data["name"],
                                                mobile=data["mobile"], organisation=data["organisation"],
                                                nonce=request.POST.get("nonce") or None)
        except ValidationError as exc:
            form.add_error(None, exc)
        except Refused as exc:
            messages.error(request, exc.message)
            return _render_door(request, event, walk_in_form=form, status=409)
        else:
            scan = checkin.scans.order_by("id").first()  # the door shows its answer: 签到成功 · 现场登记
            return redirect(_door_url(event, scan=scan.pk if scan else None))
    return _render_door(request, event, walk_in_form=form, status=400)


# --- the posted 签到码 ------------------------------------------------------------------------------------------
@never_cache
@login_required
@require_GET
def poster(request, pk):
    event = _door_event(request, pk)
    return render(request, "events/poster.html", {
        "event": event,
        "qr": qr.event_svg(event),
        "closed_reason": _closed_reason(event),
        "single_day": timezone.localtime(event.starts_at).date() == timezone.localtime(event.ends_at).date(),
    })


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def poster_renew(request, pk):
    """更换签到码 (after a confirmation): every copy printed before stops working."""
    event = _door_event(request, pk)
    if request.method == "POST":
        services.regenerate_checkin_code(actor=request.user, event=event)
        messages.success(request, "签到码已更换，之前打印张贴的签到码已全部失效，请重新打印张贴。")
        return redirect("events:poster", pk=event.pk)
    return render(request, "events/poster_renew.html", {
        "event": event,
        "breadcrumbs": [("活动", None), ("活动列表", "events:list"), (event.title, None), ("更换签到码", None)],
    })


# --- the sign-in sheet and the scan log -------------------------------------------------------------------------
def _method_tag(checkin):
    return "tag-info" if checkin.method == CheckIn.Method.WALK_IN else ""


def _checked_in_by(checkin):
    if checkin.method == CheckIn.Method.SELF:
        return "本人"
    return _who(checkin.checked_in_by)


def _checkins(request, event):
    form = CheckInSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, selectors.event_checkins(request.user, event, q=filters.get("q", ""),
                                          method=filters.get("method", ""))


SHEET_FIELDS = [
    ("姓名", lambda c: c.name),
    ("单位", lambda c: c.organisation),
    ("手机尾号", lambda c: c.mobile_tail),
    ("签到方式", lambda c: c.get_method_display()),
    ("签到时间", lambda c: timezone.localtime(c.checked_in_at).strftime("%Y-%m-%d %H:%M:%S")),
    ("操作人", _checked_in_by),
]


@never_cache
@login_required
@require_GET
def checkin_list(request, pk):
    event = _read_event(request, pk)
    form, qs = _checkins(request, event)
    organiser = role_of(request.user) in ORGANISER_ROLES
    toolbar = [Action("导出签到表", reverse("events:checkins_export", args=[event.pk])
                      + (f"?{request.GET.urlencode()}" if request.GET else ""))]
    toolbar.append(Action("扫描记录", reverse("events:scans", args=[event.pk])))
    if organiser:
        toolbar.insert(0, Action("现场签到", reverse("events:door", args=[event.pk]), "primary"))
    toolbar.append(Action("返回活动", reverse("events:detail", args=[event.pk])))
    page = ListPage(
        title=f"签到表 · {event.title}",
        breadcrumbs=[("活动", None), ("活动列表", "events:list"), (event.title, None), ("签到表", None)],
        search_form=form,
        columns=[
            Column("姓名", "name", sort="name"),
            Column("单位", lambda c: c.organisation or None, wrap=True),
            Column("手机尾号", lambda c: c.mobile_tail or None),
            Column("签到方式", "get_method_display", tag=_method_tag),
            Column("签到时间", lambda c: timezone.localtime(c.checked_in_at).strftime("%m-%d %H:%M"),
                   sort="checked_in_at"),
            Column("操作人", lambda c: _checked_in_by(c) or None),
        ],
        toolbar=toolbar,
        empty_text="没有符合条件的签到记录" if request.GET.get("q") or request.GET.get("method") else "暂无签到",
        default_sort="checked_in_at",
    )
    return render_list(request, page, qs)


@login_required
@require_GET
def checkin_export(request, pk):
    event = _read_event(request, pk)
    _form, qs = _checkins(request, event)
    rows = [[i, *(get(c) for _, get in SHEET_FIELDS)]
            for i, c in enumerate(qs.order_by("checked_in_at", "id"), start=1)]
    return audited_export(actor=request.user, title=f"{event.title[:40]}_签到表", object_type="events.checkin",
                          sheets=[("签到表", ["序号", *(h for h, _ in SHEET_FIELDS)], rows)],
                          detail={"rows": len(rows), "event": event.pk, "filters": request.GET.dict()},
                          text_columns={"签到表": ["手机尾号"]})


def _scan_shown_payload(scan):
    if scan.result != Scan.Result.REFUSED or not scan.payload or scan.payload.startswith(("manual:", "walk_in")):
        return None
    return scan.payload[:SHOWN_PAYLOAD] + ("…" if len(scan.payload) > SHOWN_PAYLOAD else "")


@never_cache
@login_required
@require_GET
def scan_list(request, pk):
    """扫描记录: every attempt at the door of the event (failed ones too), newest first, by result."""
    event = _read_event(request, pk)
    scans = selectors.scans_of(request.user, event)
    result = request.GET.get("result", "")
    result = result if result in Scan.Result.values else ""
    counts = dict(scans.order_by().values_list("result").annotate(n=Count("id")))
    base = reverse("events:scans", args=[event.pk])
    tabs = [Tab("全部", base, sum(counts.values()), active=not result)]
    tabs += [Tab(label, f"{base}?result={value}", counts.get(value, 0), active=result == value,
                 level="danger" if value == Scan.Result.REFUSED and counts.get(value) else "")
             for value, label in Scan.Result.choices]
    if result:
        scans = scans.filter(result=result)
    page = ListPage(
        title=f"扫描记录 · {event.title}",
        breadcrumbs=[("活动", None), ("活动列表", "events:list"), (event.title, None), ("扫描记录", None)],
        tabs=tabs,
        columns=[
            Column("扫描时间", lambda s: timezone.localtime(s.scanned_at).strftime("%m-%d %H:%M:%S"),
                   sort="scanned_at"),
            Column("结果", "get_result_display", tag=lambda s: RESULT_TAGS.get(s.result, "")),
            Column("原因", lambda s: REASONS.get(s.reason, s.reason) if s.reason else None),
            Column("提示", "message", wrap=True),
            Column("扫描内容", lambda s: _scan_shown_payload(s), wrap=True),
            Column("扫描人", lambda s: _who(s.scanned_by) or None),
        ],
        toolbar=[Action("签到表", reverse("events:checkins", args=[event.pk])),
                 Action("返回活动", reverse("events:detail", args=[event.pk]))],
        empty_text="暂无扫描记录",
        default_sort="-scanned_at",
    )
    return render_list(request, page, scans)

