"""The enterprise's phone pages of notices and surveys (h5_views): the inbox with its unread marks, one notice (the
read receipt) and its attachments, the surveys sent with the user's status, one survey answered with 保存草稿 /
提交 (errors on their questions, nothing written), read back once submitted. Enterprise users only (every other
role 403); what was not sent to the enterprise, a withdrawn notice, a survey still 设计中: 404."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.communications.models import NoticeAttachment, Response
from shanglian.notifications.models import Notification

STAFF_ROLES = ("admin", "staff", "leader", "chamber1", "chamber2", "dept1", "auditor", "outsider_staff")


def sent_notice(cast, enterprise, *, title="关于开展民营企业调查的通知", status="sent", **fields):
    notice = testing.make_notice(cast.district, by=cast.users.staff, title=title, status=status,
                                 sent_at=timezone.now(), body="<p>请于<strong>月底前</strong>填报。</p>", **fields)
    testing.make_notice_recipient(notice, enterprise)
    return notice


def attach(notice, settings, tmp_path, *, name="填报说明.pdf", content=b"%PDF-1.4 test"):
    settings.MEDIA_ROOT = tmp_path
    folder = tmp_path / "communications"
    folder.mkdir(exist_ok=True)
    stored = f"{notice.pk}{len(name)}abcdef"
    (folder / stored).write_bytes(content)
    return NoticeAttachment.objects.create(notice=notice, original_name=name, stored_name=stored,
                                           content_type="application/pdf", size=len(content), sha256="0" * 64)


# --- 通知公告 ------------------------------------------------------------------------------------------------------
def test_the_inbox_lists_the_notices_sent_to_the_enterprise_with_unread_marks(cast, login):
    unread = sent_notice(cast, cast.ent1, title="未读的通知")
    read = sent_notice(cast, cast.ent1, title="已读的通知")
    read.recipients.update(read_at=timezone.now())
    sent_notice(cast, cast.ent2, title="发给别家的通知")
    sent_notice(cast, cast.ent1, title="已撤回的通知", status="withdrawn")
    page = login(cast.users.ent1).get(reverse("communications:h5_inbox")).content.decode()
    assert "未读的通知" in page and "已读的通知" in page
    assert "发给别家的通知" not in page and "已撤回的通知" not in page
    assert 'data-unread="1"' in page and page.count("data-unread") == 2  # the count, and the one unread card
    assert reverse("communications:h5_notice", args=[unread.pk]) in page


def test_opening_a_notice_is_the_read_receipt_and_clears_its_message(cast, login):
    notice = sent_notice(cast, cast.ent1)
    msg = Notification.objects.create(recipient=cast.users.ent1, kind="notice", title=notice.title,
                                      url=reverse("communications:h5_notice", args=[notice.pk]))
    client = login(cast.users.ent1)
    page = client.get(reverse("communications:h5_notice", args=[notice.pk])).content.decode()
    assert "<strong>月底前</strong>" in page and notice.title in page
    receipt = notice.recipients.get()
    assert receipt.read_by == cast.users.ent1 and receipt.read_at is not None
    msg.refresh_from_db()
    assert msg.read_at is not None
    inbox = client.get(reverse("communications:h5_inbox")).content.decode()
    assert 'data-unread="0"' in inbox and "已读" in inbox


def test_a_notice_not_sent_to_the_enterprise_or_withdrawn_is_404_and_unread(cast, login):
    other = sent_notice(cast, cast.ent2)
    withdrawn = sent_notice(cast, cast.ent1, status="withdrawn")
    client = login(cast.users.ent1)
    for notice in (other, withdrawn):
        assert client.get(reverse("communications:h5_notice", args=[notice.pk])).status_code == 404
        assert not notice.recipients.filter(read_at__isnull=False).exists()


def test_a_notice_attachment_downloads_only_for_the_recipient(cast, login, settings, tmp_path):
    notice = sent_notice(cast, cast.ent1)
    stored = attach(notice, settings, tmp_path)
    client = login(cast.users.ent1)
    page = client.get(reverse("communications:h5_notice", args=[notice.pk])).content.decode()
    url = reverse("communications:h5_notice_attachment", args=[stored.pk])
    assert url in page and "填报说明.pdf" in page
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 test"
    other = attach(sent_notice(cast, cast.ent2), settings, tmp_path, name="别家的.pdf")
    assert client.get(reverse("communications:h5_notice_attachment", args=[other.pk])).status_code == 404
    notice.status = "withdrawn"
    notice.save()
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_the_phone_pages_of_one_notice_or_survey_are_for_enterprise_users_only(cast, login, settings, tmp_path, role):
    notice = sent_notice(cast, cast.ent1)
    stored = attach(notice, settings, tmp_path)
    survey = testing.make_survey(cast.district, by=cast.users.staff, status="open", questions=[("text", "建议")])
    testing.make_survey_recipient(survey, cast.ent1)
    client = login(getattr(cast.users, role))
    for url in (reverse("communications:h5_notice", args=[notice.pk]),
                reverse("communications:h5_notice_attachment", args=[stored.pk]),
                reverse("communications:h5_survey", args=[survey.pk])):
        assert client.get(url).status_code == 403
    assert client.post(reverse("communications:h5_survey", args=[survey.pk]), {"action": "submit"}).status_code == 403
    assert not notice.recipients.filter(read_at__isnull=False).exists() and not Response.objects.exists()


# --- 问卷调查 ------------------------------------------------------------------------------------------------------
@pytest.fixture
def survey(cast):
    """An open survey sent to ent1: 1 是否有融资需求 (是/否) → 2 融资需求金额 (万元, ≤ 10000, shown when 是),
    3 满意度 (1–5), 4 建议 (optional)."""
    survey = testing.make_survey(cast.district, by=cast.users.staff, status="open", title="2026年企业融资需求调查",
                                 closes_on=date.today() + timedelta(days=10), questions=[
                                     {"kind": "single", "text": "是否有融资需求", "options": ["是", "否"]},
                                     {"kind": "number", "text": "融资需求金额", "maximum": Decimal("10000"),
                                      "unit": "万元"},
                                     {"kind": "scale", "text": "满意度", "low": 1, "high": 5,
                                      "low_label": "很不满意", "high_label": "非常满意"},
                                     {"kind": "text", "text": "建议", "required": False},
                                 ])
    q = list(survey.questions.order_by("order"))
    q[1].show_if, q[1].show_if_option = q[0], 0
    q[1].save()
    testing.make_survey_recipient(survey, cast.ent1)
    survey.q = q
    return survey


def form_data(survey, action, *, single="", amount="", scale="", text=""):
    q = survey.q
    return {"action": action, f"q{q[0].pk}": single, f"q{q[1].pk}": amount, f"q{q[2].pk}": scale,
            f"q{q[3].pk}": text}


def test_the_surveys_page_shows_each_survey_sent_with_the_users_status(cast, login, survey):
    closed = testing.make_survey(cast.district, by=cast.users.staff, status="closed", title="已结束的问卷")
    testing.make_survey_recipient(closed, cast.ent1)
    draft = testing.make_survey(cast.district, by=cast.users.staff, status="draft", title="设计中的问卷")
    testing.make_survey_recipient(draft, cast.ent1)
    others = testing.make_survey(cast.district, by=cast.users.staff, status="open", title="发给别家的问卷")
    testing.make_survey_recipient(others, cast.ent2)
    client = login(cast.users.ent1)
    page = client.get(reverse("communications:h5_surveys")).content.decode()
    assert "2026年企业融资需求调查" in page and "已结束的问卷" in page
    assert "设计中的问卷" not in page and "发给别家的问卷" not in page
    assert "未填写" in page and "已截止" in page
    testing.make_response(survey, cast.ent1, by=cast.users.ent1, status="draft")
    assert "草稿" in client.get(reverse("communications:h5_surveys")).content.decode()


def test_a_draft_is_saved_then_resumed_and_submitted(cast, login, survey):
    client = login(cast.users.ent1)
    url = reverse("communications:h5_survey", args=[survey.pk])
    page = client.get(url).content.decode()
    assert "保存草稿" in page and "提交问卷" in page and f'data-show-if="q{survey.q[0].pk}"' in page
    response = client.post(url, form_data(survey, "draft", single="0", amount="250"))
    assert response.status_code == 302 and response["Location"] == url
    saved = Response.objects.get()
    assert saved.status == "draft" and saved.answers.count() == 2
    page = client.get(url).content.decode()
    assert 'value="250"' in page and "草稿" in page
    response = client.post(url, form_data(survey, "submit", single="0", amount="250", scale="4", text="希望简化流程"))
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.status == "submitted" and saved.answers.count() == 4
    page = client.get(url).content.decode()
    assert "已提交的答卷" in page and "250万元" in page and "希望简化流程" in page and "提交问卷" not in page


def test_a_required_question_left_empty_is_shown_on_its_question_and_nothing_is_written(cast, login, survey):
    client = login(cast.users.ent1)
    url = reverse("communications:h5_survey", args=[survey.pk])
    response = client.post(url, form_data(survey, "submit", single="0", scale="3"))
    page = response.content.decode()
    assert response.status_code == 400 and "第2题：此题为必答题，请作答。" in page
    assert not Response.objects.exists()


def test_an_answer_out_of_range_is_refused_in_chinese(cast, login, survey):
    client = login(cast.users.ent1)
    url = reverse("communications:h5_survey", args=[survey.pk])
    response = client.post(url, form_data(survey, "submit", single="0", amount="20000", scale="3"))
    assert response.status_code == 400 and "第2题：不能大于 10000万元。" in response.content.decode()
    response = client.post(url, form_data(survey, "submit", single="0", amount="100", scale="9"))
    assert response.status_code == 400 and "请在 1 到 5 之间选择。" in response.content.decode()
    assert not Response.objects.exists()


def test_a_submitted_survey_is_read_only_and_a_second_post_changes_nothing(cast, login, survey):
    client = login(cast.users.ent1)
    url = reverse("communications:h5_survey", args=[survey.pk])
    client.post(url, form_data(survey, "submit", single="1", scale="5"))
    response = client.post(url, form_data(survey, "submit", single="1", scale="1"))
    assert response.status_code == 302
    assert "这份问卷已经提交，不能再修改。" in client.get(url).content.decode()
    assert Response.objects.get().answers.get(question=survey.q[2]).number == 5


def test_a_survey_past_its_closing_date_shows_why_and_takes_no_answer(cast, login, survey):
    survey.closes_on = date.today() - timedelta(days=1)
    survey.save()
    client = login(cast.users.ent1)
    url = reverse("communications:h5_survey", args=[survey.pk])
    page = client.get(url).content.decode()
    assert "截止，不能再填写" in page and "提交问卷" not in page
    client.post(url, form_data(survey, "submit", single="1", scale="5"))
    assert not Response.objects.exists()


def test_a_survey_not_sent_to_the_enterprise_or_still_in_design_is_404(cast, login, survey):
    others = testing.make_survey(cast.district, by=cast.users.staff, status="open", questions=[("text", "建议")])
    testing.make_survey_recipient(others, cast.ent2)
    draft = testing.make_survey(cast.district, by=cast.users.staff, status="draft", questions=[("text", "建议")])
    testing.make_survey_recipient(draft, cast.ent1)
    client = login(cast.users.ent1)
    for s in (others, draft):
        url = reverse("communications:h5_survey", args=[s.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "submit", f"q{s.questions.get().pk}": "x"}).status_code == 404
    assert not Response.objects.exists()


def test_a_survey_answered_per_person_is_each_users_own(cast, login, survey):
    survey.respondent = "person"
    survey.save()
    colleague = testing.make_user(Role.ENTERPRISE, username="ent1b", enterprise=cast.ent1)
    url = reverse("communications:h5_survey", args=[survey.pk])
    login(cast.users.ent1).post(url, form_data(survey, "submit", single="1", scale="5"))
    page = login(colleague).get(url).content.decode()
    assert "提交问卷" in page and "未填写" in page  # the colleague's own sheet is still to fill


def test_me_links_to_notices_and_surveys(cast, login):
    page = login(cast.users.ent1).get(reverse("workbench:h5_me")).content.decode()
    assert reverse("communications:h5_inbox") in page and reverse("communications:h5_surveys") in page
