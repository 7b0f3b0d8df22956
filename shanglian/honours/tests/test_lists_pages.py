"""榜单 pages: the ranking (the tie rule, warnings, 发布榜单 for the editors only; leaders read; a chamber 403; another
federation 404), the publication's confirmation and POST (a second one refused with a message), the published
lists with filters and the export (every reader of the federation; the rest 403), one list's page (its entries,
its versions with reasons, the banner of a superseded version linking to the current one), 更正榜单 (editors:
version 2; refused on a superseded version), and no page that edits a published list."""

import io
import re
from types import SimpleNamespace

import pytest
from django.urls import NoReverseMatch, get_resolver, reverse
from openpyxl import load_workbook

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.honours.models import HonourList
from shanglian.honours.services import lists as services
from shanglian.honours.services.lists import Entry

LISTS = reverse("honours:lists")


def count(page):
    return int(re.search(r"共 (\d+) 条", page).group(1))


def xlsx(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))


@pytest.fixture
def award(cast):
    """2025: 依法纳税10强 (2 places) in 评审中 with a panel of staff and a third judge who has not finished: 甲 95,
    乙 and 丙 tied at 80 on both criteria; 丁 tied with 戊 on the total (74) but behind on 纳税额."""
    programme = testing.make_programme(cast.district, status="scoring", list_size=2)
    category = programme.categories.get()
    judge = testing.make_judge(programme, cast.users.staff)
    late = testing.make_judge(programme, testing.make_user("staff", username="late", federation=cast.district))
    found = {}
    for key, name, values in (("a", "甲公司", [95, 95]), ("b", "乙公司", [80, 80]), ("c", "丙公司", [80, 80]),
                              ("d", "丁公司", [70, 80]), ("e", "戊公司", [90, 50])):
        found[key] = testing.make_nomination(category, testing.make_enterprise(cast.district, name=name))
        testing.make_scores(found[key], judge, values)
    return SimpleNamespace(programme=programme, category=category, judge=judge, late=late, **found)


# --- the ranking -------------------------------------------------------------------------------------------------
def test_staff_see_the_ranking_with_the_tie_rule_the_warnings_and_the_publish_button(cast, award, login):
    page = login(cast.users.staff).get(reverse("honours:ranking", args=[award.category.pk])).content.decode()
    assert "排名规则" in page and "权重最大的指标" in page and "1、2、2、4" in page
    ranks = re.findall(r'data-rank="(\d+)"', page)
    assert ranks == ["1", "2", "2", "4", "5"]
    assert page.count("data-listed") == 3 and "并列" in page
    assert "与上一名综合得分相同，按“纳税额”均分排后" in page  # 丁 after 戊 (both 74.000)
    assert "late" in page and "5 个提名未评完" in page  # the judge who has not finished
    assert "榜单共 3 家，多于上榜名额 2 家" in page
    assert reverse("honours:list_publish", args=[award.category.pk]) in page


def test_a_leader_reads_the_ranking_without_the_publish_button(cast, award, login):
    response = login(cast.users.leader).get(reverse("honours:ranking", args=[award.category.pk]))
    assert response.status_code == 200 and "甲公司" in response.content.decode()
    assert reverse("honours:list_publish", args=[award.category.pk]) not in response.content.decode()


@pytest.mark.parametrize(("who", "status"), [("chamber1", 403), ("dept1", 403), ("ent1", 403), ("auditor", 403),
                                             ("outsider_staff", 404)])
def test_the_ranking_is_refused_outside_the_federations_roles_and_scope(cast, award, login, who, status):
    assert login(getattr(cast.users, who)).get(reverse("honours:ranking", args=[award.category.pk])).status_code \
        == status


# --- publishing ------------------------------------------------------------------------------------------------
def test_publishing_asks_for_confirmation_then_publishes_once(cast, award, login):
    client = login(cast.users.staff)
    url = reverse("honours:list_publish", args=[award.category.pk])
    page = client.get(url).content.decode()
    assert "确认发布" in page and "发布后不能修改" in page and "data-confirm" in page
    assert not HonourList.objects.exists()  # a GET publishes nothing
    response = client.post(url)
    honour_list = HonourList.objects.get()
    assert response.status_code == 302 and response["Location"] == honour_list.get_absolute_url()
    assert "共 3 家企业上榜" in client.get(response["Location"]).content.decode()
    response = client.post(url, follow=True)
    assert "已发布榜单（第1版），不能重复发布" in response.content.decode()
    assert HonourList.objects.count() == 1
    page = client.get(url).content.decode()
    assert "不能重复发布" in page and "确认发布" not in page
    ranking_page = client.get(reverse("honours:ranking", args=[award.category.pk])).content.decode()
    assert "查看已发布榜单（第1版）" in ranking_page and url not in ranking_page


