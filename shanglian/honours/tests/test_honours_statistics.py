"""表彰评估统计 and the figures of the lists' part: worked out by hand on four years of lists, the distinct
enterprises across years counted once (the seed's "连续4年发布10强名单，共有120家企业上榜"), a corrected list counted as
corrected, the page per role (a chamber secretary sees the same published lists and only its own nominations), the
xlsx export (audited, one sheet per table), the drill-down (scoped, 404 for an unknown key or category) and a query
count that does not grow with the lists.

The dataset (`build`), by programme year (3 places per list; E1 = ent1, a member of chamber1):

- 2022 依法纳税 E1 E2 E3; 社会责任 E4 E5 E1 → 5 enterprises, all new (5 so far)
- 2023 依法纳税 E1 E6 E7; 社会责任 E8 E2 E9 → 6, new E6 E7 E8 E9 (9 so far)
- 2024 依法纳税 E10 E1 E11; 社会责任 v1 E4 E12 E13, corrected into v2 E4 E12 E14 → 6 (E13 only on the superseded
  version: not counted), new E10 E11 E12 E14 (13 so far)
- 2025 依法纳税 E15 E16 E1; 社会责任 not published → 3, new E15 E16 (15 so far)
- another federation's 2025 list (not counted).

Current lists: 2, 2, 2, 1 (7 in four years). On two lists or more to 2025: E1 (5 lists), E2, E4 → 3. Nominations in
force: 2025 E15, E16 (staff), E1 for 社会责任 by chamber1, E17 withdrawn → 3 (chamber1 sees 1); 2024 E10 → 1.
"""

import io
import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.common.periods import Period
from shanglian.honours.models import Nomination
from shanglian.ui import figures as ui

PAGE = reverse("honours:statistics")
YEAR_2025 = Period.year(2025)
FOUR_YEARS = Period.custom(Period.year(2022).start, Period.year(2025).end)


def records(key):
    return reverse("honours:figure_records", args=[key])


def build(cast):
    district = cast.district
    e = {1: cast.ent1}
    for n in range(2, 18):
        e[n] = testing.make_enterprise(district, name=f"天津第{n}号企业有限公司")
    categories = {}
    for year in (2022, 2023, 2024, 2025):
        programme = testing.make_programme(district, year=year, status="scoring" if year == 2025 else "closed",
                                           categories=("依法纳税", "社会责任"), list_size=3)
        for category in programme.categories.all():
            categories[year, category.name[:4]] = category

    def publish(year, name, numbers, **fields):
        return testing.make_honour_list(categories[year, name], [e[n] for n in numbers], **fields)

    publish(2022, "依法纳税", (1, 2, 3))
    publish(2022, "社会责任", (4, 5, 1))
    publish(2023, "依法纳税", (1, 6, 7))
    publish(2023, "社会责任", (8, 2, 9))
    publish(2024, "依法纳税", (10, 1, 11))
    publish(2024, "社会责任", (4, 12, 13), superseded=True)
    publish(2024, "社会责任", (4, 12, 14), version=2, reason="第13号企业撤销")
    publish(2025, "依法纳税", (15, 16, 1))
    other = testing.make_programme(cast.other, year=2025, status="closed")
    testing.make_honour_list(other.categories.get(), [cast.ent_other])
    for number in (15, 16):
        testing.make_nomination(categories[2025, "依法纳税"], e[number], by=cast.users.staff)
    testing.make_nomination(categories[2025, "社会责任"], cast.ent1, chamber=cast.chamber1, by=cast.users.chamber1)
    testing.make_nomination(categories[2025, "社会责任"], e[17], status=Nomination.Status.WITHDRAWN)
    testing.make_nomination(categories[2024, "依法纳税"], e[10])
    return SimpleNamespace(e=e, categories=categories)


@pytest.fixture
def data(cast):
    return build(cast)


def value(key, user, period=YEAR_2025, **narrowing):
    return ui.compute(key, user=user, period=period, **narrowing).value


