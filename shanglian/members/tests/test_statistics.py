"""Member statistics on a hand-built district: every expected figure is worked out in the comments."""

import io
import re
from datetime import date
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.common.models import DictItem
from shanglian.members import figures
from shanglian.members.models import ChamberMembership, EnterpriseRole, Membership
from shanglian.members.selectors import memberships_visible_to
from shanglian.orgs.selectors import chambers_visible_to

NOW = date(2026, 11, 22)  # a date after every event of the dataset
PAST = date(2022, 6, 30)
PAGE = reverse("members:member_statistics")
EXPORT = reverse("members:member_statistics_export")


def _type(code):
    return DictItem.objects.get(kind="enterprise_type", code=code)


@pytest.fixture
def dataset(cast):
    """The district's federation memberships (the cast's own memberships are removed first):

    | member | kind       | type / place / tech   | street   | chamber (since)               | joined     | end               |
    |--------|------------|-----------------------|----------|-------------------------------|------------|-------------------|
    | G1     | group      | chamber1 itself       |          |                               | 2018-01-01 |                   |
    | E1     | enterprise | 个体 / 本地 / 传统     | 友谊路   | chamber1 (2024-03-01); chamber2 2024-06-01 → left 2025-01-01 | 2019-03-01 | |
    | P1     | individual | role in E1 and in E5  |          |                               | 2019-05-01 |                   |
    | E2     | enterprise | 私营 / 本地 / 高新     | 友谊路   |                               | 2020-06-01 | left 2024-05-01   |
    | E3     | enterprise | 私营 / 外地 / 传统     | —        |                               | 2021-01-10 | suspended 2025-07-01 |
    | P2     | individual |                       |          |                               | 2022-01-01 | left 2023-12-31   |
    | E5     | enterprise | 外商投资 / 外地 / 高新 | 东海     | chamber1 (2024-03-01)         | 2022-03-01 |                   |
    | E4     | enterprise | 个体 / 本地 / 传统     | 东海     | chamber2 (2024-03-01)         | 2025-02-01 |                   |
    | X      | enterprise | another federation    |          |                               | 2019-01-01 | never counted     |
    """
    Membership.objects.all().delete()
    d, make = cast.district, testing.make_membership
    donghai = testing.make_street(d, name="东海街道")
    e1 = testing.make_enterprise(d, name="E1个体", enterprise_type=_type("individual"), street=cast.street,
                                 chamber=cast.chamber1)
    ChamberMembership.objects.create(chamber=cast.chamber2, enterprise=e1, joined=date(2024, 6, 1),
                                     left=date(2025, 1, 1), status="left")
    e2 = testing.make_enterprise(d, name="E2私营高新", is_high_tech=True, street=cast.street)
    e3 = testing.make_enterprise(d, name="E3私营外地", is_local=False)
    e4 = testing.make_enterprise(d, name="E4个体", enterprise_type=_type("individual"), street=donghai,
                                 chamber=cast.chamber2)
    e5 = testing.make_enterprise(d, name="E5外资", enterprise_type=_type("foreign"), is_local=False,
                                 is_high_tech=True, street=donghai, chamber=cast.chamber1)
    p1 = testing.make_person(d, name="个人一", enterprise=e1)
    EnterpriseRole.objects.create(person=p1, enterprise=e5, role="shareholder")
    p2 = testing.make_person(d, name="个人二")
    make(d, cast.chamber1, joined=date(2018, 1, 1))
    make(d, e1, joined=date(2019, 3, 1))
    make(d, p1, joined=date(2019, 5, 1))
    make(d, e2, joined=date(2020, 6, 1), left=date(2024, 5, 1), status="left", left_reason="企业注销")
    make(d, e3, joined=date(2021, 1, 10), suspended_on=date(2025, 7, 1), status="suspended")
    make(d, p2, joined=date(2022, 1, 1), left=date(2023, 12, 31), status="left", left_reason="本人申请")
    make(d, e5, joined=date(2022, 3, 1))
    make(d, e4, joined=date(2025, 2, 1))
    make(cast.other, cast.ent_other, joined=date(2019, 1, 1))
    return memberships_visible_to(cast.users.staff)


