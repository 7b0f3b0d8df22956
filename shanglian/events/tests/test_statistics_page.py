"""活动统计: the page (cards with 同比, charts declared by data attributes, the same numbers in tables), its
xlsx export, the drill-down to the records, who may open them, and a query count that does not grow with
the data. The dataset is test_figures.py's (its numbers are worked out there)."""

import io
import json
import re
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.events.models import CheckIn, Invitation, Programme
from shanglian.events.tests.test_figures import SHANGHAI, build_dataset

PAGE = reverse("events:statistics")


@pytest.fixture
def data(cast):
    return build_dataset(cast)


def records(key):
    return reverse("events:figure_records", args=[key])


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def kpi(response, label):
    found = re.search(rf'data-kpi="{label}"[^>]*>([^<]+)<', response.content.decode())
    return found.group(1) if found else None


def table_row(response, table_id, label):
    html = response.content.decode()
    table = html[html.index(f'id="{table_id}"'):]
    table = table[:table.index("</table>")]
    row = re.search(rf'<tr data-row="{re.escape(label)}">(.*?)</tr>', table, re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row.group(1), re.S)]


def html_of_table(response, table_id):
    html = response.content.decode()
    table = html[html.index(f'id="{table_id}"'):]
    return table[:table.index("</table>")]


def test_staff_see_the_cards_with_year_on_year(cast, data, login):
    response = login(cast.users.staff).get(PAGE, {"year": 2025})
    assert response.status_code == 200
    # 5 events (2 a year before: +150.0%), 2 trainings, 12 人次, 6 培训人次, 75.0 % and 83.3 % participation,
    # 85.7 % turnout, feedback 80.0 (test_figures.py)
    assert [kpi(response, label) for label in ("活动场次", "培训场次", "签到人次", "培训人次")] == ["5", "2", "12", "6"]
    assert [kpi(response, label) for label in ("会员企业参与率", "全区企业参与率", "平均出席率", "反馈满意度")] == [
        "75.0%", "83.3%", "85.7%", "80.0分"]
    text = text_of(response)
    assert "同比 +150.0%" in text and "同比 +50.0个百分点" in text  # 会员企业参与率 25.0 % a year before
    assert "统计期间：2025年（按活动开始时间）" in text


def test_the_tables_and_the_charts(cast, data, login):
    response = login(cast.users.staff).get(PAGE, {"year": 2025})
    assert table_row(response, "table-trend", "2025年")[:5] == ["2025年", "5", "2", "12", "6"]
    assert table_row(response, "table-trend", "2024年")[:5] == ["2024年", "2", "1", "2", "1"]
    assert "2023年" not in html_of_table(response, "table-trend")  # the years start at the first with an event
    assert "年度趋势（2024—2025年）" in text_of(response)
    # 论坛 D + H: 2 events, 4 check-ins, no invitee came, 1 place
    assert table_row(response, "table-kinds", "论坛")[:6] == ["论坛", "2", "4", "0", "1", "0.0%"]
    assert table_row(response, "table-organisers", cast.chamber2.name)[1:6] == ["商会", cast.chamber2.name, "1", "3",
                                                                               "0.0%"]
    assert table_row(response, "table-organiser-events", "2025年")[:6] == ["2025年", "2", "2", "1", "0", "5"]
    # programme P: A and B, 6 check-ins, 4 of 4 places' holders came
    assert table_row(response, "table-programmes", "2025年度民营企业家培训")[:5] == [
        "2025年度民营企业家培训", "2025年", "2", "6", "100.0%"]
    # 全部活动: 4 members, 3 came (75.0 %); 6 enterprises, 5 came (83.3 %)
    assert table_row(response, "table-participation", "全部活动")[:7] == [
        "全部活动", "4", "3", "75.0%", "6", "5", "83.3%"]
    html = response.content.decode()
    for chart in ("chart-trend", "chart-kind-events", "chart-kind-attendance", "chart-organiser-events",
                  "chart-kinds", "chart-organisers", "chart-programmes", "chart-participation"):
        assert f'id="{chart}" data-chart=' in html
    source = json.loads(re.search(r'<script id="event-stats" type="application/json">(.*?)</script>', html,
                                  re.S).group(1))
    assert source["years"][-1] == "2025年" and source["held"][-2:] == [2, 5] and source["attendance"][-1] == 12
    assert {"name": "论坛", "value": 2} in source["periodKinds"]


