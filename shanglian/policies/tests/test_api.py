"""The policy API: the library in the caller's scope (an enterprise sees the live policies only and only
its own matches, an auditor nothing), search and filters, one policy, and a policy's match count."""

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.common.models import DictItem
from shanglian.policies.models import Policy, PolicyDelivery
from shanglian.policies.services import Eligibility, save_policy


def _policy(cast, title, *, status=Policy.Status.PUBLISHED, expires_on=None, number="", benefit="subsidy",
            full_text="", **conditions):
    policy = save_policy(actor=cast.users.staff, data={
        "title": title, "department": cast.dept1, "document_number": number, "expires_on": expires_on,
        "benefit_type": DictItem.objects.get(kind="benefit_type", code=benefit), "full_text": full_text,
        "published_on": date(2026, 3, 1)}, eligibility=Eligibility(**conditions))
    Policy.objects.filter(pk=policy.pk).update(status=status)
    policy.refresh_from_db()
    return policy


@pytest.fixture
def library(cast):
    """ent1: 6513 software, small, 友谊路街道; ent2: no size. A draft, an expired one, live ones."""
    cast.ent1.size = "small"
    cast.ent1.save()
    today = timezone.localdate()
    return {
        "for_all": _policy(cast, "河西区涉企公共法律服务清单", number="河西司发〔2026〕3号",
                           full_text="为民营企业免费开展法治体检。"),
        "small": _policy(cast, "小微企业研发补助", number="河西科发〔2026〕8号", sizes=("small", "micro"),
                         benefit="innovation"),
        "street": _policy(cast, "友谊路街道楼宇经济扶持", streets=(cast.street.pk,)),
        "retail": _policy(cast, "零售业促消费补贴", industries=("F",)),
        "draft": _policy(cast, "稳岗返还（征求意见稿）", status=Policy.Status.DRAFT),
        "expired": _policy(cast, "过期的贷款贴息", expires_on=today - timedelta(days=1)),
    }


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_staff_lists_every_policy_of_the_federation_with_drafts(cast, login, library):
    response = login(cast.users.staff).get("/api/v1/policies/")
    assert ids(response) == {p.pk for p in library.values()}
    row = next(r for r in response.json()["results"] if r["id"] == library["expired"].pk)
    assert row["status"] == "expired" and row["status_display"] == "已失效"  # before the nightly sweep


def test_enterprise_sees_only_published_live_policies(cast, login, library):
    client = login(cast.users.ent1)
    assert ids(client.get("/api/v1/policies/")) == {library[k].pk for k in ("for_all", "small", "street", "retail")}
    assert client.get(f"/api/v1/policies/{library['draft'].pk}/").status_code == 404
    assert client.get(f"/api/v1/policies/{library['expired'].pk}/").status_code == 404
    detail = client.get(f"/api/v1/policies/{library['small'].pk}/").json()
    assert detail["eligibility"]["sizes"] == ["micro", "small"] and detail["document_number"] == "河西科发〔2026〕8号"
    street = client.get(f"/api/v1/policies/{library['street'].pk}/").json()
    assert street["eligibility"]["streets"] == ["友谊路街道"]


def test_other_district_staff_sees_none_of_them(cast, login, library):
    assert ids(login(cast.users.outsider_staff).get("/api/v1/policies/")) == set()
    assert login(cast.users.outsider_staff).get(f"/api/v1/policies/{library['small'].pk}/").status_code == 404


def test_auditor_is_refused_everywhere(cast, login, library):
    client = login(cast.users.auditor)
    assert client.get("/api/v1/policies/").status_code == 403
    assert client.get(f"/api/v1/policies/{library['small'].pk}/").status_code == 403
    assert client.get(f"/api/v1/policies/{library['small'].pk}/match-count/").status_code == 403
    assert client.get(f"/api/v1/enterprises/{cast.ent1.pk}/policies/").status_code == 403


def test_anonymous_calls_are_refused(client, library):
    assert client.get("/api/v1/policies/").status_code == 401


