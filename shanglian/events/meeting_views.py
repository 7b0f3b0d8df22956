"""Statutory meetings — the attendee list from the body's current term, the quorum, resolutions with their
votes and attachments, minutes, the charter's rule per body — and the rotating executive chair (轮值主席):
the roster every role reads, the plan its keepers make, one month's duty log. Thin: parse, call a selector or
service, render.

The meeting's part of an event's page is `meeting_context(user, event)`, rendered by the inclusion tag
`{% meeting_section event user %}` (templatetags/events_meetings.py) that `events/_meeting_section.html` holds.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from shanglian.accounts.roles import (
    EDITOR_ROLES,
    EVENT_READER_ROLES,
    ORGANISER_ROLES,
    Role,
    require_role,
    role_of,
)
from shanglian.common.errors import Refused
from shanglian.common.periods import MONTH, Period, shift_months
from shanglian.common.records import history
from shanglian.common.uploads import download_response
from shanglian.common.validators import is_id
from shanglian.orgs.models import Federation, Position
from shanglian.orgs.selectors import chambers_in_scope
from shanglian.ui.shortcuts import get_visible_or_404

from . import selectors, services
from .forms import DutyLogForm, MinutesForm, QuorumRuleForm, ResolutionForm, RosterPlanForm, RosterRangeForm
from .models import Body, Event, Invitation, ResolutionAttachment
from .workflow import EDITABLE_STATES

MEETING_STATES = (Event.Status.RUNNING, Event.Status.FINISHED)  # minutes and resolutions: once it has begun


def _is_editable(user, event):
    return role_of(user) in ORGANISER_ROLES and selectors.events_editable_by(user).filter(pk=event.pk).exists()


def _event_crumbs(event, *tail):
    # breadcrumbs link URL names without arguments only: the event itself is text
    return [("活动管理", None), ("活动列表", "events:list"), (event.title, None), *tail]


def _errors(exc):
    return "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


# --- the meeting's part of the event's page ------------------------------------------------------------------
def meeting_context(user, event):
    """What the event's page shows of a statutory meeting: the body and its current term, how many members the
    attendee list would hold, 应到/实到/quorum under the body's rule, the minutes, the resolutions, and what
    the user may do (generate the list while invitations may be sent; record a resolution — or why not)."""
    q = selectors.quorum(event)
    editable = _is_editable(user, event)
    term = selectors.current_term(event)
    if event.body == Body.CHAMBER_ASSEMBLY:
        members, member_unit = selectors.body_member_enterprises(event).count(), "家会员企业"
    else:
        members, member_unit = len(selectors.body_members(event)), "位组成人员"
    refusal = services.resolution_refusal(event, q)
    return {
        "event": event,
        "body_label": event.get_body_display(),
        "term": term,
        "members": members,
        "member_unit": member_unit,
        "quorum": q,
        "resolutions": event.resolutions.annotate(files=Count("attachments")).order_by("id"),
        "editable": editable,
        "rule_reader": role_of(user) in EVENT_READER_ROLES,
        "can_invite": editable and event.status in EDITABLE_STATES,
        "invite_refusal": "" if event.status in EDITABLE_STATES else
        f"活动{event.get_status_display()}，不能再生成参会名单。",
        "can_record": editable and refusal is None,
        "record_refusal": refusal.message if refusal is not None else "",
        "can_write_minutes": editable and event.status in MEETING_STATES,
    }


def _editable_event(request, pk):
    require_role(request.user, *ORGANISER_ROLES)
    return get_visible_or_404(selectors.events_editable_by(request.user), pk)


@never_cache
@login_required
@require_POST
def attendees_from_body(request, pk):
    """按机构生成参会名单: the body's members in the current term are invited (those already invited are kept)."""
    event = _editable_event(request, pk)
    try:
        created = services.invite_body(actor=request.user, event=event)
    except (Refused, ValidationError, PermissionDenied) as exc:
        messages.error(request, exc.message if isinstance(exc, Refused) else _errors(exc))
    else:
        total = event.invitations.exclude(status=Invitation.Status.CANCELLED).count()
        messages.success(request, f"已按{event.get_body_display()}生成参会名单：新增 {len(created)} 人，"
                                  f"名单现有 {total} 人（已在名单中的不重复邀请）。")
    return redirect("events:detail", pk=event.pk)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def minutes_edit(request, pk):
    event = _editable_event(request, pk)
    refusal = "" if event.status in MEETING_STATES else "会议开始后才能填写纪要。"
    form = MinutesForm(request.POST or None, initial={"minutes": event.minutes})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.save_minutes(actor=request.user, event=event, minutes=form.cleaned_data["minutes"])
        except Refused as exc:
            form.add_error(None, exc.message)
            status = 409
        else:
            messages.success(request, "会议纪要已保存。")
            return redirect("events:detail", pk=event.pk)
    elif form.is_bound:
        status = 400
    return render(request, "events/meeting_minutes.html", {
        "event": event, "form": form, "refusal": refusal, "title": "会议纪要",
        "breadcrumbs": _event_crumbs(event, ("会议纪要", None)),
    }, status=status)


