"""入会申请 pages: the enterprise applies on its phone (the form, its files, the refusals said in Chinese with a 4xx
and nothing written), follows and withdraws its application; staff list (scoped: a chamber secretary the
applications naming its chamber), export, read, approve and refuse with a reason; the files' download after the
scope check; every page of one application × every role; the 待办 and the link from 我的."""

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.growth.models import MembershipApplication
from shanglian.growth.services import applications as services
from shanglian.members.models import Membership
from shanglian.notifications.models import Notification
from shanglian.ui.todos import todos_for

A = MembershipApplication.Status
LIST = reverse("growth:applications")
APPLY = reverse("growth:h5_apply")
ROLES = ["admin", "staff", "leader", "chamber1", "chamber2", "dept1", "ent1", "auditor", "outsider_staff"]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="营业执照.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def count(page):
    return int(re.search(r"共 (\d+) 条", page).group(1))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def firm(cast):
    enterprise = testing.make_enterprise(cast.district, name="天津新来科技有限公司")
    return enterprise, testing.make_user(Role.ENTERPRISE, username="newfirm", enterprise=enterprise)


def post_data(enterprise, **overrides):
    data = {"enterprise_name": enterprise.name, "uscc": enterprise.uscc, "legal_representative": "赵法人",
            "address": "天津市河西区友谊路10号", "founded": "2018-05-01", "employees": "35",
            "registered_capital": "500", "annual_revenue": "", "main_products": "工业软件", "contact_name": "钱经理",
            "contact_mobile": "13812345678", "recommender": "", "statement": "愿意加入", "chamber": "",
            "licence_files": pdf()}
    data.update(overrides)
    return data


@pytest.fixture
def book(cast, firm):
    """One application naming chamber1 (the new firm's) and one naming chamber2 (another firm's)."""
    enterprise, user = firm
    other = testing.make_enterprise(cast.district, name="天津另一家贸易有限公司")
    other_user = testing.make_user(Role.ENTERPRISE, username="otherfirm", enterprise=other)
    first = services.submit_application(actor=user, data={
        "enterprise_name": enterprise.name, "uscc": enterprise.uscc, "legal_representative": "赵法人",
        "address": "河西区", "main_products": "软件", "contact_name": "钱", "contact_mobile": "13812345678"},
        files={"licence": [pdf()]}, chamber=cast.chamber1)
    second = testing.make_application(other, other_user, chamber=cast.chamber2)
    return {"chamber1": first, "chamber2": second, "user": user, "other_user": other_user}


# --- the enterprise's phone ----------------------------------------------------------------------------------------
def test_the_enterprise_applies_on_its_phone(cast, firm, login):
    enterprise, user = firm
    client = login(user)
    page = client.get(APPLY)
    assert page.status_code == 200 and "提交入会申请" in page.content.decode()
    assert enterprise.uscc in page.content.decode()  # the form starts from the registry
    response = client.post(APPLY, post_data(enterprise, chamber=str(cast.chamber1.pk)))
    application = MembershipApplication.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("growth:h5_application",
                                                                           args=[application.pk])
    assert application.chamber == cast.chamber1 and application.attachments.get().kind == "licence"
    detail = client.get(response["Location"]).content.decode()
    assert application.number in detail and "待审核" in detail and "撤回申请" in detail


def test_an_invalid_credit_code_on_the_phone_is_a_400_in_chinese_with_nothing_written(firm, login):
    enterprise, user = firm
    response = login(user).post(APPLY, post_data(enterprise, uscc="91120103MA05ABCDE1"))
    assert response.status_code == 400
    assert "统一社会信用代码" in response.content.decode()
    assert not MembershipApplication.objects.exists()
    assert "已选的材料没有保留" in response.content.decode()


def test_a_duplicate_application_on_the_phone_is_refused_with_nothing_written(firm, login):
    enterprise, user = firm
    client = login(user)
    client.post(APPLY, post_data(enterprise))
    first = MembershipApplication.objects.get()
    page = client.get(APPLY).content.decode()
    assert "本企业已有待审核的入会申请" in page and first.number in page  # no form: said, with the link
    response = client.post(APPLY, post_data(enterprise))
    assert response.status_code == 400
    assert "请勿重复提交" in response.content.decode()
    assert MembershipApplication.objects.count() == 1