def test_a_programme_chosen_shows_its_rates(cast, data, login):
    response = login(cast.users.staff).get(PAGE, {"year": 2025, "programme": data["p"].pk})
    html = response.content.decode()
    assert "企业参与率（2025年）：2025年度民营企业家培训" in html
    # the programme's cards: 2 events, 6 人次, 50.0 % of the members, 66.7 % of the enterprises
    cards = re.findall(r'id="programme-(\w+)">([^<]+)<', html)
    assert dict(cards) == {"held": "2", "attendance": "6", "member_participation": "50.0%",
                           "enterprise_participation": "66.7%"}
    assert table_row(response, "table-participation", "2025年度民营企业家培训")[:7] == [
        "2025年度民营企业家培训", "4", "2", "50.0%", "6", "4", "66.7%"]


def test_a_bad_period_or_programme_is_a_clear_message_not_an_error(cast, data, login):
    client = login(cast.users.staff)
    other = Programme.objects.create(federation=cast.other, name="南开培训")
    for params in ({"programme": other.pk}, {"programme": "9" * 30}, {"programme": "x"}, {"year": "abc"},
                   {"start": "2025-05-01", "end": "2025-01-01"}):
        response = client.get(PAGE, params)
        assert response.status_code == 200
        assert "field-error" in response.content.decode()
    assert "所选项目不存在或不在您的统计范围内" in text_of(client.get(PAGE, {"programme": other.pk}))


def test_a_chamber_secretary_sees_its_chambers_figures_only(cast, data, login):
    response = login(cast.users.chamber1).get(PAGE, {"year": 2025})
    assert response.status_code == 200
    assert kpi(response, "活动场次") == "1" and kpi(response, "签到人次") == "2"  # B
    assert kpi(response, "会员企业参与率") == "66.7%"
    html = response.content.decode()
    assert cast.chamber2.name not in html and "科技创新委员会" not in html
    assert "杰青领航" not in html  # a programme none of its events belong to is not named to it


@pytest.mark.parametrize("who", ["dept1", "ent1", "auditor"], ids=["department", "enterprise", "auditor"])
def test_other_roles_are_refused(cast, data, login, who):
    client = login(getattr(cast.users, who))
    assert client.get(PAGE).status_code == 403
    assert client.get(records("events.held")).status_code == 403


def test_the_export_is_the_tables_and_is_audited(cast, data, login):
    response = login(cast.users.staff).get(PAGE, {"year": 2025, "export": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:3] == ["总体", "年度趋势", "各年场次按类型"]
    assert {"本期按类型", "本期按主办单位", "本期按项目", "企业参与率"} <= set(book.sheetnames)
    overall = {row[0]: row[1:4] for row in book["总体"].iter_rows(min_row=2, values_only=True)}
    # a text starting with "+" is written with a leading apostrophe (the exporter's guard against formulas)
    assert overall["活动场次（场）"] == (5, 2, "'+150.0%")
    assert overall["会员企业参与率（%）"] == (75, 25, "'+50.0个百分点")
    trend = list(book["年度趋势"].iter_rows(values_only=True))
    assert trend[0] == ("年份", "活动场次", "培训场次", "签到人次", "培训人次") and trend[-1] == (2025, 5, 2, 12, 6)
    audit = AuditEvent.objects.filter(action="export", object_type="events.statistics").get()
    assert audit.detail["start"] == "2025-01-01" and audit.detail["end"] == "2025-12-31"


def test_the_page_links_its_export_and_its_records(cast, data, login):
    response = login(cast.users.staff).get(PAGE, {"year": 2025, "programme": data["p"].pk})
    html = response.content.decode().replace("&amp;", "&")
    assert f"{PAGE}?year=2025&programme={data['p'].pk}&export=xlsx" in html
    assert f"{records('events.held')}?year=2025" in html
    assert f"{records('events.member_participation')}?year=2025&programme={data['p'].pk}" in html


def test_the_drill_down_lists_the_records_behind_a_figure(cast, data, login):
    client = login(cast.users.staff)
    response = client.get(records("events.held"), {"year": 2025})
    assert response.status_code == 200
    text = text_of(response)
    assert "活动场次（2025年）：5场" in text and "共 5 条" in text
    response = client.get(records("events.member_participation"), {"year": 2025})
    text = text_of(response)
    assert "会员企业参与率（2025年）：75.0%" in text and "共 4 条" in text and "E6企业" in text
    response = client.get(records("events.attendance"), {"year": 2025, "organiser": "chamber",
                                                           "chamber": cast.chamber1.pk})
    assert "共 2 条" in text_of(response)
    forum = data["events"]["D"].kind_id
    assert "共 2 条" in text_of(client.get(records("events.held"), {"year": 2025, "kind": forum}))
    assert "共 7 条" in text_of(client.get(records("events.turnout"), {"year": 2025}))
    assert "共 4 条" in text_of(client.get(records("events.satisfaction"), {"year": 2025}))


def test_the_drill_down_refuses_what_is_not_there(cast, data, login):
    staff = login(cast.users.staff)
    assert staff.get(records("appeals.received")).status_code == 404
    assert staff.get(records("events.nothing")).status_code == 404
    for params in ({"chamber": "1" * 25}, {"kind": "x"}, {"organiser": "martians"}):
        assert staff.get(records("events.held"), params).status_code == 404
    other = Programme.objects.create(federation=cast.other, name="南开培训")
    assert staff.get(records("events.held"), {"programme": other.pk}).status_code == 404
    chamber1 = login(cast.users.chamber1)
    assert chamber1.get(records("events.held"), {"chamber": cast.chamber2.pk}).status_code == 404
    response = chamber1.get(records("events.held"), {"year": 2025})
    assert "共 1 条" in text_of(response) and cast.chamber2.name not in response.content.decode()


def _grow(cast, n, start):
    """n more held events of 2025 (each kind and organiser again), with invitations and check-ins."""
    for k in range(start, start + n):
        when = datetime(2025, 4, 1 + k, 9, tzinfo=SHANGHAI)
        for kind, chamber in (("training", None), ("forum", cast.chamber1), ("breakfast", cast.chamber2)):
            event = testing.make_event(cast.district, kind=kind, starts_at=when, status="finished", chamber=chamber)
            firm = testing.make_enterprise(cast.district, chamber=cast.chamber1)
            testing.make_membership(cast.district, firm)
            invitation = testing.make_invitation(event, firm, status=Invitation.Status.ACCEPTED)
            CheckIn.objects.create(event=event, invitation=invitation, enterprise=firm, name=firm.name, method="scan",
                                   checked_in_at=when - timedelta(minutes=5))
            CheckIn.objects.create(event=event, name="来宾", method="walk_in", checked_in_at=when)
        programme = Programme.objects.create(federation=cast.district, name=f"增长项目{k}", year=2025)
        testing.make_event(cast.district, kind="seminar", starts_at=when, status="finished", programme=programme)


@pytest.mark.parametrize("who", ["staff", "chamber1"])
def test_the_query_count_does_not_grow_with_the_data(cast, data, login, who):
    client = login(getattr(cast.users, who))
    client.get(PAGE, {"year": 2025})

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PAGE, {"year": 2025}).status_code == 200
        return len(queries)

    small = count()
    _grow(cast, 3, 1)
    grown = count()
    _grow(cast, 6, 4)
    assert count() == grown == small


