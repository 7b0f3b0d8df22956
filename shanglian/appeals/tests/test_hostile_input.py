"""Hostile input to the appeals' pages and API: each is a 400 with a Chinese message, never a 500,
and nothing is written (issue 18, finding 7); control characters never reach a stored title (12); answers that carry private data are never cached (12)."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shanglian.appeals.models import Appeal, Attachment, Status, TimelineEntry

from .factories import category, submit
from .test_accept_dispatch import NOW
from .test_h5 import PNG, form_data

HUGE_ID = "12345678901234567890"  # 20 digits: past every integer column


def _deep_json(depth):
    return "[" * depth + "]" * depth


def test_deeply_nested_json_is_a_400_in_chinese(cast, login):
    response = login(cast.users.ent1).post("/api/v1/appeals/", _deep_json(100_000), content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"] and "嵌套" in response.json()["detail"]
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("amount", ["NaN", "nan", "Infinity", "-Infinity", "sNaN"])
def test_a_non_number_amount_on_the_h5_form_is_refused_in_chinese(cast, login, amount):
    response = login(cast.users.ent1).post(reverse("appeals:h5_create"), form_data(
        category=category("rights").pk, counterpart="某公司", amount_involved=amount))
    assert response.status_code == 400  # the H5 form comes back with the message, as the staff forms do
    assert "涉及金额必须是数字" in response.content.decode()
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("amount", ["NaN", "Infinity"])
def test_a_non_number_amount_through_the_api_is_refused_in_chinese(cast, login, amount):
    response = login(cast.users.ent1).post("/api/v1/appeals/", {
        "category": category("rights").pk, "title": "拖欠工程款", "content": "对方拖欠工程款。",
        "counterpart": "某公司", "amount_involved": amount}, content_type="application/json")
    assert response.status_code == 400
    assert not Appeal.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_twenty_digit_department_id_in_dispatch_is_a_400_in_chinese(cast, login):
    appeal = submit(cast)
    response = login(cast.users.staff).post(reverse("appeals:act", args=[appeal.pk, "accept_dispatch"]), {
        "departments": [HUGE_ID], "deadline": "2026-11-30"})
    assert response.status_code == 400
    assert "承办部门不存在" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == Status.SUBMITTED
    assert not TimelineEntry.objects.filter(appeal=appeal, action="dispatch").exists()


@pytest.mark.parametrize("param", ["department", "category"])
@pytest.mark.parametrize("value", [HUGE_ID, "-1", "0"])
def test_a_non_id_in_the_api_list_filters_is_a_400_in_chinese(cast, login, param, value):
    response = login(cast.users.staff).get("/api/v1/appeals/", {param: value})
    assert response.status_code == 400
    assert "ID" in str(response.json()[param])


@pytest.mark.parametrize("title", ["\u202eexe.pdf 申请贴息", "\x1b[31m申请贴息", "申请\u200b贴息\x00"])
def test_control_characters_never_reach_a_stored_title(cast, login, title):
    login(cast.users.ent1).post(reverse("appeals:h5_create"), form_data(title=title))
    api = login(cast.users.ent1).post("/api/v1/appeals/", {
        "category": category("finance").pk, "title": title, "content": "内容\x1b 第二行\n\t缩进"},
        content_type="application/json")
    assert api.status_code == 201
    assert Appeal.objects.count() == 2
    for appeal in Appeal.objects.all():
        assert "\u202e" not in appeal.title and "\x1b" not in appeal.title and "\x00" not in appeal.title
        assert "申请" in appeal.title
    assert Appeal.objects.get(pk=api.json()["id"]).content == "内容 第二行\n\t缩进"


# --- nothing private is kept in a cache (finding 12) --------------------------------------------------
def test_api_answers_and_api_refusals_are_not_cached(cast, login):
    client = login(cast.users.ent1)
    assert client.get("/api/v1/appeals/")["Cache-Control"] == "no-store"
    refused = client.get("/api/v1/appeals/", {"department": HUGE_ID})
    assert refused.status_code == 400 and refused["Cache-Control"] == "no-store"


def test_an_attachment_download_is_not_cached(cast, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    client = login(cast.users.ent1)
    upload = SimpleUploadedFile("营业执照.png", PNG, content_type="image/png")
    client.post(reverse("appeals:h5_create"), {**form_data(), "files": [upload]})
    download = client.get(reverse("appeals:attachment", args=[Attachment.objects.get().pk]))
    assert download.status_code == 200 and download["Cache-Control"] == "no-store"
