"""The writes of the representative-figures database (services.representatives): an arrangement ending before it
starts and one overlapping another of the same seat are refused in Chinese with nothing written; the editors of
the person's federation only; every write and deletion audited and named by the person."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.common.models import DictItem
from shanglian.engagement.models import Arrangement, Cultivation, PersonHonour
from shanglian.engagement.selectors.representatives import profile_history
from shanglian.engagement.services import representatives as services

FIELDS = {"kind": "npc", "level": "district", "role": "member", "term": "第十八届", "sector": "", "note": "",
          "start": date(2022, 1, 1), "end": None}


def fields(**changes):
    return {**FIELDS, **changes}


def test_editor_records_an_arrangement_and_it_is_audited_for_the_person(cast):
    arrangement = services.save_arrangement(actor=cast.users.staff, person=cast.person1,
                                            **fields(sector="经济界", end=date(2026, 12, 31)))
    assert arrangement.federation_id == cast.district.pk and arrangement.person_id == cast.person1.pk
    event = AuditEvent.objects.get(action="create", object_type="engagement.arrangement")
    assert event.detail["person"] == cast.person1.pk
    assert {"field": "界别/代表团", "old": "", "new": "经济界"} in event.detail["changes"]
    assert list(profile_history(cast.person1)) == [event]


def test_an_arrangement_ending_before_it_starts_is_refused_and_nothing_written(cast):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.save_arrangement(actor=cast.users.staff, person=cast.person1,
                                  **fields(start=date(2023, 1, 1), end=date(2022, 12, 31)))
    assert refused.value.message_dict == {"end": ["届满日期不能早于起始日期。"]}
    assert not Arrangement.objects.exists() and AuditEvent.objects.count() == before


@pytest.mark.parametrize(("start", "end"), [
    (date(2021, 1, 1), date(2022, 1, 1)),  # ends on the first day of the other
    (date(2026, 12, 31), None),  # starts on its last day, open-ended
    (date(2023, 5, 1), date(2024, 5, 1)),  # inside it
    (date(2020, 1, 1), None),  # around it
], ids=["ends-on-its-start", "starts-on-its-end", "inside", "around"])
def test_an_overlapping_arrangement_of_the_same_seat_is_refused_and_nothing_written(cast, start, end):
    testing.make_arrangement(cast.person1, start=date(2022, 1, 1), end=date(2026, 12, 31))
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.save_arrangement(actor=cast.users.staff, person=cast.person1, **fields(start=start, end=end))
    message = " ".join(refused.value.messages)
    assert "时间重叠" in message and "区（县）人大代表（第十八届，2022-01-01 至 2026-12-31）" in message
    assert Arrangement.objects.count() == 1 and AuditEvent.objects.count() == before


def test_other_seats_and_periods_that_only_touch_are_allowed(cast):
    testing.make_arrangement(cast.person1, start=date(2017, 1, 1), end=date(2021, 12, 31))
    staff = cast.users.staff
    services.save_arrangement(actor=staff, person=cast.person1, **fields(start=date(2022, 1, 1)))  # the next term
    services.save_arrangement(actor=staff, person=cast.person1, **fields(kind="cppcc"))  # another kind
    services.save_arrangement(actor=staff, person=cast.person1, **fields(level="city"))  # another level
    services.save_arrangement(actor=staff, person=cast.person2, **fields())  # another person
    assert Arrangement.objects.count() == 5


def test_editing_an_arrangement_checks_it_against_the_others_but_not_itself(cast):
    first = testing.make_arrangement(cast.person1, start=date(2017, 1, 1), end=date(2021, 12, 31))
    second = testing.make_arrangement(cast.person1, start=date(2022, 1, 1))
    staff = cast.users.staff
    services.save_arrangement(actor=staff, person=cast.person1, arrangement=second,
                              **fields(start=date(2022, 1, 1), end=date(2026, 12, 31)))
    with pytest.raises(ValidationError):
        services.save_arrangement(actor=staff, person=cast.person1, arrangement=first,
                                  **fields(start=date(2017, 1, 1), end=date(2022, 6, 30)))
    first.refresh_from_db()
    assert first.end == date(2021, 12, 31)
    update = AuditEvent.objects.get(action="update", object_type="engagement.arrangement")
    assert update.detail["changes"] == [{"field": "届满日期", "old": "", "new": "2026-12-31"}]


@pytest.mark.parametrize("role", ["leader", "chamber1", "dept1", "ent1", "auditor"])
def test_only_editors_record_arrangements(cast, role):
    with pytest.raises(PermissionDenied):
        services.save_arrangement(actor=getattr(cast.users, role), person=cast.person1, **fields())
    assert not Arrangement.objects.exists()


def test_an_editor_of_another_federation_cannot_touch_the_person(cast):
    arrangement = testing.make_arrangement(cast.person1)
    outsider = cast.users.outsider_staff
    with pytest.raises(PermissionDenied):
        services.save_arrangement(actor=outsider, person=cast.person1, **fields(kind="cppcc"))
    with pytest.raises(PermissionDenied):
        services.save_arrangement(actor=outsider, person=cast.person1, arrangement=arrangement,
                                  **fields(term="第十九届"))
    with pytest.raises(PermissionDenied):
        services.delete_arrangement(actor=outsider, arrangement=arrangement)
    arrangement.refresh_from_db()
    assert arrangement.term == "第十八届" and Arrangement.objects.count() == 1


def test_an_arrangement_cannot_be_moved_to_another_person(cast):
    arrangement = testing.make_arrangement(cast.person1)
    with pytest.raises(PermissionDenied):
        services.save_arrangement(actor=cast.users.staff, person=cast.person2, arrangement=arrangement, **fields())
    arrangement.refresh_from_db()
    assert arrangement.person_id == cast.person1.pk


def test_deleting_an_arrangement_is_audited_with_the_person(cast):
    arrangement = testing.make_arrangement(cast.person1)
    services.delete_arrangement(actor=cast.users.staff, arrangement=arrangement)
    assert not Arrangement.objects.exists()
    event = AuditEvent.objects.get(action="delete", object_type="engagement.arrangement")
    assert event.detail["person"] == cast.person1.pk
    assert list(profile_history(cast.person1)) == [event]  # still found after the record is gone


def test_honours_are_added_and_deleted_by_editors(cast):
    honour = services.save_honour(actor=cast.users.staff, person=cast.person1, title="天津市劳动模范",
                                  conferred_by="天津市人民政府", year=2024)
    assert PersonHonour.objects.get().person_id == cast.person1.pk
    with pytest.raises(ValidationError):
        services.save_honour(actor=cast.users.staff, person=cast.person1, title="未来荣誉", year=2999)
    with pytest.raises(PermissionDenied):
        services.delete_honour(actor=cast.users.leader, honour=honour)
    services.delete_honour(actor=cast.users.staff, honour=honour)
    assert not PersonHonour.objects.exists()
    assert set(AuditEvent.objects.filter(object_type="engagement.personhonour").values_list("action", flat=True)) \
        == {"create", "delete"}


def test_a_cultivation_plan_entry_is_kept_and_its_dates_checked(cast):
    plan = DictItem.objects.get(kind="cultivation_plan", code="outstanding_youth")
    entry = services.save_cultivation(actor=cast.users.staff, person=cast.person1, plan=plan,
                                      start=date(2024, 3, 1), end=None, status="active", note="")
    with pytest.raises(ValidationError) as refused:
        services.save_cultivation(actor=cast.users.staff, person=cast.person1, cultivation=entry, plan=plan,
                                  start=date(2024, 3, 1), end=date(2024, 1, 1), status="completed", note="")
    assert "结束日期不能早于入选日期。" in refused.value.messages
    entry.refresh_from_db()
    assert entry.status == "active" and entry.end is None
    wrong = DictItem.objects.get(kind="education", code="master")
    with pytest.raises(ValidationError):
        services.save_cultivation(actor=cast.users.staff, person=cast.person1, plan=wrong, start=date(2024, 3, 1))
    services.save_cultivation(actor=cast.users.staff, person=cast.person1, cultivation=entry, plan=plan,
                              start=date(2024, 3, 1), end=date(2025, 12, 31), status="completed", note="结业")
    entry.refresh_from_db()
    assert entry.status == "completed"
    services.delete_cultivation(actor=cast.users.staff, cultivation=entry)
    assert not Cultivation.objects.exists()
