"""通知调研统计: the page per role (headline cards with 同比, the parts' tables and charts' data), a chamber secretary's
own figures only (no research reports, no friendly organisations), the xlsx export (audited, one sheet per table),
the drill-down to the records (scoped, 404 for an unknown key or a malformed row, 403 for what the role does not
read), 无数据 for a rate over nothing, and a query count that does not grow with the data. The dataset and its
numbers: test_figures.py."""

import io
import json
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.communications.models import RuleVersion
from shanglian.communications.tests.test_figures import at, build_dataset
from shanglian.communications.tests.test_figures import today as today  # noqa: F401  (the fixture)

PAGE = reverse("communications:statistics")
YEAR = {"year": 2025}


def records(key):
    return reverse("communications:figure_records", args=[key])


@pytest.fixture
def data(cast, today):  # noqa: F811
    return build_dataset(cast)


def kpi(response, dom_id):
    found = re.search(rf'id="{dom_id}">([^<]+)<', response.content.decode())
    return found.group(1) if found else None


def chart_data(response, source):
    found = re.search(rf'<script id="{source}" type="application/json">(.*?)</script>', response.content.decode(),
                      re.S)
    return json.loads(found.group(1))


def table_row(response, table_id, label, width):
    html = response.content.decode()
    table = re.search(rf'<table class="table" id="{table_id}">(.*?)</table>', html, re.S).group(1)
    row = re.search(rf'<tr data-row="{re.escape(label)}">(.*?)</tr>', table, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)][:width]


def test_staff_see_the_headline_with_year_on_year(cast, data, login):
    response = login(cast.users.staff).get(PAGE, YEAR)
    assert response.status_code == 200
    assert kpi(response, "headline-notices-sent") == "2"
    assert kpi(response, "headline-notice-recipients") == "4"
    assert kpi(response, "headline-read-rate") == "66.7%"
    assert kpi(response, "headline-surveys-opened") == "2"
    assert kpi(response, "headline-responses") == "4"
    assert kpi(response, "headline-response-rate") == "75.0%"
    assert kpi(response, "headline-survey-appeals") == "1"
    assert kpi(response, "headline-reports-submitted") == "3"
    assert kpi(response, "headline-reports-instructed") == "2"
    assert kpi(response, "headline-articles") == "3"
    assert kpi(response, "headline-persons-featured") == "2"
    assert kpi(response, "headline-rules-in-force") == "3"
    assert kpi(response, "headline-partners") == "2"
    assert kpi(response, "headline-exchanges") == "3"
    html = response.content.decode()
    assert "同比 +100.0%" in html  # 2 notices against N5 alone in 2024
    assert "同比 +200.0%" in html  # 3 articles against A4 alone