def test_a_member_is_told_it_need_not_apply(cast, login):
    page = login(cast.users.ent1).get(APPLY)
    assert page.status_code == 200 and "本企业已是该工商联的会员" in page.content.decode()
    assert "提交入会申请" not in page.content.decode()


def test_the_licence_is_required_on_the_phone(firm, login):
    enterprise, user = firm
    response = login(user).post(APPLY, post_data(enterprise, licence_files=""))
    assert response.status_code == 400 and "请上传营业执照" in response.content.decode()
    assert not MembershipApplication.objects.exists()


def test_the_enterprise_lists_and_withdraws_its_application(book, login):
    client = login(book["user"])
    mine = client.get(reverse("growth:h5_applications")).content.decode()
    assert book["chamber1"].number in mine and book["chamber2"].number not in mine
    response = client.post(reverse("growth:h5_application_withdraw", args=[book["chamber1"].pk]))
    assert response.status_code == 302
    book["chamber1"].refresh_from_db()
    assert book["chamber1"].status == A.WITHDRAWN
    again = client.post(reverse("growth:h5_application_withdraw", args=[book["chamber1"].pk]))
    assert again.status_code == 409 and "不能撤回申请" in again.content.decode()


def test_another_enterprises_application_is_404_on_the_phone(book, login):
    client = login(book["user"])
    assert client.get(reverse("growth:h5_application", args=[book["chamber2"].pk])).status_code == 404
    assert client.post(reverse("growth:h5_application_withdraw", args=[book["chamber2"].pk])).status_code == 404
    book["chamber2"].refresh_from_db()
    assert book["chamber2"].status == A.SUBMITTED


def test_my_page_links_to_the_application_and_the_listing(cast, login):
    page = login(cast.users.ent1).get(reverse("workbench:h5_me")).content.decode()
    assert reverse("growth:h5_applications") in page and reverse("growth:h5_my_listing") in page


# --- staff ---------------------------------------------------------------------------------------------------------
def test_the_federation_lists_every_application_a_chamber_those_naming_it(cast, book, login):
    staff = login(cast.users.staff).get(LIST).content.decode()
    assert count(staff) == 2
    chamber1 = login(cast.users.chamber1).get(LIST).content.decode()
    assert count(chamber1) == 1 and book["chamber1"].number in chamber1 and book["chamber2"].number not in chamber1
    assert count(login(cast.users.outsider_staff).get(LIST).content.decode()) == 0


def test_the_list_filters_by_status_and_an_invalid_filter_finds_nothing(cast, book, login):
    client = login(cast.users.staff)
    services.refuse_application(actor=cast.users.staff, application=book["chamber2"], reason="材料不全")
    page = client.get(LIST, {"status": "submitted"}).content.decode()
    assert count(page) == 1 and book["chamber1"].number in page
    bad = client.get(LIST, {"submitted_from": "2026-13-01"}).content.decode()
    assert "搜索条件有误" in bad


def test_the_export_is_scoped_and_audited(cast, book, login):
    from shanglian.audit.models import AuditEvent

    response = login(cast.users.chamber1).get(reverse("growth:applications_export"))
    assert response.status_code == 200
    event = AuditEvent.objects.filter(action="export", object_type="growth.membershipapplication").get()
    assert event.detail["rows"] == 1


def test_staff_approve_from_the_page_and_the_applicant_is_told(cast, book, login):
    client = login(cast.users.staff)
    application = book["chamber1"]
    page = client.get(reverse("growth:application", args=[application.pk])).content.decode()
    assert "批准入会" in page and "不予通过" in page and "营业执照.pdf" in page
    response = client.post(reverse("growth:application_transition", args=[application.pk, "approve"]))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == A.APPROVED and application.membership.enterprise == application.enterprise
    assert Notification.objects.filter(recipient=book["user"], title__startswith="入会申请已批准").exists()
    page = client.get(reverse("growth:application", args=[application.pk])).content.decode()
    assert application.membership.number in page
    assert reverse("growth:application_transition", args=[application.pk, "approve"]) not in page


