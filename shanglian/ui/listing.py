"""The one list-page pattern: search form, toolbar, table with 序号/操作, pagination with 共 N 条."""

from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import cached_property

from shanglian.ui.templatetags.listing import page_url


@dataclass(frozen=True)
class Column:
    header: str
    value: object  # attribute name (dotted) or callable(obj) -> text
    link: object = None  # callable(obj) -> url
    tag: object = None  # callable(obj) -> css class of a coloured status tag
    sort: str = ""  # order_by field; empty means not sortable
    wrap: bool = False  # long text (a title) may wrap; other cells (dates, numbers, short labels) never break

    def cell(self, obj):
        if callable(self.value):
            text = self.value(obj)
        else:
            text = obj
            for part in self.value.split("."):
                text = getattr(text, part, None) if text is not None else None
                if callable(text) and part.startswith("get_"):
                    text = text()
        return {
            "text": "—" if text is None or text == "" else text,
            "url": self.link(obj) if self.link else "",
            "tag": self.tag(obj) if self.tag else "",
            "wrap": self.wrap,
        }


@dataclass(frozen=True)
class Action:
    label: str
    url: str
    style: str = "default"  # primary | default
    method: str = "get"


def export_action(request, url_name, *args):
    """The list's 导出 button: the export URL of `url_name` (with `args`) carrying the list's current search, so that
    what is exported is what is listed."""
    return Action("导出", reverse(url_name, args=args) + (f"?{request.GET.urlencode()}" if request.GET else ""))


@dataclass
class ListPage:
    title: str
    columns: list
    breadcrumbs: list = field(default_factory=list)
    toolbar: list = field(default_factory=list)
    search_form: object = None
    row_actions: object = None  # callable(obj) -> [Action]
    empty_text: str = "暂无数据"
    per_page: int = 20
    default_sort: str = "-id"  # one field; "-id" (or "id") is added after it as the tie-breaker
    tabs: list = field(default_factory=list)  # [Tab] above the search form (queues)


@dataclass(frozen=True)
class Tab:
    label: str
    url: str
    count: object = None
    active: bool = False
    level: str = ""  # "danger" shows the count in red


# The page sizes a list offers (每页 N 条); `?per_page=` outside them falls back to the page's own.
PAGE_SIZES = (20, 50, 100)


def _per_page(request, page):
    try:
        asked = int(request.GET.get("per_page", ""))
    except ValueError:
        return page.per_page
    return asked if asked in PAGE_SIZES else page.per_page


# Elided page links (Django's get_elided_page_range): the first and last page, two pages either side of the
# current one, "…" between — at most 9 links whatever the number of pages.
PAGE_LINKS_EACH_SIDE = 2
PAGE_LINKS_AT_ENDS = 1


def ordering(sort):
    """The ORDER BY of a list's default sort `sort` ("field" or "-field"): the id breaks ties, in the same
    direction, so that an index on (scope, field, id) serves the sort and the rows never swap between pages.
    (A column the user sorts by keeps its "-id" tie-breaker.)"""
    field = sort.lstrip("-")
    if field in ("id", "pk"):
        return [sort]
    return [sort, "-id" if sort.startswith("-") else "id"]


# A searched list (`?q=`) is counted up to this many rows (100 pages of 20): the count of a common word grows
# with its matches (贷款, 7 % of 1,000,000 appeals: 70,000, 100 ms to count), the first 2,000 are enough to page
# through, and past them the page says there are more and asks for a narrower search. Unsearched lists are
# counted whole.
SEARCH_COUNT_CAP = 2_000


