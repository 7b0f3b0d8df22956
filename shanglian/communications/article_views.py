"""宣传报道 pages: the list (search, filters — among them the articles featuring one enterprise or one person —,
新增/导入/导出), one article's page (outlet and level, date, link, the persons and enterprises it features, its scans and
变更记录), 新增/编辑/删除, a scan's download and the import of articles from Excel. The federation's roles and the
chambers of the federation read; the editors keep them (a leader and a chamber secretary read only); a department,
an enterprise and the auditor are refused (403); another federation's article is 404. Thin: parse, call a selector or
a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from shanglian.accounts.roles import EDITOR_ROLES, require_role
from shanglian.common.periods import day_text
from shanglian.common.records import history
from shanglian.common.uploads import download_response
from shanglian.common.validators import is_id
from shanglian.imports.exports import audited_export
from shanglian.imports.pages import ImportPages
from shanglian.ui.listing import Action, Column, ListPage, export_action, render_list
from shanglian.ui.records import delete_page, edit_page, staff_page
from shanglian.ui.shortcuts import get_visible_or_404

from .forms import articles as forms
from .imports import KIND, import_template
from .models import Article
from .selectors import articles as selectors
from .selectors.scopes import articles_visible_to
from .services import articles as services

GROUP = ("通知调研与宣传", None)
CRUMBS = [GROUP, ("宣传报道", "communications:articles")]
HISTORY_ROWS = 50
LEVEL_TAGS = {"national": "tag-danger", "provincial": "tag-warning", "municipal": "tag-info"}

IMPORT_PAGES = ImportPages(
    kind=KIND, namespace="communications", name="article_import", noun="宣传报道",
    breadcrumbs=(*CRUMBS, ("导入宣传报道", None)), make_template=import_template, title="导入宣传报道",
    back_url="communications:articles", back_label="宣传报道",
    notes_template="communications/articles/_import_notes.html",
    commit_note="每行新建一篇宣传报道，归入本工商联。",
)


def names(records):
    return "、".join(r.name for r in records)


EXPORT_FIELDS = [
    ("刊发日期", lambda a: day_text(a.published_on)),
    ("标题", lambda a: a.title),
    ("媒体", lambda a: a.outlet),
    ("媒体级别", lambda a: a.get_level_display()),
    ("类型", lambda a: a.get_kind_display()),
    ("链接", lambda a: a.link),
    ("宣传人物", lambda a: names(a.persons.all())),
    ("宣传企业", lambda a: names(a.enterprises.all())),
    ("备注", lambda a: a.note),
    ("所属工商联", lambda a: a.federation.name),
]


# --- the list ------------------------------------------------------------------------------------------------
def _filtered(request):
    user = request.user
    articles_visible_to(user)  # 403 before anything else for a role without 宣传报道
    form = forms.ArticleSearchForm(request.GET or None, user=user)
    if form.is_bound and not form.is_valid():
        return form, Article.objects.none()
    return form, selectors.article_list(user, filters=form.cleaned_data if form.is_bound else None)


def _empty_text(request, form):
    if form.is_bound and not form.is_valid():
        return "搜索条件有误：" + "；".join(str(e) for errors in form.errors.values() for e in errors)
    return "没有找到符合条件的宣传报道" if request.GET else "暂无宣传报道"


def _detail(a):
    return reverse("communications:article", args=[a.pk])


@never_cache
@login_required
def article_list(request):
    form, qs = _filtered(request)
    keeper = selectors.can_keep(request.user)
    toolbar = []
    if keeper:
        toolbar += [Action("新增宣传报道", reverse("communications:article_create"), "primary"),
                    Action("导入", reverse("communications:article_import"))]
    toolbar.append(export_action(request, "communications:articles_export"))

    def actions(a):
        shown = [Action("查看", _detail(a))]
        if keeper:
            shown.append(Action("编辑", reverse("communications:article_edit", args=[a.pk])))
        return shown

    page = ListPage(
        title="宣传报道",
        breadcrumbs=[GROUP, ("宣传报道", None)],
        search_form=form,
        toolbar=toolbar,
        columns=[
            Column("刊发日期", lambda a: day_text(a.published_on), sort="published_on"),
            Column("标题", "title", link=_detail, sort="title", wrap=True),
            Column("媒体", "outlet", sort="outlet", wrap=True),
            Column("级别", "get_level_display", tag=lambda a: LEVEL_TAGS.get(a.level, ""), sort="level"),
            Column("类型", "get_kind_display", sort="kind"),
            Column("宣传人物", lambda a: names(a.persons.all()), wrap=True),
            Column("宣传企业", lambda a: names(a.enterprises.all()), wrap=True),
        ],
        row_actions=actions,
        empty_text=_empty_text(request, form),
        default_sort="-published_on",
    )
    return render_list(request, page, qs)


@login_required
def article_export(request):
    form, qs = _filtered(request)
    if form.is_bound and not form.is_valid():
        messages.error(request, "搜索条件有误，请修改后再导出。")
        return redirect(f"{reverse('communications:articles')}?{request.GET.urlencode()}")
    rows = [[get(a) for _, get in EXPORT_FIELDS] for a in qs.order_by("-published_on", "-id")]
    return audited_export(actor=request.user, title="宣传报道", object_type="communications.article",
                          sheets=[("宣传报道", [header for header, _ in EXPORT_FIELDS], rows)],
                          detail={"rows": len(rows), "filters": request.GET.dict()})


# --- one article ---------------------------------------------------------------------------------------------
def _crumbs(article, *more):
    return [*CRUMBS, (article.title, None), *more]


@never_cache
@login_required
def article_detail(request, pk):
    user = request.user
    article = get_visible_or_404(articles_visible_to(user).select_related("federation", "created_by"), pk)
    persons, enterprises = selectors.featured(user, article)
    return render(request, "communications/articles/detail.html", {
        "article": article, "persons": persons, "enterprises": enterprises,
        "scans": selectors.article_scans(article),
        "can_edit": selectors.can_keep(user),
        "history": history(article)[:HISTORY_ROWS],
        "breadcrumbs": _crumbs(article),
    })


def _save(user, article=None):
    def save(form):
        try:
            return services.save_article(actor=user, data=form.article_data(), article=article,
                                         files=form.cleaned_data.get("scans") or [],
                                         remove_scans=form.cleaned_data.get("remove_scans") or [])
        except ValidationError as exc:
            raise form.onto_fields(exc) from None

    return save


def _initial(request):
    """新增宣传报道 from an enterprise's or a person's page: `?enterprise=` / `?person=` fill the first picker."""
    initial = {}
    for name in ("enterprise", "person"):
        value = request.GET.get(name, "")
        if is_id(value):
            initial[f"{name}_1"] = int(value)
    return initial


@staff_page
def article_create(request):
    require_role(request.user, *EDITOR_ROLES)
    form = forms.ArticleForm(request.POST or None, request.FILES or None, user=request.user,
                             initial=_initial(request))
    return edit_page(request, form=form, save=_save(request.user), title="新增宣传报道",
                     intro="登记宣传本会及会员的报道：媒体及其级别、刊发日期、链接或扫描件，以及报道的人物和企业。",
                     breadcrumbs=[*CRUMBS, ("新增", None)], cancel_url=reverse("communications:articles"),
                     sections=forms.sections(form), multipart=True)


@staff_page
def article_edit(request, pk):
    article = get_visible_or_404(selectors.articles_editable_by(request.user), pk)
    form = forms.ArticleForm(request.POST or None, request.FILES or None, user=request.user, instance=article)
    return edit_page(request, form=form, save=_save(request.user, article), title="编辑宣传报道",
                     subject=article.title, breadcrumbs=_crumbs(article, ("编辑", None)),
                     cancel_url=article.get_absolute_url(), sections=forms.sections(form), multipart=True)


@staff_page
def article_delete(request, pk):
    article = get_visible_or_404(selectors.articles_editable_by(request.user), pk)
    return delete_page(request, obj=article,
                       delete=lambda: services.delete_article(actor=request.user, article=article),
                       along=("scans",), cancel_url=article.get_absolute_url(),
                       done_url=reverse("communications:articles"), breadcrumbs=_crumbs(article, ("删除", None)))


@login_required
def scan_download(request, pk):
    """An article's scan, only to users who read its article (404 otherwise, audited)."""
    scan = get_visible_or_404(selectors.scans_visible_to(request.user), pk)
    return download_response(services.FOLDER, scan)
