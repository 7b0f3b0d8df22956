"""The staff pages of events: the list (scope, filters, counts, export), the event's page (facts, figures,
the workflow's buttons and their refusals, materials), 登记诉求 at a 恳谈会 linked both ways, the 工作台's
待办 and panel, and who is refused what (a chamber secretary sees only its chamber's events, another
scope's id is a 404, a leader reads but does not act, a department or an enterprise is refused)."""

import datetime
import re
from io import BytesIO
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shanglian import testing
from shanglian.appeals.models import Appeal
from shanglian.appeals.tests.factories import category
from shanglian.audit.models import AuditEvent
from shanglian.events import services
from shanglian.events.models import CheckIn, EventAppeal, EventAttachment
from shanglian.notifications.models import Notification
from shanglian.ui.todos import todos_for

PDF_BYTES = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
LIST = reverse("events:list")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def soon(days=3, hour=9):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def events(cast):
    """Three district events (one of chamber1, one of chamber2) and one of the other federation."""
    federation_event = testing.make_event(cast.district, title="2026年民营企业财税培训班", starts_at=soon(5))
    chamber1_event = testing.make_event(cast.district, title="友谊路商会会员恳谈会", kind="dialogue",
                                        chamber=cast.chamber1, starts_at=soon(6), status="draft")
    chamber2_event = testing.make_event(cast.district, title="浙江商会新春联谊会", kind="forum",
                                        chamber=cast.chamber2, starts_at=soon(7))
    other_event = testing.make_event(cast.other, title="南开区企业家早餐会", kind="breakfast", starts_at=soon(8))
    return federation_event, chamber1_event, chamber2_event, other_event


def total(html):
    return int(re.search(r"共 (\d+) 条", html).group(1))


# --- the list ------------------------------------------------------------------------------------------------
def test_staff_lists_the_districts_events_with_their_counts(cast, login, events):
    federation_event = events[0]
    accepted = testing.make_invitation(federation_event, cast.person1, status="accepted")
    testing.make_invitation(federation_event, cast.person2, status="declined")
    testing.make_invitation(federation_event, cast.ent2, status="cancelled")
    CheckIn.objects.create(event=federation_event, invitation=accepted, name="王建国", method="manual")
    CheckIn.objects.create(event=federation_event, name="现场来宾", method="walk_in")
    html = login(cast.users.staff).get(LIST).content.decode()
    assert total(html) == 3 and "南开区企业家早餐会" not in html
    assert "新增活动" in html and "导出" in html
    row = re.search(r"<tr>(?:(?!</tr>).)*2026年民营企业财税培训班.*?</tr>", html, re.S).group(0)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    assert cells[-4:-1] == ["2", "1", "2"]  # 受邀 (not cancelled), 报名 (参加), 签到 (walk-ins too)


def test_a_chamber_secretary_lists_only_its_chambers_events(cast, login, events):
    html = login(cast.users.chamber1).get(LIST).content.decode()
    assert total(html) == 1 and "友谊路商会会员恳谈会" in html and "浙江商会新春联谊会" not in html
    assert 'name="organiser"' not in html


def test_a_leader_reads_the_list_without_the_add_button(cast, login, events):
    html = login(cast.users.leader).get(LIST).content.decode()
    assert total(html) == 3 and "新增活动" not in html and ">编辑<" not in html


@pytest.mark.parametrize(("role", "expected"), [("dept1", 403), ("auditor", 403), ("ent1", 302)])
def test_roles_without_events_are_refused_the_list(cast, login, role, expected):
    response = login(getattr(cast.users, role)).get(LIST)
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"] == reverse("events:h5_invitations")


