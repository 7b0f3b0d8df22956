"""The appeal list's search through an index finds exactly what the plain substring search found:
number (any case) | title contains | enterprise name contains — for every substring of the titles and
names, 1-character words (a LIKE fallback) included, and after a title changes."""

from django.db.models import Q

from shanglian import testing
from shanglian.appeals import selectors
from shanglian.appeals.models import Appeal
from shanglian.appeals.tests.factories import submit

TITLES = ["申请稳岗补贴政策解读", "厂区道路积水影响通行", "补贴", "ABC企业融资 贷款贴息咨询", "100%_完成率\"统计\"口径",
          "关于用电增容的诉求", "Wi-Fi 覆盖不足", "稳岗"]


def _old(user, q):
    """The search as it was: a LIKE over number, title and the enterprise's name."""
    qs = selectors.appeals_visible_to(user)
    return set(qs.filter(Q(number__iexact=q) | Q(title__icontains=q) | Q(enterprise__name__icontains=q))
               .values_list("pk", flat=True))


def _new(user, q):
    return set(selectors.appeal_list(user, filters={"q": q}).values_list("pk", flat=True))


def _words(texts):
    words = set()
    for text in texts:
        for size in (1, 2, 3, 4):
            words.update(text[i:i + size] for i in range(len(text) - size + 1))
    return {w.strip() for w in words if w.strip()}


def test_the_indexed_search_finds_what_the_substring_search_found(cast):
    other = testing.make_enterprise(cast.district, name="天津市河西区恒远商贸有限公司", chamber=cast.chamber1)
    appeals = [submit(cast, title=title, enterprise=other, actor=cast.users.staff) if i % 3 == 0
               else submit(cast, title=title) for i, title in enumerate(TITLES)]
    Appeal.objects.filter(pk=appeals[-1].pk).update(title="稳岗返还已到账")  # a changed title is found anew
    staff = cast.users.staff
    numbers = list(Appeal.objects.values_list("number", flat=True))
    queries = _words([*TITLES, "稳岗返还已到账", other.name, cast.ent1.name]) | {
        *numbers, *(n.lower() for n in numbers), numbers[0][:6], "abc", "wi-fi", "%", "_", '"', "100%", "不存在的词语"}
    assert len(queries) > 300
    found_any = 0
    for q in sorted(queries):
        expected = _old(staff, q)
        assert _new(staff, q) == expected, q
        found_any += bool(expected)
    assert found_any > 250
    assert _new(staff, "积水影响") == {appeals[1].pk}
    assert _new(staff, "稳岗") == {appeals[0].pk, appeals[-1].pk}
    assert _new(staff, "补贴") == {appeals[0].pk, appeals[2].pk}
    assert _new(staff, "稳岗补贴政策") == {appeals[0].pk}


def test_the_search_keeps_the_scope(cast):
    mine = submit(cast, title="积水影响通行")
    assert _new(cast.users.staff, "积水") == {mine.pk}
    assert _new(cast.users.outsider_staff, "积水") == set()


