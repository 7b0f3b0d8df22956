"""The pages of the records kit (`common.records`): one form page, one delete confirmation, one history.

    def chamber_edit(request, pk):
        chamber = get_visible_or_404(selectors.chambers_editable_by(request.user), pk)
        form = ChamberForm(request.POST or None, instance=chamber)
        return edit_page(request, form=form, save=lambda f: services.save_chamber(actor=request.user, form=f),
                         title="编辑商会", breadcrumbs=[...], cancel_url=...)

    def chamber_delete(request, pk):
        chamber = ...
        return delete_page(request, obj=chamber, delete=lambda: services.delete_chamber(actor=request.user,
                           chamber=chamber), cancel_url=..., done_url=reverse("orgs:chamber_list"))

A detail page shows the record's 变更记录 with `{% include "ui/_record_history.html" with events=history %}`
where `history = common.records.history(obj)[:50]`.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from shanglian.accounts.roles import require_role
from shanglian.common.errors import Refused
from shanglian.common.records import dependents, refusal_text

from .shortcuts import get_visible_or_404


def form_page(request, *, form, title, breadcrumbs=(), cancel_url, intro="", submit_label="保存", subject=None,
              sections=None, multipart=False, status=None):
    """Render the one record form page. `sections` is [(heading, [field names])] to group long forms; by
    default the fields come in one card. A bound form with errors is answered 400 (nothing saved)."""
    if sections is None:
        sections = [("", [name for name in form.fields if name not in _hidden(form)])]
    grouped = [(heading, [form[name] for name in names]) for heading, names in sections]
    if status is None:
        status = 400 if form.is_bound and form.errors else 200
    return render(request, "ui/record_form.html", {
        "form": form, "title": title, "breadcrumbs": breadcrumbs, "cancel_url": cancel_url, "intro": intro,
        "submit_label": submit_label, "subject": subject, "sections": grouped, "multipart": multipart,
    }, status=status)


def saved(request, form, save, then=None):
    """A valid POST: `save(form)` (the app's service) → "已保存。" and a redirect to `then(obj)` (default: the
    record's `get_absolute_url`). A `ValidationError` raised by the service goes onto the form and None
    is returned, as for a GET or an invalid form: the caller shows the form again (`form_page`, 400)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        obj = save(form)
    except ValidationError as exc:
        form.add_error(None, exc)
        return None
    messages.success(request, "已保存。")
    return redirect(then(obj) if then else obj)


def edit_page(request, *, form, save, then=None, **page):
    """The whole add/edit page: `saved(...)` on a valid POST, else `form_page(request, form=form, **page)`."""
    return saved(request, form, save, then) or form_page(request, form=form, **page)


def _hidden(form):
    return {bound.name for bound in form.hidden_fields()}


def delete_page(request, *, obj, delete, cancel_url, done_url, along=(), title=None, breadcrumbs=()):
    """GET: the confirmation, or the refusal naming what depends on `obj` (no button then).
    POST: `delete()` (the app's service, which calls `common.records.delete_or_refuse`); a `Refused`
    is shown on the record's page and nothing is deleted."""
    noun = obj._meta.verbose_name
    if request.method == "POST":
        shown = str(obj)
        try:
            delete()
        except Refused as exc:
            messages.error(request, exc.message)
            return redirect(cancel_url)
        messages.success(request, f"已删除{noun}“{shown}”。")
        return redirect(done_url)
    found = dependents(obj, along=along)
    return render(request, "ui/record_delete.html", {
        "obj": obj, "noun": noun, "title": title or f"删除{noun}", "breadcrumbs": breadcrumbs,
        "cancel_url": cancel_url, "refusal": refusal_text(obj, found) if found else "",
    })


def staff_page(view):
    """A form or delete page: signed in, never cached, GET or POST only."""
    return login_required(never_cache(require_http_methods(["GET", "POST"])(view)))


@dataclass(frozen=True)
class RecordPages:
    """The 新增, 编辑 and 删除 pages of a plain record kind, once for every kind whose pages differ only in
    their words. The app keeps its list and detail pages (`<kind>_list`, `<kind>_detail`) and adds
    `*PAGES.urlpatterns("committees")` — `committees/new/`, `committees/<pk>/edit/`, `…/delete/` named
    `<kind>_create`, `<kind>_edit`, `<kind>_delete` in the app's namespace:

        COMMITTEE_PAGES = RecordPages(
            namespace="orgs", kind="committee", noun="专门委员会", crumbs=(("组织机构", None), ("专门委员会",
            "orgs:committee_list")), form=CommitteeForm, roles=EDITOR_ROLES,
            editable=selectors.committees_editable_by,
            save=lambda actor, form: services.save_committee(actor=actor, form=form),
            delete=lambda actor, obj: services.delete_committee(actor=actor, committee=obj))

    `form(data, user=…, instance=…)`; `editable(user)` is the scope of 编辑/删除 (403 for a role that may not,
    404 outside it); `roles` may add; the services check again and audit."""

    namespace: str
    kind: str
    noun: str
    crumbs: tuple
    form: type
    roles: frozenset
    editable: object  # callable(user) -> queryset
    save: object  # callable(actor, form) -> the saved record
    delete: object  # callable(actor, obj)

    def _url(self, page, *args):
        return reverse(f"{self.namespace}:{self.kind}_{page}", args=args)

    def create(self, request):
        require_role(request.user, *self.roles)
        form = self.form(request.POST or None, user=request.user)
        return edit_page(request, form=form, save=lambda f: self.save(request.user, f), title=f"新增{self.noun}",
                         breadcrumbs=[*self.crumbs, ("新增", None)], cancel_url=self._url("list"))

    def edit(self, request, pk):
        obj = get_visible_or_404(self.editable(request.user), pk)
        form = self.form(request.POST or None, instance=obj, user=request.user)
        return edit_page(request, form=form, save=lambda f: self.save(request.user, f), title=f"编辑{self.noun}",
                         subject=str(obj), breadcrumbs=[*self.crumbs, ("编辑", None)],
                         cancel_url=self._url("detail", obj.pk))

    def remove(self, request, pk):
        obj = get_visible_or_404(self.editable(request.user), pk)
        return delete_page(request, obj=obj, delete=lambda: self.delete(request.user, obj),
                           cancel_url=self._url("detail", obj.pk), done_url=self._url("list"),
                           breadcrumbs=[*self.crumbs, ("删除", None)])

    def urlpatterns(self, prefix):
        return [
            path(f"{prefix}/new/", staff_page(self.create), name=f"{self.kind}_create"),
            path(f"{prefix}/<int:pk>/edit/", staff_page(self.edit), name=f"{self.kind}_edit"),
            path(f"{prefix}/<int:pk>/delete/", staff_page(self.remove), name=f"{self.kind}_delete"),
        ]
