"""Recording a donation (services.donations): the rules of the amounts, the goods and the date refused in Chinese with
nothing written; the donor, chamber, campaign and village kept in the recorder's scope (a chamber secretary its own
chamber's, its member enterprises and their persons); the certificate number; proofs checked, kept and removed with
the donation; every change audited."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.common.errors import Refused
from shanglian.welfare.models import Donation, DonationProof
from shanglian.welfare.services.donations import delete_donation, remove_proof, save_donation

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def data(donor, **fields):
    kind = {"Enterprise": "enterprise", "Person": "person", "Chamber": "chamber"}[type(donor).__name__]
    values = {"donor_kind": kind, "donor": donor, "donated_on": date(2025, 3, 1), "cash": Decimal("1000.00"),
              "goods_value": None, "goods_description": "", "campaign": None, "recipient_village": None,
              "chamber": None, "recipient": "", "receipt_number": "", "note": ""}
    values.update(fields)
    return values


def refused(actor, values, **kwargs):
    """The service's refusal (its field messages), with nothing written."""
    before = (Donation.objects.count(), DonationProof.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as caught:
        save_donation(actor=actor, data=values, **kwargs)
    assert (Donation.objects.count(), DonationProof.objects.count(), AuditEvent.objects.count()) == before
    return caught.value.message_dict


# --- the rules of a donation --------------------------------------------------------------------------------
def test_a_donation_with_neither_cash_nor_goods_is_refused_and_nothing_written(cast):
    errors = refused(cast.users.staff, data(cast.ent1, cash=None))
    assert errors == {"cash": ["请填写捐款金额或物资折价（至少一项大于0）。"]}
    errors = refused(cast.users.staff, data(cast.ent1, cash=Decimal("0"), goods_value=Decimal("0")))
    assert errors == {"cash": ["请填写捐款金额或物资折价（至少一项大于0）。"]}


def test_a_negative_amount_is_refused_and_nothing_written(cast):
    assert refused(cast.users.staff, data(cast.ent1, cash=Decimal("-5"))) == {"cash": ["捐款金额不能为负数。"]}
    errors = refused(cast.users.staff, data(cast.ent1, cash=Decimal("100"), goods_value=Decimal("-0.01"),
                                            goods_description="大米"))
    assert errors == {"goods_value": ["物资折价不能为负数。"]}


def test_a_goods_valuation_without_a_description_is_refused_and_nothing_written(cast):
    errors = refused(cast.users.staff, data(cast.ent1, cash=None, goods_value=Decimal("5000")))
    assert errors == {"goods_description": ["填写了物资折价，请写明捐赠的物资。"]}
    errors = refused(cast.users.staff, data(cast.ent1, goods_description="口罩2万只"))
    assert errors == {"goods_value": ["填写了捐赠物资，请填写物资折价金额。"]}


def test_amounts_beyond_the_field_or_finer_than_a_fen_and_a_future_date_are_refused(cast):
    tomorrow = timezone.localdate() + timedelta(days=1)
    errors = refused(cast.users.staff, data(cast.ent1, cash=Decimal("1000000000000"), donated_on=tomorrow))
    assert errors == {"cash": ["捐款金额不能超过 999,999,999,999.99 元。"], "donated_on": ["捐赠日期不能晚于今天。"]}
    errors = refused(cast.users.staff, data(cast.ent1, cash=Decimal("10.005")))
    assert errors == {"cash": ["捐款金额最多精确到分（两位小数）。"]}
    assert refused(cast.users.staff, data(cast.ent1, donated_on=None)) == {"donated_on": ["请填写捐赠日期。"]}


def test_cash_and_goods_together_stay_within_what_the_certificate_writes_in_capitals(cast):
    largest = Decimal("999999999999.99")  # each within its column, together past money.LIMIT (10^12)
    errors = refused(cast.users.staff, data(cast.ent1, cash=largest, goods_value=Decimal("0.01"),
                                            goods_description="大米"))
    assert errors == {"goods_value": ["捐款金额与物资折价合计不能超过 999,999,999,999.99 元。"]}
    donation = save_donation(actor=cast.users.staff, data=data(cast.ent1, cash=largest - 1, goods_value=Decimal("1"),
                                                               goods_description="大米"))
    assert donation.total == largest


def test_a_donation_recorded_twice_is_refused_naming_the_first(cast):
    values = data(cast.ent1, goods_value=Decimal("500"), goods_description="大米10袋", receipt_number="PJ-9")
    first = save_donation(actor=cast.users.staff, data=values)
    errors = refused(cast.users.staff, dict(values, goods_description=" 大米10袋 "))
    assert errors == {"__all__": [f"已有相同的捐赠记录（编号 {first.number}），请勿重复录入。"]}
    # another day, amount or receipt is another donation; an edit of the first is not a second record
    save_donation(actor=cast.users.staff, data=dict(values, receipt_number="PJ-10"))
    save_donation(actor=cast.users.staff, data=dict(values, cash=Decimal("1000.01")))
    save_donation(actor=cast.users.staff, data=dict(values, note="已开票"), donation=first)
    assert Donation.objects.count() == 3


def test_a_good_donation_is_numbered_audited_and_its_goods_kept_apart_from_its_cash(cast):
    donation = save_donation(actor=cast.users.staff, data=data(
        cast.ent1, cash=Decimal("1234.50"), goods_value=Decimal("5000"), goods_description="口罩2万只",
        receipt_number=" No.0012 ", note="抗疫"))
    assert donation.number.startswith(f"JZ{timezone.localdate():%Y%m%d}") and len(donation.number) == 14
    assert (donation.cash, donation.goods_value, donation.total) == (Decimal("1234.50"), Decimal("5000.00"),
                                                                   Decimal("6234.50"))
    assert (donation.federation, donation.chamber, donation.created_by) == (cast.district, None, cast.users.staff)
    assert donation.receipt_number == "No.0012"
    audit = AuditEvent.objects.get(action="create", object_type="welfare.donation")
    assert {c["field"]: c["new"] for c in audit.detail["changes"]}["捐款金额（元）"] == "1234.5"
    second = save_donation(actor=cast.users.staff, data=data(cast.person1))
    assert int(second.number[-4:]) == int(donation.number[-4:]) + 1


# --- scope -----------------------------------------------------------------------------------------------------
def test_a_chamber_secretary_records_its_own_chambers_donations_by_its_members(cast):
    chamber1 = cast.users.chamber1
    by_member = save_donation(actor=chamber1, data=data(cast.ent1, chamber=cast.chamber2))
    assert by_member.chamber == cast.chamber1 and by_member.federation == cast.district  # the chamber is fixed
    by_person = save_donation(actor=chamber1, data=data(cast.person1))
    by_itself = save_donation(actor=chamber1, data=data(cast.chamber1))
    assert {by_person.chamber, by_itself.chamber} == {cast.chamber1}
    assert by_itself.donor_chamber == cast.chamber1


@pytest.mark.parametrize("donor", ["ent2", "person2", "chamber2", "ent_other"])
def test_a_chamber_secretary_cannot_record_a_donation_by_a_non_member(cast, donor):
    errors = refused(cast.users.chamber1, data(getattr(cast, donor)))
    assert errors == {"donor": ["所选捐赠方不存在或不在您的管理范围内。"]}


def test_a_member_who_left_is_no_longer_a_donor_for_the_chamber(cast):
    from shanglian.members.models import ChamberMembership

    ChamberMembership.objects.filter(enterprise=cast.ent1, chamber=cast.chamber1).update(status="left")
    assert refused(cast.users.chamber1, data(cast.ent1)) == {"donor": ["所选捐赠方不存在或不在您的管理范围内。"]}


def test_the_editors_name_the_organising_chamber_but_nothing_of_another_federation(cast):
    staff = cast.users.staff
    donation = save_donation(actor=staff, data=data(cast.ent2, chamber=cast.chamber2))
    assert donation.chamber == cast.chamber2
    chamber_gift = save_donation(actor=staff, data=data(cast.chamber2))
    assert chamber_gift.chamber == cast.chamber2  # a chamber's own gift is its chamber's
    assert refused(staff, data(cast.ent_other)) == {"donor": ["所选捐赠方不存在或不在您的管理范围内。"]}
    chamber_other = testing.make_chamber(cast.other, name="南开区商会")
    campaign_other = testing.make_campaign(cast.other, name="南开区的项目")
    village_other = testing.make_village(cast.other, name="南开村")
    errors = refused(staff, data(cast.ent1, chamber=chamber_other, campaign=campaign_other,
                                 recipient_village=village_other))
    assert errors == {"chamber": ["所选组织商会不存在或不在您的管理范围内。"],
                      "campaign": ["所选公益项目不存在或不在您的查看范围内。"],
                      "recipient_village": ["所选受赠村不存在或不在您的管理范围内。"]}


def test_a_chamber_secretary_gives_to_the_federations_campaigns_and_its_own_but_not_another_chambers(cast):
    federation_campaign = testing.make_campaign(cast.district, name="春芽基金")
    own = testing.make_campaign(cast.district, name="友谊路助学", chamber=cast.chamber1)
    other = testing.make_campaign(cast.district, name="浙商助学", chamber=cast.chamber2)
    village = testing.make_village(cast.district, name="东山村")
    for campaign in (federation_campaign, own):
        donation = save_donation(actor=cast.users.chamber1, data=data(cast.ent1, campaign=campaign,
                                                                      recipient_village=village))
        assert donation.campaign == campaign and donation.recipient_village == village
    errors = refused(cast.users.chamber1, data(cast.ent1, campaign=other))
    assert errors == {"campaign": ["所选公益项目不存在或不在您的查看范围内。"]}


@pytest.mark.parametrize("role", ["leader", "dept1", "ent1", "auditor"])
def test_only_the_keepers_record_donations(cast, role):
    with pytest.raises(PermissionDenied):
        save_donation(actor=getattr(cast.users, role), data=data(cast.ent1))
    assert not Donation.objects.exists()


def test_another_chamber_cannot_change_or_delete_a_donation(cast):
    donation = save_donation(actor=cast.users.chamber1, data=data(cast.ent1))
    for actor in (cast.users.chamber2, cast.users.outsider_staff, cast.users.leader):
        with pytest.raises(PermissionDenied):
            save_donation(actor=actor, data=data(cast.ent1, cash=Decimal("1")), donation=donation)
        with pytest.raises(PermissionDenied):
            delete_donation(actor=actor, donation=donation)
    donation.refresh_from_db()
    assert donation.cash == Decimal("1000.00")


def test_an_edit_keeps_a_donor_who_has_left_the_chamber_since_and_records_what_changed(cast):
    from shanglian.members.models import ChamberMembership

    donation = save_donation(actor=cast.users.chamber1, data=data(cast.ent1))
    ChamberMembership.objects.filter(enterprise=cast.ent1, chamber=cast.chamber1).update(status="left")
    save_donation(actor=cast.users.chamber1, data=data(cast.ent1, cash=Decimal("1500")), donation=donation)
    donation.refresh_from_db()
    assert donation.cash == Decimal("1500.00") and donation.donor_enterprise == cast.ent1
    update = AuditEvent.objects.filter(action="update", object_type="welfare.donation").latest("id")
    assert update.detail["changes"] == [{"field": "捐款金额（元）", "old": "1000", "new": "1500"}]
    # but it cannot move the donation to another outsider
    assert refused(cast.users.chamber1, data(cast.ent2), donation=donation) == {
        "donor": ["所选捐赠方不存在或不在您的管理范围内。"]}


# --- proofs and deletion -------------------------------------------------------------------------------------
def test_proofs_are_checked_kept_and_removed_with_the_donation_after_commit(cast, media,
                                                                             django_capture_on_commit_callbacks):
    bad = SimpleUploadedFile("凭证.pdf", b"<html><script>alert(1)</script></html>")
    errors = refused(cast.users.staff, data(cast.ent1), files=[bad])
    assert "文件内容不是允许的类型" in errors["proofs"][0]
    assert not any(media.rglob("*")) or not any(p.is_file() for p in media.rglob("*"))

    donation = save_donation(actor=cast.users.staff, data=data(cast.ent1),
                             files=[SimpleUploadedFile("转账凭证.pdf", PDF), SimpleUploadedFile("票据.pdf", PDF)])
    proofs = list(donation.proofs.order_by("id"))
    stored = [media / "welfare" / p.stored_name for p in proofs]
    assert [p.original_name for p in proofs] == ["转账凭证.pdf", "票据.pdf"] and all(f.exists() for f in stored)

    with django_capture_on_commit_callbacks(execute=True):
        remove_proof(actor=cast.users.staff, proof=proofs[0])
    assert not stored[0].exists() and stored[1].exists()
    with pytest.raises(Refused, match="该凭证已被删除"):
        remove_proof(actor=cast.users.staff, proof=proofs[0])
    removal = AuditEvent.objects.filter(action="update", object_type="welfare.donation").latest("id")
    assert removal.detail["changes"] == [{"field": "捐赠凭证", "old": "转账凭证.pdf", "new": ""}]

    with pytest.raises(PermissionDenied):
        remove_proof(actor=cast.users.chamber2, proof=proofs[1])
    with django_capture_on_commit_callbacks(execute=True):
        delete_donation(actor=cast.users.staff, donation=donation)
    assert not Donation.objects.filter(pk=donation.pk).exists() and not DonationProof.objects.exists()
    assert not stored[1].exists()
    assert AuditEvent.objects.filter(action="delete", object_type="welfare.donation",
                                     object_id=str(donation.pk)).exists()


def test_a_failed_save_leaves_no_file_behind(cast, media):
    with pytest.raises(ValidationError):
        save_donation(actor=cast.users.staff, data=data(cast.ent1, cash=Decimal("-1")),
                      files=[SimpleUploadedFile("转账凭证.pdf", PDF)])
    assert not [p for p in media.rglob("*") if p.is_file()]
