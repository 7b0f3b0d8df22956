"""The desk's words to the enterprise and its internal notes: separate fields, labelled where they are
typed; the internal ones never reach the enterprise (H5, API, print, export) nor a chamber; earlier
受理/派单意见 were migrated to internal."""

import importlib
import io

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shanglian import testing
from shanglian.accounts.roles import Role
from shanglian.appeals import services
from shanglian.appeals.models import Status, TimelineEntry

from .factories import make_appeal, reply_all, submit

PUBLIC = "已转区税务局、区人社局办理，请保持电话畅通"
SECRET = "企业法人与区领导有亲属关系，注意回避"
ACCEPT_SECRET = "该企业上月已投诉过同一事项"


@pytest.fixture
def noted(cast):
    """An appeal accepted and dispatched with both kinds of words at each step, then replied."""
    appeal = submit(cast)
    appeal = services.accept_appeal(actor=cast.users.staff, appeal=appeal, public_note="您的诉求已受理",
                                    internal_note=ACCEPT_SECRET)
    appeal = services.dispatch_appeal(actor=cast.users.staff, appeal=appeal, departments=[cast.dept1],
                                      public_note=PUBLIC, internal_note=SECRET)
    services.department_accept(actor=cast.users.dept1, appeal=appeal)
    return reply_all(cast, appeal, [cast.dept1])


def _xlsx_text(response):
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming
                                    else response.content))
    return "\n".join(str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                     for cell in row if cell is not None)


def test_the_forms_label_which_words_the_enterprise_reads(cast, login):
    appeal = make_appeal(cast, Status.ACCEPTED)
    page = login(cast.users.staff).get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    dispatch = page.split('id="act-dispatch"')[1]
    assert "给企业的说明（企业可见）" in dispatch and "企业在“我的诉求”中会看到这段话" in dispatch
    assert "内部意见（仅内部可见）" in dispatch and "企业看不到" in dispatch


def test_both_kinds_of_words_are_stored_apart(noted):
    dispatch = noted.timeline.get(action="dispatch")
    assert dispatch.note.endswith(PUBLIC) and SECRET not in dispatch.note and dispatch.internal_note == SECRET
    accept = noted.timeline.get(action="accept")
    assert accept.note == "您的诉求已受理" and accept.internal_note == ACCEPT_SECRET


def test_the_desk_and_the_department_read_the_internal_notes_labelled(cast, login, noted):
    for user in (cast.users.staff, cast.users.leader, cast.users.dept1):
        page = login(user).get(reverse("appeals:detail", args=[noted.pk])).content.decode()
        assert SECRET in page and ACCEPT_SECRET in page and "仅内部可见" in page, user
        assert "企业可见" in page  # the timeline marks the notes the enterprise reads


def test_a_chamber_secretary_reads_the_public_words_but_no_internal_note(cast, login, noted):
    page = login(cast.users.chamber1).get(reverse("appeals:detail", args=[noted.pk])).content.decode()
    assert PUBLIC in page
    assert SECRET not in page and ACCEPT_SECRET not in page


def test_the_enterprise_h5_shows_the_words_for_it_and_never_an_internal_note(cast, login, noted):
    page = login(cast.users.ent1).get(reverse("appeals:h5_detail", args=[noted.pk])).content.decode()
    assert PUBLIC in page and "您的诉求已受理" in page
    assert SECRET not in page and ACCEPT_SECRET not in page


def test_the_enterprise_is_sent_to_its_h5_page_from_the_staff_detail(cast, login, noted):
    response = login(cast.users.ent1).get(reverse("appeals:detail", args=[noted.pk]), follow=True)
    page = response.content.decode()
    assert PUBLIC in page and SECRET not in page


def test_the_api_gives_the_enterprise_no_internal_note(cast, login, noted):
    data = login(cast.users.ent1).get(f"/api/v1/appeals/{noted.pk}/").json()
    text = str(data)
    assert PUBLIC in text and SECRET not in text and ACCEPT_SECRET not in text
    assert all(entry["internal_note"] == "" for entry in data["timeline"])


def test_the_api_gives_a_chamber_no_internal_note(cast, login, noted):
    data = login(cast.users.chamber1).get(f"/api/v1/appeals/{noted.pk}/").json()
    assert SECRET not in str(data) and ACCEPT_SECRET not in str(data)


def test_the_api_gives_the_desk_the_internal_notes(cast, login, noted):
    data = login(cast.users.staff).get(f"/api/v1/appeals/{noted.pk}/").json()
    dispatch = next(e for e in data["timeline"] if e["action"] == "dispatch")
    assert dispatch["internal_note"] == SECRET and PUBLIC in dispatch["note"]


