"""公益项目 pages and services: the list and its filters in each user's scope (a chamber secretary reads the federation's
campaigns and its own chamber's), one campaign's page with its target against what was raised (cash, goods, their
total, distinct donors — in the reader's scope), 新增/编辑/删除 with their refusals (a campaign that donations name is
not deleted), and every per-object page for every role: allowed, refused (403) or another scope's (404)."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.common.models import DictItem
from shanglian.welfare.models import Campaign
from shanglian.welfare.selectors.campaigns import campaign_progress
from shanglian.welfare.services.campaigns import delete_campaign, save_campaign

LIST = reverse("welfare:campaigns")
ROLES = ["admin", "staff", "leader", "chamber1", "chamber2", "dept1", "ent1", "auditor", "outsider_staff"]


def count(page):
    return int(re.search(r"共 (\d+) 条", page).group(1))


@pytest.fixture
def book(cast):
    today = timezone.localdate()
    return {
        "spring": testing.make_campaign(cast.district, name="春芽基金", kind="education", start=date(2023, 1, 1),
                                        target_amount=Decimal("100000")),
        "epidemic": testing.make_campaign(cast.district, name="抗疫捐款", kind="epidemic", start=date(2022, 1, 1),
                                          end=date(2022, 12, 31)),
        "chamber1": testing.make_campaign(cast.district, name="友谊路助学", kind="education", chamber=cast.chamber1,
                                          start=today - timedelta(days=30)),
        "chamber2": testing.make_campaign(cast.district, name="浙商爱心行", kind="poverty", chamber=cast.chamber2,
                                          start=today + timedelta(days=30)),
        "other": testing.make_campaign(cast.other, name="南开区的项目", start=date(2024, 1, 1)),
    }


def campaign_data(**fields):
    values = {"name": "乡村振兴专项", "kind": DictItem.objects.get(kind="welfare_campaign_kind", code="rural"),
              "start": date(2025, 1, 1), "end": None, "target_amount": Decimal("500000"), "target_note": "",
              "description": "", "chamber": None}
    values.update(fields)
    return values


# --- the list ------------------------------------------------------------------------------------------------
def test_each_reader_lists_its_scope_and_a_chamber_reads_the_federations_campaigns(cast, book, login):
    expected = {"staff": {"spring", "epidemic", "chamber1", "chamber2"}, "leader": {"spring", "epidemic", "chamber1",
                                                                                    "chamber2"},
                "chamber1": {"spring", "epidemic", "chamber1"}, "chamber2": {"spring", "epidemic", "chamber2"},
                "outsider_staff": {"other"}}
    for role, keys in expected.items():
        page = login(getattr(cast.users, role)).get(LIST).content.decode()
        assert count(page) == len(keys), role
        for key, campaign in book.items():
            assert (campaign.name in page) == (key in keys), (role, key)
    for role in ("dept1", "ent1", "auditor"):
        assert login(getattr(cast.users, role)).get(LIST).status_code == 403
    assert "新增公益项目" in login(cast.users.chamber1).get(LIST).content.decode()
    assert "新增公益项目" not in login(cast.users.leader).get(LIST).content.decode()


@pytest.mark.parametrize(("query", "expected"), [
    ("q=助学", {"chamber1"}),
    ("state=running", {"spring", "chamber1"}),
    ("state=ended", {"epidemic"}),
    ("state=upcoming", {"chamber2"}),
    ("year=2022", {"epidemic"}),
    ("year=2024", {"spring"}),
    ("owner=chamber", {"chamber1", "chamber2"}),
    ("owner=federation", {"spring", "epidemic"}),
], ids=["name", "running", "ended", "upcoming", "year-2022", "year-2024", "chambers", "federation"])
def test_the_list_filters(cast, book, login, query, expected):
    page = login(cast.users.staff).get(f"{LIST}?{query}").content.decode()
    assert count(page) == len(expected)
    for key, campaign in book.items():
        assert (campaign.name in page) == (key in expected), key


def test_the_list_filters_by_kind_and_refuses_a_bad_search_in_chinese(cast, book, login):
    client = login(cast.users.staff)
    epidemic = DictItem.objects.get(kind="welfare_campaign_kind", code="epidemic")
    page = client.get(f"{LIST}?kind={epidemic.pk}").content.decode()
    assert count(page) == 1 and "抗疫捐款" in page
    page = client.get(f"{LIST}?year=abc&state=nonsense").content.decode()
    assert count(page) == 0 and "年度应为四位数字" in page and "不在可用的选项中" in page


# --- one campaign: its progress ------------------------------------------------------------------------------
def test_the_progress_adds_cash_and_goods_and_counts_a_donor_once(cast, book):
    spring = book["spring"]
    testing.make_donation(cast.ent1, cash="30000.50", chamber=cast.chamber1, campaign=spring)
    testing.make_donation(cast.ent1, goods_value="12000", goods_description="图书", chamber=cast.chamber1,
                          campaign=spring)
    testing.make_donation(cast.ent2, cash="20000", goods_value="0.25", goods_description="文具", chamber=cast.chamber2,
                          campaign=spring)
    testing.make_donation(cast.person1, cash="1000", campaign=spring)
    testing.make_donation(cast.ent2, cash="999", chamber=cast.chamber2)  # not of the campaign
    progress = campaign_progress(cast.users.staff, spring)
    assert (progress.cash, progress.goods, progress.total) == (Decimal("51000.50"), Decimal("12000.25"),
                                                              Decimal("63000.75"))
    assert (progress.donations, progress.donors) == (4, 3)  # ent1 gave twice: one donor
    assert progress.percent == Decimal("63.0") and progress.bar == Decimal("63.0")
    mine = campaign_progress(cast.users.chamber1, spring)  # a chamber secretary: its chamber's donations
    assert (mine.cash, mine.goods, mine.total, mine.donations, mine.donors) == (
        Decimal("30000.50"), Decimal("12000.00"), Decimal("42000.50"), 2, 1)
    testing.make_donation(cast.ent2, cash="50000", chamber=cast.chamber2, campaign=spring)
    over = campaign_progress(cast.users.staff, spring)
    assert over.percent == Decimal("113.0") and over.bar == Decimal(100)
    assert campaign_progress(cast.users.staff, book["epidemic"]).percent is None  # no target


def test_the_detail_shows_target_against_raised_and_the_scoped_donations(cast, book, login):
    spring = book["spring"]
    mine = testing.make_donation(cast.ent1, cash="30000.50", chamber=cast.chamber1, campaign=spring)
    theirs = testing.make_donation(cast.ent2, goods_value="20000", goods_description="文具", chamber=cast.chamber2,
                                   campaign=spring)
    page = login(cast.users.staff).get(spring.get_absolute_url()).content.decode()
    assert "100,000.00 元" in page and "30,000.50 元" in page and "20,000.00 元" in page and "50,000.50 元" in page
    assert "已完成目标的 50.0%" in page and '<progress max="100" value="50.0">' in page
    assert mine.number in page and theirs.number in page and "编辑" in page
    page = login(cast.users.chamber1).get(spring.get_absolute_url()).content.decode()
    assert mine.number in page and theirs.number not in page and "仅统计本商会组织的捐赠" in page
    assert "30,000.50 元" in page and reverse("welfare:campaign_edit", args=[spring.pk]) not in page


READ = {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 200, "dept1": 403, "ent1": 403,
        "auditor": 403, "outsider_staff": 404}
FEDERATION_WRITE = {**READ, "leader": 403, "chamber1": 404, "chamber2": 404}
CHAMBER1_READ = {**READ, "chamber2": 404}
CHAMBER1_WRITE = {**CHAMBER1_READ, "leader": 403}


@pytest.mark.parametrize(("page", "key", "expected"), [
    ("welfare:campaign", "spring", READ), ("welfare:campaign_edit", "spring", FEDERATION_WRITE),
    ("welfare:campaign_delete", "spring", FEDERATION_WRITE), ("welfare:campaign", "chamber1", CHAMBER1_READ),
    ("welfare:campaign_edit", "chamber1", CHAMBER1_WRITE), ("welfare:campaign_delete", "chamber1", CHAMBER1_WRITE),
], ids=["federation-detail", "federation-edit", "federation-delete", "chamber-detail", "chamber-edit",
        "chamber-delete"])
def test_a_campaign_page_for_every_role(cast, book, login, page, key, expected):
    url = reverse(page, args=[book[key].pk])
    for role in ROLES:
        assert login(getattr(cast.users, role)).get(url).status_code == expected[role], role


# --- 新增 / 编辑 / 删除 -----------------------------------------------------------------------------------------
def test_an_editor_creates_a_federation_or_a_chamber_campaign(cast, login):
    client = login(cast.users.staff)
    rural = DictItem.objects.get(kind="welfare_campaign_kind", code="rural")
    response = client.post(reverse("welfare:campaign_create"), {
        "name": "万企帮万村", "kind": rural.pk, "start": "2024-01-01", "target_amount": "658万元",
        "target_note": "159个贫困村全覆盖"})
    campaign = Campaign.objects.get(name="万企帮万村")
    assert response.status_code == 302 and response["Location"] == campaign.get_absolute_url()
    assert (campaign.federation, campaign.chamber, campaign.target_amount) == (cast.district, None,
                                                                               Decimal("6580000.00"))
    assert AuditEvent.objects.filter(action="create", object_type="welfare.campaign").exists()
    response = client.post(reverse("welfare:campaign_create"), {
        "name": "浙商助学", "kind": rural.pk, "start": "2024-01-01", "chamber": cast.chamber2.pk})
    assert response.status_code == 302 and Campaign.objects.get(name="浙商助学").chamber == cast.chamber2


def test_a_chamber_secretary_keeps_its_own_campaigns_only(cast, book, login):
    client = login(cast.users.chamber1)
    rural = DictItem.objects.get(kind="welfare_campaign_kind", code="rural")
    page = client.get(reverse("welfare:campaign_create")).content.decode()
    assert 'name="chamber"' not in page
    response = client.post(reverse("welfare:campaign_create"), {
        "name": "友谊路乡村行", "kind": rural.pk, "start": "2025-01-01", "chamber": cast.chamber2.pk})
    assert response.status_code == 302 and Campaign.objects.get(name="友谊路乡村行").chamber == cast.chamber1
    response = client.post(reverse("welfare:campaign_edit", args=[book["chamber1"].pk]), {
        "name": "友谊路助学（二期）", "kind": rural.pk, "start": "2025-01-01"})
    assert response.status_code == 302
    book["chamber1"].refresh_from_db()
    assert book["chamber1"].name == "友谊路助学（二期）" and book["chamber1"].chamber == cast.chamber1
    with pytest.raises(PermissionDenied):
        save_campaign(actor=cast.users.chamber1, data=campaign_data(), campaign=book["spring"])
    for role in ("leader", "dept1", "ent1", "auditor"):
        with pytest.raises(PermissionDenied):
            save_campaign(actor=getattr(cast.users, role), data=campaign_data())


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"name": " "}, "name", "请填写项目名称。"),
    ({"kind": None}, "kind", "请选择项目类别。"),
    ({"start": None}, "start", "请填写开始日期。"),
    ({"end": date(2024, 12, 31)}, "end", "结束日期不能早于开始日期。"),
    ({"target_amount": Decimal("0")}, "target_amount", "目标金额必须大于0。"),
    ({"target_amount": Decimal("-100")}, "target_amount", "目标金额必须大于0。"),
    ({"target_amount": Decimal("1.005")}, "target_amount", "目标金额最多精确到分（两位小数）。"),
    ({"name": "春芽基金"}, "name", "本工商联已有名为“春芽基金”的公益项目，请换一个名称。"),
], ids=["name", "kind", "start", "end", "zero-target", "negative-target", "fen", "duplicate"])
def test_a_refused_campaign_says_why_and_writes_nothing(cast, book, fields, field, message):
    before = (Campaign.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as caught:
        save_campaign(actor=cast.users.staff, data=campaign_data(**fields))
    assert caught.value.message_dict[field] == [message]
    assert (Campaign.objects.count(), AuditEvent.objects.count()) == before


def test_the_form_page_refuses_in_chinese(cast, login):
    rural = DictItem.objects.get(kind="welfare_campaign_kind", code="rural")
    response = login(cast.users.staff).post(reverse("welfare:campaign_create"), {
        "name": "某项目", "kind": rural.pk, "start": "2025-05-01", "end": "2025-01-01", "target_amount": "-1"})
    page = response.content.decode()
    assert response.status_code == 400 and "结束日期不能早于开始日期" in page and "不能为负数" in page
    assert not Campaign.objects.filter(name="某项目").exists()


def test_a_campaign_that_donations_name_is_not_deleted(cast, book, login):
    spring = book["spring"]
    testing.make_donation(cast.ent1, cash="100", campaign=spring)
    client = login(cast.users.staff)
    page = client.get(reverse("welfare:campaign_delete", args=[spring.pk])).content.decode()
    assert "不能删除公益项目“春芽基金”：还有捐赠 1 条与它关联" in page and "确认删除" not in page
    response = client.post(reverse("welfare:campaign_delete", args=[spring.pk]), follow=True)
    assert "还有捐赠 1 条与它关联" in response.content.decode()
    assert Campaign.objects.filter(pk=spring.pk).exists()
    assert not AuditEvent.objects.filter(action="delete", object_type="welfare.campaign").exists()
    with pytest.raises(PermissionDenied):
        delete_campaign(actor=cast.users.chamber1, campaign=book["epidemic"])
    response = client.post(reverse("welfare:campaign_delete", args=[book["epidemic"].pk]))
    assert response.status_code == 302 and not Campaign.objects.filter(pk=book["epidemic"].pk).exists()
    assert AuditEvent.objects.filter(action="delete", object_type="welfare.campaign").exists()
