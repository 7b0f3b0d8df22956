"""入会申请 services: an enterprise applies for itself (its prospect becomes 已申请), staff approve (the membership, the
chamber membership, the registry's empty fields, the prospect 已入会, the directory entry, the applicant told) or
refuse with a reason (told; the prospect followed again); the bad inputs — an invalid or another credit code, a
member, a duplicate application, a missing licence, a chamber of another federation — are refused in Chinese with
nothing written; who may do what."""

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.audit.models import AuditEvent
from shanglian.common.errors import Refused
from shanglian.growth.models import ApplicationAttachment, DirectoryListing, MembershipApplication, Prospect
from shanglian.growth.selectors.applications import applications_to_review
from shanglian.growth.services import applications as services
from shanglian.growth.services.directory import DEFAULT_SHOWN
from shanglian.members.models import ChamberMembership, Enterprise, Membership
from shanglian.notifications.models import Notification

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="营业执照.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def firm(cast):
    """A non-member enterprise of the district with its user (the cast has none)."""
    enterprise = testing.make_enterprise(cast.district, name="天津新来科技有限公司", legal_representative="",
                                         address="")
    return enterprise, testing.make_user(Role.ENTERPRISE, username="newfirm", enterprise=enterprise)


def form_data(enterprise, **overrides):
    data = {"enterprise_name": enterprise.name, "uscc": enterprise.uscc, "legal_representative": "赵法人",
            "address": "天津市河西区友谊路10号", "founded": date(2018, 5, 1), "employees": 35,
            "registered_capital": "500.00", "annual_revenue": "1200.50", "main_products": "工业软件",
            "contact_name": "钱经理", "contact_mobile": "13812345678", "recommender": "友谊路街道商会",
            "statement": "愿意加入工商联"}
    data.update(overrides)
    return data


def submit(user, enterprise, *, files=None, chamber=None, **overrides):
    return services.submit_application(actor=user, data=form_data(enterprise, **overrides),
                                       files=files if files is not None else {"licence": [pdf()]}, chamber=chamber)


def stored_files():
    folder = Path(settings.MEDIA_ROOT) / services.ATTACHMENT_FOLDER
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def counts():
    return (MembershipApplication.objects.count(), ApplicationAttachment.objects.count(), Membership.objects.count(),
            ChamberMembership.objects.count(), DirectoryListing.objects.count(), Notification.objects.count(),
            len(stored_files()))


# --- submit ------------------------------------------------------------------------------------------------------
def test_an_enterprise_applies_for_itself_and_its_prospect_becomes_applied(cast, firm):
    enterprise, user = firm
    prospect = testing.make_prospect(cast.district, owner=cast.users.staff, uscc=enterprise.uscc, name="新来科技")
    application = submit(user, enterprise, files={"licence": [pdf()], "identity": [pdf("身份证.pdf")]},
                         chamber=cast.chamber1)
    assert application.status == MembershipApplication.Status.SUBMITTED
    assert application.number.startswith("RH") and application.federation == cast.district
    assert application.chamber == cast.chamber1 and application.applicant == user
    assert application.industry == enterprise.industry
    assert sorted(application.attachments.values_list("kind", flat=True)) == ["identity", "licence"]
    assert len(stored_files()) == 2
    prospect.refresh_from_db()
    assert prospect.stage == Prospect.Stage.APPLIED and prospect.enterprise == enterprise
    assert application.prospect == prospect and prospect.stage_changed_on == timezone.localdate()
    assert AuditEvent.objects.filter(object_type="growth.membershipapplication", action="create").count() == 1


def test_an_invalid_credit_code_is_refused_in_chinese_and_nothing_is_written(cast, firm):
    enterprise, user = firm
    before = counts()
    with pytest.raises(ValidationError) as caught:
        submit(user, enterprise, uscc="91120103MA05ABCDE1")
    assert "统一社会信用代码" in " ".join(caught.value.message_dict["uscc"])
    assert counts() == before


def test_a_credit_code_other_than_the_registrys_is_refused(cast, firm):
    enterprise, user = firm
    before = counts()
    with pytest.raises(ValidationError) as caught:
        submit(user, enterprise, uscc=cast.ent2.uscc)
    assert caught.value.message_dict["uscc"] == ["统一社会信用代码与本企业在工商联企业库中登记的不一致，请核对后填写。"]
    assert counts() == before


