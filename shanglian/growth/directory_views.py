"""Pages of the 会员名录 (member directory): the back-office search and its 导出, the federation's public switch
(公开设置), the public page (no login, only while the federation turned it on), the member's phone search and its own
listing settings (which fields it shows). Thin: parse, call a selector or a service, render.

Every entry is shown through `selectors.directory.entry` / `entry_dict` — the one projection the API uses too — so
a field the member hid never reaches a page or an export, whoever reads it. Who searches which entries:
`selectors.listings` (the federation's roles every entry of their federations, unlisted ones marked; a chamber
secretary and a member enterprise the listed entries of their federation; department and auditor 403).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from shanglian.accounts.roles import MEMBER_READER_ROLES, enterprise_only, require_role
from shanglian.imports.exports import audited_export
from shanglian.orgs.models import Street
from shanglian.ui.listing import Action, Column, ListPage, export_action, render_list

from .forms import directory as forms
from .models import DIRECTORY_FIELDS
from .selectors import listings as selectors
from .selectors.directory import entry, entry_dict
from .services import directory as services

GROUP = ("会员发展与服务", None)
PER_PAGE = 20
LIST_KEYS = ["industry", "products", "street", "contact_name", "contact_mobile"]  # the page's columns; export: all
LABELS = dict(DIRECTORY_FIELDS)


def _search(request, user):
    form = forms.DirectorySearchForm(request.GET or None, streets=selectors.directory_streets(user))
    return form, (form.cleaned_data if form.is_valid() else {})


class _Entries:
    """Each listing's projection, made once per row for all its cells."""

    def __init__(self):
        self.made = {}

    def __call__(self, listing):
        if listing.pk not in self.made:
            found = entry(listing)
            self.made[listing.pk] = {key: value for key, _label, value in found["fields"]}
        return self.made[listing.pk]

    def cell(self, key):
        return lambda listing: self(listing).get(key) or None


def _status(listing):
    return "已展示" if listing.listed else "未展示"


@never_cache
@login_required
def directory(request):
    user = request.user
    require_role(user, *MEMBER_READER_ROLES)  # an enterprise searches on its phone (h5_directory)
    form, filters = _search(request, user)
    qs = selectors.directory_list(user, filters=filters)
    federation_reader = selectors.is_federation_reader(user)
    entries = _Entries()
    columns = [Column("企业名称", "enterprise.name", sort="enterprise__name", wrap=True)]
    columns += [Column(LABELS[key], entries.cell(key), wrap=key == "products") for key in LIST_KEYS]
    if federation_reader:
        columns.append(Column("名录状态", _status, tag=lambda item: "tag-success" if item.listed else "tag-muted"))
    toolbar = [export_action(request, "growth:directory_export")]
    if selectors.settable(user):
        toolbar.append(Action("公开设置", reverse("growth:directory_settings")))
    page = ListPage(
        title="会员名录",
        breadcrumbs=[GROUP, ("会员名录", None)],
        search_form=form,
        toolbar=toolbar,
        columns=columns,
        empty_text="没有找到符合条件的会员" if request.GET else "会员名录暂无条目",
        default_sort="enterprise__name",
    )
    return render_list(request, page, qs)


@login_required
def directory_export(request):
    user = request.user
    require_role(user, *MEMBER_READER_ROLES)
    _form, filters = _search(request, user)
    qs = selectors.directory_list(user, filters=filters).order_by("enterprise__name", "id")
    federation_reader = selectors.is_federation_reader(user)
    headers = ["企业名称", *(label for _key, label in DIRECTORY_FIELDS)] + (["名录状态"] if federation_reader else [])
    rows = []
    for listing in qs:
        data = entry_dict(listing)  # hidden keys are absent: their cells stay empty
        row = [data["name"], *(data.get(key, "") for key, _label in DIRECTORY_FIELDS)]
        rows.append(row + ([_status(listing)] if federation_reader else []))
    return audited_export(actor=user, title="会员名录", object_type="growth.directorylisting",
                          sheets=[("会员名录", headers, rows)],
                          detail={"rows": len(rows), "filters": request.GET.dict()})


# --- 公开设置 ------------------------------------------------------------------------------------------------------
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def directory_settings(request):
    user = request.user
    selectors.settable_federations(user)  # 403 for everyone but the editors
    status = 200
    if request.method == "POST":
        form = forms.PublicSwitchForm(request.POST)
        if form.is_valid():
            federation = selectors.settable_federations(user).filter(pk=form.cleaned_data["federation"]).first()
            if federation is None:
                raise Http404("找不到该工商联。")
            enabled = form.cleaned_data["enabled"] == "on"
            services.set_public(actor=user, federation=federation, enabled=enabled)
            messages.success(request, f"已{'开启' if enabled else '关闭'}{federation.name}会员名录的公开页面。")
            return redirect("growth:directory_settings")
        messages.error(request, "；".join(error for errors in form.errors.values() for error in errors))
        status = 400
    rows = [{"federation": federation, "enabled": enabled, "listed": listed,
             "public_url": reverse("growth:directory_public", args=[federation.pk])}
            for federation, enabled, listed in selectors.settings_rows(user)]
    return render(request, "growth/directory/settings.html", {
        "rows": rows, "breadcrumbs": [GROUP, ("会员名录", "growth:directory"), ("公开设置", None)],
    }, status=status)


# --- the public page (no login) ----------------------------------------------------------------------------------
@never_cache
def public_directory(request, federation_id):
    federation = selectors.public_federation(federation_id)
    if federation is None:
        raise Http404("该会员名录未对外公开。")
    streets = Street.objects.filter(federation=federation).order_by("code", "id")
    form = forms.DirectorySearchForm(request.GET or None, streets=streets)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.public_list(federation, filters=filters).order_by("enterprise__name", "id")
    page_obj = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "growth/directory/public.html", {
        "federation": federation, "form": form, "page_obj": page_obj,
        "entries": [entry(listing) for listing in page_obj.object_list],
        "query": _query_without_page(request),
    })


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- the member's phone pages ----------------------------------------------------------------------------------
@enterprise_only
def h5_directory(request):
    user = request.user
    selectors.own_federation_id(user)  # 403 (in Chinese) for an enterprise that is not a member in force
    form, filters = _search(request, user)
    qs = selectors.directory_list(user, filters=filters).order_by("enterprise__name", "id")
    page_obj = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "growth/directory/h5_list.html", {
        "form": form, "page_obj": page_obj, "entries": [entry(listing) for listing in page_obj.object_list],
        "query": _query_without_page(request), "tab": "directory",
    })


@enterprise_only
@require_http_methods(["GET", "POST"])
def my_listing(request):
    user = request.user
    listing = selectors.own_listing(user)  # 403 for an enterprise that is not a member in force
    errors = []
    if request.method == "POST":
        form = forms.ListingForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                listing = services.save_own_listing(actor=user, listed=data["listed"], shown_fields=data["shown_fields"],
                                                    products=data["products"], intro=data["intro"],
                                                    website=data["website"])
            except ValidationError as exc:
                errors = [message for messages_ in exc.message_dict.values() for message in messages_]
            else:
                messages.success(request, "名录设置已保存。")
                return redirect("growth:h5_my_listing")
    else:
        form = forms.ListingForm(initial=forms.ListingForm.initial_for(listing))
    preview = entry(listing) if listing is not None else None
    return render(request, "growth/directory/h5_mine.html", {
        "form": form, "errors": errors, "listing": listing, "preview": preview, "tab": "me",
    }, status=400 if request.method == "POST" else 200)
