"""通知公告 pages: the list (scoped: a chamber secretary its chamber's; reach and read count per row; export), 起草
with attachments and the audience preview, a forbidden attachment answered 400 in Chinese with nothing written,
the notice's page (body, reach, read rate, buttons only for its sender), 发送/撤回 from the page, 提醒未读, the
receipts and their export, the attachments' download after the scope check; every page of one notice × every
role."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from shanglian.audit.models import AuditEvent
from shanglian.communications.models import Notice, NoticeAttachment
from shanglian.communications.services import notices as services
from shanglian.ui.todos import todos_for

LIST = reverse("communications:notices")
CREATE = reverse("communications:notice_create")
PREVIEW = reverse("communications:audience_preview")
ROLES = ["admin", "staff", "leader", "chamber1", "chamber2", "dept1", "ent1", "auditor", "outsider_staff"]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def count(page):
    return int(re.search(r"共 (\d+) 条", page).group(1))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def book(cast):
    """A sent notice of the federation (ent1 has read it), a draft of the federation, a sent one of chamber1."""
    staff = cast.users.staff
    sent = services.save_notice(actor=staff, title="联邦通知甲", body="正文甲", audience="all",
                                files=[SimpleUploadedFile("议程.pdf", PDF)])
    services.send_notice(actor=staff, notice=sent)
    sent.recipients.filter(enterprise=cast.ent1).update(read_at=timezone.now(), read_by=cast.users.ent1)
    draft = services.save_notice(actor=staff, title="联邦草稿乙", body="正文乙", audience="all")
    chamber = services.save_notice(actor=cast.users.chamber1, title="商会通知丙", body="正文丙", audience="chamber",
                                   chamber_audience=cast.chamber1)
    services.send_notice(actor=cast.users.chamber1, notice=chamber)
    return {"sent": sent, "draft": draft, "chamber": chamber}


def test_the_list_shows_each_senders_scope_with_the_read_count(cast, login, book):
    page = login(cast.users.staff).get(LIST).content.decode()
    assert count(page) == 3 and "联邦通知甲" in page and "1/2（50%）" in page
    page = login(cast.users.chamber1).get(LIST).content.decode()
    assert count(page) == 1 and "商会通知丙" in page and "联邦通知甲" not in page
    page = login(cast.users.chamber2).get(LIST).content.decode()
    assert count(page) == 0
    assert count(login(cast.users.outsider_staff).get(LIST).content.decode()) == 0


def test_the_list_filters_by_status_and_sender(cast, login, book):
    client = login(cast.users.staff)
    assert count(client.get(LIST, {"status": "draft"}).content.decode()) == 1
    page = client.get(LIST, {"sender": str(cast.chamber1.pk)}).content.decode()
    assert count(page) == 1 and "商会通知丙" in page
    assert count(client.get(LIST, {"sender": "federation"}).content.decode()) == 2
    page = client.get(LIST, {"sent_from": "2026-12-01", "sent_to": "2026-01-01"}).content.decode()
    assert "结束日期不能早于开始日期" in page


def test_the_export_is_the_list_and_is_audited(cast, login, book):
    response = login(cast.users.chamber1).get(reverse("communications:notices_export"))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="export", object_type="communications.notice",
                                     detail__rows=1).exists()


def test_a_sender_drafts_a_notice_with_an_attachment(cast, login):
    client = login(cast.users.staff)
    assert "将发送给" in client.get(PREVIEW, {"audience": "all"}).content.decode()
    page = client.get(CREATE).content.decode()
    assert "起草通知" in page and "audience-preview" in page
    response = client.post(CREATE, {"title": "关于年检的通知", "body": "请按时年检。", "audience": "chamber",
                                    "chamber_audience": str(cast.chamber2.pk),
                                    "files": SimpleUploadedFile("年检表.pdf", PDF)})
    notice = Notice.objects.get()
    assert response.status_code == 302 and response["Location"] == notice.get_absolute_url()
    assert notice.attachments.count() == 1 and notice.chamber_audience == cast.chamber2
    page = client.get(notice.get_absolute_url()).content.decode()
    assert "将发送给1家企业（0个账号）" in page and "发送" in page


def test_a_forbidden_attachment_is_refused_with_a_400_and_nothing_written(cast, login):
    response = login(cast.users.staff).post(CREATE, {
        "title": "带病毒的通知", "body": "正文", "audience": "all",
        "files": SimpleUploadedFile("通知.pdf", b"MZ\x90\x00 not a pdf at all")})
    assert response.status_code == 400
    assert "文件内容不是允许的类型" in response.content.decode()
    assert not Notice.objects.exists() and not NoticeAttachment.objects.exists()


def test_a_chamber_secretary_is_offered_only_its_chamber_and_refused_another(cast, login):
    client = login(cast.users.chamber1)
    page = client.get(CREATE).content.decode()
    assert "全体会员" not in page and "专门委员会" not in page
    response = client.post(CREATE, {"title": "越界通知", "body": "正文", "audience": "chamber",
                                    "chamber_audience": str(cast.chamber2.pk)})
    assert response.status_code == 400 and "不在您的发送范围内" in response.content.decode()
    assert not Notice.objects.exists()
    preview = client.get(PREVIEW, {"audience": "all"}).content.decode()
    assert "不在可选范围内" in preview


def test_the_preview_says_what_is_missing(cast, login):
    page = login(cast.users.staff).get(PREVIEW, {"audience": "chamber"}).content.decode()
    assert "请选择商会" in page
    assert login(cast.users.leader).get(PREVIEW, {"audience": "all"}).status_code == 403


def test_the_notices_page_shows_its_reach_and_read_rate(cast, login, book):
    page = login(cast.users.leader).get(book["sent"].get_absolute_url()).content.decode()
    assert "阅读率 50.0%" in page and "议程.pdf" in page
    assert "提醒未读" not in page and "撤回" not in page  # a leader reads
    page = login(cast.users.staff).get(book["sent"].get_absolute_url()).content.decode()
    assert "提醒未读" in page and "撤回" in page
    page = login(cast.users.staff).get(book["chamber"].get_absolute_url()).content.decode()
    assert "撤回" not in page  # the chamber's notice is the chamber's to withdraw


def test_sending_and_withdrawing_from_the_page(cast, login, book):
    client = login(cast.users.staff)
    draft = book["draft"]
    response = client.post(reverse("communications:notice_transition", args=[draft.pk, "send"]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "sent"
    response = client.post(reverse("communications:notice_transition", args=[draft.pk, "withdraw"]), {"reason": ""})
    assert response.status_code == 400 and "请填写撤回原因" in response.content.decode()
    client.post(reverse("communications:notice_transition", args=[draft.pk, "withdraw"]), {"reason": "内容有误"})
    draft.refresh_from_db()
    assert draft.status == "withdrawn"
    response = client.post(reverse("communications:notice_transition", args=[draft.pk, "withdraw"]), {"reason": "再"})
    assert response.status_code == 302  # refused on the page, nothing changed
    assert login(cast.users.leader).post(
        reverse("communications:notice_transition", args=[book["sent"].pk, "withdraw"]),
        {"reason": "领导撤回"}).status_code == 403


def test_reminding_from_the_page(cast, login, book):
    client = login(cast.users.staff)
    response = client.post(reverse("communications:notice_remind", args=[book["sent"].pk]), follow=True)
    assert "已提醒 1 个未读接收人" in response.content.decode()
    response = client.post(reverse("communications:notice_remind", args=[book["sent"].pk]), follow=True)
    assert "今天都已提醒过" in response.content.decode()


def test_the_receipts_list_and_export(cast, login, book):
    client = login(cast.users.staff)
    url = reverse("communications:notice_recipients", args=[book["sent"].pk])
    page = client.get(url).content.decode()
    assert count(page) == 2 and "已读" in page and "未读" in page
    page = client.get(url, {"state": "unread"}).content.decode()
    assert count(page) == 1 and cast.ent2.name in page
    response = client.get(reverse("communications:notice_recipients_export", args=[book["sent"].pk]))
    assert response.status_code == 200


def test_editing_and_deleting_a_draft(cast, login, book):
    client = login(cast.users.staff)
    draft = book["draft"]
    response = client.post(reverse("communications:notice_edit", args=[draft.pk]),
                           {"title": "改过的草稿", "body": "新的正文", "audience": "all"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "改过的草稿"
    assert client.get(reverse("communications:notice_edit", args=[book["sent"].pk])).status_code == 302
    client.post(reverse("communications:notice_delete", args=[draft.pk]))
    assert not Notice.objects.filter(pk=draft.pk).exists()


def test_the_senders_drafts_are_a_todo_linking_to_exactly_them(cast, login, book):
    todo = next(t for t in todos_for(cast.users.staff) if t.label == "待发送的通知草稿")
    assert todo.count == 1
    assert count(login(cast.users.staff).get(todo.url).content.decode()) == 1
    assert not [t for t in todos_for(cast.users.leader) if t.label == "待发送的通知草稿"]


# --- every page of one notice × every role ---------------------------------------------------------------------
READ_PAGES = ("communications:notice", "communications:notice_recipients", "communications:notice_recipients_export")
WRITE_PAGES = ("communications:notice_edit", "communications:notice_delete")


@pytest.mark.parametrize("role", ROLES)
def test_one_notices_pages_for_every_role(cast, login, book, role):
    client = login(getattr(cast.users, role))
    federations = {"admin": 200, "staff": 200, "leader": 200, "chamber1": 404, "chamber2": 404, "dept1": 403,
                   "ent1": 403, "auditor": 403, "outsider_staff": 404}
    chambers = {**federations, "chamber1": 200}
    for page in READ_PAGES:
        assert client.get(reverse(page, args=[book["sent"].pk])).status_code == federations[role], page
        assert client.get(reverse(page, args=[book["chamber"].pk])).status_code == chambers[role], page
    attachment = book["sent"].attachments.get()
    assert client.get(reverse("communications:notice_attachment", args=[attachment.pk])).status_code == \
        federations[role]
    writers = {**federations, "leader": 403}
    for page in WRITE_PAGES:
        assert client.get(reverse(page, args=[book["draft"].pk])).status_code == writers[role], page
    for action in ("send", "withdraw"):
        status = client.post(reverse("communications:notice_transition", args=[book["chamber"].pk, action])).status_code
        assert status in {"chamber1": (302, 400)}.get(role, (403, 404)), (action, status)
    assert client.post(reverse("communications:notice_remind", args=[book["chamber"].pk])).status_code in \
        {"chamber1": (302,)}.get(role, (403, 404))
    assert Notice.objects.get(pk=book["chamber"].pk).status in ("sent", "withdrawn")