@pytest.mark.parametrize(("who", "status"), [("leader", 403), ("chamber1", 403), ("outsider_staff", 404)])
def test_only_editors_of_the_federation_may_publish(cast, award, login, who, status):
    client = login(getattr(cast.users, who))
    url = reverse("honours:list_publish", args=[award.category.pk])
    assert client.get(url).status_code == status and client.post(url).status_code == status
    assert not HonourList.objects.exists()


# --- the published lists -----------------------------------------------------------------------------------------
@pytest.fixture
def published(cast, award):
    """Version 1 published, then corrected into version 2 (乙 removed); and a 2024 list of another programme."""
    first = services.publish_list(actor=cast.users.staff, category=award.category)
    second = services.correct_list(actor=cast.users.staff, honour_list=first, reason="乙公司存在欠税记录，予以撤销",
                                   entries=[Entry(award.a.enterprise, 1), Entry(award.c.enterprise, 2)])
    old = testing.make_programme(cast.district, year=2024, status="closed", categories=("和谐劳动关系",))
    earlier = testing.make_honour_list(old.categories.get(), [cast.ent1, cast.ent2])
    other = testing.make_programme(cast.other, year=2025, status="closed", categories=("促进就业",))
    testing.make_honour_list(other.categories.get(), [cast.ent_other])
    return SimpleNamespace(first=HonourList.objects.get(pk=first.pk), second=second, earlier=earlier)


def test_every_reader_of_the_federation_sees_its_published_lists(cast, published, login):
    for who in ("staff", "leader", "chamber1", "chamber2", "admin"):
        page = login(getattr(cast.users, who)).get(LISTS).content.decode()
        assert count(page) == 3, who
        assert "依法纳税10强" in page and "和谐劳动关系10强" in page and "促进就业10强" not in page
    for who in ("dept1", "ent1", "auditor"):
        assert login(getattr(cast.users, who)).get(LISTS).status_code == 403


@pytest.mark.parametrize(("query", "expected"), [
    ("year=2024", {"和谐劳动关系10强 1"}),
    ("state=current", {"依法纳税10强 2", "和谐劳动关系10强 1"}),
    ("state=superseded", {"依法纳税10强 1"}),
    ("q=丙公司", {"依法纳税10强 1", "依法纳税10强 2"}),
    ("q=天津友谊", {"和谐劳动关系10强 1"}),
], ids=["year", "current", "superseded", "enterprise-v1-v2", "enterprise-2024"])
def test_the_lists_are_filtered_by_year_state_and_enterprise(cast, published, login, query, expected):
    page = login(cast.users.staff).get(f"{LISTS}?{query}").content.decode()
    found = set(re.findall(r"(依法纳税10强|和谐劳动关系10强)</a>.*?第(\d)版", page, re.S))
    assert {f"{name} {version}" for name, version in found} == expected


def test_a_list_is_filtered_by_programme_and_category_and_a_wrong_filter_finds_nothing(cast, published, login):
    client = login(cast.users.staff)
    category = published.earlier.category
    assert count(client.get(f"{LISTS}?programme={category.programme_id}").content.decode()) == 1
    assert count(client.get(f"{LISTS}?category={published.second.category_id}").content.decode()) == 2
    other = HonourList.objects.get(category__programme__federation=cast.other)
    page = client.get(f"{LISTS}?category={other.category_id}").content.decode()
    assert count(page) == 0 and "所选榜单类别不存在或不在您的查看范围内" in page
    page = client.get(f"{LISTS}?year=1800").content.decode()
    assert count(page) == 0 and "搜索条件有误" in page


def test_the_export_holds_the_filtered_lists_and_their_entries_and_is_audited(cast, published, login):
    response = login(cast.users.chamber1).get(reverse("honours:lists_export") + "?state=current")
    assert response.status_code == 200
    book = xlsx(response)
    lists = list(book["榜单"].iter_rows(values_only=True))
    assert lists[0][:5] == ("年度", "评选活动", "榜单", "版本", "状态")
    assert sorted((row[2], row[3]) for row in lists[1:]) == [("依法纳税10强", "第2版"), ("和谐劳动关系10强", "第1版")]
    entries = list(book["上榜企业"].iter_rows(values_only=True))
    assert sorted((row[1], row[4], row[6]) for row in entries[1:]) == [
        ("依法纳税10强", 1, "甲公司"), ("依法纳税10强", 2, "丙公司"), ("和谐劳动关系10强", 1, "天津友谊科技有限公司"),
        ("和谐劳动关系10强", 2, "天津之江贸易有限公司")]
    assert AuditEvent.objects.filter(action="export", object_type="honours.honourlist", username="chamber1").count() == 1
    for who in ("dept1", "ent1"):
        assert login(getattr(cast.users, who)).get(reverse("honours:lists_export")).status_code == 403