def test_the_tables_hold_the_hand_counted_rows(cast, data, login):
    response = login(cast.users.staff).get(PAGE, YEAR)
    assert table_row(response, "table-notices-senders", "工商联", 7) == ["工商联", "1", "3", "2", "1", "1", "50.0%"]
    assert table_row(response, "table-notices-senders", "友谊路街道商会", 7) == [
        "友谊路街道商会", "1", "1", "1", "0", "1", "100.0%"]
    assert table_row(response, "table-notices-senders", "合计", 7) == ["合计", "2", "4", "3", "1", "2", "66.7%"]
    assert table_row(response, "table-notices-audiences", "商会会员", 2) == ["商会会员", "1"]
    s1, s2 = data.surveys.s1.title, data.surveys.s2.title
    assert table_row(response, "table-surveys", s1, 8) == [s1, "工商联", "收集中", "3", "2", "66.7%", "2", "1"]
    assert table_row(response, "table-surveys", s2, 8) == [s2, "友谊路街道商会", "已结束", "1", "1", "100.0%", "2", "0"]
    assert table_row(response, "table-surveys", "合计", 8) == ["合计", "", "", "4", "3", "75.0%", "4", "1"]
    assert table_row(response, "table-research-destinations", "区委", 3) == ["区委", "1", "1"]
    assert table_row(response, "table-research-destinations", "未报送", 3) == ["未报送", "0", "1"]
    assert table_row(response, "table-research-destinations", "合计", 3) == ["合计", "3", "2"]
    assert table_row(response, "table-research-methods", "座谈会", 2) == ["座谈会", "1"]
    assert table_row(response, "table-publicity-levels", "市级", 4) == ["市级", "2", "2", "1"]
    assert table_row(response, "table-publicity-levels", "中央级", 4) == ["中央级", "1", "1", "2"]
    assert table_row(response, "table-publicity-levels", "合计", 4) == ["合计", "3", "2", "2"]
    assert table_row(response, "table-publicity-years", "2024年", 4) == ["2024年", "1", "1", "0"]
    assert table_row(response, "table-publicity-years", "2025年", 4) == ["2025年", "3", "2", "2"]
    assert table_row(response, "table-publicity-kinds", "人物专访", 4) == ["人物专访", "1", "0", "0"]
    assert table_row(response, "table-rules", "工作规则", 5) == ["工作规则", "1", "0", "0", "1"]
    assert table_row(response, "table-rules", "合计", 5) == ["合计", "3", "2", "1", "1"]
    assert table_row(response, "table-exchanges", "来访", 3) == ["来访", "2", "13"]
    assert table_row(response, "table-exchanges", "合计", 3) == ["合计", "3", "25"]
    assert table_row(response, "table-partners", "雄安新区工商联", 8) == [
        "雄安新区工商联", "工商联", "河北省雄安新区", "2023-05-01", "1", "1", "20", "1"]
    assert "某市旧友好商会" not in re.search(r'id="table-partners">(.*?)</table>', response.content.decode(),
                                         re.S).group(1)
    assert {"name": "市级", "value": 2} in chart_data(response, "communications-publicity")["articleLevels"]
    assert {"name": "工商联", "value": 50.0} in chart_data(response, "communications-notices")["noticeSenderRates"]
    assert chart_data(response, "communications-publicity")["articleYearCount"] == [0, 0, 0, 1, 3]


def test_a_chamber_secretary_sees_only_its_own_figures(cast, data, login):
    response = login(cast.users.chamber1).get(PAGE, YEAR)
    assert response.status_code == 200
    assert kpi(response, "headline-notices-sent") == "1"
    assert kpi(response, "headline-read-rate") == "100.0%"
    assert kpi(response, "headline-surveys-opened") == "1"
    assert kpi(response, "headline-responses") == "2"
    assert kpi(response, "headline-articles") == "3"
    assert kpi(response, "headline-reports-submitted") is None  # the reports are the federation's
    assert kpi(response, "headline-partners") is None
    html = response.content.decode()
    assert 'id="table-research-destinations"' not in html and 'id="table-partners"' not in html
    assert data.surveys.s1.title not in html


def test_a_rate_over_nothing_reads_no_data(cast, data, login):
    response = login(cast.users.chamber2).get(PAGE, YEAR)
    assert response.status_code == 200
    assert kpi(response, "headline-read-rate") == "无数据"
    assert kpi(response, "headline-response-rate") == "无数据"


@pytest.mark.parametrize("role", ["dept1", "ent1", "auditor"])
def test_roles_without_communications_are_refused(cast, data, login, role):
    client = login(getattr(cast.users, role))
    assert client.get(PAGE).status_code == 403
    assert client.get(records("communications.articles"), YEAR).status_code == 403


