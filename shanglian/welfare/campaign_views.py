"""公益项目 pages: the list (search, kind, year, 进行中/已结束), one campaign's page (target against what was raised —
cash, goods, their total, distinct donors, a progress bar — and its donations in the reader's scope, 变更记录) and
新增/编辑/删除 (a campaign that donations still name is not deleted: the page says how many). The federation reads every
campaign of its federations, a chamber secretary the federation's and its own chamber's; the editors keep the
federation's, a chamber secretary its own chamber's; another scope's campaign is 404. Thin: parse, call a selector or
a service, render."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from shanglian.accounts.roles import Role, role_of
from shanglian.common.money import yuan_text
from shanglian.common.periods import day_text, span_text
from shanglian.common.records import history
from shanglian.ui.listing import Action, Column, ListPage, render_list
from shanglian.ui.records import delete_page, edit_page, staff_page
from shanglian.ui.shortcuts import get_visible_or_404

from .forms import campaigns as forms
from .models import Campaign
from .selectors import campaigns as selectors
from .selectors.scopes import campaigns_visible_to
from .services import campaigns as services

GROUP = ("光彩公益", None)
CRUMBS = [GROUP, ("公益项目", "welfare:campaigns")]
STATE_TAGS = {"running": "tag-success", "upcoming": "tag-info", "ended": "tag-muted"}
HISTORY_ROWS = 50
DONATION_ROWS = 50


def _owner(c):
    return c.chamber.name if c.chamber_id else "工商联"


def _keepable(user, campaign):
    """Whether the user keeps this campaign (the editors every one they see, a chamber secretary its own)."""
    role = role_of(user)
    if role == Role.CHAMBER:
        return campaign.chamber_id == user.chamber_id
    return selectors.can_keep_campaigns(user)


@never_cache
@login_required
def campaign_list(request):
    user = request.user
    campaigns_visible_to(user)  # 403 first for a role without 光彩公益
    form = forms.CampaignSearchForm(request.GET or None, user=user)
    if form.is_bound and not form.is_valid():
        qs = Campaign.objects.none()
    else:
        qs = selectors.campaign_list(user, filters=form.filters() if form.is_bound else None)
    today = timezone.localdate()
    toolbar = [Action("新增公益项目", reverse("welfare:campaign_create"), "primary")] \
        if selectors.can_keep_campaigns(user) else []

    def detail(c):
        return reverse("welfare:campaign", args=[c.pk])

    def state(c):
        return selectors.campaign_state(c, today)

    def actions(c):
        row = [Action("查看", detail(c))]
        if _keepable(user, c):
            row.append(Action("编辑", reverse("welfare:campaign_edit", args=[c.pk])))
        return row

    if form.is_bound and not form.is_valid():
        empty = "搜索条件有误：" + "；".join(str(e) for errors in form.errors.values() for e in errors)
    else:
        empty = "没有找到符合条件的公益项目" if request.GET else "暂无公益项目"
    page = ListPage(
        title="公益项目",
        breadcrumbs=[GROUP, ("公益项目", None)],
        search_form=form,
        toolbar=toolbar,
        columns=[
            Column("项目名称", "name", link=detail, sort="name", wrap=True),
            Column("项目类别", "kind.label"),
            Column("发起方", _owner, wrap=True),
            Column("起止日期", lambda c: span_text(c.start, c.end) if c.end else f"{day_text(c.start)} 起（长期）",
                   sort="start"),
            Column("目标金额（元）", lambda c: yuan_text(c.target_amount) or None, sort="target_amount"),
            Column("状态", lambda c: selectors.STATES[state(c)], tag=lambda c: STATE_TAGS[state(c)]),
        ],
        row_actions=actions,
        empty_text=empty,
        default_sort="-start",
    )
    return render_list(request, page, qs)


@never_cache
@login_required
def campaign_detail(request, pk):
    user = request.user
    campaign = get_visible_or_404(campaigns_visible_to(user).select_related("federation"), pk)
    progress = selectors.campaign_progress(user, campaign)
    donations = selectors.campaign_donations(user, campaign).order_by("-donated_on", "-id")
    keepable = _keepable(user, campaign)
    state = selectors.campaign_state(campaign, timezone.localdate())
    return render(request, "welfare/campaigns/detail.html", {
        "campaign": campaign,
        "state": selectors.STATES[state], "state_tag": STATE_TAGS[state],
        "period": span_text(campaign.start, campaign.end) if campaign.end else f"{day_text(campaign.start)} 起（长期）",
        "progress": progress,
        "raised": {"cash": yuan_text(progress.cash), "goods": yuan_text(progress.goods),
                   "total": yuan_text(progress.total), "target": yuan_text(progress.target)},
        "scoped_note": "仅统计本商会组织的捐赠。" if role_of(user) == Role.CHAMBER else "",
        "donations": [{"donation": d, "cash": yuan_text(d.cash) if d.cash else "—",
                       "goods": yuan_text(d.goods_value) if d.goods_value else "—"}
                      for d in donations[:DONATION_ROWS]],
        "donation_rows": DONATION_ROWS,
        "donations_url": f"{reverse('welfare:donations')}?campaign={campaign.pk}",
        "can_edit": keepable,
        "history": history(campaign)[:HISTORY_ROWS],
        "breadcrumbs": [*CRUMBS, (campaign.name, None)],
    })


def _save(user, campaign=None):
    return lambda form: services.save_campaign(actor=user, data=form.campaign_data(), campaign=campaign)


@staff_page
def campaign_create(request):
    if not selectors.can_keep_campaigns(request.user):
        selectors.campaigns_editable_by(request.user)  # refuses (403) in its words
    form = forms.CampaignForm(request.POST or None, user=request.user)
    intro = ("本商会发起的公益项目；工商联发起的项目由工商联维护。" if role_of(request.user) == Role.CHAMBER
             else "春芽基金、抗疫捐款、助学等公益项目；捐赠记录可归入项目，项目页显示筹集进度。")
    return edit_page(request, form=form, save=_save(request.user), title="新增公益项目", intro=intro,
                     breadcrumbs=[*CRUMBS, ("新增", None)], cancel_url=reverse("welfare:campaigns"),
                     sections=forms.sections(form))


@staff_page
def campaign_edit(request, pk):
    campaign = get_visible_or_404(selectors.campaigns_editable_by(request.user), pk)
    form = forms.CampaignForm(request.POST or None, user=request.user, instance=campaign)
    return edit_page(request, form=form, save=_save(request.user, campaign), title="编辑公益项目",
                     subject=campaign.name, breadcrumbs=[*CRUMBS, (campaign.name, None), ("编辑", None)],
                     cancel_url=campaign.get_absolute_url(), sections=forms.sections(form))


@staff_page
def campaign_delete(request, pk):
    campaign = get_visible_or_404(selectors.campaigns_editable_by(request.user), pk)
    return delete_page(request, obj=campaign,
                       delete=lambda: services.delete_campaign(actor=request.user, campaign=campaign),
                       cancel_url=campaign.get_absolute_url(), done_url=reverse("welfare:campaigns"),
                       breadcrumbs=[*CRUMBS, (campaign.name, None), ("删除", None)])
