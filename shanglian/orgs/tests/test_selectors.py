"""The chamber list and the chamber page's members: scope first, then the filters."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from shanglian import testing
from shanglian.orgs import selectors


@pytest.fixture
def chambers(cast):
    """Besides the cast's two: a dissolved chamber of the district and a chamber of the other district."""
    return {"dissolved": testing.make_chamber(cast.district, name="河西区已注销商会", status="dissolved",
                                              secretary_general="赵秘书"),
            "other": testing.make_chamber(cast.other, name="南开区某商会")}


def _names(qs):
    return set(qs.values_list("name", flat=True))


@pytest.mark.parametrize("who", ["staff", "leader", "admin"])
def test_federation_roles_list_every_chamber_of_their_federation(cast, chambers, who):
    assert _names(selectors.chamber_list(getattr(cast.users, who))) == {
        "友谊路街道商会", "河西区浙江商会", "河西区已注销商会"}


def test_chamber_secretary_lists_only_own_chamber(cast, chambers):
    assert _names(selectors.chamber_list(cast.users.chamber1)) == {"友谊路街道商会"}
    assert _names(selectors.chamber_list(cast.users.chamber1, filters={"kind": "nonlocal"})) == set()


def test_staff_of_another_district_lists_only_its_chambers(cast, chambers):
    assert _names(selectors.chamber_list(cast.users.outsider_staff)) == {"南开区某商会"}


@pytest.mark.parametrize(("filters", "expected"), [
    ({"q": "浙江"}, {"河西区浙江商会"}),
    ({"kind": "nonlocal"}, {"河西区浙江商会"}),
    ({"status": "dissolved"}, {"河西区已注销商会"}),
    ({"missing": "secretary"}, {"河西区浙江商会"}),
    ({"q": "", "kind": "", "status": "", "missing": ""}, {"友谊路街道商会", "河西区浙江商会", "河西区已注销商会"}),
])
def test_the_filters_narrow_the_list(cast, chambers, filters, expected):
    assert _names(selectors.chamber_list(cast.users.staff, filters=filters)) == expected


@pytest.mark.parametrize("who", ["dept1", "ent1", "auditor"])
def test_other_roles_are_refused_the_chamber_list(cast, login, who):
    with pytest.raises(PermissionDenied):
        selectors.chamber_list(getattr(cast.users, who))
    assert login(getattr(cast.users, who)).get(reverse("orgs:chamber_list")).status_code == 403


def test_the_list_page_shows_what_the_selector_returns(cast, chambers, login):
    body = login(cast.users.staff).get(reverse("orgs:chamber_list") + "?missing=secretary").content.decode()
    assert "河西区浙江商会" in body and "友谊路街道商会" not in body
    body = login(cast.users.chamber1).get(reverse("orgs:chamber_list")).content.decode()
    assert "友谊路街道商会" in body and "河西区浙江商会" not in body


def test_the_chamber_page_lists_its_active_members_latest_first(cast):
    later = testing.make_enterprise(cast.district, name="后入会的企业", chamber=cast.chamber1)
    later.chamber_memberships.update(joined="2025-01-01")
    left = testing.make_enterprise(cast.district, name="已退会的企业", chamber=cast.chamber1)
    left.chamber_memberships.update(status="left")
    assert [m.enterprise.name for m in selectors.chamber_members(cast.chamber1)] == ["后入会的企业", "天津友谊科技有限公司"]
    assert len(selectors.chamber_members(cast.chamber1, limit=1)) == 1
