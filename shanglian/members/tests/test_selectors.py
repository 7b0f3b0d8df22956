"""Scoped reads of the registry that the pages used to compose themselves: the streets a user may filter
by, the enterprise 360° page (the same page for every role that sees the enterprise, with the sections
other apps contribute) and the person page's reads."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from shanglian import testing
from shanglian.members import selectors
from shanglian.ui.sections import sections_for


@pytest.fixture
def streets(cast):
    """A second street of the district where one of chamber 1's members lives, a street of the district
    without any of its members, and a street of the other district."""
    member_street = testing.make_street(cast.district, name="越秀路街道")
    testing.make_enterprise(cast.district, name="越秀路的会员企业", chamber=cast.chamber1, street=member_street)
    empty = testing.make_street(cast.district, name="马场街道")
    other = testing.make_street(cast.other, name="南开其他街道")
    return {"member": member_street, "empty": empty, "other": other}


@pytest.mark.parametrize("who", ["staff", "leader", "admin"])
def test_federation_roles_see_every_street_of_their_federation(cast, streets, who):
    names = set(selectors.streets_visible_to(getattr(cast.users, who)).values_list("name", flat=True))
    assert names == {"友谊路街道", "越秀路街道", "马场街道"}


def test_staff_of_another_district_sees_only_its_own_streets(cast, streets):
    assert list(selectors.streets_visible_to(cast.users.outsider_staff)) == [streets["other"]]


def test_chamber_secretary_sees_only_own_chambers_street_and_its_members_streets(cast, streets):
    names = set(selectors.streets_visible_to(cast.users.chamber1).values_list("name", flat=True))
    assert names == {"友谊路街道", "越秀路街道"}


def test_a_chamber_without_a_street_whose_members_have_none_sees_no_street(cast, streets):
    assert not selectors.streets_visible_to(cast.users.chamber2).exists()


@pytest.mark.parametrize("who", ["dept1", "ent1", "auditor"])
def test_other_roles_are_refused_the_streets(cast, who):
    with pytest.raises(PermissionDenied):
        selectors.streets_visible_to(getattr(cast.users, who))


@pytest.mark.parametrize("url", ["members:enterprise_list", "members:membership_list"])
def test_both_registry_lists_offer_the_same_streets(cast, streets, login, url):
    body = login(cast.users.chamber1).get(reverse(url)).content.decode()
    assert "越秀路街道" in body and "友谊路街道" in body
    assert "马场街道" not in body and "南开其他街道" not in body
    body = login(cast.users.staff).get(reverse(url)).content.decode()
    assert "马场街道" in body and "南开其他街道" not in body


def test_the_enterprise_profile_lists_its_memberships_and_people(cast):
    profile = selectors.enterprise_profile(cast.ent1)
    assert [m.number for m in profile["memberships"]] == ["HX-2020-0001"]
    assert [m.chamber for m in profile["chamber_memberships"]] == [cast.chamber1]
    assert [r.person for r in profile["persons"]] == [cast.person1]


def test_the_person_profile_lists_roles_and_memberships(cast):
    profile = selectors.person_profile(cast.person1)
    assert [r.enterprise for r in profile["roles"]] == [cast.ent1]
    assert [m.number for m in profile["memberships"]] == ["HX-2020-0003"]


@pytest.mark.parametrize("who", ["staff", "leader", "admin", "chamber1", "ent1"])
def test_the_enterprise_page_has_the_same_cards_for_every_role_that_sees_it(cast, login, who):
    body = login(getattr(cast.users, who)).get(reverse("members:enterprise_detail", args=[cast.ent1.pk]))
    assert body.status_code == 200
    page = body.content.decode()
    cards = ["企业档案", "工商联会员", "所属商会", "匹配政策", "企业人员"]
    assert [page.index(f'<h2 class="card-title">{card}') for card in cards] == \
        sorted(page.index(f'<h2 class="card-title">{card}') for card in cards)
    assert 'id="matched-policies"' in page and "暂无匹配的有效政策" in page


@pytest.mark.parametrize(("who", "status"), [("chamber2", 404), ("outsider_staff", 404), ("dept1", 403),
                                             ("auditor", 403)])
def test_the_enterprise_page_is_refused_outside_the_scope(cast, login, who, status):
    response = login(getattr(cast.users, who)).get(reverse("members:enterprise_detail", args=[cast.ent1.pk]))
    assert response.status_code == status


def test_the_apps_contribute_their_sections_to_the_enterprise_page(cast):
    sections = sections_for("enterprise", cast.users.staff, cast.ent1)
    assert [s.template for s in sections] == ["policies/_enterprise_section.html",
                                              "engagement/liaison/_enterprise_section.html",
                                              "welfare/_enterprise_section.html",
                                              "honours/lists/_enterprise_section.html",
                                              "growth/_enterprise_section.html",
                                              "communications/_enterprise_section.html"]