def test_a_duplicate_application_is_refused_and_nothing_is_written(cast, firm):
    enterprise, user = firm
    first = submit(user, enterprise)
    before = counts()
    with pytest.raises(Refused) as caught:
        submit(user, enterprise)
    assert caught.value.message == f"本企业已有待审核的入会申请（{first.number}），请勿重复提交。"
    assert counts() == before
    assert services.apply_refusal(user).startswith("本企业已有待审核的入会申请")


def test_a_member_in_force_cannot_apply(cast):
    before = counts()
    with pytest.raises(Refused) as caught:
        submit(cast.users.ent1, cast.ent1)
    assert caught.value.message == "本企业已是该工商联的会员，无需再申请入会。"
    assert counts() == before


def test_a_former_member_is_sent_to_the_federation(cast, firm):
    enterprise, user = firm
    testing.make_membership(cast.district, enterprise, joined=date(2019, 1, 1), left=date(2022, 1, 1), status="left")
    with pytest.raises(Refused) as caught:
        submit(user, enterprise)
    assert "曾是该工商联的会员" in caught.value.message
    assert not MembershipApplication.objects.exists()


def test_the_licence_is_required_and_missing_fields_are_said_at_once(cast, firm):
    enterprise, user = firm
    before = counts()
    with pytest.raises(ValidationError) as caught:
        submit(user, enterprise, files={"other": [pdf("荣誉.pdf")]}, legal_representative="", contact_mobile="123")
    errors = caught.value.message_dict
    assert errors["licence_files"] == ["请上传营业执照（扫描件或照片）。"]
    assert errors["legal_representative"] == ["请填写法定代表人。"]
    assert counts() == before


def test_a_bad_mobile_is_refused_without_keeping_the_files(cast, firm):
    enterprise, user = firm
    before = counts()
    with pytest.raises(ValidationError) as caught:
        submit(user, enterprise, contact_mobile="12345")
    assert "contact_mobile" in caught.value.message_dict
    assert counts() == before


def test_a_chamber_of_another_federation_is_refused(cast, firm):
    enterprise, user = firm
    other_chamber = testing.make_chamber(cast.other, name="南开区某商会")
    with pytest.raises(ValidationError) as caught:
        submit(user, enterprise, chamber=other_chamber)
    assert caught.value.message_dict["chamber"] == ["所选商会不存在或不属于本企业所在的工商联。"]
    assert not MembershipApplication.objects.exists()


def test_only_an_enterprise_user_applies(cast, firm):
    enterprise, _ = firm
    with pytest.raises(PermissionDenied):
        submit(cast.users.staff, enterprise)


# --- approve -----------------------------------------------------------------------------------------------------
def test_approval_creates_the_membership_and_tells_the_applicant(cast, firm):
    enterprise, user = firm
    prospect = testing.make_prospect(cast.district, owner=cast.users.staff, enterprise=enterprise, stage="visited")
    application = submit(user, enterprise, chamber=cast.chamber1)
    application = services.approve_application(actor=cast.users.staff, application=application)
    today = timezone.localdate()
    assert application.status == MembershipApplication.Status.APPROVED
    assert application.decided_by == cast.users.staff and application.decided_at is not None
    membership = application.membership
    assert membership == Membership.objects.get(federation=cast.district, enterprise=enterprise)
    assert membership.kind == "enterprise" and membership.joined == today and membership.status == "active"
    assert membership.number.startswith("HY")
    chamber_membership = ChamberMembership.objects.get(chamber=cast.chamber1, enterprise=enterprise)
    assert chamber_membership.joined == today and chamber_membership.status == "active"
    prospect.refresh_from_db()
    assert prospect.stage == Prospect.Stage.JOINED
    listing = DirectoryListing.objects.get(federation=cast.district, enterprise=enterprise)
    assert listing.listed and listing.shown_fields == DEFAULT_SHOWN
    assert listing.products == "工业软件"
    enterprise.refresh_from_db()
    assert enterprise.legal_representative == "赵法人" and enterprise.address == "天津市河西区友谊路10号"
    note = Notification.objects.get(recipient=user)
    assert note.title == f"入会申请已批准：{application.number}" and membership.number in note.body
    assert AuditEvent.objects.filter(object_type="members.membership", action="create").exists()


