"""The 政策库 pages of staff, leaders, chambers and departments: list, search, export, the form, the
detail with publish / push / delete, the matched enterprises, attachments, and the enterprise 360° card."""

import datetime
import re
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.common.models import DictItem
from shanglian.notifications.models import Notification
from shanglian.policies import services
from shanglian.policies.models import Policy, PolicyAttachment, PolicyDelivery, PolicyPackage
from shanglian.policies.services import Eligibility

PDF_BYTES = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def benefit(code="subsidy"):
    return DictItem.objects.get(kind="benefit_type", code=code)


def make_policy(cast, *, title="河西区支持科技型中小企业发展若干措施", eligibility=None, publish=False, push=False,
                federation_staff=None, department=None, **fields):
    """A policy saved through the service (a draft), published (and pushed) when asked."""
    actor = federation_staff or cast.users.staff
    data = {"title": title, "department": department or cast.dept1, "benefit_type": fields.pop("benefit_type", benefit()),
            "document_number": fields.pop("document_number", ""), **fields}
    policy = services.save_policy(actor=actor, data=data, eligibility=eligibility or Eligibility())
    if publish:
        policy, _ = services.publish_policy(actor=actor, policy=policy, push=push)
    return policy


def expire(policy, days_ago=1):
    """Move a policy's expiry date into the past (as time passing would)."""
    Policy.objects.filter(pk=policy.pk).update(expires_on=timezone.localdate() - datetime.timedelta(days=days_ago))
    policy.refresh_from_db()
    return policy