# --- the figures -------------------------------------------------------------------------------------------------
def test_the_figures_of_a_year_worked_out_by_hand(cast, data):
    staff = cast.users.staff
    expected = {"honours.lists_published": 1, "honours.enterprises_listed": 3, "honours.enterprises_honoured": 15,
                "honours.enterprises_listed_repeatedly": 3, "honours.list_years": 4, "honours.nominations": 3}
    assert {key: value(key, staff) for key in expected} == expected
    year_ago = {key: ui.compute(key, user=staff, period=YEAR_2025, compare=ui.YEAR_AGO).year_ago for key in expected}
    assert year_ago == {"honours.lists_published": 2, "honours.enterprises_listed": 6,
                        "honours.enterprises_honoured": 13, "honours.enterprises_listed_repeatedly": 3,
                        "honours.list_years": 3, "honours.nominations": 1}


def test_distinct_enterprises_across_the_years_are_counted_once(cast, data):
    """Four years of lists: 7 lists, 19 places on the current versions, 15 distinct enterprises."""
    staff = cast.users.staff
    assert value("honours.lists_published", staff, FOUR_YEARS) == 7
    assert value("honours.enterprises_listed", staff, FOUR_YEARS) == 15
    assert value("honours.enterprises_honoured", staff, FOUR_YEARS) == 15
    honoured = ui.compute("honours.enterprises_honoured", user=staff, period=YEAR_2025).records
    times = {enterprise.name: enterprise.times for enterprise in honoured}
    assert times[cast.ent1.name] == 5 and times[data.e[2].name] == 2 and data.e[13].name not in times
    assert sum(times.values()) == 3 + 3 + 3 + 3 + 3 + 3 + 3  # every place on a current list, once each


def test_a_category_narrows_the_lists_and_their_enterprises(cast, data):
    staff = cast.users.staff
    assert value("honours.lists_published", staff, FOUR_YEARS, category="社会责任10强") == 3
    assert value("honours.enterprises_listed", staff, FOUR_YEARS, category="社会责任10强") == 8  # E4 twice
    assert value("honours.enterprises_listed", staff, YEAR_2025, category="社会责任10强") == 0


def test_a_chamber_secretary_reads_the_same_lists_and_only_its_own_nominations(cast, data):
    chamber1 = cast.users.chamber1
    assert value("honours.enterprises_honoured", chamber1) == 15 and value("honours.lists_published", chamber1) == 1
    assert value("honours.nominations", chamber1) == 1
    assert value("honours.nominations", cast.users.chamber2) == 0
    assert value("honours.enterprises_honoured", cast.users.outsider_staff) == 1  # its own federation's list only


# --- the page ------------------------------------------------------------------------------------------------------
def kpi(response, dom_id):
    found = re.search(rf'id="{dom_id}">([^<]+)<', response.content.decode())
    return found.group(1) if found else None


HEADLINE = {"lists-published": "1", "enterprises-listed": "3", "enterprises-honoured": "15", "list-years": "4"}


def test_staff_see_the_headline_and_the_lists_sections(cast, data, login):
    response = login(cast.users.staff).get(PAGE, {"year": 2025})
    assert response.status_code == 200
    assert {name: kpi(response, f"headline-{name}") for name in HEADLINE} == HEADLINE
    assert kpi(response, "figure-enterprises-listed-repeatedly") == "3" and kpi(response, "figure-nominations") == "3"
    html = response.content.decode()
    for section in ("stats-headline", "stats-honours", "stats-honour-years", "stats-honour-categories",
                    "stats-honour-repeated"):
        assert f'id="{section}"' in html, section
    years = re.search(r'id="table-honour-years".*?</table>', html, re.S).group(0)
    cells = [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
             for row in re.findall(r"<tr[^>]*>(.*?)</tr>", years, re.S)[1:]]
    assert [row[:6] for row in cells] == [["2021年", "0", "0", "0", "0", "0"], ["2022年", "2", "5", "5", "5", "0"],
                                          ["2023年", "2", "6", "4", "9", "0"], ["2024年", "2", "6", "4", "13", "1"],
                                          ["2025年", "1", "3", "2", "15", "3"]]
    sources = set(re.findall(r'<script id="([^"]+)" type="application/json">', html))
    charts = re.findall(r'data-chart="[^"]+" data-source="([^"]+)"', html)
    assert charts and set(charts) <= sources


