"""各区对比 (`reports.aggregation`, `district_views.districts`): a city sees each of its districts and its own total,
which equals the plain sum of the districts for the figures that add up (hand-built two districts, values counted
by hand here); rates are not summed and a missing one reads 无数据 with its reason; every cell links to the records
of its district; a district sees only itself; `?federation=` outside the scope is 404; the other roles 403; the
xlsx export (audited); the query count does not grow with the rows."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from shanglian.accounts.roles import Role
from shanglian.audit.models import AuditEvent
from shanglian.common.periods import Period
from shanglian.members.models import Enterprise, Membership
from shanglian.reports import aggregation
from shanglian.reports.models import ExternalIndicator, ExternalValue, PeriodKind
from shanglian.testing import make_donation, make_enterprise, make_membership, make_user

pytestmark = pytest.mark.django_db

PAGE = reverse("reports:districts")
YEAR = Period.year(2025)
KEYS = ("members.in_force", "members.in_force.enterprise", "members.in_force.individual", "members.in_force.group",
        "members.joined", "welfare.total", "welfare.donor_enterprises", "welfare.village_coverage")


def _members(federation, n, joined=date(2025, 3, 1)):
    return [make_membership(federation, make_enterprise(federation), joined=joined) for _ in range(n)]


@pytest.fixture
def data(cast):
    """The cast's district (河西: ent1, ent2, person1 and chamber1 members since 2020) and other district (南开:
    ent_other since 2020), plus this year's joins and donations:
    河西 +3 firms joined 2025, ent1 gives 10,000 元; 南开 +2 firms joined 2025, ent_other gives 25,000 元."""
    _members(cast.district, 3)
    _members(cast.other, 2)
    make_donation(cast.ent1, cash="10000")
    make_donation(cast.ent_other, cash="25000")
    return cast


@pytest.fixture
def city_staff(cast):
    return make_user(Role.STAFF, username="citystaff", federation=cast.city)


def _line(comparison, key):
    return next(line for line in comparison.lines if line.key == key)


def test_a_city_sees_each_district_and_its_own_total_which_is_their_sum(data, city_staff):
    comparison = aggregation.side_by_side(city_staff, YEAR, KEYS)
    assert comparison.home == data.city
    assert comparison.districts == [data.district, data.other]  # by region code: 120103, 120104
    assert comparison.total_label == "全市合计" and comparison.note == ""
    # by hand: 河西 2 + 3 firms, 1 person, 1 chamber; 南开 1 + 2 firms
    expected = {
        "members.in_force": ([7, 3], 10),
        "members.in_force.enterprise": ([5, 3], 8),
        "members.in_force.individual": ([1, 0], 1),
        "members.in_force.group": ([1, 0], 1),
        "members.joined": ([3, 2], 5),
        "welfare.total": ([Decimal("1"), Decimal("2.5")], Decimal("3.5")),
        "welfare.donor_enterprises": ([1, 1], 2),
    }
    for key, (cells, total) in expected.items():
        line = _line(comparison, key)
        assert [cell.value for cell in line.cells] == cells, key
        assert line.total.value == total, key
        assert line.additive and line.district_sum == total and line.agrees is True, key


def test_every_headline_figure_that_adds_up_agrees_with_the_sum_of_its_districts(data, city_staff):
    comparison = aggregation.side_by_side(city_staff, YEAR, aggregation.HEADLINE)
    assert [line.key for line in comparison.lines] == list(aggregation.HEADLINE)
    summed = [line for line in comparison.lines if line.additive]
    assert len(summed) >= 10
    for line in summed:
        assert line.agrees is True, (line.key, line.total.value, [c.value for c in line.cells])
    assert comparison.differs == []


def test_a_rate_is_not_summed_and_a_missing_one_says_why(data, city_staff):
    line = _line(aggregation.side_by_side(city_staff, YEAR, KEYS), "welfare.village_coverage")
    assert not line.additive and line.district_sum is None and line.agrees is None
    assert line.total.value is None and all(cell.value is None for cell in line.cells)
    assert "分母为零" in line.missing


def test_the_city_total_counts_records_of_the_city_itself_which_no_district_holds(data, city_staff):
    _members(data.city, 2)  # 市本级 members
    line = _line(aggregation.side_by_side(city_staff, YEAR, KEYS), "members.joined")
    assert (line.total.value, line.district_sum, line.agrees) == (7, 5, False)


def test_the_page_shows_the_districts_and_links_each_cell_to_its_districts_records(data, city_staff, login):
    response = login(city_staff).get(PAGE, {"year": 2025})
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("各区对比", "河西区工商联", "南开区工商联", "全市合计", "各区之和", "会员总数"):
        assert text in html
    comparison = response.context["comparison"]
    line = _line(comparison, "members.in_force")
    district_cell = line.cells[0]
    assert f"federation={data.district.pk}" in district_cell.records_url
    assert district_cell.records_url.replace("&", "&amp;") in html
    assert f'href="{line.total.records_url.replace("&", "&amp;")}"' in html


def test_a_cells_link_lists_exactly_the_records_of_that_district(data, city_staff, login):
    line = _line(aggregation.side_by_side(city_staff, YEAR, KEYS), "members.joined")
    response = login(city_staff).get(line.cells[1].records_url)  # 南开
    assert response.status_code == 200
    html = response.content.decode()
    assert "共 2 条" in html
    joined = Membership.objects.filter(joined__year=2025).select_related("enterprise")
    assert all(m.enterprise.name in html for m in joined.filter(federation=data.other))
    assert not any(m.enterprise.name in html for m in joined.filter(federation=data.district))


def test_a_city_leader_reads_the_page_too(data, login):
    leader = make_user(Role.LEADER, username="cityleader", federation=data.city)
    assert login(leader).get(PAGE).status_code == 200


def test_a_district_sees_only_itself(data, login):
    response = login(data.users.staff).get(PAGE, {"year": 2025})
    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert comparison.districts == [] and comparison.home == data.district
    assert _line(comparison, "members.in_force").total.value == 7
    html = response.content.decode()
    assert aggregation.ONLY_ITSELF in html
    assert "南开区工商联" not in html and "各区之和" not in html


@pytest.mark.parametrize("raw", ["other", "city", "abc", "12345678901234567890", "-1"],
                         ids=["other-district", "parent-city", "text", "twenty-digits", "negative"])
def test_a_district_asking_for_another_federation_gets_404(data, login, raw):
    value = {"other": data.other.pk, "city": data.city.pk}.get(raw, raw)
    assert login(data.users.staff).get(PAGE, {"federation": value}).status_code == 404


def test_a_city_narrowed_to_one_district_sees_that_district_alone(data, city_staff, login):
    response = login(city_staff).get(PAGE, {"year": 2025, "federation": data.other.pk})
    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert comparison.home == data.other and comparison.districts == [] and not comparison.own
    assert _line(comparison, "members.in_force").total.value == 3
    assert "没有下级工商联" in response.content.decode()
    assert f"federation={data.other.pk}" in _line(comparison, "members.in_force").total.records_url


@pytest.mark.parametrize("username", ["chamber1", "dept1", "ent1", "auditor"])
def test_the_other_roles_are_refused(data, login, username):
    assert login(getattr(data.users, username)).get(PAGE).status_code == 403
    assert login(getattr(data.users, username)).get(PAGE, {"export": "xlsx"}).status_code == 403


def test_the_export_is_the_same_table_and_is_audited(data, city_staff, login):
    response = login(city_staff).get(PAGE, {"year": 2025, "export": "xlsx"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    sheet = book["各区对比"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:8] == ("指标领域", "指标", "单位", "河西区工商联", "南开区工商联", "全市合计", "各区之和", "口径")
    members = next(row for row in rows if row[1] == "会员总数")
    assert members[3:7] == (7, 3, 10, 10)
    coverage = next(row for row in rows if row[1] == "帮扶村结对覆盖率")
    assert coverage[3:7] == ("无数据", "无数据", "无数据", "—") and "分母为零" in coverage[8]
    event = AuditEvent.objects.filter(action="export", object_type="reports.districts").latest("id")
    assert event.detail["federation"] == data.city.pk and event.detail["start"] == "2025-01-01"


def test_one_area_compares_its_figures_that_need_no_narrowing(data, city_staff, login):
    response = login(city_staff).get(PAGE, {"year": 2025, "area": "welfare"})
    assert response.status_code == 200
    keys = [line.key for line in response.context["comparison"].lines]
    assert keys == aggregation.area_keys("welfare") and "welfare.cash" in keys
    assert all(key.startswith("welfare.") for key in keys)
    members = aggregation.area_keys("members")
    assert "members.in_force" in members and "members.by_chamber" not in members  # that one needs a chamber


def test_a_wrong_area_falls_back_to_the_headline_with_a_message(data, city_staff, login):
    response = login(city_staff).get(PAGE, {"area": "nonsense"})
    assert response.status_code == 200
    assert [line.key for line in response.context["comparison"].lines] == list(aggregation.HEADLINE)
    assert "请选择列表中的指标范围。" in response.content.decode()


def test_an_external_figures_city_total_is_the_citys_own_entry_never_a_sum(data, city_staff):
    indicator = ExternalIndicator.objects.create(code="test_districts_value_added", name="测试增加值", unit="亿元",
                                                 definition="区统计局发布", source="区统计局")
    for federation, value in ((data.district, "120"), (data.other, "80"), (data.city, "2100")):
        ExternalValue.objects.create(indicator=indicator, federation=federation, period_kind=PeriodKind.YEAR,
                                     year=2025, value=Decimal(value), source="统计局")
    line = aggregation.side_by_side(city_staff, YEAR, [indicator.key]).lines[0]
    assert [cell.value for cell in line.cells] == [120, 80]
    assert line.total.value == 2100 and line.total.external
    assert not line.additive and line.district_sum is None
    assert indicator.key in aggregation.area_keys("external")


def test_districts_of_lists_the_federations_directly_under(data, city_staff):
    assert aggregation.districts_of(city_staff) == [data.district, data.other]
    assert aggregation.districts_of(city_staff, data.district) == []
    assert aggregation.districts_of(data.users.staff) == []


def test_an_unknown_figure_key_is_404(data, city_staff):
    from django.http import Http404

    with pytest.raises(Http404):
        aggregation.side_by_side(city_staff, YEAR, ["members.nonsense"])


def _queries(client):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(PAGE, {"year": 2025}).status_code == 200
    return len(captured)


def test_the_query_count_does_not_grow_with_the_rows(data, city_staff, login):
    client = login(city_staff)
    _queries(client)  # warm caches (dictionaries, sessions)
    before = _queries(client)
    _members(data.district, 6)
    _members(data.other, 5)
    for enterprise in Enterprise.objects.filter(federation=data.other)[:3]:
        make_donation(enterprise, cash="500")
    assert _queries(client) == before
