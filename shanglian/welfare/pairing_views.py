"""Pages of 结对帮扶 (pairings) and 帮扶村覆盖 (the target villages' coverage). Thin: parse, call a selector or a
service, render.

- 结对帮扶: the list with its filters (帮扶方或村名, 帮扶类型, 帮扶方, 状态 on a day, 所在县（区）, 帮扶目标村, 商会) and its
  export (`audited_export`), 新增/编辑/删除 (the keepers, `WELFARE_KEEPER_ROLES`: an editor any pairing of its
  federations, a chamber secretary its own chamber's and its active member enterprises'; a leader reads only), one
  pairing's page (its commitment against what was delivered, the village's other pairings — those of the reader's
  scope named, the others counted — and, for the editors, its 变更记录).
- 帮扶村覆盖: the target villages of the reader's federations on a day (today by default), how many are paired, the
  rate (paired target villages ÷ target villages, 无数据 when there are none), the unpaired villages first (with
  新增结对 for the keepers) and then the paired ones with their partners. A chamber secretary sees its federation's
  target villages and which are paired (village names are not personal data; coverage is the federation's work),
  but names only the partners of its own scope's pairings — the others of a village are counted
  (`selectors.pairings.coverage_rows`).

Readers: `MEMBER_READER_ROLES` (the scopes' refusal for the others: 403); another scope's pairing is 404.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from shanglian.common.money import yuan_text
from shanglian.common.periods import day_text
from shanglian.common.records import history
from shanglian.common.validators import is_id
from shanglian.imports.exports import audited_export
from shanglian.ui.figures import NO_DATA, share
from shanglian.ui.listing import Action, Column, ListPage, export_action, render_list
from shanglian.ui.periods import PeriodForm
from shanglian.ui.records import delete_page, edit_page, staff_page
from shanglian.ui.shortcuts import get_visible_or_404

from .forms import pairings as forms
from .selectors import pairings as selectors
from .selectors.scopes import pairings_visible_to
from .services import pairings as services

GROUP = ("光彩公益", None)
CRUMBS = [GROUP, ("结对帮扶", "welfare:pairings")]
HISTORY_ROWS = 50
STATUS_TAGS = {"在期": "tag-success", "未开始": "tag-info", "已结束": "tag-muted"}


def _partner_kind(p):
    return "企业" if p.enterprise_id else "商会"


def _partner_url(p):
    if p.enterprise_id:
        return reverse("members:enterprise_detail", args=[p.enterprise_id])
    return reverse("orgs:chamber_detail", args=[p.chamber_id])


EXPORT_FIELDS = [
    ("结对村", lambda p, on: p.village.name),
    ("所在县（区）", lambda p, on: p.village.county),
    ("帮扶目标村", lambda p, on: "是" if p.village.is_target else "否"),
    ("帮扶方类型", lambda p, on: _partner_kind(p)),
    ("帮扶方", lambda p, on: str(p.partner)),
    ("帮扶类型", lambda p, on: p.get_kind_display()),
    ("开始日期", lambda p, on: day_text(p.start)),
    ("结束日期", lambda p, on: day_text(p.end)),
    ("状态", lambda p, on: selectors.status_of(p, on)),
    ("承诺投入（元）", lambda p, on: p.committed_amount),
    ("已投入（元）", lambda p, on: p.delivered_amount),
    ("帮扶承诺", lambda p, on: p.commitment),
    ("落实情况", lambda p, on: p.delivered),
    ("备注", lambda p, on: p.note),
]


# --- the list ----------------------------------------------------------------------------------------------------
def _pairings(request):
    user = request.user
    pairings_visible_to(user)  # 403 before anything else for a role without 光彩公益
    form = forms.PairingSearchForm(request.GET or None, user=user)
    data = form.cleaned_data if form.is_valid() else {}
    on = data.get("on") or timezone.localdate()
    return form, on, selectors.pairing_list(user, filters=data, on=on)


@never_cache
@login_required
def pairing_list(request):
    form, on, qs = _pairings(request)
    keeper = selectors.can_keep(request.user)
    toolbar = [Action("新增结对", reverse("welfare:pairing_create"), "primary")] if keeper else []
    toolbar += [export_action(request, "welfare:pairings_export"),
                Action("帮扶村覆盖", reverse("welfare:village_coverage"))]

    def detail(p):
        return reverse("welfare:pairing", args=[p.pk])

    def actions(p):
        shown = [Action("查看", detail(p))]
        if keeper:
            shown.append(Action("编辑", reverse("welfare:pairing_edit", args=[p.pk])))
        return shown

    page = ListPage(
        title="结对帮扶",
        breadcrumbs=[GROUP, ("结对帮扶", None)],
        search_form=form,
        toolbar=toolbar,
        columns=[
            Column("结对村", "village.name", link=detail, sort="village__name", wrap=True),
            Column("所在县（区）", "village.county"),
            Column("帮扶方", lambda p: f"{_partner_kind(p)}：{p.partner}", link=_partner_url, wrap=True),
            Column("帮扶类型", "get_kind_display", sort="kind"),
            Column("开始日期", lambda p: day_text(p.start), sort="start"),
            Column("结束日期", lambda p: day_text(p.end) or None, sort="end"),
            Column("状态", lambda p: selectors.status_of(p, on), tag=lambda p: STATUS_TAGS[selectors.status_of(p, on)]),
            Column("承诺投入（元）", lambda p: yuan_text(p.committed_amount), sort="committed_amount"),
            Column("已投入（元）", lambda p: yuan_text(p.delivered_amount), sort="delivered_amount"),
        ],
        row_actions=actions,
        empty_text="没有找到符合条件的结对帮扶" if request.GET else "暂无结对帮扶",
        default_sort="-start",
    )
    return render_list(request, page, qs)


@login_required
def pairing_export(request):
    _form, on, qs = _pairings(request)
    rows = [[get(p, on) for _, get in EXPORT_FIELDS] for p in qs.order_by("-start", "-id")]
    return audited_export(actor=request.user, title="结对帮扶", object_type="welfare.pairing",
                          sheets=[("结对帮扶", [header for header, _ in EXPORT_FIELDS], rows)],
                          detail={"rows": len(rows), "filters": request.GET.dict(), "on": on.isoformat()})


# --- one pairing ---------------------------------------------------------------------------------------------------
@never_cache
@login_required
def pairing_detail(request, pk):
    user = request.user
    pairing = get_visible_or_404(pairings_visible_to(user), pk)
    today = timezone.localdate()
    keeper = selectors.can_keep(user)
    others, hidden = selectors.village_pairings(user, pairing)
    for other in others:
        other.status = selectors.status_of(other, today)
    status = selectors.status_of(pairing, today)
    editor = selectors.is_editor(user)
    return render(request, "welfare/pairings/detail.html", {
        "pairing": pairing, "status": status, "status_tag": STATUS_TAGS[status], "today": today,
        "partner_url": _partner_url(pairing), "partner_kind": _partner_kind(pairing),
        "committed": yuan_text(pairing.committed_amount), "delivered_amount": yuan_text(pairing.delivered_amount),
        "progress": _progress(pairing), "others": others, "hidden": hidden,
        "edit_url": reverse("welfare:pairing_edit", args=[pk]) if keeper else "",
        "delete_url": reverse("welfare:pairing_delete", args=[pk]) if keeper else "",
        "village_url": pairing.village.get_absolute_url() if selectors.reads_village_pages(user) else "",
        "history": list(history(pairing)[:HISTORY_ROWS]) if editor else None,
        "breadcrumbs": [*CRUMBS, (str(pairing.village), None)],
    })


def _progress(pairing):
    """已投入 ÷ 承诺投入 as a percentage with one decimal (None when nothing was committed)."""
    if not pairing.committed_amount or pairing.delivered_amount is None:
        return None
    return share(pairing.delivered_amount, pairing.committed_amount)


def _save(user, pairing=None):
    return lambda form: services.save_pairing(actor=user, pairing=pairing, **form.cleaned_data)


def _initial(request):
    """新增结对 from a village (the coverage page) or an enterprise (its 360° page): `?village=` / `?enterprise=`."""
    initial = {}
    for name in ("village", "enterprise", "chamber"):
        value = request.GET.get(name, "")
        if is_id(value):
            initial[name] = int(value)
    return initial


@staff_page
def pairing_create(request):
    selectors.pairings_editable_by(request.user)  # 403 for a reader
    form = forms.PairingForm(request.POST or None, user=request.user, initial=_initial(request))
    return edit_page(request, form=form, save=_save(request.user), title="新增结对帮扶",
                     intro="企业或商会与村结对（二选一），结对村须与帮扶方属于同一工商联；金额以元为单位，精确到分。",
                     breadcrumbs=[*CRUMBS, ("新增", None)], sections=forms.SECTIONS,
                     cancel_url=reverse("welfare:pairings"))


@staff_page
def pairing_edit(request, pk):
    pairing = get_visible_or_404(selectors.pairings_editable_by(request.user), pk)
    form = forms.PairingForm(request.POST or None, user=request.user, instance=pairing)
    return edit_page(request, form=form, save=_save(request.user, pairing), title="编辑结对帮扶",
                     subject=str(pairing), sections=forms.SECTIONS,
                     breadcrumbs=[*CRUMBS, (str(pairing.village), None), ("编辑", None)],
                     cancel_url=pairing.get_absolute_url())


@staff_page
def pairing_delete(request, pk):
    pairing = get_visible_or_404(selectors.pairings_editable_by(request.user), pk)
    return delete_page(request, obj=pairing,
                       delete=lambda: services.delete_pairing(actor=request.user, pairing=pairing),
                       cancel_url=pairing.get_absolute_url(), done_url=reverse("welfare:pairings"),
                       breadcrumbs=[*CRUMBS, (str(pairing.village), None), ("删除", None)])


# --- 帮扶村覆盖 -------------------------------------------------------------------------------------------------------
@never_cache
@login_required
def village_coverage(request):
    user = request.user
    form = PeriodForm(request.GET or None, fields=("on",))
    on = form.as_of()
    found = selectors.coverage(user, on=on)  # 403 first for a role without 光彩公益
    unpaired, paired = selectors.coverage_rows(user, on=on)
    return render(request, "welfare/pairings/coverage.html", {
        "form": form.shown(), "on": on, "coverage": found, "rate": NO_DATA if found.rate is None else f"{found.rate}%",
        "unpaired": unpaired, "paired": paired, "keeper": selectors.can_keep(user),
        "in_force_url": f"{reverse('welfare:pairings')}?{urlencode({'status': 'in_force', 'on': on.isoformat()})}",
        "statistics_url": reverse("welfare:statistics"),
        "breadcrumbs": [GROUP, ("帮扶村覆盖", None)],
    })