# --- counts by kind ------------------------------------------------------------------------------------
def test_members_in_force_now_by_kind_with_the_total_computed(dataset):
    # enterprise E1, E4, E5 (E2 left, E3 suspended); individual P1 (P2 left); group G1 → 5; X is elsewhere
    assert figures.counts_by_kind(dataset, NOW) == {"enterprise": 3, "group": 1, "individual": 1, "total": 5}


def test_members_in_force_on_a_past_date_are_those_in_force_then(dataset):
    # 2022-06-30: E1, E2 (leaves only in 2024: counted), E3, E5; not E4 (joins 2025); P1, P2; G1 → 7
    assert figures.counts_by_kind(dataset, PAST) == {"enterprise": 4, "group": 1, "individual": 2, "total": 7}


def test_a_member_who_left_before_the_date_is_not_counted_and_one_leaving_later_is(dataset):
    # P2 leaves on 2023-12-31: in force the day before, not on that day
    assert figures.counts_by_kind(dataset, date(2023, 12, 30))["individual"] == 2
    assert figures.counts_by_kind(dataset, date(2023, 12, 31))["individual"] == 1


def test_a_suspended_member_counts_until_its_suspension_date(dataset):
    # E3 suspended on 2025-07-01: E1, E3, E4, E5 on 06-30; E1, E4, E5 from 07-01
    assert figures.counts_by_kind(dataset, date(2025, 6, 30))["enterprise"] == 4
    assert figures.counts_by_kind(dataset, date(2025, 7, 1))["enterprise"] == 3


def test_a_member_who_has_not_joined_yet_is_not_counted(dataset):
    # 2017: nobody; 2018-12-31: G1 only
    assert figures.counts_by_kind(dataset, date(2017, 12, 31))["total"] == 0
    assert figures.counts_by_kind(dataset, date(2018, 12, 31)) == {
        "enterprise": 0, "group": 1, "individual": 0, "total": 1}


# --- year ends and growth ------------------------------------------------------------------------------
def test_year_end_series_with_growth_joins_departures_and_suspensions(dataset):
    series = figures.year_end_series(dataset, range(2018, 2026))
    # year ends: 2017 0; 2018 G1 = 1; 2019 +E1 +P1 = 3; 2020 +E2 = 4; 2021 +E3 = 5; 2022 +P2 +E5 = 7;
    # 2023 P2 leaves on 12-31 = 6; 2024 E2 leaves = 5; 2025 +E4, E3 suspended = 5
    assert [r.year for r in series] == list(range(2018, 2026))
    assert [r.in_force for r in series] == [1, 3, 4, 5, 7, 6, 5, 5]
    assert [r.previous for r in series] == [0, 1, 3, 4, 5, 7, 6, 5]
    assert [r.growth for r in series] == [1, 2, 1, 1, 2, -1, -1, 0]
    # 2/1, 1/3, 1/4, 2/5, -1/7, -1/6, 0/5; none for 2018 (nobody at the end of 2017)
    assert [r.growth_rate for r in series] == [None] + [Decimal(x) for x in
                                                        ("200.0", "33.3", "25.0", "40.0", "-14.3", "-16.7", "0.0")]
    assert [r.joined for r in series] == [1, 2, 1, 1, 2, 0, 0, 1]
    assert [r.left for r in series] == [0, 0, 0, 0, 0, 1, 1, 0]
    assert [r.suspended for r in series] == [0, 0, 0, 0, 0, 0, 0, 1]


