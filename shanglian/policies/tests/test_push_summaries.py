"""The maintained push-day summary (`policies.summaries`): 政策推送 and 推送已读率 read from it equal the
same figures counted from the deliveries (`summaries=False`), for every role and period, and after every
kind of write the kept rows equal a rebuild from the deliveries."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.appeals.tests.test_services import _race
from shanglian.common.models import DictItem
from shanglian.common.periods import Period
from shanglian.policies import services, summaries
from shanglian.policies.models import Policy, PolicyDelivery, PolicyPushDay
from shanglian.policies.services import Eligibility
from shanglian.ui.figures import compute

CST = datetime.timezone(datetime.timedelta(hours=8))
TODAY = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=CST)
WHO = ("staff", "leader", "chamber1", "dept1", "ent1", "outsider_staff")
PERIODS = (
    Period.custom(datetime.date(2026, 1, 1), datetime.date(2026, 11, 23)),
    Period.custom(datetime.date(2025, 1, 1), datetime.date(2025, 11, 23)),
    Period.custom(datetime.date(2026, 11, 23), datetime.date(2026, 11, 23)),
    Period.custom(datetime.date(2026, 11, 22), datetime.date(2026, 11, 22)),
    Period.custom(datetime.date(2026, 11, 24), datetime.date(2026, 11, 24)),
)


def _kept():
    return sorted(PolicyPushDay.objects.values_list("policy_id", "day", "pushed", "read"))


def assert_kept_and_figures_equal(cast):
    """The kept rows equal a rebuild, and both figures equal the raw path for every role and period."""
    kept = _kept()
    summaries.rebuild()
    assert kept == _kept()
    for who in WHO:
        user = getattr(cast.users, who)
        for period in PERIODS:
            for key in ("policies.deliveries", "policies.read_rate"):
                fast = compute(key, user=user, period=period, compare=True)
                slow = compute(key, user=user, period=period, compare=True, summaries=False)
                assert (fast.value, fast.year_ago, fast.previous) == (slow.value, slow.year_ago, slow.previous), \
                    (who, period, key)
                assert list(fast.records.order_by("pk")) == list(slow.records.order_by("pk"))


def _publish(cast, **fields):
    policy = services.save_policy(actor=cast.users.staff, eligibility=Eligibility(), data={
        "title": fields.pop("title", "河西区支持科技型中小企业发展若干措施"), "department": cast.dept1,
        "benefit_type": DictItem.objects.get(kind="benefit_type", code="subsidy"), **fields})
    return services.publish_policy(actor=cast.users.staff, policy=policy, push=True)[0]


@pytest.fixture
def pushed(cast):
    with time_machine.travel(TODAY, tick=False):
        return _publish(cast)


def test_publish_and_push_keep_the_summary(cast, pushed):
    assert _kept() == [(pushed.pk, datetime.date(2026, 11, 23), 2, 0)]
    fast = compute("policies.deliveries", user=cast.users.staff, period=PERIODS[0])
    assert fast.value == 2 and fast.records.count() == 2
    assert_kept_and_figures_equal(cast)


def test_reads_keep_the_summary(cast, pushed):
    with time_machine.travel(TODAY + datetime.timedelta(days=3), tick=False):
        assert services.record_read(actor=cast.users.ent1, policy=pushed)
        assert not services.record_read(actor=cast.users.ent1, policy=pushed)  # the first read only
    assert _kept() == [(pushed.pk, datetime.date(2026, 11, 23), 2, 1)]  # counted on the day of the push
    assert compute("policies.read_rate", user=cast.users.staff, period=PERIODS[0]).value == 50
    assert_kept_and_figures_equal(cast)


def test_pushes_on_either_side_of_local_midnight_fall_in_their_local_days(cast):
    with time_machine.travel(datetime.datetime(2026, 11, 22, 23, 30, tzinfo=CST), tick=False):
        late = _publish(cast, title="深夜发布的政策")
    testing.make_enterprise(cast.district, name="新入库企业有限公司")
    with time_machine.travel(datetime.datetime(2026, 11, 23, 0, 30, tzinfo=CST), tick=False):
        assert services.push_policy(actor=cast.users.staff, policy=late) == 1  # the new enterprise only
    assert _kept() == [(late.pk, datetime.date(2026, 11, 22), 2, 0), (late.pk, datetime.date(2026, 11, 23), 1, 0)]
    assert_kept_and_figures_equal(cast)


def test_expiry_and_deleting_a_draft_keep_the_figures(cast, pushed):
    with time_machine.travel(TODAY, tick=False):
        draft = services.save_policy(actor=cast.users.staff, eligibility=Eligibility(), data={
            "title": "草稿政策", "department": cast.dept1,
            "benefit_type": DictItem.objects.get(kind="benefit_type", code="subsidy")})
        services.delete_draft(actor=cast.users.staff, policy=draft)
    Policy.objects.filter(pk=pushed.pk).update(expires_on=datetime.date(2026, 11, 24))
    with time_machine.travel(datetime.datetime(2026, 11, 26, 1, 0, tzinfo=CST), tick=False):
        assert services.expire_policies() == 1
    assert_kept_and_figures_equal(cast)


def test_orm_writes_and_cascades_keep_the_summary(cast, pushed):
    """What the admin, the factories and a cascade do: create, move to another day, delete."""
    other = PolicyDelivery.objects.create(policy=pushed, enterprise=cast.ent_other,
                                          pushed_at=datetime.datetime(2025, 6, 1, 9, 0, tzinfo=CST))
    assert_kept_and_figures_equal(cast)
    other.pushed_at = datetime.datetime(2026, 11, 22, 23, 59, tzinfo=CST)  # leaves its old bucket empty
    other.read_at = datetime.datetime(2026, 11, 23, 8, 0, tzinfo=CST)
    other.save()
    moved = PolicyDelivery.objects.get(pk=other.pk)
    moved.pushed_at = datetime.datetime(2026, 11, 23, 0, 1, tzinfo=CST)
    moved.save()
    assert_kept_and_figures_equal(cast)
    PolicyDelivery.objects.filter(enterprise=cast.ent2).delete()
    assert_kept_and_figures_equal(cast)
    newcomer = testing.make_enterprise(cast.district, name="新入库企业有限公司")
    PolicyDelivery.objects.create(policy=pushed, enterprise=newcomer, pushed_at=TODAY, read_at=TODAY)
    assert_kept_and_figures_equal(cast)
    newcomer.delete()  # its deliveries go by cascade
    assert_kept_and_figures_equal(cast)
    pushed.delete()
    assert not PolicyPushDay.objects.exists()
    assert_kept_and_figures_equal(cast)


def test_a_bulk_write_is_caught_up_by_a_rebuild(cast, pushed):
    PolicyDelivery.objects.bulk_create([PolicyDelivery(policy=pushed, enterprise=cast.ent_other,
                                                       pushed_at=TODAY, read_at=TODAY)])
    assert _kept() == [(pushed.pk, datetime.date(2026, 11, 23), 2, 0)]  # a bulk insert passes the signals
    call_command("rebuild_policy_stats", stdout=io.StringIO())
    assert _kept() == [(pushed.pk, datetime.date(2026, 11, 23), 3, 1)]
    assert_kept_and_figures_equal(cast)


@pytest.mark.django_db(transaction=True)
def test_two_enterprises_reading_one_push_at_once_both_count(cast):
    """Two enterprises open the policy pushed to both at once: both reads are kept and the day's row counts
    both (PostgreSQL: the bucket is recomputed under the lock of ordered writes, after the other's commit)."""
    testing.ensure_reference_data()
    ent2 = testing.make_user(Role.ENTERPRISE, username="ent2_reader", federation=cast.district, enterprise=cast.ent2)
    for n in range(4):
        with time_machine.travel(TODAY, tick=False):
            policy = _publish(cast, title=f"河西区同时阅读的政策{n}")
        outcomes = _race([lambda policy=policy: services.record_read(actor=cast.users.ent1, policy=policy),
                          lambda policy=policy: services.record_read(actor=ent2, policy=policy)])
        kinds = [kind for kind, _ in outcomes]
        assert "error" not in kinds and "won" in kinds, outcomes  # (SQLite's test database may refuse one: locked)
        read = PolicyDelivery.objects.filter(policy=policy, read_at__isnull=False).count()
        if connection.vendor == "postgresql":
            assert kinds == ["won", "won"] and read == 2, outcomes
        assert PolicyPushDay.objects.get(policy=policy).read == read
    kept = _kept()
    summaries.rebuild()
    assert _kept() == kept