def test_a_chamber_secretary_sees_the_page_with_its_nominations(cast, data, login):
    response = login(cast.users.chamber1).get(PAGE, {"year": 2025})
    assert response.status_code == 200
    assert kpi(response, "headline-enterprises-honoured") == "15" and kpi(response, "figure-nominations") == "1"


@pytest.mark.parametrize("who", ["dept1", "ent1", "auditor"], ids=["department", "enterprise", "auditor"])
def test_other_roles_are_refused(cast, data, login, who):
    client = login(getattr(cast.users, who))
    assert client.get(PAGE).status_code == 403
    assert client.get(records("honours.enterprises_honoured")).status_code == 403


def test_the_export_is_the_tables_and_is_audited(cast, data, login):
    response = login(cast.users.staff).get(PAGE, {"year": 2025, "export": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:4] == ["总体", "各年榜单", "各类别上榜企业", "多次上榜企业"]
    overall = {row[0]: row[1:3] for row in book["总体"].iter_rows(min_row=2, values_only=True)}
    assert overall["累计上榜企业（家）"] == (15, 13) and overall["发布榜单年度（年）"] == (4, 3)
    repeated = list(book["多次上榜企业"].iter_rows(min_row=2, values_only=True))
    assert repeated[0][1:3] == (cast.ent1.name, 5) and len(repeated) == 3
    audit = AuditEvent.objects.filter(action="export", object_type="honours.statistics").get()
    assert audit.detail["start"] == "2025-01-01" and audit.detail["end"] == "2025-12-31"


def test_the_drill_down_lists_the_records_behind_a_figure(cast, data, login):
    client = login(cast.users.staff)
    page = client.get(records("honours.enterprises_honoured"), {"year": 2025}).content.decode()
    assert "共 15 条" in page and cast.ent1.name in page and data.e[13].name not in page
    page = client.get(records("honours.enterprises_listed"), {"start": "2022-01-01", "end": "2025-12-31",
                                                               "category": "社会责任10强"}).content.decode()
    assert "共 8 条" in page
    page = client.get(records("honours.lists_published"), {"year": 2024}).content.decode()
    assert "共 2 条" in page and "第2版" in page and page.count("第1版") == 1  # 依法纳税 v1, 社会责任 v2 (not v1)
    page = login(cast.users.chamber1).get(records("honours.nominations"), {"year": 2025}).content.decode()
    assert "共 1 条" in page and data.e[15].name not in page


@pytest.mark.parametrize("url", [
    records("honours.nowhere"), records("engagement.proposals"),
    records("honours.enterprises_listed") + "?category=不存在的榜单",
], ids=["unknown-key", "other-app", "unknown-category"])
def test_an_unknown_figure_or_row_is_not_found(cast, data, login, url):
    assert login(cast.users.staff).get(url).status_code == 404


def test_the_pages_queries_do_not_grow_with_the_lists(cast, data, login):
    client = login(cast.users.staff)
    with CaptureQueriesContext(connection) as before:
        client.get(PAGE, {"year": 2025})
    programme = testing.make_programme(cast.district, year=2025, name="第二个评选", categories=("促进就业", "科技创新"))
    for category in programme.categories.all():
        testing.make_honour_list(category, [testing.make_enterprise(cast.district) for _ in range(4)])
    with CaptureQueriesContext(connection) as after:
        client.get(PAGE, {"year": 2025})
    assert len(after) == len(before)