def test_the_first_year_of_a_series_has_its_growth_on_the_year_before(dataset):
    (row,) = figures.year_end_series(dataset, [2022])
    # end of 2021: 5 → end of 2022: 7, +2 = 40.0 %
    assert (row.previous, row.in_force, row.growth, row.growth_rate) == (5, 7, 2, Decimal("40.0"))


def test_average_annual_growth_is_the_compound_rate_over_the_series(dataset):
    # 2020–2025 starts from the end of 2019 (3) and ends at 5: (5/3) ** (1/6) − 1 = 8.89 % → 8.9
    assert figures.average_annual_growth(figures.year_end_series(dataset, range(2020, 2026))) == Decimal("8.9")
    # 2018–2025: nobody at the end of 2017, so from the end of 2018 (1) to 5 in 7 years: 5 ** (1/7) − 1 = 25.8 %
    series = figures.year_end_series(dataset, range(2018, 2026))
    assert figures.growth_basis(series) == (2018, 1)
    assert figures.average_annual_growth(series) == Decimal("25.8")


def test_average_growth_of_the_seed_report_349_to_700():
    # "349家→700家" over two years: sqrt(700 / 349) − 1 = 41.62 % → 41.6
    series = [figures.YearEnd(2019, 500, 349, 0, 0, 0), figures.YearEnd(2020, 700, 500, 0, 0, 0)]
    assert figures.average_annual_growth(series) == Decimal("41.6")


def test_average_growth_of_nothing_is_none(db):
    assert figures.average_annual_growth([]) is None
    assert figures.average_annual_growth([figures.YearEnd(2020, 0, 0, 0, 0, 0)]) is None


# --- 三多三少 -------------------------------------------------------------------------------------------------
def _pairs(memberships, on):
    return {p.key: (p.more, p.less, p.more_share, p.less_share)
            for p in figures.three_more_three_less(memberships, on)}


def test_three_more_three_less_now(dataset):
    # enterprise members: E1 个体/本地/传统, E4 个体/本地/传统, E5 外资/外地/高新 (外资 on neither side of
    # the first pair); persons P1 vs group G1
    assert _pairs(dataset, NOW) == {
        "business_type": (2, 0, Decimal("100.0"), Decimal("0.0")),
        "member_kind": (1, 1, Decimal("50.0"), Decimal("50.0")),
        "locality": (2, 1, Decimal("66.7"), Decimal("33.3")),
        "technology": (2, 1, Decimal("66.7"), Decimal("33.3")),
    }


def test_three_more_three_less_in_the_past(dataset):
    # 2022-06-30: E1 个体/本地/传统, E2 私营/本地/高新, E3 私营/外地/传统, E5 外资/外地/高新; P1, P2 vs G1
    assert _pairs(dataset, PAST) == {
        "business_type": (1, 2, Decimal("33.3"), Decimal("66.7")),
        "member_kind": (2, 1, Decimal("66.7"), Decimal("33.3")),
        "locality": (2, 2, Decimal("50.0"), Decimal("50.0")),
        "technology": (2, 2, Decimal("50.0"), Decimal("50.0")),
    }


def test_individual_members_count_only_as_individuals_not_by_the_place_of_their_enterprise(dataset, cast):
    before = _pairs(dataset, NOW)
    nonlocal_firm = testing.make_enterprise(cast.district, name="外地未入会企业", is_local=False, is_high_tech=True)
    person = testing.make_person(cast.district, name="个人三", enterprise=nonlocal_firm)
    testing.make_membership(cast.district, person, joined=date(2023, 1, 1))
    after = _pairs(dataset, NOW)
    # one more individual (2 vs 1 group); 本地/外地 and 传统/高新 unchanged although the person's only
    # enterprise is 外地 and 高新
    assert after["member_kind"] == (2, 1, Decimal("66.7"), Decimal("33.3"))
    assert after["locality"] == before["locality"] and after["technology"] == before["technology"]


def test_shares_of_nobody_are_none_not_a_division_by_zero(dataset):
    pairs = figures.three_more_three_less(dataset, date(2017, 1, 1))
    assert all((p.more, p.less, p.more_share, p.less_share) == (0, 0, None, None) for p in pairs)


