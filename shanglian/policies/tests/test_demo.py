"""Demo policies: deterministic, realistic in shape, and the pushes are what the service would have done —
only to the enterprises each policy matched on its push day, never after expiry, read 30–70 %."""

import re
from collections import Counter
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.db.models import Count, F, Q
from django.utils import timezone

from shanglian.members import demo as members_demo
from shanglian.notifications.models import Notification
from shanglian.policies import demo as policies_demo
from shanglian.policies import matching
from shanglian.policies.models import Policy, PolicyDelivery, PolicyPackage

SMALL = 120
END = date(2026, 11, 23)
NUMBER = re.compile(r"^[\u4e00-\u9fff]+〔(20\d\d)〕(\d+)号$")


@pytest.fixture(scope="module")
def members_plan(django_db_blocker):
    with django_db_blocker.unblock():
        return members_demo.generate(enterprises=SMALL)


@pytest.fixture
def district(db, members_plan):
    result = members_demo.build(plan=members_plan)
    plan = policies_demo.build(result, end=END)
    return result, plan


def test_generation_is_deterministic_and_independent_of_today(district):
    result, plan = district
    with time_machine.travel(date(2031, 3, 1)):  # the plan depends on `end`, never on the clock
        again = policies_demo.generate(result.plan, end=END)
    assert again.fingerprint() == plan.fingerprint()
    assert policies_demo.generate(result.plan, end=END, seed=7).fingerprint() != plan.fingerprint()
    assert policies_demo.generate(result.plan, end=END + timedelta(days=30)).fingerprint() != plan.fingerprint()
    saved = sorted(Policy.objects.values_list("title", "document_number", "status", "expires_on"))
    assert saved == sorted((p.title, p.document_number, p.status, p.expires_on) for p in plan.policies)


def test_pushes_are_the_same_when_lived_again_on_the_same_database(district):
    result, plan = district
    objs = list(Policy.objects.order_by("pk"))
    tz = timezone.get_current_timezone()
    users = result.users
    again = []  # the deliveries, handed over a batch at a time
    policies_demo._pushes(plan, objs, result.federation, users["staff"], users["ent1"].enterprise_id, users["ent1"],
                          tz, again.extend)
    saved = list(PolicyDelivery.objects.order_by("pk").values_list("policy", "enterprise", "pushed_at",
                                                                    "pushed_by", "read_at", "read_by"))
    assert saved == again


def test_the_library_looks_like_a_districts(district):
    _result, plan = district
    policies = Policy.objects.all()
    assert policies.count() == policies_demo.POLICY_COUNT
    assert len(set(policies.values_list("title", flat=True))) == policies.count()
    assert policies.values("department").distinct().count() >= 17
    statuses = Counter(policies.values_list("status", flat=True))
    assert statuses[Policy.Status.DRAFT] == policies_demo.DRAFTS
    assert 20 <= statuses[Policy.Status.EXPIRED] <= 90 and statuses[Policy.Status.PUBLISHED] >= 100
    assert 0.10 <= policies.filter(is_automatic=True).count() / policies.count() <= 0.22
    assert policies.values("benefit_type").distinct().count() >= 8
    published = policies.exclude(status=Policy.Status.DRAFT)
    assert min(published.values_list("published_on", flat=True)) >= END - timedelta(days=policies_demo.SPAN_DAYS)
    assert max(published.values_list("published_on", flat=True)) < END
    assert {d.year for d in published.values_list("published_on", flat=True)} >= {2024, 2025, 2026}
    numbers = [n for n in policies.values_list("document_number", flat=True) if n]
    assert len(numbers) >= 170 and len(set(numbers)) == len(numbers) and all(NUMBER.match(n) for n in numbers)
    # expired exactly when the expiry date is past, as the nightly sweep leaves them
    assert not policies.filter(status=Policy.Status.PUBLISHED, expires_on__lt=END).exists()
    assert not policies.filter(status=Policy.Status.EXPIRED).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=END)).exists()
    # every kind of condition is used
    for condition in (Q(industries__isnull=False), ~Q(sizes=""), ~Q(enterprise_types=""), ~Q(streets=""),
                      Q(high_tech_required=True), Q(min_employees__isnull=False), Q(max_registered_years__isnull=False),
                      Q(min_registered_years__isnull=False), Q(members_only=True)):
        assert policies.filter(condition).exists(), condition
    sample = policies.exclude(status=Policy.Status.DRAFT).first()
    assert sample.summary and sample.full_text.count("\n\n") >= 4 and sample.application_method and sample.contact
    packages = PolicyPackage.objects.annotate(n=Count("policies"))
    assert 4 <= packages.count() <= 6 and all(p.n >= 3 for p in packages)
    assert "专精特新服务包" in {p.name for p in packages}


