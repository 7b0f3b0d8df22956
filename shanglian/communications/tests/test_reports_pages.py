"""调研报告 pages: the list with its filters and export in each user's scope, one report's page with its sources and
documents, 新增/编辑/删除 through the forms — every page for every role of the cast: the federation's roles read, the
editors keep, a leader reads only, a chamber secretary, a department, an enterprise and the auditor 403, another
federation's report 404."""

import io
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.communications.models import ResearchReport
from shanglian.communications.services.reports import save_report

LIST = reverse("communications:reports")
EXPORT = reverse("communications:reports_export")
CREATE = reverse("communications:report_create")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ROLES = ["admin", "staff", "leader", "chamber1", "chamber2", "dept1", "ent1", "auditor", "outsider_staff"]
READERS = {"admin", "staff", "leader"}
KEEPERS = {"admin", "staff"}


def count(page):
    return int(re.search(r"共 (\d+) 条", page).group(1))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def reports(cast, media):
    survey = testing.make_survey(cast.district, by=cast.users.staff, status="closed", title="营商环境问卷")
    finance = save_report(actor=cast.users.staff, files=[SimpleUploadedFile("融资报告.pdf", PDF)], data={
        "title": "民营企业融资调研报告", "topic": "融资难", "method": "survey", "period_start": date(2025, 3, 1),
        "period_end": date(2025, 5, 31), "surveys": [survey], "submitted_to": "committee",
        "submitted_on": date(2025, 6, 5), "instructed": True, "instructed_by": "区委书记",
        "instructed_on": date(2025, 6, 9), "instruction": "请相关部门研究。"})
    talent = testing.make_report(cast.district, title="人才引进调研报告", method="forum",
                                 period_start=date(2024, 9, 1), period_end=date(2024, 10, 31))
    other = testing.make_report(cast.other, title="南开餐饮业调研报告")
    return {"finance": finance, "talent": talent, "other": other}


def test_each_reader_lists_exactly_its_federations_reports(cast, reports, login):
    expected = {"staff": {"finance", "talent"}, "admin": {"finance", "talent"}, "leader": {"finance", "talent"},
                "outsider_staff": {"other"}}
    for role, keys in expected.items():
        page = login(getattr(cast.users, role)).get(LIST).content.decode()
        assert count(page) == len(keys), role
        for key, report in reports.items():
            assert (report.title in page) == (key in keys), (role, key)
    for role in ("chamber1", "chamber2", "dept1", "ent1", "auditor"):
        assert login(getattr(cast.users, role)).get(LIST).status_code == 403, role


def test_the_editors_get_new_a_leader_only_export(cast, reports, login):
    page = login(cast.users.staff).get(LIST).content.decode()
    assert "新增调研报告" in page and "导出" in page
    page = login(cast.users.leader).get(LIST).content.decode()
    assert "新增调研报告" not in page and "导出" in page


@pytest.mark.parametrize(("query", "expected"), [
    ("q=融资", {"finance"}),
    ("method=forum", {"talent"}),
    ("submitted_to=none", {"talent"}),
    ("submitted_to=committee", {"finance"}),
    ("instructed=yes", {"finance"}),
    ("instructed=no", {"talent"}),
    ("year=2024", {"talent"}),
], ids=["keyword", "method", "not-submitted", "destination", "instructed", "not-instructed", "year"])
def test_the_filters_find_their_reports(cast, reports, login, query, expected):
    page = login(cast.users.staff).get(f"{LIST}?{query}").content.decode()
    assert count(page) == len(expected)
    for key, report in reports.items():
        if key != "other":
            assert (report.title in page) == (key in expected), key


def test_a_bad_search_finds_nothing_and_says_why(cast, reports, login):
    page = login(cast.users.staff).get(f"{LIST}?year=abc").content.decode()
    assert "搜索条件有误" in page and count(page) == 0


def test_the_export_holds_the_filtered_reports_and_is_audited(cast, reports, login):
    response = login(cast.users.leader).get(f"{EXPORT}?instructed=yes")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("报告标题", "调研主题", "调研方式") and len(rows) == 2
    assert rows[1][0] == "民营企业融资调研报告" and "营商环境问卷" in rows[1] and "区委书记" in rows[1]
    assert AuditEvent.objects.filter(action="export", actor=cast.users.leader).count() == 1