def form_data(cast, **overrides):
    data = {
        "title": "河西区稳岗扩岗专项补贴实施办法", "document_number": "河西人社发〔2026〕12号",
        "department": cast.dept2.pk, "benefit_type": benefit().pk, "published_on": "", "effective_from": "2026-01-01",
        "expires_on": "", "summary": "对稳定就业岗位的中小微企业给予补贴。", "full_text": "第一条 为稳定就业……",
        "application_method": "登录区人社局网站在线申报。", "contact": "022-23456789 王科长",
        "industries": ["C", "26", "2611"], "sizes": ["small", "micro"], "enterprise_types": ["private"],
        "streets": [cast.street.pk], "high_tech_required": "on", "min_employees": "5", "max_employees": "300",
        "min_registered_years": "1", "max_registered_years": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def page_of(response):
    return response.content.decode()


# --- the list ------------------------------------------------------------------------------------
def test_staff_see_drafts_and_published_policies_of_their_federation_only(cast, login):
    make_policy(cast, title="草稿：楼宇经济扶持办法")
    make_policy(cast, title="已发布：科技创新券", publish=True)
    nankai_dept = testing.make_department(cast.other, name="南开区科技局")
    make_policy(cast, title="南开区人才政策", federation_staff=cast.users.outsider_staff, department=nankai_dept,
                publish=True)
    page = page_of(login(cast.users.staff).get(reverse("policies:list")))
    assert "草稿：楼宇经济扶持办法" in page and "已发布：科技创新券" in page
    assert "南开区人才政策" not in page
    assert "tag-warning" in page and "tag-success" in page  # 草稿 and 已发布 coloured
    assert "共 2 条" in page
    assert reverse("policies:create") in page and reverse("policies:import") in page
    assert reverse("policies:export") in page


@pytest.mark.parametrize("who", ["chamber1", "dept1"])
def test_chambers_and_departments_see_live_policies_without_editing(cast, login, who):
    make_policy(cast, title="草稿：楼宇经济扶持办法")
    make_policy(cast, title="已发布：科技创新券", publish=True)
    expire(make_policy(cast, title="已过期：2025年消费券", publish=True))
    page = page_of(login(getattr(cast.users, who)).get(reverse("policies:list")))
    assert "已发布：科技创新券" in page
    assert "草稿：楼宇经济扶持办法" not in page and "已过期：2025年消费券" not in page
    assert reverse("policies:create") not in page and "编辑" not in page
    assert 'name="status"' not in page  # they only ever see live policies: no status filter


def test_enterprise_users_are_sent_to_their_phone_pages_and_auditors_refused(cast, login):
    assert login(cast.users.ent1).get(reverse("policies:list"))["Location"] == reverse("policies:h5_list")
    assert login(cast.users.auditor).get(reverse("policies:list")).status_code == 403


def test_filters_narrow_the_list(cast, login):
    package = PolicyPackage.objects.create(federation=cast.district, name="专精特新服务包")
    tax = make_policy(cast, title="研发费用加计扣除政策解读", publish=True, benefit_type=benefit("tax"),
                      is_automatic=True, published_on=datetime.date(2026, 3, 1))
    package.policies.add(tax)
    make_policy(cast, title="人社局稳岗补贴", department=cast.dept2, publish=True,
                published_on=datetime.date(2026, 9, 1))
    make_policy(cast, title="尚未发布的草稿")
    client = login(cast.users.staff)

    def titles(**params):
        page = page_of(client.get(reverse("policies:list"), params))
        return {t for t in ("研发费用加计扣除政策解读", "人社局稳岗补贴", "尚未发布的草稿") if t in page}

    assert titles(department=cast.dept2.pk) == {"人社局稳岗补贴"}
    assert titles(benefit_type=benefit("tax").pk) == {"研发费用加计扣除政策解读"}
    assert titles(status="draft") == {"尚未发布的草稿"}
    assert titles(automatic="on") == {"研发费用加计扣除政策解读"}
    assert titles(package=package.pk) == {"研发费用加计扣除政策解读"}
    assert titles(published_from="2026-06-01", published_to="2026-12-31") == {"人社局稳岗补贴"}


def test_reversed_dates_are_refused_in_chinese_and_kept(cast, login):
    page = page_of(login(cast.users.staff).get(reverse("policies:list"),
                                               {"published_from": "2026-12-01", "published_to": "2026-01-01"}))
    assert "发布日期止不能早于发布日期起" in page and 'value="2026-12-01"' in page


def test_search_ranks_and_highlights_the_words_found(cast, login):
    make_policy(cast, title="科技型中小企业贷款贴息办法", publish=True, summary="对企业的银行贷款给予贴息支持。")
    make_policy(cast, title="稳岗补贴实施细则", publish=True, summary="失业保险稳岗返还。")
    page = page_of(login(cast.users.staff).get(reverse("policies:list"), {"q": "贴息"}))
    assert "匹配内容" in page and "共 1 条" in page
    assert "<mark>贴息</mark>" in page
    assert "稳岗补贴实施细则" not in page


def test_export_is_the_filtered_list_as_xlsx_and_is_audited(cast, login):
    make_policy(cast, title="科技创新券", publish=True, eligibility=Eligibility(industries=["C"], sizes=["small"]))
    make_policy(cast, title="尚未发布的草稿")
    response = login(cast.users.staff).get(reverse("policies:export"), {"status": "published"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "政策名称" and "适用条件" in rows[0]
    assert [r[0] for r in rows[1:]] == ["科技创新券"]
    assert "适用行业：C 制造业；企业规模：小型" in rows[1][rows[0].index("适用条件")]
    event = AuditEvent.objects.filter(action="export", object_type="policies.policy").latest("id")
    assert event.detail["rows"] == 1


# --- the form --------------------------------------------------------------------------------------
def test_the_form_offers_the_federations_departments_streets_and_dictionary_types(cast, login):
    testing.make_street(cast.other, name="南开区长虹街道")
    page = page_of(login(cast.users.staff).get(reverse("policies:create")))
    # The industries are chosen in the GB/T 4754 tree (common.pickers.IndustryPicker): its 20 门类 are there.
    assert 'data-picker="industry"' in page and 'data-pick="C"' in page and "制造业" in page
    assert "区税务局" in page and "友谊路街道" in page and "南开区长虹街道" not in page
    assert 'type="checkbox" name="sizes" value="small"' in page
    assert 'name="enterprise_types" value="private"' in page


def test_staff_create_a_draft_with_its_eligibility(cast, login, media):
    upload = SimpleUploadedFile("申报指南.pdf", PDF_BYTES, content_type="application/pdf")
    response = login(cast.users.staff).post(reverse("policies:create"), {**form_data(cast), "files": [upload]})
    policy = Policy.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("policies:detail", args=[policy.pk])
    assert policy.status == Policy.Status.DRAFT and policy.federation == cast.district
    assert sorted(policy.industries.values_list("prefix", flat=True)) == ["26", "2611", "C"]
    assert policy.size_list == ["micro", "small"] and policy.enterprise_type_list == ["private"]
    assert policy.street_ids == [cast.street.pk] and policy.high_tech_required
    assert (policy.min_employees, policy.max_employees, policy.min_registered_years) == (5, 300, 1)
    assert policy.max_registered_years is None
    assert policy.attachments.get().original_name == "申报指南.pdf"


@pytest.mark.parametrize(("overrides", "message"), [
    ({"title": "  "}, "请填写政策名称"),
    ({"department": ""}, "请选择发布部门"),
    ({"industries": ["C", "制造业"]}, "行业代码不存在：制造业"),
    ({"industries": ["99"]}, "行业代码不存在：99"),
    ({"min_employees": "50", "max_employees": "10"}, "从业人数上限不能小于下限"),
    ({"min_employees": "很多"}, "从业人数下限必须是整数"),
    ({"max_registered_years": "-1"}, "成立年限上限（年）不能为负数"),
    ({"effective_from": "2026-05-01", "expires_on": "2026-04-01"}, "失效日期不能早于生效日期"),
    ({"expires_on": "2026/13/40"}, "失效日期格式应为 2026-11-22"),
])
def test_bad_input_is_refused_in_chinese_and_everything_typed_is_kept(cast, login, overrides, message):
    response = login(cast.users.staff).post(reverse("policies:create"), form_data(cast, **overrides))
    page = page_of(response)
    assert response.status_code == 400
    assert message in page
    assert "对稳定就业岗位的中小微企业给予补贴。" in page and "022-23456789 王科长" in page
    assert re.search(r'value="small"[^>]*checked', page) and re.search(r'value="private"[^>]*checked', page)
    assert not Policy.objects.exists()


def test_another_federations_street_is_refused(cast, login):
    foreign = testing.make_street(cast.other, name="南开区长虹街道")
    response = login(cast.users.staff).post(reverse("policies:create"), form_data(cast, streets=[foreign.pk]))
    assert response.status_code == 400 and "所选街道不属于本工商联" in page_of(response)
    assert not Policy.objects.exists()


def test_edit_shows_what_is_stored_and_saves_changes(cast, login):
    policy = make_policy(cast, eligibility=Eligibility(industries=["C", "2611"], sizes=["micro"]))
    client = login(cast.users.staff)
    page = page_of(client.get(reverse("policies:edit", args=[policy.pk])))
    assert 'name="industries" value="C"' in page and 'name="industries" value="2611"' in page
    assert "2611 无机酸制造" in page and "C 制造业" in page and re.search(r'value="micro"[^>]*checked', page)
    response = client.post(reverse("policies:edit", args=[policy.pk]),
                           form_data(cast, title="修订后的标题", industries=["I"], sizes=[], streets=[]))
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.title == "修订后的标题" and policy.size_list == []
    assert list(policy.industries.values_list("prefix", flat=True)) == ["I"]


@pytest.mark.parametrize(("who", "status"), [
    ("leader", 403), ("chamber1", 403), ("dept1", 403), ("ent1", 403), ("auditor", 403), ("outsider_staff", 404)])
def test_only_the_federations_editors_may_edit(cast, login, who, status):
    policy = make_policy(cast, publish=True)
    client = login(getattr(cast.users, who))
    assert client.get(reverse("policies:edit", args=[policy.pk])).status_code == status
    assert client.post(reverse("policies:edit", args=[policy.pk]), form_data(cast)).status_code == status
    policy.refresh_from_db()
    assert policy.title == "河西区支持科技型中小企业发展若干措施"


# --- the detail page ------------------------------------------------------------------------------
def test_detail_shows_the_eligibility_in_words_the_match_count_and_reach(cast, login):
    policy = make_policy(cast, eligibility=Eligibility(
        industries=["I", "6513"], sizes=["small", "micro"], streets=[cast.street.pk], min_employees=5,
        max_registered_years=10, members_only=True))
    page = page_of(login(cast.users.staff).get(reverse("policies:detail", args=[policy.pk])))
    assert "I 信息传输、软件和信息技术服务业、6513 应用软件开发" in page
    assert "小型、微型" in page and "友谊路街道" in page and "不少于 5 人" in page and "成立不超过 10 年" in page
    assert "限工商联会员" in page and "限高新技术企业" not in page
    assert reverse("policies:matches", args=[policy.pk]) in page
    assert 'data-figure="matches">0<' in page  # ent1 has no size: a policy for 小微企业 does not match it


def test_editors_see_publish_and_delete_on_a_draft(cast, login):
    policy = make_policy(cast)
    page = page_of(login(cast.users.staff).get(reverse("policies:detail", args=[policy.pk])))
    assert reverse("policies:publish", args=[policy.pk]) in page and "同时推送给匹配企业" in page and "短信通知" in page
    assert f'data-confirm="是否确认删除政策“{policy.title}”？' in page
    assert reverse("policies:push", args=[policy.pk]) not in page


@pytest.mark.parametrize("who", ["leader", "chamber1", "dept1"])
def test_readers_see_a_live_policy_without_actions(cast, login, who):
    policy = make_policy(cast, publish=True)
    page = page_of(login(getattr(cast.users, who)).get(reverse("policies:detail", args=[policy.pk])))
    assert policy.title in page
    assert reverse("policies:publish", args=[policy.pk]) not in page
    assert reverse("policies:edit", args=[policy.pk]) not in page


@pytest.mark.parametrize(("who", "status"), [("chamber1", 404), ("dept1", 404), ("outsider_staff", 404),
                                             ("auditor", 403)])
def test_a_draft_or_another_federations_policy_is_not_found(cast, login, who, status):
    draft = make_policy(cast)
    assert login(getattr(cast.users, who)).get(reverse("policies:detail", args=[draft.pk])).status_code == status


def test_an_enterprise_opening_the_staff_page_is_sent_to_its_own(cast, login):
    policy = make_policy(cast, publish=True)
    response = login(cast.users.ent1).get(reverse("policies:detail", args=[policy.pk]))
    assert response["Location"] == reverse("policies:h5_detail", args=[policy.pk])


def test_publish_with_push_delivers_only_to_matched_enterprises(cast, login):
    cast.ent2.industry_id = "2611"
    cast.ent2.save()
    policy = make_policy(cast, eligibility=Eligibility(industries=["I"]))
    client = login(cast.users.staff)
    response = client.post(reverse("policies:publish", args=[policy.pk]), {"push": "on"}, follow=True)
    policy.refresh_from_db()
    assert policy.status == Policy.Status.PUBLISHED
    assert "发布成功。已推送给 1 家匹配企业。" in page_of(response)
    assert list(PolicyDelivery.objects.values_list("enterprise_id", flat=True)) == [cast.ent1.pk]
    assert Notification.objects.filter(recipient=cast.users.ent1, kind="policy").exists()
    assert 'data-figure="pushed">1<' in page_of(response)


def test_publish_without_push_delivers_nothing_and_push_later_does(cast, login):
    policy = make_policy(cast)
    client = login(cast.users.staff)
    client.post(reverse("policies:publish", args=[policy.pk]), {})
    assert not PolicyDelivery.objects.exists()
    page = page_of(client.post(reverse("policies:push", args=[policy.pk]), {}, follow=True))
    assert "推送成功：新推送给 2 家匹配企业。" in page  # ent1 and ent2; ent_other is another district's
    assert set(PolicyDelivery.objects.values_list("enterprise_id", flat=True)) == {cast.ent1.pk, cast.ent2.pk}
    page = page_of(client.post(reverse("policies:push", args=[policy.pk]), {}, follow=True))
    assert "没有需要推送的企业" in page and PolicyDelivery.objects.count() == 2


def test_an_expired_draft_cannot_be_published_and_the_page_says_why(cast, login):
    policy = expire(make_policy(cast, expires_on=timezone.localdate() + datetime.timedelta(days=30)))
    client = login(cast.users.staff)
    page = page_of(client.get(reverse("policies:detail", args=[policy.pk])))
    assert f"该政策已于 {policy.expires_on:%Y-%m-%d} 失效，不能发布或推送" in page
    assert reverse("policies:publish", args=[policy.pk]) not in page
    page = page_of(client.post(reverse("policies:publish", args=[policy.pk]), {"push": "on"}, follow=True))
    assert f"已于 {policy.expires_on:%Y-%m-%d} 失效，不能发布" in page
    policy.refresh_from_db()
    assert policy.status == Policy.Status.DRAFT and not PolicyDelivery.objects.exists()


def test_an_expired_published_policy_cannot_be_pushed_and_the_page_says_why(cast, login):
    policy = expire(make_policy(cast, publish=True))
    client = login(cast.users.staff)
    page = page_of(client.get(reverse("policies:detail", args=[policy.pk])))
    assert "已失效" in page and reverse("policies:push", args=[policy.pk]) not in page
    page = page_of(client.post(reverse("policies:push", args=[policy.pk]), {"sms": "on"}, follow=True))
    assert "不能推送" in page
    assert not PolicyDelivery.objects.exists() and not Notification.objects.filter(kind="policy").exists()


def test_a_draft_is_deleted_and_a_published_policy_is_not(cast, login):
    client = login(cast.users.staff)
    draft = make_policy(cast, title="误录入的草稿")
    response = client.post(reverse("policies:delete", args=[draft.pk]))
    assert response["Location"] == reverse("policies:list")
    assert not Policy.objects.filter(pk=draft.pk).exists()
    published = make_policy(cast, publish=True)
    page = page_of(client.post(reverse("policies:delete", args=[published.pk]), follow=True))
    assert "只有草稿可以删除" in page and Policy.objects.filter(pk=published.pk).exists()


@pytest.mark.parametrize(("who", "status"), [("leader", 403), ("chamber1", 403), ("dept1", 403), ("ent1", 403),
                                             ("outsider_staff", 404)])
def test_only_the_federations_editors_publish_push_or_delete(cast, login, who, status):
    draft = make_policy(cast)
    live = make_policy(cast, publish=True)
    client = login(getattr(cast.users, who))
    assert client.post(reverse("policies:publish", args=[draft.pk]), {"push": "on"}).status_code == status
    assert client.post(reverse("policies:push", args=[live.pk])).status_code == status
    assert client.post(reverse("policies:delete", args=[draft.pk])).status_code == status
    draft.refresh_from_db()
    assert draft.status == Policy.Status.DRAFT and not PolicyDelivery.objects.exists()


def test_actions_only_accept_post(cast, login):
    policy = make_policy(cast)
    assert login(cast.users.staff).get(reverse("policies:publish", args=[policy.pk])).status_code == 405


def test_read_receipts_change_the_reach_figures(cast, login):
    policy = make_policy(cast, publish=True, push=True)  # ent1 and ent2
    staff = login(cast.users.staff)
    page = page_of(staff.get(reverse("policies:detail", args=[policy.pk])))
    assert 'data-figure="pushed">2<' in page and 'data-figure="read">0<' in page
    assert 'data-figure="read_rate">0.0%<' in page
    login(cast.users.ent1).get(reverse("policies:h5_detail", args=[policy.pk]))
    page = page_of(login(cast.users.staff).get(reverse("policies:detail", args=[policy.pk])))
    assert 'data-figure="read">1<' in page and 'data-figure="read_rate">50.0%<' in page


# --- matched enterprises -----------------------------------------------------------------------------
def test_matches_lists_the_enterprises_with_their_push_and_read_state(cast, login):
    policy = make_policy(cast, eligibility=Eligibility(streets=[cast.street.pk]), publish=True, push=True)
    services.record_read(actor=cast.users.ent1, policy=policy)
    page = page_of(login(cast.users.staff).get(reverse("policies:matches", args=[policy.pk])))
    assert "天津友谊科技有限公司" in page and "天津之江贸易有限公司" not in page
    assert "共 1 条" in page and "已读" in page
    assert reverse("policies:matches_export", args=[policy.pk]) in page


def test_matches_export_is_an_audited_xlsx(cast, login):
    policy = make_policy(cast, publish=True)
    response = login(cast.users.staff).get(reverse("policies:matches_export", args=[policy.pk]))
    rows = list(openpyxl.load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert {r[0] for r in rows[1:]} == {"天津友谊科技有限公司", "天津之江贸易有限公司"}
    assert rows[1][-1] == "未推送"
    assert AuditEvent.objects.filter(action="export", detail__policy=policy.pk).exists()


@pytest.mark.parametrize(("who", "status"), [("chamber1", 403), ("dept1", 403), ("ent1", 403), ("auditor", 403),
                                             ("outsider_staff", 404)])
def test_matches_are_for_the_federation_only(cast, login, who, status):
    policy = make_policy(cast, publish=True)
    client = login(getattr(cast.users, who))
    assert client.get(reverse("policies:matches", args=[policy.pk])).status_code == status
    assert client.get(reverse("policies:matches_export", args=[policy.pk])).status_code == status


# --- attachments -------------------------------------------------------------------------------------
def _with_attachment(cast, media, publish=True):
    upload = SimpleUploadedFile("申报指南.pdf", PDF_BYTES, content_type="application/pdf")
    policy = services.save_policy(actor=cast.users.staff, data={
        "title": "带附件的政策", "department": cast.dept1, "benefit_type": benefit()}, files=[upload])
    if publish:
        policy, _ = services.publish_policy(actor=cast.users.staff, policy=policy)
    return policy, PolicyAttachment.objects.get(policy=policy)


@pytest.mark.parametrize("who", ["staff", "leader", "chamber1", "dept1", "ent1"])
def test_those_who_see_the_policy_download_its_attachment(cast, login, media, who):
    policy, attachment = _with_attachment(cast, media)
    response = login(getattr(cast.users, who)).get(reverse("policies:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_attachment_of_a_policy_out_of_scope_is_not_found(cast, login, media):
    _, draft_file = _with_attachment(cast, media, publish=False)
    assert login(cast.users.ent1).get(reverse("policies:attachment", args=[draft_file.pk])).status_code == 404
    assert login(cast.users.outsider_staff).get(
        reverse("policies:attachment", args=[draft_file.pk])).status_code == 404
    assert login(cast.users.auditor).get(reverse("policies:attachment", args=[draft_file.pk])).status_code == 403
    assert Path(media, "policies").exists()


# --- elsewhere: the enterprise 360° page, navigation, the 工作台 ---------------------------------------
def test_enterprise_page_lists_its_matched_policies_with_the_count(cast, login):
    for n in range(12):
        make_policy(cast, title=f"面向友谊路街道的政策{n:02d}", eligibility=Eligibility(streets=[cast.street.pk]),
                    publish=True, published_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=n))
    make_policy(cast, title="只适用于制造业的政策", eligibility=Eligibility(industries=["C"]), publish=True)
    make_policy(cast, title="尚未发布的草稿")
    page = page_of(login(cast.users.staff).get(reverse("members:enterprise_detail", args=[cast.ent1.pk])))
    assert "匹配政策" in page and "共 12 条，显示最新 10 条" in page
    assert "面向友谊路街道的政策11" in page and "面向友谊路街道的政策01" not in page
    assert "只适用于制造业的政策" not in page and "尚未发布的草稿" not in page
    policy = Policy.objects.get(title="面向友谊路街道的政策11")
    assert reverse("policies:detail", args=[policy.pk]) in page
    page = page_of(login(cast.users.staff).get(reverse("members:enterprise_detail", args=[cast.ent2.pk])))
    assert "共 0 条" in page and "暂无匹配的有效政策" in page


def test_the_enterprise_sees_its_matches_on_its_own_page_linked_to_its_phone_pages(cast, login):
    policy = make_policy(cast, publish=True)
    page = page_of(login(cast.users.ent1).get(reverse("members:enterprise_detail", args=[cast.ent1.pk])))
    assert reverse("policies:h5_detail", args=[policy.pk]) in page


def test_navigation_shows_the_library_to_staff_and_recommendations_to_enterprises(cast, login):
    from shanglian.ui.navigation import navigation_for

    def labels(user):
        return {i["label"] for g in navigation_for(user) for i in g["items"]}

    for who in ("staff", "leader", "chamber1", "dept1"):
        assert "政策库" in labels(getattr(cast.users, who))
    assert "为您推荐" in labels(cast.users.ent1) and "政策库" not in labels(cast.users.ent1)
    assert "政策库" not in labels(cast.users.auditor)


def test_the_workbench_counts_drafts_waiting_to_be_published(cast, login):
    make_policy(cast, title="草稿一")
    make_policy(cast, title="草稿二")
    page = page_of(login(cast.users.staff).get(reverse("workbench:home")))
    assert "待发布的政策草稿" in page and f"{reverse('policies:list')}?status=draft" in page
    assert "待发布的政策草稿" not in page_of(login(cast.users.leader).get(reverse("workbench:home")))


def test_export_runs_a_fixed_number_of_queries_whatever_the_number_of_policies(cast, login,
                                                                                  django_assert_max_num_queries):
    from shanglian.common.models import DictItem as _Dict
    from shanglian.policies.services import Eligibility as _Eligibility
    from shanglian.policies.services import save_policy as _save

    for i in range(15):
        _save(actor=cast.users.staff, data={
            "title": f"政策{i}", "department": cast.dept1,
            "benefit_type": _Dict.objects.get(kind="benefit_type", code="subsidy")},
            eligibility=_Eligibility(industries=["C", "26"], sizes=["small"], streets=[cast.street.pk]))
    client = login(cast.users.staff)
    with django_assert_max_num_queries(25):
        response = client.get("/policies/export/")
    assert response.status_code == 200
