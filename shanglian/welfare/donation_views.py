"""捐款捐物 pages: the list (search, filters, 新增/导入/导出), one donation's page (amounts in 元, its donor, campaign,
recipient, proofs and 变更记录), 新增/编辑/删除, a proof's download and deletion, the printable 捐赠证书 and the import
of donations from Excel. The federation reads every donation of its federations and a chamber secretary those its
chamber organised; the `WELFARE_KEEPER_ROLES` record them (a chamber secretary its own chamber's); another scope's
donation is 404. Thin: parse, call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from shanglian.accounts.roles import WELFARE_KEEPER_ROLES, Role, require_role, role_of
from shanglian.common.money import rmb_capitals, yuan_text
from shanglian.common.periods import day_text
from shanglian.common.records import history
from shanglian.common.uploads import download_response
from shanglian.imports.exports import audited_export
from shanglian.imports.pages import ImportPages
from shanglian.ui.listing import Action, Column, ListPage, export_action, render_list
from shanglian.ui.records import delete_page, edit_page, staff_page
from shanglian.ui.shortcuts import get_visible_or_404

from .forms import donations as forms
from .imports import KIND, import_template
from .models import Donation
from .selectors import donations as selectors
from .selectors.scopes import campaigns_visible_to, donations_visible_to
from .services import donations as services

GROUP = ("光彩公益", None)
CRUMBS = [GROUP, ("捐款捐物", "welfare:donations")]
HISTORY_ROWS = 50

IMPORT_PAGES = ImportPages(
    kind=KIND, namespace="welfare", name="donation_import", noun="捐款捐物",
    breadcrumbs=(*CRUMBS, ("导入捐赠记录", None)), make_template=import_template, title="导入捐赠记录",
    back_url="welfare:donations", back_label="捐款捐物", notes_template="welfare/donations/_import_notes.html",
    commit_note="每行新建一条捐赠记录，按“JZ+日期+序号”编号；商会秘书处导入的记录归入本商会。",
    roles=WELFARE_KEEPER_ROLES,
)


def _is_keeper(user):
    return role_of(user) in WELFARE_KEEPER_ROLES


def donor_name(d):
    return str(d.donor) if d.donor is not None else ""


def _amount(value):
    return yuan_text(value) if value else "—"


# --- the list ------------------------------------------------------------------------------------------------
# One column set for the export (the page shows the short ones); amounts are numbers of yuan.
LIST_FIELDS = [
    ("证书编号", lambda d: d.number),
    ("捐赠日期", lambda d: day_text(d.donated_on)),
    ("捐赠方类型", lambda d: d.get_donor_kind_display()),
    ("捐赠方", donor_name),
    ("捐款金额（元）", lambda d: d.cash),
    ("捐赠物资", lambda d: d.goods_description),
    ("物资折价（元）", lambda d: d.goods_value),
    ("合计（元）", lambda d: d.total),
    ("公益项目", lambda d: d.campaign.name if d.campaign_id else ""),
    ("受赠村", lambda d: d.recipient_village.name if d.recipient_village_id else ""),
    ("受赠方", lambda d: d.recipient),
    ("捐赠票据号", lambda d: d.receipt_number),
    ("组织商会", lambda d: d.chamber.name if d.chamber_id else ""),
    ("所属工商联", lambda d: d.federation.name),
    ("备注", lambda d: d.note),
]


def _filtered(request):
    """The search form and the donations it finds; an invalid search finds nothing (the form says why)."""
    user = request.user
    donations_visible_to(user)  # 403 before anything else for a role without 光彩公益
    form = forms.DonationSearchForm(request.GET or None, user=user)
    if form.is_bound and not form.is_valid():
        return form, Donation.objects.none()
    qs = selectors.donation_list(user, filters=form.filters() if form.is_bound else None)
    return form, qs


def _empty_text(request, form):
    if form.is_bound and not form.is_valid():
        return "搜索条件有误：" + "；".join(str(e) for errors in form.errors.values() for e in errors)
    return "没有找到符合条件的捐赠记录" if request.GET else "暂无捐赠记录"


@never_cache
@login_required
def donation_list(request):
    form, qs = _filtered(request)
    keeper = _is_keeper(request.user)
    toolbar = []
    if keeper:
        toolbar += [Action("新增捐赠", reverse("welfare:donation_create"), "primary"),
                    Action("导入", reverse("welfare:donation_import"))]
    toolbar.append(export_action(request, "welfare:donations_export"))

    def detail(d):
        return reverse("welfare:donation", args=[d.pk])

    def row_actions(d):
        actions = [Action("查看", detail(d))]
        if keeper:
            actions.append(Action("编辑", reverse("welfare:donation_edit", args=[d.pk])))
        actions.append(Action("证书", reverse("welfare:donation_certificate", args=[d.pk])))
        return actions

    page = ListPage(
        title="捐款捐物",
        breadcrumbs=[GROUP, ("捐款捐物", None)],
        search_form=form,
        toolbar=toolbar,
        columns=[
            Column("证书编号", "number", link=detail, sort="number"),
            Column("捐赠日期", lambda d: day_text(d.donated_on), sort="donated_on"),
            Column("捐赠方", donor_name, wrap=True),
            Column("类型", "get_donor_kind_display"),
            Column("捐款（元）", lambda d: _amount(d.cash), sort="cash"),
            Column("物资折价（元）", lambda d: _amount(d.goods_value), sort="goods_value"),
            Column("公益项目", lambda d: d.campaign.name if d.campaign_id else None, wrap=True),
            Column("组织商会", lambda d: d.chamber.name if d.chamber_id else None, wrap=True),
        ],
        row_actions=row_actions,
        empty_text=_empty_text(request, form),
        default_sort="-donated_on",
    )
    return render_list(request, page, qs)


@login_required
def donation_export(request):
    form, qs = _filtered(request)
    if form.is_bound and not form.is_valid():  # nothing exported: back to the list, which shows the errors
        messages.error(request, "搜索条件有误，请修改后再导出。")
        return redirect(f"{reverse('welfare:donations')}?{request.GET.urlencode()}")
    rows = [[get(d) for _, get in LIST_FIELDS]
            for d in qs.select_related("federation").order_by("-donated_on", "-id")]
    return audited_export(actor=request.user, title="捐款捐物清单", object_type="welfare.donation",
                          sheets=[("捐款捐物", [h for h, _ in LIST_FIELDS], rows)],
                          text_columns={"捐款捐物": ("证书编号", "捐赠票据号")},
                          detail={"rows": len(rows), "filters": request.GET.dict()})


# --- one donation --------------------------------------------------------------------------------------------
def _visible(user):
    return donations_visible_to(user).select_related("federation", "created_by", "campaign__kind")


def _crumbs(donation, *more):
    return [*CRUMBS, (donation.number, None), *more]


@never_cache
@login_required
def donation_detail(request, pk):
    user = request.user
    donation = get_visible_or_404(_visible(user), pk)
    keeper = _is_keeper(user)
    campaign_visible = bool(donation.campaign_id) and campaigns_visible_to(user).filter(
        pk=donation.campaign_id).exists()
    return render(request, "welfare/donations/detail.html", {
        "donation": donation,
        "amounts": {"cash": yuan_text(donation.cash), "goods": yuan_text(donation.goods_value),
                    "total": yuan_text(donation.total)},
        "donor_url": selectors.donor_url(user, donation),
        "campaign_visible": campaign_visible,
        "proofs": selectors.donation_proofs(donation),
        "can_edit": keeper,
        "history": history(donation)[:HISTORY_ROWS],
        "breadcrumbs": _crumbs(donation),
    })


def _save(user, donation=None):
    def save(form):
        try:
            return services.save_donation(actor=user, data=form.donation_data(), donation=donation,
                                          files=form.cleaned_data.get("proofs") or [])
        except ValidationError as exc:
            raise form.onto_fields(exc) from None

    return save


def _form(request, donation=None):
    return forms.DonationForm(request.POST or None, request.FILES or None, user=request.user, instance=donation)


@staff_page
def donation_create(request):
    require_role(request.user, *WELFARE_KEEPER_ROLES)
    form = _form(request)
    intro = ("录入本商会组织的捐赠：捐赠方为本商会、本商会会员企业或其人员。" if role_of(request.user) == Role.CHAMBER
             else "捐款与物资至少填写一项；保存后自动生成证书编号，可打印捐赠证书。")
    return edit_page(request, form=form, save=_save(request.user), title="新增捐赠", intro=intro,
                     breadcrumbs=[*CRUMBS, ("新增", None)], cancel_url=reverse("welfare:donations"),
                     sections=forms.sections(form), multipart=True)


@staff_page
def donation_edit(request, pk):
    donation = get_visible_or_404(selectors.donations_editable_by(request.user), pk)
    form = _form(request, donation)
    return edit_page(request, form=form, save=_save(request.user, donation), title="编辑捐赠",
                     subject=str(donation), breadcrumbs=_crumbs(donation, ("编辑", None)),
                     cancel_url=donation.get_absolute_url(), sections=forms.sections(form), multipart=True)


@staff_page
def donation_delete(request, pk):
    donation = get_visible_or_404(selectors.donations_editable_by(request.user), pk)
    return delete_page(request, obj=donation,
                       delete=lambda: services.delete_donation(actor=request.user, donation=donation),
                       along=("proofs",), cancel_url=donation.get_absolute_url(),
                       done_url=reverse("welfare:donations"), breadcrumbs=_crumbs(donation, ("删除", None)))


# --- the certificate -----------------------------------------------------------------------------------------
def _amount(value):
    """An amount on the certificate: its figures and its capitals — "" for one past what the capitals can write
    (`money.LIMIT`; the service refuses such a donation, one stored before still prints, in figures)."""
    try:
        capitals = rmb_capitals(value)
    except ValueError:
        capitals = ""
    return {"figures": yuan_text(value), "capitals": capitals}


@never_cache
@login_required
def donation_certificate(request, pk):
    """捐赠证书: one A4 sheet to print (the toolbar is not printed)."""
    donation = get_visible_or_404(_visible(request.user), pk)
    return render(request, "welfare/donations/certificate.html", {
        "donation": donation,
        "donor": donor_name(donation),
        "cash": _amount(donation.cash) if donation.cash else None,
        "goods": _amount(donation.goods_value) if donation.goods_value else None,
        "total": _amount(donation.total),
        "issued_on": timezone.localdate(),
        "back_url": donation.get_absolute_url(),
    })


# --- proofs --------------------------------------------------------------------------------------------------
@login_required
def proof_download(request, pk):
    """A proof, only to users who see its donation (404 otherwise, audited)."""
    proof = get_visible_or_404(selectors.proofs_visible_to(request.user), pk)
    return download_response(services.PROOF_FOLDER, proof)


@staff_page
def proof_delete(request, pk):
    proof = get_visible_or_404(selectors.proofs_editable_by(request.user), pk)
    donation = proof.donation
    back = f"{donation.get_absolute_url()}#proofs"
    return delete_page(request, obj=proof, delete=lambda: services.remove_proof(actor=request.user, proof=proof),
                       cancel_url=back, done_url=back, title="删除捐赠凭证",
                       breadcrumbs=_crumbs(donation, ("删除凭证", None)))