# --- resolutions -------------------------------------------------------------------------------------------------
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def resolution_create(request, pk):
    """记录决议: refused (with the reason, nothing written) unless the meeting has begun and met its quorum."""
    event = _editable_event(request, pk)
    form = ResolutionForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            resolution = services.record_resolution(actor=request.user, event=event, **form.service_kwargs())
        except Refused as exc:
            form.add_error(None, exc.message)
            status = 409
        except ValidationError as exc:
            form.add_error(None, exc)
            status = 400
        else:
            messages.success(request, f"已记录决议“{resolution.title}”：{'通过' if resolution.passed else '未通过'}。")
            return redirect("events:resolution", pk=resolution.pk)
    elif form.is_bound:
        status = 400
    q = selectors.quorum(event)
    refusal = services.resolution_refusal(event, q)
    return render(request, "events/resolution_form.html", {
        "event": event, "form": form, "quorum": q, "refusal": refusal.message if refusal is not None else "",
        "title": "记录决议", "breadcrumbs": _event_crumbs(event, ("记录决议", None)),
    }, status=status)


@never_cache
@login_required
def resolution_detail(request, pk):
    require_role(request.user, *EVENT_READER_ROLES)
    resolution = get_visible_or_404(selectors.resolutions_visible_to(request.user), pk)
    event = resolution.event
    return render(request, "events/resolution_detail.html", {
        "resolution": resolution, "event": event, "attachments": resolution.attachments.order_by("id"),
        "history": history(resolution)[:50],
        "breadcrumbs": _event_crumbs(event, ("决议", None)),
    })


@login_required
def resolution_attachment(request, pk):
    """An attachment of a resolution, only to users who may see its meeting (404 otherwise, audited)."""
    require_role(request.user, *EVENT_READER_ROLES)
    attachment = get_object_or_404(ResolutionAttachment, pk=pk)
    get_visible_or_404(selectors.resolutions_visible_to(request.user), attachment.resolution_id)
    return download_response(services.ATTACHMENT_FOLDER, attachment)


# --- the charter's rules -----------------------------------------------------------------------------------------
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def quorum_rules(request):
    """议事规则 per body of the user's federation: the federation's roles and chamber secretaries read them,
    editors set them (`?body=` opens one body's form)."""
    rows = selectors.quorum_rules_of(request.user)
    editor = role_of(request.user) in EDITOR_ROLES
    if request.method == "POST" and not editor:
        raise PermissionDenied("只有工商联工作人员可以设置议事规则。")
    form, status = None, 200
    if request.method == "POST":
        form = QuorumRuleForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                rule = services.save_quorum_rule(actor=request.user, **data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"已保存{rule.get_body_display()}的议事规则。")
                return redirect("events:quorum_rules")
        status = 400
    elif editor and request.GET.get("body") in Body.values:
        body = request.GET["body"]
        rule = next(rule for b, rule, _own in rows if b == body)
        form = QuorumRuleForm(initial={"body": body, "quorum_numerator": rule.quorum_numerator,
                                       "quorum_denominator": rule.quorum_denominator,
                                       "pass_numerator": rule.pass_numerator,
                                       "pass_denominator": rule.pass_denominator})
    editing = Body(form["body"].value()).label if form is not None and form["body"].value() in Body.values else ""
    federation_id = selectors.home_federation_id(request.user)
    return render(request, "events/quorum_rules.html", {
        "rows": rows, "editor": editor, "form": form, "editing": editing,
        "federation": Federation.objects.filter(pk=federation_id).first(),
        "breadcrumbs": [("活动管理", None), ("议事规则", None)],
    }, status=status)


# --- the rotating chair -------------------------------------------------------------------------------------------
def _keeps_roster(user, *, federation_id, chamber):
    """Whether `user` plans this roster and writes its log: the federation's editors for the federation's,
    the federation's editors and the chamber's secretary for a chamber's (as `services.plan_roster` checks)."""
    role = role_of(user)
    if chamber is None:
        return role in EDITOR_ROLES and user.federation_id == federation_id
    return role in ORGANISER_ROLES and chambers_in_scope(user).filter(pk=chamber.pk).exists()


