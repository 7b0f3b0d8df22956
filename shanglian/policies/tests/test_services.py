"""Writes on the policy library: save with eligibility, publish, push (never when expired), read receipts."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from shanglian.audit.models import AuditEvent
from shanglian.common.errors import Refused
from shanglian.common.models import DictItem
from shanglian.notifications.models import Notification
from shanglian.policies import selectors, services
from shanglian.policies.models import Policy, PolicyDelivery
from shanglian.policies.services import Eligibility

TODAY = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def _data(cast, **over):
    return {"title": "河西区支持科技型中小企业发展若干措施", "department": cast.dept1, "document_number": "河西科发〔2026〕8号",
            "benefit_type": DictItem.objects.get(kind="benefit_type", code="subsidy"), **over}


def _draft(cast, **over):
    eligibility = over.pop("eligibility", Eligibility())
    return services.save_policy(actor=cast.users.staff, data=_data(cast, **over), eligibility=eligibility)


def test_staff_saves_a_policy_with_its_eligibility_and_an_audit_row(cast):
    policy = _draft(cast, eligibility=Eligibility(industries=["c", "26"], sizes=["small", "micro"], min_employees=5))
    assert policy.status == Policy.Status.DRAFT
    assert sorted(policy.industries.values_list("prefix", flat=True)) == ["26", "C"]
    assert policy.sizes == ",micro,small," and policy.min_employees == 5
    assert AuditEvent.objects.filter(action="create", object_id=str(policy.pk)).exists()


@pytest.mark.parametrize(("eligibility", "message"), [
    (Eligibility(industries=["99"]), "行业代码不存在：99"),
    (Eligibility(industries=["C26x"]), "行业代码不存在"),
    (Eligibility(sizes=["huge"]), "企业规模只能是"),
    (Eligibility(min_employees=50, max_employees=10), "从业人数下限不能大于上限"),
    (Eligibility(min_registered_years=5, max_registered_years=1), "成立年限下限不能大于上限"),
    (Eligibility(min_employees="很多"), "从业人数下限必须是整数"),
    (Eligibility(enterprise_types=["nonsense"]), "企业类型不存在"),
])
def test_bad_eligibility_is_refused_with_a_chinese_message_and_nothing_is_written(cast, eligibility, message):
    with pytest.raises(ValidationError) as exc:
        _draft(cast, eligibility=eligibility)
    assert message in " ".join(exc.value.messages)
    assert not Policy.objects.exists()


def test_bad_fields_are_refused(cast):
    with pytest.raises(ValidationError, match="请填写政策名称"):
        _draft(cast, title="  ")
    with pytest.raises(ValidationError, match="失效日期不能早于生效日期"):
        _draft(cast, effective_from=datetime.date(2026, 5, 1), expires_on=datetime.date(2026, 4, 1))
    from shanglian import testing

    foreign = testing.make_department(cast.other, name="南开区科技局")
    with pytest.raises(ValidationError, match="请选择本工商联的发布部门"):
        _draft(cast, department=foreign)
    assert not Policy.objects.exists()


@pytest.mark.parametrize("who", ["chamber1", "dept1", "ent1", "leader", "auditor"])
def test_only_the_federations_staff_keep_the_library(cast, who):
    with pytest.raises(PermissionDenied):
        services.save_policy(actor=getattr(cast.users, who), data=_data(cast))


def test_publish_and_push_delivers_to_matched_enterprises_and_tells_their_users(cast):
    policy = _draft(cast, eligibility=Eligibility(industries=["I"]))  # ent1 and ent2 are 6513 (section I)
    cast.ent2.industry_id = "2611"
    cast.ent2.save()
    policy, pushed = services.publish_policy(actor=cast.users.staff, policy=policy, push=True)
    assert policy.status == Policy.Status.PUBLISHED and policy.published_on == datetime.date(2026, 11, 23)
    assert pushed == 1
    assert list(PolicyDelivery.objects.values_list("enterprise_id", flat=True)) == [cast.ent1.pk]
    note = Notification.objects.get(recipient=cast.users.ent1)
    assert note.title.startswith("为您推荐惠企政策") and note.url.endswith(f"/policies/h5/{policy.pk}/")


def test_pushing_again_reaches_only_newly_matched_enterprises(cast):
    policy, _ = services.publish_policy(actor=cast.users.staff, policy=_draft(cast), push=True)
    first = PolicyDelivery.objects.count()
    assert services.push_policy(actor=cast.users.staff, policy=policy) == 0
    from shanglian import testing

    testing.make_enterprise(cast.district, name="新入库企业有限公司")
    assert services.push_policy(actor=cast.users.staff, policy=policy) == 1
    assert PolicyDelivery.objects.count() == first + 1


def test_an_expired_policy_is_never_published_or_pushed(cast):
    expired = _draft(cast, expires_on=datetime.date(2026, 11, 22))
    with pytest.raises(Refused, match="已于 2026-11-22 失效"):
        services.publish_policy(actor=cast.users.staff, policy=expired, push=True)
    Policy.objects.filter(pk=expired.pk).update(status=Policy.Status.PUBLISHED)
    with pytest.raises(Refused, match="不能推送"):
        services.push_policy(actor=cast.users.staff, policy=expired)
    assert not PolicyDelivery.objects.exists() and not Notification.objects.filter(kind="policy").exists()


def test_a_draft_is_not_pushed(cast):
    with pytest.raises(Refused, match="发布后才能推送"):
        services.push_policy(actor=cast.users.staff, policy=_draft(cast))


def test_a_published_policy_is_not_published_twice(cast):
    policy, _ = services.publish_policy(actor=cast.users.staff, policy=_draft(cast))
    with pytest.raises(Refused, match="只有草稿可以发布"):
        services.publish_policy(actor=cast.users.staff, policy=policy)


def test_staff_of_another_district_cannot_publish(cast):
    with pytest.raises(PermissionDenied):
        services.publish_policy(actor=cast.users.outsider_staff, policy=_draft(cast))


def test_the_first_read_by_the_enterprise_is_kept_and_counted_in_the_reach(cast):
    policy, _ = services.publish_policy(actor=cast.users.staff, policy=_draft(cast), push=True)
    assert selectors.reach(policy)["read"] == 0
    assert services.record_read(actor=cast.users.ent1, policy=policy) is True
    assert services.record_read(actor=cast.users.ent1, policy=policy) is False  # only the first read
    assert services.record_read(actor=cast.users.staff, policy=policy) is False  # staff reading is no receipt
    figures = selectors.reach(policy)
    assert figures["read"] == 1 and figures["pushed"] == 2
    assert str(figures["read_rate"]) == "50.0"


def test_expire_policies_turns_published_policies_past_their_date_expired(cast):
    old, _ = services.publish_policy(actor=cast.users.staff, policy=_draft(cast, expires_on=datetime.date(2026, 12, 1)))
    with time_machine.travel(datetime.datetime(2026, 12, 2, 0, 10, tzinfo=TODAY.tzinfo), tick=False):
        assert services.expire_policies() == 1
    old.refresh_from_db()
    assert old.status == Policy.Status.EXPIRED


def test_only_drafts_can_be_deleted(cast):
    draft = _draft(cast)
    services.delete_draft(actor=cast.users.staff, policy=draft)
    assert not Policy.objects.filter(pk=draft.pk).exists()
    published, _ = services.publish_policy(actor=cast.users.staff, policy=_draft(cast))
    with pytest.raises(Refused, match="只有草稿可以删除"):
        services.delete_draft(actor=cast.users.staff, policy=published)


def test_enterprise_sees_published_policies_only_and_only_its_own_matches(cast):
    live, _ = services.publish_policy(actor=cast.users.staff, policy=_draft(cast))
    _draft(cast, title="草稿政策")
    assert list(selectors.policies_visible_to(cast.users.ent1)) == [live]
    assert list(selectors.matched_policies(cast.users.ent1, cast.ent1)) == [live]
    with pytest.raises(PermissionDenied):
        selectors.matched_policies(cast.users.ent1, cast.ent2)
    with pytest.raises(PermissionDenied):
        selectors.policies_visible_to(cast.users.auditor)
