"""Pages of the friendly organisations (友好商会/对外交流): the partners with their agreements and exchanges, and
导出; one partner's page; 新增/编辑/删除 of a partner, an agreement and an exchange; the list of every exchange (来访
and 出访, with the visits and delegates of what is listed) and its 导出. The federation's roles read; the editors
keep them. Thin: parse, call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from shanglian.common.records import history
from shanglian.imports.exports import audited_export
from shanglian.ui.listing import Action, Column, ListPage, export_action, render_list
from shanglian.ui.records import delete_page, edit_page, staff_page
from shanglian.ui.shortcuts import get_visible_or_404

from .forms.partners import AgreementForm, ExchangeForm, ExchangeSearchForm, PartnerForm, PartnerSearchForm
from .models import Exchange, Partner
from .selectors import partners as selectors
from .selectors.scopes import partners_visible_to
from .services import partners as services

GROUP = ("通知调研与宣传", None)
CRUMBS = [GROUP, ("友好商会", "communications:partners")]
EXCHANGE_CRUMBS = [GROUP, ("交流互访", "communications:exchanges")]
HISTORY_ROWS = 50
D = Exchange.Direction


def _crumbs(*tail):
    return [*CRUMBS, *tail]


def _partner_crumbs(partner, *tail):
    return _crumbs((partner.name, None), *tail)


def _errors_text(form):
    return "搜索条件有误：" + "；".join(str(e) for errors in form.errors.values() for e in errors)


def _detail(partner):
    return reverse("communications:partner", args=[partner.pk])


def _status(partner):
    return "友好关系存续" if selectors.is_active(partner) else ("已终止" if partner.ended_on else "尚未结好")


# --- partners ----------------------------------------------------------------------------------------------------
def _partners(request):
    user = request.user
    partners_visible_to(user)  # 403 before anything else for a role without the friendly organisations
    form = PartnerSearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, Partner.objects.none()
    return form, selectors.partner_list(user, filters=form.filters() if form.is_bound else {})


@never_cache
@login_required
def partner_list(request):
    form, qs = _partners(request)
    editor = selectors.is_partner_editor(request.user)
    toolbar = [Action("登记友好组织", reverse("communications:partner_create"), "primary")] if editor else []
    toolbar += [export_action(request, "communications:partners_export"),
                Action("交流互访", reverse("communications:exchanges"))]

    def actions(p):
        shown = [Action("查看", _detail(p))]
        if editor:
            shown.append(Action("登记交流", reverse("communications:exchange_create", args=[p.pk])))
        return shown

    if form.is_bound and not form.is_valid():
        empty = _errors_text(form)
    else:
        empty = "没有找到符合条件的友好组织" if request.GET else "暂无友好组织"
    page = ListPage(
        title="友好商会",
        breadcrumbs=[GROUP, ("友好商会", None)],
        search_form=form,
        toolbar=toolbar,
        columns=[
            Column("名称", "name", link=_detail, sort="name", wrap=True),
            Column("类型", "get_kind_display", sort="kind"),
            Column("所在地区", "region", wrap=True),
            Column("结好日期", lambda p: p.since.isoformat(), sort="since"),
            Column("协议", "agreement_count"),
            Column("交流次数", "exchange_count"),
            Column("最近交流", lambda p: p.last_exchange.isoformat() if p.last_exchange else ""),
            Column("状态", _status, tag=lambda p: "tag-success" if selectors.is_active(p) else "tag-muted"),
        ],
        row_actions=actions,
        empty_text=empty,
        default_sort="-since",
    )
    return render_list(request, page, qs)


PARTNER_EXPORT = [
    ("名称", lambda p: p.name),
    ("类型", lambda p: p.get_kind_display()),
    ("所在地区", lambda p: p.region),
    ("联系人", lambda p: p.contact),
    ("结好日期", lambda p: p.since.isoformat()),
    ("终止日期", lambda p: p.ended_on.isoformat() if p.ended_on else ""),
    ("状态", _status),
    ("协议数", lambda p: p.agreement_count),
    ("交流次数", lambda p: p.exchange_count),
    ("最近交流", lambda p: p.last_exchange.isoformat() if p.last_exchange else ""),
    ("备注", lambda p: p.note),
]
AGREEMENT_EXPORT = [
    ("友好组织", lambda a: a.partner.name),
    ("协议名称", lambda a: a.title),
    ("签署日期", lambda a: a.signed_on.isoformat()),
    ("到期日期", lambda a: a.ends_on.isoformat() if a.ends_on else ""),
    ("主要内容", lambda a: a.summary),
]


@login_required
def partner_export(request):
    """The listed partners (友好组织 sheet) and their agreements (合作协议 sheet)."""
    form, qs = _partners(request)
    if form.is_bound and not form.is_valid():
        messages.error(request, "搜索条件有误，请修改后再导出。")
        return redirect(f"{reverse('communications:partners')}?{request.GET.urlencode()}")
    partners = list(qs.order_by("-since", "-id"))
    agreements = (selectors.agreements_visible_to(request.user).filter(partner__in=[p.pk for p in partners])
                  .order_by("partner__name", "-signed_on", "-id"))
    rows = [[get(p) for _, get in PARTNER_EXPORT] for p in partners]
    agreement_rows = [[get(a) for _, get in AGREEMENT_EXPORT] for a in agreements]
    return audited_export(actor=request.user, title="友好商会", object_type="communications.partner",
                          sheets=[("友好组织", [h for h, _ in PARTNER_EXPORT], rows),
                                  ("合作协议", [h for h, _ in AGREEMENT_EXPORT], agreement_rows)],
                          detail={"rows": len(rows), "filters": request.GET.dict()})


@never_cache
@login_required
def partner_detail(request, pk):
    user = request.user
    partner = get_visible_or_404(partners_visible_to(user).select_related("federation", "created_by"), pk)
    editor = selectors.is_partner_editor(user)
    exchanges = list(selectors.partner_exchanges(partner))
    return render(request, "communications/partners/detail.html", {
        "partner": partner,
        "status": _status(partner),
        "active": selectors.is_active(partner),
        "editor": editor,
        "agreements": list(selectors.partner_agreements(partner)),
        "exchanges": exchanges,
        "incoming": sum(1 for e in exchanges if e.direction == D.INCOMING),
        "outgoing": sum(1 for e in exchanges if e.direction == D.OUTGOING),
        "delegates": sum(e.delegates for e in exchanges),
        "history": list(history(partner)[:HISTORY_ROWS]) if editor else None,
        "breadcrumbs": _crumbs((partner.name, None)),
    })


@staff_page
def partner_create(request):
    selectors.require_partner_editor(request.user)
    form = PartnerForm(request.POST or None)
    return edit_page(request, form=form,
                     save=lambda f: services.save_partner(actor=request.user, data=f.partner_data()),
                     title="登记友好组织", breadcrumbs=_crumbs(("登记", None)),
                     intro="与本会缔结友好关系的外地工商联、商会或行业协会；保存后在其页面登记合作协议和交流互访。",
                     cancel_url=reverse("communications:partners"))


@staff_page
def partner_edit(request, pk):
    partner = get_visible_or_404(selectors.partners_editable_by(request.user), pk)
    form = PartnerForm(request.POST or None, instance=partner)
    return edit_page(request, form=form,
                     save=lambda f: services.save_partner(actor=request.user, data=f.partner_data(), partner=partner),
                     title="编辑友好组织", subject=partner.name, cancel_url=partner.get_absolute_url(),
                     breadcrumbs=_partner_crumbs(partner, ("编辑", None)))


@staff_page
def partner_delete(request, pk):
    partner = get_visible_or_404(selectors.partners_editable_by(request.user), pk)
    return delete_page(request, obj=partner,
                       delete=lambda: services.delete_partner(actor=request.user, partner=partner),
                       cancel_url=partner.get_absolute_url(), done_url=reverse("communications:partners"),
                       breadcrumbs=_partner_crumbs(partner, ("删除", None)))


# --- agreements --------------------------------------------------------------------------------------------------
@staff_page
def agreement_create(request, pk):
    partner = get_visible_or_404(selectors.partners_editable_by(request.user), pk)
    form = AgreementForm(request.POST or None)
    return edit_page(request, form=form,
                     save=lambda f: services.save_agreement(actor=request.user, partner=partner,
                                                            data=f.agreement_data()),
                     then=lambda a: reverse("communications:partner", args=[partner.pk]) + "#agreements",
                     title="登记合作协议", subject=partner.name, cancel_url=partner.get_absolute_url(),
                     breadcrumbs=_partner_crumbs(partner, ("登记协议", None)))


@staff_page
def agreement_edit(request, pk):
    agreement = get_visible_or_404(selectors.agreements_editable_by(request.user), pk)
    partner = agreement.partner
    form = AgreementForm(request.POST or None, instance=agreement)
    return edit_page(request, form=form,
                     save=lambda f: services.save_agreement(actor=request.user, partner=partner,
                                                            data=f.agreement_data(), agreement=agreement),
                     then=lambda a: reverse("communications:partner", args=[partner.pk]) + "#agreements",
                     title="编辑合作协议", subject=agreement.title, cancel_url=partner.get_absolute_url(),
                     breadcrumbs=_partner_crumbs(partner, ("编辑协议", None)))


@staff_page
def agreement_delete(request, pk):
    agreement = get_visible_or_404(selectors.agreements_editable_by(request.user), pk)
    partner = agreement.partner
    back = reverse("communications:partner", args=[partner.pk]) + "#agreements"
    return delete_page(request, obj=agreement,
                       delete=lambda: services.delete_agreement(actor=request.user, agreement=agreement),
                       cancel_url=back, done_url=back, breadcrumbs=_partner_crumbs(partner, ("删除协议", None)))


# --- exchanges ---------------------------------------------------------------------------------------------------
def _exchanges(request):
    user = request.user
    partners_visible_to(user)  # 403 first
    form = ExchangeSearchForm(request.GET or None, user=user)
    if form.is_bound and not form.is_valid():
        return form, Exchange.objects.none()
    return form, selectors.exchange_list(user, filters=form.filters() if form.is_bound else {})


@never_cache
@login_required
def exchange_list(request):
    form, qs = _exchanges(request)
    editor = selectors.is_partner_editor(request.user)
    totals = selectors.exchange_totals(qs)
    visits_in, people_in = totals.get(D.INCOMING, (0, 0))
    visits_out, people_out = totals.get(D.OUTGOING, (0, 0))

    def actions(e):
        shown = [Action("友好组织", _detail(e.partner))]
        if editor:
            shown.append(Action("编辑", reverse("communications:exchange_edit", args=[e.pk])))
        return shown

    if form.is_bound and not form.is_valid():
        empty = _errors_text(form)
    else:
        empty = "没有找到符合条件的交流记录" if request.GET else "暂无交流记录"
    page = ListPage(
        title=f"交流互访（来访 {visits_in} 次 {people_in} 人，出访 {visits_out} 次 {people_out} 人）",
        breadcrumbs=[GROUP, ("交流互访", None)],
        search_form=form,
        toolbar=[export_action(request, "communications:exchanges_export"),
                 Action("友好商会", reverse("communications:partners"))],
        columns=[
            Column("日期", lambda e: e.date.isoformat(), sort="date"),
            Column("方向", "get_direction_display", sort="direction",
                   tag=lambda e: "tag-info" if e.direction == D.INCOMING else "tag-success"),
            Column("友好组织", lambda e: e.partner.name, link=lambda e: _detail(e.partner), wrap=True),
            Column("带队领导", "leader"),
            Column("人数", "delegates", sort="delegates"),
            Column("交流内容", "purpose", wrap=True),
            Column("关联活动", lambda e: e.event.title if e.event_id else "", wrap=True),
        ],
        row_actions=actions,
        empty_text=empty,
        default_sort="-date",
    )
    return render_list(request, page, qs)


EXCHANGE_EXPORT = [
    ("日期", lambda e: e.date.isoformat()),
    ("方向", lambda e: e.get_direction_display()),
    ("友好组织", lambda e: e.partner.name),
    ("所在地区", lambda e: e.partner.region),
    ("带队领导", lambda e: e.leader),
    ("人数", lambda e: e.delegates),
    ("交流内容", lambda e: e.purpose),
    ("成果", lambda e: e.outcome),
    ("关联活动", lambda e: e.event.title if e.event_id else ""),
]


@login_required
def exchange_export(request):
    form, qs = _exchanges(request)
    if form.is_bound and not form.is_valid():
        messages.error(request, "搜索条件有误，请修改后再导出。")
        return redirect(f"{reverse('communications:exchanges')}?{request.GET.urlencode()}")
    rows = [[get(e) for _, get in EXCHANGE_EXPORT] for e in qs.order_by("-date", "-id")]
    return audited_export(actor=request.user, title="交流互访", object_type="communications.exchange",
                          sheets=[("交流互访", [h for h, _ in EXCHANGE_EXPORT], rows)],
                          detail={"rows": len(rows), "filters": request.GET.dict()})


def _exchange_back(partner):
    return reverse("communications:partner", args=[partner.pk]) + "#exchanges"


@staff_page
def exchange_create(request, pk):
    partner = get_visible_or_404(selectors.partners_editable_by(request.user), pk)
    form = ExchangeForm(request.POST or None, user=request.user, partner=partner)
    return edit_page(request, form=form,
                     save=lambda f: services.save_exchange(actor=request.user, partner=partner,
                                                           data=f.exchange_data()),
                     then=lambda e: _exchange_back(partner),
                     title="登记交流互访", subject=partner.name, cancel_url=partner.get_absolute_url(),
                     breadcrumbs=_partner_crumbs(partner, ("登记交流", None)))


@staff_page
def exchange_edit(request, pk):
    exchange = get_visible_or_404(selectors.exchanges_editable_by(request.user), pk)
    partner = exchange.partner
    form = ExchangeForm(request.POST or None, user=request.user, partner=partner, instance=exchange)
    return edit_page(request, form=form,
                     save=lambda f: services.save_exchange(actor=request.user, partner=partner,
                                                           data=f.exchange_data(), exchange=exchange),
                     then=lambda e: _exchange_back(partner),
                     title="编辑交流互访", subject=str(exchange), cancel_url=partner.get_absolute_url(),
                     breadcrumbs=_partner_crumbs(partner, ("编辑交流", None)))


@staff_page
def exchange_delete(request, pk):
    exchange = get_visible_or_404(selectors.exchanges_editable_by(request.user), pk)
    partner = exchange.partner
    return delete_page(request, obj=exchange,
                       delete=lambda: services.delete_exchange(actor=request.user, exchange=exchange),
                       cancel_url=_exchange_back(partner), done_url=_exchange_back(partner),
                       breadcrumbs=_partner_crumbs(partner, ("删除交流", None)))