def test_a_per_year_chart_draws_four_kinds_and_the_rest_as_others(cast, data, login):
    # a sixth kind (推介会, one event in 2024): the four kinds with the most events drawn, 其他 sums the rest
    testing.make_event(cast.district, kind="promotion", starts_at=datetime(2024, 9, 1, 9, tzinfo=SHANGHAI),
                       status="finished")
    response = login(cast.users.staff).get(PAGE, {"year": 2025})
    html = response.content.decode()
    bars = re.search(r'id="chart-kind-events"[^>]*data-bars="([^"]+)"', html).group(1)
    names = [part.split(":")[1] for part in bars.split(";")]
    assert len(names) == 5 and names[-1] == "其他" and "培训班" in names and "论坛" in names
    source = json.loads(re.search(r'<script id="event-stats" type="application/json">(.*?)</script>', html,
                                  re.S).group(1))
    drawn = [source[part.split(":")[0]] for part in bars.split(";")]
    assert [sum(column) for column in zip(*drawn, strict=True)] == source["held"]  # nothing lost: 2024 3, 2025 5
    assert "推介会" in html_of_table(response, "table-kind-events")  # the table keeps every kind


def test_a_quarter_is_kept_in_the_drill_down(cast, data, login):
    client = login(cast.users.staff)
    response = client.get(PAGE, {"year": 2025, "quarter": 1})
    assert kpi(response, "活动场次") == "2"  # H (1 January, 00:10) and A (10 March)
    assert f"{records('events.held')}?year=2025&amp;quarter=1" in response.content.decode()
    text = text_of(client.get(records("events.held"), {"year": 2025, "quarter": 1}))
    assert "活动场次（2025年第1季度）：2场" in text


def test_a_period_longer_than_a_year_has_no_year_on_year(cast, data, login):
    response = login(cast.users.staff).get(PAGE, {"start": "2024-01-01", "end": "2025-12-31"})
    assert kpi(response, "活动场次") == "7" and kpi(response, "签到人次") == "14"  # 2024 (2, 2) and 2025 (5, 12)
    text = text_of(response)
    assert "统计期间超过一年，不计同比" in text and "同比" not in text.replace("不计同比", "")
