"""服务企业（双万双服） writes: an editor enrolls, edits, ends and deletes within its federations, audited; a second
open enrollment of the same enterprise and programme, a future date, an end before the start, an enterprise or a
liaison outside the scope are refused in Chinese with nothing written; a leader and a chamber secretary read only."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.common.models import DictItem
from shanglian.growth.models import ServiceEnrollment
from shanglian.growth.services import enrollments as services


@pytest.fixture
def shuangwan(db):
    return DictItem.objects.get(kind="service_programme", code="shuangwan")


def enroll(cast, shuangwan, *, actor=None, enterprise=None, **kwargs):
    values = {"programme": shuangwan, "enrolled_on": date(2025, 3, 1), "liaison": cast.users.staff, "note": ""}
    values.update(kwargs)
    return services.save_enrollment(actor=actor or cast.users.staff, enterprise=enterprise or cast.ent1, **values)


def test_staff_enrolls_an_enterprise_of_its_federation_with_a_liaison_and_audit(cast, shuangwan):
    enrollment = enroll(cast, shuangwan)
    assert enrollment.federation == cast.district and enrollment.enrolled_by == cast.users.staff
    assert enrollment.liaison == cast.users.staff
    assert AuditEvent.objects.filter(action="create", object_type="growth.serviceenrollment",
                                     object_id=str(enrollment.pk)).exists()


def test_a_second_open_enrollment_in_the_same_programme_is_refused_and_nothing_is_written(cast, shuangwan):
    enroll(cast, shuangwan)
    with pytest.raises(ValidationError) as refused:
        enroll(cast, shuangwan, enrolled_on=date(2025, 5, 1))
    assert "已纳入“双万双服”" in str(refused.value)
    assert ServiceEnrollment.objects.filter(enterprise=cast.ent1).count() == 1


def test_an_ended_enrollment_may_be_followed_by_a_new_one(cast, shuangwan):
    first = enroll(cast, shuangwan)
    services.end_enrollment(actor=cast.users.staff, enrollment=first, ended_on=date(2025, 6, 30))
    second = enroll(cast, shuangwan, enrolled_on=date(2025, 9, 1))
    assert ServiceEnrollment.objects.filter(enterprise=cast.ent1, ended_on__isnull=True).get() == second


def test_the_same_enterprise_may_be_in_two_programmes(cast, shuangwan):
    enroll(cast, shuangwan)
    other = DictItem.objects.get(kind="service_programme", code="key_enterprise")
    enroll(cast, shuangwan, programme=other)
    assert ServiceEnrollment.objects.filter(enterprise=cast.ent1).count() == 2


@pytest.mark.parametrize(("field", "values", "message"), [
    ("enrolled_on", {"enrolled_on": timezone.localdate() + timedelta(days=1)}, "纳入日期不能晚于今天。"),
    ("ended_on", {"ended_on": date(2025, 1, 1)}, "退出日期不能早于纳入日期。"),
    ("programme", {"programme": None}, "请选择服务项目。"),
])
def test_bad_dates_or_no_programme_are_refused_in_chinese(cast, shuangwan, field, values, message):
    with pytest.raises(ValidationError) as refused:
        enroll(cast, shuangwan, **values)
    assert refused.value.message_dict[field] == [message]
    assert not ServiceEnrollment.objects.exists()


def test_an_enterprise_of_another_federation_is_refused(cast, shuangwan):
    with pytest.raises(ValidationError) as refused:
        enroll(cast, shuangwan, enterprise=cast.ent_other)
    assert refused.value.message_dict["enterprise"] == ["所选企业不存在或不在您的管理范围内。"]
    assert not ServiceEnrollment.objects.exists()


def test_a_liaison_of_another_federation_is_refused(cast, shuangwan):
    with pytest.raises(ValidationError) as refused:
        enroll(cast, shuangwan, liaison=cast.users.outsider_staff)
    assert refused.value.message_dict["liaison"] == ["所选联络员不存在或不在您的管理范围内。"]
    assert not ServiceEnrollment.objects.exists()


@pytest.mark.parametrize("role", ["leader", "chamber1", "dept1", "ent1", "auditor"])
def test_only_editors_enroll(cast, shuangwan, role):
    with pytest.raises(PermissionDenied):
        enroll(cast, shuangwan, actor=getattr(cast.users, role))
    assert not ServiceEnrollment.objects.exists()


def test_admin_enrolls_too(cast, shuangwan):
    assert enroll(cast, shuangwan, actor=cast.users.admin).enrolled_by == cast.users.admin


def test_ending_twice_or_before_the_start_is_refused(cast, shuangwan):
    enrollment = enroll(cast, shuangwan)
    with pytest.raises(ValidationError) as refused:
        services.end_enrollment(actor=cast.users.staff, enrollment=enrollment, ended_on=date(2025, 2, 1))
    assert refused.value.message_dict["ended_on"] == ["退出日期不能早于纳入日期。"]
    services.end_enrollment(actor=cast.users.staff, enrollment=enrollment, ended_on=date(2025, 4, 1))
    with pytest.raises(ValidationError, match="已于 2025-04-01 退出"):
        services.end_enrollment(actor=cast.users.staff, enrollment=enrollment, ended_on=date(2025, 5, 1))
    enrollment.refresh_from_db()
    assert enrollment.ended_on == date(2025, 4, 1)


def test_another_federations_staff_cannot_end_or_delete(cast, shuangwan):
    enrollment = enroll(cast, shuangwan)
    with pytest.raises(PermissionDenied):
        services.end_enrollment(actor=cast.users.outsider_staff, enrollment=enrollment, ended_on=date(2025, 4, 1))
    with pytest.raises(PermissionDenied):
        services.delete_enrollment(actor=cast.users.outsider_staff, enrollment=enrollment)
    enrollment.refresh_from_db()
    assert enrollment.ended_on is None


def test_staff_deletes_an_enrollment_recorded_by_mistake_audited(cast, shuangwan):
    enrollment = enroll(cast, shuangwan)
    services.delete_enrollment(actor=cast.users.staff, enrollment=enrollment)
    assert not ServiceEnrollment.objects.exists()
    assert AuditEvent.objects.filter(action="delete", object_type="growth.serviceenrollment").exists()


def test_editing_keeps_the_one_open_rule_against_other_rows_only(cast, shuangwan):
    enrollment = enroll(cast, shuangwan)
    edited = services.save_enrollment(actor=cast.users.staff, enrollment=enrollment, enterprise=cast.ent1,
                                      programme=shuangwan, enrolled_on=date(2025, 2, 1), liaison=None, note="改")
    assert edited.pk == enrollment.pk and edited.enrolled_on == date(2025, 2, 1) and edited.liaison is None
    testing.make_enrollment(cast.ent2, by=cast.users.staff)
    with pytest.raises(ValidationError):
        services.save_enrollment(actor=cast.users.staff, enrollment=enrollment, enterprise=cast.ent2,
                                 programme=shuangwan, enrolled_on=date(2025, 2, 1))