def test_the_list_filters_by_kind_status_organiser_year_and_words(cast, login, events):
    from shanglian.common.models import DictItem

    client = login(cast.users.staff)
    dialogue = DictItem.objects.get(kind="event_kind", code="dialogue")
    assert total(client.get(LIST, {"kind": dialogue.pk}).content.decode()) == 1
    assert total(client.get(LIST, {"status": "draft"}).content.decode()) == 1
    assert total(client.get(LIST, {"organiser": "chamber"}).content.decode()) == 2
    assert total(client.get(LIST, {"year": str(soon(5).year)}).content.decode()) == 3
    assert total(client.get(LIST, {"year": str(soon(5).year - 1)}).content.decode()) == 0
    found = client.get(LIST, {"q": "财税"}).content.decode()
    assert total(found) == 1 and "2026年民营企业财税培训班" in found
    assert total(client.get(LIST, {"q": events[1].number}).content.decode()) == 1


def test_an_inverted_date_range_is_said_in_chinese(cast, login, events):
    response = login(cast.users.staff).get(LIST, {"starts_from": "2026-12-01", "starts_to": "2026-11-01"})
    assert response.status_code == 200 and "开始日期止不能早于开始日期起。" in response.content.decode()


def test_the_export_writes_the_listed_events_and_is_audited(cast, login, events):
    response = login(cast.users.chamber1).get(reverse("events:export"))
    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("活动编号", "活动名称", "活动类型", "主办方", "开始时间", "结束时间", "地点", "名额", "状态",
                       "受邀", "报名", "签到")
    assert [row[1] for row in rows[1:]] == ["友谊路商会会员恳谈会"]
    assert AuditEvent.objects.filter(action="export", object_type="events.event", username="chamber1").exists()


@pytest.mark.parametrize(("role", "expected"), [("dept1", 403), ("ent1", 403), ("auditor", 403)])
def test_the_export_is_refused_to_roles_without_events(cast, login, role, expected):
    assert login(getattr(cast.users, role)).get(reverse("events:export")).status_code == expected


# --- the event's page ----------------------------------------------------------------------------------------
def detail(event):
    return reverse("events:detail", args=[event.pk])


def test_the_event_page_shows_facts_figures_buttons_and_links(cast, login, events):
    event = events[0]
    testing.make_invitation(event, cast.person1, status="accepted")
    testing.make_invitation(event, cast.person2)
    html = login(cast.users.staff).get(detail(event)).content.decode()
    assert event.number in html and event.venue in html and "报名中" in html
    assert 'data-figure="invited">2<' in html and 'data-figure="places">1' in html and 'data-figure="pending">1<' in html
    # the table's transitions from 报名中: 开始活动 and 取消活动 (with its reason form)
    assert reverse("events:transition", args=[event.pk, "start"]) in html
    assert reverse("events:transition", args=[event.pk, "cancel"]) in html and 'name="reason"' in html
    assert reverse("events:transition", args=[event.pk, "publish"]) not in html
    for name in ("invitations", "invite", "door", "poster", "checkins", "scans"):
        assert reverse(f"events:{name}", args=[event.pk]) in html
    assert "变更记录" in html


def test_a_leader_reads_the_event_page_without_buttons(cast, login, events):
    event = events[0]
    html = login(cast.users.leader).get(detail(event)).content.decode()
    assert event.title in html and "transition" not in html and "/do/" not in html
    assert reverse("events:edit", args=[event.pk]) not in html and reverse("events:invite", args=[event.pk]) not in html
    assert reverse("events:door", args=[event.pk]) not in html and 'name="files"' not in html


@pytest.mark.parametrize(("role", "expected"), [("staff", 200), ("leader", 200), ("admin", 200), ("chamber1", 200),
                                                ("chamber2", 404), ("dept1", 403), ("ent1", 403), ("auditor", 403),
                                                ("outsider_staff", 404)])
def test_who_reads_a_chamber_event(cast, login, events, role, expected):
    assert login(getattr(cast.users, role)).get(detail(events[1])).status_code == expected