def test_approval_never_overwrites_the_registry(cast, firm):
    enterprise, user = firm
    Enterprise.objects.filter(pk=enterprise.pk).update(address="登记地址")
    application = submit(user, enterprise)
    services.approve_application(actor=cast.users.staff, application=application)
    enterprise.refresh_from_db()
    assert enterprise.address == "登记地址"


def test_approving_twice_is_refused(cast, firm):
    enterprise, user = firm
    application = submit(user, enterprise)
    services.approve_application(actor=cast.users.staff, application=application)
    with pytest.raises(Refused) as caught:
        services.approve_application(actor=cast.users.staff, application=application)
    assert "入会申请当前状态为“已批准”" in caught.value.message
    assert Membership.objects.filter(enterprise=enterprise).count() == 1


def test_a_member_made_meanwhile_is_refused_at_approval_with_nothing_written(cast, firm):
    enterprise, user = firm
    application = submit(user, enterprise)
    testing.make_membership(cast.district, enterprise)
    before = counts()
    with pytest.raises(Refused) as caught:
        services.approve_application(actor=cast.users.staff, application=application)
    assert "已有该工商联的会员记录" in caught.value.message
    assert counts() == before
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.SUBMITTED


@pytest.mark.parametrize("role", ["leader", "chamber1", "ent1"])
def test_only_the_editors_approve(cast, firm, role):
    enterprise, user = firm
    application = submit(user, enterprise, chamber=cast.chamber1)
    with pytest.raises(PermissionDenied):
        services.approve_application(actor=getattr(cast.users, role), application=application)
    assert not Membership.objects.filter(enterprise=enterprise).exists()


def test_another_federations_staff_cannot_approve(cast, firm):
    enterprise, user = firm
    application = submit(user, enterprise)
    with pytest.raises(PermissionDenied):
        services.approve_application(actor=cast.users.outsider_staff, application=application)


# --- refuse and withdraw -----------------------------------------------------------------------------------------
def test_refusal_keeps_the_reason_tells_the_applicant_and_follows_the_prospect_again(cast, firm):
    enterprise, user = firm
    prospect = testing.make_prospect(cast.district, owner=cast.users.staff, enterprise=enterprise, stage="visited")
    application = submit(user, enterprise)
    application = services.refuse_application(actor=cast.users.admin, application=application,
                                              reason="营业执照已过期，请更新后重新申请")
    assert application.status == MembershipApplication.Status.REFUSED
    assert application.refusal_reason == "营业执照已过期，请更新后重新申请" and application.membership is None
    assert not Membership.objects.filter(enterprise=enterprise).exists()
    note = Notification.objects.get(recipient=user)
    assert note.title.startswith("入会申请未通过") and "营业执照已过期" in note.body
    prospect.refresh_from_db()
    assert prospect.stage == Prospect.Stage.VISITED
    assert services.apply_refusal(user) == ""  # it may apply again


def test_a_refusal_needs_a_reason(cast, firm):
    enterprise, user = firm
    application = submit(user, enterprise)
    with pytest.raises(ValidationError) as caught:
        services.refuse_application(actor=cast.users.staff, application=application, reason="  ")
    assert caught.value.message_dict["reason"] == ["请填写不予通过的原因。"]
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.SUBMITTED
    assert not Notification.objects.exists()


def test_the_applicant_withdraws_and_may_apply_again(cast, firm):
    enterprise, user = firm
    application = submit(user, enterprise)
    services.withdraw_application(actor=user, application=application)
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.WITHDRAWN
    again = submit(user, enterprise)
    assert again.pk != application.pk


def test_another_enterprise_cannot_withdraw(cast, firm):
    enterprise, user = firm
    application = submit(user, enterprise)
    with pytest.raises(PermissionDenied):
        services.withdraw_application(actor=cast.users.ent1, application=application)
    with pytest.raises(PermissionDenied):
        services.withdraw_application(actor=cast.users.staff, application=application)


def test_the_review_queue_is_the_editors(cast, firm):
    enterprise, user = firm
    application = submit(user, enterprise, chamber=cast.chamber1)
    assert list(applications_to_review(cast.users.staff)) == [application]
    assert not applications_to_review(cast.users.leader).exists()
    assert not applications_to_review(cast.users.outsider_staff).exists()
