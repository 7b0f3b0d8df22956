"""/api/v1/reports/figures/: the registry (every registered figure and every active external indicator with its
definition), a figure's value for a period with 同比/环比 and their directions, the target and the gap, the reason
a value is missing, and the records behind it — each through `values.measure`, as the pages ask. The federation's
roles only; a city may look at one of its districts, a district at nothing but itself; a wrong input is a 4xx
with a Chinese message, never a 500."""

from datetime import date
from decimal import Decimal

import pytest

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.common.periods import Period
from shanglian.reports import values
from shanglian.reports.api import REFUSAL
from shanglian.reports.models import ExternalIndicator, ExternalValue, FigureTarget, PeriodKind
from shanglian.ui import figures as registry

BASE = "/api/v1/reports/figures/"
JOINED = f"{BASE}members.joined/"


def _members(federation, n, joined):
    return [testing.make_membership(federation, testing.make_enterprise(federation), joined=joined)
            for _ in range(n)]


def _all_rows(client, url):
    rows = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        rows += response.json()["results"]
        url = response.json()["next"]
    return rows


@pytest.fixture
def indicator(db):
    return ExternalIndicator.objects.create(code="api_value_added", name="测试民营经济增加值", unit="亿元",
                                            definition="区统计局发布的民营经济增加值", source="区统计局")


# --- the registry -----------------------------------------------------------------------------------------------
def test_the_registry_lists_every_registered_figure_and_every_active_external_indicator(cast, login, indicator):
    ExternalIndicator.objects.create(code="api_retired", name="停用指标", unit="个", definition="不再统计",
                                     source="本会统计", active=False)
    rows = _all_rows(login(cast.users.staff), BASE)
    by_key = {row["key"]: row for row in rows}
    assert len(by_key) == len(rows)
    assert set(registry.registered()) <= set(by_key)
    joined = by_key["members.joined"]
    spec = registry.get("members.joined")
    assert (joined["label"], joined["unit"], joined["definition"]) == (spec.label, spec.unit, spec.definition)
    assert joined["area"] == "会员发展" and joined["external"] is False
    assert by_key["members.by_chamber"]["parameters"] == ["chamber"]
    external = by_key["external.api_value_added"]
    assert external["external"] is True and external["area"] == "外部指标" and external["unit"] == "亿元"
    assert "external.api_retired" not in by_key


@pytest.mark.parametrize("role", ["staff", "leader", "admin"])
def test_the_federations_roles_read_the_reports_api(cast, login, role):
    client = login(getattr(cast.users, role))
    assert client.get(BASE).status_code == 200
    assert client.get(JOINED).status_code == 200
    assert client.get(f"{JOINED}records/").status_code == 200


@pytest.mark.parametrize("role", ["chamber1", "dept1", "ent1", "auditor"])
def test_other_roles_are_refused_every_reports_endpoint(cast, login, role):
    client = login(getattr(cast.users, role))
    for url in (BASE, JOINED, f"{JOINED}records/"):
        response = client.get(url)
        assert response.status_code == 403
        assert response.json()["detail"] == REFUSAL


def test_an_anonymous_call_is_refused(client, db):
    assert client.get(BASE).status_code in (401, 403)


# --- a value ------------------------------------------------------------------------------------------------------
def test_a_value_comes_with_its_comparisons_directions_target_gap_and_links(cast, login):
    _members(cast.district, 3, date(2025, 3, 1))
    _members(cast.district, 2, date(2024, 5, 1))
    _members(cast.district, 4, date(2024, 11, 1))  # the quarter before 2025 Q1: 环比 of the quarter
    _members(cast.other, 7, date(2025, 3, 1))  # another district: not counted
    FigureTarget.objects.create(federation=cast.district, key="members.joined", year=2025, value=Decimal("5"))
    body = login(cast.users.staff).get(JOINED, {"year": 2025}).json()
    assert body["value"] == "3" and body["display"] == "3" and body["missing"] == ""
    assert body["year_ago"] == "6" and body["year_ago_direction"] == "down" and body["year_ago_change"] == "-50.0%"
    assert body["period"] == {"kind": "year", "start": "2025-01-01", "end": "2025-12-31", "label": "2025年"}
    assert body["target"]["value"] == "5" and body["target"]["direction"] == "min"
    assert body["gap"] == "2" and body["met"] is False
    assert body["records_url"] == values.measure("members.joined", user=cast.users.staff,
                                                 period=Period.year(2025)).records_url
    assert body["records_api"].startswith(f"{JOINED}records/?year=2025")
    quarter = login(cast.users.staff).get(JOINED, {"year": 2025, "quarter": 1}).json()
    assert (quarter["value"], quarter["previous"], quarter["previous_direction"]) == ("3", "4", "down")


def test_the_api_value_is_the_one_values_measure_gives(cast, login):
    _members(cast.district, 3, date(2025, 3, 1))
    for key in ("members.in_force", "members.growth_rate", "appeals.received", "welfare.village_coverage"):
        reported = values.measure(key, user=cast.users.leader, period=Period.year(2025))
        body = login(cast.users.leader).get(f"{BASE}{key}/", {"year": 2025}).json()
        assert body["display"] == reported.display
        assert body["value"] == (None if reported.value is None else str(values.plain(reported.value)))


def test_a_rate_over_nothing_is_null_with_the_reason_never_zero(cast, login):
    body = login(cast.users.staff).get(f"{BASE}welfare.village_coverage/", {"year": 2025}).json()
    assert body["value"] is None and body["display"] == "无数据"
    assert body["missing"] == values.MISSING_INTERNAL
    assert body["gap"] is None and body["met"] is None