def test_staff_refuse_with_a_reason_and_without_one_nothing_changes(cast, book, login):
    client = login(cast.users.staff)
    application = book["chamber2"]
    url = reverse("growth:application_transition", args=[application.pk, "refuse"])
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 400 and "请填写不予通过的原因" in empty.content.decode()
    application.refresh_from_db()
    assert application.status == A.SUBMITTED
    assert client.post(url, {"reason": "经营范围不符"}).status_code == 302
    application.refresh_from_db()
    assert application.status == A.REFUSED and application.refusal_reason == "经营范围不符"
    assert Notification.objects.filter(recipient=book["other_user"], body__contains="经营范围不符").exists()


@pytest.mark.parametrize("role", ["leader", "chamber1"])
def test_readers_cannot_decide(cast, book, login, role):
    client = login(getattr(cast.users, role))
    application = book["chamber1"]
    page = client.get(reverse("growth:application", args=[application.pk])).content.decode()
    assert "确定不予通过" not in page
    response = client.post(reverse("growth:application_transition", args=[application.pk, "approve"]))
    assert response.status_code == 403
    assert not Membership.objects.filter(enterprise=application.enterprise).exists()


def test_a_refused_approval_is_said_on_the_page(cast, book, login):
    application = book["chamber1"]
    testing.make_membership(cast.district, application.enterprise, joined=date(2020, 1, 1))
    client = login(cast.users.staff)
    response = client.post(reverse("growth:application_transition", args=[application.pk, "approve"]), follow=True)
    assert "已有该工商联的会员记录" in response.content.decode()
    application.refresh_from_db()
    assert application.status == A.SUBMITTED


def test_the_review_todo_links_to_exactly_the_pending_applications(cast, book, login):
    todo = next(t for t in todos_for(cast.users.staff) if t.label == "待审核入会申请")
    assert todo.count == 2
    assert count(login(cast.users.staff).get(todo.url).content.decode()) == 2
    assert not any(t.label == "待审核入会申请" for t in todos_for(cast.users.leader))


# --- every page of one application × every role ------------------------------------------------------------------
PAGE_STATUS = {
    # the application naming chamber1: federation roles and chamber1 read; chamber2 404; others 403
    "growth:application": {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200, "chamber2": 404,
                           "dept1": 403, "ent1": 403, "auditor": 403, "outsider_staff": 404},
    "growth:h5_application": {"admin": 403, "staff": 403, "leader": 403, "chamber1": 403, "chamber2": 403,
                              "dept1": 403, "ent1": 404, "auditor": 403, "outsider_staff": 403},
}


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_one_application_for_every_role(cast, book, login, role):
    client = login(getattr(cast.users, role))
    application = book["chamber1"]
    for page, expected in PAGE_STATUS.items():
        assert client.get(reverse(page, args=[application.pk])).status_code == expected[role], page
    attachment = application.attachments.get()
    download = client.get(reverse("growth:attachment_download", args=[attachment.pk]))
    allowed = {"admin": 200, "staff": 200, "leader": 200, "chamber1": 200}
    assert download.status_code == allowed.get(role, 404 if role in ("chamber2", "outsider_staff", "ent1") else 403)
    transition = client.post(reverse("growth:application_transition", args=[application.pk, "approve"]))
    assert transition.status_code == {"admin": 302, "staff": 302, "outsider_staff": 404}.get(role, 403)
    withdraw = client.post(reverse("growth:h5_application_withdraw", args=[application.pk]))
    assert withdraw.status_code == (404 if role == "ent1" else 403)


def test_the_applicant_opens_its_own_page_and_file(book, login):
    client = login(book["user"])
    application = book["chamber1"]
    assert client.get(reverse("growth:h5_application", args=[application.pk])).status_code == 200
    attachment = application.attachments.get()
    assert client.get(reverse("growth:attachment_download", args=[attachment.pk])).status_code == 200
