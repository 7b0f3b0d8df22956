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
