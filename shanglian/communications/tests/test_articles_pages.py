"""宣传报道 pages: the list with its filters (among them the articles featuring one enterprise or one person) and its
export in each user's scope, one article's page with whom it features and its scans, 新增/编辑/删除 through the forms
with the registry's pickers — every page for every role of the cast: the federation's roles and the chambers of the
federation read, the editors keep, a leader and a chamber secretary read only, a department, an enterprise and the
auditor 403, another federation's article 404."""

import io
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.communications.models import Article
from shanglian.communications.services.articles import save_article

LIST = reverse("communications:articles")
EXPORT = reverse("communications:articles_export")
CREATE = reverse("communications:article_create")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
ROLES = ["admin", "staff", "leader", "chamber1", "chamber2", "dept1", "ent1", "auditor", "outsider_staff"]
READERS = {"admin", "staff", "leader", "chamber1", "chamber2"}
KEEPERS = {"admin", "staff"}


def count(page):
    return int(re.search(r"共 (\d+) 条", page).group(1))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def articles(cast, media):
    feature = save_article(actor=cast.users.staff, files=[SimpleUploadedFile("版面.png", PNG)], data={
        "title": "王建国：扎根友谊路的科技企业家", "kind": "feature", "outlet": "天津日报", "level": "municipal",
        "published_on": date(2025, 6, 1), "link": "https://www.example.com/1.html", "persons": [cast.person1],
        "enterprises": [cast.ent1]})
    national = testing.make_article(cast.district, title="河西区工商联助企纾困", outlet="人民日报", level="national",
                                    published_on=date(2024, 3, 2), enterprises=[cast.ent2])
    other = testing.make_article(cast.other, title="南开区餐饮企业复苏", outlet="今晚报", level="municipal")
    return {"feature": feature, "national": national, "other": other}


def test_each_reader_lists_exactly_its_federations_articles(cast, articles, login):
    district = {"feature", "national"}
    expected = {"staff": district, "admin": district, "leader": district, "chamber1": district, "chamber2": district,
                "outsider_staff": {"other"}}
    for role, keys in expected.items():
        page = login(getattr(cast.users, role)).get(LIST).content.decode()
        assert count(page) == len(keys), role
        for key, article in articles.items():
            assert (article.title in page) == (key in keys), (role, key)
    for role in ("dept1", "ent1", "auditor"):
        assert login(getattr(cast.users, role)).get(LIST).status_code == 403, role


def test_the_list_names_whom_each_article_features(cast, articles, login):
    page = login(cast.users.staff).get(LIST).content.decode()
    assert "王建国" in page and cast.ent1.name in page and cast.ent2.name in page


def test_the_editors_get_new_and_import_the_readers_only_export(cast, articles, login):
    page = login(cast.users.staff).get(LIST).content.decode()
    assert "新增宣传报道" in page and reverse("communications:article_import") in page and "导出" in page
    for role in ("leader", "chamber1"):
        page = login(getattr(cast.users, role)).get(LIST).content.decode()
        assert "新增宣传报道" not in page and reverse("communications:article_import") not in page and "导出" in page


@pytest.mark.parametrize(("query", "expected"), [
    ("q=人民日报", {"national"}),
    ("q=科技企业家", {"feature"}),
    ("level=national", {"national"}),
    ("kind=feature", {"feature"}),
    ("year=2024", {"national"}),
    ("start=2025-01-01&end=2025-12-31", {"feature"}),
    ("enterprise={ent1}", {"feature"}),
    ("enterprise={ent2}", {"national"}),
    ("person={person1}", {"feature"}),
], ids=["outlet", "title", "level", "kind", "year", "dates", "enterprise", "other-enterprise", "person"])
def test_the_filters_find_their_articles(cast, articles, login, query, expected):
    query = query.format(ent1=cast.ent1.pk, ent2=cast.ent2.pk, person1=cast.person1.pk)
    page = login(cast.users.staff).get(f"{LIST}?{query}").content.decode()
    assert count(page) == len(expected)
    for key, article in articles.items():
        if key != "other":
            assert (article.title in page) == (key in expected), key


def test_a_bad_search_finds_nothing_and_says_why(cast, articles, login):
    page = login(cast.users.staff).get(f"{LIST}?start=2025-05-01&end=2025-01-01").content.decode()
    assert "搜索条件有误" in page and count(page) == 0
    page = login(cast.users.staff).get(f"{LIST}?enterprise={cast.ent_other.pk}").content.decode()
    assert "搜索条件有误" in page and count(page) == 0


def test_the_export_holds_the_filtered_articles_and_is_audited(cast, articles, login):
    response = login(cast.users.chamber1).get(f"{EXPORT}?level=municipal")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][:4] == ("刊发日期", "标题", "媒体", "媒体级别") and len(rows) == 2
    assert rows[1][1] == "王建国：扎根友谊路的科技企业家" and "王建国" in rows[1] and cast.ent1.name in rows[1]
    assert AuditEvent.objects.filter(action="export", actor=cast.users.chamber1).count() == 1


