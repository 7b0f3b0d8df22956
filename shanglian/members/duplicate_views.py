"""查重与合并 pages (EDITOR_ROLES, the federations in their scope): the queue of suspected duplicates (待处理 / 非重复)
with 查找疑似重复, one pair side by side (every field, what each record carries) choosing the record to keep, the
merge's confirmation (what moves, what is folded, what refuses it) and the merge, 非重复, the merge log and one
merge explained. Thin: parse, call `duplicates` (reads, the scan) or `merging` (writes), render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from shanglian.common.errors import Refused
from shanglian.common.periods import day_text, local_day
from shanglian.ui.listing import Action, Column, ListPage, Tab, render_list
from shanglian.ui.records import staff_page
from shanglian.ui.shortcuts import get_visible_or_404

from . import duplicates, merging
from .duplicate_forms import CandidateSearchForm, DismissForm, MergeForm, MergeSearchForm
from .models import DuplicateCandidate

CRUMBS = [("会员管理", None), ("疑似重复", "members:duplicates")]
MERGE_CRUMBS = [("会员管理", None), ("合并记录", "members:merges")]


def _moment(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _record_link(obj):
    return obj.get_absolute_url() if obj is not None else ""


# --- the queue --------------------------------------------------------------------------------------------------
@never_cache
@login_required
def duplicate_list(request):
    duplicates.candidates_visible_to(request.user)  # 403 before anything else
    form = CandidateSearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        qs, status = DuplicateCandidate.objects.none(), DuplicateCandidate.Status.OPEN
    else:
        filters = form.filters() if form.is_bound else {}
        qs = duplicates.candidate_list(request.user, filters=filters)
        status = filters.get("status") or DuplicateCandidate.Status.OPEN
    base = reverse("members:duplicates")
    counts = {value: duplicates.candidates_visible_to(request.user).filter(status=value).count()
              for value, _label in DuplicateCandidate.Status.choices if value != DuplicateCandidate.Status.MERGED}
    tabs = [Tab("待处理", base, counts[DuplicateCandidate.Status.OPEN], active=status == DuplicateCandidate.Status.OPEN),
            Tab("非重复", f"{base}?status=dismissed", counts[DuplicateCandidate.Status.DISMISSED],
                active=status == DuplicateCandidate.Status.DISMISSED)]

    def detail(c):
        return reverse("members:duplicate", args=[c.pk])

    def row_actions(c):
        actions = [Action("比对", detail(c))]
        if c.status == DuplicateCandidate.Status.OPEN:
            actions.append(Action("非重复", reverse("members:duplicate_dismiss", args=[c.pk])))
        return actions

    if form.is_bound and not form.is_valid():
        empty = "搜索条件有误：" + "；".join(str(e) for errors in form.errors.values() for e in errors)
    else:
        empty = "没有找到符合条件的疑似重复" if request.GET.get("q") else "暂无疑似重复记录"
    page = ListPage(
        title="疑似重复",
        breadcrumbs=[("会员管理", None), ("疑似重复", None)],
        search_form=form if form.is_bound else CandidateSearchForm(),
        toolbar=[Action("查找疑似重复", reverse("members:duplicates_scan"), style="primary"),
                 Action("合并记录", reverse("members:merges"))],
        tabs=tabs,
        columns=[
            Column("类型", lambda c: c.get_kind_display()),
            Column("记录一", lambda c: str(c.first), link=detail, wrap=True),
            Column("记录二", lambda c: str(c.second), wrap=True),
            Column("疑似原因", lambda c: "、".join(duplicates.reason_labels(c.reasons)), wrap=True),
            Column("发现时间", lambda c: day_text(local_day(c.found_at)), sort="found_at"),
            Column("状态", lambda c: c.get_status_display(),
                   tag=lambda c: "tag-warning" if c.status == DuplicateCandidate.Status.OPEN else "tag-muted"),
        ],
        row_actions=row_actions,
        empty_text=empty,
        default_sort="-found_at",
    )
    return render_list(request, page, qs)


@staff_page
def duplicate_scan(request):
    """GET: what 查找 does; POST: scan the federations in scope and queue the new pairs."""
    duplicates.candidates_visible_to(request.user)
    if request.method == "POST":
        result = duplicates.scan_for(request.user)
        messages.success(request, f"查找完成：发现疑似重复 {result.found} 组，新增待处理 {result.created} 组"
                                  f"（已标为非重复的 {result.dismissed} 组不再提示）。")
        return redirect("members:duplicates")
    return render(request, "members/duplicates/scan.html", {
        "reasons": duplicates.REASONS.values(), "breadcrumbs": [*CRUMBS, ("查找疑似重复", None)]})


# --- one pair ---------------------------------------------------------------------------------------------------
def _side_by_side(first, second):
    """[(label, first text, second text, differs)] of every field of both records (personal values masked)."""
    a, b = merging.masked_snapshot(first), merging.masked_snapshot(second)
    rows = [("编号", str(first.pk), str(second.pk), False)]
    rows += [(label, a.get(label, ""), b.get(label, ""), a.get(label, "") != b.get(label, "")) for label in a]
    rows.append(("登记时间", _moment(first.created_at), _moment(second.created_at), False))
    return rows


def _carried(first, second):
    """[(table, rows of the first, rows of the second)]."""
    a, b = dict(merging.related_counts(first)), dict(merging.related_counts(second))
    return [(label, a.get(label, 0), b.get(label, 0)) for label in sorted(set(a) | set(b))]


@never_cache
@login_required
def duplicate_detail(request, pk):
    candidate = get_visible_or_404(duplicates.candidates_visible_to(request.user), pk)
    if candidate.status == DuplicateCandidate.Status.MERGED:  # one side is gone: its merge record explains it
        merge_record = candidate.merges.order_by("-pk").first()
        if merge_record is None:
            raise Http404("该合并记录不存在。")
        return redirect("members:merge", pk=merge_record.pk)
    first, second = candidate.first, candidate.second
    form = MergeForm(initial={"keep": "first"})
    return render(request, "members/duplicates/detail.html", {
        "candidate": candidate, "first": first, "second": second, "form": form,
        "rows": _side_by_side(first, second), "carried": _carried(first, second),
        "reasons": duplicates.reason_labels(candidate.reasons),
        "is_open": candidate.status == DuplicateCandidate.Status.OPEN,
        "breadcrumbs": [*CRUMBS, (str(candidate), None)]})


def _kept_and_absorbed(candidate, keep):
    return (candidate.first, candidate.second) if keep == "first" else (candidate.second, candidate.first)


@staff_page
def duplicate_merge(request, pk):
    """GET ?keep=first|second: what the merge would do (moved, folded, what refuses it) and the confirmation;
    POST: merge."""
    candidate = get_visible_or_404(duplicates.candidates_visible_to(request.user), pk)
    if candidate.status != DuplicateCandidate.Status.OPEN:
        messages.error(request, "这组疑似重复已被处理（合并或标为非重复）。")
        return redirect("members:duplicate", pk=candidate.pk)
    data = request.POST if request.method == "POST" else None
    keep = (request.POST.get("keep") if data else request.GET.get("keep")) or "first"
    if keep not in ("first", "second"):
        keep = "first"
    form = MergeForm(data, initial={"keep": keep})
    status = 200
    if data is not None:
        if form.is_valid():
            kept, absorbed = _kept_and_absorbed(candidate, form.cleaned_data["keep"])
            try:
                merge_record = merging.merge(actor=request.user, kept=kept, absorbed=absorbed,
                                             reason=form.cleaned_data["reason"], candidate=candidate)
            except Refused as exc:
                form.add_error(None, exc.message)
                status = 409
            else:
                messages.success(request, f"已将“{merge_record.absorbed_name}”合并到“{kept}”，"
                                          f"迁移关联记录 {sum(len(v['ids']) for v in merge_record.moved.values())} 条。")
                return redirect("members:merge", pk=merge_record.pk)
        else:
            status = 400
        keep = request.POST.get("keep") if request.POST.get("keep") in ("first", "second") else "first"
    kept, absorbed = _kept_and_absorbed(candidate, keep)
    if kept.federation_id != absorbed.federation_id:
        blockers = [f"两条记录属于不同的工商联（{kept.federation}、{absorbed.federation}），不能合并"]
        rows = []
    else:
        preview = merging.plan(kept, absorbed)
        blockers, rows = preview.blockers, preview.rows()
    return render(request, "members/duplicates/merge.html", {
        "candidate": candidate, "kept": kept, "absorbed": absorbed, "keep": keep, "form": form,
        "blockers": blockers, "rows": rows,
        "breadcrumbs": [*CRUMBS, (str(candidate), None),
                        ("合并", None)]}, status=status)


@staff_page
def duplicate_dismiss(request, pk):
    candidate = get_visible_or_404(duplicates.candidates_visible_to(request.user), pk)
    form = DismissForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                merging.decide_dismiss(actor=request.user, candidate=candidate, note=form.cleaned_data["note"])
            except Refused as exc:
                messages.error(request, exc.message)
                return redirect("members:duplicate", pk=candidate.pk)
            messages.success(request, f"已将“{candidate}”标为非重复，以后不再提示。")
            return redirect("members:duplicates")
        status = 400
    return render(request, "members/duplicates/dismiss.html", {
        "candidate": candidate, "form": form, "is_open": candidate.status == DuplicateCandidate.Status.OPEN,
        "breadcrumbs": [*CRUMBS, (str(candidate), None),
                        ("非重复", None)]}, status=status)


# --- the merge log ----------------------------------------------------------------------------------------------
def _kept_of(m):
    return m.kept_enterprise or m.kept_person


@never_cache
@login_required
def merge_list(request):
    duplicates.merges_visible_to(request.user)
    form = MergeSearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        qs = duplicates.merges_visible_to(request.user).none()
    else:
        qs = duplicates.merge_list(request.user, filters=form.filters() if form.is_bound else {})

    def detail(m):
        return reverse("members:merge", args=[m.pk])

    page = ListPage(
        title="合并记录",
        breadcrumbs=[("会员管理", None), ("合并记录", None)],
        search_form=form if form.is_bound else MergeSearchForm(),
        toolbar=[Action("疑似重复", reverse("members:duplicates"))],
        columns=[
            Column("类型", lambda m: m.get_kind_display()),
            Column("被合并记录", lambda m: f"{m.absorbed_name}（编号 {m.absorbed_id}）", link=detail, wrap=True),
            Column("保留记录", lambda m: str(_kept_of(m) or ""), link=lambda m: _record_link(_kept_of(m)), wrap=True),
            Column("迁移关联记录", lambda m: f"{sum(len(v.get('ids', [])) for v in m.moved.values())} 条"),
            Column("合并人", lambda m: str(m.merged_by)),
            Column("合并时间", lambda m: _moment(m.merged_at), sort="merged_at"),
        ],
        row_actions=lambda m: [Action("查看", detail(m))],
        empty_text="没有找到符合条件的合并记录" if request.GET.get("q") else "暂无合并记录",
        default_sort="-merged_at",
    )
    return render_list(request, page, qs)


@never_cache
@login_required
def merge_detail(request, pk):
    merge_record = get_visible_or_404(duplicates.merges_visible_to(request.user), pk)
    snapshot = merge_record.absorbed_snapshot or {}
    candidate = snapshot.get("candidate") or {}
    kept = _kept_of(merge_record)
    if kept is None:
        raise PermissionDenied("您没有访问该功能的权限。")
    return render(request, "members/duplicates/merge_detail.html", {
        "merge": merge_record, "kept": kept, "fields": list((snapshot.get("fields") or {}).items()),
        "candidate_reasons": duplicates.reason_labels(candidate.get("reasons") or []),
        "moved": [(item["label"], item["ids"]) for item in merge_record.moved.values()],
        "folded": [(item["label"], item["rows"]) for item in merge_record.folded.values()],
        "moved_total": sum(len(item["ids"]) for item in merge_record.moved.values()),
        "merged_at": _moment(merge_record.merged_at),
        "breadcrumbs": [*MERGE_CRUMBS, (merge_record.absorbed_name, None)]})