def count_up_to(queryset, cap):
    """The number of the queryset's rows, counting no further than `cap` + 1. A queryset counted in another form
    (`AppealQuerySet.counted_as`) counts that form. SQLite: a COUNT over a LIMIT. PostgreSQL: the rows are a
    MATERIALIZED CTE, which its planner plans as read whole (tuple fraction 0: a bitmap of the matches) while the
    executor stops pulling after `cap` + 1 rows. A plain LIMIT would let the planner walk an index expecting to
    stop early, which reads every row when the matches are rare in the scope (a department's 贷款, none among
    72,000 matches: 58 → 607 ms); whole, the federation's 贷款 count read 48,000 pages (88 ms) for 2,001 rows."""
    counting = getattr(queryset, "counting_form", None)
    source = counting() if counting is not None else queryset
    if not hasattr(source, "query"):  # a sum of summary rows, a list: counted as Django's Paginator does
        return Paginator(source, 1).count
    connection = connections[source.db]
    if connection.vendor != "postgresql":
        return source.order_by()[: cap + 1].count()
    try:
        rows = source.order_by()
        rows = rows if rows._fields is not None else rows.values("pk")  # a values() form counts what it selects
        sql, params = rows.query.get_compiler(using=rows.db).as_sql()
    except EmptyResultSet:  # a filter that no row can pass (`pk__in=[]`)
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"WITH capped AS MATERIALIZED ({sql}) "  # noqa: S608 (the queryset's own compiled SQL)
                       f"SELECT count(*) FROM (SELECT 1 FROM capped LIMIT %s) rows", [*params, cap + 1])
        return cursor.fetchone()[0]


class SearchPaginator(Paginator):
    """The pages of a searched list: at most `cap` rows are counted and paged (`capped` when there are more)."""

    def __init__(self, object_list, per_page, *, cap=SEARCH_COUNT_CAP):
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def counted(self):
        return count_up_to(self.object_list, self.cap)

    @cached_property
    def count(self):
        return min(self.counted, self.cap)

    @property
    def capped(self):
        return self.counted > self.cap


def page_links(paginator, page_obj, querystring):
    """The pagination's page links: {"number", "url", "current"} or {"ellipsis": True}."""
    if paginator.num_pages <= 1:
        return []
    links = []
    for n in paginator.get_elided_page_range(page_obj.number, on_each_side=PAGE_LINKS_EACH_SIDE,
                                             on_ends=PAGE_LINKS_AT_ENDS):
        if n == paginator.ELLIPSIS:
            links.append({"ellipsis": True})
        else:
            links.append({"number": n, "url": page_url(querystring, n), "current": n == page_obj.number})
    return links


def render_list(request, page, queryset):
    sortable = {c.sort for c in page.columns if c.sort}
    sort = request.GET.get("sort", "")
    if sort.lstrip("-") in sortable:
        queryset = queryset.order_by(sort, "-id")
    else:
        sort = ""
        queryset = queryset.order_by(*ordering(page.default_sort))
    per_page = _per_page(request, page)
    searched = bool(request.GET.get("q", "").strip())
    paginator = SearchPaginator(queryset, per_page, cap=SEARCH_COUNT_CAP) if searched else Paginator(queryset, per_page)
    page_obj = paginator.get_page(request.GET.get("page"))
    offset = page_obj.start_index() - 1 if paginator.count else 0
    rows = [
        {
            "index": offset + i + 1,
            "cells": [c.cell(obj) for c in page.columns],
            "actions": page.row_actions(obj) if page.row_actions else [],
        }
        for i, obj in enumerate(page_obj.object_list)
    ]
    query = request.GET.copy()
    query.pop("page", None)
    size_query = query.copy()
    size_query.pop("per_page", None)
    size_prefix = f"?{size_query.urlencode()}&" if size_query else "?"
    page_sizes = [{"size": n, "url": f"{size_prefix}per_page={n}", "current": n == per_page} for n in PAGE_SIZES]
    sort_query = request.GET.copy()
    sort_query.pop("sort", None)
    sort_query.pop("page", None)
    headers = []
    for c in page.columns:
        next_sort = ""
        if c.sort:
            next_sort = f"-{c.sort}" if sort == c.sort else c.sort
        headers.append({"label": c.header, "sort": next_sort, "active": sort.lstrip("-") == c.sort and c.sort,
                        "desc": sort.startswith("-")})
    context = {
        "page": page,
        "page_obj": page_obj,
        "paginator": paginator,
        "rows": rows,
        "headers": headers,
        "querystring": query.urlencode(),
        "sort_querystring": sort_query.urlencode(),
        "breadcrumbs": page.breadcrumbs,
        "has_actions": page.row_actions is not None,
        "page_sizes": page_sizes,
        "page_links": page_links(paginator, page_obj, query.urlencode()),
    }
    template = "ui/list_table.html" if getattr(request, "htmx", False) else "ui/list_page.html"
    return render(request, template, context)