@pytest.mark.parametrize("role", ROLES)
def test_one_articles_page_for_every_role(cast, articles, login, role):
    article = articles["feature"]
    response = login(getattr(cast.users, role)).get(reverse("communications:article", args=[article.pk]))
    expected = 200 if role in READERS else 404 if role == "outsider_staff" else 403
    assert response.status_code == expected
    if expected == 200:
        page = response.content.decode()
        assert "天津日报" in page and "王建国" in page and "版面.png" in page
        assert (reverse("communications:article_edit", args=[article.pk]) in page) == (role in KEEPERS)
        person_link = reverse("members:person_detail", args=[cast.person1.pk])
        assert (person_link in page) == (role != "chamber2")  # chamber2 may not open chamber1's member's page


@pytest.mark.parametrize("role", ROLES)
def test_a_scan_downloads_only_for_the_articles_readers(cast, articles, login, role):
    scan = articles["feature"].scans.get()
    response = login(getattr(cast.users, role)).get(reverse("communications:article_scan", args=[scan.pk]))
    expected = 200 if role in READERS else 404 if role == "outsider_staff" else 403
    assert response.status_code == expected


@pytest.mark.parametrize("page", ["communications:article_edit", "communications:article_delete"])
@pytest.mark.parametrize("role", ROLES)
def test_edit_and_delete_pages_for_every_role(cast, articles, login, role, page):
    response = login(getattr(cast.users, role)).get(reverse(page, args=[articles["feature"].pk]))
    expected = 200 if role in KEEPERS else 404 if role == "outsider_staff" else 403
    assert response.status_code == expected


def test_an_article_is_added_through_the_form_with_the_pickers(cast, login, media):
    client = login(cast.users.staff)
    page = client.get(f"{CREATE}?enterprise={cast.ent1.pk}").content.decode()
    assert cast.ent1.name in page  # the first picker filled from the enterprise's page
    response = client.post(CREATE, {
        "title": "新生代企业家座谈", "kind": "news", "outlet": "区融媒体中心", "level": "district",
        "published_on": "2025-07-01", "person_1": cast.person1.pk, "person_2": cast.person2.pk,
        "person_3": cast.person1.pk, "enterprise_1": cast.ent1.pk, "scans": SimpleUploadedFile("截图.png", PNG)})
    article = Article.objects.get(title="新生代企业家座谈")
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    assert set(article.persons.all()) == {cast.person1, cast.person2} and list(article.enterprises.all()) == [cast.ent1]
    assert article.scans.count() == 1


def test_a_bad_form_is_answered_400_in_chinese_and_nothing_is_written(cast, login, media):
    response = login(cast.users.staff).post(CREATE, {
        "title": "报道", "kind": "news", "outlet": "天津日报", "level": "municipal", "published_on": "2025-07-01",
        "link": "javascript:alert(1)", "person_1": cast.ent_other.pk + 10_000,
        "scans": SimpleUploadedFile("木马.png", b"MZ\x90\x00")})
    assert response.status_code == 400
    page = response.content.decode()
    assert "所选人员不存在或不在您的管理范围内" in page
    assert not Article.objects.exists()
    response = login(cast.users.staff).post(CREATE, {
        "title": "报道", "kind": "news", "outlet": "天津日报", "level": "municipal", "published_on": "2025-07-01",
        "link": "javascript:alert(1)", "scans": SimpleUploadedFile("木马.png", b"MZ\x90\x00")})
    page = response.content.decode()
    assert response.status_code == 400 and "http" in page and "不是允许的类型" in page
    assert not Article.objects.exists()


@pytest.mark.parametrize("role", ["leader", "chamber1"])
def test_a_reader_may_not_post_an_article(cast, login, role):
    response = login(getattr(cast.users, role)).post(CREATE, {
        "title": "报道", "kind": "news", "outlet": "天津日报", "level": "municipal", "published_on": "2025-07-01"})
    assert response.status_code == 403 and not Article.objects.exists()


def test_an_article_is_edited_and_deleted_through_the_pages(cast, articles, login):
    client = login(cast.users.staff)
    national = articles["national"]
    page = client.get(reverse("communications:article_edit", args=[national.pk])).content.decode()
    assert cast.ent2.name in page  # the featured enterprise fills its picker
    response = client.post(reverse("communications:article_edit", args=[national.pk]), {
        "title": national.title, "kind": "series", "outlet": "人民日报", "level": "national",
        "published_on": "2024-03-02", "enterprise_1": cast.ent2.pk, "enterprise_2": cast.ent1.pk})
    assert response.status_code == 302
    national.refresh_from_db()
    assert national.kind == "series" and set(national.enterprises.all()) == {cast.ent1, cast.ent2}
    response = client.post(reverse("communications:article_delete", args=[national.pk]))
    assert response.status_code == 302 and not Article.objects.filter(pk=national.pk).exists()