def test_another_scopes_event_is_a_404_and_an_audited_denial(cast, login, events):
    assert login(cast.users.chamber2).get(detail(events[1])).status_code == 404
    denial = AuditEvent.objects.filter(action="denied").latest("id")
    assert (denial.username, denial.object_type, denial.object_id) == ("chamber2", "events.event", str(events[1].pk))


def test_a_statutory_meeting_shows_its_meeting_section(cast, login):
    meeting = testing.make_event(cast.district, kind="executive", title="第五届执委会第三次会议")
    response = login(cast.users.staff).get(detail(meeting))
    assert response.status_code == 200 and "法定会议 · 执委会" in response.content.decode()
    assert "events/_meeting_section.html" in [t.name for t in response.templates]


# --- the workflow --------------------------------------------------------------------------------------------
def act(client, event, slug, **data):
    return client.post(reverse("events:transition", args=[event.pk, slug]), data)


def test_an_event_is_published_opened_started_and_finished_from_its_page(cast, login):
    event = testing.make_event(cast.district, status="draft", starts_at=soon(2))
    client = login(cast.users.staff)
    for slug, status in (("publish", "published"), ("open-registration", "registration"), ("start", "running"),
                         ("finish", "finished")):
        response = act(client, event, slug)
        event.refresh_from_db()
        assert response.status_code == 302 and event.status == status
    assert "结束活动成功。" in client.get(detail(event)).content.decode()


def test_cancelling_needs_a_reason_and_tells_the_invitees(cast, login, events):
    event = events[0]
    testing.make_invitation(event, cast.ent1)
    client = login(cast.users.staff)
    response = act(client, event, "cancel", reason="")
    assert response.status_code == 400 and "请填写取消原因。" in response.content.decode()
    event.refresh_from_db()
    assert event.status == "registration"
    response = act(client, event, "cancel", reason="场地临时维修")
    event.refresh_from_db()
    assert response.status_code == 302 and (event.status, event.cancel_reason) == ("cancelled", "场地临时维修")
    assert Notification.objects.filter(recipient=cast.users.ent1, title__startswith="活动取消通知").exists()


def test_a_transition_the_state_does_not_allow_is_refused_with_its_reason(cast, login, events):
    event = events[0]  # 报名中
    response = login(cast.users.staff).post(reverse("events:transition", args=[event.pk, "publish"]), follow=True)
    assert "活动当前状态为“报名中”，不能发布（仅限：草稿）。" in response.content.decode()
    event.refresh_from_db()
    assert event.status == "registration"


def test_an_unknown_action_is_a_404(cast, login, events):
    assert act(login(cast.users.staff), events[0], "delete-everything").status_code == 404


@pytest.mark.parametrize(("role", "expected"), [("leader", 403), ("chamber2", 404), ("outsider_staff", 404),
                                                ("dept1", 403), ("ent1", 403)])
def test_who_may_not_move_an_event(cast, login, events, role, expected):
    event = events[1]  # chamber1's draft
    assert act(login(getattr(cast.users, role)), event, "publish").status_code == expected
    event.refresh_from_db()
    assert event.status == "draft"


def test_a_chamber_secretary_moves_its_own_event(cast, login, events):
    event = events[1]
    assert act(login(cast.users.chamber1), event, "publish").status_code == 302
    event.refresh_from_db()
    assert event.status == "published"


# --- materials -----------------------------------------------------------------------------------------------
def upload(client, event, *files):
    return client.post(reverse("events:materials", args=[event.pk]), {"files": list(files)})


