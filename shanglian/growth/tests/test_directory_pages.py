"""会员名录 pages: a field the member hid never shows — in the back-office list, its export, the phone search, the
public page or the member's own preview — nor can it be searched; who searches which entries (the federation's roles
every entry of their federations, unlisted ones marked; a chamber secretary and a member enterprise the listed ones
of their federation; department and auditor 403); a lapsed member is not in the directory; the public page exists
only while the federation turned it on (editors turn it; leader and chamber 403)."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.audit.models import AuditEvent
from shanglian.growth.models import DirectoryListing, DirectorySetting

LIST = reverse("growth:directory")
EXPORT = reverse("growth:directory_export")
H5 = reverse("growth:h5_directory")
MINE = reverse("growth:h5_my_listing")
SETTINGS = reverse("growth:directory_settings")
SECRET_MOBILE = "13912345678"
SECRET_ADDRESS = "秘密路99号"


@pytest.fixture
def data(cast):
    cast.ent1.contact_mobile, cast.ent1.address = SECRET_MOBILE, SECRET_ADDRESS
    cast.ent1.save()
    cast.ent2.contact_mobile = "13800001111"
    cast.ent2.save()
    lapsed = testing.make_enterprise(cast.district, name="天津退会商贸有限公司")
    testing.make_membership(cast.district, lapsed, joined=date(2020, 1, 1), left=date(2021, 1, 1))
    unlisted = testing.make_enterprise(cast.district, name="天津低调制造有限公司")
    testing.make_membership(cast.district, unlisted)
    return {
        # ent1 shows its trade, products and street — never its mobile or address
        "ent1": testing.make_listing(cast.ent1, shown=("industry", "products", "street"), products="工业传感器 软件"),
        # ent2 shows its mobile and products only
        "ent2": testing.make_listing(cast.ent2, shown=("contact_mobile", "products"), products="丝绸 服装"),
        "lapsed": testing.make_listing(lapsed, shown=("products",), products="已退会的产品"),
        "unlisted": testing.make_listing(unlisted, listed=False, products="不展示的产品"),
        "other": testing.make_listing(cast.ent_other, shown=("products",), products="南开餐饮"),
    }


def names(response):
    return {row["cells"][0]["text"] for row in response.context["rows"]}


def export_rows(response):
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def turn_on(cast):
    DirectorySetting.objects.update_or_create(federation=cast.district, defaults={"public_enabled": True})


# --- a hidden field never shows ----------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["admin", "staff", "leader", "chamber1", "chamber2"])
def test_a_hidden_mobile_and_address_never_show_on_the_back_office_list(cast, data, login, role):
    content = login(getattr(cast.users, role)).get(LIST).content.decode()
    assert cast.ent1.name in content and "工业传感器" in content
    assert SECRET_MOBILE not in content and SECRET_ADDRESS not in content
    assert "13800001111" in content  # ent2 chose to show its mobile


@pytest.mark.parametrize("role", ["staff", "chamber1"])
def test_a_hidden_field_never_shows_in_the_export(cast, data, login, role):
    rows = export_rows(login(getattr(cast.users, role)).get(EXPORT))
    headers, body = rows[0], {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert "联系电话" in headers and "地址" in headers
    assert body[cast.ent1.name]["联系电话"] in (None, "") and body[cast.ent1.name]["地址"] in (None, "")
    assert body[cast.ent1.name]["主营产品"] == "工业传感器 软件"
    assert body[cast.ent2.name]["联系电话"] == "13800001111"
    assert body[cast.ent2.name]["所属行业"] in (None, "")
    flat = repr(rows)
    assert SECRET_MOBILE not in flat and SECRET_ADDRESS not in flat
    assert AuditEvent.objects.filter(action="export", object_type="growth.directorylisting").exists()


def test_a_hidden_field_never_shows_on_the_phone_or_the_public_page(cast, data, login):
    turn_on(cast)
    member = testing.make_user(Role.ENTERPRISE, enterprise=cast.ent2)
    pages = [login(member).get(H5).content.decode(),
             login(cast.users.ent1).get(MINE).content.decode()]
    pages.append(login(cast.users.ent1).get(H5).content.decode())
    from django.test import Client

    pages.append(Client().get(reverse("growth:directory_public", args=[cast.district.pk])).content.decode())
    for content in pages:
        assert cast.ent1.name in content
        assert SECRET_MOBILE not in content and SECRET_ADDRESS not in content


def test_a_hidden_field_cannot_be_searched(cast, data, login):
    client = login(cast.users.staff)
    # ent2 hides its street and trade: neither filter finds it, though both would match its registry record
    cast.ent2.street = cast.street
    cast.ent2.save()
    assert names(client.get(LIST, {"street": cast.street.pk})) == {cast.ent1.name}
    assert names(client.get(LIST, {"industry_division": "65"})) == {cast.ent1.name, "天津低调制造有限公司"}
    # ent1 shows its products; a search by them finds it, every word must match
    assert names(client.get(LIST, {"products": "传感器 软件"})) == {cast.ent1.name}
    assert names(client.get(LIST, {"products": "丝绸"})) == {cast.ent2.name}
    data["ent2"].shown_fields = ["contact_mobile"]
    data["ent2"].save()
    assert names(client.get(LIST, {"products": "丝绸"})) == set()


# --- who searches which entries --------------------------------------------------------------------------------
def test_federation_roles_see_every_entry_of_members_in_force_with_unlisted_marked(cast, data, login):
    response = login(cast.users.staff).get(LIST)
    assert names(response) == {cast.ent1.name, cast.ent2.name, "天津低调制造有限公司"}
    assert "未展示" in response.content.decode()


def test_chamber_and_member_enterprise_see_the_listed_entries_of_their_federation(cast, data, login):
    assert names(login(cast.users.chamber2).get(LIST)) == {cast.ent1.name, cast.ent2.name}
    content = login(cast.users.ent1).get(H5).content.decode()
    assert cast.ent2.name in content and "天津低调制造有限公司" not in content
    assert "天津退会商贸有限公司" not in content and cast.ent_other.name not in content


def test_another_federation_sees_its_own_directory_only(cast, data, login):
    assert names(login(cast.users.outsider_staff).get(LIST)) == {cast.ent_other.name}


@pytest.mark.parametrize("role", ["dept1", "ent1", "auditor"])
def test_department_enterprise_and_auditor_are_refused_the_back_office_directory(cast, data, login, role):
    client = login(getattr(cast.users, role))
    assert client.get(LIST).status_code == 403
    assert client.get(EXPORT).status_code == 403


@pytest.mark.parametrize("role", ["staff", "leader", "chamber1", "dept1", "auditor"])
def test_only_enterprise_users_open_the_phone_pages(cast, data, login, role):
    client = login(getattr(cast.users, role))
    assert client.get(H5).status_code == 403
    assert client.get(MINE).status_code == 403


def test_an_enterprise_that_is_not_a_member_is_refused_the_directory_in_chinese(cast, data, login):
    outsider = testing.make_enterprise(cast.district, name="天津非会员有限公司")
    client = login(testing.make_user(Role.ENTERPRISE, enterprise=outsider))
    response = client.get(H5)
    assert response.status_code == 403
    assert client.post(MINE, {"listed": "on", "shown_fields": ["products"]}).status_code == 403
    assert not DirectoryListing.objects.filter(enterprise=outsider).exists()


# --- the member's own settings ---------------------------------------------------------------------------------
def test_the_member_chooses_its_shown_fields_and_the_directory_follows(cast, data, login):
    client = login(cast.users.ent1)
    response = client.post(MINE, {"listed": "on", "shown_fields": ["contact_mobile", "products"],
                                  "products": "新产品", "intro": "简介", "website": "www.example.com"})
    assert response.status_code == 302
    listing = DirectoryListing.objects.get(enterprise=cast.ent1)
    assert listing.shown_fields == ["products", "contact_mobile"] and listing.website == "https://www.example.com"
    assert SECRET_MOBILE in login(cast.users.chamber2).get(LIST).content.decode()
    client = login(cast.users.ent1)
    client.post(MINE, {"shown_fields": ["products"], "products": "新产品"})  # unlisted, mobile hidden again
    listing.refresh_from_db()
    assert listing.listed is False and listing.shown_fields == ["products"]
    assert cast.ent1.name not in names(login(cast.users.chamber2).get(LIST))
    assert AuditEvent.objects.filter(object_type="growth.directorylisting", action="update").exists()


def test_an_unknown_field_or_bad_website_is_refused_in_chinese_and_nothing_changes(cast, data, login):
    client = login(cast.users.ent1)
    response = client.post(MINE, {"listed": "on", "shown_fields": ["uscc"]})
    assert response.status_code == 400 and "展示的字段无效" in response.content.decode()
    response = client.post(MINE, {"listed": "on", "shown_fields": ["products"], "website": "不是网址 ::"})
    assert response.status_code == 400 and "请填写正确的网址" in response.content.decode()
    data["ent1"].refresh_from_db()
    assert data["ent1"].shown_fields == ["industry", "products", "street"]


def test_a_member_without_a_listing_gets_one_on_its_first_save(cast, login):
    client = login(cast.users.ent1)
    assert client.get(MINE).status_code == 200
    assert client.post(MINE, {"listed": "on", "shown_fields": ["industry"]}).status_code == 302
    assert DirectoryListing.objects.get(enterprise=cast.ent1).federation == cast.district


# --- the public page -------------------------------------------------------------------------------------------
def test_the_public_page_is_404_until_the_federation_turns_it_on(cast, data, client, login):
    public = reverse("growth:directory_public", args=[cast.district.pk])
    assert client.get(public).status_code == 404
    staff = login(cast.users.staff)
    response = staff.post(SETTINGS, {"federation": cast.district.pk, "enabled": "on"})
    assert response.status_code == 302
    client.logout()
    response = client.get(public)
    content = response.content.decode()
    assert response.status_code == 200
    assert cast.ent1.name in content and cast.ent2.name in content
    assert "天津低调制造有限公司" not in content and "天津退会商贸有限公司" not in content
    assert AuditEvent.objects.filter(object_type="growth.directorysetting").exists()
    login(cast.users.staff).post(SETTINGS, {"federation": cast.district.pk, "enabled": "off"})
    client.logout()
    assert client.get(public).status_code == 404


def test_the_public_page_searches_only_shown_fields(cast, data, client):
    turn_on(cast)
    public = reverse("growth:directory_public", args=[cast.district.pk])
    content = client.get(public, {"products": "丝绸"}).content.decode()
    assert cast.ent2.name in content and cast.ent1.name not in content
    assert client.get(reverse("growth:directory_public", args=[cast.other.pk])).status_code == 404


@pytest.mark.parametrize("role", ["leader", "chamber1", "dept1", "ent1", "auditor"])
def test_only_editors_turn_the_public_page(cast, data, login, role):
    client = login(getattr(cast.users, role))
    assert client.get(SETTINGS).status_code == 403
    assert client.post(SETTINGS, {"federation": cast.district.pk, "enabled": "on"}).status_code == 403
    assert not DirectorySetting.objects.filter(public_enabled=True).exists()


def test_staff_of_another_federation_cannot_turn_this_one(cast, data, login):
    client = login(cast.users.outsider_staff)
    assert client.post(SETTINGS, {"federation": cast.district.pk, "enabled": "on"}).status_code == 404
    assert client.post(SETTINGS, {"federation": "x", "enabled": "on"}).status_code == 400
    assert not DirectorySetting.objects.filter(public_enabled=True).exists()


def test_the_settings_page_lists_the_federations_with_their_switch(cast, data, login):
    content = login(cast.users.staff).get(SETTINGS).content.decode()
    assert "河西区工商联" in content and "开启公开" in content and "南开区工商联" not in content
