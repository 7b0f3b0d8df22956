"""The pairing services: who may write which pairing (the editors any of their federations, a chamber secretary its
own chamber's and its active member enterprises', a leader nobody's), the rules (exactly one partner, a village of
the partner's federation, end not before start, amounts not negative and to the fen), each refused in Chinese with
nothing written, and every change audited."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.welfare.models import Pairing
from shanglian.welfare.services.pairings import delete_pairing, save_pairing


@pytest.fixture
def villages(cast):
    return {"district": testing.make_village(cast.district, name="李家村", county="河西区"),
            "other": testing.make_village(cast.other, name="南开帮扶村")}


def values(village, **changes):
    return {"village": village, "kind": "industry", "start": date(2025, 1, 1), **changes}


def test_staff_pair_an_enterprise_with_a_village_and_it_is_audited(cast, villages):
    pairing = save_pairing(actor=cast.users.staff, enterprise=cast.ent1, committed_amount=Decimal("1234.56"),
                           delivered_amount=Decimal("0.01"), commitment="建设蔬菜大棚", **values(villages["district"]))
    assert pairing.federation == cast.district and pairing.partner == cast.ent1
    assert pairing.committed_amount == Decimal("1234.56")
    event = AuditEvent.objects.filter(object_type="welfare.pairing", object_id=str(pairing.pk)).get()
    assert event.action == "create" and event.username == "staff"


def test_an_edit_records_its_changes(cast, villages):
    pairing = save_pairing(actor=cast.users.staff, chamber=cast.chamber2, **values(villages["district"]))
    save_pairing(actor=cast.users.staff, pairing=pairing, chamber=cast.chamber2,
                 **values(villages["district"], end=date(2025, 12, 31), delivered="已完成"))
    pairing.refresh_from_db()
    assert pairing.end == date(2025, 12, 31)
    event = AuditEvent.objects.filter(object_type="welfare.pairing", action="update").get()
    assert {change["field"] for change in event.detail["changes"]} == {"结束日期", "落实情况"}


@pytest.mark.parametrize(("partners", "field"), [({}, "__all__"), ({"enterprise": "ent1", "chamber": "chamber1"},
                                                                    "__all__")], ids=["none", "both"])
def test_exactly_one_partner(cast, villages, partners, field):
    chosen = {name: getattr(cast, attr) for name, attr in partners.items()}
    with pytest.raises(ValidationError) as refused:
        save_pairing(actor=cast.users.staff, **chosen, **values(villages["district"]))
    assert refused.value.message_dict[field] == ["请在帮扶企业与帮扶商会中选择其一。"]
    assert not Pairing.objects.exists()


def test_the_village_must_be_of_the_partners_federation(cast, villages, db):
    city_staff = testing.make_user("staff", username="city_staff", federation=cast.city)
    with pytest.raises(ValidationError) as refused:
        save_pairing(actor=city_staff, enterprise=cast.ent1, **values(villages["other"]))
    assert refused.value.message_dict["village"] == ["结对村须与帮扶方属于同一工商联。"]
    with pytest.raises(ValidationError) as refused:
        save_pairing(actor=cast.users.staff, enterprise=cast.ent1, **values(villages["other"]))
    assert refused.value.message_dict["village"] == ["所选村不存在或不在您的管理范围内。"]
    assert not Pairing.objects.exists()


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"end": date(2024, 12, 31)}, "end", "结束日期不能早于开始日期。"),
    ({"committed_amount": Decimal("-0.01")}, "committed_amount", "金额不能为负数。"),
    ({"delivered_amount": Decimal("-5")}, "delivered_amount", "金额不能为负数。"),
    ({"delivered_amount": Decimal("1.005")}, "delivered_amount", "金额最多保留两位小数（精确到分）。"),
    ({"kind": "magic"}, "kind", "请选择帮扶类型。"),
], ids=["end-before-start", "negative-committed", "negative-delivered", "past-the-fen", "unknown-kind"])
def test_bad_values_are_refused_and_nothing_is_written(cast, villages, changes, field, message):
    with pytest.raises(ValidationError) as refused:
        save_pairing(actor=cast.users.staff, enterprise=cast.ent1, **values(villages["district"], **changes))
    assert refused.value.message_dict[field] == [message]
    assert not Pairing.objects.exists() and not AuditEvent.objects.filter(object_type="welfare.pairing").exists()


def test_a_chamber_secretary_pairs_its_chamber_and_its_members(cast, villages):
    secretary = cast.users.chamber1
    own = save_pairing(actor=secretary, chamber=cast.chamber1, **values(villages["district"]))
    member = save_pairing(actor=secretary, enterprise=cast.ent1, **values(villages["district"], kind="education"))
    assert {own.chamber, member.enterprise} == {cast.chamber1, cast.ent1}


def test_a_chamber_secretary_cannot_pair_another_chamber_or_its_members(cast, villages):
    secretary = cast.users.chamber1
    with pytest.raises(ValidationError) as refused:
        save_pairing(actor=secretary, enterprise=cast.ent2, **values(villages["district"]))
    assert refused.value.message_dict["enterprise"] == ["所选企业不存在或不在您的管理范围内。"]
    with pytest.raises(ValidationError) as refused:
        save_pairing(actor=secretary, chamber=cast.chamber2, **values(villages["district"]))
    assert refused.value.message_dict["chamber"] == ["所选商会不存在或不在您的管理范围内。"]
    assert not Pairing.objects.exists()


def test_a_chamber_secretary_cannot_edit_or_delete_another_chambers_pairing(cast, villages):
    theirs = testing.make_pairing(cast.ent2, villages["district"])
    with pytest.raises(PermissionDenied):
        save_pairing(actor=cast.users.chamber1, pairing=theirs, chamber=cast.chamber1, **values(villages["district"]))
    with pytest.raises(PermissionDenied):
        delete_pairing(actor=cast.users.chamber1, pairing=theirs)
    theirs.refresh_from_db()
    assert theirs.enterprise == cast.ent2


@pytest.mark.parametrize("role", ["leader", "dept1", "ent1", "auditor"])
def test_readers_and_other_roles_cannot_write(cast, villages, role):
    pairing = testing.make_pairing(cast.ent1, villages["district"])
    with pytest.raises(PermissionDenied):
        save_pairing(actor=getattr(cast.users, role), enterprise=cast.ent1, **values(villages["district"]))
    with pytest.raises(PermissionDenied):
        delete_pairing(actor=getattr(cast.users, role), pairing=pairing)
    assert Pairing.objects.count() == 1


def test_deleting_is_audited(cast, villages):
    pairing = testing.make_pairing(cast.ent1, villages["district"])
    delete_pairing(actor=cast.users.chamber1, pairing=pairing)
    assert not Pairing.objects.exists()
    assert AuditEvent.objects.filter(object_type="welfare.pairing", action="delete", username="chamber1").exists()


def test_another_federations_editor_cannot_touch_the_pairing(cast, villages):
    pairing = testing.make_pairing(cast.ent1, villages["district"])
    with pytest.raises(PermissionDenied):
        save_pairing(actor=cast.users.outsider_staff, pairing=pairing, enterprise=cast.ent_other,
                     **values(villages["other"]))
    with pytest.raises(PermissionDenied):
        delete_pairing(actor=cast.users.outsider_staff, pairing=pairing)


def test_a_pairing_recorded_twice_is_refused_but_another_start_or_kind_is_not(cast, villages):
    first = save_pairing(actor=cast.users.staff, enterprise=cast.ent1, **values(villages["district"]))
    with pytest.raises(ValidationError) as refused:
        save_pairing(actor=cast.users.staff, enterprise=cast.ent1, **values(villages["district"]))
    assert refused.value.message_dict["__all__"] == [f"已有相同的结对帮扶（{first}，2025-01-01 开始），请勿重复录入。"]
    assert Pairing.objects.count() == 1
    save_pairing(actor=cast.users.staff, enterprise=cast.ent1, **values(villages["district"], start=date(2026, 1, 1)))
    save_pairing(actor=cast.users.staff, enterprise=cast.ent1, **values(villages["district"], kind="education"))
    save_pairing(actor=cast.users.staff, pairing=first, enterprise=cast.ent1,
                 **values(villages["district"], delivered="已完成"))  # an edit is not a second record
    assert Pairing.objects.count() == 3
