"""The sections registry (`shanglian.ui.sections`) and what the policy library contributes with it: the
匹配政策 card of the enterprise 360° page, rendered for every role that sees the enterprise."""

import datetime

import pytest
from django.urls import reverse

from shanglian.policies.sections import enterprise_matched_policies
from shanglian.policies.services import Eligibility
from shanglian.ui import sections

from .test_views import make_policy, page_of


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test (the apps' providers are put back afterwards)."""
    monkeypatch.setattr(sections, "_providers", sections.defaultdict(list))
    return sections


def test_providers_contribute_in_order_and_may_contribute_nothing(registry):
    @registry.register("thing")
    def first(user, obj):
        return registry.Section("first.html", {"obj": obj})

    @registry.register("thing")
    def silent(user, obj):
        return None

    @registry.register("thing")
    def second(user, obj):
        return registry.Section("second.html")

    assert registry.sections_for("thing", None, 7) == [registry.Section("first.html", {"obj": 7}),
                                                      registry.Section("second.html")]
    assert registry.sections_for("other page", None, 7) == []


def test_the_policy_library_is_registered_for_the_enterprise_page(cast):
    assert enterprise_matched_policies in sections._providers["enterprise"]


def test_the_section_carries_the_newest_ten_and_the_count(cast):
    for n in range(12):
        make_policy(cast, title=f"政策{n:02d}", eligibility=Eligibility(streets=[cast.street.pk]), publish=True,
                    published_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=n))
    section = enterprise_matched_policies(cast.users.staff, cast.ent1)
    assert section.template == "policies/_enterprise_section.html"
    assert section.context["count"] == 12 and len(section.context["policies"]) == 10
    assert section.context["policies"][0].title == "政策11"
    assert section.context["url_name"] == "policies:detail"
    assert enterprise_matched_policies(cast.users.ent1, cast.ent1).context["url_name"] == "policies:h5_detail"


@pytest.mark.parametrize(("who", "url_name"), [("staff", "policies:detail"), ("leader", "policies:detail"),
                                               ("admin", "policies:detail"), ("chamber1", "policies:detail"),
                                               ("ent1", "policies:h5_detail")])
def test_every_role_that_sees_the_enterprise_sees_the_same_matched_policies(cast, login, who, url_name):
    policy = make_policy(cast, title="友谊路街道的政策", eligibility=Eligibility(streets=[cast.street.pk]),
                         publish=True)
    make_policy(cast, title="草稿不算")
    page = page_of(login(getattr(cast.users, who)).get(reverse("members:enterprise_detail", args=[cast.ent1.pk])))
    card = page.split('id="matched-policies"')[1].split('<div class="card">')[0]
    assert "共 1 条" in card and "友谊路街道的政策" in card and "草稿不算" not in card
    assert reverse(url_name, args=[policy.pk]) in card
