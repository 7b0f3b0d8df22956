"""联系电话 on appeals: validated with a clear Chinese message (staff form, H5 form, API), encrypted at
rest, shown masked (in full only to a PII reader who asks, audited), the enterprise's contact mobile
when none is typed; and on the phone the reply comes before the rating."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.urls import reverse

from shanglian.appeals.models import Appeal, Status
from shanglian.audit.models import AuditAction, AuditEvent
from shanglian.common.masking import mask

from .factories import category, make_appeal

MOBILE = "13912345678"


def _staff_form(cast, **overrides):
    data = {"enterprise": cast.ent1.pk, "channel": "phone", "category": category("finance").pk,
            "urgency": "normal", "title": "申请贷款贴息", "content": "需要了解贴息政策。", "contact_name": "王建国",
            "contact_mobile": MOBILE}
    data.update(overrides)
    return data


def _h5_form(**overrides):
    data = {"category": category("finance").pk, "title": "申请贴息", "content": "想了解贴息政策。",
            "urgency": "normal", "contact_name": "王建国", "contact_mobile": MOBILE, "counterpart": "",
            "amount_involved": ""}
    data.update(overrides)
    return data


BAD = [("1391234567", "手机号码应为11位数字，当前为10位"), ("1391234567a", "手机号码只能包含数字"),
       ("12912345678", "手机号码号段无效")]


@pytest.mark.parametrize(("value", "message"), BAD)
def test_the_staff_form_refuses_a_bad_mobile_with_the_reason(cast, login, value, message):
    response = login(cast.users.staff).post(reverse("appeals:create"), _staff_form(cast, contact_mobile=value))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Appeal.objects.exists()


@pytest.mark.parametrize(("value", "message"), BAD)
def test_the_h5_form_refuses_a_bad_mobile_with_the_reason(cast, login, value, message):
    response = login(cast.users.ent1).post(reverse("appeals:h5_create"), _h5_form(contact_mobile=value))
    assert response.status_code == 400 and message in response.content.decode()
    assert not Appeal.objects.exists()


def test_the_api_refuses_a_bad_mobile_with_400(cast, login):
    response = login(cast.users.ent1).post("/api/v1/appeals/", {
        "category": category("finance").pk, "title": "申请贴息", "content": "想了解贴息政策。",
        "contact_mobile": "1391234567"}, content_type="application/json")
    assert response.status_code == 400 and "手机号码应为11位数字" in response.json()["detail"]
    assert not Appeal.objects.exists()


def test_the_staff_form_stores_the_mobile_encrypted(cast, login):
    login(cast.users.staff).post(reverse("appeals:create"), _staff_form(cast, contact_mobile="+86 139-1234-5678"))
    appeal = Appeal.objects.get()
    assert appeal.contact_mobile == MOBILE  # normalised
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_mobile FROM appeals_appeal WHERE id = %s", [appeal.pk])
        stored = cursor.fetchone()[0]
    assert MOBILE not in stored and stored


def test_the_h5_form_stores_the_mobile(cast, login):
    login(cast.users.ent1).post(reverse("appeals:h5_create"), _h5_form())
    assert Appeal.objects.get().contact_mobile == MOBILE


def test_an_empty_mobile_takes_the_enterprises_contact_mobile(cast, login):
    login(cast.users.ent1).post(reverse("appeals:h5_create"), _h5_form(contact_mobile=""))
    assert Appeal.objects.get().contact_mobile == cast.ent1.contact_mobile


def test_the_h5_form_hints_the_enterprises_contact_mobile_masked(cast, login):
    page = login(cast.users.ent1).get(reverse("appeals:h5_create")).content.decode()
    assert f'placeholder="默认 {mask("mobile", cast.ent1.contact_mobile)}"' in page and "不填则使用本企业联系人手机" in page
    assert cast.ent1.contact_mobile not in page


def test_the_staff_form_has_the_mobile_field(cast, login):
    page = login(cast.users.staff).get(reverse("appeals:create")).content.decode()
    assert "联系电话" in page and "不填则使用企业登记的联系人手机" in page


@pytest.fixture
def appeal(cast):
    return make_appeal(cast, Status.SUBMITTED, contact_mobile=MOBILE)


def test_the_detail_page_shows_the_mobile_masked(cast, login, appeal):
    for user in (cast.users.staff, cast.users.chamber1):
        page = login(user).get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
        assert "139****5678" in page and MOBILE not in page


def test_a_user_without_pii_rights_asking_for_the_full_mobile_still_gets_it_masked(cast, login, appeal):
    page = login(cast.users.staff).get(reverse("appeals:detail", args=[appeal.pk]), {"pii": "1"}).content.decode()
    assert MOBILE not in page and "显示完整号码" not in page
    assert not AuditEvent.objects.filter(action=AuditAction.PII_VIEW).exists()


def test_a_pii_reader_sees_the_full_mobile_on_request_and_it_is_audited(cast, login, appeal):
    staff = cast.users.staff
    staff.user_permissions.add(Permission.objects.get(codename="view_pii"))
    client = login(staff)
    page = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert MOBILE not in page and "显示完整号码" in page
    page = client.get(reverse("appeals:detail", args=[appeal.pk]), {"pii": "1"}).content.decode()
    assert MOBILE in page
    event = AuditEvent.objects.get(action=AuditAction.PII_VIEW)
    assert event.actor == staff and event.detail["fields"] == ["contact_mobile"] and MOBILE not in str(event.detail)
    client.get(reverse("appeals:export_one", args=[appeal.pk]), {"pii": "1"})
    assert AuditEvent.objects.get(action=AuditAction.EXPORT).detail["pii"] is True


def test_the_h5_detail_and_the_api_show_the_mobile_masked(cast, login, appeal):
    client = login(cast.users.ent1)
    page = client.get(reverse("appeals:h5_detail", args=[appeal.pk])).content.decode()
    assert "139****5678" in page and MOBILE not in page
    assert client.get(f"/api/v1/appeals/{appeal.pk}/").json()["contact_mobile"] == "139****5678"


def test_on_the_phone_the_reply_comes_before_the_rating(cast, login):
    replied = make_appeal(cast, Status.REPLIED)
    page = login(cast.users.ent1).get(reverse("appeals:h5_detail", args=[replied.pk])).content.decode()
    assert "部门答复" in page and "请评价本次答复" in page
    assert page.index("部门答复") < page.index("请评价本次答复")
    assert page.index("经核实，贵公司符合稳岗补贴条件") < page.index('id="rate"')
