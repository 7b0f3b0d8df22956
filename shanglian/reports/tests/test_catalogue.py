"""指标库: every registered figure and every active external indicator for the period, by area, with the value
`values.measure` gives, 同比/环比 and their directions, the target and the gap, "无数据" with its reason (never 0), and
the link to the records; its xlsx of every figure with its definition; one figure's page with its months and, for a
city, its districts. The federation's roles read; the others are refused; a district sees only itself; the query
count does not grow with the records."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shanglian.accounts.roles import Role
from shanglian.audit.models import AuditEvent
from shanglian.common.periods import Period
from shanglian.events.models import CheckIn
from shanglian.orgs.models import Federation
from shanglian.reports import catalogue, values
from shanglian.reports.models import ExternalIndicator, ExternalValue, FigureTarget, PeriodKind
from shanglian.reports.workbook import HEADERS, figures_workbook_sheets
from shanglian.testing import (
    make_campaign,
    make_donation,
    make_enterprise,
    make_event,
    make_membership,
    make_pairing,
    make_person,
    make_proposal,
    make_user,
    make_village,
)

pytestmark = pytest.mark.django_db
YEAR = 2025
URL = reverse("reports:catalogue")


@pytest.fixture
def indicator(db):
    return ExternalIndicator.objects.create(code="test_catalogue_value", name="测试增加值", unit="亿元",
                                            definition="区统计局发布的测试口径", source="区统计局")


def _joined(federation, n, year):
    for _ in range(n):
        make_membership(federation, make_enterprise(federation), joined=date(year, 3, 1))


def _rows(response):
    """{figure key: the entry} of the page."""
    return {entry.reported.key: entry for _, entries in response.context["groups"] for entry in entries}


# --- the values ---------------------------------------------------------------------------------------------------
def test_every_figure_is_listed_with_the_value_values_measure_gives(cast, login, indicator):
    _joined(cast.district, 3, YEAR)
    _joined(cast.district, 2, YEAR - 1)
    response = login(cast.users.staff).get(f"{URL}?year={YEAR}")
    assert response.status_code == 200
    rows = _rows(response)
    assert set(rows) == {d.key for d in catalogue.described()}
    assert indicator.key in rows
    for key in ("members.in_force", "members.joined", "welfare.total", "appeals.received"):
        assert rows[key].reported.value == values.measure(key, user=cast.users.staff, period=Period.year(YEAR)).value
    joined = rows["members.joined"]
    assert (joined.reported.value, joined.reported.figure.year_ago) == (3, 2)
    assert joined.year_ago_arrow == "↑" and joined.reported.figure.year_ago_change == "+50.0%"
    page = response.content.decode()
    assert 'data-key="members.joined"' in page and "↑ +50.0%" in page
    assert reverse("reports:records", args=["members.joined"]) in page


def test_a_rate_over_nothing_reads_no_data_with_its_reason_never_0(cast, login):
    response = login(cast.users.staff).get(f"{URL}?year={YEAR}&area=welfare")
    coverage = _rows(response)["welfare.village_coverage"]
    assert coverage.reported.value is None and coverage.value_text == "无数据"
    assert "分母为零" in coverage.reported.missing
    assert coverage.reported.missing in response.content.decode()


def test_the_seeds_village_coverage_two_of_three_is_66_7(cast, login):
    villages = [make_village(cast.district) for _ in range(3)]
    make_pairing(cast.ent1, villages[0])
    make_pairing(cast.chamber1, villages[1])
    response = login(cast.users.staff).get(f"{URL}?year={YEAR}&area=welfare")
    assert _rows(response)["welfare.village_coverage"].value_text == "66.7%"


def test_an_external_value_is_shown_with_its_source_and_a_missing_one_says_why(cast, login, indicator):
    ExternalValue.objects.create(indicator=indicator, federation=cast.district, period_kind=PeriodKind.YEAR,
                                 year=YEAR, value=Decimal("338.6400"), source="区统计局")
    client = login(cast.users.staff)
    shown = _rows(client.get(f"{URL}?year={YEAR}&area=external"))[indicator.key]
    assert shown.reported.external and shown.reported.source == "区统计局" and shown.value_text == "338.64 亿元"
    assert shown.reported.records_url.startswith(reverse("reports:records", args=[indicator.key]))
    missing = _rows(client.get(f"{URL}?year={YEAR + 1}&area=external"))[indicator.key]
    assert missing.reported.value is None and "尚未录入" in missing.reported.missing


def test_a_target_shows_its_gap(cast, login):
    _joined(cast.district, 3, YEAR)
    FigureTarget.objects.create(federation=cast.district, key="members.joined", year=YEAR, value=Decimal("5"))
    entry = _rows(login(cast.users.staff).get(f"{URL}?year={YEAR}&area=members"))["members.joined"]
    assert entry.target_text == "不低于 5 个" and entry.gap_text == "差 2 个"


def test_the_area_and_name_filters_narrow_the_figures(cast, login):
    client = login(cast.users.staff)
    welfare = _rows(client.get(f"{URL}?year={YEAR}&area=welfare"))
    assert welfare and all(key.startswith("welfare.") for key in welfare)
    named = _rows(client.get(f"{URL}?year={YEAR}&name=覆盖率"))
    assert "welfare.village_coverage" in named and all("覆盖率" in e.reported.label for e in named.values())


def test_a_quarter_and_a_month_are_compared_with_the_period_before(cast, login):
    make_membership(cast.district, make_enterprise(cast.district), joined=date(YEAR, 2, 10))
    make_membership(cast.district, make_enterprise(cast.district), joined=date(YEAR, 4, 10))
    client = login(cast.users.staff)
    quarter = _rows(client.get(f"{URL}?year={YEAR}&quarter=2&area=members"))["members.joined"]
    assert (quarter.reported.value, quarter.reported.figure.previous) == (1, 1)
    assert quarter.previous_direction == "flat" and quarter.year_ago_direction is not None
    month = _rows(client.get(f"{URL}?year={YEAR}&month=4&area=members"))["members.joined"]
    assert (month.reported.value, month.reported.figure.previous) == (1, 0)


# --- scope ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["chamber1", "dept1", "ent1", "auditor"])
def test_other_roles_are_refused(cast, login, who):
    client = login(getattr(cast.users, who))
    assert client.get(URL).status_code == 403
    assert client.get(reverse("reports:figure", args=["members.joined"])).status_code == 403


def test_the_leader_reads_the_catalogue(cast, login):
    assert login(cast.users.leader).get(f"{URL}?area=members").status_code == 200


def test_a_district_asking_for_another_district_gets_404(cast, login):
    client = login(cast.users.staff)
    assert client.get(f"{URL}?federation={cast.other.pk}").status_code == 404
    assert client.get(f"{URL}?federation={cast.city.pk}").status_code == 404
    assert client.get(f"{URL}?federation=x").status_code == 404


def test_a_city_sees_the_sum_of_its_districts_and_one_district_when_asked(cast, login):
    city_staff = make_user(Role.STAFF, federation=cast.city)
    _joined(cast.district, 3, YEAR)
    _joined(cast.other, 2, YEAR)
    client = login(city_staff)
    whole = _rows(client.get(f"{URL}?year={YEAR}&area=members"))["members.joined"]
    district = _rows(client.get(f"{URL}?year={YEAR}&area=members&federation={cast.district.pk}"))["members.joined"]
    assert (whole.reported.value, district.reported.value) == (5, 3)
    assert f"federation={cast.district.pk}" in district.reported.records_url


# --- the workbook ---------------------------------------------------------------------------------------------------
def test_the_xlsx_holds_every_figure_with_its_definition_and_why_one_is_missing(cast, login, indicator):
    _joined(cast.district, 3, YEAR)
    response = login(cast.users.staff).get(f"{URL}?year={YEAR}&export=xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    by_key = {row[3]: dict(zip(HEADERS, row, strict=True)) for row in rows[1:]}
    assert set(by_key) == {d.key for d in catalogue.described()}
    joined = by_key["members.joined"]
    assert (joined["数值"], joined["单位"], joined["数据类型"]) == (3, "个", "据记录计算")
    assert joined["口径"] == values.spec("members.joined").definition
    coverage = by_key["welfare.village_coverage"]
    assert coverage["数值"] == "无数据" and "分母为零" in coverage["说明"]
    external = by_key[indicator.key]
    assert external["数据类型"] == "外部数据" and external["数据来源"] == "区统计局" and external["数值"] == "无数据"
    assert AuditEvent.objects.filter(action="export", object_type="reports.catalogue").count() == 1


def test_the_workbook_sheets_read_a_district_for_a_city_user(cast):
    city_staff = make_user(Role.STAFF, federation=cast.city)
    _joined(cast.other, 2, YEAR)
    [(name, headers, rows)] = figures_workbook_sheets(city_staff, Period.year(YEAR), cast.other, area="members")
    joined = next(row for row in rows if row[3] == "members.joined")
    assert name == "指标库" and headers == HEADERS and joined[7] == 2


# --- one figure -------------------------------------------------------------------------------------------------------
def test_a_figures_page_shows_its_months_and_its_target(cast, login):
    for month in (2, 2, 5):
        make_membership(cast.district, make_enterprise(cast.district), joined=date(YEAR, month, 10))
    FigureTarget.objects.create(federation=cast.district, key="members.joined", year=YEAR, value=Decimal("5"))
    response = login(cast.users.staff).get(f"{reverse('reports:figure', args=['members.joined'])}?year={YEAR}")
    assert response.status_code == 200
    page = response.context["page"]
    months = page.chart_data["figure-months-data"]
    assert len(months["months"]) == 12 and months["values"][1] == 2.0 and months["values"][4] == 1.0
    assert sum(months["values"]) == 3
    assert page.sections[0].figures[0].value == 3
    assert "2025年目标：不低于 5 个（差 2 个）。" in page.sections[0].note
    assert "figure-districts" not in [s.dom_id for s in page.sections]  # a district has no districts


def test_a_city_sees_its_districts_side_by_side_on_a_figures_page(cast, login):
    city_staff = make_user(Role.STAFF, federation=cast.city)
    _joined(cast.district, 3, YEAR)
    _joined(cast.other, 2, YEAR)
    response = login(city_staff).get(f"{reverse('reports:figure', args=['members.joined'])}?year={YEAR}")
    districts = next(s for s in response.context["page"].sections if s.dom_id == "figure-districts")
    cells = [row.cells for row in districts.table.rows]
    assert cells[:2] == [("河西区工商联", 3), ("南开区工商联", 2)] and cells[-1][1] == 5


def test_an_unknown_figure_is_404_and_its_page_exports(cast, login):
    client = login(cast.users.staff)
    assert client.get(reverse("reports:figure", args=["members.nothing"])).status_code == 404
    response = client.get(f"{reverse('reports:figure', args=['members.joined'])}?year={YEAR}&export=xlsx")
    assert response.status_code == 200
    assert [ws.title for ws in load_workbook(BytesIO(response.content)).worksheets] == ["指标库", "各月"]


# --- queries -----------------------------------------------------------------------------------------------------------
def _grow(cast, n):
    """n more records of each kind the figures count: members, donations, appeals' enterprises, events and
    check-ins, proposals, villages and pairings."""
    campaign = make_campaign(cast.district, name=f"测试项目{n}")
    starts = timezone.make_aware(datetime(YEAR, 4, 10, 9))
    event = make_event(cast.district, starts_at=starts, status="finished")
    for i in range(n):
        enterprise = make_enterprise(cast.district)
        make_membership(cast.district, enterprise, joined=date(YEAR, 1 + i % 12, 5))
        make_donation(enterprise, cash="100", campaign=campaign, donated_on=date(YEAR, 1 + i % 12, 7))
        CheckIn.objects.create(event=event, enterprise=enterprise, name=f"参会人{i}", method="manual",
                               checked_in_at=starts + timedelta(minutes=i))
        person = make_person(cast.district, name=f"代表{i}")
        make_proposal(cast.district, year=YEAR, submitters=[person], title=f"提案{n}-{i}")
        make_pairing(enterprise, make_village(cast.district))


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_query_count_does_not_grow_with_the_records(cast, login):
    client = login(cast.users.staff)
    url = f"{URL}?year={YEAR}"
    # Industries are concentrated at both sizes (the 商会覆盖率 threshold at one firm): a concentration that only
    # the grown district reaches would add its divisions' queries, a change of state and not of size.
    Federation.objects.filter(pk=cast.district.pk).update(chamber_coverage_threshold=1)
    _grow(cast, 2)
    small = _queries(client, url)
    _grow(cast, 6)
    assert _queries(client, url) == small