def test_shares_round_half_up_to_one_decimal(db):
    assert figures.share(1, 16) == Decimal("6.3")  # 6.25 → 6.3 (a float round() would give 6.2)
    assert figures.share(1, 3) == Decimal("33.3")
    assert figures.share(-1, 6) == Decimal("-16.7")
    assert figures.share(0, 0) is None and figures.share(3, 0) is None


# --- by chamber, by street -----------------------------------------------------------------------------
def test_enterprise_members_by_chamber_through_chamber_memberships_in_force(dataset, cast):
    # now: chamber1 E1, E5; chamber2 E4 only (E1 left chamber2 on 2025-01-01)
    assert figures.by_chamber(dataset, NOW) == [("友谊路街道商会", 2), ("河西区浙江商会", 1)]
    # 2024-12-31: chamber1 E1, E5; chamber2 E1 (still in it), E4 not yet a federation member
    assert figures.by_chamber(dataset, date(2024, 12, 31)) == [("友谊路街道商会", 2), ("河西区浙江商会", 1)]
    # 2022: no chamber membership had started yet
    assert figures.by_chamber(dataset, PAST) == []
    assert figures.by_chamber(dataset, NOW, limit=1) == [("友谊路街道商会", 2)]


def test_a_suspended_chamber_membership_is_not_counted(dataset, cast):
    ChamberMembership.objects.filter(chamber=cast.chamber2).update(status="suspended")
    assert figures.by_chamber(dataset, NOW) == [("友谊路街道商会", 2)]


def test_by_chamber_lists_only_the_chambers_the_user_may_see(dataset, cast):
    scoped = memberships_visible_to(cast.users.chamber1)
    rows = figures.by_chamber(scoped, date(2024, 12, 31), chambers=chambers_visible_to(cast.users.chamber1))
    # E1 was in chamber2 too on that day, but a chamber1 secretary is not told about chamber2
    assert rows == [("友谊路街道商会", 2)]


def test_enterprise_members_by_street(dataset):
    # now: E4, E5 东海; E1 友谊路
    assert figures.by_street(dataset, NOW) == [("东海街道", 2), ("友谊路街道", 1)]
    # 2022-06-30: E1, E2 友谊路; E5 东海; E3 without a street — listed last among equals
    assert figures.by_street(dataset, PAST) == [("友谊路街道", 2), ("东海街道", 1), ("未填街道", 1)]


# --- scope -----------------------------------------------------------------------------------------------
def test_chamber_secretary_figures_cover_only_its_scope(dataset, cast):
    scoped = memberships_visible_to(cast.users.chamber1)
    # chamber1's member enterprises E1, E5; P1 (holds roles in both: counted once); its own group membership
    assert figures.counts_by_kind(scoped, NOW) == {"enterprise": 2, "group": 1, "individual": 1, "total": 4}
    assert [r.in_force for r in figures.year_end_series(scoped, [2019, 2022])] == [3, 4]
    assert _pairs(scoped, NOW)["locality"] == (1, 1, Decimal("50.0"), Decimal("50.0"))


# --- the page ------------------------------------------------------------------------------------------------
def _count(body, element_id):
    return int(re.search(rf'id="{element_id}">(\d+)<', body).group(1))