def pdf(name="课件.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def test_materials_are_uploaded_downloaded_and_deleted_after_confirming(cast, login, events, media):
    event = events[0]
    client = login(cast.users.staff)
    assert upload(client, event, pdf()).status_code == 302
    material = EventAttachment.objects.get()
    assert "课件.pdf" in client.get(detail(event)).content.decode()
    download = client.get(reverse("events:material", args=[material.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES
    assert download["X-Content-Type-Options"] == "nosniff"
    delete_url = reverse("events:material_delete", args=[material.pk])
    assert "确定删除资料“课件.pdf”吗？" in client.get(delete_url).content.decode()
    assert EventAttachment.objects.exists()
    assert client.post(delete_url).status_code == 302
    assert not EventAttachment.objects.exists()


def test_a_forbidden_material_is_refused_on_the_page_and_nothing_kept(cast, login, events, media):
    fake = SimpleUploadedFile("报告.pdf", "其实是文本".encode(), content_type="application/pdf")
    response = upload(login(cast.users.staff), events[0], fake)
    assert response.status_code == 400
    assert "“报告.pdf”的文件内容不是允许的类型" in response.content.decode()
    assert not EventAttachment.objects.exists() and not any(p.is_file() for p in media.rglob("*"))


def test_an_empty_upload_is_said_in_chinese(cast, login, events):
    response = upload(login(cast.users.staff), events[0])
    assert response.status_code == 400 and "请选择要上传的文件。" in response.content.decode()


@pytest.mark.parametrize(("role", "read", "write"), [("leader", 200, 403), ("chamber1", 404, 404),
                                                     ("outsider_staff", 404, 404), ("dept1", 403, 403),
                                                     ("ent1", 403, 403)])
def test_who_may_read_and_change_materials(cast, login, events, media, role, read, write):
    event = events[0]
    services.add_materials(actor=cast.users.staff, event=event, files=[pdf()])
    material = EventAttachment.objects.get()
    client = login(getattr(cast.users, role))
    assert client.get(reverse("events:material", args=[material.pk])).status_code == read
    assert client.post(reverse("events:material_delete", args=[material.pk])).status_code == write
    assert upload(client, event, pdf("另一个.pdf")).status_code == write
    assert EventAttachment.objects.count() == 1


# --- an appeal raised at the event ---------------------------------------------------------------------------
def appeal_data(cast, **overrides):
    data = {"enterprise": cast.ent1.pk, "category": category().pk, "urgency": "normal", "title": "希望简化用地审批流程",
            "content": "企业扩建厂房，用地审批环节较多，希望能够简化。", "contact_name": "王建国", "contact_mobile": "",
            "source_note": "第3桌发言", "counterpart": "", "amount_involved": ""}
    data.update(overrides)
    return data


@pytest.fixture
def dialogue(cast):
    return testing.make_event(cast.district, kind="dialogue", title="民营企业诉求恳谈会", starts_at=soon(1))


def test_an_appeal_raised_at_a_dialogue_is_linked_both_ways(cast, login, dialogue):
    client = login(cast.users.staff)
    assert "登记诉求" in client.get(detail(dialogue)).content.decode()
    form = client.get(reverse("events:raise_appeal", args=[dialogue.pk])).content.decode()
    assert 'name="channel"' not in form and "来源活动：恳谈会“民营企业诉求恳谈会”" in form
    response = client.post(reverse("events:raise_appeal", args=[dialogue.pk]), appeal_data(cast))
    appeal = Appeal.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("appeals:detail", args=[appeal.pk])
    assert EventAppeal.objects.get().event == dialogue and appeal.channel == "event"
    assert dialogue.number in appeal.source_note and "第3桌发言" in appeal.source_note
    appeal_page = client.get(response["Location"]).content.decode()
    assert "来源活动" in appeal_page and f'href="{detail(dialogue)}"' in appeal_page
    event_page = client.get(detail(dialogue)).content.decode()
    assert f'href="{reverse("appeals:detail", args=[appeal.pk])}"' in event_page and appeal.number in event_page


def test_a_department_reads_the_source_event_without_a_link(cast, login, dialogue):
    appeal = services.raise_appeal(actor=cast.users.staff, event=dialogue, enterprise=cast.ent1, category=category(),
                                   title="希望简化用地审批流程", content="用地审批环节较多。")
    from shanglian.appeals import services as appeal_services

    appeal_services.accept_appeal(actor=cast.users.staff, appeal=appeal)
    appeal_services.dispatch_appeal(actor=cast.users.staff, appeal=Appeal.objects.get(pk=appeal.pk),
                                    departments=[cast.dept1],
                                    deadline=timezone.localdate() + datetime.timedelta(days=10))
    html = login(cast.users.dept1).get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert "来源活动" in html and dialogue.title in html and f'href="{detail(dialogue)}"' not in html


def test_an_appeal_without_an_event_has_no_source_section(cast, login):
    from shanglian.appeals.tests.factories import submit

    appeal = submit(cast)
    assert "来源活动" not in login(cast.users.staff).get(reverse("appeals:detail", args=[appeal.pk])).content.decode()


def test_bad_appeal_input_is_refused_and_nothing_written(cast, login, dialogue):
    response = login(cast.users.staff).post(reverse("events:raise_appeal", args=[dialogue.pk]),
                                            appeal_data(cast, title="", contact_mobile="12345"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "请填写诉求标题。" in html
    assert not Appeal.objects.exists() and not EventAppeal.objects.exists()


def test_a_training_collects_no_appeals(cast, login, events):
    client = login(cast.users.staff)
    assert "登记诉求" not in client.get(detail(events[0])).content.decode()
    response = client.get(reverse("events:raise_appeal", args=[events[0].pk]), follow=True)
    assert "只有恳谈会、早餐会、座谈会可以登记收集的诉求。" in response.content.decode()


def test_a_draft_dialogue_takes_no_appeals_yet(cast, login):
    draft = testing.make_event(cast.district, kind="dialogue", status="draft")
    response = login(cast.users.staff).post(reverse("events:raise_appeal", args=[draft.pk]), appeal_data(cast))
    assert response.status_code == 400 and "活动草稿，不能登记诉求。" in response.content.decode()
    assert not Appeal.objects.exists()


@pytest.mark.parametrize(("role", "expected"), [("leader", 403), ("chamber1", 403), ("dept1", 403), ("ent1", 403),
                                                ("outsider_staff", 404)])
def test_who_may_not_raise_an_appeal_at_an_event(cast, login, dialogue, role, expected):
    client = login(getattr(cast.users, role))
    assert client.post(reverse("events:raise_appeal", args=[dialogue.pk]), appeal_data(cast)).status_code == expected
    assert not Appeal.objects.exists()


# --- the 工作台 ---------------------------------------------------------------------------------------------
def test_the_organisers_todos_open_lists_of_exactly_what_they_count(cast, login):
    testing.make_event(cast.district, status="draft", starts_at=soon(2), title="下周草稿一")
    testing.make_event(cast.district, status="draft", starts_at=soon(6), title="下周草稿二")
    testing.make_event(cast.district, status="draft", starts_at=soon(20), title="远期草稿")
    testing.make_event(cast.district, status="published", starts_at=soon(3), title="未开放报名")
    testing.make_event(cast.district, status="published", starts_at=soon(4), chamber=cast.chamber1)
    for role, expected in (("staff", {"7天内开始、仍为草稿的活动": 2, "7天内开始、尚未开放报名的活动": 2}),
                           ("chamber1", {"7天内开始、尚未开放报名的活动": 1})):
        user = getattr(cast.users, role)
        todos = {todo.label: todo for todo in todos_for(user) if "活动" in todo.label}
        assert {label: todo.count for label, todo in todos.items()} == expected
        client = login(user)
        for todo in todos.values():
            assert total(client.get(todo.url).content.decode()) == todo.count
    assert not [todo for todo in todos_for(cast.users.leader) if "活动" in todo.label]


def test_the_home_panel_shows_upcoming_events_and_this_years_figures(cast, login):
    """On 15 June 2026: held this year so far — a finished training (2 check-ins) and a running forum (1); a draft
    and a cancelled event of May do not count; last year's 1 event is the 同比. Upcoming (30 days): two events,
    one of them chamber1's; one in August is too far."""
    def at(month, day, year=2026):
        return timezone.make_aware(datetime.datetime(year, month, day, 9))

    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        finished = testing.make_event(cast.district, status="finished", starts_at=at(3, 2), title="春季培训")
        running = testing.make_event(cast.district, status="running", starts_at=at(6, 15), hours=1, title="论坛")
        testing.make_event(cast.district, status="draft", starts_at=at(5, 1))
        testing.make_event(cast.district, status="cancelled", starts_at=at(5, 2))
        testing.make_event(cast.district, status="finished", starts_at=at(4, 1, year=2025))
        upcoming = testing.make_event(cast.district, starts_at=at(6, 20), title="夏季财税培训班")
        testing.make_event(cast.district, starts_at=at(7, 1), title="商会联谊会", chamber=cast.chamber1)
        testing.make_event(cast.district, starts_at=at(8, 20), title="远期活动")
        for event, n in ((finished, 2), (running, 1)):
            for i in range(n):
                CheckIn.objects.create(event=event, name=f"来宾{i}", method="walk_in")
        testing.make_invitation(upcoming, cast.person1, status="accepted")
        response = login(cast.users.staff).get("/")
        html = response.content.decode()
        assert 'id="home-events"' in html and "活动（2026年，截至6月15日）" in html
        assert 'data-kpi="活动场次">2<' in html and 'data-kpi="签到人次">3<' in html and "同比 +100.0%" in html
        panel = next(p for p in response.context["panels"] if p.template == "events/_home_events.html")
        assert [e.title for e in panel.context["upcoming"]] == ["论坛", "夏季财税培训班", "商会联谊会"]
        assert panel.context["upcoming"][1].places == 1
        assert total(login(cast.users.staff).get(panel.context["upcoming_url"]).content.decode()) == 3
        chamber = login(cast.users.chamber1).get("/")
        chamber_panel = next(p for p in chamber.context["panels"] if p.template == "events/_home_events.html")
        assert [e.title for e in chamber_panel.context["upcoming"]] == ["商会联谊会"]
        dept = login(cast.users.dept1).get("/")
        assert not [p for p in dept.context["panels"] if p.template == "events/_home_events.html"]


def test_the_home_panels_queries_do_not_grow_with_the_events(cast, login):
    client = login(cast.users.staff)

    def grow(n):
        for i in range(n):
            event = testing.make_event(cast.district, title=f"活动{i}", starts_at=soon(1 + i % 20))
            invitation = testing.make_invitation(event, testing.make_enterprise(cast.district), status="accepted")
            CheckIn.objects.create(event=event, invitation=invitation, name="来宾", method="manual")

    grow(2)
    client.get("/")
    with CaptureQueriesContext(connection) as small:
        client.get("/")
    grow(12)
    with CaptureQueriesContext(connection) as grown:
        client.get("/")
    assert len(grown) == len(small)


def test_the_list_and_the_event_page_do_not_grow_with_the_rows(cast, login):
    client = login(cast.users.staff)
    event = testing.make_event(cast.district, kind="dialogue")

    def grow(n):
        for i in range(n):
            other = testing.make_event(cast.district, title=f"活动{i}")
            testing.make_invitation(other, testing.make_enterprise(cast.district))
            testing.make_invitation(event, testing.make_enterprise(cast.district))

    grow(2)
    client.get(LIST)
    with CaptureQueriesContext(connection) as small_list:
        client.get(LIST)
    with CaptureQueriesContext(connection) as small_page:
        client.get(detail(event))
    grow(10)
    with CaptureQueriesContext(connection) as grown_list:
        client.get(LIST)
    with CaptureQueriesContext(connection) as grown_page:
        client.get(detail(event))
    assert len(grown_list) == len(small_list) and len(grown_page) == len(small_page)