def test_a_common_word_shows_the_same_page_through_the_sort_index(cast, monkeypatch):
    """Past DENSE_MATCHES a page of the list is read by walking the sort index (`+id IN (…)` on SQLite);
    the count, the rows and their order stay those of the old search, on every page and every sort."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shanglian.appeals import search

    for i in range(7):
        submit(cast, title=f"融资贷款贴息第{i}批")
    submit(cast, title="厂区积水")
    monkeypatch.setattr(search, "DENSE_MATCHES", 0)
    staff = cast.users.staff
    for order in (["-submitted_at", "-id"], ["number", "-id"], ["deadline", "-id"]):
        found = selectors.appeal_list(staff, filters={"q": "贷款"}).order_by(*order)
        old = selectors.appeals_visible_to(staff).filter(
            Q(number__iexact="贷款") | Q(title__icontains="贷款") | Q(enterprise__name__icontains="贷款")).order_by(*order)
        assert found.count() == old.count() == 7
        for start in (0, 3, 6):
            with CaptureQueriesContext(connection) as queries:
                page = [a.pk for a in found[start:start + 3]]
            assert page == [a.pk for a in old[start:start + 3]]
            if connection.vendor == "sqlite":
                assert '+"appeals_appeal"."id" IN' in queries[-1]["sql"]


def test_a_chambers_count_of_a_common_word_reads_its_members_appeals_first(cast, monkeypatch):
    """For a chamber (its members' appeals: a few percent of the city's) the count of a common word also reads
    the scope through its index and tests each appeal against the matches (`+id IN (…)` on SQLite): the same
    count and page as the old search, and nothing of another chamber's members."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shanglian.appeals import search

    for i in range(4):
        submit(cast, enterprise=cast.ent1, title=f"融资贷款贴息第{i}批")  # chamber1's member
    for i in range(3):
        submit(cast, actor=cast.users.staff, enterprise=cast.ent2, title=f"贷款展期第{i}批")  # chamber2's member
    monkeypatch.setattr(search, "DENSE_MATCHES", 0)
    for user, expected in ((cast.users.chamber1, 4), (cast.users.chamber2, 3)):
        found = selectors.appeal_list(user, filters={"q": "贷款"})
        old = selectors.appeals_visible_to(user).filter(
            Q(number__iexact="贷款") | Q(title__icontains="贷款") | Q(enterprise__name__icontains="贷款"))
        with CaptureQueriesContext(connection) as queries:
            assert found.count() == old.count() == expected
        assert [a.pk for a in found.order_by("-submitted_at", "-id")[:3]] == [
            a.pk for a in old.order_by("-submitted_at", "-id")[:3]]
        if connection.vendor == "sqlite":
            assert '+"appeals_appeal"."id" IN' in queries[0]["sql"]


def _postgresql_only():
    from django.db import connection

    if connection.vendor != "postgresql":
        import pytest

        pytest.skip("the PostgreSQL form of the search")


def test_on_postgresql_the_search_is_a_condition_on_the_appeal_row(cast):
    """PostgreSQL tests the words on each appeal (title pieces, number, `enterprise_id = ANY(…)`): no id list,
    so the planner may walk the sort index; a 2-character word is its one piece, no LIKE."""
    _postgresql_only()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    submit(cast, title="融资贷款贴息")
    for word, like in (("贷款", False), ("贷款贴息", True)):
        with CaptureQueriesContext(connection) as queries:
            list(selectors.appeal_list(cast.users.staff, filters={"q": word}).order_by("-submitted_at", "-id")[:20])
        sql = queries[-1]["sql"]
        assert '"appeals_appeal".search_bigrams @> shanglian_bigrams' in sql
        assert '"appeals_appeal"."enterprise_id" = ANY(ARRAY(' in sql
        assert "UNION ALL" not in sql
        assert ("LIKE" in sql.split("shanglian_bigrams", 1)[1].split("ANY(ARRAY", 1)[0]) is like


def test_on_postgresql_the_walk_of_the_sort_index_shows_the_same_pages(cast):
    """The plan a common word gets at city scale (the sort index walked, each appeal tested), forced here on
    a small table: the count, the rows and their order are those of the old search, on every page and sort."""
    _postgresql_only()
    from django.db import connection, transaction

    for i in range(7):
        submit(cast, title=f"融资贷款贴息第{i}批")
    submit(cast, title="厂区积水", enterprise=testing.make_enterprise(cast.district, name="天津贷款咨询有限公司"),
           actor=cast.users.staff)
    submit(cast, title="厂区积水")
    staff = cast.users.staff
    for word in ("贷款", "贷款贴", "款"):
        old_all = selectors.appeals_visible_to(staff).filter(
            Q(number__iexact=word) | Q(title__icontains=word) | Q(enterprise__name__icontains=word))
        for order in (["-submitted_at", "-id"], ["number", "-id"], ["deadline", "-id"]):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_bitmapscan = off")
                cursor.execute("SET LOCAL enable_seqscan = off")
                found = selectors.appeal_list(staff, filters={"q": word}).order_by(*order)
                old = old_all.order_by(*order)
                assert found.count() == old.count() == {"贷款": 8, "贷款贴": 7, "款": 8}[word]
                for start in (0, 3, 6):
                    assert [a.pk for a in found[start:start + 3]] == [a.pk for a in old[start:start + 3]]


def test_on_postgresql_the_title_pieces_have_planner_statistics(cast):
    """Migration 0010: the planner knows how many appeals hold a piece (a common word walks the sort index)."""
    _postgresql_only()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT attstattarget FROM pg_attribute WHERE attrelid = 'appeals_appeal'::regclass "
                       "AND attname = 'search_bigrams'")
        assert cursor.fetchone()[0] != 0