def _chamber_param(request, value):
    """`?chamber=<id>`: a chamber the user sees (403 for a role without chambers, 404 outside its scope)."""
    if not value:
        return None
    require_role(request.user, *EVENT_READER_ROLES)
    return get_visible_or_404(chambers_in_scope(request.user), value if is_id(value) else 0)


def _roster_words(chamber):
    return ("轮值会长", "会长、副会长") if chamber is not None else ("轮值主席", "主席、副主席")


@never_cache
@login_required
def roster(request):
    """The rotating chair's twelve months of a year, for every role: the federation's, or with `?chamber=`
    a chamber's (the federation's roles and the chamber's secretary)."""
    user = request.user
    chamber = _chamber_param(request, request.GET.get("chamber"))
    today = timezone.localdate()
    raw_year, status, year_error = request.GET.get("year", ""), 200, ""
    year = today.year
    if raw_year:
        if raw_year.isascii() and raw_year.isdigit() and 2000 <= int(raw_year) <= 2100:
            year = int(raw_year)
        else:
            year_error, status = f"年份“{raw_year[:10]}”无效，已显示{today.year}年。", 400
    duties = {d.month: d for d in selectors.roster(user, year=year, chamber=chamber)}
    months = [datetime.date(year, m, 1) for m in range(1, 13)]
    rows = [{"month": month, "label": Period.of(MONTH, month).label, "duty": duties.get(month),
             "current": month == today.replace(day=1)} for month in months]
    federation_id = chamber.federation_id if chamber is not None else selectors.home_federation_id(user)
    role = role_of(user)
    chambers = []
    if role in EVENT_READER_ROLES:
        chambers = list(chambers_in_scope(user).order_by("name").values_list("pk", "name")[:500])
    noun, titles = _roster_words(chamber)
    owner = chamber.name if chamber is not None else (
        Federation.objects.filter(pk=federation_id).values_list("name", flat=True).first() or "")
    context = {
        "rows": rows, "year": year, "years": (year - 1, year + 1), "chamber": chamber, "chambers": chambers,
        "owner": owner, "noun": noun, "titles": titles, "year_error": year_error,
        "this_month": duties.get(today.replace(day=1)) if year == today.year else None,
        "planned": len(duties), "today": today,
        "can_plan": _keeps_roster(user, federation_id=federation_id, chamber=chamber),
        "chamber_query": f"&chamber={chamber.pk}" if chamber is not None else "",
        "breadcrumbs": [("活动管理", None), ("轮值主席", None)],
    }
    template = "events/roster_h5.html" if role == Role.ENTERPRISE else "events/roster.html"
    return render(request, template, context, status=status)


def _candidates(*, federation, chamber, months):
    """The positions that may hold the chair in at least one of `months` (the service checks each month)."""
    ids = set()
    for month in months:
        ids |= set(selectors.chair_candidates(federation=federation, chamber=chamber, month=month)
                   .values_list("pk", flat=True))
    return Position.objects.filter(pk__in=ids).select_related("person", "term").order_by("title", "person__name", "id")