def test_a_lists_page_shows_its_entries_and_versions_with_their_reasons(cast, published, login):
    page = login(cast.users.chamber2).get(published.second.get_absolute_url()).content.decode()
    assert "2025年依法纳税10强" in page and "第2版" in page and "现行版本" in page
    table = page.split('id="list-entries"')[1].split('id="list-versions"')[0]
    assert "甲公司" in table and "丙公司" in table and "乙公司" not in table
    assert "乙公司存在欠税记录，予以撤销" in page and "superseded-banner" not in page
    assert reverse("honours:list", args=[published.first.pk]) in page  # version 1 in the history


def test_a_superseded_version_says_so_and_links_to_the_current_one(cast, published, login):
    page = login(cast.users.staff).get(published.first.get_absolute_url()).content.decode()
    assert "此版本已被更正" in page and "查看现行的第2版" in page
    assert reverse("honours:list", args=[published.second.pk]) in page
    assert "乙公司" in page  # as it was published
    assert reverse("honours:list_correct", args=[published.first.pk]) not in page


def test_another_federations_list_is_not_found(cast, published, login):
    other = HonourList.objects.get(category__programme__federation=cast.other)
    assert login(cast.users.staff).get(other.get_absolute_url()).status_code == 404
    assert login(cast.users.outsider_staff).get(published.second.get_absolute_url()).status_code == 404
    assert login(cast.users.dept1).get(published.second.get_absolute_url()).status_code == 403


# --- corrections ---------------------------------------------------------------------------------------------------
def test_staff_correct_a_list_into_the_next_version(cast, published, login, award):
    client = login(cast.users.staff)
    url = reverse("honours:list_correct", args=[published.second.pk])
    page = client.get(url).content.decode()
    assert "更正原因" in page and "甲公司" in page and "丙公司" in page
    a_entry, c_entry = published.second.entries.order_by("rank")
    response = client.post(url, {
        f"rank_{a_entry.pk}": "2", f"rank_{c_entry.pk}": "1", "add_enterprise_1": str(award.d.enterprise.pk),
        "add_rank_1": "3", "reason": "名次录入有误，予以更正", "add_rows": "5"})
    third = HonourList.objects.get(category=award.category, version=3)
    assert response.status_code == 302 and response["Location"] == third.get_absolute_url()
    assert list(third.entries.order_by("rank").values_list("enterprise_name", "rank")) == [
        ("丙公司", 1), ("甲公司", 2), ("丁公司", 3)]
    assert third.reason == "名次录入有误，予以更正"
    published.second.refresh_from_db()
    assert not published.second.is_current


def test_a_correction_without_a_reason_or_with_a_blank_rank_is_refused(cast, published, login):
    client = login(cast.users.staff)
    url = reverse("honours:list_correct", args=[published.second.pk])
    a_entry, c_entry = published.second.entries.order_by("rank")
    response = client.post(url, {f"rank_{a_entry.pk}": "1", f"rank_{c_entry.pk}": "", "reason": ""})
    page = response.content.decode()
    assert response.status_code == 400 and "请填写更正原因" in page and "请填写名次，或勾选移除" in page
    response = client.post(url, {f"rank_{a_entry.pk}": "1", f"remove_{c_entry.pk}": "on", "reason": "撤销丙公司",
                                 "add_enterprise_1": str(cast.ent_other.pk), "add_rank_1": "2"})
    assert response.status_code == 400 and "不存在或不在您的管理范围内" in response.content.decode()
    assert HonourList.objects.filter(category=published.second.category).count() == 2


def test_a_superseded_version_cannot_be_corrected_from_its_page(cast, published, login):
    client = login(cast.users.staff)
    url = reverse("honours:list_correct", args=[published.first.pk])
    response = client.get(url, follow=True)
    assert "此版本（第1版）已被更正，不能再更正；请在现行的第2版上更正" in response.content.decode()
    entry = published.first.entries.order_by("rank").first()
    response = client.post(url, {f"rank_{entry.pk}": "1", "reason": "再改"})
    assert response.status_code == 302 and HonourList.objects.filter(category=published.first.category).count() == 2


@pytest.mark.parametrize(("who", "status"), [("leader", 403), ("chamber1", 403), ("dept1", 403),
                                             ("outsider_staff", 404)])
def test_only_editors_of_the_federation_correct(cast, published, login, who, status):
    client = login(getattr(cast.users, who))
    url = reverse("honours:list_correct", args=[published.second.pk])
    assert client.get(url).status_code == status
    assert client.post(url, {"reason": "改"}).status_code == status
    assert HonourList.objects.filter(category=published.second.category).count() == 2


def test_there_is_no_page_that_edits_a_published_list():
    for name in ("honours:list_edit", "honours:list_update", "honours:list_delete", "honours:entry_edit"):
        with pytest.raises(NoReverseMatch):
            reverse(name, args=[1])
    resolver = get_resolver().namespace_dict["honours"][1]
    names = [name for name in resolver.reverse_dict if isinstance(name, str) and name.startswith("list")]
    assert sorted(names) == ["list", "list_correct", "list_publish", "lists", "lists_export"]
