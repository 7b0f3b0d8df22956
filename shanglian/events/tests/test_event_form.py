"""新增/编辑活动: the form saves through `services.save_event`; bad input (an end before the start, a negative
capacity, an RSVP deadline after the end, a forbidden material) is a clear Chinese message, 400, nothing
written; a chamber secretary's events are its chamber's whatever it posts; a leader reads only."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.common.models import DictItem
from shanglian.events.models import Event, EventAttachment

PDF_BYTES = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
CREATE = reverse("events:create")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def kind(code="training"):
    return DictItem.objects.get(kind="event_kind", code=code)


def _at(days, hour=9):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return f"{day.isoformat()}T{hour:02d}:00"


def form_data(**overrides):
    data = {"title": "2026年民营企业财税培训班", "kind": kind().pk, "organiser": "federation", "chamber": "",
            "committee": "", "working_group": "", "programme": "", "starts_at": _at(10, 9), "ends_at": _at(10, 17),
            "venue": "区工商联三楼会议室", "capacity": "80", "rsvp_deadline": _at(8, 18),
            "leaders": "区工商联主席张某", "programme_text": "09:00 开班仪式\n09:30 新政解读",
            "description": "面向会员企业财务负责人。"}
    data.update(overrides)
    return data


def pdf(name="议程.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def test_staff_creates_an_event_as_a_draft_with_its_materials(cast, login, media):
    response = login(cast.users.staff).post(CREATE, {**form_data(), "materials": [pdf(), pdf("讲义.pdf")]})
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("events:detail", args=[event.pk])
    assert event.status == Event.Status.DRAFT and event.federation == cast.district
    assert event.number.startswith("HD") and event.created_by == cast.users.staff
    assert event.capacity == 80 and event.organiser_name == cast.district.name
    assert timezone.localtime(event.starts_at).hour == 9
    assert set(event.attachments.values_list("original_name", flat=True)) == {"议程.pdf", "讲义.pdf"}
    assert AuditEvent.objects.filter(action="create", object_type="events.event", object_id=str(event.pk)).exists()


def test_the_form_page_offers_the_browsers_date_and_time_picker(cast, login):
    html = login(cast.users.staff).get(CREATE).content.decode()
    assert 'type="datetime-local" name="starts_at"' in html and 'enctype="multipart/form-data"' in html
    assert "主办方类型" in html and "活动资料" in html


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"ends_at": _at(10, 8)}, "ends_at", "结束时间不能早于开始时间。"),
    ({"capacity": "-5"}, "capacity", "名额不能为负数。"),
    ({"capacity": "很多"}, "capacity", "名额须为整数。"),
    ({"rsvp_deadline": _at(11, 9)}, "rsvp_deadline", "报名截止不能晚于活动结束。"),
    ({"title": ""}, "title", "请填写活动名称。"),
    ({"starts_at": "明天上午"}, "starts_at", "开始时间格式应为 2026-11-22 09:30。"),
    ({"kind": "999999999"}, "kind", "活动类型不存在，请重新选择。"),
    ({"organiser": "chamber"}, "chamber", "请选择主办商会。"),
    ({"organiser": "working_group"}, "working_group", "请填写主办工作组。"),
], ids=["end-before-start", "negative-capacity", "capacity-not-a-number", "deadline-after-end", "no-title",
        "bad-datetime", "unknown-kind", "chamber-missing", "working-group-missing"])
def test_bad_input_is_refused_in_chinese_and_nothing_is_written(cast, login, media, overrides, field, message):
    response = login(cast.users.staff).post(CREATE, {**form_data(**overrides), "materials": [pdf()]})
    assert response.status_code == 400
    assert message in response.context["form"].errors[field]
    assert message in response.content.decode()
    assert not Event.objects.exists() and not EventAttachment.objects.exists()
    assert not list(media.rglob("*")) or not any(p.is_file() for p in media.rglob("*"))


@pytest.mark.parametrize(("name", "content"), [
    ("安装程序.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64),
    ("伪装.pdf", "这是一个改了后缀的文本文件".encode()),
], ids=["exe", "text-renamed-pdf"])
def test_a_forbidden_material_is_refused_and_nothing_is_written(cast, login, media, name, content):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = login(cast.users.staff).post(CREATE, {**form_data(), "materials": [pdf(), upload]})
    assert response.status_code == 400
    html = response.content.decode()
    assert f"“{name}”的文件内容不是允许的类型" in html and "文件名后缀不作为依据" in html
    assert not Event.objects.exists() and not EventAttachment.objects.exists()
    assert not any(p.is_file() for p in media.rglob("*"))


def test_a_chamber_secretary_creates_its_own_chambers_event_whatever_it_posts(cast, login, media):
    client = login(cast.users.chamber1)
    html = client.get(CREATE).content.decode()
    assert 'name="organiser"' not in html and 'name="chamber"' not in html
    response = client.post(CREATE, form_data(organiser="federation", chamber=cast.chamber2.pk))
    event = Event.objects.get()
    assert response.status_code == 302
    assert (event.organiser, event.chamber, event.federation) == ("chamber", cast.chamber1, cast.district)
    assert event.organiser_name == cast.chamber1.name


def test_staff_names_a_chamber_committee_or_working_group_as_organiser(cast, login):
    client = login(cast.users.staff)
    client.post(CREATE, form_data(organiser="chamber", chamber=cast.chamber1.pk, working_group="不该保存"))
    event = Event.objects.get()
    assert (event.chamber, event.working_group) == (cast.chamber1, "")
    client.post(CREATE, form_data(title="专项工作组座谈", organiser="working_group", working_group="楼宇经济工作组",
                                  chamber=cast.chamber1.pk))
    group_event = Event.objects.get(title="专项工作组座谈")
    assert (group_event.chamber, group_event.organiser_name) == (None, "楼宇经济工作组")


def test_another_federations_chamber_is_not_offered_nor_accepted(cast, login):
    outsider = testing.make_chamber(cast.other, name="南开区某商会")
    response = login(cast.users.staff).post(CREATE, form_data(organiser="chamber", chamber=outsider.pk))
    assert response.status_code == 400
    assert "所选商会不存在或不在您的管理范围内。" in response.context["form"].errors["chamber"]
    assert not Event.objects.exists()


def test_a_statutory_meeting_takes_its_body_from_the_kind(cast, login):
    login(cast.users.staff).post(CREATE, form_data(title="第五届执委会第三次会议", kind=kind("executive").pk))
    assert Event.objects.get().body == "executive"


def test_a_chamber_board_meeting_must_be_a_chambers(cast, login):
    response = login(cast.users.staff).post(CREATE, form_data(kind=kind("chamber_board").pk))
    assert response.status_code == 400
    assert "商会理事会、会员大会须由商会主办" in response.content.decode()
    assert not Event.objects.exists()


def test_staff_edits_an_event_and_the_change_is_in_its_history(cast, login):
    event = testing.make_event(cast.district, status="draft", title="旧名称")
    client = login(cast.users.staff)
    url = reverse("events:edit", args=[event.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(title="新名称", capacity=""))
    event.refresh_from_db()
    assert response.status_code == 302 and (event.title, event.capacity) == ("新名称", None)
    changes = AuditEvent.objects.filter(action="update", object_type="events.event").latest("id").detail["changes"]
    assert {"field": "活动名称", "old": "旧名称", "new": "新名称"} in changes
    assert "新名称" in client.get(reverse("events:detail", args=[event.pk])).content.decode()


def test_a_running_or_finished_event_is_not_edited(cast, login):
    event = testing.make_event(cast.district, status="running", title="进行中的活动")
    client = login(cast.users.staff)
    response = client.get(reverse("events:edit", args=[event.pk]))
    assert response.status_code == 302
    response = client.post(reverse("events:edit", args=[event.pk]), form_data(title="改不了"), follow=True)
    assert "活动进行中，不能再修改。" in response.content.decode()
    event.refresh_from_db()
    assert event.title == "进行中的活动"


@pytest.mark.parametrize(("role", "expected"), [("leader", 403), ("dept1", 403), ("ent1", 403), ("auditor", 403),
                                                ("chamber2", 404), ("outsider_staff", 404), ("chamber1", 200)])
def test_who_may_edit_a_chamber_event(cast, login, role, expected):
    event = testing.make_event(cast.district, status="draft", chamber=cast.chamber1)
    client = login(getattr(cast.users, role))
    url = reverse("events:edit", args=[event.pk])
    assert client.get(url).status_code == expected
    response = client.post(url, form_data(title="越权修改"))
    assert response.status_code == (302 if expected == 200 else expected)
    event.refresh_from_db()
    assert (event.title == "越权修改") == (expected == 200)


@pytest.mark.parametrize("role", ["leader", "dept1", "ent1", "auditor"])
def test_only_organisers_create_events(cast, login, role):
    client = login(getattr(cast.users, role))
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, form_data()).status_code == 403
    assert not Event.objects.exists()