def _default_start(federation, chamber):
    """The month after the roster's last planned month (a plan continues it), or this month for a new roster."""
    this_month = timezone.localdate().replace(day=1)
    owned = federation.chair_duties.filter(chamber=chamber) if chamber is not None else \
        federation.chair_duties.filter(chamber__isnull=True)
    last = owned.order_by("-month").values_list("month", flat=True).first()
    return shift_months(last, 1) if last else this_month


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def roster_plan(request):
    """排班: the chair and seconded staff of consecutive months from a start month. The federation's roster is
    planned by its editors, a chamber's (`?chamber=`; a chamber secretary's own by default) by its secretary
    and the federation's editors. A refusal (a month twice, a gap, not a chair that month) is shown on the
    form and nothing is written."""
    user = request.user
    role = role_of(user)
    params = request.POST if request.method == "POST" else request.GET
    chamber_id = params.get("chamber") or (user.chamber_id if role == Role.CHAMBER else None)
    if chamber_id:
        require_role(user, *ORGANISER_ROLES)
        chamber = _chamber_param(request, chamber_id)
        federation = chamber.federation
    else:
        require_role(user, *EDITOR_ROLES)
        chamber, federation = None, Federation.objects.filter(pk=selectors.home_federation_id(user)).first()
        if federation is None:
            raise PermissionDenied("您的账号未关联工商联，不能安排轮值主席。")
    if not _keeps_roster(user, federation_id=federation.pk, chamber=chamber):
        raise PermissionDenied("您无权安排该轮值表。")
    noun, titles = _roster_words(chamber)

    start = _default_start(federation, chamber)
    range_form = RosterRangeForm(params if request.method == "POST" or "start" in params else None,
                                 initial={"start": f"{start:%Y-%m}", "months": 12})
    status = 200
    if range_form.is_bound:
        if range_form.is_valid():
            start, count = range_form.cleaned_data["start"], range_form.cleaned_data["months"]
        else:
            status, count = 400, 12
    else:
        count = 12
    months = [start]
    while len(months) < count:
        months.append(shift_months(months[-1], 1))
    candidates = _candidates(federation=federation, chamber=chamber, months=months)
    existing = {d.month: d for d in (federation.chair_duties.filter(chamber=chamber) if chamber is not None else
                                     federation.chair_duties.filter(chamber__isnull=True)).filter(month__in=months)}
    initial = {}
    for i, month in enumerate(months):
        if month in existing:
            initial[f"chair_{i}"] = existing[month].position_id
            initial[f"staff_{i}"] = existing[month].seconded_staff
    bound = request.method == "POST" and range_form.is_valid()
    form = RosterPlanForm(request.POST if bound else None, initial=initial, months=months, candidates=candidates,
                          title=noun)
    if request.method == "POST":
        if bound and form.is_valid():
            try:
                services.plan_roster(actor=user, rows=form.plan(), chamber=chamber)
            except Refused as exc:
                form.add_error(None, exc.message)
                status = 409
            except ValidationError as exc:
                form.add_error(None, exc)
                status = 400
            else:
                first, last = Period.of(MONTH, months[0]).label, Period.of(MONTH, months[-1]).label
                messages.success(request, f"已保存{first}至{last}的{noun}安排。")
                query = f"?year={months[0].year}" + (f"&chamber={chamber.pk}" if chamber is not None else "")
                return redirect(reverse("events:roster") + query)
        else:
            status = 400
    return render(request, "events/roster_plan.html", {
        "range_form": range_form, "form": form, "chamber": chamber, "noun": noun, "titles": titles,
        "owner": chamber.name if chamber is not None else federation.name, "months": months,
        "replaced": [Period.of(MONTH, m).label for m in months if m in existing], "no_candidates": not candidates.exists(),
        "roster_url": reverse("events:roster") + (f"?chamber={chamber.pk}" if chamber is not None else ""),
        "breadcrumbs": [("活动管理", None), ("轮值主席", "events:roster"), ("排班", None)],
    }, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def duty_detail(request, pk):
    """One month of the roster: the chair, the seconded staff, the duty log (its appeals and events linked
    where the reader sees them) and, for the roster's keepers, a form to add an entry."""
    user = request.user
    duty = get_visible_or_404(selectors.duties_visible_to(user), pk)
    keeper = _keeps_roster(user, federation_id=duty.federation_id, chamber=duty.chamber)
    if request.method == "POST" and not keeper:
        raise PermissionDenied("您无权填写该月的值班日志。")
    form, status = None, 200
    if keeper:
        from shanglian.appeals.selectors import appeals_visible_to

        today = timezone.localdate()
        day = today if today.replace(day=1) == duty.month else duty.month
        form = DutyLogForm(request.POST or None, initial={"day": day}, appeals=appeals_visible_to(user),
                           events=selectors.events_visible_to(user))
        if request.method == "POST":
            if form.is_valid():
                data = form.cleaned_data
                try:
                    services.write_duty_log(actor=user, duty=duty, day=data["day"], content=data["content"],
                                            appeals=data["appeal_numbers"], events=data["event_numbers"])
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    messages.success(request, "已记录值班日志。")
                    return redirect("events:duty", pk=duty.pk)
            status = 400
    noun, _titles = _roster_words(duty.chamber)
    entries = list(selectors.duty_log(user, duty))
    for entry in entries:
        entry.hidden_appeals = entry.appeal_count - len(entry.shown_appeals)
        entry.hidden_events = entry.event_count - len(entry.shown_events)
    context = {
        "duty": duty, "label": Period.of(MONTH, duty.month).label, "noun": noun, "entries": entries,
        "form": form, "keeper": keeper,
        "roster_url": reverse("events:roster") + f"?year={duty.month.year}" + (
            f"&chamber={duty.chamber_id}" if duty.chamber_id else ""),
        "breadcrumbs": [("活动管理", None), ("轮值主席", "events:roster"), (Period.of(MONTH, duty.month).label, None)],
    }
    template = "events/duty_h5.html" if role_of(user) == Role.ENTERPRISE else "events/duty.html"
    return render(request, template, context, status=status)