def test_an_external_value_carries_its_source_and_has_no_records(cast, login, indicator):
    ExternalValue.objects.create(indicator=indicator, federation=cast.district, period_kind=PeriodKind.YEAR,
                                 year=2025, value=Decimal("312.5000"), source="区统计局年鉴")
    ExternalValue.objects.create(indicator=indicator, federation=cast.district, period_kind=PeriodKind.YEAR,
                                 year=2024, value=Decimal("300"), source="区统计局")
    client = login(cast.users.staff)
    url = f"{BASE}{indicator.key}/"
    body = client.get(url, {"year": 2025}).json()
    assert body["external"] is True and body["value"] == "312.5" and body["source"] == "区统计局年鉴"
    assert body["year_ago"] == "300" and body["year_ago_direction"] == "up" and body["records_api"] == ""
    missing = client.get(url, {"year": 2023}).json()
    assert missing["value"] is None and "尚未录入2023年" in missing["missing"]
    assert client.get(f"{url}records/", {"year": 2025}).status_code == 404


# --- wrong inputs -------------------------------------------------------------------------------------------------
def test_an_unknown_figure_is_404_in_chinese(cast, login):
    client = login(cast.users.staff)
    for url in (f"{BASE}members.nothing/", f"{BASE}members.nothing/records/", f"{BASE}external.nothing/"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json()["detail"] == "没有该统计指标。"


@pytest.mark.parametrize(("query", "field"), [
    ({"month": 13}, "month"), ({"year": "二〇二五"}, "year"), ({"quarter": 2, "month": 5}, "month"),
    ({"start": "2025-12-01", "end": "2025-01-01"}, "end"), ({"federation": "1" * 20}, "federation"),
    ({"federation": "abc"}, "federation"),
])
def test_a_wrong_period_or_federation_is_a_400_with_the_chinese_message(cast, login, query, field):
    response = login(cast.users.staff).get(JOINED, query)
    assert response.status_code == 400
    assert field in response.json()


def test_a_district_sees_only_itself_and_a_city_each_of_its_districts(cast, login):
    _members(cast.district, 3, date(2025, 3, 1))
    _members(cast.other, 2, date(2025, 3, 1))
    staff = login(cast.users.staff)
    assert staff.get(JOINED, {"year": 2025, "federation": cast.other.pk}).status_code == 404
    assert staff.get(f"{JOINED}records/", {"year": 2025, "federation": cast.other.pk}).status_code == 404
    assert staff.get(JOINED, {"year": 2025, "federation": cast.city.pk}).status_code == 404
    assert staff.get(JOINED, {"year": 2025, "federation": 999999}).status_code == 404
    city = login(testing.make_user(Role.STAFF, federation=cast.city))
    assert city.get(JOINED, {"year": 2025}).json()["value"] == "5"
    district = city.get(JOINED, {"year": 2025, "federation": cast.other.pk}).json()
    assert district["value"] == "2" and district["federation"] == cast.other.pk
    assert f"federation={cast.other.pk}" in district["records_api"]


def test_a_narrowing_the_figure_requires_is_a_400_when_missing_and_a_404_outside_the_scope(cast, login):
    client = login(cast.users.staff)
    url = f"{BASE}members.by_chamber/"
    response = client.get(url)
    assert response.status_code == 400 and "chamber" in response.json()
    body = client.get(url, {"chamber": cast.chamber1.pk}).json()
    assert body["value"] == str(values.measure("members.by_chamber", user=cast.users.staff,
                                               period=Period.year(date.today().year), chamber=cast.chamber1.pk).value)
    other_chamber = testing.make_chamber(cast.other, name="南开区某商会")
    assert client.get(url, {"chamber": other_chamber.pk}).status_code == 404
    assert client.get(url, {"chamber": "9" * 20}).status_code == 404


def test_a_parameter_the_figure_does_not_take_is_ignored(cast, login):
    _members(cast.district, 3, date(2025, 3, 1))
    body = login(cast.users.staff).get(JOINED, {"year": 2025, "colour": "red", "chamber": "x"}).json()
    assert body["value"] == "3"


# --- records -----------------------------------------------------------------------------------------------------
def test_the_records_are_exactly_those_counted_and_paginated(cast, login):
    mine = _members(cast.district, 23, date(2025, 3, 1))
    _members(cast.district, 2, date(2024, 5, 1))
    _members(cast.other, 4, date(2025, 3, 1))
    client = login(cast.users.staff)
    first = client.get(f"{JOINED}records/", {"year": 2025}).json()
    assert first["count"] == 23 and len(first["results"]) == 20 and first["next"]
    rows = _all_rows(client, f"{JOINED}records/?year=2025")
    assert {row["id"] for row in rows} == {m.pk for m in mine}
    assert {row["model"] for row in rows} == {"会员"} or len({row["model"] for row in rows}) == 1
    assert rows[0]["text"] == str(type(mine[0]).objects.get(pk=rows[0]["id"]))


def test_records_show_no_personal_data_beyond_a_name(cast, login):
    testing.make_membership(cast.district, cast.person2, joined=date(2025, 3, 1))
    response = login(cast.users.staff).get(f"{JOINED}records/", {"year": 2025})
    content = response.content.decode()
    assert cast.person2.name in content
    assert cast.person2.mobile not in content and cast.person2.id_number not in content