def test_statistics_page_shows_the_figures_in_cards_and_tables(dataset, cast, login):
    response = login(cast.users.staff).get(PAGE + "?on=2022-06-30&start_year=2018&end_year=2021")
    body = response.content.decode()
    assert response.status_code == 200
    assert [_count(body, i) for i in ("total-members", "enterprise-members", "group-members",
                                      "individual-members")] == [7, 4, 1, 2]
    assert "<td>企业会员</td><td>4</td><td>57.1%</td>" in body  # 4 / 7
    # 2020: 4 at the year end, 3 the year before, +1 = 33.3 %, 1 joined
    assert ("<td>2020年</td><td>4</td><td>3</td><td>1</td><td>33.3%</td><td>1</td><td>0</td>"
            "<td>0</td>") in body
    assert "<td>2018年</td><td>1</td><td>0</td><td>1</td><td>无数据</td>" in body
    # 2018 → 2021 from 1 (end of 2018) to 5: 5 ** (1/3) − 1 = 71.0 %
    assert 'id="average-growth">71.0%</strong>（2018年末 1 个 → 2021年末 5 个）' in body
    assert "<td>个体工商户</td><td>1</td><td>33.3%</td><td>私营企业</td><td>2</td><td>66.7%</td>" in body
    assert "<td>友谊路街道</td><td>2</td>" in body and "<td>未填街道</td><td>1</td>" in body
    assert 'id="member-stats"' in body and "echarts.min.js" in body and "charts.js" in body
    # the CSP allows no inline script: the only script without a src is the data
    assert [tag for tag in re.findall(r"<script[^>]*>", body) if "src=" not in tag] == [
        '<script id="member-stats" type="application/json">']


def test_statistics_page_defaults_to_today_and_the_last_five_year_ends(dataset, cast, login):
    body = login(cast.users.staff).get(PAGE).content.decode()
    today = timezone.localdate()
    last = today.year if (today.month, today.day) == (12, 31) else today.year - 1
    assert _count(body, "total-members") == 5  # as on NOW: nothing happens after 2025-07-01
    assert f"{last - 4}—{last}年" in body
    assert f"<td>{last - 4}年</td>" in body and f"<td>{last - 5}年</td>" not in body
    assert f'value="{today:%Y-%m-%d}"' in body


def test_chamber_secretary_page_shows_only_its_scope(dataset, cast, login):
    body = login(cast.users.chamber1).get(PAGE + "?on=2024-12-31&start_year=2019&end_year=2024").content.decode()
    # E1, E5, P1, G1 — not E2/E3 (no chamber, E3 would be 未填街道), not E4 nor chamber2's row
    assert _count(body, "total-members") == 4
    assert "河西区浙江商会" not in body and "未填街道" not in body


@pytest.mark.parametrize("user", ["dept1", "auditor", "ent1"])
def test_statistics_page_and_export_are_refused_to_roles_without_member_data(cast, login, user):
    client = login(getattr(cast.users, user))
    assert client.get(PAGE).status_code == 403
    assert client.get(EXPORT).status_code == 403
    assert not AuditEvent.objects.filter(action="export").exists()


@pytest.mark.parametrize("user", ["staff", "leader", "admin"])
def test_statistics_page_is_open_to_federation_roles(dataset, cast, login, user):
    assert login(getattr(cast.users, user)).get(PAGE + "?on=2025-12-31").status_code == 200


@pytest.mark.parametrize(("query", "message"), [
    ("on=2099-01-01", "统计日期不能晚于今天"),
    ("on=not-a-date", "请输入正确的日期"),
    ("on=2025-02-30", "请输入正确的日期"),
    ("start_year=abc", "请输入年份"),
    ("start_year=1900", "年份不能早于 1950 年"),
    ("start_year=2024&end_year=2020", "起始年份不能晚于截止年份"),
    ("on=2025-06-30&end_year=2025", "截止年份不能晚于 2024 年"),
    ("start_year=1960&end_year=2020", "年份跨度不能超过 30 年"),
])
def test_bad_statistics_input_gives_a_chinese_message_and_the_default_figures(dataset, cast, login, query, message):
    response = login(cast.users.staff).get(f"{PAGE}?{query}")
    body = response.content.decode()
    assert response.status_code == 200 and message in body
    assert 'id="total-members"' in body


def test_no_memberships_shows_the_empty_state(cast, login):
    Membership.objects.all().delete()
    body = login(cast.users.staff).get(PAGE).content.decode()
    assert "暂无会员数据" in body and 'id="member-stats"' not in body