def test_deliveries_go_only_to_the_enterprises_matched_on_the_push_day(district):
    pushed = Policy.objects.filter(pushed_at__isnull=False)
    assert pushed.count() >= 80
    for policy in pushed:
        day = timezone.localtime(policy.pushed_at).date()
        matched = set(matching.enterprises_for_policy(policy, on=day).values_list("pk", flat=True))
        delivered = set(policy.deliveries.values_list("enterprise_id", flat=True))
        assert delivered == matched, policy.title
    assert not PolicyDelivery.objects.filter(policy__status=Policy.Status.DRAFT).exists()
    assert not PolicyDelivery.objects.filter(policy__pushed_at__isnull=True).exists()


def test_no_delivery_is_made_after_the_policys_expiry_or_after_the_demo_day(district):
    end = timezone.make_aware(datetime.combine(END, time(0)))
    for policy_id, expires_on, pushed_at in PolicyDelivery.objects.values_list(
            "policy", "policy__expires_on", "pushed_at"):
        assert pushed_at < end
        if expires_on is not None:
            assert timezone.localtime(pushed_at).date() <= expires_on, policy_id
    assert PolicyDelivery.objects.filter(policy__status=Policy.Status.EXPIRED).exists()


def test_reads_follow_the_push_and_read_rates_are_realistic(district):
    deliveries = PolicyDelivery.objects.all()
    end = timezone.make_aware(datetime.combine(END, time(0)))
    assert not deliveries.filter(read_at__lt=F("pushed_at")).exists()
    assert not deliveries.filter(read_at__gte=end).exists()
    read = deliveries.filter(read_at__isnull=False).count()
    assert 0.30 <= read / deliveries.count() <= 0.70
    for policy in Policy.objects.annotate(n=Count("deliveries"), r=Count("deliveries", filter=Q(
            deliveries__read_at__isnull=False))).filter(n__gte=40):
        assert 0.15 <= policy.r / policy.n <= 0.85, policy.title


def test_the_demo_enterprise_has_matches_pushed_to_it_and_unread(district):
    result, _plan = district
    ent1 = result.users["ent1"]
    matched = matching.policies_for_enterprise(ent1.enterprise, on=END)
    assert matched.count() >= 6
    mine = PolicyDelivery.objects.filter(enterprise=ent1.enterprise_id)
    unread = mine.filter(read_at__isnull=True, policy__in=matched)
    assert unread.count() >= 3 and mine.filter(read_at__isnull=False, read_by=ent1).exists()
    assert not mine.filter(read_at__isnull=False).exclude(read_by=ent1).exists()
    # the recent ones written for it, newest first in its inbox
    inbox = Notification.objects.filter(recipient=ent1, kind="policy")
    assert inbox.count() == mine.count() and inbox.filter(read_at__isnull=True).count() == mine.filter(
        read_at__isnull=True).count()
    newest = inbox.order_by("-created_at").first()
    assert newest.title.startswith("为您推荐惠企政策：") and newest.read_at is None
    assert timezone.localtime(newest.created_at).date() >= END - timedelta(days=7)


def test_the_push_day_summary_matches_the_bulk_written_deliveries(district):
    from shanglian.common.periods import Period
    from shanglian.policies.models import PolicyPushDay
    from shanglian.ui.figures import compute

    assert PolicyPushDay.objects.exists()
    staff = district[0].users["staff"]
    for period in (Period.custom(date(2026, 1, 1), END), Period.custom(date(2024, 1, 1), END)):
        for key in ("policies.deliveries", "policies.read_rate"):
            fast = compute(key, user=staff, period=period, compare=True)
            slow = compute(key, user=staff, period=period, compare=True, summaries=False)
            assert (fast.value, fast.year_ago) == (slow.value, slow.year_ago)