def test_the_export_has_a_sheet_per_table_and_is_audited(cast, data, login):
    response = login(cast.users.staff).get(PAGE, {**YEAR, "export": "xlsx"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    assert book.sheetnames[0] == "总体"
    assert {"通知公告（按发送单位）", "问卷调查", "宣传报道（按媒体级别）", "规章制度（按类别）", "友好组织"} <= set(book.sheetnames)
    overall = {row[0]: row[1] for row in book["总体"].iter_rows(min_row=2, values_only=True)}
    assert overall["发送通知（条）"] == 2 and overall["宣传人物（人）"] == 2 and overall["现行制度（项）"] == 3
    rules = list(book["规章制度（按类别）"].iter_rows(values_only=True))
    assert rules[-1][:2] == ("合计", 3)
    event = AuditEvent.objects.filter(action="export", object_type="communications.statistics").latest("id")
    assert event.detail["start"] == "2025-01-01"


def test_the_drill_down_lists_the_records_in_scope(cast, data, login):
    client = login(cast.users.staff)

    def count(key, **params):
        response = client.get(records(key), {**YEAR, **params})
        assert response.status_code == 200
        return response.context["page_obj"].paginator.count

    assert count("communications.notices_sent", chamber="none") == 1
    assert count("communications.notices_sent", chamber=cast.chamber1.pk) == 1
    assert count("communications.notice_recipients", audience="all") == 3
    assert count("communications.response_rate", survey=data.surveys.s1.pk) == 3
    assert count("communications.survey_appeals") == 1
    assert count("communications.reports_submitted", destination="government") == 1
    assert count("communications.persons_featured", level="municipal") == 2
    assert count("communications.rules_in_force", category="meeting") == 1
    assert count("communications.exchanges", direction="outgoing") == 1
    assert count("communications.partners") == 2
    assert "王建国" in client.get(records("communications.persons_featured"), YEAR).content.decode()
    secretary = login(cast.users.chamber1)
    assert secretary.get(records("communications.responses"), YEAR).context["page_obj"].paginator.count == 2


def test_what_a_chamber_secretary_does_not_read_is_refused_in_the_drill_down(cast, data, login):
    client = login(cast.users.chamber1)
    assert client.get(records("communications.reports_written"), YEAR).status_code == 403
    assert client.get(records("communications.exchanges"), YEAR).status_code == 403
    assert client.get(records("communications.responses"), {**YEAR, "survey": data.surveys.s1.pk}).status_code == 404


@pytest.mark.parametrize(("key", "params"), [
    ("communications.nothing", {}), ("growth.enrolled", {}), ("communications.responses", {"survey": "x1"}),
    ("communications.responses", {"survey": "99999999999999999999"}),
    ("communications.notices_sent", {"chamber": "abc"}), ("communications.notices_sent", {"audience": "robots"}),
    ("communications.articles", {"level": "galactic"}), ("communications.rules_in_force", {"category": "magic"}),
    ("communications.exchanges", {"direction": "up"}), ("communications.reports_written", {"method": "séance"}),
], ids=["unknown", "other-app", "bad-id", "overflow-id", "bad-chamber", "bad-audience", "bad-level", "bad-category",
        "bad-direction", "bad-method"])
def test_a_bad_drill_down_is_a_404(cast, data, login, key, params):
    assert login(cast.users.staff).get(records(key), {**YEAR, **params}).status_code == 404


def test_another_districts_survey_is_a_404(cast, data, login):
    client = login(cast.users.staff)
    assert client.get(records("communications.responses"), {**YEAR, "survey": data.surveys.so.pk}).status_code == 404


def _queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PAGE, YEAR).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["staff", "chamber1"])
def test_the_pages_queries_do_not_grow_with_the_rows(cast, data, login, role):
    client = login(getattr(cast.users, role))
    client.get(PAGE, YEAR)
    before = _queries(client)
    staff, chamber1 = cast.users.staff, cast.chamber1
    for i in range(3):
        enterprise = testing.make_enterprise(cast.district, name=f"天津加量{i}有限公司", chamber=chamber1)
        notice = testing.make_notice(cast.district, by=staff, status="sent", chamber=chamber1, sent_at=at(2025, 8, i + 1))
        testing.make_notice_recipient(notice, enterprise, read_at=at(2025, 9, 1))
        survey = testing.make_survey(cast.district, by=staff, status="open", chamber=chamber1,
                                     opened_at=at(2025, 8, i + 1), questions=[("text", "意见")])
        testing.make_survey_recipient(survey, enterprise)
        testing.make_response(survey, enterprise)
        testing.make_article(cast.district, published_on=date(2025, 8, i + 1), level="provincial",
                             persons=[testing.make_person(cast.district, name=f"加量{i}")], enterprises=[enterprise])
        rule = testing.make_rule(cast.district, category="party", adopted_on=date(2025, 2, 1),
                                 effective_from=date(2025, 2, 1))
        RuleVersion.objects.create(rule=rule, version=2, text="修订。", adopted_by="standing",
                                   adopted_on=date(2025, 3, 1), effective_from=date(2025, 3, 1))
        partner = testing.make_partner(cast.district, name=f"加量友好商会{i}", since=date(2025, 1, 1))
        testing.make_exchange(partner, direction="outgoing", date_=date(2025, 5, i + 1))
        testing.make_report(cast.district, period_end=date(2025, 6, i + 1), submitted_to="upper",
                            submitted_on=date(2025, 7, 1))
    assert _queries(client) == before
