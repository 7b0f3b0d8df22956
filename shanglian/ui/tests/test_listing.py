"""The list page: a page-size choice (每页 20/50/100 条) that keeps the search and sort, and cells that
never break mid-word unless their column is long text."""

from django.urls import reverse

from shanglian import testing


def _enterprises(cast, n):
    for i in range(n):
        testing.make_enterprise(cast.district, name=f"河西区第{i:03d}号测试企业有限公司", chamber=cast.chamber1)


def test_a_list_offers_page_sizes_and_shows_as_many_rows_as_chosen(cast, login):
    _enterprises(cast, 60)
    client = login(cast.users.staff)
    page = client.get(reverse("members:enterprise_list"), {"q": "测试企业", "per_page": 50}).content.decode()
    assert page.count('<td class="col-index">') == 50
    assert '<span class="current-size">50</span>' in page
    assert 'href="?q=%E6%B5%8B%E8%AF%95%E4%BC%81%E4%B8%9A&amp;per_page=100"' in page  # the search is kept
    assert "page=2" in page and "per_page=50" in page.split("下一页")[0].rsplit("href=", 1)[1]


def test_a_page_size_not_offered_falls_back_to_the_default(cast, login):
    _enterprises(cast, 30)
    client = login(cast.users.staff)
    for asked in ("7", "100000000000000000000", "NaN", "-20"):
        response = client.get(reverse("members:enterprise_list"), {"per_page": asked})
        assert response.status_code == 200
        assert response.content.decode().count('<td class="col-index">') == 20


def test_only_long_text_columns_may_wrap(cast, login):
    from shanglian.appeals.tests.factories import make_appeal

    appeal = make_appeal(cast, title="申请稳岗补贴政策解读")
    page = login(cast.users.staff).get(reverse("appeals:list")).content.decode()
    assert '<td class="cell-wrap">申请稳岗补贴政策解读</td>' in page  # the title may wrap
    assert page.count('class="cell-wrap"') == 1  # the number, the enterprise, the dates … do not
    assert f">{appeal.number}</a></td>" in page


def _links_at(number, pages=10_000):
    from django.core.paginator import Paginator

    from shanglian.ui.listing import page_links

    paginator = Paginator(range(pages * 20), 20)
    return page_links(paginator, paginator.page(number), "q=x")


def test_pagination_at_ten_thousand_pages_links_a_bounded_number_of_pages():
    for current in (1, 2, 5, 4_999, 5_000, 9_996, 10_000):
        links = _links_at(current)
        numbers = [link["number"] for link in links if "number" in link]
        assert len(links) <= 9  # first, last, current ± 2 and two "…"
        assert {1, current, 10_000} <= set(numbers)
        assert [link["number"] for link in links if link.get("current")] == [current]
        assert numbers == sorted(numbers)
    middle = _links_at(5_000)
    assert [link.get("number", "…") for link in middle] == [1, "…", 4998, 4999, 5000, 5001, 5002, "…", 10000]
    assert middle[1] == {"ellipsis": True}
    assert middle[2]["url"] == "?q=x&page=4998"


def test_a_list_of_ten_thousand_pages_renders_a_bounded_pagination(rf):
    """The template renders the elided links only, not a loop over every page number."""
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string

    from shanglian.ui.listing import ListPage, page_links

    paginator = Paginator(range(200_000), 20)
    page_obj = paginator.page(5_000)
    html = render_to_string("ui/list_table.html", {
        "page": ListPage(title="测试", columns=[]), "page_obj": page_obj, "paginator": paginator, "rows": [],
        "headers": [], "page_sizes": [], "querystring": "", "page_links": page_links(paginator, page_obj, ""),
    }, request=rf.get("/"))
    pagination = html.split('<div class="pagination">')[1]
    assert pagination.count('href="?page=') == 8  # 1, 4998, 4999, 5001, 5002, 10000, 上一页, 下一页
    assert '<span class="current">5000</span>' in pagination
    assert pagination.count('<span class="ellipsis">…</span>') == 2
    assert 'href="?page=10000">10000</a>' in pagination and 'href="?page=1">1</a>' in pagination
    assert len(pagination) < 2_000


def test_a_searched_list_counts_up_to_the_cap_and_says_there_are_more(cast, login, monkeypatch):
    """A search is counted no further than `SEARCH_COUNT_CAP` rows (a common word's count grows with its
    matches): past it the page says 超过 N 条 and pages through the first N only; below it, 共 N 条."""
    from shanglian.ui import listing

    _enterprises(cast, 7)
    monkeypatch.setattr(listing, "SEARCH_COUNT_CAP", 5)
    client = login(cast.users.staff)
    url = reverse("members:enterprise_list")
    page = client.get(url, {"q": "测试企业", "per_page": 20}).content.decode()
    assert "超过 5 条，仅列出前 5 条" in page and "共 7 条" not in page
    assert page.count('<td class="col-index">') == 5
    last = client.get(url, {"q": "测试企业", "page": 2}).content.decode()  # past the cap: the last page
    assert last.count('<td class="col-index">') == 5
    few = client.get(url, {"q": "第00"}).content.decode()  # 第000 … 第006: 7 > 5
    assert "超过 5 条" in few
    exact = client.get(url, {"q": "第001号"}).content.decode()
    assert "共 1 条" in exact and "超过" not in exact
    whole = client.get(url).content.decode()  # not searched: counted whole
    assert "超过" not in whole and "共 " in whole


def test_a_capped_count_counts_the_form_a_list_is_counted_in(cast):
    """`count_up_to` counts a list counted in another form (`counted_as`: a department's searched tab, counted
    on its assignments) in that form, and stops one past the cap: on SQLite through a LIMIT, on PostgreSQL through
    a CTE (see `count_up_to`)."""
    from shanglian.appeals import selectors
    from shanglian.appeals.models import Status
    from shanglian.appeals.tests.factories import make_appeal
    from shanglian.ui.listing import count_up_to

    for i in range(3):
        make_appeal(cast, Status.ASSIGNED, title=f"贷款贴息申请{i}")  # dispatched to dept1
    make_appeal(cast, Status.REOPENED, title="贷款贴息申请（重办）")  # dept1 holds it twice: counted once
    make_appeal(cast, title="贷款贴息申请（未派单）")
    rows = selectors.appeal_list(cast.users.dept1, filters={"queue": "all", "q": "贷款"})
    assert rows.count() == 4
    assert count_up_to(rows, 10) == 4
    assert count_up_to(rows, 2) == 3  # past the cap: there are more
    assert count_up_to(rows.filter(pk__in=[]), 2) == 0
    assert count_up_to(rows.none(), 2) == 0
    staff_rows = selectors.appeal_list(cast.users.staff, filters={"queue": "all", "q": "贷款"})
    assert count_up_to(staff_rows, 10) == 5


def test_the_export_button_carries_the_lists_search(rf):
    from shanglian.ui.listing import export_action

    searched = export_action(rf.get("/events/", {"q": "培训", "status": "finished"}), "events:export")
    assert (searched.label, searched.url) == ("导出", reverse("events:export") + "?q=%E5%9F%B9%E8%AE%AD&status=finished")
    assert export_action(rf.get("/"), "events:invitations_export", 7).url == reverse("events:invitations_export",
                                                                                       args=[7])
