import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from openpyxl import load_workbook

from shanglian import testing
from shanglian.audit.models import AuditEvent


def rows_of(response):
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return [list(r) for r in book.active.iter_rows(values_only=True)]


def grant_view_pii(user):
    user.user_permissions.add(Permission.objects.get(codename="view_pii"))
    return type(user).objects.get(pk=user.pk)


def test_staff_finds_members_by_pinyin_initials_and_number(cast, login):
    client = login(cast.users.staff)
    body = client.get(reverse("members:membership_list") + "?q=tjyy").content.decode()
    assert "天津友谊科技有限公司" in body and "天津之江贸易有限公司" not in body
    body = client.get(reverse("members:membership_list") + "?q=HX-2020-0003").content.decode()
    assert "王建国" in body and "共 1 条" in body


@pytest.mark.parametrize(("query", "present", "absent"), [
    ("kind=individual", "王建国", "天津友谊科技有限公司"),
    ("kind=group", "友谊路街道商会", "王建国"),
    ("status=left", "暂无数据", "天津友谊科技有限公司"),
])
def test_member_list_filters_by_kind_and_status(cast, login, query, present, absent):
    body = login(cast.users.staff).get(reverse("members:membership_list") + "?" + query).content.decode()
    assert present in body and absent not in body


def test_member_list_filters_by_chamber_and_street(cast, login):
    client = login(cast.users.staff)
    body = client.get(reverse("members:membership_list") + f"?chamber={cast.chamber2.pk}").content.decode()
    assert "天津之江贸易有限公司" in body and "天津友谊科技有限公司" not in body
    body = client.get(reverse("members:membership_list") + f"?street={cast.street.pk}").content.decode()
    assert "天津友谊科技有限公司" in body and "天津之江贸易有限公司" not in body


def test_chamber_secretary_sees_only_own_chambers_members(cast, login):
    body = login(cast.users.chamber1).get(reverse("members:membership_list")).content.decode()
    assert "天津友谊科技有限公司" in body and "王建国" in body
    assert "天津之江贸易有限公司" not in body and "南开某某餐饮有限公司" not in body


def test_chamber_secretary_cannot_export_other_chambers_members(cast, login):
    rows = rows_of(login(cast.users.chamber1).get(reverse("members:membership_export")))
    names = {r[1] for r in rows[1:]}
    assert "天津友谊科技有限公司" in names and "天津之江贸易有限公司" not in names
    rows = rows_of(login(cast.users.chamber1).get(reverse("members:enterprise_export")))
    assert [r[0] for r in rows[1:]] == ["天津友谊科技有限公司"]


def test_export_has_chinese_dated_filename_and_is_audited(cast, login):
    response = login(cast.users.staff).get(reverse("members:membership_export") + "?kind=enterprise")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert re.search(r"filename\*=UTF-8''%E5%B7%A5%E5%95%86%E8%81%94.*_\d{8}\.xlsx", response["Content-Disposition"])
    event = AuditEvent.objects.filter(action="export").latest("id")
    assert event.username == "staff" and event.detail["rows"] == 2 and event.detail["filters"] == {"kind": "enterprise"}


def test_export_neutralises_formulas(cast, login):
    testing.make_enterprise(cast.district, name="=HYPERLINK(\"http://x\")有限公司")
    rows = rows_of(login(cast.users.staff).get(reverse("members:enterprise_export")))
    assert "'=HYPERLINK(\"http://x\")有限公司" in [r[0] for r in rows]


def test_exported_mobile_is_masked_unless_permitted(cast, login):
    mobile = cast.ent1.contact_mobile
    rows = rows_of(login(cast.users.staff).get(reverse("members:enterprise_export") + "?pii=1"))
    assert mobile not in str(rows) and mobile[:3] + "****" + mobile[-4:] in str(rows)
    staff = grant_view_pii(cast.users.staff)
    rows = rows_of(login(staff).get(reverse("members:enterprise_export") + "?pii=1"))
    assert mobile in str(rows)
    assert AuditEvent.objects.filter(action="export").latest("id").detail["pii"] is True


def test_person_page_masks_and_offers_no_reveal_without_permission(cast, login):
    client = login(cast.users.staff)
    url = reverse("members:person_detail", args=[cast.person1.pk])
    body = client.get(url).content.decode()
    assert cast.person1.id_number not in body and "显示完整信息" not in body
    response = client.post(url, {"purpose": "核对", "password": testing.PASSWORD})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="pii_view").exists()


def test_person_reveal_needs_password_and_is_audited_without_the_value(cast, login):
    staff = grant_view_pii(cast.users.staff)
    client = login(staff)
    url = reverse("members:person_detail", args=[cast.person1.pk])
    wrong = client.post(url, {"purpose": "核对身份", "password": "Wrong@Pass1"})
    assert "密码错误" in wrong.content.decode() and cast.person1.id_number not in wrong.content.decode()
    right = client.post(url, {"purpose": "核对身份", "password": testing.PASSWORD})
    body = right.content.decode()
    assert cast.person1.id_number in body and cast.person1.mobile in body
    assert right["Cache-Control"].startswith("max-age=0") or "no-store" in right["Cache-Control"]
    event = AuditEvent.objects.get(action="pii_view", result="success")
    assert event.object_id == str(cast.person1.pk) and event.detail["purpose"] == "核对身份"
    assert cast.person1.id_number not in str(event.detail) and cast.person1.mobile not in str(event.detail)


def test_chamber_secretary_cannot_reveal_even_with_the_permission(cast, login):
    chamber1 = grant_view_pii(cast.users.chamber1)
    response = login(chamber1).post(reverse("members:person_detail", args=[cast.person1.pk]),
                                    {"purpose": "x", "password": testing.PASSWORD})
    assert response.status_code == 403


def test_api_masks_personal_data_and_keeps_the_scope(cast, login):
    client = login(cast.users.staff)
    persons = client.get("/api/v1/persons/").json()["results"]
    assert persons and all("*" in p["id_number"] and "*" in p["mobile"] for p in persons)
    body = client.get("/api/v1/enterprises/").content.decode()
    assert not re.search(r"(?<!\d)1\d{10}(?!\d)", body)
    chamber2 = login(cast.users.chamber2)
    assert chamber2.get(f"/api/v1/enterprises/{cast.ent1.pk}/").status_code == 404
    assert chamber2.get(f"/api/v1/enterprises/{cast.ent2.pk}/").status_code == 200
    assert login(cast.users.dept1).get("/api/v1/enterprises/").status_code == 403


def test_api_refuses_anonymous_users(client, cast):
    assert client.get("/api/v1/memberships/").status_code in (401, 403)


def test_enterprise_page_shows_its_memberships(cast, login):
    body = login(cast.users.staff).get(reverse("members:enterprise_detail", args=[cast.ent1.pk])).content.decode()
    assert "HX-2020-0001" in body and "友谊路街道商会" in body and "王建国" in body


@pytest.mark.parametrize(("name", "initials"), [
    ("天津市河西区友谊科技有限公司", "tjshxqyykjyxgs"),
    ("中国工商银行天津分行", "zggsyhtjfh"),  # 银行 is yin-hang: words, not characters
    ("重庆长安汽车", "cqcaqc"),
    ("ABC科技（天津）有限公司", "abckjtjyxgs"),
    ("", ""),
])
def test_pinyin_initials_follow_words_and_keep_latin_letters(name, initials):
    from shanglian.members.models import pinyin_initials

    assert pinyin_initials(name) == initials
