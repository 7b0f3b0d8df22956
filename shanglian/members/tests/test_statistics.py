"""Member statistics on a hand-built dataset; every expected figure is worked out in the comments."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.common.models import DictItem
from shanglian.members import statistics
from shanglian.members.models import Membership
from shanglian.members.selectors import memberships_visible_to

TODAY = date(2026, 11, 22)
PAST = date(2022, 6, 30)


@pytest.fixture
def dataset(cast):
    """E1 个体/本地/传统 in chamber1, joined 2019-03-01
    E2 私营/本地/高新, joined 2020-06-01, left 2024-05-01
    E3 私营/外地/传统, joined 2021-01-10, suspended 2025-07-01
    E4 个体/本地/传统 in chamber2, joined 2025-02-01
    P1 individual, joined 2019-05-01;  P2 individual, joined 2022-01-01, left 2023-12-31
    G1 group (chamber1), joined 2018-01-01"""
    Membership.objects.all().delete()
    district = cast.district
    individual = DictItem.objects.get(kind="enterprise_type", code="individual")
    other_street = testing.make_street(district, name="东海街道")
    e1 = testing.make_enterprise(district, name="E1个体", enterprise_type=individual, street=cast.street,
                                 chamber=cast.chamber1)
    e2 = testing.make_enterprise(district, name="E2私营高新", is_high_tech=True, street=cast.street)
    e3 = testing.make_enterprise(district, name="E3私营外地", is_local=False)
    e4 = testing.make_enterprise(district, name="E4个体", enterprise_type=individual, street=other_street,
                                 chamber=cast.chamber2)
    p1 = testing.make_person(district, name="个人一")
    p2 = testing.make_person(district, name="个人二")
    make = testing.make_membership
    make(district, e1, joined=date(2019, 3, 1))
    make(district, e2, joined=date(2020, 6, 1), left=date(2024, 5, 1), status="left", left_reason="企业注销")
    make(district, e3, joined=date(2021, 1, 10), suspended_on=date(2025, 7, 1), status="suspended")
    make(district, e4, joined=date(2025, 2, 1))
    make(district, p1, joined=date(2019, 5, 1))
    make(district, p2, joined=date(2022, 1, 1), left=date(2023, 12, 31), status="left")
    make(district, cast.chamber1, joined=date(2018, 1, 1))
    make(cast.other, cast.ent_other, joined=date(2019, 1, 1))  # another federation: never counted
    return memberships_visible_to(cast.users.staff)


def test_members_in_force_today_by_kind(dataset):
    # in force: E1, E4 (enterprise); P1 (individual); G1 (group) — E2 left, E3 suspended, P2 left
    assert statistics.counts_by_kind(dataset, TODAY) == {"enterprise": 2, "individual": 1, "group": 1, "total": 4}


def test_members_in_force_on_a_past_date_are_those_in_force_then(dataset):
    # 2022-06-30: E1, E2, E3 (E4 not yet); P1, P2; G1
    assert statistics.counts_by_kind(dataset, PAST) == {"enterprise": 3, "individual": 2, "group": 1, "total": 6}


def test_member_leaving_on_year_end_is_not_in_force_that_day(dataset):
    assert statistics.counts_by_kind(dataset, date(2023, 12, 30))["individual"] == 2
    assert statistics.counts_by_kind(dataset, date(2023, 12, 31))["individual"] == 1


def test_year_end_series_and_growth(dataset):
    series = statistics.year_end_series(dataset, range(2018, 2026))
    # year ends: 2018 G1=1; 2019 +E1,P1=3; 2020 +E2=4; 2021 +E3=5; 2022 +P2=6; 2023 -P2=5; 2024 -E2=4;
    # 2025 +E4 -E3(suspended)=4
    assert [r.in_force for r in series] == [1, 3, 4, 5, 6, 5, 4, 4]
    assert [r.joined for r in series] == [1, 2, 1, 1, 1, 0, 0, 1]
    assert [r.left for r in series] == [0, 0, 0, 0, 0, 1, 1, 0]
    assert [r.growth for r in series] == [None, 2, 1, 1, 1, -1, -1, 0]
    assert [r.growth_rate for r in series] == [None, 200.0, 33.3, 25.0, 20.0, -16.7, -20.0, 0.0]
    # (4 / 1) ** (1 / 7) - 1 = 0.2190 → 21.9 %
    assert statistics.average_annual_growth(series) == 21.9


def test_three_more_three_less_today_and_in_the_past(dataset):
    today = {p.label: (p.more, p.less, p.more_share, p.less_share)
             for p in statistics.three_more_three_less(dataset, TODAY)}
    # enterprise members today: E1, E4 — both 个体, 本地, 传统; persons P1 vs group G1
    assert today == {
        "个体工商户与私营企业": (2, 0, 100.0, 0.0),
        "个人会员与团体会员": (1, 1, 50.0, 50.0),
        "本地会员与外地会员": (2, 0, 100.0, 0.0),
        "传统产业与高新技术": (2, 0, 100.0, 0.0),
    }
    past = {p.label: (p.more, p.less, p.more_share) for p in statistics.three_more_three_less(dataset, PAST)}
    # 2022-06-30: E1 个体/本地/传统, E2 私营/本地/高新, E3 私营/外地/传统; P1, P2 vs G1
    assert past == {
        "个体工商户与私营企业": (1, 2, 33.3),
        "个人会员与团体会员": (2, 1, 66.7),
        "本地会员与外地会员": (2, 1, 66.7),
        "传统产业与高新技术": (2, 1, 66.7),
    }


def test_by_chamber_and_by_street(dataset, cast):
    assert statistics.by_chamber(dataset, TODAY) == [("友谊路街道商会", 1), ("河西区浙江商会", 1)]
    assert statistics.by_street(dataset, TODAY) == [("东海街道", 1), ("友谊路街道", 1)]
    # E2 was a member in 2022 in 友谊路街道, E3 has no street
    assert statistics.by_street(dataset, PAST) == [("友谊路街道", 2), ("未填街道", 1)]


def test_shares_of_nothing_are_not_a_division_by_zero(db):
    assert statistics.share(0, 0) is None
    assert statistics.average_annual_growth([]) is None


def test_chamber_secretary_figures_cover_only_its_scope(dataset, cast):
    scoped = memberships_visible_to(cast.users.chamber1)
    # chamber1: its member enterprise E1 and its own group membership; E4 belongs to chamber2
    assert statistics.counts_by_kind(scoped, TODAY) == {"enterprise": 1, "individual": 0, "group": 1, "total": 2}


def test_statistics_page_shows_the_figures(dataset, cast, login, django_assert_max_num_queries):
    client = login(cast.users.staff)
    with django_assert_max_num_queries(40):
        response = client.get(reverse("members:member_statistics") + "?on=2022-06-30&start_year=2018")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<span class="todo-count" id="total-members">6</span>' in body
    assert "33.3%" in body and 'id="member-stats"' in body


def test_statistics_page_query_count_does_not_grow_with_members(dataset, cast, login, django_assert_max_num_queries):
    for i in range(30):
        testing.make_membership(cast.district, testing.make_enterprise(cast.district, name=f"加量企业{i}"))
    client = login(cast.users.staff)
    with django_assert_max_num_queries(40):
        client.get(reverse("members:member_statistics") + "?start_year=2018")


@pytest.mark.parametrize(("query", "message"), [
    ("on=2099-01-01", "统计日期不能晚于今天"),
    ("on=not-a-date", "请输入正确的日期"),
    ("start_year=abc", "请输入年份"),
])
def test_bad_statistics_input_gives_a_chinese_message(cast, login, query, message):
    response = login(cast.users.staff).get(reverse("members:member_statistics") + "?" + query)
    assert response.status_code == 200 and message in response.content.decode()


def test_empty_federation_shows_empty_state(cast, login):
    Membership.objects.all().delete()
    body = login(cast.users.staff).get(reverse("members:member_statistics") + "?start_year=2026").content.decode()
    assert "暂无会员数据" in body


def test_statistics_export_has_five_sheets_and_is_audited(dataset, cast, login):
    response = login(cast.users.staff).get(reverse("members:member_statistics_export") + "?on=2022-06-30")
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["按类型", "年末增长", "三多三少", "按商会", "按街道"]
    kinds = list(book["按类型"].iter_rows(values_only=True))
    assert kinds[-1] == ("合计", 6)
    event = AuditEvent.objects.filter(action="export").latest("id")
    assert event.detail == {"report": "member_statistics", "on": "2022-06-30"}
