"""The enterprise's H5 pages: submit with attachments, follow, rate, ask to reopen; scope and bad input."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shanglian.appeals.models import Appeal, Attachment, Rating, RatingRecord, Status, TimelineEntry

from .factories import PDF_BYTES, category, make_appeal

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x03\x00\x08\xfc\x02\xfe\xa7\x9a\xa0\xa0\x00\x00\x00\x00IEND\xaeB`\x82")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media):
    folder = Path(media) / "appeals"
    return sorted(folder.iterdir()) if folder.exists() else []


def form_data(**overrides):
    data = {
        "category": category("finance").pk, "title": "申请科技型中小企业贷款贴息",
        "content": "我公司今年获得银行贷款300万元，想了解贴息政策的申请条件和所需材料。",
        "urgency": "normal", "contact_name": "王建国", "counterpart": "", "amount_involved": "",
    }
    data.update(overrides)
    return data


# --- list ----------------------------------------------------------------------------------------
def test_home_shows_the_empty_state_with_a_submit_button(cast, login):
    page = login(cast.users.ent1).get(reverse("appeals:h5_home")).content.decode()
    assert "您还没有提交过诉求" in page
    assert reverse("appeals:h5_create") in page
    assert 'class="h5-tabbar"' in page and reverse("notifications:inbox") in page
    assert 'class="sidebar"' not in page  # the mobile layout, not the desk's shell


def test_home_lists_own_appeals_as_cards_and_marks_replied_ones_to_rate(cast, login):
    replied = make_appeal(cast, Status.REPLIED, title="稳岗补贴何时拨付")
    submitted = make_appeal(cast, Status.SUBMITTED, title="办理施工许可证咨询")
    page = login(cast.users.ent1).get(reverse("appeals:h5_home")).content.decode()
    assert replied.number in page and submitted.number in page
    assert "稳岗补贴何时拨付" in page and "办理施工许可证咨询" in page
    assert "区税务局" in page  # the department of the replied one
    assert "h5-tag-success" in page and "已答复" in page and "h5-tag-info" in page
    assert page.count("h5-card-highlight") == 1 and "有 1 件诉求已答复，待您评价" in page
    assert "您还没有提交过诉求" not in page


def test_home_never_lists_another_enterprises_appeals(cast, login):
    from shanglian import testing
    from shanglian.accounts.roles import Role

    other = make_appeal(cast, Status.SUBMITTED, enterprise=cast.ent2,
                        actor=testing.make_user(Role.ENTERPRISE, username="ent2", enterprise=cast.ent2))
    page = login(cast.users.ent1).get(reverse("appeals:h5_home")).content.decode()
    assert other.number not in page and "您还没有提交过诉求" in page


# --- submit --------------------------------------------------------------------------------------
def test_enterprise_submits_with_an_attachment_and_lands_on_the_detail(cast, login, media):
    client = login(cast.users.ent1)
    page = client.get(reverse("appeals:h5_create")).content.decode()
    assert "最多5个，每个不超过10MB，PDF/JPG/PNG/docx/xlsx" in page and 'multiple' in page
    assert "维权类诉求必填" in page and 'data-rights="1"' in page

    upload = SimpleUploadedFile("营业执照.png", PNG, content_type="image/png")
    response = client.post(reverse("appeals:h5_create"), {**form_data(), "files": [upload]}, follow=True)

    appeal = Appeal.objects.get()
    assert response.redirect_chain == [(reverse("appeals:h5_detail", args=[appeal.pk]), 302)]
    assert appeal.enterprise == cast.ent1 and appeal.channel == "platform" and appeal.status == Status.SUBMITTED
    assert appeal.contact_name == "王建国" and appeal.category.code == "finance"
    page = response.content.decode()
    assert f"提交成功，诉求编号 {appeal.number}" in page and appeal.number.startswith("SQ")
    attachment = Attachment.objects.get()
    assert attachment.original_name == "营业执照.png" and attachment.content_type == "image/png"
    assert reverse("appeals:attachment", args=[attachment.pk]) in page
    assert [p.name for p in stored_files(media)] == [attachment.stored_name]
    download = client.get(reverse("appeals:attachment", args=[attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG


def test_rights_case_is_submitted_with_counterpart_and_amount(cast, login, media):
    client = login(cast.users.ent1)
    response = client.post(reverse("appeals:h5_create"), form_data(
        category=category("rights").pk, title="工程款被拖欠", counterpart="天津某建设工程有限公司",
        amount_involved="128,000"))
    appeal = Appeal.objects.get()
    assert response.status_code == 302
    assert appeal.counterpart == "天津某建设工程有限公司" and str(appeal.amount_involved) == "128000.00"


@pytest.mark.parametrize(("overrides", "message"), [
    ({"content": ""}, "请填写诉求内容。"),
    ({"content": "   "}, "请填写诉求内容。"),
    ({"content": "问" * 5001}, "诉求内容不能超过 5000 字（现为 5001 字）。"),
    ({"title": ""}, "请填写诉求标题。"),
    ({"category": ""}, "请选择诉求类别。"),
    ({"category": "rights", "counterpart": ""}, "维权案件请填写对方当事人。"),
    ({"category": "rights", "counterpart": "某公司", "amount_involved": "十万"}, "涉及金额必须是数字（单位：元）。"),
])
def test_bad_input_comes_back_in_chinese_with_what_was_typed_and_writes_nothing(cast, login, media,
                                                                                 overrides, message):
    if overrides.get("category") == "rights":
        overrides["category"] = category("rights").pk
    data = form_data(**overrides)
    response = login(cast.users.ent1).post(reverse("appeals:h5_create"), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    if data["title"]:
        assert f'value="{data["title"]}"' in page  # what was typed is kept
    assert Appeal.objects.count() == 0 and TimelineEntry.objects.count() == 0


def test_an_exe_renamed_pdf_is_refused_and_nothing_is_stored(cast, login, media):
    fake = SimpleUploadedFile("发票.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200,
                              content_type="application/pdf")
    good = SimpleUploadedFile("材料.pdf", PDF_BYTES, content_type="application/pdf")
    response = login(cast.users.ent1).post(reverse("appeals:h5_create"), {**form_data(), "files": [good, fake]})
    page = response.content.decode()
    assert response.status_code == 400
    assert "“发票.pdf”的文件内容不是允许的类型" in page
    assert "已选的附件没有保留，请重新选择" in page
    assert "申请科技型中小企业贷款贴息" in page and "我公司今年获得银行贷款300万元" in page  # kept as typed
    assert Appeal.objects.count() == 0 and Attachment.objects.count() == 0 and stored_files(media) == []


def test_more_than_five_files_are_refused(cast, login, media):
    files = [SimpleUploadedFile(f"材料{i}.pdf", PDF_BYTES, content_type="application/pdf") for i in range(6)]
    response = login(cast.users.ent1).post(reverse("appeals:h5_create"), {**form_data(), "files": files})
    assert "附件最多 5 个，您选择了 6 个。" in response.content.decode()
    assert Appeal.objects.count() == 0 and stored_files(media) == []


# --- detail --------------------------------------------------------------------------------------
def test_detail_shows_progress_replies_and_the_rating_form(cast, login):
    appeal = make_appeal(cast, Status.REPLIED)
    page = login(cast.users.ent1).get(reverse("appeals:h5_detail", args=[appeal.pk])).content.decode()
    for label in ("提交诉求", "受理", "派单", "签收", "答复"):
        assert f"<strong>{label}</strong>" in page
    assert "区税务局" in page and "经核实，贵公司符合稳岗补贴条件，已于本周完成拨付。" in page
    assert reverse("appeals:h5_rate", args=[appeal.pk]) in page
    for label in ("满意", "基本满意", "不满意"):
        assert f"<span>{label}</span>" in page
    assert reverse("appeals:h5_reopen", args=[appeal.pk]) not in page


def test_detail_of_an_open_appeal_has_no_rating_form(cast, login):
    appeal = make_appeal(cast, Status.HANDLING)
    page = login(cast.users.ent1).get(reverse("appeals:h5_detail", args=[appeal.pk])).content.decode()
    assert "办理中" in page and reverse("appeals:h5_rate", args=[appeal.pk]) not in page


def test_department_return_reason_is_not_shown_to_the_enterprise(cast, login):
    from shanglian.appeals import services

    appeal = make_appeal(cast, Status.ASSIGNED)
    services.return_appeal(actor=cast.users.dept1, appeal=appeal, reason="内部：应由区市场监管局办理")
    page = login(cast.users.ent1).get(reverse("appeals:h5_detail", args=[appeal.pk])).content.decode()
    assert "<strong>退回</strong>" in page and "内部：应由区市场监管局办理" not in page


# --- rating and reopening ------------------------------------------------------------------------
def test_satisfied_rating_closes_the_appeal(cast, login):
    appeal = make_appeal(cast, Status.REPLIED)
    client = login(cast.users.ent1)
    response = client.post(reverse("appeals:h5_rate", args=[appeal.pk]), {"rating": "satisfied", "comment": "很及时"},
                           follow=True)
    appeal.refresh_from_db()
    assert appeal.status == Status.CLOSED and appeal.rating == Rating.SATISFIED
    record = RatingRecord.objects.get()
    assert record.source == RatingRecord.Source.ENTERPRISE and record.comment == "很及时"
    page = response.content.decode()
    assert "评价成功，感谢您的反馈。" in page and reverse("appeals:h5_rate", args=[appeal.pk]) not in page


def test_unsatisfied_without_a_comment_is_refused_and_keeps_the_choice(cast, login):
    appeal = make_appeal(cast, Status.REPLIED)
    response = login(cast.users.ent1).post(reverse("appeals:h5_rate", args=[appeal.pk]), {"rating": "unsatisfied"})
    page = response.content.decode()
    assert "请填写不满意的原因。" in page
    assert 'value="unsatisfied" id="id_rating_2" checked' in page
    appeal.refresh_from_db()
    assert appeal.status == Status.REPLIED and appeal.rating == "" and RatingRecord.objects.count() == 0


def test_rating_without_a_choice_is_refused(cast, login):
    appeal = make_appeal(cast, Status.REPLIED)
    response = login(cast.users.ent1).post(reverse("appeals:h5_rate", args=[appeal.pk]), {"comment": "还行"})
    page = response.content.decode()
    assert "请选择评价：满意、基本满意或不满意。" in page and "还行" in page
    assert RatingRecord.objects.count() == 0


def test_rating_an_unreplied_appeal_is_refused_with_a_message(cast, login):
    appeal = make_appeal(cast, Status.HANDLING)
    response = login(cast.users.ent1).post(reverse("appeals:h5_rate", args=[appeal.pk]),
                                           {"rating": "satisfied", "comment": "好"})
    page = response.content.decode()
    assert "尚未答复" in page and "答复后才能评价" in page
    appeal.refresh_from_db()
    assert appeal.status == Status.HANDLING and RatingRecord.objects.count() == 0


def test_unsatisfied_then_reopen_sends_it_back_to_the_department(cast, login):
    appeal = make_appeal(cast, Status.REPLIED)
    client = login(cast.users.ent1)
    page = client.post(reverse("appeals:h5_rate", args=[appeal.pk]),
                       {"rating": "unsatisfied", "comment": "补贴金额与政策规定不符"}, follow=True).content.decode()
    appeal.refresh_from_db()
    assert appeal.status == Status.REPLIED and appeal.rating == Rating.UNSATISFIED
    assert "您对答复不满意，可以申请重办" in page
    assert reverse("appeals:h5_reopen", args=[appeal.pk]) in page
    assert reverse("appeals:h5_rate", args=[appeal.pk]) not in page  # rated in this round

    empty = client.post(reverse("appeals:h5_reopen", args=[appeal.pk]), {"reason": ""}).content.decode()
    assert "请填写重办理由。" in empty
    appeal.refresh_from_db()
    assert appeal.status == Status.REPLIED and appeal.reopen_count == 0

    page = client.post(reverse("appeals:h5_reopen", args=[appeal.pk]), {"reason": "请重新核算补贴金额"},
                       follow=True).content.decode()
    appeal.refresh_from_db()
    assert appeal.status == Status.REOPENED and appeal.reopen_count == 1
    assert appeal.assignments.filter(round=1, department=cast.dept1).exists()
    assert "已申请重办，承办部门将重新办理。" in page and "请重新核算补贴金额" in page
    assert reverse("appeals:h5_reopen", args=[appeal.pk]) not in page


def test_reopen_without_an_unsatisfied_rating_is_refused(cast, login):
    appeal = make_appeal(cast, Status.REPLIED)
    page = login(cast.users.ent1).post(reverse("appeals:h5_reopen", args=[appeal.pk]),
                                       {"reason": "再办一次"}).content.decode()
    assert "请先评价为“不满意”并说明原因，再申请重办。" in page and "再办一次" in page
    appeal.refresh_from_db()
    assert appeal.status == Status.REPLIED and appeal.reopen_count == 0


def test_rate_and_reopen_accept_only_post(cast, login):
    appeal = make_appeal(cast, Status.REPLIED)
    client = login(cast.users.ent1)
    assert client.get(reverse("appeals:h5_rate", args=[appeal.pk])).status_code == 405
    assert client.get(reverse("appeals:h5_reopen", args=[appeal.pk])).status_code == 405


# --- scope ---------------------------------------------------------------------------------------
def _ent2_appeal(cast):
    from shanglian import testing
    from shanglian.accounts.roles import Role

    ent2 = testing.make_user(Role.ENTERPRISE, username="ent2", enterprise=cast.ent2)
    return make_appeal(cast, Status.SUBMITTED, enterprise=cast.ent2, actor=ent2)


def test_enterprise_cannot_open_or_act_on_another_enterprises_appeal(cast, login):
    appeal = _ent2_appeal(cast)
    client = login(cast.users.ent1)
    assert client.get(reverse("appeals:h5_detail", args=[appeal.pk])).status_code == 404
    assert client.post(reverse("appeals:h5_rate", args=[appeal.pk]), {"rating": "satisfied"}).status_code == 404
    assert client.post(reverse("appeals:h5_reopen", args=[appeal.pk]), {"reason": "x"}).status_code == 404
    assert RatingRecord.objects.count() == 0


@pytest.mark.parametrize("username", ["staff", "dept1", "chamber1", "leader", "auditor"])
def test_other_roles_are_refused_on_every_h5_page(cast, login, username):
    appeal = make_appeal(cast, Status.REPLIED)
    client = login(getattr(cast.users, username))
    for name in ("h5_home", "h5_create"):
        assert client.get(reverse(f"appeals:{name}")).status_code == 403
    assert client.get(reverse("appeals:h5_detail", args=[appeal.pk])).status_code == 403
    assert client.post(reverse("appeals:h5_rate", args=[appeal.pk]), {"rating": "satisfied"}).status_code == 403
    assert client.post(reverse("appeals:h5_reopen", args=[appeal.pk]), {"reason": "x"}).status_code == 403
    assert client.post(reverse("appeals:h5_create"), form_data()).status_code == 403
    appeal.refresh_from_db()
    assert appeal.status == Status.REPLIED and Appeal.objects.count() == 1


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("appeals:h5_home"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_enterprise_navigation_has_my_appeals(cast, login):
    from shanglian.ui.navigation import navigation_for

    groups = navigation_for(cast.users.ent1)
    appeals = next(g for g in groups if g["label"] == "诉求服务")
    assert [i["label"] for i in appeals["items"]] == ["我的诉求"]
    assert appeals["items"][0]["url"] == reverse("appeals:h5_home")


def test_the_table_offers_the_enterprise_reopening_only_after_it_rated_unsatisfied(cast):
    """What the H5 pages offer comes from the transition table, which refuses what the service refuses."""
    from shanglian.appeals import selectors, services

    ent1 = cast.users.ent1
    appeal = make_appeal(cast, Status.REPLIED)
    assert selectors.available_actions(ent1, appeal) == ["rate"]
    assert "reopen" in selectors.available_actions(cast.users.staff, appeal)  # the desk may reopen any reply
    appeal = services.rate_appeal(actor=ent1, appeal=appeal, rating=Rating.UNSATISFIED, comment="金额不符")
    assert selectors.available_actions(ent1, appeal) == ["reopen"]


@pytest.mark.parametrize(("name", "reason"), [("bomb.docx", "解压后过大"), ("laughs.docx", "DTD/实体"),
                                              ("far.xlsx", "数据区域异常")])
def test_a_crafted_office_attachment_is_refused_and_nothing_is_stored(cast, login, media, name, reason):
    from shanglian.common.tests.crafted import bomb_docx, laughing_docx, xlsx_bytes

    content = {"bomb.docx": bomb_docx, "laughs.docx": laughing_docx,
               "far.xlsx": lambda: xlsx_bytes([("A1", "名称"), ("XFD1048576", "远")])}[name]()
    response = login(cast.users.ent1).post(reverse("appeals:h5_create"),
                                           {**form_data(), "files": [SimpleUploadedFile(name, content)]})
    page = response.content.decode()
    assert response.status_code == 400 and f"“{name}”" in page and reason in page
    assert Appeal.objects.count() == 0 and Attachment.objects.count() == 0 and stored_files(media) == []