@pytest.mark.parametrize("role", ROLES)
def test_one_reports_page_for_every_role(cast, reports, login, role):
    report = reports["finance"]
    response = login(getattr(cast.users, role)).get(reverse("communications:report", args=[report.pk]))
    expected = 200 if role in READERS else 404 if role == "outsider_staff" else 403
    assert response.status_code == expected
    if expected == 200:
        page = response.content.decode()
        assert "区委书记" in page and "营商环境问卷" in page and "融资报告.pdf" in page
        assert ("编辑" in page) == (role in KEEPERS)


@pytest.mark.parametrize("role", ROLES)
def test_a_document_downloads_only_for_the_reports_readers(cast, reports, login, role):
    document = reports["finance"].documents.get()
    response = login(getattr(cast.users, role)).get(reverse("communications:report_document", args=[document.pk]))
    expected = 200 if role in READERS else 404 if role == "outsider_staff" else 403
    assert response.status_code == expected
    if expected == 200:
        assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize("page", ["communications:report_edit", "communications:report_delete"])
@pytest.mark.parametrize("role", ROLES)
def test_edit_and_delete_pages_for_every_role(cast, reports, login, role, page):
    response = login(getattr(cast.users, role)).get(reverse(page, args=[reports["finance"].pk]))
    expected = 200 if role in KEEPERS else 404 if role == "outsider_staff" else 403
    assert response.status_code == expected


def test_a_report_is_added_through_the_form(cast, login, media):
    visit = testing.make_visit(cast.ent1, visited_on=date(2025, 4, 1))
    client = login(cast.users.staff)
    assert client.get(CREATE).status_code == 200
    response = client.post(CREATE, {
        "title": "楼宇经济调研报告", "topic": "楼宇经济", "method": "visit", "period_start": "2025-04-01",
        "period_end": "2025-04-30", "visits": [visit.pk], "submitted_to": "government", "submitted_on": "2025-05-06",
        "documents": SimpleUploadedFile("楼宇.pdf", PDF)})
    report = ResearchReport.objects.get(title="楼宇经济调研报告")
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert list(report.visits.all()) == [visit] and report.documents.count() == 1


def test_a_bad_form_is_answered_400_in_chinese_and_nothing_is_written(cast, login):
    response = login(cast.users.staff).post(CREATE, {
        "title": "报告", "topic": "主题", "method": "survey", "period_start": "2025-05-01", "period_end": "2025-04-01",
        "instructed": "on"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "调研结束日期不能早于开始日期" in page and "尚未报送" in page
    assert not ResearchReport.objects.exists()


def test_a_leader_may_not_post_a_report(cast, login):
    response = login(cast.users.leader).post(CREATE, {"title": "报告", "topic": "主题", "method": "survey",
                                                      "period_start": "2025-04-01", "period_end": "2025-04-30"})
    assert response.status_code == 403 and not ResearchReport.objects.exists()


def test_a_report_is_edited_and_deleted_through_the_pages(cast, reports, login):
    client = login(cast.users.staff)
    talent = reports["talent"]
    response = client.post(reverse("communications:report_edit", args=[talent.pk]), {
        "title": talent.title, "topic": "高层次人才", "method": "forum", "period_start": "2024-09-01",
        "period_end": "2024-10-31"})
    assert response.status_code == 302
    talent.refresh_from_db()
    assert talent.topic == "高层次人才"
    response = client.post(reverse("communications:report_delete", args=[talent.pk]))
    assert response.status_code == 302 and not ResearchReport.objects.filter(pk=talent.pk).exists()


def test_another_federations_editor_cannot_post_an_edit(cast, reports, login):
    talent = reports["talent"]
    response = login(cast.users.outsider_staff).post(reverse("communications:report_edit", args=[talent.pk]), {
        "title": "改", "topic": "改", "method": "forum", "period_start": "2024-09-01", "period_end": "2024-10-31"})
    assert response.status_code == 404
    talent.refresh_from_db()
    assert talent.title == "人才引进调研报告"