def test_the_enterprise_print_page_and_export_hold_no_internal_note(cast, login, noted):
    client = login(cast.users.ent1)
    page = client.get(reverse("appeals:print", args=[noted.pk])).content.decode()
    assert PUBLIC in page and SECRET not in page and ACCEPT_SECRET not in page and "内部意见" not in page
    text = _xlsx_text(client.get(reverse("appeals:export_one", args=[noted.pk])))
    assert PUBLIC in text and SECRET not in text and ACCEPT_SECRET not in text


def test_a_chamber_export_holds_no_internal_note(cast, login, noted):
    text = _xlsx_text(login(cast.users.chamber1).get(reverse("appeals:export_one", args=[noted.pk])))
    assert PUBLIC in text and SECRET not in text


def test_the_desk_print_page_and_export_hold_the_internal_notes(cast, login, noted):
    client = login(cast.users.staff)
    page = client.get(reverse("appeals:print", args=[noted.pk])).content.decode()
    assert SECRET in page and "内部意见（仅内部可见）" in page
    assert SECRET in _xlsx_text(client.get(reverse("appeals:export_one", args=[noted.pk])))


def test_the_enterprise_notification_carries_no_internal_note(cast, noted):
    from shanglian.notifications.models import Notification

    texts = " ".join(f"{n.title} {n.body}" for n in Notification.objects.filter(recipient=cast.users.ent1))
    assert SECRET not in texts and ACCEPT_SECRET not in texts


def test_earlier_desk_notes_become_internal_when_migrated(cast):
    """Migration 0003: what the desk typed as 受理意见/派单意见 before the fields were separated."""
    migration = importlib.import_module("shanglian.appeals.migrations.0003_appeal_contact_mobile_internal_note")
    appeal = make_appeal(cast, Status.SUBMITTED)
    now = timezone.now()

    def old_entry(action, note):
        return TimelineEntry.objects.create(appeal=appeal, at=now, action=action, action_label=action, note=note)

    accept = old_entry("accept", "属于受理范围，企业情绪较大")
    dispatch = old_entry("dispatch", "承办部门：区税务局、区人社局；办理期限：2026-11-30。税务局上次拖延，请盯紧")
    plain = old_entry("dispatch", "承办部门：区税务局；办理期限：2026-12-01")
    odd = old_entry("dispatch", "请尽快办理")
    reply = old_entry("reply", "已办理")
    # The historical models of the migration (a plain manager, as when it runs).
    state = MigrationExecutor(connection).loader.project_state(
        ("appeals", "0003_appeal_contact_mobile_internal_note"))
    migration.split_desk_notes(state.apps, None)

    def notes(entry):
        return tuple(TimelineEntry.objects.filter(pk=entry.pk).values_list("note", "internal_note").get())

    assert notes(accept) == ("", "属于受理范围，企业情绪较大")
    assert notes(dispatch) == ("承办部门：区税务局、区人社局；办理期限：2026-11-30", "税务局上次拖延，请盯紧")
    assert notes(plain) == ("承办部门：区税务局；办理期限：2026-12-01", "")
    assert notes(odd) == ("", "请尽快办理")
    assert notes(reply) == ("已办理", "")


def test_a_department_does_not_read_internal_notes_of_another_departments_steps(cast, login):
    appeal = make_appeal(cast, Status.HANDLING, departments=[cast.dept1, cast.dept2])
    dept2_user = testing.make_user(Role.DEPARTMENT, username="dept2x", department=cast.dept2)
    TimelineEntry.objects.create(appeal=appeal, at=timezone.now(), action="request_extension",
                                 action_label="申请延期", department=cast.dept2, note="",
                                 internal_note="人社局内部安排")
    assert "人社局内部安排" not in login(cast.users.dept1).get(
        reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert "人社局内部安排" in login(dept2_user).get(reverse("appeals:detail", args=[appeal.pk])).content.decode()


def test_every_text_typed_on_an_action_says_whether_the_enterprise_reads_it():
    from django import forms as django_forms

    from shanglian.appeals.workflow import APPEAL_FLOW

    checked = 0
    for transition in APPEAL_FLOW:
        if transition.form is None:
            continue
        for name, field in transition.form_class().fields.items():
            if isinstance(field.widget, django_forms.Textarea):
                said = f"{field.label} {field.help_text}"
                assert "企业可见" in said or "仅内部可见" in said, (transition.name, name)
                checked += 1
    assert checked >= 12