def test_members_not_yet_in_force_show_zeros_not_the_empty_state(dataset, cast, login):
    body = login(cast.users.staff).get(PAGE + "?on=2017-06-30&start_year=2016&end_year=2016").content.decode()
    assert "暂无会员数据" not in body and _count(body, "total-members") == 0
    assert "<td>个体工商户</td><td>0</td><td>无数据</td>" in body


def _page_queries(client, query):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"{PAGE}?{query}").status_code == 200
    return len(queries)


def test_page_query_count_is_bounded_and_does_not_grow_with_members_or_years(
        dataset, cast, login, django_assert_max_num_queries):
    client = login(cast.users.staff)
    with django_assert_max_num_queries(30):
        client.get(PAGE + "?on=2025-12-31")
    few = _page_queries(client, "on=2025-12-31")
    assert _page_queries(client, "on=2025-12-31&start_year=1996&end_year=2025") == few
    for i in range(30):
        street = testing.make_street(cast.district, name=f"加量街道{i}")
        enterprise = testing.make_enterprise(cast.district, name=f"加量企业{i}", street=street,
                                             chamber=testing.make_chamber(cast.district, name=f"加量商会{i}"))
        testing.make_membership(cast.district, enterprise, joined=date(2021, 1, 1))
    assert _page_queries(client, "on=2025-12-31") == few


# --- the export ----------------------------------------------------------------------------------------------
def test_statistics_export_has_five_sheets_the_same_figures_and_one_audit_row(dataset, cast, login):
    before = AuditEvent.objects.filter(action="export").count()
    response = login(cast.users.staff).get(EXPORT + "?on=2022-06-30&start_year=2019&end_year=2021")
    assert response.status_code == 200
    assert quote(f"会员统计_{timezone.localdate():%Y%m%d}.xlsx") in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["按类型", "年末增长", "三多三少", "按商会", "按街道"]
    kinds = list(book["按类型"].iter_rows(values_only=True))
    assert kinds[0] == ("会员类型", "2022-06-30 在册数", "占比（%）")
    assert kinds[1:] == [("企业会员", 4, 57.1), ("团体会员", 1, 14.3), ("个人会员", 2, 28.6), ("合计", 7, 100)]
    years = list(book["年末增长"].iter_rows(values_only=True))
    assert years[1] == (2019, 3, 1, 2, 200, 2, 0, 0)
    assert years[-1][:2] == ("年均增长率（%）", 71)  # 1 → 5 from the end of 2018 to the end of 2021
    pairs = list(book["三多三少"].iter_rows(values_only=True))
    assert pairs[1] == ("个体工商户与私营企业", "企业会员", "个体工商户", 1, 33.3, "私营企业", 2, 66.7)
    assert list(book["按街道"].iter_rows(values_only=True))[1:] == [(1, "友谊路街道", 2), (2, "东海街道", 1),
                                                                   (3, "未填街道", 1)]
    assert list(book["按商会"].iter_rows(values_only=True))[1:] == []  # no chamber membership before 2024
    assert AuditEvent.objects.filter(action="export").count() == before + 1
    event = AuditEvent.objects.filter(action="export").latest("id")
    assert event.detail == {"report": "member_statistics", "on": "2022-06-30", "years": [2019, 2021]}
    assert event.actor_id == cast.users.staff.pk


def test_the_form_shows_the_period_the_figures_are_for(dataset, cast, login):
    body = login(cast.users.staff).get(PAGE + "?on=2022-06-30").content.decode()
    # the last five year ends on or before 2022-06-30: 2017–2021
    assert re.search(r'name="on" value="2022-06-30"', body)
    assert re.search(r'name="start_year" value="2017"', body) and re.search(r'name="end_year" value="2021"', body)
    assert "<td>2017年</td>" in body and "<td>2022年</td>" not in body