def test_search_finds_a_chinese_substring_and_a_document_number(cast, login, library):
    client = login(cast.users.staff)
    assert ids(client.get("/api/v1/policies/", {"q": "研发补助"})) == {library["small"].pk}
    assert ids(client.get("/api/v1/policies/", {"q": "河西科发〔2026〕8号"})) == {library["small"].pk}
    assert ids(client.get("/api/v1/policies/", {"q": "法治体检"})) == {library["for_all"].pk}


def test_filters_narrow_the_list(cast, login, library):
    client = login(cast.users.staff)
    innovation = DictItem.objects.get(kind="benefit_type", code="innovation")
    assert ids(client.get("/api/v1/policies/", {"benefit_type": innovation.pk})) == {library["small"].pk}
    assert ids(client.get("/api/v1/policies/", {"status": "draft"})) == {library["draft"].pk}
    assert ids(client.get("/api/v1/policies/", {"status": "expired"})) == {library["expired"].pk}
    assert client.get("/api/v1/policies/", {"status": "bogus"}).status_code == 400


def test_enterprise_gets_its_own_matches_only(cast, login, library):
    client = login(cast.users.ent1)
    response = client.get(f"/api/v1/enterprises/{cast.ent1.pk}/policies/")
    assert ids(response) == {library[k].pk for k in ("for_all", "small", "street")}
    assert client.get(f"/api/v1/enterprises/{cast.ent2.pk}/policies/").status_code == 404
    assert client.get(f"/api/v1/enterprises/{cast.ent_other.pk}/policies/").status_code == 404


def test_staff_gets_any_enterprise_in_scope_and_not_beyond(cast, login, library):
    client = login(cast.users.staff)
    assert ids(client.get(f"/api/v1/enterprises/{cast.ent2.pk}/policies/")) == {library["for_all"].pk}
    assert client.get(f"/api/v1/enterprises/{cast.ent_other.pk}/policies/").status_code == 404
    assert login(cast.users.dept1).get(f"/api/v1/enterprises/{cast.ent1.pk}/policies/").status_code == 403


def test_chamber_sees_matches_of_its_member_enterprises_only(cast, login, library):
    client = login(cast.users.chamber1)
    assert ids(client.get(f"/api/v1/enterprises/{cast.ent1.pk}/policies/")) == {
        library[k].pk for k in ("for_all", "small", "street")}
    assert client.get(f"/api/v1/enterprises/{cast.ent2.pk}/policies/").status_code == 404


def test_match_count_counts_the_matching_enterprises_and_the_reach(cast, login, library):
    small = testing.make_enterprise(cast.district, name="天津小微科技有限公司", size="micro")
    testing.make_enterprise(cast.district, name="天津大型制造有限公司", size="large")
    testing.make_enterprise(cast.other, name="南开小微有限公司", size="micro")  # another district
    now = timezone.now()
    PolicyDelivery.objects.create(policy=library["small"], enterprise=cast.ent1, pushed_at=now, read_at=now)
    PolicyDelivery.objects.create(policy=library["small"], enterprise=small, pushed_at=now)
    client = login(cast.users.staff)
    body = client.get(f"/api/v1/policies/{library['small'].pk}/match-count/").json()
    assert body == {"policy": library["small"].pk, "matched": 2, "pushed": 2, "read": 1, "read_rate": 50.0}
    # for every firm of the district: ent1, ent2 and the two new ones; the other district's firms not
    assert client.get(f"/api/v1/policies/{library['for_all'].pk}/match-count/").json()["matched"] == 4
    leader = testing.make_user(Role.LEADER, federation=cast.district)
    assert login(leader).get(f"/api/v1/policies/{library['retail'].pk}/match-count/").json()["matched"] == 0


@pytest.mark.parametrize("role", ["ent1", "chamber1", "dept1"])
def test_match_count_is_for_federation_roles_only(cast, login, library, role):
    response = login(getattr(cast.users, role)).get(f"/api/v1/policies/{library['small'].pk}/match-count/")
    assert response.status_code == 403


def test_schema_documents_the_policy_endpoints_without_warnings(db):
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out, stderr=io.StringIO())
    schema = out.getvalue()
    for path in ["/api/v1/policies/:", "/api/v1/policies/{id}/:", "/api/v1/policies/{id}/match-count/:",
                 "/api/v1/enterprises/{enterprise_id}/policies/:"]:
        assert path in schema
    assert "政策列表与搜索" in schema
