"""A policy's status on a day, defined once (`Policy.objects.live/expired/past_expiry`, `Policy.is_live`,
`Policy.status_on`): the queryset and the row always agree, at the boundaries too."""

import datetime

import pytest
import time_machine

from shanglian.policies import matching, selectors, services
from shanglian.policies.models import Policy

from .test_views import make_policy

NOON = datetime.datetime(2026, 11, 23, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
TODAY = NOON.date()
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def policies(cast):
    """One policy for each case, named by it."""
    def published(title, expires_on, **fields):
        policy = make_policy(cast, title=title, publish=True)
        Policy.objects.filter(pk=policy.pk).update(expires_on=expires_on, **fields)  # as time passing would
        return Policy.objects.get(pk=policy.pk)

    return {
        "no_end_date": published("长期有效的政策", None),
        "expires_today": published("今天到期的政策", TODAY),
        "expires_tomorrow": published("明天到期的政策", TODAY + DAY),
        "expired_yesterday": published("昨天到期的政策", TODAY - DAY),
        "draft": make_policy(cast, title="草稿", expires_on=TODAY + DAY),
        "old_draft": make_policy(cast, title="过期的草稿", expires_on=TODAY - DAY),
        "marked_expired": published("已标失效的政策", TODAY - 2 * DAY, status=Policy.Status.EXPIRED),
    }


def _names(qs, policies):
    ids = set(qs.values_list("pk", flat=True))
    return {name for name, policy in policies.items() if policy.pk in ids}


def test_live_means_published_and_not_past_the_expiry_date_today(cast, policies):
    services.expire_policies()
    assert _names(Policy.objects.live(), policies) == {"no_end_date", "expires_today", "expires_tomorrow"}


def test_a_policy_expiring_today_is_live_today_and_expired_tomorrow(cast, policies):
    policy = policies["expires_today"]
    assert policy.is_live() and policy.status_on() == Policy.Status.PUBLISHED
    assert not policy.is_live(on=TODAY + DAY) and policy.status_on(TODAY + DAY) == Policy.Status.EXPIRED
    assert policy.pk not in Policy.objects.live(on=TODAY + DAY).values_list("pk", flat=True)
    assert policy.pk in Policy.objects.expired(on=TODAY + DAY).values_list("pk", flat=True)


def test_a_policy_without_an_end_date_never_expires(cast, policies):
    policy = policies["no_end_date"]
    far = TODAY + datetime.timedelta(days=365 * 50)
    assert policy.is_live(on=far) and not policy.is_past_expiry(on=far)
    assert policy.pk in Policy.objects.live(on=far).values_list("pk", flat=True)


def test_expired_reads_past_expiry_before_the_nightly_sweep_marks_it(cast, policies):
    assert _names(Policy.objects.expired(), policies) == {"expired_yesterday", "marked_expired"}
    assert policies["expired_yesterday"].status == Policy.Status.PUBLISHED
    assert policies["expired_yesterday"].status_on() == Policy.Status.EXPIRED
    assert services.expire_policies() == 1  # the sweep marks what already read 已失效, nothing else
    assert _names(Policy.objects.filter(status=Policy.Status.EXPIRED), policies) == \
        {"expired_yesterday", "marked_expired"}
    assert _names(Policy.objects.expired(), policies) == {"expired_yesterday", "marked_expired"}


def test_a_draft_is_never_live_nor_expired_but_may_be_past_its_expiry_date(cast, policies):
    for name in ("draft", "old_draft"):
        assert not policies[name].is_live() and policies[name].status_on() == Policy.Status.DRAFT
    assert _names(Policy.objects.past_expiry(), policies) >= {"old_draft"}
    assert policies["old_draft"].is_past_expiry() and not policies["draft"].is_past_expiry()


def test_the_row_and_the_queryset_agree_on_every_day_around_the_boundaries(cast, policies):
    for offset in range(-3, 4):
        day = TODAY + offset * DAY
        live = set(Policy.objects.live(on=day).values_list("pk", flat=True))
        expired = set(Policy.objects.expired(on=day).values_list("pk", flat=True))
        for policy in policies.values():
            assert (policy.pk in live) == policy.is_live(on=day), (policy.title, day)
            assert (policy.pk in expired) == (policy.status_on(day) == Policy.Status.EXPIRED), (policy.title, day)


def test_readers_and_enterprises_see_exactly_the_live_policies(cast, policies):
    live = {"no_end_date", "expires_today", "expires_tomorrow"}
    assert _names(selectors.policies_visible_to(cast.users.chamber1), policies) == live
    assert _names(matching.policies_for_enterprise(cast.ent1), policies) == live
    assert _names(selectors.policy_list(cast.users.staff, filters={"status": "published"}), policies) == live
    assert _names(selectors.policy_list(cast.users.staff, filters={"status": "expired"}), policies) == \
        {"expired_yesterday", "marked_expired"}
