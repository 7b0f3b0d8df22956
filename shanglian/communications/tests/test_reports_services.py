"""调研报告 writes (`services.reports`): the editors record and change their federation's reports with the surveys and
visits they drew on, where they went and the 批示 they received, and their documents; every bad input is refused in
Chinese with nothing written; a leader and a chamber secretary may not write; another federation's survey, visit or
report is refused."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.communications.models import ReportDocument, ResearchReport
from shanglian.communications.services.reports import delete_report, save_report

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def data(**more):
    values = {"title": "关于民营企业融资难题的调研报告", "topic": "融资难融资贵", "method": "mixed",
              "period_start": date(2025, 3, 1), "period_end": date(2025, 5, 31), "summary": "发现三方面问题。"}
    values.update(more)
    return values


def messages_of(exc):
    return {name: " ".join(errors) for name, errors in exc.value.message_dict.items()}


def test_an_editor_records_a_report_with_its_sources_destination_and_instruction(cast, media):
    survey = testing.make_survey(cast.district, by=cast.users.staff, status="closed", questions=[("text", "问题")])
    visit = testing.make_visit(cast.ent1, visited_on=date(2025, 4, 2))
    report = save_report(actor=cast.users.staff, data=data(
        surveys=[survey], visits=[visit.pk], submitted_to="both", submitted_on=date(2025, 6, 5), instructed=True,
        instructed_by="区委书记", instructed_on=date(2025, 6, 10), instruction="请区发改委研究落实。"),
        files=[SimpleUploadedFile("调研报告.pdf", PDF)])
    assert report.federation == cast.district and report.created_by == cast.users.staff
    assert list(report.surveys.all()) == [survey] and list(report.visits.all()) == [visit]
    assert (report.submitted_to, report.instructed, report.instructed_by) == ("both", True, "区委书记")
    document = report.documents.get()
    assert document.original_name == "调研报告.pdf" and (media / "communications" / document.stored_name).exists()
    event = AuditEvent.objects.get(action="create", object_type="communications.researchreport")
    assert event.detail["documents"] == ["调研报告.pdf"]


def test_editing_a_report_audits_the_changes_and_removes_a_document_after_commit(cast, media,
                                                                               django_capture_on_commit_callbacks):
    report = save_report(actor=cast.users.staff, data=data(), files=[SimpleUploadedFile("初稿.pdf", PDF)])
    document = report.documents.get()
    path = media / "communications" / document.stored_name
    with django_capture_on_commit_callbacks(execute=True):
        save_report(actor=cast.users.admin, report=report, data=data(topic="营商环境"),
                    files=[SimpleUploadedFile("定稿.pdf", PDF)], remove_documents=[document])
    assert [d.original_name for d in report.documents.all()] == ["定稿.pdf"] and not path.exists()
    updates = AuditEvent.objects.filter(action="update", object_type="communications.researchreport")
    fields = [change["field"] for event in updates for change in event.detail["changes"]]
    assert "调研主题" in fields and fields.count("报告文件") == 2


def test_no_instruction_keeps_nothing_of_one(cast):
    report = save_report(actor=cast.users.staff, data=data(submitted_to="government", instructed=False,
                                                           instructed_by="某领导", instruction="文字"))
    assert (report.instructed_by, report.instructed_on, report.instruction) == ("", None, "")


@pytest.mark.parametrize(("values", "field", "words"), [
    ({"title": " "}, "title", "请填写报告标题"),
    ({"topic": ""}, "topic", "请填写调研主题"),
    ({"method": "guess"}, "method", "请选择调研方式"),
    ({"period_end": date(2025, 2, 1)}, "period_end", "不能早于开始日期"),
    ({"submitted_on": date(2025, 6, 1)}, "submitted_to", "请选择报送对象"),
    ({"instructed": True, "submitted_to": "committee", "instructed_on": date(2025, 6, 1)}, "instructed_by",
     "请填写批示领导"),
    ({"instructed": True, "instructed_by": "区长", "instructed_on": date(2025, 6, 1)}, "instructed", "尚未报送"),
    ({"submitted_to": "committee", "submitted_on": date(2025, 6, 5), "instructed": True, "instructed_by": "区长",
      "instructed_on": date(2025, 6, 1)}, "instructed_on", "不能早于报送日期"),
    ({"submitted_to": "committee", "submitted_on": timezone.localdate() + timedelta(days=1)}, "submitted_on",
     "不能晚于今天"),
], ids=["no-title", "no-topic", "bad-method", "end-before-start", "date-without-destination",
        "instruction-without-leader", "instruction-not-submitted", "instruction-before-submission", "future"])
def test_a_bad_report_is_refused_in_chinese_and_nothing_is_written(cast, values, field, words):
    with pytest.raises(ValidationError) as exc:
        save_report(actor=cast.users.staff, data=data(**values))
    assert words in messages_of(exc)[field]
    assert not ResearchReport.objects.exists() and not AuditEvent.objects.filter(action="create").exists()


def test_a_forbidden_document_is_refused_and_nothing_is_written(cast, media):
    with pytest.raises(ValidationError) as exc:
        save_report(actor=cast.users.staff, data=data(), files=[SimpleUploadedFile("报告.pdf", b"MZ\x90\x00exe")])
    assert "不是允许的类型" in messages_of(exc)["documents"]
    assert not ResearchReport.objects.exists() and not ReportDocument.objects.exists()
    assert not (media / "communications").exists() or not any((media / "communications").iterdir())


def test_another_federations_survey_or_visit_is_refused(cast):
    survey = testing.make_survey(cast.other, by=cast.users.outsider_staff, status="open")
    visit = testing.make_visit(cast.ent_other)
    with pytest.raises(ValidationError) as exc:
        save_report(actor=cast.users.staff, data=data(surveys=[survey], visits=[visit]))
    assert "问卷" in messages_of(exc)["surveys"] and "走访" in messages_of(exc)["visits"]
    assert not ResearchReport.objects.exists()


def test_a_survey_still_being_designed_is_not_a_source(cast):
    draft = testing.make_survey(cast.district, by=cast.users.staff, status="draft")
    with pytest.raises(ValidationError):
        save_report(actor=cast.users.staff, data=data(surveys=[draft]))


def test_the_same_title_twice_is_recorded_once(cast):
    save_report(actor=cast.users.staff, data=data())
    with pytest.raises(ValidationError) as exc:
        save_report(actor=cast.users.staff, data=data())
    assert "已有同名" in messages_of(exc)["title"] and ResearchReport.objects.count() == 1


@pytest.mark.parametrize("role", ["leader", "chamber1", "dept1", "ent1", "auditor"])
def test_only_the_editors_write_reports(cast, role):
    with pytest.raises(PermissionDenied):
        save_report(actor=getattr(cast.users, role), data=data())
    assert not ResearchReport.objects.exists()


def test_another_federations_editor_cannot_change_or_delete_a_report(cast):
    report = testing.make_report(cast.district)
    with pytest.raises(PermissionDenied):
        save_report(actor=cast.users.outsider_staff, report=report, data=data(title="改"))
    with pytest.raises(PermissionDenied):
        delete_report(actor=cast.users.outsider_staff, report=report)
    report.refresh_from_db()
    assert report.title != "改"


def test_deleting_a_report_removes_its_documents_and_is_audited(cast, media, django_capture_on_commit_callbacks):
    report = save_report(actor=cast.users.staff, data=data(), files=[SimpleUploadedFile("报告.pdf", PDF)])
    path = media / "communications" / report.documents.get().stored_name
    with django_capture_on_commit_callbacks(execute=True):
        delete_report(actor=cast.users.staff, report=report)
    assert not ResearchReport.objects.exists() and not ReportDocument.objects.exists() and not path.exists()
    assert AuditEvent.objects.filter(action="delete", object_type="communications.researchreport").count() == 1
